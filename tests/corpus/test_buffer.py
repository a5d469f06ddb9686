"""Corpus rules on an editor buffer (linter/corpus/buffer.py), against a real on-disk index.

The language-server session tests (tests/integrations/test_lsp.py) drive the same code over
LSP; these check what the comparison covers without the protocol around it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers import REFERENCE_DATE, config_from_yaml, everything

from corpus.state_pages import (
    ACCESS_LINE,
    ARKANSAS,
    MISSISSIPPI,
    SHARED_ACCESS,
    SHARED_SECURITY,
    line_of,
    with_lines_before,
    write_states,
)
from linter.config import Config
from linter.corpus.buffer import BufferCorpora, BufferFindings
from linter.diagnostic import Diagnostic
from linter.engine import RunOptions, active_rules, lint_text, run
from linter.read import decode
from linter.rules import CORPUS_RULES

INDEX = "rules:\n  template-reuse:\n    index: cache/index.sqlite\n"


def _check(corpora: BufferCorpora, config: Config, path: Path, text: str) -> BufferFindings:
    """What the language server does with a buffer: lint it, then ask the index."""
    options = RunOptions(as_of=REFERENCE_DATE, corpus=True)
    result = lint_text(str(path), decode(text.encode("utf-8")), config, options)
    assert result.corpus is not None
    rules = [s for s in active_rules(config, str(path), options) if s.id in CORPUS_RULES]
    return corpora.check(config, result.corpus, str(path), rules, REFERENCE_DATE)


def _template(diagnostics: list[Diagnostic]) -> dict[int, str]:
    return {d.line: d.message for d in diagnostics if d.rule == "template-reuse" and not d.extra.get("summary")}


def _rows(root: Path) -> dict[str, tuple[Any, ...]]:
    connection = sqlite3.connect(root / "cache" / "index.sqlite")
    try:
        rows = connection.execute("SELECT key, content_hash, size, mtime_ns FROM files").fetchall()
    finally:
        connection.close()
    return {os.path.basename(str(row[0])): tuple(row[1:]) for row in rows}


@pytest.fixture
def corpora() -> Any:
    opened = BufferCorpora()
    yield opened
    opened.close()


def test_a_buffer_equal_to_the_file_gets_what_a_cli_run_gets(tmp_path: Path, corpora: BufferCorpora) -> None:
    pages = write_states(tmp_path / "states")
    config = config_from_yaml(tmp_path, "extends: default\ncorpus: ['states/*.md']\n" + INDEX)
    cli = run([str(pages["mississippi"])], config, RunOptions(as_of=REFERENCE_DATE, select=frozenset(CORPUS_RULES)))
    expected = [d for d in everything(cli) if d.rule in CORPUS_RULES]
    assert len(_template(expected)) == 2
    found = _check(corpora, config, pages["mississippi"], MISSISSIPPI)
    assert found.compared == 2  # the other two pages: the on-disk Mississippi page is the buffer
    key = [(d.rule, d.line, d.column, d.end_line, d.end_column, d.message, d.related) for d in expected]
    assert [
        (d.rule, d.line, d.column, d.end_line, d.end_column, d.message, d.related) for d in found.diagnostics
    ] == key


def test_without_corpus_globs_the_buffer_meets_what_the_index_holds(tmp_path: Path, corpora: BufferCorpora) -> None:
    pages = write_states(tmp_path / "states")
    config = config_from_yaml(tmp_path, "extends: default\n" + INDEX)
    arkansas = pages["arkansas"]
    unsaved = with_lines_before(ARKANSAS, SHARED_SECURITY, ACCESS_LINE)
    access = line_of(unsaved, SHARED_ACCESS) + 1

    # Nothing indexed yet: nothing to compare with, and no index file is made for nothing.
    first = _check(corpora, config, arkansas, unsaved)
    assert (first.compared, _template(first.diagnostics)) == (0, {})
    assert not (tmp_path / "cache").exists()

    run([str(p) for p in pages.values()], config, RunOptions(as_of=REFERENCE_DATE, select=frozenset(CORPUS_RULES)))
    indexed = _rows(tmp_path)
    found = _check(corpora, config, arkansas, unsaved)
    assert found.compared == 2
    assert sorted(_template(found.diagnostics)) == [access, line_of(unsaved, SHARED_SECURITY) + 1]
    assert "pages about 2 other subjects (Mississippi, Tennessee)" in _template(found.diagnostics)[access]

    # A page deleted from disk is left out, not forgotten (the next CLI run forgets it).
    pages["tennessee"].unlink()
    found = _check(corpora, config, arkansas, unsaved)
    assert found.compared == 1
    assert "pages about 1 other subject (Mississippi)" in _template(found.diagnostics)[access]

    # A page changed on disk is read again, as a CLI run would (size and mtime, then content).
    pages["mississippi"].write_text(MISSISSIPPI.replace(SHARED_ACCESS + "\n\n", ""), encoding="utf-8")
    found = _check(corpora, config, arkansas, unsaved)
    assert sorted(_template(found.diagnostics)) == [line_of(unsaved, SHARED_SECURITY) + 1]
    [notice] = found.notices
    assert notice.startswith("indexed 1 new or changed corpus file in ")
    assert notice.endswith(f" s ({tmp_path / 'cache' / 'index.sqlite'})")

    rows = _rows(tmp_path)
    assert set(rows) == set(indexed) == {"arkansas.md", "mississippi.md", "tennessee.md"}
    assert rows["arkansas.md"] == indexed["arkansas.md"] and rows["tennessee.md"] == indexed["tennessee.md"]
    assert rows["mississippi.md"] != indexed["mississippi.md"]


def test_a_missed_swap_typed_into_the_buffer_is_an_entity_leak(tmp_path: Path, corpora: BufferCorpora) -> None:
    pages = write_states(tmp_path / "states")
    config = config_from_yaml(tmp_path, "extends: default\ncorpus: ['states/*.md']\n" + INDEX)
    copied = next(line for line in MISSISSIPPI.split("\n") if line.startswith("In Mississippi, the Department"))
    unsaved = with_lines_before(ARKANSAS, SHARED_SECURITY, copied)
    found = _check(corpora, config, pages["arkansas"], unsaved)
    [leak] = [d for d in found.diagnostics if d.rule == "entity-leak"]
    line = line_of(unsaved, copied) + 1
    assert (leak.line, leak.column, leak.end_line, leak.end_column) == (line, 4, line, 15)
    assert leak.suggestion == "Arkansas" and leak.severity == "error"
    assert [(Path(r.path).name, r.line) for r in leak.related] == [("mississippi.md", line_of(MISSISSIPPI, copied) + 1)]
    on_disk = _check(corpora, config, pages["arkansas"], ARKANSAS).diagnostics
    assert [d for d in on_disk if d.rule == "entity-leak"] == []
