"""Small conversions several reporters share: columns in other units, URIs, fingerprints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from urllib.parse import quote

from linter.baseline import fingerprint
from linter.diagnostic import Diagnostic
from linter.engine import RunResult


def utf8_column(line_text: str | None, column: int) -> int:
    """1-based code-point ``column`` → 1-based UTF-8 byte column (reviewdog)."""
    if line_text is None:
        return column
    return len(line_text[: column - 1].encode("utf-8")) + 1 + max(0, column - 1 - len(line_text))


def utf16_column(line_text: str | None, column: int) -> int:
    """1-based code-point ``column`` → 1-based UTF-16 code-unit column (LSP, SARIF default)."""
    if line_text is None:
        return column
    return len(line_text[: column - 1].encode("utf-16-le")) // 2 + 1 + max(0, column - 1 - len(line_text))


def line_text(result: RunResult, path: str, line: int) -> str | None:
    return result.lines.get((path, line))


def file_uri(path: str) -> str:
    """A relative path as a relative URI reference; an absolute one as ``file://``."""
    pure = PurePath(path)
    if pure.is_absolute():
        return "file://" + quote(pure.as_posix())
    return quote(pure.as_posix())


def occurrence_fingerprints(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """Per diagnostic: path-independent fingerprint plus its occurrence number in the file.

    Unique within a run (two identical findings in one file get ``…:1`` and ``…:2``) and
    stable across runs while the findings' sentences are unchanged.
    """
    seen: Counter[tuple[str, str]] = Counter()
    keys: list[str] = []
    for diagnostic in diagnostics:
        key = fingerprint(diagnostic)
        seen[(diagnostic.path, key)] += 1
        keys.append(f"{key}:{seen[(diagnostic.path, key)]}")
    return keys


def checked_paths(result: RunResult) -> list[str]:
    """Every linted file plus every file with a diagnostic, in order, without repeats."""
    paths: dict[str, None] = dict.fromkeys(result.paths)
    for diagnostic in result.diagnostics:
        paths.setdefault(diagnostic.path)
    return sorted(paths)


def by_path(diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    grouped: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        grouped.setdefault(diagnostic.path, []).append(diagnostic)
    return grouped
