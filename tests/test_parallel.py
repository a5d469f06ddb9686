"""--jobs N: the same output, in the same order, as --jobs 1."""

from __future__ import annotations

from pathlib import Path

from generated_corpus import generate
from helpers import REFERENCE_DATE, builtin_config, everything, quoted, run_cli

from linter.engine import PARALLEL_THRESHOLD, RunOptions, run


def test_two_workers_give_the_same_run_result_as_one(tmp_path: Path) -> None:
    paths = generate(tmp_path / "corpus", 100)
    (tmp_path / "corpus" / "broken.txt").write_bytes(b"Caf\xe9 prices rose.\n")  # not UTF-8: an error
    (tmp_path / "corpus" / "image.md").write_bytes(b"\x89PNG\x00\x00")  # binary: a notice
    assert len(paths) > PARALLEL_THRESHOLD
    config = builtin_config()
    serial = run([str(tmp_path / "corpus")], config, RunOptions(as_of=REFERENCE_DATE, jobs=1))
    parallel = run([str(tmp_path / "corpus")], config, RunOptions(as_of=REFERENCE_DATE, jobs=2))
    assert len(everything(serial)) > 100
    assert everything(parallel) == everything(serial)
    assert parallel.problems == serial.problems
    assert [Path(p.path).name for p in serial.problems] == ["broken.txt", "image.md"]
    assert quoted(parallel) == quoted(serial)
    assert everything(serial) == sorted(everything(serial), key=lambda d: d.sort_key())


def test_cli_output_is_byte_identical_whatever_the_number_of_jobs(tmp_path: Path) -> None:
    generate(tmp_path / "corpus", 60)
    outputs = {}
    for jobs in ("1", "2", "3"):
        completed = run_cli("check", "corpus", "--jobs", jobs, "--no-cache", "--as-of", "2026-11-21", cwd=tmp_path)
        assert completed.returncode == 1, completed.stderr
        outputs[jobs] = completed.stdout
    assert outputs["1"] == outputs["2"] == outputs["3"]
    assert outputs["1"].count("[boilerplate]") > 50
