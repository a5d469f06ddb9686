"""The corpus index as an artefact: built once (``doclint corpus build``), read by many.

The artefact is the same SQLite file as the CLI's corpus index (:mod:`linter.corpus.index`)
plus one table of its own, ``report_info``: each built file's inline suppression directives
and the source lines its units and mentions sit on, so that ``doclint corpus report`` applies
suppressions and quotes lines without reading (or parsing) the files again.

Readers never write to it:

- :class:`ArtefactIndex` opens it read-only (``doclint corpus report``); the temporary
  tables of the corpus phase live in the connection's own temp database.
- :class:`SnapshotIndex` (``doclint check --index ARTEFACT``) keeps the files of the run in
  an in-memory database, attaches the artefact read-only, and copies from it only what the
  matching's joins need (running counts, a few postings); the rest is looked up there. A
  pre-commit check therefore needs read access only, and two checks never contend for a lock.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from linter.corpus.index import (
    _SCHEMA,
    BUSY_TIMEOUT_MS,
    CorpusIndex,
    SentenceRow,
    StoredFile,
    StoredRow,
    write_transaction,
)
from linter.corpus.model import DocumentRecord
from linter.suppress import Directive

REPORT_INFO_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS report_info("
    "file_id INTEGER PRIMARY KEY, content_hash TEXT NOT NULL, fingerprint TEXT NOT NULL, "
    "directives TEXT NOT NULL, lines TEXT NOT NULL)"
)


class ArtefactError(Exception):
    """The artefact cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class ReportInfo:
    directives: list[Directive]
    line_texts: dict[int, str]


def connect_read_only(location: str) -> sqlite3.Connection:
    """A read-only connection to ``location`` (no write, no lock file needed beside it)."""
    if not os.path.isfile(location):
        raise ArtefactError(f"the corpus index {location} does not exist; build it with 'doclint corpus build'")
    uri = "file:" + _uri_path(os.path.abspath(location))
    last: sqlite3.Error | None = None
    # mode=ro first (sees a WAL a writer left behind); immutable=1 when the folder cannot hold
    # the -shm file a WAL database needs even for reading.
    for suffix in ("?mode=ro", "?mode=ro&immutable=1"):
        try:
            connection = sqlite3.connect(uri + suffix, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            connection.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            return connection
        except sqlite3.Error as error:
            last = error
    raise ArtefactError(f"cannot read the corpus index {location} ({last}); rebuild it with 'doclint corpus build'")


def check_fingerprint(connection: sqlite3.Connection, location: str, fingerprint: str) -> None:
    row = connection.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    if row is None or row[0] != fingerprint:
        raise ArtefactError(
            f"the corpus index {location} was built with other corpus settings or lexicons than this "
            "configuration; rebuild it with 'doclint corpus build --index "
            f"{location}' using the same rules.yaml, or pass that rules.yaml with --config"
        )


class ArtefactIndex(CorpusIndex):
    """A built artefact, opened read-only, for ``doclint corpus report``."""

    def __init__(self, location: str, fingerprint: str) -> None:  # no super().__init__: it would write
        self.location = location
        self.fingerprint = fingerprint
        self.notices: list[str] = []
        self.in_memory = False
        self.connection = connect_read_only(location)
        check_fingerprint(self.connection, location, fingerprint)

    def files(self) -> list[tuple[int, str, str]]:
        """(id, key, content hash) of every indexed file, by key."""
        return [
            (int(i), str(k), str(h))
            for i, k, h in self.connection.execute("SELECT id, key, content_hash FROM files ORDER BY key")
        ]

    def report_info(self, file_id: int, content_hash: str) -> ReportInfo | None:
        try:
            row = self.connection.execute(
                "SELECT content_hash, fingerprint, directives, lines FROM report_info WHERE file_id = ?", (file_id,)
            ).fetchone()
        except sqlite3.OperationalError:  # built by 'doclint check', not 'doclint corpus build'
            return None
        if row is None or row[0] != content_hash or row[1] != self.fingerprint:
            return None
        return ReportInfo(
            [_directive(item) for item in json.loads(row[2])], {int(k): str(v) for k, v in json.loads(row[3]).items()}
        )


_COLUMN = {1: "t1", 2: "t2"}  # the units column of each tier of key_subjects


class SnapshotIndex(CorpusIndex):
    """The run's files in memory over a read-only artefact (``doclint check --index``).

    File ids are the artefact's: a run file already in the artefact keeps its id, a new one
    gets the next free id, so matches come back in the same order as from the artefact itself
    once the file is built into it. The corpus is every file of the artefact plus the run.

    Only what the matching's SQL joins need is copied into memory, so a one-file check costs
    about the same against 1,000 pages as against 100,000 (copying every row that shared a
    hash or shingle with the page grew with the corpus: the series' topic phrase and
    site-wide boilerplate are on most pages):

    - the running counts (linter/corpus/index.py) of the hashes and (shingle, t1) pairs the
      run's files hold, before and after their change, which store() then keeps as for the
      CLI's own index, so the aggregates come from counts;
    - the postings of the run's shingles on at most ``max_postings`` pages (the near search
      reads no others).

    The rest the matching reads of other files (the sentences it lists, pages about a
    subject, a file's subject, a sentence's size) comes through the lookups of
    :class:`~linter.corpus.index.CorpusIndex`, answered here from memory for the run's own
    files and from the artefact, with its indexes, for the others.
    """

    def __init__(self, location: str, fingerprint: str, options: Mapping[str, Any]) -> None:
        self.location = location
        self.fingerprint = fingerprint
        self.notices: list[str] = []
        self.in_memory = True
        base = connect_read_only(location)
        check_fingerprint(base, location, fingerprint)
        base.close()
        self.connection = sqlite3.connect(":memory:", isolation_level=None, uri=True)
        self.connection.executescript(_SCHEMA)
        self._set_meta(self.connection)
        self.connection.execute(
            "ATTACH DATABASE ? AS base", ("file:" + _uri_path(os.path.abspath(location)) + "?mode=ro",)
        )
        execute = self.connection.execute
        self._base_files = int(execute("SELECT COUNT(*) FROM base.files").fetchone()[0])
        self._first_new_id = int(execute("SELECT COALESCE(MAX(id), 0) FROM base.files").fetchone()[0]) + 1
        self._next_id = self._first_new_id
        from linter.corpus.match import match_limits  # (here: the match module imports the rules' settings)

        limits = match_limits(options, self._base_files)
        self._max_related = limits.max_related
        self._max_postings = limits.max_postings
        # The count rows to copy (need_*), and those copied already (counted_*; see _copy_counts).
        for prefix in ("need", "counted"):
            execute(
                f"CREATE TEMP TABLE {prefix}_keys(tier INTEGER, key INTEGER, PRIMARY KEY (tier, key)) WITHOUT ROWID"
            )
            execute(f"CREATE TEMP TABLE {prefix}_variants(fp INTEGER, t1 INTEGER, PRIMARY KEY (fp, t1)) WITHOUT ROWID")
            execute(f"CREATE TEMP TABLE {prefix}_fps(fp INTEGER PRIMARY KEY)")
        execute("CREATE TEMP TABLE copy_ids(id INTEGER PRIMARY KEY)")

    def stored(self, key: str) -> StoredFile | None:
        """What the run holds for ``key``, else what the artefact holds (copied only if it is a run file)."""
        found = super().stored(key)
        return found if found is not None else self._stored_in("base.files", key)

    def stored_files(self) -> dict[str, StoredRow]:
        """The artefact's rows, overlaid with the run's copies."""
        return {**self._stored_files_in("base.files"), **super().stored_files()}

    def file_count(self) -> int:
        """The artefact's files and the run's new ones."""
        new = self.connection.execute("SELECT COUNT(*) FROM main.files WHERE id >= ?", (self._first_new_id,))
        return self._base_files + int(new.fetchone()[0])

    def touch(self, file_id: int, size: int, mtime_ns: int) -> None:
        """Only the run's copy is touched; the artefact is never written."""
        super().touch(file_id, size, mtime_ns)

    def store(self, record: DocumentRecord) -> int:
        if super().stored(record.key) is None:
            row = self.connection.execute("SELECT id FROM base.files WHERE key = ?", (record.key,)).fetchone()
            if row is None:  # a new file: a placeholder row with the next free id
                file_id = self._next_id
                self._next_id += 1
                self.connection.execute(
                    "INSERT INTO files(id, key, content_hash, size, mtime_ns, subject, subject_source, multi) "
                    "VALUES (?, ?, '', -1, -1, '', '', 0)",
                    (file_id, record.key),
                )
            else:  # the artefact's version, which store() replaces, counting the difference
                file_id = int(row[0])
                self._copy_files([file_id])
        else:
            file_id = int(
                self.connection.execute("SELECT id FROM main.files WHERE key = ?", (record.key,)).fetchone()[0]
            )
        t1_of = {unit.index: unit.t1 for unit in record.units}
        self._copy_counts(
            [file_id],
            {key for unit in record.units for key in ((1, unit.t1), (2, unit.t2))},
            {(fp, t1_of[unit]) for fp, unit, _ in record.winnow},
        )
        return super().store(record)  # replaces the copy or the placeholder, keeping its id

    def forget_missing(self, keep: set[int]) -> None:
        """The artefact says what the corpus is: nothing is forgotten."""

    def holds_only(self, file_ids: set[int]) -> bool:
        """The in-memory tables hold copies only: the corpus is the artefact and the run (set_corpus)."""
        return False

    def set_corpus(self, corpus: Iterable[int] | None, run: Iterable[int]) -> None:
        """Copy what the matching of ``run`` needs from the artefact, then set the tables (once
        per run: the run's files are all stored by then).

        The corpus is every file of the artefact and every file stored in this run (changed
        ``corpus:`` files included), whatever ``corpus`` says.
        """
        run_ids = list(run)
        execute = self.connection.execute
        # Run files unchanged since the build are used as the artefact holds them: copy them now.
        held = {int(i) for (i,) in execute("SELECT id FROM main.files")}
        unchanged = [i for i in dict.fromkeys(run_ids) if i not in held]
        self._copy_files(unchanged)
        self._copy_counts(unchanged, set(), set())
        execute("CREATE TEMP TABLE owned(id INTEGER PRIMARY KEY)")
        execute("INSERT INTO temp.owned SELECT id FROM main.files")
        execute("CREATE TEMP TABLE run_ids(id INTEGER PRIMARY KEY)")
        self.connection.executemany("INSERT OR IGNORE INTO temp.run_ids VALUES (?)", ((i,) for i in run_ids))
        # The near search's postings: the run's shingles on at most max_postings pages.
        execute(
            "INSERT OR IGNORE INTO main.wfp SELECT b.* FROM "
            "(SELECT DISTINCT w.fp AS fp FROM main.wfp w JOIN temp.run_ids r ON r.id = w.file_id) k "
            "CROSS JOIN main.fp_files n ON n.fp = k.fp CROSS JOIN base.wfp b ON b.fp = k.fp "
            "WHERE n.files <= ? AND b.file_id NOT IN (SELECT id FROM temp.owned)",
            (self._max_postings,),
        )
        super().set_corpus(None, run_ids)

    # The matching's reads of other files: the run's and the corpus files stored in this run
    # ("owned") from memory, every other file from the artefact, in one order (file id, unit).

    def sentences_with(self, column: str, key: int, limit: int, corpus_join: str = "") -> list[SentenceRow]:
        return self._in_order(f"o.{column} = ?", (key,), limit)

    def sentences_about(
        self, column: str, key: int, subject: str, other_than: int, limit: int, corpus_join: str = ""
    ) -> list[SentenceRow]:
        where = f"o.{column} = ? AND f.subject = ? AND f.multi = 0 AND o.file_id != ?"
        return self._in_order(where, (key, subject, other_than), limit)

    def _in_order(self, where: str, parameters: tuple[object, ...], limit: int) -> list[SentenceRow]:
        found: list[tuple[int, ...]] = []
        for schema, owned in (("main", "IN"), ("base", "NOT IN")):
            found += self.connection.execute(
                f"SELECT o.file_id, o.unit, o.line, o.col, o.end_line, o.end_col FROM {schema}.units o "
                f"CROSS JOIN {schema}.files f ON f.id = o.file_id WHERE {where} AND o.file_id {owned} temp.owned "
                "ORDER BY o.file_id, o.unit LIMIT ?",
                (*parameters, limit),
            ).fetchall()
        found.sort()
        return [(row[0], row[2], row[3], row[4], row[5]) for row in found[:limit]]

    def file_rows(self, file_ids: list[int]) -> list[tuple[int, str, str, int]]:
        found = {int(row[0]): row for row in self._file_rows_in("main", file_ids)}
        missing = [i for i in file_ids if i not in found]
        if missing:
            found.update((int(row[0]), row) for row in self._file_rows_in("base", missing))
        return list(found.values())

    def sentence_size(self, file_id: int, unit: int) -> tuple[int, int, int, int, int] | None:
        owned = self.connection.execute("SELECT 1 FROM temp.owned WHERE id = ?", (file_id,)).fetchone()
        return self._sentence_size_in("main" if owned else "base", file_id, unit)

    def _copy_files(self, ids: list[int]) -> None:
        execute = self.connection.execute
        for file_id in ids:
            execute("INSERT OR REPLACE INTO main.files SELECT * FROM base.files WHERE id = ?", (file_id,))
            execute("DELETE FROM main.units WHERE file_id = ?", (file_id,))
            execute("DELETE FROM main.wfp WHERE file_id = ?", (file_id,))
            execute("INSERT INTO main.units SELECT * FROM base.units WHERE file_id = ?", (file_id,))
            execute("INSERT INTO main.wfp SELECT * FROM base.wfp WHERE file_id = ?", (file_id,))

    def _copy_counts(self, file_ids: list[int], keys: set[tuple[int, int]], variants: set[tuple[int, int]]) -> None:
        """Copy the artefact's running counts of the (tier, hash) ``keys``, the (shingle, t1)
        ``variants`` and their shingles, and those the in-memory rows of ``file_ids`` hold;
        each once (the temporary ``counted_*`` tables say which are copied already: from then
        on the in-memory rows are the truth, and one that dropped to 0 was deleted).

        Only the (shingle, t1) rows a store can change are copied, not all of a shingle's:
        the topic phrase has thousands (1.5 million rows for one page at 10,000 pages).
        """
        execute, executemany = self.connection.execute, self.connection.executemany
        for table in ("need_keys", "need_variants", "need_fps", "copy_ids"):
            execute(f"DELETE FROM temp.{table}")
        executemany("INSERT OR IGNORE INTO temp.copy_ids VALUES (?)", ((i,) for i in file_ids))
        executemany("INSERT OR IGNORE INTO temp.need_keys VALUES (?, ?)", sorted(keys))
        executemany("INSERT OR IGNORE INTO temp.need_variants VALUES (?, ?)", sorted(variants))
        for tier, column in _COLUMN.items():
            execute(
                f"INSERT OR IGNORE INTO temp.need_keys SELECT {tier}, {column} FROM main.units "
                "WHERE file_id IN temp.copy_ids"
            )
        execute("INSERT OR IGNORE INTO temp.need_variants SELECT fp, t1 FROM main.wfp WHERE file_id IN temp.copy_ids")
        execute("DELETE FROM temp.need_keys WHERE (tier, key) IN (SELECT tier, key FROM temp.counted_keys)")
        execute("DELETE FROM temp.need_variants WHERE (fp, t1) IN (SELECT fp, t1 FROM temp.counted_variants)")
        execute(
            "INSERT INTO main.key_subjects SELECT b.* FROM temp.need_keys n "
            "CROSS JOIN base.key_subjects b ON b.tier = n.tier AND b.key = n.key"
        )
        execute(
            "INSERT INTO main.fp_variants SELECT b.* FROM temp.need_variants n "
            "CROSS JOIN base.fp_variants b ON b.fp = n.fp AND b.t1 = n.t1"
        )
        # The insert trigger added one to the variants of shingles whose fp_files row was
        # copied before, for rows its copied count holds already: take it back. (Shingles
        # copied now get their row after their variants, so the trigger found none.)
        execute(
            "UPDATE main.fp_files SET variants = variants - (SELECT COUNT(*) FROM temp.need_variants n "
            "CROSS JOIN base.fp_variants b ON b.fp = n.fp AND b.t1 = n.t1 WHERE n.fp = main.fp_files.fp) "
            "WHERE fp IN (SELECT fp FROM temp.need_variants)"
        )
        execute(
            "INSERT INTO temp.need_fps SELECT DISTINCT fp FROM temp.need_variants "
            "WHERE fp NOT IN (SELECT fp FROM temp.counted_fps)"
        )
        execute("INSERT INTO main.fp_files SELECT b.* FROM temp.need_fps n CROSS JOIN base.fp_files b ON b.fp = n.fp")
        execute("INSERT INTO temp.counted_keys SELECT * FROM temp.need_keys")
        execute("INSERT INTO temp.counted_variants SELECT * FROM temp.need_variants")
        execute("INSERT INTO temp.counted_fps SELECT * FROM temp.need_fps")


def write_report_info(connection: sqlite3.Connection, rows: list[tuple[int, DocumentRecord]], fingerprint: str) -> None:
    """Store the directives and quoted lines of freshly built files (one transaction)."""
    if not rows:
        return
    connection.execute(REPORT_INFO_SCHEMA)
    with write_transaction(connection):
        connection.executemany(
            "INSERT OR REPLACE INTO report_info VALUES (?, ?, ?, ?, ?)",
            (
                (
                    file_id,
                    record.content_hash,
                    fingerprint,
                    json.dumps([_directive_row(d) for d in record.directives], separators=(",", ":")),
                    json.dumps(record.line_texts, ensure_ascii=False, separators=(",", ":")),
                )
                for file_id, record in rows
            ),
        )


def _directive_row(directive: Directive) -> list[object]:
    rules = sorted(directive.rules) if directive.rules is not None else None
    return [directive.kind, rules, directive.line, directive.end_line, directive.target_line]


def _directive(item: list[object]) -> Directive:
    kind, rules, line, end_line, target_line = item
    return Directive(
        str(kind),
        frozenset(str(r) for r in rules) if isinstance(rules, list) else None,
        int(str(line)),
        int(str(end_line)),
        int(str(target_line)),
    )


def _uri_path(path: str) -> str:
    from urllib.parse import quote

    return quote(path.replace(os.sep, "/"), safe="/:")


def check_artefact(location: str, config: object) -> None:
    """Raise :class:`ArtefactError` unless ``location`` is a readable index built for ``config``."""
    from linter.config import Config
    from linter.corpus.extract import extractor_for

    assert isinstance(config, Config)
    connection = connect_read_only(location)
    try:
        check_fingerprint(connection, location, extractor_for(config).fingerprint)
    finally:
        connection.close()
