"""knowledge-cutoff, stale-date and relative-date on realistic text, with exact spans.

Reference date everywhere (unless a test says otherwise): 2026-11-21 (helpers.REFERENCE_DATE).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from helpers import ARKANSAS, FIXTURES, MISSISSIPPI, config_from_yaml, lint, run_cli, spans

from linter.rules.dates import describe_age, expand_alternatives, whole_months_between

DATE_RULES = ("knowledge-cutoff", "stale-date", "relative-date")


def found(text: str, rule: str, path: str = "page.md", **kwargs: object) -> list[tuple[str, int, int, int, int]]:
    return spans(lint(text, path=path, rules=[rule], **kwargs))  # type: ignore[arg-type]


def at(text: str, phrase: str, rule: str) -> tuple[str, int, int, int, int]:
    """The span of the first ``phrase`` in single-line ``text``, as ``spans`` reports it."""
    start = text.index(phrase)
    return (rule, 1, start + 1, 1, start + len(phrase) + 1)


# --------------------------------------------------------------------------- knowledge-cutoff

CUTOFF_SENTENCES = [
    ("As of my last update, the agency shares enrollment data with ICE.", "As of my last update"),
    ("As of my most recent data, Mississippi has no such law.", "As of my most recent data"),
    ("As of my most recent knowledge, there is limited transparency.", "As of my most recent knowledge"),
    ("As of my last research, no bill had been filed.", "As of my last research"),
    (
        "As of the most recent information available, discussions continue.",
        "As of the most recent information available",
    ),
    ("This is accurate up to my knowledge cutoff in most states.", "up to my knowledge cutoff"),
    ("My training data goes up to 2023, so check newer rules.", "My training data goes up to"),
    (
        "As an AI, I do not have access to current information on this policy.",
        "As an AI, I do not have access to current information",
    ),
    ("As a language model, I cannot give legal advice on enrollment.", "As a language model"),
    ("I don't have real-time data on the number of requests.", "I don't have real-time data"),
    ("I’m an AI and cannot verify the agreement.", "I’m an AI"),
    ("According to my latest training data, the law has not changed.", "According to my latest training data"),
    ("As of my knowledge, the agency shares data.", "As of my knowledge"),
    # garbled variants seen on real pages
    ("As of currently, the state has not changed its policy.", "As of currently"),
    (
        "As of the current information available, no audit has been published.",
        "As of the current information available",
    ),
]


@pytest.mark.parametrize(("text", "phrase"), CUTOFF_SENTENCES)
def test_knowledge_cutoff_finds_disclaimers_and_self_reference(text: str, phrase: str) -> None:
    diagnostics = lint(text, rules=["knowledge-cutoff"])
    assert spans(diagnostics) == [at(text, phrase, "knowledge-cutoff")]
    assert diagnostics[0].severity == "error"
    assert "machine" not in diagnostics[0].message and "AI-generated" not in diagnostics[0].message


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("While specific details are limited, the agency likely shares data.", "While specific details are limited"),
        (
            "While specific details about Mississippi's data-sharing agreements are limited, audits occur.",
            "While specific details about Mississippi's data-sharing agreements are limited",
        ),
        ("Based on available information, the agency complies with federal law.", "Based on available information"),
    ],
)
def test_knowledge_cutoff_source_gap_speculation_is_a_warning(text: str, phrase: str) -> None:
    diagnostics = lint(text, rules=["knowledge-cutoff"])
    assert spans(diagnostics) == [at(text, phrase, "knowledge-cutoff")]
    assert diagnostics[0].severity == "warning"
    assert "find a source" in diagnostics[0].message


def test_knowledge_cutoff_fires_whatever_sources_are_nearby() -> None:
    text = (
        "As of my last update, [the department](https://dhs.example.gov/policy) shares data.[^1]\n\n[^1]: DHS, 2024.\n"
    )
    assert found(text, "knowledge-cutoff") == [("knowledge-cutoff", 1, 1, 1, 21)]


def test_knowledge_cutoff_inside_a_quotation_is_info() -> None:
    text = "The reporter pasted the chatbot's answer:\n\n> As an AI, I cannot browse the internet.\n"
    diagnostics = lint(text, rules=["knowledge-cutoff"])
    assert spans(diagnostics) == [("knowledge-cutoff", 3, 3, 3, 41)]
    assert diagnostics[0].severity == "info"


@pytest.mark.parametrize(
    "text",
    [
        "As of 2021, Mississippi had not changed its policy.",
        "As of the latest count, 1,200 requests were filed.",
        "The EU AI Act regulates general-purpose models.",
        "Based on the available evidence, the court ruled for the state.",
        "While specific details were published in the report, the summary is short.",
        "My last update to this page added the 2025 figures.",
    ],
)
def test_knowledge_cutoff_leaves_ordinary_prose_alone(text: str) -> None:
    assert found(text, "knowledge-cutoff") == []


def test_knowledge_cutoff_ignores_code_comments_and_urls() -> None:
    text = (
        "Use `As of my last update` as a test string.\n\n"
        "```\nAs of my last update, nothing.\n```\n\n"
        "<!-- As of my last update, draft -->\n"
        "See https://example.com/as-of-my-last-update for the transcript.\n"
    )
    assert found(text, "knowledge-cutoff") == []


# --------------------------------------------------------------------------- stale-date

STALE_FORMS = [
    "as of 2021",
    "as of September 2021",
    "as of Sept. 30, 2021",
    "as of mid-2019",
    "as of early 2020",
    "as of Q3 2022",
    "as of FY2021",
    "as of 2021-09-30",
    "as at 31 March 2019",
    "at the time of writing (2020)",
    "as recently as 2018",
    "current as of 2020",
    "data through 2019",
    "as of the end of 2020",
    "as of the third quarter of 2022",
    "as of 9/30/2021",
    "as of fiscal year 2022",
    "as of 2024-06",
    "as of late September 2025",
]


@pytest.mark.parametrize("phrase", STALE_FORMS)
def test_stale_date_finds_every_anchored_form(phrase: str) -> None:
    text = f"The program served 41,000 households {phrase}, according to the annual report."
    diagnostics = lint(text, rules=["stale-date"])
    assert spans(diagnostics) == [at(text, phrase, "stale-date")]
    assert diagnostics[0].severity == "warning"
    assert "reference date 2026-11-21" in diagnostics[0].message


def test_stale_date_message_gives_age_and_what_to_do() -> None:
    diagnostics = lint("As of 2021, Mississippi has not implemented any changes.", rules=["stale-date"])
    assert [d.message for d in diagnostics] == [
        "'As of 2021' is about 5 years old (reference date 2026-11-21): check the fact against a current "
        "source, then update the date and cite the source"
    ]


def test_stale_date_counts_from_the_end_of_the_period() -> None:
    # Q3 2025 ends 30 September 2025: 13 months before the reference date, stale.
    # 2025 ends 31 December 2025: 10 months before, not stale. Same year, different verdicts.
    text = "Caseloads fell as of Q3 2025. Caseloads fell as of 2025."
    diagnostics = lint(text, rules=["stale-date"])
    assert spans(diagnostics) == [("stale-date", 1, 16, 1, 29)]
    assert "1 year and 1 month old" in diagnostics[0].message


def test_stale_date_quotes_front_matter_date_but_measures_from_the_reference() -> None:
    text = "---\ntitle: Benefits\nupdated: 2022-03-01\n---\n\nAs of 2021, 12 agencies shared data.\n"
    diagnostics = lint(text, rules=["stale-date"])
    assert spans(diagnostics) == [("stale-date", 6, 1, 6, 11)]
    assert "about 5 years old (reference date 2026-11-21; the page says updated 2022-03-01)" in diagnostics[0].message


@pytest.mark.parametrize(
    "text",
    [
        "In 2021, the legislature passed a data-sharing law.",
        "Enrollment rose from 2019 to 2023 in every county.",
        "The 2019 report found gaps in oversight.",
        "The rule has applied since March 2025.",
        "As of 2026, 12 agencies share data.",
        "As of January 2026, 12 agencies share data.",
        "As of December 2025, 12 agencies share data.",
        "The welfare law, Pub. L. 104-193, changed eligibility.",
        "Participation fell sharply (Smith, 2020).",
        "Smith (2019) describes the agreements.",
        "The option is available as of version 3 of the portal.",
        "The syntax works as of Python 3.12 and later.",
        "The schema changed as of release 2021.1 of the tool.",
        "The state will decide as of right, not by discretion.",
    ],
)
def test_stale_date_leaves_history_recent_anchors_citations_and_versions_alone(text: str) -> None:
    assert found(text, "stale-date") == []


def test_stale_date_ignores_code_comments_and_urls() -> None:
    text = (
        "Run `report --as-of 2019` to rebuild.\n\n"
        "```\nas of 2019\n```\n\n"
        "<!-- as of 2019, check this -->\n"
        "Archived at https://example.com/data-as-of-2019 for reference.\n"
    )
    assert found(text, "stale-date") == []


@pytest.mark.parametrize(("phrase"), ["as of 2027", "as of December 2026", "as of 2029-01-15"])
def test_stale_date_reports_future_anchors_as_info(phrase: str) -> None:
    text = f"The policy applies {phrase} to every county."
    diagnostics = lint(text, rules=["stale-date"])
    assert spans(diagnostics) == [at(text, phrase, "stale-date")]
    assert diagnostics[0].severity == "info"
    assert "after the reference date 2026-11-21: probably a typo" in diagnostics[0].message


def test_stale_date_future_report_can_be_turned_off(tmp_path: Path) -> None:
    config = config_from_yaml(tmp_path, "extends: default\nrules:\n  stale-date:\n    report_future: false\n")
    assert found("The policy applies as of 2027.", "stale-date", config=config) == []


def test_stale_date_yields_to_knowledge_cutoff_on_the_same_span() -> None:
    text = "My information is current through 2021."
    assert spans(lint(text, rules=list(DATE_RULES))) == [("knowledge-cutoff", 1, 1, 1, 34)]


def test_stale_date_max_age_per_glob_override(tmp_path: Path) -> None:
    config = config_from_yaml(
        tmp_path,
        "extends: default\noverrides:\n  - files: ['history/**']\n    rules:\n      stale-date: {max_age: 120}\n",
    )
    text = "As of 2021, 12 agencies shared data."
    history = str(tmp_path / "history" / "page.md")
    news = str(tmp_path / "news" / "page.md")
    assert found(text, "stale-date", path=history, config=config) == []
    assert found(text, "stale-date", path=news, config=config) == [("stale-date", 1, 1, 1, 11)]


def test_stale_date_depends_on_the_reference_date() -> None:
    text = "As of 2021, 12 agencies shared data. As of late 2022, audits began."
    early = found(text, "stale-date", as_of=datetime.date(2022, 6, 1))
    late = found(text, "stale-date", as_of=datetime.date(2026, 11, 21))
    assert early == [("stale-date", 1, 38, 1, 53)]  # 'As of late 2022' is in the future on 2022-06-01
    assert late == [("stale-date", 1, 1, 1, 11), ("stale-date", 1, 38, 1, 53)]
    severities = [d.severity for d in lint(text, rules=["stale-date"], as_of=datetime.date(2022, 6, 1))]
    assert severities == ["info"]


def test_stale_date_reference_date_through_the_cli(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Benefits\n\nAs of 2021, 12 agencies shared data with ICE.\n", encoding="utf-8")
    arguments = ("check", str(page), "--select", "stale-date", "--format", "json", "--no-progress")
    early = run_cli(*arguments, "--as-of", "2022-06-01", cwd=tmp_path)
    late = run_cli(*arguments, "--as-of", "2026-11-21", cwd=tmp_path)
    assert (early.returncode, json.loads(early.stdout)) == (0, [])
    assert late.returncode == 1, late.stderr
    [finding] = json.loads(late.stdout)
    assert (finding["rule"], finding["line"], finding["column"], finding["end_column"]) == ("stale-date", 3, 1, 11)
    assert "reference date 2026-11-21" in finding["message"]


# --------------------------------------------------------------------------- relative-date

RELATIVE_SENTENCES = [
    ("The agency currently shares enrollment data with ICE.", "currently"),
    ("The agency presently shares enrollment data with ICE.", "presently"),
    ("At present, the agency shares enrollment data with ICE.", "At present"),
    ("At the moment, the agency shares enrollment data with ICE.", "At the moment"),
    ("At this time, the agency shares enrollment data with ICE.", "At this time"),
    ("As of now, the agency shares enrollment data with ICE.", "As of now"),
    ("As of today, the agency shares enrollment data with ICE.", "As of today"),
    ("To date, the agency has shared enrollment data twice.", "To date"),
    ("The agreement remains in force to this day.", "to this day"),
    ("So far, the agency has shared enrollment data twice.", "So far"),
    ("Nowadays the agency shares enrollment data with ICE.", "Nowadays"),
    ("These days the agency shares enrollment data with ICE.", "These days"),
    ("The agency recently began sharing enrollment data.", "recently"),
    ("The agency has lately shared more enrollment data.", "lately"),
    ("In recent years, the agency has shared more data.", "In recent years"),
    ("In recent months, the agency has shared more data.", "In recent months"),
    ("Over the past few years, the agency has shared more data.", "Over the past few years"),
    ("The legislature may revisit the law this year.", "this year"),
    ("The legislature revisited the law last year.", "last year"),
    ("The legislature may revisit the law next year.", "next year"),
    ("The legislature may revisit the law in the near future.", "in the near future"),
    ("The latest audit found no misuse of data.", "The latest"),
    ("There have not been any recent developments in Mississippi.", "recent developments"),
    ("The agency is not currently sharing data.", "currently"),
    ("Currently Arkansas shares data with ICE.", "Currently"),
    ("At the time of writing, the agency shares data with ICE.", "At the time of writing"),
]


@pytest.mark.parametrize(("text", "phrase"), RELATIVE_SENTENCES)
def test_relative_date_finds_undated_relative_time(text: str, phrase: str) -> None:
    diagnostics = lint(text, rules=["relative-date"])
    assert spans(diagnostics) == [at(text, phrase, "relative-date")]
    assert diagnostics[0].severity == "warning"
    assert "As of November 2026" in diagnostics[0].message


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("In recent years, participation has fallen (Smith, 2020).", "In recent years"),
        ("Participation has recently fallen (Department of Human Services, 2024, p. 4).", "recently"),
        ("Under 42 U.S.C. § 1981, agencies currently share records.", "currently"),
        ("Smith et al. (2019) found that enrollment is currently falling.", "currently"),
    ],
)
def test_relative_date_year_inside_a_citation_is_not_an_anchor(text: str, phrase: str) -> None:
    assert found(text, "relative-date") == [at(text, phrase, "relative-date")]


def test_stale_date_parenthesised_anchor_is_not_mistaken_for_a_citation() -> None:
    text = "Enrollment was 41,000 (As of 2021) in the three pilot counties."
    assert found(text, "stale-date") == [at(text, "As of 2021", "stale-date")]


@pytest.mark.parametrize(
    "text",
    [
        "As of March 2026, the agency currently shares enrollment data.",
        "In 2025 the agency recently expanded the agreement.",
        "The Current Population Survey counts benefit recipients.",
        "Recent Advances in Benefits Policy is the journal of record.",
        "Her article appeared in Recent Developments in Welfare Law last spring.",
        "The overall rate is the current one.",
        "So far as the statute allows, the agency shares records.",
        "The last year of the pilot ended with an audit.",
        "Records must be deleted within 30 days at the latest.",
    ],
)
def test_relative_date_leaves_anchored_sentences_and_proper_nouns_alone(text: str) -> None:
    assert found(text, "relative-date") == []


def test_relative_date_skips_headings_and_questions_by_default(tmp_path: Path) -> None:
    text = "# Current policy as of today\n\nDoes the agency currently share data?\n\nIt does.\n"
    assert found(text, "relative-date") == []
    config = config_from_yaml(
        tmp_path, "extends: default\nrules:\n  relative-date:\n    in_headings: true\n    in_questions: true\n"
    )
    assert found(text, "relative-date", config=config) == [
        ("relative-date", 1, 18, 1, 29),
        ("relative-date", 3, 17, 3, 26),
    ]


def test_relative_date_skips_numbered_question_lines_in_plain_text() -> None:
    text = "20. Are there any recent developments in Mississippi?\nThere have not been any recent developments.\n"
    assert found(text, "relative-date", path="page.txt") == [("relative-date", 2, 25, 2, 44)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("As of my most recent data, the state has no such law.", [("knowledge-cutoff", 1, 1, 1, 26)]),
        ("As of currently, the state has no such law.", [("knowledge-cutoff", 1, 1, 1, 16)]),
        ("At the time of writing (2020), the state had no such law.", [("stale-date", 1, 1, 1, 30)]),
        ("As recently as 2018, the state had no such law.", [("stale-date", 1, 1, 1, 20)]),
        (
            "As of my last update, the agency currently shares data.",
            [("knowledge-cutoff", 1, 1, 1, 21), ("relative-date", 1, 34, 1, 43)],
        ),
    ],
)
def test_one_diagnostic_per_span_by_priority(text: str, expected: list[tuple[str, int, int, int, int]]) -> None:
    assert spans(lint(text, rules=list(DATE_RULES))) == expected


def test_relative_date_lexicon_is_extensible_from_rules_yaml(tmp_path: Path) -> None:
    config = config_from_yaml(tmp_path, "extends: default\nlexicons:\n  relative_time: {add: [as things stand]}\n")
    text = "As things stand, the agency shares data."
    assert found(text, "relative-date") == []
    assert found(text, "relative-date", config=config) == [("relative-date", 1, 1, 1, 16)]


def test_relative_date_with_an_empty_lexicon_finds_nothing(tmp_path: Path) -> None:
    config = config_from_yaml(tmp_path, "extends: default\nlexicons:\n  relative_time: []\n")
    assert found("The agency currently shares data.", "relative-date", config=config) == []


# --------------------------------------------------------------------------- the seeds, hand-labelled


def _labels() -> set[tuple[str, int, str]]:
    labels = set()
    for raw in (FIXTURES / "seeds" / "date-rules.expected").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            name, number, rule = line.split()
            labels.add((name, int(number), rule))
    return labels


def test_seed_pages_match_the_hand_labels_exactly() -> None:
    labels = _labels()
    assert len(labels) == 7
    results = set()
    for seed in (MISSISSIPPI, ARKANSAS):
        for diagnostic in lint(seed.read_text(encoding="utf-8"), path=seed.name, rules=list(DATE_RULES)):
            results.add((seed.name, diagnostic.line, diagnostic.rule))
    assert results == labels


def test_seed_spans_are_exact() -> None:
    mississippi = spans(lint(MISSISSIPPI.read_text(encoding="utf-8"), path="m.txt", rules=list(DATE_RULES)))
    arkansas = spans(lint(ARKANSAS.read_text(encoding="utf-8"), path="a.txt", rules=list(DATE_RULES)))
    assert mississippi == [
        ("knowledge-cutoff", 2, 164, 2, 189),
        ("knowledge-cutoff", 62, 1, 62, 21),
        ("knowledge-cutoff", 72, 1, 72, 31),
        ("knowledge-cutoff", 85, 1, 85, 44),
        ("stale-date", 109, 1, 109, 11),
        ("relative-date", 109, 575, 109, 594),
    ]
    assert arkansas == [("relative-date", 142, 1, 142, 10)]


# --------------------------------------------------------------------------- helpers


def test_lexicon_alternatives_expand() -> None:
    assert expand_alternatives("as of my {last|latest |} update") == [
        "as of my last update",
        "as of my latest update",
        "as of my update",
    ]


@pytest.mark.parametrize(
    ("earlier", "later", "months", "words"),
    [
        (datetime.date(2021, 12, 31), datetime.date(2026, 11, 21), 58, "about 5 years"),
        (datetime.date(2025, 9, 30), datetime.date(2026, 11, 21), 13, "1 year and 1 month"),
        (datetime.date(2026, 1, 31), datetime.date(2026, 11, 21), 9, "9 months"),
        (datetime.date(2026, 12, 31), datetime.date(2026, 11, 21), 0, "0 months"),
    ],
)
def test_age_in_whole_months(earlier: datetime.date, later: datetime.date, months: int, words: str) -> None:
    assert whole_months_between(earlier, later) == months
    assert describe_age(months) == words


# --------------------------------------------------------------------------- formats, headings, CLI


def test_date_rules_ignore_html_scripts_styles_and_attributes() -> None:
    text = (
        "<html><head><style>/* as of 2019 */</style><script>var note = 'As of my last update';</script></head>"
        '<body><p title="as of 2019">As of 2019, the agency currently shares data.</p></body></html>'
    )
    diagnostics = lint(text, path="page.html", rules=list(DATE_RULES))
    assert [(d.rule, d.matched_text) for d in diagnostics] == [("stale-date", "As of 2019")]


def test_stale_date_and_knowledge_cutoff_also_fire_in_headings() -> None:
    text = "# Enrollment as of 2019\n\n## As of my last update\n\nBody text.\n"
    assert spans(lint(text, rules=list(DATE_RULES))) == [
        ("stale-date", 1, 14, 1, 24),
        ("knowledge-cutoff", 3, 4, 3, 24),
    ]


def test_date_rules_on_plain_text_positions() -> None:
    text = "Benefits\n\nThe agency shares data.\nAs of May 2021, 12 agencies did.\n"
    assert found(text, "stale-date", path="page.txt") == [("stale-date", 4, 1, 4, 15)]


def test_gap_wildcard_stays_within_a_clause() -> None:
    text = "While specific details were published. Data are limited."
    assert found(text, "knowledge-cutoff") == []


def test_knowledge_cutoff_lexicon_is_extensible_from_rules_yaml(tmp_path: Path) -> None:
    config = config_from_yaml(
        tmp_path, "extends: default\nlexicons:\n  cutoff_disclaimers: {add: ['according to my {records|files}']}\n"
    )
    text = "According to my records, the agency shares data."
    assert found(text, "knowledge-cutoff") == []
    assert found(text, "knowledge-cutoff", config=config) == [("knowledge-cutoff", 1, 1, 1, 24)]


def test_rules_command_documents_the_date_rule_options(tmp_path: Path) -> None:
    result = run_cli("rules", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for expected in (
        "knowledge-cutoff  [error; built-in]",
        "gap_severity: 'warning'",
        "quote_severity: 'info'",
        "stale-date  [warning; built-in]",
        "max_age: 12",
        "report_future: True",
        "page_date_keys: [updated, lastmod, date]",
        "relative-date  [warning; built-in]",
        "in_headings: False",
        "in_questions: False",
    ):
        assert expected in result.stdout


# --------------------------------------------------------------------------- prescans


def test_prescans_keep_every_sentence_a_date_lexicon_matches() -> None:
    """The rules skip sentences their lexicons' prescans rule out: none of those may hold a cue."""
    from helpers import builtin_config

    from linter.prescan import PrescanTexts
    from linter.rules import dates

    lexicons = builtin_config().lexicons
    pages = [ARKANSAS.read_text(encoding="utf-8"), MISSISSIPPI.read_text(encoding="utf-8")]
    pages += [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "certainty").iterdir()) if p.suffix != ".tsv"]
    sentences = [s for page in pages for s in page.split(". ")]
    sentences += [text for text, _ in CUTOFF_SENTENCES + RELATIVE_SENTENCES] + [f"Data {form}." for form in STALE_FORMS]
    sentences += [
        "While specific details on the agreement are limited, the agency shares data.",
        "WHILE  SPECIFIC\nDETAILS ABOUT IT ARE SCARCE.",
        "As of my last update in 2023, nothing changed; as at March 2024 and current as of Q3 2022 too.",
        "I’m an AI; I don’t have real-time data.",
    ]
    texts = PrescanTexts(sentences)
    checked = 0
    for name in (*(lexicon for _, lexicon in dates._CUTOFF_CLASSES), dates.DATE_ANCHORS, dates.RELATIVE_TIME):
        cues = dates.compile_cues(lexicons[name])
        assert cues is not None and cues.prescan is not None, name
        matched = {index for index, text in enumerate(sentences) if cues.find(text)}
        possible = dates.possible_sentences(texts, cues)
        assert matched <= possible, name
        assert len(possible) < len(sentences) / 2, name
        checked += len(matched)
    assert checked > 60


def test_a_lexicon_phrase_that_is_only_a_gap_turns_the_prescan_off() -> None:
    from linter.rules import dates

    cues = dates.compile_cues(("as of now", "…"))
    assert cues is not None and cues.prescan is None
    with_run = dates.compile_cues(("while specific details … are limited",))
    assert with_run is not None and with_run.prescan is not None


def _cutoff_cues():  # type: ignore[no-untyped-def]
    from helpers import builtin_config

    from linter.rules.dates import CUTOFF_DISCLAIMERS, compile_cues

    cues = compile_cues.__wrapped__(builtin_config().lexicons[CUTOFF_DISCLAIMERS])  # not the shared one
    assert cues is not None and cues.first_words is not None
    return cues


def test_cue_tries_compile_only_the_first_words_a_text_holds() -> None:
    # A one-file pre-commit run should not compile the whole 800-phrase lexicon (about 0.1 s).
    cues = _cutoff_cues()
    text = "As of my last update in 2023, the program was funded. Please verify with the agency."
    found = cues.find(text)
    assert [text[start:end] for start, end in found] == ["As of my last update"]
    # "my" starts phrases too, but it lies inside the match: only the phrases after "as" were compiled.
    assert "my" in cues.tries_by_first_word
    assert set(cues._compiled) == {"as"}


def test_cue_tries_by_first_word_find_what_the_whole_trie_finds() -> None:
    # The per-first-word regexes are pieces of one trie; on real pages they must find exactly
    # what that trie, tried at every possible first word, finds.
    import re

    cues = _cutoff_cues()
    pages = [MISSISSIPPI.read_text(encoding="utf-8"), ARKANSAS.read_text(encoding="utf-8")]
    for text in [*pages, " ".join(sentence for sentence, _ in CUTOFF_SENTENCES)]:
        whole: list[tuple[int, int]] = []
        for word in re.finditer(r"\w+", text):
            if (whole and word.start() < whole[-1][1]) or word.group().lower() not in cues.first_words:
                continue
            match = cues.regex.match(text, word.start())
            if match is not None and match.end() > match.start():
                whole.append((match.start(), match.end()))
        assert cues.find(text) == whole
    assert whole, "the cutoff sentences hold disclaimers"


def test_cue_trie_shares_what_follows_neighbouring_words_and_finds_the_same_phrases() -> None:
    # "as of my {last|latest|…} {knowledge |training |}{update|data|data update|…}": the words
    # after "last", "latest" and the rest are written once; every phrase, and the longest
    # where one phrase extends another ("data update" over "data"), is still what matches.
    import re

    from linter.rules.dates import compile_cues

    cues = compile_cues(("as of my {last|latest|final} {knowledge |}{update|data|data update}", "as of my own"))
    assert cues is not None
    pattern = cues.pattern_at("as")
    # "update" and "data update", after "knowledge" and without it: 4 for all three adjectives, not 12
    assert pattern.count("update") == 4
    phrases = [
        f"as of my {adjective} {middle}{end}"
        for adjective in ("last", "latest", "final")
        for middle in ("knowledge ", "")
        for end in ("update", "data", "data update")
    ]
    one_by_one = re.compile(
        "|".join(
            r"\b" + re.escape(phrase).replace(r"\ ", r"\s+") + r"\b"
            for phrase in sorted(phrases, key=len, reverse=True)
        ),
        re.IGNORECASE,
    )
    sentences = [
        "As of my latest knowledge data update, the fee was $25.",
        "As of my final data, the office was open.",
        "as of my last\nupdate the program ran.",
        "As of my own records the office was open.",
        "As of my latest knowledge, the fee was $25.",  # no phrase: "knowledge" alone ends none
        "As of my previous update, the fee was $25.",  # "previous" is not in this lexicon
    ]
    for sentence in sentences:
        expected = [(m.start(), m.end()) for m in one_by_one.finditer(sentence)]
        if sentence.startswith("As of my own"):
            expected = [(0, len("As of my own"))]
        assert cues.find(sentence) == expected, sentence
    assert [len(cues.find(sentence)) for sentence in sentences] == [1, 1, 1, 1, 0, 0]
