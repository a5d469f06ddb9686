"""Shared helpers for tests: lint text in memory, run the real CLI, write configs."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from linter.config import Config, load_config
from linter.diagnostic import Diagnostic
from linter.discover import Problem
from linter.engine import RunOptions, RunResult, lint_document
from linter.parse import parse_document
from linter.spool import FindingSpool

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = FIXTURES / "seeds"
MISSISSIPPI = SEEDS / "mississippi.txt"
ARKANSAS = SEEDS / "arkansas.txt"
REFERENCE_DATE = datetime.date(2026, 11, 21)


def builtin_config() -> Config:
    """The built-in default rule set, whatever rules.yaml the working directory has."""
    return load_config(str(REPO / "rules.yaml"))


def config_from_yaml(tmp_path: Path, text: str, name: str = "rules.yaml") -> Config:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_config(str(path))


def lint(
    text: str,
    path: str = "page.md",
    *,
    rules: Iterable[str] | None = None,
    config: Config | None = None,
    as_of: datetime.date = REFERENCE_DATE,
) -> list[Diagnostic]:
    """Lint ``text`` as if it were the file ``path`` (format from the extension)."""
    config = config or builtin_config()
    document = parse_document(path, text, config.parse_options)
    options = RunOptions(as_of=as_of, select=frozenset(rules) if rules is not None else None)
    return lint_document(document, config, options)


def spans(diagnostics: Iterable[Diagnostic]) -> list[tuple[str, int, int, int, int]]:
    """``(rule, line, column, end_line, end_column)`` for compact exact assertions."""
    return [(d.rule, d.line, d.column, d.end_line, d.end_column) for d in diagnostics]


def run_cli(
    *arguments: str, cwd: Path | None = None, stdin: str | bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m linter`` for real, as a user would."""
    # GITHUB_ACTIONS=true would switch the default format to github: tests opt in via ``env``.
    inherited = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    environment = {**inherited, "NO_COLOR": "1", **(env or {})}
    data = stdin.encode() if isinstance(stdin, str) else stdin
    completed = subprocess.run(
        [sys.executable, "-m", "linter", *arguments],
        cwd=cwd,
        input=data,
        capture_output=True,
        env=environment,
        timeout=300,
    )
    return subprocess.CompletedProcess(
        completed.args,
        completed.returncode,
        completed.stdout.decode("utf-8", "replace"),
        completed.stderr.decode("utf-8", "replace"),
    )


def everything(result: RunResult) -> list[Diagnostic]:
    """Every finding of a run, in report order, read back from its spool."""
    return list(result.findings)


def quoted(result: RunResult) -> dict[tuple[str, int], str]:
    """(path, line) → the source line, for every line a run's findings point at."""
    return {(found.path, line): text for found in result.findings.files() for line, text in found.lines.items()}


def run_result(
    diagnostics: Iterable[Diagnostic],
    problems: Iterable[Problem] = (),
    files_checked: int = 0,
    lines: dict[tuple[str, int], str] | None = None,
    paths: Iterable[str] = (),
) -> RunResult:
    """A RunResult of these findings (spooled like a run's), to feed reporters directly."""
    findings = FindingSpool()
    findings.add_mixed(diagnostics, lines or {})
    return RunResult(findings, list(problems), files_checked, list(paths))
