"""Tokenise one sentence and mask what a template swaps: names, numbers, dates, citations.

Two masked forms come out of a sentence:

- **tier 1** (``tokens``): lower-cased words; entity names become slots (``<state>``,
  ``<capital>``, ``<demonym>``, ``<program>``, ``<entity>``), "the state of X" is one slot,
  a capitalised run holding a state name ("Arkansas Department of Human Services",
  "Washington State Department of Social and Health Services") is one ``<org>`` slot,
  legal citations are ``<cite>``, dates ``<date>`` and anything with a digit ``<num>``;
- **tier 2** (``skeleton``): tier 1 with every entity slot and every other capitalised run
  collapsed to ``<p>``, so "administers CalFresh" and "administers SNAP" agree.

Every token keeps its character offsets, so matches map back to exact lines and columns.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property

from linter import regex_store
from linter.corpus.entities import Found, Gazetteer

SLOT_FOR_KIND = {
    "state": "<state>",
    "postal": "<state>",
    "capital": "<capital>",
    "demonym": "<demonym>",
    "program": "<program>",
    "entity": "<entity>",
}
ENTITY_SLOTS = frozenset({"<state>", "<capital>", "<demonym>", "<program>", "<entity>", "<org>"})
_ORG_ANCHORS = frozenset({"<state>", "<capital>", "<demonym>"})
_CONNECTORS = frozenset({"of", "and", "for", "the", "&", "on"})
# Capitalised words that are not names (sentence openers, function words).
_FUNCTION_WORDS = frozenset(
    """a an the in on at of for to by with from into onto and or nor but as if when while since because
    although though unlike like under through during after before between among this that these those it
    its there their they them he she we you i our your his her some many most all any each every other
    such both either neither yes no not however additionally furthermore moreover overall finally first
    firstly second secondly third thirdly lastly also then thus therefore instead what which who whom whose
    where why how here one two three several few much more less can could may might must shall should will
    would do does did is are was were be been being has have had""".split()  # noqa: SIM905
)

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = regex_store.compiled(
    rf"\b{_MONTHS}\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?\d{{4}}\b|\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
)
_CITATION = regex_store.compiled(
    # (a clause word before the citation is not part of it, but "Or." is Oregon's abbreviation)
    r"(?:\b(?!(?:Under|In|As|See|Per|By|Pursuant|And|Or|The|Of|To)\b(?!\.))[A-Z][\w.'’]*\s+){0,4}"
    r"§{1,2}\s*\d[\w.\-–:()]*"  # Ark. Code Ann. § 20-76-103
    r"|\b\d+\s+(?:U\.?S\.?C|C\.?F\.?R)\.?\s*(?:§{1,2}\s*)?\d[\w.\-–()]*"  # 8 U.S.C. § 1373
    r"|\b[A-Z]{2,6}\s+\d+(?:[.\-–:]\d+)+[a-z]?\b"  # RCW 74.04.005, ORS 411.320
)
_WORD = regex_store.compiled(r"[^\W_]+(?:[-'’.&][^\W_]+)*")
_DIGIT = regex_store.compiled(r"\d")


@dataclass(slots=True)
class Token:
    text: str  # normalised word or slot
    start: int
    end: int
    capital: bool = False  # a capitalised word that may be part of a name
    found: Found | None = None  # the entity behind a slot


@dataclass
class Masked:
    tokens: list[str]
    skeleton: list[str]
    mentions: list[Found] = field(default_factory=list)
    doubled: list[tuple[Found, Found]] = field(default_factory=list)

    @cached_property
    def content(self) -> int:
        """Tokens that are words, not slots (``<num>``, ``<state>`` …: only slots start with "<")."""
        return len(self.tokens) - [token[0] for token in self.tokens].count("<")


def mask_sentence(text: str, gazetteer: Gazetteer) -> Masked:
    spans: list[tuple[int, int, str, Found | None]] = []
    if _DIGIT.search(text) is not None:  # every citation and date shape holds a digit
        for match in _CITATION.finditer(text):
            spans.append((match.start(), match.end(), "<cite>", None))
        for match in _DATE.finditer(text):
            spans.append((match.start(), match.end(), "<date>", None))
    mentions: list[Found] = []
    for found in gazetteer.find(text):
        if found.entry.subject is None:  # "Kansas City": plain words, never a slot
            spans.append((found.start, found.end, "", found))
            continue
        spans.append((found.start, found.end, SLOT_FOR_KIND[found.entry.kind], found))
    spans = _without_overlaps(spans)
    mentions = [found for _, _, slot, found in spans if found is not None and slot]
    tokens = _tokens(text, spans)
    slots = {slot for _, _, slot, _ in spans}
    if "<state>" in slots:  # both collapses need a state (orgs: or a capital, demonym) slot
        tokens = _collapse_state_of(tokens, text)
    if not slots.isdisjoint(_ORG_ANCHORS):
        tokens = _collapse_orgs(tokens, text)
    masked = Masked([t.text for t in tokens], _skeleton(tokens, text), mentions)
    masked.doubled = _doubled(text, mentions)
    return masked


def _without_overlaps(spans: list[tuple[int, int, str, Found | None]]) -> list[tuple[int, int, str, Found | None]]:
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str, Found | None]] = []
    end = -1
    for span in spans:
        if span[0] >= end:
            kept.append(span)
            end = span[1]
    return kept


def _add_words(tokens: list[Token], text: str, start: int, end: int) -> None:
    """Append a token for every word of ``text[start:end]``: ``<num>`` for a word with a digit,
    else the lower-cased word (marked ``capital`` when it may be part of a name).

    This loop runs for every word of every page, so it keeps to one call per word.
    """
    append = tokens.append
    for match in _WORD.finditer(text, start, end):
        word = match.group()
        begin = match.start()
        # (a word of letters only, the common case, holds no digit: str.isalpha is one C call)
        if not word.isalpha() and any(char.isdigit() for char in word):
            append(Token("<num>", begin, begin + len(word)))
            continue
        normal = word.lower().replace("’", "'")
        append(Token(normal, begin, begin + len(word), word[0].isupper() and normal not in _FUNCTION_WORDS))


def _tokens(text: str, spans: list[tuple[int, int, str, Found | None]]) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    for start, end, slot, found in [*spans, (len(text), len(text), "", None)]:
        _add_words(tokens, text, position, start)
        if start == end == len(text) and not slot:
            break
        if slot:
            tokens.append(Token(slot, start, end, False, found))
        else:  # an ignored entity: its words, but never a name of a subject
            _add_words(tokens, text, start, end)
        position = end
    return tokens


def _only_space(text: str, left: Token, right: Token) -> bool:
    return not text[left.end : right.start].strip()


def _collapse_state_of(tokens: list[Token], text: str) -> list[Token]:
    """ "the state of Ohio" → "the <state>"; "Washington State" → "<state>"."""
    out: list[Token] = []
    for token in tokens:
        if (
            token.text == "<state>"
            and len(out) >= 2
            and out[-1].text == "of"
            and out[-2].text in ("state", "commonwealth", "territory")
            and _only_space(text, out[-2], out[-1])
            and _only_space(text, out[-1], token)
        ):
            first = out[-2]
            del out[-2:]
            out.append(Token("<state>", first.start, token.end, False, token.found))
            continue
        if (
            token.text == "state"
            and token.capital
            and out
            and out[-1].text == "<state>"
            and _only_space(text, out[-1], token)
        ):
            previous = out[-1]
            out[-1] = Token("<state>", previous.start, token.end, False, previous.found)
            continue
        out.append(token)
    return out


def _runs(tokens: list[Token], text: str, member: set[int]) -> list[tuple[int, int]]:
    """Maximal runs ``[i, j)`` of member tokens, joined by spaces or connector words."""
    runs: list[tuple[int, int]] = []
    covered = 0  # tokens before this index belong to a run already
    for index in sorted(member):  # (members are few: a loop over every token cost more)
        if index < covered:
            continue
        end = index + 1
        while end < len(tokens):
            if end in member and _only_space(text, tokens[end - 1], tokens[end]):
                end += 1
                continue
            # connector words between two members: "Department of Human Services"
            probe = end
            while probe < len(tokens) and tokens[probe].text in _CONNECTORS and probe not in member:
                probe += 1
            if (
                probe > end
                and probe < len(tokens)
                and probe in member
                and all(_only_space(text, tokens[i - 1], tokens[i]) for i in range(end, probe + 1))
            ):
                end = probe + 1
                continue
            break
        runs.append((index, end))
        covered = end
    return runs


def _collapse_orgs(tokens: list[Token], text: str) -> list[Token]:
    """A capitalised run holding a state, capital or demonym is one ``<org>`` slot."""
    member = {i for i, t in enumerate(tokens) if t.capital or t.text in _ORG_ANCHORS}
    out: list[Token] = []
    position = 0
    for start, end in _runs(tokens, text, member):
        members = [t for t in tokens[start:end] if t.text not in _CONNECTORS or t.capital]
        anchors = [t for t in members if t.text in _ORG_ANCHORS]
        if len(members) < 2 or not anchors:
            continue
        out.extend(tokens[position:start])
        out.append(Token("<org>", tokens[start].start, tokens[end - 1].end, False, anchors[0].found))
        position = end
    out.extend(tokens[position:])
    return out


def _skeleton(tokens: list[Token], text: str) -> list[str]:
    """Tier 2: every entity slot and capitalised run becomes ``<p>`` (runs merged)."""
    member = {i for i, t in enumerate(tokens) if t.capital or t.text in ENTITY_SLOTS}
    replaced: dict[int, int] = {}
    for start, end in _runs(tokens, text, member):
        if start == 0 and end == 1 and tokens[0].text not in ENTITY_SLOTS:
            continue  # a capitalised first word is just the start of the sentence
        replaced[start] = end
    out: list[str] = []
    index = 0
    while index < len(tokens):
        if index in replaced:
            if not out or out[-1] != "<p>":
                out.append("<p>")
            index = replaced[index]
            continue
        out.append(tokens[index].text)
        index += 1
    return out


_BETWEEN_DOUBLED = regex_store.compiled(r"\s+(?:[a-z][\w-]*\s+){0,2}in\s+|\s+")
_IN_BEFORE = regex_store.compiled(r"\bin\s+$", re.IGNORECASE)
_LOWER_AFTER = regex_store.compiled(r"\s+[a-z]")


def _doubled(text: str, mentions: list[Found]) -> list[tuple[Found, Found]]:
    """Two names of one subject in one phrase: "the Texas government in Texas", "in Ohio, Ohio agencies"."""
    pairs: list[tuple[Found, Found]] = []
    names = [m for m in mentions if m.entry.kind == "state"]
    for first, second in itertools.pairwise(names):
        if first.entry.subject != second.entry.subject:
            continue
        gap = text[first.end : second.start]
        if _BETWEEN_DOUBLED.fullmatch(gap) or (
            re.fullmatch(r",\s+", gap)
            and _IN_BEFORE.search(text, 0, first.start)
            and _LOWER_AFTER.match(text, second.end)
        ):
            pairs.append((first, second))
    return pairs
