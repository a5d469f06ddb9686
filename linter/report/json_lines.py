"""``--format json-lines``: one JSON object per line, the same objects as ``--format json``."""

from __future__ import annotations

import json
from typing import TextIO

from linter.engine import RunResult
from linter.report import ReportSettings
from linter.report.json import diagnostic_to_json


def report(result: RunResult, stream: TextIO, settings: ReportSettings) -> None:
    for diagnostic in result.findings:
        stream.write(json.dumps(diagnostic_to_json(diagnostic), ensure_ascii=False) + "\n")
