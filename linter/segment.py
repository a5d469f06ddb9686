"""Sentence splitting: syntok finds the boundaries, then domain rules undo the wrong ones.

syntok handles general English abbreviations, decimals, ellipses and quotes. Legal
citations and this domain's abbreviations ("Ark. Code Ann. § 20-76-201", "Pub. L.
104-193", "8 U.S.C. § 1373", "e.g.", "No. 12") still fool it, so a boundary is removed when
the sentence before it ends in a listed abbreviation, or the text after it starts the way
no sentence starts (a lowercase word, a digit, a section sign).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from syntok import segmenter

_BOUNDARY_CANDIDATE = re.compile(r"[.!?…][\"'”’)\]]*\s")
_LAST_WORD = re.compile(r"(\S+)\.[\"'”’)\]]*$")
_CONTINUATION_START = re.compile(r"[a-z0-9§¶(\[]")
_INITIAL = re.compile(r"^[A-Z]$")


def split_sentences(text: str, abbreviations: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Return ``(start, end)`` ranges of the sentences in ``text``, whitespace trimmed."""
    stripped = text.strip()
    if not stripped:
        return []
    if _BOUNDARY_CANDIDATE.search(text) is None:  # one sentence: skip the tokenizer
        start = len(text) - len(text.lstrip())
        return [(start, start + len(stripped))]
    known = abbreviations if isinstance(abbreviations, (set, frozenset)) else set(abbreviations)
    ranges: list[tuple[int, int]] = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            tokens = list(sentence)
            if not tokens:
                continue
            first, last = tokens[0], tokens[-1]
            start, end = first.offset, last.offset + len(last.value)
            if ranges and _continues(text, ranges[-1], start, known):
                ranges[-1] = (ranges[-1][0], end)
            else:
                ranges.append((start, end))
    return ranges


def _continues(text: str, previous: tuple[int, int], start: int, known: set[str] | frozenset[str]) -> bool:
    """True when the boundary between ``previous`` and ``start`` is not a real one."""
    if _CONTINUATION_START.match(text, start):
        return True
    last_word = _LAST_WORD.search(text, previous[0], previous[1])
    if last_word is None:
        return False
    word = last_word.group(1).lstrip("(\"'“‘[")
    return word in known or _INITIAL.match(word) is not None
