"""unsourced-certainty: exact positions on realistic text, the traps it must not fall into,
its options, and the precision/recall bar on the hand-labelled sets."""

from __future__ import annotations

from pathlib import Path

import pytest
from eval_certainty import LABEL_SETS, evaluate
from helpers import ARKANSAS, MISSISSIPPI, builtin_config, config_from_yaml, lint, run_cli, spans

from linter.config import Config

RULE = "unsourced-certainty"
_CONFIG: list[Config] = []


def _builtin() -> Config:
    """The built-in configuration, read once (reading rules.yaml is the slow part)."""
    if not _CONFIG:
        _CONFIG.append(builtin_config())
    return _CONFIG[0]


def _spans(text: str, path: str = "page.txt", config: Config | None = None) -> list[tuple[str, int, int, int, int]]:
    return spans(lint(text, path=path, rules=[RULE], config=config or _builtin()))


# --------------------------------------------------------------------------- positives


def test_yes_opener_to_a_question_with_no_source_in_the_answer() -> None:
    text = (
        "7. Are there any safeguards in place to protect the personal information of applicants?\n"
        "Yes, there are safeguards in place to protect the personal information of applicants.\n"
        "Access is limited to trained staff.\n"
    )
    diagnostics = lint(text, path="page.txt", rules=[RULE], config=_builtin())
    assert spans(diagnostics) == [(RULE, 2, 1, 2, 5)]
    [diagnostic] = diagnostics
    assert diagnostic.severity == "warning"
    assert diagnostic.matched_text == "Yes,"
    assert diagnostic.message == (
        "'Yes,' answers with certainty, but nothing in this answer cites a source: "
        "cite a statute, agency page or report in this answer, or soften the claim"
    )


def test_markdown_question_heading_and_no_opener() -> None:
    text = "# Ohio\n\n## Can ICE read Medicaid files?\n\nNo, ICE cannot read Medicaid files directly.\n"
    assert _spans(text, "page.md") == [(RULE, 5, 1, 5, 4)]


def test_seed_pages_canonical_findings_exact_positions() -> None:
    mississippi = spans(
        lint(MISSISSIPPI.read_text(encoding="utf-8"), path="mississippi.txt", rules=[RULE], config=_builtin())
    )
    assert (RULE, 36, 1, 36, 5) in mississippi  # "Yes," (there are safeguards in place …)
    assert (RULE, 44, 18, 44, 41) in mississippi  # "work together to uphold"
    assert (RULE, 98, 13, 98, 33) in mississippi  # "has a reputation for"
    arkansas = spans(lint(ARKANSAS.read_text(encoding="utf-8"), path="arkansas.txt", rules=[RULE], config=_builtin()))
    assert (RULE, 142, 25, 142, 64) in arkansas  # "there are oversight mechanisms in place"
    assert (RULE, 150, 25, 150, 61) in arkansas  # "has established oversight mechanisms"
    assert (RULE, 36, 1, 36, 5) in arkansas  # "Yes," (there are privacy concerns …)


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("The state has strict safeguards in place for every request.", "has strict safeguards in place"),
        ("Strict protocols are in place to prevent misuse of the data.", "protocols are in place"),
        ("The department has established oversight mechanisms for sharing.", "has established oversight mechanisms"),
        ("These measures work together to uphold the privacy of applicants.", "work together to uphold"),
        ("Data sharing with ICE is governed by strict protocols in Ohio.", "is governed by strict protocols"),
        ("Requests are subject to stringent review procedures.", "are subject to stringent review procedures"),
        ("There are no safeguards in place for household members.", "there are no safeguards in place"),
        ("Ohio has a reputation for close cooperation with ICE.", "has a reputation for"),
        ("The agency is widely recognized as a national model.", "is widely recognized as"),
        ("Experts say the policy deters eligible families.", "Experts say"),
        (
            "Many advocacy groups and legal aid organizations believe the policy is harmful.",
            "Many advocacy groups and legal aid organizations believe",
        ),
        (
            "Proponents of the data-sharing agreement argue that it prevents fraud.",
            "Proponents of the data-sharing agreement argue",
        ),
        ("According to some observers, the state never shared data before 2017.", "According to some"),
        ("It is well established that enrollment falls after raids.", "It is well established that"),
        ("The office is believed to reject nearly all bulk requests.", "is believed to"),
    ],
)
def test_cue_span_is_the_first_cue(sentence: str, cue: str) -> None:
    start = sentence.lower().index(cue.lower())
    assert _spans(f"Intro line.\n\n{sentence}\n") == [(RULE, 3, start + 1, 3, start + len(cue) + 1)]


def test_lone_booster_is_info_and_mixed_cues_are_warnings() -> None:
    diagnostics = lint(
        "Records are always encrypted.\n\nData is clearly shared, and there are safeguards in place.\n",
        path="page.txt",
        rules=[RULE],
        config=_builtin(),
    )
    assert [(d.line, d.column, d.severity) for d in diagnostics] == [(1, 13, "info"), (3, 9, "warning")]
    assert "'always' states this as certain" in diagnostics[0].message
    assert "soften the claim" in diagnostics[0].message


def test_one_diagnostic_per_sentence_on_the_first_cue() -> None:
    text = "Yes, there are strict safeguards in place, and they always work.\n"
    assert _spans("1. Are there safeguards?\n" + text) == [(RULE, 2, 1, 2, 5)]


def test_hedges_are_clause_local() -> None:
    text = "Enforcement practices may vary by county, but there are strict safeguards in place statewide.\n"
    assert _spans(text) == [(RULE, 1, 47, 1, 83)]


def test_ai_citation_artefact_does_not_source_the_claim() -> None:
    text = "The agency guarantees that records are deleted after 30 days. citeturn0search1\n"
    assert _spans(text, "page.md") == [(RULE, 1, 12, 1, 22)]


def test_unattributed_block_quote_is_still_checked() -> None:
    assert _spans("> Note: records are always encrypted in transit.\n", "page.md") == [(RULE, 1, 21, 1, 27)]


def test_crlf_and_multibyte_text_keep_exact_columns() -> None:
    text = "Café staff note:\r\n\r\nMississippi’s practices are notably robust compared to other states.\r\n"
    assert _spans(text) == [(RULE, 3, 29, 3, 43)]


# --------------------------------------------------------------------------- negatives


@pytest.mark.parametrize(
    "sentence",
    [
        # hedged
        "State agencies may have policies in place to limit sharing.",
        "There is typically oversight and accountability mechanisms in place.",
        "Oversight mechanisms are often in place to monitor adherence.",
        "The new case system is likely fully operational by next year.",
        "The program appears to be fully funded this year.",
        "Counties might always report requests, but no one checks.",
        "The office generally responds within a week and is known for its backlog.",
        "Sharing is typically governed by strict protocols.",
        # conditional
        "If agencies always logged requests, auditors could trace every disclosure.",
        "There is a risk of misuse if proper safeguards are not in place.",
        "Sharing data could violate these laws unless there are specific exceptions in place.",
        # negated certainty
        "It is not clear that the policy has reduced arrests.",
        "The department does not always publish its request logs.",
        "The office is not known for publishing its logs.",
        "Not all experts agree that the policy deters applicants.",
        # deontic, purpose, imperative, infinitive
        "Caseworkers must always verify a requester's identity before releasing records.",
        "Officials must ensure that any data sharing complies with state law.",
        "The policy is meant to ensure that families are not deterred from applying.",
        "Always ask the caseworker which office will see your information.",
        "Never share your case number with anyone who calls you.",
        "Applicants may be unable to get the support they need to fully participate in work.",
        "As always, the office closes at noon on Fridays.",
        # questions
        "Are there any safeguards in place to protect applicants?",
        "Does the state always share addresses with ICE?",
        # named attribution and quotations with attribution
        "The Arkansas Department of Human Services said that strict safeguards are in place.",
        '"Our caseworkers never share immigration status," Secretary Meneses said.',
        '"We are always reviewing our procedures," a department spokesperson said.',
        "Arkansas Advocates for Children and Families say the policy deters applicants.",
        # plain claims with no cue
        "Only authorized personnel within ICE have access to the shared data.",
        "Regular audits and monitoring are conducted to track who accesses the data.",
        "Experts in data privacy were consulted.",
        "Every disclosure is reported to the legislature each quarter.",
        "The applicant's address is known to the county office.",
    ],
)
def test_must_not_fire(sentence: str) -> None:
    assert _spans(f"Intro line.\n\n{sentence}\n") == []


def test_yes_in_the_middle_of_an_answer_is_not_an_opener() -> None:
    text = "1. Does the state share data?\nThe state shares data on request. Yes, that includes SNAP records.\n"
    assert _spans(text) == []


def test_negative_answer_opener_includes_not() -> None:
    assert _spans("1. Is data shared with ICE?\nDefinitely not. The state keeps it.\n") == [(RULE, 2, 1, 2, 15)]


def test_hedged_answer_opener_does_not_fire() -> None:
    assert _spans("1. Can agencies share data?\nYes, agencies may share data in some cases.\n") == []


def test_headings_never_fire() -> None:
    assert _spans("# Safeguards are always in place\n\nThe page text has no cue.\n", "page.md") == []


def test_block_quote_with_attribution_does_not_fire() -> None:
    text = "> Our caseworkers never share immigration status with ICE.\n>\n> — Jilma Meneses, DSHS Secretary\n"
    assert _spans(text, "page.md") == []


@pytest.mark.parametrize(
    "source",
    [
        "Disclosure is limited by Ark. Code Ann. § 20-76-201.",
        "Disclosure is limited by RCW 74.04.005.",
        "Disclosure is limited by 8 U.S.C. § 1373 and Pub. L. 104-193.",
        "Disclosure is limited by Tex. Hum. Res. Code § 12.003.",
        "Executive Order 15-01 limits disclosure.",
        "The agency said in its 2025 report that disclosures are logged.",
        "According to the Ohio Department of Medicaid, disclosures are logged.",
        "Disclosures are logged (Smith, 2020).",
        "The rules are on the agency site: https://dss.example.gov/rules.",
    ],
)
def test_a_source_anywhere_in_the_answer_covers_it(source: str) -> None:
    text = (
        "1. Are there any safeguards in place?\n"
        "Yes, there are strict safeguards in place.\n"
        f"{source}\n"
        "2. Is data shared every day?\n"
        "Yes, data is shared with ICE on a daily basis.\n"
    )
    assert _spans(text) == [(RULE, 5, 1, 5, 5)]


def test_markdown_footnote_and_link_source_the_paragraph() -> None:
    text = (
        "Studies show that fear lowers enrollment.[^1] Records are always kept for six years.\n"
        "\n"
        "There is no doubt that the logs are complete; see [the log page](https://dss.example.gov/logs).\n"
        "\n"
        "[^1]: Bernstein, H., Urban Institute, 2020.\n"
    )
    assert _spans(text, "page.md") == []


# --------------------------------------------------------------------------- options and config


def test_source_scope_sentence_needs_the_source_in_the_sentence(tmp_path: Path) -> None:
    config = config_from_yaml(
        tmp_path, "extends: default\nrules:\n  unsourced-certainty:\n    source_scope: sentence\n"
    )
    text = "Records are always encrypted. The rules are at https://dss.example.gov/rules.\n"
    assert _spans(text, config=config) == [(RULE, 1, 13, 1, 19)]
    assert _spans(text) == []  # default block scope


def test_source_scope_section_reaches_other_paragraphs(tmp_path: Path) -> None:
    config = config_from_yaml(tmp_path, "extends: default\nrules:\n  unsourced-certainty:\n    source_scope: section\n")
    text = "## Records\n\nRecords are always encrypted.\n\nSee [the rules](https://dss.example.gov/rules).\n"
    assert _spans(text, "page.md") == [(RULE, 3, 13, 3, 19)]
    assert _spans(text, "page.md", config=config) == []


def test_booster_severity_and_cue_classes_are_configurable(tmp_path: Path) -> None:
    config = config_from_yaml(
        tmp_path,
        "extends: default\nrules:\n  unsourced-certainty:\n    booster_severity: warning\n    cues: [booster]\n",
    )
    text = "Records are always encrypted.\n\nOhio has a reputation for strict privacy.\n"
    diagnostics = lint(text, path="page.txt", rules=[RULE], config=config)
    assert [(d.line, d.severity) for d in diagnostics] == [(1, "warning")]


def test_lexicons_can_be_extended(tmp_path: Path) -> None:
    config = config_from_yaml(tmp_path, "extends: default\nlexicons:\n  certainty_boosters: {add: [categorically]}\n")
    text = "The agency categorically refuses informal requests.\n"
    assert _spans(text) == []
    assert _spans(text, config=config) == [(RULE, 1, 12, 1, 25)]


def test_a_bad_option_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(
        "extends: default\nrules:\n  unsourced-certainty:\n    source_scope: paragraph\n", encoding="utf-8"
    )
    (tmp_path / "page.txt").write_text("Records are always encrypted.\n", encoding="utf-8")
    result = run_cli("check", "page.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "rules.yaml:4:19" in result.stderr
    assert "source_scope" in result.stderr and "Traceback" not in result.stderr


def test_messages_never_claim_machine_authorship() -> None:
    for path in (MISSISSIPPI, ARKANSAS):
        for diagnostic in lint(path.read_text(encoding="utf-8"), path=path.name, rules=[RULE], config=_builtin()):
            lowered = diagnostic.message.lower()
            assert "ai" not in lowered.split() and "generated" not in lowered and "machine" not in lowered


# --------------------------------------------------------------------------- evaluation bar


@pytest.mark.parametrize("name", sorted(LABEL_SETS))
def test_precision_and_recall_bar_on_labelled_sets(name: str) -> None:
    outcome = evaluate(LABEL_SETS[name])
    assert outcome.errors == []
    assert outcome.true_positive + outcome.false_negative >= 20  # enough positives to mean something
    assert outcome.precision >= 0.9, outcome.false_alarms
    assert outcome.recall >= 0.85, outcome.misses


def test_certainty_lexicons_match_as_a_plain_alternation_would() -> None:
    """The shared trie matcher (textmatch) finds exactly what one alternation finds, on these lexicons."""
    import re

    from helpers import FIXTURES

    from linter.rules.textmatch import compile_phrases, phrase_pattern

    lexicons = _builtin().lexicons
    texts = [MISSISSIPPI.read_text(encoding="utf-8"), (FIXTURES / "certainty" / "ohio.txt").read_text(encoding="utf-8")]
    texts.append("Certainly! It’s well-known; don't always — never, 'fully' guaranteed. There is no doubt that it is.")
    extra = ("Certainly!", "it's well-known", "don't always", "a", "a b", "a b c")
    for name in [n for n in lexicons if n.startswith("certainty_")] + ["extra"]:
        phrases = tuple(lexicons.get(name, extra))
        cleaned = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
        plain = re.compile(f"(?P<match>{'|'.join(phrase_pattern(p) for p in cleaned)})", re.IGNORECASE)
        trie = compile_phrases(phrases)
        assert trie is not None
        for text in [*texts, "a b c a b a x a b cd"]:
            expected = [m.span("match") for m in plain.finditer(text)]
            assert [m.span("match") for m in trie.finditer(text)] == expected, name


def test_trigger_words_and_prescans_only_skip_patterns_that_cannot_match() -> None:
    import dataclasses

    from helpers import FIXTURES

    from linter.rules import unsourced_certainty as rule
    from linter.rules.base import RuleContext

    config = _builtin()
    context = RuleContext(RULE, "warning", config.rules[RULE].options, config.lexicons)
    gated = rule._patterns_for(context)

    def ungate(item: rule._Gated | None) -> rule._Gated | None:
        return None if item is None else rule._Gated(item.pattern, ())

    ungated = dataclasses.replace(
        gated,
        assurance_shapes=tuple(rule._Gated(shape.pattern, ()) for shape in gated.assurance_shapes),
        assurance=ungate(gated.assurance),
        booster=ungate(gated.booster),
        reputation=ungate(gated.reputation),
        attribution=ungate(gated.attribution),
        vague_shape=ungate(gated.vague_shape),
    )
    enabled = frozenset(rule.CUE_CLASSES)
    paths = [*(FIXTURES / "seeds").iterdir(), *(FIXTURES / "certainty").iterdir()]
    sentences = [s for p in paths if p.suffix != ".tsv" for s in p.read_text(encoding="utf-8").split(". ")]
    assert len(sentences) > 300
    possible = rule._possible_patterns(gated, sentences)  # the page-wide prescans
    assert 0 < len(possible) < len(sentences)
    found = 0
    for index, sentence in enumerate(sentences):
        expected = rule.find_cues(sentence, ungated, enabled, True)
        assert rule.find_cues(sentence, gated, enabled, True) == expected
        assert rule.find_cues(sentence, gated, enabled, True, possible.get(index, set())) == expected
        found += bool(expected)
    assert found > 50
