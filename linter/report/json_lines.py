"""``--format json-lines``: one JSON object per line, the same objects as ``--format json``."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import Any, TextIO

from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.common import json_fields, plain_row, related_values
from linter.report.json import diagnostic_to_json, json_object
from linter.report.shares import write_elements
from linter.spool import DIAGNOSTIC_FIELDS, EncodedFindings, FileRows

_EXTRA = DIAGNOSTIC_FIELDS.index("extra")


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    """Each finding as ``json.dumps(diagnostic_to_json(d), ensure_ascii=False)`` on a line.

    Formatted from the spool's rows (:func:`_line`): building Diagnostic objects and a dict
    per related location first made a warm run at 2,000 pages take 15 s where
    ``--format json`` took 11. On ``settings.jobs`` cores when the report is large
    (linter/report/shares.py)."""
    write_elements(result.findings, stream, _lines, "", settings.jobs)


def _lines(files: Iterable[FileRows]) -> Iterator[str]:
    for path, findings, _quoted in files:
        encoded_path = encode_basestring(path)
        related_paths = [encode_basestring(related_path) for related_path in findings.paths]
        for row in findings.rows:
            yield _line(path, encoded_path, row, findings, related_paths)


def _line(path: str, encoded_path: str, row: list[Any], findings: EncodedFindings, related_paths: list[str]) -> str:
    if not plain_row(row):  # a field of an unexpected type: the generic route
        [diagnostic] = EncodedFindings([row], findings.paths, findings.messages).decode(path)
        return json.dumps(diagnostic_to_json(diagnostic), ensure_ascii=False) + "\n"
    line, column, end_line, end_column, rule, severity, message, suggestion, related = row[:9]
    extra = row[_EXTRA]
    text = _template(bool(extra)) % {
        "path": encoded_path,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "rule": encode_basestring(rule),
        "severity": encode_basestring(severity),
        "message": encode_basestring(message),
        "suggestion": "null" if suggestion is None else encode_basestring(suggestion),
        "related": _related_list(len(related) // 4) % related_values(related, related_paths),
        "data": json.dumps(dict(extra), ensure_ascii=False) if extra else "",
    }
    return text + "\n"


_RELATED = '{"path": %s, "line": %s, "column": %s}'


@functools.lru_cache(maxsize=64)
def _related_list(count: int) -> str:
    """The %-format of a "related" list of ``count`` locations, as json.dumps lays it out on one line."""
    return "[" + ", ".join([_RELATED] * count) + "]"


@functools.cache
def _template(data: bool) -> str:
    """:func:`json_object` with placeholders as json.dumps lays it out without an indent,
    each placeholder a ``%(name)s`` field (tests/integrations/test_reporters.py compares the
    result with the generic route byte for byte)."""
    names = ("path", "line", "column", "end_line", "end_column", "rule", "severity", "message", "suggestion", "related")
    item = json_object(**{name: f"@{name}@" for name in names}, data="@data@" if data else None)
    return json_fields(json.dumps(item, ensure_ascii=False))
