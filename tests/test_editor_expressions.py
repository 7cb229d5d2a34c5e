"""Editor features on the constructs of derived values and composition:
semantic tokens, go to definition from a `${path}`, references and rename
through `${path}`s (functions of an analysis, as the server calls them)."""

from __future__ import annotations

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (pip install -e '.[lsp]')")

from lsprotocol import types as lsp  # noqa: E402

from tests.test_navigation import analyse, at, edits, span  # noqa: E402
from tests.test_semantic_tokens import tokens_of  # noqa: E402
from spearmint_lang.lsp.definition import definition  # noqa: E402
from spearmint_lang.lsp.references import references, rename  # noqa: E402

TEXT = '''\
batch_size: [32, 64]*
lr: 0.1 * ${batch_size} / 256
optimizer.momentum: if ${batch_size} > 32 then 0.9 else round(0.95, 1)
'''


def test_operators_functions_and_paths_are_coloured_by_meaning() -> None:
    rows = tokens_of(TEXT)
    line1 = [r for r in rows if r[0] == 1]
    assert line1 == [
        (1, 0, "lr", "property", ()),
        (1, 4, "0.1", "number", ()),
        (1, 8, "*", "operator", ()),  # a product, not a sweep
        (1, 10, "${", "operator", ()),
        (1, 12, "batch_size", "property", ()),
        (1, 24, "/", "operator", ()),
        (1, 26, "256", "number", ()),
    ]
    line2 = [r for r in rows if r[0] == 2]
    assert [(r[2], r[3]) for r in line2] == [
        ("optimizer", "property"), ("momentum", "property"), ("if", "keyword"), ("${", "operator"),
        ("batch_size", "property"), (">", "operator"), ("32", "number"), ("then", "keyword"), ("0.9", "number"),
        ("else", "keyword"), ("round", "function"), ("0.95", "number"), ("1", "number"),
    ]
    assert rows[0] == (0, 0, "batch_size", "property", ("sweep",))
    assert (0, 20, "*", "operator", ("sweep",)) in rows


def test_import_names_and_delete_are_coloured() -> None:
    rows = tokens_of('import "p.mint" as prompts\nsystem: prompts.system\nold: delete\n')
    assert (0, 0, "import", "keyword", ()) in rows
    assert (0, 16, "as", "keyword", ()) in rows
    assert (0, 19, "prompts", "variable", ("declaration", "readonly")) in rows
    assert (2, 5, "delete", "keyword", ()) in rows


def test_definition_of_a_path_in_a_computed_value_is_its_key() -> None:
    found = definition(analyse(TEXT), at(1, 15))
    assert found is not None and found.range == span(0, 0, 10)
    found = definition(analyse(TEXT), at(2, 27))
    assert found is not None and found.range == span(0, 0, 10)


def test_references_and_rename_follow_paths_in_computed_values() -> None:
    found = references(analyse(TEXT), at(0, 3), include_declaration=True)
    assert found is not None
    assert [loc.range for loc in found] == [span(0, 0, 10), span(1, 12, 22), span(2, 25, 35)]
    changed = edits(rename(analyse(TEXT), at(0, 3), "bs"))
    assert sorted((r.start.line, r.start.character, text) for r, text in changed["untitled:Untitled-1"]) == [
        (0, 0, "bs"), (1, 12, "bs"), (2, 25, "bs"),
    ]


def test_completion_after_dollar_brace_offers_the_key_paths() -> None:
    from spearmint_lang.lsp.completion import completions

    text = 'model: ["a", "b"]*\nllm: { temperature: 0.5, top_p: 1.0 }\nrun: "runs/${\nx: ${llm.te\nlit: "$${\n'
    analysis = analyse(text)

    def offered(line: int, character: int) -> list[tuple[str, str]]:
        found = completions(analysis, at(line, character))
        return [(i.label, i.text_edit.new_text if i.text_edit else i.insert_text or "") for i in found]

    assert offered(2, 13) == [("model", "model}"), ("llm", "llm}"), ("llm.temperature", "llm.temperature}"),
                              ("llm.top_p", "llm.top_p}")]
    assert offered(3, 11) == [("temperature", "temperature}"), ("top_p", "top_p}")]
    assert ("model", "model}") not in offered(4, 9)  # `$${` is a literal `${`
