"""The gazetteer: entity lexicons from rules.yaml compiled into one matcher.

Lexicon entries are ``"Phrase"`` (the phrase is itself a subject, e.g. a state name) or
``"Phrase = Subject"`` (a capital, demonym, postal code or program name that points at a
subject). Matching is case-sensitive (these are proper nouns: "Providence" the city, not
"providence"), whole words, longest phrase first, with an optional possessive ("Arkansas's").
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from linter import regex_store
from linter.rules.textmatch import phrase_pattern

# Lexicon name → the kind of entity its entries are. Users extend any of them in rules.yaml.
ENTITY_LEXICONS: dict[str, str] = {
    "corpus-states": "state",
    "corpus-capitals": "capital",
    "corpus-demonyms": "demonym",
    "corpus-programs": "program",
    "corpus-entities": "entity",  # the user's own: cities, countries, products …
    "corpus-not-entities": "ignore",  # look like entities but are not ("Kansas City")
}
POSTAL_LEXICON = "corpus-postal-codes"
# Words that make a state or capital name just before them part of another name: "Washington
# County", "Jackson County", "Virginia Beach", "Georgia Tech" (rules.yaml has the list).
CONTINUATION_LEXICON = "corpus-name-continuations"
_CONTINUED_KINDS = frozenset({"state", "capital"})
COMPARISON_LEXICON = "corpus-comparison-cues"


@dataclass(frozen=True, slots=True)
class Entry:
    phrase: str
    subject: str | None  # None for "ignore" entries
    kind: str


@dataclass(frozen=True, slots=True)
class Found:
    start: int
    end: int
    entry: Entry


class Gazetteer:
    def __init__(self, lexicons: Mapping[str, tuple[str, ...]]) -> None:
        self.entries: dict[str, Entry] = {}
        self.subjects: dict[str, str] = {}  # lower-case name or code → canonical subject
        for name, kind in ENTITY_LEXICONS.items():
            for item in lexicons.get(name, ()):
                phrase, subject = _split(item)
                if not phrase:
                    continue
                entry = Entry(phrase, None if kind == "ignore" else subject, kind)
                self.entries[_key(phrase)] = entry
                if kind != "ignore":
                    self.subjects.setdefault(subject.lower(), subject)
                    if kind in ("state", "entity"):
                        self.subjects.setdefault(phrase.lower(), subject)
        self.postal: dict[str, str] = {}
        for item in lexicons.get(POSTAL_LEXICON, ()):
            code, subject = _split(item)
            if code:
                self.postal[code] = subject
                self.subjects.setdefault(code.lower(), subject)
        # Candidates by first word: one dictionary lookup per capitalised word of the text, then
        # the phrases starting with it, longest first (a regex alternation of every phrase is
        # ~100 times slower). Their regexes are compiled on first use (see ``_phrases``): the
        # default lexicons hold about 300 phrases, a page names a few dozen of them, and a
        # one-file pre-commit run should not compile the rest.
        self.by_first_word: dict[str, list[Entry]] = {}
        for entry in sorted(self.entries.values(), key=lambda e: len(e.phrase), reverse=True):
            first = _FIRST_WORD.match(entry.phrase)
            if first is None:
                continue
            self.by_first_word.setdefault(first.group(), []).append(entry)
        self._compiled: dict[str, list[tuple[re.Pattern[str], Entry]]] = {}
        # The words worth a lookup: those starting with a character some phrase starts with
        # (capitals, mostly), so a sentence's lower-case words are never looked at.
        first_characters = "".join(sorted({word[0] for word in self.by_first_word}))
        self._candidate = (
            regex_store.compiled(rf"(?<![\w])[{re.escape(first_characters)}][A-Za-z0-9]*") if first_characters else None
        )
        self.comparison_cues = tuple(lexicons.get(COMPARISON_LEXICON, ()))
        continuations = sorted({" ".join(w.split()) for w in lexicons.get(CONTINUATION_LEXICON, ()) if w.strip()})
        self._continuation = (
            regex_store.compiled(r"[ \t]+(?:" + "|".join(re.escape(w) for w in continuations) + r")(?![\w'’-])")
            if continuations
            else None
        )
        self.fingerprint = hashlib.sha256(
            json.dumps(
                {
                    name: list(lexicons.get(name, ()))
                    for name in (*ENTITY_LEXICONS, POSTAL_LEXICON, CONTINUATION_LEXICON)
                },
                sort_keys=True,
            ).encode()
        ).hexdigest()[:16]

    def find(self, text: str) -> list[Found]:
        """Entity phrases in ``text`` (left to right, no overlaps), possessive included."""
        found: list[Found] = []
        position = 0
        candidates = self._candidate.finditer(text) if self._candidate is not None else ()
        for word in candidates:
            if word.start() < position:
                continue
            for pattern, entry in self._phrases(word.group()):
                match = pattern.match(text, word.start())
                if match is not None:
                    found.append(self._continued(text, match, entry))
                    position = found[-1].end
                    break
        for match in _POSTAL_IN_ADDRESS.finditer(text):
            subject = self.postal.get(match.group(1))
            if subject is not None:
                found.append(Found(match.start(1), match.end(1), Entry(match.group(1), subject, "postal")))
        found.sort(key=lambda f: f.start)
        return found

    def _continued(self, text: str, match: re.Match[str], entry: Entry) -> Found:
        """The match, or with the next word an ignored name when that word continues it ("Washington County")."""
        possessive = match.group().endswith(("'", "’", "'s", "’s"))  # "Texas's County Road": the state's own
        if self._continuation is not None and entry.kind in _CONTINUED_KINDS and not possessive:
            after = self._continuation.match(text, match.end())
            if after is not None:
                name = text[match.start() : after.end()]
                return Found(match.start(), after.end(), Entry(" ".join(name.split()), None, "ignore"))
        return Found(match.start(), match.end(), entry)

    def _phrases(self, first_word: str) -> list[tuple[re.Pattern[str], Entry]]:
        """The phrases starting with ``first_word``, longest first, each with its regex."""
        compiled = self._compiled.get(first_word)
        if compiled is None:
            entries = self.by_first_word.get(first_word)
            if entries is None:
                return []
            possessive = r"(?:['’]s(?!\w)|['’](?=\s))?"
            compiled = self._compiled[first_word] = [
                (regex_store.compiled(phrase_pattern(entry.phrase) + possessive), entry) for entry in entries
            ]
        return compiled

    def canonical(self, name: str) -> str | None:
        """The subject a name, code or alias stands for, if the lexicons know it."""
        return self.subjects.get(" ".join(name.split()).lower())


_FIRST_WORD = regex_store.compiled(r"[A-Za-z0-9]+")
# A two-letter code counts as a state only in an address: after a comma, before a ZIP code.
_POSTAL_IN_ADDRESS = regex_store.compiled(r"(?<=,\s)([A-Z]{2})(?=\s+\d{5}(?:-\d{4})?\b)")


def _split(item: str) -> tuple[str, str]:
    phrase, _, subject = item.partition(" = ")
    phrase = " ".join(phrase.split())
    return phrase, " ".join(subject.split()) or phrase


def _key(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


@lru_cache(maxsize=8)
def _cached(frozen: tuple[tuple[str, tuple[str, ...]], ...]) -> Gazetteer:
    return Gazetteer(dict(frozen))


def gazetteer_for(lexicons: Mapping[str, tuple[str, ...]]) -> Gazetteer:
    """The gazetteer for a configuration's lexicons (built once per process)."""
    names = (*ENTITY_LEXICONS, POSTAL_LEXICON, COMPARISON_LEXICON, CONTINUATION_LEXICON)
    return _cached(tuple((name, tuple(lexicons.get(name, ()))) for name in names))
