"""Atomic file writes: a temporary file in the same directory, then a rename."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile

# Temporary files being written now: a signal that ends doclint at once removes them
# (linter/workers.py), so no ``.name.*.doclint-tmp`` is left next to a user's file.
IN_PROGRESS: set[str] = set()


def remove_temporary_files() -> None:
    for temporary in list(IN_PROGRESS):
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def replace_cache_file(path: str, data: bytes) -> None:
    """Write a file of doclint's own caches (results, parsed YAML, compiled patterns): a
    temporary file in the same directory renamed over ``path``, so a reader sees the old bytes
    or the new, never half. No fsync: a lost cache file is only a miss. Makes the directory;
    an OSError goes to the caller, who decides whether a cache that cannot be written matters."""
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=os.path.splitext(path)[1])
    IN_PROGRESS.add(temporary)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    finally:
        IN_PROGRESS.discard(temporary)


class FileChanged(Exception):
    """The file on disk is no longer the content we read; it was left alone."""


def write_atomically(path: str, data: bytes, *, expected: bytes | None = None) -> None:
    """Replace ``path`` with ``data`` so readers see the old or the new file, never half.

    With ``expected``, the file is only replaced while its content is still ``expected``
    (the bytes the caller read); otherwise :class:`FileChanged` is raised and nothing is
    written. The new file keeps the old one's permission bits (or the umask default).
    """
    directory = os.path.dirname(os.path.abspath(path))
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    descriptor, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".doclint-tmp", dir=directory)
    IN_PROGRESS.add(temporary)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        if expected is not None:
            with open(path, "rb") as current:
                if current.read() != expected:
                    raise FileChanged(path)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    finally:
        IN_PROGRESS.discard(temporary)
