"""End-to-end tests of the language server (`spearmint_lang.lsp`, started by `mintc lsp`).

The real server runs as a subprocess and is driven over stdio by pytest-lsp's
client, as an editor would drive it. One server serves the whole module.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import itertools
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (pip install -e '.[lsp]')")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="these tests need pytest-lsp (pip install -e '.[test]')")

from lsprotocol import types as lsp  # noqa: E402
from pygls.exceptions import JsonRpcException  # noqa: E402
from tests.conftest import answer_server_requests  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

# One server (and event loop) for the whole module.
aio = pytest.mark.asyncio(loop_scope="module")

TIMEOUT = 15.0
HAS_FMT = importlib.util.find_spec("spearmint_lang.fmt") is not None

TUNING = """\
# 21 x 3 x 3 = 189 configs
model: "gpt-4"
temperature: 0.0..2.0 step 0.1
top_p: [0.9, 0.95, 1.0]*
frequency_penalty: [0.0, 0.5, 1.0]*
"""


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with files on disk, for `extends` (resolved relative to the document)."""
    root = tmp_path_factory.mktemp("lsp")
    (root / "base.mint").write_text('model: ["a", "b"]*\ntemperature: 0.5\n', encoding="utf-8")
    (root / "broken-base.mint").write_text("model: [1, 2\n", encoding="utf-8")
    (root / "cycle-a.mint").write_text('extends "cycle-b.mint"\nx: 1\n', encoding="utf-8")
    (root / "cycle-b.mint").write_text('extends "cycle-a.mint"\ny: 1\n', encoding="utf-8")
    return root


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "spearmint_lang.lsp"])


@pytest_lsp.fixture(scope="module", config=SERVER)
async def client(lsp_client: LanguageClient) -> Any:
    answer_server_requests(lsp_client)
    await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


def uri_of(path: Path) -> str:
    return path.as_uri()


async def open_doc(client: LanguageClient, path: Path, text: str) -> str:
    uri = uri_of(path)
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(uri=uri, language_id="mint", version=1, text=text))
    )
    return uri


def change_doc(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics(
    client: LanguageClient, uri: str, ok: Callable[[Sequence[lsp.Diagnostic]], bool] = lambda d: True
) -> Sequence[lsp.Diagnostic]:
    """Wait until the server has published diagnostics for `uri` that satisfy `ok`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while True:
        got = client.diagnostics.get(uri)
        if got is not None and ok(got):
            return got
        if loop.time() > deadline:
            raise AssertionError(f"no matching diagnostics for {uri}; last: {got!r}")
        await asyncio.sleep(0.02)


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def pos(text: str, needle: str, line: int | None = None, offset: int = 0) -> lsp.Position:
    """The LSP position (UTF-16) of `needle` in `text`, plus `offset` characters."""
    lines = text.split("\n")
    for i, content in enumerate(lines):
        if line is not None and i != line:
            continue
        col = content.find(needle)
        if col >= 0:
            return lsp.Position(line=i, character=utf16(content[: col + offset]))
    raise AssertionError(f"{needle!r} not in text")


def doc_id(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


async def hover_text(client: LanguageClient, uri: str, at: lsp.Position) -> str:
    result = await client.text_document_hover_async(lsp.HoverParams(text_document=doc_id(uri), position=at))
    assert result is not None
    assert isinstance(result.contents, lsp.MarkupContent)
    return result.contents.value


def lsp_lines(text: str) -> list[str]:
    """The lines of `text` as LSP counts them: `\n`, `\r\n` and a lone `\r` each end one."""
    return re.split(r"\r\n|\r|\n", text)


def lsp_pos(text: str, needle: str, offset: int = 0, units: Callable[[str], int] = utf16) -> lsp.Position:
    """The LSP position of `needle` in `text`, lines counted as LSP counts them."""
    for i, content in enumerate(lsp_lines(text)):
        col = content.find(needle)
        if col >= 0:
            return lsp.Position(line=i, character=units(content[: col + offset]))
    raise AssertionError(f"{needle!r} not in text")


def lsp_range(text: str, needle: str, units: Callable[[str], int] = utf16) -> lsp.Range:
    """The range of `needle` (on one LSP line) in `text`."""
    start = lsp_pos(text, needle, units=units)
    return lsp.Range(start=start, end=lsp_pos(text, needle, offset=len(needle), units=units))


_raw_ids = itertools.count(1)


async def raw_request(client: LanguageClient, method: str, params: object) -> object:
    """Send a request with params the typed client would refuse to build; its answer (or error)."""
    msg_id = f"raw-{next(_raw_ids)}"
    answer: Future[Any] = Future()
    # pygls' client has no public way to send an ill-formed message: use its own bookkeeping.
    client.protocol._request_futures[msg_id] = answer
    client.protocol._send_data({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
    return await asyncio.wait_for(asyncio.wrap_future(answer), TIMEOUT)


def raw_notify(client: LanguageClient, method: str, params: object) -> None:
    client.protocol._send_data({"jsonrpc": "2.0", "method": method, "params": params})


@contextlib.asynccontextmanager
async def own_client(encodings: list[str]) -> AsyncIterator[LanguageClient]:
    """A second server, for a client that offers other position encodings than VS Code."""
    started = await SERVER.start()
    assert isinstance(started, LanguageClient)
    capabilities = client_capabilities("visual-studio-code")
    general = capabilities.general or lsp.GeneralClientCapabilities()
    general.position_encodings = encodings
    capabilities.general = general
    try:
        result = await asyncio.wait_for(
            started.initialize_session(lsp.InitializeParams(capabilities=capabilities)), TIMEOUT)
        assert result.capabilities.position_encoding == encodings[0]
        yield started
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(started.shutdown_session(), TIMEOUT)
        server = started._server  # `stop` waits for the server to exit: make sure it does
        if server is not None and server.returncode is None:
            server.kill()
        await started.stop()


# --- diagnostics --------------------------------------------------------------------------------


@aio
async def test_diagnostic_position_code_and_clearing(client: LanguageClient, workdir: Path) -> None:
    # An emoji (two UTF-16 units) and an accented letter stand before the error on its line.
    text = 'tags: ["😀", "é"], temperature: 0..1 step 0\n'
    uri = await open_doc(client, workdir / "broken.mint", text)
    [diag] = await diagnostics(client, uri, lambda d: len(d) > 0)
    assert diag.code == "E030"
    assert diag.source == "mintc"
    assert diag.severity == lsp.DiagnosticSeverity.Error
    assert diag.message.startswith("the step of a range cannot be 0")
    assert "hint: use a positive step" in diag.message
    start = pos(text, "step 0", offset=5)
    assert start.character == 42  # 41 code points before it, the emoji counting twice
    assert diag.range.start == start
    assert diag.range.end == lsp.Position(line=0, character=43)

    change_doc(client, uri, text.replace("step 0", "step 1"), version=2)
    assert list(await diagnostics(client, uri, lambda d: len(d) == 0)) == []


@aio
async def test_diagnostic_on_a_later_line_with_related_information(client: LanguageClient, workdir: Path) -> None:
    text = 'model: "gpt-4"\nnote: "ß"\nmodel: "gpt-4o"\n'
    uri = await open_doc(client, workdir / "dup.mint", text)
    [diag] = await diagnostics(client, uri, lambda d: len(d) > 0)
    assert diag.code == "E020"
    assert diag.range == lsp.Range(start=lsp.Position(line=2, character=0), end=lsp.Position(line=2, character=5))
    assert diag.related_information is not None
    [rel] = diag.related_information
    assert rel.location.uri == uri
    assert rel.location.range.start == lsp.Position(line=0, character=0)
    assert "first defined here" in rel.message


@aio
async def test_every_mistake_is_reported_like_mintc_check(client: LanguageClient, workdir: Path) -> None:
    text = "a: 1,,\nb: undefined_name\nc: 10..0\n"
    uri = await open_doc(client, workdir / "many.mint", text)
    got = await diagnostics(client, uri, lambda d: len(d) > 0)
    assert [d.code for d in got] == ["E014", "E040", "E031"]
    assert [d.range.start.line for d in got] == [0, 1, 2]


@aio
async def test_extends_resolves_relative_to_the_document(client: LanguageClient, workdir: Path) -> None:
    # The server runs in another folder: `base.mint` is found beside the document.
    uri = await open_doc(client, workdir / "exp.mint", 'extends "base.mint"\ntemperature: [0.1, 0.2]*\n')
    assert list(await diagnostics(client, uri)) == []

    missing = await open_doc(client, workdir / "exp-missing.mint", 'extends "nowhere.mint"\nx: 1\n')
    [diag] = await diagnostics(client, missing, lambda d: len(d) > 0)
    assert diag.code == "E074"
    assert diag.range.start == lsp.Position(line=0, character=8)

    # A mistake inside the extended file is shown on the `extends` line, pointing there.
    broken = await open_doc(client, workdir / "exp-broken.mint", 'extends "broken-base.mint"\nx: 1\n')
    got = await diagnostics(client, broken, lambda d: len(d) > 0)
    assert got[0].range.start.line == 0
    assert "broken-base.mint:1:" in got[0].message
    assert got[0].related_information is not None
    assert got[0].related_information[0].location.uri == uri_of(workdir / "broken-base.mint")


@aio
async def test_an_open_edited_base_is_seen_by_the_files_that_extend_it(client: LanguageClient, workdir: Path) -> None:
    """Unsaved edits of a base reach the open files that extend it: their
    diagnostics are published again, and their counts follow."""
    (workdir / "live-base.mint").write_text('model: ["a", "b"]*\n', encoding="utf-8")
    derived = await open_doc(client, workdir / "live.mint", 'extends "live-base.mint"\nt: [1, 2]*\n')
    assert list(await diagnostics(client, derived)) == []

    async def lens() -> list[str]:
        found = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=doc_id(derived)))
        return [item.command.title for item in found or [] if item.command]

    assert await lens() == ["4 configs"]
    base = await open_doc(client, workdir / "live-base.mint", 'model: ["a", "b"]*\n')
    await diagnostics(client, base)
    client.diagnostics.pop(derived, None)
    change_doc(client, base, 'model: ["a", "b", "c"]*\n', version=2)  # not saved
    assert list(await diagnostics(client, derived)) == []
    assert await lens() == ["6 configs"]

    client.diagnostics.pop(derived, None)
    change_doc(client, base, "model: [1, 2\n", version=3)
    [diag] = await diagnostics(client, derived, lambda d: len(d) > 0)
    assert diag.code == "E003" and "live-base.mint:1:" in diag.message

    # Closed without saving: the file on disk counts again.
    client.diagnostics.pop(derived, None)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=doc_id(base)))
    assert list(await diagnostics(client, derived)) == []
    assert await lens() == ["4 configs"]


# --- hover and code lens -------------------------------------------------------------------------------


@aio
async def test_hover_on_swept_and_static_keys(client: LanguageClient, workdir: Path) -> None:
    uri = await open_doc(client, workdir / "tuning.mint", TUNING)
    await diagnostics(client, uri)

    top_p = await hover_text(client, uri, pos(TUNING, "top_p", offset=2))
    assert "3 values: 0.9, 0.95, 1.0" in top_p
    assert "document: 189 configs" in top_p

    temperature = await hover_text(client, uri, pos(TUNING, "temperature"))
    assert "21 values: 0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, …" in temperature

    model = await hover_text(client, uri, pos(TUNING, "model"))
    assert 'static: "gpt-4"' in model

    nothing = await client.text_document_hover_async(
        lsp.HoverParams(text_document=doc_id(uri), position=pos(TUNING, "# 21"))
    )
    assert nothing is None


@aio
async def test_hover_after_non_ascii_text_and_in_nested_objects(client: LanguageClient, workdir: Path) -> None:
    text = 'label: "😀😀", n: 0..100 step 25\nllm: { model: ["a", "b"]* }\n'
    uri = await open_doc(client, workdir / "hover.mint", text)
    await diagnostics(client, uri)
    n = await hover_text(client, uri, pos(text, "n: 0"))
    assert "5 values: 0, 25, 50, 75, 100" in n
    assert "document: 10 configs" in n
    nested = await hover_text(client, uri, pos(text, "model"))
    assert "llm.model" in nested
    assert '2 values: "a", "b"' in nested


@aio
async def test_hover_in_a_file_with_a_mistake_elsewhere(client: LanguageClient, workdir: Path) -> None:
    text = 'model: ["a", "b"]*\nllm: { x: [1, 2\n}\nz: 0..1 step 0\nw: 0..10 step 5\n'
    uri = await open_doc(client, workdir / "hover-broken.mint", text)
    await diagnostics(client, uri, lambda d: len(d) > 0)
    model = await hover_text(client, uri, pos(text, "model"))
    assert '2 values: "a", "b"' in model
    assert "no config count" in model
    assert "unknown" in await hover_text(client, uri, pos(text, "z:"))
    assert "3 values: 0, 5, 10" in await hover_text(client, uri, pos(text, "w:"))


@aio
async def test_code_lens_counts_each_document(client: LanguageClient, workdir: Path) -> None:
    uri = await open_doc(client, workdir / "lens.mint", TUNING)
    await diagnostics(client, uri)
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=doc_id(uri)))
    assert lenses is not None
    assert [(lens.range.start.line, lens.command.title if lens.command else None) for lens in lenses] == [
        (1, "189 configs")
    ]

    text = 'a: [1, 2]*\n---\n# second\nb: [1, 2, 3]*\nwhere b != 2\n'
    multi = await open_doc(client, workdir / "lens-multi.mint", text)
    await diagnostics(client, multi)
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=doc_id(multi)))
    assert lenses is not None
    assert [(lens.range.start.line, lens.command.title if lens.command else None) for lens in lenses] == [
        (0, "2 configs"),
        (3, "2 configs (3 before where)"),
    ]


# --- outline, completion, definition ------------------------------------------------------------------------


@aio
async def test_document_symbols(client: LanguageClient, workdir: Path) -> None:
    text = 'let models = ["a", "b"]\nmodel: models*\nllm: {\n  params: { top_p: 1.0 }\n  timeout: 30\n}\n'
    uri = await open_doc(client, workdir / "outline.mint", text)
    await diagnostics(client, uri)
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=doc_id(uri)))
    assert symbols is not None
    assert all(isinstance(s, lsp.DocumentSymbol) for s in symbols)
    tree = [(s.name, [c.name for c in s.children or []]) for s in symbols if isinstance(s, lsp.DocumentSymbol)]
    assert tree == [("models", []), ("model", []), ("llm", ["params", "timeout"])]
    llm = symbols[2]
    assert isinstance(llm, lsp.DocumentSymbol) and llm.children
    assert llm.kind == lsp.SymbolKind.Object
    assert llm.range.start.line == 2 and llm.range.end.line == 5
    assert [c.name for c in llm.children[0].children or []] == ["top_p"]

    multi = await open_doc(client, workdir / "outline-multi.mint", "a: 1\n---\nb: { c: 2 }\n")
    await diagnostics(client, multi)
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=doc_id(multi)))
    assert symbols is not None
    docs = [s for s in symbols if isinstance(s, lsp.DocumentSymbol)]
    assert [(d.name, [c.name for c in d.children or []]) for d in docs] == [("document 1", ["a"]), ("document 2", ["b"])]


@aio
async def test_completion_offers_keywords_let_names_and_schema_keys(client: LanguageClient, workdir: Path) -> None:
    text = 'schema {\n  model: string\n  temperature: float in 0.0..2.0\n}\nlet temps = [0.1, 0.5]\n\n'
    uri = await open_doc(client, workdir / "complete.mint", text)
    await diagnostics(client, uri)
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=doc_id(uri), position=lsp.Position(line=5, character=0))
    )
    assert isinstance(result, lsp.CompletionList)
    labels = {item.label for item in result.items}
    assert {"let", "zip", "variants", "where", "extends", "schema", "step", "count", "true", "false", "null"} <= labels
    assert "temps" in labels
    assert {"model", "temperature"} <= labels
    schema_item = next(item for item in result.items if item.label == "temperature")
    assert schema_item.detail == "schema: float in 0.0..2.0"

    # After `key:` a value goes: the let name and constants, not the schema's keys.
    change_doc(client, uri, text + "temperature: ", version=2)
    await diagnostics(client, uri)
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=doc_id(uri), position=lsp.Position(line=6, character=13))
    )
    assert isinstance(result, lsp.CompletionList)
    labels = {item.label for item in result.items}
    assert {"temps", "true", "null"} <= labels
    assert "model" not in labels and "zip" not in labels


@aio
async def test_definition_of_a_let_name_and_an_extends_path(client: LanguageClient, workdir: Path) -> None:
    text = 'extends "base.mint"\nlet temps = [0.1, 0.5]\ntemperature: temps*\n'
    uri = await open_doc(client, workdir / "define.mint", text)
    await diagnostics(client, uri)

    result = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=doc_id(uri), position=pos(text, "temps*", offset=2))
    )
    assert isinstance(result, lsp.Location)
    assert result.uri == uri
    assert result.range == lsp.Range(start=lsp.Position(line=1, character=4), end=lsp.Position(line=1, character=9))

    result = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=doc_id(uri), position=pos(text, "base.mint", offset=3))
    )
    assert isinstance(result, lsp.Location)
    assert result.uri == uri_of(workdir / "base.mint")
    assert result.range.start == lsp.Position(line=0, character=0)


# --- formatting -----------------------------------------------------------------------------------------------


@aio
@pytest.mark.skipif(not HAS_FMT, reason="spearmint_lang.fmt (the formatter) is not in this tree yet")
async def test_formatting_replaces_the_whole_document(client: LanguageClient, workdir: Path) -> None:
    from spearmint_lang.fmt import format_source  # type: ignore[import-not-found,unused-ignore]

    messy = 'model:["a","b"]*\n\n\n\ntemperature:   0.5 # why\n'
    path = workdir / "messy.mint"
    uri = await open_doc(client, path, messy)
    await diagnostics(client, uri)
    options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(text_document=doc_id(uri), options=options)
    )
    expected = format_source(messy, str(path))
    if expected == messy:
        assert not edits
    else:
        assert edits is not None and len(edits) == 1
        assert edits[0].new_text == expected
        assert edits[0].range.start == lsp.Position(line=0, character=0)
        assert edits[0].range.end == lsp.Position(line=5, character=0)

        # Formatting what it gave changes nothing more.
        change_doc(client, uri, expected, version=2)
        await diagnostics(client, uri)
        again = await client.text_document_formatting_async(
            lsp.DocumentFormattingParams(text_document=doc_id(uri), options=options)
        )
        assert not again

    broken = await open_doc(client, workdir / "messy-broken.mint", "model: [1, 2\n")
    await diagnostics(client, broken)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(text_document=doc_id(broken), options=options)
    )
    assert not edits


@aio
async def test_formatting_a_broken_file_gives_no_edits(client: LanguageClient, workdir: Path) -> None:
    uri = await open_doc(client, workdir / "fmt-broken.mint", "model: [1, 2\nx = \n")
    await diagnostics(client, uri)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(
            text_document=doc_id(uri), options=lsp.FormattingOptions(tab_size=2, insert_spaces=True)
        )
    )
    assert not edits


# --- robustness -------------------------------------------------------------------------------------------------

BROKEN_TEXTS = [
    "",
    "\x00",
    "{" * 300,
    'model: [1, 2\nllm: { a: 1\n',
    'extends "base.mint"\nextends "base.mint"\n',
    'extends "cycle-b.mint"\nx: 1\n',
    "let x = x\nlet x = 1\na: x*\nb: 0..x step x\n",
    'variants [ 1, {a: [1]*} ]\nzip { a: [1, 2], b: [1] }\nwhere nope == 1\n',
    'schema { a: bogus, b?: { c: int in x..2 } }\na: 1\n',
    '"""unterminated\n',
    "\ufeffa: 1\r\nb: [\r\n",
    "a: 1\n---\n---\n",
]


@aio
async def test_broken_input_never_crashes_the_server(client: LanguageClient, workdir: Path) -> None:
    positions = [lsp.Position(line=line, character=ch) for line in (0, 1, 3, 50) for ch in (0, 1, 5, 200)]
    for i, text in enumerate(BROKEN_TEXTS):
        name = "cycle-a.mint" if "cycle-b" in text else f"junk-{i}.mint"
        uri = await open_doc(client, workdir / name, text)
        await diagnostics(client, uri)
        tid = doc_id(uri)
        for at in positions:
            await client.text_document_hover_async(lsp.HoverParams(text_document=tid, position=at))
            await client.text_document_completion_async(lsp.CompletionParams(text_document=tid, position=at))
            await client.text_document_definition_async(lsp.DefinitionParams(text_document=tid, position=at))
        await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=tid))
        await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=tid))
        await client.text_document_formatting_async(
            lsp.DocumentFormattingParams(text_document=tid, options=lsp.FormattingOptions(tab_size=2, insert_spaces=True))
        )
    # Still answering.
    uri = await open_doc(client, workdir / "alive.mint", "a: [1, 2]*\n")
    assert "2 values: 1, 2" in await hover_text(client, uri, lsp.Position(line=0, character=0))
    assert not [m for m in client.log_messages if m.type == lsp.MessageType.Error]


@aio
async def test_closing_a_document_clears_its_diagnostics(client: LanguageClient, workdir: Path) -> None:
    uri = await open_doc(client, workdir / "closing.mint", "a: 0..1 step 0\n")
    await diagnostics(client, uri, lambda d: len(d) > 0)
    client.diagnostics.pop(uri, None)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=doc_id(uri)))
    assert list(await diagnostics(client, uri)) == []


# --- the protocol ------------------------------------------------------------------------------------------------


@aio
async def test_invalid_params_get_an_invalid_params_error(client: LanguageClient, workdir: Path) -> None:
    """A request whose params do not fit its method is answered with JSON-RPC's
    -32602 and a message naming the faulty field; the server keeps answering."""
    uri = await open_doc(client, workdir / "params.mint", "a: [1, 2]*\n")
    await diagnostics(client, uri)
    tid = {"uri": uri}
    bad: list[tuple[str, object, str]] = [
        ("textDocument/hover", {"textDocument": tid}, "position"),
        ("textDocument/hover", {"textDocument": tid, "position": "0:0"}, "position"),
        ("textDocument/hover", {"textDocument": tid, "position": {"line": None, "character": 0}}, "position.line"),
        ("textDocument/hover", {"textDocument": tid, "position": {"line": -1, "character": 0}}, "position"),
        ("textDocument/hover", None, "params"),
        ("textDocument/definition", [uri, 0, 0], "params"),
        ("textDocument/completion", {"textDocument": "x", "position": {"line": 0, "character": 0}}, "textDocument"),
        ("textDocument/formatting", {"textDocument": tid, "options": {"tabSize": "two", "insertSpaces": True}},
         "options.tabSize"),
    ]
    for method, params, field in bad:
        with pytest.raises(JsonRpcException) as caught:
            await raw_request(client, method, params)
        assert caught.value.code == -32602, (method, params, caught.value)
        assert method in caught.value.message and field in caught.value.message, caught.value.message
    # Well-formed params in the same raw form get an answer.
    good = await raw_request(client, "textDocument/hover", {"textDocument": tid, "position": {"line": 0, "character": 0}})
    assert good is not None
    assert "2 values: 1, 2" in await hover_text(client, uri, lsp.Position(line=0, character=0))


@aio
async def test_notifications_with_invalid_params_are_ignored(client: LanguageClient, workdir: Path) -> None:
    """JSON-RPC forbids answering a notification: one with invalid params is logged
    (a warning in the client's log) and dropped, and the server goes on."""
    path = workdir / "notified.mint"
    uri = uri_of(path)
    answers: list[object] = []
    handle = client.protocol.handle_message

    def spy(message: Any) -> None:
        if not hasattr(message, "method"):  # a response
            answers.append(message)
        handle(message)

    client.protocol.handle_message = spy  # type: ignore[method-assign]
    try:
        logged = len(client.log_messages)
        raw_notify(client, "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "mint"}})
        raw_notify(client, "textDocument/didChange", {"textDocument": {"uri": uri}, "contentChanges": 7})
        raw_notify(client, "textDocument/didClose", "nothing")
        raw_notify(client, "$/cancelRequest", {})
        raw_notify(client, "workspace/didChangeWatchedFiles", {"changes": [{"uri": uri, "type": 99}]})
        # Still answering, and what it answers is right.
        opened = await open_doc(client, path, "a: [1, 2, 3]*\n")
        assert list(await diagnostics(client, opened)) == []
        assert "3 values: 1, 2, 3" in await hover_text(client, uri, lsp.Position(line=0, character=0))
    finally:
        del client.protocol.handle_message
    # The only answer is the hover's: nothing answered the notifications.
    assert len(answers) == 1 and getattr(answers[0], "result", None) is not None
    warnings = [m.message for m in client.log_messages[logged:] if m.type == lsp.MessageType.Warning]
    assert any("textDocument/didOpen" in m and "text" in m for m in warnings), warnings
    assert not [m for m in client.log_messages[logged:] if m.type == lsp.MessageType.Error]


@aio
async def test_open_documents_are_known_by_the_uri_the_client_wrote(client: LanguageClient, workdir: Path) -> None:
    """A URI with an escape (`with%20space`): an edit of a base still reaches the files that extend it."""
    folder = workdir / "with space"
    folder.mkdir()
    (folder / "base.mint").write_text('model: ["a", "b"]*\n', encoding="utf-8")
    derived = await open_doc(client, folder / "derived.mint", 'extends "base.mint"\nt: [1, 2]*\n')
    assert "with%20space" in derived
    assert list(await diagnostics(client, derived)) == []
    base = await open_doc(client, folder / "base.mint", 'model: ["a", "b"]*\n')
    await diagnostics(client, base)
    client.diagnostics.pop(derived, None)
    change_doc(client, base, "model: [1, 2\n", version=2)
    [diag] = await diagnostics(client, derived, lambda d: len(d) > 0)
    assert diag.code == "E003"
    assert not [uri for uri in client.diagnostics if " " in uri]


# --- line endings and encodings -----------------------------------------------------------------------------------

# LSP ends a line at `\n`, `\r\n` or a lone `\r`; the compiler reads a lone `\r` as a character of its line
# (here, of a comment and of a string). A BOM, LF and CR LF are mixed in too.
CR_TEXT = (
    "\ufeff# settings\rfor the demo\r\n"  # LSP lines 0 and 1
    "let temps = [0.1, 0.5]\r\n"  # 2
    'label: "a\rb"\n'  # 3 and 4
    "llm: {\r\n"  # 5
    "  temperature:   temps*\r\n"  # 6
    "}\r\n"  # 7
    "top_p: [0.9, 1.0]*\n"  # 8
)


@aio
async def test_a_lone_carriage_return_ends_a_line(client: LanguageClient, workdir: Path) -> None:
    text = CR_TEXT
    uri = await open_doc(client, workdir / "cr.mint", text)
    assert list(await diagnostics(client, uri)) == []
    tid = doc_id(uri)

    hovered = await client.text_document_hover_async(lsp.HoverParams(text_document=tid, position=lsp_pos(text, "top_p")))
    assert hovered is not None and isinstance(hovered.contents, lsp.MarkupContent)
    assert "2 values: 0.9, 1.0" in hovered.contents.value and "document: 4 configs" in hovered.contents.value
    assert hovered.range == lsp_range(text, "top_p")
    nested = await client.text_document_hover_async(
        lsp.HoverParams(text_document=tid, position=lsp_pos(text, "temperature", offset=3)))
    assert nested is not None and isinstance(nested.contents, lsp.MarkupContent)
    assert "llm.temperature" in nested.contents.value
    assert nested.range == lsp_range(text, "temperature")

    found = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=tid, position=lsp_pos(text, "temps*", offset=1)))
    assert isinstance(found, lsp.Location) and found.range == lsp_range(text, "temps")

    # After `temperature:` (LSP line 6) a value goes: no item words.
    completed = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=tid, position=lsp_pos(text, "temps*")))
    assert isinstance(completed, lsp.CompletionList)
    labels = {item.label for item in completed.items}
    assert "temps" in labels and "zip" not in labels

    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=tid))
    assert symbols is not None
    outline = {s.name: s for s in symbols if isinstance(s, lsp.DocumentSymbol)}
    assert list(outline) == ["temps", "label", "llm", "top_p"]
    assert outline["temps"].selection_range == lsp_range(text, "temps")
    assert outline["label"].range == lsp.Range(start=lsp.Position(line=3, character=0),
                                               end=lsp.Position(line=4, character=2))
    assert outline["llm"].range == lsp.Range(start=lsp.Position(line=5, character=0),
                                             end=lsp.Position(line=7, character=1))
    [child] = outline["llm"].children or []
    assert child.selection_range == lsp_range(text, "temperature")
    assert outline["top_p"].range == lsp_range(text, "top_p: [0.9, 1.0]*")

    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=tid))
    assert lenses is not None
    assert [(lens.range.start.line, lens.command.title if lens.command else None) for lens in lenses] == [
        (2, "4 configs")]

    if HAS_FMT:
        # The formatter keeps a lone `\r` (it is part of a comment or a string, not a line ending)
        # and writes the file's CR LF and BOM; the edit spans every line the editor has.
        edits = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
            text_document=tid, options=lsp.FormattingOptions(tab_size=2, insert_spaces=True)))
        assert edits is not None and len(edits) == 1
        assert edits[0].new_text == (
            "\ufeff# settings\rfor the demo\r\nlet temps = [0.1, 0.5]\r\nlabel: \"a\rb\"\r\nllm: {\r\n"
            "  temperature: temps*\r\n}\r\ntop_p: [0.9, 1.0]*\r\n")
        assert edits[0].range == lsp.Range(start=lsp.Position(line=0, character=0),
                                           end=lsp.Position(line=9, character=0))

    broken = text + "z: 0..1 step 0\nlabel: 2\n"
    change_doc(client, uri, broken, version=2)
    got = await diagnostics(client, uri, lambda d: len(d) == 2)
    by_code = {d.code: d for d in got}
    assert by_code["E030"].range == lsp.Range(start=lsp.Position(line=9, character=13),
                                              end=lsp.Position(line=9, character=14))
    assert by_code["E020"].range == lsp.Range(start=lsp.Position(line=10, character=0),
                                              end=lsp.Position(line=10, character=5))
    [rel] = by_code["E020"].related_information or []
    assert rel.location.range.start == lsp.Position(line=3, character=0)


@aio
async def test_files_other_than_the_document_use_the_negotiated_encoding(workdir: Path) -> None:
    """With a UTF-8 client, the place of a mistake inside an extended file and its
    related places are UTF-8 columns on lines as LSP counts them."""
    base = workdir / "utf8-base.mint"
    base_text = '# c\rx\nnote: "😀", model: 1, model: 2\n'
    base.write_bytes(base_text.encode("utf-8"))

    def utf8(part: str) -> int:
        return len(part.encode("utf-8"))

    async with own_client([lsp.PositionEncodingKind.Utf8, lsp.PositionEncodingKind.Utf16]) as utf8_client:
        text = 'extends "utf8-base.mint"\nlabel: "é", x: 0..1 step 0\n'
        uri = await open_doc(utf8_client, workdir / "utf8.mint", text)
        got = await diagnostics(utf8_client, uri, lambda d: len(d) == 2)
        by_code = {d.code: d for d in got}
        assert by_code["E030"].range.start == lsp_pos(text, "step 0", offset=5, units=utf8)
        there = by_code["E020"]
        assert there.range == lsp_range(text, '"utf8-base.mint"', units=utf8)
        assert "utf8-base.mint:2:" in there.message  # the compiler's own line:column
        assert there.related_information is not None
        mistake, first = there.related_information
        assert mistake.location.uri == uri_of(base)
        second_model = lsp.Position(line=2, character=utf8('note: "😀", model: 1, '))
        assert mistake.location.range == lsp.Range(
            start=second_model, end=lsp.Position(line=2, character=second_model.character + 5))
        assert first.location.uri == uri_of(base)
        assert first.location.range.start == lsp.Position(line=2, character=utf8('note: "😀", '))


@aio
async def test_never_opened_documents_are_not_read(client: LanguageClient, workdir: Path) -> None:
    """Requests name documents the client opened; any other gets nothing, and the
    server reads nothing from disk for it (`/dev/zero` would never end)."""
    on_disk = workdir / "never-opened.mint"
    on_disk.write_text("let t = 1\na:[1,2]*\nb: t\n", encoding="utf-8")
    at = lsp.Position(line=1, character=0)
    options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
    for uri in (uri_of(on_disk), "file:///dev/zero"):
        tid = doc_id(uri)

        async def ask(request: Any) -> Any:
            return await asyncio.wait_for(request, TIMEOUT)

        assert await ask(client.text_document_hover_async(lsp.HoverParams(text_document=tid, position=at))) is None
        assert await ask(client.text_document_definition_async(
            lsp.DefinitionParams(text_document=tid, position=lsp.Position(line=2, character=3)))) is None
        completed = await ask(client.text_document_completion_async(lsp.CompletionParams(text_document=tid, position=at)))
        assert completed is None or not completed.items
        assert not await ask(client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=tid)))
        assert not await ask(client.text_document_code_lens_async(lsp.CodeLensParams(text_document=tid)))
        assert not await ask(client.text_document_formatting_async(
            lsp.DocumentFormattingParams(text_document=tid, options=options)))
        assert uri not in client.diagnostics
    assert not [m for m in client.log_messages if m.type == lsp.MessageType.Error]


@pytest.mark.parametrize(
    ("encoding", "units"), [("utf-16", [0, 2, 4, 5, 6]), ("utf-8", [0, 4, 8, 10, 11]), ("utf-32", [0, 1, 2, 3, 4])]
)
def test_line_index_converts_columns_both_ways(encoding: str, units: list[int]) -> None:
    from spearmint_lang.lsp.positions import LineIndex

    # Column 1..5 of line 2: before 😀, 😀, é, x, the end of the line.
    index = LineIndex("a: 1\r\n😀😀éx\r\n", encoding)
    assert [index.position(2, col).character for col in range(1, 6)] == units
    assert [index.location(lsp.Position(line=1, character=u)) for u in units] == [(2, c) for c in range(1, 6)]
    # With a byte-order mark the editor may keep, line 1 shifts by its units (3 in UTF-8); others do not.
    lead = 3 if encoding == "utf-8" else 1
    bom = LineIndex("\ufeffa: 1\n😀x", encoding)
    assert bom.position(1, 1).character == lead and bom.position(2, 2).character == units[1]
    assert bom.location(lsp.Position(line=0, character=lead)) == (1, 1)


def test_line_index_counts_lines_as_lsp_does() -> None:
    from spearmint_lang.lsp.positions import LineIndex

    # LSP lines: "a", "b", "c", "", "d", "" -- ours (lone `\r` is a character): "a\rb", "c", "\rd", "".
    index = LineIndex("a\rb\r\nc\n\rd\n")
    P = lsp.Position
    assert [index.position(1, c) for c in (1, 2, 3, 4)] == [P(line=0, character=0), P(line=0, character=1),
                                                         P(line=1, character=0), P(line=1, character=1)]
    assert index.position(2, 1) == P(line=2, character=0)
    assert [index.position(3, c) for c in (1, 2, 3)] == [P(line=3, character=0), P(line=4, character=0),
                                                      P(line=4, character=1)]
    assert index.position(4, 1) == P(line=5, character=0)
    assert index.position(9, 9) == P(line=5, character=0) and index.position(0, 1) == P(line=0, character=0)
    assert index.whole() == lsp.Range(start=P(line=0, character=0), end=P(line=5, character=0))
    # Back again; a character past the end of a line stops before its line ending.
    assert [index.location(P(line=0, character=c)) for c in (0, 1, 7)] == [(1, 1), (1, 2), (1, 2)]
    assert [index.location(P(line=1, character=c)) for c in (0, 1)] == [(1, 3), (1, 4)]
    assert index.location(P(line=2, character=0)) == (2, 1)
    assert [index.location(P(line=n, character=0)) for n in (3, 4)] == [(3, 1), (3, 2)]
    assert index.location(P(line=5, character=0)) == (4, 1)
    assert index.location(P(line=50, character=0)) == (4, 1)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_line_index_round_trips_with_bom_mixed_endings_and_lone_cr(encoding: str) -> None:
    from spearmint_lang.lsp.positions import LineIndex, units
    from spearmint_lang.source import Source, normalise

    text = "\ufeffé\r😀\r\r\nx😀y\n\rz\r\n"
    index = LineIndex(text, encoding)
    lines = lsp_lines(text)
    ours = Source("", normalise(text))
    for offset in range(len(ours.text) + 1):
        line, column = ours.position(offset)
        at = index.position(line, column)
        # The same character as the client sees it: the code units before it on its LSP line.
        before = re.split(r"\r\n|\r|\n", "\ufeff" + ours.text[:offset])[-1]
        assert at == lsp.Position(line=ours.text[:offset].count("\n") + ours.text[:offset].count("\r"),
                                  character=units(before, encoding)), (offset, at)
        assert index.location(at) == (line, column)
    assert index.whole().end == lsp.Position(line=len(lines) - 1, character=0)
    # A `\r\r\n` is a lone `\r` then a CR LF: two line endings.
    assert LineIndex("a\r\r\nb", encoding).position(2, 1) == lsp.Position(line=2, character=0)


@pytest.mark.parametrize("encoding", [lsp.PositionEncodingKind.Utf8, "utf-8"])
def test_line_index_takes_the_encoding_as_enum_or_string(encoding: str) -> None:
    from spearmint_lang.lsp.positions import LineIndex, encoding_of

    assert encoding_of(encoding) == "utf-8" and encoding_of(None) == "utf-16"
    assert LineIndex("é😀x", encoding_of(encoding)).position(1, 3).character == 6


def test_mintc_lsp_subcommand_starts_the_server() -> None:
    """`mintc lsp` (once cli.py has the subcommand) answers `initialize` over stdio."""
    helped = subprocess.run([sys.executable, "-m", "spearmint_lang", "--help"], capture_output=True, text=True, timeout=30)
    if "lsp" not in helped.stdout:
        pytest.skip("cli.py has no `lsp` subcommand yet")
    body = b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}'
    exit_ = b'{"jsonrpc":"2.0","method":"exit"}'
    message = b"".join(b"Content-Length: %d\r\n\r\n%s" % (len(m), m) for m in (body, exit_))
    done = subprocess.run(
        [sys.executable, "-m", "spearmint_lang", "lsp"], input=message, capture_output=True, timeout=30
    )
    assert b'"result"' in done.stdout and b"capabilities" in done.stdout
