"""``--format checkstyle``: Checkstyle XML, read by Jenkins, reviewdog and many CI tools."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import TextIO

from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.common import checked_files, write_xml


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    root = ET.Element("checkstyle", version="4.3")
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    write_xml(stream, root, root, _files(result))
    stream.write("\n")


def _files(result: RunResult) -> Iterator[ET.Element]:
    for found in checked_files(result, related=False):
        element = ET.Element("file", name=found.path)
        for d in found.diagnostics:
            ET.SubElement(
                element,
                "error",
                line=str(d.line),
                column=str(d.column),
                severity=d.severity,
                message=d.message,
                source=f"doclint.{d.rule}",
            )
        yield element
    for problem in result.problems:
        if problem.level == "error":
            element = ET.Element("file", name=problem.path)
            ET.SubElement(element, "error", line="1", severity="error", message=problem.message, source="doclint")
            yield element
