"""The language server for `.mint` files: `mintc lsp`, LSP over stdio.

The server only registers handlers and hands each change to the `Worker`
(worker.py), which analyses open documents on a thread of its own, newest
text first; every feature is a plain function of (analysis, position) in a
module of its own, answered from the latest analysis (or, for answers that
edit or place things in the text, from the analysis of the current text).
Analyses come from the compiler's driver through one `Loader`, whose overlay
holds the unsaved text of every open file, so a file that extends an open,
edited base sees the edits.

No handler may take the server down: each one catches every exception,
logs it (stderr and `window/logMessage`) and answers "nothing". A message
whose params do not fit its method never reaches a handler: `MintProtocol`
answers it with JSON-RPC's InvalidParams error (or logs a notification).

Requests answer only for documents the client opened: pygls' workspace
would read any other URI from disk (`file:///dev/zero` included), so the
server looks documents up itself and answers null for the rest.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from .. import __version__
from ..loader import Loader
from .analysis import Analysis
from .code_actions import code_actions
from .code_lens import COUNT_COMMAND, code_lenses, count_message
from .completion import completions
from .definition import definition
from .diagnostics import diagnostics
from .formatting import formatting
from .hover import hover
from .inlay_hints import inlay_hints
from .positions import encoding_of
from .protocol import MintProtocol
from .references import RenameError, document_highlight, prepare_rename, references, rename
from .semantic_tokens import LEGEND, semantic_tokens_delta, semantic_tokens_full, semantic_tokens_range
from .structure import folding_ranges, selection_ranges
from .symbols import document_symbols
from .worker import Job, Worker

log = logging.getLogger("mintc.lsp")

SERVER_NAME = "mintc"
WAIT = 30.0  # seconds a request waits at most for an analysis it needs

R = TypeVar("R")


class MintLanguageServer(LanguageServer):
    """pygls server holding the analysis of each open document."""

    def __init__(self) -> None:
        super().__init__(SERVER_NAME, __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full,
                         protocol_cls=MintProtocol)
        self.loader = Loader()  # used by the worker's thread only
        self.worker = Worker(self.loader, self._analysed)
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def encoding(self) -> str:
        """The position encoding agreed with the client."""
        try:
            enc = self.workspace.position_encoding
        except Exception:  # noqa: BLE001 - before `initialize` there is no workspace
            enc = None
        return encoding_of(enc)

    def document(self, uri: str) -> TextDocument | None:
        """The open document at `uri`, or None: never a file read from disk, as
        pygls' `get_text_document` would for a document the client did not open."""
        # pygls keys open documents by their unquoted URI.
        found: TextDocument | None = self.workspace.text_documents.get(unquote(uri))
        return found

    def open_uris(self) -> list[str]:
        """The URIs of the open documents, as the client wrote them."""
        return [doc.uri for doc in list(self.workspace.text_documents.values())]

    def analysis(self, uri: str, *, current: bool = False) -> Analysis | None:
        """The latest analysis of an open document, or None for a document the
        client has not opened. It may be of an older text while the newest is
        analysed; with `current`, it is of the document's current text (this
        waits for it, which takes one analysis at most)."""
        doc = self.document(uri)
        if doc is None:
            return None
        latest = self.worker.latest(uri)
        if latest is not None and not current:
            return latest
        if latest is not None and latest.text == doc.source and latest.encoding == self.encoding:
            return latest
        if self.worker.idle():
            self.changed(uri)  # e.g. after the position encoding changed
        try:
            found = self.worker.wait(uri, doc.version or 0).result(timeout=WAIT)
        except TimeoutError:
            log.warning("mintc lsp: no analysis of %s after %s s", uri, WAIT)
            return None
        if current and (found is None or found.text != doc.source):
            return None  # it changed again meanwhile: better nothing than edits of another text
        return found

    def changed(self, uri: str, because: str | None = None) -> None:
        """A document's text changed (or one it reads did): have it analysed."""
        doc = self.document(uri)
        if doc is None:
            return
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        self.worker.submit(Job(uri, doc.source, doc.version or 0, self.encoding, because))

    def closed(self, uri: str) -> None:
        """Forget a closed document; files that extend it read it from disk again."""
        self.worker.submit(Job(uri, None, 0, self.encoding))
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def recheck_all(self) -> None:
        """Analyse every open document again (a file they read may have changed on disk)."""
        for uri in self.open_uris():
            self.changed(uri, because="disk")

    def _analysed(self, uri: str, analysis: Analysis | None, because: str | None) -> None:
        """The worker finished an analysis (on its thread): publish it on the server's."""
        if self._loop is None or analysis is None:
            return
        self._loop.call_soon_threadsafe(_safely, self, "publishing diagnostics",
                                        functools.partial(self.publish, analysis, because))

    def publish(self, analysis: Analysis, because: str | None = None) -> None:
        """Send a finished analysis' diagnostics, unless its document has changed
        since (a newer analysis is on its way) or was closed. An analysis made
        because another file changed also refreshes what the client shows of it."""
        doc = self.document(analysis.uri)
        if doc is None or doc.source != analysis.text:
            return
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=analysis.uri, diagnostics=diagnostics(analysis), version=analysis.version))
        if because is not None:
            self.refresh()

    def watch_files(self) -> None:
        """Ask the client to report changes of `.mint` files on disk, when it
        can be asked (dynamic registration of `workspace/didChangeWatchedFiles`)."""
        workspace = self.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace is not None else None
        if watched is None or not watched.dynamic_registration:
            return
        options = lsp.DidChangeWatchedFilesRegistrationOptions(watchers=[lsp.FileSystemWatcher(glob_pattern="**/*.mint")])
        self.client_register_capability(lsp.RegistrationParams(registrations=[lsp.Registration(
            id="mintc-watch-mint-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options)]))

    def refresh(self) -> None:
        """Ask the client to request code lenses, inlay hints and semantic tokens
        again, for each it supports refreshing."""
        workspace = self.client_capabilities.workspace if self.client_capabilities else None
        if workspace is None:
            return
        asks: list[tuple[object, Callable[[None], object]]] = [
            (workspace.code_lens, self.workspace_code_lens_refresh),
            (workspace.inlay_hint, self.workspace_inlay_hint_refresh),
            (workspace.semantic_tokens, self.workspace_semantic_tokens_refresh),
        ]
        for support, ask in asks:
            if support is not None and getattr(support, "refresh_support", False):
                ask(None)


def _report(ls: LanguageServer, what: str) -> None:
    log.exception("mintc lsp: %s failed", what)
    try:
        ls.window_log_message(lsp.LogMessageParams(
            type=lsp.MessageType.Error, message=f"mintc lsp: {what} failed: {sys.exc_info()[1]!r}"))
    except Exception:  # noqa: BLE001 - logging must never fail a request
        log.exception("mintc lsp: could not send a log message")


def _safely(ls: LanguageServer, what: str, fn: Callable[[], R]) -> R | None:
    """Run `fn`; on any exception log it and return None."""
    try:
        return fn()
    except Exception:  # noqa: BLE001 - a broken file must never take the server down
        _report(ls, what)
        return None


def _answer(ls: MintLanguageServer, what: str, uri: str, feature: Callable[[Analysis], R], *,
            current: bool = False) -> R | None:
    """Run a feature on an open document; None (safely) for one the client never opened.
    Answers come from the latest analysis at once; with `current` (for answers
    that edit the text: formatting, rename, code actions), from the analysis of
    the document's current text."""
    def run() -> R | None:
        analysis = ls.analysis(uri, current=current)
        return None if analysis is None else feature(analysis)

    return _safely(ls, what, run)


def create_server() -> MintLanguageServer:
    """A server with every feature registered."""
    server = MintLanguageServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: MintLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        _safely(ls, "didOpen", lambda: ls.changed(params.text_document.uri))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: MintLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        _safely(ls, "didChange", lambda: ls.changed(params.text_document.uri))

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: MintLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        # Saving a file may fix or break the files that extend it.
        _safely(ls, "didSave", ls.recheck_all)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: MintLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        _safely(ls, "didClose", lambda: ls.closed(params.text_document.uri))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: MintLanguageServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        _safely(ls, "didChangeWatchedFiles", ls.recheck_all)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: MintLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return _answer(ls, "hover", params.text_document.uri, lambda a: hover(a, params.position))

    @server.feature(lsp.TEXT_DOCUMENT_CODE_LENS)
    def on_code_lens(ls: MintLanguageServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens] | None:
        return _answer(ls, "codeLens", params.text_document.uri, code_lenses)

    @server.command(COUNT_COMMAND)
    def on_count(ls: MintLanguageServer, uri: str, number: int) -> str | None:
        """Run a code lens: show its document's count (arguments: URI, document number)."""
        message = _answer(ls, "mintc.count", uri, lambda a: count_message(a, number))
        if message is not None:
            ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Info, message=message))
        return message

    @server.feature(lsp.INITIALIZED)
    def on_initialized(ls: MintLanguageServer, params: lsp.InitializedParams) -> None:
        _safely(ls, "registering file watchers", ls.watch_files)

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(ls: MintLanguageServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
        return _answer(ls, "documentSymbol", params.text_document.uri, document_symbols)

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[".", "\"", "/"]))
    def on_completion(ls: MintLanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
        def run(analysis: Analysis) -> lsp.CompletionList:
            found = completions(analysis, params.position)
            return lsp.CompletionList(is_incomplete=False, items=found)

        return _answer(ls, "completion", params.text_document.uri, run)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def on_definition(ls: MintLanguageServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        return _answer(ls, "definition", params.text_document.uri, lambda a: definition(a, params.position))

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def on_formatting(ls: MintLanguageServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
        return _answer(ls, "formatting", params.text_document.uri, formatting, current=True)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def on_code_action(ls: MintLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        return _answer(ls, "codeAction", params.text_document.uri, lambda a: code_actions(a, params), current=True)

    def other_analyses(ls: MintLanguageServer, uri: str) -> list[Analysis]:
        """The other open documents: the files that extend this one may share its keys."""
        found = (ls.analysis(other) for other in ls.open_uris() if other != uri)
        return [analysis for analysis in found if analysis is not None]

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def on_references(ls: MintLanguageServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
        uri = params.text_document.uri
        return _answer(ls, "references", uri, lambda a: references(
            a, params.position, params.context.include_declaration, other_analyses(ls, uri)))

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    def on_highlight(ls: MintLanguageServer,
                     params: lsp.DocumentHighlightParams) -> list[lsp.DocumentHighlight] | None:
        return _answer(ls, "documentHighlight", params.text_document.uri,
                       lambda a: document_highlight(a, params.position))

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    def on_prepare_rename(ls: MintLanguageServer,
                          params: lsp.PrepareRenameParams) -> lsp.PrepareRenamePlaceholder | None:
        return _answer(ls, "prepareRename", params.text_document.uri, lambda a: prepare_rename(a, params.position),
                       current=True)

    @server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
    def on_rename(ls: MintLanguageServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        uri = params.text_document.uri

        def run(analysis: Analysis) -> lsp.WorkspaceEdit | RenameError | None:
            try:
                return rename(analysis, params.position, params.new_name, other_analyses(ls, uri))
            except RenameError as refused:
                return refused

        result = _answer(ls, "rename", uri, run, current=True)
        if isinstance(result, RenameError):  # the client shows why the name cannot be written
            raise JsonRpcException(str(result), code=int(lsp.LSPErrorCodes.RequestFailed))
        return result

    @server.feature(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
    def on_folding(ls: MintLanguageServer, params: lsp.FoldingRangeParams) -> list[lsp.FoldingRange] | None:
        return _answer(ls, "foldingRange", params.text_document.uri, folding_ranges)

    @server.feature(lsp.TEXT_DOCUMENT_SELECTION_RANGE)
    def on_selection(ls: MintLanguageServer, params: lsp.SelectionRangeParams) -> list[lsp.SelectionRange] | None:
        return _answer(ls, "selectionRange", params.text_document.uri,
                       lambda a: selection_ranges(a, params.positions))

    # The legend with full, delta and range registered: pygls advertises `full: {delta: true}, range: true`.
    # Tokens and hints are placed in the text: they come from the analysis of the current text.
    @server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND)
    def on_semantic_tokens(ls: MintLanguageServer, params: lsp.SemanticTokensParams) -> lsp.SemanticTokens | None:
        return _answer(ls, "semanticTokens", params.text_document.uri, semantic_tokens_full, current=True)

    @server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA)
    def on_semantic_tokens_delta(ls: MintLanguageServer, params: lsp.SemanticTokensDeltaParams
                                 ) -> lsp.SemanticTokens | lsp.SemanticTokensDelta | None:
        return _answer(ls, "semanticTokens/delta", params.text_document.uri,
                       lambda a: semantic_tokens_delta(a, params.previous_result_id), current=True)

    @server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE)
    def on_semantic_tokens_range(ls: MintLanguageServer,
                                 params: lsp.SemanticTokensRangeParams) -> lsp.SemanticTokens | None:
        return _answer(ls, "semanticTokens/range", params.text_document.uri,
                       lambda a: semantic_tokens_range(a, params.range), current=True)

    @server.feature(lsp.TEXT_DOCUMENT_INLAY_HINT)
    def on_inlay_hints(ls: MintLanguageServer, params: lsp.InlayHintParams) -> list[lsp.InlayHint] | None:
        return _answer(ls, "inlayHint", params.text_document.uri, lambda a: inlay_hints(a, params.range),
                       current=True)

    return server


def main() -> None:
    """Run the language server on stdin/stdout until the client says `exit`."""
    # stdout carries the protocol; logs go to stderr (VS Code shows them in the server's output).
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(name)s: %(levelname)s: %(message)s")
    log.setLevel(logging.INFO)
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)  # counts of any size print (literals are capped at 4,000 digits)
    create_server().start_io()
