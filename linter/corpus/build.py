"""``doclint corpus build``: extract every file's corpus record and store it in the index artefact.

Work is split in two so that the extraction can run anywhere:

- :func:`extract_batch` (pure: paths in, records out) reads, parses and fingerprints a batch
  of files. It runs in this process, in a local process pool (``--engine local``) or on the
  workers of a Dask cluster (``--engine dask``, :mod:`linter.corpus.dask_engine`), which read
  the files themselves: every worker must see them at the same paths.
- The client stores the records in the SQLite index in one process (SQLite has one writer),
  in the order the files were discovered, so that the same files get the same ids, and so
  the same report, whatever the engine.

Unchanged files are skipped as in ``doclint check``: same size and mtime, no read at all;
same content hash, no parse (the worker reads and hashes them, the client only updates the
stat).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from linter.config import Config
from linter.corpus.artefact import write_report_info
from linter.corpus.extract import content_hash, extractor_for, index_key
from linter.corpus.index import BUILD_CACHE_KIB, CorpusIndex, write_transaction
from linter.corpus.model import DocumentRecord
from linter.discover import Problem, discover
from linter.read import UnreadableFile, decode, read_bytes

ENGINES = ("local", "dask")
MAX_BATCH = 32  # files per task: large enough to amortise scheduling, small enough to balance


@dataclass(frozen=True)
class Task:
    path: str  # as discovered (messages)
    key: str  # absolute, normalised: what workers read
    stored_hash: str | None  # the indexed content hash, when the file is indexed


@dataclass(frozen=True)
class Unchanged:
    """Same bytes as indexed (only the stat changed)."""

    key: str
    size: int
    mtime_ns: int


Outcome = Union[DocumentRecord, Unchanged, Problem]  # noqa: UP007 (pickled across processes; keep it plain)
BatchMapper = Callable[[list[list[Task]], Config], Iterator[list[Outcome]]]


class EngineError(Exception):
    """The engine cannot run (not installed, scheduler unreachable); the message says what to do."""


@dataclass
class BuildSummary:
    files: int = 0  # files discovered
    extracted: int = 0  # parsed and stored
    unchanged: int = 0  # same size and mtime, or same content
    bytes_extracted: int = 0
    seconds: float = 0.0
    store_seconds: float = 0.0  # of which writing to SQLite (the single writer)
    store_cpu_seconds: float = 0.0
    workers: int = 1
    engine: str = "local"
    problems: list[Problem] = field(default_factory=list)

    def line(self) -> str:
        megabytes = self.bytes_extracted / 1e6
        rate = megabytes / self.seconds if self.seconds > 0 else 0.0
        return (
            f"doclint: corpus build: {self.files} pages ({self.extracted} extracted, {self.unchanged} unchanged), "
            f"{megabytes:.1f} MB in {self.seconds:.1f} s (writing the index: {self.store_seconds:.1f} s, "
            f"{self.store_cpu_seconds:.1f} s CPU), "
            f"{rate:.2f} MB/s ({self.engine} engine, {self.workers} worker{'s' if self.workers != 1 else ''})"
        )


def extract_batch(tasks: list[Task], config: Config) -> list[Outcome]:
    """Read, hash and (when the bytes changed) parse and fingerprint each file of ``tasks``."""
    from linter.parse import parse_document

    extractor = extractor_for(config)
    outcomes: list[Outcome] = []
    for task in tasks:
        try:  # by absolute path (the key): a worker's working directory is not the client's
            stat = os.stat(task.key)
            data = read_bytes(task.key)
            source = decode(data)
        except UnreadableFile as error:
            outcomes.append(Problem(task.path, error.message, "notice" if error.skipped else "error"))
            continue
        except OSError as error:
            outcomes.append(Problem(task.path, f"cannot read: {error.strerror or error}", "error"))
            continue
        if task.stored_hash is not None and task.stored_hash == content_hash(
            source.text.encode("utf-8", "surrogatepass")
        ):
            outcomes.append(Unchanged(task.key, stat.st_size, stat.st_mtime_ns))
            continue
        document = parse_document(task.path, source.text, config.parse_options)
        record = extractor.record(document, task.key, for_run=True)  # directives and quoted lines too
        record.size, record.mtime_ns = stat.st_size, stat.st_mtime_ns
        outcomes.append(record)
    return outcomes


def batches(tasks: list[Task], workers: int) -> list[list[Task]]:
    size = max(1, min(MAX_BATCH, len(tasks) // max(1, workers * 8)))
    return [tasks[start : start + size] for start in range(0, len(tasks), size)]


def build(
    paths: Sequence[str],
    config: Config,
    location: str,
    mapper: BatchMapper,
    *,
    engine: str = "local",
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> BuildSummary:
    """Bring the index at ``location`` up to date with the files under ``paths``."""
    started = time.perf_counter()
    summary = BuildSummary(engine=engine, workers=workers)
    extractor = extractor_for(config)
    index = CorpusIndex(location, extractor.fingerprint)
    index.connection.execute(f"PRAGMA cache_size=-{BUILD_CACHE_KIB}")  # the only process writing
    if index.in_memory and location != ":memory:":
        index.close()
        raise EngineError(index.notices[-1] if index.notices else f"cannot write the corpus index {location}")
    for notice in index.notices:
        summary.problems.append(Problem(location, notice, "notice"))
    keep: set[int] = set()
    tasks: list[Task] = []
    for item in discover(paths, config):
        if isinstance(item, Problem):
            summary.problems.append(item)
            continue
        summary.files += 1
        key = index_key(item)
        stored = index.stored(key)
        if stored is not None:
            keep.add(stored.id)
            try:
                stat = os.stat(item)
            except OSError:
                stat = None
            if stat is not None and (stored.size, stored.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                summary.unchanged += 1
                continue
        tasks.append(Task(item, key, stored.content_hash if stored is not None else None))
    done = summary.unchanged
    try:
        with index.filling():
            for outcomes in mapper(batches(tasks, workers), config):
                writing, writing_cpu = time.perf_counter(), time.process_time()
                _store(index, outcomes, summary, keep)
                summary.store_seconds += time.perf_counter() - writing
                summary.store_cpu_seconds += time.process_time() - writing_cpu
                done += len(outcomes)
                if progress is not None:
                    progress(done, summary.files)
        index.forget_missing(keep)
    finally:
        _settle(index)
    summary.seconds = time.perf_counter() - started
    return summary


def _store(index: CorpusIndex, outcomes: Iterable[Outcome], summary: BuildSummary, keep: set[int]) -> None:
    """One transaction per batch: a page dirties about a thousand B-tree pages of fingerprints
    spread over the table, and a commit per page would write each of them again and again."""
    with write_transaction(index.connection), index.counts_batched():
        _store_batch(index, outcomes, summary, keep)


def _store_batch(index: CorpusIndex, outcomes: Iterable[Outcome], summary: BuildSummary, keep: set[int]) -> None:
    fresh: list[tuple[int, DocumentRecord]] = []
    for outcome in outcomes:
        if isinstance(outcome, Problem):
            summary.problems.append(outcome)
        elif isinstance(outcome, Unchanged):
            stored = index.stored(outcome.key)
            if stored is not None:
                index.touch(stored.id, outcome.size, outcome.mtime_ns)
            summary.unchanged += 1
        else:
            file_id = index.store(outcome)
            keep.add(file_id)
            fresh.append((file_id, outcome))
            summary.extracted += 1
            summary.bytes_extracted += max(0, outcome.size)
    write_report_info(index.connection, fresh, index.fingerprint)


def _settle(index: CorpusIndex) -> None:
    """Leave one self-contained file (no -wal beside it) that can be copied and opened read-only."""
    with contextlib.suppress(sqlite3.Error):
        index.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        index.connection.execute("PRAGMA journal_mode=DELETE")
    index.close()


# -- the local engine


def local_mapper(jobs: int) -> BatchMapper:
    """Batches in this process (``jobs`` 1) or in a pool of ``jobs`` worker processes, in order."""

    def mapper(work: list[list[Task]], config: Config) -> Iterator[list[Outcome]]:
        if jobs <= 1 or len(work) <= 1:
            for batch in work:
                yield extract_batch(batch, config)
            return
        from linter.workers import process_pool

        try:
            executor = process_pool(jobs)
        except (OSError, NotImplementedError) as error:
            print(f"doclint: running serially ({error})", file=sys.stderr)
            for batch in work:
                yield extract_batch(batch, config)
            return
        with executor:
            yield from in_order(lambda batch: executor.submit(extract_batch, batch, config), work, jobs * 4)

    return mapper


def in_order(submit: Callable[[list[Task]], Any], work: list[list[Task]], window: int) -> Iterator[list[Outcome]]:
    """Results of ``submit(batch)`` futures in submission order, at most ``window`` in flight.

    The bound keeps memory flat when the single SQLite writer is slower than the workers.
    """
    pending: deque[Any] = deque()
    batches_left = iter(work)
    for batch in itertools.islice(batches_left, max(1, window)):
        pending.append(submit(batch))
    while pending:
        future = pending.popleft()
        outcomes: list[Outcome] = future.result()
        following = next(batches_left, None)
        if following is not None:
            pending.append(submit(following))
        yield outcomes
