"""``--format checkstyle``: Checkstyle XML, read by Jenkins, reviewdog and many CI tools."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.common import by_path, checked_paths


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    root = ET.Element("checkstyle", version="4.3")
    grouped = by_path(result.diagnostics)
    for path in checked_paths(result):
        element = ET.SubElement(root, "file", name=path)
        for d in grouped.get(path, []):
            ET.SubElement(
                element,
                "error",
                line=str(d.line),
                column=str(d.column),
                severity=d.severity,
                message=d.message,
                source=f"doclint.{d.rule}",
            )
    for problem in result.problems:
        if problem.level == "error":
            element = ET.SubElement(root, "file", name=problem.path)
            ET.SubElement(element, "error", line="1", severity="error", message=problem.message, source="doclint")
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
