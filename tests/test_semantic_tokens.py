"""Semantic tokens (`spearmint_lang.lsp.semantic_tokens`): what each token is
coloured as, where it is in the client's units, and full/delta answers over
the protocol."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (pip install -e '.[lsp]')")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="these tests need pytest-lsp (pip install -e '.[test]')")

from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

from spearmint_lang.loader import Loader  # noqa: E402
from tests.conftest import vscode_session  # noqa: E402
from spearmint_lang.lsp.analysis import Analysis  # noqa: E402
from spearmint_lang.lsp.semantic_tokens import (  # noqa: E402
    LEGEND, TOKEN_MODIFIERS, TOKEN_TYPES, decode, edit, semantic_tokens_delta, semantic_tokens_full,
    semantic_tokens_range,
)

Row = tuple[int, int, str, str, tuple[str, ...]]


def analyse(text: str, encoding: str = "utf-16", uri: str = "untitled:tokens") -> Analysis:
    return Analysis(uri, text, 1, encoding, Loader())


def lsp_lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)


def cut(line: str, start: int, length: int, encoding: str) -> str:
    """The text of `line` from unit `start` on for `length` units of `encoding`."""
    codec, width = {"utf-16": ("utf-16-le", 2), "utf-8": ("utf-8", 1), "utf-32": ("utf-32-le", 4)}[encoding]
    data = line.encode(codec)
    return data[start * width : (start + length) * width].decode(codec)


def rows(text: str, data: Sequence[int], encoding: str = "utf-16") -> list[Row]:
    """Decoded tokens as (line, character, text, type, modifiers)."""
    lines = lsp_lines(text)
    return [(t.line, t.char, cut(lines[t.line], t.char, t.length, encoding), TOKEN_TYPES[t.type],
             tuple(m for i, m in enumerate(TOKEN_MODIFIERS) if t.modifiers >> i & 1))
            for t in decode(data)]


def tokens_of(text: str, encoding: str = "utf-16") -> list[Row]:
    return rows(text, semantic_tokens_full(analyse(text, encoding)).data, encoding)


SAMPLE = '''\
# tuning
let models = ["gpt-4o", "mini"]
model: models*
step: 2
temperature: 0.0..1.0 step *2.0
llm: { name: "x", top_p: [0.9, 1.0]* }
zip {
  a: [1, 2]
}
---
schema {
  step?: int in 1..10
  mode: "a" | null
}
mode: null
where step == 1 and not (mode in ["a"])
note: """one
two"""
'''

DECL_RO = ("declaration", "readonly")
SWEEP = ("sweep",)


def test_sample_tokens() -> None:
    assert tokens_of(SAMPLE) == [
        (0, 0, "# tuning", "comment", ()),
        (1, 0, "let", "keyword", ()),
        (1, 4, "models", "variable", DECL_RO),
        (1, 11, "=", "operator", ()),
        (1, 14, '"gpt-4o"', "string", ()),
        (1, 24, '"mini"', "string", ()),
        (2, 0, "model", "property", SWEEP),
        (2, 7, "models", "variable", ("readonly", "sweep")),
        (2, 13, "*", "operator", SWEEP),
        (3, 0, "step", "property", ()),
        (3, 6, "2", "number", ()),
        (4, 0, "temperature", "property", SWEEP),
        (4, 13, "0.0", "number", SWEEP),
        (4, 16, "..", "operator", SWEEP),
        (4, 18, "1.0", "number", SWEEP),
        (4, 22, "step", "keyword", SWEEP),
        (4, 27, "*", "operator", SWEEP),
        (4, 28, "2.0", "number", SWEEP),
        (5, 0, "llm", "property", ()),
        (5, 7, "name", "property", ()),
        (5, 13, '"x"', "string", ()),
        (5, 18, "top_p", "property", SWEEP),
        (5, 26, "0.9", "number", SWEEP),
        (5, 31, "1.0", "number", SWEEP),
        (5, 35, "*", "operator", SWEEP),
        (6, 0, "zip", "keyword", SWEEP),
        (7, 2, "a", "property", SWEEP),
        (7, 6, "1", "number", SWEEP),
        (7, 9, "2", "number", SWEEP),
        (9, 0, "---", "operator", ()),
        (10, 0, "schema", "keyword", ()),
        (11, 2, "step", "property", ()),
        (11, 6, "?", "operator", ()),
        (11, 9, "int", "type", ()),
        (11, 13, "in", "keyword", ()),
        (11, 16, "1", "number", ()),
        (11, 17, "..", "operator", ()),
        (11, 19, "10", "number", ()),
        (12, 2, "mode", "property", ()),
        (12, 8, '"a"', "string", ()),
        (12, 12, "|", "operator", ()),
        (12, 14, "null", "enumMember", ()),
        (14, 0, "mode", "property", ()),
        (14, 6, "null", "enumMember", ()),
        (15, 0, "where", "keyword", ()),
        (15, 6, "step", "property", ()),
        (15, 11, "==", "operator", ()),
        (15, 14, "1", "number", ()),
        (15, 16, "and", "keyword", ()),
        (15, 20, "not", "keyword", ()),
        (15, 25, "mode", "property", ()),
        (15, 30, "in", "keyword", ()),
        (15, 34, '"a"', "string", ()),
        (16, 0, "note", "property", ()),
        (16, 6, '"""one', "string", ()),  # a long string: one token per line
        (17, 0, 'two"""', "string", ()),
    ]


def test_keyword_named_keys_in_where_paths_are_keys() -> None:
    text = 'step: [1, 2]*\nschema: "a"\ncount: 3\nwhere step == 1 and schema != "b" and count > 2\n'
    where = [r for r in tokens_of(text) if r[0] == 3]
    assert where == [
        (3, 0, "where", "keyword", ()),
        (3, 6, "step", "property", ()),
        (3, 11, "==", "operator", ()),
        (3, 14, "1", "number", ()),
        (3, 16, "and", "keyword", ()),
        (3, 20, "schema", "property", ()),
        (3, 27, "!=", "operator", ()),
        (3, 30, '"b"', "string", ()),
        (3, 34, "and", "keyword", ()),
        (3, 38, "count", "property", ()),
        (3, 44, ">", "operator", ()),
        (3, 46, "2", "number", ()),
    ]
    assert tokens_of(text)[0] == (0, 0, "step", "property", SWEEP)


def test_a_name_of_a_range_is_a_sweep() -> None:
    assert tokens_of("let r = 0..3\nn: r\nm: 5\n")[-4:] == [
        (1, 0, "n", "property", SWEEP),
        (1, 3, "r", "variable", ("readonly", "sweep")),
        (2, 0, "m", "property", ()),
        (2, 3, "5", "number", ()),
    ]


def test_a_broken_file_still_gets_tokens() -> None:
    # An unclosed list, an unterminated string, a stray character: every line is still coloured.
    text = 'a: [1, 2\nb: "abc\nc: @ 3\nlet x = 2\n---\nstep: true\n'
    assert tokens_of(text) == [
        (0, 0, "a", "property", ()),
        (0, 4, "1", "number", ()),
        (0, 7, "2", "number", ()),
        (1, 0, "b", "property", ()),
        (1, 3, '"abc', "string", ()),
        (2, 0, "c", "property", ()),
        (2, 5, "3", "number", ()),
        (3, 0, "let", "keyword", ()),
        (3, 4, "x", "variable", DECL_RO),
        (3, 6, "=", "operator", ()),
        (3, 8, "2", "number", ()),
        (4, 0, "---", "operator", ()),
        (5, 0, "step", "property", ()),
        (5, 6, "true", "enumMember", ()),
    ]


def test_a_document_the_parser_gives_up_on_is_lexed_line_by_line() -> None:
    text = "a: 1\n---\n# comment\nb: [1,\n2,\n3,\n4\n# last\nc: 2\n"
    assert tokens_of(text) == [
        (0, 0, "a", "property", ()),
        (0, 3, "1", "number", ()),
        (1, 0, "---", "operator", ()),
        (2, 0, "# comment", "comment", ()),
        (3, 0, "b", "property", ()),
        (3, 4, "1", "number", ()),
        (4, 0, "2", "number", ()),
        (5, 0, "3", "number", ()),
        (6, 0, "4", "number", ()),
        (7, 0, "# last", "comment", ()),
        (8, 0, "c", "property", ()),
        (8, 3, "2", "number", ()),
    ]


def test_text_without_a_tree_is_lexed() -> None:
    # Nesting too deep to parse at all: the lexer alone colours the text.
    text = "# deep\nx: 1\ny: " + "[" * 300 + "\n"
    assert analyse(text).unit.tree is None
    assert tokens_of(text) == [
        (0, 0, "# deep", "comment", ()),
        (1, 0, "x", "property", ()),
        (1, 3, "1", "number", ()),
        (2, 0, "y", "property", ()),
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
def test_columns_count_in_the_client_encoding(encoding: str) -> None:
    text = '\ufeffa: "é😀", b: 1 # 😀 note\r\nc: "x\ry"\n'
    data = semantic_tokens_full(analyse(text, encoding)).data
    bom = {"utf-16": 1, "utf-8": 3, "utf-32": 1}[encoding]
    text_rows = rows(text, data, encoding)  # (the BOM the editor keeps is a character of line 0)
    assert [r[2:] for r in text_rows] == [
        ("a", "property", ()), ('"é😀"', "string", ()), ("b", "property", ()), ("1", "number", ()),
        ("# 😀 note", "comment", ()), ("c", "property", ()), ('"x', "string", ()), ('y"', "string", ()),
    ]
    assert text_rows[0][:2] == (0, bom)
    string_start = {"utf-16": 4, "utf-8": 6, "utf-32": 4}[encoding]
    b_start = {"utf-16": 11, "utf-8": 16, "utf-32": 10}[encoding]
    assert [r[:2] for r in text_rows[1:3]] == [(0, string_start), (0, b_start)]
    # A lone CR inside a string ends the client's line: the string is split there.
    assert [r[:2] for r in text_rows[-2:]] == [(1, 3), (2, 0)]


def test_delta_applied_to_the_old_array_gives_the_new_one() -> None:
    uri = "untitled:delta"
    before = "a: 1\nb: [1, 2]*\nc: 3\n"
    after = "a: 1\nb: [1, 2, 3]*\nc: 3\n"
    full = semantic_tokens_full(analyse(before, uri=uri))
    delta = semantic_tokens_delta(analyse(after, uri=uri), full.result_id or "")
    assert isinstance(delta, lsp.SemanticTokensDelta)
    assert delta.result_id and delta.result_id != full.result_id
    data = list(full.data)
    for e in sorted(delta.edits, key=lambda e: e.start, reverse=True):
        data[e.start : e.start + e.delete_count] = e.data or []
    assert data == semantic_tokens_full(analyse(after, uri=uri)).data
    # One edit, of the changed tokens only: the `3` and the `*` after it.
    assert len(delta.edits) == 1 and delta.edits[0].start == 5 * 5
    # Nothing changed: no edits; an unknown result id: every token.
    same = semantic_tokens_delta(analyse(after, uri=uri), delta.result_id or "")
    assert isinstance(same, lsp.SemanticTokensDelta) and same.edits == []
    unknown = semantic_tokens_delta(analyse(after, uri=uri), "no-such-id")
    assert isinstance(unknown, lsp.SemanticTokens) and unknown.data == data


@pytest.mark.parametrize(("old", "new"), [
    ([], []), ([], [1, 2, 3, 4, 5]), ([1, 2, 3, 4, 5], []), ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]),
    ([1, 1, 1, 1, 1, 2, 2, 2, 2, 2], [1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2]),
    ([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1]),  # a repeated token: no overlap of prefix and suffix
    ([9, 9, 9, 9, 9, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 9, 9, 9, 9, 9]),
])
def test_edit_turns_old_into_new(old: list[int], new: list[int]) -> None:
    edits = edit(old, new)
    assert len(edits) == (0 if old == new else 1)
    data = list(old)
    for e in edits:
        assert e.start % 5 == 0 and e.delete_count % 5 == 0
        data[e.start : e.start + e.delete_count] = e.data or []
    assert data == new


def test_range_gives_the_tokens_it_overlaps() -> None:
    text = "a: 1\nb: 2\nc: 3\n"
    rng = lsp.Range(start=lsp.Position(line=1, character=0), end=lsp.Position(line=2, character=0))
    assert rows(text, semantic_tokens_range(analyse(text), rng).data) == [
        (1, 0, "b", "property", ()), (1, 3, "2", "number", ())]


def test_a_large_file_is_coloured_quickly() -> None:
    import time

    text = "".join(f"key_{i}: [0.0, 0.5, 1.0]*  # note\nother_{i}: 0..10 step 2\n" for i in range(1000))
    analysis = analyse(text)
    # CPU time of this process: other work on a loaded machine does not count
    # (the wall clock failed this under load average 6 on two cores).
    started = time.process_time()
    data = semantic_tokens_full(analysis).data
    assert time.process_time() - started < 1.0
    assert len(data) == 5 * 2000 * 6


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
async def test_protocol_full_and_delta(client: LanguageClient) -> None:
    provider = client.capabilities_seen.semantic_tokens_provider  # type: ignore[attr-defined]
    assert list(provider.legend.token_types) == list(LEGEND.token_types)
    assert list(provider.legend.token_modifiers) == ["declaration", "readonly", "sweep"]
    assert provider.full == lsp.SemanticTokensFullDelta(delta=True)
    assert provider.range is True

    uri = "untitled:protocol.mint"
    before = 'model: ["a", "b"]*\nstep: 2\n'
    after = 'model: ["a", "b"]*\nstep: 2\nwhere step == 2\n'
    doc = lsp.TextDocumentIdentifier(uri=uri)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="mint", version=1, text=before)))
    full = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(text_document=doc))
    assert full is not None and full.result_id
    assert rows(before, list(full.data)) == [
        (0, 0, "model", "property", SWEEP), (0, 8, '"a"', "string", SWEEP), (0, 13, '"b"', "string", SWEEP),
        (0, 17, "*", "operator", SWEEP), (1, 0, "step", "property", ()), (1, 6, "2", "number", ()),
    ]
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=after)]))
    delta = await client.text_document_semantic_tokens_full_delta_async(
        lsp.SemanticTokensDeltaParams(text_document=doc, previous_result_id=full.result_id))
    assert isinstance(delta, lsp.SemanticTokensDelta)
    data = list(full.data)
    for e in delta.edits:
        data[e.start : e.start + e.delete_count] = e.data or []
    assert rows(after, data)[6:] == [
        (2, 0, "where", "keyword", ()), (2, 6, "step", "property", ()), (2, 11, "==", "operator", ()),
        (2, 14, "2", "number", ()),
    ]
    ranged = await client.text_document_semantic_tokens_range_async(lsp.SemanticTokensRangeParams(
        text_document=doc, range=lsp.Range(start=lsp.Position(line=1, character=0), end=lsp.Position(line=2, character=0))))
    assert ranged is not None and rows(after, list(ranged.data)) == [
        (1, 0, "step", "property", ()), (1, 6, "2", "number", ())]


def test_the_vscode_extension_declares_the_custom_modifier() -> None:
    """VS Code themes know a modifier only when the extension declares it."""
    import json

    from tests.conftest import ROOT

    package = json.loads((ROOT / "vscode-extension" / "package.json").read_text(encoding="utf-8"))
    declared = {m["id"] for m in package["contributes"]["semanticTokenModifiers"]}
    standard = {m.value for m in lsp.SemanticTokenModifiers}
    assert declared == set(LEGEND.token_modifiers) - standard == {"sweep"}
