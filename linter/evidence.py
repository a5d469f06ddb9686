"""What counts as a source: the evidence detector shared by every rule that asks.

A rule asks :meth:`SourceEvidence.level` whether a sentence has a source in reach. The
answer is ``strong`` (a link, a footnote with a definition, a legal citation, an
author-year or numbered citation backed by a reference list, a named attribution),
``weak`` (something that looks like a citation but is not tied to anything: a ``[3]``
with no reference list, a footnote marker with no definition, or only a document-level
reference list) or ``none``.

How far a source reaches is the *scope*:

- ``sentence``: the sentence itself (a link or URL right after it counts for it);
- ``block``: the paragraph or list item, a list's lead-in paragraph together with the
  items that follow it, or, under a question, the whole answer to that question;
- ``section``: every block under the same heading or question.

The patterns (legal citation forms, bracket and author-year shapes, AI citation
artefacts) are code; the word lists they need (attribution verbs, the words that name
public bodies, document nouns, vague sources, reference-section headings) are lexicons
in rules.yaml, passed in as :class:`EvidenceLexicons`. AI citation artefacts
("contentReference[oaicite:3]", "citeturn0search1", "【3†source】") are never evidence:
they are masked before anything else is looked for.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from linter import regex_store
from linter.document import Block, Document, Sentence
from linter.prescan import Prescan, PrescanTexts, compile_prescan

Strength = Literal["strong", "weak"]
Level = Literal["strong", "weak", "none"]
SCOPES: tuple[str, ...] = ("sentence", "block", "section")

# rules.yaml lexicon names this module reads.
LEXICON_ATTRIBUTION_VERBS = "evidence_attribution_verbs"
LEXICON_SOURCE_BODIES = "evidence_source_bodies"
LEXICON_DOCUMENT_NOUNS = "evidence_document_nouns"
LEXICON_VAGUE_SOURCES = "evidence_vague_sources"
LEXICON_REFERENCE_HEADINGS = "evidence_reference_headings"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One thing that can source a claim, located in the source text."""

    kind: str  # link | footnote | numeric-citation | author-year | legal | attribution
    strength: Strength
    block_index: int
    source_start: int
    source_end: int
    text: str


@dataclass(frozen=True)
class EvidenceLexicons:
    """The word lists the detector needs (all case-insensitive)."""

    attribution_verbs: tuple[str, ...] = ()  # said, reported, found …
    source_bodies: tuple[str, ...] = ()  # department, agency, audit division … (words naming a body)
    document_nouns: tuple[str, ...] = ()  # report, audit, memo …
    vague_sources: tuple[str, ...] = ()  # experts, studies, advocates … (never a source)
    reference_headings: tuple[str, ...] = ()  # references, sources, notes …

    @classmethod
    def from_lexicons(cls, lexicons: Mapping[str, tuple[str, ...]]) -> EvidenceLexicons:
        return cls(
            attribution_verbs=tuple(lexicons.get(LEXICON_ATTRIBUTION_VERBS, ())),
            source_bodies=tuple(lexicons.get(LEXICON_SOURCE_BODIES, ())),
            document_nouns=tuple(lexicons.get(LEXICON_DOCUMENT_NOUNS, ())),
            vague_sources=tuple(lexicons.get(LEXICON_VAGUE_SOURCES, ())),
            reference_headings=tuple(lexicons.get(LEXICON_REFERENCE_HEADINGS, ())),
        )


# --------------------------------------------------------------------------- patterns (code)

# Chat-assistant citation residue: looks like a citation, never is one.
AI_ARTEFACT = regex_store.compiled(
    r":?contentReference\[oaicite:\d+\](?:\{index=\d+\})?"
    r"|\[?oaicite:\d+\]?"
    r"|\[?oai_citation:\d+[^\]\s]*\]?"
    r"|\b(?:cite|file|nav)?turn\d+(?:search|news|image|file|view|fetch)\d+\b"
    r"|\bcite(?:turn\d+\w*?\d+)+"
    r"|【[^】]{0,80}】"
)

_SECTION_NUMBER = r"\d[\w.\-–:]*(?:\([\w]{1,4}\))*"
LEGAL_CITATION = regex_store.compiled(
    r"§§?\s?"
    + _SECTION_NUMBER  # Ark. Code Ann. § 20-76-201, 8 U.S.C. § 1373, Tex. Hum. Res. Code § 12.003
    + r"|\b\d+\s+(?:U\.\s?S\.\s?C\.?(?:\s?A\.?)?|C\.\s?F\.\s?R\.?)\s+(?:[Ss]ec(?:tion|s?\.)\s*)?"
    + _SECTION_NUMBER
    + r"|\bPub(?:lic|\.)?\s?L(?:aw|\.)?\s?(?:No\.\s?)?\d{2,3}[-–]\d{1,4}\b"  # Pub. L. 104-193, Public Law 104-193
    + r"|\b\d+\s+Stat\.\s+\d+\b"
    + r"|\b(?:RCW|WAC|ORS|ILCS|MCL|NRS|ARS|A\.R\.S\.|KRS|CRS|C\.R\.S\.|HRS|RSA|NMSA|OCGA|O\.C\.G\.A\.)"
    + r"\s?\d[\d.\-–:/]*\d"
    + r"|\bExecutive\s+Order\s+(?:No\.\s?)?\d+(?:[-–]\d+)?\b|\bE\.\s?O\.\s?\d+(?:[-–]\d+)?\b"
    + r"|\b\d+\s+(?:U\.S\.|S\.\s?Ct\.|F\.(?:\s?Supp\.)?(?:\s?[234]d)?|L\.\s?Ed\.(?:\s?2d)?)\s+\d+\b"
    + r"|\b(?:House|Senate|Assembly)\s+Bill\s+(?:No\.\s?)?\d+\b|\b[HS]\.\s?B\.\s?\d+\b|\b[HS]B\s?\d+\b"
    + r"|\bAct\s+(?:No\.\s?)?\d+\s+of\s+(?:19|20)\d{2}\b"
)
_DIGIT = regex_store.compiled(r"\d")
# Inline HTML in Markdown: markdown-it leaves the tags out of the prose, so look at the source.
HTML_SOURCE_TAG = regex_store.compiled(
    r"<a\s[^>]*?\bhref\s*=\s*[\"']?(?P<href>[^\"'\s>]+)|<cite\b|<sup\s[^>]*\bclass\s*=\s*[\"'][^\"']*\breference",
    re.IGNORECASE,
)
NUMERIC_CITATION = regex_store.compiled(r"\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\](?![(:])")
FOOTNOTE_MARKER = regex_store.compiled(r"\[\^([^\]\s]+)\](?!:)")
AUTHOR_YEAR = regex_store.compiled(
    r"\((?:see\s+|e\.g\.,?\s+|cf\.\s+)?[A-Z][a-z][\w'’-]*(?:\s+(?:et\s+al\.|and|&)\s*(?:[A-Z][\w'’-]*)?)?,?\s+"
    r"(?:19|20)\d{2}[a-z]?(?:,\s+pp?\.\s?\d+(?:[–-]\d+)?)?(?:;[^)]{1,80})?\)"
    r"|\b[A-Z][a-z][\w'’-]*(?:\s+et\s+al\.)?\s+\((?:19|20)\d{2}[a-z]?\)"
)
# A run of capitalised words, with the small words that join names ("Department of Human Services").
_PROPER_RUN = r"(?:[A-Z][\w’'.&-]*)(?:\s+(?:(?:of|for|and|on|the|&|de|del)\s+)*[A-Z][\w’'.&-]*)*"
_LOWER_WORD = r"[\w’'-]+"
_PER_WORDS = ("per", "data from", "figures from", "statistics from")
_YEAR = r"(?:19|20)\d{2}"


def alternation(words: tuple[str, ...], empty: str = r"(?!x)x") -> str:
    """A regex alternation of ``words`` (spaces match any run of spaces), longest first so the
    longest phrase wins; ``empty`` (by default: matches nothing) when no word is left.

    The order is fixed (length, then text): a set's order changes with the hash seed, and the
    same lexicon must give the same pattern text in every process (:mod:`linter.regex_store`).
    """
    cleaned = sorted({w.strip() for w in words if w.strip()}, key=lambda w: (-len(w), w))
    if not cleaned:
        return empty
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in cleaned)


@dataclass(frozen=True)
class _Patterns:
    according_to: re.Pattern[str]
    named_then_verb: re.Pattern[str]
    verb_then_named: re.Pattern[str]
    dated_document: re.Pattern[str]
    document_by_named: re.Pattern[str]
    named_possessive_document: re.Pattern[str]
    per_named: re.Pattern[str]
    # Necessary conditions, found for a whole page at once (linter.prescan):
    # each attribution shape needs its words in the sentence ("according to", an attribution
    # verb, a document noun, "per"/"data from"), and the shapes run at about 8 MB/s.
    according_cue: Prescan | None
    verb_cue: Prescan | None
    document_cue: Prescan | None
    per_cue: Prescan | None
    source_bodies: frozenset[str]
    vague_sources: frozenset[str]
    reference_heading: re.Pattern[str] | None


@lru_cache(maxsize=16)
def _patterns(lexicons: EvidenceLexicons) -> _Patterns:
    verbs = "(?i:" + alternation(lexicons.attribution_verbs) + ")"
    documents = alternation(lexicons.document_nouns)
    headings = alternation(lexicons.reference_headings)
    return _Patterns(
        according_to=regex_store.compiled(r"\b(?i:according\s+to)\s+(?P<who>[^,;:()]{1,120})"),
        named_then_verb=regex_store.compiled(
            rf"(?P<who>{_PROPER_RUN})(?:\s*\([A-Z]{{2,}}\))?,?\s+(?:\w+ly\s+)?(?:{verbs})\b"
        ),
        verb_then_named=regex_store.compiled(rf"\b(?:{verbs})\s+(?:by\s+)?(?:the\s+)?(?P<who>{_PROPER_RUN})"),
        dated_document=regex_store.compiled(
            rf"\b(?i:in|from|under)\s+(?i:its|their|his|her|the|a|an)\s+(?:{_LOWER_WORD}\s+){{0,3}}?{_YEAR}"
            rf"\s+(?:{_LOWER_WORD}\s+){{0,2}}?(?i:{documents})\b"
        ),
        document_by_named=regex_store.compiled(
            rf"\b(?i:{documents})\s+(?:by|from|of)\s+(?:the\s+)?(?P<who>{_PROPER_RUN})"
        ),
        named_possessive_document=regex_store.compiled(
            rf"(?P<who>{_PROPER_RUN})[’']s\s+(?:{_YEAR}\s+)?(?:{_LOWER_WORD}\s+){{0,2}}?(?i:{documents})\b"
        ),
        per_named=regex_store.compiled(  # its first words are _PER_WORDS
            rf"\b(?:per|data\s+from|figures\s+from|statistics\s+from)\s+(?:the\s+)?(?P<who>{_PROPER_RUN})"
        ),
        according_cue=compile_prescan(("according to",)),
        verb_cue=compile_prescan(lexicons.attribution_verbs),
        document_cue=compile_prescan(lexicons.document_nouns),
        per_cue=compile_prescan(_PER_WORDS),
        source_bodies=frozenset(w.lower() for w in lexicons.source_bodies),
        vague_sources=frozenset(w.lower() for w in lexicons.vague_sources),
        reference_heading=regex_store.compiled(rf"^\W*(?:{headings})\W*$", re.IGNORECASE) if headings else None,
    )


_DROPPED_LEADERS = frozenset({"the", "a", "an", "in", "on", "at", "by", "as", "and", "but", "so", "also", "while"})


def _is_named(who: str, patterns: _Patterns, at_sentence_start: bool) -> bool:
    """True when ``who`` names a body or person rather than a vague crowd."""
    tokens = [t.strip("’'.,") for t in who.split()]
    while tokens and tokens[0].lower() in _DROPPED_LEADERS:
        tokens = tokens[1:]
        at_sentence_start = False
    capitalised = [t for t in tokens if t[:1].isupper()]
    if not capitalised:
        return False
    lowered = [t.lower() for t in tokens]
    if any(t in patterns.source_bodies for t in lowered):
        return True
    if lowered[-1] in patterns.vague_sources or lowered[0] in patterns.vague_sources:
        return len(capitalised) >= 2 and not at_sentence_start  # "Arkansas Advocates for Children …"
    if len(capitalised) >= 2:
        return True
    return not at_sentence_start


def _according_to_named(who: str, patterns: _Patterns, documents: re.Pattern[str]) -> bool:
    words = who.split()
    while words and words[0].lower() in ("the", "a", "an", "its", "their", "his", "her", "this", "that"):
        words = words[1:]
    if not words:
        return False
    first = words[0].strip("’'")
    if first.lower() in patterns.vague_sources:
        return False
    rest = " ".join(words)
    if first[:1].isupper():
        run = re.match(_PROPER_RUN, rest)
        return run is not None and _is_named(run.group(), patterns, at_sentence_start=False)
    return documents.search(rest) is not None


# --------------------------------------------------------------------------- the detector


class SourceEvidence:
    """All evidence in one document, and what reaches a given sentence."""

    def __init__(self, document: Document, lexicons: EvidenceLexicons) -> None:
        self.document = document
        self.lexicons = lexicons
        self._patterns = _patterns(lexicons)
        self.has_reference_list = self._find_reference_list()
        self._by_block: dict[int, list[Evidence]] = {}
        self._sentence_starts: dict[int, list[int]] = {}
        # Sentences whose evidence is not collected yet (with their index in the document),
        # by block: a rule asks about the blocks around its claims only, so most pages never
        # need every sentence scanned.
        self._uncollected: dict[int, list[tuple[int, Sentence]]] = {}
        for position, sentence in enumerate(document.sentences):
            start, _ = sentence.source_range(0, len(sentence.text))
            self._sentence_starts.setdefault(sentence.block_index, []).append(start)
            self._uncollected.setdefault(sentence.block_index, []).append((position, sentence))
        self._attribution_cues: _AttributionCues | None = None
        self._collect_links()
        if document.format == "markdown":
            self._collect_inline_html()
        self._units = _scope_units(document)

    @property
    def by_block(self) -> dict[int, list[Evidence]]:
        """Every evidence item in the document, by block index."""
        for block_index in list(self._uncollected):
            self._collect_block(block_index)
        return self._by_block

    def _in_block(self, block_index: int) -> list[Evidence]:
        self._collect_block(block_index)
        return self._by_block.get(block_index, [])

    def _collect_block(self, block_index: int) -> None:
        for position, sentence in self._uncollected.pop(block_index, ()):
            self._collect_in_sentence(position, sentence)

    # -- questions a rule asks

    def level(self, sentence: Sentence, scope: str = "block") -> Level:
        found = self.in_scope(sentence, scope)
        if any(e.strength == "strong" for e in found):
            return "strong"
        if found or self.has_reference_list or self.document.footnotes:
            return "weak"
        return "none"

    def in_scope(self, sentence: Sentence, scope: str = "block") -> list[Evidence]:
        if scope == "sentence":
            start, _ = sentence.source_range(0, len(sentence.text))
            return [e for e in self._in_block(sentence.block_index) if self._owner(e) == start]
        blocks = self.scope_blocks(sentence.block_index, scope)
        return [e for index in blocks for e in self._in_block(index)]

    def scope_blocks(self, block_index: int, scope: str) -> list[int]:
        """The block indices a source must sit in to cover a claim in ``block_index``."""
        if scope == "section":
            section = self.document.blocks[block_index].section
            return [i for i, b in enumerate(self.document.blocks) if b.section == section or i == section]
        return self._units.get(block_index, [block_index])

    def unit_name(self, block_index: int, scope: str) -> str:
        """How a message should call the scope: answer, paragraph, list item, sentence, section."""
        if scope in ("sentence", "section"):
            return scope
        block = self.document.blocks[block_index]
        if block.section >= 0 and is_question(self.document.blocks[block.section]):
            return "answer"
        return "list item" if block.kind == "list_item" else "paragraph"

    # -- collection

    def _owner(self, evidence: Evidence) -> int:
        """Source start of the sentence an evidence item belongs to (the last one starting before it)."""
        starts = self._sentence_starts.get(evidence.block_index, [])
        if not starts:
            return -1
        position = bisect.bisect_right(starts, evidence.source_start) - 1
        return starts[max(position, 0)]

    def _add(self, evidence: Evidence) -> None:
        self._by_block.setdefault(evidence.block_index, []).append(evidence)

    def _collect_links(self) -> None:
        footnotes = self.document.footnotes
        for link in self.document.links:
            if link.block_index < 0 or AI_ARTEFACT.search(link.text) or "oaicite" in link.target:
                continue
            end = link.source_offset + max(len(link.text), 1)
            if link.target.startswith("#footnote-"):
                strength: Strength = "strong" if link.text in footnotes else "weak"
                self._add(Evidence("footnote", strength, link.block_index, link.source_offset, end, link.text))
            elif link.target.startswith(("#", "mailto:", "tel:", "javascript:")) or not link.target.strip():
                continue
            else:
                self._add(Evidence("link", "strong", link.block_index, link.source_offset, end, link.target))

    def _collect_inline_html(self) -> None:
        line_starts = self.document.line_starts
        source = self.document.source
        for index, block in enumerate(self.document.blocks):
            start = line_starts[block.start_line - 1]
            end = line_starts[block.end_line] if block.end_line < len(line_starts) else len(source)
            if "<" not in source[start:end]:
                continue
            for match in HTML_SOURCE_TAG.finditer(source, start, end):
                href = match.group("href")
                if href is not None and (href.startswith(("#", "mailto:", "tel:", "javascript:")) or "oaicite" in href):
                    continue
                self._add(Evidence("link", "strong", index, match.start(), match.end(), href or match.group()))

    def _collect_in_sentence(self, position: int, sentence: Sentence) -> None:
        text = sentence.text
        masked = False
        if "oai" in text or "turn" in text or "【" in text:  # every AI_ARTEFACT shape has one of these
            text = AI_ARTEFACT.sub(lambda m: " " * len(m.group()), text)
            masked = text != sentence.text
        index = sentence.block_index

        def add(kind: str, strength: Strength, start: int, end: int) -> None:
            source_start, source_end = sentence.source_range(start, end)
            self._add(Evidence(kind, strength, index, source_start, source_end, sentence.text[start:end]))

        if _DIGIT.search(text) is not None:  # every citation shape below has a digit
            for match in LEGAL_CITATION.finditer(text):
                add("legal", "strong", match.start(), match.end())
            for match in AUTHOR_YEAR.finditer(text):
                add("author-year", "strong", match.start(), match.end())
            if "[" in text:
                for match in NUMERIC_CITATION.finditer(text):
                    strength: Strength = "strong" if self.has_reference_list else "weak"
                    add("numeric-citation", strength, match.start(), match.end())
        if self.document.format != "markdown" and "[^" in text:  # markdown footnotes arrive as links
            for match in FOOTNOTE_MARKER.finditer(text):
                defined = match.group(1) in self.document.footnotes or self._defined_in_text(match.group(1))
                add("footnote", "strong" if defined else "weak", match.start(), match.end())
        # The prescan saw the sentence before masking (a masked artefact turns into spaces
        # that may join two words of a shape): a masked sentence is checked for every shape.
        cues = _ALL_ATTRIBUTION_CUES if masked else self._cues_of(position)
        if cues.any:
            for start, end in self._attributions(text, cues):
                add("attribution", "strong", start, end)

    def _cues_of(self, position: int) -> _SentenceCues:
        if self._attribution_cues is None:
            self._attribution_cues = _AttributionCues(self.document, self._patterns)
        return self._attribution_cues.of(position)

    def _defined_in_text(self, label: str) -> bool:
        marker = f"[^{label}]:"
        return any(block.prose.text.lstrip().startswith(marker) for block in self.document.blocks)

    def _attributions(self, text: str, cues: _SentenceCues) -> list[tuple[int, int]]:
        patterns = self._patterns
        found: list[tuple[int, int]] = []
        document_noun = _document_nouns(self.lexicons.document_nouns)
        if cues.according:
            for match in patterns.according_to.finditer(text):
                if _according_to_named(match.group("who"), patterns, document_noun):
                    found.append((match.start(), match.end()))
        has_verb, has_document = cues.verb, cues.document
        if has_verb:
            for match in patterns.named_then_verb.finditer(text):
                at_start = not text[: match.start("who")].strip(" \t\"'“‘(-–—•*")
                if _is_named(match.group("who"), patterns, at_start):
                    found.append((match.start(), match.end()))
        named_after = [patterns.per_named] if cues.per else []
        if has_verb:
            named_after.insert(0, patterns.verb_then_named)
        if has_document:
            named_after.append(patterns.document_by_named)
        for pattern in named_after:
            for match in pattern.finditer(text):
                if _is_named(match.group("who"), patterns, at_sentence_start=False):
                    found.append((match.start(), match.end()))
        if has_document:
            for match in patterns.named_possessive_document.finditer(text):
                if _is_named(match.group("who"), patterns, at_sentence_start=False):
                    found.append((match.start(), match.end()))
            found.extend((m.start(), m.end()) for m in patterns.dated_document.finditer(text))
        merged: list[tuple[int, int]] = []
        for start, end in sorted(found):  # several shapes often match one attribution
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def _find_reference_list(self) -> bool:
        heading = self._patterns.reference_heading
        if heading is None:
            return False
        return any(block.is_heading and heading.match(block.prose.text.strip()) for block in self.document.blocks)


@dataclass(frozen=True, slots=True)
class _SentenceCues:
    """Which attribution shapes a sentence can hold (from the page's prescans)."""

    according: bool
    verb: bool
    document: bool
    per: bool

    @property
    def any(self) -> bool:
        return self.according or self.verb or self.document or self.per


_ALL_ATTRIBUTION_CUES = _SentenceCues(True, True, True, True)
_NO_ATTRIBUTION_CUES = _SentenceCues(False, False, False, False)


class _AttributionCues:
    """The attribution prescans of one page: sentence index → the shapes worth running."""

    def __init__(self, document: Document, patterns: _Patterns) -> None:
        texts = PrescanTexts([sentence.text for sentence in document.sentences])

        def candidates(prescan: Prescan | None) -> set[int]:
            return set() if prescan is None else prescan.candidates(texts)

        self._according = candidates(patterns.according_cue)
        self._verb = candidates(patterns.verb_cue)
        self._document = candidates(patterns.document_cue)
        self._per = candidates(patterns.per_cue)
        self._any = self._according | self._verb | self._document | self._per

    def of(self, position: int) -> _SentenceCues:
        if position not in self._any:
            return _NO_ATTRIBUTION_CUES
        return _SentenceCues(
            position in self._according, position in self._verb, position in self._document, position in self._per
        )


@lru_cache(maxsize=16)
def _document_nouns(nouns: tuple[str, ...]) -> re.Pattern[str]:
    return regex_store.compiled(
        rf"^(?:{_LOWER_WORD}\s+){{0,4}}?(?:{_YEAR}\s+)?(?:{_LOWER_WORD}\s+){{0,2}}?(?:{alternation(nouns)})\b",
        re.IGNORECASE,
    )


# --------------------------------------------------------------------------- scope units


def is_question(block: Block) -> bool:
    """A question block, or a heading phrased as a question ("## Are there safeguards?")."""
    return block.kind == "question" or (block.kind == "heading" and block.prose.text.rstrip().endswith("?"))


def _scope_units(document: Document) -> dict[int, list[int]]:
    """Block index → the blocks of its ``block`` scope unit."""
    blocks = document.blocks
    units: dict[int, list[int]] = {}
    answers: dict[int, list[int]] = {}
    for index, block in enumerate(blocks):
        if block.is_heading:
            continue
        if block.section >= 0 and is_question(blocks[block.section]):
            answers.setdefault(block.section, []).append(index)
    for members in answers.values():
        for index in members:
            units[index] = members
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if index in units or block.kind != "paragraph" or not block.prose.text.rstrip().endswith(":"):
            index += 1
            continue
        run = [index]
        following = index + 1
        while following < len(blocks) and blocks[following].kind == "list_item" and following not in units:
            run.append(following)
            following += 1
        if len(run) > 1:
            for member in run[1:]:
                units[member] = [index, member]
            units[index] = run
        index = following
    return units
