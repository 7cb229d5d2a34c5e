"""End-to-end tests of the language server (`spearmint_lang.lsp`, started by `mintc lsp`).

The real server runs as a subprocess and is driven over stdio by pytest-lsp's
client, as an editor would drive it. One server serves the whole module.
"""

from __future__ import annotations

import asyncio
import importlib.util
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (pip install -e '.[lsp]')")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="these tests need pytest-lsp (pip install -e '.[test]')")

from lsprotocol import types as lsp  # noqa: E402
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


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=[sys.executable, "-m", "spearmint_lang.lsp"]))
async def client(lsp_client: LanguageClient) -> Any:
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
        (3, "2 configs (3 before `where`)"),
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


@pytest.mark.parametrize(
    ("encoding", "units"), [("utf-16", [0, 2, 4, 5, 6]), ("utf-8", [0, 4, 8, 10, 11]), ("utf-32", [0, 1, 2, 3, 4])]
)
def test_line_index_converts_columns_both_ways(encoding: str, units: list[int]) -> None:
    from spearmint_lang.lsp.positions import LineIndex

    # Column 1..5 of line 2: before 😀, 😀, é, x, the end of the line.
    index = LineIndex("a: 1\r\n😀😀éx\r\n", encoding)
    assert [index.position(2, col).character for col in range(1, 6)] == units
    assert [index.location(lsp.Position(line=1, character=u)) for u in units] == [(2, c) for c in range(1, 6)]
    # With a byte-order mark the editor may keep, line 1 shifts by one unit; others do not.
    bom = LineIndex("\ufeffa: 1\n😀x", encoding)
    assert bom.position(1, 1).character == 1 and bom.position(2, 2).character == units[1]
    assert bom.location(lsp.Position(line=0, character=1)) == (1, 1)


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
