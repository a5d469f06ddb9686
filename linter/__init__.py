"""doclint: a document-quality linter for editorial pipelines."""

__version__ = "0.1.0"
