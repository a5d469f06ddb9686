"""entity-leak: a page about X names another subject Y because template text kept Y's name.

Fires when a sentence on the page about X names exactly one other subject Y (not X; capitals
are not evidence), at least one of those names has no comparison cue ("unlike", "such as")
within ``cue_window`` words of it, and the page about Y carries the same sentence (exactly,
up to names, or nearly; asked of the index for Y, since a template sentence's listed matches
are only the first ``max_related``). Also fires on the doubled slot a template leaves
behind ("the Texas government in Texas", "in Ohio, Ohio agencies"). Pages about several
subjects are left alone, except for doubled slots.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter import regex_store
from linter.corpus.model import CorpusDocument, CorpusView, Mention, OtherUnit
from linter.corpus.settings import ENTITY_LEAK
from linter.diagnostic import Diagnostic, RelatedLocation
from linter.rules.base import CorpusRule, OptionSpec, RuleContext
from linter.rules.textmatch import compile_phrases

# Mentions that name a subject (capitals are often surnames or other places: not evidence).
LEAK_KINDS = frozenset({"state", "postal", "demonym", "program", "entity"})

OPTIONS = {
    "comparison_cues": OptionSpec(
        "str", "corpus-comparison-cues", "lexicon of words that make naming another subject deliberate"
    ),
    "doubled_slots": OptionSpec("bool", True, "also report one subject named twice in one phrase"),
    "cue_window": OptionSpec(
        "int", 3, "a comparison cue makes a name deliberate only this many words or fewer before or after it"
    ),
}
_WORDS = regex_store.compiled(r"[^\W_]+(?:['’.-][^\W_]+)*")


def _diagnostic(
    document: CorpusDocument,
    context: RuleContext,
    first: Mention,
    last: Mention,
    message: str,
    suggestion: str | None,
    related: tuple[RelatedLocation, ...],
    text: str,
) -> Diagnostic:
    return Diagnostic(
        path=document.path,
        line=first.line,
        column=first.column,
        end_line=last.end_line,
        end_column=last.end_column,
        rule=context.rule_id,
        severity=context.severity,
        message=message,
        suggestion=suggestion,
        related=related,
        matched_text=text,
        context_text=text,
    )


def check(document: CorpusDocument, corpus: CorpusView, context: RuleContext) -> Iterator[Diagnostic]:
    units = {unit.index: unit for unit in document.units}
    if context.options.get("doubled_slots", True):
        for unit in document.units:
            for first, second in unit.doubled:
                phrase = unit.text[first.start : second.end]
                yield _diagnostic(
                    document,
                    context,
                    first,
                    second,
                    f"'{phrase}' names {first.subject} twice in one phrase, a template slot filled twice: "
                    "keep one name and reread the sentence",
                    None,
                    (),
                    phrase,
                )
    if document.multi_subject:
        return
    cues = compile_phrases(context.lexicon(str(context.options.get("comparison_cues", "corpus-comparison-cues"))))
    window = int(context.options.get("cue_window", 3))
    found = corpus.matches(document)
    for index in sorted(found):
        unit = units[index]
        named = [m for m in unit.mentions if m.kind in LEAK_KINDS]
        subjects = {m.subject for m in named}
        others = subjects - {document.subject}
        if len(others) != 1 or document.subject in subjects:
            continue  # names this page's subject too, or several others: a comparison or a list
        (other,) = others
        cue_spans = [(c.start(), c.end()) for c in cues.finditer(unit.text)] if cues is not None else []
        leaked = [m for m in named if m.subject == other and not _governed(unit.text, m, cue_spans, window)]
        if not leaked:
            continue  # every name of the other subject is part of a comparison ("unlike Texas")
        evidence = _evidence(document, corpus, index, found[index].others, other)
        if not evidence:
            continue
        where = ", ".join(f"{o.path}:{o.line}" for o in evidence[:3])
        related = tuple(RelatedLocation(o.path, o.line, o.column, f"the {other} page") for o in evidence)
        for mention in leaked:
            suggestion = None
            if mention.kind == "state":
                suffix = mention.text[len(mention.text.rstrip("'’s")) :] if mention.text.endswith(("'s", "’s")) else ""
                suggestion = document.subject + suffix
            yield _diagnostic(
                document,
                context,
                mention,
                mention,
                f"'{mention.text}' on a page about {document.subject}: the page about {other} has the same sentence "
                f"({where}), so the name was probably not swapped; name {document.subject} here, or rewrite the "
                f"sentence if it is meant to be about {other}",
                suggestion,
                related,
                unit.text,
            )


def _governed(text: str, mention: Mention, cues: list[tuple[int, int]], window: int) -> bool:
    """A comparison cue stands within ``window`` words of the mention ("unlike Texas", "Texas, like")."""
    for start, end in cues:
        if end <= mention.start and len(_WORDS.findall(text, end, mention.start)) <= window:
            return True
        if start >= mention.end and len(_WORDS.findall(text, mention.end, start)) <= window:
            return True
    return False


def _evidence(
    document: CorpusDocument, corpus: CorpusView, index: int, listed: tuple[OtherUnit, ...], other: str
) -> tuple[OtherUnit, ...]:
    """Where the page about ``other`` has the same sentence: among the listed matches, else asked for.

    A template sentence is on every page of a series; the match lists only the first few.
    """
    evidence = tuple(o for o in listed if o.subject == other and not o.multi_subject)
    return evidence or corpus.on_pages_about(document, index, other)


RULE = CorpusRule(
    id=ENTITY_LEAK,
    description="A page about one subject names another because copied template text kept the other's name",
    default_severity="error",
    options=OPTIONS,
    check=check,
)
