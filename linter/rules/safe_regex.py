"""User-supplied regular expressions run on RE2: linear time, so no pattern can hang us.

``google-re2`` is imported lazily: a run without pattern rules never loads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Protocol


class CompiledPattern(Protocol):
    def finditer(self, text: str) -> Iterator[Any]: ...


class PatternError(ValueError):
    """The pattern is not a valid RE2 regular expression."""


@lru_cache(maxsize=256)
def compile_user_pattern(pattern: str, case_sensitive: bool = False) -> CompiledPattern:
    import re2

    options = re2.Options()
    options.case_sensitive = case_sensitive
    options.log_errors = False
    try:
        return re2.compile(pattern, options)  # type: ignore[no-any-return]
    except re2.error as error:
        detail = error.args[0] if error.args else ""
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise PatternError(str(detail) or "not a valid RE2 pattern") from error
