"""`load`, `loads` and `Sweep` iteration build many configs at once from the
output plan's JSON text (`output.plan.in_memory`, issue 16): they must give
exactly the configs of the general path (`expand`, which builds each config
from its template), values, types, key order and ids alike."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spearmint_lang
from spearmint_lang import DynamicValue, MintError, Sweep, expand
from spearmint_lang.output.plan import in_memory
from tests.conftest import DEADLINE, fuzz_examples

_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=5))
_VALUE = st.recursive(_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=3), inner, max_size=3)),
                      max_leaves=6)
_KEY = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=4)


@st.composite
def templates(draw: st.DrawFn) -> dict[str, Any]:
    """A document of 300 or more configs: a 300-value axis, and other keys
    that are fixed values, small axes of any values, or nested objects."""
    out: dict[str, Any] = {"i": DynamicValue(range(300))}
    for key in draw(st.lists(_KEY, max_size=4, unique=True)):
        if key == "i":
            continue
        kind = draw(st.sampled_from(["fixed", "axis", "nested"]))
        if kind == "fixed":
            out[key] = draw(_VALUE)
        elif kind == "axis":
            out[key] = DynamicValue(draw(st.lists(_VALUE, min_size=1, max_size=2)))
        else:
            out[key] = {"x": DynamicValue(draw(st.lists(_SCALAR, min_size=1, max_size=2))), "y": draw(_VALUE)}
    return out


def _same(a: Any, b: Any) -> bool:
    """Equal, with equal types all the way down (1 is not 1.0 nor True; -0.0 is not 0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return bool(a == b)


@settings(max_examples=fuzz_examples(40), deadline=DEADLINE)
@given(templates())
def test_built_at_once_equals_built_one_by_one(template: dict[str, Any]) -> None:
    sweep = Sweep([template])
    built = in_memory(sweep._spaces[0], 0, sweep.size)
    assert built is not None  # JSON values only: the plan builds them
    expected = expand([template])
    assert _same([config for batch in built for config in batch], expected)
    assert _same(list(sweep), expected)
    assert _same(list(sweep[7:290]), expected[7:290])


def test_values_json_would_change_take_the_general_path() -> None:
    template = {"i": DynamicValue(range(300)), "t": DynamicValue([(1, 2), "a"]), "n": float("nan")}
    sweep = Sweep([template])
    assert in_memory(sweep._spaces[0], 0, 600) is None
    configs = list(sweep)
    assert configs[0]["t"] == (1, 2) and math.isnan(configs[0]["n"])
    assert len(configs) == 600


def test_configs_share_nothing() -> None:
    configs = spearmint_lang.loads('i: 0..<300\nstop: ["\\n"]\nllm: { params: { n: 1 } }\n')
    configs[0]["stop"].append("x")
    configs[0]["llm"]["params"]["n"] = 2
    assert configs[1]["stop"] == ["\n"] and configs[1]["llm"]["params"]["n"] == 1


def test_load_of_a_sampled_document_is_its_sweep() -> None:
    text = 'model: ["a", "b"]*\nlr: loguniform(1e-5, 1e-1)\nk: randint(0, 9) step 2\nc: choice([[1], {a: 2}])\nsample 200 seed 3\n'
    sweep = Sweep.from_text(text)
    assert in_memory(sweep._spaces[0], 0, 400) is not None
    assert _same(spearmint_lang.loads(text), [sweep[i] for i in range(400)])


def test_slices_share_one_plan(monkeypatch: Any) -> None:
    """A sweep read slice by slice (as Ray Data's tasks read it) makes its
    document's plan once; the sweep still pickles."""
    import pickle

    from spearmint_lang.output import plan

    made = []
    real = plan._json_plan
    monkeypatch.setattr(plan, "_json_plan", lambda space: made.append(space) or real(space))
    sweep = Sweep.from_text("i: 0..<3000\nm: [1, 2]*\n")
    parts = [list(sweep[k * 1000:(k + 1) * 1000]) for k in range(6)]
    assert sum(parts, []) == list(sweep) and len(made) == 1
    assert list(pickle.loads(pickle.dumps(sweep))[5990:]) == list(sweep)[5990:]


def test_documents_built_at_once_and_one_by_one_keep_their_order_and_indices() -> None:
    """A planned document (built in batches), then one with a `where`, then
    one with a computed value that fails: `load` and `list(Sweep)` give
    every config in order, and the failure names its config's index in the
    whole sweep."""
    text = "i: 0..<300\n---\nj: [0, 1, 2, 3]*\nwhere j != 1\n---\nk: [3, 2, 1]*\nq: 6 // (${k} - 1)\n"
    good = text.rsplit("---", 1)[0]
    sweep = Sweep.from_text(good)
    assert _same(spearmint_lang.loads(good), [sweep[i] for i in range(303)])
    assert _same(list(sweep), [sweep[i] for i in range(303)])
    for make in (lambda: spearmint_lang.loads(text), lambda: list(Sweep.from_text(text))):
        with pytest.raises(MintError) as info:
            make()
        assert info.value.message == "config 305: division by zero: 6 // 0 (with k = 1)"
