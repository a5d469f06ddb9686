"""The Document: the prose of one file, every character mapped back to its source.

A parser turns a decoded source text into a Document. Only prose reaches rules: each
Block carries a :class:`Prose` (its text plus a source map), and sentences are slices of
a block's prose. Positions are 1-based lines and 1-based columns counted in Unicode code
points; a tab is one column, a CR of a CRLF line ending belongs to no column.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from linter import regex_store

BlockKind = Literal[
    "heading",  # Markdown/HTML heading, or a plain-text title/category line
    "question",  # a numbered line ending in "?" in Q&A pages; a heading for every purpose
    "paragraph",
    "list_item",
    "quote",
    "table_cell",
]

HEADING_KINDS: frozenset[str] = frozenset({"heading", "question"})


class Position(NamedTuple):
    """A 1-based line and column (code points)."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Piece:
    """One run of prose taken from the source.

    When prose and source lengths are equal the run maps character for character
    (verbatim text, or a one-character line break read as a space); otherwise (an entity
    such as ``&amp;``, a backslash escape, a CRLF break) every prose character of the run
    maps to the whole source range.
    """

    prose_start: int
    prose_length: int
    source_start: int
    source_length: int

    @property
    def verbatim(self) -> bool:
        return self.prose_length == self.source_length


class Prose:
    """Text built from pieces of the source, with an offset map back into it."""

    __slots__ = ("_starts", "pieces", "text")

    def __init__(self, text: str, pieces: list[Piece]) -> None:
        self.text = text
        self.pieces = pieces
        self._starts = [piece.prose_start for piece in pieces]

    def source_offset(self, index: int) -> int:
        """Source offset of prose character ``index`` (start of its source range)."""
        piece = self._piece_at(index)
        if piece.verbatim:
            return piece.source_start + (index - piece.prose_start)
        return piece.source_start

    def source_end(self, end: int) -> int:
        """Source offset one past the prose character ``end - 1`` (for span ends)."""
        if end <= 0:
            return self.source_offset(0)
        piece = self._piece_at(end - 1)
        if piece.verbatim:
            return piece.source_start + (end - piece.prose_start)
        return piece.source_start + piece.source_length

    def _piece_at(self, index: int) -> Piece:
        if not self.pieces:
            raise IndexError("empty prose has no source offsets")
        position = bisect.bisect_right(self._starts, index) - 1
        return self.pieces[max(position, 0)]


@dataclass(slots=True)
class Block:
    """A heading, paragraph, list item, quote line or table cell, in source order."""

    kind: BlockKind
    prose: Prose
    start_line: int
    end_line: int
    section: int  # index of the heading/question block this block falls under, or -1
    in_quote: bool = False

    @property
    def is_heading(self) -> bool:
        return self.kind in HEADING_KINDS


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: the slice ``start:end`` of one block's prose."""

    block_index: int
    block: Block
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.block.prose.text[self.start : self.end]

    def source_range(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of the sentence-relative character range ``start:end``."""
        prose = self.block.prose
        return prose.source_offset(self.start + start), prose.source_end(self.start + end)


@dataclass(frozen=True, slots=True)
class Link:
    """A link, autolink, bare URL or footnote reference: evidence, never prose."""

    target: str
    text: str
    source_offset: int
    block_index: int  # the block it sits in, or -1


@dataclass(frozen=True, slots=True)
class Comment:
    """An HTML comment or plain-text ``#`` directive line (for suppressions)."""

    text: str
    line: int  # 1-based line of the comment's start
    end_line: int
    own_line: bool  # nothing but whitespace shares its lines


@dataclass(slots=True)
class Document:
    path: str
    format: str  # "markdown" | "text" | "html"
    source: str  # decoded text, BOM removed, newlines as in the file
    blocks: list[Block] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)  # label -> definition text
    comments: list[Comment] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # front matter
    title: str | None = None
    subject: str | None = None
    line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.line_starts:
            self.line_starts = compute_line_starts(self.source)

    def position(self, offset: int) -> Position:
        """1-based line and column of a source offset."""
        line_index = bisect.bisect_right(self.line_starts, offset) - 1
        return Position(line_index + 1, offset - self.line_starts[line_index] + 1)

    def line_text(self, line: int) -> str:
        """The source line ``line`` (1-based), without its line ending."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.source)
        return self.source[start:end].rstrip("\r\n")

    def sentences_in_section(self, section: int) -> list[Sentence]:
        return [s for s in self.sentences if s.block.section == section]


def compute_line_starts(source: str) -> list[int]:
    """Offsets where each line starts. A line ends at LF, CRLF or a lone CR."""
    starts = [0]
    starts.extend(match.end() for match in _LINE_END.finditer(source))
    return starts


_LINE_END = regex_store.compiled(r"\r\n|\r|\n")
