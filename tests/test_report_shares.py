"""A large report formatted on several cores (linter/report/shares.py): real forked processes,
real temporary files, real output files opened as the CLI opens them; the bytes must be those
of one process."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from helpers import run_result

from linter.diagnostic import Diagnostic, RelatedLocation
from linter.engine import RunResult
from linter.report import REPORTERS, ReportSettings, shares
from linter.report import json as json_report
from linter.spool import FileRows, FindingSpool

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="shares are formatted in forked processes")


class _Note(str):
    """A rule's own str subclass: spooled by pickle, laid out by the reporters' general route."""


def _diagnostics(files: int) -> list[Diagnostic]:
    """Template-reuse-like findings on ``files`` pages: related locations, data, non-ASCII text."""
    found = []
    for number in range(files):
        path = f"pages/state-{number:02d}{'-café' if number % 5 == 0 else ''}.md"
        related = tuple(
            RelatedLocation(f"pages/state-{other:02d}.md", other + 1, 3, "the same sentence")
            for other in range(number % 4)
        )
        for line in range(1, 2 + number % 3):
            found.append(
                Diagnostic(
                    path,
                    line,
                    1,
                    line,
                    40,
                    "template-reuse",
                    "warning",
                    f"shared with {len(related)} other pages… “Mississippi”",
                    related=related,
                    extra={"match": "exact", "other_subjects": number % 2 == 0},
                )
            )
        if number % 7 == 3:
            found.append(Diagnostic(path, 9, 2, 9, 8, "house-style", "info", _Note("naïve wording")))
    return found


def _report(name: str, result: RunResult, path: Path, jobs: int) -> bytes:
    with open(path, "w", encoding="utf-8", newline="\n") as stream:  # as the CLI opens --output-format files
        REPORTERS[name](result, stream, ReportSettings(jobs=jobs))
    return path.read_bytes()


@pytest.mark.parametrize("name", ["json", "json-lines", "sarif", "gitlab", "rdjson", "text", "github", "unix"])
def test_a_report_formatted_in_shares_is_byte_for_byte_the_one_process_report(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shares, "BATCH", 2)  # joins inside and between shares are tested too
    diagnostics = _diagnostics(23)
    with run_result(diagnostics) as result:
        alone = _report(name, result, tmp_path / "alone", jobs=4)  # 4 jobs, but a small spool
        monkeypatch.setattr(shares, "PARALLEL_MIN_BYTES", 0)
        for jobs in (2, 3, 7):
            assert _report(name, result, tmp_path / f"jobs-{jobs}", jobs) == alone, jobs
    if name in ("json-lines", "github", "unix"):
        assert len(alone.decode().splitlines()) == len(diagnostics)
    elif name == "text":
        assert alone.decode().count(": warning [template-reuse] shared with") == len(diagnostics) - 3
    else:
        report = json.loads(alone)
        found = report  # json and gitlab: an array
        if name == "sarif":
            found = report["runs"][0]["results"]
        elif name == "rdjson":
            found = report["diagnostics"]
        assert len(found) == len(diagnostics)


def test_other_processes_format_every_share_but_the_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shares, "PARALLEL_MIN_BYTES", 0)
    with run_result(_diagnostics(10)) as result, open(tmp_path / "out", "w", encoding="utf-8") as stream:
        assert shares.write_elements(result.findings, stream, json_report._elements, ",\n", 3) == 2
        assert shares.write_elements(result.findings, stream, json_report._elements, ",\n", 1) == 0
        # a stream without bytes to copy onto (or not UTF-8) is written by this process alone
        assert shares.write_elements(result.findings, io.StringIO(), json_report._elements, ",\n", 3) == 0
        with open(tmp_path / "latin", "w", encoding="latin-1", errors="replace") as latin:
            assert shares.write_elements(result.findings, latin, json_report._elements, ",\n", 3) == 0


def test_a_share_whose_process_failed_is_formatted_again_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shares, "PARALLEL_MIN_BYTES", 0)
    here = os.getpid()

    def failing_elsewhere(files: Iterable[FileRows]) -> Iterator[str]:
        if os.getpid() != here:
            raise RuntimeError("a forked process failed")
        yield from json_report._elements(files)

    with run_result(_diagnostics(12)) as result:
        with open(tmp_path / "expected", "w", encoding="utf-8") as stream:
            shares.write_elements(result.findings, stream, json_report._elements, ",\n", 1)
        with open(tmp_path / "again", "w", encoding="utf-8") as stream:
            assert shares.write_elements(result.findings, stream, failing_elsewhere, ",\n", 3) == 0
    assert (tmp_path / "again").read_bytes() == (tmp_path / "expected").read_bytes()


def test_shares_without_elements_leave_no_stray_separator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reporter may write nothing for some files (here: the first shares' files)."""
    monkeypatch.setattr(shares, "PARALLEL_MIN_BYTES", 0)

    def later_files_only(files: Iterable[FileRows]) -> Iterator[str]:
        yield from json_report._elements(found for found in files if found[0] >= "pages/state-15")

    with run_result(_diagnostics(20)) as result:
        for jobs in (1, 4):
            with open(tmp_path / f"jobs-{jobs}", "w", encoding="utf-8") as stream:
                stream.write("[\n")
                shares.write_elements(result.findings, stream, later_files_only, ",\n", jobs)
                stream.write("\n]\n")
    assert (tmp_path / "jobs-4").read_bytes() == (tmp_path / "jobs-1").read_bytes()
    assert (
        len(json.loads((tmp_path / "jobs-4").read_bytes())) == 10
    )  # pages 15-19: 1+2+3+1+2 lines, and a house-style finding on 17


def test_an_error_in_a_share_surfaces_as_it_would_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lone surrogate (a file name undecodable on disk) cannot be written as strict UTF-8:
    the process formatting that share fails, and this one meets the error itself."""
    monkeypatch.setattr(shares, "PARALLEL_MIN_BYTES", 0)
    diagnostics = [*_diagnostics(6), Diagnostic("pages/zz-\udcff.md", 1, 1, 1, 2, "house-style", "info", "x")]
    with (
        run_result(diagnostics) as result,
        open(tmp_path / "out", "w", encoding="utf-8") as stream,
        pytest.raises(UnicodeEncodeError),
    ):
        shares.write_elements(result.findings, stream, json_report._elements, ",\n", 2)
        stream.flush()


def test_shares_are_consecutive_runs_of_the_sorted_files_of_about_the_same_size() -> None:
    with FindingSpool() as spool:
        for number in range(40):
            path = f"pages/{number:02d}.md"
            count = 1 if number < 20 else 3  # the second half spools three times the bytes
            spool.add(
                path,
                [Diagnostic(path, line, 1, line, 5, "r", "warning", "m" * 200) for line in range(1, count + 1)],
                {},
            )
        for count in (1, 2, 3, 4, 40, 50):
            cut = spool.shares(count)
            assert [path for share in cut for path in share] == spool.paths
            assert len(cut) == count if count <= 4 else len(cut) <= count
            assert all(cut)
        first, _ = spool.shares(2)
        assert 24 <= len(first) <= 28  # half of the bytes: 20 small files and 6-7 of the large ones


def test_the_cli_writes_a_large_report_through_a_pipe_on_two_cores_as_on_one(tmp_path: Path) -> None:
    """The real command line, its report on standard output (a pipe: the shares are copied with
    sendfile onto it), warm from the results cache so that only the report differs."""
    from generated_corpus import generate
    from helpers import REFERENCE_DATE, config_from_yaml, run_cli

    from linter.engine import RunOptions, run

    generate(tmp_path / "pages", 60)
    config = config_from_yaml(tmp_path, "extends: default\ncorpus: ['pages/**']\n")
    options = RunOptions(as_of=REFERENCE_DATE, jobs=2, cache_dir=str(tmp_path / ".doclint-cache"))
    with run([str(tmp_path / "pages")], config, options) as result:
        assert result.findings.bytes_written >= shares.PARALLEL_MIN_BYTES  # so the runs below fork
    for name in ("json", "sarif", "text"):
        outputs = []
        for jobs in ("1", "2"):
            completed = run_cli(
                "check", "pages", "--format", name, "--jobs", jobs, "--as-of", REFERENCE_DATE.isoformat(), cwd=tmp_path
            )
            assert completed.returncode == 1, completed.stderr
            outputs.append(completed.stdout)
        assert outputs[0] == outputs[1], name
        assert outputs[0].count("template-reuse") > 1000
