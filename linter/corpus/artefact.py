"""The corpus index as an artefact: built once (``doclint corpus build``), read by many.

The artefact is the same SQLite file as the CLI's corpus index (:mod:`linter.corpus.index`)
plus one table of its own, ``report_info``: each built file's inline suppression directives
and the source lines its units and mentions sit on, so that ``doclint corpus report`` applies
suppressions and quotes lines without reading (or parsing) the files again.

Readers never write to it:

- :class:`ArtefactIndex` opens it read-only (``doclint corpus report``); the temporary
  tables of the corpus phase live in the connection's own temp database.
- :class:`SnapshotIndex` (``doclint check --index ARTEFACT``) keeps the files of the run in
  an in-memory database and copies from the artefact, read-only, only what the matching needs
  for them: the rows sharing one of their hashes or fingerprints, and those files' rows. A
  pre-commit check therefore needs read access only, and two checks never contend for a lock.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from linter.corpus.index import _SCHEMA, BUSY_TIMEOUT_MS, CorpusIndex, StoredFile, StoredRow, write_transaction
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


class SnapshotIndex(CorpusIndex):
    """The run's files in memory over a read-only artefact (``doclint check --index``).

    File ids are the artefact's: a run file already in the artefact keeps its id, a new one
    gets the next free id, so matches come back in the same order as from the artefact itself
    once the file is built into it. The corpus is every file of the artefact plus the run.
    """

    counts_kept = False  # rows are copied from the artefact without store()

    def __init__(self, location: str, fingerprint: str) -> None:
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
        self._next_id = int(self.connection.execute("SELECT COALESCE(MAX(id), 0) FROM base.files").fetchone()[0]) + 1

    def stored(self, key: str) -> StoredFile | None:
        """What the run holds for ``key``, else what the artefact holds (copied only if it is a run file)."""
        found = super().stored(key)
        return found if found is not None else self._stored_in("base.files", key)

    def stored_files(self) -> dict[str, StoredRow]:
        """The artefact's rows, overlaid with the run's copies."""
        return {**self._stored_files_in("base.files"), **super().stored_files()}

    def touch(self, file_id: int, size: int, mtime_ns: int) -> None:
        """Only the run's copy is touched; the artefact is never written."""
        super().touch(file_id, size, mtime_ns)

    def store(self, record: DocumentRecord) -> int:
        if super().stored(record.key) is None:  # a placeholder row with the artefact's id (or a new one)
            row = self.connection.execute("SELECT id FROM base.files WHERE key = ?", (record.key,)).fetchone()
            if row is None:
                file_id = self._next_id
                self._next_id += 1
            else:
                file_id = int(row[0])
            self.connection.execute(
                "INSERT INTO files(id, key, content_hash, size, mtime_ns, subject, subject_source, multi) "
                "VALUES (?, ?, '', -1, -1, '', '', 0)",
                (file_id, record.key),
            )
        return super().store(record)  # replaces the placeholder, keeping its id

    def forget_missing(self, keep: set[int]) -> None:
        """The artefact says what the corpus is: nothing is forgotten."""

    def holds_only(self, file_ids: set[int]) -> bool:
        """The run's tables hold copies only: the corpus is always listed (set_corpus)."""
        return False

    def set_corpus(self, corpus: Iterable[int] | None, run: Iterable[int]) -> None:
        """Copy what the matching of ``run`` needs from the artefact, then set the tables."""
        run_ids = list(run)
        execute = self.connection.execute
        # Run files unchanged since the build are used as the artefact holds them: copy them now.
        held = {int(i) for (i,) in execute("SELECT id FROM main.files")}
        self._copy_files([i for i in run_ids if i not in held])
        execute("DROP TABLE IF EXISTS temp.owned")
        execute("CREATE TEMP TABLE owned(id INTEGER PRIMARY KEY)")
        execute("INSERT INTO temp.owned SELECT id FROM main.files")
        execute("DROP TABLE IF EXISTS temp.run_ids")
        execute("CREATE TEMP TABLE run_ids(id INTEGER PRIMARY KEY)")
        self.connection.executemany("INSERT OR IGNORE INTO temp.run_ids VALUES (?)", ((i,) for i in run_ids))
        for column in ("t1", "t2"):
            execute(
                "INSERT OR IGNORE INTO main.units SELECT b.* FROM "
                f"(SELECT DISTINCT u.{column} AS key FROM main.units u JOIN temp.run_ids r ON r.id = u.file_id) k "
                f"CROSS JOIN base.units b ON b.{column} = k.key WHERE b.file_id NOT IN (SELECT id FROM temp.owned)"
            )
        execute(
            "INSERT OR IGNORE INTO main.wfp SELECT b.* FROM "
            "(SELECT DISTINCT w.fp AS fp FROM main.wfp w JOIN temp.run_ids r ON r.id = w.file_id) k "
            "CROSS JOIN base.wfp b ON b.fp = k.fp WHERE b.file_id NOT IN (SELECT id FROM temp.owned)"
        )
        execute(
            "INSERT OR IGNORE INTO main.units SELECT b.* FROM "
            "(SELECT DISTINCT file_id, unit FROM main.wfp WHERE file_id NOT IN (SELECT id FROM temp.owned)) k "
            "CROSS JOIN base.units b ON b.file_id = k.file_id AND b.unit = k.unit"
        )
        execute(
            "INSERT OR IGNORE INTO main.files SELECT b.* FROM "
            "(SELECT DISTINCT file_id FROM main.units WHERE file_id NOT IN (SELECT id FROM temp.owned)) k "
            "CROSS JOIN base.files b ON b.id = k.file_id"
        )
        base_ids = [int(i) for (i,) in execute("SELECT id FROM base.files")]
        super().set_corpus([*base_ids, *(corpus or ())], run_ids)

    def _copy_files(self, ids: list[int]) -> None:
        execute = self.connection.execute
        for file_id in ids:
            execute("INSERT OR REPLACE INTO main.files SELECT * FROM base.files WHERE id = ?", (file_id,))
            execute("DELETE FROM main.units WHERE file_id = ?", (file_id,))
            execute("DELETE FROM main.wfp WHERE file_id = ?", (file_id,))
            execute("INSERT INTO main.units SELECT * FROM base.units WHERE file_id = ?", (file_id,))
            execute("INSERT INTO main.wfp SELECT * FROM base.wfp WHERE file_id = ?", (file_id,))


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
