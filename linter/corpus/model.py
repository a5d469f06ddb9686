"""Plain data shared by extraction, the index and the corpus rules."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from typing import Protocol

from linter.suppress import Directive


@dataclass(frozen=True, slots=True)
class Mention:
    """A named entity in a unit: which subject it names, and where."""

    subject: str
    kind: str  # state | capital | demonym | program | postal | entity
    text: str
    start: int  # offsets in the unit's text
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    def __reduce__(self) -> tuple[type[Mention], tuple[object, ...]]:
        """Pickle as constructor arguments (see :meth:`Unit.__reduce__`)."""
        return (Mention, _MENTION_FIELDS(self))


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence that is long enough to compare, with its masked fingerprints."""

    index: int
    text: str
    line: int
    column: int
    end_line: int
    end_column: int
    tokens: int  # masked tokens
    content: int  # tokens that are not slots
    t1: int  # hash of the masked token string (names, numbers, citations → slots)
    t2: int  # hash of the proper-noun skeleton (every capitalised run → one slot)
    mentions: tuple[Mention, ...] = ()
    doubled: tuple[tuple[Mention, Mention], ...] = ()  # "the Texas government in Texas"

    def __reduce__(self) -> tuple[type[Unit], tuple[object, ...]]:
        """Pickle as constructor arguments. A lint worker sends every page's units to the
        process that stores them, and the default for a frozen dataclass with slots
        (dataclasses' Python-level __getstate__/__setstate__) cost that process, the one a
        cold run waits on, 2.3 s of loading at 1,000 pages."""
        return (Unit, _UNIT_FIELDS(self))


# Each class's fields in constructor order, read in one C call (for __reduce__).
_MENTION_FIELDS = operator.attrgetter(*(f.name for f in fields(Mention)))
_UNIT_FIELDS = operator.attrgetter(*(f.name for f in fields(Unit)))


@dataclass
class DocumentRecord:
    """What the corpus keeps of one document (built in a worker, stored in the index)."""

    path: str  # as given (display)
    key: str  # absolute, normalised path: the index key
    content_hash: str
    size: int
    mtime_ns: int
    subject: str
    subject_source: str  # front matter | title | file name | mentions
    multi_subject: bool
    units: list[Unit]
    winnow: list[tuple[int, int, int]]  # (fingerprint, unit index, token index)
    directives: list[Directive] = field(default_factory=list)  # run files only, not stored
    line_texts: dict[int, str] = field(default_factory=dict)  # run files only, not stored


@dataclass(frozen=True, slots=True)
class CorpusDocument:
    """A document as a corpus rule sees it: stored units, no source text."""

    file_id: int
    path: str
    subject: str
    subject_source: str
    multi_subject: bool
    units: tuple[Unit, ...]


@dataclass(frozen=True, slots=True)
class OtherUnit:
    """A unit in another document that shares text with one of ours."""

    path: str
    subject: str
    line: int
    column: int
    end_line: int
    end_column: int
    score: float  # 1.0 for an exact match, else the share of tokens covered
    multi_subject: bool = False  # the other page is about several subjects


@dataclass(frozen=True, slots=True)
class UnitMatch:
    """How one of our units is shared with documents about other subjects."""

    unit_index: int
    how: str  # "exact" | "proper-nouns" | "near" | "span" (a long shared run of words)
    other_subjects: int  # how many distinct other subjects share it
    others: tuple[OtherUnit, ...]  # the best locations, best first (at most max_related)


class CorpusView(Protocol):
    """What a corpus rule may ask of the corpus index."""

    @property
    def documents(self) -> int:
        """Documents in the corpus of this run."""
        ...

    def matches(self, document: CorpusDocument) -> dict[int, UnitMatch]:
        """Our units shared with documents about other subjects, by unit index."""
        ...

    def on_pages_about(self, document: CorpusDocument, unit_index: int, subject: str) -> tuple[OtherUnit, ...]:
        """Where pages about ``subject`` (and no other) hold the same sentence as our unit ``unit_index``."""
        ...
