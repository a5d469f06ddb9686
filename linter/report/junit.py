"""``--format junit``: JUnit XML, one test case per file; each finding is a failure line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import TextIO

from linter.discover import Problem
from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.common import checked_files, checked_paths, write_xml


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    unreadable = [problem for problem in result.problems if problem.level == "error"]
    failures = len(result.findings.paths)  # files with at least one finding
    tests = len(checked_paths(result)) + len(unreadable)
    counts = {"tests": str(tests), "failures": str(failures), "errors": str(len(unreadable))}
    root = ET.Element("testsuites", {"name": "doclint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "doclint", **counts})
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    write_xml(stream, root, suite, _cases(result, unreadable))
    stream.write("\n")


def _cases(result: RunResult, unreadable: list[Problem]) -> Iterator[ET.Element]:
    for found in checked_files(result, related=False):
        case = ET.Element("testcase", name=found.path, classname="doclint", file=found.path)
        diagnostics = found.diagnostics
        if diagnostics:
            count = len(diagnostics)
            message = f"{count} finding{'s' if count != 1 else ''}"
            failure = ET.SubElement(case, "failure", message=message, type="doclint")
            failure.text = "\n".join(
                f"{d.path}:{d.line}:{d.column}: {d.severity} [{d.rule}] {d.message}" for d in diagnostics
            )
        yield case
    for problem in unreadable:
        case = ET.Element("testcase", name=problem.path, classname="doclint", file=problem.path)
        ET.SubElement(case, "error", message=problem.message, type="unreadable")
        yield case
