"""Inline suppression directives.

Markdown and HTML use comments; plain text uses a line of its own starting with ``#``::

    <!-- doclint-disable RULE[, RULE] -->   … <!-- doclint-enable [RULE] -->
    <!-- doclint-disable-next-line [RULE] -->
    <!-- doclint-disable-line [RULE] -->      (on the same line as the finding)
    <!-- doclint-disable-file [RULE] -->

Without a rule list a directive applies to every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from linter import regex_store
from linter.diagnostic import Diagnostic
from linter.document import Document

UNUSED_SUPPRESSION = "unused-suppression"
_DIRECTIVE = regex_store.compiled(
    r"doclint-(disable-next-line|disable-line|disable-file|disable|enable)\b\s*(.*?)\s*$", re.DOTALL
)


@dataclass(slots=True)
class Directive:
    kind: str  # "disable" | "enable" | "disable-next-line" | "disable-line" | "disable-file"
    rules: frozenset[str] | None  # None: every rule
    line: int
    end_line: int
    target_line: int = 0  # for disable-next-line / disable-line
    used: bool = False

    def covers(self, rule: str) -> bool:
        return self.rules is None or rule in self.rules

    @property
    def text(self) -> str:
        names = "" if self.rules is None else " " + ", ".join(sorted(self.rules))
        return f"doclint-{self.kind}{names}"


@dataclass(slots=True)
class _Region:
    """Lines ``start_line..end_line`` where ``directive`` silences its rules.

    ``reenabled`` maps a rule to the line of an ``enable RULE`` that ended the region for
    that rule alone.
    """

    directive: Directive
    start_line: int
    end_line: float  # inclusive; infinity while open
    reenabled: dict[str, int] = field(default_factory=dict)

    def silences(self, rule: str, line: int) -> bool:
        if not self.directive.covers(rule) or not self.start_line <= line <= self.end_line:
            return False
        return line < self.reenabled.get(rule, line + 1)


def parse_directives(document: Document) -> list[Directive]:
    directives: list[Directive] = []
    for comment in document.comments:
        match = _DIRECTIVE.match(comment.text.strip())
        if match is None:
            continue
        kind, rest = match.group(1), match.group(2)
        names = frozenset(name for name in re.split(r"[\s,]+", rest) if name)
        directive = Directive(kind, names or None, comment.line, comment.end_line)
        if kind == "disable-next-line":
            directive.target_line = _next_content_line(document, comment.end_line)
        elif kind == "disable-line":
            directive.target_line = comment.line
        directives.append(directive)
    return directives


def _next_content_line(document: Document, after: int) -> int:
    line = after + 1
    total = len(document.line_starts)
    while line <= total and not document.line_text(line).strip():
        line += 1
    return line


def apply_suppressions(diagnostics: list[Diagnostic], directives: list[Directive]) -> list[Diagnostic]:
    """Drop suppressed diagnostics; mark the directives that did the suppressing."""
    if not directives:
        return diagnostics
    regions = _regions(directives)
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        directive = _suppressor(diagnostic, directives, regions)
        if directive is None:
            kept.append(diagnostic)
        else:
            directive.used = True
    return kept


def unused_directive_diagnostics(path: str, directives: list[Directive]) -> list[Diagnostic]:
    return [
        Diagnostic(
            path=path,
            line=directive.line,
            column=1,
            end_line=directive.line,
            end_column=1,
            rule=UNUSED_SUPPRESSION,
            severity="warning",
            message=f"'{directive.text}' silenced nothing: delete the directive",
        )
        for directive in directives
        if not directive.used and directive.kind != "enable"
    ]


def _regions(directives: list[Directive]) -> list[_Region]:
    regions: list[_Region] = []
    for directive in sorted(directives, key=lambda d: d.line):
        if directive.kind == "disable":
            regions.append(_Region(directive, directive.line, float("inf")))
        elif directive.kind == "enable":
            for region in regions:
                if region.end_line != float("inf"):
                    continue
                if directive.rules is None:
                    region.end_line = directive.line
                    continue
                for rule in directive.rules:
                    region.reenabled.setdefault(rule, directive.line)
                if region.directive.rules is not None and region.directive.rules <= set(region.reenabled):
                    region.end_line = directive.line
    return regions


def _suppressor(diagnostic: Diagnostic, directives: list[Directive], regions: list[_Region]) -> Directive | None:
    rule = diagnostic.rule
    for directive in directives:
        if not directive.covers(rule):
            continue
        if directive.kind == "disable-file":
            return directive
        if directive.kind in ("disable-next-line", "disable-line") and directive.target_line == diagnostic.line:
            return directive
    for region in regions:
        if region.silences(rule, diagnostic.line):
            return region.directive
    return None
