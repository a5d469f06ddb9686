"""Reporters: each turns a run's diagnostics into one output format. They decide nothing.

One module per format; ``REPORTERS`` maps a ``--format`` name to its module, imported only
when used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the parser lists the formats before doclint imports the engine
    from linter.engine import RunResult


@dataclass(frozen=True)
class RuleInfo:
    """What a reporter may say about a rule (SARIF and friends describe their rules)."""

    id: str
    description: str
    severity: str


@dataclass(frozen=True)
class ReportSettings:
    color: bool = False
    fail_on: str = "warning"
    rules: tuple[RuleInfo, ...] = ()  # every rule of the configuration, sorted by id
    jobs: int = 1  # cores a reporter may format a large report on (linter/report/shares.py)


Reporter = Callable[["RunResult", TextIO, ReportSettings], None]

# ``--format`` name → module in linter/report/ that defines ``report(result, stream, settings)``.
_MODULES: dict[str, str] = {
    "text": "text",
    "json": "json",
    "json-lines": "json_lines",
    "unix": "unix",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "junit": "junit",
    "checkstyle": "checkstyle",
    "rdjson": "rdjson",
}


def _lazy(module_name: str) -> Reporter:
    def reporter(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
        module = importlib.import_module(f"linter.report.{module_name}")
        module.report(result, stream, settings)

    return reporter


REPORTERS: dict[str, Reporter] = {name: _lazy(module) for name, module in _MODULES.items()}
