"""Paths on the command line → the files to lint, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from linter.config import Config

SKIPPED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".doclint-cache",
        "site-packages",
    }
)


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that could not be linted (``error``) or was skipped on purpose (``notice``)."""

    path: str
    message: str
    level: str  # "error" | "notice"


def skipped_directory(path: str) -> bool:
    """A directory no walk enters: a tool's or version control's (:data:`SKIPPED_DIRECTORIES`),
    or a virtualenv under any name (it holds a ``pyvenv.cfg``)."""
    return os.path.basename(path) in SKIPPED_DIRECTORIES or os.path.exists(os.path.join(path, "pyvenv.cfg"))


def discover(paths: Iterable[str], config: Config) -> Iterator[str | Problem]:
    """Yield files to lint (as display paths) and problems, in a deterministic order.

    Files named on the command line are linted whatever their extension, unless the
    configuration excludes them; directories are walked for files matching ``include``.
    """
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            yield from _walk(path, config, seen, set())
            continue
        if os.path.islink(path) and not os.path.exists(path):
            yield Problem(path, "broken symbolic link", "error")
            continue
        if not os.path.exists(path):
            yield Problem(path, "no such file or directory", "error")
            continue
        if config.is_excluded(path):
            continue
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            yield path


def _walk(directory: str, config: Config, seen: set[str], walking: set[str]) -> Iterator[str | Problem]:
    real = os.path.realpath(directory)
    if real in walking:
        yield Problem(directory, "symbolic link loop, skipped", "notice")
        return
    walking = walking | {real}
    try:
        with os.scandir(directory) as scanner:
            entries = sorted(scanner, key=lambda entry: entry.name)
    except PermissionError:
        yield Problem(directory, "permission denied: cannot list this directory", "error")
        return
    except OSError as error:
        yield Problem(directory, f"cannot list this directory: {error.strerror or error}", "error")
        return
    for entry in entries:
        path = os.path.join(directory, entry.name) if directory not in ("", ".") else entry.name
        try:
            is_directory = entry.is_dir()
            is_file = entry.is_file()
        except OSError:
            continue
        if entry.is_symlink() and not is_directory and not is_file:
            if config.is_included(path) and not config.is_excluded(path):
                yield Problem(path, "broken symbolic link, skipped", "notice")
            continue
        if is_directory:
            if skipped_directory(path):
                continue
            if config.is_excluded(path):
                continue
            yield from _walk(path, config, seen, walking)
        elif is_file:
            if not config.is_included(path) or config.is_excluded(path):
                continue
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                yield path
