"""What several reporters share: columns in other units, URIs, fingerprints, and writing
XML and JSON documents a file's findings at a time with the bytes of a one-piece dump."""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import PurePath
from typing import Any, TextIO
from urllib.parse import quote

from linter.baseline import fingerprint
from linter.diagnostic import Diagnostic
from linter.engine import RunResult
from linter.spool import FileFindings


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


def occurrence_fingerprints(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """Per diagnostic: path-independent fingerprint plus its occurrence number in the file.

    Unique within a run (two identical findings in one file get ``…:1`` and ``…:2``) and
    stable across runs while the findings' sentences are unchanged.
    """
    seen: Counter[tuple[str, str]] = Counter()
    keys: list[str] = []
    for diagnostic in diagnostics:
        key = fingerprint(diagnostic)
        seen[(diagnostic.path, key)] += 1
        keys.append(f"{key}:{seen[(diagnostic.path, key)]}")
    return keys


def checked_paths(result: RunResult) -> list[str]:
    """Every linted file plus every file with a diagnostic, in order, without repeats."""
    return sorted({*result.paths, *result.findings.paths})


def checked_files(result: RunResult) -> Iterator[FileFindings]:
    """Every path of :func:`checked_paths` with its findings (none for a clean file), one at a time."""
    found = result.findings.files()
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
    items: Iterable[Any],
    render: Callable[[Any, str], str] = indented_json,
) -> None:
    """Write ``document`` as ``json.dump(document, indent=2, ensure_ascii=False)`` would, where
    the value :data:`JSON_ITEMS` stands for a list of ``items``, encoded and written a batch at
    a time (never the whole list, nor the whole text, in memory).

    ``render(item, prefix)`` lays out one item with ``prefix`` before every line, as
    :func:`indented_json` does (the default): a reporter with many items may do it faster.
    """
    text = json.dumps(document, indent=2, ensure_ascii=False)
    head, tail = text.split(json.dumps(JSON_ITEMS, ensure_ascii=False))
    line = head[head.rfind("\n") + 1 :]
    indent = " " * (len(line) - len(line.lstrip(" ")))  # the list's own line's indentation
    stream.write(head)
    written = False
    batch: list[str] = []
    prefix = indent + _INDENT
    for item in items:
        batch.append(render(item, prefix))
        if len(batch) == _JSON_BATCH:
            stream.write(("[\n" if not written else ",\n") + ",\n".join(batch))
            written, batch = True, []
    if batch:
        stream.write(("[\n" if not written else ",\n") + ",\n".join(batch))
        written = True
    stream.write(f"\n{indent}]" if written else "[]")
    stream.write(tail)


_INDENT = "  "
_XML_PLACEHOLDER = "doclint-streamed-children"
JSON_ITEMS = "\x00doclint-streamed-items\x00"  # stands for the streamed list in write_json's document
_JSON_BATCH = 100
