"""Command line: argument parsing and exit codes; nothing else.

Exit status: 0 nothing at or above ``--fail-on``; 1 findings; 2 usage, config or I/O error.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from linter import __version__

if TYPE_CHECKING:
    from linter.config import Config

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"doclint: error: {message}\n  hint: run 'doclint {self.prog.split()[-1]} --help'\n")


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date in YYYY-MM-DD form") from None


def _rule_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def build_parser() -> argparse.ArgumentParser:
    from linter.report import REPORTERS

    parser = _Parser(prog="doclint", description="A document-quality linter for editorial pipelines.")
    parser.add_argument("--version", action="version", version=f"doclint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="lint files and directories", description="Lint files and directories.")
    check.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories (default: .); '-' reads standard input"
    )
    check.add_argument("--config", metavar="FILE", help="rules.yaml to use (default: discovered, else built-in)")
    check.add_argument("--format", choices=sorted(REPORTERS), default="text", help="output format (default: text)")
    check.add_argument(
        "--as-of", type=_date, metavar="YYYY-MM-DD", help="reference date for date rules (default: today)"
    )
    check.add_argument("--select", type=_rule_list, action="append", metavar="RULE[,RULE]", help="run only these rules")
    check.add_argument(
        "--ignore", type=_rule_list, action="append", metavar="RULE[,RULE]", help="do not run these rules"
    )
    check.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default="warning",
        help="lowest severity that makes the exit status 1 (default: warning)",
    )
    check.add_argument("--stdin-filename", metavar="NAME", help="with '-': lint standard input as if it were NAME")
    check.add_argument(
        "--report-unused-suppressions",
        action="store_true",
        help="report doclint-disable directives that silenced nothing",
    )
    check.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: usable cores)")
    check.add_argument("--no-progress", action="store_true", help="never show progress on stderr")
    check.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="results cache directory (default: $DOCLINT_CACHE_DIR, else .doclint-cache next to the config)",
    )
    check.add_argument("--no-cache", action="store_true", help="do not read or write the results cache")

    commands.add_parser(
        "rules", help="list rules, their descriptions and options", description="List every rule."
    ).add_argument("--config", metavar="FILE", help="rules.yaml to read (default: discovered, else built-in)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "check":
            return _check(arguments)
        if arguments.command == "rules":
            return _rules(arguments)
    except KeyboardInterrupt:
        print("doclint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    parser.print_help()
    return EXIT_ERROR


def _load_config(explicit: str | None, parsed_cache: str | None):  # type: ignore[no-untyped-def]
    from linter.config import ConfigError, load_config

    try:
        return load_config(explicit, parsed_cache=parsed_cache)
    except ConfigError as error:
        print(str(error), file=sys.stderr)
        return None


def _check(arguments: argparse.Namespace) -> int:
    from linter import engine
    from linter.cache import default_directory
    from linter.diagnostic import SEVERITY_RANK
    from linter.report import REPORTERS, ReportSettings

    parsed_cache = None if arguments.no_cache else (arguments.cache_dir or default_directory())
    config: Config | None = _load_config(arguments.config, parsed_cache)
    if config is None:
        return EXIT_ERROR
    select = _flatten(arguments.select)
    ignore = _flatten(arguments.ignore) or []
    unknown = [rule for rule in (select or []) + ignore if rule not in config.rules]
    if unknown:
        print(
            f"doclint: error: unknown rule '{unknown[0]}' in --select/--ignore\n"
            "  hint: 'doclint rules' lists the rule ids",
            file=sys.stderr,
        )
        return EXIT_ERROR
    options = engine.RunOptions(
        as_of=arguments.as_of or datetime.date.today(),
        select=frozenset(select) if select is not None else None,
        ignore=frozenset(ignore),
        report_unused_suppressions=arguments.report_unused_suppressions,
        jobs=arguments.jobs if arguments.jobs is not None else engine.default_jobs(),
        cache_dir=None if arguments.no_cache else _cache_dir(arguments.cache_dir, config),
    )
    paths = arguments.paths or ["."]
    if "-" in paths:
        if paths != ["-"]:
            print("doclint: error: '-' (standard input) cannot be combined with other paths", file=sys.stderr)
            return EXIT_ERROR
        name = arguments.stdin_filename or "stdin.txt"
        if arguments.stdin_filename and config.is_excluded(name):
            result = engine.collect([], [], 0)
        else:
            data = sys.stdin.buffer.read()
            result = engine.collect([engine.lint_bytes(name, data, config, options)], [], 1)
    else:
        progress = None if arguments.no_progress or not sys.stderr.isatty() else _Progress(sys.stderr)
        result = engine.run(paths, config, options, progress)
        if progress is not None:
            progress.clear()
    for problem in result.problems:
        print(f"doclint: {problem.path}: {problem.message}", file=sys.stderr)
    settings = ReportSettings(color=_use_color(sys.stdout), fail_on=arguments.fail_on)
    REPORTERS[arguments.format](result, sys.stdout, settings)
    sys.stdout.flush()
    if result.has_errors:
        return EXIT_ERROR
    threshold = SEVERITY_RANK[arguments.fail_on]
    if any(SEVERITY_RANK[d.severity] >= threshold for d in result.diagnostics):
        return EXIT_FINDINGS
    return EXIT_OK


def _cache_dir(explicit: str | None, config: Config) -> str:
    from linter.cache import DEFAULT_DIRECTORY

    return explicit or os.environ.get("DOCLINT_CACHE_DIR") or str(config.root / DEFAULT_DIRECTORY)


def _rules(arguments: argparse.Namespace) -> int:
    from linter.cache import default_directory
    from linter.rules import DOCUMENT_RULES, KINDS

    config = _load_config(arguments.config, default_directory())
    if config is None:
        return EXIT_ERROR
    out = sys.stdout
    out.write(f"Rules (configuration: {config.source})\n\n")
    for rule_id in sorted(config.rules):
        settings = config.rules[rule_id]
        state = "" if settings.enabled else ", disabled"
        kind = f"kind: {settings.kind}" if settings.kind else "built-in"
        out.write(f"{rule_id}  [{settings.severity}{state}; {kind}]\n")
        if settings.description:
            out.write(f"    {settings.description}\n")
        specs = DOCUMENT_RULES[rule_id].options if settings.kind is None else KINDS[settings.kind].KEYS
        for name, spec in specs.items():
            value = settings.options.get(name, spec.default)
            if settings.kind is not None and name not in settings.options and name != "scope":
                continue  # a user rule: show what it sets, not every key its kind could take
            out.write(f"    {name}: {_describe_value(value, settings.severity)}\n        {spec.help}\n")
        out.write("\n")
    out.write(
        "unused-suppression  [warning; with --report-unused-suppressions]\n"
        "    A doclint-disable directive that silenced nothing.\n"
    )
    return EXIT_OK


def _describe_value(value: object, severity: str) -> str:
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        lines = []
        for group in value:
            phrases = [f"'{p}'" for p in group.get("phrases", [])]
            shown = " ".join(phrases[:4]) + (f" … ({len(phrases)} phrases)" if len(phrases) > 4 else "")
            where = " at sentence start" if group.get("position") == "sentence-start" else ""
            lines.append(f"\n      - [{group.get('severity', severity)}]{where} {shown}")
            lines.append(f"\n        message: {group.get('message', '')}")
        return "".join(lines)
    if isinstance(value, list):
        items = [str(item) for item in value]
        return "[" + ", ".join(items[:8]) + (f", … {len(items) - 8} more" if len(items) > 8 else "") + "]"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _flatten(values: list[list[str]] | None) -> list[str] | None:
    if values is None:
        return None
    return [item for group in values for item in group]


def _use_color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


class _Progress:
    """``doclint: 120/10000 files`` on a terminal's stderr, redrawn in place."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if total < 50 or (done % 25 and done != total):
            return
        self.stream.write(f"\rdoclint: {done}/{total} files")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
