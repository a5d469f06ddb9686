"""Sentence splitting: syntok finds the boundaries, then domain rules undo the wrong ones.

syntok handles general English abbreviations, decimals, ellipses and quotes. Legal
citations and this domain's abbreviations ("Ark. Code Ann. § 20-76-201", "Pub. L.
104-193", "8 U.S.C. § 1373", "e.g.", "No. 12") still fool it, so a boundary is removed when
the sentence before it ends in a listed abbreviation, or the text after it starts the way
no sentence starts (a lowercase word, a digit, a section sign).

syntok is a pure-Python state machine and runs at about 1 MB/s, so it only sees the text
that needs it (about 3% of a typical page):
1. Most boundaries in prose are unambiguous: a word that is no abbreviation, a full stop,
   question or exclamation mark, a space, then a capital letter, outside brackets. syntok
   always splits there (see ``_GAP``), so the text is cut there first.
2. A piece between two such cuts is one sentence, without syntok, when every other place
   syntok could split inside it is one the domain rules would undo anyway (the next
   character continues a sentence, or the word before is a known abbreviation or an
   initial: see ``_every_boundary_is_undone``).
3. The rest (terminals inside brackets, blank lines, "?" or ";" mid-piece) goes to syntok.
The result is the same as running syntok over the whole text and undoing boundaries
(tests/test_segment_fast_path.py checks this on a generated corpus and fuzzed punctuation).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from syntok import segmenter

from linter import regex_store

_BOUNDARY_CANDIDATE = regex_store.compiled(r"[.!?…][\"'”’)\]]*\s")
_LAST_WORD = regex_store.compiled(r"(\S+)\.[\"'”’)\]]*$")
_CONTINUATION_START = regex_store.compiled(r"[a-z0-9§¶(\[]")
_INITIAL = regex_store.compiled(r"^[A-Z]$")

# A boundary syntok always takes: a word of two or more letters or digits (not an
# abbreviation or a roman numeral, checked in code), maybe a closing parenthesis, one
# terminal, whitespace, then a capital letter. Found in two steps, because a pattern that
# starts with a look-behind is slow in re: the terminal and the gap (_GAP) first, then the
# word before it (_WORD_BEFORE, searched in a short window) and the word after it.
_GAP = regex_store.compiled(r"[.!?]\s+(?=[A-Z])")
_WORD_BEFORE = regex_store.compiled(r"(?:(?<=[\s(\[“\"'])|^)([A-Za-z]{2,}|[0-9]{2,})\)?\Z")
_WORD_AFTER = regex_store.compiled(r"[A-Z]\w*")
_WINDOW = 48
# "5. Are there ...": syntok never splits after a single letter or digit that opens a sentence.
_ENUMERATION = regex_store.compiled(r"\s*[0-9A-Za-z]\.\s+(?=[0-9A-Za-z])")
_OPENING = frozenset(segmenter.State.opening_brackets)
_CLOSING = frozenset(segmenter.State.closing_brackets)
_TERMINALS = frozenset(c for t in segmenter.State.terminals for c in t) | {"…"}
# Where syntok may end a sentence inside a piece: after a cluster of its terminals (";" is
# one) and the closing brackets or quotes that follow; also after bracketed text (below)
# and at blank lines (paragraph breaks).
_CLOSING_QUOTES = frozenset(segmenter.State.closing_quotes)
_TERMINAL_CLUSTER = regex_store.compiled(
    f"[{re.escape(''.join(sorted(_TERMINALS)))}]+[{re.escape(''.join(sorted(_CLOSING | _CLOSING_QUOTES)))}]*"
)
_PARAGRAPH_BREAK = regex_store.compiled(r"\n\s*\n")
# syntok skips bracketed text, then may split after it unless a lowercase word or inner
# punctuation follows ("(ICE) is", "(SNAP), TANF"); a terminal right after the bracket that
# ends the piece is fine.
_BRACKET_THEN_SPLITTABLE = regex_store.compiled(f"[{re.escape(''.join(sorted(_CLOSING)))}]\\s*(?![a-z,;:]|[.!?]?$)")
_BRACKETS = regex_store.compiled(f"[{re.escape(''.join(sorted(_OPENING | _CLOSING)))}]")
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
        ranges.extend(_piece_sentences(text, piece_start, cut_end, known))
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
    for gap in _GAP.finditer(text):
        terminal = gap.start()
        before = _WORD_BEFORE.search(text, max(0, terminal - _WINDOW), terminal)
        if before is None:  # (a longer "word" than the window is left to syntok too)
            continue
        while bracket is not None and bracket.start() < before.start():
            depth += 1 if bracket.group() in _OPENING else -1
            bracket = next(brackets, None)
        word = before.group(1)
        if depth != 0 or word in _SYNTOK_ABBREVIATIONS or word in known or word in _ROMAN_NUMERALS:
            continue
        if word[0].isdigit():  # "2021. Jan 5" stays together
            after = _WORD_AFTER.match(text, gap.end())
            if after is not None and after.group() in _MONTHS:
                continue
        cuts.append((terminal + 1, gap.end()))
    return cuts


def _piece_sentences(text: str, start: int, end: int, known: set[str] | frozenset[str]) -> list[tuple[int, int]]:
    piece = text[start:end]
    body = piece.rstrip()
    if not body.strip():
        return []
    enumeration = _ENUMERATION.match(body)
    check_from = enumeration.end() if enumeration is not None else 0
    if (
        _BRACKET_THEN_SPLITTABLE.search(body) is None
        and not _opens_with_bracket(body)
        and _PARAGRAPH_BREAK.search(body) is None
        and _every_boundary_is_undone(body, check_from, known)
    ):
        lead = len(piece) - len(piece.lstrip())
        return [(start + lead, start + len(body))]
    return syntok_sentences(text, start, end)


def _every_boundary_is_undone(body: str, check_from: int, known: set[str] | frozenset[str]) -> bool:
    """True when any boundary syntok could put inside ``body`` is one ``_continues`` removes.

    syntok only ends a sentence after a cluster of terminals (and closing brackets or
    quotes). If after every such cluster but the last the text goes on the way no sentence
    starts, or the word before it is a known abbreviation or an initial ("Ark. Code Ann. §",
    "U.S.C.", "e.g. SNAP"), the whole piece is one sentence whatever syntok decides.
    """
    has_brackets = _BRACKETS.search(body) is not None
    for cluster in _TERMINAL_CLUSTER.finditer(body, check_from):
        if has_brackets and _inside_brackets(body, cluster.start()):
            return False  # syntok treats bracketed text with a terminal in it as its own sentence
        if cluster.end() == len(body):
            break
        next_start = cluster.end()
        while body[next_start].isspace():
            next_start += 1
        if _CONTINUATION_START.match(body, next_start):
            continue
        run_start = cluster.start()
        while run_start > 0 and not body[run_start - 1].isspace():
            run_start -= 1
        last_word = _LAST_WORD.search(body, run_start, cluster.end())
        if last_word is None:
            return False
        word = last_word.group(1).lstrip("(\"'“‘[")
        if word not in known and _INITIAL.match(word) is None:
            return False
    return True


def _inside_brackets(body: str, position: int) -> bool:
    depth = 0
    for bracket in _BRACKETS.finditer(body, 0, position):
        depth += 1 if bracket.group() in _OPENING else -1
    return depth > 0


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
