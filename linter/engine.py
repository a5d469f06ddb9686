"""One run: discover → read → parse → document rules → corpus rules → suppressions, for every file.

Rules and reporters never touch files; this module is where reading happens. Results come
back sorted by path, line and column whatever the number of worker processes.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import json
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linter.baseline import Baseline
from linter.cache import CachedEntry, CachedResult, ResultCache, content_hash
from linter.config import Config, RuleSettings
from linter.diagnostic import Diagnostic
from linter.discover import Problem, discover
from linter.document import Document
from linter.parse import parse_document
from linter.read import SourceText, UnreadableFile, decode, read_source
from linter.read import read_bytes as read_file_bytes
from linter.rules import CORPUS_RULES, DOCUMENT_RULES, KINDS
from linter.rules.base import CheckFunction, RuleContext
from linter.spool import EncodedFindings, EntryFindings, FindingSpool
from linter.suppress import apply_suppressions, parse_directives, unused_directive_diagnostics

if TYPE_CHECKING:
    from linter.corpus.model import DocumentRecord
    from linter.corpus.phase import CorpusPhase

# Below this many files, worker processes cost more than they save.
PARALLEL_THRESHOLD = 24
# A run of fewer files leaves the results cache's older generations (other corpora, other
# days) for a larger run to delete: after a full run over 10,000 pages, deleting its generation (130-150 KB of findings
# per template-heavy page) would add seconds to the next one-file pre-commit run (rmtree of
# 3,000 entries of 350 KB: 2.0 s). What it leaves is stale, and small from runs this size.
PRUNE_MIN_FILES = 24


@dataclass(frozen=True)
class RunOptions:
    as_of: datetime.date
    select: frozenset[str] | None = None  # only these rules (None: all enabled rules)
    ignore: frozenset[str] = frozenset()
    report_unused_suppressions: bool = False
    jobs: int = 1
    baseline: Baseline | None = None  # findings to leave out (--baseline)
    corpus: bool = False  # also extract each file's corpus record (set by run() when corpus rules are on)
    cache_dir: str | None = None  # results cache directory (see linter/cache.py); None: no cache
    corpus_index: str | None = None  # a built corpus index artefact to compare with, read-only (check --index)


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    problem: Problem | None = None
    lines: dict[int, str] = field(default_factory=dict)  # source lines the diagnostics point at
    corpus: DocumentRecord | None = None  # units and fingerprints for the corpus phase (then dropped)
    content_hash: str | None = None  # hash of the bytes that were linted (for the results cache)
    # A results-cache hit's findings, still the entry's rows (then ``diagnostics`` is empty): the
    # spool takes them as they are, and Diagnostic objects are built once, for the reporters.
    encoded: EncodedFindings | None = None
    # The entry's bytes with their summary (a warm run's hit, read no further than its summary;
    # an entry just written or adopted, with its rows as well): with no baseline to apply, the
    # spool takes them as they are.
    entry: EntryFindings | None = None


@dataclass
class RunResult:
    """What a run found. ``findings`` is a spool on disk (linter/spool.py): close the result
    (or use it as a context manager) once the reports are written."""

    findings: FindingSpool  # every final finding, read back a file at a time in sort_key order
    problems: list[Problem]
    files_checked: int
    paths: list[str] = field(default_factory=list)  # every file linted, for per-file reports (junit)

    @property
    def has_errors(self) -> bool:
        return any(problem.level == "error" for problem in self.problems)

    def close(self) -> None:
        self.findings.close()

    def __enter__(self) -> RunResult:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()


class _Collector:
    """Takes each file's result once its findings are final and spools them (baseline applied)."""

    def __init__(self, problems: list[Problem], baseline: Baseline | None = None, config: Config | None = None) -> None:
        self.findings = FindingSpool()
        self.problems = problems
        self.paths: list[str] = []
        self.baseline = baseline
        self.config = config

    def add(self, result: FileResult) -> None:
        if result.problem is None:
            self.paths.append(result.path)
        else:
            self.problems.append(result.problem)
        if result.entry is not None:
            if self.baseline is None:
                self.findings.add_entry(result.path, result.entry)
                return
            if result.encoded is None:
                encoded, lines = result.entry.decode()
                result = dataclasses.replace(result, encoded=encoded, lines=lines, entry=None)
        if result.encoded is not None and self.baseline is None:
            self.findings.add_encoded(result.path, result.encoded, result.lines)
            return
        diagnostics = result.diagnostics if result.encoded is None else result.encoded.decode(result.path)
        if self.baseline is not None:
            assert self.config is not None
            diagnostics = self.baseline.filter(self.config.relative(result.path), diagnostics)
        self.findings.add(result.path, diagnostics, result.lines)

    def result(self, files_checked: int) -> RunResult:
        return RunResult(self.findings, self.problems, files_checked, self.paths)

    def discard(self) -> None:
        self.findings.close()

    def __enter__(self) -> _Collector:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        """An exception (an interrupt, a worker's error) leaves no spool open behind it."""
        if kind is not None:
            self.discard()


def active_rules(config: Config, path: str, options: RunOptions) -> list[RuleSettings]:
    """The rules that run on ``path``: enabled (or selected), not ignored."""
    rules = []
    for rule_id, settings in config.rules_for(path).items():
        if options.select is not None:
            if rule_id not in options.select:
                continue
        elif not settings.enabled:
            continue
        if rule_id in options.ignore:
            continue
        rules.append(settings)
    return rules


_CHECKS: dict[tuple[str, str], CheckFunction] = {}


def check_function(settings: RuleSettings) -> CheckFunction:
    if settings.kind is None:
        return DOCUMENT_RULES[settings.id].check
    key = (settings.id, json.dumps(settings.options, sort_keys=True, default=str))
    check = _CHECKS.get(key)
    if check is None:
        check = KINDS[settings.kind].build(settings.options)
        _CHECKS[key] = check
    return check


def lint_document(document: Document, config: Config, options: RunOptions) -> list[Diagnostic]:
    """Run the document rules on ``document`` and apply its inline suppressions."""
    diagnostics: list[Diagnostic] = []
    for settings in active_rules(config, document.path, options):
        if settings.kind is None and settings.id in CORPUS_RULES:
            continue  # corpus rules run in the corpus phase
        context = RuleContext.for_rule(settings, config.lexicons, options.as_of)
        diagnostics.extend(check_function(settings)(document, context))
    directives = parse_directives(document)
    diagnostics = apply_suppressions(diagnostics, directives)
    if options.report_unused_suppressions:
        diagnostics.extend(unused_directive_diagnostics(document.path, directives))
    if options.baseline is not None:
        diagnostics = options.baseline.filter(config.relative(document.path), diagnostics)
    diagnostics.sort(key=Diagnostic.sort_key)
    return diagnostics


def lint_text(path: str, source: SourceText, config: Config, options: RunOptions) -> FileResult:
    document = parse_document(path, source.text, config.parse_options)
    diagnostics = lint_document(document, config, options)
    total = len(document.line_starts)
    wanted = {line for d in diagnostics for line in (d.line, d.end_line) if line <= total}
    lines = {line: document.line_text(line) for line in wanted}
    result = FileResult(path, diagnostics, None, lines)
    if options.corpus:
        from linter.corpus.extract import extractor_for, index_key

        result.corpus = extractor_for(config).record(document, index_key(path), for_run=True)
    return result


def lint_file(path: str, config: Config, options: RunOptions) -> FileResult:
    if options.cache_dir is not None:  # read the bytes once: they are hashed for the cache
        data = read_bytes(path)
        if isinstance(data, FileResult):
            return data
        result = lint_bytes(path, data, config, options)
        result.content_hash = content_hash(data)
        return result
    try:
        source = read_source(path)
    except UnreadableFile as error:
        return _unreadable(path, error)
    return lint_text(path, source, config, options)


def read_bytes(path: str) -> bytes | FileResult:
    """The file's bytes, or a FileResult with the problem that stopped reading it."""
    try:
        return read_file_bytes(path)
    except UnreadableFile as error:
        return _unreadable(path, error)


def lint_bytes(path: str, data: bytes, config: Config, options: RunOptions) -> FileResult:
    """Lint ``data`` (standard input) as if it were the file ``path``."""
    try:
        source = decode(data)
    except UnreadableFile as error:
        return _unreadable(path, error)
    return lint_text(path, source, config, options)


def _unreadable(path: str, error: UnreadableFile) -> FileResult:
    return FileResult(path, problem=Problem(path, error.message, "notice" if error.skipped else "error"))


def _lint_files_in_worker(arguments: tuple[list[str], Config, RunOptions]) -> list[FileResult]:
    files, config, options = arguments
    return [lint_file(path, config, options) for path in files]


def run(
    paths: Sequence[str],
    config: Config,
    options: RunOptions,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Lint every file under ``paths``. Each file's findings are spooled to disk as soon as they
    are final, so memory does not grow with the findings; close the result when done with it."""
    files: list[str] = []
    problems: list[Problem] = []
    for item in discover(paths, config):
        if isinstance(item, Problem):
            problems.append(item)
        else:
            files.append(item)
    from linter.corpus.phase import CorpusPhase, corpus_rules_wanted

    if corpus_rules_wanted(config, options.select, options.ignore):
        phase = CorpusPhase(config, options.corpus_index, options.jobs)
        if len(files) < INCREMENTAL_MIN_FILES and options.corpus_index is None and not phase.index.in_memory:
            # Too few files to leave a manifest (a pre-commit run): what the run writes to the
            # index goes to its journal, so the next run of the whole corpus can still start
            # from its previous generation (see _CorpusCachedRun).
            phase.index.keep_journal()
        try:
            return _run_with_corpus(files, problems, config, options, phase, progress)
        finally:
            phase.close()
    # The baseline can be large: apply it here rather than ship it to every worker process.
    # (So the results cache also holds findings before the baseline: it does not depend on it.)
    lint_options = options if options.baseline is None else dataclasses.replace(options, baseline=None)
    with _Collector(problems, options.baseline, config) as collector:
        if options.cache_dir is not None:
            results = _lint_all_cached(files, config, lint_options, progress)
        else:
            results = _lint_all(files, config, lint_options, progress)
        for result in results:
            collector.add(result)
    return collector.result(len(files))


def _run_with_corpus(
    files: list[str],
    problems: list[Problem],
    config: Config,
    options: RunOptions,
    phase: CorpusPhase,
    progress: Callable[[int, int], None] | None,
) -> RunResult:
    """Corpus phase: records are stored in the index as results stream by; then the corpus rules
    run file by file, and each file's findings, final then, go to the spool (and the cache)."""
    cached_run = _open_corpus_cache(files, config, options, phase) if options.cache_dir is not None else None
    if cached_run is not None:
        notices = [Problem(phase.index.location, notice, "notice") for notice in phase.index.notices]
        with _Collector([*problems, *notices], options.baseline, config) as collector:
            hit = cached_run.load_all(collector.add, progress)
        if hit:
            return collector.result(len(files))
        collector.discard()  # some file is not cached: start over
        plan = _files_to_match_again(files, config, options, phase, cached_run)
        if plan is not None:
            return _run_incremental(files, plan, problems, config, options, phase, cached_run, progress)
    with _Collector(problems, options.baseline, config) as collector:
        _lint_and_match(files, config, options, phase, collector, cached_run, progress)
    return collector.result(len(files))


def _lint_and_match(
    files: list[str],
    config: Config,
    options: RunOptions,
    phase: CorpusPhase,
    collector: _Collector,
    cached_run: _CorpusCachedRun | None,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Lint ``files`` (document rules and corpus records), run the corpus rules on them, and
    hand each final result to ``collector`` (and to the cache)."""
    worker_options = dataclasses.replace(
        options, baseline=None, corpus=True, cache_dir=None if cached_run is None else options.cache_dir
    )
    linted = _lint_all(files, config, worker_options, progress)
    if cached_run is not None:
        linted = cached_run.note_hashes(linted)
    final = itertools.chain(
        phase.observe(linted),  # files without a corpus record (unreadable): final already
        phase.finish(
            collector.problems, options.select, options.ignore, options.report_unused_suppressions, options.as_of
        ),
    )
    for result in final:
        if cached_run is not None:  # (with a baseline, the collector needs Diagnostic objects)
            result = cached_run.store(result, as_rows=collector.baseline is None)
        collector.add(result)
    if cached_run is not None:
        cached_run.finish(phase)


@dataclass
class _Rematch:
    """What a run after a change must do again (see :class:`_CorpusCachedRun`)."""

    again: set[str]  # run files to lint and match again
    ids: dict[str, int]  # every run file's index id
    # Sentences of changed pages that are no longer where they were (path as findings show
    # it → {(line, column)}): a file whose previous findings list one is matched again too.
    vacated: dict[str, set[tuple[int, int]]]
    # The previous generation has another reference date (a run on another day): the files
    # taken from it have their date rules' findings found again (see _redated).
    redate: bool = False


def _files_to_match_again(
    files: list[str], config: Config, options: RunOptions, phase: CorpusPhase, cached_run: _CorpusCachedRun
) -> _Rematch | None:
    """What must be done again when the other run files' findings can come from the previous
    generation of the results cache; None when they cannot (see :class:`_CorpusCachedRun`).

    Stores the changed run files in the index first: which pages their changes affect is
    read from what the stores did (linter/corpus/changes.py).
    """
    from linter.corpus.changes import affected_files
    from linter.corpus.extract import index_key
    from linter.corpus.match import match_limits, shown_path, working_directory
    from linter.corpus.settings import TEMPLATE_REUSE

    index, log = phase.index, phase.index.change_log
    previous = cached_run.previous
    if log is None or previous is None:
        return None
    index.change_log = None  # on again only for this plan's own stores below
    manifest = previous[1]
    recorded: dict[str, tuple[int, str]] = manifest["files"]
    # The previous generation's findings hold for the index it was matched against: this
    # run's own stores, and those the journal noted (see _open_corpus_cache), must be the
    # only changes since (another tool wrote to the index, say: then every page is matched again).
    if manifest["cwd"] != working_directory() or (cached_run.start_files != recorded and not cached_run.noted):
        return None
    redate = manifest["as_of"] != cached_run.as_of
    if redate and options.report_unused_suppressions:
        return None  # whether a directive is used can change with the date rules' findings
    keys = {path: index_key(path) for path in files}
    changed = [path for path in files if recorded.get(keys[path], (0, ""))[1] != cached_run.texts[keys[path]]]
    # What the index held at the start: the manifest's files, or those with the journal's
    # changes. A run file it holds otherwise than the disk (changed since the manifest, or a
    # pre-commit run's edit undone since) is stored first, so the plan sees the index as matched.
    held_at_start = cached_run.start_files
    assert held_at_start is not None  # (read with the manifest: _open_corpus_cache)
    stored = [path for path in files if held_at_start.get(keys[path], (0, ""))[1] != cached_run.texts[keys[path]]]
    index.change_log = log
    try:
        to_store = set(changed) | set(stored)
        ids = phase.refresh([path for path in files if path in to_store])
        corpus_ids = phase.refresh_corpus(set(keys.values()))
        # Files neither in the corpus nor in this run go (noted in the log like any change): a
        # page deleted, or a file outside the corpus a pre-commit run stored, which made every
        # later run after a change match every page again ("pages outside the corpus" below).
        index.forget_all_but(
            corpus_ids
            | set(ids.values())
            | {held_at_start[keys[path]][0] for path in files if keys[path] in held_at_start}
        )
    finally:
        index.change_log = None
    if any(phase.content_hashes.get(keys[path]) != cached_run.texts[keys[path]] for path in (*changed, *stored)):
        return None  # unreadable now, or changed again since it was hashed
    run_ids = {path: ids[keys[path]] if keys[path] in ids else held_at_start[keys[path]][0] for path in files}
    corpus_ids.update(run_ids.values())
    if not index.holds_only(corpus_ids):
        return None  # pages outside the corpus in the index: matching then reads the corpus table
    settings = config.rules.get(TEMPLATE_REUSE)
    template_options = settings.options if settings else {}
    limits = match_limits(template_options, len(corpus_ids))
    if limits != match_limits(template_options, int(manifest["documents"])):
        return None  # the topic phrase's threshold moved with the number of pages
    affected = affected_files(index.connection, log, limits)
    # Every difference from what the index held at the start must be this run's own doing
    # (another doclint process writing meanwhile would leave changes the log never saw).
    held = phase.files_held()
    for key in held.keys() | recorded.keys():
        state = held.get(key)
        if state != recorded.get(key) and (state or recorded[key])[0] not in log.files:
            return None
    again = set(changed) | {path for path in files if run_ids[path] in affected}
    if len(again) > INCREMENTAL_MAX_SHARE * len(files):
        return None
    phase.also_in_corpus = {run_ids[path] for path in files if path not in again}
    directory = working_directory()
    vacated = {
        shown_path(key, directory): log.vacated[file_id]
        for key, (file_id, _) in recorded.items()
        if file_id in log.vacated
    }
    return _Rematch(again, run_ids, vacated, redate)


def _run_incremental(
    files: list[str],
    plan: _Rematch,
    problems: list[Problem],
    config: Config,
    options: RunOptions,
    phase: CorpusPhase,
    cached_run: _CorpusCachedRun,
    progress: Callable[[int, int], None] | None,
) -> RunResult:
    """A run whose files but ``plan.again`` take their findings from the previous generation."""
    again = plan.again
    with _Collector(problems, options.baseline, config) as collector:
        done = 0
        kept = [path for path in files if path not in again]
        taken = _redated(kept, plan, config, options, cached_run) if plan.redate else _adopted(kept, plan, cached_run)
        for path, result in taken:
            if result is None:  # to be linted and matched again after all
                again.add(path)
                phase.also_in_corpus.discard(plan.ids[path])
                continue
            cached_run.stored.add(path)
            collector.add(result)
            done += 1
            if progress is not None:
                progress(done, len(files))
        taken_count = done

        def linting(linted: int, _: int) -> None:
            assert progress is not None
            progress(taken_count + linted, len(files))

        to_lint = [path for path in files if path in again]
        _lint_and_match(to_lint, config, options, phase, collector, cached_run, None if progress is None else linting)
    return collector.result(len(files))


def _adopted(paths: list[str], plan: _Rematch, cached_run: _CorpusCachedRun) -> Iterator[tuple[str, FileResult | None]]:
    """Each file's entry of the previous generation, kept in this one as it is (a hard link);
    None for a file to match again: not in the previous generation after all (a damaged
    entry), or its findings list a sentence that is no longer there (moved by a line added above it)."""
    assert cached_run.previous is not None
    previous = cached_run.previous[0]
    for path in paths:
        digest = cached_run.hashes[path]
        hit = previous.load(path, digest)
        if hit is None or hit.findings.names_any(plan.vacated):
            yield path, None
            continue
        cached_run.cache.adopt(path, digest, previous, hit)
        cached_run.linted[path] = digest
        yield path, FileResult(path, [], hit.problem, hit.lines, encoded=hit.findings, entry=hit.stored)


def _redated(
    paths: list[str], plan: _Rematch, config: Config, options: RunOptions, cached_run: _CorpusCachedRun
) -> Iterator[tuple[str, FileResult | None]]:
    """:func:`_adopted` for a previous generation of another reference date: the findings of
    the rules that depend on it (REFERENCE_DATE_RULES: stale dates, relative dates) are
    found again, in worker processes, and take the place of its; every other finding
    (the corpus rules' above all) stands, since nothing it depends on changed (the plan
    said so). The entries are stored anew.

    The date rules need the parsed page, so this costs about what the document rules
    alone do, not what matching the corpus does: a CI cache restored on the next day.
    """
    from linter.rules import REFERENCE_DATE_RULES

    assert cached_run.previous is not None
    previous = cached_run.previous[0]
    # Every other rule ignored: what is left is what this run's options make of the date rules.
    lint_options = dataclasses.replace(
        options, baseline=None, corpus=False, ignore=options.ignore | (frozenset(config.rules) - REFERENCE_DATE_RULES)
    )
    dated = [path for path in paths if active_rules(config, path, lint_options)]
    if len(dated) < len(paths):
        undated = set(paths).difference(dated)
        yield from _adopted([path for path in paths if path in undated], plan, cached_run)
    # (cache_dir set: lint_file hashes the bytes it lints, which must be the ones hashed before)
    for result in _lint_all(dated, config, lint_options, None):
        path = result.path
        digest = cached_run.hashes[path]
        hit = previous.load(path, digest)
        if (
            hit is None
            or hit.findings.names_any(plan.vacated)
            or result.content_hash != digest
            or (result.problem is not None and result.problem.level != "notice")
        ):
            yield path, None
            continue
        merged = _with_findings_of(result, hit, REFERENCE_DATE_RULES)
        cached_run.linted[path] = digest
        cached_run.store(merged)
        yield path, merged


def _with_findings_of(fresh: FileResult, entry: CachedEntry, rules: frozenset[str]) -> FileResult:
    """``entry``'s findings with those of ``rules`` replaced by ``fresh``'s, still as rows
    (decoding and encoding 100 findings with 20 related locations each, per page, cost more
    than the date rules), with the source lines they point at."""
    findings = entry.findings.replacing(rules, EncodedFindings.encode(fresh.diagnostics))
    wanted = findings.lines()
    lines = {line: text for line, text in entry.lines.items() if line in wanted}
    lines.update(fresh.lines)
    return FileResult(fresh.path, [], entry.problem, lines, encoded=findings)


@dataclass
class _CorpusCachedRun:
    """The results cache of a run with corpus rules.

    A file's findings then depend on every file of the corpus, so the cache directory is
    keyed by a digest of the whole corpus's content as well (``CorpusPhase.corpus_digest``):
    a re-run where nothing changed loads every file's findings, document and corpus rules
    together, without parsing or matching anything. (A file's entry is written when its
    corpus findings are known.)

    After a change, a run of :data:`INCREMENTAL_MIN_FILES` files or more starts from the
    previous generation: a generation every file of a run was stored in gets a manifest
    (the index's files and content hashes then, the corpus's size, the working directory).
    When the index still holds exactly what that manifest says, or what it says with the
    changes the index's journal notes since (runs of fewer files, pre-commit runs, write
    their change logs there: linter/corpus/index.py), the run stores its changed files
    first, and linter/corpus/changes.py names the pages those changes (and the journal's)
    can affect; only those and the changed ones are linted and matched again, every other
    file's entry is taken over from the previous generation (hard-linked). Anything else
    (the index changed in a way no journal entry accounts for, the number of pages moved
    the topic-phrase threshold, more than :data:`INCREMENTAL_MAX_SHARE` of the run to redo)
    lints and matches every file.
    """

    cache: ResultCache
    as_of: str  # the reference date of this run (ISO), in its manifest
    hashes: dict[str, str]  # run file → content hash read before the run
    texts: dict[str, str] = field(default_factory=dict)  # run file's index key → hash of its text
    previous: tuple[ResultCache, dict[str, Any]] | None = None  # the previous generation and its manifest
    start_files: dict[str, tuple[int, str]] | None = None  # what the index held before this run wrote to it
    # The index's changes between the manifest and start_files are in the change log already
    # (the journal of the smaller runs between: linter/corpus/index.py).
    noted: bool = False
    linted: dict[str, str | None] = field(default_factory=dict)  # run file → hash of what was linted
    stored: set[str] = field(default_factory=set)  # run files with an entry in this generation

    def load_all(self, take: Callable[[FileResult], None], progress: Callable[[int, int], None] | None) -> bool:
        """Hand every run file's cached results to ``take``, in order; False as soon as one is missing."""
        total = len(self.hashes)
        for done, (path, digest) in enumerate(self.hashes.items(), 1):
            hit = self.cache.load_summary(path, digest)
            if hit is None:
                return False
            take(FileResult(path, [], hit.problem, entry=hit.findings))
            if progress is not None:
                progress(done, total)
        return True

    def note_hashes(self, results: Iterable[FileResult]) -> Iterator[FileResult]:
        for result in results:
            self.linted[result.path] = result.content_hash
            yield result

    def store(self, result: FileResult, as_rows: bool = False) -> FileResult:
        """Store a file's final findings (before the baseline), unless it changed while the run
        read it; the result to hand on. With ``as_rows``, findings encoded for the entry go on
        as those rows (the spool takes rows as they are: encoding a cold 1,000-page run's
        findings once for the cache and again for the spool cost its main process 0.55 s)."""
        digest = self.hashes.get(result.path)
        if digest is None or self.linted.get(result.path) != digest:
            return result
        if result.problem is not None and result.problem.level != "notice":
            return result
        self.stored.add(result.path)
        encoded = result.encoded if result.encoded is not None else EncodedFindings.encode(result.diagnostics)
        stored = self.cache.store_entry(result.path, digest, CachedEntry(encoded, result.problem, result.lines))
        if as_rows and result.encoded is None:  # the spool takes the entry's data if in order
            return dataclasses.replace(result, diagnostics=[], encoded=encoded, entry=stored)
        return result

    def finish(self, phase: CorpusPhase) -> None:
        """After a run: the manifest, if every run file has its entry; older generations go."""
        complete = phase.final_files is not None and self.stored.issuperset(self.hashes)
        if len(self.hashes) >= INCREMENTAL_MIN_FILES and complete:
            from linter.corpus.match import working_directory

            manifest = {
                "cwd": working_directory(),
                "as_of": self.as_of,
                "documents": phase.documents,
                "files": phase.final_files,
                "journal": phase.journal_end,
            }
            self.cache.write_manifest(manifest)
        if len(self.hashes) >= PRUNE_MIN_FILES:
            self.cache.prune_generations()


# A run of at least this many files leaves a manifest of its generation of the results cache,
# and starts from the previous generation's entries after a change (see _CorpusCachedRun).
INCREMENTAL_MIN_FILES = 24
# ... unless more than this share of its files must be linted and matched again anyway.
INCREMENTAL_MAX_SHARE = 0.5


def _open_corpus_cache(
    files: list[str], config: Config, options: RunOptions, phase: CorpusPhase
) -> _CorpusCachedRun | None:
    from linter.corpus.changes import ChangeLog, replayed
    from linter.corpus.extract import content_hash as text_hash
    from linter.corpus.extract import index_key
    from linter.corpus.match import working_directory

    assert options.cache_dir is not None
    # Generations of one settings directory differ in corpus or reference date: the newest
    # one with a manifest is the previous run's even when it ran on another day.
    settings_cache = ResultCache.open(options.cache_dir, config, cache_settings(options))
    if settings_cache is None:
        return None
    hashes: dict[str, str] = {}  # path → hash of the bytes (the cache entry's key)
    texts: dict[str, str] = {}  # index key → hash of the text, as the index keeps it
    for path in files:
        data = read_bytes(path)
        if isinstance(data, FileResult):  # unreadable: the uncached run reports it
            return None
        try:
            text = decode(data).text
        except UnreadableFile:
            return None
        hashes[path] = content_hash(data)
        texts[index_key(path)] = text_hash(text.encode("utf-8", "surrogatepass"))
    previous = None
    start_files = None
    noted = False
    if len(files) >= INCREMENTAL_MIN_FILES and options.corpus_index is None and not phase.index.in_memory:
        phase.keep_files = True
        previous = settings_cache.newest_manifest()
        if previous is not None:  # what the index holds before corpus_digest() brings it up to date
            start_files = phase.files_held()
            log = ChangeLog()
            recorded = previous[1]["files"]
            journal = previous[1].get("journal")
            if start_files != recorded and isinstance(journal, int):
                # Written to by runs too small for a manifest since (pre-commit): their journal
                # entries, if they account for every difference, say what they changed.
                logs = phase.index.journal_since(journal)
                if logs is not None and replayed(recorded, logs) == start_files:
                    for entry in logs:
                        log.merge(entry)
                    noted = True
            phase.index.change_log = log
    # The same digest whether a page is in the run or only in the corpus: a one-file
    # pre-commit run reuses the entries of the full run before it when nothing changed.
    # Related locations name other pages relative to the working directory (IndexView._path):
    # entries written from another directory would show other paths.
    stamp = f"{phase.corpus_digest(texts)}\0{working_directory()}\0{options.as_of.isoformat()}"
    generation = text_hash(stamp.encode("utf-8", "surrogatepass"))
    if options.corpus_index is not None:  # check --index: the whole artefact is the corpus
        stat = os.stat(options.corpus_index)
        stamp = f"{generation}\0{os.path.abspath(options.corpus_index)}\0{stat.st_size}\0{stat.st_mtime_ns}"
        generation = text_hash(stamp.encode("utf-8", "surrogatepass"))
    cache = settings_cache.generation(generation)
    if cache is None:
        if previous is not None:
            phase.index.change_log = None
        return None
    return _CorpusCachedRun(cache, options.as_of.isoformat(), hashes, texts, previous, start_files, noted)


def cache_settings(options: RunOptions) -> dict[str, object]:
    """Everything besides the config, the text and the reference date that changes a file's
    results (the date names a generation of the settings directory: linter/cache.py)."""
    return {
        "select": sorted(options.select) if options.select is not None else None,
        "ignore": sorted(options.ignore),
        "report_unused_suppressions": options.report_unused_suppressions,
    }


def _lint_all_cached(
    files: list[str], config: Config, options: RunOptions, progress: Callable[[int, int], None] | None
) -> Iterable[FileResult]:
    """Answer unchanged files from the results cache; lint the rest (in parallel) and store them.

    Lookups happen here, before any worker starts, so a run where nothing changed never
    starts a process pool. Results come back in ``files`` order either way.
    """
    assert options.cache_dir is not None
    settings_cache = ResultCache.open(options.cache_dir, config, cache_settings(options))
    cache = None if settings_cache is None else settings_cache.generation(options.as_of.isoformat(), "as-of")
    if cache is None:
        yield from _lint_all(files, config, options, progress)
        return
    if len(files) >= PRUNE_MIN_FILES:  # other days' entries are never read again
        cache.prune_generations()
    cached: dict[int, FileResult] = {}
    missing: list[str] = []
    for index, path in enumerate(files):
        data = read_bytes(path)
        if isinstance(data, FileResult):  # unreadable: let the normal path report it
            missing.append(path)
            continue
        hit = cache.load_summary(path, content_hash(data))
        if hit is None:
            missing.append(path)
        else:
            cached[index] = FileResult(path, [], hit.problem, entry=hit.findings)
    total = len(files)
    fresh = iter(_lint_all(missing, config, options, None))
    for done, (index, path) in enumerate(enumerate(files), 1):
        result = cached.pop(index, None)
        if result is None:
            result = next(fresh)
            if result.content_hash is not None and (result.problem is None or result.problem.level == "notice"):
                cache.store(path, result.content_hash, CachedResult(result.diagnostics, result.problem, result.lines))
        yield result
        if progress is not None:
            progress(done, total)


def collect(results: Iterable[FileResult], problems: list[Problem], files_checked: int) -> RunResult:
    """A RunResult of ``results`` (standard input, tests), spooled like a run's."""
    with _Collector(problems) as collector:
        for result in results:
            collector.add(result)
    return collector.result(files_checked)


def _lint_all(
    files: list[str], config: Config, options: RunOptions, progress: Callable[[int, int], None] | None
) -> Iterable[FileResult]:
    total = len(files)
    jobs = max(1, options.jobs)
    if jobs == 1 or total < PARALLEL_THRESHOLD:
        for done, path in enumerate(files, 1):
            yield lint_file(path, config, options)
            if progress is not None:
                progress(done, total)
        return
    from concurrent.futures import Future  # 30 ms to import: only when used

    from linter.workers import process_pool

    # The first file is linted here, before the workers start: rules compile their lexicon
    # regexes on first use (about 0.5 s for the default set), and workers forked after that
    # inherit them instead of compiling them again each.
    yield lint_file(files[0], config, options)
    if progress is not None:
        progress(1, total)
    files = files[1:]
    try:
        executor = process_pool(jobs)
    except (OSError, NotImplementedError) as error:  # no process support here: run serially
        print(f"doclint: running serially ({error})", file=sys.stderr)
        for done, path in enumerate(files, 2):
            yield lint_file(path, config, options)
            if progress is not None:
                progress(done, total)
        return
    # Chunks are submitted a few at a time, not all at once (executor.map): results that
    # finish while this process is busy storing earlier ones (corpus records are large) wait
    # in memory, so only this many chunks per worker may be out.
    chunksize = max(1, min(64, total // (jobs * 8)))
    chunks = (files[start : start + chunksize] for start in range(0, len(files), chunksize))
    done = 1
    try:
        pending: deque[Future[list[FileResult]]] = deque(
            executor.submit(_lint_files_in_worker, (chunk, config, options))
            for chunk in itertools.islice(chunks, jobs * CHUNKS_AHEAD)
        )
        while pending:
            results = pending.popleft().result()
            following = next(chunks, None)
            if following is not None:
                pending.append(executor.submit(_lint_files_in_worker, (following, config, options)))
            for result in results:
                done += 1
                yield result
                if progress is not None:
                    progress(done, total)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


# Chunks of files a lint worker may have finished or queued ahead of this process.
CHUNKS_AHEAD = 2


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
