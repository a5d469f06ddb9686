"""Cross-document analysis: entities and masking, fingerprints, the SQLite index, the corpus phase.

Data flow: a parsed Document → :func:`linter.corpus.extract.extract_record` (units with
positions, masked fingerprints, entity mentions) → :class:`linter.corpus.index.CorpusIndex`
(on disk, incremental) → corpus rules, which query the index through a
:class:`linter.corpus.model.CorpusView` and never see a file or a Document.
"""
