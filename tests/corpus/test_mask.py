"""Masking: what a template swaps becomes a slot; what it does not, stays."""

from __future__ import annotations

import pytest
from helpers import builtin_config

from linter.corpus.entities import Gazetteer, gazetteer_for
from linter.corpus.fingerprint import hash_tokens, winnow
from linter.corpus.mask import mask_sentence


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return gazetteer_for(builtin_config().lexicons)


def test_agency_names_built_on_a_state_name_are_one_slot(gazetteer: Gazetteer) -> None:
    arkansas = mask_sentence("The Arkansas Department of Human Services may share data with ICE.", gazetteer)
    washington = mask_sentence(
        "The Washington State Department of Social and Health Services may share data with ICE.", gazetteer
    )
    assert arkansas.tokens == ["the", "<org>", "may", "share", "data", "with", "ice"]
    assert washington.tokens == arkansas.tokens


def test_state_of_x_possessives_capitals_demonyms_and_programs(gazetteer: Gazetteer) -> None:
    masked = mask_sentence(
        "In the state of Texas, Texas's agencies help Texans in Austin apply for Medi-Cal.", gazetteer
    )
    assert masked.tokens == [
        "in",
        "the",
        "<state>",
        "<state>",
        "agencies",
        "help",
        "<demonym>",
        "in",
        "<capital>",
        "apply",
        "for",
        "<program>",
    ]
    assert [(m.entry.subject, m.entry.kind) for m in masked.mentions] == [
        ("Texas", "state"),
        ("Texas", "state"),
        ("Texas", "demonym"),
        ("Texas", "capital"),
        ("California", "program"),
    ]


def test_postal_codes_only_in_an_address(gazetteer: Gazetteer) -> None:
    address = mask_sentence("Write to 700 Main Street, Little Rock, AR 72201 for a copy.", gazetteer)
    assert "<state>" in address.tokens and "ar" not in address.tokens
    words = mask_sentence("Call the office OR write to the agency in writing.", gazetteer)
    assert "or" in words.tokens and "<state>" not in words.tokens


def test_citations_numbers_and_dates(gazetteer: Gazetteer) -> None:
    masked = mask_sentence(
        "Under Ark. Code Ann. § 20-76-103 and RCW 74.04.005, since January 5, 2021, 45 days apply to 8 U.S.C. § 1373.",
        gazetteer,
    )
    assert masked.tokens == [
        "under",
        "<cite>",
        "and",
        "<cite>",
        "since",
        "<date>",
        "<num>",
        "days",
        "apply",
        "to",
        "<cite>",
    ]


def test_lookalikes_are_not_subjects(gazetteer: Gazetteer) -> None:
    masked = mask_sentence("The Kansas City office and the Washington Post covered providence and concord.", gazetteer)
    assert masked.mentions == []
    assert "kansas" in masked.tokens and "providence" in masked.tokens


def test_proper_noun_skeleton_equates_program_names(gazetteer: Gazetteer) -> None:
    calfresh = mask_sentence("The agency administers CalFresh for eligible families in every county.", gazetteer)
    snap = mask_sentence("The agency administers SNAP for eligible families in every county.", gazetteer)
    assert calfresh.tokens != snap.tokens
    assert calfresh.skeleton == snap.skeleton


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Questions about the Texas government in Texas go to the county.", "Texas government in Texas"),
        ("Forms are processed in Ohio, Ohio agencies then report the outcome.", "Ohio, Ohio"),
    ],
)
def test_doubled_slots(gazetteer: Gazetteer, text: str, phrase: str) -> None:
    masked = mask_sentence(text, gazetteer)
    assert [text[a.start : b.end] for a, b in masked.doubled] == [phrase]


@pytest.mark.parametrize(
    "text",
    [
        "Arkansans in Little Rock can apply online.",
        "Kansas City, Kansas has its own office.",
        "Unlike Texas, Oklahoma publishes its results by county.",
        "New York, New York is the address on the form.",
    ],
)
def test_not_doubled(gazetteer: Gazetteer, text: str) -> None:
    assert mask_sentence(text, gazetteer).doubled == []


def test_winnowing_finds_every_shared_run_of_shingle_plus_window_minus_one() -> None:
    shared = ["the", "agency", "mails", "a", "renewal", "packet", "to", "the", "address"]
    left = ["alpha", "beta", *shared, "gamma"]
    right = ["delta", *shared, "epsilon", "zeta"]
    k, window = 4, 2
    assert len(shared) >= k + window - 1
    common = {h for h, _ in winnow(left, k, window)} & {h for h, _ in winnow(right, k, window)}
    assert common
    assert hash_tokens(["a", "b"]) == hash_tokens(["a", "b"]) != hash_tokens(["a b"])


def test_gazetteer_compiles_only_the_phrases_of_the_words_it_meets() -> None:
    # About 300 phrases by default; a one-file pre-commit run should compile the few its page names.
    gazetteer = Gazetteer(builtin_config().lexicons)  # a fresh one: gazetteer_for's is shared
    found = gazetteer.find("Residents of Little Rock, Arkansas, and of New Mexico can apply.")
    assert [(f.entry.phrase, f.entry.subject) for f in found] == [
        ("Little Rock", "Arkansas"),
        ("Arkansas", "Arkansas"),
        ("New Mexico", "New Mexico"),
    ]
    assert set(gazetteer._compiled) == {"Little", "Arkansas", "New"}
    assert len(gazetteer.by_first_word) > 100
