"""Parse a decoded source text into a Document, by format."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from linter.document import Block, Document, Sentence
from linter.segment import split_sentences

MARKDOWN_EXTENSIONS = frozenset({".md", ".markdown", ".mdown", ".mkd"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})


@dataclass(frozen=True)
class ParseOptions:
    """What parsing needs from the configuration."""

    abbreviations: frozenset[str] = frozenset()
    subject_keys: tuple[str, ...] = ("subject", "state")
    title_keys: tuple[str, ...] = ("title",)
    extra: dict[str, str] = field(default_factory=dict)


def format_for_path(path: str) -> str:
    extension = os.path.splitext(path)[1].lower()
    if extension in MARKDOWN_EXTENSIONS:
        return "markdown"
    if extension in HTML_EXTENSIONS:
        return "html"
    return "text"


def parse_document(path: str, source: str, options: ParseOptions) -> Document:
    """Build the Document for ``source`` (decoded text, BOM removed)."""
    document_format = format_for_path(path)
    if document_format == "markdown":
        from linter.parse.markdown import parse_markdown

        document = parse_markdown(path, source)
    elif document_format == "html":
        from linter.parse.html import parse_html

        document = parse_html(path, source)
    else:
        from linter.parse.text import parse_text

        document = parse_text(path, source)
    _add_sentences(document, options.abbreviations)
    _add_title_and_subject(document, options)
    return document


def _add_sentences(document: Document, abbreviations: frozenset[str]) -> None:
    sentences: list[Sentence] = []
    for index, block in enumerate(document.blocks):
        for start, end in split_sentences(block.prose.text, abbreviations):
            sentences.append(Sentence(index, block, start, end))
    document.sentences = sentences


def _add_title_and_subject(document: Document, options: ParseOptions) -> None:
    for key in options.title_keys:
        value = document.meta.get(key)
        if isinstance(value, str) and value.strip():
            document.title = value.strip()
            break
    for key in options.subject_keys:
        value = document.meta.get(key)
        if isinstance(value, str) and value.strip():
            document.subject = value.strip()
            break


def first_heading_text(blocks: list[Block]) -> str | None:
    for block in blocks:
        if block.kind == "heading":
            return block.prose.text.strip() or None
    return None
