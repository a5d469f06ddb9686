"""knowledge-cutoff: an assistant's cutoff disclaimer, self-reference or source-gap speculation.

No edit of the facts repairs these, so the rule fires whatever sources are nearby. Cue
lists: lexicons ``cutoff_disclaimers``, ``assistant_self_reference`` and
``source_gap_speculation`` in rules.yaml. Inside a quotation (an article quoting a chatbot)
the finding drops to ``quote_severity``; gap speculation is a softer signal and reports at
``gap_severity``. Neither ever raises a finding above the rule's own severity.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.diagnostic import SEVERITY_RANK, Diagnostic, Severity
from linter.document import Document
from linter.prescan import PrescanTexts
from linter.rules.base import DocumentRule, OptionSpec, RuleContext
from linter.rules.dates import knowledge_cutoff_cues, possible_cutoff_sentences

_SEVERITIES = ("error", "warning", "info")

_MESSAGES = {
    "cutoff": "'{match}' is a knowledge-cutoff disclaimer left in the text: delete it and state the fact "
    "with a date and a source",
    "self": "'{match}' speaks as an assistant, not to the page's reader: delete it and state what is known, "
    "with a source",
    "gap": "'{match}' speculates about missing sources instead of giving one: find a source and say what it "
    "states, or delete the sentence",
}


def check(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    gap_severity: Severity = context.options.get("gap_severity", "warning")
    quote_severity: Severity = context.options.get("quote_severity", "info")
    texts = [sentence.text for sentence in document.sentences]
    possible = possible_cutoff_sentences(PrescanTexts(texts), context)
    for index, sentence in enumerate(document.sentences):
        if index not in possible:
            continue
        text = texts[index]
        for cue in knowledge_cutoff_cues(text, context):
            severity = context.severity
            if cue.cue_class == "gap":
                severity = _lower(severity, gap_severity)
            if sentence.block.in_quote or sentence.block.kind == "quote":
                severity = _lower(severity, quote_severity)
            yield context.diagnostic(
                document,
                sentence,
                cue.start,
                cue.end,
                _MESSAGES[cue.cue_class].format(match=text[cue.start : cue.end]),
                severity=severity,
            )


def _lower(first: Severity, second: Severity) -> Severity:
    return first if SEVERITY_RANK[first] <= SEVERITY_RANK[second] else second


RULE = DocumentRule(
    id="knowledge-cutoff",
    description=(
        "Knowledge-cutoff disclaimers, assistant self-reference and source-gap speculation left in the text "
        "(lexicons: cutoff_disclaimers, assistant_self_reference, source_gap_speculation)"
    ),
    default_severity="error",
    options={
        "gap_severity": OptionSpec(
            "choice",
            "warning",
            "severity for source-gap speculation ('while specific details are limited')",
            _SEVERITIES,
        ),
        "quote_severity": OptionSpec(
            "choice", "info", "severity for any of these inside a quotation (a page quoting a chatbot)", _SEVERITIES
        ),
    },
    check=check,
)
