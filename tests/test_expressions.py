"""Computed values and interpolation (`lr: 0.1 * ${batch_size} / 256`,
`"runs/${model}"`), and expressions in `where`: exact configs, the rules
of numbers, located errors before expansion and per config, and that
counts, indices and shards are those of the document without them."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spearmint_lang import Computed, DynamicValue, MintError, Sweep, expand, load, loads
from spearmint_lang.compiler import compile_text
from spearmint_lang.expand import config_id
from tests.conftest import DEADLINE, strip_ids
from tests.inproc import run_main


def values(text: str) -> list[dict[str, Any]]:
    return strip_ids(loads(text, path="t.mint"))


def one(expr: str) -> Any:
    """The value of `x: EXPR` in a document with `a: 7`, `b: 2`, `f: 0.5`, `s: "ab"`."""
    [config] = values(f'a: 7\nb: 2\nf: 0.5\ns: "ab"\nx: {expr}')
    return config["x"]


def error(text: str) -> MintError:
    with pytest.raises(MintError) as info:
        loads(text, path="t.mint")
    return info.value


def located(err: MintError) -> list[tuple[str, int, int, str]]:
    return [(d.code, d.span.line, d.span.column, d.message) for d in err.diagnostics]


def diagnostics(text: str) -> list[tuple[str, int, int, str]]:
    unit = compile_text(text, "t.mint")
    return [(d.code, d.span.line, d.span.column, d.message) for d in unit.diagnostics]


# --- operators and numbers ---------------------------------------------------------------

@pytest.mark.parametrize(("expr", "value"), [
    ("${a} + ${b}", 9), ("${a} - ${b}", 5), ("${a} * ${b}", 14), ("${a} / ${b}", 3.5), ("${a} // ${b}", 3),
    ("${a} % ${b}", 1), ("${a} ** ${b}", 49), ("-${a} // ${b}", -4), ("-${a} % ${b}", 1), ("${b} ** -1", 0.5),
    ("${a} / 7", 1.0), ("${f} * 4", 2.0), ("${a} + ${f}", 7.5), ("7.5 // ${b}", 3.0), ("${s} + \"c\"", "abc"),
    ("${a} > ${b}", True), ("${a} == 7", True), ("${s} < \"b\"", True), ("${a} != 7", False),
    ("if ${a} > 5 then \"big\" else \"small\"", "big"), ("if ${a} > 50 then 1 else 2.5", 2.5),
    ("min(${a}, ${b}, 4)", 2), ("max(${a}, ${f})", 7), ("min(${s}, \"b\")", "ab"),
    ("round(${a} / ${b})", 4), ("round(2.5)", 2), ("round(3.5)", 4), ("round(-0.5)", 0),
    ("round(${a} / 3, 2)", 2.33), ("round(0.125, 2)", 0.12), ("round(2.675, 2)", 2.67), ("round(${a}, 1)", 7.0),
    ("int(${f} * 5)", 2), ("int(-2.7)", -2), ("int(\"42\")", 42), ("float(${a})", 7.0), ("float(\"1e-3\")", 0.001),
    ("str(${a})", "7"), ("str(${f} / 5)", "0.1"), ("str(1 / 100000)", "1e-05"), ("str(0.1 + 0.2)", "0.30000000000000004"),
    ("str(true)", "true"), ("str(null)", "null"), ("str([1, \"x\"])", '[1,"x"]'),
    ("-2 ** 2", -4), ("(-2) ** 2", 4), ("-2.0 ** 2", -4.0), ("2 ** -1", 0.5), ("-2 * 3", -6),
    ("2 ** 3 ** 2", 512), ("1 + 2 * 3 - 4 / 2", 5.0), ("(1 + 2) * 3", 9),
    ("len(${s})", 2), ("len([1, 2, 3])", 3), ("2 ** 62", 4611686018427387904), ("10 ** 20 // 3", 33333333333333333333),
])
def test_each_operator_and_function(expr: str, value: Any) -> None:
    result = one(expr)
    assert result == value and type(result) is type(value)


def test_integer_arithmetic_stays_integer_and_division_gives_a_float() -> None:
    assert values("batch_size: [128, 256]*\nsteps: 1024 // ${batch_size}\nlr: 0.1 * ${batch_size} / 256") == [
        {"batch_size": 128, "steps": 8, "lr": 0.05},
        {"batch_size": 256, "steps": 4, "lr": 0.1},
    ]


def test_a_derived_value_may_use_another_written_after_it() -> None:
    assert values("width: [2, 3]*\nvolume: ${area} * 10\narea: ${width} * ${width}") == [
        {"width": 2, "volume": 40, "area": 4},
        {"width": 3, "volume": 90, "area": 9},
    ]


def test_nested_paths_and_objects() -> None:
    text = 'optimizer: { name: ["adam", "sgd"]*, lr: 0.01 }\nrun: { name: "${optimizer.name}-lr${optimizer.lr}" }'
    assert [c["run"] for c in values(text)] == [{"name": "adam-lr0.01"}, {"name": "sgd-lr0.01"}]


# --- interpolation -------------------------------------------------------------------------

def test_interpolation_prints_values_as_json_does() -> None:
    text = ('i: 3\nf: 0.00001\nb: true\nn: null\nl: [1, 2.5, "x"]\no: { k: "v" }\nm: "é"\n'
            'out: "${i} ${f} ${b} ${n} ${l} ${o} ${m}"')
    assert values(text)[0]["out"] == '3 1e-05 true null [1,2.5,"x"] {"k":"v"} é'


def test_double_dollar_is_a_literal() -> None:
    assert values('a: 1\nx: "$${a} is ${a}"\ny: "$${a}"')[0] == {"a": 1, "x": "${a} is 1", "y": "${a}"}


def test_interpolation_in_block_strings() -> None:
    text = 'model: ["a", "b"]*\nprompt: """You are ${model}.\n  Cost: $${x}"""'
    assert [c["prompt"] for c in values(text)] == ["You are a.\n  Cost: ${x}", "You are b.\n  Cost: ${x}"]


def test_spans_of_paths_are_exact_after_escapes() -> None:
    assert diagnostics('model: "a"\nx: "\\u00e9\\n\\t${modle}"') == [
        ("E097", 2, 17, "no config has the key `modle`"),
    ]
    assert diagnostics('model: "a"\nx: """\n  line\n  ${ modle }"""') == [
        ("E097", 4, 6, "no config has the key `modle`"),
    ]


def test_unclosed_interpolation_is_located() -> None:
    assert diagnostics('a: 1\nx: "run-${a"') == [("E096", 2, 9, "`${` is not closed by `}`")]
    assert diagnostics('a: 1\nx: "run-${a + 1}"')[0][:3] == ("E096", 2, 9)


def test_interpolated_string_with_escapes_keeps_them() -> None:
    assert values('a: 1\nx: "\\"${a}\\"\\n"')[0]["x"] == '"1"\n'


# --- constant folding and `let` ------------------------------------------------------------

def test_literals_and_let_names_are_computed_at_compile_time() -> None:
    unit = compile_text("let n = 4\nlet twice = 2 * n\nx: twice + 1\ny: [n * 2, 3]", "t.mint")
    assert unit.ok and unit.templates()[0] == {"x": 9, "y": [8, 3]}


def test_a_bare_name_in_a_value_is_a_let_name() -> None:
    err = error("batch_size: 32\nlr: 0.1 * batch_size")
    assert located(err) == [("E040", 2, 11, "unknown name `batch_size`")]
    assert err.diagnostics[0].hint is not None and "${batch_size}" in err.diagnostics[0].hint


# --- mistakes before expansion ----------------------------------------------------------------

def test_unknown_path_with_did_you_mean() -> None:
    err = error('model: ["a", "b"]*\nname: "run-${modle}"')
    assert located(err) == [("E097", 2, 14, "no config has the key `modle`")]
    assert err.diagnostics[0].hint == "did you mean `model`?"


def test_cycles_are_located() -> None:
    assert diagnostics("a: ${b} + 1\nb: ${a} * 2") == [
        ("E098", 2, 4, "these values are computed from each other: `a` -> `b` -> `a`"),
    ]
    assert diagnostics("a: ${a} + 1")[0][:3] == ("E098", 1, 4)


def test_type_errors_are_located_before_expansion() -> None:
    assert diagnostics('n: [1, 2]*\ns: "x"\nbad: ${s} * ${n}') == [
        ("E099", 3, 11, "`*` computes with numbers, not a string and a number"),
    ]
    assert diagnostics('n: [1, 2]*\nbad: ${n} + "x"')[0][:3] == ("E099", 2, 11)
    assert diagnostics('n: [1, 2]*\nbad: if ${n} then 1 else 2')[0][:3] == ("E099", 2, 9)
    assert diagnostics('n: [1, 2]*\nbad: len(${n})')[0][:3] == ("E099", 2, 6)
    assert diagnostics('bad: 1 / 0') == [("E099", 1, 6, "division by zero: 1 / 0")]
    assert diagnostics('bad: 2 ** 100000')[0][:3] == ("E099", 1, 6)
    assert diagnostics('bad: 1e308 * 10') == [("E099", 1, 6, "the result is inf, which JSON cannot hold")]


def test_a_computed_value_inside_a_list_is_an_error() -> None:
    assert diagnostics('a: 1\nl: ["${a}", 2]')[0][:3] == ("E101", 2, 5)


def test_where_cannot_test_a_computed_value() -> None:
    assert diagnostics('a: [1, 2]*\nb: ${a} * 2\nwhere b > 2')[0][:3] == ("E101", 3, 7)


# --- per config ------------------------------------------------------------------------------

def test_a_runtime_error_names_the_config_index_and_values() -> None:
    err = error("a: [1, 0, 2]*\nc: 10 / ${a}")
    assert located(err) == [("E100", 2, 4, "config 1: division by zero: 10 / 0 (with a = 0)")]
    text = err.render()
    assert "t.mint:2:4: error[E100]" in text and " 2 | c: 10 / ${a}" in text


def test_a_type_only_some_configs_give_is_an_error_for_them() -> None:
    err = error('x: [1, "a"]*\ny: ${x} + 1')
    assert located(err) == [
        ("E100", 2, 4, 'config 1: `+` needs two numbers (or two strings), not a string ("a") and a number (1) '
                       '(with x = "a")'),
    ]


def test_a_key_only_some_variants_have_warns_then_fails_per_config() -> None:
    text = 'variants [\n  { kind: "a", width: [1, 2]* }\n  { kind: "b" }\n]\narea: ${width} * 3'
    assert diagnostics(text) == [("W007", 5, 7, "some configs have no `width`: for them this value cannot be computed, "
                                  "and writing them is an error")]
    sweep = Sweep.from_text(text, "t.mint")
    assert strip_ids([sweep[0], sweep[1]]) == [{"kind": "a", "width": 1, "area": 3}, {"kind": "a", "width": 2, "area": 6}]
    with pytest.raises(MintError) as info:
        sweep[2]
    assert info.value.message == "config 2: this config has no `width`, which this value reads"
    with pytest.raises(MintError) as info:
        list(sweep)
    assert info.value.message.startswith("config 2: ")


def test_the_index_counts_configs_after_where_and_earlier_documents() -> None:
    text = "a: 5\n---\nb: [0, 1, 2, 3]*\nwhere b != 1\nc: 6 // (${b} - 2)"
    err = error(text)
    assert err.message == "config 2: division by zero: 6 // 0 (with b = 2)"


def test_the_cli_names_the_same_index_in_a_shard(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.mint"
    path.write_text("a: [1, 2, 0, 4]*\nc: 8 / ${a}\n")
    for extra in ([], ["--shard", "2/2"], ["--range", "2:3"]):  # mintc's `main`, in-process (tests/inproc.py)
        done = run_main(capsys, monkeypatch, "compile", str(path), "--format", "jsonl", *extra, cwd=tmp_path)
        assert done.returncode == 1
        assert f"{path}:2:4: error[E100]: config 2: division by zero: 8 / 0 (with a = 0)" in done.stderr


# --- where ---------------------------------------------------------------------------------------

def test_where_with_arithmetic_and_a_let_list() -> None:
    text = ('let allowed = ["a", "c"]\nmodel: ["a", "b", "c"]*\nbatch_size: [16, 32, 64]*\naccum: [2, 4]*\n'
            "where model in allowed and batch_size * accum == 128")
    assert values(text) == [{"model": "a", "batch_size": 32, "accum": 4}, {"model": "a", "batch_size": 64, "accum": 2},
                            {"model": "c", "batch_size": 32, "accum": 4}, {"model": "c", "batch_size": 64, "accum": 2}]
    assert compile_text(text, "t.mint").count(0).configs == 4


def test_where_with_interpolation_calls_and_not_in() -> None:
    text = ('model: ["a", "b"]*\nsize: [1, 2]*\nlet banned = ["b-2"]\n'
            'where "${model}-${size}" not in banned and max(size, 1) >= 1')
    assert values(text) == [{"model": "a", "size": 1}, {"model": "a", "size": 2}, {"model": "b", "size": 1}]


def test_a_where_part_that_cannot_be_computed_is_false() -> None:
    assert values("a: [0, 1, 2]*\nwhere 2 / a >= 1") == [{"a": 1}, {"a": 2}]
    assert values("a: [0, 1, 2]*\nwhere 2 / a != 2") == [{"a": 0}, {"a": 2}]


def test_where_type_errors_are_located() -> None:
    assert diagnostics('m: ["a"]*\nwhere m * 2 == 2')[0][:3] == ("E099", 2, 9)
    assert diagnostics('m: [1]*\nwhere m + 1')[0][:3] == ("E099", 2, 7)


# --- config_id, counts, shards, output paths ------------------------------------------------------

def test_config_id_covers_the_computed_value() -> None:
    [config] = loads('a: 2\nb: ${a} * 3', path="t.mint")
    assert config == {"a": 2, "b": 6, "config_id": config_id({"a": 2, "b": 6})}


def test_python_equivalent() -> None:
    configs = expand([{"model": DynamicValue(["a", "b"]), "name": Computed(lambda c: f"run-{c['model']}")}])
    assert strip_ids(configs) == [{"model": "a", "name": "run-a"}, {"model": "b", "name": "run-b"}]
    assert configs == loads('model: ["a", "b"]*\nname: "run-${model}"')


def test_a_sweep_with_computed_values_pickles() -> None:
    sweep = Sweep.from_text('a: [1, 2]*\nb: "x${a}"\nc: ${a} / 4', "t.mint")
    again = pickle.loads(pickle.dumps(sweep))
    assert list(again) == list(sweep) and strip_ids(list(sweep)) == [{"a": 1, "b": "x1", "c": 0.25},
                                                                     {"a": 2, "b": "x2", "c": 0.5}]


SMALL = st.lists(st.integers(-3, 3), min_size=1, max_size=3, unique=True)


@settings(max_examples=40, deadline=DEADLINE)
@given(a=SMALL, b=SMALL, shards=st.integers(1, 4), where=st.booleans())
def test_count_index_and_shards_hold(a: list[int], b: list[int], shards: int, where: bool) -> None:
    text = (f"a: {a}*\nb: {b}*\nsum: ${{a}} + ${{b}}\nname: \"a${{a}}-b${{b}}\"\n"
            f"half: if ${{b}} != 0 then ${{a}} / ${{b}} else null\n" + (f"where a * b >= 0 or b == {b[0]}\n" if where else ""))
    unit = compile_text(text, "t.mint")
    configs = loads(text, path="t.mint")
    assert unit.count(0).configs == len(configs)
    sweep = Sweep(unit.templates())
    assert [sweep[i] for i in range(len(sweep))] == configs
    assert [c for k in range(1, shards + 1) for c in sweep.shard(k, shards)] == configs
    for config in configs:
        assert config["sum"] == config["a"] + config["b"] and config["name"] == f"a{config['a']}-b{config['b']}"


def test_the_jsonl_output_equals_the_configs(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.mint"
    path.write_text('model: ["a", "b"]*\nlr: [0.1, 0.01]*\nscaled: ${lr} * 3\nname: "${model}/${lr}"\n'
                    "---\nx: [1, 2]*\n")
    done = run_main(capsys, monkeypatch, "compile", str(path), "--format", "jsonl", cwd=tmp_path)  # in-process
    assert done.returncode == 0, done.stderr
    configs = loads(path.read_text(), path=str(path))
    assert done.stdout == "".join(json.dumps(c, separators=(",", ":"), ensure_ascii=False) + "\n" for c in configs)
    assert [c["scaled"] for c in configs[:4]] == [0.30000000000000004, 0.03, 0.30000000000000004, 0.03]


def test_a_computed_let_serves_where_a_number_is_needed() -> None:
    assert values("let n = 2 * 2\na: 1..n") == [{"a": 1}, {"a": 2}, {"a": 3}, {"a": 4}]
    assert len(loads("let k = 1 + 2\nx: uniform(0, 10 / 4)\nsample k")) == 3


def test_a_schema_leaves_computed_values_to_their_own_checks() -> None:
    assert values("schema { a: int, b: int }\na: [1, 2]*\nb: ${a} * 2") == [{"a": 1, "b": 2}, {"a": 2, "b": 4}]


def test_where_nothing_is_computed_a_path_is_an_error() -> None:
    assert diagnostics('extends "b${x}.mint"\na: 1')[0] == (
        "E101", 1, 9, "the path of `extends` is written as it is: `${...}` cannot be computed here")
    assert diagnostics('schema { a: "x${y}" }\na: "x${y}"\ny: 1')[0][:3] == ("E101", 1, 13)


def test_a_pickled_sweep_with_computed_values_runs_without_the_front_end(tmp_path: Path) -> None:
    from tests.conftest import ROOT
    from tests.test_layering import RUNTIME

    path = tmp_path / "s.mint"
    path.write_text('let allowed = ["a"]\nmodel: ["a", "b"]*\nt: 0..3\nwhere model in allowed and t * 2 > 2\n'
                    'name: "${model}-${t}"\nhalf: ${t} / 2\n', encoding="utf-8")
    blob = tmp_path / "sweep.pickle"
    blob.write_bytes(pickle.dumps(Sweep(path)))
    script = (
        "import json, pickle, sys; sweep = pickle.load(open(sys.argv[1], 'rb'));"
        "print(json.dumps([[c['name'], c['half']] for c in sweep]));"
        "loaded = sorted(m for m in sys.modules if m.startswith(('spearmint_lang', 'lark', 'pygls')));"
        "print(' '.join(loaded))"
    )
    out = subprocess.run([sys.executable, "-c", script, str(blob)], cwd=ROOT, capture_output=True, text=True, check=True)
    configs, loaded = out.stdout.splitlines()
    assert json.loads(configs) == [["a-2", 1.0], ["a-3", 1.5]]
    assert set(loaded.split()) <= RUNTIME | {"spearmint_lang", "spearmint_lang.errors", "spearmint_lang.source",
                                            "spearmint_lang.codes"}


def test_computed_values_in_alternatives_and_swept_objects() -> None:
    text = ('variants [\n  { kind: "a", w: [1, 2]*, area: ${w} * 2 }\n  { kind: "b", area: "${kind}" }\n]\n'
            'opt: [{ lr: 0.1, tag: "lr${opt.lr}" }, { lr: 0.2, tag: "x" }]*')
    assert diagnostics(text) == []
    assert [(c["area"], c["opt"]["tag"]) for c in values(text)] == [
        (2, "lr0.1"), (2, "x"), (4, "lr0.1"), (4, "x"), ("b", "lr0.1"), ("b", "x")]


def test_a_let_whose_value_reads_the_config_is_read_in_place() -> None:
    text = 'let run = "${model}-${seed}"\nmodel: ["a", "b"]*\nseed: 1\nname: run + "!"\nsame: run'
    assert [(c["name"], c["same"]) for c in values(text)] == [("a-1!", "a-1"), ("b-1!", "b-1")]
    assert diagnostics('let run = "${modle}"\nmodel: "a"\nx: run + "!"\ny: run + "?"') == [
        ("E097", 1, 14, "no config has the key `modle`")]
    assert diagnostics('let run = "${model}"\nmodel: "a"\nx: run * 2')[0][:3] == ("E099", 3, 8)


def test_hover_says_a_value_is_computed() -> None:
    from lsprotocol import types as lsp

    from spearmint_lang.loader import Loader
    from spearmint_lang.lsp.analysis import Analysis
    from spearmint_lang.lsp.hover import hover

    analysis = Analysis("untitled:x", 'model: ["a", "b"]*\nname: "run-${model}"\n', 1, "utf-16", Loader())
    shown = hover(analysis, lsp.Position(line=1, character=1))
    assert shown is not None and isinstance(shown.contents, lsp.MarkupContent)
    assert shown.contents.value == ('**name** — computed for each config: `"run-${model}"`\n\n'
                                    'values: "run-a", "run-b"\n\ndocument: 2 configs')


def test_computed_values_of_an_extended_file_read_the_extending_document(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text('model: "a"\nname: "${model}-x"\nsize: len(${model})\n')
    (tmp_path / "exp.mint").write_text('extends "base.mint"\nmodel: ["bb", "ccc"]*\n')
    assert strip_ids(load(tmp_path / "exp.mint")) == [{"model": "bb", "name": "bb-x", "size": 2},
                                                      {"model": "ccc", "name": "ccc-x", "size": 3}]
    (tmp_path / "bad.mint").write_text('extends "base.mint"\nmodel: [1, "c"]*\n')
    with pytest.raises(MintError) as info:
        load(tmp_path / "bad.mint")
    assert (info.value.file, info.value.line, info.value.column) == (str(tmp_path / "base.mint"), 3, 7)
    assert info.value.message == "config 0: `len` takes a string, a list or an object, not a number (1) (with model = 1)"


def test_an_inherited_where_keeps_its_let_list(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text('let allowed = ["a", "c"]\nmodel: ["a", "b", "c"]*\nbs: [1, 2]*\n'
                                        "where model in allowed and bs * 2 > 2\n")
    (tmp_path / "exp.mint").write_text('extends "base.mint"\nbs: [1, 2, 3]*\n')
    assert [(c["model"], c["bs"]) for c in load(tmp_path / "exp.mint")] == [("a", 2), ("a", 3), ("c", 2), ("c", 3)]


def test_a_call_with_the_wrong_number_of_arguments_is_reported_once() -> None:
    from spearmint_lang.compiler import compile_text

    unit = compile_text("a: min()\nb: round(1, 2, 3) + 1\n", "sweep.mint")
    assert [(d.code, d.span.line, d.span.column, d.message) for d in unit.diagnostics] == [
        ("E095", 1, 7, "`min` takes at least 1 argument, not 0"),
        ("E095", 2, 9, "`round` takes 1 or 2 arguments, not 3"),
    ]
