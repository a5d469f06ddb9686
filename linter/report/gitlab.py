"""``--format gitlab``: GitLab Code Quality report (a JSON array of issues).

Each issue has a ``fingerprint`` that survives edits elsewhere in the file (see
linter/baseline.py), so merge-request widgets show only new and fixed findings.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import Any, NamedTuple, TextIO

from linter.diagnostic import Diagnostic
from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.common import JSON_ITEMS, indented_json, json_template, numbered_fingerprints, plain_row, write_json
from linter.spool import EncodedFindings, FileRows

_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    write_json(stream, JSON_ITEMS, result.findings, _issues, _render, settings.jobs)
    stream.write("\n")


def _unique(path: str, key: str) -> str:
    """The issue's fingerprint: unique in the report (GitLab wants no two alike), stable across edits."""
    return hashlib.sha256(f"{path}\0{key}".encode()).hexdigest()


def _issue(d: Diagnostic, key: str) -> dict[str, Any]:
    """One issue from a Diagnostic and its occurrence fingerprint (the generic route)."""
    fingerprint = _unique(d.path, key)
    return _issue_object(
        d.message, d.rule, fingerprint, _SEVERITY[d.severity], d.path, d.line, d.column, d.end_line, d.end_column
    )


def _issue_object(
    description: Any,
    check_name: Any,
    fingerprint: Any,
    severity: Any,
    path: Any,
    line: Any,
    column: Any,
    end_line: Any,
    end_column: Any,
) -> dict[str, Any]:
    """One issue: :func:`_issue` passes values, :func:`_template` placeholders."""
    return {
        "type": "issue",
        "description": description,
        "check_name": check_name,
        "categories": ["Style"],
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {
            "path": path,
            "positions": {
                "begin": {"line": line, "column": column},
                "end": {"line": end_line, "column": end_column},
            },
        },
    }


class _Finding(NamedTuple):
    row: list[Any]
    path: str
    findings: EncodedFindings
    key: str  # the occurrence fingerprint (numbered per file)


def _issues(files: Iterable[FileRows]) -> Iterator[_Finding]:
    for path, findings, _lines in files:
        for row, key in zip(findings.rows, numbered_fingerprints(findings), strict=True):
            yield _Finding(row, path, findings, key)


def _render(finding: _Finding, prefix: str) -> str:
    """:func:`_issue` laid out by ``indented_json``, formatted from the row with a template
    (the generic route, json.dumps with an indent, is the pure-Python encoder: 20 s of a warm
    run's 20 at 2,000 pages)."""
    row, path = finding.row, finding.path
    if not plain_row(row):
        [diagnostic] = EncodedFindings([row], finding.findings.paths, finding.findings.messages).decode(path)
        return indented_json(_issue(diagnostic, finding.key), prefix)
    line, column, end_line, end_column, rule, severity, message = row[:7]
    return _template(prefix) % {
        "description": encode_basestring(message),
        "check_name": encode_basestring(rule),
        "fingerprint": encode_basestring(_unique(path, finding.key)),
        "severity": encode_basestring(_SEVERITY[severity]),
        "path": encode_basestring(path),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
    }


@functools.cache
def _template(prefix: str) -> str:
    """:func:`_issue_object` with placeholders, laid out at ``prefix`` (:func:`json_template`)."""
    names = ("description", "check_name", "fingerprint", "severity", "path", "line", "column", "end_line", "end_column")
    return json_template(_issue_object(*(f"@{name}@" for name in names)), prefix)
