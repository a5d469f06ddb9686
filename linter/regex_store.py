"""Compiled regular expressions kept between runs.

Python's ``re`` compiles a pattern with Python code (a parser and a code generator) and hands
the result, a list of integers for the C matcher, to ``_sre.compile``. The rules build large
patterns from their lexicons at run time (date phrases, certainty and hedge cues, attribution
verbs, entity names): compiling them took 40-75 ms of a one-file pre-commit run on a
10,000-page corpus, more than linting the page. This store keeps each such pattern's compiled
program in one :mod:`marshal` file in the user cache (``regex-v1/`` next to the parsed YAML,
see :func:`linter.user_cache.default_directory`) and builds the pattern from it the next time.

``_sre.compile`` and the compiler's ``_parser``/``_code`` are CPython internals (unchanged from
3.10 to 3.13), so the store guards itself three ways:

* the file is named by the Python build and the matcher's ``_sre.MAGIC``, which changes with
  the program format;
* on first use, a probe pattern is built both ways and compared with ``==`` (a compiled
  pattern compares its flags, source and program); any difference or error turns the store
  off for the process, and every pattern is compiled by ``re.compile`` as always;
* ``_sre.compile`` validates every program it is given: a damaged entry raises and the
  pattern is compiled afresh.

The lint path's patterns all come from :func:`compiled`, those built from lexicons at run
time and the modules' own constants alike (11-20 ms more of a one-file run): ``doclint check``
calls :func:`use_directory` (not with ``--no-cache``) before it imports the rules, and
:func:`save` writes the store back when the run compiled patterns it did not hold. Until a
directory is given (the language server, a library caller, a test), :func:`compiled` is
``re.compile``. Worker processes inherit the loaded store and never write.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from typing import Any

try:  # Python 3.11+
    from re import _compiler as _re_compiler  # type: ignore[attr-defined]
    from re import _parser as _re_parser  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_compile as _re_compiler
    import sre_parse as _re_parser

_sre: Any = getattr(_re_compiler, "_sre", None)  # the C matcher, as the compiler imported it (None: not CPython)

STORE_FORMAT = "regex-v1"
MAX_ENTRIES = 4096  # past this, a save keeps only the patterns its run used (lexicons were edited)

# (source, flags) -> (flags, program, groups, group index, index group): _sre.compile's arguments
_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

_path: str | None = None
_entries: dict[tuple[str, int], _Entry] = {}
_used: set[tuple[str, int]] = set()
_added = False
_working: bool | None = None  # None: not probed yet


def compiled(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, from the store when it holds the pattern."""
    global _added
    if _path is None or not _store_works():
        return re.compile(source, flags)
    key = (source, int(flags))
    entry = _entries.get(key)
    if entry is not None:
        try:
            pattern = _build(source, entry)
        except (RuntimeError, TypeError, ValueError):  # a damaged entry: compile afresh
            pattern = None
        if pattern is not None:
            _used.add(key)
            return pattern
    entry = _program(source, int(flags))
    _entries[key] = entry
    _used.add(key)
    _added = True
    return _build(source, entry)


def use_directory(cache_directory: str) -> None:
    """Load the store kept under ``cache_directory``; from now on :func:`compiled` uses it."""
    global _path, _added
    _path = os.path.join(cache_directory, STORE_FORMAT, _file_name())
    _entries.clear()
    _used.clear()
    _added = False
    try:
        with open(_path, "rb") as handle:
            data = marshal.loads(handle.read())  # marshal.load(handle) reads in small pieces: 25x slower
    except (OSError, EOFError, ValueError, TypeError):
        return  # none yet, or unreadable: patterns are compiled and the store written anew
    if isinstance(data, dict):
        _entries.update(data)


def save() -> None:
    """Write the store back if this run compiled patterns it did not hold (atomically; quietly
    not at all when the cache directory is not writable)."""
    global _added
    if _path is None or not _added:
        return
    from linter.atomic import replace_cache_file  # only when writing (its tempfile import: 6 ms)

    entries = _entries if len(_entries) <= MAX_ENTRIES else {key: _entries[key] for key in _used}
    try:
        replace_cache_file(_path, marshal.dumps(entries))
    except OSError:
        return  # no store: the next run compiles again
    _added = False


def _file_name() -> str:
    magic = getattr(_sre, "MAGIC", "none")
    return f"{sys.implementation.cache_tag}-{magic}.marshal"


def _program(source: str, flags: int) -> _Entry:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` for ``source``, as plain values."""
    parsed = _re_parser.parse(source, flags)
    program = [int(opcode) for opcode in _re_compiler._code(parsed, flags)]  # named constants → int
    group_index = dict(parsed.state.groupdict)
    index_group: list[str | None] = [None] * parsed.state.groups
    for name, number in group_index.items():
        index_group[number] = name
    return int(flags | parsed.state.flags), program, parsed.state.groups - 1, group_index, tuple(index_group)


def _build(source: str, entry: _Entry) -> re.Pattern[str]:
    flags, program, groups, group_index, index_group = entry
    pattern: re.Pattern[str] = _sre.compile(source, flags, program, groups, group_index, index_group)
    return pattern


_PROBE = (r"(?P<year>(?:19|20)\d{2})\s+(?i:as\s+of)(?!\w)|[^\W\d]+", re.IGNORECASE)


def _store_works() -> bool:
    """Whether this Python builds the probe pattern from a stored program exactly as
    ``re.compile`` does (see the module docstring)."""
    global _working
    if _working is None:
        try:
            source, flags = _PROBE
            _working = _sre is not None and _build(source, _program(source, int(flags))) == re.compile(source, flags)
        except Exception:  # any failure of the internals means: do not use them
            _working = False
    return _working
