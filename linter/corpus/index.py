"""The corpus index: one SQLite file of per-document units and fingerprints.

- Keyed per file by path, with (size, mtime) as the fast path and a content hash behind it;
  globally by the extraction fingerprint (settings, lexicons, schema): when that changes,
  the index is emptied and rebuilt.
- WAL journal, a busy timeout and one ``BEGIN IMMEDIATE`` transaction per file, so two
  doclint processes can share it (pre-commit runs hooks in parallel).
- A damaged file is detected when opened (``PRAGMA quick_check``) and rebuilt with a
  notice; a location that cannot be written falls back to an in-memory index.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from linter.corpus.changes import ChangeLog, Contribution, CountChanges, PostingRow, StoredRows, UnitRow
from linter.corpus.model import CorpusDocument, DocumentRecord, Mention, Unit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files(
  id INTEGER PRIMARY KEY,
  key TEXT UNIQUE NOT NULL,
  content_hash TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  subject TEXT NOT NULL,
  subject_source TEXT NOT NULL,
  multi INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS units(
  file_id INTEGER NOT NULL, unit INTEGER NOT NULL,
  t1 INTEGER NOT NULL, t2 INTEGER NOT NULL,
  line INTEGER NOT NULL, col INTEGER NOT NULL, end_line INTEGER NOT NULL, end_col INTEGER NOT NULL,
  tokens INTEGER NOT NULL, content INTEGER NOT NULL, text TEXT NOT NULL, extra TEXT NOT NULL,
  PRIMARY KEY (file_id, unit)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS units_t1 ON units(t1);
CREATE INDEX IF NOT EXISTS units_t2 ON units(t2);
CREATE TABLE IF NOT EXISTS wfp(
  fp INTEGER NOT NULL, file_id INTEGER NOT NULL, unit INTEGER NOT NULL, tok INTEGER NOT NULL,
  t1 INTEGER NOT NULL,  -- the unit's t1, copied: counting a shingle's sentence variants reads wfp alone
  PRIMARY KEY (fp, file_id, unit, tok)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS wfp_file ON wfp(file_id);
CREATE TABLE IF NOT EXISTS fp_files(fp INTEGER PRIMARY KEY, files INTEGER NOT NULL, variants INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS fp_variants(
  fp INTEGER NOT NULL, t1 INTEGER NOT NULL, files INTEGER NOT NULL, PRIMARY KEY (fp, t1)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS fp_variant_added AFTER INSERT ON fp_variants
  BEGIN UPDATE fp_files SET variants = variants + 1 WHERE fp = NEW.fp; END;
CREATE TRIGGER IF NOT EXISTS fp_variant_removed AFTER DELETE ON fp_variants
  BEGIN UPDATE fp_files SET variants = variants - 1 WHERE fp = OLD.fp; END;
CREATE TABLE IF NOT EXISTS journal(seq INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS key_subjects(
  tier INTEGER NOT NULL, key INTEGER NOT NULL, subject TEXT NOT NULL, files INTEGER NOT NULL,
  PRIMARY KEY (tier, key, subject)) WITHOUT ROWID;
"""
# fp_files, fp_variants and key_subjects are running counts over every indexed file, kept by
# store() and forget_missing() (or, for an empty index filled by one run, counted once at the
# end: CorpusIndex.filling): on how many files each shingle is, with which sentence hashes
# (t1) and how many of those, and which subjects' files hold each t1 (tier 1) and t2 (tier 2)
# hash. fp_files.variants (the number of a shingle's fp_variants rows) is kept by the two
# triggers: an upsert fires the INSERT trigger only for a new (fp, t1) row, and a shingle's
# fp_files row is written before its fp_variants rows and deleted no sooner. Counting the
# rows instead read 1.3 million of them for one page's 565 shingles at 10,000 pages (0.3 s
# of a one-file run). When a run's
# corpus is the whole index they answer the matching's aggregates with one lookup per key,
# where counting postings grows with the corpus (linter/corpus/match.py).


def _statements(script: str) -> tuple[str, ...]:
    """The statements of ``script`` one by one (executescript would end the caller's
    transaction; a trigger's body holds semicolons of its own)."""
    statements: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending.strip())
            pending = ""
    return tuple(statements)


_SCHEMA_STATEMENTS = _statements(_SCHEMA)
# The secondary indexes (name → statement): a run that fills an empty index builds them once,
# at the end of its stores (see CorpusIndex.filling).
_SECONDARY_INDEXES = {
    statement.split()[5]: statement for statement in _SCHEMA_STATEMENTS if statement.startswith("CREATE INDEX")
}
_TABLES = ("wfp", "units", "files", "meta", "fp_files", "fp_variants", "key_subjects", "journal")
_COUNTS_PENDING = "counts_pending"  # a meta key: the running counts lack stored files (see filling)


def _count_everything(connection: sqlite3.Connection) -> None:
    """Make the running counts again from the rows they count, in the caller's transaction:
    each count is the number of files with such rows, as store() sums them file by file
    (tests/corpus/test_index.py compares the two). fp_files is emptied first and filled last,
    so the variant triggers find no row to update: its ``variants`` are counted here too."""
    execute = connection.execute
    for table in ("fp_files", "fp_variants", "key_subjects"):
        execute(f"DELETE FROM {table}")
    execute("INSERT INTO fp_variants(fp, t1, files) SELECT fp, t1, COUNT(DISTINCT file_id) FROM wfp GROUP BY fp, t1")
    execute(
        "INSERT INTO fp_files(fp, files, variants) "
        "SELECT fp, COUNT(DISTINCT file_id), COUNT(DISTINCT t1) FROM wfp GROUP BY fp"
    )
    for tier, column in ((1, "t1"), (2, "t2")):
        execute(
            "INSERT INTO key_subjects(tier, key, subject, files) "
            f"SELECT {tier}, units.{column}, files.subject, COUNT(DISTINCT units.file_id) "
            f"FROM units JOIN files ON files.id = units.file_id GROUP BY units.{column}, files.subject"
        )
    execute(f"DELETE FROM meta WHERE key = '{_COUNTS_PENDING}'")


BUSY_TIMEOUT_MS = 60_000
# SQLite's page cache, per connection (allocated as used). The default, 2 MB, made every
# batch of index writes re-read and re-write the pages of the count tables' B-trees:
# \`doclint corpus build\` on 10,000 pages wrote 45 GB for a 1.4 GB index (20 minutes).
# A check run keeps it moderate (its worker processes are forked after the writes, and a
# large cache would count in every one of them: see READ_CACHE_KIB in phase.py); corpus
# build, a writer and nothing else, takes BUILD_CACHE_KIB.
CACHE_KIB = 64 * 1024
BUILD_CACHE_KIB = 256 * 1024
# The journal keeps the newest JOURNAL_KEPT entries, and a run that changed more than
# JOURNAL_MAX_FILES pages writes none (the next run of the whole corpus matches every page again).
JOURNAL_KEPT = 500
JOURNAL_MAX_FILES = 64
# Below this size a full PRAGMA quick_check runs on open (about 5 ms per MB); above it, the
# header and file size are checked and damage found later is reported by SQLite itself.
QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024
_MAGIC = b"SQLite format 3\x00"


class IndexDamaged(Exception):
    pass


class StoredFile(NamedTuple):
    id: int
    content_hash: str
    size: int
    mtime_ns: int


# StoredFile's fields as a plain tuple: a corpus walk reads one per indexed file, and building
# 10,000 named tuples was 11 ms of a one-file pre-commit run's 25 ms query at 10,000 pages.
StoredRow = tuple[int, str, int, int]
# A sentence as the matching lists it: (file id, line, column, end line, end column).
SentenceRow = tuple[int, int, int, int, int]
_UNIT_COLUMNS = "file_id, unit, t1, t2, line, col, end_line, end_col, tokens, content, text, extra"


class CorpusIndex:
    def __init__(self, location: str, fingerprint: str, checked: bool = False) -> None:
        """Open (and check, create or rebuild) the index at ``location``.

        ``checked``: another process of this run has just opened and checked it (worker
        processes of the corpus phase, which only read): connect without checking.
        """
        self.location = location
        self.fingerprint = fingerprint
        self.notices: list[str] = []
        self.in_memory = location == ":memory:"
        if self.in_memory:
            self.connection = self._connect(":memory:")
            return
        if checked:
            self.connection = self._connect(location)
            return
        try:
            self.connection = self._open_file(location)
        except IndexDamaged as error:
            self.notices.append(f"the corpus index {location} was damaged ({error}); rebuilt it")
            _remove(location)
            self.connection = self._open_file(location)
        except (OSError, sqlite3.Error) as error:
            self.notices.append(
                f"cannot use the corpus index {location} ({_reason(error)}); using an in-memory index for this run"
            )
            self.in_memory = True
            self.connection = self._connect(":memory:")

    # -- opening

    def _connect(self, location: str) -> sqlite3.Connection:
        connection = sqlite3.connect(location, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        if location == ":memory:":
            connection.executescript(_SCHEMA)
            self._set_meta(connection)
        return connection

    def _open_file(self, location: str) -> sqlite3.Connection:
        directory = os.path.dirname(os.path.abspath(location))
        created = not os.path.isdir(directory)
        os.makedirs(directory, exist_ok=True)
        if created and os.path.basename(directory) == ".doclint-cache":
            _mark_cache_directory(directory)
        problem = _header_problem(location)
        if problem:
            raise IndexDamaged(problem)
        connection = self._connect(location)
        try:
            if os.path.exists(location) and os.path.getsize(location) <= QUICK_CHECK_MAX_BYTES:
                status = connection.execute("PRAGMA quick_check").fetchone()
                if status is None or status[0] != "ok":
                    raise IndexDamaged(str(status[0]) if status else "no answer to an integrity check")
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA_STATEMENTS:
                    connection.execute(statement)
                row = connection.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
                if row is None or row[0] != self.fingerprint:
                    # Other settings or another schema version: start again from new tables (an
                    # older schema's tables may lack columns).
                    for table in _TABLES:
                        connection.execute(f"DROP TABLE IF EXISTS {table}")
                    for statement in _SCHEMA_STATEMENTS:
                        connection.execute(statement)
                    self._set_meta(connection)
                elif connection.execute(f"SELECT 1 FROM meta WHERE key = '{_COUNTS_PENDING}'").fetchone():
                    _count_everything(connection)  # a run filled it and stopped before counting
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as error:
            connection.close()
            if isinstance(error, sqlite3.OperationalError) and not _looks_damaged(error):
                raise
            raise IndexDamaged(_reason(error)) from None
        return connection

    def _set_meta(self, connection: sqlite3.Connection) -> None:
        connection.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('fingerprint', ?)", (self.fingerprint,))

    def close(self) -> None:
        """Close the connection; first, with :attr:`journal` set, note the change log in the journal."""
        log = self.change_log
        if self.journal and log is not None and log.files:
            self.journal = False
            try:
                with write_transaction(self.connection):
                    self.connection.execute("INSERT INTO journal(data) VALUES (?)", (log.to_data(),))
                    self.connection.execute(
                        "DELETE FROM journal WHERE seq <= (SELECT MAX(seq) FROM journal) - ?", (JOURNAL_KEPT,)
                    )
            except sqlite3.Error:
                pass  # (the next run of the whole corpus then matches every page again)
        self.connection.close()

    # -- the journal: what runs that leave no manifest changed (linter/engine.py, _CorpusCachedRun)

    # A run too small to leave a manifest of its results-cache generation (a pre-commit run)
    # sets this with a change_log: close() then writes the log to the journal table, so that
    # the next run of the whole corpus can still tell what changed since its own manifest.
    journal = False

    def keep_journal(self) -> None:
        """Note what this connection changes from now on, and write it to the journal on close()."""
        self.change_log = ChangeLog()
        self.journal = True

    def journal_end(self) -> int:
        """The number of the last journal entry ever written (0: none)."""
        row = self.connection.execute("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").fetchone()
        return int(row[0]) if row else 0

    def journal_since(self, seq: int) -> list[ChangeLog] | None:
        """The change logs noted after entry ``seq``, in order; None when one of them is gone
        (pruned) or unreadable."""
        logs: list[ChangeLog] = []
        for number, data in self.connection.execute("SELECT seq, data FROM journal WHERE seq > ? ORDER BY seq", (seq,)):
            if number != seq + len(logs) + 1:
                return None
            try:
                logs.append(ChangeLog.from_data(bytes(data)))
            except (ValueError, TypeError, EOFError):
                return None
        return logs if seq + len(logs) == self.journal_end() else None

    # -- files

    def stored(self, key: str) -> StoredFile | None:
        return self._stored_in("files", key)

    def stored_files(self) -> dict[str, StoredRow]:
        """Key → :meth:`stored` of every indexed file, in one query (a corpus walk looks up thousands)."""
        return self._stored_files_in("files")

    def _stored_in(self, table: str, key: str) -> StoredFile | None:
        row = self.connection.execute(
            f"SELECT id, content_hash, size, mtime_ns FROM {table} WHERE key = ?", (key,)
        ).fetchone()
        return StoredFile(*row) if row else None

    def _stored_files_in(self, table: str) -> dict[str, StoredRow]:
        rows = self.connection.execute(f"SELECT key, id, content_hash, size, mtime_ns FROM {table}")
        return {row[0]: row[1:] for row in rows}

    def file_count(self) -> int:
        """How many files the index holds."""
        return int(self.connection.execute("SELECT COUNT(*) FROM files").fetchone()[0])

    def touch(self, file_id: int, size: int, mtime_ns: int) -> None:
        self.connection.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, file_id))

    def store(self, record: DocumentRecord) -> int:
        """Replace what the index holds for ``record.key`` (one transaction, or the caller's).

        A caller that holds a transaction (corpus build, a batch of records; a buffer query,
        rolled back) gets no BEGIN/COMMIT of this method's own.
        """
        connection = self.connection
        with write_transaction(connection):
            row = connection.execute(
                "SELECT id, subject, multi, content_hash FROM files WHERE key = ?", (record.key,)
            ).fetchone()
            values = (
                record.content_hash,
                record.size,
                record.mtime_ns,
                record.subject,
                record.subject_source,
                int(record.multi_subject),
            )
            stored_units: dict[int, UnitRow] = {}
            stored_postings: set[PostingRow] = set()
            before = Contribution(set(), set(), set())
            if row is None:
                cursor = connection.execute(
                    "INSERT INTO files(key, content_hash, size, mtime_ns, subject, subject_source, multi) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (record.key, *values),
                )
                file_id = int(cursor.lastrowid or 0)
            else:
                file_id = int(row[0])
                stored_units, stored_postings = self._stored_rows(file_id)
                before = Contribution.of(stored_units.values(), stored_postings, str(row[1]))
                connection.execute(
                    "UPDATE files SET content_hash = ?, size = ?, mtime_ns = ?, subject = ?, subject_source = ?, "
                    "multi = ? WHERE id = ?",
                    (*values, file_id),
                )
            units = {u.index: _unit_row(file_id, u) for u in record.units}
            t1_of = {u.index: u.t1 for u in record.units}
            postings = {(fp, file_id, unit, tok, t1_of[unit]) for fp, unit, tok in record.winnow}
            # Only the rows that changed are written. Deleting and inserting every row of a page
            # again dirtied ~800 pages of the index for a one-line edit (shingles are random
            # hashes: each posting sits on a B-tree page of its own), and the checkpoint that
            # copies them back on close doubled that cost.
            self._write_units(file_id, stored_units, units)
            connection.executemany(
                "DELETE FROM wfp WHERE fp = ? AND file_id = ? AND unit = ? AND tok = ?",
                sorted(posting[:4] for posting in stored_postings - postings),
            )
            # In key order: each row lands next to the one before in wfp's B-tree.
            connection.executemany(
                "INSERT OR IGNORE INTO wfp VALUES (?, ?, ?, ?, ?)", sorted(postings - stored_postings)
            )
            counting = not self._counts_deferred
            if not counting and self.change_log is None:
                return file_id  # counted at the end of filling(), with every other file
            after = Contribution.of(units.values(), postings, record.subject)
            # Only what changed: a one-line edit of a page re-counted its ~600 shingles twice
            # (0.05 s of a one-file run at 10,000 pages, most of it writing the same rows back).
            gained, lost = after.minus(before), before.minus(after)
            changes = self._batched_counts if self._batched_counts is not None else CountChanges()
            if counting:
                changes.add(gained, +1)
                changes.add(lost, -1)
            if self.change_log is not None:
                old = (
                    None
                    if row is None
                    else StoredRows(str(row[1]), bool(row[2]), stored_units, stored_postings, (record.key, str(row[3])))
                )
                new = StoredRows(
                    record.subject, record.multi_subject, units, postings, (record.key, record.content_hash)
                )
                self._note(file_id, old, new, gained, lost)
            if counting and changes is not self._batched_counts:
                self._write_counts(changes)
        return file_id

    whole_corpus = False  # set_corpus(None, ...): the corpus is every indexed file
    _batched_counts: CountChanges | None = None  # inside counts_batched()
    _counts_deferred = False  # inside filling() of an empty index: counted at its end
    change_log: ChangeLog | None = None  # when set, store() and remove() note what they change there

    def _note(
        self, file_id: int, old: StoredRows | None, new: StoredRows | None, gained: Contribution, lost: Contribution
    ) -> None:
        """Record a change in the change log; for the journal, only up to JOURNAL_MAX_FILES pages
        (past it no entry is written, and a first run over a big corpus keeps no log of it all)."""
        assert self.change_log is not None
        self.change_log.record(file_id, old, new, gained, lost)
        if self.journal and len(self.change_log.files) > JOURNAL_MAX_FILES:
            self.change_log, self.journal = None, False

    def _stored_rows(self, file_id: int) -> tuple[dict[int, UnitRow], set[PostingRow]]:
        """The units rows (by unit number) and wfp rows the index holds for ``file_id``."""
        execute = self.connection.execute
        rows = execute(f"SELECT {_UNIT_COLUMNS} FROM units WHERE file_id = ?", (file_id,))
        units = {int(row[1]): row for row in rows}
        postings = set(execute("SELECT fp, file_id, unit, tok, t1 FROM wfp WHERE file_id = ?", (file_id,)))
        return units, postings

    def _write_units(self, file_id: int, stored: dict[int, UnitRow], units: dict[int, UnitRow]) -> None:
        """Turn the units rows ``stored`` into ``units``, writing only the rows that differ.

        A unit whose hashes are the same (lines moved, say) is updated in place: its entries
        in the t1 and t2 indexes stay as they are.
        """
        removed = [(file_id, unit) for unit in stored if unit not in units]
        moved: list[tuple[Any, ...]] = []
        added: list[UnitRow] = []
        for unit, row in units.items():
            before = stored.get(unit)
            if before == row:
                continue
            if before is not None and before[2:4] == row[2:4]:
                moved.append((*row[4:], file_id, unit))
                continue
            if before is not None:
                removed.append((file_id, unit))
            added.append(row)
        executemany = self.connection.executemany
        executemany("DELETE FROM units WHERE file_id = ? AND unit = ?", removed)
        executemany(
            "UPDATE units SET line = ?, col = ?, end_line = ?, end_col = ?, tokens = ?, content = ?, text = ?, "
            "extra = ? WHERE file_id = ? AND unit = ?",
            moved,
        )
        executemany(f"INSERT INTO units({_UNIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", added)

    @contextlib.contextmanager
    def filling(self) -> Iterator[None]:
        """Around the stores of a run: when the index is empty (a first run, a new checkout),
        its secondary indexes (units by hash, wfp by file) are dropped first and built once at
        the end from sorted rows, instead of growing with a random insert per row; and the
        running counts are not kept store by store but counted once at the end, by SQLite,
        from the rows they count (:func:`_count_everything`).

        The one process that writes is what a cold run waits on while the pages are linted: at
        1,000 pages (--jobs 2) a cold check took 27.02 s instead of 27.92 s (medians of 3) and
        ``corpus build`` 13.66-14.05 s instead of 14.48-14.71 s with the indexes built at the
        end (25-40 MB more at the peak, the sort); keeping the counts was 5.6 s more of that
        process's time at 1,000 pages, counting them at the end takes about 1.5 s.

        A run stopped in between (an interrupt, an error) does not stay to do either: the next
        open does (the schema's ``IF NOT EXISTS``; the ``counts_pending`` meta row, written
        with the first drop). Meanwhile another process reads the same rows, slower, and
        running counts that lack the files stored since the fill began (its findings may then
        miss matches with those pages, as if it had run before them).
        """
        deferred = not self.in_memory and self.file_count() == 0
        if deferred:
            with write_transaction(self.connection):
                for name in _SECONDARY_INDEXES:
                    self.connection.execute(f"DROP INDEX IF EXISTS {name}")
                self.connection.execute(f"INSERT OR REPLACE INTO meta(key, value) VALUES ('{_COUNTS_PENDING}', '1')")
        self._counts_deferred = deferred
        try:
            yield
        finally:
            self._counts_deferred = False
        if deferred:
            with write_transaction(self.connection):
                for statement in _SECONDARY_INDEXES.values():
                    self.connection.execute(statement)
                _count_everything(self.connection)

    @contextlib.contextmanager
    def counts_batched(self) -> Iterator[None]:
        """Inside the caller's transaction: the running-count changes of every store() and
        remove() in the block are summed and written once at its end.

        The pages of a batch are mostly one series (a topic's 50 state pages share most
        shingles): writing their counts page by page upserted the same fp_files rows over and
        over (322k count rows for the 200-page benchmark corpus in batches of 32 pages, 161k
        summed), and the count tables were a quarter of ``corpus build``'s writing time.
        """
        self._batched_counts = CountChanges()
        try:
            yield
            changes = self._batched_counts
        finally:
            self._batched_counts = None
        self._write_counts(changes)

    def _write_counts(self, changes: CountChanges) -> None:
        """Apply ``changes`` to the running counts; counts that reach 0 go (a key's rows then
        say exactly who holds it). A shingle's fp_files row is written before its fp_variants
        rows (the triggers count variants there)."""
        executemany = self.connection.executemany
        executemany(
            "INSERT INTO fp_files(fp, files, variants) VALUES (?, ?, 0) "
            "ON CONFLICT(fp) DO UPDATE SET files = files + excluded.files",
            sorted((fp, change) for fp, change in changes.fps.items() if change),
        )
        executemany(
            "INSERT INTO fp_variants(fp, t1, files) VALUES (?, ?, ?) "
            "ON CONFLICT(fp, t1) DO UPDATE SET files = files + excluded.files",
            sorted((fp, t1, change) for (fp, t1), change in changes.variants.items() if change),
        )
        executemany(
            "INSERT INTO key_subjects(tier, key, subject, files) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(tier, key, subject) DO UPDATE SET files = files + excluded.files",
            sorted((*key, change) for key, change in changes.keys.items() if change),
        )
        executemany(
            "DELETE FROM fp_files WHERE fp = ? AND files <= 0",
            sorted((fp,) for fp, change in changes.fps.items() if change < 0),
        )
        executemany(
            "DELETE FROM fp_variants WHERE fp = ? AND t1 = ? AND files <= 0",
            sorted(variant for variant, change in changes.variants.items() if change < 0),
        )
        executemany(
            "DELETE FROM key_subjects WHERE tier = ? AND key = ? AND subject = ? AND files <= 0",
            sorted(key for key, change in changes.keys.items() if change < 0),
        )

    def holds_only(self, file_ids: set[int]) -> bool:
        """True when the indexed files are ``file_ids`` (ids of indexed files) and no others."""
        return int(self.connection.execute("SELECT COUNT(*) FROM files").fetchone()[0]) <= len(file_ids)

    def forget_missing(self, keep: set[int]) -> None:
        """Drop indexed files that no longer exist on disk (and are not in this run)."""
        self._forget(keep, lambda key: not os.path.exists(key))

    def forget_all_but(self, keep: set[int]) -> None:
        """Drop every indexed file but ``keep`` (the corpus and a run's files): those gone from
        disk, and those an earlier run stored from outside the corpus (a pre-commit run on a
        README, say), which the corpus's own pages are never compared with."""
        self._forget(keep, lambda key: True)

    def _forget(self, keep: set[int], gone_if: Callable[[str], bool]) -> None:
        if self.holds_only(keep):
            return
        gone = [
            file_id
            for file_id, key in self.connection.execute("SELECT id, key FROM files").fetchall()
            if file_id not in keep and gone_if(key)
        ]
        if not gone:
            return
        with write_transaction(self.connection), self.counts_batched():
            self.remove(gone)

    def remove(self, file_ids: Iterable[int]) -> None:
        """Delete these files' rows and counts, inside the caller's transaction."""
        execute = self.connection.execute
        for file_id in file_ids:
            changes = self._batched_counts if self._batched_counts is not None else CountChanges()
            subject, multi, key, content_hash = execute(
                "SELECT subject, multi, key, content_hash FROM files WHERE id = ?", (file_id,)
            ).fetchone()
            units, postings = self._stored_rows(file_id)
            lost = Contribution.of(units.values(), postings, str(subject))
            changes.add(lost, -1)
            if self.change_log is not None:
                old = StoredRows(str(subject), bool(multi), units, postings, (str(key), str(content_hash)))
                self._note(file_id, old, None, Contribution(set(), set(), set()), lost)
            if changes is not self._batched_counts:
                self._write_counts(changes)
            execute("DELETE FROM units WHERE file_id = ?", (file_id,))
            execute("DELETE FROM wfp WHERE file_id = ?", (file_id,))
            execute("DELETE FROM files WHERE id = ?", (file_id,))

    def document(self, file_id: int, path: str) -> CorpusDocument:
        connection = self.connection
        subject, source, multi = connection.execute(
            "SELECT subject, subject_source, multi FROM files WHERE id = ?", (file_id,)
        ).fetchone()
        units = tuple(
            _unit(row)
            for row in connection.execute(
                "SELECT unit, text, line, col, end_line, end_col, tokens, content, t1, t2, extra "
                "FROM units WHERE file_id = ? ORDER BY unit",
                (file_id,),
            )
        )
        return CorpusDocument(file_id, path, subject, source, bool(multi), units)

    # -- what the matching reads of other files (linter/corpus/match.py). ``corpus_join`` is
    # the join on ``temp.corpus`` for the alias ``o`` when the corpus is not every indexed file.

    def sentences_with(self, column: str, key: int, limit: int, corpus_join: str = "") -> list[SentenceRow]:
        """The first ``limit`` sentences with ``column`` hash ``key``, in index order (file id, unit)."""
        return self.connection.execute(
            "SELECT o.file_id, o.line, o.col, o.end_line, o.end_col "
            f"FROM units o {corpus_join} JOIN files f ON f.id = o.file_id WHERE o.{column} = ? LIMIT ?",
            (key, limit),
        ).fetchall()

    def sentences_about(
        self, column: str, key: int, subject: str, other_than: int, limit: int, corpus_join: str = ""
    ) -> list[SentenceRow]:
        """:meth:`sentences_with` on pages about ``subject`` alone, but file ``other_than``."""
        return self.connection.execute(
            "SELECT o.file_id, o.line, o.col, o.end_line, o.end_col "
            f"FROM units o {corpus_join} JOIN files f ON f.id = o.file_id "
            f"WHERE o.{column} = ? AND f.subject = ? AND f.multi = 0 AND o.file_id != ? LIMIT ?",
            (key, subject, other_than, limit),
        ).fetchall()

    def file_rows(self, file_ids: list[int]) -> list[tuple[int, str, str, int]]:
        """(id, key, subject, multi) of the files ``file_ids`` (at most 500 of them)."""
        return self._file_rows_in("main", file_ids)

    def sentence_size(self, file_id: int, unit: int) -> tuple[int, int, int, int, int] | None:
        """(tokens, line, col, end line, end col) of one sentence, if indexed."""
        return self._sentence_size_in("main", file_id, unit)

    # (the two lookups above in one database of the connection: an artefact's is "base")

    def _file_rows_in(self, schema: str, file_ids: list[int]) -> list[tuple[int, str, str, int]]:
        return self.connection.execute(
            f"SELECT id, key, subject, multi FROM {schema}.files WHERE id IN ({', '.join('?' * len(file_ids))})",
            file_ids,
        ).fetchall()

    def _sentence_size_in(self, schema: str, file_id: int, unit: int) -> tuple[int, int, int, int, int] | None:
        row = self.connection.execute(
            f"SELECT tokens, line, col, end_line, end_col FROM {schema}.units WHERE file_id = ? AND unit = ?",
            (file_id, unit),
        ).fetchone()
        return None if row is None else (int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]))

    def set_corpus(self, corpus: Iterable[int] | None, run: Iterable[int]) -> None:
        """This run's corpus (None: every indexed file) and the files it reports on (temporary
        tables of this connection; ``temp.corpus`` stays empty for every file)."""
        connection = self.connection
        self.whole_corpus = corpus is None
        for table, ids in (("corpus", corpus or ()), ("run", run)):
            connection.execute(f"DROP TABLE IF EXISTS temp.{table}")
            connection.execute(f"CREATE TEMP TABLE {table}(file_id INTEGER PRIMARY KEY)")
            connection.executemany(f"INSERT OR IGNORE INTO temp.{table} VALUES (?)", ((i,) for i in ids))


def _unit_row(file_id: int, unit: Unit) -> UnitRow:
    return (
        file_id,
        unit.index,
        unit.t1,
        unit.t2,
        unit.line,
        unit.column,
        unit.end_line,
        unit.end_column,
        unit.tokens,
        unit.content,
        unit.text,
        _extra(unit),
    )


def _extra(unit: Unit) -> str:
    def mention(m: Mention) -> list[object]:
        return [m.subject, m.kind, m.text, m.start, m.end, m.line, m.column, m.end_line, m.end_column]

    return json.dumps(
        {"m": [mention(m) for m in unit.mentions], "d": [[mention(a), mention(b)] for a, b in unit.doubled]},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _mention(item: list[Any]) -> Mention:
    subject, kind, text, start, end, line, column, end_line, end_column = item
    return Mention(
        str(subject), str(kind), str(text), int(start), int(end), int(line), int(column), int(end_line), int(end_column)
    )


def _unit(row: tuple[Any, ...]) -> Unit:
    index, text, line, column, end_line, end_column, tokens, content, t1, t2, extra = row
    data = json.loads(str(extra))
    return Unit(
        index=int(index),
        text=str(text),
        line=int(line),
        column=int(column),
        end_line=int(end_line),
        end_column=int(end_column),
        tokens=int(tokens),
        content=int(content),
        t1=int(t1),
        t2=int(t2),
        mentions=tuple(_mention(m) for m in data["m"]),
        doubled=tuple((_mention(a), _mention(b)) for a, b in data["d"]),
    )


def _header_problem(location: str) -> str:
    """Why the file at ``location`` cannot be a whole SQLite database, or ''."""
    try:
        size = os.path.getsize(location)
        if size == 0:
            return ""
        with open(location, "rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return ""
    except OSError as error:
        return error.strerror or str(error)
    if len(header) < 100 or not header.startswith(_MAGIC):
        return "not an SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]  # the page count is trustworthy
    if valid and pages and size < pages * page_size:
        return f"truncated: {size} bytes of {pages * page_size}"
    return ""


def _looks_damaged(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return any(word in text for word in ("malformed", "not a database", "corrupt", "disk image"))


@contextlib.contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, ``ROLLBACK`` on any exception; when the caller already
    holds a transaction (corpus build's batches, a buffer query's rolled-back one), join it."""
    own = not connection.in_transaction
    if own:
        connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        if own:
            connection.execute("COMMIT")
    except BaseException:
        if own:
            connection.execute("ROLLBACK")
        raise


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


def _remove(location: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(location + suffix)


def _mark_cache_directory(directory: str) -> None:
    """Like ruff's cache: tell backup tools and git to skip it."""
    try:
        with open(os.path.join(directory, ".gitignore"), "w", encoding="utf-8") as handle:
            handle.write("# Created by doclint\n*\n")
        with open(os.path.join(directory, "CACHEDIR.TAG"), "w", encoding="utf-8") as handle:
            handle.write("Signature: 8a477f597d28d172789f06886806bc55\n# doclint corpus index\n")
    except OSError:
        pass
