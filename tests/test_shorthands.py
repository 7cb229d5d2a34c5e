"""Shorthands users bring from other tools: digit separators (`100_000`),
dedented block strings (Swift's rule), dotted keys (`optimizer.lr: 0.1`)
and sweeps inside lists (`layers: [[64, 128]*, 32]`)."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp

from spearmint_lang import MintError, Sweep, loads
from spearmint_lang.fmt import format_source
from spearmint_lang.loader import Loader
from spearmint_lang.lsp.analysis import Analysis
from spearmint_lang.lsp.definition import definition
from spearmint_lang.lsp.hover import hover
from spearmint_lang.lsp.symbols import document_symbols
from tests.conftest import DEADLINE, EXAMPLES, strip_ids


def values(text: str, path: str = "t.mint") -> list[dict[str, Any]]:
    return strip_ids(loads(text, path=path))


def errors(text: str, path: str = "t.mint") -> list[tuple[str, int, int]]:
    with pytest.raises(MintError) as info:
        loads(text, path=path)
    return [(d.code, d.span.line, d.span.column) for d in info.value.diagnostics if d.severity == "error"]


def rendered(text: str) -> str:
    with pytest.raises(MintError) as info:
        loads(text, path="t.mint")
    return info.value.diagnostics[0].render()


# --- digit separators ---------------------------------------------------------------

def test_digit_separators_in_values() -> None:
    assert values("a: 100_000\nb: 1_000.5\nc: -2_000\nd: 1_0e10\ne: 0.000_1") == [
        {"a": 100000, "b": 1000.5, "c": -2000, "d": 1e11, "e": 0.0001}]


def test_digit_separators_in_ranges_and_counts() -> None:
    assert [c["n"] for c in values("n: 0..100_000 step 25_000")] == [0, 25000, 50000, 75000, 100000]
    assert [c["x"] for c in values("x: 0.0..1_0.0 count 1_1")] == [float(i) for i in range(11)]
    assert [c["x"] for c in values("x: 1..1_024 step *2")] == [2 ** i for i in range(11)]


def test_digit_separators_in_sample_counts() -> None:
    out = values("lr: uniform(0, 1)\nsample 1_0 seed 1_2")
    assert len(out) == 10
    assert out == values("lr: uniform(0, 1)\nsample 10 seed 12")


def test_a_trailing_separator_is_a_syntax_error() -> None:
    assert errors("a: 1_000_")[0][1:] == (1, 9)


# --- block strings ---------------------------------------------------------------------

def test_block_string_is_dedented_by_its_closing_line() -> None:
    text = 'agent: {\n  prompt: """\n    You are helpful.\n      Indented.\n\n    End.\n    """\n}\n'
    assert values(text) == [{"agent": {"prompt": "You are helpful.\n  Indented.\n\nEnd."}}]


def test_block_string_keeps_text_on_its_opening_line_verbatim() -> None:
    assert values('p: """verbatim\n  x\n  """') == [{"p": "verbatim\n  x\n  "}]
    assert values('p: """ a """') == [{"p": " a "}]


def test_block_string_whose_closing_quotes_follow_text_drops_only_the_opening_break() -> None:
    assert values('p: """\n  keep\n  this"""') == [{"p": "  keep\n  this"}]


def test_block_string_edge_cases() -> None:
    assert values('p: """\n"""') == [{"p": ""}]
    assert values('p: """\n    """') == [{"p": ""}]
    assert values('p: """   \n  a\n  """') == [{"p": "a"}]  # spaces after the opening quotes
    assert values('p: """\n  a\n\n \n  b\n  """') == [{"p": "a\n\n\nb"}]  # blank lines may be shorter
    assert values('p: """\n  a  \n    b\n\n  """') == [{"p": "a  \n  b\n"}]
    assert values('p: """\n\ta\n\t"""') == [{"p": "a"}]
    assert values('ps: ["""\n    one\n    """, """\n    two\n    """]*') == [{"ps": "one"}, {"ps": "two"}]


def test_block_string_line_indented_less_is_located() -> None:
    text = 'p: """\n    ok\n  short\n\tz\n    """\n'
    assert errors(text) == [("E117", 3, 1), ("E117", 4, 1)]
    from spearmint_lang.compiler import compile_text

    fixes = [[(e.span.column, e.span.end_column, e.text) for f in d.fixes for e in f.edits]
             for d in compile_text(text, "t.mint").diagnostics]
    assert fixes == [[(1, 3, "    ")], [(1, 2, "    ")]]
    assert rendered('p: """\n    ok\n  short\n    """\n') == (
        't.mint:3:1: error[E117]: this line does not start with the indentation of its string\'s closing `"""` '
        '(4 spaces), which is removed from every line\n'
        ' 3 |   short\n'
        '   | ^^\n'
        '  hint: start the line with 4 spaces, as the closing `"""` line does, or move the closing `"""` left')


def test_examples_with_block_strings_are_unchanged() -> None:
    """Text on the opening line keeps the verbatim rule: existing files compile the same."""
    out = strip_ids(loads((EXAMPLES / "prompts.mint").read_text(), path=str(EXAMPLES / "prompts.mint")))
    assert [c["prompt"] for c in out[::3]] == ["You are a terse assistant.\nAnswer in one line.",
                                               'You are "helpful".\nExplain step by step, then answer.']


def test_formatter_leaves_block_strings_untouched() -> None:
    text = 'agent: {\n  prompt: """\n    You are helpful.\n      Indented.\n    """\n}\n'
    assert format_source(text) == text


def test_hover_shows_the_dedented_value(tmp_path: Path) -> None:
    text = 'prompt: """\n    You are helpful.\n    """\n'
    analysis = Analysis((tmp_path / "h.mint").as_uri(), text, 1, "utf-16", Loader())
    found = hover(analysis, lsp.Position(0, 2))
    assert found is not None and isinstance(found.contents, lsp.MarkupContent)
    assert '"You are helpful."' in found.contents.value


# --- dotted keys ---------------------------------------------------------------------------

def test_dotted_keys_nest_and_merge_in_source_order() -> None:
    text = 'optimizer: { name: "adam" }\nseed: [1, 2]*\noptimizer.lr: [0.1, 0.01]*\noptimizer.sched.kind: "cos"\n' \
           'optimizer.sched.warm: 10\n'
    assert values(text) == [
        {"optimizer": {"name": "adam", "lr": lr, "sched": {"kind": "cos", "warm": 10}}, "seed": seed}
        for lr in (0.1, 0.01) for seed in (1, 2)]


def test_dotted_key_alone_and_quoted_key() -> None:
    assert values('optimizer.lr: 0.1\n"optimizer.momentum": 0.9') == [
        {"optimizer": {"lr": 0.1}, "optimizer.momentum": 0.9}]


def test_dotted_keys_in_nested_objects_and_variants() -> None:
    text = 'train: { opt.lr: 0.1, opt.name: "sgd" }\nvariants [\n  { model.name: "a", model.size: [1, 2]* }\n' \
           '  { model: { name: "b" }, model.size: 3 }\n]\n'
    assert values(text) == [
        {"train": {"opt": {"lr": 0.1, "name": "sgd"}}, "model": {"name": "a", "size": 1}},
        {"train": {"opt": {"lr": 0.1, "name": "sgd"}}, "model": {"name": "a", "size": 2}},
        {"train": {"opt": {"lr": 0.1, "name": "sgd"}}, "model": {"name": "b", "size": 3}},
    ]


def test_dotted_key_overrides_one_key_of_the_base(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text('optimizer: { name: "adam", lr: 0.1 }\nmodel: "a"\n')
    (tmp_path / "d.mint").write_text('extends "base.mint"\noptimizer.lr: [0.01, 0.001]*\n')
    assert [strip_ids([c])[0] for c in Sweep(tmp_path / "d.mint")] == [
        {"optimizer": {"name": "adam", "lr": 0.01}, "model": "a"},
        {"optimizer": {"name": "adam", "lr": 0.001}, "model": "a"},
    ]
    (tmp_path / "e.mint").write_text('extends "base.mint"\nmodel.size: 1\n')
    with pytest.raises(MintError) as info:
        Sweep(tmp_path / "e.mint")
    assert [(d.code, d.span.line, d.span.column) for d in info.value.diagnostics] == [("E115", 2, 1)]
    assert "`model` is a string in `base.mint`" in str(info.value)


def test_quoted_dotted_key_beside_its_object_warns_with_a_fix() -> None:
    from spearmint_lang.compiler import compile_text

    unit = compile_text('optimizer: { name: "adam" }\n"optimizer.lr": 0.1\n"data.path": 1\n"o.x y": 2\no: {}', "t.mint")
    found = [(d.code, d.span.line, d.span.column, [e.text for f in d.fixes for e in f.edits]) for d in unit.diagnostics]
    assert found == [("W011", 2, 1, ["optimizer.lr"]), ("W011", 4, 1, [])]
    assert values('"optimizer.lr": 0.1') == [{"optimizer.lr": 0.1}]  # alone: no warning, one flat key


def test_schema_sees_dotted_keys_merged() -> None:
    schema = "schema { opt: { lr: float, name: string } }\n"
    assert values(schema + 'opt: { name: "a" }\nopt.lr: [0.1, 0.2]*') == [
        {"opt": {"name": "a", "lr": 0.1}}, {"opt": {"name": "a", "lr": 0.2}}]
    assert values(schema + 'opt.name: "a"\nopt.lr: 0.5') == [{"opt": {"name": "a", "lr": 0.5}}]
    assert errors(schema + 'opt: { name: "a" }\nopt.lr: "x"\nopt.foo: 1') == [("E083", 3, 9), ("E082", 4, 5)]
    assert errors(schema + 'opt.name: "a"') == [("E084", 2, 5)]


def test_dotted_key_errors_are_located() -> None:
    assert errors("optimizer: { lr: 1 }\noptimizer.lr: 2") == [("E020", 2, 11)]
    assert errors("a.b: 1\na.b: 2") == [("E020", 2, 3)]
    assert errors('opt: "adam"\nopt.lr: 0.1') == [("E115", 2, 1)]
    assert errors('opt.lr: 0.1\nopt: "adam"') == [("E115", 2, 1)]
    assert errors("o.lr: 0.1\no: [{a: 1}, {a: 2}]*") == [("E115", 2, 1)]
    assert errors("zip { m.n: [1, 2], k: [1, 2] }") == [("E116", 1, 7)]
    assert errors("optimizer: { a: 1 }\noptimizer: { b: 2 }") == [("E020", 2, 1)]  # neither is dotted


def test_dotted_key_messages() -> None:
    assert rendered("o.lr: 0.1\no: [{a: 1}, {a: 2}]*") == (
        "t.mint:2:1: error[E115]: `o.lr` sets a key inside `o`, but `o` is a sweep here\n"
        " 2 | o: [{a: 1}, {a: 2}]*\n"
        "   | ^\n"
        "t.mint:1:1: note: `o` is also set here\n"
        " 1 | o.lr: 0.1\n"
        "   | ^^^^\n"
        "  hint: a dotted key cannot reach into each value of a sweep: write `lr` inside each object of the sweep")


def test_editor_features_on_dotted_keys(tmp_path: Path) -> None:
    text = 'optimizer: { name: "adam" }\noptimizer.lr: [0.1, 0.01]*\n'
    analysis = Analysis((tmp_path / "h.mint").as_uri(), text, 1, "utf-16", Loader())
    found = hover(analysis, lsp.Position(1, 11))
    assert found is not None and isinstance(found.contents, lsp.MarkupContent)
    assert found.contents.value.startswith("**optimizer.lr** — 2 values: 0.1, 0.01")
    symbols = document_symbols(analysis)
    assert [(s.name, s.detail, [c.name for c in s.children or []]) for s in symbols] == [
        ("optimizer", "object", ["name"]), ("optimizer.lr", "sweep", [])]
    assert symbols[1].selection_range == lsp.Range(lsp.Position(1, 0), lsp.Position(1, 12))
    where = Analysis((tmp_path / "w.mint").as_uri(), text + "where optimizer.lr > 0.05\n", 1, "utf-16", Loader())
    found_def = definition(where, lsp.Position(2, 17))
    assert found_def is not None and found_def.range == lsp.Range(lsp.Position(1, 10), lsp.Position(1, 12))


# --- sweeps inside lists ------------------------------------------------------------------------

def test_sweep_inside_a_list() -> None:
    assert values("layers: [[64, 128]*, 32]") == [{"layers": [64, 32]}, {"layers": [128, 32]}]


def test_several_sweeps_in_a_list_are_a_product_last_fastest() -> None:
    assert values("x: [[1, 2]*, 0..1, 9]\ny: [true, false]*") == [
        {"x": [a, b, 9], "y": y} for a in (1, 2) for b in (0, 1) for y in (True, False)]


def test_sweeps_in_nested_lists_objects_and_let_names() -> None:
    assert values("x: [[[1, 2]*, 3], 4]") == [{"x": [[1, 3], 4]}, {"x": [[2, 3], 4]}]
    assert values("o: { l: [0..1, {k: [5, 6]*}] }") == [
        {"o": {"l": [a, {"k": k}]}} for a in (0, 1) for k in (5, 6)]
    assert values("let widths = [[64, 128]*, 32]\na: widths\nb: [widths, 1]") == [
        {"a": [a, 32], "b": [[b, 32], 1]} for a in (64, 128) for b in (64, 128)]
    assert values("p: [{a: [1, [2, 3]*]}, {a: 0}]*") == [{"p": {"a": [1, 2]}}, {"p": {"a": [1, 3]}}, {"p": {"a": 0}}]


def test_huge_list_of_ranges_is_counted_and_indexed_without_expanding() -> None:
    sweep = Sweep.from_text("x: [0..1000000, 0..1000000, 7]\ny: [1, 2]*")
    assert len(sweep) == 1000001 ** 2 * 2
    assert strip_ids([sweep[10 ** 12 - 1]]) == [{"x": [499999, 500000, 7], "y": 2}]


def test_where_on_other_keys_of_a_document_with_list_sweeps() -> None:
    assert values("x: [[1, 2]*, 3]\ny: 0..2\nwhere y != 1") == [
        {"x": [a, 3], "y": y} for a in (1, 2) for y in (0, 2)]


def test_fast_output_path_writes_what_the_api_gives(tmp_path: Path) -> None:
    text = 'layers: [[64, 128]*, 32]\nb: [0..2, {x: [true, false]*}]\nname: "n"\n'
    (tmp_path / "s.mint").write_text(text)
    out = subprocess.run([sys.executable, "-m", "spearmint_lang", "compile", "--format", "jsonl", str(tmp_path / "s.mint")],
                         capture_output=True, text=True, check=True).stdout
    assert [json.loads(line) for line in out.splitlines()] == loads(text)


def test_what_still_cannot_stand_in_a_list() -> None:
    assert errors("p: [[1, [2, 3]*]]*") == [("E023", 1, 9)]
    assert errors("zip { a: [[1, 2]*], b: [1] }") == [("E023", 1, 11)]
    assert errors("x: [[1, 2]*, uniform(0, 1)]\nsample 3") == [("E088", 1, 14)]
    assert errors("x: [{a: uniform(0, 1)}, 1]\nsample 3") == [("E088", 1, 9)]


@st.composite
def lists_with_sweeps(draw: st.DrawFn, depth: int = 2) -> tuple[str, list[list[Any]]]:
    """A `.mint` list holding sweeps, and each element's values in order."""
    elements: list[tuple[str, list[Any]]] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.integers(0, 3 if depth else 2))
        if kind == 0:
            v = draw(st.integers(-5, 5))
            elements.append((str(v), [v]))
        elif kind == 1:
            vs = draw(st.lists(st.integers(-5, 5), min_size=1, max_size=3))
            elements.append((f"[{', '.join(map(str, vs))}]*", vs))
        elif kind == 2:
            a, size = draw(st.integers(-3, 3)), draw(st.integers(1, 3))
            elements.append((f"{a}..{a + size - 1}", list(range(a, a + size))))
        else:
            text, inner = draw(lists_with_sweeps(depth - 1))
            elements.append((text, [list(p) for p in itertools.product(*inner)]))
    return "[" + ", ".join(t for t, _ in elements) + "]", [vs for _, vs in elements]


@settings(max_examples=60, deadline=DEADLINE, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(keys=st.lists(lists_with_sweeps(), min_size=1, max_size=3), shards=st.integers(1, 4))
def test_lists_with_sweeps_count_index_and_shard_exactly(keys: list[tuple[str, list[list[Any]]]], shards: int) -> None:
    """count == the configs' number, config i is the i-th, the shards' union is the whole."""
    text = "\n".join(f"k{i}: {t}" for i, (t, _) in enumerate(keys))
    expected = [dict(zip([f"k{i}" for i in range(len(keys))], combo))
                for combo in itertools.product(*[[list(p) for p in itertools.product(*els)] for _, els in keys])]
    sweep = Sweep.from_text(text)
    configs = strip_ids(list(sweep))
    assert configs == expected
    assert len(sweep) == len(expected)
    assert [strip_ids([sweep[i]])[0] for i in range(len(sweep))] == expected
    assert [c for k in range(1, shards + 1) for c in sweep.shard(k, shards)] == list(sweep)


def test_python_equivalents_of_a_list_with_sweeps() -> None:
    from spearmint_lang import DynamicValue, expand
    from spearmint_lang.expand import ListCombos

    mint = loads("layers: [[64, 128]*, 32]\nlr: [0.1, 0.2]*")
    assert expand([{"layers": DynamicValue([list(p) for p in itertools.product([64, 128], [32])]),
                    "lr": DynamicValue([0.1, 0.2])}]) == mint
    assert expand([{"layers": DynamicValue(ListCombos([DynamicValue([64, 128]), 32])),
                    "lr": DynamicValue([0.1, 0.2])}]) == mint


def test_a_sweep_with_lists_holding_sweeps_pickles() -> None:
    import pickle

    sweep = Sweep.from_text("x: [0..1000, [1, 2]*]\ny: [{a: [[3, 4]*]}, 5]*")
    again = pickle.loads(pickle.dumps(sweep))
    assert len(again) == len(sweep) == 1001 * 2 * 3
    assert again[4321] == sweep[4321]


def test_where_on_a_key_set_by_a_dotted_key() -> None:
    assert values('optimizer: { name: "adam" }\noptimizer.lr: [0.1, 0.01]*\nwhere optimizer.lr > 0.05') == [
        {"optimizer": {"name": "adam", "lr": 0.1}}]


def test_sweeps_of_objects_zip_and_variants_inside_a_list() -> None:
    assert values("x: [[{a: 1}, {a: [2, 3]*}]*, 9]") == [{"x": [{"a": a}, 9]} for a in (1, 2, 3)]
    assert values("x: [{variants [{a: 1}, {b: [2, 3]*}]}, 9]") == [
        {"x": [{"a": 1}, 9]}, {"x": [{"b": 2}, 9]}, {"x": [{"b": 3}, 9]}]
    assert values("x: [{zip {a: [1, 2], b: [3, 4]}}, 9]") == [{"x": [{"a": 1, "b": 3}, 9]}, {"x": [{"a": 2, "b": 4}, 9]}]


# Lines of a block string: never `"""` (which would close it), nor `${` (interpolation is not what is tested here).
BLOCKS = st.lists(st.tuples(st.integers(0, 2), st.text("ab #:\"$", max_size=6).filter(
    lambda t: '"""' not in t and "${" not in t)), min_size=1, max_size=3)


@settings(max_examples=40, deadline=DEADLINE, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(lst=lists_with_sweeps(), block=BLOCKS, indent=st.integers(0, 4), dotted=st.booleans())
def test_formatting_keeps_the_configs_of_the_shorthands(lst: tuple[str, list[list[Any]]], block: list[tuple[int, str]],
                                                        indent: int, dotted: bool) -> None:
    """`mintc fmt` of a file with lists holding sweeps, dotted keys and block
    strings compiles to the same configs, and formatting again changes nothing."""
    pad = " " * indent
    body = "\n".join(pad + " " * extra + line.rstrip('"') for extra, line in block)
    text = f'l: {lst[0]}\nopt: {{ name: "a" }}\n{"opt.lr" if dotted else "lr"}: [1_000, 2_0]*\n' \
           f'p: """\n{body}\n{pad}"""\n'
    once = format_source(text)
    assert loads(once) == loads(text)
    assert format_source(once) == once
