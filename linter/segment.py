"""Sentence splitting: syntok finds the boundaries, then domain rules undo the wrong ones.

syntok handles general English abbreviations, decimals, ellipses and quotes. Legal
citations and this domain's abbreviations ("Ark. Code Ann. § 20-76-201", "Pub. L.
104-193", "8 U.S.C. § 1373", "e.g.", "No. 12") still fool it, so a boundary is removed when
the sentence before it ends in a listed abbreviation, or the text after it starts the way
no sentence starts (a lowercase word, a digit, a section sign).

syntok is a pure-Python state machine and runs at about 1 MB/s, so it only sees the text
that needs it. Most boundaries in prose are unambiguous: a lowercase word that is no
abbreviation, a full stop, question or exclamation mark, a space, then a capitalised word,
outside brackets. For those syntok always splits (see ``_SURE_BOUNDARY``), so the text is cut
there first; a piece with no other punctuation that could end or join a sentence is one
sentence, and only the remaining pieces go through syntok. The result is the same as
running syntok over the whole text (tests/test_segment.py checks this on a generated corpus).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from syntok import segmenter

_BOUNDARY_CANDIDATE = re.compile(r"[.!?…][\"'”’)\]]*\s")
_LAST_WORD = re.compile(r"(\S+)\.[\"'”’)\]]*$")
_CONTINUATION_START = re.compile(r"[a-z0-9§¶(\[]")
_INITIAL = re.compile(r"^[A-Z]$")

# A boundary syntok always takes: a word of two or more letters or digits (group 1; not an
# abbreviation or a roman numeral, checked in code), maybe a closing parenthesis, one
# terminal, whitespace, then a capital letter (group 2: the word it starts).
_SURE_BOUNDARY = re.compile(r"(?:(?<=[\s(\[“\"'])|^)([A-Za-z]{2,}|[0-9]{2,})\)?[.!?]\s+(?=([A-Z]\w*))")
# "5. Are there ...": syntok never splits after a single letter or digit that opens a sentence.
_ENUMERATION = re.compile(r"\s*[0-9A-Za-z]\.\s+(?=[0-9A-Za-z])")
_OPENING = frozenset(segmenter.State.opening_brackets)
_CLOSING = frozenset(segmenter.State.closing_brackets)
_TERMINALS = frozenset(c for t in segmenter.State.terminals for c in t) | {"…"}
# Anything in a piece (before its last character) that syntok might split or join on: its
# terminals (";" is one), brackets (syntok skips bracketed text and may split after it),
# and blank lines (paragraph breaks). Quotes matter to syntok only after a terminal.
_NEEDS_TOKENIZER = re.compile(f"[{re.escape(''.join(sorted(_TERMINALS)))}]|\\n\\s*\\n")
# syntok skips bracketed text, then may split after it unless a lowercase word or inner
# punctuation follows ("(ICE) is", "(SNAP), TANF"); a terminal right after the bracket that
# ends the piece is fine.
_BRACKET_THEN_SPLITTABLE = re.compile(f"[{re.escape(''.join(sorted(_CLOSING)))}]\\s*(?![a-z,;:]|[.!?]?$)")
_BRACKETS = re.compile(f"[{re.escape(''.join(sorted(_OPENING | _CLOSING)))}]")
# syntok's own list of dotless abbreviations, plus "no" (syntok keeps "No. 5" together).
_SYNTOK_ABBREVIATIONS: frozenset[str] = frozenset(segmenter.State.abbreviations) | {"no", "No", "NO"}
_ROMAN_NUMERALS: frozenset[str] = frozenset(segmenter.State.roman_numerals)
_MONTHS: frozenset[str] = frozenset(segmenter.State.months)


def split_sentences(text: str, abbreviations: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Return ``(start, end)`` ranges of the sentences in ``text``, whitespace trimmed."""
    stripped = text.strip()
    if not stripped:
        return []
    if _BOUNDARY_CANDIDATE.search(text) is None:  # one sentence: skip the tokenizer
        start = len(text) - len(text.lstrip())
        return [(start, start + len(stripped))]
    known = abbreviations if isinstance(abbreviations, (set, frozenset)) else frozenset(abbreviations)
    ranges: list[tuple[int, int]] = []
    for start, end in _raw_sentences(text, known):
        if ranges and _continues(text, ranges[-1], start, known):
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def syntok_sentences(text: str, offset: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence ranges exactly as syntok finds them in ``text[offset:end]`` (no domain rules)."""
    piece = text[offset:end]
    ranges: list[tuple[int, int]] = []
    for paragraph in segmenter.analyze(piece):
        for sentence in paragraph:
            tokens = list(sentence)
            if tokens:
                first, last = tokens[0], tokens[-1]
                ranges.append((offset + first.offset, offset + last.offset + len(last.value)))
    return ranges


def _raw_sentences(text: str, known: set[str] | frozenset[str]) -> list[tuple[int, int]]:
    """syntok's boundaries, with syntok run only on the pieces that need it."""
    cuts = _sure_cuts(text, known)
    if cuts is None:
        return syntok_sentences(text)
    ranges: list[tuple[int, int]] = []
    piece_start = 0
    for cut_end, next_start in [*cuts, (len(text), len(text))]:
        ranges.extend(_piece_sentences(text, piece_start, cut_end))
        piece_start = next_start
    return ranges


def _sure_cuts(text: str, known: set[str] | frozenset[str]) -> list[tuple[int, int]] | None:
    """``(end of sentence, start of next)`` at every sure boundary; None: let syntok do it all."""
    has_brackets = _BRACKETS.search(text) is not None
    if has_brackets and not _balanced(text):
        return None
    cuts: list[tuple[int, int]] = []
    brackets = _BRACKETS.finditer(text) if has_brackets else iter(())
    bracket = next(brackets, None)
    depth = 0
    for match in _SURE_BOUNDARY.finditer(text):
        while bracket is not None and bracket.start() < match.start():
            depth += 1 if bracket.group() in _OPENING else -1
            bracket = next(brackets, None)
        word = match.group(1)
        if depth != 0 or word in _SYNTOK_ABBREVIATIONS or word in known or word in _ROMAN_NUMERALS:
            continue
        if word[0].isdigit() and match.group(2) in _MONTHS:  # "2021. Jan 5" stays together
            continue
        terminal_end = match.end() - len(match.group()) + len(match.group().rstrip())
        cuts.append((terminal_end, match.end()))
    return cuts


def _piece_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    piece = text[start:end]
    body = piece.rstrip()
    if not body.strip():
        return []
    enumeration = _ENUMERATION.match(body)
    check_from = enumeration.end() if enumeration is not None else 0
    if (
        _NEEDS_TOKENIZER.search(body, check_from, len(body) - 1) is None
        and _BRACKET_THEN_SPLITTABLE.search(body) is None
        and not _opens_with_bracket(body)
    ):
        lead = len(piece) - len(piece.lstrip())
        return [(start + lead, start + len(body))]
    return syntok_sentences(text, start, end)


def _opens_with_bracket(body: str) -> bool:
    return body.lstrip()[:1] in _OPENING


def _balanced(text: str) -> bool:
    depth = 0
    for match in _BRACKETS.finditer(text):
        depth += 1 if match.group() in _OPENING else -1
        if depth < 0:
            return False
    return depth == 0


def _continues(text: str, previous: tuple[int, int], start: int, known: set[str] | frozenset[str]) -> bool:
    """True when the boundary between ``previous`` and ``start`` is not a real one."""
    if _CONTINUATION_START.match(text, start):
        return True
    last_word = _LAST_WORD.search(text, previous[0], previous[1])
    if last_word is None:
        return False
    word = last_word.group(1).lstrip("(\"'“‘[")
    return word in known or _INITIAL.match(word) is not None
