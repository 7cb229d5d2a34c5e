"""Editor features on the constructs of derived values and composition:
semantic tokens, go to definition from a `${path}` and an imported name,
references and rename through `${path}`s, hover on computed values, paths,
imports and `delete` (functions of an analysis, as the server calls them)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (pip install -e '.[lsp]')")

from lsprotocol import types as lsp  # noqa: E402

from tests.test_navigation import analyse, at, edits, span  # noqa: E402
from tests.test_semantic_tokens import tokens_of  # noqa: E402
from spearmint_lang.lsp.analysis import Analysis  # noqa: E402
from spearmint_lang.lsp.definition import definition  # noqa: E402
from spearmint_lang.lsp.hover import hover  # noqa: E402
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


# --- hover ----------------------------------------------------------------------------------------

def hovered(analysis: Analysis, line: int, character: int) -> tuple[str, lsp.Range] | None:
    found = hover(analysis, at(line, character))
    if found is None:
        return None
    assert isinstance(found.contents, lsp.MarkupContent) and found.range is not None
    return found.contents.value, found.range


def test_hover_on_a_computed_value_shows_the_values_it_takes() -> None:
    text = TEXT + 'seed: 0..<3\nrun: "runs/${batch_size}-${seed}"\nsame: ${seed} * 0\n'
    analysis = analyse(text)
    assert hovered(analysis, 1, 0) == (
        "**lr** — computed for each config: `0.1 * ${batch_size} / 256`\n\n"
        "values: 0.0125, 0.025\n\n"
        "document: 6 configs", span(1, 0, 2))
    assert hovered(analysis, 2, 12) == (
        "**optimizer.momentum** — computed for each config: "
        "`if ${batch_size} > 32 then 0.9 else round(0.95, 1)`\n\n"
        "value: 0.9\n\n"  # (0.95 is a little under 0.95 as a float: `round` gives 0.9, like the `then`)
        "document: 6 configs", span(2, 10, 18))
    assert hovered(analysis, 4, 1) == (
        '**run** — computed for each config: `"runs/${batch_size}-${seed}"`\n\n'
        'values: "runs/32-0", "runs/32-1", "runs/32-2", "runs/64-0", "runs/64-1", "runs/64-2"\n\n'
        "document: 6 configs", span(4, 0, 3))
    assert hovered(analysis, 5, 0) == (
        "**same** — computed for each config: `${seed} * 0`\n\nvalue: 0\n\ndocument: 6 configs", span(5, 0, 4))


def test_hover_on_a_computed_value_of_a_huge_sweep_answers_at_once() -> None:
    analysis = analyse("a: 0..<1000000\nb: 0..<1000000\nc: ${a} + ${b}\nd: ${a} % 2\n")
    start = time.perf_counter()
    found = hovered(analysis, 2, 0)
    assert time.perf_counter() - start < 2
    assert found == (
        "**c** — computed for each config: `${a} + ${b}`\n\n"
        "values (first 1,000 configs): 0, 1, 2, 3, 4, 5, 6, 7, … 992 more\n\n"
        "document: 1,000,000,000,000 configs", span(2, 0, 1))
    found = hovered(analysis, 3, 0)
    assert found is not None and found[0].split("\n\n")[1] == "values (first 1,000 configs): 0"


def test_hover_on_a_computed_value_stops_at_a_where_that_keeps_few() -> None:
    analysis = analyse("a: 0..<5000000\nc: ${a} * 2\nwhere a > 4999990\n")
    start = time.perf_counter()
    found = hovered(analysis, 1, 0)
    assert time.perf_counter() - start < 2
    assert found is not None
    assert re.fullmatch(r"values: not computed here \(`where` keeps none of the first [0-9,]+ combinations\)",
                        found[0].split("\n\n")[1])


def test_hover_on_a_computed_value_that_fails_shows_the_error() -> None:
    analysis = analyse("batch_size: [32, 0, 64]*\nsteps: 1024 // ${batch_size}\nafter: ${steps} + 1\n"
                       "---\nx: [1, 2]*\ny: 10 / (${x} - 2)\n")
    assert hovered(analysis, 1, 0) == (
        "**steps** — computed for each config: `1024 // ${batch_size}`\n\n"
        "error E100: config 1: division by zero: 1024 // 0 (with batch\\_size = 0)\n\n"
        "document 1 of 2: 3 configs", span(1, 0, 5))
    found = hovered(analysis, 2, 0)
    assert found is not None and found[0].split("\n\n")[1] == (
        "error E100: config 1: division by zero: 1024 // 0 (with batch\\_size = 0) (in the value at line 2)")
    found = hovered(analysis, 5, 0)  # configs are counted in the whole sweep, as `mintc compile` counts them
    assert found is not None and found[0].split("\n\n")[1] == (
        "error E100: config 4: division by zero: 10 / 0 (with x = 2)")


def test_hover_on_a_computed_value_in_a_variants_alternative() -> None:
    analysis = analyse('variants [\n  { model: "a", tag: "A-${seed}" }\n  { model: "b" }\n]\nseed: [1, 2]*\n')
    assert hovered(analysis, 1, 17) == (
        '**tag** — computed for each config: `"A-${seed}"`\n\nvalues: "A-1", "A-2"\n\n'
        "in `variants` alternative 1\n\ndocument: 4 configs", span(1, 16, 19))


def test_hover_on_a_path_shows_the_key_it_names() -> None:
    text = TEXT + 'run: "bs${batch_size}"\nopt.wd: [0, 1]*\nwhere ${batch_size} > 0 and opt.wd < 1\n'
    analysis = analyse(text)
    key = "**batch\\_size** — 2 values: 32, 64\n\ndocument: 2 configs (4 before `where`)"
    assert hovered(analysis, 0, 0) == (key, span(0, 0, 10))
    assert hovered(analysis, 1, 15) == (key, span(1, 10, 23))  # `${batch_size}` in an expression
    assert hovered(analysis, 3, 12) == (key, span(3, 10, 20))  # in a string: the path inside `${ }`
    assert hovered(analysis, 5, 9) == (key, span(5, 6, 19))  # in a `where`
    assert hovered(analysis, 5, 32) == (
        "**opt.wd** — 2 values: 0, 1\n\ndocument: 2 configs (4 before `where`)", span(5, 28, 34))


def _files(tmp_path: Path) -> Analysis:
    (tmp_path / "base.mint").write_text('model: "a"\noptimizer: { lr: 0.1, momentum: 0.9 }\nold: [1, 2]*\n')
    (tmp_path / "p.mint").write_text('let system = "You are helpful."\nlet user = "Hi"\n')
    main = tmp_path / "main.mint"
    text = ('import "p.mint" as prompts\nextends "base.mint"\nsystem: prompts.system\nold: delete\n'
            "optimizer.momentum: delete\nlr2: ${optimizer.lr} * 2\n")
    main.write_text(text)
    return analyse(text, uri=main.as_uri())


def test_hover_and_definition_of_an_imported_name(tmp_path: Path) -> None:
    analysis = _files(tmp_path)
    assert hovered(analysis, 2, 12) == (
        '```mint\nlet system = "You are helpful."\n```\n\nfrom `p.mint`, imported as `prompts`', span(2, 8, 22))
    found = definition(analysis, at(2, 18))
    assert found is not None
    assert found.uri == (tmp_path / "p.mint").as_uri() and found.range == span(0, 4, 10)
    for character in (10, 21):  # the path of the `import`, and its name: that file
        found = definition(analysis, at(0, character))
        assert found is not None and found.uri == (tmp_path / "p.mint").as_uri() and found.range == span(0, 0, 0)


def test_hover_on_an_import_shows_its_file_and_names(tmp_path: Path) -> None:
    analysis = _files(tmp_path)
    expected = "**prompts** — the file `p.mint`\n\nits `let` names: `prompts.system`, `prompts.user`"
    assert hovered(analysis, 0, 21) == (expected, span(0, 0, 26))
    assert hovered(analysis, 0, 2) == (expected, span(0, 0, 26))


def test_hover_on_delete_names_the_base_whose_key_it_removes(tmp_path: Path) -> None:
    analysis = _files(tmp_path)
    assert hovered(analysis, 3, 7) == (
        "**old** — deleted: removes the value `base.mint` sets (2 values: 1, 2)\n\ndocument: 1 config",
        span(3, 5, 11))
    assert hovered(analysis, 3, 0) == hovered(analysis, 3, 7)[0:1] + (span(3, 0, 3),)  # type: ignore[index]
    assert hovered(analysis, 4, 22) == (
        "**optimizer.momentum** — deleted: removes the value `base.mint` sets (static: 0.9)\n\n"
        "document: 1 config", span(4, 20, 26))
    # a path to a key of the extended file: that key's hover
    assert hovered(analysis, 5, 9) == ("**optimizer.lr** — static: 0.1\n\ndocument: 1 config", span(5, 5, 20))
