"""compile_phrases: the factored pattern finds exactly what one plain alternation finds."""

from __future__ import annotations

import re

from helpers import ARKANSAS, MISSISSIPPI

from linter.rules.textmatch import compile_phrases, find_phrases, phrase_pattern

PHRASES = (
    "it is important to note",
    "it's important to note",
    "it is worth noting",
    "currently",
    "as of now",
    "Overall,",
    "In conclusion,",
    "(see below)",
    "’til now",
    "I hope this helps",
    "of course",
    "course",
)


def plain_alternation(phrases: tuple[str, ...], anchored_start: bool = False) -> re.Pattern[str]:
    cleaned = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    prefix = r"^[\s\"'“‘(]*" if anchored_start else ""
    return re.compile(f"{prefix}(?P<match>{'|'.join(phrase_pattern(p) for p in cleaned)})", re.IGNORECASE)


def test_matches_are_those_of_a_plain_alternation_on_real_pages() -> None:
    extra = (
        "Overall, it's  important to note (see below) that,\nof course, recourse is rare. ’til now CURRENTLY "
        "xcurrently currentlyx of course."
    )
    text = ARKANSAS.read_text(encoding="utf-8") + MISSISSIPPI.read_text(encoding="utf-8") + extra
    for anchored in (False, True):
        expected = [(m.start("match"), m.end("match")) for m in plain_alternation(PHRASES, anchored).finditer(text)]
        assert list(find_phrases(compile_phrases(PHRASES, anchored), text)) == expected
    found = [extra[s:e] for s, e in find_phrases(compile_phrases(PHRASES), extra)]
    assert found == [
        "Overall,",
        "it's  important to note",
        "(see below)",
        "of course",
        "’til now",
        "CURRENTLY",
        "of course",
    ]


def test_sentence_start_phrases_only_match_at_the_start() -> None:
    pattern = compile_phrases(("Overall,",), anchored_start=True)
    assert list(find_phrases(pattern, "“Overall, the rule holds.")) == [(1, 9)]
    assert list(find_phrases(pattern, "The rule, overall, holds.")) == []
