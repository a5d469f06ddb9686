"""linter/prescan.py: a prescan's candidates always include every text the exact pattern matches."""

from __future__ import annotations

import re

from helpers import ARKANSAS, MISSISSIPPI
from test_textmatch import PHRASES  # the same awkward phrases: prescans must keep every exact match

from linter.prescan import SPACE_CHARACTERS, PrescanTexts, compile_prescan, loose_phrase_pattern
from linter.rules.textmatch import compile_phrases


def test_space_characters_are_exactly_what_python_counts_as_whitespace() -> None:
    every_space = {chr(code) for code in range(0x110000) if chr(code).isspace()}
    assert set(SPACE_CHARACTERS) == every_space
    assert all(re.fullmatch(r"\s", char) for char in SPACE_CHARACTERS)


PRESCAN_TEXTS = (
    "It is important to note that the rule holds.",
    "It’s  important\u00a0to note this.",
    "Unimportant to note.",
    "IT IS WORTH NOTING.",
    "We have no course (see below) to follow.",
    "recourse only",
    "‘til now, nothing; ’til now something.",
    "Currently,\nthe café is open.",
    "xcurrently and currentlyx are not words.",
    "Overall, fine.",
    "Overallx, fine.",
    "Nothing here at all.",
    "in conclusion, done",
    "a\x00currently hidden behind a NUL",
)


def test_prescan_candidates_include_every_text_the_exact_pattern_matches() -> None:
    phrases = (*PHRASES, "café", "naïve approach", "no-fault", "U.S. law")
    texts = [*PRESCAN_TEXTS, "a naïve approach", "NAÏVE  APPROACH", "no-fault rules", "under U.S.  law", "the us law"]
    pattern = compile_phrases(phrases)
    prescan = compile_prescan(phrases)
    assert pattern is not None and prescan is not None
    candidates = prescan.candidates(PrescanTexts(texts))
    matched = {index for index, text in enumerate(texts) if pattern.search(text)}
    assert matched <= candidates
    # and the prescan rules texts out: the ones without any phrase
    assert {texts.index("Nothing here at all."), texts.index("recourse only"), texts.index("the us law")}.isdisjoint(
        candidates
    )
    assert texts.index("Unimportant to note.") not in candidates  # a word boundary before "important"?
    assert texts.index("xcurrently and currentlyx are not words.") not in candidates


def test_prescan_on_real_pages_finds_every_sentence_with_a_phrase() -> None:
    text = ARKANSAS.read_text(encoding="utf-8") + MISSISSIPPI.read_text(encoding="utf-8")
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", text) if s]
    pattern = compile_phrases(PHRASES)
    prescan = compile_prescan(PHRASES)
    assert pattern is not None and prescan is not None
    matched = {index for index, sentence in enumerate(sentences) if pattern.search(sentence)}
    candidates = prescan.candidates(PrescanTexts(sentences))
    assert matched and matched <= candidates
    assert len(candidates) < len(sentences) / 2


def test_a_text_with_a_letter_re2_folds_differently_makes_every_text_a_candidate() -> None:
    # Python's re matches "ſ" (long s) to "s" and "K" (Kelvin) to "k" under IGNORECASE.
    pattern = compile_phrases(("course",))
    prescan = compile_prescan(("course",))
    assert pattern is not None and prescan is not None
    texts = ["of courſe", "nothing"]
    assert pattern.search(texts[0]) is not None
    assert prescan.candidates(PrescanTexts(texts)) == {0, 1}


def test_loose_phrase_pattern_shapes() -> None:
    assert compile_prescan(()) is None
    assert loose_phrase_pattern("   ") is None
    loose = loose_phrase_pattern("it's (see")
    assert loose is not None and loose.startswith(r"\bit['") and loose.endswith(r"\x28see\b")


def test_a_prescan_re2_cannot_compile_keeps_every_text() -> None:
    from linter.prescan import Prescan

    broken = Prescan(["(unbalanced"])  # what a lexicon past RE2's memory budget also gives
    assert broken.candidates(PrescanTexts(["a", "b"])) == {0, 1}
