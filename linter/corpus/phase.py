"""The corpus phase of a run: after document rules, before reporting.

1. While files are linted (in workers or not), each one's DocumentRecord is written to the
   index and dropped: parsed documents are never held together.
2. Files matched by the ``corpus:`` globs that are not in the run are brought up to date:
   a stat, then (only when size or mtime changed) a read and a content-hash check, then
   (only when the content changed) a parse.
3. Each run file's units are loaded back from the index and the corpus rules run on them;
   the file's own inline suppressions apply to what they report.
"""

from __future__ import annotations

import datetime
import itertools
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from linter.config import Config, RuleSettings
from linter.corpus.extract import Extractor, extractor_for, index_key
from linter.corpus.index import CorpusIndex, write_transaction
from linter.corpus.match import IndexView
from linter.corpus.model import CorpusDocument, CorpusView, DocumentRecord
from linter.corpus.settings import TEMPLATE_REUSE, option
from linter.diagnostic import Diagnostic
from linter.discover import Problem, skipped_directory
from linter.globs import compile_selection
from linter.rules import CORPUS_RULES
from linter.rules.base import RuleContext
from linter.spool import ChunkFile, Position
from linter.suppress import UNUSED_SUPPRESSION, Directive, apply_suppressions

if TYPE_CHECKING:
    from linter.engine import FileResult, RunOptions


@dataclass
class _RunFile:
    """A run file waiting for the corpus rules (sent to workers: keep it small)."""

    path: str
    key: str
    file_id: int
    directives: list[Directive]


@dataclass
class _Parked:
    """What a run file's final result needs besides its corpus findings, spooled meanwhile."""

    diagnostics: list[Diagnostic]  # its document-rule findings, suppressions applied
    lines: dict[int, str]  # the source lines they point at
    line_texts: dict[int, str]  # the lines corpus findings can point at (every unit's line)


def corpus_rules_wanted(config: Config, select: frozenset[str] | None, ignore: frozenset[str]) -> bool:
    """Whether any corpus rule can run on some file of this run."""
    for rule_id in CORPUS_RULES:
        if rule_id in ignore or rule_id not in config.rules:
            continue
        if select is not None:
            if rule_id in select:
                return True
            continue
        if config.rules[rule_id].enabled or any(o.rules.get(rule_id, {}).get("enabled") for o in config.overrides):
            return True
    return False


def index_location(config: Config) -> str:
    settings = config.rules.get(TEMPLATE_REUSE)
    location = str(option(settings.options if settings else {}, "index"))
    if location == ":memory:" or os.path.isabs(location):
        return location
    return os.path.join(str(config.root), location)


class CorpusPhase:
    def __init__(self, config: Config, artefact: str | None = None, jobs: int = 1) -> None:
        self.config = config
        self.jobs = jobs  # worker processes: extraction of many changed corpus files, the corpus rules
        self.extractor: Extractor = extractor_for(config)
        if artefact is None:
            self.index = CorpusIndex(index_location(config), self.extractor.fingerprint)
        else:  # doclint check --index: read-only, the run's files in memory (linter/corpus/artefact.py)
            from linter.corpus.artefact import SnapshotIndex

            template_settings = config.rules.get(TEMPLATE_REUSE)
            options = template_settings.options if template_settings else {}
            self.index = SnapshotIndex(artefact, self.extractor.fingerprint, options)
        self.run_files: list[_RunFile] = []
        # Each run file's document findings and quotable lines wait on disk for its corpus findings.
        self._parked = ChunkFile()
        self._parked_at: list[Position] = []  # per run file, where its _Parked is
        self.parsed = 0  # corpus files (not in the run) parsed because they changed
        self._corpus_ids: dict[str, int] | None = None  # key → index id, set by refresh_corpus
        self.content_hashes: dict[str, str] = {}  # key → content hash of the files refresh() brought up to date
        # Run files whose findings come from an earlier generation of the results cache: not
        # matched again, but still part of the corpus the others are compared with.
        self.also_in_corpus: set[int] = set()
        # Set keep_files to have finish() leave in ``final_files`` what the index held (key →
        # id, content hash) while the corpus rules ran, and in ``documents`` the corpus's size.
        self.keep_files = False
        self.final_files: dict[str, tuple[int, str]] | None = None
        self.journal_end = 0  # with keep_files: the index's last journal entry then
        self.documents = 0

    def observe(self, results: Iterable[FileResult]) -> Iterator[FileResult]:
        """Store each result's corpus record in the index and park the rest of the result until
        :meth:`finish` has its corpus findings; pass on, final already, those without a record.

        Records are stored :data:`STORE_BATCH` at a time, each batch in one transaction: a
        page's fingerprints land all over the index's B-trees, and a commit per page writes
        those pages out again and again (on 1,000 pages, 34 CPU s of storing instead of 18).
        """
        with self.index.filling():
            pending: list[tuple[FileResult, DocumentRecord]] = []
            for result in results:
                record = result.corpus
                result.corpus = None
                if record is None:  # unreadable or skipped: nothing for the corpus rules
                    yield result
                    continue
                pending.append((result, record))
                if len(pending) >= STORE_BATCH:
                    self._store(pending)
                    pending = []
            self._store(pending)

    def _store(self, pending: list[tuple[FileResult, DocumentRecord]]) -> None:
        """Store the run's records, in order (so the same files get the same ids), in one
        transaction; then park each result."""
        if not pending:
            return
        file_ids: list[int] = []
        with write_transaction(self.index.connection), self.index.counts_batched():
            for _, record in pending:
                stored = self.index.stored(record.key)
                if stored is not None and stored.content_hash == record.content_hash:
                    if (stored.size, stored.mtime_ns) != (record.size, record.mtime_ns):
                        self.index.touch(stored.id, record.size, record.mtime_ns)
                    file_ids.append(stored.id)
                else:
                    file_ids.append(self.index.store(record))
        for (result, record), file_id in zip(pending, file_ids, strict=True):
            self.run_files.append(_RunFile(result.path, record.key, file_id, record.directives))
            parked = _Parked(result.diagnostics, result.lines, record.line_texts)
            self._parked_at.append(self._parked.append(parked))

    def close(self) -> None:
        """Close the index and drop what is parked (both may be closed already)."""
        self.index.close()
        self._parked.close()

    # -- the rest of the corpus

    def corpus_paths(self) -> list[str]:
        """The ``corpus:`` files under the config root, as absolute normalised paths (index keys).

        In the order of a top-down ``os.walk`` with sorted names (index ids follow it), but
        from ``os.scandir`` with one regex call per file: a one-file pre-commit run walks the
        whole corpus, and ``os.walk`` with per-file ``relpath``, ``join`` and three glob
        matches was 45 ms of it at 10,000 pages (25 ms now).
        """
        selected = compile_selection(
            (tuple(self.config.corpus), tuple(self.config.include)), tuple(self.config.exclude)
        )
        if selected is None:
            return []
        found: list[str] = []
        to_visit = [(index_key(str(self.config.root)), "")]  # (directory, its path relative to the root + "/")
        while to_visit:
            directory, relative = to_visit.pop()
            files: list[str] = []
            subdirectories: list[str] = []
            try:
                with os.scandir(directory) as entries:
                    for entry in entries:
                        if not entry.is_dir():
                            files.append(entry.name)
                        elif not entry.is_symlink() and not skipped_directory(
                            entry.path
                        ):  # os.walk does not follow links
                            subdirectories.append(entry.name)
            except OSError:
                continue  # unreadable: left out, as os.walk does
            base = os.path.join(directory, "")
            files.sort()
            found.extend([base + name for name in files if selected(relative + name)])
            subdirectories.sort(reverse=True)  # popped in sorted order
            to_visit.extend((base + name, f"{relative}{name}/") for name in subdirectories)
        return found

    def refresh(
        self, paths: Iterable[str], skip: set[str] | frozenset[str] = frozenset(), keyed: bool = False
    ) -> dict[str, int]:
        """Bring the index entries of ``paths`` (but the keys in ``skip``) up to date; key → index id.
        ``keyed``: the paths are index keys already (:meth:`corpus_paths`).

        A stat per file; only a file whose size or mtime changed is read, and only one whose
        content changed is parsed (``doclint corpus build``'s ``extract_batch``), in ``jobs``
        worker processes from :data:`PARALLEL_REFRESH` such files on (a first run, a checkout).
        An unreadable file is left out.
        """
        ids: dict[str, int] = {}
        changed: list[tuple[str, str, str | None]] = []  # (path, key, the content hash the index holds)
        paths = list(paths)
        # One query for a corpus walk (10,000 SELECTs cost a one-file run ~0.3 s), one per file else.
        known = self.index.stored_files() if len(paths) > 100 else None
        for path in paths:
            key = path if keyed else index_key(path)
            if key in skip:
                continue
            try:
                stat = os.stat(path)
            except OSError:
                continue
            stored = known.get(key) if known is not None else self.index.stored(key)
            if stored is None:
                changed.append((path, key, None))
                continue
            file_id, content_hash, size, mtime_ns = stored
            if (size, mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                ids[key] = file_id
                self.content_hashes[key] = content_hash
            else:
                changed.append((path, key, content_hash))
        if changed:
            self._index_changed(changed, ids)
        return ids

    def _index_changed(self, changed: list[tuple[str, str, str | None]], ids: dict[str, int]) -> None:
        """Read, and parse where the text changed, the files :meth:`refresh` found changed; add their ids to ``ids``."""
        # Imported here: a one-file pre-commit run against a current index never needs it (5 ms).
        from linter.corpus.build import Task, Unchanged, batches, local_mapper

        tasks = [Task(path, key, stored_hash) for path, key, stored_hash in changed]
        parallel = len(tasks) >= PARALLEL_REFRESH and not self.index.in_memory
        jobs = self.jobs if parallel else 1
        for outcomes in local_mapper(jobs)(batches(tasks, jobs), self.config):
            with write_transaction(self.index.connection), self.index.counts_batched():  # one transaction per batch
                for outcome in outcomes:
                    if isinstance(outcome, Problem):
                        continue
                    if isinstance(outcome, Unchanged):  # same text, new stat
                        stored = self.index.stored(outcome.key)
                        if stored is not None:
                            self.index.touch(stored.id, outcome.size, outcome.mtime_ns)
                            ids[outcome.key] = stored.id
                            self.content_hashes[outcome.key] = stored.content_hash
                        continue
                    outcome.directives, outcome.line_texts = [], {}  # corpus files: not reported on
                    ids[outcome.key] = self.index.store(outcome)
                    self.content_hashes[outcome.key] = outcome.content_hash
                    self.parsed += 1

    def refresh_corpus(self, run_keys: set[str]) -> set[int]:
        """Bring the ``corpus:`` files that are not in the run up to date; their index ids.

        Done once per run (a second call answers from the first).
        """
        if self._corpus_ids is None:
            self._corpus_ids = self.refresh(self.corpus_paths(), skip=run_keys, keyed=True)
        return set(self._corpus_ids.values())

    def corpus_digest(self, run_hashes: dict[str, str]) -> str:
        """A hash of everything the corpus rules compare a run file with.

        ``run_hashes`` maps each run file's index key to its content hash; the files of the
        corpus outside the run count with the content hash the index holds for them (after
        :meth:`refresh_corpus`). While the digest is unchanged, so are the corpus findings.
        """
        import hashlib

        self.refresh_corpus(set(run_hashes))
        assert self._corpus_ids is not None
        # The hashes refresh() saw (three scans of a 10,000-row files table were 0.05 s of a one-file run).
        state = {**{key: self.content_hashes[key] for key in self._corpus_ids}, **run_hashes}
        text = "\n".join(f"{key}\0{digest}" for key, digest in sorted(state.items()))
        return hashlib.blake2b(f"{self.extractor.fingerprint}\n{text}".encode(), digest_size=16).hexdigest()

    # -- the rules

    def finish(
        self,
        problems: list[Problem],
        select: frozenset[str] | None,
        ignore: frozenset[str],
        report_unused: bool,
        as_of: object,
    ) -> Iterator[FileResult]:
        """Run the corpus rules; yield each run file's final result (document and corpus
        findings, its suppressions applied, sorted) in run order, as soon as it is known.
        Notices about the index go to ``problems``."""
        from linter.engine import FileResult

        corpus_ids = self.refresh_corpus({f.key for f in self.run_files})
        corpus_ids.update(f.file_id for f in self.run_files)
        corpus_ids.update(self.also_in_corpus)
        self.index.forget_missing(corpus_ids)
        everything = self.index.holds_only(corpus_ids)
        self.documents = len(corpus_ids)
        files_before = self.files_held() if self.keep_files else None
        if self.keep_files:
            self.journal_end = self.index.journal_end()
        for notice in self.index.notices:
            problems.append(Problem(self.index.location, notice, "notice"))
        if not self.run_files:  # (every run file's findings came from an earlier generation)
            self.final_files = files_before
            return
        work = _CorpusWork(
            self.config,
            self.index.location,
            self.index.fingerprint,
            None if everything else sorted(corpus_ids),
            [f.file_id for f in self.run_files],
            select,
            ignore,
            as_of,
        )
        if not self.index.in_memory:  # writing is over: give back the write cache (it grows with the index)
            self.index.connection.execute(f"PRAGMA cache_size=-{READ_CACHE_KIB}")
        checked = _check_all(work, self.index, self.run_files, self.jobs)
        for run_file, position, (kept, used) in zip(self.run_files, self._parked_at, checked, strict=True):
            parked: _Parked = self._parked.read(position)
            for number, directive in enumerate(run_file.directives):
                directive.used = directive.used or number in used
            diagnostics = parked.diagnostics
            if report_unused:
                diagnostics = _without_unused_reports(diagnostics, run_file)
            diagnostics.extend(kept)
            diagnostics.sort(key=Diagnostic.sort_key)
            lines = parked.lines
            for diagnostic in kept:
                text = parked.line_texts.get(diagnostic.line)
                if text is not None:
                    lines[diagnostic.line] = text
            yield FileResult(run_file.path, diagnostics, None, lines)
        if files_before is not None and self.files_held() == files_before:  # (no other process wrote meanwhile)
            self.final_files = files_before
        self.index.close()

    def files_held(self) -> dict[str, tuple[int, str]]:
        """Key → (id, content hash) of every indexed file."""
        return {key: (row[0], row[1]) for key, row in self.index.stored_files().items()}


@dataclass(frozen=True)
class _CorpusWork:
    """What the corpus rules need besides the run files: plain data, sent to worker processes."""

    config: Config
    location: str
    fingerprint: str
    corpus_ids: list[int] | None  # None: every indexed file (10,000 ids need not fill a table per slice)
    run_ids: list[int]  # every run file's index id (a worker prepares the matching for all of them once)
    select: frozenset[str] | None
    ignore: frozenset[str]
    as_of: object


# Run files' records stored per transaction (the write lock is held only while they are written,
# about 1.5 s for 128 new pages). A cold 1,000-page run, 3 alternating runs each: median 29.39 s
# with 32 (the WAL written again for every batch), 27.92 s with 128, 35 MB more at its peak.
STORE_BATCH = 128
# From this many changed corpus files (outside the run), they are extracted in worker processes.
PARALLEL_REFRESH = 24
# Below this many run files, worker processes for the corpus rules cost more than they save.
PARALLEL_RUN_FILES = 64

# Run files per task of a corpus worker: small, so findings come back in small ordered pieces,
# yet a topic's pages (50 in the generated corpus) mostly share one slice's aggregates.
SLICE_FILES = 50
# Slices submitted ahead of the one being reported on, per worker: workers stay busy while
# finished slices wait in the main process only this far ahead.
SLICES_AHEAD = 2
# SQLite page cache of a corpus worker's read-only connection, and of the main process's once
# the run's files are stored (the index's own CACHE_KIB is for writing; see linter/corpus/index.py).
READ_CACHE_KIB = 32 * 1024

_Checked = tuple[list[Diagnostic], set[int]]  # a run file's kept findings, directives used (by number)


def _check_all(work: _CorpusWork, index: CorpusIndex, run_files: list[_RunFile], jobs: int) -> Iterator[_Checked]:
    """The corpus rules on every run file, in order: here, or in ``jobs`` processes.

    Workers only read the index (each through its own connection, opened once, with this
    run's corpus in its own temporary tables) and take contiguous slices of
    :data:`SLICE_FILES` run files; aggregates are computed per slice, for the keys its files
    hold, so a slice of pages about one topic shares most of them. At most
    ``jobs * SLICES_AHEAD`` slices are out at a time, and each comes back as soon as it is
    done, so neither the workers nor this process ever hold more than a few slices' findings.
    An in-memory index cannot be shared: then everything runs here.
    """
    if jobs <= 1 or len(run_files) < PARALLEL_RUN_FILES or index.in_memory:
        yield from _check_run_files(work, index, run_files)
        return
    from concurrent.futures import Future

    from linter.workers import process_pool

    size = max(1, min(SLICE_FILES, -(-len(run_files) // jobs)))
    slices = iter([run_files[start : start + size] for start in range(0, len(run_files), size)])
    _release_free_memory()
    try:
        executor = process_pool(jobs, initializer=_start_worker, initargs=(work,))
    except (OSError, NotImplementedError):  # no process support here: run serially
        yield from _check_run_files(work, index, run_files)
        return
    try:
        pending: deque[Future[list[_Checked]]] = deque()
        for part in itertools.islice(slices, jobs * SLICES_AHEAD):
            pending.append(executor.submit(_check_slice_in_worker, part))
        while pending:
            checked = pending.popleft().result()
            following = next(slices, None)
            if following is not None:
                pending.append(executor.submit(_check_slice_in_worker, following))
            yield from checked
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _release_free_memory() -> None:
    """Before forking the corpus workers: give the heap's free pages back to the system
    (glibc's ``malloc_trim``; nothing elsewhere). Storing a cold run's records leaves this
    process's heap large and mostly free; each forked worker would map it too."""
    if not sys.platform.startswith("linux"):
        return
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        ctypes.CDLL(None).malloc_trim(0)  # (the process's own symbols: the C library's)


_worker: tuple[_CorpusWork, CorpusIndex, IndexView] | None = None  # in a worker process: its work, connection, view


def _start_worker(work: _CorpusWork) -> None:
    """Worker process start: receive the run's plain data once; open a read-only connection
    and prepare the matching for every run file (see :func:`_matching`)."""
    global _worker
    from multiprocessing.util import Finalize

    index = CorpusIndex(work.location, work.fingerprint, checked=True)
    # Workers only read: the index's large write cache (CACHE_KIB) would make each worker's
    # memory grow with the index; the operating system caches the file's pages for all of them.
    index.connection.execute(f"PRAGMA cache_size=-{READ_CACHE_KIB}")
    Finalize(index, index.close, exitpriority=10)
    _worker = (work, index, _matching(work, index, work.run_ids))


def _check_slice_in_worker(run_files: list[_RunFile]) -> list[_Checked]:
    assert _worker is not None, "_start_worker runs first in every worker"
    work, _, view = _worker
    return list(_check_with(work, view, run_files))


def _check_run_files(work: _CorpusWork, index: CorpusIndex, run_files: list[_RunFile]) -> Iterator[_Checked]:
    """One (kept findings, directives used) per run file, in order (nothing kept without corpus rules)."""
    yield from _check_with(work, _matching(work, index, [f.file_id for f in run_files]), run_files)


def _matching(work: _CorpusWork, index: CorpusIndex, run_ids: list[int]) -> IndexView:
    """The index prepared for matching the files ``run_ids`` against the run's corpus.

    Once per process for the whole run, not per slice: the postings the near search walks
    are mostly shared by every slice (phrases common to all topics), and copying them for
    each slice of 50 pages was 0.33 s a slice, 6.5 CPU s of a cold 1,000-page run, where
    preparing them once for all 1,000 pages takes 0.9 s.
    """
    index.set_corpus(work.corpus_ids, run_ids)
    template_settings = work.config.rules.get(TEMPLATE_REUSE)
    return IndexView(index, template_settings.options if template_settings else {})


def _check_with(work: _CorpusWork, view: IndexView, run_files: list[_RunFile]) -> Iterator[_Checked]:
    from linter.engine import RunOptions

    config = work.config
    index = view.index
    options = RunOptions(as_of=work.as_of, select=work.select, ignore=work.ignore)  # type: ignore[arg-type]
    for run_file in run_files:
        rules = corpus_rules_for(config, run_file.path, options)
        if not rules:
            yield [], set()
            continue
        found = corpus_findings(rules, index.document(run_file.file_id, run_file.path), view, config, options.as_of)
        kept = apply_suppressions(found, run_file.directives)
        yield kept, {number for number, d in enumerate(run_file.directives) if d.used}


def corpus_rules_for(config: Config, path: str, options: RunOptions) -> list[RuleSettings]:
    """The corpus rules that run on ``path`` (enabled or selected, not ignored)."""
    from linter.engine import active_rules

    return [settings for settings in active_rules(config, path, options) if settings.id in CORPUS_RULES]


def corpus_findings(
    rules: list[RuleSettings], document: CorpusDocument, view: CorpusView, config: Config, as_of: datetime.date
) -> list[Diagnostic]:
    """What the corpus ``rules`` find in ``document`` (before its suppressions)."""
    found: list[Diagnostic] = []
    for settings in rules:
        context = RuleContext.for_rule(settings, config.lexicons, as_of)
        found.extend(CORPUS_RULES[settings.id].check(document, view, context))
    return found


def _without_unused_reports(diagnostics: list[Diagnostic], run_file: _RunFile) -> list[Diagnostic]:
    """A directive that silenced a corpus finding was used after all: drop its unused report."""
    used = {d.line for d in run_file.directives if d.used}
    if not used:
        return diagnostics
    return [d for d in diagnostics if not (d.rule == UNUSED_SUPPRESSION and d.path == run_file.path and d.line in used)]
