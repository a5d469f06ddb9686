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
    from linter.engine import RunOptions, RunResult

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def innermost_parser(self, arguments: argparse.Namespace) -> argparse.ArgumentParser:
        """The parser of the (sub)subcommand that was run, e.g. ``doclint corpus build``."""
        parser: argparse.ArgumentParser = self
        descended = True
        while descended:
            descended = False
            for action in parser._actions:
                if isinstance(action, argparse._SubParsersAction):
                    chosen = getattr(arguments, action.dest, None)
                    if chosen in action.choices:
                        parser, descended = action.choices[chosen], True
                        break
        return parser

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        # self.prog is "doclint" for the top-level parser and "doclint check" for a subcommand.
        self.exit(EXIT_ERROR, f"doclint: error: {message}\n  hint: run '{self.prog} --help'\n")


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date in YYYY-MM-DD form") from None


def _output_format(value: str) -> tuple[str, str]:
    from linter.report import REPORTERS

    name, separator, path = value.partition(":")
    if not separator or not path:
        raise argparse.ArgumentTypeError(f"'{value}' is not FORMAT:FILE (for example sarif:doclint.sarif)")
    if name not in REPORTERS:
        choices = ", ".join(sorted(REPORTERS))
        raise argparse.ArgumentTypeError(f"unknown format '{name}' in '{value}' (choose from {choices})")
    return name, path


def _rule_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def build_parser() -> _Parser:
    from linter.report import REPORTERS

    parser = _Parser(prog="doclint", description="A document-quality linter for editorial pipelines.")
    parser.add_argument("--version", action="version", version=f"doclint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="lint files and directories", description="Lint files and directories.")
    check.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories (default: .); '-' reads standard input"
    )
    check.add_argument("--config", metavar="FILE", help="rules.yaml to use (default: discovered, else built-in)")
    check.add_argument(
        "--format",
        choices=sorted(REPORTERS),
        help="output format on standard output (default: github when GITHUB_ACTIONS=true, else text)",
    )
    check.add_argument(
        "--output-format",
        type=_output_format,
        action="append",
        default=[],
        metavar="FORMAT:FILE",
        help="also write FORMAT to FILE (repeatable), e.g. --output-format sarif:doclint.sarif",
    )
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
    check.add_argument(
        "--baseline", metavar="FILE", help="report only findings not recorded in FILE (see --write-baseline)"
    )
    check.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record the current findings in FILE and exit 0 (adopting doclint on an archive)",
    )
    check.add_argument("--fix", action="store_true", help="apply the fixes rules mark safe, then report what is left")
    check.add_argument("--diff", action="store_true", help="print the safe fixes as a unified diff; write nothing")
    check.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: usable cores)")
    check.add_argument("--no-progress", action="store_true", help="never show progress on stderr")
    check.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="results cache directory (default: $DOCLINT_CACHE_DIR, else .doclint-cache next to the config)",
    )
    check.add_argument("--no-cache", action="store_true", help="do not read or write the results cache")
    check.add_argument(
        "--index",
        metavar="FILE",
        help="compare with this built corpus index (doclint corpus build) instead of the configured one; "
        "read-only: the run's files are kept in memory",
    )

    from linter.corpus.cli import add_corpus_parser

    add_corpus_parser(commands)

    commands.add_parser(
        "lsp",
        help="run the language server on standard input/output (needs the 'lsp' extra)",
        description="Language Server Protocol over stdio, for editors. Install with: pip install 'doclint[lsp]'.",
    )

    commands.add_parser(
        "rules", help="list rules, their descriptions and options", description="List every rule."
    ).add_argument("--config", metavar="FILE", help="rules.yaml to read (default: discovered, else built-in)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from linter.workers import collect_garbage_less_often, stopping_on_signals

    collect_garbage_less_often()
    parser = build_parser()
    arguments, unknown = parser.parse_known_args(argv)
    if unknown:  # reported by the subcommand's parser, so the usage and hint are that command's
        parser.innermost_parser(arguments).error(f"unrecognized arguments: {' '.join(unknown)}")
    if arguments.command in ("check", "corpus"):  # the commands that start worker processes
        with stopping_on_signals():
            return _command(parser, arguments)
    return _command(parser, arguments)


def _command(parser: _Parser, arguments: argparse.Namespace) -> int:
    try:
        if arguments.command == "check":
            return _check(arguments)
        if arguments.command == "rules":
            return _rules(arguments)
        if arguments.command == "lsp":
            return _lsp()
        if arguments.command == "corpus":
            from linter.corpus.cli import corpus_command

            return corpus_command(arguments)
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


def config_and_rules(
    arguments: argparse.Namespace, parsed_cache: str | None
) -> tuple[Config, list[str] | None, list[str]] | None:
    """A command's configuration and its --select/--ignore rules; None once the error is printed."""
    config: Config | None = _load_config(arguments.config, parsed_cache)
    if config is None:
        return None
    selection = rule_selection(arguments, config)
    if selection is None:
        return None
    return config, *selection


def _check(arguments: argparse.Namespace) -> int:
    """``doclint check``; with caching on, rule patterns compiled in an earlier run are reused
    (:mod:`linter.regex_store`, kept with the parsed YAML)."""
    from linter.user_cache import default_directory

    parsed_cache = None if arguments.no_cache else (arguments.cache_dir or default_directory())
    if parsed_cache is not None:
        from linter import regex_store

        regex_store.use_directory(parsed_cache)
        try:
            return _check_with(arguments, parsed_cache)
        finally:
            regex_store.save()
    return _check_with(arguments, parsed_cache)


def _check_with(arguments: argparse.Namespace, parsed_cache: str | None) -> int:
    from linter import engine
    from linter.baseline import BaselineError, load_baseline

    loaded = config_and_rules(arguments, parsed_cache)
    if loaded is None:
        return EXIT_ERROR
    config, select, ignore = loaded
    if arguments.baseline and arguments.write_baseline:
        print("doclint: error: use either --baseline or --write-baseline, not both", file=sys.stderr)
        return EXIT_ERROR
    baseline = None
    if arguments.baseline:
        try:
            baseline = load_baseline(arguments.baseline)
        except BaselineError as error:
            print(f"doclint: error: {error}", file=sys.stderr)
            return EXIT_ERROR
    options = engine.RunOptions(
        as_of=arguments.as_of or datetime.date.today(),
        select=frozenset(select) if select is not None else None,
        ignore=frozenset(ignore),
        report_unused_suppressions=arguments.report_unused_suppressions,
        jobs=arguments.jobs if arguments.jobs is not None else engine.default_jobs(),
        baseline=baseline,
        cache_dir=None if arguments.no_cache else _cache_dir(arguments.cache_dir, config),
        corpus_index=arguments.index,
    )
    if arguments.index:
        from linter.corpus.artefact import ArtefactError, check_artefact

        try:
            check_artefact(arguments.index, config)
        except ArtefactError as error:
            print(f"doclint: error: {error}", file=sys.stderr)
            return EXIT_ERROR
    paths = arguments.paths or ["."]
    if "-" in paths and paths != ["-"]:
        print("doclint: error: '-' (standard input) cannot be combined with other paths", file=sys.stderr)
        return EXIT_ERROR
    fix_failed = False
    if arguments.fix or arguments.diff:
        if arguments.write_baseline:
            print("doclint: error: --write-baseline cannot be combined with --fix or --diff", file=sys.stderr)
            return EXIT_ERROR
        if paths == ["-"]:
            return _fix_stdin(arguments, config, options)
        fix_status = _fix_files(paths, arguments, config, options)
        if arguments.diff:
            return fix_status
        fix_failed = fix_status == EXIT_ERROR  # still lint and report everything; exit 2 at the end
    if paths == ["-"]:
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
    with result:  # the findings spool is removed however reporting ends
        for problem in result.problems:
            print(f"doclint: {problem.path}: {problem.message}", file=sys.stderr)
        if arguments.write_baseline:
            return _write_baseline(arguments.write_baseline, result, config)
        if not _report(arguments, config, result, options.jobs):
            return EXIT_ERROR
        status = _exit_status(result, arguments.fail_on)
    return EXIT_ERROR if fix_failed else status


def _exit_status(result: RunResult, fail_on: str) -> int:
    from linter.diagnostic import SEVERITY_RANK

    if result.has_errors:
        return EXIT_ERROR
    threshold = SEVERITY_RANK[fail_on]
    if any(count and SEVERITY_RANK[severity] >= threshold for severity, count in result.findings.counts.items()):
        return EXIT_FINDINGS
    return EXIT_OK


def rule_selection(arguments: argparse.Namespace, config: Config) -> tuple[list[str] | None, list[str]] | None:
    """--select and --ignore as lists of rule ids; None (after saying why) if one is unknown."""
    select = _flatten(arguments.select)
    ignore = _flatten(arguments.ignore) or []
    unknown = [rule for rule in (select or []) + ignore if rule not in config.rules]
    if unknown:
        print(
            f"doclint: error: unknown rule '{unknown[0]}' in --select/--ignore\n"
            "  hint: 'doclint rules' lists the rule ids",
            file=sys.stderr,
        )
        return None
    return select, ignore


def _cache_dir(explicit: str | None, config: Config) -> str:
    from linter.cache import DEFAULT_DIRECTORY

    return explicit or os.environ.get("DOCLINT_CACHE_DIR") or str(config.root / DEFAULT_DIRECTORY)


def _report(arguments: argparse.Namespace, config: Config, result: RunResult, jobs: int) -> bool:
    """Write the standard-output report and every ``--output-format`` file, formatted on up
    to ``jobs`` cores (the run's ``--jobs``). False on I/O error."""
    from linter.report import REPORTERS, ReportSettings, RuleInfo

    rules = tuple(
        RuleInfo(rule_id, settings.description, settings.severity) for rule_id, settings in sorted(config.rules.items())
    )
    outputs: list[tuple[str, str | None]] = [(name, path) for name, path in arguments.output_format]
    if not any(path == "-" for _, path in outputs):
        outputs.insert(0, (arguments.format or _default_format(), None))
    for name, path in outputs:
        if path is None or path == "-":
            settings = ReportSettings(color=_use_color(sys.stdout), fail_on=arguments.fail_on, rules=rules, jobs=jobs)
            REPORTERS[name](result, sys.stdout, settings)
            sys.stdout.flush()
            continue
        settings = ReportSettings(color=False, fail_on=arguments.fail_on, rules=rules, jobs=jobs)
        try:
            with open(path, "w", encoding="utf-8", newline="\n") as stream:
                REPORTERS[name](result, stream, settings)
        except OSError as error:
            reason = error.strerror or error
            print(f"doclint: error: cannot write the {name} report to {path}: {reason}", file=sys.stderr)
            return False
    return True


def _default_format() -> str:
    """``github`` inside GitHub Actions (annotations on the pull request); ``text`` otherwise and on a terminal."""
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    return "github" if in_actions and not sys.stdout.isatty() else "text"


def _write_baseline(path: str, result: RunResult, config: Config) -> int:
    from linter.baseline import build_baseline, write_baseline

    if result.has_errors:
        print(f"doclint: error: some files could not be read; {path} was not written", file=sys.stderr)
        return EXIT_ERROR
    baseline = build_baseline(result.findings, config.relative)
    try:
        write_baseline(path, baseline)
    except OSError as error:
        print(f"doclint: error: cannot write the baseline {path}: {error.strerror or error}", file=sys.stderr)
        return EXIT_ERROR
    files = len(baseline.findings)
    print(
        f"doclint: recorded {baseline.size} finding{'s' if baseline.size != 1 else ''} in {files} "
        f"file{'s' if files != 1 else ''} to {path}; run with --baseline {path} to report only new ones",
        file=sys.stderr,
    )
    return EXIT_OK


def _fix_files(paths: list[str], arguments: argparse.Namespace, config: Config, options: RunOptions) -> int:
    """Apply (``--fix``) or show (``--diff``) the safe fixes of every file under ``paths``."""
    from linter.atomic import FileChanged
    from linter.discover import Problem, discover
    from linter.fix import fix_file, write_fix
    from linter.read import UnreadableFile

    fixes = files = 0
    status = EXIT_OK
    for item in discover(paths, config):
        if isinstance(item, Problem):
            continue  # reported by the lint run (or below for --diff)
        if not config.is_included(item):
            # Named on the command line but not a document by the config's include globs (a
            # rules.yaml, a script): linted as plain text, never rewritten.
            print(f"doclint: {item}: not fixed: it does not match 'include' in the configuration", file=sys.stderr)
            continue
        try:
            fix = fix_file(item, config, options)
        except UnreadableFile as error:
            if arguments.diff and not error.skipped:
                print(f"doclint: {item}: {error.message}", file=sys.stderr)
                status = EXIT_ERROR
            continue
        if not fix.changed:
            continue
        if arguments.diff:
            sys.stdout.write(fix.diff())
        else:
            try:
                write_fix(fix)
            except FileChanged:
                print(f"doclint: {item}: changed while being fixed; left it alone, run --fix again", file=sys.stderr)
                status = EXIT_ERROR
                continue
            except OSError as error:
                print(f"doclint: {item}: cannot write the fixed file: {error.strerror or error}", file=sys.stderr)
                status = EXIT_ERROR
                continue
        fixes += fix.applied
        files += 1
    plural = f"{fixes} fix{'es' if fixes != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    if arguments.diff:
        sys.stdout.flush()
        if fixes:
            print(f"doclint: {plural} would be applied; run with --fix to write them", file=sys.stderr)
            return status if status == EXIT_ERROR else EXIT_FINDINGS
        print("doclint: no safe fixes to apply", file=sys.stderr)
    elif fixes:
        print(f"doclint: applied {plural}", file=sys.stderr)
    return status


def _fix_stdin(arguments: argparse.Namespace, config: Config, options: RunOptions) -> int:
    """Standard input with --fix: the fixed text on standard output (for editors); --diff: the diff."""
    from linter.fix import fix_bytes
    from linter.read import UnreadableFile

    name = arguments.stdin_filename or "stdin.txt"
    data = sys.stdin.buffer.read()
    if arguments.stdin_filename and config.is_excluded(name):
        if not arguments.diff:
            sys.stdout.buffer.write(data)
        return EXIT_OK
    try:
        fix = fix_bytes(name, data, config, options)
    except UnreadableFile as error:
        print(f"doclint: {name}: {error.message}", file=sys.stderr)
        return EXIT_ERROR
    if arguments.diff:
        sys.stdout.write(fix.diff())
        return EXIT_FINDINGS if fix.changed else EXIT_OK
    sys.stdout.buffer.write(fix.fixed_bytes())
    return EXIT_OK


def _lsp() -> int:
    try:
        from linter.lsp import serve
    except ImportError as error:
        print(
            f"doclint: error: the language server needs pygls ({error})\n  hint: pip install 'doclint[lsp]'",
            file=sys.stderr,
        )
        return EXIT_ERROR
    serve()
    return EXIT_OK


def _rules(arguments: argparse.Namespace) -> int:
    from linter.rules import BUILTIN_RULES, KINDS
    from linter.user_cache import default_directory

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
        specs = BUILTIN_RULES[rule_id].options if settings.kind is None else KINDS[settings.kind].KEYS
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
