"""The results cache: hits for unchanged files, misses for any change, safe when shared."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from generated_corpus import generate
from helpers import REFERENCE_DATE, builtin_config, config_from_yaml, everything, quoted, run_cli

from linter import engine
from linter.engine import RunOptions, RunResult, run

BOILERPLATE_PAGE = (
    "# Data sharing in Ohio\n\nIt is important to note that the rules change.\n\n"
    "The agency shares data with ICE. In conclusion, the state is careful.\n"
)


# These tests are about per-file results, so they turn the corpus rules off (with them on, the
# entries are also keyed by the whole corpus: tests/corpus/test_index.py tests that).
NO_CORPUS_RULES = frozenset({"template-reuse", "entity-leak"})
IGNORE_CORPUS_RULES = ("--ignore", ",".join(sorted(NO_CORPUS_RULES)))


def options(cache_dir: Path | None, **changes: object) -> RunOptions:
    base = RunOptions(
        as_of=REFERENCE_DATE, cache_dir=str(cache_dir) if cache_dir else None, jobs=1, ignore=NO_CORPUS_RULES
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def summary(result: RunResult) -> list[tuple[str, int, int, str, str]]:
    return [(d.path, d.line, d.column, d.rule, d.message) for d in everything(result)]


def refuse_to_lint(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*arguments: object) -> None:
        raise AssertionError("a cached file was linted again")

    monkeypatch.setattr(engine, "lint_text", fail)


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "ohio.md").write_text(BOILERPLATE_PAGE, encoding="utf-8")
    (folder / "plain.txt").write_text("Nothing to report here.\n", encoding="utf-8")
    return folder


def test_a_warm_run_lints_nothing_and_returns_the_same_results(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = builtin_config()
    cold = run([str(pages)], config, options(tmp_path / "cache"))
    assert [(d.line, d.column, d.rule) for d in everything(cold)] == [(3, 1, "boilerplate"), (5, 34, "boilerplate")]
    refuse_to_lint(monkeypatch)
    warm = run([str(pages)], config, options(tmp_path / "cache"))
    assert everything(warm) == everything(cold)
    assert quoted(warm) == quoted(cold)
    assert warm.files_checked == 2


def test_changed_text_is_linted_again(pages: Path, tmp_path: Path) -> None:
    config = builtin_config()
    run([str(pages)], config, options(tmp_path / "cache"))
    (pages / "plain.txt").write_text("Overall, it is worth noting the point.\n", encoding="utf-8")
    result = run([str(pages)], config, options(tmp_path / "cache"))
    assert [(Path(d.path).name, d.line, d.column) for d in everything(result)] == [
        ("ohio.md", 3, 1),
        ("ohio.md", 5, 34),
        ("plain.txt", 1, 1),
        ("plain.txt", 1, 10),
    ]


def test_a_config_change_or_another_reference_date_or_selection_misses(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    run([str(pages)], builtin_config(), options(cache))
    quiet = config_from_yaml(tmp_path, "extends: default\nrules:\n  boilerplate: {enabled: false}\n")
    assert everything(run([str(pages)], quiet, options(cache))) == []
    linted: list[str] = []
    original = engine.lint_text

    def counting(path: str, *arguments: object) -> engine.FileResult:
        linted.append(Path(path).name)
        return original(path, *arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "lint_text", counting)
    run([str(pages)], builtin_config(), options(cache, as_of=REFERENCE_DATE.replace(year=2027)))
    run([str(pages)], builtin_config(), options(cache, select=frozenset({"boilerplate"})))
    assert linted == ["ohio.md", "plain.txt", "ohio.md", "plain.txt"]


def test_entries_of_other_days_are_deleted_by_the_next_run_of_many_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for number in range(engine.PRUNE_MIN_FILES):
        text = f"# Page {number}\n\nAs of 2025, the agency shares data with {number} offices.\n"
        (folder / f"page-{number:02}.md").write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    config = builtin_config()
    few = [str(folder / "page-00.md"), str(folder / "page-01.md")]
    today, next_year = REFERENCE_DATE, REFERENCE_DATE.replace(year=2027)
    assert everything(run(few, config, options(cache))) == []  # (not stale yet)
    stale = everything(run(few, config, options(cache, as_of=next_year)))
    assert [(Path(d.path).name, d.line, d.column, d.rule) for d in stale] == [
        ("page-00.md", 3, 1, "stale-date"),
        ("page-01.md", 3, 1, "stale-date"),
    ]
    generations = sorted(path.name for path in cache.glob("results-v*/*/*") if path.is_dir())
    assert generations == ["as-of-2026-11-21", "as-of-2027-11-21"]  # a run of two files deletes nothing
    assert everything(run([str(folder)], config, options(cache))) == []
    assert sorted(path.name for path in cache.glob("results-v*/*/*") if path.is_dir()) == ["as-of-2026-11-21"]
    refuse_to_lint(monkeypatch)  # today's entries stay
    assert everything(run(few, config, options(cache, as_of=today))) == []


def test_a_corrupt_entry_is_ignored_with_a_notice_and_rewritten(
    pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    config = builtin_config()
    cold = run([str(pages)], config, options(cache))
    entries = sorted(cache.rglob("*.results"))
    assert len(entries) == 2
    entries[0].write_bytes(entries[0].read_bytes()[:-40])  # truncated
    entries[1].write_text('{"diagnostics": [{"line": ', encoding="utf-8")  # not an entry at all
    capsys.readouterr()
    again = run([str(pages)], config, options(cache))
    assert everything(again) == everything(cold)
    notice = capsys.readouterr().err
    assert notice.startswith("doclint: notice: ignoring an unreadable cache entry ")
    assert notice.count("\n") == 1  # once per run, not once per entry
    assert all(entry.read_bytes().startswith(b"doclint results-v7\n") for entry in entries)  # rewritten
    assert everything(run([str(pages)], config, options(cache))) == everything(cold)


@pytest.mark.parametrize("related", [[5, 3, 1, 0], [0, 3, 1]], ids=["unknown path", "cut short"])
def test_an_entry_damaged_after_it_was_written_is_ignored_before_any_reporter_sees_it(
    pages: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    related: list[int],
) -> None:
    """Well-formed marshal, wrong numbers: a warm run reads only an entry's summary, and the
    CRC-32 of its data tells it the data is not what was written."""
    import marshal

    from linter import cache as cache_module
    from linter.cache import _read_entry

    monkeypatch.setattr(cache_module, "_NOTICED", set())  # the notice comes once per process

    cache = tmp_path / "cache"
    config = builtin_config()
    cold = run([str(pages)], config, options(cache))

    def data_of(entry: Path) -> memoryview:
        read = _read_entry(str(entry))
        assert read is not None
        return read[1]

    entry = next(e for e in sorted(cache.rglob("*.results")) if marshal.loads(data_of(e))["diagnostics"])
    contents = entry.read_bytes()
    data = marshal.loads(data_of(entry))
    data["diagnostics"][0][data["fields"].index("related")] = related
    entry.write_bytes(contents[: len(contents) - len(data_of(entry))] + marshal.dumps(data))  # the old checksum
    capsys.readouterr()
    again = run([str(pages)], config, options(cache))
    assert everything(again) == everything(cold)
    assert capsys.readouterr().err.startswith("doclint: notice: ignoring an unreadable cache entry ")


def test_the_cache_directory_is_tagged_and_ignored_by_git(pages: Path, tmp_path: Path) -> None:
    run([str(pages)], builtin_config(), options(tmp_path / "cache"))
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (tmp_path / "cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_no_cache_writes_nothing_and_the_default_is_next_to_the_config(pages: Path, tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("extends: default\n", encoding="utf-8")
    completed = run_cli("check", "pages", "--no-cache", "--as-of", "2026-11-21", *IGNORE_CORPUS_RULES, cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    assert not (tmp_path / ".doclint-cache").exists()
    completed = run_cli("check", "pages", "--as-of", "2026-11-21", *IGNORE_CORPUS_RULES, cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    assert len(list((tmp_path / ".doclint-cache").rglob("*.results"))) == 2


def test_two_processes_sharing_one_cache_agree_with_an_uncached_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    generate(corpus, 60)
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "linter", "check", str(corpus), "--format", "json", "--as-of", "2026-11-21"]
    command += IGNORE_CORPUS_RULES
    environment = {**os.environ, "NO_COLOR": "1"}
    first, second = (
        subprocess.Popen(
            [*command, "--cache-dir", str(cache), "--jobs", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
        )
        for _ in range(2)
    )
    outputs = [process.communicate(timeout=300) for process in (first, second)]
    uncached = subprocess.run([*command, "--no-cache"], capture_output=True, env=environment, timeout=300)
    assert outputs[0][1] == outputs[1][1] == b""
    assert outputs[0][0] == outputs[1][0] == uncached.stdout
    assert len(list((cache / "results-v7").rglob("*.results"))) == 60
    assert list(cache.rglob(".tmp-*")) == []
    warm = subprocess.run([*command, "--cache-dir", str(cache)], capture_output=True, env=environment, timeout=300)
    assert warm.stdout == uncached.stdout


def test_parsed_yaml_from_the_cache_builds_the_same_config(tmp_path: Path) -> None:
    from linter.config import load_config

    text = "extends: default\nrules:\n  boilerplate:\n    severity: error\nlexicons:\n  abbreviations: {add: [Haw]}\n"
    (tmp_path / "rules.yaml").write_text(text, encoding="utf-8")
    fresh = load_config(str(tmp_path / "rules.yaml"))
    first = load_config(str(tmp_path / "rules.yaml"), parsed_cache=str(tmp_path / "cache"))
    assert len(list((tmp_path / "cache" / "yaml-v1").glob("*.json"))) == 2  # built-in set and this file
    cached = load_config(str(tmp_path / "rules.yaml"), parsed_cache=str(tmp_path / "cache"))
    for config in (first, cached):
        assert config.fingerprint() == fresh.fingerprint()
        assert config.rules == fresh.rules
        assert config.lexicons == fresh.lexicons
    assert cached.rules["boilerplate"].severity == "error"


def test_a_config_error_found_on_cached_yaml_still_has_its_exact_position(tmp_path: Path) -> None:
    from linter.config import ConfigError, load_config

    rules = tmp_path / "rules.yaml"
    rules.write_text("extends: default\nrules:\n  boilerplate:\n    severity: loud\n", encoding="utf-8")
    errors = []
    for _ in range(2):  # the second time the YAML comes from the cache
        with pytest.raises(ConfigError) as caught:
            load_config(str(rules), parsed_cache=str(tmp_path / "cache"))
        errors.append(str(caught.value))
    assert len(list((tmp_path / "cache" / "yaml-v1").glob("*.json"))) == 2
    assert errors[0] == errors[1]
    assert errors[0].startswith(f"{rules}:4:15: ")


def test_the_cache_holds_findings_before_the_baseline(pages: Path, tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("extends: default\n", encoding="utf-8")
    common = ("--as-of", "2026-11-21", "--format", "json", *IGNORE_CORPUS_RULES)
    assert run_cli("check", "pages", *common, "--write-baseline", "baseline.json", cwd=tmp_path).returncode == 0
    with_baseline = run_cli("check", "pages", *common, "--baseline", "baseline.json", cwd=tmp_path)
    assert (with_baseline.returncode, with_baseline.stdout.strip()) == (0, "[]")
    without = run_cli("check", "pages", *common, cwd=tmp_path)  # answered from the cache
    assert without.returncode == 1
    assert without.stdout.count('"rule": "boilerplate"') == 2
