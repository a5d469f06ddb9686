"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

- ``tool.driver.rules`` describes every rule (short description, help text, default level);
  results point at them by ``ruleId`` and ``ruleIndex``.
- Columns are UTF-16 code units (SARIF's default ``columnKind``), converted from our code
  points with the source line.
- ``relatedLocations`` carry a diagnostic's related locations (the other pages that share a
  template paragraph).
- ``partialFingerprints`` carry the line-independent fingerprint (see linter/baseline.py) so
  code scanning tracks an alert across runs when text above it moves.
- A suggestion becomes a ``fix`` (replace the span with the suggested text).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from linter import __version__
from linter.diagnostic import Diagnostic
from linter.engine import RunResult
from linter.report import ReportSettings, RuleInfo
from linter.report.common import JSON_ITEMS, file_uri, occurrence_fingerprints, utf16_column, write_json

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "doclint/v1"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_SILENCE = (
    "Silence one finding with <!-- doclint-disable-next-line {rule} --> on the line above "
    "(# doclint-disable-next-line {rule} in plain text), or change the rule in rules.yaml."
)


def _rule_descriptor(rule: RuleInfo) -> dict[str, Any]:
    description = (rule.description or f"doclint rule {rule.id}").rstrip(".")
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": description},
        "fullDescription": {"text": description},
        "help": {"text": f"{description}. {_SILENCE.format(rule=rule.id)}"},
        "defaultConfiguration": {"level": _LEVEL.get(rule.severity, "warning")},
    }


def _region(lines: dict[int, str], d: Diagnostic) -> dict[str, Any]:
    return {
        "startLine": d.line,
        "startColumn": utf16_column(lines.get(d.line), d.column),
        "endLine": d.end_line,
        "endColumn": utf16_column(lines.get(d.end_line), d.end_column),
    }


def _result(lines: dict[int, str], d: Diagnostic, rule_index: int, fingerprint: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "ruleId": d.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[d.severity],
        "message": {"text": d.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": file_uri(d.path)}, "region": _region(lines, d)}}
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if d.related:
        item["relatedLocations"] = [
            {
                "id": number,
                "message": {"text": related.message or f"same text in {related.path}"},
                "physicalLocation": {
                    "artifactLocation": {"uri": file_uri(related.path)},
                    "region": {"startLine": related.line, "startColumn": related.column},
                },
            }
            for number, related in enumerate(d.related, 1)
        ]
    if d.suggestion is not None:
        item["fixes"] = [
            {
                "description": {"text": f"Replace with '{d.suggestion}'"},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": file_uri(d.path)},
                        "replacements": [
                            {"deletedRegion": _region(lines, d), "insertedContent": {"text": d.suggestion}}
                        ],
                    }
                ],
            }
        ]
    return item


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    rules = list(settings.rules)
    known = {rule.id for rule in rules}
    if not result.findings.rules <= known:  # rules not in the configuration (unused-suppression)
        for d in result.findings:  # in order of first appearance: one more pass over the spool
            if d.rule not in known:
                known.add(d.rule)
                rules.append(RuleInfo(d.rule, "", d.severity))
    index = {rule.id: number for number, rule in enumerate(rules)}
    notifications = [
        {
            "level": "error" if problem.level == "error" else "note",
            "message": {"text": problem.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": file_uri(problem.path)}}}],
        }
        for problem in result.problems
    ]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "doclint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule_descriptor(rule) for rule in rules],
                    }
                },
                "invocations": [
                    {"executionSuccessful": not result.has_errors, "toolExecutionNotifications": notifications}
                ],
                "columnKind": "utf16CodeUnits",
                "results": JSON_ITEMS,
            }
        ],
    }
    write_json(stream, log, _results(result, index))
    stream.write("\n")


def _results(result: RunResult, index: dict[str, int]) -> Iterator[dict[str, Any]]:
    for found in result.findings.files():
        fingerprints = occurrence_fingerprints(found.diagnostics)  # numbered per file
        for d, fingerprint in zip(found.diagnostics, fingerprints, strict=True):
            yield _result(found.lines, d, index[d.rule], fingerprint)
