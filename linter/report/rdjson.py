"""``--format rdjson``: reviewdog's Diagnostic Format (``reviewdog -f=rdjson``).

Columns are UTF-8 byte counts, as reviewdog.proto specifies; ranges end exclusively.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from linter.diagnostic import Diagnostic
from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.common import JSON_ITEMS, utf8_column, write_json

_SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def _range(lines: dict[int, str], d: Diagnostic) -> dict[str, Any]:
    return {
        "start": {"line": d.line, "column": utf8_column(lines.get(d.line), d.column)},
        "end": {"line": d.end_line, "column": utf8_column(lines.get(d.end_line), d.end_column)},
    }


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    document = {"source": {"name": "doclint"}, "diagnostics": JSON_ITEMS}
    write_json(stream, document, _diagnostics(result))
    stream.write("\n")


def _diagnostics(result: RunResult) -> Iterator[dict[str, Any]]:
    for found in result.findings.files():
        for d in found.diagnostics:
            item: dict[str, Any] = {
                "message": d.message,
                "location": {"path": d.path, "range": _range(found.lines, d)},
                "severity": _SEVERITY[d.severity],
                "code": {"value": d.rule},
            }
            if d.suggestion is not None:
                item["suggestions"] = [{"range": _range(found.lines, d), "text": d.suggestion}]
            yield item
