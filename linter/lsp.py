"""``doclint lsp``: a Language Server over stdio (pygls), for editors.

- Lints Markdown, plain-text and HTML buffers on open, on change (debounced) and on save,
  from the editor's unsaved text, and publishes the diagnostics.
- Reads the rules.yaml (or .doclint.yaml) that applies to the file, as ``doclint check``
  would; editing and saving it re-lints every open document.
- Corpus rules (template-reuse, entity-leak) compare the buffer's unsaved text with the
  on-disk corpus index (linter/corpus/buffer.py), on a thread of their own: document
  diagnostics are published first, corpus findings follow for the same version (never for
  an older one). Queries run on open, on save and after the change debounce.
- Code actions: apply a diagnostic's suggestion; insert a ``doclint-disable-next-line``
  comment above the line.
- Positions: our columns count code points; LSP counts UTF-16 code units. Conversions
  happen here and nowhere else.

Needs the ``lsp`` extra (``pip install 'doclint[lsp]'``); the core install does not.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from linter import __version__
from linter.config import CONFIG_NAMES, Config, ConfigError, RuleSettings, discover_config_file, load_config
from linter.corpus.buffer import BufferCorpora, BufferFindings, CorpusUnavailable
from linter.corpus.extract import extractor_for, index_key
from linter.corpus.phase import corpus_rules_wanted
from linter.diagnostic import Diagnostic
from linter.document import Document, compute_line_starts
from linter.engine import RunOptions, active_rules, lint_document
from linter.fix import apply_fixes
from linter.parse import format_for_path, parse_document
from linter.read import UnreadableFile, decode
from linter.rules import CORPUS_RULES

DEBOUNCE_SECONDS = 0.3
LANGUAGE_EXTENSIONS = {"markdown": ".md", "plaintext": ".txt", "html": ".html"}
_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def to_lsp_position(lines: list[str], line: int, column: int) -> types.Position:
    """1-based line and code-point column → 0-based line and UTF-16 character."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return types.Position(line=line - 1, character=utf16_units(text[: column - 1]) + max(0, column - 1 - len(text)))


def source_lines(text: str) -> list[str]:
    starts = compute_line_starts(text)
    ends = [*starts[1:], len(text)]
    return [text[start:end].rstrip("\r\n") for start, end in zip(starts, ends, strict=True)]


def uri_to_path(uri: str, language_id: str | None = None) -> str:
    """A file system path for ``file:`` URIs; a made-up name with the right extension otherwise."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return unquote(parsed.path)
    name = os.path.basename(unquote(parsed.path)) or "untitled"
    if not os.path.splitext(name)[1] and language_id in LANGUAGE_EXTENSIONS:
        name += LANGUAGE_EXTENSIONS[language_id]
    return name


def newline_of(text: str) -> str:
    """The document's line ending: the first one in it, else LF."""
    for index, char in enumerate(text):
        if char == "\n":
            return "\n"
        if char == "\r":
            return "\r\n" if text.startswith("\r\n", index) else "\r"
    return "\n"


def disable_comment(path: str, rule: str) -> str:
    if format_for_path(path) == "text":
        return f"# doclint-disable-next-line {rule}"
    return f"<!-- doclint-disable-next-line {rule} -->"


T = TypeVar("T")


class CorpusThread:
    """One daemon thread for corpus work: it owns the SQLite connections (they stay on the
    thread that opened them) and runs jobs in order. A daemon, so that a long first indexing
    never holds up the editor's exit."""

    def __init__(self) -> None:
        self.corpora = BufferCorpora()  # touched on the thread only
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        threading.Thread(target=self._run, name="doclint-corpus", daemon=True).start()

    def _run(self) -> None:
        while True:
            self._jobs.get()()

    def submit(self, job: Callable[[], T]) -> asyncio.Future[T]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()

        def settle(result: T | None, error: BaseException | None) -> None:
            if future.cancelled():
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)  # type: ignore[arg-type]

        def run() -> None:
            try:
                result = job()
            except BaseException as error:  # handed to the event loop, which reports it
                loop.call_soon_threadsafe(settle, None, error)
            else:
                loop.call_soon_threadsafe(settle, result, None)

        self._jobs.put(run)
        return future


@dataclass
class _Linted:
    path: str
    config: Config
    text: str  # BOM removed
    diagnostics: list[Diagnostic]
    corpus_rules: list[RuleSettings] = field(default_factory=list)
    document: Document | None = None  # parsed, for the corpus rules (when they are on)


@dataclass
class _Shown:
    """What is published for one open document."""

    version: int | None
    lines: list[str]
    document: list[types.Diagnostic]
    corpus: list[types.Diagnostic] = field(default_factory=list)
    corpus_lines: list[str] = field(default_factory=list)  # the text the corpus findings were made on


class DoclintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("doclint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self._pending: dict[str, asyncio.TimerHandle] = {}
        self._configs: dict[tuple[str, float], Config] = {}  # (config file or "", its mtime) → configuration
        self._config_errors: set[str] = set()
        self._corpus_thread: CorpusThread | None = None
        self._shown: dict[str, _Shown] = {}
        self._corpus_wanted: dict[str, int | None] = {}  # uri → the version a corpus query is for
        self._messages_shown: set[str] = set()
        self.stopping = False  # after shutdown: the client may close the stream at any moment

    # ------------------------------------------------------------------ configuration

    def config_for(self, path: str) -> Config | None:
        directory = os.path.dirname(os.path.abspath(path))
        found = discover_config_file(Path(directory))
        # Keyed by the file, not the directory: files under one rules.yaml share one Config
        # (and so one open corpus index).
        stamp = (str(found), found.stat().st_mtime) if found is not None else ("", 0.0)
        cached = self._configs.get(stamp)
        if cached is not None:
            return cached
        try:
            config = load_config(str(found) if found is not None else None, start=Path(directory))
        except ConfigError as error:
            message = str(error)
            if message not in self._config_errors:  # say it once, not on every keystroke
                self._config_errors.add(message)
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))
            return None
        self._config_errors.clear()
        self._configs[stamp] = config
        return config

    def forget_configs(self) -> None:
        self._configs.clear()

    # ------------------------------------------------------------------ linting

    def is_lintable(self, uri: str) -> bool:
        document = self.workspace.get_text_document(uri)
        if document.language_id in LANGUAGE_EXTENSIONS:
            return True
        path = uri_to_path(uri, document.language_id)
        config = self.config_for(path)
        return config is not None and config.is_included(path)

    def lint_buffer(self, uri: str, corpus: bool = False) -> _Linted | None:
        """The buffer's text and document diagnostics (and, with ``corpus``, what the corpus
        rules need); None when it is not ours to lint."""
        document = self.workspace.get_text_document(uri)
        if not self.is_lintable(uri):
            return None
        path = uri_to_path(uri, document.language_id)
        config = self.config_for(path)
        if config is None:
            return None
        try:
            source = decode(document.source.encode("utf-8", "surrogatepass"))
        except UnreadableFile:
            return None  # a binary buffer: nothing to say
        if os.path.isabs(path) and config.is_excluded(path):
            return _Linted(path, config, source.text, [])
        options = RunOptions(as_of=datetime.date.today())
        parsed = parse_document(path, source.text, config.parse_options)
        diagnostics = lint_document(parsed, config, options)
        corpus_rules = [s for s in active_rules(config, path, options) if s.id in CORPUS_RULES] if corpus else []
        # The corpus record is extracted on the corpus thread, off the request path.
        return _Linted(path, config, source.text, diagnostics, corpus_rules, parsed if corpus_rules else None)

    def lint_now(self, uri: str) -> None:
        """Publish the document rules' findings now, then start a corpus query for this version."""
        self._pending.pop(uri, None)
        if self.stopping:
            return
        linted = self.lint_buffer(uri, corpus=True)
        if linted is None:
            return
        lines = source_lines(linted.text)
        version = self.workspace.get_text_document(uri).version
        shown = _Shown(version, lines, [to_lsp(d, lines) for d in linted.diagnostics])
        previous = self._shown.get(uri)
        if previous is not None and linted.document is not None:
            # Until the new query answers, keep the corpus findings whose lines did not change.
            shown.corpus = [d for d in previous.corpus if _same_lines(d.range, previous.corpus_lines, lines)]
            shown.corpus_lines = previous.corpus_lines
        self._shown[uri] = shown
        self.publish(uri)
        if linted.document is not None:
            self._corpus_wanted[uri] = version
            asyncio.get_running_loop().create_task(self._corpus_query(uri, version, linted))
        else:
            self._corpus_wanted.pop(uri, None)

    def publish(self, uri: str) -> None:
        if self.stopping:
            return
        shown = self._shown[uri]
        diagnostics = shown.document + shown.corpus
        diagnostics.sort(key=lambda d: (d.range.start.line, d.range.start.character, str(d.code)))
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=shown.version, diagnostics=diagnostics)
        )

    # ------------------------------------------------------------------ corpus rules

    @property
    def corpus_thread(self) -> CorpusThread:
        if self._corpus_thread is None:
            self._corpus_thread = CorpusThread()
        return self._corpus_thread

    def warm_corpus(self) -> None:
        """Bring each workspace folder's corpus index up to date before the first buffer asks."""
        roots = [uri_to_path(folder.uri) for folder in self.workspace.folders.values()]
        if not roots and self.workspace.root_path:
            roots = [self.workspace.root_path]
        seen: set[int] = set()
        for root in roots:
            config = self.config_for(os.path.join(root, "_"))
            if config is None or not config.corpus or id(config) in seen:
                continue  # without corpus globs, buffers meet what CLI runs indexed: nothing to prepare
            if not corpus_rules_wanted(config, None, frozenset()):
                continue
            seen.add(id(config))
            task = self.corpus_thread.submit(functools.partial(self.corpus_thread.corpora.refresh, config))
            asyncio.get_running_loop().create_task(self._report_warm_up(task))

    async def _report_warm_up(self, task: asyncio.Future[list[str]]) -> None:
        try:
            notices = await task
        except CorpusUnavailable as error:
            self.corpus_notice(str(error), types.MessageType.Warning)
            return
        except Exception as error:  # never take the server down
            self.corpus_notice(f"corpus indexing failed: {error!r}", types.MessageType.Error)
            return
        for notice in notices:
            self.corpus_notice(notice, types.MessageType.Info)

    async def _corpus_query(self, uri: str, version: int | None, linted: _Linted) -> None:
        document = linted.document
        assert document is not None
        as_of = datetime.date.today()

        def query() -> BufferFindings | None:
            if self._corpus_wanted.get(uri) != version:
                return None  # a newer version (or a close) came in while this one waited
            record = extractor_for(linted.config).record(document, index_key(linted.path), for_run=True)
            return self.corpus_thread.corpora.check(linted.config, record, linted.path, linted.corpus_rules, as_of)

        try:
            findings = await self.corpus_thread.submit(query)
        except CorpusUnavailable as error:
            self.corpus_notice(str(error), types.MessageType.Warning, popup=False)
            self._show_corpus(uri, version, [])
            return
        except Exception as error:  # a bug in a corpus rule must not take the server down
            self.corpus_notice(f"corpus rules failed on {linted.path}: {error!r}", types.MessageType.Error)
            self._show_corpus(uri, version, [])
            return
        if findings is None:
            return
        for notice in findings.notices:
            self.corpus_notice(notice, types.MessageType.Info)
        self._show_corpus(uri, version, findings.diagnostics)

    def _show_corpus(self, uri: str, version: int | None, diagnostics: list[Diagnostic]) -> None:
        """Publish corpus findings made on ``version``, unless the buffer has moved on since."""
        shown = self._shown.get(uri)
        if shown is None or shown.version != version or self._corpus_wanted.get(uri) != version:
            return
        corpus = [to_lsp(d, shown.lines) for d in diagnostics]
        unchanged = corpus == shown.corpus
        shown.corpus, shown.corpus_lines = corpus, shown.lines
        if not unchanged:  # no second publication of the same list
            self.publish(uri)

    def corpus_notice(self, message: str, kind: types.MessageType, popup: bool = True) -> None:
        """Every notice goes to the log; a warning or error pops up once."""
        if self.stopping:
            return
        self.window_log_message(types.LogMessageParams(type=kind, message=f"doclint: {message}"))
        serious = kind in (types.MessageType.Warning, types.MessageType.Error)
        if popup and serious and message not in self._messages_shown:
            self._messages_shown.add(message)
            self.window_show_message(types.ShowMessageParams(type=kind, message=f"doclint: {message}"))

    def forget(self, uri: str) -> None:
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self._shown.pop(uri, None)
        self._corpus_wanted.pop(uri, None)

    def lint_later(self, uri: str) -> None:
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self._pending[uri] = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, self.lint_now, uri)

    def lint_open_documents(self) -> None:
        for uri in list(self.workspace.text_documents):
            self.lint_now(uri)


def _same_lines(span: types.Range, before: list[str], after: list[str]) -> bool:
    lines = range(span.start.line, span.end.line + 1)
    return all(line < len(before) and line < len(after) and before[line] == after[line] for line in lines)


def to_lsp(diagnostic: Diagnostic, lines: list[str]) -> types.Diagnostic:
    message = diagnostic.message
    if diagnostic.suggestion is not None:
        message += f" (suggestion: '{diagnostic.suggestion}')"
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(
                uri=Path(os.path.abspath(item.path)).as_uri(),
                range=types.Range(
                    start=types.Position(line=item.line - 1, character=item.column - 1),
                    end=types.Position(line=item.line - 1, character=item.column - 1),
                ),
            ),
            message=item.message or f"same text in {item.path}",
        )
        for item in diagnostic.related
    ]
    return types.Diagnostic(
        range=types.Range(
            start=to_lsp_position(lines, diagnostic.line, diagnostic.column),
            end=to_lsp_position(lines, diagnostic.end_line, diagnostic.end_column),
        ),
        message=message,
        severity=_SEVERITY[diagnostic.severity],
        code=diagnostic.rule,
        source="doclint",
        related_information=related or None,
        data={"rule": diagnostic.rule, "suggestion": diagnostic.suggestion, "fix_safe": diagnostic.fix_safe},
    )


FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.doclint"


def fix_all_action(server: DoclintServer, uri: str) -> types.CodeAction | None:
    """One edit that applies every safe fix in the buffer (``source.fixAll``, e.g. on save)."""
    linted = server.lint_buffer(uri)
    if linted is None:
        return None
    text = linted.text
    fixed, applied = apply_fixes(text, linted.diagnostics, newline_of(text))
    if not applied:
        return None
    lines = source_lines(text)
    end = types.Position(line=len(lines) - 1, character=utf16_units(lines[-1]))
    edit = types.TextEdit(range=types.Range(start=types.Position(line=0, character=0), end=end), new_text=fixed)
    return types.CodeAction(
        title=f"Apply {applied} safe doclint fix{'es' if applied != 1 else ''}",
        kind=FIX_ALL_KIND,
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
    )


def _wants(only: list[str] | None, kind: str) -> bool:
    """Whether a client that asked for ``only`` these kinds wants an action of ``kind``."""
    return only is None or any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


def code_actions(server: DoclintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    only = [str(getattr(kind, "value", kind)) for kind in params.context.only] if params.context.only else None
    actions: list[types.CodeAction] = []
    if _wants(only, FIX_ALL_KIND):
        fix_all = fix_all_action(server, uri)
        if fix_all is not None:
            actions.append(fix_all)
    if not _wants(only, types.CodeActionKind.QuickFix.value):
        return actions
    document = server.workspace.get_text_document(uri)
    path = uri_to_path(uri, document.language_id)
    lines = source_lines(document.source)
    newline = newline_of(document.source)
    for diagnostic in params.context.diagnostics:
        if diagnostic.source != "doclint":
            continue
        data: dict[str, Any] = diagnostic.data if isinstance(diagnostic.data, dict) else {}
        rule = str(data.get("rule") or diagnostic.code or "")
        suggestion = data.get("suggestion")
        if isinstance(suggestion, str):
            actions.append(
                types.CodeAction(
                    title=f"Replace with '{suggestion}'",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    is_preferred=bool(data.get("fix_safe")),
                    edit=types.WorkspaceEdit(
                        changes={uri: [types.TextEdit(range=diagnostic.range, new_text=suggestion)]}
                    ),
                )
            )
        if rule:
            line = diagnostic.range.start.line
            text = lines[line] if line < len(lines) else ""
            indent = text[: len(text) - len(text.lstrip(" \t"))]
            comment = f"{indent}{disable_comment(path, rule)}{newline}"
            start = types.Position(line=line, character=0)
            actions.append(
                types.CodeAction(
                    title=f"Disable {rule} for this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=types.WorkspaceEdit(
                        changes={uri: [types.TextEdit(range=types.Range(start=start, end=start), new_text=comment)]}
                    ),
                )
            )
    return actions


def build_server() -> DoclintServer:
    server = DoclintServer()

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: DoclintServer, params: None) -> None:
        # Nothing more is sent: a corpus query finishing now would write to a closed stream.
        ls.stopping = True
        for pending in ls._pending.values():
            pending.cancel()
        ls._pending.clear()
        ls._corpus_wanted.clear()

    @server.feature(types.EXIT)
    def exit_(ls: DoclintServer, params: None) -> None:
        ls.stopping = True

    @server.feature(types.INITIALIZED)
    def initialized(ls: DoclintServer, params: types.InitializedParams) -> None:
        ls.warm_corpus()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DoclintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.lint_now(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DoclintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.lint_later(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DoclintServer, params: types.DidSaveTextDocumentParams) -> None:
        if os.path.basename(uri_to_path(params.text_document.uri)) in CONFIG_NAMES:
            ls.forget_configs()
            ls.lint_open_documents()
            return
        ls.lint_now(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DoclintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    def code_action(ls: DoclintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return code_actions(ls, params)

    return server


def serve() -> None:
    build_server().start_io()
