"""A run's findings on disk, one chunk per file, read back in report order.

With corpus rules a generated corpus yields about a hundred findings per page, most with
twenty related locations: held in memory until the reporters ran, they made peak memory grow
with the corpus (gigabytes at 10,000 pages). Instead, as soon as a file's findings are final
(document rules, corpus rules, its inline suppressions, the baseline), they are written as one
chunk onto an anonymous temporary file in the system temp directory; only each chunk's
position and a few counts stay in memory. A chunk is :class:`EncodedFindings` rows (the
results cache's form, linter/cache.py) in ``marshal``: a results-cache hit goes to the spool
as the rows it was read as, and Diagnostic objects are built once, when a reporter reads
them back (pickling objects cost a third of a warm run: building them, pickling them,
building them again); a hit still in its entry's order is spooled as the entry's own marshal
bytes. Rows holding what marshal cannot write (a rule's own type in ``extra``) are pickled
instead. Reporters read the chunks back one file at a time,
sorted by path: the order of sorting every finding by :meth:`Diagnostic.sort_key`, which
starts with the path.

``tempfile.TemporaryFile`` has no name on Linux (``O_TMPFILE``) and is unlinked right after
creation on other POSIX systems, so the spool is gone when it is closed or when the process
ends, even when it is killed; on Windows it is deleted on close. Closing it early (the CLI
does, in a ``finally``) releases the disk space at once. Only doclint reads back what it
wrote itself.
"""

from __future__ import annotations

import marshal
import operator
import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from types import TracebackType
from typing import IO, Any

from linter.diagnostic import Diagnostic, RelatedLocation

Position = tuple[int, int]  # (offset, length) of one chunk in a ChunkFile
_MARSHALLED, _PICKLED, _CACHE_ENTRY = b"M", b"P", b"C"  # the first byte of a findings chunk


class ChunkFile:
    """Python objects pickled one after another onto an anonymous temporary file."""

    def __init__(self, directory: str | None = None) -> None:
        # Closed by close(), or by the garbage collector / process exit: no context manager fits.
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="doclint-spool-", dir=directory)  # noqa: SIM115
        self._end = 0

    def append(self, value: object) -> Position:
        return self.append_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def append_bytes(self, data: bytes) -> Position:
        self._file.seek(self._end)
        self._file.write(data)
        position = (self._end, len(data))
        self._end += len(data)
        return position

    def read(self, position: Position) -> Any:
        return pickle.loads(self.read_bytes(position))

    def read_bytes(self, position: Position) -> bytes:
        offset, length = position
        self._file.flush()
        if hasattr(os, "pread"):  # leaves the file's offset alone: forked reporters share it
            data = os.pread(self._file.fileno(), length, offset)
        else:  # pragma: no cover - Windows, where nothing is forked
            self._file.seek(offset)
            data = self._file.read(length)
        if len(data) != length:  # pragma: no cover - only if the temporary file was truncated under us
            raise OSError(f"the findings spool lost data at offset {offset}")
        return data

    @property
    def size(self) -> int:
        """Bytes written so far."""
        return self._end

    @property
    def closed(self) -> bool:
        return self._file.closed

    def fileno(self) -> int:
        return self._file.fileno()

    def close(self) -> None:
        self._file.close()


# Every Diagnostic field but the path (a chunk's, or a cache entry's key), in the order of a row.
DIAGNOSTIC_FIELDS = [f.name for f in fields(Diagnostic) if f.name != "path"]
_RELATED = DIAGNOSTIC_FIELDS.index("related")
_EXTRA = DIAGNOSTIC_FIELDS.index("extra")
# Diagnostic.sort_key without the path, on a row.
_ROW_SORT_KEY = operator.itemgetter(
    *(DIAGNOSTIC_FIELDS.index(name) for name in ("line", "column", "rule", "end_line", "end_column", "message"))
)
_SEVERITY = DIAGNOSTIC_FIELDS.index("severity")
_RULE = DIAGNOSTIC_FIELDS.index("rule")
_LINE = DIAGNOSTIC_FIELDS.index("line")
_END_LINE = DIAGNOSTIC_FIELDS.index("end_line")


@dataclass(frozen=True)
class EncodedFindings:
    """One file's findings as plain rows: each Diagnostic's fields but the path, in the order
    of :data:`DIAGNOSTIC_FIELDS`; its related locations as one flat list, four numbers per
    location (path, line, column, message), with path and message numbered in ``paths`` and
    ``messages`` (a template-reuse finding lists about 20 other pages, the same few dozen
    paths and messages over and over). One list per finding rather than a list per location:
    marshal loads 700 entries of the 2,000-page corpus in 177 ms instead of 256, and writes
    them in 147 ms instead of 262 (a warm run reads each twice: cache, then spool)."""

    rows: list[list[Any]]
    paths: list[str]
    messages: list[str]

    @classmethod
    def encode(cls, diagnostics: Iterable[Diagnostic]) -> EncodedFindings:
        paths: dict[str, int] = {}
        messages: dict[str, int] = {}
        rows = []
        for diagnostic in diagnostics:
            row: list[Any] = [getattr(diagnostic, name) for name in DIAGNOSTIC_FIELDS]
            related: list[int] = []
            for r in diagnostic.related:
                related += (paths.setdefault(r.path, len(paths)), r.line, r.column)
                related.append(messages.setdefault(r.message, len(messages)))
            row[_RELATED] = related
            row[_EXTRA] = dict(diagnostic.extra)
            rows.append(row)
        return cls(rows, list(paths), list(messages))

    def replacing(self, rules: frozenset[str], other: EncodedFindings) -> EncodedFindings:
        """These findings with those of ``rules`` replaced by ``other``'s (their related
        locations numbered in these tables), sorted as a chunk is: a cached entry's findings
        with some rules' found again, without building a Diagnostic."""
        paths = {path: number for number, path in enumerate(self.paths)}
        messages = {message: number for number, message in enumerate(self.messages)}
        rows = [row for row in self.rows if row[_RULE] not in rules]
        for row in other.rows:
            related = row[_RELATED]
            if related:
                renumbered = list(related)
                renumbered[0::4] = [paths.setdefault(other.paths[n], len(paths)) for n in related[0::4]]
                renumbered[3::4] = [messages.setdefault(other.messages[n], len(messages)) for n in related[3::4]]
                row = [*row]
                row[_RELATED] = renumbered
            rows.append(row)
        rows.sort(key=_ROW_SORT_KEY)
        return EncodedFindings(rows, list(paths), list(messages))

    def lines(self) -> set[int]:
        """The lines the findings start and end on (the lines a report may quote)."""
        return {row[_LINE] for row in self.rows} | {row[_END_LINE] for row in self.rows}

    def names_any(self, locations: Mapping[str, set[tuple[int, int]]]) -> bool:
        """Whether a related location is one of ``locations`` (path → {(line, column)})."""
        for number, path in enumerate(self.paths):
            wanted = locations.get(path)
            if wanted is None:
                continue
            for row in self.rows:
                related = row[_RELATED]
                for start in range(0, len(related), 4):
                    if related[start] == number and (related[start + 1], related[start + 2]) in wanted:
                        return True
        return False

    def decode(self, path: str, related: bool = True) -> list[Diagnostic]:
        """The findings of the file ``path``, one RelatedLocation object per location (as rules
        make them); none with ``related=False``, for a reporter that never shows them (a
        template-reuse finding has ~20: building them was a tenth of a warm text report)."""
        if not related:
            rows = [list(row) for row in self.rows]
            for values in rows:
                values[_RELATED] = ()
            return [Diagnostic(path, *values) for values in rows]
        paths, messages = self.paths, self.messages
        shared: dict[tuple[int, int, int, int], RelatedLocation] = {}
        diagnostics = []
        for row in self.rows:
            locations = []
            numbers = iter(row[_RELATED])
            for key in zip(numbers, numbers, numbers, numbers, strict=True):
                found = shared.get(key)
                if found is None:
                    path_number, line, column, message_number = key
                    found = shared[key] = RelatedLocation(paths[path_number], line, column, messages[message_number])
                locations.append(found)
            values = list(row)
            values[_RELATED] = tuple(locations)
            diagnostics.append(Diagnostic(path, *values))
        return diagnostics


FileRows = tuple[str, EncodedFindings, dict[int, str]]  # a file's path, findings as rows, quoted lines


@dataclass(frozen=True)
class EntryFindings:
    """A results-cache entry's findings left as the entry's marshal bytes (linter/cache.py: a
    dict with "diagnostics", "paths", "messages" and "lines"), with what the spool counts of
    them, from the entry's summary. A warm run spools them without reading them: unmarshalled
    on load and again when reported, they were a fifth of a warm 1,000-page JSON run."""

    data: bytes | memoryview
    counts: dict[str, int]  # findings by severity
    rules: list[str]  # the rules with findings
    in_order: bool  # the rows are in ``sort_key`` order, a chunk's

    def decode(self) -> tuple[EncodedFindings, dict[int, str]]:
        """The findings as rows, with the source lines the entry keeps."""
        return _entry_contents(self.data)


def _entry_contents(data: bytes | memoryview) -> tuple[EncodedFindings, dict[int, str]]:
    """A results-cache entry's findings as rows and the source lines it keeps, from its marshal bytes."""
    entry = marshal.loads(data)
    return EncodedFindings(entry["diagnostics"], entry["paths"], entry["messages"]), entry["lines"]


def in_sort_order(rows: list[list[Any]]) -> bool:
    """Whether spooled rows are in ``sort_key`` order (False for rows that cannot be compared)."""
    keys = list(map(_ROW_SORT_KEY, rows))
    try:
        return all(map(operator.le, keys, keys[1:]))
    except TypeError:  # a rule's message of another type
        return False


@dataclass(frozen=True)
class FileFindings:
    """One file's final findings, sorted, and the source lines they point at (for quoting)."""

    path: str
    diagnostics: list[Diagnostic]
    lines: dict[int, str]


def decoded(files: Iterable[FileRows], related: bool = True) -> Iterator[FileFindings]:
    """``files`` (:meth:`FindingSpool.encoded_files`) with Diagnostic objects (without their
    related locations if not ``related``: see :meth:`EncodedFindings.decode`)."""
    for path, findings, lines in files:
        yield FileFindings(path, findings.decode(path, related), lines)


def summary_of(rows: list[list[Any]]) -> tuple[dict[str, int], list[str], bool]:
    """What the spool counts of ``rows`` (findings by severity, their rules), and whether they
    are in ``sort_key`` order (a results-cache entry's summary, linter/cache.py)."""
    return dict(Counter(_severities(rows))), sorted(_rules(rows)), in_sort_order(rows)


def _severities(rows: list[list[Any]]) -> list[str]:
    return [row[_SEVERITY] for row in rows]


def _rules(rows: list[list[Any]]) -> set[str]:
    return {row[_RULE] for row in rows}


class FindingSpool:
    """Every final finding of a run, written a file at a time, read back sorted by path.

    Reading is repeatable (a reporter may iterate twice; several reporters run one after
    another). Counts by severity, the total and the files with findings are kept as chunks
    are added, so a summary or an exit status never reads the spool.
    """

    def __init__(self, directory: str | None = None) -> None:
        self._chunks = ChunkFile(directory)
        self._where: dict[str, list[Position]] = {}  # path → its chunks (usually one)
        self.counts: Counter[str] = Counter()  # severity → number of findings
        self.rules: set[str] = set()  # every rule id with a finding

    def add(self, path: str, diagnostics: Iterable[Diagnostic], lines: Mapping[int, str]) -> None:
        """Spool the final findings of the file ``path`` with the source ``lines`` they quote."""
        own: list[Diagnostic] = []
        others: dict[str, list[Diagnostic]] = {}
        for diagnostic in diagnostics:
            if diagnostic.path == path:
                own.append(diagnostic)
            else:  # not made by any rule today; kept under its own path, like a sort would
                others.setdefault(diagnostic.path, []).append(diagnostic)
        self._add_chunk(path, own, lines)
        for other, found in others.items():
            self._add_chunk(other, found, {})

    def add_mixed(self, diagnostics: Iterable[Diagnostic], lines: Mapping[tuple[str, int], str]) -> None:
        """Spool findings of several files at once; ``lines`` maps (path, line) to its text."""
        by_path: dict[str, list[Diagnostic]] = {}
        for diagnostic in diagnostics:
            by_path.setdefault(diagnostic.path, []).append(diagnostic)
        texts: dict[str, dict[int, str]] = {}
        for (path, line), text in lines.items():
            texts.setdefault(path, {})[line] = text
        for path, found in by_path.items():
            self._add_chunk(path, found, texts.get(path, {}))

    def add_encoded(self, path: str, findings: EncodedFindings, lines: Mapping[int, str]) -> None:
        """Spool the file ``path``'s findings as rows (a results-cache hit), without building
        them. (A hit whose entry's bytes are at hand goes through :meth:`add_entry` instead:
        marshalling its rows again was 8% of a warm 1,000-page JSON run.)"""
        rows = findings.rows
        if not rows:
            return
        rows.sort(key=_ROW_SORT_KEY)
        self._add_rows(path, findings, lines)

    def add_entry(self, path: str, entry: EntryFindings) -> None:
        """Spool the file ``path``'s findings as a results-cache entry's bytes (a warm run's
        hit), read only when reported; sorted first if the entry's rows are not in order."""
        if not entry.counts:
            return
        if not entry.in_order:
            findings, lines = entry.decode()
            self.add_encoded(path, findings, lines)
            return
        self._add_chunk_bytes(path, _CACHE_ENTRY + entry.data, entry.counts, entry.rules)

    def _add_chunk(self, path: str, diagnostics: list[Diagnostic], lines: Mapping[int, str]) -> None:
        if not diagnostics:
            return
        diagnostics.sort(key=Diagnostic.sort_key)
        self._add_rows(path, EncodedFindings.encode(diagnostics), lines)

    def _add_rows(self, path: str, findings: EncodedFindings, lines: Mapping[int, str]) -> None:
        rows = findings.rows
        wanted = findings.lines()
        quoted = {line: text for line, text in lines.items() if line in wanted}
        chunk = (rows, findings.paths, findings.messages, quoted)
        try:
            data = _MARSHALLED + marshal.dumps(chunk)
        except ValueError:  # something marshal cannot write, in a rule's ``extra``
            data = _PICKLED + pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)
        self._add_chunk_bytes(path, data, _severities(rows), _rules(rows))

    def _add_chunk_bytes(
        self, path: str, data: bytes, severities: Iterable[str] | Mapping[str, int], rules: Iterable[str]
    ) -> None:
        """Spool one chunk of ``path``'s findings; ``severities`` (one per finding, or counts)
        and ``rules`` are counted for the summary."""
        self._where.setdefault(path, []).append(self._chunks.append_bytes(data))
        self.counts.update(severities)
        self.rules.update(rules)

    def _read_chunk(self, position: Position) -> tuple[EncodedFindings, dict[int, str]]:
        data = self._chunks.read_bytes(position)
        kind, body = data[:1], memoryview(data)[1:]
        if kind == _CACHE_ENTRY:  # (checked when the cache read it)
            findings, lines = _entry_contents(body)
            wanted = findings.lines()
            return findings, {line: text for line, text in lines.items() if line in wanted}
        rows, paths, messages, quoted = marshal.loads(body) if kind == _MARSHALLED else pickle.loads(body)
        return EncodedFindings(rows, paths, messages), quoted

    def encoded_files(self, paths: Iterable[str] | None = None) -> Iterator[FileRows]:
        """Each file with findings (or each of ``paths``, files with findings), in path order,
        as rows in ``sort_key`` order, with the source lines they quote: for a reporter that
        formats rows (``--format json``: building the Diagnostic objects of a 2,000-page report
        was a fifth of a warm run)."""
        for path in sorted(self._where) if paths is None else paths:
            positions = self._where[path]
            if len(positions) == 1:
                yield path, *self._read_chunk(positions[0])
                continue
            diagnostics: list[Diagnostic] = []
            lines: dict[int, str] = {}
            for position in positions:
                findings, quoted = self._read_chunk(position)
                diagnostics.extend(findings.decode(path))
                lines.update(quoted)
            diagnostics.sort(key=Diagnostic.sort_key)
            yield path, EncodedFindings.encode(diagnostics), lines

    def files(self, related: bool = True) -> Iterator[FileFindings]:
        """Each file with findings, in path order, its findings in ``sort_key`` order (without
        their related locations if not ``related``: see :meth:`EncodedFindings.decode`)."""
        return decoded(self.encoded_files(), related)

    def diagnostics(self, related: bool = True) -> Iterator[Diagnostic]:
        """Every finding, in ``sort_key`` order (``related``: as in :meth:`files`)."""
        for found in self.files(related):
            yield from found.diagnostics

    def __iter__(self) -> Iterator[Diagnostic]:
        return self.diagnostics()

    def shares(self, count: int) -> list[list[str]]:
        """The files with findings, in path order, cut into at most ``count`` consecutive runs
        of about the same spooled size (for reporters that format a share each in parallel)."""
        paths = sorted(self._where)
        sizes = [sum(length for _, length in self._where[path]) for path in paths]
        total = sum(sizes)
        shares: list[list[str]] = []
        share: list[str] = []
        done = 0
        for path, size in zip(paths, sizes, strict=True):
            share.append(path)
            done += size
            if done * count >= total * (len(shares) + 1) and len(shares) < count - 1:
                shares.append(share)
                share = []
        if share:
            shares.append(share)
        return shares

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def paths(self) -> list[str]:
        """The files with findings, sorted."""
        return sorted(self._where)

    @property
    def bytes_written(self) -> int:
        return self._chunks.size

    @property
    def closed(self) -> bool:
        return self._chunks.closed

    def close(self) -> None:
        self._chunks.close()

    def __enter__(self) -> FindingSpool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
