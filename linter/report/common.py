"""What several reporters share: columns in other units, URIs, fingerprints, and writing
XML and JSON documents a file's findings at a time with the bytes of a one-piece dump."""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePath
from typing import Any, TextIO
from urllib.parse import quote

from linter.baseline import fingerprint_of
from linter.diagnostic import SEVERITIES
from linter.engine import RunResult
from linter.report.shares import write_elements
from linter.spool import DIAGNOSTIC_FIELDS, EncodedFindings, FileFindings, FileRows, FindingSpool


def utf8_column(line_text: str | None, column: int) -> int:
    """1-based code-point ``column`` → 1-based UTF-8 byte column (reviewdog)."""
    if line_text is None:
        return column
    return len(line_text[: column - 1].encode("utf-8")) + 1 + max(0, column - 1 - len(line_text))


def utf16_column(line_text: str | None, column: int) -> int:
    """1-based code-point ``column`` → 1-based UTF-16 code-unit column (LSP, SARIF default)."""
    if line_text is None:
        return column
    return len(line_text[: column - 1].encode("utf-16-le")) // 2 + 1 + max(0, column - 1 - len(line_text))


def file_uri(path: str) -> str:
    """A relative path as a relative URI reference; an absolute one as ``file://``."""
    pure = PurePath(path)
    if pure.is_absolute():
        return "file://" + quote(pure.as_posix())
    return quote(pure.as_posix())


def numbered_fingerprints(findings: EncodedFindings) -> list[str]:
    """Per spooled row of one file: its path-independent fingerprint (linter/baseline.py) and
    its occurrence number in the file, ``…:1``, ``…:2`` for identical findings. Unique within a
    run and stable across runs while the findings' sentences are unchanged (SARIF's
    partialFingerprints, GitLab's fingerprint)."""
    seen: Counter[str] = Counter()
    keys: list[str] = []
    for row in findings.rows:
        key = fingerprint_of(row[_RULE], row[_MATCHED_TEXT], row[_CONTEXT_TEXT])
        seen[key] += 1
        keys.append(f"{key}:{seen[key]}")
    return keys


def plain_row(row: list[Any]) -> bool:
    """True when a spooled row's fields have the types the row-formatting reporters' templates
    expect (int positions, str rule and message, a known severity, a str or no suggestion);
    a rule is free to put anything in a finding, and such a row takes a reporter's generic route."""
    line, column, end_line, end_column, rule, severity, message, suggestion = row[:8]
    return (
        type(line) is int
        and type(column) is int
        and type(end_line) is int
        and type(end_column) is int
        and type(rule) is str
        and severity in _SEVERITIES
        and type(message) is str
        and (suggestion is None or type(suggestion) is str)
    )


def related_values(related: list[int], encoded_paths: list[str]) -> tuple[Any, ...]:
    """A spooled row's related locations (four numbers each: path, line, column, message) as
    the flat values (encoded path, line, column) of a %-template with one entry per location.
    Laid out by slices, for one % per finding (one per location was a fifth of a warm JSON run)."""
    count, rest = divmod(len(related), 4)
    if rest:
        raise ValueError("a related location cut short")
    values: list[Any] = [None] * (3 * count)
    values[0::3] = map(encoded_paths.__getitem__, related[0::4])
    values[1::3] = related[1::4]
    values[2::3] = related[2::4]
    return tuple(values)


def json_template(item: Any, prefix: str) -> str:
    """A %-format of ``indented_json(item, prefix)`` where each "@name@" string of ``item``
    stands for a value: its quoted placeholder becomes ``%(name)s``, to be filled with the
    value's JSON text (an encoded string, a number). Braces, commas and indentation are
    json.dumps's own: a reporter that builds ``item`` with the same function as its generic
    route (placeholders instead of values) writes the same bytes, thousands of findings faster."""
    return json_fields(indented_json(item, prefix))


def json_fields(text: str) -> str:
    """JSON ``text`` as a %-format: each quoted "@name@" placeholder becomes ``%(name)s``."""
    return _PLACEHOLDER.sub(r"%(\1)s", text.replace("%", "%%"))


def positional_json_template(item: Any, prefix: str, order: tuple[str, ...]) -> str:
    """:func:`json_template` with ``%s`` fields, filled by position: the placeholders of
    ``item`` must appear in ``order`` (a tuple formats faster than a dict, for the most
    frequent pieces)."""
    text = indented_json(item, prefix)
    found = tuple(_PLACEHOLDER.findall(text))
    if found != order:
        raise ValueError(f"placeholders {found} are not in the order {order}")
    return _PLACEHOLDER.sub("%s", text.replace("%", "%%"))


def checked_paths(result: RunResult) -> list[str]:
    """Every linted file plus every file with a diagnostic, in order, without repeats."""
    return sorted({*result.paths, *result.findings.paths})


def checked_files(result: RunResult, related: bool = True) -> Iterator[FileFindings]:
    """Every path of :func:`checked_paths` with its findings (none for a clean file), one at a
    time (``related``: see :meth:`linter.spool.FindingSpool.files`)."""
    found = result.findings.files(related)
    upcoming = next(found, None)
    for path in checked_paths(result):
        if upcoming is not None and upcoming.path == path:
            yield upcoming
            upcoming = next(found, None)
        else:
            yield FileFindings(path, [], {})


def write_xml(stream: TextIO, root: ET.Element, parent: ET.Element, children: Iterable[ET.Element]) -> None:
    """Write ``root`` as ``ET.indent(root)`` then ``ET.tostring(root)`` would with ``children``
    appended to ``parent`` (``root`` or inside it), building and writing one child at a time."""
    pending = iter(children)
    first = next(pending, None)
    if first is None:
        ET.indent(root)
        stream.write(ET.tostring(root, encoding="unicode"))
        return
    ET.SubElement(parent, _XML_PLACEHOLDER)
    ET.indent(root)
    head, tail = ET.tostring(root, encoding="unicode").split(f"<{_XML_PLACEHOLDER} />")
    separator = head[head.rindex("\n") :]  # newline and the children's indentation
    level = (len(separator) - 1) // len(_INDENT)
    stream.write(head)
    for number, child in enumerate(itertools.chain([first], pending)):
        ET.indent(child, space=_INDENT, level=level)
        stream.write((separator if number else "") + ET.tostring(child, encoding="unicode"))
    stream.write(tail)


def indented_json(item: Any, prefix: str) -> str:
    """``json.dumps(item, indent=2, ensure_ascii=False)`` with ``prefix`` before every line."""
    encoded = json.dumps(item, indent=2, ensure_ascii=False)
    # Split on "\n" only: str.splitlines would also split on U+2028 and friends, which
    # json leaves unescaped in strings with ensure_ascii=False.
    return "\n".join(f"{prefix}{row}" for row in encoded.split("\n"))


def write_json(
    stream: TextIO,
    document: Any,
    findings: FindingSpool,
    items: Callable[[Iterable[FileRows]], Iterable[Any]],
    render: Callable[[Any, str], str] = indented_json,
    jobs: int = 1,
) -> None:
    """Write ``document`` as ``json.dump(document, indent=2, ensure_ascii=False)`` would, where
    the value :data:`JSON_ITEMS` stands for the list of ``items(files)``, made from the
    spooled files (at least one when there is a finding: these reporters make one per
    finding), laid out and written a batch at a time (never the whole list, nor the whole
    text, in memory), on up to ``jobs`` cores when the report is large
    (linter/report/shares.py).

    ``render(item, prefix)`` lays out one item with ``prefix`` before every line, as
    :func:`indented_json` does (the default): a reporter with many items may do it faster.
    """
    text = json.dumps(document, indent=2, ensure_ascii=False)
    head, tail = text.split(json.dumps(JSON_ITEMS, ensure_ascii=False))
    line = head[head.rfind("\n") + 1 :]
    indent = " " * (len(line) - len(line.lstrip(" ")))  # the list's own line's indentation
    prefix = indent + _INDENT

    def elements(files: Iterable[FileRows]) -> Iterator[str]:
        for item in items(files):
            yield render(item, prefix)

    stream.write(head)
    if findings.total:
        stream.write("[\n")
        write_elements(findings, stream, elements, ",\n", jobs)
        stream.write(f"\n{indent}]")
    else:
        stream.write("[]")
    stream.write(tail)


_INDENT = "  "
_PLACEHOLDER = re.compile(r'"@(\w+)@"')
_RULE = DIAGNOSTIC_FIELDS.index("rule")
_MATCHED_TEXT = DIAGNOSTIC_FIELDS.index("matched_text")
_CONTEXT_TEXT = DIAGNOSTIC_FIELDS.index("context_text")
_SEVERITIES = frozenset(SEVERITIES)
_XML_PLACEHOLDER = "doclint-streamed-children"
JSON_ITEMS = "\x00doclint-streamed-items\x00"  # stands for the streamed list in write_json's document
