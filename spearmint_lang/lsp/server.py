"""The language server for `.mint` files: `mintc lsp`, LSP over stdio.

The server only registers handlers and keeps each open document's
`Analysis`; every feature is a plain function of (analysis, position) in a
module of its own. Analyses come from the compiler's driver through one
`Loader`, whose overlay holds the unsaved text of every open file, so a
file that extends an open, edited base sees the edits.

No handler may take the server down: each one catches every exception,
logs it (stderr and `window/logMessage`) and answers "nothing". A message
whose params do not fit its method never reaches a handler: `MintProtocol`
answers it with JSON-RPC's InvalidParams error (or logs a notification).

Requests answer only for documents the client opened: pygls' workspace
would read any other URI from disk (`file:///dev/zero` included), so the
server looks documents up itself and answers null for the rest.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from .. import __version__
from ..loader import Loader, identity
from .analysis import Analysis, source_path
from .code_lens import code_lenses
from .completion import completions
from .definition import definition
from .diagnostics import diagnostics
from .formatting import formatting
from .hover import hover
from .positions import encoding_of
from .protocol import MintProtocol
from .symbols import document_symbols

log = logging.getLogger("mintc.lsp")

SERVER_NAME = "mintc"

R = TypeVar("R")


class MintLanguageServer(LanguageServer):
    """pygls server holding the analysis of each open document."""

    def __init__(self) -> None:
        super().__init__(SERVER_NAME, __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full,
                         protocol_cls=MintProtocol)
        self.analyses: dict[str, Analysis] = {}
        self.loader = Loader()

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

    def analysis(self, uri: str) -> Analysis | None:
        """The analysis of an open document's current text (cached per text), or
        None for a document the client has not opened."""
        doc = self.document(uri)
        if doc is None:
            return None
        text = doc.source
        cached = self.analyses.get(uri)
        if cached is not None and cached.text == text and cached.version == doc.version and \
                cached.encoding == self.encoding:
            return cached
        fresh = Analysis(uri, text, doc.version, self.encoding, self.loader)
        self.analyses[uri] = fresh
        return fresh

    def publish(self, uri: str) -> None:
        """Check the document and send its diagnostics (an empty list clears them)."""
        analysis = self.analysis(uri)
        if analysis is None:
            return
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics(analysis), version=analysis.version))

    def changed(self, uri: str) -> None:
        """A document's text changed: check it, then the open files that extend it."""
        doc = self.document(uri)
        if doc is None:
            return
        path = source_path(uri)
        if not path.startswith("<"):
            self.loader.set_overlay(path, doc.source)
        self.publish(uri)
        self.republish_dependents(path, uri)

    def republish_dependents(self, path: str, changed: str) -> None:
        """Re-check the open documents whose compile read `path`."""
        ident = identity(path)
        for other in self.open_uris():
            analysis = self.analyses.get(other)
            if other == changed or analysis is None or ident not in analysis.unit.dependencies:
                continue
            self.analyses.pop(other, None)
            _safely(self, "publishing diagnostics", functools.partial(self.publish, other))

    def closed(self, uri: str) -> None:
        """Forget a closed document; files that extend it read it from disk again."""
        path = source_path(uri)
        self.analyses.pop(uri, None)
        if not path.startswith("<"):
            self.loader.drop_overlay(path)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self.republish_dependents(path, uri)

    def publish_all(self) -> None:
        """Re-check every open document (a file they extend may have changed on disk)."""
        self.analyses.clear()
        for uri in self.open_uris():
            _safely(self, "publishing diagnostics", functools.partial(self.publish, uri))


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


def _answer(ls: MintLanguageServer, what: str, uri: str, feature: Callable[[Analysis], R]) -> R | None:
    """Run a feature on an open document; None (safely) for one the client never opened."""
    def run() -> R | None:
        analysis = ls.analysis(uri)
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
        _safely(ls, "didSave", ls.publish_all)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: MintLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        _safely(ls, "didClose", lambda: ls.closed(params.text_document.uri))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: MintLanguageServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        _safely(ls, "didChangeWatchedFiles", ls.publish_all)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: MintLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return _answer(ls, "hover", params.text_document.uri, lambda a: hover(a, params.position))

    @server.feature(lsp.TEXT_DOCUMENT_CODE_LENS)
    def on_code_lens(ls: MintLanguageServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens] | None:
        return _answer(ls, "codeLens", params.text_document.uri, code_lenses)

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(ls: MintLanguageServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
        return _answer(ls, "documentSymbol", params.text_document.uri, document_symbols)

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions())
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
        return _answer(ls, "formatting", params.text_document.uri, formatting)

    return server


def main() -> None:
    """Run the language server on stdin/stdout until the client says `exit`."""
    # stdout carries the protocol; logs go to stderr (VS Code shows them in the server's output).
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(name)s: %(levelname)s: %(message)s")
    log.setLevel(logging.INFO)
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)  # counts of any size print (literals are capped at 4,000 digits)
    create_server().start_io()
