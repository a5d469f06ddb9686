"""Every prose character maps back to its exact source line and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import config_from_yaml, lint, run_cli, spans

from linter.config import Config
from linter.document import Document
from linter.parse import ParseOptions, parse_document

# A user rule that flags the word "safeguards" wherever it stands.
RULES = """\
rules:
  safeguard-word:
    kind: phrase
    phrases: [safeguards]
    message: "found '{match}'"
    scope: [heading, paragraph, list_item, quote, table_cell]
"""


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return config_from_yaml(tmp_path, RULES)


def check_every_character(document: Document) -> None:
    """Each prose character is the source character it maps to (or stands for it)."""
    for block in document.blocks:
        prose = block.prose
        for index, char in enumerate(prose.text):
            offset = prose.source_offset(index)
            source_char = document.source[offset]
            if source_char == char:
                continue
            # Allowed differences: a line break read as a space, an entity, an escape.
            assert (char == " " and source_char in "\r\n") or source_char in "&\\", (
                f"prose {char!r} at {index} maps to source {source_char!r} at {offset}"
            )


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_do_not_shift_columns(config: Config, newline: str) -> None:
    text = newline.join(["# Data", "", "Yes, there are safeguards in place.", "", "More safeguards here."]) + newline
    assert spans(lint(text, "page.md", config=config, rules=["safeguard-word"])) == [
        ("safeguard-word", 3, 16, 3, 26),
        ("safeguard-word", 5, 6, 5, 16),
    ]


def test_crlf_plain_text_keeps_positions(config: Config) -> None:
    text = "1. Are there safeguards?\r\nYes, there are safeguards in place.\r\n"
    # Headings (questions) are in this rule's scope, so both lines report.
    assert spans(lint(text, "page.txt", config=config, rules=["safeguard-word"])) == [
        ("safeguard-word", 1, 14, 1, 24),
        ("safeguard-word", 2, 16, 2, 26),
    ]


def test_tab_counts_as_one_column(config: Config) -> None:
    text = "Rules:\tsafeguards apply.\n"
    assert spans(lint(text, "page.txt", config=config, rules=["safeguard-word"])) == [("safeguard-word", 1, 8, 1, 18)]


def test_byte_order_mark_is_not_a_column(tmp_path: Path, config: Config) -> None:
    page = tmp_path / "page.md"
    page.write_bytes("\ufeffThe safeguards hold.\n".encode())
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    result = run_cli("check", "--format", "json", str(page), cwd=tmp_path)
    found = json.loads(result.stdout)
    assert [(d["line"], d["column"], d["end_column"]) for d in found] == [(1, 5, 15)]


def test_multibyte_characters_count_as_one_column(config: Config) -> None:
    text = "Café “quoted” 😀 safeguards, naïve.\n"
    assert spans(lint(text, "page.md", config=config, rules=["safeguard-word"])) == [("safeguard-word", 1, 17, 1, 27)]


def test_markdown_link_emphasis_and_entities(config: Config) -> None:
    text = (
        'See [the *agency* page](https://dhs.example.gov/a "title") &amp; **strong** '
        "safeguards.\n"
        "Second line with `safeguards code` and safeguards.\n"
    )
    result = lint(text, "page.md", config=config, rules=["safeguard-word"])
    # Inline code is not prose: only the second "safeguards" of line 2 counts.
    assert text.index("safeguards") == 76
    assert spans(result) == [("safeguard-word", 1, 77, 1, 87), ("safeguard-word", 2, 40, 2, 50)]


def test_prose_map_covers_every_character_in_markdown() -> None:
    text = (
        "---\r\ntitle: Data in Ohio\r\nstate: Ohio\r\n---\r\n"
        "# Data &amp; privacy in *Ohio*\r\n\r\n"
        "> Quoted [link text](http://example.com) with \\*escaped\\* stars and &eacute;.\r\n"
        "> Second quoted line.\r\n\r\n"
        "- item with `code` and “curly” quotes 😀\r\n"
        "  continued\tafter a tab\r\n\r\n"
        "| cell&amp;one | cell two |\r\n|---|---|\r\n| é | 😀 x |\r\n"
    )
    document = parse_document("page.md", text, ParseOptions())
    assert [block.kind for block in document.blocks] == [
        "heading",
        "quote",
        "list_item",
        "table_cell",
        "table_cell",
        "table_cell",
        "table_cell",
    ]
    check_every_character(document)
    heading = document.blocks[0]
    assert heading.prose.text == "Data & privacy in Ohio"
    assert document.position(heading.prose.source_offset(heading.prose.text.index("Ohio"))) == (
        document.position(text.index("*Ohio*") + 1)
    )
    quote = document.blocks[1]
    assert "http://example.com" not in quote.prose.text
    assert quote.prose.text.startswith("Quoted link text with *escaped* stars and é.")
    # "é" came from "&eacute;": it maps to the entity's first character.
    index = quote.prose.text.index("é")
    assert text[quote.prose.source_offset(index)] == "&"
    assert quote.prose.source_end(index + 1) == text.index("&eacute;") + len("&eacute;")


def test_prose_map_covers_every_character_in_html() -> None:
    text = (
        "<html><head><title>Ohio</title></head><body>\n"
        "<h1>Data &amp; privacy</h1>\n"
        "<p>Yes, there are\n  safeguards &ldquo;in place&rdquo; 😀.</p>\n"
        "</body></html>\n"
    )
    document = parse_document("page.html", text, ParseOptions())
    assert [block.kind for block in document.blocks] == ["heading", "paragraph"]
    check_every_character(document)
    paragraph = document.blocks[1]
    start = paragraph.prose.text.index("safeguards")
    assert document.position(paragraph.prose.source_offset(start)) == (4, 3)


def test_markdown_positions_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_bytes(b"Intro [safeguards](http://x.example) &amp; more safeguards.\r\n")
    result = run_cli("check", "--format", "json", "page.md", cwd=tmp_path)
    found = [(d["line"], d["column"], d["end_column"]) for d in json.loads(result.stdout)]
    assert found == [(1, 8, 18), (1, 49, 59)]
