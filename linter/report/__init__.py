"""Reporters: each turns a run's diagnostics into one output format. They decide nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from linter.engine import RunResult


@dataclass(frozen=True)
class ReportSettings:
    color: bool = False
    fail_on: str = "warning"


Reporter = Callable[[RunResult, TextIO, ReportSettings], None]


def _text(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    from linter.report.text import report

    report(result, stream, settings)


def _json(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    from linter.report.json import report

    report(result, stream, settings)


# Output formats by ``--format`` name. Each module is imported only when used.
REPORTERS: dict[str, Reporter] = {
    "text": _text,
    "json": _json,
}
