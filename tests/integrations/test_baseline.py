"""Baselines: record today's findings, report only new ones; fingerprints ignore line moves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import lint, run_cli

from linter.baseline import BaselineError, build_baseline, fingerprint, load_baseline

PAGE = """\
# Licences

The office issues licences within ten days.

It is important to note that renewals cost $40.
"""


def test_fingerprint_ignores_position_but_not_the_sentence() -> None:
    [original] = lint(PAGE, rules=["boilerplate"])
    [moved] = lint(PAGE.replace("# Licences\n", "# Licences\n\nA new paragraph above.\n"), rules=["boilerplate"])
    [edited] = lint(PAGE.replace("$40", "$45"), rules=["boilerplate"])
    assert (original.line, moved.line) == (5, 7)
    assert fingerprint(original) == fingerprint(moved)
    assert fingerprint(original) != fingerprint(edited)


def test_fingerprint_ignores_case_and_spacing_of_the_sentence() -> None:
    [original] = lint(PAGE, rules=["boilerplate"])
    [respaced] = lint(PAGE.replace("that renewals", "that\n  renewals"), rules=["boilerplate"])
    assert fingerprint(original) == fingerprint(respaced)


def test_baseline_counts_repeated_findings() -> None:
    page = "It is important to note that fees rise.\n\nIt is important to note that fees rise.\n"
    diagnostics = lint(page, rules=["boilerplate"])
    one = build_baseline(diagnostics[:1], lambda path: path)
    assert [d.line for d in one.filter("page.md", diagnostics)] == [3]
    both = build_baseline(diagnostics, lambda path: path)
    assert both.filter("page.md", diagnostics) == []
    assert both.filter("other.md", diagnostics) == diagnostics


def _check(cwd: Path, *arguments: str) -> tuple[int, str, str]:
    completed = run_cli("check", "--no-progress", "--format", "unix", *arguments, cwd=cwd)
    return completed.returncode, completed.stdout, completed.stderr


def test_write_baseline_then_only_new_findings_are_reported(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("extends: default\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "licences.md"
    page.write_text(PAGE, encoding="utf-8")

    status, out, err = _check(tmp_path, "--write-baseline", "doclint-baseline.json", "docs")
    assert status == 0 and out == ""
    assert "recorded 1 finding in 1 file to doclint-baseline.json" in err
    data = json.loads((tmp_path / "doclint-baseline.json").read_text(encoding="utf-8"))
    assert data["doclint_baseline"] == 1 and list(data["findings"]) == ["docs/licences.md"]

    status, out, _ = _check(tmp_path, "--baseline", "doclint-baseline.json", "docs")
    assert (status, out) == (0, "")

    # A paragraph added above the finding: still known, still silent.
    page.write_text(PAGE.replace("# Licences\n", "# Licences\n\nOffices open at nine.\n"), encoding="utf-8")
    status, out, _ = _check(tmp_path, "--baseline", "doclint-baseline.json", "docs")
    assert (status, out) == (0, "")

    # A new finding elsewhere is reported; the baselined one is not.
    page.write_text(PAGE + "\nIt is worth noting that offices close at five.\n", encoding="utf-8")
    status, out, _ = _check(tmp_path, "--baseline", "doclint-baseline.json", "docs")
    assert status == 1
    assert [line.split(" ")[0] for line in out.splitlines()] == ["docs/licences.md:7:1:"]

    # The finding's own sentence edited: reported again.
    page.write_text(PAGE.replace("$40", "$45"), encoding="utf-8")
    status, out, _ = _check(tmp_path, "--baseline", "doclint-baseline.json", "docs")
    assert status == 1
    assert [line.split(" ")[0] for line in out.splitlines()] == ["docs/licences.md:5:1:"]

    # Paths are relative to the configuration, so the baseline works from a subdirectory.
    page.write_text(PAGE, encoding="utf-8")
    status, out, _ = _check(docs, "--baseline", "../doclint-baseline.json", "licences.md")
    assert (status, out) == (0, "")


def test_bad_baselines_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(PAGE, encoding="utf-8")
    status, _, err = _check(tmp_path, "--baseline", "missing.json", "page.md")
    assert status == 2 and "missing.json: baseline file not found" in err and "--write-baseline" in err
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    status, _, err = _check(tmp_path, "--baseline", "broken.json", "page.md")
    assert status == 2 and "broken.json:1:2: not valid JSON" in err and "Traceback" not in err
    (tmp_path / "other.json").write_text('{"findings": {}}', encoding="utf-8")
    with pytest.raises(BaselineError, match="not a doclint baseline"):
        load_baseline(str(tmp_path / "other.json"))


def test_baseline_applies_with_worker_processes(tmp_path: Path) -> None:
    # Thirty identical pages are also template text (corpus rules); this test counts document findings.
    (tmp_path / "rules.yaml").write_text(
        "extends: default\nrules:\n  template-reuse: false\n  entity-leak: false\n", encoding="utf-8"
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    for number in range(30):  # above the engine's threshold for worker processes
        (docs / f"page{number:02}.md").write_text(PAGE, encoding="utf-8")
    status, _, err = _check(tmp_path, "--jobs", "2", "--write-baseline", "baseline.json", "docs")
    assert status == 0 and "recorded 30 findings in 30 files" in err
    (docs / "page07.md").write_text(PAGE + "\nIt is worth noting that fees rise.\n", encoding="utf-8")
    status, out, _ = _check(tmp_path, "--jobs", "2", "--baseline", "baseline.json", "docs")
    assert status == 1
    assert [line.split(" ")[0] for line in out.splitlines()] == ["docs/page07.md:7:1:"]
