"""The Python API: `expand` on sweeps written with DynamicValue, `load`/`loads`,
and `MintError`'s location attributes."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pytest

import spearmint_lang
from spearmint_lang import DynamicValue, MintError, expand, load, loads
from tests.conftest import EXAMPLES, strip_ids


def test_public_names() -> None:
    for name in ("load", "loads", "expand", "DynamicValue", "MintError", "__version__"):
        assert hasattr(spearmint_lang, name)


def test_dynamic_value_is_the_seeds_class() -> None:
    dv: DynamicValue[float] = DynamicValue([0.0, 0.5])
    assert dv.values == [0.0, 0.5]
    assert list(dv) == [0.0, 0.5]
    assert repr(dv) == "DynamicValue([0.0, 0.5])"


@pytest.mark.parametrize(
    "values",
    [
        [1, 2, 3],
        (1, 2, 3),
        range(1, 4),
        (i for i in (1, 2, 3)),
        iter([1, 2, 3]),
        map(int, "123"),
    ],
    ids=["list", "tuple", "range", "generator", "iterator", "map"],
)
def test_any_iterable(values: object) -> None:
    assert strip_ids(expand([{"x": DynamicValue(values)}])) == [{"x": 1}, {"x": 2}, {"x": 3}]  # type: ignore[arg-type]


def test_custom_iterable_class() -> None:
    class Three:
        def __iter__(self):  # type: ignore[no-untyped-def]
            return iter(["a", "b", "c"])

    assert [c["x"] for c in expand([{"x": DynamicValue(Three())}])] == ["a", "b", "c"]


def test_dict_iterates_its_keys_as_in_the_seed() -> None:
    # The seed's "Model Comparison" example: iterating a dict yields its keys.
    out = expand([{"provider": DynamicValue(["openai", "anthropic"]), "model": DynamicValue({"openai": "gpt-4", "anthropic": "claude"})}])
    assert [(c["provider"], c["model"]) for c in out] == [
        ("openai", "openai"), ("openai", "anthropic"), ("anthropic", "openai"), ("anthropic", "anthropic"),
    ]


def test_generator_example_from_the_seed_works() -> None:
    # spearmint-framework 0.2.1 raises "cannot pickle 'generator' object" here.
    def temperature_values():  # type: ignore[no-untyped-def]
        for temp in range(0, 101, 50):
            yield temp / 100.0

    out = expand([{"model": "gpt-4", "temperature": DynamicValue(temperature_values())}])
    assert strip_ids(out) == [
        {"model": "gpt-4", "temperature": 0.0},
        {"model": "gpt-4", "temperature": 0.5},
        {"model": "gpt-4", "temperature": 1.0},
    ]


def test_generator_config_expands_the_same_twice() -> None:
    configs = [{"x": DynamicValue(i for i in range(3))}]
    assert expand(configs) == expand(configs)


def test_sweep_after_nested_object_keeps_its_path() -> None:
    # spearmint-framework 0.2.1 files `b` under `a` here.
    out = expand([{"a": {"x": 1}, "b": DynamicValue([1, 2])}])
    assert strip_ids(out) == [{"a": {"x": 1}, "b": 1}, {"a": {"x": 1}, "b": 2}]


def test_sweeps_after_several_nested_objects() -> None:
    out = expand([{"a": {"x": {"y": 1}}, "c": {"z": DynamicValue([1, 2])}, "d": DynamicValue(["p"])}])
    assert strip_ids(out) == [
        {"a": {"x": {"y": 1}}, "c": {"z": 1}, "d": "p"},
        {"a": {"x": {"y": 1}}, "c": {"z": 2}, "d": "p"},
    ]


def test_input_is_not_modified() -> None:
    configs = [{"a": {"b": DynamicValue([1, 2])}, "c": [1]}]
    before = copy.deepcopy(configs[0]["c"])
    expand(configs)
    assert configs[0]["c"] == before
    assert isinstance(configs[0]["a"]["b"], DynamicValue)
    assert "config_id" not in configs[0]


def test_configs_do_not_share_mutable_values() -> None:
    out = expand([{"stop": ["\n"], "x": DynamicValue([[1], [2]])}])
    out[0]["stop"].append("#")
    assert out[1]["stop"] == ["\n"]


def test_static_config_and_config_id_kept() -> None:
    out = expand([{"config_id": "mine", "a": 1}, {"a": 2}])
    assert out[0] == {"config_id": "mine", "a": 1}
    assert list(out[1]) == ["a", "config_id"]


def test_empty_iterable_gives_no_configs_as_in_the_seed() -> None:
    assert expand([{"x": DynamicValue([])}]) == []


def test_dynamic_value_inside_list_is_not_expanded() -> None:
    dv = DynamicValue([1, 2])
    out = expand([{"x": [dv]}])
    assert len(out) == 1 and out[0]["x"][0] is dv


def test_single_dict_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="list of config dicts"):
        expand({"a": DynamicValue([1])})  # type: ignore[arg-type]


def test_non_dict_config_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="must be a dict"):
        expand([["a"]])  # type: ignore[list-item]


def test_load_and_loads_agree(tmp_path: Path) -> None:
    path = tmp_path / "s.mint"
    path.write_text('m: ["a", "b"]*\n', encoding="utf-8")
    assert load(path) == load(str(path)) == loads(path.read_text())


def test_mint_error_carries_location() -> None:
    with pytest.raises(MintError) as info:
        loads("a: 1\nb: 0..5 step 0\n", path="sweep.mint")
    err = info.value
    assert (err.file, err.line, err.column, err.code) == ("sweep.mint", 2, 14, "E030")
    assert str(err) == "sweep.mint:2:14: error[E030]: the step of a range cannot be 0"


def test_mint_error_pickles_whole() -> None:
    """It crosses process boundaries (multiprocessing, joblib, Ray) with
    every diagnostic: unpickling it used to fail with an AttributeError."""
    with pytest.raises(MintError) as info:
        loads("a: 1\nb: 0..5 step 0\nc: 0..1 step 0\n", path="sweep.mint")
    back = pickle.loads(pickle.dumps(info.value))
    assert isinstance(back, MintError)
    assert str(back) == str(info.value) and back.render() == info.value.render()
    assert (back.file, back.line, back.column, back.code) == (info.value.file, info.value.line, info.value.column, info.value.code)
    assert len(back.diagnostics) == 2
    assert back.diagnostics == info.value.diagnostics


def test_load_reports_the_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.mint"
    path.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(MintError) as info:
        load(path)
    assert info.value.file == str(path)


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "bin.mint"
    path.write_bytes(b'a: 1\nb: "\xff"\n')
    with pytest.raises(MintError) as info:
        load(path)
    assert (info.value.code, info.value.line, info.value.column) == ("E004", 2, 5)


def test_sweep_counted_is_mintc_counts(tmp_path: Path) -> None:
    """`Sweep.counted()` gives `mintc count`'s number without scanning past
    its budget: exact for a `where` within it, the bound beyond it."""
    from spearmint_lang import Sweep

    small = tmp_path / "small.mint"
    small.write_text('model: ["a", "b", "c"]*\nt: 0..9\nwhere not (model == "a" and t > 4)\n', encoding="utf-8")
    assert Sweep(small).counted() == (25, True)
    big = tmp_path / "big.mint"
    big.write_text("a: 0..99999999\nwhere a == 99999999\n", encoding="utf-8")
    assert Sweep(big).counted() == (100_000_000, False)
    assert Sweep(small)[2:7].counted() == (5, True)
    assert Sweep(EXAMPLES / "tuning.mint").counted() == (189, True)
