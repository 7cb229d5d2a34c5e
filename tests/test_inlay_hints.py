"""Inlay hints (`spearmint_lang.lsp.inlay_hints`): the values of each sweep
and the configs of each document, at exact positions, counted without
expanding anything."""

from __future__ import annotations

import sys
import time
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (pip install -e '.[lsp]')")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="these tests need pytest-lsp (pip install -e '.[test]')")

from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

from spearmint_lang.loader import Loader  # noqa: E402
from spearmint_lang.lsp.analysis import Analysis  # noqa: E402
from spearmint_lang.lsp.inlay_hints import inlay_hints  # noqa: E402
from tests.conftest import vscode_session  # noqa: E402

EVERYWHERE = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=100_000, character=0))


def analyse(text: str) -> Analysis:
    return Analysis("untitled:hints", text, 1, "utf-16", Loader())


def hints(text: str, rng: lsp.Range = EVERYWHERE) -> list[tuple[int, int, str, str]]:
    """(line, character, the text before the hint on its line, label)."""
    lines = text.split("\n")
    out = []
    for h in inlay_hints(analyse(text), rng):
        assert h.padding_left is True
        assert isinstance(h.label, str)
        out.append((h.position.line, h.position.character, lines[h.position.line][: h.position.character], h.label))
    return out


SAMPLE = """\
# tuning
let models = ["gpt-4o", "mini"]
let r = 0..3
model: models*
n: r
temperature: 0.0..1.0 step 0.25
llm: { name: "x", top_p: [0.9, 1.0]* }
zip {
  a: [1, 2]
  b: ["x", "y"]
}
---
variants [
  { model: "gpt-4", temperature: [0.0, 0.3, 0.7]* }
  { model: ["gpt-4o-mini", "gpt-3.5-turbo"]*, temperature: [0.5, 1.0]* }
]
params: [
  {temp: 0.7, tokens: 100}
  {temp: [0.8, 0.9]*, tokens: 200}
]*
seed: 0..<1000
where seed != 5
"""


def test_values_of_each_sweep_and_configs_of_each_document() -> None:
    assert hints(SAMPLE) == [
        # The first document's count ends its first line; 2 x 4 x 5 x 2 x 2 = 160.
        (1, 31, 'let models = ["gpt-4o", "mini"]', "160 configs"),
        (3, 14, "model: models*", "2 values"),
        (4, 4, "n: r", "4 values"),  # a name of a range
        (5, 31, "temperature: 0.0..1.0 step 0.25", "5 values"),
        (6, 36, 'llm: { name: "x", top_p: [0.9, 1.0]*', "2 values"),
        (10, 1, "}", "2 rows"),  # a zip: one axis of rows
        # Each later document's count follows its `---`: 7 x 3 x 1000 - 21 filtered out.
        (11, 3, "---", "20,979 configs (21,000 before where)"),
        (13, 49, '  { model: "gpt-4", temperature: [0.0, 0.3, 0.7]*', "3 values"),
        (14, 44, '  { model: ["gpt-4o-mini", "gpt-3.5-turbo"]*', "2 values"),
        (14, 70, '  { model: ["gpt-4o-mini", "gpt-3.5-turbo"]*, temperature: [0.5, 1.0]*', "2 values"),
        (15, 1, "]", "7 values"),  # variants: 3 + 2 x 2
        (18, 20, "  {temp: [0.8, 0.9]*", "2 values"),
        (19, 2, "]*", "3 values"),  # a sweep of objects: 1 + 2
        (20, 14, "seed: 0..<1000", "1,000 values"),
    ]


def test_only_the_requested_range() -> None:
    rng = lsp.Range(start=lsp.Position(line=4, character=0), end=lsp.Position(line=6, character=0))
    assert [h[3] for h in hints(SAMPLE, rng)] == ["4 values", "5 values"]


def test_one_value_and_utf16_positions() -> None:
    text = 'tag: ["😀"]*\nx: 1\n'  # the emoji is two UTF-16 units: the line ends at 12
    assert hints(text) == [(0, 12, 'tag: ["😀"]*', "1 value"), (0, 12, 'tag: ["😀"]*', "1 config")]


def test_a_file_with_mistakes_keeps_the_hints_it_can_count() -> None:
    # A mistake in one entry: the other sweeps are still counted, the document is not.
    text = "a: [1, 2]*\nb: 0..10 step 0\nc: [1, 2, 3]*\n"
    assert hints(text) == [(0, 10, "a: [1, 2]*", "2 values"), (2, 13, "c: [1, 2, 3]*", "3 values")]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n---\n", 'let x = [1, 2]\n'])
def test_nothing_to_count(text: str) -> None:
    assert hints(text) == []


def test_ten_million_values_are_counted_instantly() -> None:
    text = "seed: 0..<10000000\nlr: 1e-6..1e-1 count 10000000\nmodel: [\"a\", \"b\"]*\n"
    analysis = analyse(text)
    started = time.perf_counter()
    found = inlay_hints(analysis, EVERYWHERE)
    assert time.perf_counter() - started < 0.1
    assert [h.label for h in found] == ["10,000,000 values", "200,000,000,000,000 configs", "10,000,000 values",
                                        "2 values"]


# --- over the protocol ------------------------------------------------------------------------------

aio = pytest.mark.asyncio(loop_scope="module")
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "spearmint_lang.lsp"])


@pytest_lsp.fixture(scope="module", config=SERVER)
async def client(lsp_client: LanguageClient) -> Any:
    result = await vscode_session(lsp_client)
    lsp_client.capabilities_seen = result.capabilities  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


@aio
async def test_protocol_inlay_hints(client: LanguageClient) -> None:
    assert client.capabilities_seen.inlay_hint_provider is not None  # type: ignore[attr-defined]
    uri = "untitled:hints.mint"
    text = "model: [\"a\", \"b\"]*\n---\nt: 0.0..1.0 step 0.25\n"
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="mint", version=1, text=text)))
    found = await client.text_document_inlay_hint_async(lsp.InlayHintParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=EVERYWHERE))
    assert found is not None
    assert [(h.position.line, h.position.character, h.label, h.padding_left) for h in found] == [
        (0, 18, "2 values", True), (0, 18, "2 configs", True), (1, 3, "5 configs", True), (2, 21, "5 values", True),
    ]
