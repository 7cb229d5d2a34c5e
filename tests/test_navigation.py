"""Find references, document highlight, rename, folding and selection ranges
(`spearmint_lang.lsp.references`, `spearmint_lang.lsp.structure`).

The feature functions are called on analyses built from text; the last tests
drive the real server over stdio (pytest-lsp), as an editor would.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (pip install -e '.[lsp]')")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="these tests need pytest-lsp (pip install -e '.[test]')")

from lsprotocol import types as lsp  # noqa: E402
from pygls.exceptions import JsonRpcException  # noqa: E402
from tests.conftest import answer_server_requests  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from spearmint_lang.loader import Loader  # noqa: E402
from spearmint_lang.lsp.analysis import Analysis  # noqa: E402
from spearmint_lang.lsp.references import (  # noqa: E402
    RenameError,
    document_highlight,
    prepare_rename,
    references,
    rename,
)
from spearmint_lang.lsp.structure import folding_ranges, selection_ranges  # noqa: E402

UNTITLED = "untitled:Untitled-1"
READ, WRITE = lsp.DocumentHighlightKind.Read, lsp.DocumentHighlightKind.Write


def analyse(text: str, uri: str = UNTITLED, loader: Loader | None = None) -> Analysis:
    return Analysis(uri, text, 1, "utf-16", loader or Loader())


def at(line: int, character: int) -> lsp.Position:
    return lsp.Position(line=line, character=character)


def span(line: int, start: int, end: int) -> lsp.Range:
    """A range on one line."""
    return lsp.Range(start=at(line, start), end=at(line, end))


def ranges(found: Sequence[lsp.Location] | None, uri: str = UNTITLED) -> list[lsp.Range]:
    assert found is not None
    assert {loc.uri for loc in found} <= {uri}
    return [loc.range for loc in found]


def edits(edit: lsp.WorkspaceEdit | None) -> dict[str, list[tuple[lsp.Range, str]]]:
    assert edit is not None and edit.changes is not None
    return {uri: [(e.range, e.new_text) for e in found] for uri, found in edit.changes.items()}


def refused(analysis: Analysis, where: lsp.Position, name: str) -> str:
    with pytest.raises(RenameError) as info:
        rename(analysis, where, name)
    return str(info.value)


# --- let names ---------------------------------------------------------------------------------------

LETS = """\
let models = ["a", "b"]
model: models*
fallback: models
temperature: 0.0..top step 0.5
---
other: models
"""


def test_references_of_a_let_name_span_its_file() -> None:
    a = analyse(LETS)
    uses = [span(1, 7, 13), span(2, 10, 16), span(5, 7, 13)]
    assert ranges(references(a, at(1, 9), True)) == [span(0, 4, 10), *uses]
    assert ranges(references(a, at(0, 4), False)) == uses  # from the `let` itself, declaration left out
    assert ranges(references(a, at(5, 13), True))[0] == span(0, 4, 10)  # a cursor just after the name


def test_a_name_no_let_defines_has_no_references_and_cannot_be_renamed() -> None:
    a = analyse(LETS)
    assert references(a, at(3, 19), True) is None  # `top`
    assert prepare_rename(a, at(3, 19)) is None


def test_highlight_of_a_let_name() -> None:
    got = document_highlight(analyse(LETS), at(2, 12))
    assert got == [lsp.DocumentHighlight(range=span(0, 4, 10), kind=WRITE),
                   lsp.DocumentHighlight(range=span(1, 7, 13), kind=READ),
                   lsp.DocumentHighlight(range=span(2, 10, 16), kind=READ),
                   lsp.DocumentHighlight(range=span(5, 7, 13), kind=READ)]


def test_rename_a_let_name() -> None:
    a = analyse(LETS)
    assert prepare_rename(a, at(1, 8)) == lsp.PrepareRenamePlaceholder(range=span(1, 7, 13), placeholder="models")
    assert edits(rename(a, at(1, 8), "llms")) == {UNTITLED: [
        (span(0, 4, 10), "llms"), (span(1, 7, 13), "llms"), (span(2, 10, 16), "llms"), (span(5, 7, 13), "llms")]}


def test_a_let_name_must_be_a_name_and_not_taken() -> None:
    a = analyse("let a = 1\nlet b = 2\nx: a\n")
    assert refused(a, at(0, 4), "step") == "`step` is a word of the language: a `let` name cannot be one"
    assert refused(a, at(0, 4), "max tokens") == (
        "`max tokens` is not a name: a `let` name is a letter or `_`, then letters, digits, `_` or `-`")
    assert refused(a, at(0, 4), "b") == "`b` is already a `let` name (<untitled:Untitled-1>:2:5)"
    assert edits(rename(a, at(0, 4), "a")) == {}  # the same name: nothing to do


# --- keys ------------------------------------------------------------------------------------------------

KEYS = """\
llm: {
  model: ["a", "b"]*
  params: { model: 1 }
}
model: "top"
where llm.model != "b" and model == "top"
"""


def test_a_nested_key_is_its_path_from_the_document_root() -> None:
    a = analyse(KEYS)
    llm_model = [span(1, 2, 7), span(5, 10, 15)]
    assert ranges(references(a, at(1, 3), True)) == llm_model
    assert ranges(references(a, at(5, 12), True)) == llm_model  # from the `where` path's part
    assert ranges(references(a, at(4, 0), True)) == [span(4, 0, 5), span(5, 27, 32)]
    assert ranges(references(a, at(2, 13), True)) == [span(2, 12, 17)]  # llm.params.model
    assert ranges(references(a, at(5, 7), False)) == [span(5, 6, 9)]  # `llm`, uses only


def test_highlight_of_a_key_writes_its_entries_and_reads_its_where_paths() -> None:
    got = document_highlight(analyse(KEYS), at(5, 7))
    assert got == [lsp.DocumentHighlight(range=span(0, 0, 3), kind=WRITE),
                   lsp.DocumentHighlight(range=span(5, 6, 9), kind=READ)]


def test_rename_a_nested_key_and_its_where_path() -> None:
    assert edits(rename(analyse(KEYS), at(5, 12), "name")) == {UNTITLED: [
        (span(1, 2, 7), "name"), (span(5, 10, 15), "name")]}


def test_documents_are_independent() -> None:
    a = analyse("model: 1\nwhere model > 0\n---\nmodel: 2\n")
    assert ranges(references(a, at(3, 0), True)) == [span(3, 0, 5)]
    assert ranges(references(a, at(1, 6), True)) == [span(0, 0, 5), span(1, 6, 11)]


ZIPPED = """\
zip {
  provider: ["a", "b"]
  model: ["x", "y"]
}
variants [
  { temperature: 0.1 }
  { temperature: [0.2, 0.3]*, llm: { model: "m" } }
]
params: [{ temperature: 1 }, { temperature: 2 }]*
where temperature > 0.1 and params.temperature > 1
"""


def test_zip_and_variants_set_keys_where_the_block_stands() -> None:
    a = analyse(ZIPPED)
    assert ranges(references(a, at(5, 4), True)) == [span(5, 4, 15), span(6, 4, 15), span(9, 6, 17)]
    assert ranges(references(a, at(2, 2), True)) == [span(2, 2, 7)]  # not llm.model
    # The elements of a list sweep stand in the key's place.
    assert ranges(references(a, at(8, 11), True)) == [span(8, 11, 22), span(8, 31, 42), span(9, 35, 46)]


SCHEMA = """\
step: [1, 2]*
llm: { step: 1 }
schema {
  step: int
  llm?: { step: int }
}
where step > 1 and llm.step == 1
x: 0..10 step 2
"""


def test_keys_named_like_keywords_are_keys() -> None:
    a = analyse(SCHEMA)
    assert ranges(references(a, at(0, 1), True)) == [span(0, 0, 4), span(3, 2, 6), span(6, 6, 10)]
    assert edits(rename(a, at(6, 25), "stride")) == {UNTITLED: [
        (span(1, 7, 11), "stride"), (span(4, 10, 14), "stride"), (span(6, 23, 27), "stride")]}
    # ... and a key may be renamed to a keyword: it stays bare.
    assert edits(rename(a, at(0, 0), "count"))[UNTITLED][0] == (span(0, 0, 4), "count")


def test_keywords_numbers_and_strings_cannot_be_renamed() -> None:
    a = analyse(SCHEMA + 'name: "x"\n')
    for where in [at(7, 10), at(7, 6), at(7, 14), at(6, 0), at(6, 15), at(2, 0), at(3, 8), at(8, 8)]:
        assert prepare_rename(a, where) is None, where
        assert rename(a, where, "other") is None


def test_a_key_that_needs_quotes_is_quoted() -> None:
    a = analyse('"max-tokens": 1\nschema { "max-tokens": int }\n')
    assert prepare_rename(a, at(0, 3)) == lsp.PrepareRenamePlaceholder(range=span(0, 0, 12), placeholder="max-tokens")
    assert edits(rename(a, at(0, 3), "max tokens")) == {UNTITLED: [
        (span(0, 0, 12), '"max tokens"'), (span(1, 9, 21), '"max tokens"')]}
    assert edits(rename(a, at(0, 3), "max_tokens")) == {UNTITLED: [
        (span(0, 0, 12), "max_tokens"), (span(1, 9, 21), "max_tokens")]}


def test_a_key_a_where_path_names_must_stay_a_name() -> None:
    a = analyse("model: 1\nllm: { not: 1 }\nwhere model > 0 and llm.not == 1\n")
    assert refused(a, at(0, 0), "max tokens") == (
        "cannot rename to `max tokens`: a `where` path holds only names (a letter or `_`, then letters, "
        "digits, `_` or `-`), and the `where` at <untitled:Untitled-1>:3:7 names this key")
    assert refused(a, at(0, 0), "not") == (
        "cannot rename to `not`: `not` cannot begin a `where` path, and the `where` at "
        "<untitled:Untitled-1>:3:7 names this key")
    assert refused(a, at(0, 0), "llm") == "there is already a key `llm` here (<untitled:Untitled-1>:2:1)"
    # After a dot any word reads as a key.
    assert edits(rename(a, at(2, 25), "and")) == {UNTITLED: [(span(1, 7, 10), "and"), (span(2, 24, 27), "and")]}


def test_ranges_count_utf16_units_and_paths_may_hold_blanks() -> None:
    a = analyse('note: "😀", llm: { model: 1 }\nwhere llm . model > 0\n')
    # The emoji is two UTF-16 units: `llm` starts at character 12.
    assert edits(rename(a, at(1, 13), "name")) == {UNTITLED: [(span(0, 19, 24), "name"), (span(1, 12, 17), "name")]}
    assert ranges(references(a, at(0, 13), True)) == [span(0, 12, 15), span(1, 6, 9)]


def test_keys_inside_a_let_value_belong_to_that_value() -> None:
    a = analyse("let base = { model: 1 }\nmodel: 2\nllm: base\n")
    assert ranges(references(a, at(0, 14), True)) == [span(0, 13, 18)]
    assert ranges(references(a, at(1, 0), True)) == [span(1, 0, 5)]


# --- across files: extends ----------------------------------------------------------------------------

BASE = 'model: ["a", "b"]*\nllm: { timeout: 30 }\nwhere model != "c"\n'
CHILD = 'extends "base.mint"\nmodel: "z"\nllm: { timeout: 60 }\nextra: 1\n'
SIBLING = 'extends "base.mint"\nmodel: "y"\nextra: 2\nwhere llm.timeout > 1\n'


@pytest.fixture
def family(tmp_path: Path) -> tuple[Analysis, Analysis, Analysis]:
    """A base on disk (not open), a file that extends it and a sibling that does too (both open)."""
    (tmp_path / "base.mint").write_text(BASE, encoding="utf-8")
    loader = Loader()
    child = analyse(CHILD, (tmp_path / "child.mint").as_uri(), loader)
    sibling = analyse(SIBLING, (tmp_path / "sibling.mint").as_uri(), loader)
    base = analyse(BASE, (tmp_path / "base.mint").as_uri(), loader)
    return base, child, sibling


def test_references_reach_the_base_and_the_open_files_that_extend_it(
        family: tuple[Analysis, Analysis, Analysis]) -> None:
    base, child, sibling = family
    got = references(child, at(1, 1), True, [sibling])
    assert got is not None
    assert [(loc.uri, loc.range) for loc in got] == [
        (child.uri, span(1, 0, 5)), (base.uri, span(0, 0, 5)), (base.uri, span(2, 6, 11)),
        (sibling.uri, span(1, 0, 5))]
    got = references(sibling, at(3, 12), True, [child])  # llm.timeout, from a `where` of the sibling
    assert got is not None
    assert [(loc.uri, loc.range) for loc in got] == [
        (sibling.uri, span(3, 10, 17)), (base.uri, span(1, 7, 14)), (child.uri, span(2, 7, 14))]


def test_a_key_only_one_extending_file_sets_is_its_own(family: tuple[Analysis, Analysis, Analysis]) -> None:
    _, child, sibling = family
    assert ranges(references(child, at(3, 0), True, [sibling]), child.uri) == [span(3, 0, 5)]


def test_rename_a_key_of_a_base_in_the_files_that_extend_it(family: tuple[Analysis, Analysis, Analysis]) -> None:
    base, child, sibling = family
    expected = {
        base.uri: [(span(0, 0, 5), "name"), (span(2, 6, 11), "name")],
        child.uri: [(span(1, 0, 5), "name")],
        sibling.uri: [(span(1, 0, 5), "name")],
    }
    assert edits(rename(base, at(0, 2), "name", [child, sibling])) == expected
    # From an extending file the key is the base's too: the base is renamed, open or not.
    assert edits(rename(child, at(1, 2), "name", [sibling])) == expected
    # Highlight stays in its file.
    assert document_highlight(child, at(1, 2)) == [lsp.DocumentHighlight(range=span(1, 0, 5), kind=WRITE)]


# --- folding and selection --------------------------------------------------------------------------------

SAMPLE = '''\
# A sample
# with two comment lines
let models = [
  "a",
  "b",
]
llm: {
  model: models*
  params: { top_p: 1.0 }
}
prompt: """
You are
helpful."""
zip {
  p: [1, 2]
  q: [3, 4]
}
---
variants [
  { a: 1 }
  {
    a: 2
  }
]
schema {
  a: int
  b?: {
    c: string
  }
}
where a > 1 and b.c == "x"
'''


def test_folding_ranges() -> None:
    got = [(r.start_line, r.end_line, r.kind) for r in folding_ranges(analyse(SAMPLE))]
    comment, region = lsp.FoldingRangeKind.Comment, lsp.FoldingRangeKind.Region
    assert got == [
        (0, 1, comment),  # two comment lines
        (2, 4, None),  # the list, its `]` left visible
        (6, 8, None),  # llm's object
        (10, 12, None),  # the long string: its `"""` ends a line of text
        (13, 15, None),  # zip
        (17, 30, region),  # the second document, from its `---` (the first one's line is the list's)
        (18, 22, None),  # variants
        (20, 21, None),  # an alternative
        (24, 28, None),  # schema
        (26, 27, None),  # a nested object's schema
    ]


def test_a_lone_document_is_not_a_region_and_comments_in_strings_are_text() -> None:
    text = 'a: 1\nb: 2\np: """\n# not\n# comments\n"""\n'
    assert [(r.start_line, r.end_line, r.kind) for r in folding_ranges(analyse(text))] == [(2, 4, None)]


def chain(selection: lsp.SelectionRange | None) -> list[lsp.Range]:
    out = []
    while selection is not None:
        out.append(selection.range)
        selection = selection.parent
    return out


def test_selection_ranges_grow_from_the_token_to_the_file() -> None:
    a = analyse(SAMPLE)
    whole = lsp.Range(start=at(0, 0), end=at(31, 0))
    key, where_part, comment = selection_ranges(a, [at(8, 14), at(30, 18), at(0, 3)])
    assert chain(key) == [
        span(8, 12, 17),  # top_p
        span(8, 12, 22),  # top_p: 1.0
        span(8, 10, 24),  # { top_p: 1.0 }
        span(8, 2, 24),  # params: {...}
        lsp.Range(start=at(6, 5), end=at(9, 1)),  # llm's object
        lsp.Range(start=at(6, 0), end=at(9, 1)),  # llm: {...}
        lsp.Range(start=at(2, 0), end=at(16, 1)),  # the first document
        whole,
    ]
    assert chain(where_part) == [
        span(30, 18, 19),  # c
        span(30, 16, 19),  # b.c
        span(30, 16, 26),  # b.c == "x"
        span(30, 6, 26),  # a > 1 and b.c == "x"
        span(30, 0, 26),  # where ...
        lsp.Range(start=at(18, 0), end=at(30, 26)),  # the second document
        whole,
    ]
    assert chain(comment) == [whole]


# --- over the protocol ------------------------------------------------------------------------------------

aio = pytest.mark.asyncio(loop_scope="module")
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "spearmint_lang.lsp"])
ADVERTISED: list[lsp.ServerCapabilities] = []  # what the module's server answered to `initialize`


@pytest_lsp.fixture(scope="module", config=SERVER)
async def client(lsp_client: LanguageClient) -> Any:
    answer_server_requests(lsp_client)
    result = await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    ADVERTISED.append(result.capabilities)
    yield
    await lsp_client.shutdown_session()


def open_doc(client: LanguageClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="mint", version=1, text=text)))
    return uri


@aio
async def test_the_server_advertises_navigation(client: LanguageClient) -> None:
    [caps] = ADVERTISED
    assert caps.references_provider and caps.document_highlight_provider
    assert caps.rename_provider == lsp.RenameOptions(prepare_provider=True)
    assert caps.folding_range_provider and caps.selection_range_provider


@aio
async def test_rename_across_two_open_files(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text(BASE, encoding="utf-8")
    base = open_doc(client, tmp_path / "base.mint", BASE)
    child = open_doc(client, tmp_path / "child.mint", CHILD)
    where = lsp.TextDocumentIdentifier(uri=base)
    prepared = await client.text_document_prepare_rename_async(
        lsp.PrepareRenameParams(text_document=where, position=at(0, 2)))
    assert prepared == lsp.PrepareRenamePlaceholder(range=span(0, 0, 5), placeholder="model")
    got = await client.text_document_rename_async(
        lsp.RenameParams(text_document=where, position=at(0, 2), new_name="name"))
    assert edits(got) == {
        base: [(span(0, 0, 5), "name"), (span(2, 6, 11), "name")],
        child: [(span(1, 0, 5), "name")],
    }
    found = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=lsp.TextDocumentIdentifier(uri=child), position=at(2, 9),
        context=lsp.ReferenceContext(include_declaration=True)))
    assert [(loc.uri, loc.range) for loc in found or []] == [(child, span(2, 7, 14)), (base, span(1, 7, 14))]


@aio
async def test_a_refused_rename_is_an_error_with_the_reason(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_doc(client, tmp_path / "lets.mint", LETS)
    with pytest.raises(JsonRpcException) as info:
        await client.text_document_rename_async(lsp.RenameParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=at(0, 5), new_name="where"))
    assert info.value.code == lsp.LSPErrorCodes.RequestFailed
    assert info.value.message == "`where` is a word of the language: a `let` name cannot be one"
    nothing = await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=at(0, 1)))  # on `let`
    assert nothing is None


@aio
async def test_folding_highlight_and_selection_over_the_protocol(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_doc(client, tmp_path / "sample.mint", SAMPLE)
    doc = lsp.TextDocumentIdentifier(uri=uri)
    folds = await client.text_document_folding_range_async(lsp.FoldingRangeParams(text_document=doc))
    assert [(r.start_line, r.end_line) for r in folds or []] == [
        (0, 1), (2, 4), (6, 8), (10, 12), (13, 15), (17, 30), (18, 22), (20, 21), (24, 28), (26, 27)]
    lights = await client.text_document_document_highlight_async(
        lsp.DocumentHighlightParams(text_document=doc, position=at(7, 12)))
    assert list(lights or []) == [lsp.DocumentHighlight(range=span(2, 4, 10), kind=WRITE),
                                  lsp.DocumentHighlight(range=span(7, 9, 15), kind=READ)]
    [selection] = await client.text_document_selection_range_async(
        lsp.SelectionRangeParams(text_document=doc, positions=[at(30, 18)])) or []
    assert chain(selection)[:2] == [span(30, 18, 19), span(30, 16, 19)]
