"""The editor and random search (issue 12): hover shows a sampled key's
distribution in `.mint` form and the values the first configs draw (the
values `mintc` writes), and a `sample` line's design; completion offers the
distributions and the words of a `sample` line; semantic tokens and inlay
hints know the new words. The extension's TextMate grammar is tested by its
own grammar tests (vscode-extension/test/grammar/sampling.test.mint)."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (pip install -e '.[lsp]')")

from lsprotocol import types as lsp  # noqa: E402

from spearmint_lang import loads  # noqa: E402
from spearmint_lang.compiler import compile_text  # noqa: E402
from spearmint_lang.dynamic import DynamicValue, Slot  # noqa: E402
from spearmint_lang.expand import expand  # noqa: E402
from spearmint_lang.loader import Loader  # noqa: E402
from spearmint_lang.lsp import hover as hover_module  # noqa: E402
from spearmint_lang.lsp.analysis import Analysis  # noqa: E402
from spearmint_lang.lsp.completion import completions  # noqa: E402
from spearmint_lang.lsp.hover import first_draws, hover, mint_form  # noqa: E402
from spearmint_lang.lsp.inlay_hints import inlay_hints  # noqa: E402
from spearmint_lang.lsp.semantic_tokens import LEGEND, TOKEN_MODIFIERS, TOKEN_TYPES, classify  # noqa: E402
from spearmint_lang.sampling import (  # noqa: E402
    Choice,
    Distribution,
    LogNormal,
    LogUniform,
    Normal,
    RandInt,
    Sample,
    Uniform,
)

CURSOR = "‸"
EVERYWHERE = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=100_000, character=0))


def analyse(text: str) -> Analysis:
    return Analysis("untitled:sampling", text, 1, "utf-16", Loader())


def hover_at(text: str, line: int, character: int = 1) -> str | None:
    """The hover's Markdown at a 0-based (line, character)."""
    found = hover(analyse(text), lsp.Position(line=line, character=character))
    if found is None:
        return None
    assert isinstance(found.contents, lsp.MarkupContent)
    return found.contents.value


def parts(text: str | None) -> list[str]:
    assert text is not None
    return text.split("\n\n")


# --- hover: the distribution in .mint form ----------------------------------------------------------------


@pytest.mark.parametrize("dist, written", [
    (LogUniform(1e-5, 1e-1), "loguniform(1e-05, 0.1)"),
    (Uniform(0.0, 1.0, step="0.05"), "uniform(0.0, 1.0) step 0.05"),
    (Uniform(0, 1), "uniform(0, 1)"),
    (RandInt(1, 9), "randint(1, 9)"),
    (RandInt(0, 100, step="10"), "randint(0, 100) step 10"),
    (Normal(0, 1), "normal(0, 1)"),
    (LogNormal(-1.5, 0.5, step="0.1"), "lognormal(-1.5, 0.5) step 0.1"),
    (Choice(["a", "b", "c"]), 'choice(["a", "b", "c"])'),
    (Choice(["a", "b"], weights=[3, 1]), 'choice(["a", "b"], weights: [3, 1])'),
    (Choice([1, None, True, {"k": "é"}]), 'choice([1, null, true, {"k": "é"}])'),
])
def test_mint_form_of_each_distribution(dist: Distribution, written: str) -> None:
    assert mint_form(dist) == written


def test_first_draws_of_a_lowered_template_are_its_expanded_values() -> None:
    """On lowered forms alone (no `.mint` text): the first configs' values of
    a sampled key, at the top level and in a `variants`-like swept object."""
    lr = LogUniform(1e-5, 1e-1)
    template = {"model": DynamicValue(["a", "b"]), "lr": lr,
                Slot("sample"): Sample(3, seed=11)}
    configs = expand([template])
    assert first_draws(template, ("lr",), lr, 6) == [(i, configs[i]["lr"]) for i in range(5)]
    assert first_draws(template, ("lr",), lr, 2) == [(0, configs[0]["lr"]), (1, configs[1]["lr"])]
    assert first_draws({"lr": lr}, ("lr",), lr, 5) == []  # no `sample`


# --- hover over .mint text ----------------------------------------------------------------------------------------

SWEEP = """\
model: ["a", "b", "c"]*
lr: loguniform(1e-5, 1e-1)
temperature: uniform(0, 1) step 0.05
pick: choice(["x", "y"], weights: [3, 1])
sample 64 seed 7
"""


def test_hover_on_a_sampled_key_shows_its_distribution_first_values_and_the_count() -> None:
    configs = loads(SWEEP)
    lr = [c["lr"] for c in configs[:5]]
    assert parts(hover_at(SWEEP, 1)) == [
        "**lr** — sampled from `loguniform(1e-05, 0.1)`",
        "first 5 configs: " + ", ".join(repr(v) for v in lr),
        "document: 192 configs (64 samples × 3 grid points)",
    ]
    assert parts(hover_at(SWEEP, 2)) == [
        "**temperature** — sampled from `uniform(0, 1) step 0.05`",
        "first 5 configs: 0.8, 0.35, 0.7, 0.5, 0.65",  # multiples of 0.05, written as such
        "document: 192 configs (64 samples × 3 grid points)",
    ]
    assert [c["temperature"] for c in configs[:5]] == [0.8, 0.35, 0.7, 0.5, 0.65]
    assert parts(hover_at(SWEEP, 3)) == [
        '**pick** — sampled from `choice(["x", "y"], weights: [3, 1])`',
        'first 5 configs: "x", "x", "x", "y", "x"',
        "document: 192 configs (64 samples × 3 grid points)",
    ]
    # A grid key's hover gets the samples × grid points too.
    assert parts(hover_at(SWEEP, 0)) == ['**model** — 3 values: "a", "b", "c"',
                                         "document: 192 configs (64 samples × 3 grid points)"]


def test_hover_on_the_sample_line() -> None:
    assert parts(hover_at(SWEEP, 4, 3)) == [
        "**sample** — 64 samples × 3 grid points, seed 7, method random",
        "each value is drawn from (seed, config, key path) alone, so any config, range or shard is drawn without "
        "the others",
        "sampled keys: `lr`, `temperature`, `pick`",
        "document: 192 configs",
    ]
    assert hover_at(SWEEP, 4, 14) == hover_at(SWEEP, 4, 0)  # on `7` too


@pytest.mark.parametrize("method", ["sobol", "halton", "lhs"])
def test_quasi_random_first_values_are_those_compiled(method: str) -> None:
    pytest.importorskip("scipy")
    text = f'model: ["a", "b", "c"]*\nlr: loguniform(1e-5, 1e-1)\nx: uniform(0, 1)\nsample 2 seed 7 {method}\n'
    configs = loads(text)
    lr = ", ".join(repr(c["lr"]) for c in configs[:5])
    assert parts(hover_at(text, 1)) == ["**lr** — sampled from `loguniform(1e-05, 0.1)`", f"first 5 configs: {lr}",
                                        "document: 6 configs (2 samples × 3 grid points)"]
    assert configs[0]["lr"] == configs[2]["lr"]  # every grid point gets the same points
    assert parts(hover_at(text, 3))[:2] == [
        f"**sample** — 2 samples × 3 grid points, seed 7, method {method}",
        {"sobol": "each grid point gets the same 2 points of a scrambled Sobol' sequence (`scipy.stats.qmc`)",
         "halton": "each grid point gets the same 2 points of a scrambled Halton sequence (`scipy.stats.qmc`)",
         "lhs": "each grid point gets the same 2-point Latin hypercube (`scipy.stats.qmc`): one point in each of 2 "
                "strata of every sampled key"}[method]]


def test_without_scipy_the_method_is_an_error_and_hover_shows_what_it_can(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without scipy a quasi-random `sample` line is E094 at the method (it names
    the extra): hover shows the distribution, and no values or count."""
    monkeypatch.setitem(sys.modules, "scipy", None)  # `import scipy` fails
    monkeypatch.setitem(sys.modules, "scipy.stats", None)
    text = "lr: loguniform(1e-5, 1e-1)\nsample 8 sobol\n"
    unit = compile_text(text, "sweep.mint")
    assert [(d.code, d.span.line, d.span.column) for d in unit.diagnostics] == [("E094", 2, 10)]
    assert parts(hover_at(text, 0)) == [
        "**lr** — sampled from `loguniform(1e-05, 0.1)`",
        "the file has mistakes: no config count until they are fixed",
    ]
    assert parts(hover_at(text, 1)) == [
        "**sample** — unknown until this line compiles",
        "the file has mistakes: no config count until they are fixed",
    ]


def test_a_huge_quasi_random_design_is_not_made_in_the_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hover_module, "MAX_DESIGN", 10)
    text = "lr: loguniform(1e-5, 1e-1)\nsample 11 halton\n"
    assert parts(hover_at(text, 0))[1] == ("first values: not drawn here (a `halton` design of 11 points is made "
                                           "when the configs are written)")


def test_keys_not_in_every_config_show_a_dash_where_a_config_does_not_draw_them() -> None:
    text = "opt: [{lr: uniform(0, 1)}, {lr: 0.5}]*\nvariants [\n  { b: randint(1, 9) }\n  { c: 1 }\n]\nsample 2 seed 3\n"
    configs = loads(text)
    lr = [c["opt"]["lr"] for c in configs[:5]]
    assert lr[4] == 0.5  # config 4 takes the object whose `lr` is 0.5
    assert [c.get("b") for c in configs[:5]] == [4, 1, None, None, 6]  # configs 2 and 3 take `{ c: 1 }`
    assert parts(hover_at(text, 0, 8)) == [
        "**opt.lr** — sampled from `uniform(0, 1)`",
        f"first 5 configs: {lr[0]!r}, {lr[1]!r}, {lr[2]!r}, {lr[3]!r}, – (– where a config does not draw it)",
        "document: 8 configs (2 samples × 4 grid points)",
    ]
    assert parts(hover_at(text, 2, 5)) == [
        "**b** — sampled from `randint(1, 9)`",
        "first 5 configs: 4, 1, –, –, 6 (– where a config does not draw it)",
        "in `variants` alternative 1",
        "document: 8 configs (2 samples × 4 grid points)",
    ]


def test_with_where_the_values_are_those_of_the_configs_before_it() -> None:
    text = 'model: ["a", "b", "c"]*\nlr: loguniform(1e-5, 1e-1)\nwhere model != "b"\nsample 3\n'
    unfiltered = loads(text.replace('where model != "b"\n', ""))  # the same draws: config i is config i
    assert parts(hover_at(text, 1)) == [
        "**lr** — sampled from `loguniform(1e-05, 0.1)`",
        "first 5 configs (before `where`): " + ", ".join(repr(c["lr"]) for c in unfiltered[:5]),
        "document: 6 configs (9 before `where`; 3 samples × 2 grid points)",
    ]
    # configs 3 to 5 (model "b") are filtered out: the written ones are 0, 1, 2, 6, 7, 8.
    assert [c["lr"] for c in loads(text)] == [unfiltered[i]["lr"] for i in (0, 1, 2, 6, 7, 8)]


def test_fewer_configs_than_five_and_a_let_name() -> None:
    text = "let rates = loguniform(1e-4, 1e-2)\nlr: rates\nsample 2 seed 1\n"
    assert parts(hover_at(text, 1)) == [
        "**lr** — sampled from `loguniform(0.0001, 0.01)`",
        "first 2 configs: " + ", ".join(repr(c["lr"]) for c in loads(text)),
        "document: 2 configs (2 samples × 1 grid point)",
    ]
    assert parts(hover_at("x: normal(0, 1)\nsample 1\n", 0))[1] == "first config: " + repr(
        loads("x: normal(0, 1)\nsample 1\n")[0]["x"])


def test_a_file_with_mistakes_shows_the_distribution_but_no_values() -> None:
    text = "lr: loguniform(1e-5, 1e-1)\nx: oops\nsample 3\n"
    assert parts(hover_at(text, 0)) == ["**lr** — sampled from `loguniform(1e-05, 0.1)`",
                                        "the file has mistakes: no config count until they are fixed"]
    assert parts(hover_at(text, 2)) == [
        "**sample** — 3 samples, seed 0, method random",
        "each value is drawn from (seed, config, key path) alone, so any config, range or shard is drawn without "
        "the others",
        "sampled key: `lr`",
        "the file has mistakes: no config count until they are fixed",
    ]


def test_sampled_keys_on_the_sample_line_are_code() -> None:
    text = "top_p: uniform(0.8, 1.0)\nsample 4\n"
    assert parts(hover_at(text, 1))[2] == "sampled key: `top_p`"


def test_sample_and_seed_as_keys_hover_as_keys() -> None:
    text = "seed: [1, 2]*\nsample: 3\n"
    assert parts(hover_at(text, 0)) == ["**seed** — 2 values: 1, 2", "document: 2 configs"]
    assert parts(hover_at(text, 1)) == ["**sample** — static: 3", "document: 2 configs"]


# --- completion ---------------------------------------------------------------------------------------------------


def complete(text: str) -> list[lsp.CompletionItem]:
    if CURSOR not in text:
        text += CURSOR
    before, _, after = text.partition(CURSOR)
    line = before.count("\n")
    column = before[before.rfind("\n") + 1 :]
    at = lsp.Position(line=line, character=len(column.encode("utf-16-le")) // 2)
    found = completions(Analysis("file:///tmp/sampling/s.mint", before + after, 1, "utf-16", Loader()), at)
    return sorted(found, key=lambda item: item.sort_text or item.label)


def labels(text: str) -> list[str]:
    return [item.label for item in complete(text)]


DISTRIBUTIONS = ["uniform", "loguniform", "randint", "normal", "lognormal", "choice"]


def test_distributions_are_offered_as_snippets_where_a_keys_value_goes() -> None:
    items = complete("x: ")
    offered = [i for i in items if i.kind == lsp.CompletionItemKind.Function]
    assert [(i.label, i.insert_text, i.insert_text_format) for i in offered] == [
        ("uniform", "uniform(${1:low}, ${2:high})", lsp.InsertTextFormat.Snippet),
        ("loguniform", "loguniform(${1:low}, ${2:high})", lsp.InsertTextFormat.Snippet),
        ("randint", "randint(${1:low}, ${2:high})", lsp.InsertTextFormat.Snippet),
        ("normal", "normal(${1:mu}, ${2:sigma})", lsp.InsertTextFormat.Snippet),
        ("lognormal", "lognormal(${1:mu}, ${2:sigma})", lsp.InsertTextFormat.Snippet),
        ("choice", 'choice([${1:"a", "b"}])', lsp.InsertTextFormat.Snippet),
    ]
    assert offered[2].detail == "an integer of low, ..., high - 1 (high excluded)"
    assert labels("x: ") == ["count", "delete", "false", "if", "not", "null", "step", "true",
                              *DISTRIBUTIONS]
    # At any depth of objects, after a partly typed name, and as a `let` value.
    assert labels("opt: { lr: ")[-6:] == DISTRIBUTIONS
    assert labels("opt: {\n  lr: ‸\n}\n")[-6:] == DISTRIBUTIONS
    assert labels("x: unif")[-6:] == DISTRIBUTIONS
    assert labels("let rates = ")[-6:] == DISTRIBUTIONS
    # In a `variants` alternative and an object of a list sweep.
    assert labels("variants [\n  { b: ‸ }\n]\n")[-6:] == DISTRIBUTIONS
    assert labels("variants [\n  { a: 1 }\n  { b: ‸")[-6:] == DISTRIBUTIONS
    assert labels("opt: [\n  { lr: ‸ }\n]*\n")[-6:] == DISTRIBUTIONS


@pytest.mark.parametrize("text", [
    "x: [",  # not inside a list
    "x: [1, ",
    "x: [\n  ‸\n]*\n",
    "zip {\n  a: ‸\n}\n",  # a zip column is a list
    "schema {\n  a: ‸\n}\n",  # types go here
    "x: 1\nwhere x == ",
    "x: 0..",  # a range bound
    "",  # where a key goes
    "opt: { ",
])
def test_distributions_are_not_offered_where_they_cannot_stand(text: str) -> None:
    assert not set(DISTRIBUTIONS) & set(labels(text))


def test_a_schema_narrows_the_distributions_to_those_its_type_takes() -> None:
    schema = 'schema {\n  i: int\n  f: float in 0.0..1.0\n  s: string\n  m: "a" | "b"\n  a?: any\n}\n'
    assert labels(schema + "i: ")[-2:] == ["randint", "choice"]
    assert labels(schema + "f: ")[-6:] == DISTRIBUTIONS
    assert labels(schema + "s: ")[-1:] == ["choice"] and "uniform" not in labels(schema + "s: ")
    assert labels(schema + "m: ") == ['"a"', '"b"', "count", "delete", "false", "if", "not", "null", "step",
                                     "true", "choice"]
    assert labels(schema + "a: ")[-6:] == DISTRIBUTIONS


def test_sample_is_offered_at_document_level_as_a_snippet() -> None:
    items = [i for i in complete("x: uniform(0, 1)\n") if i.label == "sample"]
    assert [(i.kind, i.insert_text, i.insert_text_format) for i in items] == [
        (lsp.CompletionItemKind.Keyword, "sample ${1:20}", lsp.InsertTextFormat.Snippet)]
    assert "sample" in labels("") and "sample" in labels("x: 1\n---\n")
    assert "sample" not in labels("opt: { ")  # not inside an object
    assert "sample" not in labels("opt: {\n  ‸\n}\n")
    assert "sample" not in labels("variants [\n  { ‸ }\n]\n")  # nor in an alternative
    assert "sample" not in labels("zip {\n  ‸\n}\n")
    assert "sample" not in labels("x: ")  # nor as a value
    assert "sample" not in labels("x: uniform(0, 1)\nsample 4\n")  # one per document
    assert "sample" in labels("x: uniform(0, 1)\nsample 4\n---\n")  # the next one may have its own


def test_after_sample_n_seed_and_the_methods() -> None:
    items = complete("x: uniform(0, 1)\nsample 64 ")
    assert [(i.label, i.detail) for i in items] == [
        ("seed", "the seed of the draws (default 0)"),
        ("random", "the default: each value drawn from (seed, config, key path)"),
        ("sobol", "a scrambled Sobol' sequence (needs scipy)"),
        ("halton", "a scrambled Halton sequence (needs scipy)"),
        ("lhs", "a Latin hypercube (needs scipy)"),
    ]
    assert items[0].insert_text == "seed ${1:0}" and items[0].insert_text_format == lsp.InsertTextFormat.Snippet
    assert labels("x: uniform(0, 1)\nsample 64 seed 7 ") == ["random", "sobol", "halton", "lhs"]
    assert labels("x: uniform(0, 1)\nsample 64 so") == ["seed", "random", "sobol", "halton", "lhs"]
    assert labels("x: uniform(0, 1)\nsample n seed s ") == ["random", "sobol", "halton", "lhs"]  # `let` names
    assert labels("x: uniform(0, 1)\nsample ") == []  # a number goes here
    assert labels("x: uniform(0, 1)\nsample 64 seed ") == []
    assert labels("x: uniform(0, 1)\nsample 64 seed 7 sobol ") == []
    assert labels("sample: ")[-6:] == DISTRIBUTIONS  # `sample:` is a key


# --- semantic tokens ----------------------------------------------------------------------------------------------


def tokens(text: str) -> list[tuple[int, str, str, tuple[str, ...]]]:
    """(line, text, type, modifiers) of each coloured token."""
    return [(line, tok, TOKEN_TYPES[kind], tuple(m for i, m in enumerate(TOKEN_MODIFIERS) if mods >> i & 1))
            for tok, line, _, kind, mods in classify(analyse(text))]


def test_the_legend_has_function_last_so_earlier_indices_stay() -> None:
    assert LEGEND.token_types[-1] == "function"
    assert LEGEND.token_types[:9] == ["property", "variable", "keyword", "number", "string", "operator", "comment",
                                      "type", "enumMember"]


def test_distribution_names_are_functions_and_sample_words_keywords() -> None:
    text = ('let r = loguniform(1e-5, 1e-1)\nlr: r\nt: uniform(0, 1) step 0.05\n'
            'm: choice(["a"], weights: [1])\nseed: 1\nsample: 2\nsample 4 seed 7 sobol\n')
    sw = ("sweep",)
    assert tokens(text) == [
        (1, "let", "keyword", ()), (1, "r", "variable", ("declaration", "readonly")), (1, "=", "operator", ()),
        (1, "loguniform", "function", sw), (1, "1e-5", "number", sw), (1, "1e-1", "number", sw),
        (2, "lr", "property", sw), (2, "r", "variable", ("readonly", "sweep")),  # as a name of a range is
        (3, "t", "property", sw), (3, "uniform", "function", sw), (3, "0", "number", sw), (3, "1", "number", sw),
        (3, "step", "keyword", sw), (3, "0.05", "number", sw),
        (4, "m", "property", sw), (4, "choice", "function", sw), (4, '"a"', "string", sw),
        (4, "weights", "property", sw), (4, "1", "number", sw),
        (5, "seed", "property", ()), (5, "1", "number", ()),
        (6, "sample", "property", ()), (6, "2", "number", ()),
        (7, "sample", "keyword", ()), (7, "4", "number", ()), (7, "seed", "keyword", ()), (7, "7", "number", ()),
        (7, "sobol", "keyword", ()),
    ]


def test_words_of_lines_the_parser_blanked_are_read_by_their_neighbours() -> None:
    text = "x: uniform(0, \nsample 4 halton\n"
    found = {(line, tok): kind for line, tok, kind, _ in tokens(text)}
    assert found[1, "uniform"] == "function"
    assert (found[2, "sample"], found[2, "halton"]) == ("keyword", "keyword")


# --- inlay hints --------------------------------------------------------------------------------------------------


def hints(text: str) -> list[tuple[int, int, str]]:
    return [(h.position.line, h.position.character, str(h.label)) for h in inlay_hints(analyse(text), EVERYWHERE)]


def test_after_the_sample_line_the_grid_it_multiplies() -> None:
    assert hints(SWEEP) == [(0, 23, "3 values"), (0, 23, "192 configs"), (4, 16, "× 3 grid points = 192 configs")]
    assert hints("x: uniform(0, 1)\nsample 4  # four\n") == [(0, 16, "4 configs"), (1, 8, "× 1 grid point = 4 configs")]
    # `where` keeps 2 grid points of 3.
    assert hints('m: ["a", "b", "c"]*\nx: uniform(0, 1)\nwhere m != "b"\nsample 3\n')[-1] == (
        3, 8, "× 2 grid points = 6 configs")
    # Each document its own.
    assert [h for h in hints("x: uniform(0, 1)\nsample 2\n---\ny: [1, 2]*\nz: normal(0, 1)\nsample 5 seed 1 lhs\n")
            if h[2].startswith("×")] == [(1, 8, "× 1 grid point = 2 configs"), (5, 19, "× 2 grid points = 10 configs")]


def test_a_sample_line_first_in_its_document_carries_the_count() -> None:
    # The document's count would stand at the same place: the sample hint, which ends with it, stands alone.
    assert hints("sample 8 seed 1\nmodel: [\"a\", \"b\"]*\nlr: loguniform(1e-5, 1e-1)\n") == [
        (0, 15, "× 2 grid points = 16 configs"), (1, 18, "2 values")]


def test_no_sample_hint_while_the_file_has_mistakes() -> None:
    assert [h for h in hints("x: uniform(0, 1)\ny: oops\nsample 4\n") if h[2].startswith("×")] == []


def test_positions_count_utf16() -> None:
    text = 'x: uniform(0, 1)\ny: "é😀", sample 2 seed 1\n'
    assert hints(text)[-1] == (1, len('y: "é😀", sample 2 seed 1'.encode("utf-16-le")) // 2,
                               "× 1 grid point = 2 configs")
