"""Inline suppression directives in Markdown, HTML and plain text."""

from __future__ import annotations

from helpers import REFERENCE_DATE, builtin_config, lint, run_cli, spans

from linter.engine import RunOptions, lint_document
from linter.parse import parse_document

BOILERPLATE = ["boilerplate"]


def lines_of(text: str, path: str = "page.md") -> list[int]:
    return [d.line for d in lint(text, path, rules=BOILERPLATE)]


def test_disable_and_enable_a_region() -> None:
    text = (
        "Overall, one.\n\n"
        "<!-- doclint-disable boilerplate -->\n\n"
        "Overall, two.\n\n"
        "<!-- doclint-enable -->\n\n"
        "Overall, three.\n"
    )
    assert lines_of(text) == [1, 9]


def test_disable_without_rules_silences_everything_until_the_end() -> None:
    text = "Overall, one.\n\n<!-- doclint-disable -->\n\nOverall, two.\n\nIn conclusion, three.\n"
    assert lines_of(text) == [1]


def test_disable_another_rule_does_not_silence_this_one() -> None:
    text = "<!-- doclint-disable stale-date, relative-date -->\n\nOverall, one.\n"
    assert lines_of(text) == [3]


def test_enable_one_rule_inside_a_disable_all_region() -> None:
    text = "<!-- doclint-disable -->\n\nOverall, one.\n\n<!-- doclint-enable boilerplate -->\n\nOverall, two.\n"
    assert lines_of(text) == [7]


def test_disable_next_line_skips_blank_lines() -> None:
    text = "<!-- doclint-disable-next-line boilerplate -->\n\nOverall, one.\n\nOverall, two.\n"
    assert lines_of(text) == [5]


def test_disable_line_on_the_same_line() -> None:
    text = "Overall, one. <!-- doclint-disable-line -->\n\nOverall, two.\n"
    assert lines_of(text) == [3]


def test_disable_file() -> None:
    text = "Overall, one.\n\n<!-- doclint-disable-file boilerplate -->\n\nOverall, two.\n"
    assert lines_of(text) == []


def test_plain_text_directives_on_their_own_line() -> None:
    text = "Overall, one.\n# doclint-disable-next-line boilerplate\nOverall, two.\nOverall, three.\n"
    assert lines_of(text, "page.txt") == [1, 4]


def test_html_comment_directives() -> None:
    text = "<p>Overall, one.</p>\n<!-- doclint-disable-next-line -->\n<p>Overall, two.</p>\n"
    assert lines_of(text, "page.html") == [1]


def test_unused_suppressions_are_reported_on_request() -> None:
    text = (
        "<!-- doclint-disable-next-line boilerplate -->\nOverall, one.\n\n"
        "<!-- doclint-disable-next-line boilerplate -->\nNothing to silence here.\n"
    )
    config = builtin_config()
    document = parse_document("page.md", text, config.parse_options)
    options = RunOptions(as_of=REFERENCE_DATE, select=frozenset(BOILERPLATE), report_unused_suppressions=True)
    found = lint_document(document, config, options)
    assert spans(found) == [("unused-suppression", 4, 1, 4, 1)]
    assert "silenced nothing" in found[0].message


def test_unused_suppressions_through_the_cli(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "page.md").write_text("<!-- doclint-disable boilerplate -->\nA clean page.\n", encoding="utf-8")
    plain = run_cli("check", "page.md", cwd=tmp_path)
    assert plain.returncode == 0
    reported = run_cli("check", "--report-unused-suppressions", "page.md", cwd=tmp_path)
    assert reported.returncode == 1
    assert "page.md:1:1: warning [unused-suppression]" in reported.stdout
