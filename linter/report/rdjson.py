"""``--format rdjson``: reviewdog's Diagnostic Format (``reviewdog -f=rdjson``).

Columns are UTF-8 byte counts, as reviewdog.proto specifies; ranges end exclusively.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import Any, NamedTuple, TextIO

from linter.diagnostic import Diagnostic
from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.common import JSON_ITEMS, indented_json, json_template, plain_row, utf8_column, write_json
from linter.spool import EncodedFindings, FileRows

_SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def _range(line: Any, column: Any, end_line: Any, end_column: Any) -> dict[str, Any]:
    return {"start": {"line": line, "column": column}, "end": {"line": end_line, "column": end_column}}


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    document = {"source": {"name": "doclint"}, "diagnostics": JSON_ITEMS}
    write_json(stream, document, result.findings, _diagnostics, _render, settings.jobs)
    stream.write("\n")


def _diagnostic(lines: dict[int, str], d: Diagnostic) -> dict[str, Any]:
    """One diagnostic from a Diagnostic (the generic route)."""
    where = _range(
        d.line, utf8_column(lines.get(d.line), d.column), d.end_line, utf8_column(lines.get(d.end_line), d.end_column)
    )
    return _diagnostic_object(d.message, d.path, where, _SEVERITY[d.severity], d.rule, d.suggestion)


def _diagnostic_object(
    message: Any, path: Any, where: dict[str, Any], severity: Any, rule: Any, suggestion: Any | None
) -> dict[str, Any]:
    """One diagnostic: :func:`_diagnostic` passes values, :func:`_template` placeholders."""
    item: dict[str, Any] = {
        "message": message,
        "location": {"path": path, "range": where},
        "severity": severity,
        "code": {"value": rule},
    }
    if suggestion is not None:
        item["suggestions"] = [{"range": where, "text": suggestion}]
    return item


class _Finding(NamedTuple):
    row: list[Any]
    path: str
    findings: EncodedFindings
    lines: dict[int, str]


def _diagnostics(files: Iterable[FileRows]) -> Iterator[_Finding]:
    for path, findings, lines in files:
        for row in findings.rows:
            yield _Finding(row, path, findings, lines)


def _render(finding: _Finding, prefix: str) -> str:
    """:func:`_diagnostic` laid out by ``indented_json``, formatted from the row with a
    template (the generic route, json.dumps with an indent, is the pure-Python encoder)."""
    row, path, lines = finding.row, finding.path, finding.lines
    if not plain_row(row):
        [diagnostic] = EncodedFindings([row], finding.findings.paths, finding.findings.messages).decode(path)
        return indented_json(_diagnostic(lines, diagnostic), prefix)
    line, column, end_line, end_column, rule, severity, message, suggestion = row[:8]
    values = {
        "message": encode_basestring(message),
        "path": encode_basestring(path),
        "line": line,
        "column": utf8_column(lines.get(line), column),
        "end_line": end_line,
        "end_column": utf8_column(lines.get(end_line), end_column),
        "severity": encode_basestring(_SEVERITY[severity]),
        "rule": encode_basestring(rule),
    }
    if suggestion is None:
        return _template(prefix, False) % values
    return _template(prefix, True) % {**values, "text": encode_basestring(suggestion)}


@functools.cache
def _template(prefix: str, suggestion: bool) -> str:
    """:func:`_diagnostic_object` with placeholders, laid out at ``prefix`` (:func:`json_template`),
    with or without a suggestion."""
    where = _range("@line@", "@column@", "@end_line@", "@end_column@")
    item = _diagnostic_object("@message@", "@path@", where, "@severity@", "@rule@", "@text@" if suggestion else None)
    return json_template(item, prefix)
