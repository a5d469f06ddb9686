"""The no-code rule kinds (phrase, pattern, substitution) and the default boilerplate rule."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import ARKANSAS, MISSISSIPPI, config_from_yaml, lint, run_cli, spans

from linter.config import Config

USER_RULES = """\
rules:
  weasel:
    kind: phrase
    severity: info
    phrases: [some say, "it's said"]
    message: "'{match}': say who"
  year-range:
    kind: pattern
    pattern: '\\b(19|20)\\d\\d[-–](19|20)\\d\\d\\b'
    message: "range '{match}': use 'from … to …'"
  plain-words:
    kind: substitution
    swap:
      utilize: use
      in order to: to
      don't: do not
  heading-caps:
    kind: pattern
    case_sensitive: true
    pattern: '\\b[A-Z]{5,}\\b'
    scope: [heading]
    message: "'{match}' is shouting"
"""


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return config_from_yaml(tmp_path, USER_RULES)


def test_phrase_positive_case_insensitive_whole_words(config: Config) -> None:
    text = "# Benefits\n\nSome say the rule changed. Others disagree, it’s said.\n"
    found = lint(text, config=config, rules=["weasel"])
    assert spans(found) == [("weasel", 3, 1, 3, 9), ("weasel", 3, 45, 3, 54)]
    assert [d.message for d in found] == ["'Some say': say who", "'it’s said': say who"]
    assert {d.severity for d in found} == {"info"}


def test_phrase_negative_partial_words_and_code(config: Config) -> None:
    text = "Handsome saying aside, `some say` in code is not prose.\n"
    assert lint(text, config=config, rules=["weasel"]) == []


def test_phrase_across_a_soft_line_break(config: Config) -> None:
    text = "Many people in the state, some\nsay, disagree.\n"
    assert spans(lint(text, config=config, rules=["weasel"])) == [("weasel", 1, 27, 2, 4)]


def test_phrase_is_found_in_every_sentence_the_page_prescan_keeps(config: Config) -> None:
    # the prescan (linter/prescan.py) picks the sentences worth matching: a phrase behind a
    # non-breaking space, in capitals, or spelled with a long s (which Python's re folds to s)
    # must still be found, and sentences without the phrase still stay quiet
    text = (
        "Nothing to see here. SOME\u00a0SAY the rule changed. Handsome saying aside.\n\n"
        "The law holds. Some ſay it is old. It’s  said to be new.\n"
    )
    assert spans(lint(text, config=config, rules=["weasel"])) == [
        ("weasel", 1, 22, 1, 30),
        ("weasel", 3, 16, 3, 24),
        ("weasel", 3, 36, 3, 46),
    ]


def test_pattern_positive_and_negative(config: Config) -> None:
    text = "Between 2019-2023 the rules changed.\nThe code 1234-5678 is not a year range.\n"
    found = lint(text, config=config, rules=["year-range"])
    assert spans(found) == [("year-range", 1, 9, 1, 18)]
    assert found[0].message == "range '2019-2023': use 'from … to …'"


def test_pattern_case_sensitive_and_heading_scope(config: Config) -> None:
    text = "# IMPORTANT rules\n\nIMPORTANT words in a paragraph are out of scope.\n"
    assert spans(lint(text, config=config, rules=["heading-caps"])) == [("heading-caps", 1, 3, 1, 12)]
    assert lint("# Important rules\n", config=config, rules=["heading-caps"]) == []


def test_substitution_carries_the_suggestion_and_keeps_capitals(config: Config) -> None:
    text = "Utilize the form in order to apply. We don’t utilize fax.\n"
    found = lint(text, config=config, rules=["plain-words"])
    assert spans(found) == [
        ("plain-words", 1, 1, 1, 8),
        ("plain-words", 1, 18, 1, 29),
        ("plain-words", 1, 40, 1, 45),
        ("plain-words", 1, 46, 1, 53),
    ]
    assert [d.suggestion for d in found] == ["Use", "to", "do not", "use"]
    assert found[0].message == "use 'Use' instead of 'Utilize'"
    assert all(d.fix_safe for d in found)


def test_substitution_negative(config: Config) -> None:
    assert lint("Utilization rose; we use the form.\n", config=config, rules=["plain-words"]) == []


def test_hostile_regex_finishes_quickly(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(
        "rules:\n  hostile:\n    kind: pattern\n    pattern: '(a+)+$'\n    message: 'x'\n", encoding="utf-8"
    )
    (tmp_path / "page.txt").write_text("a" * 40_000 + "b\n", encoding="utf-8")
    started = time.monotonic()
    result = run_cli("check", "--select", "hostile", "page.txt", cwd=tmp_path)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 5, f"the hostile pattern took {elapsed:.1f} s"


def test_hostile_regex_matches_when_it_should(tmp_path: Path) -> None:
    config = config_from_yaml(tmp_path, "rules:\n  hostile:\n    kind: pattern\n    pattern: '(a+)+$'\n")
    found = lint("a" * 40_000 + "\n", "page.txt", config=config, rules=["hostile"])
    assert spans(found) == [("hostile", 1, 1, 1, 40_001)]


# ---------------------------------------------------------------- boilerplate on the seeds


def test_boilerplate_on_arkansas_seed_exact_positions() -> None:
    found = lint(ARKANSAS.read_text(encoding="utf-8"), "arkansas.txt", rules=["boilerplate"])
    first = [(d.line, d.column, d.end_column, d.matched_text) for d in found[:3]]
    assert first == [
        (7, 606, 629, "It is important to note"),
        (16, 1, 9, "Overall,"),
        (28, 1, 15, "In conclusion,"),
    ]
    assert all("machine" not in d.message and "AI" not in d.message for d in found)


def test_boilerplate_on_mississippi_seed_groups_and_severities() -> None:
    found = lint(MISSISSIPPI.read_text(encoding="utf-8"), "mississippi.txt", rules=["boilerplate"])
    by_text = {(d.line, d.matched_text): d.severity for d in found}
    assert by_text[(2, "it is essential to note")] == "warning"
    assert by_text[(2, "for the most up-to-date and accurate information")] == "info"
    assert by_text[(9, "Overall,")] == "warning"


def test_boilerplate_negative_mid_sentence_and_headings() -> None:
    text = "# Overall, a summary\n\nThe overall rate fell. Ultimately the board decided. We note it is important.\n"
    assert lint(text, rules=["boilerplate"]) == []


def test_boilerplate_chat_residue_is_an_error() -> None:
    found = lint("Certainly! Here is the answer. I hope this helps.\n", rules=["boilerplate"])
    assert [(d.column, d.matched_text, d.severity) for d in found] == [
        (1, "Certainly!", "error"),
        (32, "I hope this helps", "error"),
    ]
