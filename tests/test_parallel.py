"""--jobs N: the same output, in the same order, as --jobs 1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
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


def _children(pid: int) -> set[int]:
    """The child processes of ``pid`` (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(child) for child in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_parallel_check(tmp_path: Path) -> tuple[subprocess.Popen[bytes], set[int]]:
    """``doclint check --jobs 2`` on a corpus big enough to keep two workers busy; once they run."""
    generate(tmp_path / "corpus", 150)
    (tmp_path / "rules.yaml").write_text("extends: default\ncorpus: ['corpus/**']\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "linter", "check", "corpus", "--jobs", "2", "--no-cache", "--format", "json"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        workers = _children(process.pid)
    assert len(workers) == 2, "the run never started its two workers"
    return process, workers


def _gone_within(pids: set[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(_alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_terminated_run_stops_its_workers_at_once_and_says_so(tmp_path: Path) -> None:
    """A cancelled CI job sends SIGTERM: doclint exits 143 and leaves no worker behind."""
    process, workers = _start_parallel_check(tmp_path)
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM, stderr.decode()
    assert "doclint: stopped by SIGTERM" in stderr.decode()
    assert "Traceback" not in stderr.decode()
    assert _gone_within(workers, 5), "workers outlived doclint"
    assert time.monotonic() - started < 10


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_die_with_a_killed_main_process(tmp_path: Path) -> None:
    """SIGKILL (or the OOM killer) gives the main process no chance to clean up: the workers
    still stop, by the parent-death signal they asked for."""
    process, workers = _start_parallel_check(tmp_path)
    process.kill()
    process.communicate(timeout=30)
    assert _gone_within(workers, 5), "workers outlived a killed doclint"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_interrupts_the_run_without_worker_tracebacks(tmp_path: Path) -> None:
    """The terminal sends SIGINT to the whole process group: only the main process reports it."""
    process, workers = _start_parallel_check(tmp_path)
    for pid in (process.pid, *workers):  # what a terminal does (not killpg: pytest is in the group too)
        os.kill(pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr.decode()
    assert stderr.decode().strip().endswith("doclint: interrupted")
    assert "KeyboardInterrupt" not in stderr.decode()
    assert _gone_within(workers, 5)


def test_workers_collect_garbage_as_seldom_as_the_main_process() -> None:
    """Worker processes raise the garbage collector's thresholds themselves: a spawned worker
    (macOS, Windows) inherits nothing from ``doclint``'s main()."""
    import gc

    from linter.workers import COLLECTION_THRESHOLDS, process_pool

    assert gc.get_threshold() != COLLECTION_THRESHOLDS  # this test process never ran main()
    with process_pool(1) as pool:
        assert pool.submit(gc.get_threshold).result() == COLLECTION_THRESHOLDS
    completed = subprocess.run(
        [sys.executable, "-c", "import gc, linter.cli; linter.cli.main(['rules']); print(gc.get_threshold())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.splitlines()[-1] == str(COLLECTION_THRESHOLDS)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")
def test_a_worker_terminated_before_it_is_set_up_leaves_without_a_word() -> None:
    """A worker forked a moment before the main process terminates its children still has the
    main process's signal handler (``_start_worker`` has not put the default back): it must
    exit at once and silently, not report the stop as if it were doclint (the last line of
    stderr must be the main process's)."""
    from linter.workers import stopping_on_signals

    ready_read, ready_write = os.pipe()
    said_read, said_write = os.pipe()
    with stopping_on_signals():
        pid = os.fork()
        if pid == 0:  # the "worker", between fork and _start_worker
            try:
                os.close(ready_read)
                os.close(said_read)
                sys.stderr = os.fdopen(said_write, "w")
                os.write(ready_write, b"!")
                time.sleep(30)
            finally:
                os._exit(0)
        os.close(ready_write)
        os.close(said_write)
        assert os.read(ready_read, 1) == b"!"
        os.kill(pid, signal.SIGTERM)
        _, status = os.waitpid(pid, 0)
    with os.fdopen(said_read) as said:
        assert said.read() == ""
    os.close(ready_read)
    assert os.waitstatus_to_exitcode(status) == 128 + signal.SIGTERM
