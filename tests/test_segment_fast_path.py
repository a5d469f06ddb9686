"""Sentence splitting: domain guarantees, and the fast path agrees with syntok everywhere."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from generated_corpus import generate
from helpers import ARKANSAS, MISSISSIPPI, builtin_config

from linter import segment
from linter.parse import parse_document
from linter.segment import split_sentences

ABBREVIATIONS = builtin_config().parse_options.abbreviations


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, ABBREVIATIONS)]


def reference_split(text: str, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    """The splitter before the fast path: syntok over the whole text, then the domain merges."""
    stripped = text.strip()
    if not stripped:
        return []
    if segment._BOUNDARY_CANDIDATE.search(text) is None:
        start = len(text) - len(text.lstrip())
        return [(start, start + len(stripped))]
    ranges: list[tuple[int, int]] = []
    for start, end in segment.syntok_sentences(text):
        if ranges and segment._continues(text, ranges[-1], start, abbreviations):
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def test_statute_citations_stay_inside_their_sentence() -> None:
    text = "State law, including Ark. Code Ann. § 20-76-201, sets out the conditions. The agency agrees."
    assert sentences(text) == [
        "State law, including Ark. Code Ann. § 20-76-201, sets out the conditions.",
        "The agency agrees.",
    ]


def test_federal_citations_and_public_law_numbers_stay_whole() -> None:
    text = "Federal law such as 8 U.S.C. § 1373 and the Act (Pub. L. 104-193) also plays a role. Courts agree."
    assert sentences(text) == [
        "Federal law such as 8 U.S.C. § 1373 and the Act (Pub. L. 104-193) also plays a role.",
        "Courts agree.",
    ]


def test_latin_abbreviations_and_numbered_references_do_not_end_a_sentence() -> None:
    text = "Programs, e.g. SNAP, are covered. See No. 12 for details, i.e. the appendix."
    assert sentences(text) == ["Programs, e.g. SNAP, are covered.", "See No. 12 for details, i.e. the appendix."]


def test_initials_do_not_end_a_sentence() -> None:
    text = "The report by J. Smith was filed in the U.S. District Court. It failed."
    assert sentences(text) == ["The report by J. Smith was filed in the U.S. District Court.", "It failed."]


def test_plain_prose_splits_at_every_terminal_with_exact_offsets() -> None:
    text = "  Yes, there are safeguards in place. Are they enough? Critics say no! Currently, audits are rare.\n"
    assert split_sentences(text, ABBREVIATIONS) == [(2, 37), (38, 54), (55, 70), (71, 98)]
    assert sentences(text)[-1] == "Currently, audits are rare."


def test_lowercase_after_a_terminal_continues_the_sentence() -> None:
    assert sentences("The fee is approx. five dollars. It is paid once.") == [
        "The fee is approx. five dollars.",
        "It is paid once.",
    ]


def test_plain_prose_never_reaches_syntok(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = segment.syntok_sentences

    def counting(text: str, offset: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        calls.append(text[offset:end])
        return original(text, offset, end)

    monkeypatch.setattr(segment, "syntok_sentences", counting)
    text = (
        "The agency shares data with ICE. Advocates object to it. The Legislature met in 2021. Nothing changed. "
        "Federal law such as 8 U.S.C. § 1373 applies, e.g. to SNAP. See Ark. Code Ann. § 20-76-201 too."
    )
    assert len(sentences(text)) == 6
    assert calls == []
    bracketed = "The Act (Pub. L. 104-193) applies."
    assert sentences(f"{bracketed} It is old.") == [bracketed, "It is old."]
    assert calls == ["The Act (Pub. L. 104-193) applies."]  # a terminal inside brackets: syntok decides


def _block_texts(paths: list[Path]) -> list[str]:
    options = builtin_config().parse_options
    texts = []
    for path in paths:
        document = parse_document(str(path), path.read_text(encoding="utf-8"), options)
        texts.extend(block.prose.text for block in document.blocks)
    return texts


def test_same_ranges_as_syntok_on_every_block_of_a_generated_corpus_and_the_seeds(tmp_path: Path) -> None:
    paths = [*generate(tmp_path, 150)[::3], ARKANSAS, MISSISSIPPI]  # Markdown, text and HTML pages
    texts = _block_texts(paths)
    assert len(texts) > 2000
    mismatches = [t for t in texts if split_sentences(t, ABBREVIATIONS) != reference_split(t, ABBREVIATIONS)]
    assert mismatches == []


FRAGMENTS = (
    "Ark. Code Ann. § 20-76-201",
    "Pub. L. 104-193",
    "8 U.S.C. § 1373",
    "e.g.",
    "No. 12",
    "etc.",
    "approx. 5",
    "the state.",
    "The state",
    "it works!",
    "Really?",
    'He said "stop."',
    "(see below.)",
    "(See it. It says so.)",
    "in the U.S.",
    "Mr. Smith",
    "J. R. Smith",
    "on Jan. 5",
    "version 3.5.",
    "done...",
    "wait…",
    "and; However",
    "A.",
    "Inc.",
    "“Quoted.”",
    "it's",
    "[note]",
    "word",
    "more words here",
    "1.",
    "a)",
    "II.",
    "Fig. 3",
    "vs.",
    "the end.\n\nNew para",
    "line\nbreak",
    "—",
    "In Texas",
    "(ICE)",
    "(Pub. L. 104-193).",
    "ICE.",
    "in 2021.",
    "Mar 5",
    "I think",
    "IV. The",
    "12. Are",
    "No. 5",
    "no. The",
    "“Yes.” He",
    "What? No.",
    "O'Neil.",
    "(a) first",
)


@pytest.mark.parametrize("seed", [1, 2])
def test_same_ranges_as_syntok_on_fuzzed_punctuation(seed: int) -> None:
    generator = random.Random(seed)
    texts = [" ".join(generator.choice(FRAGMENTS) for _ in range(generator.randint(1, 14))) for _ in range(1500)]
    mismatches = [t for t in texts if split_sentences(t, ABBREVIATIONS) != reference_split(t, ABBREVIATIONS)]
    assert mismatches == []
