"""``--format sarif``, validated against the official SARIF 2.1.0 JSON schema.

tests/fixtures/sarif-schema-2.1.0.json is the OASIS committee specification's schema,
vendored unchanged from oasis-tcs/sarif-spec
(Documents/CommitteeSpecifications/2.1.0/sarif-schema-2.1.0.json, commit 3682e9e).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from helpers import FIXTURES, run_cli, run_result

from linter.diagnostic import Diagnostic, RelatedLocation
from linter.report import REPORTERS, ReportSettings, RuleInfo

SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
RULES = """\
extends: default
rules:
  plain-words:
    kind: substitution
    description: Plain words instead of officialese
    swap:
      utilize: use
"""
PAGE = "# Offices\n\nIt is important to note that we 😀 utilize forms.\n"


def validate(log: dict[str, Any]) -> None:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_the_vendored_schema_rejects_an_invalid_log() -> None:
    validator = jsonschema.Draft7Validator(SCHEMA)
    assert not validator.is_valid({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})  # driver needs a name
    assert not validator.is_valid(
        {
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {"driver": {"name": "x"}},
                    "results": [
                        {
                            "message": {"text": "m"},
                            "level": "warning",
                            "locations": [
                                {"physicalLocation": {"artifactLocation": {"uri": "a.md"}, "region": {"startLine": 0}}}
                            ],
                        }
                    ],
                }
            ],
        }
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page one.md").write_text(PAGE, encoding="utf-8")
    return tmp_path


def sarif(project: Path, *paths: str) -> dict[str, Any]:
    completed = run_cli("check", "--format", "sarif", *paths, cwd=project)
    assert completed.returncode in (0, 1), completed.stderr
    log: dict[str, Any] = json.loads(completed.stdout)
    return log


def test_sarif_log_is_valid_and_complete(project: Path) -> None:
    log = sarif(project, "docs")
    validate(log)
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "doclint"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert {"boilerplate", "plain-words"} <= set(rules)
    assert rules["plain-words"]["shortDescription"]["text"] == "Plain words instead of officialese"
    assert "doclint-disable-next-line plain-words" in rules["plain-words"]["help"]["text"]
    assert rules["boilerplate"]["defaultConfiguration"]["level"] == "warning"
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["invocations"][0]["executionSuccessful"] is True

    boilerplate, plain = run["results"]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    location = plain["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "docs/page%20one.md"
    # Code point 35 is UTF-16 column 36: the emoji before it takes two code units.
    assert location["region"] == {"startLine": 3, "startColumn": 36, "endLine": 3, "endColumn": 43}
    assert plain["level"] == "warning" and plain["message"]["text"] == "use 'use' instead of 'utilize'"
    replacement = plain["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement == {"deletedRegion": location["region"], "insertedContent": {"text": "use"}}
    assert "fixes" not in boilerplate


def test_partial_fingerprints_survive_an_edit_above_the_finding(project: Path) -> None:
    before = [r["partialFingerprints"] for r in sarif(project, "docs")["runs"][0]["results"]]
    page = project / "docs" / "page one.md"
    page.write_text(PAGE.replace("# Offices\n", "# Offices\n\nA new first paragraph.\n"), encoding="utf-8")
    after = [r["partialFingerprints"] for r in sarif(project, "docs")["runs"][0]["results"]]
    assert before == after and len({json.dumps(f) for f in before}) == 2
    page.write_text(PAGE.replace("forms", "permits"), encoding="utf-8")
    edited = [r["partialFingerprints"] for r in sarif(project, "docs")["runs"][0]["results"]]
    assert edited[0] != before[0]


def test_related_locations_and_unreadable_files() -> None:
    diagnostic = Diagnostic(
        path="content/arkansas.md",
        line=12,
        column=1,
        end_line=12,
        end_column=40,
        rule="template-reuse",
        severity="info",
        message="this paragraph also appears in 1 other page",
        related=(RelatedLocation("content/mississippi.md", 40, 1, "same paragraph, 'Mississippi' for 'Arkansas'"),),
        matched_text="Arkansas has strong safeguards",
        context_text="Arkansas has strong safeguards in place.",
    )
    from linter.discover import Problem

    result = run_result([diagnostic], [Problem("content/bad.md", "not valid UTF-8", "error")], 2)
    stream = io.StringIO()
    REPORTERS["sarif"](result, stream, ReportSettings(rules=(RuleInfo("boilerplate", "Filler", "warning"),)))
    log = json.loads(stream.getvalue())
    validate(log)
    [run] = log["runs"]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["boilerplate", "template-reuse"]
    [result_object] = run["results"]
    assert result_object["level"] == "note" and result_object["ruleIndex"] == 1
    assert result_object["relatedLocations"] == [
        {
            "id": 1,
            "message": {"text": "same paragraph, 'Mississippi' for 'Arkansas'"},
            "physicalLocation": {
                "artifactLocation": {"uri": "content/mississippi.md"},
                "region": {"startLine": 40, "startColumn": 1},
            },
        }
    ]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "not valid UTF-8"


class _Note(str):
    """A message type of a rule's own."""


def test_the_sarif_report_is_laid_out_as_the_generic_route_lays_it_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """Results are formatted from spooled rows with templates: the bytes must be those of the
    generic route (a dict per result, json.dumps with an indent), fingerprints included."""
    from collections import Counter
    from collections.abc import Iterator

    from linter.baseline import fingerprint
    from linter.report import sarif as sarif_report
    from linter.report.common import indented_json

    def generic_results(files: Any, index: dict[str, int]) -> Iterator[dict[str, Any]]:
        """The reporter before it formatted rows: Diagnostic objects, fingerprints numbered per file."""
        for path, findings, lines in files:
            seen: Counter[str] = Counter()
            for d in findings.decode(path):
                key = fingerprint(d)
                seen[key] += 1
                yield sarif_report._result(lines, d, index[d.rule], f"{key}:{seen[key]}")

    related = (
        RelatedLocation("pages/mississippi.md", 40, 1, "same paragraph, 'Mississippi' for \"Arkansas\""),
        RelatedLocation("pages/new mexico.md", 7, 3, ""),  # no message: "same text in …"
        RelatedLocation("/srv/site/pages/ohio.md", 9, 12, "naïve 😀 ‘quotes’\u2028and a line separator"),
    )
    line = "It is important to note that we 😀 utilize forms."
    diagnostics = [
        Diagnostic("pages/arkansas.md", 3, 36, 3, 43, "plain-words", "warning", "use 'use'", suggestion="use"),
        Diagnostic("pages/arkansas.md", 3, 1, 3, 50, "template-reuse", "info", "shared\nwith 2 pages", related=related),
        # the same finding twice in one file: fingerprints numbered :1 and :2
        Diagnostic("pages/arkansas.md", 5, 1, 5, 9, "boilerplate", "error", "filler", matched_text="x"),
        Diagnostic("pages/arkansas.md", 6, 1, 6, 9, "boilerplate", "error", "filler", matched_text="x"),
        Diagnostic("pages/café 1.md", 2, 5, 2, 9, "house-style", "warning", _Note("see the guide"), related=related),
        Diagnostic("pages/café 1.md", 4, 2, 4, 3, "plain-words", "warning", 'say "use"', suggestion='"use" 100%'),
        # a rule's mistake, a number for a message: the generic route writes it as json.dumps does
        Diagnostic("pages/idaho.md", 1, 1, 1, 2, "house-style", "warning", 404),  # type: ignore[arg-type]
    ]
    settings = ReportSettings(rules=(RuleInfo("boilerplate", "Filler", "warning"), RuleInfo("plain-words", "", "info")))
    for count in (0, 1, 4, 6, len(diagnostics)):
        texts = []
        for route in ("rows", "generic"):
            if route == "generic":
                monkeypatch.setattr(sarif_report, "_results", generic_results)
                monkeypatch.setattr(sarif_report, "_render", indented_json)
            stream = io.StringIO()
            with run_result(diagnostics[:count], lines={("pages/arkansas.md", 3): line}) as result:
                REPORTERS["sarif"](result, stream, settings)
            texts.append(stream.getvalue())
            monkeypatch.undo()
        assert texts[0] == texts[1]
        if count <= 6:  # the number for a message is not valid SARIF, by either route
            validate(json.loads(texts[0]))
    assert '"startColumn": 37' in texts[0]  # the emoji before column 36 takes two UTF-16 units
    assert "same text in pages/new mexico.md" in texts[0] and "pages/new%20mexico.md" in texts[0]
    assert '"text": 404' in texts[0]
