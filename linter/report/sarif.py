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

import functools
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import Any, NamedTuple, TextIO

from linter import __version__
from linter.diagnostic import Diagnostic
from linter.engine import RunResult
from linter.report import ReportSettings, RuleInfo
from linter.report.common import (
    JSON_ITEMS,
    file_uri,
    indented_json,
    json_template,
    numbered_fingerprints,
    plain_row,
    positional_json_template,
    utf16_column,
    write_json,
)
from linter.spool import DIAGNOSTIC_FIELDS, EncodedFindings, FileRows

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "doclint/v1"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_RULE = DIAGNOSTIC_FIELDS.index("rule")
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


def _region(start_line: Any, start_column: Any, end_line: Any, end_column: Any) -> dict[str, Any]:
    return {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}


def _related_location(number: Any, message: Any, uri: Any, line: Any, column: Any) -> dict[str, Any]:
    return {
        "id": number,
        "message": {"text": message},
        "physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": line, "startColumn": column}},
    }


def _result_object(
    rule: Any,
    rule_index: Any,
    level: Any,
    message: Any,
    uri: Any,
    region: dict[str, Any],
    fingerprint: Any,
    related: list[Any],
    fix: tuple[Any, Any] | None,
) -> dict[str, Any]:
    """One result: the generic route (:func:`_result`) passes values, :func:`_template`
    placeholders, so both lay out the same object. ``fix``: (description, inserted text)."""
    item: dict[str, Any] = {
        "ruleId": rule,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if related:
        item["relatedLocations"] = related
    if fix is not None:
        description, text = fix
        change = {
            "artifactLocation": {"uri": uri},
            "replacements": [{"deletedRegion": region, "insertedContent": {"text": text}}],
        }
        item["fixes"] = [{"description": {"text": description}, "artifactChanges": [change]}]
    return item


def _result(lines: dict[int, str], d: Diagnostic, rule_index: int, fingerprint: str) -> dict[str, Any]:
    """One result from a Diagnostic (the generic route)."""
    region = _region(
        d.line,
        utf16_column(lines.get(d.line), d.column),
        d.end_line,
        utf16_column(lines.get(d.end_line), d.end_column),
    )
    related = [
        _related_location(number, r.message or f"same text in {r.path}", file_uri(r.path), r.line, r.column)
        for number, r in enumerate(d.related, 1)
    ]
    fix = None if d.suggestion is None else (f"Replace with '{d.suggestion}'", d.suggestion)
    uri = file_uri(d.path)
    return _result_object(d.rule, rule_index, _LEVEL[d.severity], d.message, uri, region, fingerprint, related, fix)


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
    write_json(stream, log, result.findings, functools.partial(_results, index=index), _render, settings.jobs)
    stream.write("\n")


class _Finding(NamedTuple):
    """One result to write: a spooled row of its file's findings, with what it needs besides."""

    row: list[Any]
    path: str
    findings: EncodedFindings
    lines: dict[int, str]
    rule_index: int
    fingerprint: str
    uris: dict[str, str]  # path → its encoded file_uri, shared by the whole report
    plain_messages: bool  # every related location's message is a str


def _results(files: Iterable[FileRows], index: dict[str, int]) -> Iterator[_Finding]:
    """Every finding of ``files`` as a :class:`_Finding`, file by file (rows, as the JSON reporter reads them)."""
    uris: dict[str, str] = {}
    for path, findings, lines in files:
        plain_messages = all(type(message) is str for message in findings.messages)
        for row, key in zip(findings.rows, numbered_fingerprints(findings), strict=True):
            yield _Finding(row, path, findings, lines, index[row[_RULE]], key, uris, plain_messages)


def _uri(uris: dict[str, str], path: str) -> str:
    uri = uris.get(path)
    if uri is None:
        uri = uris[path] = encode_basestring(file_uri(path))
    return uri


def _render(finding: _Finding, prefix: str) -> str:
    """One result exactly as ``indented_json(_result(...), prefix)`` lays it out, from the row.

    The generic route (a dict per result, and json.dumps with an indent, which is the
    pure-Python encoder) took 0.5 ms per finding: a warm run with ``--format sarif`` at
    2,000 pages spent 126 CPU s writing 228,856 results with 20 related locations each.
    Here the layout is a few %-formats of templates made from the same dicts (see
    :func:`_templates`), every string goes through the C encoder and each URI is made once.
    A row with a field of a type the templates do not expect takes the generic route.
    """
    row = finding.row
    if not (plain_row(row) and finding.plain_messages):
        [diagnostic] = EncodedFindings([row], finding.findings.paths, finding.findings.messages).decode(finding.path)
        return indented_json(_result(finding.lines, diagnostic, finding.rule_index, finding.fingerprint), prefix)
    line, column, end_line, end_column, rule, severity, message, suggestion, related = row[:9]
    lines, uris = finding.lines, finding.uris
    values: dict[str, Any] = {
        "rule": encode_basestring(rule),
        "rule_index": finding.rule_index,
        "level": encode_basestring(_LEVEL[severity]),
        "message": encode_basestring(message),
        "uri": _uri(uris, finding.path),
        "fingerprint": encode_basestring(finding.fingerprint),
        "start_line": line,
        "start_column": utf16_column(lines.get(line), column),
        "end_line": end_line,
        "end_column": utf16_column(lines.get(end_line), end_column),
    }
    if related:
        paths, messages = finding.findings.paths, finding.findings.messages
        numbers = iter(related)  # path, line, column, message: four numbers per location
        locations = zip(numbers, numbers, numbers, numbers, strict=True)
        entry = _related_template(prefix)
        values["entries"] = ",\n".join(
            entry
            % (  # positional: the fields in the order of _RELATED_FIELDS (a dict per location cost 10%)
                number,
                encode_basestring(messages[text] or f"same text in {paths[at]}"),
                _uri(uris, paths[at]),
                at_line,
                at_column,
            )
            for number, (at, at_line, at_column, text) in enumerate(locations, 1)
        )
    if suggestion is not None:
        values["description"] = encode_basestring(f"Replace with '{suggestion}'")
        values["text"] = encode_basestring(suggestion)
    return _template(prefix, bool(related), suggestion is not None) % values


_RELATED_FIELDS = ("id", "message", "uri", "line", "column")


@functools.cache
def _template(prefix: str, related: bool, fix: bool) -> str:
    """A result laid out at ``prefix``: :func:`json_template` of :func:`_result_object` with
    placeholders, the related locations as one ``%(entries)s`` field if ``related``, a fix if
    ``fix``."""
    region = _region("@start_line@", "@start_column@", "@end_line@", "@end_column@")
    item = _result_object(
        "@rule@",
        "@rule_index@",
        "@level@",
        "@message@",
        "@uri@",
        region,
        "@fingerprint@",
        ["@entries@"] if related else [],
        ("@description@", "@text@") if fix else None,
    )
    entry_prefix = prefix + "    "  # the related list's items: two levels below the result's braces
    return json_template(item, prefix).replace(f"{entry_prefix}%(entries)s", "%(entries)s")


@functools.cache
def _related_template(prefix: str) -> str:
    """One related location inside a result laid out at ``prefix``, its fields by position."""
    entry = _related_location("@id@", "@message@", "@uri@", "@line@", "@column@")
    return positional_json_template(entry, prefix + "    ", _RELATED_FIELDS)
