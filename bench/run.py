#!/usr/bin/env python3
"""Benchmark doclint on generated corpora and print one table.

    python bench/run.py [--sizes 1000,2000,4000,8000] [--jobs N] [--workdir DIR]

For every size it measures, with the real command line in a fresh process each time:

  (a) document rules only: no cache, corpus rules (if installed) ignored
  (b) full run with corpus rules, from a cold index and a cold results cache
  (c) warm re-run with nothing changed (same cache and index as (b))
  (d) one changed file checked against the indexed corpus (what pre-commit does)

and reports wall time, pages/s, MB/s and peak RSS (summed over doclint and its worker
processes, sampled every 20 ms from /proc). Without corpus rules (``doclint rules`` does not
list template-reuse), (b) prints "n/a (corpus rules not installed)" and (c)/(d) measure the
document rules with the results cache.

Baselines on the first ``--baseline-pages`` pages of the smallest corpus, when installed:
proselint (PyPI; ``--proselint PATH``), jscpd (npm; ``--jscpd PATH``), and ``grep -c -E``
with doclint's date and certainty lexicons as the floor for one pass over the bytes.

Corpora come from bench/make_corpus.py (seed 7): the largest size is generated once and a
smaller size is the first topics of it (50 pages per topic). Each size runs on its own copy,
under a rules.yaml whose ``corpus:`` globs cover every page of that size, so the corpus
rules in (d) compare the changed file with the whole indexed corpus.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
AS_OF = "2026-11-21"
CORPUS_RULES = ("template-reuse", "entity-leak")
PAGES_PER_TOPIC = 50


@dataclass
class Measurement:
    wall: float
    cpu: float  # user + system seconds of the whole process tree
    peak_rss: int  # bytes
    returncode: int
    stdout: bytes
    stderr: bytes


def _tree_rss(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in bytes (Linux /proc)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    pending.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


# Like a user's install: Python may cache bytecode (some sandboxes set PYTHONDONTWRITEBYTECODE,
# which makes every doclint process compile its sources again, ~0.1 s).
CHILD_ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measurement:
    """Run ``command``; wall time and peak memory of its process tree."""
    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env or CHILD_ENVIRONMENT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # waited-for descendants: workers included
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measurement(wall, cpu, peak, process.returncode, stdout, stderr)


def doclint_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "linter", *arguments]


def corpus_rules_installed(cwd: Path) -> bool:
    listing = subprocess.run(doclint_command("rules"), cwd=cwd, capture_output=True, text=True, check=True).stdout
    return all(re.search(rf"^{re.escape(rule)}\s", listing, re.MULTILINE) for rule in CORPUS_RULES)


def corpus_paths(root: Path, pages: int) -> list[Path]:
    topics = sorted(p for p in root.iterdir() if p.is_dir())
    return topics[: pages // PAGES_PER_TOPIC]


def size_of(paths: list[Path]) -> tuple[int, int]:
    files = [f for p in paths for f in p.rglob("*") if f.is_file()]
    return len(files), sum(f.stat().st_size for f in files)


def ensure_corpus(workdir: Path, pages: int) -> Path:
    root = workdir / "corpus"
    manifest = root / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text())["pages"] >= pages:
        return root
    shutil.rmtree(root, ignore_errors=True)
    subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(root), "--pages", str(pages)], check=True)
    return root


def check(result: Measurement, what: str) -> Measurement:
    if result.returncode not in (0, 1):
        sys.stderr.write(result.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"bench: {what} failed with exit status {result.returncode}")
    return result


@dataclass
class Row:
    pages: int
    megabytes: float
    case: str
    result: Measurement | None = None
    note: str = ""
    findings: int | None = None

    @property
    def wall(self) -> float | None:
        return None if self.result is None else self.result.wall

    def cells(self) -> list[str]:
        if self.result is None:
            return [f"{self.pages:,}", f"{self.megabytes:.1f}", self.case, self.note, "", "", "", "", ""]
        wall = self.result.wall
        one_file = self.case.startswith("(d)")
        return [
            f"{self.pages:,}",
            f"{self.megabytes:.1f}",
            self.case + self.note,
            f"{wall:.2f}",
            f"{self.result.cpu:.2f}",
            "" if one_file else f"{self.pages / wall:,.0f}",
            "" if one_file else f"{self.megabytes / wall:.2f}",
            f"{self.result.peak_rss / 2**20:,.0f}",
            "" if self.findings is None else f"{self.findings:,}",
        ]


def run_size(root: Path, pages: int, jobs: int, corpus_rules: bool, workdir: Path) -> list[Row]:
    # A copy of the first ``pages`` pages under a rules.yaml whose ``corpus:`` is all of them:
    # (d) then checks one file against the whole indexed corpus, as pre-commit does.
    scratch = Path(tempfile.mkdtemp(prefix=f"run-{pages}-", dir=workdir))  # config root: its own cache
    for topic in corpus_paths(root, pages):
        shutil.copytree(topic, scratch / "pages" / topic.name)
    (scratch / "rules.yaml").write_text("extends: default\ncorpus: ['pages/**']\n", encoding="utf-8")
    paths = [str(p) for p in sorted((scratch / "pages").iterdir())]
    count, total_bytes = size_of([Path(p) for p in paths])
    megabytes = total_bytes / 1e6
    common = ["--format", "json", "--as-of", AS_OF, "--jobs", str(jobs), "--no-progress"]
    rows: list[Row] = []
    ignore = ["--ignore", ",".join(CORPUS_RULES)] if corpus_rules else []

    result = check(measure(doclint_command("check", *paths, *common, "--no-cache", *ignore), scratch), "(a)")
    rows.append(Row(count, megabytes, "(a) document rules", result, findings=len(json.loads(result.stdout))))
    doc_only = "" if corpus_rules else " *"
    if corpus_rules:
        result = check(measure(doclint_command("check", *paths, *common), scratch), "(b)")
        rows.append(Row(count, megabytes, "(b) full, cold index", result, findings=len(json.loads(result.stdout))))
    else:
        rows.append(Row(count, megabytes, "(b) full, cold index", note="n/a (corpus rules not installed)"))
        result = check(measure(doclint_command("check", *paths, *common), scratch), "cache fill")
    result = check(measure(doclint_command("check", *paths, *common), scratch), "(c)")
    rows.append(Row(count, megabytes, "(c) warm, nothing changed", result, doc_only,
                    findings=len(json.loads(result.stdout))))

    rows.append(one_changed_file(Path(paths[-1]), scratch, count, megabytes, doc_only))
    shutil.rmtree(scratch, ignore_errors=True)
    return rows


def one_changed_file(topic: Path, scratch: Path, count: int, megabytes: float, note: str = "") -> Row:
    """(d): a page changes, then ``doclint check PAGE`` (what pre-commit runs); median of 3 changes."""
    changed = sorted(topic.iterdir())[0]
    original = changed.read_bytes()
    single = ["--format", "json", "--as-of", AS_OF, "--no-progress"]  # one file: one process
    results: list[Measurement] = []
    try:
        for year in (2019, 2020, 2021):
            changed.write_bytes(original + f"\nAs of {year}, the agency currently shares data with ICE.\n".encode())
            results.append(check(measure(doclint_command("check", str(changed), *single), scratch), "(d)"))
    finally:
        changed.write_bytes(original)
    result = sorted(results, key=lambda r: r.wall)[1]
    return Row(count, megabytes, "(d) one changed file", result, note + " (median of 3)",
               findings=len(json.loads(result.stdout)))


def pre_commit_size(root: Path, pages: int, jobs: int, workdir: Path) -> list[Row]:
    """Only (d), against an index built ahead with ``doclint corpus build`` (for sizes where (b) is long)."""
    scratch = Path(tempfile.mkdtemp(prefix=f"pre-commit-{pages}-", dir=workdir))
    for topic in corpus_paths(root, pages):
        shutil.copytree(topic, scratch / "pages" / topic.name)
    (scratch / "rules.yaml").write_text("extends: default\ncorpus: ['pages/**']\n", encoding="utf-8")
    count, total_bytes = size_of([scratch / "pages"])
    megabytes = total_bytes / 1e6
    build = check(measure(doclint_command("corpus", "build", "--jobs", str(jobs), "--no-progress"), scratch), "build")
    rows = [Row(count, megabytes, "(i) corpus build (index)", build)]
    rows.append(one_changed_file(sorted((scratch / "pages").iterdir())[-1], scratch, count, megabytes))
    shutil.rmtree(scratch, ignore_errors=True)
    return rows


def lexicon_pattern(names: tuple[str, ...]) -> str | None:
    """One ERE alternation of the lexicons whose names mention dates or certainty."""
    sys.path.insert(0, str(REPO))
    from linter.config import load_config

    config = load_config(str(REPO / "rules.yaml"))
    phrases = [
        phrase
        for name, values in config.lexicons.items()
        if any(word in name for word in names)
        for phrase in values
    ]
    if not phrases:
        return None
    return "|".join(re.sub(r"([][\\.^$*+?(){}|])", r"\\\1", p) for p in sorted(set(phrases)))


def baselines(root: Path, pages: int, proselint: str | None, jscpd: str | None, workdir: Path) -> list[str]:
    files = sorted(str(f) for p in corpus_paths(root, max(pages, PAGES_PER_TOPIC)) for f in p.rglob("*") if f.is_file())
    files = files[:pages]
    megabytes = sum(os.path.getsize(f) for f in files) / 1e6
    lines = [f"Baselines on the first {len(files):,} pages ({megabytes:.1f} MB), one process each:"]
    result = check(measure(doclint_command("check", *files, "--format", "json", "--as-of", AS_OF, "--jobs", "1",
                                           "--no-cache", "--no-progress"), workdir), "doclint --jobs 1")
    doclint_rate = megabytes / result.wall
    lines.append(f"  doclint --jobs 1 --no-cache: {result.wall:.2f} s, {doclint_rate:.2f} MB/s, "
                 f"peak {result.peak_rss / 2**20:,.0f} MB, {len(json.loads(result.stdout)):,} findings")

    pattern = lexicon_pattern(("date", "certain", "cutoff", "relative", "anchor", "booster"))
    if pattern is None:
        lines.append("  grep -c -E: n/a (no date or certainty lexicons in rules.yaml yet)")
    else:
        result = measure(["grep", "-c", "-i", "-E", pattern, *files], workdir)
        hits = sum(int(line.rsplit(b":", 1)[1]) for line in result.stdout.splitlines() if b":" in line)
        rate = megabytes / result.wall
        lines.append(f"  grep -c -i -E (date + certainty lexicons, {pattern.count('|') + 1} phrases): "
                     f"{result.wall:.2f} s, {rate:.1f} MB/s, {hits:,} matching lines; "
                     f"doclint --jobs 1 runs at {doclint_rate / rate:.3f}x the floor")

    if proselint is None:
        lines.append("  proselint: not installed (pip install proselint; or --proselint PATH)")
    else:
        result = measure([proselint, "check", "-o", "json", *files], workdir)
        rate = megabytes / result.wall
        try:
            found = sum(len(v["diagnostics"]) for v in json.loads(result.stdout)["result"].values())
        except (ValueError, KeyError, TypeError):
            found = -1
        lines.append(f"  proselint {_version([proselint, 'version'])}: {result.wall:.2f} s, {rate:.2f} MB/s, "
                     f"peak {result.peak_rss / 2**20:,.0f} MB, {found:,} findings; "
                     f"doclint --jobs 1 is {doclint_rate / rate:.1f}x faster per MB")

    if jscpd is None:
        lines.append("  jscpd: not installed (npm install jscpd; or --jscpd PATH)")
    else:
        output = workdir / "jscpd-report"
        shutil.rmtree(output, ignore_errors=True)
        listing = workdir / "jscpd-files"
        shutil.rmtree(listing, ignore_errors=True)
        listing.mkdir()
        for number, source in enumerate(files):  # jscpd takes directories; link just these pages
            os.symlink(source, listing / f"{number:05d}-{Path(source).name}")
        command = [jscpd, "--silent", "--formats-exts", "markdown:md;txt:txt;markup:html", "--min-lines", "1",
                   "--min-tokens", "20", "--reporters", "json", "--output", str(output), str(listing)]
        result = measure(command, workdir)
        try:
            stats = json.loads((output / "jscpd-report.json").read_text())["statistics"]["total"]
            summary = f"{stats['clones']:,} clones, {stats['percentage']}% of lines duplicated"
        except (OSError, ValueError, KeyError):
            summary = "no report"
        rate = megabytes / result.wall
        lines.append(f"  jscpd {_version([jscpd, '--version'])} (--min-lines 1 --min-tokens 20): {result.wall:.2f} s, "
                     f"{rate:.2f} MB/s, peak {result.peak_rss / 2**20:,.0f} MB, {summary}; "
                     f"doclint --jobs 1 is {doclint_rate / rate:.1f}x faster per MB")
    return lines


def _version(command: list[str]) -> str:
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"
    return output.split()[-1] if output else "?"


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        memory_gb = int(memory.split()[1]) / 2**20
    except (OSError, StopIteration):
        memory_gb = float("nan")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{cores} usable cores ({os.cpu_count()} online), {model}, {memory_gb:.1f} GB RAM, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000", help="corpus sizes in pages (multiples of 50)")
    parser.add_argument("--jobs", type=int, default=None, help="doclint --jobs (default: usable cores)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "doclint-bench")
    parser.add_argument(
        "--pre-commit-sizes",
        default="",
        help="also these sizes, (d) only, against an index from `doclint corpus build` (e.g. 10000)",
    )
    parser.add_argument("--baseline-pages", type=int, default=200, help="pages for proselint/jscpd/grep (0: skip)")
    parser.add_argument("--proselint", default=shutil.which("proselint"), help="proselint executable")
    parser.add_argument("--jscpd", default=shutil.which("jscpd"), help="jscpd executable")
    arguments = parser.parse_args(argv)
    sizes = sorted({int(s) for s in arguments.sizes.split(",")})
    pre_commit_sizes = sorted({int(s) for s in arguments.pre_commit_sizes.split(",") if s})
    if any(s % PAGES_PER_TOPIC or not 50 <= s <= 10_000 for s in (*sizes, *pre_commit_sizes)):
        parser.error("--sizes and --pre-commit-sizes must be multiples of 50 between 50 and 10000")
    jobs = arguments.jobs or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    workdir = arguments.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    os.chdir(REPO)
    root = ensure_corpus(workdir, max(sizes + pre_commit_sizes))
    corpus_rules = corpus_rules_installed(workdir)

    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"doclint benchmark, {started}; --jobs {jobs}; load average at start {load}; machine: {machine()}")
    extra = f" --pre-commit-sizes {','.join(map(str, pre_commit_sizes))}" if pre_commit_sizes else ""
    print(f"command: python bench/run.py --sizes {','.join(map(str, sizes))} --jobs {jobs}{extra}")
    header = ["pages", "MB", "case", "wall s", "CPU s", "pages/s", "MB/s", "peak RSS MB", "findings"]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---:" if h not in ("case",) else "---" for h in header) + "|")
    all_rows: dict[int, list[Row]] = {}
    for size in sizes:
        rows = run_size(root, size, jobs, corpus_rules, workdir)
        all_rows[size] = rows
        for row in rows:
            print("| " + " | ".join(row.cells()) + " |", flush=True)

    if corpus_rules:
        for size in pre_commit_sizes:
            for row in pre_commit_size(root, size, jobs, workdir):
                print("| " + " | ".join(row.cells()) + " |", flush=True)

    smallest, largest = sizes[0], sizes[-1]
    notes = [] if corpus_rules else ["* document rules with the results cache: corpus rules not installed"]
    for case_index, label in ((0, "(a)"), (1, "(b)")):
        first, last = all_rows[smallest][case_index], all_rows[largest][case_index]
        if first.wall is not None and last.wall is not None and largest > smallest:
            notes.append(f"linearity {label}: {last.wall / first.wall:.2f}x the time for {largest / smallest:.0f}x "
                         f"the pages (target: at most {1.125 * largest / smallest:.0f}x)")
    for size, rows in all_rows.items():
        cold = rows[1] if rows[1].wall is not None else rows[0]
        warm = rows[2]
        if cold.wall and warm.wall:
            notes.append(f"warm/cold at {size:,} pages: {100 * warm.wall / cold.wall:.1f}% (target < 10%)")
    for line in notes:
        print(line)
    if arguments.baseline_pages:
        for line in baselines(root, arguments.baseline_pages, arguments.proselint, arguments.jscpd, workdir):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
