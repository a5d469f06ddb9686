"""relative-date: undated relative time ("currently", "recently", "to date") that ages silently.

Cue list: lexicon ``relative_time`` in rules.yaml. Not reported when the sentence carries
its own absolute anchor (a year outside a citation: "As of March 2026, the agency
currently …"), when the cue is part of a proper noun or title ("Current Population
Survey", "Recent Advances in …"), in headings and questions (options), or when the cue is
part of a knowledge-cutoff or anchored-date span (those rules own it), or inside a phrase of
lexicon ``relative_time_exceptions`` ("so far as the statute allows", "the last year of").
"""

from __future__ import annotations

from collections.abc import Iterator

from linter import regex_store
from linter.diagnostic import Diagnostic
from linter.document import Document, Sentence
from linter.prescan import PrescanTexts
from linter.rules.base import DocumentRule, OptionSpec, RuleContext
from linter.rules.dates import (
    RELATIVE_TIME,
    RELATIVE_TIME_EXCEPTIONS,
    anchored_dates,
    compile_cues,
    find_cues,
    has_absolute_anchor,
    knowledge_cutoff_cues,
    overlaps,
    possible_sentences,
)

_OPENING = " \t\"'“‘(*_[-–—"
_NEXT_WORD = regex_store.compiled(r"\s+[\"'“‘(]?([A-Z][\w'’-]*)")
_QUESTION_END = regex_store.compiled(r"\?[\"'”’)\]]*\s*$")


def check(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    cues = compile_cues(context.lexicon(RELATIVE_TIME))
    if cues is None:
        return
    exceptions = compile_cues(context.lexicon(RELATIVE_TIME_EXCEPTIONS))
    in_headings = bool(context.options.get("in_headings", False))
    in_questions = bool(context.options.get("in_questions", False))
    example = f"As of {context.as_of:%B %Y}, …"
    texts = [sentence.text for sentence in document.sentences]
    possible = possible_sentences(PrescanTexts(texts), cues)
    for index, sentence in enumerate(document.sentences):
        if index not in possible:
            continue  # no relative-time cue
        if not in_headings and sentence.block.kind == "heading":
            continue
        if not in_questions and _is_question(sentence):
            continue
        text = texts[index]
        found = find_cues(cues, text)
        if not found or has_absolute_anchor(text):
            continue
        owned = [(cue.start, cue.end) for cue in knowledge_cutoff_cues(text, context)]
        owned += [(date.start, date.end) for date in anchored_dates(text, context)]
        owned += find_cues(exceptions, text)
        for start, end in found:
            if overlaps((start, end), owned) or _in_proper_noun(text, start, end):
                continue
            phrase = text[start:end]
            yield context.diagnostic(
                document,
                sentence,
                start,
                end,
                f"'{phrase}' ages silently: say when ('{example}') and cite a dated source, "
                "or delete it if the sentence holds without it",
            )


def _is_question(sentence: Sentence) -> bool:
    return sentence.block.kind == "question" or _QUESTION_END.search(sentence.text) is not None


def _in_proper_noun(text: str, start: int, end: int) -> bool:
    """True when the cue is capitalised as part of a name or title, not as a sentence opener."""
    words = text[start:end].split()
    if not all(word[0].isupper() for word in words if word[0].isalpha()):
        return False
    before = text[:start].rstrip(_OPENING)
    at_sentence_start = before == "" or before.endswith((":", ";"))
    if not at_sentence_start:
        return True  # "the Current Population Survey"
    if len(words) > 1:
        return True  # "In Recent Years: A Review": every word capitalised
    if words[0].lower().endswith("ly"):
        return False  # "Currently Arkansas …": adverbs do not start names
    return _NEXT_WORD.match(text, end) is not None  # "Recent Advances in …"


RULE = DocumentRule(
    id="relative-date",
    description=(
        "Undated relative time ('currently', 'recently', 'to date') that ages silently "
        "(lexicons: relative_time, relative_time_exceptions)"
    ),
    default_severity="warning",
    options={
        "in_headings": OptionSpec("bool", False, "also check headings"),
        "in_questions": OptionSpec("bool", False, "also check questions (Q&A question lines, sentences ending in '?')"),
    },
    check=check,
    uses_reference_date=True,
)
