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


def phrase_pattern(phrase: str) -> str:
    """Regex source for one phrase: whitespace flexible, apostrophes of either kind."""
    parts: list[str] = []
    for word in phrase.split():
        escaped = "".join(f"[{_APOSTROPHES}]" if char in _APOSTROPHES else re.escape(char) for char in word)
        parts.append(escaped)
    body = r"\s+".join(parts)
    start = r"(?<![\w])" if phrase[:1].isalnum() or phrase[:1] == "_" else ""
    end = r"(?![\w])" if phrase[-1:].isalnum() or phrase[-1:] == "_" else ""
    return start + body + end


@lru_cache(maxsize=256)
def compile_phrases(phrases: tuple[str, ...], anchored_start: bool = False) -> re.Pattern[str] | None:
    """One regex matching any phrase (longest first), or ``None`` for an empty list."""
    cleaned = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternation = "|".join(phrase_pattern(p) for p in cleaned)
    prefix = r"^[\s\"'“‘(]*" if anchored_start else ""
    return re.compile(f"{prefix}(?P<match>{alternation})", re.IGNORECASE)


def find_phrases(pattern: re.Pattern[str] | None, text: str) -> Iterable[tuple[int, int]]:
    """``(start, end)`` of every non-overlapping phrase match in ``text``."""
    if pattern is None:
        return
    for match in pattern.finditer(text):
        yield match.start("match"), match.end("match")
