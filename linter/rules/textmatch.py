"""Phrase lists compiled into one case-insensitive, whole-word regular expression.

Phrases are our own or a user's literal text, escaped, so the standard ``re`` engine is
safe here: an alternation of literals cannot backtrack catastrophically. User-written
regular expressions go through :mod:`linter.rules.safe_regex` instead.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from linter import regex_store

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


class LazyRegex:
    """A regex compiled the first time it is used.

    Python's regex compiler is slow on lexicon tries (the unsourced-certainty rule's 16
    patterns took ~0.1 s), and a one-file pre-commit run often needs only a few of them: the
    rest wait behind prescans and trigger words that the page never meets.
    """

    __slots__ = ("_compiled", "flags", "source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = regex_store.compiled(self.source, self.flags)
        return self._compiled

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(text, pos, endpos)


@lru_cache(maxsize=256)
def compile_phrases(phrases: tuple[str, ...], anchored_start: bool = False) -> re.Pattern[str] | None:
    """One regex matching any phrase (longest first), or ``None`` for an empty list (see :func:`phrases_source`)."""
    source = phrases_source(phrases, anchored_start)
    return None if source is None else regex_store.compiled(source, re.IGNORECASE)


def lazy_phrases(phrases: tuple[str, ...]) -> LazyRegex | None:
    """:func:`compile_phrases`, compiled on first use."""
    source = phrases_source(phrases)
    return None if source is None else LazyRegex(source, re.IGNORECASE)


def phrases_source(phrases: tuple[str, ...], anchored_start: bool = False) -> str | None:
    """The source of one regex matching any phrase (longest first), or ``None`` for an empty list.

    Phrases are compiled as a word trie: phrases sharing a first word share one branch, and
    the phrases that start with a word character share one word-start check. Python's re
    tries every alternative at every position, so this is many times faster on long
    lexicons than a plain alternation, with the same matches (tests/test_textmatch.py).
    """
    tree: dict[str, dict[str, Any]] = {}
    for phrase in phrases:
        words = phrase.lower().split()
        if not words:
            continue
        node = tree
        for word in words:
            node = node.setdefault(word, {})
        node[""] = {}
    if not tree:
        return None
    at_word = {w: tree[w] for w in tree if _starts_with_word_character(w)}
    elsewhere = {w: tree[w] for w in tree if w not in at_word}
    branches = [rf"{_WORD_START}(?=\w)(?:{_trie_source(at_word)})"] if at_word else []
    if elsewhere:
        branches.append(_trie_source(elsewhere))
    prefix = r"^[\s\"'“‘(]*" if anchored_start else ""
    return f"{prefix}(?P<match>{'|'.join(branches)})"


def _trie_source(node: dict[str, Any]) -> str:
    """Regex source for a trie level: longer continuations before the phrase that ends here."""
    branches: list[str] = []
    for word in sorted(node, key=lambda w: (-len(w), w)):
        if not word:
            continue
        child = node[word]
        escaped = "".join(f"[{_APOSTROPHES}]" if char in _APOSTROPHES else re.escape(char) for char in word)
        end = r"(?!\w)" if word[-1].isalnum() or word[-1] == "_" else ""
        longer = [key for key in child if key]
        if longer and "" in child:
            branches.append(rf"{escaped}(?:\s+(?:{_trie_source(child)})|{end})")
        elif longer:
            branches.append(rf"{escaped}\s+(?:{_trie_source(child)})")
        else:
            branches.append(f"{escaped}{end}")
    return "|".join(branches)


def find_phrases(pattern: re.Pattern[str] | None, text: str) -> Iterable[tuple[int, int]]:
    """``(start, end)`` of every non-overlapping phrase match in ``text``."""
    if pattern is None:
        return
    for match in pattern.finditer(text):
        yield match.start("match"), match.end("match")
