"""Glob patterns for include/exclude/overrides, matched against relative POSIX paths.

``**`` matches any number of directories, ``*`` and ``?`` stay within one path segment.
A pattern without a slash matches the file name at any depth (``*.txt``, ``drafts``),
like .gitignore.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from linter import regex_store


def _translate(pattern: str) -> str:
    """The regex source of one pattern (matched with fullmatch)."""
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.lstrip("/") if anchored else pattern
    pattern = pattern.rstrip("/")
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            parts.append(".*")
            index += 2
            continue
        if char == "*":
            parts.append("[^/]*")
        elif char == "?":
            parts.append("[^/]")
        elif char == "[":
            closing = pattern.find("]", index + 1)
            if closing == -1:
                parts.append(re.escape(char))
            else:
                parts.append("[" + pattern[index + 1 : closing].replace("!", "^", 1) + "]")
                index = closing + 1
                continue
        else:
            parts.append(re.escape(char))
        index += 1
    body = "".join(parts)
    prefix = "" if anchored else "(?:.*/)?"
    # A pattern naming a directory also matches everything below it.
    return f"{prefix}{body}(?:/.*)?"


@lru_cache(maxsize=256)
def compile_globs(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for a list of patterns (a corpus walk matches every file against it), or None
    for an empty list (nothing matches)."""
    if not patterns:
        return None
    return regex_store.compiled("|".join(f"(?:{_translate(pattern)})" for pattern in patterns))


@lru_cache(maxsize=64)
def compile_selection(
    required: tuple[tuple[str, ...], ...], excluded: tuple[str, ...]
) -> Callable[[str], object] | None:
    """A test for a relative POSIX path that matches some pattern of every list in ``required``
    and none of ``excluded``, as one regex call (a corpus walk makes one per file); None when
    a required list is empty (nothing is selected)."""
    needed = [compile_globs(patterns) for patterns in required]
    if any(regex is None for regex in needed):
        return None
    unwanted = compile_globs(excluded)
    lookaheads = "".join(rf"(?=(?:{regex.pattern})\Z)" for regex in needed if regex is not None)
    unless = "" if unwanted is None else rf"(?!(?:{unwanted.pattern})\Z)"
    return regex_store.compiled(lookaheads + unless).match


def matches(path: str, patterns: Iterable[str]) -> bool:
    """True when the relative POSIX ``path`` matches any of ``patterns``."""
    regex = compile_globs(tuple(patterns))
    return regex is not None and regex.fullmatch(path) is not None
