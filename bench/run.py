#!/usr/bin/env python3
"""Benchmark doclint on generated corpora and print one table.

    python bench/run.py [--sizes 1000,2000,4000,8000] [--jobs N] [--workdir DIR]

For every size it measures, with the real command line in a fresh process each time:

  (a) document rules only: no cache, corpus rules (if installed) ignored
  (b) full run with corpus rules, from a cold index and a cold results cache
  (c) warm re-run with nothing changed (same cache and index as (b))
  (d) one changed file checked against the indexed corpus (what pre-commit does); at the
      --pre-commit-sizes also with ``--index`` and the index built by ``corpus build`` as a
      read-only artefact (pre-commit against a corpus built on a Dask cluster)
  (e) the whole corpus again after one sentence of one page was reworded (what CI does after
      an editor's commit; run before (d), whose one-file runs write to the index)
  (f) after (e), the whole corpus again with nothing changed on the next day (``--as-of`` one
      day later: a CI cache restored the next morning; the date rules run again)

and reports wall time, pages/s, MB/s and peak RSS (summed over doclint and its worker
processes, sampled every 20 ms from /proc). Without corpus rules (``doclint rules`` does not
list template-reuse), (b) prints "n/a (corpus rules not installed)" and (c)/(d) measure the
document rules with the results cache.

Baselines on the first ``--baseline-pages`` pages of the corpus, when installed:
proselint (PyPI; ``--proselint PATH``), jscpd (npm; ``--jscpd PATH``), and ``grep -c -E``
with doclint's date and certainty lexicons as the floor for one pass over the bytes. doclint
runs there with ``--jobs 1 --no-cache`` from a cold corpus index (a fresh config root each
time), once with all rules and once with only template-reuse and entity-leak, which is
compared with jscpd for speed and for recall: make_corpus.py records every sentence it
renders (provenance.jsonl.gz), and the share of template sentences each tool finds is
printed for exact fills and paraphrases, with the share of state-specific sentences
flagged as a false-positive check (see ``recall_lines``).

Corpora come from bench/make_corpus.py (seed 7): the largest size is generated once and a
smaller size is the first topics of it (50 pages per topic). Each size runs on its own copy,
under a rules.yaml whose ``corpus:`` globs cover every page of that size, so the corpus
rules in (d) compare the changed file with the whole indexed corpus.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import datetime
import gzip
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
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
AS_OF = "2026-11-21"
NEXT_DAY = "2026-11-22"  # (f)
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
    """Run ``command``; wall time and peak memory of its process tree.

    Standard output goes to an anonymous temporary file, read back after the clock stops, as
    a CI job writes its report to a file: read through a pipe into this process, a
    1.1 GB JSON report (4,000 pages) made the warm run's wall time 40 s for 24 CPU s, the
    reader competing with doclint for the machine's two cores.
    """
    peak = 0
    output = tempfile.TemporaryFile(prefix="bench-stdout-")  # noqa: SIM115 - closed below
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env or CHILD_ENVIRONMENT, stdout=output, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # waited-for descendants: workers included
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with output:
        output.seek(0)
        stdout = output.read()
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
    provenance = root / "provenance.jsonl.gz"  # a corpus made before make_corpus.py wrote it is made again
    if manifest.exists() and json.loads(manifest.read_text())["pages"] >= pages and provenance.exists():
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


def counted(result: Measurement) -> tuple[Measurement, int]:
    """The number of findings in doclint's JSON report, and ``result`` without the report.

    Each finding starts a line with two spaces and "{" (the contract's ``indent=2`` layout);
    a report under 100 MB is also parsed, to check that count. Holding the reports of the
    8,000-page runs (2.2 GB each) and parsing them whole left this process with 11 GB while
    the warm run was measured, and the machine with 2 GB of page cache for the index and
    the results cache: not what a CI machine has.
    """
    findings = result.stdout.count(b"\n  {\n")
    if len(result.stdout) < 100_000_000:
        parsed = len(json.loads(result.stdout))
        assert parsed == findings, (parsed, findings)
    return dataclasses.replace(result, stdout=b""), findings


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

    command = doclint_command("check", *paths, *common, "--no-cache", *ignore)
    result, found = counted(check(measure(command, scratch), "(a)"))
    rows.append(Row(count, megabytes, "(a) document rules", result, findings=found))
    doc_only = "" if corpus_rules else " *"
    if corpus_rules:
        result, found = counted(check(measure(doclint_command("check", *paths, *common), scratch), "(b)"))
        rows.append(Row(count, megabytes, "(b) full, cold index", result, findings=found))
    else:
        rows.append(Row(count, megabytes, "(b) full, cold index", note="n/a (corpus rules not installed)"))
        check(measure(doclint_command("check", *paths, *common), scratch), "cache fill")
    result, found = counted(check(measure(doclint_command("check", *paths, *common), scratch), "(c)"))
    rows.append(Row(count, megabytes, "(c) warm, nothing changed", result, doc_only, findings=found))
    if corpus_rules:
        rows.append(one_page_reworded(Path(paths[len(paths) // 2]), paths, common, scratch, count, megabytes))
        next_day = [NEXT_DAY if argument == AS_OF else argument for argument in common]
        result, found = counted(check(measure(doclint_command("check", *paths, *next_day), scratch), "(f)"))
        rows.append(Row(count, megabytes, "(f) next day, nothing changed", result, findings=found))

    rows.append(one_changed_file(Path(paths[-1]), scratch, count, megabytes, doc_only))
    shutil.rmtree(scratch, ignore_errors=True)
    return rows


def one_page_reworded(
    topic: Path, paths: list[str], common: list[str], scratch: Path, count: int, megabytes: float
) -> Row:
    """(e): after (c), one sentence of a page in the middle of the corpus is reworded in place (its
    words reversed: the same length, so no other sentence moves) and the whole corpus is checked
    again, as CI does after an editor's commit (runs of 24 files or more start from the previous
    results-cache generation and match again only the pages the change can affect)."""
    changed = sorted(topic.iterdir())[len(list(topic.iterdir())) // 2]
    text = changed.read_text(encoding="utf-8")
    sentence = next(
        s
        for s in re.split(r"(?<=[.!])\s+", text)
        if len(s) > 60 and "\n" not in s and text.count(s) == 1 and not re.search(r"[\d<>]", s)
    )
    changed.write_text(text.replace(sentence, " ".join(reversed(sentence.split()))), encoding="utf-8")
    result, found = counted(check(measure(doclint_command("check", *paths, *common), scratch), "(e)"))
    return Row(count, megabytes, "(e) warm, one page reworded", result, findings=found)


def one_changed_file(
    topic: Path, scratch: Path, count: int, megabytes: float, note: str = "", artefact: Path | None = None
) -> Row:
    """(d): a page changes, then ``doclint check PAGE`` (what pre-commit runs); median of 3 changes.
    With ``artefact``: ``doclint check PAGE --index ARTEFACT`` (pre-commit against a built, read-only index)."""
    changed = sorted(topic.iterdir())[0]
    original = changed.read_bytes()
    single = ["--format", "json", "--as-of", AS_OF, "--no-progress"]  # one file: one process
    if artefact is not None:
        single += ["--index", str(artefact)]
    results: list[Measurement] = []
    try:
        for year in (2019, 2020, 2021):
            changed.write_bytes(original + f"\nAs of {year}, the agency currently shares data with ICE.\n".encode())
            results.append(check(measure(doclint_command("check", str(changed), *single), scratch), "(d)"))
    finally:
        changed.write_bytes(original)
    result = sorted(results, key=lambda r: r.wall)[1]
    case = "(d) one changed file" if artefact is None else "(d) one changed file, --index artefact"
    return Row(count, megabytes, case, result, note + " (median of 3)", findings=len(json.loads(result.stdout)))


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
    last_topic = sorted((scratch / "pages").iterdir())[-1]
    # The built index as a read-only artefact first: the one-file runs of (d) write to it.
    artefact = scratch / ".doclint-cache" / "index.sqlite"
    rows.append(one_changed_file(last_topic, scratch, count, megabytes, artefact=artefact))
    rows.append(one_changed_file(last_topic, scratch, count, megabytes))
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


@contextmanager
def cold_config_root(workdir: Path) -> Iterator[Path]:
    """A new directory holding only ``rules.yaml`` (``extends: default``), removed afterwards.

    A run with ``--config`` pointing there has it as its config root, so its corpus index
    (``.doclint-cache/index.sqlite`` next to that rules.yaml) starts empty every time, and no
    rules.yaml found above the working directory (or an index left by an earlier run) can
    change what is measured. ``corpus:`` is unset: the corpus is exactly the files of the run.
    """
    scratch = Path(tempfile.mkdtemp(prefix="baseline-", dir=workdir))
    (scratch / "rules.yaml").write_text("extends: default\n", encoding="utf-8")
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def doclint_baseline(files: list[str], workdir: Path, *select: str) -> tuple[Measurement, list[dict[str, Any]]]:
    """``doclint check FILES --jobs 1 --no-cache`` from a cold index; its findings."""
    with cold_config_root(workdir) as scratch:
        command = doclint_command("check", *files, "--config", str(scratch / "rules.yaml"), "--format", "json",
                                  "--as-of", AS_OF, "--jobs", "1", "--no-cache", "--no-progress", *select)
        result = check(measure(command, scratch), "doclint --jobs 1 " + " ".join(select))
    return result, json.loads(result.stdout)


def speed_ratio(ours: Measurement, theirs: Measurement) -> str:
    """How many times the other tool's MB/s doclint runs at, on the same files: by wall time and by CPU time."""
    return f"{theirs.wall / ours.wall:.2f}x (per CPU second {theirs.cpu / max(ours.cpu, 1e-9):.2f}x)"


def baselines(root: Path, pages: int, proselint: str | None, jscpd: str | None, workdir: Path) -> list[str]:
    files = sorted(str(f) for p in corpus_paths(root, max(pages, PAGES_PER_TOPIC)) for f in p.rglob("*") if f.is_file())
    files = files[:pages]
    megabytes = sum(os.path.getsize(f) for f in files) / 1e6
    lines = [f"Baselines on the first {len(files):,} pages ({megabytes:.1f} MB), one process each; "
             "doclint from a cold corpus index:"]
    full, findings = doclint_baseline(files, workdir)
    doclint_rate = megabytes / full.wall
    lines.append(f"  doclint --jobs 1 --no-cache: {full.wall:.2f} s (CPU {full.cpu:.2f} s), {doclint_rate:.2f} MB/s, "
                 f"peak {full.peak_rss / 2**20:,.0f} MB, {len(findings):,} findings")

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
        lines.append(f"  proselint {_version([proselint, 'version'])}: {result.wall:.2f} s (CPU {result.cpu:.2f} s), "
                     f"{rate:.2f} MB/s, peak {result.peak_rss / 2**20:,.0f} MB, {found:,} findings; "
                     f"doclint --jobs 1 runs at {speed_ratio(full, result)} proselint's MB/s")

    # Template reuse on its own: the same pages, one process, no results cache, a cold index.
    reuse, reuse_findings = doclint_baseline(files, workdir, "--select", ",".join(CORPUS_RULES))
    reported = [f for f in reuse_findings if not (f.get("data") or {}).get("summary")]
    lines.append(f"  doclint template reuse (--select {','.join(CORPUS_RULES)} --jobs 1 --no-cache): "
                 f"{reuse.wall:.2f} s (CPU {reuse.cpu:.2f} s), {megabytes / reuse.wall:.2f} MB/s, "
                 f"peak {reuse.peak_rss / 2**20:,.0f} MB, "
                 f"{len(reported):,} findings (+ {len(reuse_findings) - len(reported):,} page summaries)")

    report: dict[str, Any] | None = None
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
            report = json.loads((output / "jscpd-report.json").read_text())
            stats = report["statistics"]["total"]
            summary = f"{stats['clones']:,} clones, {stats['percentage']}% of lines duplicated"
        except (OSError, ValueError, KeyError, TypeError):
            report, summary = None, "no report"
        rate = megabytes / result.wall
        lines.append(f"  jscpd {_version([jscpd, '--version'])} (--min-lines 1 --min-tokens 20): {result.wall:.2f} s "
                     f"(CPU {result.cpu:.2f} s), {rate:.2f} MB/s, peak {result.peak_rss / 2**20:,.0f} MB, {summary}; "
                     f"doclint --jobs 1 runs at {speed_ratio(full, result)} jscpd's MB/s, "
                     f"doclint template reuse at {speed_ratio(reuse, result)} (target: above 1)")
    lines.extend(recall_lines(root, files, reuse_findings, report))
    return lines


# --------------------------------------------------------------------------- recall on template text

# Sentence kinds of make_corpus.py's provenance file that the recall lines report.
RECALL_KINDS = {"template": "exact", "paraphrase": "paraphrased"}
SPECIFIC_KINDS = {"specific": "state-specific", "detail": "county-detail"}


def squeeze(text: str) -> str:
    """``text`` without whitespace: how sentences are compared with page sources."""
    return "".join(text.split())


@dataclass
class Page:
    """One page of the baseline run: its source text and where each recorded sentence is in it."""

    path: str
    state: str
    text: str
    line_starts: list[int]
    solid: str  # the text without whitespace
    solid_offsets: list[int]  # offset in ``text`` of each character of ``solid``
    sentences: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, start, end offset), end exclusive
    not_located: int = 0

    def offset(self, line: int, column: int) -> int:
        """Offset of a 1-based line and column (in characters, as doclint and jscpd count them)."""
        return self.line_starts[line - 1] + column - 1

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def occurrences(self, needle: str) -> list[tuple[int, int]]:
        """(start, end) in ``text`` of each occurrence of ``needle`` (without whitespace) in ``solid``."""
        found = []
        position = self.solid.find(needle)
        while position >= 0 and needle:
            found.append((self.solid_offsets[position], self.solid_offsets[position + len(needle) - 1] + 1))
            position = self.solid.find(needle, position + len(needle))
        return found

    def matching_end(self, start: int, fragment: str) -> int:
        """Where the text from ``start`` stops matching ``fragment``, whitespace aside.

        jscpd's JSON has one fragment, the first file's text. The second file's end comes from
        the first occurrence of the clone's last frame, which can be elsewhere in the page or in
        another page (ends past the end of the file occur): a side counts only as far as its page
        holds the fragment's text. For first files this is the reported range.
        """
        begin = bisect.bisect_left(self.solid_offsets, start)
        wanted = squeeze(fragment)
        low, high = 0, min(len(wanted), len(self.solid) - begin)  # longest common prefix, by bisection
        while low < high:
            middle = (low + high + 1) // 2
            if self.solid[begin:begin + middle] == wanted[:middle]:
                low = middle
            else:
                high = middle - 1
        return start if low == 0 else self.solid_offsets[begin + low - 1] + 1


def load_page(path: str, relative: str, state: str, recorded: list[list[str]]) -> Page:
    """The page and where its recorded sentences are.

    A sentence is looked for in the page source with all whitespace removed from both: Markdown
    pages of odd topics are wrapped at 80 columns by textwrap (a space becomes a line break and
    a list item's indent; a line may also break after a hyphen). HTML pages escape ``& < >``,
    so the sentence is escaped the same way first. Nothing else is normalised; the n-th
    instance of a sentence repeated on the page is its n-th occurrence.
    """
    text = Path(path).read_text(encoding="utf-8")
    solid_offsets = [index for index, char in enumerate(text) if not char.isspace()]
    page = Page(path, state, text, [0] + [m.end() for m in re.finditer("\n", text)],
                "".join(text[index] for index in solid_offsets), solid_offsets)
    html = relative.endswith(".html")
    occurrences: dict[str, list[tuple[int, int]]] = {}
    used: Counter[str] = Counter()
    for kind, sentence in recorded:
        if sentence not in occurrences:
            source = sentence.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") if html else sentence
            occurrences[sentence] = page.occurrences(squeeze(source))
        spans = occurrences[sentence]
        if used[sentence] < len(spans):
            page.sentences.append((kind, *spans[used[sentence]]))
        else:
            page.not_located += 1
        used[sentence] += 1
    return page


def load_pages(root: Path, files: list[str]) -> list[Page] | None:
    """The baseline pages with their sentences from make_corpus.py's provenance file (None if absent)."""
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    provenance = root / str(manifest.get("provenance", ""))
    if "provenance" not in manifest or not provenance.is_file():
        return None
    states = {entry["path"]: entry["state"] for entry in manifest["files"]}
    wanted = {Path(f).relative_to(root).as_posix() for f in files}
    recorded: dict[str, list[list[str]]] = {}
    with gzip.open(provenance, "rt", encoding="utf-8") as handle:
        for line in handle:
            entry = json.loads(line)
            if entry["path"] in wanted:
                recorded[entry["path"]] = entry["sentences"]
    pages = []
    for path in files:  # in the order of ``files``: jscpd's link names number them so
        relative = Path(path).relative_to(root).as_posix()
        pages.append(load_page(path, relative, states[relative], recorded.get(relative, [])))
    return pages


def fully_covered(mask: bytearray, text: str, start: int, end: int) -> bool:
    """Every character of ``text[start:end]`` but whitespace (a wrapped line's break) is marked."""
    return all(mask[i] or text[i].isspace() for i in range(start, end))


def share(found: int, total: int) -> str:
    return f"{100 * found / total:.1f}% ({found:,}/{total:,})" if total else "n/a (0/0)"


def tally(pages: list[Page], is_found: Callable[[int, Page, int, int], bool], kinds: dict[str, str]) -> str:
    """``label found/total (share)`` for each kind, joined."""
    cells = []
    for kind, label in kinds.items():
        total = found = 0
        for number, page in enumerate(pages):
            for sentence_kind, start, end in page.sentences:
                if sentence_kind == kind:
                    total += 1
                    found += is_found(number, page, start, end)
        cells.append(f"{label} {share(found, total)}")
    return ", ".join(cells)


def recall_lines(root: Path, files: list[str], reuse_findings: list[dict[str, Any]],
                 report: dict[str, Any] | None) -> list[str]:
    """Recall of doclint's template reuse and of jscpd on the template sentences make_corpus.py recorded.

    A sentence instance is found by doclint when template-reuse findings on its page cover all
    its characters (whitespace aside), or an entity-leak finding (which marks only the name)
    starts inside it; by jscpd when clones on its page cover all its lines (the issue's
    measure: generous where a whole paragraph is one line), and, stricter, all its characters.
    """
    pages = load_pages(root, files)
    if pages is None:
        return ["  recall: n/a (the corpus has no provenance file: generate it again with bench/make_corpus.py)"]
    located = sum(len(p.sentences) for p in pages)
    missing = sum(p.not_located for p in pages)
    counts = Counter(kind for p in pages for kind, _, _ in p.sentences)
    lines = [
        f"  recall on entity-swapped template sentences ({counts['template']:,} exact fills, {counts['paraphrase']:,} "
        f"paraphrased; {located:,} of {located + missing:,} recorded sentences located in the page sources); "
        f"flagged = share of non-template sentences found: state-specific prose (false positives) and county-detail "
        f"sentences (a template of their own, with county and number fillers: flagging them is right):"
    ]

    number_of = {page.path: number for number, page in enumerate(pages)}
    reuse_masks = [bytearray(len(p.text)) for p in pages]
    leak_masks = [bytearray(len(p.text)) for p in pages]
    for finding in reuse_findings:
        number = number_of.get(finding["path"])
        if number is None or (finding.get("data") or {}).get("summary"):
            continue
        page = pages[number]
        start = page.offset(finding["line"], finding["column"])
        end = page.offset(finding["end_line"], finding["end_column"])
        if finding["rule"] == "entity-leak":
            leak_masks[number][start] = 1
        else:
            reuse_masks[number][start:end] = b"\x01" * (end - start)

    def doclint_found(number: int, page: Page, start: int, end: int) -> bool:
        return fully_covered(reuse_masks[number], page.text, start, end) or any(leak_masks[number][start:end])

    lines.append(f"    doclint template-reuse/entity-leak: {tally(pages, doclint_found, RECALL_KINDS)}; "
                 f"flagged: {tally(pages, doclint_found, SPECIFIC_KINDS)}")

    def entity_leak_found(number: int, page: Page, start: int, end: int) -> bool:
        return any(leak_masks[number][start:end])

    def template_reuse_found(number: int, page: Page, start: int, end: int) -> bool:
        return fully_covered(reuse_masks[number], page.text, start, end)

    where = Counter(  # the kind of sentence each entity-leak finding is in
        kind for number, page in enumerate(pages) for kind, start, end in page.sentences
        for _ in range(sum(leak_masks[number][start:end]))
    )
    lines.append(f"    planted leaks (a template sentence with another state's names): entity-leak "
                 f"{tally(pages, entity_leak_found, {'leak': 'finds'})}, template-reuse covers "
                 f"{tally(pages, template_reuse_found, {'leak': ''}).strip()}; entity-leak findings: "
                 f"{sum(sum(mask) for mask in leak_masks):,}, in sentences of kind "
                 f"{', '.join(f'{kind} {count:,}' for kind, count in where.most_common()) or '-'}")
    if report is None:
        lines.append("    jscpd: n/a (not installed or no report)")
        return lines

    clone_lines: list[set[int]] = [set() for _ in pages]
    clone_masks = [bytearray(len(p.text)) for p in pages]
    cross_masks = [bytearray(len(p.text)) for p in pages]  # clones whose other side is about another state
    second_sides = second_cut = first_cut = 0
    fragment_characters = kept_characters = 0  # of second files' fragments (whitespace aside)
    for clone in report.get("duplicates", []):
        sides = [clone["firstFile"], clone["secondFile"]]
        numbers = [int(Path(side["name"]).name.split("-", 1)[0]) for side in sides]  # the listing's link names
        cross = pages[numbers[0]].state != pages[numbers[1]].state
        for which, (side, number) in enumerate(zip(sides, numbers, strict=True)):
            page = pages[number]
            start = page.offset(side["startLoc"]["line"], side["startLoc"]["column"])
            end = page.matching_end(start, clone["fragment"])
            reported_end = page.offset(side["endLoc"]["line"], side["endLoc"]["column"]) \
                if side["endLoc"]["line"] <= len(page.line_starts) else -1  # past the end of the file
            if which == 0:
                first_cut += end != reported_end
            else:
                second_sides += 1
                second_cut += end != reported_end
                fragment_characters += len(squeeze(clone["fragment"]))
                kept_characters += len(squeeze(page.text[start:end]))
            clone_lines[number].update(range(page.line_of(start), page.line_of(max(start, end - 1)) + 1))
            clone_masks[number][start:end] = b"\x01" * (end - start)
            if cross:
                cross_masks[number][start:end] = b"\x01" * (end - start)

    def jscpd_lines(number: int, page: Page, start: int, end: int) -> bool:
        return all(line in clone_lines[number] for line in range(page.line_of(start), page.line_of(end - 1) + 1))

    def jscpd_characters(number: int, page: Page, start: int, end: int) -> bool:
        return fully_covered(clone_masks[number], page.text, start, end)

    def jscpd_cross(number: int, page: Page, start: int, end: int) -> bool:
        return fully_covered(cross_masks[number], page.text, start, end)

    for label, rule in (("a clone on every line of the sentence", jscpd_lines),
                        ("clones covering every character", jscpd_characters),
                        ("clones with a page about another state covering every character", jscpd_cross)):
        lines.append(f"    jscpd, {label}: {tally(pages, rule, RECALL_KINDS)}; "
                     f"flagged: {tally(pages, rule, SPECIFIC_KINDS)}")
    lines.append(f"    (a jscpd clone's range on a page: from the reported start as far as the page holds the clone's "
                 f"fragment; {first_cut:,} first-file ranges differ from that; {second_cut:,} of {second_sides:,} "
                 f"second-file ranges as reported do not hold the fragment to their end: cut where it stops, keeping "
                 f"{100 * kept_characters / max(fragment_characters, 1):.0f}% of their fragments' characters)")
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
    if not 0 <= arguments.baseline_pages <= 10_000:
        parser.error("--baseline-pages must be between 0 and 10000")
    jobs = arguments.jobs or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    workdir = arguments.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    os.chdir(REPO)
    baseline_topics = -(-arguments.baseline_pages // PAGES_PER_TOPIC)  # the baselines' pages exist even past --sizes
    root = ensure_corpus(workdir, max(sizes + pre_commit_sizes + [baseline_topics * PAGES_PER_TOPIC]))
    corpus_rules = corpus_rules_installed(workdir)

    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"doclint benchmark, {started}; --jobs {jobs}; load average at start {load}; machine: {machine()}")
    extra = f" --pre-commit-sizes {','.join(map(str, pre_commit_sizes))}" if pre_commit_sizes else ""
    print(f"command: python bench/run.py --sizes {','.join(map(str, sizes))} --jobs {jobs}{extra} "
          f"--baseline-pages {arguments.baseline_pages}")
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
        reworded = next((row for row in rows if row.case.startswith("(e)")), None)
        if cold.wall and reworded is not None and reworded.wall:
            notes.append(f"one page reworded/cold at {size:,} pages: {100 * reworded.wall / cold.wall:.1f}%")
        next_day = next((row for row in rows if row.case.startswith("(f)")), None)
        if cold.wall and next_day is not None and next_day.wall:
            notes.append(f"next day/cold at {size:,} pages: {100 * next_day.wall / cold.wall:.1f}%")
    for line in notes:
        print(line)
    if arguments.baseline_pages:
        for line in baselines(root, arguments.baseline_pages, arguments.proselint, arguments.jscpd, workdir):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
