"""``doclint lsp`` in a real session: pygls's client drives the server subprocess over stdio."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra")

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

    async def diagnostics(self) -> types.PublishDiagnosticsParams:
        return await asyncio.wait_for(self.published.get(), TIMEOUT)


def run(test: Callable[[Session, Path], Coroutine[Any, Any, None]], workspace: Path) -> None:
    async def main() -> None:
        async with _session(workspace) as session:
            await test(session, workspace)

    asyncio.run(main())


@contextlib.asynccontextmanager
async def _session(workspace: Path) -> AsyncIterator[Session]:
    client = LanguageClient("doclint-tests", "1")
    published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        published.put_nowait(params)

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
        yield Session(client, published)
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
    messages: list[types.ShowMessageParams] = []

    async def scenario(session: Session, workspace: Path) -> None:
        @session.client.feature(types.WINDOW_SHOW_MESSAGE)
        def on_message(ls: LanguageClient, params: types.ShowMessageParams) -> None:
            messages.append(params)

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
