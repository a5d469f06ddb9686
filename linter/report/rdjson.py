"""``--format rdjson``: reviewdog's Diagnostic Format (``reviewdog -f=rdjson``).

Columns are UTF-8 byte counts, as reviewdog.proto specifies; ranges end exclusively.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from linter.diagnostic import Diagnostic
from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.common import line_text, utf8_column

_SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def _range(result: RunResult, d: Diagnostic) -> dict[str, Any]:
    return {
        "start": {"line": d.line, "column": utf8_column(line_text(result, d.path, d.line), d.column)},
        "end": {"line": d.end_line, "column": utf8_column(line_text(result, d.path, d.end_line), d.end_column)},
    }


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    diagnostics: list[dict[str, Any]] = []
    for d in result.diagnostics:
        item: dict[str, Any] = {
            "message": d.message,
            "location": {"path": d.path, "range": _range(result, d)},
            "severity": _SEVERITY[d.severity],
            "code": {"value": d.rule},
        }
        if d.suggestion is not None:
            item["suggestions"] = [{"range": _range(result, d), "text": d.suggestion}]
        diagnostics.append(item)
    document = {"source": {"name": "doclint"}, "diagnostics": diagnostics}
    json.dump(document, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
