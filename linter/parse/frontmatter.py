"""YAML front matter: a leading ``---`` … ``---`` (or ``...``) block."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from linter import regex_store

# The C loader is several times faster; fall back when PyYAML was built without libyaml.
_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_OPENING = regex_store.compiled(r"---[ \t]*(?:\r\n|\r|\n)")
_CLOSING = regex_store.compiled(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    data: dict[str, Any]
    end: int  # source offset just past the closing fence's line
    line_count: int  # lines taken by the front matter, fences included
    error: str | None = None


def read_front_matter(source: str) -> FrontMatter | None:
    """Parse leading front matter; ``None`` if the document has none."""
    opening = _OPENING.match(source)
    if opening is None:
        return None
    closing = _CLOSING.search(source, opening.end())
    if closing is None:
        return None
    end = closing.end()
    if source.startswith("\r\n", end):
        end += 2
    elif end < len(source) and source[end] in "\r\n":
        end += 1
    body = source[opening.end() : closing.start()]
    line_count = len(re.findall(r"\r\n|\r|\n", source[:end])) + (0 if end > closing.end() else 1)
    try:
        loaded = yaml.load(body, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        return FrontMatter({}, end, line_count, f"front matter is not valid YAML{where}")
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        return FrontMatter({}, end, line_count, "front matter is not a YAML mapping")
    return FrontMatter({str(key): value for key, value in loaded.items()}, end, line_count)
