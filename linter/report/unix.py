"""``--format unix``: ``path:line:col: message [rule]``, one per line, for editors' error formats."""

from __future__ import annotations

from typing import TextIO

from linter.engine import RunResult
from linter.report import ReportSettings


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    for d in result.findings.diagnostics(related=False):
        message = " ".join(d.message.split())
        stream.write(f"{d.path}:{d.line}:{d.column}: {message} [{d.rule}]\n")
