"""template-reuse: a sentence shared, after masking names and numbers, with pages about other subjects.

Reported on every page that carries the sentence, each on its own lines, with the other
locations as ``related``; severity rises with the number of other subjects. A page summary
(share of its compared sentences that are template text) is an info diagnostic on line 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from linter.corpus.model import CorpusDocument, CorpusView, UnitMatch
from linter.corpus.settings import TEMPLATE_OPTIONS, TEMPLATE_REUSE, option
from linter.diagnostic import Diagnostic, RelatedLocation, Severity
from linter.rules.base import CorpusRule, RuleContext

_HOW = {
    "exact": "is the same as sentences",
    "proper-nouns": "differs only in names from sentences",
    "near": "is a light paraphrase of sentences",
    "span": "shares a long run of words with sentences",
}


def severity_for(other_subjects: int, context: RuleContext) -> Severity:
    if other_subjects >= int(option(context.options, "error_at")):
        return "error"
    if other_subjects >= int(option(context.options, "warning_at")):
        return "warning"
    return "info"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def describe(match: UnitMatch, subject: str, shown: int) -> str:
    others = match.others
    names: list[str] = []
    for other in others:
        if other.subject not in names:
            names.append(other.subject)
    listed = ", ".join(names[:shown]) + (", …" if len(names) > shown else "")
    where = ", ".join(f"{o.path}:{o.line}" for o in others[:shown])
    more = len(others) - min(shown, len(others))
    if more:
        where += f" and {more} more"
    return (
        f"template text: this sentence {_HOW[match.how]} on pages about "
        f"{_plural(match.other_subjects, 'other subject')} ({listed}), names and numbers aside ({where}); "
        f"replace it with content specific to {subject}, or cite {subject}'s own source"
    )


@lru_cache(maxsize=1 << 16)
def _related(path: str, line: int, column: int, subject: str) -> RelatedLocation:
    """One shared object per location: a template sentence is in the related list of every
    page that shares it, so a run on a series holds each location dozens of times."""
    return RelatedLocation(path, line, column, _about(subject))


@lru_cache(maxsize=4096)
def _about(subject: str) -> str:
    """One shared message string per subject (related lists can hold millions of entries)."""
    return f"the same text on the page about {subject}"


def check(document: CorpusDocument, corpus: CorpusView, context: RuleContext) -> Iterator[Diagnostic]:
    found = corpus.matches(document)
    if not found:
        return
    units = {unit.index: unit for unit in document.units}
    shown = max(1, int(option(context.options, "message_related")))
    for index in sorted(found):
        match = found[index]
        unit = units[index]
        yield Diagnostic(
            path=document.path,
            line=unit.line,
            column=unit.column,
            end_line=unit.end_line,
            end_column=unit.end_column,
            rule=context.rule_id,
            severity=severity_for(match.other_subjects, context),
            message=describe(match, document.subject, shown),
            related=tuple(_related(o.path, o.line, o.column, o.subject) for o in match.others),
            matched_text=unit.text,
            context_text=unit.text,
            extra={"match": match.how, "other_subjects": match.other_subjects},
        )
    if option(context.options, "page_summary") and document.units:
        count = len(found)
        total = len(document.units)
        share = count / total
        subjects = max(m.other_subjects for m in found.values())
        yield Diagnostic(
            path=document.path,
            line=1,
            column=1,
            end_line=1,
            end_column=1,
            rule=context.rule_id,
            severity="info",
            message=(
                f"page summary: {count} of {total} compared sentences ({share:.0%}) are template text shared with "
                f"pages about up to {_plural(subjects, 'other subject')}; rewrite them with facts and sources "
                f"specific to {document.subject}"
            ),
            extra={
                "summary": True,
                "template_sentences": count,
                "sentences": total,
                "template_share": round(share, 4),
                "subject": document.subject,
                "subject_source": document.subject_source,
            },
        )


RULE = CorpusRule(
    id=TEMPLATE_REUSE,
    description=(
        "A sentence shared (exactly or nearly, after masking names, numbers and dates) with pages about other subjects"
    ),
    default_severity="warning",
    options=TEMPLATE_OPTIONS,
    check=check,
)
