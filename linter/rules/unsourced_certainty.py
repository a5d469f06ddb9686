"""unsourced-certainty: a sentence that asserts with certainty while no source backs it.

A sentence is reported when it holds a certainty cue and no strong source evidence
(:mod:`linter.evidence`) is in reach. Cue classes, each switchable with ``cues``:

- ``answer``: "Yes,", "No,", "Absolutely," … opening the answer to a question;
- ``assurance``: institutional assurance ("there are strict safeguards in place",
  "has established oversight mechanisms", "these measures work together to uphold");
- ``booster``: boosters and absolutes ("clearly", "always", "guarantees", "fully");
- ``reputation``: "has a reputation for", "is widely recognized as", "is known for";
- ``attribution``: vague attribution, which is itself no source ("experts say",
  "advocates argue", "studies show", "according to some").

A cue does not count in a heading, a question, a quotation or block quote that carries an
attribution, or a clause that is hedged ("may", "typically" …), conditional ("if …"),
negated ("not always") or an obligation ("must always"). Hedges are clause-local: "X may
vary, but there are safeguards in place" still fires on its second clause. All the word
lists are lexicons in rules.yaml; the sentence shapes built from them are here.

One diagnostic per sentence, on its first cue. Severity: the rule's severity (warning),
except a sentence whose only cues are boosters (``booster_severity``, info) and a
sentence whose only evidence is weak (info, asking for an inline citation).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from linter import regex_store
from linter.diagnostic import SEVERITY_RANK, Diagnostic, Severity
from linter.document import Document, Sentence
from linter.evidence import (
    LEXICON_ATTRIBUTION_VERBS,
    LEXICON_VAGUE_SOURCES,
    EvidenceLexicons,
    SourceEvidence,
    alternation,
    is_question,
)
from linter.prescan import Prescan, PrescanTexts, compile_prescan
from linter.rules.base import DocumentRule, OptionSpec, RuleContext
from linter.rules.textmatch import LazyRegex, lazy_phrases

CUE_CLASSES: tuple[str, ...] = ("answer", "assurance", "booster", "reputation", "attribution")

# rules.yaml lexicons read by this rule (evidence lexicons are listed in linter/evidence.py).
LEXICONS = {
    "answer": "certainty_answer_openers",
    "assurance_nouns": "certainty_assurance_nouns",
    "assurance": "certainty_assurance",
    "assurance_adjectives": "certainty_assurance_adjectives",
    "booster": "certainty_boosters",
    "reputation": "certainty_reputation",
    "attribution": "certainty_vague_attribution",
    "quantifiers": "certainty_vague_quantifiers",
    "vague_verbs": "certainty_vague_verbs",
    "hedges": "certainty_hedges",
    "negators": "certainty_negators",
    "conditionals": "certainty_conditionals",
    "deontic": "certainty_deontic",
}

_WORD = r"[\w’'-]+"
# Words that end the modifier run before an assurance noun: "there are limits on …" fine,
# "there is a risk of … if safeguards …" not a claim about safeguards.
_NOT_MODIFIER = (
    r"(?!(?:of|about|to|for|on|that|which|who|with|between|in|from|by|the|this|these|those|if|when|"
    r"because|as|regarding|than|been|not)\b)"
)
_CLAUSE_BREAK = regex_store.compiled(
    r"[,;:()\[\]—–]|\s-\s|\b(?:but|while|whereas|although|though|however)\b", re.IGNORECASE
)
_QUOTED = regex_store.compiled(r"“[^”]{1,600}”|\"[^\"]{1,600}\"")
_DASH_ATTRIBUTION = regex_store.compiled(r"^\W{0,3}(?:—|–|―|--?)\s*[A-Z]")
_TOKEN = regex_store.compiled(r"[\w’'-]+")
# After a sentence-initial "Always"/"Never", these words mean a statement, not an order.
_NOT_IMPERATIVE = frozenset(
    {
        "has",
        "have",
        "had",
        "is",
        "are",
        "was",
        "were",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "been",
        "before",
        "again",
        "since",
        "in",
        "at",
        "once",
        "ever",
        "be",
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "it",
        "they",
        "we",
        "he",
        "she",
        "there",
    }
)

_MESSAGES = {
    "answer": "'{cue}' answers with certainty",
    "assurance": "'{cue}' asserts that protections exist",
    "booster": "'{cue}' states this as certain",
    "reputation": "'{cue}' claims a reputation without saying whose view it is",
    "attribution": "'{cue}' is vague attribution, not a source",
}
_UNSOURCED = (
    "{head}, but nothing in this {unit} cites a source: "
    "cite a statute, agency page or report in this {unit}, or soften the claim"
)
_WEAKLY_SOURCED = (
    "{head}, but the only source in reach is not tied to it: cite it inline in this {unit}, or soften the claim"
)


@dataclass(frozen=True, slots=True)
class Cue:
    """A certainty cue: its class and sentence-relative span."""

    cue_class: str
    start: int
    end: int


@dataclass(frozen=True, eq=False)
class _Gated:
    """A pattern worth running only when the sentence holds a word from each trigger set.

    ``prescans`` are page-wide necessary conditions (:class:`Prescan`): a sentence none of
    whose candidate sets holds is never looked at, so most sentences skip every pattern.
    """

    pattern: LazyRegex
    triggers: tuple[frozenset[str], ...]
    prescans: tuple[Prescan, ...] = ()

    def may_match(self, words: frozenset[str]) -> bool:
        return all(not trigger.isdisjoint(words) for trigger in self.triggers)


@dataclass(frozen=True)
class _CuePatterns:
    answer: LazyRegex | None
    assurance_shapes: tuple[_Gated, ...]
    assurance: _Gated | None
    booster: _Gated | None
    reputation: _Gated | None
    attribution: _Gated | None
    vague_shape: _Gated | None
    hedges: LazyRegex | None
    conditionals: LazyRegex | None
    deontic: LazyRegex | None
    negators: frozenset[str]
    reporting: LazyRegex | None


_WORDISH = regex_store.compiled(r"[\w'’]+")


def words_of(text: str) -> frozenset[str]:
    """The lower-cased words of ``text`` (hyphens split words), for trigger checks."""
    return frozenset(_WORDISH.findall(text.lower().replace("’", "'")))


def _first_words(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(next(iter(words_of(p.split()[0])), "") for p in phrases if p.split())


def _all_words(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for p in phrases for w in words_of(p))


def _gated_phrases(phrases: tuple[str, ...]) -> _Gated | None:
    pattern = lazy_phrases(phrases)
    if pattern is None:
        return None
    return _Gated(pattern, (_first_words(phrases),), _prescans(phrases))


def _prescans(*phrase_sets: Iterable[str]) -> tuple[Prescan, ...]:
    """Prescans for phrases or trigger words: the sentence must hold one of each set.

    A trigger word in :func:`words_of` a sentence is a whole word of it, so its loose
    pattern (:func:`linter.prescan.loose_phrase_pattern`) matches there too. A gate
    prescans its rarest trigger set only: a common word ("has", a noun) would make every
    sentence a candidate and cost more than it saves.
    """
    found = (compile_prescan(tuple(sorted(phrases))) for phrases in phrase_sets)
    return tuple(prescan for prescan in found if prescan is not None)


@lru_cache(maxsize=16)
def _cue_patterns(lexicons: tuple[tuple[str, tuple[str, ...]], ...]) -> _CuePatterns:
    lex = dict(lexicons)
    nouns = alternation(lex["assurance_nouns"], empty="")
    answer = alternation(lex["answer"], empty="")
    shapes: list[_Gated] = []
    if nouns:
        noun = rf"(?:{nouns})\b(?:\s+(?:{nouns})\b)*"
        modifiers = rf"(?:{_NOT_MODIFIER}{_WORD}\s+){{0,5}}?"
        in_place = r"(?:in\s+place|in\s+effect)"
        noun_words = _all_words(lex["assurance_nouns"])
        adjectives = lex["assurance_adjectives"]
        shapes = [
            # there are (strict) safeguards (… in place)
            _Gated(
                LazyRegex(
                    rf"\bthere\s+(?:is|are|exist|remain)\s+{modifiers}{noun}(?:(?:\s+{_WORD}){{0,8}}?\s+{in_place}\b)?",
                    re.IGNORECASE,
                ),
                (frozenset({"there"}), noun_words),
                _prescans(("there",)),
            ),
            # strict protocols are in place / agreements are established
            _Gated(
                LazyRegex(
                    rf"\b{noun}\s+(?:(?:is|are|remain|remains)\s+(?:(?:also|now|still|currently|firmly|already|"
                    rf"typically|often|generally|usually)\s+)?(?:{in_place}|established)|(?:has|have)\s+been\s+"
                    rf"(?:established|put\s+in\s+place))\b",
                    re.IGNORECASE,
                ),
                (noun_words, frozenset({"place", "effect", "established"})),
                _prescans(("place", "effect", "established")),
            ),
            # the state has (specific) laws and policies in place
            _Gated(
                LazyRegex(
                    rf"\b(?:has|have)\s+{modifiers}{noun}(?:\s+(?:and|or|&)\s+(?:{_WORD}\s+){{0,2}}?{noun})?"
                    rf"\s+{in_place}\b",
                    re.IGNORECASE,
                ),
                (frozenset({"has", "have"}), noun_words, frozenset({"place", "effect"})),
                _prescans(("place", "effect")),
            ),
            # Arkansas has established oversight mechanisms
            _Gated(
                LazyRegex(
                    rf"\b(?:has|have)\s+(?:also\s+|already\s+|long\s+)?established\s+"
                    rf"(?:{_NOT_MODIFIER}{_WORD}\s+){{0,4}}?{noun}",
                    re.IGNORECASE,
                ),
                (frozenset({"established"}), noun_words),
                _prescans(("established",)),
            ),
        ]
        adjective_words = alternation(adjectives, empty="")
        if adjectives:
            # the department maintains strict controls / has a robust framework of safeguards
            verbs_taking_adjectives = (
                "has",
                "have",
                "maintain",
                "maintains",
                "enforce",
                "enforces",
                "follow",
                "follows",
                "use",
                "uses",
            )
            # data sharing is governed by strict protocols / subject to stringent rules
            shapes.append(
                _Gated(
                    LazyRegex(
                        rf"\b(?:is|are)\s+(?:governed|bound|covered|regulated|subject)\s+(?:by|to)\s+"
                        rf"(?:{adjective_words})\s+(?:{_WORD}\s+){{0,2}}?{noun}",
                        re.IGNORECASE,
                    ),
                    (frozenset({"governed", "bound", "covered", "regulated", "subject"}), _all_words(adjectives)),
                    _prescans(_all_words(adjectives)),
                )
            )
            shapes.append(
                _Gated(
                    LazyRegex(
                        rf"\b(?:{'|'.join(verbs_taking_adjectives)})\s+(?:an?\s+)?"
                        rf"(?:{adjective_words})\s+(?:{_WORD}\s+){{0,2}}?{noun}",
                        re.IGNORECASE,
                    ),
                    (frozenset(verbs_taking_adjectives), _all_words(adjectives), noun_words),
                    _prescans(_all_words(adjectives)),
                )
            )
    quantifiers = alternation(lex["quantifiers"], empty="")
    sources = alternation(lex["vague_sources"], empty="")
    verbs = alternation(lex["vague_verbs"], empty="")
    vague_shape = None
    if sources and verbs:
        prefix = rf"(?:\b(?:{quantifiers})(?:\s+{_WORD}){{0,5}}?\s+)?" if quantifiers else ""
        vague_shape = _Gated(
            LazyRegex(
                rf"{prefix}\b(?P<source>{sources})\b(?:\s+(?:of|for|in|on|from)(?:\s+{_WORD}){{1,7}}?)?"
                rf"(?:\s+(?:who|that|also|have|has|had|often|still|now|long|repeatedly|consistently|widely|all|both))*"
                rf"\s+(?:{verbs})\b",
                re.IGNORECASE,
            ),
            (_all_words(lex["vague_sources"]), _first_words(lex["vague_verbs"])),
            _prescans(_first_words(lex["vague_verbs"])),
        )
    reporting = lex["reporting_verbs"]
    return _CuePatterns(
        answer=LazyRegex(rf"^[\s\"'“‘(*_]*(?P<cue>(?:{answer})(?:\s+not)?(?:\s*[,!]|(?=\s*[.:;—–-])))", re.IGNORECASE)
        if answer
        else None,
        assurance_shapes=tuple(shapes),
        assurance=_gated_phrases(lex["assurance"]),
        booster=_gated_phrases(lex["booster"]),
        reputation=_gated_phrases(lex["reputation"]),
        attribution=_gated_phrases(lex["attribution"]),
        vague_shape=vague_shape,
        hedges=lazy_phrases(lex["hedges"]),
        conditionals=lazy_phrases(lex["conditionals"]),
        deontic=lazy_phrases(lex["deontic"]),
        negators=frozenset(w.lower() for w in lex["negators"]),
        reporting=lazy_phrases((*reporting, "according to")) if reporting else None,
    )


def _patterns_for(context: RuleContext) -> _CuePatterns:
    lexicons = tuple((key, tuple(context.lexicon(name))) for key, name in LEXICONS.items())
    extra = (
        ("vague_sources", tuple(context.lexicon(LEXICON_VAGUE_SOURCES))),
        ("reporting_verbs", tuple(context.lexicon(LEXICON_ATTRIBUTION_VERBS))),
    )
    return _cue_patterns(lexicons + extra)


# --------------------------------------------------------------------------- clause context


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``: between the nearest clause breaks."""
    left, right = 0, len(text)
    for match in _CLAUSE_BREAK.finditer(text):
        if match.end() <= start:
            left = match.end()
        elif match.start() >= end:
            right = match.start()
            break
    return left, right


def _any_in(pattern: LazyRegex | None, text: str, start: int, end: int, skip: tuple[int, int]) -> bool:
    if pattern is None or start >= end:
        return False
    for match in pattern.finditer(text, start, end):
        if match.end("match") <= skip[0] or match.start("match") >= skip[1]:
            return True
    return False


def _negated(text: str, clause_start: int, cue_start: int, negators: frozenset[str]) -> bool:
    words = _TOKEN.findall(text[clause_start:cue_start])[-3:]
    return any(w.lower() in negators or w.lower().endswith(("n't", "n’t")) for w in words)


def _previous_word(text: str, position: int) -> str:
    words = _TOKEN.findall(text[:position])
    return words[-1].lower() if words else ""


def _imperative(text: str, cue: Cue) -> bool:
    """A sentence-initial "Always …"/"Never …" order ("Never share your case number")."""
    if " " in text[cue.start : cue.end] or not text[cue.end : cue.end + 1].isspace():
        return False  # a phrase ("It is well established that …"), or "Undoubtedly, …"
    if text[: cue.start].strip(" \"'“‘(*_"):
        return False  # not sentence-initial
    following = _TOKEN.findall(text[cue.end :])
    return bool(following) and following[0][:1].islower() and following[0].lower() not in _NOT_IMPERATIVE


def _keep(text: str, cue: Cue, patterns: _CuePatterns) -> bool:
    """False when the cue's clause takes the certainty away."""
    clause_start, clause_end = _clause(text, cue.start, cue.end)
    span = (cue.start, cue.end)
    if _any_in(patterns.conditionals, text, clause_start, cue.start, span):
        return False
    if cue.cue_class == "answer":
        _, after_end = _clause(text, cue.end, cue.end)
        return not _any_in(patterns.hedges, text, cue.end, after_end, (0, 0))
    if cue.cue_class == "attribution":
        return not _negated(text, clause_start, cue.start, patterns.negators)
    if _any_in(patterns.hedges, text, clause_start, clause_end, (0, 0)):
        return False
    if cue.cue_class in ("booster", "assurance") and _any_in(patterns.deontic, text, clause_start, cue.start, span):
        return False
    if cue.cue_class in ("booster", "reputation") and _negated(text, clause_start, cue.start, patterns.negators):
        return False
    if cue.cue_class == "booster":
        if _previous_word(text, cue.start) in ("to", "as"):  # "to fully participate", "as always"
            return False
        if _imperative(text, cue):
            return False
    return True


def find_cues(
    text: str,
    patterns: _CuePatterns,
    enabled: frozenset[str],
    answer_start: bool,
    possible: Container[_Gated] | None = None,
) -> list[Cue]:
    """Certainty cues in ``text`` that survive their clause's hedges, conditions and negation.

    ``possible``: the patterns the page's prescan left for this sentence (None: all of them).
    """
    cues: list[Cue] = []
    words = _Words(text)
    if answer_start and "answer" in enabled and patterns.answer is not None:
        match = patterns.answer.match(text)
        if match is not None:
            cues.append(Cue("answer", match.start("cue"), match.end("cue")))
    if "assurance" in enabled:
        for shape in patterns.assurance_shapes:
            cues.extend(_cues("assurance", shape, text, words, possible, whole_match=True))
        cues.extend(_cues("assurance", patterns.assurance, text, words, possible))
    if "booster" in enabled:
        cues.extend(_cues("booster", patterns.booster, text, words, possible))
    if "reputation" in enabled:
        cues.extend(_cues("reputation", patterns.reputation, text, words, possible))
    if "attribution" in enabled:
        cues.extend(_cues("attribution", patterns.attribution, text, words, possible))
        vague = patterns.vague_shape
        if vague is not None and (possible is None or vague in possible) and vague.may_match(words.get()):
            for match in vague.pattern.finditer(text):
                if not _names_someone(text, match.start("source"), match.start()):
                    cues.append(Cue("attribution", match.start(), match.end()))
    kept = [cue for cue in cues if _keep(text, cue, patterns)]
    return sorted(kept, key=lambda cue: (cue.start, -cue.end))


class _Words:
    """:func:`words_of` a sentence, computed when a trigger check first needs it."""

    __slots__ = ("_text", "_words")

    def __init__(self, text: str) -> None:
        self._text = text
        self._words: frozenset[str] | None = None

    def get(self) -> frozenset[str]:
        if self._words is None:
            self._words = words_of(self._text)
        return self._words


def _cues(
    cue_class: str,
    gated: _Gated | None,
    text: str,
    words: _Words,
    possible: Container[_Gated] | None,
    whole_match: bool = False,
) -> Iterator[Cue]:
    if gated is None or (possible is not None and gated not in possible) or not gated.may_match(words.get()):
        return
    for match in gated.pattern.finditer(text):
        start, end = match.span() if whole_match else match.span("match")
        yield Cue(cue_class, start, end)


def _names_someone(text: str, source_start: int, match_start: int) -> bool:
    """A capitalised "Advocates" inside a name ("Arkansas Advocates for Children") is not vague."""
    if source_start == match_start and not text[:source_start].strip(" \"'“‘(*_-–—•"):
        return False  # sentence-initial capital
    return text[source_start : source_start + 1].isupper()


# --------------------------------------------------------------------------- quotations


def _inside_attributed_quote(text: str, cue: Cue, patterns: _CuePatterns) -> bool:
    """The cue is quoted and someone is credited, or the cue is the credit itself ("…," officials said)."""
    for match in _QUOTED.finditer(text):
        if cue.cue_class == "attribution" and (0 <= cue.start - match.end() <= 3 or 0 <= match.start() - cue.end <= 3):
            return True
        if match.start() <= cue.start and cue.end <= match.end():
            outside = text[: match.start()] + " " + text[match.end() :]
            return patterns.reporting is not None and patterns.reporting.search(outside) is not None
    return False


def _block_quote_attributed(document: Document, block_index: int, patterns: _CuePatterns) -> bool:
    """A block quote counts as attributed when it, or the line after it, names who said it."""
    blocks = document.blocks
    first = block_index
    while first > 0 and _same_quote(document, first - 1, first):
        first -= 1
    last = block_index
    while last + 1 < len(blocks) and _same_quote(document, last, last + 1):
        last += 1
    candidates = [blocks[i].prose.text for i in range(first, last + 1)]
    if last + 1 < len(blocks) and not blocks[last + 1].is_heading:
        candidates.append(blocks[last + 1].prose.text)
    for text in candidates:
        if _DASH_ATTRIBUTION.search(text.strip()):
            return True
        if patterns.reporting is not None and patterns.reporting.search(text):
            return True
    return False


def _same_quote(document: Document, earlier: int, later: int) -> bool:
    """Two quote blocks belong to one block quote when only quote lines (``>``) separate them."""
    first, second = document.blocks[earlier], document.blocks[later]
    if not (first.in_quote and second.in_quote):
        return False
    between = range(first.end_line + 1, second.start_line)
    return all(document.line_text(line).lstrip().startswith(">") for line in between)


# --------------------------------------------------------------------------- the rule


def _answer_openings(document: Document) -> set[int]:
    """Indices (into ``document.sentences``) of the first sentence of each answer."""
    first_sentence: dict[int, int] = {}
    for position, sentence in enumerate(document.sentences):
        first_sentence.setdefault(sentence.block_index, position)
    openings: set[int] = set()
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if not is_question(block):
            continue
        following = index + 1
        if following < len(blocks) and not blocks[following].is_heading and following in first_sentence:
            openings.add(first_sentence[following])
    return openings


def _possible_patterns(patterns: _CuePatterns, texts: list[str]) -> dict[int, set[_Gated]]:
    """Text index → the gated patterns its page's prescans leave for it (texts with none are left out)."""
    gated = [
        *patterns.assurance_shapes,
        patterns.assurance,
        patterns.booster,
        patterns.reputation,
        patterns.attribution,
        patterns.vague_shape,
    ]
    possible: dict[int, set[_Gated]] = {}
    everything = set(range(len(texts)))
    batch = PrescanTexts(texts)
    for item in gated:
        if item is None:
            continue
        candidates = everything
        for prescan in item.prescans:
            candidates = candidates & prescan.candidates(batch)
        for index in candidates:
            possible.setdefault(index, set()).add(item)
    return possible


def _is_claim(sentence: Sentence) -> bool:
    block = sentence.block
    if block.is_heading:
        return False
    text = sentence.text.rstrip(" \"'”’)*_")
    return bool(text) and not text.endswith("?")


def _severity_for(cues: list[Cue], context: RuleContext) -> Severity:
    booster: Severity = context.options.get("booster_severity", "info")
    if all(cue.cue_class == "booster" for cue in cues):
        return booster
    return context.severity


def _message(cue: Cue, text: str, unit: str, weak: bool) -> str:
    cue_text = " ".join(text[cue.start : cue.end].split())
    head = _MESSAGES[cue.cue_class].format(cue=cue_text)
    return (_WEAKLY_SOURCED if weak else _UNSOURCED).format(head=head, unit=unit)


def check(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    patterns = _patterns_for(context)
    scope = str(context.options.get("source_scope", "block"))
    enabled = frozenset(context.options.get("cues", CUE_CLASSES))
    openings = _answer_openings(document)
    claims = [(position, sentence) for position, sentence in enumerate(document.sentences) if _is_claim(sentence)]
    possible = _possible_patterns(patterns, [sentence.text for _, sentence in claims])
    evidence: SourceEvidence | None = None
    for claim, (position, sentence) in enumerate(claims):
        gates = possible.get(claim)
        if gates is None and position not in openings:
            continue  # no pattern can match and no answer opener is looked for
        text = sentence.text
        cues = find_cues(text, patterns, enabled, answer_start=position in openings, possible=gates or ())
        cues = [cue for cue in cues if not _inside_attributed_quote(text, cue, patterns)]
        if not cues:
            continue
        if sentence.block.in_quote and _block_quote_attributed(document, sentence.block_index, patterns):
            continue
        if evidence is None:
            evidence = SourceEvidence(document, EvidenceLexicons.from_lexicons(context.lexicons))
        level = evidence.level(sentence, scope)
        if level == "strong":
            continue
        first = cues[0]
        severity = _severity_for(cues, context)
        if level == "weak" and SEVERITY_RANK[severity] > SEVERITY_RANK["info"]:
            severity = "info"
        unit = evidence.unit_name(sentence.block_index, scope)
        yield context.diagnostic(
            document, sentence, first.start, first.end, _message(first, text, unit, level == "weak"), severity=severity
        )


RULE = DocumentRule(
    id="unsourced-certainty",
    description=(
        "A confident claim (answer opener, assurance, booster, reputation, vague attribution) with no source in reach"
    ),
    default_severity="warning",
    options={
        "source_scope": OptionSpec(
            "choice",
            "block",
            "how far a source reaches: the sentence, its block (paragraph, list item or whole answer), or its section",
            ("sentence", "block", "section"),
        ),
        "booster_severity": OptionSpec(
            "choice", "info", "severity when a sentence's only cues are boosters", ("error", "warning", "info")
        ),
        "cues": OptionSpec("choice-list", list(CUE_CLASSES), "cue classes to look for", CUE_CLASSES),
    },
    check=check,
)
