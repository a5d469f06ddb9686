"""Results cache: a file's document-rule results, keyed by its content and the settings.

Like ruff's cache, an unchanged file is not parsed or linted again. The key of an entry is

    hash(path, content hash)   inside a directory named by
    hash(cache format, doclint version, Config.fingerprint(), --select, --ignore,
         --report-unused-suppressions)

and a generation subdirectory named by the reference date (``as-of-2026-11-21``; with
corpus rules, a digest of the corpus and the date, below), so a change to the text, the
configuration (rules, options, lexicons, overrides), the reference date or the rule
selection can never return stale results. The path is part of the key because diagnostics
carry it and overrides depend on it. A run of 24 files or more deletes the settings
directory's other generations: the entries of past days are never read again.

Layout: ``<cache dir>/results-v7/<settings hash>/<generation>/<2 hex>/<entry hash>.results``, with a
``CACHEDIR.TAG`` and a ``.gitignore`` of ``*`` at the top (the ruff convention). Each entry
is written to a temporary file and renamed into place, so two doclint processes sharing a
cache never see half an entry; the last writer of an identical entry wins. An entry that
cannot be read or decoded is ignored (and reported once as a notice) and rewritten.

An entry is a header line, the length of its summary and the CRC-32 of its data (eight
bytes), the summary and the data, both in :mod:`marshal` format, the format of Python's own
``__pycache__`` (the Python version is part of the settings hash). Loading entries was the
largest part of a warm run: ``marshal.loads`` reads a 170 KB entry of a template-heavy page
in 0.46 ms where ``json.loads`` took 1.21 ms, and writes it in 0.32 ms where ``json.dumps``
took 2.79 ms. The summary (findings by severity, their rules, whether they are in report
order, the file's problem) is all a warm run reads on load: the data goes to the findings
spool as it is, checked against its CRC-32 (30 ms for the 131 MB of a 1,000-page corpus's
entries), and is unmarshalled once, by the reporter.

With corpus rules on, a file's findings depend on every page of the corpus: entries then
live in a ``corpus-<digest>/`` subdirectory named by a digest of the whole corpus's content
(``linter.corpus.phase.CorpusPhase.corpus_digest``), the working directory and the reference
date, and only the newest one is kept. A generation that holds an entry for every file of a run gets a manifest
(``generation.manifest``): the next run after a change, or on another day, starts from it
(``_CorpusCachedRun`` in linter/engine.py).

The same directory keeps parsed YAML (``yaml-v1/``): ruamel.yaml, which gives config errors
their line numbers, parses about 100 KB/s, which would be most of a one-file pre-commit run
once rules.yaml carries its lexicons. A config file whose text was parsed before is read back
as JSON by content hash; a config error found on cached data is reported after a fresh parse
(linter/config.py), so its position is exact.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import marshal
import os
import struct
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from linter import __version__
from linter.atomic import replace_cache_file
from linter.config import Config
from linter.diagnostic import Diagnostic
from linter.discover import Problem
from linter.spool import DIAGNOSTIC_FIELDS, EncodedFindings, EntryFindings, summary_of

CACHE_FORMAT = "results-v7"  # v3: rows, related paths and messages numbered; v4: marshal; v5: flat related;
# v6: the reference date keys a generation subdirectory, not the settings directory; v7: a summary
# of the findings and a CRC-32 of the entry's data before it
_ENTRY_HEADER = b"doclint results-v7\n"  # what tells an entry from a damaged or foreign file
_SUMMARY_HEADER = struct.Struct("<II")  # after the header line: the summary's length, the data's CRC-32
YAML_FORMAT = "yaml-v1"
_FORMAT_NUMBER = int(CACHE_FORMAT.removeprefix("results-v"))
DEFAULT_DIRECTORY = ".doclint-cache"
_GENERATION_KINDS = ("corpus", "as-of")  # subdirectories of a settings directory; see ResultCache.generation
_MANIFEST = "generation.manifest"  # in a corpus generation's directory; see ResultCache.write_manifest
_MANIFEST_HEADER = b"doclint generation-v1\n"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This directory is a cache made by doclint.\n"


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True)
class CachedResult:
    """What a cache entry holds: a FileResult minus the path, which is part of the key."""

    diagnostics: list[Diagnostic]
    problem: Problem | None
    lines: dict[int, str]


@dataclass(frozen=True)
class CachedEntry:
    """What a cache hit gives back: the findings still as the entry's rows, and (read from an
    entry) as the entry's bytes with their summary, which the spool takes as they are."""

    findings: EncodedFindings
    problem: Problem | None
    lines: dict[int, str]
    stored: EntryFindings | None = None


@dataclass(frozen=True)
class CachedSummary:
    """A cache hit read no further than its summary: the findings stay the entry's bytes."""

    findings: EntryFindings
    problem: Problem | None


_Hit = TypeVar("_Hit", CachedEntry, CachedSummary)
_RELATED = DIAGNOSTIC_FIELDS.index("related")


@dataclass(frozen=True)
class ResultCache:
    """One settings directory of the cache. Plain data, so worker processes can receive it."""

    directory: str  # <cache dir>/results-v7/<settings hash>

    @classmethod
    def open(
        cls, root: str | os.PathLike[str], config: Config, settings: dict[str, Any], generation: str | None = None
    ) -> ResultCache | None:
        """The cache under ``root`` for these settings, or None (with a notice) if unusable.

        ``generation`` (a digest of the whole corpus, for runs with corpus rules) names a
        subdirectory: only the newest generation is worth keeping (:meth:`prune_generations`).
        """
        key = json.dumps(
            {
                "format": CACHE_FORMAT,
                "version": __version__,
                "python": list(sys.version_info[:2]),  # marshal's format may change with it
                "config": config.fingerprint(),
                **settings,
            },
            sort_keys=True,
            default=str,
        )
        settings_hash = hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
        top = Path(root)
        directory = top / CACHE_FORMAT / settings_hash
        if not _made(directory, top):
            return None
        cache = cls(str(directory))
        return cache if generation is None else cache.generation(generation)

    def generation(self, generation: str, kind: str = "corpus") -> ResultCache | None:
        """The generation ``generation`` of this settings directory (None, with a notice, if
        unusable): a ``corpus`` generation is named by a digest of the corpus (and reference
        date), an ``as-of`` generation (runs without corpus rules) by the reference date."""
        assert kind in _GENERATION_KINDS, kind
        directory = Path(self.directory, f"{kind}-{generation}")
        return ResultCache(str(directory)) if _made(directory) else None

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Say that this generation holds an entry for every file of a run, and for which corpus
        (see :meth:`newest_manifest`): written last, so a generation with a manifest is complete."""
        # (without one, the next run after a change matches every page again)
        with contextlib.suppress(OSError, ValueError):
            replace_cache_file(os.path.join(self.directory, _MANIFEST), _MANIFEST_HEADER + marshal.dumps(manifest))

    def newest_manifest(self) -> tuple[ResultCache, dict[str, Any]] | None:
        """The newest other corpus generation of these settings that has a manifest, with it."""
        try:
            names = [name for name in os.listdir(self.directory) if name.startswith("corpus-")]
        except OSError:
            return None
        found: list[tuple[int, str]] = []
        for name in names:
            try:
                found.append((os.stat(os.path.join(self.directory, name, _MANIFEST)).st_mtime_ns, name))
            except OSError:
                continue
        for _, name in sorted(found, reverse=True):
            directory = os.path.join(self.directory, name)
            try:
                with open(os.path.join(directory, _MANIFEST), "rb") as handle:
                    data = handle.read()
                if data.startswith(_MANIFEST_HEADER):
                    manifest = marshal.loads(memoryview(data)[len(_MANIFEST_HEADER) :])
                    if _is_manifest(manifest):
                        return ResultCache(directory), manifest
            except (OSError, ValueError, EOFError, TypeError):
                pass
        return None

    def adopt(self, path: str, digest: str, source: ResultCache, entry: CachedEntry) -> None:
        """Keep ``source``'s ``entry`` for ``path`` with content ``digest`` in this generation too:
        a hard link, or a copy where there are none."""
        target = self._entry_path(path, digest)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.link(source._entry_path(path, digest), target)
        except FileExistsError:
            pass
        except OSError:
            self.store(path, digest, CachedResult(entry.findings.decode(path), entry.problem, entry.lines))

    def prune_generations(self) -> None:
        """Remove the other generations of these settings (their corpus or their day is gone),
        and the entries of older cache formats (no doclint this new reads them; a 10,000-page
        site's are over a gigabyte). Newer formats are left to the newer doclint that wrote them."""
        import shutil

        parent, own = os.path.split(self.directory)
        prefixes = tuple(f"{kind}-" for kind in _GENERATION_KINDS)
        if not own.startswith(prefixes):
            return
        top = os.path.dirname(os.path.dirname(parent))  # <cache dir>, above <format>/<settings hash>
        try:
            stale = [os.path.join(parent, name) for name in os.listdir(parent) if name.startswith(prefixes)]
            stale += [os.path.join(top, name) for name in os.listdir(top) if _format_number(name) < _FORMAT_NUMBER]
        except OSError:
            return
        for path in stale:
            if path != self.directory:
                shutil.rmtree(path, ignore_errors=True)

    def _entry_path(self, path: str, digest: str) -> str:
        name = hashlib.blake2b(f"{path}\0{digest}".encode(), digest_size=16).hexdigest()
        return os.path.join(self.directory, name[:2], name + ".results")

    def load(self, path: str, digest: str) -> CachedEntry | None:
        """The entry for ``path`` with content ``digest``, its findings as rows; None if there
        is none, or (with a notice) if it cannot be read or decoded."""
        return self._read(
            path, digest, lambda summary, data: _decode(marshal.loads(data), path, _decode_summary(summary, path, data))
        )

    def load_summary(self, path: str, digest: str) -> CachedSummary | None:
        """:meth:`load` for a hit that goes to the spool as it is: the findings' summary is read,
        their data is checked against its CRC-32 and left as bytes (a warm run's reporter reads
        them once; unmarshalling and checking every row on load as well was 0.3 s of a warm
        1,000-page run's 1.6)."""
        return self._read(path, digest, lambda summary, data: _decode_summary(summary, path, data))

    def _read(self, path: str, digest: str, decode: Callable[[memoryview, memoryview], _Hit]) -> _Hit | None:
        """``decode(summary, data)`` of the entry for ``path`` with content ``digest``; None if
        there is none, or (with a notice) if it cannot be read or decoded."""
        entry = self._entry_path(path, digest)
        try:
            read = _read_entry(entry)
            return None if read is None else decode(*read)
        except (OSError, ValueError, EOFError, KeyError, IndexError, TypeError, struct.error) as error:
            reason = type(error).__name__
            _notice_once("corrupt", f"ignoring an unreadable cache entry {entry} ({reason}); it will be rewritten")
            return None

    def store(self, path: str, digest: str, result: CachedResult) -> None:
        encoded = EncodedFindings.encode(result.diagnostics)
        self.store_entry(path, digest, CachedEntry(encoded, result.problem, result.lines))

    def store_entry(self, path: str, digest: str, entry: CachedEntry) -> EntryFindings | None:
        """:meth:`store` for findings that are rows already (a cached entry, changed); the
        entry's findings as it holds them (what the spool can take as they are), None if
        they cannot be written."""
        try:
            data = marshal.dumps(_encode(entry))
        except ValueError:  # a rule put something marshal cannot write in ``extra``
            return None
        counts, rules, in_order = summary_of(entry.findings.rows)
        problem = None if entry.problem is None else [entry.problem.message, entry.problem.level]
        summary = marshal.dumps((counts, rules, in_order, problem))
        payload = b"".join((_ENTRY_HEADER, _SUMMARY_HEADER.pack(len(summary), zlib.crc32(data)), summary, data))
        try:
            replace_cache_file(self._entry_path(path, digest), payload)
        except OSError as error:
            _notice_once("unwritable", f"cannot write to the cache in {self.directory}: {error.strerror or error}")
        return EntryFindings(data, counts, rules, in_order)


def _encode(entry: CachedEntry) -> dict[str, Any]:
    """An entry: diagnostics as rows of ``fields``; related locations as path, line, column,
    message in one flat list per row, path and message numbered in two tables (:class:`EncodedFindings`). A
    template-reuse finding lists about 20 other pages, the same few dozen paths and messages
    over and over: as plain lists they were two thirds of a 370 KB entry, and loading such
    entries was most of a warm run."""
    encoded = entry.findings
    return {
        "fields": DIAGNOSTIC_FIELDS,
        "diagnostics": encoded.rows,
        "paths": encoded.paths,
        "messages": encoded.messages,
        "problem": None if entry.problem is None else [entry.problem.message, entry.problem.level],
        "lines": dict(entry.lines),
    }


def _read_entry(entry: str) -> tuple[memoryview, memoryview] | None:
    """An entry file's summary and data, the data checked against its CRC-32; None if there is
    no such file. Raises ValueError (or struct.error) for a file that is not an intact entry."""
    try:
        with open(entry, "rb") as handle:
            contents = handle.read()
    except FileNotFoundError:
        return None
    if not contents.startswith(_ENTRY_HEADER):
        raise ValueError("not a doclint results entry")
    size, checksum = _SUMMARY_HEADER.unpack_from(contents, len(_ENTRY_HEADER))
    start = len(_ENTRY_HEADER) + _SUMMARY_HEADER.size
    view = memoryview(contents)
    summary, data = view[start : start + size], view[start + size :]
    if len(summary) != size or zlib.crc32(data) != checksum:
        raise ValueError("damaged: its data does not match its checksum")
    return summary, data


def _decode_summary(summary: memoryview, path: str, data: memoryview) -> CachedSummary:
    """A hit from an entry's summary (what the spool counts of its findings, by severity and
    rule, whether its rows are in a chunk's order, its problem: see
    :meth:`ResultCache.store_entry`), its findings left as ``data``."""
    counts, rules, in_order, problem = marshal.loads(summary)
    if not (
        isinstance(counts, dict)
        and all(type(key) is str and type(value) is int for key, value in counts.items())
        and isinstance(rules, list)
        and all(type(rule) is str for rule in rules)
        and type(in_order) is bool
    ):
        raise ValueError("not a summary of this format")
    found = None if problem is None else Problem(path, problem[0], problem[1])
    return CachedSummary(EntryFindings(data, counts, rules, in_order), found)


def _decode(data: dict[str, Any], path: str, hit: CachedSummary) -> CachedEntry:
    """An entry's findings as rows, and as ``hit``'s, the bytes they were read from."""
    if not isinstance(data, dict) or data["fields"] != DIAGNOSTIC_FIELDS:
        raise ValueError("diagnostic fields changed")
    rows, paths, messages = data["diagnostics"], data["paths"], data["messages"]
    if not (isinstance(rows, list) and isinstance(paths, list) and isinstance(messages, list)):
        raise ValueError("not an entry of this format")
    width = len(DIAGNOSTIC_FIELDS)
    related_lists = []
    for row in rows:  # a damaged entry must fail here, where it is ignored, not in a reporter
        if len(row) != width:
            raise ValueError("a row of the wrong length")
        related = row[_RELATED]
        if len(related) % 4:
            raise ValueError("a related location cut short")
        related_lists.append(related)
    # The numbers of every row at once (slicing each row's list was 7% of a warm re-run).
    numbers = list(itertools.chain.from_iterable(related_lists))
    if numbers and not (
        0 <= min(numbers[0::4]) <= max(numbers[0::4]) < len(paths)
        and 0 <= min(numbers[3::4]) <= max(numbers[3::4]) < len(messages)
    ):
        raise ValueError("a related location's path or message is missing")
    problem = None if data["problem"] is None else Problem(path, data["problem"][0], data["problem"][1])
    lines = data["lines"]
    if not isinstance(lines, dict):
        raise ValueError("not an entry of this format")
    return CachedEntry(EncodedFindings(rows, paths, messages), problem, lines, hit.findings)


def _yaml_entry(root: str, text: str) -> Path:
    key = hashlib.blake2b(f"{YAML_FORMAT}\0{_ruamel_release()}\0{text}".encode(), digest_size=16).hexdigest()
    return Path(root) / YAML_FORMAT / f"{key}.json"


@functools.lru_cache(maxsize=1)
def _ruamel_release() -> str:
    """What identifies the installed ruamel.yaml: its ``__init__.py``, which holds the version and
    release timestamp. Reading it takes 0.2 ms; importing ruamel.yaml for ``__version__`` took
    20-30 ms of every run, which otherwise never needs ruamel.yaml (the parse is cached)."""
    import importlib.util

    spec = importlib.util.find_spec("ruamel.yaml")
    if spec is None or spec.origin is None:
        return "ruamel.yaml missing"
    try:
        with open(spec.origin, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
    except OSError:
        return "ruamel.yaml unreadable"


def load_parsed_yaml(root: str, text: str) -> Any | None:
    """The data ruamel.yaml parsed from ``text`` before, or None."""
    try:
        with open(_yaml_entry(root, text), encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def store_parsed_yaml(root: str, text: str, data: Any) -> None:
    """Keep ``data`` for ``text`` if JSON gives it back unchanged (string keys, plain scalars)."""
    if not _json_exact(data):
        return
    entry = _yaml_entry(root, text)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        _mark_cache_directory(Path(root))
        replace_cache_file(str(entry), json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # no cache: the next run parses again


def _json_exact(value: Any) -> bool:
    from ruamel.yaml.scalarbool import ScalarBoolean  # an int to JSON: would come back as 0 or 1

    if isinstance(value, ScalarBoolean):
        return False
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_exact(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_exact(v) for v in value)
    return False  # dates, sets, tagged values: parse again each time


def _is_manifest(value: Any) -> bool:
    """Whether ``value`` is a manifest as write_manifest's callers make it (a damaged one is skipped)."""
    if not (
        isinstance(value, dict)
        and isinstance(value.get("cwd"), str)
        and isinstance(value.get("as_of"), str)
        and isinstance(value.get("documents"), int)
    ):
        return False
    files = value.get("files")
    return isinstance(files, dict) and all(
        isinstance(key, str) and isinstance(state, tuple) and len(state) == 2 for key, state in files.items()
    )


def _made(directory: Path, top: Path | None = None) -> bool:
    """Create ``directory`` (and tag ``top``, the cache's root); False, with a notice, if that fails."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if top is not None:
            _mark_cache_directory(top)
    except OSError as error:
        reason = error.strerror or error
        print(f"doclint: notice: cache disabled, cannot create {directory}: {reason}", file=sys.stderr)
        return False
    return True


def _mark_cache_directory(top: Path) -> None:
    tag = top / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(_TAG, encoding="utf-8")
    ignore = top / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Made by doclint: never commit the cache.\n*\n", encoding="utf-8")


_NOTICED: set[str] = set()


def _format_number(name: str) -> float:
    """N for a ``results-vN`` directory name; infinity for any other name (never pruned)."""
    number = name.removeprefix("results-v")
    return int(number) if number != name and number.isdigit() else float("inf")


def _notice_once(kind: str, message: str) -> None:
    """Print ``message`` the first time a problem of this ``kind`` occurs in this process."""
    if kind in _NOTICED:
        return
    _NOTICED.add(kind)
    print(f"doclint: notice: {message}", file=sys.stderr)
