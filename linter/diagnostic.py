"""Diagnostic: what a rule found, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


class RelatedLocation(NamedTuple):
    """Another place a finding points at (template-reuse: the same sentence on another page).

    A named tuple, not a frozen dataclass like Diagnostic: a large report holds millions of
    them (about 20 per template-reuse finding), and a named tuple is made in 0.38 µs where
    the frozen dataclass took 0.82 µs (13% of a warm re-run's samples at 2,000 pages)."""

    path: str
    line: int
    column: int
    message: str = ""


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
