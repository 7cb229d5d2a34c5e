"""Completion in context (`spearmint_lang.lsp.completion`): `where` paths and
operators, the schema's literal alternatives, file names after `extends`.

The feature function is called on an `Analysis` of text the user is still
typing (it rarely parses at the cursor); one test drives the real server.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (pip install -e '.[lsp]')")

from lsprotocol import types as lsp  # noqa: E402

from spearmint_lang.loader import Loader  # noqa: E402
from spearmint_lang.lsp.analysis import Analysis  # noqa: E402
from spearmint_lang.lsp.completion import MAX_FILES, MAX_PATHS, completions  # noqa: E402

CURSOR = "‸"

TYPES = """\
schema {
  model: "gpt-4" | "claude"
  llm?: { provider: "openai" | "anthropic", timeout: int }
  seed?: 1 | 2 | null
  flag?: bool
  runs?: { kind: "a" | "b" }
}
"""
SCHEMA = TYPES + """\
model: ["gpt-4", "claude"]*
llm: { provider: "openai", timeout: 30 }
flag: [true, false]*
"""


def analyse(text: str, uri: str = "file:///tmp/completion/sweep.mint") -> tuple[Analysis, lsp.Position]:
    """The analysis of `text` without its cursor mark (at the end when there is none),
    and the cursor's LSP position (UTF-16)."""
    if CURSOR not in text:
        text += CURSOR
    before, _, after = text.partition(CURSOR)
    line = before.count("\n")
    column = before[before.rfind("\n") + 1 :]
    return Analysis(uri, before + after, 1, "utf-16", Loader()), lsp.Position(
        line=line, character=len(column.encode("utf-16-le")) // 2)


def complete(text: str, uri: str = "file:///tmp/completion/sweep.mint") -> list[lsp.CompletionItem]:
    analysis, at = analyse(text, uri)
    return sorted(completions(analysis, at), key=lambda item: item.sort_text or item.label)


def labels(text: str, uri: str = "file:///tmp/completion/sweep.mint") -> list[str]:
    """The labels offered at the cursor, in the order the editor lists them."""
    return [item.label for item in complete(text, uri)]


def edit_of(item: lsp.CompletionItem) -> tuple[int, int, int, str] | None:
    """(line, first character, last character, new text) of an item's edit."""
    edit = item.text_edit
    if edit is None:
        return None
    assert isinstance(edit, lsp.TextEdit)
    assert edit.range.start.line == edit.range.end.line
    return edit.range.start.line, edit.range.start.character, edit.range.end.character, edit.new_text


# --- where: key paths ----------------------------------------------------------------------------------------


def test_where_offers_the_documents_key_paths_nested_ones_dotted_and_not() -> None:
    items = complete(SCHEMA + "where ")
    assert [i.label for i in items] == ["model", "llm", "llm.provider", "llm.timeout", "flag", "not"]
    assert [(i.kind, i.detail) for i in items] == [
        (lsp.CompletionItemKind.Field, "string"),
        (lsp.CompletionItemKind.Field, "object"),
        (lsp.CompletionItemKind.Field, "string"),
        (lsp.CompletionItemKind.Field, "number"),
        (lsp.CompletionItemKind.Field, "bool"),
        (lsp.CompletionItemKind.Keyword, "negation"),
    ]
    assert all(i.text_edit is None for i in items)  # nothing typed: inserted at the cursor


def test_where_is_completed_although_the_line_does_not_parse() -> None:
    analysis, at = analyse(SCHEMA + "where (model == ")
    assert not analysis.parses
    assert [i.label for i in completions(analysis, at)][:2] == ['"gpt-4"', '"claude"']


@pytest.mark.parametrize("prefix", ["where not ", "where (", "where model == \"gpt-4\" and ", "where flag or "])
def test_paths_follow_and_or_not_and_parentheses(prefix: str) -> None:
    assert labels(SCHEMA + prefix) == ["model", "llm", "llm.provider", "llm.timeout", "flag", "not"]


def test_after_a_dot_the_keys_under_that_path() -> None:
    assert labels(SCHEMA + "where llm.") == ["provider", "timeout"]
    items = complete(SCHEMA + "where llm.pro")
    assert [i.label for i in items] == ["provider", "timeout"]
    # The typed `pro` (characters 10..13 of line 10) is replaced.
    assert [edit_of(i) for i in items] == [(10, 10, 13, "provider"), (10, 10, 13, "timeout")]


def test_a_partly_typed_path_is_replaced() -> None:
    items = complete(SCHEMA + "where (mo")
    assert items[0].label == "model" and edit_of(items[0]) == (10, 7, 9, "model")


def test_paths_come_from_the_lowered_document_zip_variants_and_swept_objects() -> None:
    text = ('zip { a: [1, 2], b: ["x", "y"] }\nvariants [ { v: 1 }, { w: "z" } ]\n'
            'p: [{ t: 0.5 }, { t: 1.0, k: 2 }]*\nwhere ')
    assert labels(text) == ["a", "b", "v", "w", "p", "p.t", "p.k", "not"]


def test_where_paths_include_the_keys_of_the_base_it_extends(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text('model: ["a", "b"]*\nllm: { name: "x" }\n', encoding="utf-8")
    uri = (tmp_path / "exp.mint").as_uri()
    assert labels('extends "base.mint"\ntemperature: [0.2, 0.9]*\nwhere ', uri) == [
        "model", "llm", "llm.name", "temperature", "not"]
    assert labels('extends "base.mint"\nwhere llm.', uri) == ["name"]


def test_past_max_paths_only_the_first_level_the_rest_after_a_dot() -> None:
    n = MAX_PATHS // 2 + 1  # n objects of two keys: 3n paths
    text = "".join(f"k{i}: {{ a: {i}, b: 1 }}\n" for i in range(n))
    assert labels(text + "where ") == [f"k{i}" for i in range(n)] + ["not"]
    assert labels(text + "where k7.") == ["a", "b"]


def test_keyword_named_keys_are_offered_where_they_read_as_keys() -> None:
    text = "step: 1\nschema-like: 2\nnot: 3\nin: 4\na: { not: 1, true: 2 }\nwhere "
    # `not` would read as the keyword where an operand begins; `in` and `step` read as keys there.
    assert labels(text) == ["step", "schema-like", "in", "a", "a.not", "a.true", "not"]
    assert labels(text.replace("where ", "where a.")) == ["not", "true"]
    assert labels(text.replace("where ", "where not.")) == []


def test_quoted_keys_that_no_path_can_spell_are_left_out() -> None:
    assert labels('"top p": 1\nok: 2\nwhere ') == ["ok", "not"]


# --- where: keywords ------------------------------------------------------------------------------------------


def test_after_an_operand_the_connectives_and_membership() -> None:
    items = complete(SCHEMA + "where model ")
    assert [(i.label, i.kind, i.detail) for i in items] == [
        ("and", lsp.CompletionItemKind.Keyword, "both sides hold"),
        ("or", lsp.CompletionItemKind.Keyword, "either side holds"),
        ("in", lsp.CompletionItemKind.Keyword, "one of the listed values: `in [...]`"),
        ("not in", lsp.CompletionItemKind.Keyword, "none of the listed values: `not in [...]`"),
    ]


@pytest.mark.parametrize("prefix, expected", [
    ("where model not ", ["in"]),
    ('where model == "gpt-4" ', ["and", "or"]),
    ('where model in ["gpt-4"] ', ["and", "or"]),
    ("where flag == true ", ["and", "or"]),
    ("where (flag) ", ["and", "or", "in", "not in"]),  # `(expr) in [...]` is grammar
    ("where model in ", []),
    ('where model in ["gpt-4"', []),
])
def test_keywords_only_where_the_grammar_lets_them_follow(prefix: str, expected: list[str]) -> None:
    assert labels(SCHEMA + prefix) == expected


def test_a_partly_typed_keyword_is_replaced() -> None:
    items = complete(SCHEMA + 'where model == "gpt-4" an')
    assert [(i.label, edit_of(i)) for i in items] == [("and", (10, 23, 25, "and")), ("or", (10, 23, 25, "or"))]


def test_edits_count_utf16_units() -> None:
    items = complete('model: ["😀", "b"]*\nwhere model == "😀" o')
    # 😀 is two UTF-16 units: `o` is character 20.
    assert [(i.label, edit_of(i)) for i in items] == [("and", (1, 20, 21, "and")), ("or", (1, 20, 21, "or"))]


def test_nothing_in_a_comment_after_a_broken_expression_or_in_a_number() -> None:
    assert labels(SCHEMA + 'where model == "gpt-4" # no') == []
    assert labels(SCHEMA + "where model == == ") == []
    assert labels(SCHEMA + "# where ") == []
    assert labels(SCHEMA + "x: 1 # note: ") == []
    assert labels(SCHEMA + "t: 0.") == []
    assert labels("let top = 1.0\nt: 0..")[0] == "top"  # a range's end: a value goes


# --- schema literal alternatives -------------------------------------------------------------------------------


def test_schema_literals_are_offered_as_values_of_their_key() -> None:
    items = complete(SCHEMA + "model: ")
    assert [i.label for i in items] == ['"gpt-4"', '"claude"', "count", "delete", "false", "if", "not", "null", "step",
                                         "true", "choice"]
    assert (items[0].kind, items[0].detail) == (lsp.CompletionItemKind.EnumMember, 'schema: "gpt-4" | "claude"')
    assert labels(SCHEMA + "seed: ")[:3] == ["1", "2", "null"]


def test_inside_a_string_only_string_literals_replacing_the_typed_text_and_closing_quote() -> None:
    items = complete(SCHEMA + 'model: "cl‸"')
    assert [(i.label, edit_of(i)) for i in items] == [
        ('"gpt-4"', (10, 7, 11, '"gpt-4"')), ('"claude"', (10, 7, 11, '"claude"'))]
    assert labels(SCHEMA + 'seed: "') == []


def test_schema_literals_in_nested_objects_and_list_sweeps() -> None:
    assert labels(SCHEMA + "llm: { provider: ")[:2] == ['"openai"', '"anthropic"']
    assert labels(SCHEMA + "llm: {\n  timeout: 3\n  provider: ‸\n}\n")[:2] == ['"openai"', '"anthropic"']
    assert labels(SCHEMA + 'model: ["gpt-4", ')[:2] == ['"gpt-4"', '"claude"']
    # Not for another key, nor where a type goes.
    assert '"gpt-4"' not in labels(SCHEMA + "flag: ")
    assert labels('schema {\n  model: "gpt-4" | "claude"\n  other: ‸\n}\n') == [
        "count", "false", "if", "not", "null", "step", "true"]


def test_schema_literals_on_a_line_of_their_own_in_a_list_opened_above() -> None:
    # (no distribution, nor `delete`, inside a list)
    values = ['"gpt-4"', '"claude"', "count", "false", "if", "not", "null", "step", "true"]
    assert labels(TYPES + 'model: [\n  "gpt-4",\n  ‸\n]*\n') == values
    assert labels(TYPES + 'zip {\n  model: [\n    ‸\n  ]\n  seed: [1, 2]\n}\n') == values
    providers = ['"openai"', '"anthropic"']
    assert labels(TYPES + 'llm: [\n  { provider: "openai" }\n  { provider: ‸\n]*\n')[:2] == providers
    assert labels(TYPES + 'runs: [\n  { kind: "a" },\n  { ‸ }\n]*\n')[0] == "kind"
    assert labels(TYPES + 'runs: [\n  {\n    ‸\n  }\n]*\n')[0] == "kind"
    assert labels(TYPES + 'runs: [\n  {\n    kind: ‸\n  }\n]*\n')[:2] == ['"a"', '"b"']


def test_schema_literals_in_where_comparisons() -> None:
    assert labels(SCHEMA + "where model == ") == [
        '"gpt-4"', '"claude"', "model", "llm", "llm.provider", "llm.timeout", "flag"]
    assert labels(SCHEMA + 'where llm.provider != ')[:2] == ['"openai"', '"anthropic"']
    assert labels(SCHEMA + 'where model in ["gpt-4", ') == ['"gpt-4"', '"claude"']
    assert labels(SCHEMA + "where model not in [") == ['"gpt-4"', '"claude"']
    items = complete(SCHEMA + 'where model == "g')
    assert [(i.label, edit_of(i)) for i in items] == [
        ('"gpt-4"', (10, 15, 17, '"gpt-4"')), ('"claude"', (10, 15, 17, '"claude"'))]


def test_booleans_after_a_comparison_with_a_bool_key() -> None:
    assert labels(SCHEMA + "where flag == ")[:2] == ["false", "true"]


# --- extends: file names -----------------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "base.mint").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "other.mint").write_text("b: 1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    (tmp_path / "exp.mint").write_text("", encoding="utf-8")
    (tmp_path / "common" / "deep").mkdir(parents=True)
    (tmp_path / "common" / "shared.mint").write_text("c: 1\n", encoding="utf-8")
    (tmp_path / "common" / "deep" / "x.mint").write_text("d: 1\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.mint")
    return tmp_path


def test_extends_offers_mint_files_then_folders_of_the_documents_folder(folder: Path) -> None:
    uri = (folder / "exp.mint").as_uri()
    items = complete('extends "', uri)
    # Not the document itself, nor other files, hidden folders or a named pipe.
    assert [(i.label, i.kind, i.detail) for i in items] == [
        ("base.mint", lsp.CompletionItemKind.File, ".mint file"),
        ("other.mint", lsp.CompletionItemKind.File, ".mint file"),
        ("common/", lsp.CompletionItemKind.Folder, "folder"),
    ]
    assert all(i.text_edit is None for i in items)


def test_extends_replaces_the_typed_name_and_goes_one_folder_at_a_time(folder: Path) -> None:
    uri = (folder / "exp.mint").as_uri()
    items = complete('extends "ot‸"', uri)
    assert [(i.label, edit_of(i)) for i in items] == [
        ("base.mint", (0, 9, 11, "base.mint")), ("other.mint", (0, 9, 11, "other.mint")),
        ("common/", (0, 9, 11, "common/"))]
    assert labels('extends "common/', uri) == ["shared.mint", "deep/"]
    assert [edit_of(i) for i in complete('extends "common/sh', uri)] == [
        (0, 16, 18, "shared.mint"), (0, 16, 18, "deep/")]
    assert labels('extends "common/deep/', uri) == ["x.mint"]
    assert labels('extends "common/../', uri) == ["base.mint", "other.mint", "common/"]
    assert labels('extends "..', (folder / "common" / "shared.mint").as_uri()) == ["../", "deep/"]
    assert labels('extends "missing/', uri) == []
    assert labels('extends "base.mint/', uri) == []


def test_extends_in_an_unsaved_document_offers_nothing() -> None:
    assert labels('extends "', "untitled:Untitled-1") == []


def test_extends_offers_at_most_max_files_names(tmp_path: Path) -> None:
    for i in range(MAX_FILES + 10):
        (tmp_path / f"f{i:03d}.mint").write_text("", encoding="utf-8")
    found = labels('extends "', (tmp_path / "exp.mint").as_uri())
    assert len(found) == MAX_FILES and found[0] == "f000.mint"


# --- over the protocol ---------------------------------------------------------------------------------------------

pytest_lsp = pytest.importorskip("pytest_lsp", reason="these tests need pytest-lsp (pip install -e '.[test]')")
from tests.conftest import answer_server_requests  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

aio = pytest.mark.asyncio(loop_scope="module")


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "spearmint_lang.lsp"])


@pytest_lsp.fixture(scope="module", config=SERVER)
async def client(lsp_client: LanguageClient) -> Any:
    answer_server_requests(lsp_client)
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


@aio
async def test_where_paths_over_the_protocol(client: LanguageClient, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("completion") / "where.mint"
    text = SCHEMA + "where llm.ti"
    uri = path.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="mint", version=1, text=text)))
    for _ in range(1500):  # the server has analysed the text once it publishes its diagnostics
        if uri in client.diagnostics:
            break
        await asyncio.sleep(0.01)
    result = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=10, character=12)))
    assert isinstance(result, lsp.CompletionList)
    items = sorted(result.items, key=lambda i: i.sort_text or i.label)
    assert [(i.label, i.kind, i.detail, edit_of(i)) for i in items] == [
        ("provider", lsp.CompletionItemKind.Field, "string", (10, 10, 12, "provider")),
        ("timeout", lsp.CompletionItemKind.Field, "number", (10, 10, 12, "timeout")),
    ]
