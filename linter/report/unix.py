"""``--format unix``: ``path:line:col: message [rule]``, one per line, for editors' error formats."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.shares import write_elements
from linter.spool import FileRows, decoded


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    write_elements(result.findings, stream, _lines, "", settings.jobs)


def _lines(files: Iterable[FileRows]) -> Iterator[str]:
    for found in decoded(files, related=False):
        for d in found.diagnostics:
            message = " ".join(d.message.split())
            yield f"{d.path}:{d.line}:{d.column}: {message} [{d.rule}]\n"
