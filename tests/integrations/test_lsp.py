"""``doclint lsp`` in a real session: pygls's client drives the server subprocess over stdio."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra")

from corpus.state_pages import (
    ACCESS_LINE,
    ARKANSAS,
    MISSISSIPPI,
    SHARED_ACCESS,
    SHARED_SECURITY,
    TENNESSEE,
    line_of,
    with_lines_before,
    write_states,
)
from lsprotocol import types
from pygls.lsp.client import LanguageClient

RULES = """\
extends: default
rules:
  plain-words:
    kind: substitution
    swap:
      utilize: use
"""
# The emoji is one code point but two UTF-16 code units: LSP characters must count units.
PAGE = "# Forms\n\nWe 😀 utilize forms.\n"
TIMEOUT = 20


class Session:
    def __init__(self, client: LanguageClient, published: asyncio.Queue[types.PublishDiagnosticsParams]) -> None:
        self.client = client
        self.published = published
        self.logged: list[types.LogMessageParams] = []  # window/logMessage
        self.shown: list[types.ShowMessageParams] = []  # window/showMessage

    async def diagnostics(self) -> types.PublishDiagnosticsParams:
        return await asyncio.wait_for(self.published.get(), TIMEOUT)

    async def until(self, wanted: Callable[[types.PublishDiagnosticsParams], bool]) -> types.PublishDiagnosticsParams:
        """The first publication (from now on) that ``wanted`` accepts."""

        async def wait() -> types.PublishDiagnosticsParams:
            while True:
                published = await self.published.get()
                if wanted(published):
                    return published

        return await asyncio.wait_for(wait(), TIMEOUT)

    async def logged_containing(self, text: str) -> types.LogMessageParams:
        for _ in range(TIMEOUT * 20):
            for params in self.logged:
                if text in params.message:
                    return params
            await asyncio.sleep(0.05)
        raise AssertionError(f"no log message containing {text!r}: {[p.message for p in self.logged]}")


def run(test: Callable[[Session, Path], Coroutine[Any, Any, None]], workspace: Path) -> None:
    async def main() -> None:
        async with _session(workspace) as session:
            await test(session, workspace)

    asyncio.run(main())


@contextlib.asynccontextmanager
async def _session(workspace: Path) -> AsyncIterator[Session]:
    client = LanguageClient("doclint-tests", "1")
    published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    session = Session(client, published)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        published.put_nowait(params)

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def on_log(ls: LanguageClient, params: types.LogMessageParams) -> None:
        session.logged.append(params)

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def on_show(ls: LanguageClient, params: types.ShowMessageParams) -> None:
        session.shown.append(params)

    await client.start_io(sys.executable, "-m", "linter", "lsp", cwd=str(workspace))
    try:
        result = await asyncio.wait_for(
            client.initialize_async(
                types.InitializeParams(
                    capabilities=types.ClientCapabilities(),
                    root_uri=workspace.as_uri(),
                    workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="docs")],
                )
            ),
            TIMEOUT,
        )
        assert result.server_info is not None and result.server_info.name == "doclint"
        client.initialized(types.InitializedParams())
        yield session
        await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
    finally:
        client.exit(None)  # the server exits on this notification, even after a failed test
        await asyncio.wait_for(client.stop(), TIMEOUT)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    return tmp_path


def _open(session: Session, uri: str, text: str, language: str = "markdown") -> None:
    session.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )


def _summary(params: types.PublishDiagnosticsParams) -> list[tuple[str, int, int, int, int]]:
    return [
        (str(d.code), d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character)
        for d in params.diagnostics
    ]


def test_open_change_save_and_code_actions(workspace: Path) -> None:
    uri = (workspace / "page.md").as_uri()

    async def scenario(session: Session, workspace: Path) -> None:
        _open(session, uri, PAGE)
        published = await session.diagnostics()
        assert published.uri == uri
        # Line 3, "We 😀 " is 6 UTF-16 units: the workspace's rules.yaml rule starts there.
        assert _summary(published) == [("plain-words", 2, 6, 2, 13)]
        [diagnostic] = published.diagnostics
        assert diagnostic.severity == types.DiagnosticSeverity.Warning and diagnostic.source == "doclint"

        actions = await asyncio.wait_for(
            session.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=diagnostic.range,
                    context=types.CodeActionContext(diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]),
                )
            ),
            TIMEOUT,
        )
        assert actions is not None
        edits = {
            action.title: (action.is_preferred, action.edit.changes[uri])  # type: ignore[union-attr,index]
            for action in actions
            if isinstance(action, types.CodeAction)
        }
        assert set(edits) == {"Replace with 'use'", "Disable plain-words for this line"}
        preferred, [replace] = edits["Replace with 'use'"]
        assert preferred is True and replace.new_text == "use" and replace.range == diagnostic.range
        _, [insert] = edits["Disable plain-words for this line"]
        assert insert.new_text == "<!-- doclint-disable-next-line plain-words -->\n"
        assert (
            (insert.range.start.line, insert.range.start.character)
            == (2, 0)
            == (insert.range.end.line, insert.range.end.character)
        )

        # On-save style "fix all": one edit with every safe fix, nothing else.
        [fix_all] = await asyncio.wait_for(
            session.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=types.Range(
                        start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
                    ),
                    context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
                )
            ),
            TIMEOUT,
        ) or [None]
        assert isinstance(fix_all, types.CodeAction)
        assert fix_all.kind == "source.fixAll.doclint" and fix_all.title == "Apply 1 safe doclint fix"
        assert fix_all.edit is not None and fix_all.edit.changes is not None
        [whole] = fix_all.edit.changes[uri]
        assert whole.new_text == PAGE.replace("utilize", "use")
        assert (whole.range.start.line, whole.range.start.character) == (0, 0)
        assert (whole.range.end.line, whole.range.end.character) == (3, 0)

        # Several quick edits: one debounced lint of the last version. Apply the disable comment.
        session.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=PAGE + "\nWe utilize")],
            )
        )
        session.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
                content_changes=[types.TextDocumentContentChangePartial(range=insert.range, text=insert.new_text)],
            )
        )
        published = await session.diagnostics()
        assert published.version == 3
        assert _summary(published) == [("plain-words", 5, 3, 5, 10)]  # the new line only
        assert session.published.empty()

        session.client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        published = await session.diagnostics()
        assert _summary(published) == [("plain-words", 5, 3, 5, 10)]

    run(scenario, workspace)


def test_plain_text_and_html_documents(workspace: Path) -> None:
    text_uri = (workspace / "notes.txt").as_uri()
    html_uri = (workspace / "page.html").as_uri()

    async def scenario(session: Session, workspace: Path) -> None:
        _open(session, text_uri, "Notes\n\nIt is important to note that we utilize forms.\n", "plaintext")
        published = await session.diagnostics()
        assert _summary(published) == [("boilerplate", 2, 0, 2, 23), ("plain-words", 2, 32, 2, 39)]
        boilerplate = published.diagnostics[0]
        actions = await session.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=text_uri),
                range=boilerplate.range,
                context=types.CodeActionContext(diagnostics=[boilerplate]),
            )
        )
        assert actions is not None
        kinds = sorted(str(action.kind) for action in actions if isinstance(action, types.CodeAction))
        assert kinds == ["quickfix", "source.fixAll.doclint"]  # no "only": every kind that applies
        [disable] = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.QuickFix]
        assert disable.edit is not None and disable.edit.changes is not None
        assert disable.edit.changes[text_uri][0].new_text == "# doclint-disable-next-line boilerplate\n"

        _open(session, html_uri, "<p>We <b>utilize</b> forms.</p>\n", "html")
        published = await session.diagnostics()
        assert published.uri == html_uri
        assert _summary(published) == [("plain-words", 0, 9, 0, 16)]

    run(scenario, workspace)


def test_a_broken_rules_yaml_is_shown_to_the_user(workspace: Path) -> None:
    (workspace / "rules.yaml").write_text("rules:\n  plain-words: {kind: nope}\n", encoding="utf-8")

    async def scenario(session: Session, workspace: Path) -> None:
        messages = session.shown
        _open(session, (workspace / "page.md").as_uri(), PAGE)
        for _ in range(100):
            if messages:
                break
            await asyncio.sleep(0.05)
        assert messages and messages[0].type == types.MessageType.Error
        assert "rules.yaml" in messages[0].message and "unknown rule kind 'nope'" in messages[0].message

    run(scenario, workspace)


def test_the_core_install_does_not_need_pygls() -> None:
    import subprocess

    probe = (
        "import sys; sys.modules['pygls'] = None; sys.modules['lsprotocol'] = None\n"
        "import linter.cli, linter.engine, linter.report\n"
        "from linter.cli import main\n"
        "sys.exit(main(['lsp']))\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 2
    assert "the language server needs pygls" in completed.stderr
    assert "pip install 'doclint[lsp]'" in completed.stderr and "Traceback" not in completed.stderr


# ---------------------------------------------------------------------------------------------
# Corpus rules on the unsaved buffer, against the on-disk index.

CORPUS_RULES_YAML = """\
extends: default
corpus: ["states/*.md"]
rules:
  template-reuse:
    index: cache/index.sqlite
"""
DISABLE = "<!-- doclint-disable-next-line template-reuse -->"


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _template_findings(params: types.PublishDiagnosticsParams) -> dict[int, types.Diagnostic]:
    """template-reuse findings by line (the page summary on line 1 aside)."""
    return {
        d.range.start.line: d
        for d in params.diagnostics
        if d.code == "template-reuse" and d.message.startswith("template text:")
    }


def _index_rows(location: Path) -> list[tuple[Any, ...]]:
    """Every file the index holds, with its units and fingerprints (to prove nothing changed)."""
    import sqlite3

    connection = sqlite3.connect(location)
    try:
        return connection.execute(
            "SELECT f.key, f.content_hash, f.size, f.mtime_ns, f.subject, "
            "(SELECT COUNT(*) FROM units u WHERE u.file_id = f.id), "
            "(SELECT group_concat(u.text, '|') FROM units u WHERE u.file_id = f.id), "
            "(SELECT COUNT(*) FROM wfp w WHERE w.file_id = f.id) FROM files f ORDER BY f.key"
        ).fetchall()
    finally:
        connection.close()


@pytest.fixture
def states(tmp_path: Path) -> Path:
    (tmp_path / "rules.yaml").write_text(CORPUS_RULES_YAML, encoding="utf-8")
    write_states(tmp_path / "states")
    return tmp_path


def test_corpus_rules_see_the_unsaved_buffer_and_leave_the_index_alone(states: Path) -> None:
    from helpers import run_cli

    from linter.corpus.extract import content_hash

    built = run_cli("check", "--format", "json", "states", cwd=states)  # the index, as a CLI run leaves it
    assert built.returncode == 1, built.stderr
    index = states / "cache" / "index.sqlite"
    before = _index_rows(index)
    assert [Path(row[0]).name for row in before] == ["arkansas.md", "mississippi.md", "tennessee.md"]

    arkansas = states / "states" / "arkansas.md"
    uri = arkansas.as_uri()
    unsaved = with_lines_before(ARKANSAS, SHARED_SECURITY, ACCESS_LINE)  # not on disk
    access, security = line_of(unsaved, SHARED_ACCESS), line_of(unsaved, SHARED_SECURITY)

    async def scenario(session: Session, workspace: Path) -> None:
        # 1. The buffer's new sentence is shared with two other states' pages on disk.
        _open(session, uri, unsaved)
        published = await session.until(lambda p: access in _template_findings(p))
        assert published.version == 1
        findings = _template_findings(published)
        assert sorted(findings) == [access, security]
        finding = findings[access]
        start = _utf16("Records show a 🔒 mark when sealed. ")  # 35 code points, 36 UTF-16 units
        assert start == 36
        assert (finding.range.start.line, finding.range.start.character) == (access, start)
        assert (finding.range.end.line, finding.range.end.character) == (access, _utf16(ACCESS_LINE))
        assert finding.message.startswith(
            "template text: this sentence is the same as sentences on pages about 2 other subjects "
            "(Mississippi, Tennessee)"
        )
        assert "specific to Arkansas" in finding.message
        assert finding.related_information is not None
        related = {(info.location.uri, info.location.range.start.line) for info in finding.related_information}
        assert related == {
            ((workspace / "states" / "mississippi.md").as_uri(), line_of(MISSISSIPPI, SHARED_ACCESS)),
            ((workspace / "states" / "tennessee.md").as_uri(), line_of(TENNESSEE, SHARED_ACCESS)),
        }
        assert "(Mississippi)" in findings[security].message

        # 2. Removing the sentence (unsaved again): its finding goes, the other one moves up.
        _change(session, uri, 2, ARKANSAS)
        published = await session.until(
            lambda p: p.version == 2 and line_of(ARKANSAS, SHARED_SECURITY) in _template_findings(p)
        )
        assert sorted(_template_findings(published)) == [line_of(ARKANSAS, SHARED_SECURITY)]

        # 4. A disable-next-line comment in the buffer silences the corpus finding below it.
        silenced = with_lines_before(ARKANSAS, SHARED_SECURITY, DISABLE, ACCESS_LINE)
        _change(session, uri, 3, silenced)
        published = await session.until(
            lambda p: p.version == 3 and line_of(silenced, SHARED_SECURITY) in _template_findings(p)
        )
        assert sorted(_template_findings(published)) == [line_of(silenced, SHARED_SECURITY)]

    run(scenario, states)

    # 3. The index holds what it held: the same files, the on-disk Arkansas page's record.
    after = _index_rows(index)
    assert after == before
    arkansas_row = next(row for row in after if row[0].endswith("arkansas.md"))
    assert arkansas_row[1] == content_hash(arkansas.read_bytes())
    # A CLI run (trusting size and mtime for the Arkansas page) sees the text on disk: the
    # access sentence on the Mississippi page is shared with Tennessee only.
    checked = run_cli("check", "--format", "json", "states/mississippi.md", cwd=states)
    template = {
        d["line"]: d["message"]
        for d in json.loads(checked.stdout)
        if d["rule"] == "template-reuse" and not d.get("data", {}).get("summary")
    }
    assert sorted(template) == [line_of(MISSISSIPPI, SHARED_SECURITY) + 1, line_of(MISSISSIPPI, SHARED_ACCESS) + 1]
    assert "1 other subject (Tennessee)" in template[line_of(MISSISSIPPI, SHARED_ACCESS) + 1]
    assert "1 other subject (Arkansas)" in template[line_of(MISSISSIPPI, SHARED_SECURITY) + 1]
    assert (
        f"states/arkansas.md:{line_of(ARKANSAS, SHARED_SECURITY) + 1}"
        in template[line_of(MISSISSIPPI, SHARED_SECURITY) + 1]
    )
    # And on the Arkansas page itself: what the file says, the same as before the session.
    again = run_cli("check", "--format", "json", "states/arkansas.md", cwd=states)
    first = [d for d in json.loads(built.stdout) if d["path"] == "states/arkansas.md"]
    assert json.loads(again.stdout) == first
    assert [d["line"] for d in first if d["rule"] == "template-reuse" and not d.get("data", {}).get("summary")] == [
        line_of(ARKANSAS, SHARED_SECURITY) + 1
    ]


def _change(session: Session, uri: str, version: int, text: str) -> None:
    session.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def test_corpus_index_damaged_locked_and_rapid_edits(states: Path) -> None:
    import sqlite3

    from linter.corpus.extract import content_hash

    index = states / "cache" / "index.sqlite"
    index.parent.mkdir()
    index.write_bytes(b"not an index\n" * 200)  # damaged before the server starts: rebuilt
    arkansas = states / "states" / "arkansas.md"
    uri = arkansas.as_uri()
    aside = "It is important to note that the Little Rock office closes at noon on Fridays."
    with_access = with_lines_before(ARKANSAS, SHARED_SECURITY, ACCESS_LINE, "", aside)
    without_access = with_lines_before(ARKANSAS, SHARED_SECURITY, aside)
    texts = {1: with_access}

    def consistent(published: types.PublishDiagnosticsParams) -> bool:
        """Every template finding sits on a shared sentence of the text of the version it names."""
        assert published.version is not None
        lines = texts[published.version].split("\n")
        for line, finding in _template_findings(published).items():
            assert SHARED_ACCESS in lines[line] or SHARED_SECURITY in lines[line], (published.version, line)
            assert finding.range.end.character == _utf16(lines[line])
        return True

    async def scenario(session: Session, workspace: Path) -> None:
        _open(session, uri, with_access)
        published = await session.until(lambda p: line_of(with_access, SHARED_ACCESS) in _template_findings(p))
        assert consistent(published)
        await session.logged_containing("was damaged")
        await session.logged_containing("indexed 3 new or changed corpus files")

        # Another doclint run holds the write lock: document findings still come, with a notice.
        blocker = sqlite3.connect(index, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            texts[2] = with_access + "\n"
            _change(session, uri, 2, texts[2])
            published = await session.until(lambda p: p.version == 2 and not _template_findings(p))
            assert "boilerplate" in {d.code for d in published.diagnostics}
            notice = await session.logged_containing("is locked by another doclint run")
            assert notice.type == types.MessageType.Warning
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()

        # The next change tries again. Then quick edits, each saved (a save lints at once, so a
        # query is still running when the next version comes): no publication may pair a
        # version with findings made on another version's text.
        for version in range(3, 9):
            texts[version] = with_access if version % 2 else without_access
            _change(session, uri, version, texts[version])
            session.client.text_document_did_save(
                types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
            )
        security = line_of(without_access, SHARED_SECURITY)
        last = await session.until(lambda p: consistent(p) and p.version == 8 and security in _template_findings(p))
        assert sorted(_template_findings(last)) == [security]
        texts[9] = with_access
        _change(session, uri, 9, with_access)
        last = await session.until(lambda p: consistent(p) and p.version == 9 and len(_template_findings(p)) == 2)
        while not session.published.empty():
            assert consistent(session.published.get_nowait())

    run(scenario, states)

    rows = _index_rows(index)  # rebuilt from the files on disk, nothing from the buffer
    assert [Path(row[0]).name for row in rows] == ["arkansas.md", "mississippi.md", "tennessee.md"]
    assert rows[0][1] == content_hash(arkansas.read_bytes())
