"""stale-date: an anchored date phrase ("as of 2021") older than ``max_age`` months.

Age runs from the END of the stated period (a bare year ends on 31 December, "Q3 2022" on
30 September 2022) to the reference date (``--as-of``, default today). Only a date right
after an anchor phrase (lexicon ``date_anchors``: "as of", "as at", "current as of", "data
through", "at the time of writing", …) counts, so historical statements ("In 2021, the
legislature passed …", "the 2019 report", "since March 2025") and version anchors ("as of
Python 3.12") never fire. A date after the reference date is reported at info severity as a
likely typo. A span that is part of a knowledge-cutoff cue belongs to that rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from linter.diagnostic import Diagnostic
from linter.document import Document
from linter.prescan import PrescanTexts
from linter.rules.base import DocumentRule, OptionSpec, RuleContext
from linter.rules.dates import (
    DATE_ANCHORS,
    add_months,
    anchored_dates,
    compile_cues,
    describe_age,
    knowledge_cutoff_cues,
    overlaps,
    possible_sentences,
    whole_months_between,
)


def check(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    max_age = int(context.options.get("max_age", 12))
    report_future = bool(context.options.get("report_future", True))
    page_date = _page_date(document.meta, context.options.get("page_date_keys", []))
    reference = context.as_of
    texts = [sentence.text for sentence in document.sentences]
    possible = possible_sentences(PrescanTexts(texts), compile_cues(context.lexicon(DATE_ANCHORS)))
    for index, sentence in enumerate(document.sentences):
        if index not in possible:
            continue  # no anchor phrase: no anchored date
        text = texts[index]
        dates = anchored_dates(text, context)
        if not dates:
            continue
        cutoff_spans = [(cue.start, cue.end) for cue in knowledge_cutoff_cues(text, context)]
        for date in dates:
            if overlaps((date.start, date.end), cutoff_spans):
                continue
            phrase = text[date.start : date.end]
            if date.first_day > reference:
                if report_future:
                    yield context.diagnostic(
                        document,
                        sentence,
                        date.start,
                        date.end,
                        f"'{phrase}' is after the reference date {reference.isoformat()}: "
                        "probably a typo; check the date",
                        severity="info",
                    )
                continue
            if reference <= add_months(date.last_day, max_age):
                continue
            age = describe_age(whole_months_between(date.last_day, reference))
            message = (
                f"'{phrase}' is {age} old (reference date {reference.isoformat()}"
                f"{page_date}): check the fact against a current source, then update the date and cite the source"
            )
            yield context.diagnostic(document, sentence, date.start, date.end, message)


def _page_date(meta: dict[str, Any], keys: list[str]) -> str:
    """'; the page says updated 2021-05-01' from front matter, or ''. Quoted, never the reference."""
    for key in keys:
        value = meta.get(key)
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return f"; the page says {key} {value.isoformat()}"
        if isinstance(value, str) and value.strip():
            return f"; the page says {key} {value.strip()}"
    return ""


RULE = DocumentRule(
    id="stale-date",
    description=(
        "Anchored date phrases ('as of 2021') older than the maximum age at the reference date (lexicon: date_anchors)"
    ),
    default_severity="warning",
    options={
        "max_age": OptionSpec(
            "int",
            12,
            "months after the end of the stated period before 'as of …' counts as stale "
            "(use overrides: for evergreen pages)",
        ),
        "report_future": OptionSpec(
            "bool", True, "report anchors after the reference date at info severity (likely typos)"
        ),
        "page_date_keys": OptionSpec(
            "str-list",
            ["updated", "lastmod", "date"],
            "front-matter keys whose date is quoted in the message (the reference date stays --as-of or today)",
        ),
    },
    check=check,
    uses_reference_date=True,
)
