"""``doclint corpus report``: the corpus rules over a built index artefact, without the files.

Every indexed file (or those under the given paths) is compared with the whole index from
its stored units; suppressions and quoted lines come from what ``corpus build`` stored with
each file (:mod:`linter.corpus.artefact`). A file indexed by ``doclint check`` instead has no
such row: it is re-read and parsed for them when its bytes still match, else its findings
are reported without suppressions and a notice says so.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from linter.config import Config
from linter.corpus.artefact import ArtefactIndex, ReportInfo
from linter.corpus.extract import content_hash, extractor_for, index_key
from linter.corpus.match import IndexView, display_path
from linter.corpus.phase import corpus_findings, corpus_rules_for
from linter.corpus.settings import TEMPLATE_REUSE
from linter.diagnostic import Diagnostic
from linter.discover import Problem, discover
from linter.engine import RunOptions, RunResult
from linter.read import UnreadableFile, read_source
from linter.spool import FindingSpool
from linter.suppress import apply_suppressions

RunFile = tuple[int, str, str]  # (index id, display path, content hash)


@dataclass
class SliceResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    lines: dict[tuple[str, int], str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def corpus_report(
    config: Config,
    location: str,
    paths: Sequence[str],
    *,
    as_of: datetime.date,
    select: frozenset[str] | None = None,
    ignore: frozenset[str] = frozenset(),
    jobs: int = 1,
) -> RunResult:
    """The corpus findings of the files under ``paths`` (all indexed files when empty).

    With ``jobs`` > 1 the files are split into contiguous slices reported by a process pool,
    each with its own read-only connection; a page's findings depend only on the index, so
    the merged result is the same as from one process.
    """
    options = RunOptions(as_of=as_of, select=select, ignore=ignore)
    index = ArtefactIndex(location, extractor_for(config).fingerprint)
    try:
        run, problems = _run_files(index, config, paths)
    finally:
        index.close()
    slices = _slices(run, jobs)
    findings = FindingSpool()
    try:
        if len(slices) <= 1:
            results: Iterable[SliceResult] = [report_slice(location, config, run, options)]
            executor = None
        else:
            from linter.workers import process_pool

            executor = process_pool(jobs)
            results = executor.map(
                report_slice, [location] * len(slices), [config] * len(slices), slices, [options] * len(slices)
            )
        try:
            for result in results:  # spooled slice by slice, in order
                findings.add_mixed(result.diagnostics, result.lines)
                problems.extend(result.problems)
        finally:
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)
    except BaseException:
        findings.close()
        raise
    return RunResult(findings, problems, len(run), [path for _, path, _ in run])


def _slices(run: list[RunFile], jobs: int) -> list[list[RunFile]]:
    """Contiguous slices (pages of one series stay together: their aggregates overlap)."""
    if jobs <= 1 or len(run) < 2 * jobs:
        return [run]
    count = 2 * jobs
    size = -(-len(run) // count)
    return [run[start : start + size] for start in range(0, len(run), size)]


def _run_files(index: ArtefactIndex, config: Config, paths: Sequence[str]) -> tuple[list[RunFile], list[Problem]]:
    indexed = index.files()
    problems: list[Problem] = []
    if not paths:
        return [(file_id, display_path(key), digest) for file_id, key, digest in indexed], problems
    run: list[RunFile] = []
    by_key = {key: (file_id, digest) for file_id, key, digest in indexed}
    for item in discover(paths, config):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        entry = by_key.get(index_key(item))
        if entry is None:
            message = f"not in the corpus index {index.location}; add it with 'doclint corpus build'"
            problems.append(Problem(item, message, "notice"))
        else:
            run.append((entry[0], item, entry[1]))
    return run, problems


def report_slice(location: str, config: Config, run: list[RunFile], options: RunOptions) -> SliceResult:
    """The corpus findings of ``run``, compared with the whole index at ``location``."""
    index = ArtefactIndex(location, extractor_for(config).fingerprint)
    try:
        all_ids = [file_id for file_id, _, _ in index.files()]
        index.set_corpus(all_ids, (file_id for file_id, _, _ in run))
        template = config.rules.get(TEMPLATE_REUSE)
        view = IndexView(index, template.options if template else {})
        result = SliceResult()
        for file_id, path, digest in run:
            _report_file(index, view, config, options, file_id, path, digest, result)
        return result
    finally:
        index.close()


def _report_file(
    index: ArtefactIndex,
    view: IndexView,
    config: Config,
    options: RunOptions,
    file_id: int,
    path: str,
    digest: str,
    result: SliceResult,
) -> None:
    rules = corpus_rules_for(config, path, options)
    if not rules:
        return
    found = corpus_findings(rules, index.document(file_id, path), view, config, options.as_of)
    if not found:
        return
    info = index.report_info(file_id, digest) or _read_info(path, digest, config)
    if info is None:
        message = (
            "changed since the corpus index was built: its suppressions were not applied; "
            "run 'doclint corpus build' again"
        )
        result.problems.append(Problem(path, message, "notice"))
        result.diagnostics.extend(found)
        return
    kept = apply_suppressions(found, info.directives)
    for diagnostic in kept:
        text = info.line_texts.get(diagnostic.line)
        if text is not None:
            result.lines[(diagnostic.path, diagnostic.line)] = text
    result.diagnostics.extend(kept)


def _read_info(path: str, digest: str, config: Config) -> ReportInfo | None:
    """Directives and lines of a file indexed without them, when it is still what was indexed."""
    from linter.parse import parse_document

    try:
        source = read_source(path)
    except UnreadableFile:
        return None
    if content_hash(source.text.encode("utf-8", "surrogatepass")) != digest:
        return None
    document = parse_document(path, source.text, config.parse_options)
    record = extractor_for(config).record(document, index_key(path), for_run=True)
    return ReportInfo(record.directives, record.line_texts)
