"""``--format text``: ``path:line:col: severity [rule] message``, the line, a caret, a summary."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TextIO

from linter.diagnostic import Diagnostic
from linter.engine import RunResult
from linter.parse import format_for_path
from linter.report import ReportSettings
from linter.report.shares import write_elements
from linter.spool import FileRows, decoded

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    """Each finding (written on ``settings.jobs`` cores when the report is large:
    linter/report/shares.py), then the summary."""
    write_elements(result.findings, stream, functools.partial(_findings, color=settings.color), "", settings.jobs)
    stream.write(_summary(result, settings.color) + "\n")


def _findings(files: Iterable[FileRows], color: bool) -> Iterator[str]:
    """Each finding of ``files``: its headline, and the line it is on with a caret under it."""
    for found in decoded(files, related=False):  # related locations are not shown
        for diagnostic in found.diagnostics:
            line_text = found.lines.get(diagnostic.line)
            excerpt = "" if line_text is None else _excerpt(diagnostic, line_text, color)
            yield f"{_headline(diagnostic, color)}\n{excerpt}"


def _headline(diagnostic: Diagnostic, color: bool) -> str:
    where = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}:"
    severity: str = diagnostic.severity
    rule = f"[{diagnostic.rule}]"
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        severity = f"{_COLORS[diagnostic.severity]}{severity}{_RESET}"
        rule = f"{_DIM}{rule}{_RESET}"
    text = f"{where} {severity} {rule} {diagnostic.message}"
    if diagnostic.suggestion is not None:
        text += f" (suggestion: '{diagnostic.suggestion}')"
    return text


_CONTEXT = 50  # characters of context either side of the span on long lines
_MAX_SPAN_SHOWN = 80  # characters of a long span shown on a long line


def _excerpt(diagnostic: Diagnostic, line_text: str, color: bool) -> str:
    number = str(diagnostic.line)
    gutter = " " * len(number)
    start = diagnostic.column - 1
    end = diagnostic.end_column - 1 if diagnostic.end_line == diagnostic.line else len(line_text)
    end = max(end, start + 1)
    if len(line_text) > 2 * _CONTEXT + 40:  # show a window of a long line around the span
        left = max(0, start - _CONTEXT)
        # A long span (a whole template sentence) shows its opening, not every character.
        right = min(len(line_text), max(end, start + 1) + _CONTEXT, start + _MAX_SPAN_SHOWN)
        head = "…" if left > 0 else ""
        tail = "…" if right < len(line_text) else ""
        line_text = head + line_text[left:right] + tail
        start, end = start - left + len(head), min(end, right) - left + len(head)
    before, span = line_text[:start], line_text[start:end]
    if before.isascii() and span.isascii():  # one column each (_width was a third of a large report's time)
        prefix = before.translate(_BLANKS)
        carets = "^" * max(1, len(span))
    else:
        prefix = "".join("\t" if char == "\t" else " " * _width(char) for char in before)
        carets = "^" * max(1, sum(_width(char) for char in span))
    if color:
        carets = f"{_COLORS[diagnostic.severity]}{carets}{_RESET}"
    return f"  {number} | {line_text}\n  {gutter} | {prefix}{carets}\n"


# An ASCII prefix as blanks of the same width: tabs stay tabs, everything else is a space.
_BLANKS = {code: " " for code in range(128) if code != ord("\t")}


@functools.cache
def _width(char: str) -> int:
    """Columns a character takes in a terminal: 0 for a combining mark, 2 for a wide one."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _summary(result: RunResult, color: bool) -> str:
    files = result.files_checked
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    counts = result.findings.counts  # kept as the findings were spooled
    total = result.findings.total
    if not total:
        text = f"No problems found ({checked})."
        return f"{_BOLD}{text}{_RESET}" if color else text
    parts = [
        f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}"
        for s in ("error", "warning", "info")
        if counts[s]
    ]
    files_with = len(result.findings.paths)
    text = (
        f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) in {files_with} "
        f"file{'s' if files_with != 1 else ''} ({checked})."
    )
    hint = f" Silence one with {_silencing_directive(result.findings.paths)} or change rules in rules.yaml."
    return (f"{_BOLD}{text}{_RESET}" if color else text) + hint


def _silencing_directive(paths: list[str]) -> str:
    """The directive to write above a finding, in the comment syntax of the files with findings
    (a plain-text file takes ``#``; an HTML comment there silences nothing)."""
    formats = {"text" if format_for_path(path) == "text" else "markup" for path in paths}
    if formats == {"text"}:
        return "# doclint-disable-next-line RULE"
    if formats == {"markup"}:
        return "<!-- doclint-disable-next-line RULE -->"
    return "<!-- doclint-disable-next-line RULE --> (# doclint-disable-next-line RULE in plain text)"
