"""What a rule is, and what it gets to work with."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linter.diagnostic import Diagnostic, Severity
from linter.document import Document, Sentence

if TYPE_CHECKING:
    from linter.config import RuleSettings


@dataclass(frozen=True)
class OptionSpec:
    """One rule option: its type (for validation), default and one-line help."""

    type: str  # "bool" | "int" | "float" | "str" | "str-list" | "choice" | "choice-list" | "glob-map"
    default: Any
    help: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may use besides the document: settings, lexicons, the date."""

    rule_id: str
    severity: Severity
    options: Mapping[str, Any]
    lexicons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    as_of: datetime.date = field(default_factory=datetime.date.today)

    @classmethod
    def for_rule(
        cls, settings: RuleSettings, lexicons: Mapping[str, tuple[str, ...]], as_of: datetime.date
    ) -> RuleContext:
        """The context of the configured rule ``settings`` for one run."""
        return cls(settings.id, settings.severity, settings.options, lexicons, as_of)

    def lexicon(self, name: str) -> tuple[str, ...]:
        return self.lexicons.get(name, ())

    def diagnostic(
        self,
        document: Document,
        sentence: Sentence,
        start: int,
        end: int,
        message: str,
        *,
        severity: Severity | None = None,
        suggestion: str | None = None,
        fix_safe: bool = False,
    ) -> Diagnostic:
        """A diagnostic on the sentence-relative character range ``start:end``."""
        source_start, source_end = sentence.source_range(start, end)
        return self.diagnostic_at(
            document,
            source_start,
            source_end,
            message,
            severity=severity,
            suggestion=suggestion,
            fix_safe=fix_safe,
            context_text=sentence.text,
        )

    def diagnostic_at(
        self,
        document: Document,
        source_start: int,
        source_end: int,
        message: str,
        *,
        severity: Severity | None = None,
        suggestion: str | None = None,
        fix_safe: bool = False,
        context_text: str = "",
    ) -> Diagnostic:
        """A diagnostic on the source range ``source_start:source_end``."""
        start = document.position(source_start)
        end = document.position(max(source_end, source_start))
        return Diagnostic(
            path=document.path,
            line=start.line,
            column=start.column,
            end_line=end.line,
            end_column=end.column,
            rule=self.rule_id,
            severity=severity or self.severity,
            message=message,
            suggestion=suggestion,
            fix_safe=fix_safe,
            matched_text=document.source[source_start:source_end],
            context_text=context_text,
        )


CheckFunction = Callable[[Document, RuleContext], Iterable[Diagnostic]]


@dataclass(frozen=True)
class DocumentRule:
    """A rule that looks at one document at a time."""

    id: str
    description: str
    default_severity: Severity
    options: Mapping[str, OptionSpec]
    check: CheckFunction
    default_enabled: bool = True
    # Whether findings depend on the reference date (RuleContext.as_of): a cached run at another
    # date finds this rule's findings again and keeps the others (linter/engine.py, _redated).
    uses_reference_date: bool = False


# --------------------------------------------------------------------------- corpus rules

CorpusCheckFunction = Callable[["CorpusDocument", "CorpusView", RuleContext], Iterable[Diagnostic]]


@dataclass(frozen=True)
class CorpusRule:
    """A rule that compares one document with the rest of the corpus.

    Its check never sees a parsed Document or a file: it gets the document's stored units
    (sentences with positions, masked fingerprints, entity mentions) and a view of the
    corpus index to query for matches.
    """

    id: str
    description: str
    default_severity: Severity
    options: Mapping[str, OptionSpec]
    check: CorpusCheckFunction
    default_enabled: bool = True


from linter.corpus.model import CorpusDocument, CorpusView  # noqa: E402  (types for CorpusCheckFunction)
