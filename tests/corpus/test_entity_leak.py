# ruff: noqa: E501  (the page template keeps one paragraph per line, as the pages have it)
"""entity-leak: evidence on the named subject's own page, comparison cues near the name, names
that only look like a state ("Washington County"), and the leaks bench/make_corpus.py plants."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from generated_corpus import generate
from helpers import REFERENCE_DATE, builtin_config, config_from_yaml, everything, spans

from linter.corpus.entities import Gazetteer, gazetteer_for
from linter.corpus.mask import mask_sentence
from linter.diagnostic import Diagnostic
from linter.engine import RunOptions, RunResult, run

CORPUS_RULES = frozenset({"template-reuse", "entity-leak"})
# max_related 2: a shared sentence lists only two other pages (alabama.md, alaska.md here), so
# the Texas page is found only by asking for it.
FEW_RELATED = "extends: default\nrules:\n  template-reuse:\n    index: ':memory:'\n    max_related: 2\n"

# One renewal-notice page per state: the same template, names swapped.
TEMPLATE = """\
---
state: {state}
---
# Medicaid renewals in {state}

The {state} Department of Human Services, which administers programs such as SNAP and Medicaid, mails a renewal packet about 45 days before the deadline.

Households in {state} that miss the deadline lose coverage on the last day of the following month and must reapply.

Unlike {neighbor}, the state publishes its monthly renewal results by county on the agency website.

In Washington County, the average wait for an eligibility decision was 30 days in the spring of 2024.

{own}
"""
OWN = {
    "Alabama": "Alabama mailed most of its packets from the Montgomery office during the unwinding year.",
    "Alaska": "Alaska relies on regional offices in Anchorage and Fairbanks for in-person renewals.",
    "Arizona": "Arizona sends a text reminder ten days before the packet is due.",
    "Arkansas": "Arkansas finished its unwinding reviews in six months, faster than federal guidance suggested.",
    "Texas": "Texas processes renewals through its Health and Human Services Commission offices.",
}
NEIGHBOR = {"Alabama": "Georgia", "Alaska": "Hawaii", "Arizona": "Nevada", "Arkansas": "Missouri", "Texas": "Oklahoma"}


def page(state: str) -> str:
    return TEMPLATE.format(state=state, neighbor=NEIGHBOR[state], own=OWN[state])


def lint_states(tmp_path: Path, pages: dict[str, str], yaml: str = FEW_RELATED) -> RunResult:
    for name, text in pages.items():
        (tmp_path / f"{name.lower()}.md").write_text(text, encoding="utf-8")
    config = config_from_yaml(tmp_path, yaml)
    paths = [str(tmp_path / f"{name.lower()}.md") for name in pages]
    return run(paths, config, RunOptions(as_of=REFERENCE_DATE, select=CORPUS_RULES))


def leaks(result: RunResult, name: str) -> list[Diagnostic]:
    return [d for d in everything(result) if d.rule == "entity-leak" and d.path.endswith(name)]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return gazetteer_for(builtin_config().lexicons)


def test_leak_is_found_when_the_named_page_is_not_among_the_listed_matches(tmp_path: Path) -> None:
    pages = {state: page(state) for state in OWN}
    # Arkansas kept the Texas page's second sentence: the page about Texas is 5th of 5 by name.
    pages["Arkansas"] = pages["Arkansas"].replace("Households in Arkansas that miss", "Households in Texas that miss")
    result = lint_states(tmp_path, pages)
    found = leaks(result, "arkansas.md")
    assert spans(found) == [("entity-leak", 8, 15, 8, 20)]
    assert found[0].suggestion == "Arkansas"
    assert [(Path(r.path).name, r.line) for r in found[0].related] == [("texas.md", 8)]
    assert "the page about Texas has the same sentence" in found[0].message


def test_no_leak_when_the_named_page_does_not_hold_the_sentence(tmp_path: Path) -> None:
    pages = {state: page(state) for state in OWN}
    pages["Arkansas"] = pages["Arkansas"].replace("Households in Arkansas that miss", "Households in Texas that miss")
    # The Texas page words it differently: nothing shows the sentence was copied from it.
    pages["Texas"] = pages["Texas"].replace(
        "Households in Texas that miss the deadline lose coverage on the last day of the following month and must "
        "reapply.",
        "A Texas household that misses the deadline has to start a new application.",
    )
    result = lint_states(tmp_path, pages)
    assert leaks(result, "arkansas.md") == []


def test_a_cue_far_from_the_name_does_not_make_it_a_comparison(tmp_path: Path) -> None:
    # "such as" governs the program names, not "Texas" eight words before it.
    pages = {state: page(state) for state in OWN}
    pages["Arkansas"] = pages["Arkansas"].replace(
        "The Arkansas Department of Human Services, which", "The Texas Department of Human Services, which"
    )
    result = lint_states(tmp_path, pages)
    assert spans(leaks(result, "arkansas.md")) == [("entity-leak", 6, 5, 6, 10)]


def test_a_cue_next_to_the_name_is_a_comparison(tmp_path: Path) -> None:
    pages = {state: page(state) for state in OWN}
    # "Unlike Texas, the state publishes …": on the Texas page the same sentence says "Unlike Oklahoma".
    pages["Arkansas"] = pages["Arkansas"].replace("Unlike Missouri,", "Unlike Texas,")
    result = lint_states(tmp_path, pages)
    assert leaks(result, "arkansas.md") == []


def test_county_named_like_a_state_is_not_a_leak_but_the_state_is(tmp_path: Path) -> None:
    pages = {state: page(state) for state in OWN}
    pages["Washington"] = TEMPLATE.format(
        state="Washington", neighbor="Oregon", own="Washington renews Apple Health coverage every twelve months."
    )
    # Every page says "In Washington County, …" (line 12): the Washington page too.
    pages["Arkansas"] = pages["Arkansas"].replace("Households in Arkansas", "Households in Washington")
    result = lint_states(tmp_path, pages)
    assert spans(leaks(result, "arkansas.md")) == [("entity-leak", 8, 15, 8, 25)]
    for state in OWN:
        assert not [d for d in leaks(result, f"{state.lower()}.md") if d.line == 12]


@pytest.mark.parametrize(
    "text",
    [
        "In Washington County, the average wait was 30 days.",
        "Jackson County and Lincoln County opened new offices.",
        "Applicants in Kansas City and Virginia Beach waited longest.",
        "A study by Georgia Tech was covered by the New York Times.",
        "Staff at the Madison County office watched Indiana Jones.",
    ],
)
def test_names_continued_by_county_city_or_institution_are_not_states(gazetteer: Gazetteer, text: str) -> None:
    masked = mask_sentence(text, gazetteer)
    assert masked.mentions == []
    assert not [t for t in masked.tokens if t.startswith("<") and t not in ("<num>",)]


def test_the_state_itself_is_still_a_mention(gazetteer: Gazetteer) -> None:
    text = "Washington's Department of Social and Health Services serves Washington and Jackson residents."
    found = [(text[m.start : m.end], m.entry.subject, m.entry.kind) for m in gazetteer.find(text)]
    assert found == [
        ("Washington's", "Washington", "state"),
        ("Washington", "Washington", "state"),
        ("Jackson", "Mississippi", "capital"),
    ]


def test_oregon_citation_masks_like_every_other_states(gazetteer: Gazetteer) -> None:
    sentence = "State law, including {} Code Ann. § 12-34-567, sets out when information may be disclosed."
    oregon = mask_sentence(sentence.format("Or."), gazetteer)
    arkansas = mask_sentence(sentence.format("Ark."), gazetteer)
    west_virginia = mask_sentence(sentence.format("W. Va."), gazetteer)
    assert oregon.tokens == arkansas.tokens == west_virginia.tokens
    assert oregon.tokens[:4] == ["state", "law", "including", "<cite>"]


def test_or_as_a_clause_word_stays_out_of_the_citation(gazetteer: Gazetteer) -> None:
    masked = mask_sentence("Or under § 5-1-101, the agency may deny the request.", gazetteer)
    assert masked.tokens[:3] == ["or", "under", "<cite>"]


def test_generated_leaks_are_copied_from_the_named_states_page_and_all_found(tmp_path: Path) -> None:
    """The first topic of bench/make_corpus.py: every planted leak is a sentence of the page about the
    state it names, and entity-leak reports exactly the planted leaks."""
    corpus = tmp_path / "corpus"
    files = generate(corpus, 50)
    again = tmp_path / "again"
    generate(again, 50)
    assert all(f.read_bytes() == (again / f.relative_to(corpus)).read_bytes() for f in files)  # same seed, same bytes

    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    states = {entry["path"]: entry["state"] for entry in manifest["files"]}
    with gzip.open(corpus / manifest["provenance"], "rt", encoding="utf-8") as handle:
        recorded = {entry["path"]: entry["sentences"] for entry in map(json.loads, handle)}
    planted: list[tuple[str, str]] = []
    for path, sentences in recorded.items():
        for kind, text in sentences:
            if kind != "leak":
                continue
            matched = [s for s in set(states.values()) if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]
            named = [s for s in matched if not any(s != longer and s in longer for longer in matched)]  # West Virginia
            assert len(named) == 1 and named[0] != states[path], text
            source = next(p for p, s in states.items() if s == named[0])
            assert ["template", text] in recorded[source], (path, text)
            planted.append((path, text))
    assert len(planted) == manifest["defect_totals"]["leak"] >= 3

    config = config_from_yaml(tmp_path, "extends: default\nrules:\n  template-reuse:\n    index: ':memory:'\n")
    result = run([str(corpus)], config, RunOptions(as_of=REFERENCE_DATE, select=frozenset({"entity-leak"})))
    found = [d for d in everything(result) if d.rule == "entity-leak"]
    assert sorted({(Path(d.path).relative_to(corpus).as_posix(), d.matched_text) for d in found}) == sorted(planted)
    for diagnostic in found:  # at the other state's name, on the line that holds it
        line = Path(diagnostic.path).read_text(encoding="utf-8").splitlines()[diagnostic.line - 1]
        name = line[diagnostic.column - 1 : diagnostic.end_column - 1]
        assert name in diagnostic.matched_text and name != states[Path(diagnostic.path).relative_to(corpus).as_posix()]
