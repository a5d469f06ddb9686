"""The store of compiled rule patterns (linter/regex_store.py): what it builds is what
``re.compile`` builds, the same lexicons give the same patterns in every process, and a damaged
or unwritable store never changes a finding."""

from __future__ import annotations

import json
import marshal
import re
import shutil
from pathlib import Path

import pytest
from helpers import REFERENCE_DATE, SEEDS, run_cli

from linter import evidence, regex_store, segment

STORE_DIRECTORY = regex_store.STORE_FORMAT


def check_seeds(cache: Path | None, hash_seed: str = "0") -> list[tuple[str, int, int, str]]:
    """``doclint check`` on the two seed pages (all rules); the findings as (path, line, column, rule)."""
    caching = ["--no-cache"] if cache is None else ["--cache-dir", str(cache)]
    completed = run_cli(
        "check", str(SEEDS), "--format", "json", "--as-of", REFERENCE_DATE.isoformat(), "--jobs", "1", *caching,
        env={"PYTHONHASHSEED": hash_seed},
    )  # fmt: skip
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    return [(d["path"], d["line"], d["column"], d["rule"]) for d in json.loads(completed.stdout)]


def store_file(cache: Path) -> Path:
    (found,) = (cache / STORE_DIRECTORY).glob("*.marshal")
    return found


def forget_results(cache: Path) -> None:
    """Empty the cache directory but for the pattern store, so the next run lints (and compiles) again."""
    for entry in cache.iterdir():
        if entry.name != STORE_DIRECTORY:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


@pytest.fixture(scope="module")
def uncached_findings() -> list[tuple[str, int, int, str]]:
    return check_seeds(None)


def test_stored_patterns_are_the_ones_re_compile_builds_and_find_the_same(
    tmp_path: Path, uncached_findings: list[tuple[str, int, int, str]]
) -> None:
    cache = tmp_path / "cache"
    assert check_seeds(cache, hash_seed="1") == uncached_findings  # compiles, fills the store
    stored = marshal.loads(store_file(cache).read_bytes())
    assert len(stored) >= 40  # the rules' lexicon patterns: dates, certainty, hedges, attribution
    # and the modules' constants: the command line opens the store before it imports the rules
    assert (segment._GAP.pattern, 0) in stored
    assert (evidence.NUMERIC_CITATION.pattern, 0) in stored
    for (source, flags), entry in stored.items():
        assert regex_store._build(source, entry) == re.compile(source, flags)  # flags, source and program
    before = store_file(cache).read_bytes()
    forget_results(cache)
    # Another hash seed: a pattern built by iterating a set would come out in another order,
    # miss the store and be added to it.
    assert check_seeds(cache, hash_seed="2") == uncached_findings
    assert store_file(cache).read_bytes() == before


def damage_truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def damage_shapes(data: bytes) -> bytes:
    return marshal.dumps({key: ("not", "an entry") for key in marshal.loads(data)})


def damage_programs(data: bytes) -> bytes:
    """Valid entries in form whose programs are nonsense: only the C matcher's check can tell."""
    return marshal.dumps(
        {key: (entry[0], [99, 1, 2, 3], *entry[2:]) for key, entry in marshal.loads(data).items()}
    )  # fmt: skip


@pytest.mark.parametrize("damage", [damage_truncated, damage_shapes, damage_programs])
def test_a_damaged_store_changes_no_finding_and_is_rewritten(
    tmp_path: Path, uncached_findings: list[tuple[str, int, int, str]], damage: object
) -> None:
    cache = tmp_path / "cache"
    check_seeds(cache)
    good = store_file(cache).read_bytes()
    store_file(cache).write_bytes(damage(good))  # type: ignore[operator]
    forget_results(cache)
    assert check_seeds(cache) == uncached_findings
    rewritten = marshal.loads(store_file(cache).read_bytes())
    assert rewritten.keys() == marshal.loads(good).keys()
    for (source, flags), entry in rewritten.items():
        assert regex_store._build(source, entry) == re.compile(source, flags)


def test_an_unwritable_cache_directory_only_means_no_store(
    tmp_path: Path, uncached_findings: list[tuple[str, int, int, str]]
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory would be\n", encoding="utf-8")
    assert check_seeds(blocker) == uncached_findings
    assert blocker.read_text(encoding="utf-8") == "a file where the cache directory would be\n"


def test_a_python_whose_internals_differ_compiles_as_re_does(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class ChangedMatcher:  # as if _sre.compile took other arguments in some future Python
        MAGIC = 0

        @staticmethod
        def compile(*arguments: object) -> None:
            raise TypeError("compile() takes 7 arguments")

    for name, value in (
        ("_sre", ChangedMatcher),
        ("_working", None),
        ("_path", None),
        ("_entries", {}),
        ("_used", set()),
    ):
        monkeypatch.setattr(regex_store, name, value)  # restored after the test
    regex_store.use_directory(str(tmp_path))
    pattern = regex_store.compiled(r"\bas\s+of\s+(?P<year>\d{4})", re.IGNORECASE)
    assert pattern == re.compile(r"\bas\s+of\s+(?P<year>\d{4})", re.IGNORECASE)
    assert pattern.search("As of 2021, the rules")["year"] == "2021"  # type: ignore[index]
    regex_store.save()
    assert not (tmp_path / STORE_DIRECTORY).exists()  # nothing went through the store
