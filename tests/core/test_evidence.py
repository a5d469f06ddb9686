"""linter/evidence.py: what counts as a source, where it sits, and how far it reaches."""

from __future__ import annotations

import pytest
from helpers import builtin_config

from linter.config import Config
from linter.document import Document
from linter.evidence import EvidenceLexicons, SourceEvidence
from linter.parse import parse_document

_CONFIG: list[Config] = []


def _config() -> Config:
    """The built-in configuration, read once (reading rules.yaml is the slow part)."""
    if not _CONFIG:
        _CONFIG.append(builtin_config())
    return _CONFIG[0]


def _document(text: str, path: str = "page.md") -> Document:
    return parse_document(path, text, _config().parse_options)


def _evidence(text: str, path: str = "page.md") -> tuple[Document, SourceEvidence]:
    document = _document(text, path)
    return document, SourceEvidence(document, EvidenceLexicons.from_lexicons(_config().lexicons))


def _found(text: str, path: str = "page.md") -> list[tuple[str, str, int, int, str]]:
    """(kind, strength, line, column, text) of every evidence item, in source order."""
    document, evidence = _evidence(text, path)
    items = sorted((e for found in evidence.by_block.values() for e in found), key=lambda e: e.source_start)
    result = []
    for item in items:
        position = document.position(item.source_start)
        result.append((item.kind, item.strength, position.line, position.column, item.text))
    return result


@pytest.mark.parametrize(
    ("citation", "expected"),
    [
        ("Ark. Code Ann. § 20-76-201", "§ 20-76-201"),
        ("RCW 74.04.005", "RCW 74.04.005"),
        ("8 U.S.C. § 1373", "§ 1373"),
        ("Pub. L. 104-193", "Pub. L. 104-193"),
        ("Tex. Hum. Res. Code § 12.003", "§ 12.003"),
        ("Executive Order 15-01", "Executive Order 15-01"),
        ("42 U.S.C. 1396a", "42 U.S.C. 1396a"),
        ("Act 1018 of 2017", "Act 1018 of 2017"),
    ],
)
def test_legal_citations_are_strong_evidence(citation: str, expected: str) -> None:
    text = f"The program is run under {citation}, which the agency applies to every case.\n"
    found = [item for item in _found(text, "page.txt") if item[0] == "legal"]
    assert found == [("legal", "strong", 1, 26 + citation.index(expected), expected)]


def test_links_bare_urls_and_footnotes_are_evidence_with_their_positions() -> None:
    text = (
        "See [the agency page](https://dss.example.gov/privacy) and https://example.org/report.\n"
        "\n"
        "Caseworkers log every request.[^1]\n"
        "\n"
        "[^1]: DSS, Annual Report 2024.\n"
    )
    assert _found(text) == [
        ("link", "strong", 1, 5, "https://dss.example.gov/privacy"),
        ("link", "strong", 1, 60, "https://example.org/report"),
        ("footnote", "strong", 3, 31, "1"),
    ]


def test_inline_html_anchor_in_markdown_is_a_link() -> None:
    text = 'The rules are on <a href="https://dss.example.gov/rules">the agency site</a>.\n'
    assert _found(text) == [("link", "strong", 1, 18, "https://dss.example.gov/rules")]


def test_in_page_anchors_and_mail_links_are_not_sources() -> None:
    text = "See [below](#safeguards) or [write to us](mailto:help@example.gov).\n"
    assert _found(text) == []


def test_author_year_and_narrative_citations() -> None:
    text = "Enrollment fell after the announcement (Bernstein et al., 2020). Perreira (2018) found the same.\n"
    kinds = [(kind, line, column, found) for kind, _, line, column, found in _found(text)]
    assert ("author-year", 1, 40, "(Bernstein et al., 2020)") in kinds
    assert ("author-year", 1, 66, "Perreira (2018)") in kinds


def test_numeric_citation_is_strong_only_with_a_reference_section() -> None:
    body = "The agency denied most requests [2].\n"
    assert _found(body) == [("numeric-citation", "weak", 1, 33, "[2]")]
    with_references = body + "\n## References\n\n1. DSHS, Federal Requests Report 2023.\n"
    assert ("numeric-citation", "strong", 1, 33, "[2]") in _found(with_references)


@pytest.mark.parametrize(
    "sentence",
    [
        "According to the Ohio Department of Medicaid, enrollment rose in 2024.",
        "The agency said in its 2025 report that enrollment rose.",
        "Enrollment rose, according to a 2023 audit by the Legislative Audit Division.",
        "The Arkansas Department of Human Services reported that enrollment rose.",
        "Enrollment rose, said Governor Mike DeWine.",
        "Enrollment rose, per the Ohio Department of Job and Family Services.",
        "The Legislative Audit Division's 2023 audit found that enrollment rose.",
    ],
)
def test_named_attribution_is_a_source(sentence: str) -> None:
    assert [kind for kind, *_ in _found(sentence + "\n", "page.txt")] == ["attribution"]


@pytest.mark.parametrize(
    "sentence",
    [
        "According to experts, enrollment rose in 2024.",
        "According to some observers, enrollment rose.",
        "Advocates said enrollment rose.",
        "Studies show that enrollment rose.",
        "The agency said enrollment rose.",
        "In Arkansas, the state follows federal guidelines outlined in the Privacy Act of 1974.",
        "Data by ICE in Mississippi is shared daily, and the rule of law in Arkansas applies.",
    ],
)
def test_vague_or_unnamed_attribution_is_no_source(sentence: str) -> None:
    assert _found(sentence + "\n", "page.txt") == []


def test_ai_citation_artefacts_are_never_evidence() -> None:
    text = (
        "The agency guarantees deletion. :contentReference[oaicite:3]{index=3}\n"
        "Records are always encrypted. citeturn0search1\n"
        "Requests are logged 【3†source】.\n"
        "See [oai_citation:2‡DSS](https://dss.example.gov/a).\n"
    )
    assert _found(text) == []


def _levels(document: Document, evidence: SourceEvidence, scope: str) -> dict[str, str]:
    return {s.text[:24]: evidence.level(s, scope) for s in document.sentences if not s.block.is_heading}


def test_block_scope_covers_the_whole_answer_to_a_question() -> None:
    text = (
        "1. Are there safeguards in place?\n"
        "Yes, there are safeguards in place.\n"
        "Disclosure is limited by Ark. Code Ann. § 20-76-201.\n"
        "2. Is the data shared daily?\n"
        "Yes, data is shared every day.\n"
    )
    document, evidence = _evidence(text, "page.txt")
    assert _levels(document, evidence, "block") == {
        "Yes, there are safeguard": "strong",
        "Disclosure is limited by": "strong",
        "Yes, data is shared ever": "none",
    }
    assert _levels(document, evidence, "sentence")["Yes, there are safeguard"] == "none"


def test_block_scope_is_one_paragraph_outside_answers_and_section_scope_is_the_heading() -> None:
    text = (
        "## Safeguards\n"
        "\n"
        "Records are always encrypted.\n"
        "\n"
        "The rules are on [the agency page](https://dss.example.gov/rules).\n"
    )
    document, evidence = _evidence(text)
    assert _levels(document, evidence, "block")["Records are always encry"] == "none"
    assert _levels(document, evidence, "section")["Records are always encry"] == "strong"


def test_a_list_shares_evidence_with_its_lead_in_paragraph() -> None:
    text = (
        "The agency publishes its rules at https://dss.example.gov/rules:\n"
        "\n"
        "- Records are always encrypted.\n"
        "- Requests are never processed without review.\n"
        "\n"
        "Staff are clearly trained.\n"
    )
    document, evidence = _evidence(text)
    assert _levels(document, evidence, "block") == {
        "The agency publishes its": "strong",
        "Records are always encry": "strong",
        "Requests are never proce": "strong",
        "Staff are clearly traine": "none",
    }


def test_sentence_scope_gives_a_trailing_url_to_the_sentence_before_it() -> None:
    text = "Records are always encrypted. https://dss.example.gov/security Staff are clearly trained.\n"
    document, evidence = _evidence(text, "page.txt")
    assert _levels(document, evidence, "sentence") == {
        "Records are always encry": "strong",
        "Staff are clearly traine": "none",
    }


def test_a_reference_list_alone_is_weak_evidence() -> None:
    text = "Records are always encrypted.\n\n## Sources\n\n1. DSHS Administrative Policy 5.01.\n"
    document, evidence = _evidence(text)
    assert evidence.has_reference_list
    assert _levels(document, evidence, "block")["Records are always encry"] == "weak"


def test_page_prescans_only_skip_attribution_shapes_that_cannot_match() -> None:
    from helpers import FIXTURES

    from linter import evidence as module

    extra = (
        "According to the Department of Human Services, 40 percent qualified. Data from the Census Bureau "
        "shows growth. The agency’s 2023 annual report says so. In its 2022 audit, the office found gaps. "
        "Smith (2020) reported gains. ACCORDING TO THE STATE PLAN, it applies. The report by the Board "
        "of Health agrees. Officials said【3†source】it holds. Per the Office of the Governor, fees rose."
    )
    pages = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "certainty").iterdir()) if p.suffix != ".tsv"]
    pages += [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "seeds").glob("*.txt"))]
    checked = found = 0
    for text in [*pages, extra]:
        document, evidence = _evidence(text, "page.txt")
        for position, sentence in enumerate(document.sentences):
            everything = evidence._attributions(sentence.text, module._ALL_ATTRIBUTION_CUES)
            cues = evidence._cues_of(position)
            assert (evidence._attributions(sentence.text, cues) if cues.any else []) == everything
            checked += 1
            found += bool(everything)
    assert checked > 300 and found > 10
