"""A run's findings on disk, one chunk per file, read back in report order.

With corpus rules a generated corpus yields about a hundred findings per page, most with
twenty related locations: held in memory until the reporters ran, they made peak memory grow
with the corpus (gigabytes at 10,000 pages). Instead, as soon as a file's findings are final
(document rules, corpus rules, its inline suppressions, the baseline), they are pickled as one
chunk onto an anonymous temporary file in the system temp directory; only each chunk's
position and a few counts stay in memory. Reporters read the chunks back one file at a time,
sorted by path: the order of sorting every finding by :meth:`Diagnostic.sort_key`, which
starts with the path.

``tempfile.TemporaryFile`` has no name on Linux (``O_TMPFILE``) and is unlinked right after
creation on other POSIX systems, so the spool is gone when it is closed or when the process
ends, even when it is killed; on Windows it is deleted on close. Closing it early (the CLI
does, in a ``finally``) releases the disk space at once. Only doclint reads back what it
pickled itself.
"""

from __future__ import annotations

import pickle
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Any

from linter.diagnostic import Diagnostic

Position = tuple[int, int]  # (offset, length) of one chunk in a ChunkFile


class ChunkFile:
    """Python objects pickled one after another onto an anonymous temporary file."""

    def __init__(self, directory: str | None = None) -> None:
        # Closed by close(), or by the garbage collector / process exit: no context manager fits.
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="doclint-spool-", dir=directory)  # noqa: SIM115
        self._end = 0

    def append(self, value: object) -> Position:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._end)
        self._file.write(data)
        position = (self._end, len(data))
        self._end += len(data)
        return position

    def read(self, position: Position) -> Any:
        offset, length = position
        self._file.flush()
        self._file.seek(offset)
        data = self._file.read(length)
        if len(data) != length:  # pragma: no cover - only if the temporary file was truncated under us
            raise OSError(f"the findings spool lost data at offset {offset}")
        return pickle.loads(data)

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


@dataclass(frozen=True)
class FileFindings:
    """One file's final findings, sorted, and the source lines they point at (for quoting)."""

    path: str
    diagnostics: list[Diagnostic]
    lines: dict[int, str]


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

    def _add_chunk(self, path: str, diagnostics: list[Diagnostic], lines: Mapping[int, str]) -> None:
        if not diagnostics:
            return
        diagnostics.sort(key=Diagnostic.sort_key)
        wanted = {line for d in diagnostics for line in (d.line, d.end_line)}
        quoted = {line: text for line, text in lines.items() if line in wanted}
        self._where.setdefault(path, []).append(self._chunks.append((diagnostics, quoted)))
        self.counts.update(d.severity for d in diagnostics)
        self.rules.update(d.rule for d in diagnostics)

    def files(self) -> Iterator[FileFindings]:
        """Each file with findings, in path order, its findings in ``sort_key`` order."""
        for path in sorted(self._where):
            diagnostics: list[Diagnostic] = []
            lines: dict[int, str] = {}
            positions = self._where[path]
            for position in positions:
                found, quoted = self._chunks.read(position)
                diagnostics.extend(found)
                lines.update(quoted)
            if len(positions) > 1:
                diagnostics.sort(key=Diagnostic.sort_key)
            yield FileFindings(path, diagnostics, lines)

    def __iter__(self) -> Iterator[Diagnostic]:
        """Every finding, in ``sort_key`` order."""
        for found in self.files():
            yield from found.diagnostics

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
