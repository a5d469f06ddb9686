"""Phrase lists compiled into one case-insensitive, whole-word regular expression.

Phrases are our own or a user's literal text, escaped, so the standard ``re`` engine is
safe here: an alternation of literals cannot backtrack catastrophically. User-written
regular expressions go through :mod:`linter.rules.safe_regex` instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_APOSTROPHES = "'’‘"


_WORD_START = r"(?<![\w])"


def phrase_pattern(phrase: str, word_start: bool = True) -> str:
    """Regex source for one phrase: whitespace flexible, apostrophes of either kind.

    ``word_start=False`` leaves out the word-boundary check before a phrase that starts
    with a word character, for a caller that puts one check in front of many phrases.
    """
    parts: list[str] = []
    for word in phrase.split():
        escaped = "".join(f"[{_APOSTROPHES}]" if char in _APOSTROPHES else re.escape(char) for char in word)
        parts.append(escaped)
    body = r"\s+".join(parts)
    start = _WORD_START if word_start and _starts_with_word_character(phrase) else ""
    end = r"(?![\w])" if phrase[-1:].isalnum() or phrase[-1:] == "_" else ""
    return start + body + end


def _starts_with_word_character(phrase: str) -> bool:
    return phrase[:1].isalnum() or phrase[:1] == "_"


@lru_cache(maxsize=256)
def compile_phrases(phrases: tuple[str, ...], anchored_start: bool = False) -> re.Pattern[str] | None:
    """One regex matching any phrase (longest first), or ``None`` for an empty list."""
    cleaned = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    # Python's re tries every alternative at every position, and a look-behind in front of
    # each one hides the possible first characters from it. So the phrases that start with
    # a word character share one word-boundary check and a look-ahead on their first
    # characters: about 7 times faster on prose, same matches (tests/test_textmatch.py).
    at_word = [p for p in cleaned if _starts_with_word_character(p)]
    elsewhere = [p for p in cleaned if not _starts_with_word_character(p)]
    branches: list[str] = []
    if at_word:
        first_characters = "".join(sorted({p[0] for p in at_word}))
        words = "|".join(phrase_pattern(p, word_start=False) for p in at_word)
        branches.append(f"{_WORD_START}(?=[{re.escape(first_characters)}])(?:{words})")
    branches.extend(phrase_pattern(p) for p in elsewhere)
    alternation = "|".join(branches)
    prefix = r"^[\s\"'“‘(]*" if anchored_start else ""
    return re.compile(f"{prefix}(?P<match>{alternation})", re.IGNORECASE)


def find_phrases(pattern: re.Pattern[str] | None, text: str) -> Iterable[tuple[int, int]]:
    """``(start, end)`` of every non-overlapping phrase match in ``text``."""
    if pattern is None:
        return
    for match in pattern.finditer(text):
        yield match.start("match"), match.end("match")
