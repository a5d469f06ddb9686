"""``doclint corpus build`` and ``doclint corpus report``: arguments and exit codes.

Exit status as for ``doclint check``: 0 ok; 1 findings at or above ``--fail-on`` (report);
2 usage, configuration, engine or I/O error.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys


def add_corpus_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from linter.cli import _date, _output_format, _Parser, _rule_list
    from linter.report import REPORTERS

    corpus = commands.add_parser(
        "corpus",
        help="build a corpus index artefact (locally or on a Dask cluster) and report from it",
        description="Build the corpus index for the corpus rules once, then report or check against it.",
    )
    actions = corpus.add_subparsers(dest="corpus_command", metavar="ACTION", parser_class=_Parser)
    build = actions.add_parser(
        "build",
        help="extract every file's sentences and fingerprints into the index",
        description="Parse and fingerprint every file under PATHS and store them in the corpus index "
        "(unchanged files are skipped). With --engine dask the work runs on a Dask cluster; "
        "its workers must see the files at the same paths.",
    )
    build.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    build.add_argument("--config", metavar="FILE", help="rules.yaml to use (default: discovered, else built-in)")
    build.add_argument("--index", metavar="FILE", help="index file to write (default: the template-reuse 'index')")
    build.add_argument("--engine", choices=("local", "dask"), default="local", help="where to extract (default: local)")
    build.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the scheduler, e.g. tcp://10.0.0.5:8786 (default: start a local cluster)",
    )
    build.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="local processes or local-cluster workers (default: usable cores)"
    )
    build.add_argument(
        "--connect-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how long to try to reach --scheduler (default: 10)",
    )
    build.add_argument("--no-progress", action="store_true", help="never show progress on stderr")

    report = actions.add_parser(
        "report",
        help="run the corpus rules on every indexed file, from the index alone",
        description="Run template-reuse and entity-leak on the indexed files (or those under PATHS) "
        "against the whole index, and report like 'doclint check'.",
    )
    report.add_argument("paths", nargs="*", metavar="PATH", help="only these files or directories (default: all)")
    report.add_argument("--config", metavar="FILE", help="rules.yaml to use (default: discovered, else built-in)")
    report.add_argument("--index", metavar="FILE", help="index file to read (default: the template-reuse 'index')")
    report.add_argument("--format", choices=sorted(REPORTERS), help="output format on standard output (default: text)")
    report.add_argument(
        "--output-format",
        type=_output_format,
        action="append",
        default=[],
        metavar="FORMAT:FILE",
        help="also write FORMAT to FILE (repeatable)",
    )
    report.add_argument("--select", type=_rule_list, action="append", metavar="RULE[,RULE]", help="only these rules")
    report.add_argument("--ignore", type=_rule_list, action="append", metavar="RULE[,RULE]", help="not these rules")
    report.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default="warning",
        help="lowest severity that makes the exit status 1 (default: warning)",
    )
    report.add_argument(
        "--as-of", type=_date, metavar="YYYY-MM-DD", help="reference date for the rules (default: today)"
    )
    report.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="report slices of the pages in N processes (default: 1)"
    )


def corpus_command(arguments: argparse.Namespace) -> int:
    from linter.cli import EXIT_ERROR

    if arguments.corpus_command == "build":
        return _build(arguments)
    if arguments.corpus_command == "report":
        return _report(arguments)
    print("doclint: error: choose an action: 'doclint corpus build' or 'doclint corpus report'", file=sys.stderr)
    return EXIT_ERROR


def _build(arguments: argparse.Namespace) -> int:
    from linter.cli import EXIT_ERROR, EXIT_OK, _load_config, _Progress
    from linter.corpus.build import EngineError, build, local_mapper
    from linter.engine import default_jobs
    from linter.user_cache import default_directory

    config = _load_config(arguments.config, default_directory())
    if config is None:
        return EXIT_ERROR
    if arguments.scheduler and arguments.engine != "dask":
        print("doclint: error: --scheduler needs --engine dask", file=sys.stderr)
        return EXIT_ERROR
    jobs = arguments.jobs if arguments.jobs is not None else default_jobs()
    if jobs < 1:
        print("doclint: error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_ERROR
    location = _location(arguments.index, config)
    progress = None if arguments.no_progress or not sys.stderr.isatty() else _Progress(sys.stderr)
    try:
        if arguments.engine == "dask":
            from linter.corpus.dask_engine import check_installed, dask_mapper

            check_installed()
            mapper = dask_mapper(arguments.scheduler, jobs, arguments.connect_timeout)
        else:
            mapper = local_mapper(jobs)
        summary = build(
            arguments.paths or ["."],
            config,
            location,
            mapper,
            engine=arguments.engine if not arguments.scheduler else f"dask at {arguments.scheduler}",
            workers=jobs,
            progress=progress,
        )
    except EngineError as error:
        if progress is not None:
            progress.clear()
        print(f"doclint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    if progress is not None:
        progress.clear()
    for problem in summary.problems:
        print(f"doclint: {problem.path}: {problem.message}", file=sys.stderr)
    print(summary.line() + f"; index {location}", file=sys.stderr)
    return EXIT_ERROR if any(p.level == "error" for p in summary.problems) else EXIT_OK


def _report(arguments: argparse.Namespace) -> int:
    from linter.cli import EXIT_ERROR, _exit_status, config_and_rules
    from linter.cli import _report as write_reports
    from linter.corpus.artefact import ArtefactError
    from linter.corpus.report import corpus_report
    from linter.user_cache import default_directory

    loaded = config_and_rules(arguments, default_directory())
    if loaded is None:
        return EXIT_ERROR
    config, select, ignore = loaded
    location = _location(arguments.index, config)
    try:
        result = corpus_report(
            config,
            location,
            arguments.paths,
            as_of=arguments.as_of or datetime.date.today(),
            select=frozenset(select) if select is not None else None,
            ignore=frozenset(ignore),
            jobs=max(1, arguments.jobs or 1),
        )
    except ArtefactError as error:
        print(f"doclint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    with result:  # the findings spool is removed however reporting ends
        for problem in result.problems:
            print(f"doclint: {problem.path}: {problem.message}", file=sys.stderr)
        if not write_reports(arguments, config, result, max(1, arguments.jobs or 1)):
            return EXIT_ERROR
        return _exit_status(result, arguments.fail_on)


def _location(explicit: str | None, config: object) -> str:
    from linter.corpus.phase import index_location

    if explicit:
        return os.path.abspath(explicit)
    return index_location(config)  # type: ignore[arg-type]
