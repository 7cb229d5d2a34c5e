"""The language beyond the seed: let, more ranges, swept objects, zip,
variants, where, extends, schema — outputs, errors and their interplay,
and the Python forms `expand()` accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spearmint_lang import DynamicValue, MintError, expand, load, loads
from spearmint_lang.dynamic import Variants, Where, Zip
from spearmint_lang.expand import count
from tests.conftest import DEADLINE, EXAMPLES, strip_ids


def values(text: str, path: str = "t.mint") -> list[dict[str, Any]]:
    return strip_ids(loads(text, path=path))


def error(text: str, path: str = "t.mint") -> MintError:
    with pytest.raises(MintError) as info:
        loads(text, path=path)
    return info.value


def where(err: MintError) -> list[tuple[str, int, int]]:
    return [(d.code, d.span.line, d.span.column) for d in err.diagnostics]


# --- let ---------------------------------------------------------------------------

def test_let_names_a_list_to_sweep() -> None:
    assert values('let models = ["a", "b"]\nmodel: models*\nall: models') == [
        {"model": "a", "all": ["a", "b"]},
        {"model": "b", "all": ["a", "b"]},
    ]


def test_let_is_never_emitted_and_file_scoped() -> None:
    out = values('let x = 1\na: x\n---\nb: x\n')
    assert out == [{"a": 1}, {"b": 1}]


def test_let_of_a_sweep_and_of_an_object() -> None:
    text = 'let temps = [0.0, 1.0]*\nlet base = {top_p: 1.0}\nt: temps\nparams: base'
    assert values(text) == [{"t": 0.0, "params": {"top_p": 1.0}}, {"t": 1.0, "params": {"top_p": 1.0}}]


def test_let_in_range_bounds() -> None:
    assert [c["x"] for c in values("let lo = 2\nlet hi = 6\nlet s = 2\nx: lo..hi step s")] == [2, 4, 6]


def test_let_errors() -> None:
    assert where(error("a: models*\nlet models = [1]")) == [("E040", 1, 4)]
    err = error("let models = [1]\nlet models = [2]\na: modles*")
    assert where(err) == [("E041", 2, 5), ("E040", 3, 4)]
    assert err.diagnostics[1].hint == "did you mean `models`?"
    assert where(error("let n = 3\na: n*")) == [("E021", 2, 4)]
    assert where(error('let s = "a"\na: 0..s')) == [("E016", 2, 7)]


def test_let_documents_without_entries_give_nothing() -> None:
    assert values("let a = 1\n---\nb: a") == [{"b": 1}]


# --- more ranges ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("rng", "expected"),
    [
        ("0..<3", [0, 1, 2]),
        ("0..<10 step 5", [0, 5]),
        ("10..<0 step -5", [10, 5]),
        ("0.0..<1.0 step 0.25", [0.0, 0.25, 0.5, 0.75]),
        ("1e-5..1e-1 step *10", [1e-05, 0.0001, 0.001, 0.01, 0.1]),
        ("1..1024 step *2", [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]),
        ("1..<1000 step *10", [1, 10, 100]),
        ("1.0..0.125 step *0.5", [1.0, 0.5, 0.25, 0.125]),
        ("0..1 count 5", [0.0, 0.25, 0.5, 0.75, 1.0]),
        ("0..10 count 3", [0, 5, 10]),
        ("0..10 count 4", [0.0, 10 / 3, 20 / 3, 10.0]),
        ("0..<1 count 4", [0.0, 0.25, 0.5, 0.75]),
        ("5..5 count 1", [5]),
        ("0.1..0.3 count 3", [0.1, 0.2, 0.3]),
    ],
)
def test_more_ranges(rng: str, expected: list[Any]) -> None:
    got = [c["x"] for c in values(f"x: {rng}")]
    assert got == expected
    assert [type(v) for v in got] == [type(v) for v in expected]


def test_geometric_is_exact_decimal() -> None:
    got = [c["x"] for c in values("x: 1e-5..1e-1 step *10")]
    assert [repr(v) for v in got] == ["1e-05", "0.0001", "0.001", "0.01", "0.1"]


@pytest.mark.parametrize(
    ("text", "code", "col"),
    [
        ("x: 0..<0", "E022", 4),
        ("x: 1..10 step *1", "E033", 16),
        ("x: 1..10 step *0", "E033", 16),
        ("x: 0..10 step *2", "E033", 4),
        ("x: -1..10 step *2", "E033", 4),
        ("x: 10..1 step *2", "E031", 16),
        ("x: 0..1 count 0", "E033", 15),
        ("x: 0..1 count 1", "E033", 15),
        ("x: 0..1 count 2.5", "E033", 15),
    ],
)
def test_more_range_errors(text: str, code: str, col: int) -> None:
    assert where(error(text))[0] == (code, 1, col)


# --- swept objects ----------------------------------------------------------------------

def test_swept_objects_expand_their_sweeps() -> None:
    out = values("p: [{t: 0.7, n: 100}, {t: [0.8, 0.9]*, n: 200}]*\nm: [1, 2]*")
    assert [(c["p"]["t"], c["p"]["n"], c["m"]) for c in out] == [
        (0.7, 100, 1), (0.7, 100, 2), (0.8, 200, 1), (0.8, 200, 2), (0.9, 200, 1), (0.9, 200, 2),
    ]


def test_swept_objects_nested_and_mixed_with_scalars() -> None:
    out = values("p: [null, {a: {b: [1, 2]*}, c: 0..1}]*")
    assert [c["p"] for c in out] == [None, {"a": {"b": 1}, "c": 0}, {"a": {"b": 1}, "c": 1},
                                     {"a": {"b": 2}, "c": 0}, {"a": {"b": 2}, "c": 1}]


def test_sweep_in_list_inside_swept_list_is_an_error() -> None:
    assert where(error("p: [[1, [2, 3]*]]*")) == [("E023", 1, 9)]


# --- zip ------------------------------------------------------------------------------

def test_zip_pairs_position_by_position() -> None:
    out = values('a: 1\nzip {\n  p: ["x", "y", "z"]\n  m: [1, 2, 3]\n}\nt: [true, false]*')
    assert [(c["p"], c["m"], c["t"]) for c in out] == [
        ("x", 1, True), ("x", 1, False), ("y", 2, True), ("y", 2, False), ("z", 3, True), ("z", 3, False),
    ]
    assert list(out[0]) == ["a", "p", "m", "t"]


def test_zip_with_ranges_and_names() -> None:
    out = values('let names = ["a", "b", "c"]\nzip { n: names, i: 0..2, f: 0.0..1.0 count 3 }')
    assert out == [{"n": "a", "i": 0, "f": 0.0}, {"n": "b", "i": 1, "f": 0.5}, {"n": "c", "i": 2, "f": 1.0}]


def test_zip_inside_an_object() -> None:
    out = values('llm: { zip { provider: ["o", "a"], model: ["g", "c"] }, t: 1 }')
    assert out == [{"llm": {"provider": "o", "model": "g", "t": 1}}, {"llm": {"provider": "a", "model": "c", "t": 1}}]


def test_zip_errors() -> None:
    err = error("zip {\n  a: [1, 2, 3]\n  b: [1, 2]\n}")
    assert where(err) == [("E063", 3, 6)]
    assert "`b` has 2 values, `a` has 3" in err.message
    assert (err.diagnostics[0].related[0].span.line, err.diagnostics[0].related[0].span.column) == (2, 6)
    assert where(error("a: 1\nzip { a: [1, 2] }")) == [("E020", 2, 7)]
    assert where(error('zip { a: "x" }')) == [("E061", 1, 10)]
    assert where(error("zip { a: [], b: [] }")) == [("E022", 1, 1)]


# --- variants ------------------------------------------------------------------------------

def test_variants_sum_of_alternatives() -> None:
    text = (
        "variants [\n"
        '  { model: "gpt-4", temperature: [0.0, 0.3, 0.7]* }\n'
        '  { model: ["mini", "turbo"]*, temperature: [0.5, 1.0]* }\n'
        "]\n"
        "seed: [1, 2]*\n"
    )
    out = values(text)
    assert len(out) == (3 + 2 * 2) * 2
    assert [(c["model"], c["temperature"]) for c in out[::2]] == [
        ("gpt-4", 0.0), ("gpt-4", 0.3), ("gpt-4", 0.7),
        ("mini", 0.5), ("mini", 1.0), ("turbo", 0.5), ("turbo", 1.0),
    ]


def test_variants_merge_at_their_place() -> None:
    out = values("a: 1\nvariants [{b: 2}, {b: 3, c: 4}]\nz: 0")
    assert [list(c) for c in out] == [["a", "b", "z"], ["a", "b", "c", "z"]]


def test_zip_inside_a_variant() -> None:
    out = values('variants [\n  { zip { p: ["o", "a"], m: ["g", "c"] } }\n  { p: "local", m: ["l1", "l2"]* }\n]')
    assert [(c["p"], c["m"]) for c in out] == [("o", "g"), ("a", "c"), ("local", "l1"), ("local", "l2")]


def test_variant_conflicts_name_both_places() -> None:
    err = error('model: "x"\nvariants [\n  {model: "y"}\n]')
    assert where(err) == [("E064", 1, 1)]
    rel = err.diagnostics[0].related[0]
    assert (rel.span.line, rel.span.column) == (3, 4)
    assert where(error("variants [1, {a: 1}]")) == [("E062", 1, 11)]


# --- where -------------------------------------------------------------------------------------

def test_where_drops_combinations() -> None:
    text = 'model: ["o1", "g"]*\ntemperature: [0.5, 1.0]*\nwhere not (model == "o1" and temperature != 1.0)'
    assert [(c["model"], c["temperature"]) for c in values(text)] == [("o1", 1.0), ("g", 0.5), ("g", 1.0)]


@pytest.mark.parametrize(
    ("cond", "kept"),
    [
        ("n > 2", [3, 4]),
        ("n >= 2 and n < 4", [2, 3]),
        ("n == 1 or n == 4", [1, 4]),
        ("n in [1, 3]", [1, 3]),
        ("n not in [1, 3]", [0, 2, 4]),
        ("not n <= 3", [4]),
        ("(n == 0 or n == 1) and not n == 0", [1]),
        ("n != 2", [0, 1, 3, 4]),
    ],
)
def test_where_operators(cond: str, kept: list[int]) -> None:
    assert [c["n"] for c in values(f"n: 0..4\nwhere {cond}")] == kept


def test_where_paths_and_several_lines() -> None:
    text = 'llm: { model: ["a", "b"]*, t: [1, 2]* }\nwhere llm.model == "a"\nwhere llm.t == 2'
    assert values(text) == [{"llm": {"model": "a", "t": 2}}]


def test_where_over_a_zipped_key() -> None:
    text = 'zip { p: ["o", "a", "c"], m: ["g", "cl", "co"] }\nt: [0, 1]*\nwhere p != "a" and t == 1'
    assert [(c["p"], c["t"]) for c in values(text)] == [("o", 1), ("c", 1)]


def test_where_on_a_key_only_some_variants_set() -> None:
    text = "variants [{a: [1, 2]*}, {b: 3}]\nwhere a == 2 or b == 3"
    assert values(text) == [{"a": 2}, {"b": 3}]


def test_where_keeps_booleans_apart_from_numbers() -> None:
    assert values("x: [true, 1]*\nwhere x == true") == [{"x": True}]


def test_where_errors() -> None:
    err = error('model: ["a"]*\nwhere modle == "a"')
    assert where(err) == [("E065", 2, 7)]
    assert err.hint == "did you mean `model`?"
    assert where(error('model: ["a"]*\nwhere model == 1')) == [("E066", 2, 7)]
    assert where(error('model: ["a"]*\nwhere model < 1')) == [("E066", 2, 7)]
    assert where(error('n: 0..3\nwhere n in [1, "x"]')) == [("E066", 2, 16)]


def test_config_id_of_filtered_configs_is_unchanged() -> None:
    full = loads("n: 0..4")
    kept = loads("n: 0..4\nwhere n > 2")
    assert kept == full[3:]


# --- extends -------------------------------------------------------------------------------------

def test_extends_overrides_and_merges_deeply(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text('model: ["a", "b"]*\nllm: { t: 1, p: "x" }\nseed: 0\n')
    child = tmp_path / "child.mint"
    child.write_text('extends "base.mint"\nllm: { t: 2 }\nseed: [1, 2]*\nextra: true\n')
    out = strip_ids(load(child))
    assert out == [
        {"model": "a", "llm": {"t": 2, "p": "x"}, "seed": 1, "extra": True},
        {"model": "a", "llm": {"t": 2, "p": "x"}, "seed": 2, "extra": True},
        {"model": "b", "llm": {"t": 2, "p": "x"}, "seed": 1, "extra": True},
        {"model": "b", "llm": {"t": 2, "p": "x"}, "seed": 2, "extra": True},
    ]


def test_extends_a_file_with_a_schema(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text("schema { t: float in 0.0..1.0, m?: string }\nt: 0.5\n")
    good = tmp_path / "good.mint"
    good.write_text('extends "base.mint"\nt: [0.1, 0.9]*\nm: "x"\n')
    assert len(load(good)) == 2
    bad = tmp_path / "bad.mint"
    bad.write_text('extends "base.mint"\nt: [0.1, 1.5]*\nmm: "x"\n')
    with pytest.raises(MintError) as info:
        load(bad)
    assert where(info.value) == [("E083", 2, 10), ("E082", 3, 1)]


def test_extends_chain_and_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.mint").write_text("x: 1\ny: 1\n")
    (tmp_path / "sub" / "b.mint").write_text('extends "../a.mint"\ny: 2\n')
    (tmp_path / "c.mint").write_text('extends "sub/b.mint"\nz: 3\n')
    assert strip_ids(load(tmp_path / "c.mint")) == [{"x": 1, "y": 2, "z": 3}]


def test_extends_errors(tmp_path: Path) -> None:
    (tmp_path / "a.mint").write_text('extends "b.mint"\nx: 1\n')
    (tmp_path / "b.mint").write_text('extends "a.mint"\ny: 1\n')
    (tmp_path / "two.mint").write_text("x: 1\n---\ny: 2\n")
    (tmp_path / "self.mint").write_text('extends "self.mint"\nx: 1\n')
    (tmp_path / "missing.mint").write_text('extends "nope.mint"\nx: 1\n')
    (tmp_path / "late.mint").write_text('x: 1\nextends "two.mint"\n')
    (tmp_path / "multi.mint").write_text('extends "two.mint"\nx: 1\n')
    for name, code in [("a", "E073"), ("self", "E073"), ("missing", "E074"), ("late", "E070"), ("multi", "E071")]:
        with pytest.raises(MintError) as info:
            load(tmp_path / f"{name}.mint")
        assert info.value.code == code, name
    with pytest.raises(MintError) as info:
        load(tmp_path / "missing.mint")
    assert (info.value.line, info.value.column) == (1, 9)


# --- schema ----------------------------------------------------------------------------------------

SCHEMA = """schema {
  provider: "openai" | "anthropic"
  model: string
  temperature: float in 0.0..2.0
  max_tokens: int in 1..100000
  stop?: list
  llm?: { name: string }
}
"""


def test_schema_accepts_valid_sweeps() -> None:
    text = SCHEMA + 'provider: "openai"\nmodel: ["a", "b"]*\ntemperature: 0..2\nmax_tokens: 1\n'
    assert len(values(text)) == 6  # an int range is accepted where a float is expected


def test_schema_points_at_the_offending_literal_inside_a_sweep() -> None:
    text = SCHEMA + 'provider: "openai"\nmodel: "a"\ntemperature: [0.5, 2.5, 1.0]*\nmax_tokens: [1, 0]*\n'
    assert where(error(text)) == [("E083", 11, 20), ("E083", 12, 17)]


def test_schema_ranges_checked_at_their_ends() -> None:
    text = SCHEMA + 'provider: "openai"\nmodel: "a"\ntemperature: 0.0..3.0 step 0.5\nmax_tokens: 1.0\n'
    assert where(error(text)) == [("E083", 11, 14), ("E083", 12, 13)]


def test_schema_unknown_and_missing_keys() -> None:
    err = error(SCHEMA + 'provider: "openai"\nmodle: "a"\ntemperature: 1.0\n')
    assert where(err) == [("E084", 1, 1), ("E084", 1, 1), ("E082", 10, 1)]
    assert err.diagnostics[2].hint == "did you mean `model`?"


def test_schema_nested_objects_and_variants() -> None:
    text = SCHEMA + 'variants [{provider: "openai", model: "a"}, {provider: "cohere", model: "b"}]\ntemperature: 1.0\nmax_tokens: 5\nllm: {name: 1}\n'
    assert where(error(text)) == [("E083", 9, 56), ("E083", 12, 13)]


def test_schema_type_typos() -> None:
    assert where(error("schema { a: strng }\na: 1")) == [("E080", 1, 13)]


def test_let_values_are_checked_where_used() -> None:
    text = 'let temps = [0.5, 9.0]\nschema { t: float in 0.0..1.0 }\nt: temps*\n'
    assert where(error(text)) == [("E083", 1, 19)]


# --- Python forms --------------------------------------------------------------------------------

def test_python_zip_variants_where() -> None:
    configs = [
        {
            "pair": Zip(provider=["openai", "anthropic"], model=["gpt-4", "claude"]),
            "alt": Variants([{"t": DynamicValue([0.0, 1.0])}, {"t": 0.5, "top_p": 0.9}]),
            "keep": Where(lambda c: not (c["provider"] == "anthropic" and c["t"] == 1.0)),
        }
    ]
    out = strip_ids(expand(configs))
    assert out == [
        {"provider": "openai", "model": "gpt-4", "t": 0.0},
        {"provider": "openai", "model": "gpt-4", "t": 1.0},
        {"provider": "openai", "model": "gpt-4", "t": 0.5, "top_p": 0.9},
        {"provider": "anthropic", "model": "claude", "t": 0.0},
        {"provider": "anthropic", "model": "claude", "t": 0.5, "top_p": 0.9},
    ]


def test_python_swept_objects() -> None:
    out = strip_ids(expand([{"p": DynamicValue([{"a": 1}, {"a": DynamicValue([2, 3])}])}]))
    assert out == [{"p": {"a": 1}}, {"p": {"a": 2}}, {"p": {"a": 3}}]


def test_python_zip_unequal_lengths() -> None:
    with pytest.raises(ValueError, match="different lengths"):
        expand([{"z": Zip(a=[1, 2], b=[1])}])


def test_python_key_conflict() -> None:
    with pytest.raises(ValueError, match="set twice"):
        expand([{"a": 1, "v": Variants([{"a": 2}])}])


def test_mint_and_python_forms_agree() -> None:
    mint = loads(
        'zip { provider: ["openai", "anthropic", "cohere"], model: ["gpt-4", "claude-3-opus", "command-r-plus"] }\n'
        "temperature: 0.7"
    )
    python = expand([{"z": Zip(provider=["openai", "anthropic", "cohere"], model=["gpt-4", "claude-3-opus", "command-r-plus"]), "temperature": 0.7}])
    assert json.dumps(mint) == json.dumps(python)
    assert load(EXAMPLES / "model-comparison.mint") == mint


# --- counting --------------------------------------------------------------------------------------

leaf = st.one_of(st.integers(-5, 5), st.text("ab", max_size=2), st.none(), st.booleans())


@st.composite
def templates(draw: Any, depth: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["leaf", "dv", "zip", "variants", "obj", "swept"] if depth < 2 else ["leaf", "dv", "zip"]))
        key = f"k{depth}{i}"
        if kind == "leaf":
            out[key] = draw(leaf)
        elif kind == "dv":
            out[key] = DynamicValue(draw(st.lists(leaf, min_size=1, max_size=3)))
        elif kind == "zip":
            n = draw(st.integers(1, 3))
            out[key] = Zip({f"z{depth}{i}{j}": draw(st.lists(leaf, min_size=n, max_size=n)) for j in range(draw(st.integers(1, 2)))})
        elif kind == "variants":
            out[key] = Variants([{f"v{depth}{i}": draw(templates(depth + 1))} for _ in range(draw(st.integers(1, 3)))])
        elif kind == "obj":
            out[key] = draw(templates(depth + 1))
        else:
            out[key] = DynamicValue([draw(templates(depth + 1)) for _ in range(draw(st.integers(1, 3)))])
    return out


@settings(max_examples=200, deadline=DEADLINE)
@given(templates())
def test_count_formula_equals_expansion_length(template: dict[str, Any]) -> None:
    """The count (a product over axes; a zip counts its length, variants
    the sum of their alternatives) is exactly the expansion's length."""
    assert count(template) == len(expand([template]))


def test_extends_cannot_override_spliced_keys(tmp_path: Path) -> None:
    (tmp_path / "zipped.mint").write_text("zip { a: [1, 2], b: [3, 4] }\n")
    (tmp_path / "plain.mint").write_text("a: 1\nc: 2\n")
    (tmp_path / "one.mint").write_text('extends "zipped.mint"\na: 5\n')
    (tmp_path / "two.mint").write_text('extends "plain.mint"\nvariants [{a: 2}]\nzip { c: [1] }\n')
    with pytest.raises(MintError) as info:
        load(tmp_path / "one.mint")
    assert where(info.value) == [("E072", 2, 1)]
    with pytest.raises(MintError) as info:
        load(tmp_path / "two.mint")
    assert sorted(where(info.value)) == [("E072", 1, 1), ("E072", 3, 7)]
