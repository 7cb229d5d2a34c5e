"""The laws of the sampled values (issue 12), tested on the run time
(`spearmint_lang.sampling`) directly:

- each distribution's draws, made as a document's configs make them (method
  `random`: u of config i is `uniform_bits(seed, i, path)`), pass a
  Kolmogorov-Smirnov test (continuous laws) or a chi-square test (discrete
  laws, quantised ones included) against the law, computed here with
  `scipy.stats`, at the 1 % level, on `DRAWS` draws with fixed seeds;
- quantised values lie exactly on the grid, written as the decimal;
- streams of different seeds or paths are uncorrelated, and the bytes do not
  depend on the process (`PYTHONHASHSEED`);
- `sobol`, `halton` and `lhs` give the points of `scipy.stats.qmc` for the
  same seed and dimension, and a missing scipy names the `sampling` extra.
"""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spearmint_lang.sampling import (
    Choice,
    Distribution,
    LogNormal,
    LogUniform,
    MissingExtra,
    Normal,
    RandInt,
    Sample,
    Uniform,
    uniform_bits,
)
from tests.conftest import DEADLINE, ROOT

if TYPE_CHECKING:  # imported by `scipy_imported` below, when the tests run
    import numpy as np
    from scipy import stats
    from scipy.stats import qmc


@pytest.fixture(scope="module", autouse=True)
def scipy_imported() -> None:
    """NumPy and SciPy (a second to import) are imported when this module's
    tests run, not when pytest collects the module: under xdist every worker
    collects every module, and one runs these."""
    global np, stats, qmc
    import numpy as np
    from scipy import stats
    from scipy.stats import qmc

DRAWS = 20_000  # the sample size of every statistical test
LEVEL = 0.01  # reject the law below this p-value
SEED = 12  # the fixed seed of the statistical tests
PATH = "train.lr"


def draws(dist: Distribution, n: int = DRAWS, seed: int = SEED, path: str = PATH) -> list[Any]:
    """The values of `dist` at `path` in configs 0..n-1 of a document with
    `sample n seed seed` (method random), as the run time draws them."""
    sample = Sample(n, seed)
    return [dist.value(sample.unit(i, i % n, path, [path])) for i in range(n)]


def units(n: int = DRAWS, seed: int = SEED, path: str = PATH) -> np.ndarray:
    sample = Sample(n, seed)
    return np.array([sample.unit(i, i % n, path, [path]) for i in range(n)])


def ks_pvalue(values: Sequence[float], cdf: Callable[[Any], Any]) -> float:
    return float(stats.kstest(np.asarray(values, dtype=float), cdf).pvalue)


def chi2_pvalue(values: Sequence[Any], law: dict[Any, float]) -> float:
    """The chi-square p-value of `values` against the probabilities `law`
    (cells whose expected count is under 5 pooled into one cell). Every
    value drawn must be one the law can give, of the same type."""
    seen = Counter((type(v), v) for v in values)
    allowed = {(type(v), v) for v in law}
    assert set(seen) <= allowed, f"values off the law: {sorted(set(seen) - allowed, key=repr)[:5]}"
    n = len(values)
    observed, expected, rest_o, rest_e = [], [], 0, 0.0
    for v, p in law.items():
        if n * p >= 5:
            observed.append(seen[(type(v), v)])
            expected.append(n * p)
        else:
            rest_o += seen[(type(v), v)]
            rest_e += n * p
    if rest_e > 0:
        observed.append(rest_o)
        expected.append(rest_e)
    total = sum(expected)
    expected = [e * n / total for e in expected]  # a law listed up to a tail of < 1e-12
    return float(stats.chisquare(observed, expected).pvalue)


def grid_law(cdf: Callable[[float], float], q: str, grid: Sequence[Decimal]) -> dict[Any, float]:
    """The law of a continuous X rounded to the nearest point of `grid` (the
    multiples of q within the support, sorted): each point gets P(X within
    half a step of it), the two end points everything beyond them too. The
    points are ints when q is written as an integer, floats otherwise."""
    cuts = [float((g + h) / 2) for g, h in zip(grid, grid[1:])]
    cdfs = [0.0, *(cdf(c) for c in cuts), 1.0]
    as_int = not any(c in q for c in ".eE")
    return {(int(g) if as_int else float(g)): cdfs[k + 1] - cdfs[k] for k, g in enumerate(grid)}


def multiples(q: str, low: float, high: float) -> list[Decimal]:
    """The multiples of q in [low, high], exactly, each written as the decimal
    (`0.35`) with q's exponent."""
    step = Decimal(q)
    first = math.ceil(Decimal(repr(low)) / step)
    last = math.floor(Decimal(repr(high)) / step)
    return [k * step for k in range(first, last + 1)]


# -- continuous laws: Kolmogorov-Smirnov --------------------------------------

CONTINUOUS = [
    pytest.param(Uniform(-2.0, 3.0), lambda: stats.uniform(loc=-2.0, scale=5.0).cdf, id="uniform"),
    pytest.param(Uniform(0, 1), lambda: stats.uniform().cdf, id="uniform-ints"),
    pytest.param(LogUniform(1e-5, 1e-1), lambda: stats.loguniform(1e-5, 1e-1).cdf, id="loguniform"),
    pytest.param(Normal(1.5, 2.0), lambda: stats.norm(loc=1.5, scale=2.0).cdf, id="normal"),
    pytest.param(Normal(0, 1), lambda: stats.norm().cdf, id="normal-standard"),
    pytest.param(LogNormal(0.5, 0.75), lambda: stats.lognorm(s=0.75, scale=math.exp(0.5)).cdf, id="lognormal"),
]


@pytest.mark.parametrize(("dist", "law"), CONTINUOUS)
def test_continuous_draws_follow_their_law(dist: Distribution, law: Callable[[], Callable[[Any], Any]]) -> None:
    values = draws(dist)
    assert all(isinstance(v, float) for v in values)
    assert ks_pvalue(values, law()) > LEVEL


def test_loguniform_is_uniform_in_log_space() -> None:
    a, b = 1e-5, 1e-1
    logs = np.log10(draws(LogUniform(a, b)))
    assert ks_pvalue(logs, stats.uniform(loc=-5.0, scale=4.0).cdf) > LEVEL
    # each decade gets a quarter of the draws (not 90 % in the last one, as uniform(a, b) would)
    decades = Counter(math.floor(x) for x in logs)
    assert stats.chisquare([decades[k] for k in (-5, -4, -3, -2)]).pvalue > LEVEL
    assert min(logs) >= -5.0 and max(logs) <= -1.0


def test_the_unit_numbers_themselves_are_uniform() -> None:
    u = units()
    assert 0.0 < u.min() and u.max() < 1.0
    assert ks_pvalue(u, stats.uniform().cdf) > LEVEL


# -- discrete laws: chi-square -------------------------------------------------

def test_randint_is_uniform_on_a_to_b_minus_1() -> None:
    values = draws(RandInt(1, 9))
    assert set(values) == set(range(1, 9))  # 9 excluded
    assert all(type(v) is int for v in values)
    assert chi2_pvalue(values, {k: 1 / 8 for k in range(1, 9)}) > LEVEL


def test_randint_over_a_wide_range() -> None:
    values = draws(RandInt(-500, 500))
    assert min(values) >= -500 and max(values) <= 499
    assert chi2_pvalue(values, {k: 1 / 1000 for k in range(-500, 500)}) > LEVEL


def test_choice_without_weights_is_uniform() -> None:
    values = draws(Choice(["a", "b", "c"]))
    assert chi2_pvalue(values, {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}) > LEVEL


def test_choice_with_weights_follows_them() -> None:
    values = draws(Choice(["small", "large"], weights=[3, 1]))
    assert chi2_pvalue(values, {"small": 0.75, "large": 0.25}) > LEVEL


def test_choice_never_picks_a_zero_weight() -> None:
    values = draws(Choice([1, 2, 3, 4], weights=[0.5, 0, 2, 1.5]))
    assert 2 not in values
    assert chi2_pvalue(values, {1: 0.125, 3: 0.5, 4: 0.375}) > LEVEL


def test_choice_of_any_values() -> None:
    options: list[Any] = [{"name": "adam", "betas": [0.9, 0.999]}, None, True, [1, 2]]
    values = draws(Choice(options), n=4_000)
    counts = Counter(repr(v) for v in values)
    assert sorted(counts) == sorted(repr(v) for v in options)
    assert stats.chisquare(list(counts.values())).pvalue > LEVEL


# -- quantised laws: chi-square against the rounded law, exact grid ------------

def test_uniform_step_follows_the_rounded_law() -> None:
    grid = multiples("0.05", 0.0, 1.0)
    values = draws(Uniform(0.0, 1.0, step="0.05"))
    assert chi2_pvalue(values, grid_law(stats.uniform().cdf, "0.05", grid)) > LEVEL
    # every multiple of 0.05 written as the decimal: 0.35, never 0.35000000000000003
    assert {repr(v) for v in values} == {repr(float(g)) for g in grid}


def test_uniform_integer_step_gives_ints() -> None:
    grid = multiples("10", 0, 100)
    values = draws(Uniform(0, 100, step="10"))
    assert all(type(v) is int for v in values)
    assert chi2_pvalue(values, grid_law(stats.uniform(scale=100).cdf, "10", grid)) > LEVEL


def test_loguniform_step_follows_the_rounded_law() -> None:
    # 1e-4 rounds to 0, outside the support: the nearest multiple within it is 0.01
    grid = multiples("0.01", 1e-4, 1.0)
    assert grid[0] == Decimal("0.01")
    values = draws(LogUniform(1e-4, 1.0, step="0.01"))
    assert chi2_pvalue(values, grid_law(stats.loguniform(1e-4, 1.0).cdf, "0.01", grid)) > LEVEL


def test_normal_step_follows_the_rounded_law() -> None:
    grid = multiples("0.5", -8.0, 8.0)
    values = draws(Normal(0.0, 1.0, step="0.5"))
    assert chi2_pvalue(values, grid_law(stats.norm().cdf, "0.5", grid)) > LEVEL


def test_lognormal_step_follows_the_rounded_law() -> None:
    grid = multiples("0.25", 0.0, 1000.0)
    values = draws(LogNormal(0.0, 1.0, step="0.25"))
    assert chi2_pvalue(values, grid_law(stats.lognorm(s=1.0).cdf, "0.25", grid)) > LEVEL


def test_randint_step_follows_the_rounded_law() -> None:
    # An odd step: no integer lies halfway between two multiples, so no ties.
    law: Counter[int] = Counter()
    for x in range(0, 30):
        law[min(max(math.floor(x / 3 + 0.5), 0), 9) * 3] += 1  # multiples of 3 within 0..29
    values = draws(RandInt(0, 30, step="3"))
    assert all(type(v) is int for v in values)
    assert chi2_pvalue(values, {k: c / 30 for k, c in law.items()}) > LEVEL


def test_randint_even_step_gives_equally_likely_multiples() -> None:
    values = draws(RandInt(1, 9, step="2"))
    assert chi2_pvalue(values, {2: 0.25, 4: 0.25, 6: 0.25, 8: 0.25}) > LEVEL


@pytest.mark.parametrize(("dist", "q"), [
    (Uniform(0.0, 1.0, step="0.05"), "0.05"),
    (Uniform(-1.0, 1.0, step="0.1"), "0.1"),
    (LogUniform(1e-5, 1e-1, step="1e-5"), "1e-5"),
    (Normal(0.0, 0.3, step="0.01"), "0.01"),
    (LogNormal(-1.0, 0.5, step="0.001"), "0.001"),
])
def test_quantised_values_are_written_as_the_decimal(dist: Distribution, q: str) -> None:
    low, high = dist.support()
    for v in draws(dist, n=2_000):
        assert type(v) is float
        assert Decimal(repr(v)) % Decimal(q) == 0, v  # 0.35, never 0.35000000000000003
        assert low <= v <= high


# -- hypothesis: every u, not only the drawn ones -------------------------------

unit_numbers = st.floats(min_value=0.0, max_value=1.0, exclude_min=True, exclude_max=True)
STEPS = ["0.05", "0.1", "0.25", "0.001", "2.5e-3", "1", "5", "1e-4"]


@st.composite
def quantised(draw: st.DrawFn) -> Distribution:
    q = draw(st.sampled_from(STEPS))
    kind = draw(st.sampled_from(["uniform", "loguniform", "randint", "normal", "lognormal"]))
    if kind == "randint":
        a = draw(st.integers(-1000, 1000))
        return RandInt(a, a + draw(st.integers(math.ceil(float(q)) + 1, 10_000)), step=q)
    if kind in ("normal", "lognormal"):
        mu = draw(st.floats(-5, 5))
        sigma = draw(st.floats(0.01, 3))
        return (Normal if kind == "normal" else LogNormal)(mu, sigma, step=q)
    low = 1e-6 if kind == "loguniform" else -1e4
    a = draw(st.floats(low, 1e4))
    b = a + float(q) * draw(st.floats(1.0, 1e3))  # at least one multiple of q within [a, b]
    return (Uniform if kind == "uniform" else LogUniform)(a, b, step=q)


@settings(deadline=DEADLINE, max_examples=300)
@given(quantised(), unit_numbers)
def test_quantised_value_is_on_the_grid_and_in_the_support(dist: Distribution, u: float) -> None:
    assert dist.step is not None
    q = Decimal(dist.step)
    v = dist.value(u)
    low, high = dist.support()
    assert low <= v <= high
    assert Decimal(repr(v)) % q == 0
    assert type(v) is (float if any(c in dist.step for c in ".eE") else int)
    # the nearest multiple: within half a step of the unquantised value, away from the ends
    dist.step, exact = None, dist.value(u)
    if low + float(q) <= exact <= high - float(q):
        assert abs(Decimal(repr(v)) - Decimal(exact)) <= q / 2 + Decimal(abs(exact)) * Decimal(2.0 ** -50)


@settings(deadline=DEADLINE, max_examples=200)
@given(st.integers(-(2**62), 2**62), st.integers(1, 2**62), unit_numbers)
def test_randint_never_gives_b(a: int, width: int, u: float) -> None:
    v = RandInt(a, a + width).value(u)
    assert type(v) is int and a <= v < a + width


def test_randint_at_the_largest_u() -> None:
    top = 1.0 - 2.0**-53  # the largest float below 1
    assert RandInt(1, 9).value(top) == 8
    assert RandInt(0, 2**53).value(top) == 2**53 - 1
    assert RandInt(0, 2**60).value(top) < 2**60


@settings(deadline=DEADLINE, max_examples=100)
@given(st.lists(st.floats(0, 10), min_size=1, max_size=6).filter(lambda w: sum(w) > 0), unit_numbers)
def test_choice_gives_a_value_of_positive_weight(weights: list[float], u: float) -> None:
    v = Choice(list(range(len(weights))), weights=weights).value(u)
    assert isinstance(v, int) and weights[v] > 0


@settings(deadline=DEADLINE, max_examples=200)
@given(st.integers(0, 2**70), st.integers(0, 2**70), st.text(max_size=30))
def test_uniform_bits_are_strictly_inside_0_1(seed: int, index: int, path: str) -> None:
    u = uniform_bits(seed, index, path)
    assert 0.0 < u < 1.0
    assert u == Sample(3, seed).unit(index, index % 3, path, [path])


ANY_DISTRIBUTION = st.one_of(
    quantised(),
    st.sampled_from([Uniform(-2.0, 3.0), LogUniform(1e-5, 1e-1), RandInt(0, 7), Normal(1.5, 2.0),
                     LogNormal(0.5, 0.75), Choice(["a", "b", "c"]), Choice([1, 2, 3], weights=[0.5, 0, 2])]),
)


@settings(deadline=DEADLINE, max_examples=100)
@given(ANY_DISTRIBUTION, st.lists(unit_numbers, max_size=80))
def test_draws_in_a_batch_are_the_values_one_by_one(dist: Distribution, us: list[float]) -> None:
    assert [repr(v) for v in dist.draws(us)] == [repr(dist.value(u)) for u in us]


@pytest.mark.parametrize(("start", "stop"), [(0, 10), (0, 64), (5, 1000), (10**12, 10**12 + 100), (2**63, 2**63 + 70)])
def test_units_in_a_batch_are_the_units_one_by_one(start: int, stop: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import spearmint_lang.sampling as sampling

    sample = Sample(7, 3)
    one_by_one = [uniform_bits(3, i, "a.b") for i in range(start, stop)]
    assert sample.units("a.b", start, stop, ["a.b"]) == one_by_one  # numpy's uint64 path from 64 on
    monkeypatch.setattr(sampling, "_NUMPY", [None])  # without numpy: the loop
    assert Sample(7, 3).units("a.b", start, stop, ["a.b"]) == one_by_one


# -- seeds, paths and processes -------------------------------------------------

def reference_bits(seed: int, index: int, path: str) -> float:
    """The construction as `uniform_bits`' docstring states it, written again
    here: a key per (seed, path) by BLAKE2b, then SplitMix64's output function
    at position index + 1 of a Weyl sequence from that key."""
    digest = hashlib.blake2b(f"{seed}\0{path}".encode(), digest_size=8, person=b"mint-sample").digest()
    z = (int.from_bytes(digest, "big") + (index + 1) * 0x9E3779B97F4A7C15) % 2**64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % 2**64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % 2**64
    z ^= z >> 31
    return ((z >> 12) + 0.5) / 2**52


KEYS = [(0, 0, "lr"), (1, 0, "lr"), (7, 123456, "model.temperature"), (2**64, 10**12, "café.t")]
PINNED = ['0.03400686401090336', '0.03544100778611792', '0.2879910611273945', '0.03699040366218964']  # a sweep recompiled a year later gives the same bytes


def test_construction_is_the_documented_one() -> None:
    for key in KEYS:
        assert uniform_bits(*key) == reference_bits(*key)
    assert [repr(uniform_bits(*key)) for key in KEYS] == PINNED


def _correlation(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1])


def test_different_seeds_and_paths_give_independent_streams() -> None:
    bound = 4 / math.sqrt(DRAWS)  # four standard deviations of r under independence
    base = units()
    others = {
        "seed+1": units(seed=SEED + 1),
        "seed 0": units(seed=0),
        "another path": units(path="train.wd"),
        "a prefix of the path": units(path="train"),
        "the path without its dot": units(path="trainlr"),
    }
    for name, other in others.items():
        assert abs(_correlation(base, other)) < bound, name
        assert np.count_nonzero(base == other) == 0, name
    # consecutive configs too
    assert abs(_correlation(base[:-1], base[1:])) < bound
    # the quantiles of a stream do not depend on the seed
    assert stats.ks_2samp(base, others["seed+1"]).pvalue > LEVEL


def test_the_sample_count_does_not_change_a_draw() -> None:
    # method random: u of config i depends on (seed, i, path) only
    assert Sample(10, 3).unit(25, 5, "x", ["x"]) == Sample(1000, 3).unit(25, 25, "x", ["x"]) == uniform_bits(3, 25, "x")


_PROGRAM = """
from spearmint_lang.sampling import *
dists = [Uniform(0.0, 1.0), LogUniform(1e-5, 1e-1), RandInt(1, 9), Normal(0, 1), LogNormal(0, 1),
         Choice(["a", "b", "c"]), Choice(["a", "b"], weights=[3, 1]), Uniform(0.0, 1.0, step="0.05")]
sample = Sample(1000, seed=5)
paths = ["k%d" % k for k in range(len(dists))] + ["caf\\u00e9"]
print(repr([[d.value(sample.unit(i, i, p, paths)) for i in range(1000)] for d, p in zip(dists, paths)]))
print(repr([uniform_bits(5, i, paths[-1]) for i in range(1000)]))
import sys; print("scipy" in sys.modules)
"""


def test_same_bytes_across_processes_and_hash_seeds() -> None:
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", _PROGRAM], cwd=ROOT, env=env, capture_output=True,
                             text=True, check=True)
        outputs.append(out.stdout)
    assert outputs[0] == outputs[1]
    lines = outputs[0].splitlines()
    assert len(eval(lines[0])[0]) == 1000
    assert lines[-1] == "False"  # method random never imports scipy
    here: list[str] = []
    exec(_PROGRAM, {"print": lambda x: here.append(str(x))})
    assert here[:2] == lines[:2]  # and the same in this process


# -- quasi-random methods: the points of scipy.stats.qmc ------------------------

PATHS = ["model.temperature", "lr", "dropout", "batch"]  # sorted: batch, dropout, lr, model.temperature


def engine(method: str, d: int, seed: int) -> Any:
    if method == "sobol":
        return qmc.Sobol(d, scramble=True, rng=seed)
    if method == "halton":
        return qmc.Halton(d, scramble=True, rng=seed)
    return qmc.LatinHypercube(d, rng=seed)


@pytest.mark.parametrize("method", ["sobol", "halton", "lhs"])
@pytest.mark.parametrize(("n", "seed", "paths"), [(64, 7, PATHS), (16, 0, ["x"]), (128, 123, PATHS[:3])])
def test_quasi_random_points_are_scipys(method: str, n: int, seed: int, paths: list[str]) -> None:
    expected = engine(method, len(paths), seed).random(n)
    sample = Sample(n, seed, method)
    order = sorted(paths)
    for grid_point in range(3):  # every grid point gets the same n points
        for s in range(n):
            for path in paths:
                u = sample.unit(grid_point * n + s, s, path, paths)
                assert u == float(expected[s][order.index(path)]), (method, grid_point, s, path)


@pytest.mark.parametrize(("n", "d"), [(10, 1), (50, 3), (97, 5)])
def test_lhs_has_one_point_per_stratum_in_every_dimension(n: int, d: int) -> None:
    paths = [f"k{k}" for k in range(d)]
    sample = Sample(n, 4, "lhs")
    for path in paths:
        strata = sorted(math.floor(sample.unit(s, s, path, paths) * n) for s in range(n))
        assert strata == list(range(n)), path


def test_sobol_values_follow_the_law_too() -> None:
    n = 1024
    paths = ["lr", "t"]
    sample = Sample(n, 3, "sobol")
    lrs = [LogUniform(1e-5, 1e-1).value(sample.unit(s, s, "lr", paths)) for s in range(n)]
    ts = [Normal(0, 1).value(sample.unit(s, s, "t", paths)) for s in range(n)]
    assert ks_pvalue(lrs, stats.loguniform(1e-5, 1e-1).cdf) > LEVEL
    assert ks_pvalue(ts, stats.norm().cdf) > LEVEL
    # a balanced design: each quarter of the log range holds exactly n/4 points
    assert Counter(math.floor((math.log10(x) + 5)) for x in lrs) == {k: n // 4 for k in range(4)}


@pytest.mark.parametrize("method", ["sobol", "halton", "lhs"])
def test_a_missing_scipy_names_the_sampling_extra(method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "scipy" or m.startswith("scipy.")]:
        monkeypatch.delitem(sys.modules, name)
    for name in ("scipy", "scipy.stats", "scipy.stats.qmc"):
        monkeypatch.setitem(sys.modules, name, None)  # `import scipy` now fails
    with pytest.raises(MissingExtra, match=r"pip install 'spearmint-lang\[sampling\]'") as info:
        Sample(8, 0, method).unit(0, 0, "x", ["x"])
    assert isinstance(info.value, ImportError)
    assert method in str(info.value)
    # random needs no extra
    assert Sample(8, 0).unit(0, 0, "x", ["x"]) == uniform_bits(0, 0, "x")


# -- bugs found while testing ---------------------------------------------------

# SplitMix64's output is a bijection of its input, so inverting it finds the
# config index whose top 53 bits are all ones (one index in 2**53 per key).
ALL_ONES_INDEX = 1_870_298_700_667_914  # seed 0, path "optimizer.lr"


def test_uniform_bits_is_below_1_for_every_index() -> None:
    # Its top bits are all ones: the largest u there is, 1 - 2**-53 (53 bits gave exactly 1.0 before the fix).
    u = uniform_bits(0, ALL_ONES_INDEX, "optimizer.lr")
    assert u == reference_bits(0, ALL_ONES_INDEX, "optimizer.lr") == 1 - 2**-53
    assert math.isfinite(Normal(0, 1).value(u))


def test_a_step_without_a_multiple_in_the_support_is_refused() -> None:
    with pytest.raises(ValueError):
        Uniform(0.01, 0.04, step="0.05")


@pytest.mark.parametrize("q", ["0", "-0.05"])
def test_a_step_that_is_not_positive_is_refused(q: str) -> None:
    with pytest.raises(ValueError):
        Uniform(0, 1, step=q)
