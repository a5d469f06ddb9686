"""``--format json``: the JSON array described in DESIGN.md."""

from __future__ import annotations

import json
from typing import Any, TextIO

from linter.diagnostic import Diagnostic
from linter.engine import RunResult
from linter.report import ReportSettings


def diagnostic_to_json(diagnostic: Diagnostic) -> dict[str, Any]:
    item = {
        "path": diagnostic.path,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "end_line": diagnostic.end_line,
        "end_column": diagnostic.end_column,
        "rule": diagnostic.rule,
        "severity": diagnostic.severity,
        "message": diagnostic.message,
        "suggestion": diagnostic.suggestion,
        "related": [
            {"path": related.path, "line": related.line, "column": related.column} for related in diagnostic.related
        ],
    }
    if diagnostic.extra:  # rule-specific data, e.g. template-reuse's page summary
        item["data"] = dict(diagnostic.extra)
    return item


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    # One write: json.dump writes every token separately, which costs seconds at 10k diagnostics.
    stream.write(json.dumps([diagnostic_to_json(d) for d in result.diagnostics], indent=2, ensure_ascii=False))
    stream.write("\n")
