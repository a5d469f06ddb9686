"""``--format gitlab``: GitLab Code Quality report (a JSON array of issues).

Each issue has a ``fingerprint`` that survives edits elsewhere in the file (see
linter/baseline.py), so merge-request widgets show only new and fixed findings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, TextIO

from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.common import JSON_ITEMS, occurrence_fingerprints, write_json

_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    write_json(stream, JSON_ITEMS, _issues(result))
    stream.write("\n")


def _issues(result: RunResult) -> Iterator[dict[str, Any]]:
    for found in result.findings.files():
        keys = occurrence_fingerprints(found.diagnostics)
        for d, key in zip(found.diagnostics, keys, strict=True):
            unique = hashlib.sha256(f"{d.path}\0{key}".encode()).hexdigest()
            yield {
                "type": "issue",
                "description": d.message,
                "check_name": d.rule,
                "categories": ["Style"],
                "fingerprint": unique,
                "severity": _SEVERITY[d.severity],
                "location": {
                    "path": d.path,
                    "positions": {
                        "begin": {"line": d.line, "column": d.column},
                        "end": {"line": d.end_line, "column": d.end_column},
                    },
                },
            }
