"""``--format junit``: JUnit XML, one test case per file; each finding is a failure line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.common import by_path, checked_paths


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    grouped = by_path(result.diagnostics)
    paths = checked_paths(result)
    unreadable = [problem for problem in result.problems if problem.level == "error"]
    failures = sum(1 for path in paths if grouped.get(path))
    tests = len(paths) + len(unreadable)
    counts = {"tests": str(tests), "failures": str(failures), "errors": str(len(unreadable))}
    root = ET.Element("testsuites", {"name": "doclint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "doclint", **counts})
    for path in paths:
        case = ET.SubElement(suite, "testcase", name=path, classname="doclint", file=path)
        diagnostics = grouped.get(path)
        if not diagnostics:
            continue
        count = len(diagnostics)
        failure = ET.SubElement(case, "failure", message=f"{count} finding{'s' if count != 1 else ''}", type="doclint")
        failure.text = "\n".join(
            f"{d.path}:{d.line}:{d.column}: {d.severity} [{d.rule}] {d.message}" for d in diagnostics
        )
    for problem in unreadable:
        case = ET.SubElement(suite, "testcase", name=problem.path, classname="doclint", file=problem.path)
        ET.SubElement(case, "error", message=problem.message, type="unreadable")
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
