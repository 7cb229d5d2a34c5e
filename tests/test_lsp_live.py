"""The language server keeps up with typing and with the workspace (issue 11, items 1 and 7).

Over the protocol (pytest-lsp, the real server as a subprocess): rapid
changes are coalesced and the newest text is what gets published; requests
are answered while an analysis runs; file watchers are registered when the
client can take them; a base edited in another buffer rechecks the files
that extend it and asks the client to refresh lenses, hints and tokens;
code lenses run a command the server executes. And the `Worker` alone.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp", reason="these tests need pytest-lsp (pip install -e '.[test]')")

from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from spearmint_lang.loader import Loader  # noqa: E402
from spearmint_lang.lsp.analysis import Analysis  # noqa: E402
from spearmint_lang.lsp.worker import Job, Worker  # noqa: E402
from tests.conftest import answer_server_requests  # noqa: E402

aio = pytest.mark.asyncio(loop_scope="module")
TIMEOUT = 20.0
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "spearmint_lang.lsp"])


@pytest_lsp.fixture(scope="module", config=SERVER)
async def client(lsp_client: LanguageClient) -> Any:
    received = answer_server_requests(lsp_client)
    INIT_RESULTS.append(await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code"))))
    RECEIVED_LIST.append(received)
    global DIAGNOSTICS
    DIAGNOSTICS = lambda: dict(lsp_client.diagnostics)  # noqa: E731
    yield
    await lsp_client.shutdown_session()


def big(lines: int, value: int = 1) -> str:
    """A file of many small documents."""
    block = 'model: ["a", "b"]*\nlr: 0.1..0.5 step 0.1\nn: {n}\n'
    return "\n---\n".join(block.format(n=value) for _ in range(lines // 4))


def open_doc(client: LanguageClient, path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="mint", version=1, text=text)))
    return uri


def clean(client: LanguageClient, uri: str) -> bool:
    """Whether the server published diagnostics for `uri`, and none."""
    return uri in client.diagnostics and not client.diagnostics[uri]


def change(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))


DIAGNOSTICS: Any = lambda: None  # noqa: E731 - set by the fixture, for failure messages


async def until(check: Any, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; diagnostics: {DIAGNOSTICS()}")
        await asyncio.sleep(0.02)


@aio
async def test_file_watchers_are_registered(client: LanguageClient) -> None:
    received = client_received(client)
    await until(lambda: any(m == lsp.CLIENT_REGISTER_CAPABILITY for m, _ in received), "a registration")
    params = next(p for m, p in received if m == lsp.CLIENT_REGISTER_CAPABILITY)
    (registration,) = params.registrations
    assert registration.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES
    assert registration.register_options == {"watchers": [{"globPattern": "**/*.mint"}]}


def client_received(client: LanguageClient) -> list[tuple[str, Any]]:
    """The requests the server sent this module's client."""
    return RECEIVED_LIST[-1]


RECEIVED_LIST: list[list[tuple[str, Any]]] = []
INIT_RESULTS: list[lsp.InitializeResult] = []


@aio
async def test_rapid_changes_publish_the_newest_text(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_doc(client, tmp_path / "typing.mint", big(2000))
    await until(lambda: uri in client.diagnostics, "the first diagnostics")
    for version in range(2, 32):
        change(client, uri, big(2000, value=version) + ("\nbad: [1," if version == 31 else ""), version)
    # A hover while analyses run is answered at once, from the latest analysis.
    start = time.monotonic()
    answer = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=0, character=1)))
    assert answer is not None and time.monotonic() - start < 5
    # Only the newest text's diagnostics are published: its mistake, on its last line.
    await until(lambda: bool(client.diagnostics.get(uri)), "the newest text's diagnostics")
    found = client.diagnostics[uri]
    assert [d.range.start.line for d in found] == [big(2000).count("\n") + 1]


@aio
async def test_a_base_edited_in_another_buffer_rechecks_its_dependents(client: LanguageClient,
                                                                        tmp_path: Path) -> None:
    received = client_received(client)
    base = open_doc(client, tmp_path / "base.mint", 'model: ["a", "b"]*\n')
    main = open_doc(client, tmp_path / "main.mint", 'extends "base.mint"\nseed: 1\n')
    await until(lambda: clean(client, main), "clean diagnostics")
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(
        text_document=lsp.TextDocumentIdentifier(uri=main)))
    assert lenses is not None and [lens.command.title for lens in lenses if lens.command] == ["2 configs"]
    before = len([m for m, _ in received if m == lsp.WORKSPACE_CODE_LENS_REFRESH])
    change(client, base, 'model: ["a", "b"\n', 2)  # unsaved, and now broken
    await until(lambda: bool(client.diagnostics.get(main)), "the dependent's diagnostics")
    assert client.diagnostics[main][0].range.start.line == 0  # shown on its `extends`
    await until(lambda: len([m for m, _ in received if m == lsp.WORKSPACE_CODE_LENS_REFRESH]) > before,
                "a code lens refresh")
    # (The server asks for each refresh in turn: the tokens' may come a moment after the lenses'.)
    await until(lambda: lsp.WORKSPACE_SEMANTIC_TOKENS_REFRESH in {m for m, _ in received}, "a semantic tokens refresh")
    kinds = {m for m, _ in received}
    # This client (VS Code's capabilities as pytest-lsp records them) can refresh
    # lenses and tokens, not inlay hints: the server asks for what it supports.
    assert lsp.WORKSPACE_SEMANTIC_TOKENS_REFRESH in kinds and lsp.WORKSPACE_INLAY_HINT_REFRESH not in kinds
    change(client, base, 'model: ["a", "b", "c"]*\n', 3)
    await until(lambda: clean(client, main), "cleared diagnostics")
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(
        text_document=lsp.TextDocumentIdentifier(uri=main)))
    assert lenses is not None and [lens.command.title for lens in lenses if lens.command] == ["3 configs"]


@aio
async def test_a_code_lens_runs_a_command_the_server_executes(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_doc(client, tmp_path / "lens.mint", 'a: [1, 2, 3]*\n---\nb: 0..<10\n')
    await until(lambda: uri in client.diagnostics, "diagnostics")
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert lenses is not None
    commands = [lens.command for lens in lenses]
    assert [(c.title, c.command, list(c.arguments or [])) for c in commands if c] == [
        ("3 configs", "mintc.count", [uri, 1]), ("10 configs", "mintc.count", [uri, 2])]
    shown = await client.workspace_execute_command_async(lsp.ExecuteCommandParams(
        command="mintc.count", arguments=[uri, 2]))
    assert shown == "document 2 of lens.mint: 10 configs"
    await until(lambda: any(m.message == shown for m in client.messages), "the message")


# --- the worker alone -------------------------------------------------------------------

def test_the_worker_coalesces_changes_and_analyses_the_newest(tmp_path: Path) -> None:
    done: list[Analysis] = []
    finished = threading.Event()

    def on_done(uri: str, analysis: Analysis | None, because: str | None) -> None:
        assert analysis is not None
        done.append(analysis)
        if analysis.version == 20:
            finished.set()

    worker = Worker(Loader(), on_done)
    uri = (tmp_path / "w.mint").as_uri()
    for version in range(1, 21):
        worker.submit(Job(uri, big(3000, value=version), version, "utf-16"))
    assert finished.wait(TIMEOUT)
    assert done[-1].version == 20 and "n: 20" in done[-1].text
    assert len(done) <= 3  # the first, perhaps one more, and the newest: never all twenty
    assert worker.wait(uri, 20).result(timeout=1) is done[-1]


def test_a_failing_analysis_leaves_the_worker_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spearmint_lang.lsp import worker as module

    real = module.Analysis

    def flaky(uri: str, text: str, *args: Any, **kwargs: Any) -> Analysis:
        if "boom" in text:
            raise RuntimeError("boom")
        return real(uri, text, *args, **kwargs)

    monkeypatch.setattr(module, "Analysis", flaky)
    seen: list[Analysis | None] = []
    worker = Worker(Loader(), lambda uri, a, because: seen.append(a))
    uri = (tmp_path / "f.mint").as_uri()
    waiting = worker.wait(uri, 1)
    worker.submit(Job(uri, "boom: 1\n", 1, "utf-16"))
    assert waiting.result(timeout=TIMEOUT) is None or waiting.done()
    worker.submit(Job(uri, "a: 1\n", 2, "utf-16"))
    assert worker.wait(uri, 2).result(timeout=TIMEOUT) is not None


def test_a_failed_analysis_does_not_answer_those_who_wait_for_a_newer_text(tmp_path: Path) -> None:
    """A request waiting for version 2 while version 1 fails (version 2 already
    submitted) keeps waiting for version 2 (it got None before the fix)."""
    worker = Worker(Loader(), lambda uri, a, because: None)
    uri = (tmp_path / "f.mint").as_uri()
    one, two = Job(uri, "a: 1\n", 1, "utf-16"), Job(uri, "a: 2\n", 2, "utf-16")
    worker._pending[uri] = two  # as if submitted while version 1 was analysed
    waiting = worker._waiters.setdefault(uri, [])
    future = worker.wait(uri, 2)
    assert waiting and not future.done()
    worker._settle(one, None)
    assert not future.done()
    worker._pending.clear()
    worker._settle(two, Analysis(uri, two.text or "", 2, "utf-16", Loader()))
    result = future.result(timeout=1)
    assert result is not None and result.version == 2


@aio
async def test_every_capability_of_issue_11_is_advertised(client: LanguageClient) -> None:
    result = INIT_RESULTS[-1].capabilities
    assert result.hover_provider and result.definition_provider and result.document_symbol_provider
    assert result.references_provider and result.document_highlight_provider
    assert result.rename_provider == lsp.RenameOptions(prepare_provider=True)
    assert isinstance(result.code_action_provider, lsp.CodeActionOptions)
    assert list(result.code_action_provider.code_action_kinds or []) == [lsp.CodeActionKind.QuickFix]
    assert result.code_lens_provider is not None
    assert result.execute_command_provider is not None
    assert list(result.execute_command_provider.commands) == ["mintc.count"]
    assert result.document_formatting_provider
    assert result.folding_range_provider and result.selection_range_provider
    assert result.inlay_hint_provider
    tokens = result.semantic_tokens_provider
    assert tokens is not None and tokens.full == lsp.SemanticTokensFullDelta(delta=True) and tokens.range
    assert "sweep" in tokens.legend.token_modifiers and "property" in tokens.legend.token_types
    assert result.completion_provider is not None
    assert list(result.completion_provider.trigger_characters or []) == [".", '"', "/"]
