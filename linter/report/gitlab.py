"""``--format gitlab``: GitLab Code Quality report (a JSON array of issues).

Each issue has a ``fingerprint`` that survives edits elsewhere in the file (see
linter/baseline.py), so merge-request widgets show only new and fixed findings.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, TextIO

from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.common import occurrence_fingerprints

_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    issues: list[dict[str, Any]] = []
    keys = occurrence_fingerprints(result.diagnostics)
    for d, key in zip(result.diagnostics, keys, strict=True):
        unique = hashlib.sha256(f"{d.path}\0{key}".encode()).hexdigest()
        issues.append(
            {
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
        )
    json.dump(issues, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
