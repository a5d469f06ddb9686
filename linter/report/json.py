"""``--format json``: the JSON array described in DESIGN.md."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import Any, TextIO

from linter.diagnostic import Diagnostic
from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.common import plain_row, positional_json_template, related_values
from linter.report.shares import write_elements
from linter.spool import DIAGNOSTIC_FIELDS, EncodedFindings, FileRows


def diagnostic_to_json(diagnostic: Diagnostic) -> dict[str, Any]:
    related = [related_object(r.path, r.line, r.column) for r in diagnostic.related]
    return json_object(
        diagnostic.path,
        diagnostic.line,
        diagnostic.column,
        diagnostic.end_line,
        diagnostic.end_column,
        diagnostic.rule,
        diagnostic.severity,
        diagnostic.message,
        diagnostic.suggestion,
        related,
        dict(diagnostic.extra) if diagnostic.extra else None,  # rule-specific data, e.g. a page summary
    )


def json_object(
    path: Any,
    line: Any,
    column: Any,
    end_line: Any,
    end_column: Any,
    rule: Any,
    severity: Any,
    message: Any,
    suggestion: Any,
    related: Any,
    data: Any | None,
) -> dict[str, Any]:
    """A finding as the JSON contract lays it out (DESIGN.md): :func:`diagnostic_to_json`
    passes values, the JSON-lines reporter placeholders for its template."""
    item = {
        "path": path,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "rule": rule,
        "severity": severity,
        "message": message,
        "suggestion": suggestion,
        "related": related,
    }
    if data is not None:
        item["data"] = data
    return item


def related_object(path: Any, line: Any, column: Any) -> dict[str, Any]:
    """A related location as the JSON contract lays it out (values or template placeholders)."""
    return {"path": path, "line": line, "column": column}


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    """The same bytes as ``json.dumps(list_of_items, indent=2)``, written a batch at a time
    (one json.dumps of the whole list held every diagnostic's dict and the whole output string
    at once: hundreds of MB at 100k findings with related locations), the elements formatted
    on ``settings.jobs`` cores when the report is large (linter/report/shares.py)."""
    if not result.findings.total:
        stream.write("[]\n")
        return
    stream.write("[\n")
    write_elements(result.findings, stream, _elements, ",\n", settings.jobs)
    stream.write("\n]\n")


def _elements(files: Iterable[FileRows]) -> Iterator[str]:
    """Each finding of ``files`` as an element of the array (:func:`_indented`)."""
    for path, findings, _lines in files:
        encoded_path = encode_basestring(path)
        related_paths = [encode_basestring(related_path) for related_path in findings.paths]
        for row in findings.rows:
            element = _indented(encoded_path, row, related_paths)
            if element is None:  # a field of an unexpected type: the general route
                [diagnostic] = EncodedFindings([row], findings.paths, findings.messages).decode(path)
                element = _indented_generally(diagnostic_to_json(diagnostic))
            yield element


# One array element as ``json.dumps(indent=2)`` lays it out inside the array, up to "related"
# (made by json_object and related_object, with placeholders, as the generic route's items are;
# _indented checks the types of the values it fills in).
_FIELDS = ("path", "line", "column", "end_line", "end_column", "rule", "severity", "message", "suggestion")
_HEAD = positional_json_template(
    json_object(**{name: f"@{name}@" for name in (*_FIELDS, "related")}, data=None), "  ", (*_FIELDS, "related")
).removesuffix("%s\n  }")
_RELATED = positional_json_template(
    related_object("@path@", "@line@", "@column@"), "      ", ("path", "line", "column")
)

# The row layout _indented unpacks (linter/spool.py); a change to Diagnostic must show up here.
assert DIAGNOSTIC_FIELDS == [
    "line",
    "column",
    "end_line",
    "end_column",
    "rule",
    "severity",
    "message",
    "suggestion",
    "related",
    "fix_safe",
    "matched_text",
    "context_text",
    "extra",
], DIAGNOSTIC_FIELDS


def _indented(encoded_path: str, row: list[Any], related_paths: list[str]) -> str | None:
    """One array element exactly as ``json.dumps(indent=2)`` lays it out inside the array,
    from a spooled row (:class:`linter.spool.EncodedFindings`), or None when a field has a
    type this layout does not expect (a rule is free to put anything in a finding).

    json.dumps with an indent runs the pure-Python encoder, which was the largest cost of a
    run with 100k template-reuse findings; here the layout is a few ``%`` formats, every
    string goes through the C encoder, and each related path is encoded once per file.
    Formatting rows rather than Diagnostic objects skips building 3.3 million related
    locations of a 2,000-page report (a fifth of a warm re-run).
    """
    if not plain_row(row):
        return None
    line, column, end_line, end_column, rule, severity, message, suggestion, related, _, _, _, extra = row
    head = _HEAD % (
        encoded_path,
        line,
        column,
        end_line,
        end_column,
        _encoded_name(rule),
        _encoded_name(severity),
        encode_basestring(message),
        "null" if suggestion is None else encode_basestring(suggestion),
    )
    related_text = _related_list(len(related) // 4) % related_values(related, related_paths) if related else "[]"
    if not extra:
        return head + related_text + "\n  }"
    data = _flat_object(extra)
    if data is not None:
        return f'{head}{related_text},\n    "data": {data}\n  }}'
    parts: list[str] = [head, related_text, ',\n    "data": ']
    _layout(dict(extra), "    ", parts)
    parts.append("\n  }")
    return "".join(parts)


@functools.lru_cache(maxsize=64)
def _related_list(count: int) -> str:
    """The %-format of a "related" list of ``count`` locations, as json.dumps(indent=2) lays it out."""
    return "[\n" + ",\n".join([_RELATED] * count) + "\n    ]"


@functools.lru_cache(maxsize=256)
def _encoded_name(name: str) -> str:
    """A rule id or severity, JSON-encoded: a few distinct values, each on thousands of findings."""
    return encode_basestring(name)


def _flat_object(value: dict[str, object]) -> str | None:
    """A finding's ``data`` as :func:`_layout` writes it, when it is one level of string keys
    and plain str, int, bool or None values (template-reuse's ``match`` and ``other_subjects``
    on most findings of a large report); None otherwise.

    Remembered by its items and their types (``True == 1``, yet they are written apart): the
    findings of a large report carry a few hundred distinct ``data`` objects between them, and
    laying each out again was a sixth of a warm JSON run.
    """
    try:
        return _flat_object_text(tuple([(name, type(member), member) for name, member in value.items()]))
    except TypeError:  # an unhashable value: not flat anyway
        return None


@functools.lru_cache(maxsize=4096)
def _flat_object_text(items: tuple[tuple[object, type, object], ...]) -> str | None:
    members = []
    for key, _, member in items:
        if type(key) is not str or type(member) not in _FLAT_TYPES:
            return None
        members.append(f"      {encode_basestring(key)}: {_scalar(member)}")
    return "{\n" + ",\n".join(members) + "\n    }"


_FLAT_TYPES = frozenset({str, int, bool, type(None)})


def _indented_generally(item: dict[str, Any]) -> str:
    """:func:`_indented` for any item, field by field."""
    parts: list[str] = ["  {"]
    separator = "\n"
    for key, value in item.items():
        parts.append(f"{separator}    {encode_basestring(key)}: ")
        if key == "related" and value:
            parts.append(_related(value))
        else:
            _layout(value, "    ", parts)
        separator = ",\n"
    parts.append("\n  }")
    return "".join(parts)


def _related(locations: list[dict[str, Any]]) -> str:
    """The related list: many short dicts of the same three keys (the bulk of a large report)."""
    entries = ",\n".join(
        _RELATED % (encode_basestring(location["path"]), int(location["line"]), int(location["column"]))
        for location in locations
    )
    return f"[\n{entries}\n    ]"


def _layout(value: Any, indent: str, parts: list[str]) -> None:
    if isinstance(value, dict) and value:
        inner = indent + "  "
        parts.append("{")
        separator = "\n"
        for key, member in value.items():
            parts.append(f"{separator}{inner}{_scalar(str(key))}: ")
            _layout(member, inner, parts)
            separator = ",\n"
        parts.append(f"\n{indent}}}")
    elif isinstance(value, (list, tuple)) and value:
        inner = indent + "  "
        parts.append("[")
        separator = "\n"
        for member in value:
            parts.append(separator + inner)
            _layout(member, inner, parts)
            separator = ",\n"
        parts.append(f"\n{indent}]")
    else:
        parts.append(_scalar(value))


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)
