"""Parsers: what is prose, what is structure, what is evidence."""

from __future__ import annotations

from helpers import ARKANSAS, MISSISSIPPI, builtin_config

from linter.parse import parse_document

OPTIONS = builtin_config().parse_options


def parse(path: str, text: str):  # type: ignore[no-untyped-def]
    return parse_document(path, text, OPTIONS)


def all_prose(document) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(block.prose.text for block in document.blocks)


# ---------------------------------------------------------------- plain text (the seeds)


def test_mississippi_numbered_questions_are_headings_and_answers_follow() -> None:
    document = parse("mississippi.txt", MISSISSIPPI.read_text(encoding="utf-8"))
    questions = [b for b in document.blocks if b.kind == "question"]
    assert len(questions) == 20
    assert questions[0].start_line == 1
    assert questions[0].prose.text.startswith("What is the current policy in Mississippi")
    # Line 5 is "1. Information Sharing Agreements: …": a list item inside the answer to question 2.
    item = next(b for b in document.blocks if b.start_line == 5)
    assert item.kind == "list_item"
    assert item.prose.text.startswith("Information Sharing Agreements:")
    question_two = next(i for i, b in enumerate(document.blocks) if b.start_line == 3)
    assert item.section == question_two
    # One paragraph per line: line 9 ("Overall, …") is its own paragraph in the same answer.
    overall = next(b for b in document.blocks if b.start_line == 9)
    assert (overall.kind, overall.section) == ("paragraph", question_two)


def test_arkansas_title_category_and_blank_separated_paragraphs() -> None:
    document = parse("arkansas.txt", ARKANSAS.read_text(encoding="utf-8"))
    assert document.title == "State Benefits Data Sharing With ICE in Arkansas"
    assert [b.kind for b in document.blocks[:4]] == ["heading", "heading", "question", "paragraph"]
    assert document.blocks[0].prose.text == "Categories Federal Government"
    questions = [b for b in document.blocks if b.kind == "question"]
    assert len(questions) == 20
    answer = document.blocks[3]
    assert answer.section == 2 and answer.start_line == 7


def test_seed_sentences_do_not_include_question_numbers() -> None:
    document = parse("mississippi.txt", MISSISSIPPI.read_text(encoding="utf-8"))
    first_question = document.sentences[0]
    assert first_question.text.startswith("What is the current policy")
    assert document.position(first_question.source_range(0, 1)[0]) == (1, 4)


def test_hard_wrapped_text_joins_lines_into_one_paragraph() -> None:
    text = "Yes, there are safeguards\nin place to protect data.\nA new paragraph starts.\n"
    document = parse("page.txt", text)
    assert [b.prose.text for b in document.blocks] == [
        "Yes, there are safeguards in place to protect data.",
        "A new paragraph starts.",
    ]


def test_text_directive_lines_are_comments_not_prose() -> None:
    document = parse("page.txt", "# doclint-disable boilerplate\nOverall, fine.\n")
    assert [c.text for c in document.comments] == ["doclint-disable boilerplate"]
    assert all_prose(document) == "Overall, fine."


# ---------------------------------------------------------------- Markdown

MARKDOWN = """\
---
title: Benefits data in Ohio
state: Ohio
date: 2025-01-02
---
# Sharing benefits data in Ohio

As of 2021, the agency [publishes a report](https://jfs.ohio.gov/report "Report") each year[^1].
See <https://example.com/auto> or https://bare.example.org/path for more.

```python
print("As of 2021 in code")
```

    indented code as of 2021

Inline `as of 2021` code.

<!-- doclint-disable-next-line stale-date -->
<script>var note = "As of 2021";</script>

[^1]: Ohio Rev. Code § 5101.27.
"""


def test_markdown_drops_code_front_matter_urls_and_html() -> None:
    document = parse("ohio.md", MARKDOWN)
    prose = all_prose(document)
    assert "print" not in prose and "indented code" not in prose
    assert "as of 2021 code" not in prose and "Inline  code." in prose
    assert "title:" not in prose and "https://" not in prose and "bare.example" not in prose
    assert "var note" not in prose and "doclint-disable" not in prose
    assert "publishes a report each year" in prose


def test_markdown_front_matter_title_subject_and_meta() -> None:
    document = parse("ohio.md", MARKDOWN)
    assert document.title == "Benefits data in Ohio"
    assert document.subject == "Ohio"
    assert str(document.meta["date"]) == "2025-01-02"


def test_markdown_links_footnotes_and_comments_are_evidence() -> None:
    document = parse("ohio.md", MARKDOWN)
    targets = [link.target for link in document.links]
    assert targets == [
        "https://jfs.ohio.gov/report",
        "#footnote-1",
        "https://example.com/auto",
        "https://bare.example.org/path",
    ]
    assert document.footnotes == {"1": "Ohio Rev. Code § 5101.27."}
    assert [(c.text, c.line, c.own_line) for c in document.comments] == [
        ("doclint-disable-next-line stale-date", 19, True)
    ]


def test_markdown_title_from_h1_without_front_matter() -> None:
    document = parse("page.md", "Intro line.\n\n# The Title\n\nBody.\n")
    assert document.title == "The Title"
    assert document.subject is None


def test_markdown_invalid_front_matter_is_not_prose_and_does_not_crash() -> None:
    document = parse("page.md", "---\ntitle: [unclosed\n---\nBody text.\n")
    assert document.meta == {}
    assert all_prose(document) == "Body text."


# ---------------------------------------------------------------- HTML

HTML = """\
<!DOCTYPE html>
<html><head><title>Benefits data in Texas</title>
<meta name="state" content="Texas">
<style>p { color: red } /* as of 2021 */</style>
<script>const x = "As of 2021";</script></head>
<body>
<h1>Sharing data in Texas</h1>
<p>Currently, the <a href="https://hhs.texas.gov/">commission</a> shares data.</p>
<pre>As of 2021 preformatted</pre>
<p>Use <code>as of 2021</code> here.</p>
<!-- doclint-disable-file -->
<blockquote>Quoted words.</blockquote>
<ul><li>First item</li><li>Second item</li></ul>
</body></html>
"""


def test_html_blocks_skip_script_style_pre_code() -> None:
    document = parse("texas.html", HTML)
    assert [(b.kind, b.prose.text.strip()) for b in document.blocks] == [
        ("heading", "Sharing data in Texas"),
        ("paragraph", "Currently, the commission shares data."),
        ("paragraph", "Use  here."),
        ("quote", "Quoted words."),
        ("list_item", "First item"),
        ("list_item", "Second item"),
    ]


def test_html_title_meta_links_comments() -> None:
    document = parse("texas.html", HTML)
    assert document.title == "Benefits data in Texas"
    assert document.subject == "Texas"
    assert [link.target for link in document.links] == ["https://hhs.texas.gov/"]
    assert [(c.text, c.line) for c in document.comments] == [("doclint-disable-file", 11)]
    paragraph = document.blocks[1]
    assert document.position(paragraph.prose.source_offset(0)) == (8, 4)
