"""Matching shared by the three date rules: knowledge-cutoff, stale-date, relative-date.

The rules never see each other's diagnostics, so the span priority
knowledge-cutoff > stale-date > relative-date is applied by having a lower-priority rule
run the higher-priority matchers below on the same sentence and skip what overlaps.

Cue words live in rules.yaml (``lexicons:``); this module holds the logic: the lexicon
syntax, the date grammar after an anchor, the period a date names, citation spans, and
month arithmetic. Lexicon entries are literal phrases (case-insensitive, whole words,
either apostrophe) with two additions:

- ``{a|b|}`` lists alternatives (an empty one makes the part optional):
  ``as of my {last|latest} update`` stands for two phrases;
- ``…`` stands for one to six words within the clause:
  ``while specific details … are limited``.
"""

from __future__ import annotations

import calendar
import datetime
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from linter import regex_store
from linter.prescan import Prescan, PrescanTexts, compile_prescan
from linter.rules.base import RuleContext
from linter.rules.textmatch import phrase_pattern

# Lexicon names (rules.yaml ``lexicons:``).
CUTOFF_DISCLAIMERS = "cutoff_disclaimers"
ASSISTANT_SELF_REFERENCE = "assistant_self_reference"
SOURCE_GAP_SPECULATION = "source_gap_speculation"
DATE_ANCHORS = "date_anchors"
RELATIVE_TIME = "relative_time"
RELATIVE_TIME_EXCEPTIONS = "relative_time_exceptions"

Span = tuple[int, int]

# --------------------------------------------------------------------------- lexicon syntax

_ALTERNATIVES = regex_store.compiled(r"\{([^{}]*)\}")
_GAP = "…"
_GAP_WORDS = r"(?:[^\s.;:!?]+\s+){0,5}?[^\s.;:!?]+"  # what "…" stands for: one to six words


def expand_alternatives(entry: str) -> list[str]:
    """``"as of my {last|latest} update"`` → both phrases, spaces normalised."""
    pieces = _ALTERNATIVES.split(entry)
    # pieces alternate: literal, alternatives, literal, alternatives, ..., literal
    choices = [[piece] if index % 2 == 0 else piece.split("|") for index, piece in enumerate(pieces)]
    return [" ".join("".join(combination).split()) for combination in itertools.product(*choices)]


@dataclass
class _TrieNode:
    """Phrases as a word trie: the regex tries each distinct first word once per position."""

    children: dict[str, tuple[str, _TrieNode]] = field(default_factory=dict)  # key → (word, node)
    terminal: bool = False

    def add(self, words: list[str]) -> None:
        node = self
        for word in words:
            key = word.lower().replace("’", "'").replace("‘", "'")
            if key not in node.children:
                node.children[key] = (word, _TrieNode())
            node = node.children[key][1]
        node.terminal = True

    def pattern(self, first: bool = True) -> str:
        r"""Regex for one child word and everything that may follow it (longest first).

        Neighbouring words (in that order) followed by the same phrases share one copy of
        them: ``(?:last|latest)(?:\s+update)`` is ``last\s+update|latest\s+update`` to a
        backtracking matcher (same order of attempts, so the same match), but the
        knowledge-cutoff lexicon's "as of my …" trie shrinks from 12,877 to 4,854 characters,
        and Python compiles it that much sooner in every process that meets "as of".
        """
        groups: list[tuple[list[str], str]] = []  # (word patterns, what follows them)
        for word, child in sorted(self.children.values(), key=lambda item: len(item[0]), reverse=True):
            # A word after the first follows whitespace: no look-behind for a word start.
            head = _GAP_WORDS if word == _GAP else phrase_pattern(word, word_start=first)
            tail = ""
            if child.children:
                tail = rf"(?:\s+{child.pattern(first=False)})" + ("?" if child.terminal else "")
            if tail and groups and groups[-1][1] == tail:
                groups[-1][0].append(head)
            else:
                groups.append(([head], tail))
        alternatives = [
            (heads[0] if len(heads) == 1 else "(?:" + "|".join(heads) + ")") + tail for heads, tail in groups
        ]
        return "(?:" + "|".join(alternatives) + ")"


@dataclass(frozen=True)
class Cues:
    """A compiled lexicon: trie regexes by first word, the first words a match can start with, and a prescan.

    Python's regex engine would try every alternative at every character; trying only the
    phrases that start with the word found at a position is several times faster. The rules
    first ask the prescan (linter/prescan.py, built from the longest gap-free run of words of
    every phrase) which sentences of a page can hold a cue at all, and match those only.

    Regexes are written and compiled on first use, one per first word: Python's regex
    compiler takes about 0.1 s for the whole 859-phrase cutoff lexicon, in every process,
    writing the patterns of the six date lexicons took 10-15 ms more, and a one-file
    pre-commit run meets a handful of first words (RE2 cannot take these patterns: they use
    look-aheads).
    """

    trie: _TrieNode = field(repr=False)
    first_words: frozenset[str] | None  # None: some phrase starts with punctuation, scan everywhere
    prescan: Prescan | None = None
    tries_by_first_word: dict[str, _TrieNode] = field(default_factory=dict, repr=False)  # first word → its phrases
    _compiled: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The whole trie, compiled (only needed for a lexicon with a phrase that starts with no word)."""
        return regex_store.compiled(self.trie.pattern(), re.IGNORECASE)

    def pattern_at(self, first_word: str) -> str:
        """The regex of the phrases starting with ``first_word`` (lower case)."""
        return self.tries_by_first_word[first_word].pattern()

    def regex_at(self, first_word: str) -> re.Pattern[str]:
        """:meth:`pattern_at`, compiled once."""
        regex = self._compiled.get(first_word)
        if regex is None:
            regex = self._compiled[first_word] = regex_store.compiled(self.pattern_at(first_word), re.IGNORECASE)
        return regex

    def find(self, text: str) -> list[Span]:
        return [(match.start(), match.end()) for match in self.matches(text)]

    def matches(self, text: str) -> list[re.Match[str]]:
        if self.first_words is None:
            return [match for match in self.regex.finditer(text) if match.end() > match.start()]
        found: list[re.Match[str]] = []
        for word in _WORD.finditer(text):
            if found and word.start() < found[-1].end():
                continue
            key = word.group().lower()
            if key not in self.first_words:
                continue
            match = self.regex_at(key).match(text, word.start())
            if match is not None and match.end() > match.start():
                found.append(match)
        return found


_WORD = regex_store.compiled(r"\w+")


@lru_cache(maxsize=64)
def compile_cues(entries: tuple[str, ...]) -> Cues | None:
    """A lexicon compiled for matching (longest phrase wins), or None if it is empty."""
    root = _TrieNode()
    for entry in entries:
        for phrase in expand_alternatives(entry.replace("...", _GAP)):
            words = phrase.replace(_GAP, f" {_GAP} ").split()
            if words:
                root.add(words)
    if not root.children:
        return None
    first_words: set[str] | None = set()
    for word, _child in root.children.values():
        leading = _WORD.match(word)
        if leading is None or first_words is None:
            first_words = None
            continue
        first_words.add(leading.group().lower())
    # The phrases by first word: the text's word at a position names the only ones that can match there.
    by_first_word: dict[str, _TrieNode] = {}
    if first_words is not None:
        for key, (word, child) in root.children.items():
            leading = _WORD.match(word)
            assert leading is not None
            by_first_word.setdefault(leading.group().lower(), _TrieNode()).children[key] = (word, child)
    runs = _longest_runs(entries)
    prescan = None if runs is None else compile_prescan(tuple(runs))
    return Cues(
        root,
        None if first_words is None else frozenset(first_words),
        prescan,
        by_first_word,
    )


def _longest_runs(entries: tuple[str, ...]) -> list[str] | None:
    """For every phrase of the lexicon, its longest run of words without a gap: any match holds it.

    None when a phrase is nothing but a gap (it matches any words: no prescan).
    """
    runs = []
    for entry in entries:
        for phrase in expand_alternatives(entry.replace("...", _GAP)):
            if not phrase.split():
                continue  # compile_cues skips empty phrases too
            longest = max((" ".join(piece.split()) for piece in phrase.split(_GAP)), key=len)
            if not longest:
                return None
            runs.append(longest)
    return runs


def possible_sentences(texts: PrescanTexts, *lexicons: Cues | None) -> set[int]:
    """Indices of the texts where a cue of any of ``lexicons`` may stand (a superset)."""
    found: set[int] = set()
    for cues in lexicons:
        if cues is None:
            continue
        if cues.prescan is None:
            return set(range(texts.count))
        found |= cues.prescan.candidates(texts)
    return found


def possible_cutoff_sentences(texts: PrescanTexts, context: RuleContext) -> set[int]:
    """Indices of the texts :func:`knowledge_cutoff_cues` may find something in."""
    return possible_sentences(texts, *(compile_cues(context.lexicon(lexicon)) for _, lexicon in _CUTOFF_CLASSES))


def find_cues(cues: Cues | None, text: str) -> list[Span]:
    return [] if cues is None else cues.find(text)


def overlaps(span: Span, others: Iterable[Span]) -> bool:
    start, end = span
    return any(start < other_end and other_start < end for other_start, other_end in others)


# --------------------------------------------------------------------------- knowledge cutoff


@dataclass(frozen=True)
class CutoffCue:
    start: int
    end: int
    cue_class: str  # "cutoff" | "self" | "gap"


_CUTOFF_CLASSES: tuple[tuple[str, str], ...] = (
    ("cutoff", CUTOFF_DISCLAIMERS),
    ("self", ASSISTANT_SELF_REFERENCE),
    ("gap", SOURCE_GAP_SPECULATION),
)


def knowledge_cutoff_cues(text: str, context: RuleContext) -> list[CutoffCue]:
    """Cutoff disclaimers, self-reference and gap speculation in ``text``, overlaps removed."""
    cues: list[CutoffCue] = []
    for cue_class, lexicon in _CUTOFF_CLASSES:
        for start, end in find_cues(compile_cues(context.lexicon(lexicon)), text):
            if not overlaps((start, end), [(c.start, c.end) for c in cues]):
                cues.append(CutoffCue(start, end, cue_class))
    # "As an AI, I do not have access to current information" is one span, not two.
    merged: list[CutoffCue] = []
    for cue in sorted(cues, key=lambda cue: cue.start):
        if merged and _JOINER.fullmatch(text, merged[-1].end, cue.start):
            merged[-1] = CutoffCue(merged[-1].start, cue.end, merged[-1].cue_class)
        else:
            merged.append(cue)
    return merged


_JOINER = regex_store.compiled(r"[\s,;:]*")


# --------------------------------------------------------------------------- citations

_CITATION_PATTERNS: tuple[re.Pattern[str], ...] = (
    # author-year parentheticals: (Smith, 2020), (Smith et al. 2020; Jones 2019a), (Department of
    # Human Services, 2024, p. 4); not "(As of 2021)": "of" joins names only before a capital.
    regex_store.compiled(
        r"\((?:see\s+|cf\.\s+)?[A-Z][\w'’.&-]*(?:\s+(?:[A-Z][\w'’.&-]*|et\s+al\.?|and|&|of(?=\s+[A-Z])))*"
        r",?\s+(?:19|20)\d{2}[a-z]?(?:,\s*pp?\.\s*[\d–-]+)?(?:;[^()]{0,100})?\)"
    ),
    # narrative citations: Smith (2020), Smith and Jones (2019), Smith et al. (2020)
    regex_store.compiled(r"\b[A-Z][\w'’-]+(?:\s+(?:and|&)\s+[A-Z][\w'’-]+|\s+et\s+al\.?)?\s+\((?:19|20)\d{2}[a-z]?\)"),
    # legal citations: Pub. L. 104-193, 110 Stat. 2105, 8 U.S.C. § 1373, § 20-76-201, RCW 74.04.005
    regex_store.compiled(r"\bPub\.\s*L\.\s*(?:No\.\s*)?\d+[-–]\d+"),
    regex_store.compiled(r"\b\d+\s+Stat\.\s+\d+"),
    regex_store.compiled(r"\b\d+\s+(?:U\.S\.C\.|C\.F\.R\.|U\.S\.)\s*(?:§+\s*)?[\w.()-]+"),
    regex_store.compiled(r"§+\s*[\d][\w.:()–-]*"),
    regex_store.compiled(r"\b(?:RCW|ORS|MCL|NRS)\s+\d[\d.:-]*"),
)


def citation_spans(text: str) -> list[Span]:
    """Where citations sit in ``text``: years inside them are not time anchors."""
    return [(m.start(), m.end()) for pattern in _CITATION_PATTERNS for m in pattern.finditer(text)]


# --------------------------------------------------------------------------- absolute anchors

_YEAR_TOKEN = regex_store.compiled(r"(?<![\w$€£.,/-])(?:19|20)\d{2}(?![\w%]|[.,]\d)")


def has_absolute_anchor(text: str) -> bool:
    """True when ``text`` names a year (a bare year, month-year, ISO date) outside a citation."""
    citations = citation_spans(text)
    return any(not overlaps((m.start(), m.end()), citations) for m in _YEAR_TOKEN.finditer(text))


# --------------------------------------------------------------------------- anchored dates

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19|20)\d{2}"
_END = r"(?![\w%]|[.,/-]\d)"  # a year that is not part of a version, decimal or range
_QUALIFIER = (
    r"(?:early|mid|late|end\s+of|close\s+of|start\s+of|beginning\s+of|middle\s+of"
    r"|spring|summer|fall|autumn|winter)"
)
_ORDINAL = r"(?:st|nd|rd|th)?"

_DATE = regex_store.compiled(
    rf"""
    (?:
        (?P<iso_year>{_YEAR})-(?P<iso_month>0[1-9]|1[0-2])(?:-(?P<iso_day>0[1-9]|[12]\d|3[01]))?(?![\w-])
      | (?P<num_a>\d{{1,2}})/(?P<num_b>\d{{1,2}})/(?P<num_year>{_YEAR}){_END}
      | (?:the\s+)?(?:Q(?P<quarter>[1-4])|(?P<quarter_word>first|second|third|fourth)\s+quarter(?:\s+of)?)
            [\s-]*(?:FY\s?)?(?P<quarter_year>{_YEAR}){_END}
      | (?:the\s+)?(?:H(?P<half>[12])|(?P<half_word>first|second)\s+half(?:\s+of)?)[\s-]*(?P<half_year>{_YEAR}){_END}
      | (?:FY|fiscal\s+year)\s?-?(?P<fiscal_year>{_YEAR}|\d{{2}}){_END}
      | (?:the\s+)?(?P<qualifier>{_QUALIFIER})(?:\s+of)?[\s-]*(?:(?P<qualified_month>{_MONTH})\s+)?
            (?P<qualified_year>{_YEAR}){_END}
      | (?P<dm_day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<dm_month>{_MONTH}),?\s+(?P<dm_year>{_YEAR}){_END}
      | (?P<md_month>{_MONTH})\s+(?P<md_day>\d{{1,2}}){_ORDINAL},?\s+(?P<md_year>{_YEAR}){_END}
      | (?P<month>{_MONTH}),?\s+(?:of\s+)?(?P<month_year>{_YEAR}){_END}
      | (?P<year>{_YEAR}){_END}
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Between an anchor and its date: "at the time of writing (2020)", "… writing, in 2020", "as of: 2020".
_BRIDGE = regex_store.compiled(r"\s*(?:[(:,]\s*)?(?:in\s+)?", re.IGNORECASE)

_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_WORD_NUMBERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
# Months (first, last) a qualifier covers within a year. Winter runs into the next year.
_QUALIFIER_MONTHS = {
    "early": (1, 4),
    "mid": (5, 8),
    "middle of": (5, 8),
    "late": (9, 12),
    "start of": (1, 3),
    "beginning of": (1, 3),
    "end of": (10, 12),
    "close of": (10, 12),
    "spring": (3, 5),
    "summer": (6, 8),
    "fall": (9, 11),
    "autumn": (9, 11),
    "winter": (1, 14),
}


@dataclass(frozen=True)
class AnchoredDate:
    """An anchor phrase and the date after it, with the period the date names."""

    start: int  # sentence-relative span of anchor + date
    end: int
    first_day: datetime.date
    last_day: datetime.date


def anchored_dates(text: str, context: RuleContext) -> list[AnchoredDate]:
    """Every anchor phrase (lexicon ``date_anchors``) directly followed by a date."""
    anchors = compile_cues(context.lexicon(DATE_ANCHORS))
    if anchors is None:
        return []
    citations: list[Span] | None = None
    found: list[AnchoredDate] = []
    for anchor in anchors.matches(text):
        bridge = _BRIDGE.match(text, anchor.end())
        position = bridge.end() if bridge else anchor.end()
        date = _DATE.match(text, position)
        if date is None:
            continue
        if citations is None:
            citations = citation_spans(text)
        if overlaps((date.start(), date.end()), citations):
            continue
        period = period_of(date)
        if period is None:
            continue
        end = date.end()
        if bridge and "(" in bridge.group() and text.startswith(")", end):
            end += 1  # "at the time of writing (2020)": keep the parenthesis whole
        found.append(AnchoredDate(anchor.start(), end, *period))
    return found


def period_of(date: re.Match[str]) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day of the period a ``_DATE`` match names (None if impossible)."""
    group = date.group
    try:
        if group("iso_year"):
            year, month = int(group("iso_year")), int(group("iso_month"))
            if group("iso_day"):
                day = datetime.date(year, month, int(group("iso_day")))
                return day, day
            return _months(year, month, month)
        if group("num_year"):
            # 03/04/2021 is March 4 or 3 April: cover both readings (lenient on age).
            year, a, b = int(group("num_year")), int(group("num_a")), int(group("num_b"))
            readings = [
                datetime.date(year, m, d)
                for m, d in ((a, b), (b, a))
                if 1 <= m <= 12 and 1 <= d <= 31 and d <= calendar.monthrange(year, m)[1]
            ]
            return (min(readings), max(readings)) if readings else None
        if group("quarter_year"):
            quarter = int(group("quarter")) if group("quarter") else _WORD_NUMBERS[group("quarter_word").lower()]
            return _months(int(group("quarter_year")), 3 * quarter - 2, 3 * quarter)
        if group("half_year"):
            half = int(group("half")) if group("half") else _WORD_NUMBERS[group("half_word").lower()]
            return _months(int(group("half_year")), 6 * half - 5, 6 * half)
        if group("fiscal_year"):
            # Fiscal years end anywhere from March to December of the named year; count
            # leniently from 1 January of the year before to 31 December.
            text = group("fiscal_year")
            year = int(text) if len(text) == 4 else 2000 + int(text)
            return datetime.date(year - 1, 1, 1), datetime.date(year, 12, 31)
        if group("qualified_year"):
            year = int(group("qualified_year"))
            if group("qualified_month"):
                month = _month_number(group("qualified_month"))
                return _months(year, month, month)
            qualifier = " ".join(group("qualifier").lower().split())
            first, last = _QUALIFIER_MONTHS[qualifier]
            return _months(year, first, last)
        if group("dm_year"):
            day = datetime.date(int(group("dm_year")), _month_number(group("dm_month")), int(group("dm_day")))
            return day, day
        if group("md_year"):
            day = datetime.date(int(group("md_year")), _month_number(group("md_month")), int(group("md_day")))
            return day, day
        if group("month_year"):
            month = _month_number(group("month"))
            return _months(int(group("month_year")), month, month)
        year = int(group("year"))
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    except ValueError:  # 31 February and the like: not a date
        return None


def _month_number(name: str) -> int:
    return _MONTH_NUMBERS[name.lower().rstrip(".")[:3]]


def _months(year: int, first: int, last: int) -> tuple[datetime.date, datetime.date]:
    """First day of month ``first`` to last day of month ``last`` (months past 12 roll over)."""
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    return datetime.date(year, first, 1), datetime.date(
        end_year, end_month, calendar.monthrange(end_year, end_month)[1]
    )


# --------------------------------------------------------------------------- month arithmetic


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` calendar months (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (0 if ``later`` is not later)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if add_months(earlier, months) > later:
        months -= 1
    return max(months, 0)


def describe_age(months: int) -> str:
    """'7 months', '1 year and 2 months', 'about 5 years'."""
    if months < 12:
        return f"{months} month{'s' if months != 1 else ''}"
    if months < 24:
        rest = months - 12
        return "1 year" + (f" and {rest} month{'s' if rest != 1 else ''}" if rest else "")
    return f"about {(months + 6) // 12} years"
