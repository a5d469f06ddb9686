#!/usr/bin/env python3
"""Time ``doclint corpus build`` with each engine on a generated corpus, and optionally the report.

Usage:
    python bench/corpus_build.py CORPUS_DIR [--workers 2] [--report] [--engines serial,local,dask]

CORPUS_DIR is made with ``bench/make_corpus.py CORPUS_DIR --pages N``. Each build is a fresh
process writing a fresh index; CPU s is user + system time of doclint and every process it
waited for (pool workers; the Dask local cluster's nannies and workers). The last column is
the time the client spent writing to SQLite, from the build's own summary line.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure(command: list[str], cwd: Path) -> tuple[float, float, int, str, float]:
    """(wall s, CPU s, exit status, stderr, peak RSS MB) of ``command`` and its waited-for descendants."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return wall, usage.ru_utime + usage.ru_stime, process.returncode, text, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engines", default="serial,local,dask")
    parser.add_argument("--report", action="store_true", help="also time 'corpus report' on the last index")
    arguments = parser.parse_args()
    corpus = arguments.corpus.resolve()
    pages = sum(1 for p in corpus.rglob("*") if p.is_file() and p.name != "manifest.json")
    megabytes = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file() and p.name != "manifest.json") / 1e6
    python = sys.executable
    print(f"{pages} pages, {megabytes:.1f} MB, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(
        "| engine | workers | wall s | CPU s | pages/s | MB/s | MB/s per worker | CPU ms/page "
        "| writer s (CPU s) | index MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as scratch:
        index = Path(scratch) / "index.sqlite"
        for engine in arguments.engines.split(","):
            index.unlink(missing_ok=True)
            workers = 1 if engine == "serial" else arguments.workers
            command = [python, "-m", "linter", "corpus", "build", ".", "--index", str(index), "--jobs", str(workers)]
            command += ["--engine", "dask" if engine == "dask" else "local"]
            wall, cpu, status, err, _ = measure(command, corpus)
            if status != 0:
                print(f"{engine}: exit {status}\n{err}", file=sys.stderr)
                return 1
            found = re.search(r"writing the index: ([\d.]+) s, ([\d.]+) s CPU", err)
            writer = f"{found.group(1)} ({found.group(2)} CPU)" if found else "?"
            print(
                f"| {engine} | {workers} | {wall:.1f} | {cpu:.1f} | {pages / wall:.1f} | {megabytes / wall:.2f} | "
                f"{megabytes / wall / workers:.2f} | {1000 * cpu / pages:.0f} | {writer} | "
                f"{index.stat().st_size / 1e6:.0f} |"
            )
        wall, cpu, status, err, _ = measure(
            [python, "-m", "linter", "corpus", "build", ".", "--index", str(index), "--jobs", "1"], corpus
        )
        print(f"| warm re-build (nothing changed) | 1 | {wall:.1f} | {cpu:.1f} | | | | | | |")
        if arguments.report:
            wall, cpu, status, err, peak = measure(
                [python, "-m", "linter", "corpus", "report", "--index", str(index), "--format", "json"], corpus
            )
            print(f"\ncorpus report --format json: {wall:.1f} s wall, {cpu:.1f} CPU s, peak {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
