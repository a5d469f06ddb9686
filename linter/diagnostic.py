"""Diagnostic: what a rule found, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class RelatedLocation:
    path: str
    line: int
    column: int
    message: str = ""

    def __reduce__(self) -> tuple[type[RelatedLocation], tuple[str, int, int, str]]:
        """Pickle as constructor arguments (see :meth:`Diagnostic.__reduce__`)."""
        return (RelatedLocation, (self.path, self.line, self.column, self.message))


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. Lines and columns are 1-based; ``end_column`` is one past the span."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    severity: Severity
    message: str
    suggestion: str | None = None
    related: tuple[RelatedLocation, ...] = ()
    fix_safe: bool = False  # the suggestion may be applied without changing meaning
    matched_text: str = ""  # the text of the span, for fingerprints and baselines
    context_text: str = ""  # the enclosing sentence, for fingerprints and baselines
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def __reduce__(self) -> tuple[type[Diagnostic], tuple[object, ...]]:
        """Pickle as constructor arguments. The default for a frozen dataclass with slots
        (dataclasses' Python-level __getstate__/__setstate__) made pickling findings to the
        spool and to and from worker processes a third of a warm run's time."""
        return (
            Diagnostic,
            (
                self.path,
                self.line,
                self.column,
                self.end_line,
                self.end_column,
                self.rule,
                self.severity,
                self.message,
                self.suggestion,
                self.related,
                self.fix_safe,
                self.matched_text,
                self.context_text,
                self.extra,
            ),
        )

    def sort_key(self) -> tuple[str, int, int, str, int, int, str]:
        return (
            self.path,
            self.line,
            self.column,
            self.rule,
            self.end_line,
            self.end_column,
            self.message,
        )
