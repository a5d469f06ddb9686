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
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from linter.config import Config, RuleSettings
from linter.corpus.extract import Extractor, extractor_for, index_key
from linter.corpus.index import CorpusIndex
from linter.corpus.match import IndexView
from linter.corpus.model import CorpusDocument, CorpusView, DocumentRecord
from linter.corpus.settings import TEMPLATE_REUSE, option
from linter.diagnostic import Diagnostic
from linter.discover import SKIPPED_DIRECTORIES, Problem
from linter.globs import matches
from linter.rules import CORPUS_RULES
from linter.rules.base import RuleContext
from linter.suppress import UNUSED_SUPPRESSION, Directive, apply_suppressions

if TYPE_CHECKING:
    from linter.engine import RunOptions


@dataclass
class _RunFile:
    path: str
    key: str
    file_id: int
    directives: list[Directive]
    line_texts: dict[int, str] = field(default_factory=dict)


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

            self.index = SnapshotIndex(artefact, self.extractor.fingerprint)
        self.run_files: list[_RunFile] = []
        self.parsed = 0  # corpus files (not in the run) parsed because they changed
        self._corpus_ids: set[int] | None = None  # set by refresh_corpus

    def observe(self, results: Iterable[object]) -> Iterator[object]:
        """Pass FileResults through, storing and dropping their corpus records.

        Records are stored :data:`STORE_BATCH` at a time, each batch in one transaction: a
        page's fingerprints land all over the index's B-trees, and a commit per page writes
        those pages out again and again (on 1,000 pages, 34 CPU s of storing instead of 18).
        """
        from linter.engine import FileResult

        pending: list[tuple[str, DocumentRecord]] = []
        for result in results:
            assert isinstance(result, FileResult)
            record = result.corpus
            result.corpus = None
            if record is not None:
                pending.append((result.path, record))
                if len(pending) >= STORE_BATCH:
                    self._store(pending)
                    pending = []
            yield result
        self._store(pending)

    def _store(self, pending: list[tuple[str, DocumentRecord]]) -> None:
        """Store the run's records, in order (so the same files get the same ids), in one transaction."""
        if not pending:
            return
        connection = self.index.connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            for path, record in pending:
                stored = self.index.stored(record.key)
                if stored is not None and stored.content_hash == record.content_hash:
                    if (stored.size, stored.mtime_ns) != (record.size, record.mtime_ns):
                        self.index.touch(stored.id, record.size, record.mtime_ns)
                    file_id = stored.id
                else:
                    file_id = self.index.store(record)
                self.run_files.append(_RunFile(path, record.key, file_id, record.directives, record.line_texts))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.index.close()

    # -- the rest of the corpus

    def corpus_paths(self) -> list[str]:
        globs = self.config.corpus
        if not globs:
            return []
        root = str(self.config.root)
        include, exclude = self.config.include, self.config.exclude
        found: list[str] = []
        # Relative paths are built from the walk, not with os.path.relpath per file (that was
        # 2 s of a one-file pre-commit run's profile at 10,000 pages).
        for directory, directories, files in os.walk(root):
            directories[:] = sorted(
                d
                for d in directories
                if d not in SKIPPED_DIRECTORIES and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg"))
            )
            folder = os.path.relpath(directory, root).replace(os.sep, "/")
            prefix = "" if folder == "." else folder + "/"
            for name in sorted(files):
                relative = prefix + name
                if matches(relative, globs) and matches(relative, include) and not matches(relative, exclude):
                    found.append(os.path.join(directory, name))
        return found

    def refresh(self, paths: Iterable[str], skip: set[str] | frozenset[str] = frozenset()) -> dict[str, int]:
        """Bring the index entries of ``paths`` (but the keys in ``skip``) up to date; key → index id.

        A stat per file; only a file whose size or mtime changed is read, and only one whose
        content changed is parsed (``doclint corpus build``'s ``extract_batch``), in ``jobs``
        worker processes from :data:`PARALLEL_REFRESH` such files on (a first run, a checkout).
        An unreadable file is left out.
        """
        from linter.corpus.build import Task, Unchanged, batches, local_mapper

        ids: dict[str, int] = {}
        changed: list[Task] = []
        paths = list(paths)
        # One query for a corpus walk (10,000 SELECTs cost a one-file run ~0.3 s), one per file else.
        known = self.index.stored_files() if len(paths) > 100 else None
        for path in paths:
            key = index_key(path)
            if key in skip:
                continue
            try:
                stat = os.stat(path)
            except OSError:
                continue
            stored = known.get(key) if known is not None else self.index.stored(key)
            if stored is not None and (stored.size, stored.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                ids[key] = stored.id
            else:
                changed.append(Task(path, key, stored.content_hash if stored is not None else None))
        parallel = len(changed) >= PARALLEL_REFRESH and not self.index.in_memory
        jobs = self.jobs if parallel else 1
        connection = self.index.connection
        for outcomes in local_mapper(jobs)(batches(changed, jobs), self.config):
            connection.execute("BEGIN IMMEDIATE")  # one transaction per batch
            try:
                for outcome in outcomes:
                    if isinstance(outcome, Problem):
                        continue
                    if isinstance(outcome, Unchanged):  # same text, new stat
                        stored = self.index.stored(outcome.key)
                        if stored is not None:
                            self.index.touch(stored.id, outcome.size, outcome.mtime_ns)
                            ids[outcome.key] = stored.id
                        continue
                    outcome.directives, outcome.line_texts = [], {}  # corpus files: not reported on
                    ids[outcome.key] = self.index.store(outcome)
                    self.parsed += 1
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return ids

    def refresh_corpus(self, run_keys: set[str]) -> set[int]:
        """Bring the ``corpus:`` files that are not in the run up to date; their index ids.

        Done once per run (a second call answers from the first).
        """
        if self._corpus_ids is None:
            self._corpus_ids = set(self.refresh(self.corpus_paths(), skip=run_keys).values())
        return set(self._corpus_ids)

    def corpus_digest(self, run_hashes: dict[str, str]) -> str:
        """A hash of everything the corpus rules compare a run file with.

        ``run_hashes`` maps each run file's index key to its content hash; the files of the
        corpus outside the run count with the content hash the index holds for them (after
        :meth:`refresh_corpus`). While the digest is unchanged, so are the corpus findings.
        """
        import hashlib

        state = {**self.index.content_hashes(self.refresh_corpus(set(run_hashes))), **run_hashes}
        text = "\n".join(f"{key}\0{digest}" for key, digest in sorted(state.items()))
        return hashlib.blake2b(f"{self.extractor.fingerprint}\n{text}".encode(), digest_size=16).hexdigest()

    # -- the rules

    def finish(
        self,
        diagnostics: list[Diagnostic],
        problems: list[Problem],
        lines: dict[tuple[str, int], str],
        select: frozenset[str] | None,
        ignore: frozenset[str],
        report_unused: bool,
        as_of: object,
    ) -> None:
        corpus_ids = self.refresh_corpus({f.key for f in self.run_files})
        corpus_ids.update(f.file_id for f in self.run_files)
        self.index.forget_missing(corpus_ids)
        for notice in self.index.notices:
            problems.append(Problem(self.index.location, notice, "notice"))
        if not self.run_files:
            return
        work = _CorpusWork(
            self.config, self.index.location, self.index.fingerprint, sorted(corpus_ids), select, ignore, as_of
        )
        for run_file, kept, used in _check_all(work, self.index, self.run_files, self.jobs):
            for number, directive in enumerate(run_file.directives):
                directive.used = directive.used or number in used
            if report_unused:
                _drop_unused_reports(diagnostics, run_file)
            diagnostics.extend(kept)
            for diagnostic in kept:
                text = run_file.line_texts.get(diagnostic.line)
                if text is not None:
                    lines[(diagnostic.path, diagnostic.line)] = text
        self.index.close()


@dataclass(frozen=True)
class _CorpusWork:
    """What the corpus rules need besides the run files: plain data, sent to worker processes."""

    config: Config
    location: str
    fingerprint: str
    corpus_ids: list[int]
    select: frozenset[str] | None
    ignore: frozenset[str]
    as_of: object


# Run files' records stored per transaction (the write lock is held only while they are written).
STORE_BATCH = 32
# From this many changed corpus files (outside the run), they are extracted in worker processes.
PARALLEL_REFRESH = 24
# Below this many run files, worker processes for the corpus rules cost more than they save.
PARALLEL_RUN_FILES = 64

_Checked = tuple[_RunFile, list[Diagnostic], set[int]]  # run file, its kept findings, directives used (by number)


def _check_all(work: _CorpusWork, index: CorpusIndex, run_files: list[_RunFile], jobs: int) -> Iterator[_Checked]:
    """The corpus rules on every run file: in ``jobs`` processes, each on a contiguous slice.

    Workers only read the index (each through its own connection, with this run's corpus in
    its own temporary tables); aggregates are computed per slice, for the keys its files
    hold, so a slice of pages about one topic shares most of them. An in-memory index
    cannot be shared: then everything runs here.
    """
    if jobs <= 1 or len(run_files) < PARALLEL_RUN_FILES or index.in_memory:
        yield from _check_run_files(work, index, run_files)
        return
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(run_files) // jobs)
    slices = [run_files[start : start + size] for start in range(0, len(run_files), size)]
    try:
        executor = ProcessPoolExecutor(max_workers=len(slices))
    except (OSError, NotImplementedError):  # no process support here: run serially
        yield from _check_run_files(work, index, run_files)
        return
    with executor:
        for checked in executor.map(_check_slice_in_worker, ((work, part) for part in slices)):
            yield from checked


def _check_slice_in_worker(arguments: tuple[_CorpusWork, list[_RunFile]]) -> list[_Checked]:
    work, run_files = arguments
    index = CorpusIndex(work.location, work.fingerprint, checked=True)
    try:
        return list(_check_run_files(work, index, run_files))
    finally:
        index.close()


def _check_run_files(work: _CorpusWork, index: CorpusIndex, run_files: list[_RunFile]) -> Iterator[_Checked]:
    from linter.engine import RunOptions

    index.set_corpus(work.corpus_ids, (f.file_id for f in run_files))
    config = work.config
    template_settings = config.rules.get(TEMPLATE_REUSE)
    view = IndexView(index, template_settings.options if template_settings else {})
    options = RunOptions(as_of=work.as_of, select=work.select, ignore=work.ignore)  # type: ignore[arg-type]
    for run_file in run_files:
        rules = corpus_rules_for(config, run_file.path, options)
        if not rules:
            continue
        found = corpus_findings(rules, index.document(run_file.file_id, run_file.path), view, config, options.as_of)
        kept = apply_suppressions(found, run_file.directives)
        yield run_file, kept, {number for number, d in enumerate(run_file.directives) if d.used}


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


def _drop_unused_reports(diagnostics: list[Diagnostic], run_file: _RunFile) -> None:
    """A directive that silenced a corpus finding was used after all."""
    used = {d.line for d in run_file.directives if d.used}
    if not used:
        return
    diagnostics[:] = [
        d for d in diagnostics if not (d.rule == UNUSED_SUPPRESSION and d.path == run_file.path and d.line in used)
    ]
