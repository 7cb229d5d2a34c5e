"""Sampled sweeps at run time: counted, indexed, sharded, the same bytes everywhere (issue 12).

Through the Python forms (`Uniform`, ..., `Sample`), which the `.mint`
forms lower to: `expand`, `Sweep[i]`, slices, shards, pickles and counts
agree; draws depend on (seed, config index, key path) only.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spearmint_lang import (Choice, DynamicValue, LogNormal, LogUniform, Normal, RandInt, Sample, Uniform, Variants,
                            Where, expand)
from spearmint_lang.expand import count
from spearmint_lang.sweep import Sweep
from tests.conftest import DEADLINE, ROOT


def search(n: int = 3, seed: int = 1, method: str = "random") -> list[dict[str, object]]:
    return [{
        "model": DynamicValue(["a", "b"]),
        "lr": LogUniform(1e-5, 1e-1),
        "optimizer": {"weight_decay": Uniform(0, 0.1, step="0.01"), "momentum": 0.9},
        "batch_size": Choice([16, 32, 64]),
        "sampling": Sample(n, seed=seed, method=method),
    }]


def test_configs_are_the_grid_times_the_samples_with_samples_innermost() -> None:
    configs = expand(search())
    assert [c["model"] for c in configs] == ["a", "a", "a", "b", "b", "b"]
    assert "sampling" not in configs[0]
    assert list(configs[0]) == ["model", "lr", "optimizer", "batch_size", "config_id"]
    assert count(search()[0]) == 6
    assert all(c["optimizer"]["weight_decay"] in {round(k * 0.01, 2) for k in range(11)} for c in configs)
    assert all(1e-5 <= c["lr"] < 1e-1 for c in configs)
    # Each config has its own draws: the grid points do not share them.
    assert len({c["lr"] for c in configs}) == 6


def test_the_draws_are_fixed_by_seed_index_and_path() -> None:
    first, again = expand(search()), expand(search())
    assert first == again
    assert expand(search(seed=2)) != first
    # The first config's lr is the documented construction.
    from spearmint_lang.sampling import uniform_bits
    import math
    u = uniform_bits(1, 0, "lr")
    assert first[0]["lr"] == math.exp(math.log(1e-5) + (math.log(1e-1) - math.log(1e-5)) * u)


def test_random_access_slices_shards_and_pickles_agree_with_expand() -> None:
    configs = expand(search(5))
    sweep = Sweep(search(5))
    assert len(sweep) == len(configs) == 10
    assert [sweep[i] for i in range(10)] == configs
    assert sweep[-1] == configs[-1]
    assert list(sweep[3:8]) == configs[3:8]
    for n in (1, 2, 3, 7):
        assert [c for k in range(1, n + 1) for c in sweep.shard(k, n)] == configs
    assert list(pickle.loads(pickle.dumps(sweep))) == configs


def test_a_where_filters_grid_points_and_keeps_the_draws_of_each_index() -> None:
    template = search(4)[0] | {"keep": Where(lambda c: c["model"] == "b")}
    kept = expand([template])
    every = expand(search(4))
    assert kept == [c for c in every if c["model"] == "b"]
    assert list(Sweep([template])) == kept


def test_variants_and_swept_objects_hold_distributions() -> None:
    template = {
        "arch": Variants([{"kind": "mlp", "width": RandInt(64, 257, step="64")},
                          {"kind": "cnn", "kernel": Choice([3, 5])}]),
        "opt": DynamicValue([{"name": "sgd", "lr": Uniform(0.01, 0.1)}, {"name": "adam", "lr": LogUniform(1e-4, 1e-2)}]),
        "s": Sample(4, seed=3),
    }
    configs = expand([template])
    assert len(configs) == 2 * 2 * 4
    assert all(c["width"] in (64, 128, 192, 256) for c in configs if c["kind"] == "mlp")
    assert all(c["kernel"] in (3, 5) for c in configs if c["kind"] == "cnn")
    assert all(0.01 <= c["opt"]["lr"] < 0.1 for c in configs if c["opt"]["name"] == "sgd")
    assert list(Sweep([template])) == configs


def test_normal_and_lognormal_and_randint_give_their_kinds() -> None:
    configs = expand([{"x": Normal(0, 1), "y": LogNormal(0, 0.5), "k": RandInt(0, 3), "s": Sample(50)}])
    assert all(isinstance(c["x"], float) and c["y"] > 0 and c["k"] in (0, 1, 2) for c in configs)


_SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from tests.test_sampling_runtime import search
from spearmint_lang import expand
print(json.dumps(expand(search(200, seed=9))))
"""


def test_two_processes_with_different_hash_seeds_write_the_same_bytes() -> None:
    outputs = []
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        done = subprocess.run([sys.executable, "-c", _SCRIPT.format(root=str(ROOT))], env=env, capture_output=True,
                              text=True, timeout=60, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0]) == json.loads(json.dumps(expand(search(200, seed=9))))


@pytest.mark.parametrize("method", ["sobol", "halton", "lhs"])
def test_quasi_random_points_are_shared_by_every_grid_point(method: str) -> None:
    pytest.importorskip("scipy")
    configs = expand(search(8, method=method))
    a = [(c["lr"], c["optimizer"]["weight_decay"], c["batch_size"]) for c in configs if c["model"] == "a"]
    b = [(c["lr"], c["optimizer"]["weight_decay"], c["batch_size"]) for c in configs if c["model"] == "b"]
    assert a == b and len(set(a)) > 1
    sweep = Sweep(search(8, method=method))
    assert [sweep[i] for i in range(16)] == configs


_SIZES = st.lists(st.integers(1, 3), min_size=0, max_size=3)


@settings(max_examples=30, deadline=DEADLINE)
@given(sizes=_SIZES, n=st.integers(1, 5), seed=st.integers(0, 2**64), place=st.integers(0, 3))
def test_any_sampled_sweep_indexes_shards_and_counts_like_its_expansion(sizes: list[int], n: int, seed: int,
                                                                         place: int) -> None:
    template: dict[str, object] = {f"g{i}": DynamicValue(list(range(size))) for i, size in enumerate(sizes)}
    template["u"] = Uniform(-1, 1)
    template["nested"] = {"c": Choice(["x", "y"], weights=[1, 2])}
    keys = list(template)
    keys.insert(min(place, len(keys)), "sampling")  # `Sample` may stand under any key
    template["sampling"] = Sample(n, seed=seed)
    template = {k: template[k] for k in keys}
    configs = expand([template])
    sweep = Sweep([template])
    assert count(template) == len(configs) == len(sweep)
    assert [sweep[i] for i in range(len(configs))] == configs
    assert [c for k in (1, 2, 3) for c in sweep.shard(k, 3)] == configs


@pytest.mark.parametrize("fmt", ["jsonl", "json", "yaml", "py"])
@pytest.mark.parametrize("start,stop", [(0, None), (3, 11), (5, 6)])
def test_the_fast_writer_draws_what_expansion_draws(fmt: str, start: int, stop: int | None) -> None:
    """Sampled documents take the fast plan (each draw in a slot of its own)
    and write exactly what encoding each expanded config writes."""
    from spearmint_lang.output.emit import emit
    from spearmint_lang.output.plan import Plan
    from tests.test_scale import plain

    docs = search(4) + [{"t": Uniform(0.0, 2.0, step="0.1"), "k": DynamicValue([1, 2, 3]), "s": Sample(5, seed=4)}]
    sweep = Sweep(docs)
    assert Plan(sweep._spaces[0], fmt).ok  # every format, YAML too (issue 16)
    part = sweep[start:stop]
    assert "".join(emit(fmt, part, "x.mint", "0")) == plain(fmt, list(part))


def test_a_distribution_inside_a_swept_object_takes_the_general_path() -> None:
    from spearmint_lang.output.plan import Plan

    docs = [{"opt": DynamicValue([{"lr": Uniform(0, 1)}, {"lr": 0.5}]), "s": Sample(2)}]
    assert not Plan(Sweep(docs)._spaces[0], "jsonl").ok
    assert Plan(Sweep(search())._spaces[0], "jsonl").ok


def test_a_quasi_random_method_without_scipy_is_a_located_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before the fix, `mintc compile` of a `sobol` document without scipy ended
    in an internal error (MissingExtra while drawing)."""
    from spearmint_lang.compiler import compile_text

    monkeypatch.setitem(sys.modules, "scipy", None)
    unit = compile_text('lr: uniform(0, 1)\nsample 8 seed 1 sobol\n', "sweep.mint")
    assert [(d.code, d.span.line, d.span.column) for d in unit.diagnostics] == [("E094", 2, 17)]
    assert "pip install 'spearmint-lang[sampling]'" in (unit.diagnostics[0].hint or "")
    assert compile_text('lr: uniform(0, 1)\nsample 8 seed 1\n', "sweep.mint").ok


def test_the_python_forms_equal_the_mint_forms() -> None:
    from spearmint_lang import loads

    text = """model: ["a", "b"]*
lr: loguniform(1e-5, 1e-1)
optimizer: { weight_decay: uniform(0, 0.1) step 0.01, momentum: 0.9 }
batch_size: choice([16, 32, 64])
sample 3 seed 1
"""
    assert loads(text) == expand(search())
    halton = text.replace("sample 3 seed 1", "sample 3 seed 1 halton")
    pytest.importorskip("scipy")
    assert loads(halton) == expand(search(method="halton"))
