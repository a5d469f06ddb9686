"""Sentences: legal citations and this domain's abbreviations never split a sentence."""

from __future__ import annotations

import pytest
from helpers import builtin_config

from linter.segment import split_sentences

ABBREVIATIONS = builtin_config().parse_options.abbreviations


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, ABBREVIATIONS)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Under Ark. Code Ann. § 20-76-201, the department may share records with federal agencies.",
        "The 1996 welfare law, Pub. L. 104-193, restricts benefits for many immigrants.",
        "Federal law at 8 U.S.C. § 1373 bars restrictions on sharing immigration status.",
        "The U.S. Department of Homeland Security oversees ICE.",
        "Some programs, e.g. SNAP and TANF, verify status through SAVE.",
        "The court decided Case No. 12 in favour of the applicants.",
        "See Tex. Hum. Res. Code § 12.003 for the confidentiality rule.",
        "Under Haw. Rev. Stat. § 346-10, welfare records are confidential.",
        "Dr. Smith testified before the committee in Sept. 2021 on the matter.",
    ],
)
def test_citation_or_abbreviation_stays_in_one_sentence(sentence: str) -> None:
    text = f"This opens the paragraph. {sentence} This closes it."
    assert sentences(text) == ["This opens the paragraph.", sentence, "This closes it."]


def test_ordinary_boundaries_still_split() -> None:
    text = "Yes, there are safeguards in place. However, they vary! Do they apply? “Yes.” Then more."
    assert sentences(text) == [
        "Yes, there are safeguards in place.",
        "However, they vary!",
        "Do they apply?",
        "“Yes.”",
        "Then more.",
    ]


def test_offsets_trim_whitespace_and_point_into_the_text() -> None:
    text = "  First sentence here.   Second one.  "
    ranges = split_sentences(text, ABBREVIATIONS)
    assert ranges == [(2, 22), (25, 36)]


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert split_sentences("", ABBREVIATIONS) == []
    assert split_sentences("   \n ", ABBREVIATIONS) == []
