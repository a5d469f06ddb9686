"""Prescans: which sentences of a page can hold a match of some phrases, in one RE2 pass.

Most sentences hold none of a lexicon's phrases, yet running a phrase regex costs the same
whether it matches or not (Python's re tries every position). A prescan answers "which of
these sentences can hold a match?" for a whole page with RE2's automaton, so the exact
Python pattern only runs on the few sentences that can. The prescan pattern is a *loose*
form of the phrases: it matches wherever the exact pattern (:mod:`linter.rules.textmatch`)
matches, and sometimes elsewhere, so skipping a sentence it rejects never loses a finding.

``google-re2`` (already the engine for user-written patterns) is imported lazily.
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

_APOSTROPHES = "'’‘"  # as in linter.rules.textmatch: either apostrophe matches either

# Characters Python's re matches to an ASCII letter under IGNORECASE although RE2 does not fold
# them the same way (and RE2's \b counts them as non-word characters): a text holding one skips
# the prescan, every sentence is a candidate.
_FOLDS_TO_ASCII = "\u017f\u212a\u0130\u0131"
# Every character Python's \s matches in a str (str.isspace), in RE2 syntax.
SPACE_CHARACTERS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACES = "".join(f"\\x{{{ord(char):x}}}" for char in SPACE_CHARACTERS)
_LOOSE_SPACE = f"[{_SPACES}]+"
_LOOSE_APOSTROPHE = "['\\x{2019}\\x{2018}]"
_LOOSE_ANY_WORD = f"[^\\x00{_SPACES}]+"
_LOOSE_NOT_NUL = "[^\\x00]"
# The separator between the texts of one prescan: no loose pattern matches it.
_SEPARATOR = "\x00"


def _is_ascii_word_character(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def loose_phrase_pattern(phrase: str) -> str | None:
    """RE2 source (case-insensitive) matching wherever :func:`phrase_pattern` (or the
    :func:`compile_phrases` branch) of ``phrase`` matches, in a text without the characters
    of ``_FOLDS_TO_ASCII``; None for an empty phrase.

    Words are joined by runs of whitespace, apostrophes are either kind, and a word boundary
    (RE2's ``\\b``, ASCII) stands where the exact pattern checks one next to an ASCII word
    character. Other non-ASCII characters match any character but NUL (RE2 and Python may
    fold their case differently); a word with a character that lowering lengthens ("İ")
    matches any run of non-space characters.
    """
    words = phrase.split()
    if not words:
        return None
    parts: list[str] = []
    for word in words:
        if any(len(char.lower()) != 1 for char in word):
            parts.append(_LOOSE_ANY_WORD)
        else:
            parts.append("".join(_loose_character(char) for char in word))
    start = r"\b" if parts[0] != _LOOSE_ANY_WORD and _is_ascii_word_character(words[0][0]) else ""
    end = r"\b" if parts[-1] != _LOOSE_ANY_WORD and _is_ascii_word_character(words[-1][-1]) else ""
    return start + _LOOSE_SPACE.join(parts) + end


def _loose_character(char: str) -> str:
    if char in _APOSTROPHES:
        return _LOOSE_APOSTROPHE
    if not char.isascii():
        return _LOOSE_NOT_NUL
    return char if char.isalnum() else f"\\x{ord(char):02x}"


class PrescanTexts:
    """A batch of texts (a page's sentences) prepared once for any number of prescans."""

    __slots__ = ("count", "data", "starts", "unfolded")

    def __init__(self, texts: Sequence[str]) -> None:
        self.count = len(texts)
        joined = _SEPARATOR.join(texts)
        # A text with a character RE2 folds differently makes every text a candidate.
        self.unfolded = not any(char in joined for char in _FOLDS_TO_ASCII)  # (str.find beats a regex class)
        # Searched as UTF-8 bytes: RE2's str interface would encode the whole page at every call.
        self.data = joined.encode("utf-8", "surrogatepass")
        self.starts: list[int] = []  # byte offset of each text in ``data``
        offset = 0
        for text in texts:
            self.starts.append(offset)
            offset += len(text.encode("utf-8", "surrogatepass")) + 1


class Prescan:
    """Which texts of a batch can hold a match of some phrase patterns.

    ``candidates(texts)`` is a superset of the indices of the texts where the exact pattern
    matches, found by RE2 in the texts joined by NUL (no loose pattern matches a NUL, so no
    match spans two texts), one search per candidate text.
    """

    def __init__(self, sources: Iterable[str]) -> None:
        import re2  # lazily: only runs with a prescanned rule load it

        options = re2.Options()
        options.case_sensitive = False
        options.max_mem = 64 << 20
        options.log_errors = False
        alternatives = sorted(set(sources), key=lambda s: (-len(s), s))
        self._regex: Any = None
        # A lexicon too large for RE2's memory budget gets no prescan: every text counts.
        with contextlib.suppress(re2.error):
            self._regex = re2.compile("|".join(f"(?:{s})" for s in alternatives), options)

    def candidates(self, texts: PrescanTexts) -> set[int]:
        if self._regex is None or not texts.unfolded:
            return set(range(texts.count))
        starts = texts.starts
        found: set[int] = set()
        position = 0
        while (match := self._regex.search(texts.data, position)) is not None:
            index = bisect.bisect_right(starts, match.start()) - 1
            found.add(index)
            if index + 1 == len(starts):
                break
            position = starts[index + 1]  # the rest of this text cannot add anything
        return found


@lru_cache(maxsize=256)
def compile_prescan(phrases: tuple[str, ...]) -> Prescan | None:
    """The prescan for a phrase list, or None when it is empty (nothing can match).

    Each phrase is cut to its first ``PREFIX_WORDS`` words (any match holds them, followed
    by whitespace): a lexicon of 859 spelled-out variants ("as of my {last|latest|…}
    {update|data|…}") then compiles to a few dozen prefixes in a millisecond instead of
    65 ms, which every process (and every worker) pays once.
    """
    prefixes = {" ".join(phrase.split()[:PREFIX_WORDS]) for phrase in phrases}
    sources = [source for prefix in sorted(prefixes) if (source := loose_phrase_pattern(prefix)) is not None]
    return Prescan(sources) if sources else None


PREFIX_WORDS = 3
