"""``--format github``: GitHub Actions workflow commands, shown as annotations on the diff.

``::warning file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message``. Escaping follows
the runner's rules: in the message ``%``, CR and LF are percent-encoded; in property values
``:`` and ``,`` are too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.shares import write_elements
from linter.spool import FileRows, decoded

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    for problem in result.problems:
        if problem.level == "error":
            where = escape_property(problem.path)
            stream.write(f"::error file={where},title=doclint::{escape_data(problem.message)}\n")
    write_elements(result.findings, stream, _annotations, "", settings.jobs)


def _annotations(files: Iterable[FileRows]) -> Iterator[str]:
    """Each finding of ``files`` as a workflow command."""
    for found in decoded(files, related=False):
        for d in found.diagnostics:
            properties = ",".join(
                (
                    f"file={escape_property(d.path)}",
                    f"line={d.line}",
                    f"col={d.column}",
                    f"endLine={d.end_line}",
                    f"endColumn={d.end_column}",
                    f"title={escape_property(f'doclint [{d.rule}]')}",
                )
            )
            message = d.message
            if d.suggestion is not None:
                message += f" (suggestion: '{d.suggestion}')"
            yield f"::{_COMMANDS[d.severity]} {properties}::{escape_data(message)}\n"
