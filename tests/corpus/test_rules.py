"""template-reuse and entity-leak on the labelled state series and on the two real seeds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ARKANSAS, FIXTURES, MISSISSIPPI, REFERENCE_DATE, config_from_yaml, everything, run_cli, spans

from linter.diagnostic import Diagnostic
from linter.engine import RunOptions, RunResult, run

SERIES = FIXTURES / "corpus" / "series"
CORPUS_RULES = frozenset({"template-reuse", "entity-leak"})
IN_MEMORY = "extends: default\nrules:\n  template-reuse:\n    index: ':memory:'\n"


def lint_corpus(tmp_path: Path, paths: list[str], yaml: str = IN_MEMORY) -> RunResult:
    config = config_from_yaml(tmp_path, yaml)
    return run(paths, config, RunOptions(as_of=REFERENCE_DATE, select=CORPUS_RULES))


def of(result: RunResult, path_end: str, rule: str | None = None) -> list[Diagnostic]:
    return [d for d in everything(result) if d.path.endswith(path_end) and (rule is None or d.rule == rule)]


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    return lint_corpus(tmp_path_factory.mktemp("series"), [str(SERIES)])


def test_missed_swap_is_an_entity_leak_at_the_name(series: RunResult) -> None:
    leaks = of(series, "oklahoma.md", "entity-leak")
    assert spans(leaks) == [("entity-leak", 26, 4, 26, 9)]
    leak = leaks[0]
    assert leak.severity == "error"
    assert leak.suggestion == "Oklahoma"
    assert "page about Oklahoma" in leak.message and "texas.md:28" in leak.message
    assert [(Path(r.path).name, r.line) for r in leak.related] == [("texas.md", 28)]


def test_doubled_slots_are_entity_leaks(series: RunResult) -> None:
    assert spans(of(series, "ohio.md", "entity-leak")) == [("entity-leak", 32, 32, 32, 42)]
    assert spans(of(series, "georgia.md", "entity-leak")) == [("entity-leak", 32, 21, 32, 50)]
    assert "names Georgia twice" in of(series, "georgia.md", "entity-leak")[0].message


def test_comparisons_and_the_multi_state_page_never_leak(series: RunResult) -> None:
    assert of(series, "texas-and-oklahoma.md", "entity-leak") == []
    assert of(series, "tennessee.md", "entity-leak") == []
    comparison_lines = {("oklahoma.md", 18, 126), ("georgia.md", 18, 125), ("tennessee.md", 18, 127)}
    for name, line, column in comparison_lines:
        assert not [d for d in of(series, name) if (d.line, d.column) == (line, column)]


def test_template_sentence_is_reported_on_every_side_with_related_locations(series: RunResult) -> None:
    # T3 ("If the packet is not returned by the deadline, …") is on every state page.
    t3 = [d for d in everything(series) if d.rule == "template-reuse" and d.matched_text.startswith("If the packet")]
    assert len(t3) == 11
    arkansas = next(d for d in t3 if d.path.endswith("arkansas.md"))
    assert (arkansas.line, arkansas.column, arkansas.end_line, arkansas.end_column) == (12, 132, 12, 263)
    assert arkansas.severity == "error"  # shared with 9 other subjects (error_at: 5)
    assert len(arkansas.related) == 9  # the exact copies; Texas has a paraphrase (reported on its side)
    assert {Path(r.path).name for r in arkansas.related} >= {"florida.txt", "oregon.html", "ohio.md"}
    assert "9 other subjects" in arkansas.message
    texas = next(d for d in t3 if d.path.endswith("texas.md"))
    assert "other subjects" in texas.message and "arkansas.md:12" in " ".join(
        f"{r.path}:{r.line}" for r in texas.related
    )
    assert "replace it with content specific to Arkansas, or cite Arkansas's own source" in arkansas.message


def test_light_paraphrase_counts_and_state_specific_sentences_do_not(series: RunResult) -> None:
    mississippi = of(series, "mississippi.md", "template-reuse")
    paraphrase = [d for d in mississippi if d.matched_text.startswith("The Mississippi Division of Medicaid sends")]
    assert spans(paraphrase) == [("template-reuse", 12, 1, 12, 128)]
    assert "light paraphrase" in paraphrase[0].message
    unique = [d for d in mississippi if "regional offices" in d.matched_text or "Postpartum" in d.matched_text]
    assert unique == []


def test_page_summary_on_line_one(series: RunResult) -> None:
    summary = [d for d in of(series, "texas.md", "template-reuse") if d.extra.get("summary")]
    assert spans(summary) == [("template-reuse", 1, 1, 1, 1)]
    assert summary[0].severity == "info"
    assert summary[0].extra["sentences"] == 14 and summary[0].extra["template_sentences"] == 11
    assert "11 of 14 compared sentences (79%)" in summary[0].message


def test_severity_rises_with_other_subjects(tmp_path: Path) -> None:
    pages = ["arkansas.md", "ohio.md"]
    for name in pages:
        shutil.copy(SERIES / name, tmp_path / name)
    result = lint_corpus(tmp_path, [str(tmp_path / name) for name in pages])
    shared = [d for d in of(result, "arkansas.md", "template-reuse") if not d.extra.get("summary")]
    assert shared and {d.severity for d in shared} == {"warning"}  # one other subject: below error_at


def test_inline_suppression_applies_to_corpus_findings(tmp_path: Path) -> None:
    for name in ("arkansas.md", "ohio.md", "texas.md"):
        shutil.copy(SERIES / name, tmp_path / name)
    page = tmp_path / "ohio.md"
    text = page.read_text(encoding="utf-8").replace(
        "Renewal forms are processed in Ohio",
        "<!-- doclint-disable-next-line entity-leak -->\nRenewal forms are processed in Ohio",
    )
    page.write_text(text, encoding="utf-8")
    config = config_from_yaml(tmp_path, IN_MEMORY)
    result = run([str(tmp_path)], config, RunOptions(as_of=REFERENCE_DATE, report_unused_suppressions=True))
    assert of(result, "ohio.md", "entity-leak") == []
    assert of(result, "ohio.md", "unused-suppression") == []
    assert of(result, "ohio.md", "template-reuse")


def test_seeds_report_only_the_shared_program_list(tmp_path: Path) -> None:
    """Two generations of one question set: the only shared span is the list of programs."""
    result = lint_corpus(tmp_path, [str(ARKANSAS), str(MISSISSIPPI)])
    findings = [d for d in everything(result) if not d.extra.get("summary")]
    assert spans(findings) == [
        ("template-reuse", 7, 1, 7, 264),
        ("template-reuse", 12, 4, 12, 223),
    ]
    assert findings[0].path.endswith("arkansas.txt") and findings[1].path.endswith("mississippi.txt")
    assert "long run of words" in findings[0].message
    assert "such as Medicaid, SNAP" in findings[0].matched_text and "such as Medicaid, SNAP" in findings[1].matched_text


def test_subject_from_front_matter_title_file_name_and_mentions(tmp_path: Path) -> None:
    body = "Caseworkers must send a written notice explaining the reason for any denial and how to ask for a hearing.\n"
    (tmp_path / "a.md").write_text("---\nstate: AR\n---\n" + body, encoding="utf-8")
    (tmp_path / "b.md").write_text("# Renewals in Ohio\n\n" + body, encoding="utf-8")
    (tmp_path / "new-mexico.md").write_text(body, encoding="utf-8")
    (tmp_path / "page.md").write_text(
        body + "\nIdaho and Idaho agencies and Idaho offices process renewals every single year.\n", encoding="utf-8"
    )
    result = lint_corpus(tmp_path, [str(tmp_path)])
    subjects = {Path(d.path).name: d.extra["subject"] for d in everything(result) if d.extra.get("summary")}
    assert subjects == {"a.md": "Arkansas", "b.md": "Ohio", "new-mexico.md": "New Mexico", "page.md": "Idaho"}


def test_json_output_carries_all_related_locations(tmp_path: Path) -> None:
    config = tmp_path / "rules.yaml"
    config.write_text(IN_MEMORY, encoding="utf-8")
    completed = run_cli(
        "check", str(SERIES), "--format", "json", "--config", str(config), "--select", "template-reuse", "--no-progress"
    )
    assert completed.returncode == 1, completed.stderr
    findings = json.loads(completed.stdout)
    t3 = [f for f in findings if f["path"].endswith("oregon.html") and f["line"] == 7 and f["column"] == 121]
    assert len(t3) == 1 and len(t3[0]["related"]) == 9
    assert {"path", "line", "column"} <= set(t3[0]["related"][0])


def test_precision_and_recall_on_the_series() -> None:
    completed = subprocess.run(
        [sys.executable, str(FIXTURES / "corpus" / "evaluate.py")], capture_output=True, text=True, check=True
    )
    template, leak = json.loads(completed.stdout)
    assert template["precision"] >= 0.95 and template["recall"] >= 0.95, template
    assert leak["precision"] == 1.0 and leak["recall"] == 1.0, leak


def test_json_page_summary_carries_its_numbers(tmp_path: Path) -> None:
    config = tmp_path / "rules.yaml"
    config.write_text(IN_MEMORY, encoding="utf-8")
    completed = run_cli("check", str(SERIES), "--format", "json", "--config", str(config), "--no-progress")
    summaries = [
        f
        for f in json.loads(completed.stdout)
        if f["rule"] == "template-reuse" and "data" in f and f["data"].get("summary")
    ]
    texas = next(f for f in summaries if f["path"].endswith("texas.md"))
    assert texas["data"]["template_sentences"] == 11 and texas["data"]["sentences"] == 14
    assert texas["data"]["template_share"] == pytest.approx(11 / 14, abs=1e-4)
    assert texas["data"]["subject"] == "Texas" and texas["data"]["subject_source"] == "front matter"


def test_headings_are_compared_only_when_asked(tmp_path: Path) -> None:
    pages = [str(SERIES / "arkansas.md"), str(SERIES / "ohio.md")]
    default = lint_corpus(tmp_path, pages)
    assert not [d for d in of(default, "arkansas.md", "template-reuse") if d.line == 8]
    with_headings = lint_corpus(tmp_path, pages, IN_MEMORY + "    include_headings: true\n")
    question = [d for d in of(with_headings, "arkansas.md", "template-reuse") if d.line == 8]
    assert spans(question) == [("template-reuse", 8, 4, 8, 59)]


def test_sarif_related_locations_name_the_other_pages(tmp_path: Path) -> None:
    config = tmp_path / "rules.yaml"
    config.write_text(IN_MEMORY, encoding="utf-8")
    completed = run_cli(
        "check",
        str(SERIES / "ohio.md"),
        str(SERIES / "texas.md"),
        "--format",
        "sarif",
        "--config",
        str(config),
        "--select",
        "template-reuse",
        "--no-progress",
    )
    results = json.loads(completed.stdout)["runs"][0]["results"]
    shared = [r for r in results if r.get("relatedLocations")]
    assert shared
    related = shared[0]["relatedLocations"][0]
    assert related["message"]["text"].startswith("the same text on the page about ")
