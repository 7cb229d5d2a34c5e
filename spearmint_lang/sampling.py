"""Sampled values: distributions, drawn reproducibly by index.

A document with `sample N` has one more axis, the sample index s = 0..N-1,
innermost: every grid point gets its N samples, one after the other (config
i of a document is grid point i // N, sample i % N). A distribution stands
where a value stands; each config gets one value of it, drawn from one
number u in (0, 1) by the distribution's inverse distribution function.

Where u comes from is the document's `method`:

- `random` (the default): u is a pure function of (seed, i, key path), with
  i the config's index in the document (before `where`); see `uniform_bits`
  for the construction. No generator state, nothing that
  depends on the process, the platform's `random`, `PYTHONHASHSEED` or the
  order configs are asked for: `Sweep[i]`, shards and counts are exact and
  cost what they ask for.
- `sobol`, `halton`, `lhs`: u is coordinate k of point s of a `d`-dimensional
  sequence of `scipy.stats.qmc` (scrambled, seeded with `seed`), where `d` is
  the number of sampled keys of the document and k the rank of the key's
  path among them (sorted). Every grid point sees the same N points, so each
  one gets the whole balanced design. scipy is imported only then (the
  `sampling` extra).

Values are computed from u with plain IEEE-754 arithmetic (and `math.log`,
`math.exp` and the inverse of the normal distribution of `statistics`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .dynamic import Config, DynamicValue, Json, Template, Variants

if TYPE_CHECKING:  # (imported when a normal value is first drawn)
    from statistics import NormalDist

METHODS = ("random", "sobol", "halton", "lhs")
_Z_MAX = 8.4  # the largest |z| of the normal's inverse at u in (2**-54, 1 - 2**-53)
_LOG_MAX = math.log(1.7e308)
_UNIT = 2.0 ** -52


@functools.cache
def _standard_normal() -> NormalDist:
    """N(0, 1), made when a normal value is first drawn (`statistics` is
    imported then: most sweeps draw none)."""
    from statistics import NormalDist

    return NormalDist()


def _within(xs: list[float], a: float, b: float) -> list[float]:
    """`xs` with any value that rounding put outside [a, b) moved just inside."""
    if xs and (min(xs) < a or max(xs) >= b):
        top = math.nextafter(b, a)
        return [a if x < a else top if x >= b else x for x in xs]
    return xs


class _Grid:
    """The multiples of a step q = m / 10**k (as written) that lie in [low, high]: n*q for first <= n <= last."""

    def __init__(self, step: str, low: float, high: float) -> None:
        from decimal import Decimal

        exact = Decimal(step)
        sign, digits, exponent = exact.as_tuple()
        assert isinstance(exponent, int)
        self.m = int("".join(map(str, digits))) * (-1 if sign else 1) * (10 ** max(exponent, 0))
        self.scale = 10 ** max(-exponent, 0) if any(c in step for c in ".eE") else 1
        q = Fraction(self.m, self.scale)
        self.q = float(q)
        self.first = math.ceil(Fraction(Decimal(repr(low))) / q) if math.isfinite(low) else -(2 ** 63)
        self.last = math.floor(Fraction(Decimal(repr(high))) / q) if math.isfinite(high) else 2 ** 63

    def indices(self, xs: Sequence[float]) -> list[int]:
        """The n of the multiple nearest each x, within the grid (ties up, so
        every multiple of an even step over integers is as likely)."""
        q, first, last, floor = self.q, self.first, self.last, math.floor
        ns = [floor(x / q + 0.5) for x in xs]
        if ns and (min(ns) < first or max(ns) > last):  # (rare: a draw at the edge of the support)
            return [first if n < first else last if n > last else n for n in ns]
        return ns

    def value(self, n: int) -> Json:
        """The multiple n*q: `n*m / 10**k`, Python's correctly rounded division
        of integers (so a multiple of 0.05 is written `0.35`); an int when the
        step is written as an integer."""
        return n * self.m if self.scale == 1 else n * self.m / self.scale

    def values(self, xs: Sequence[float]) -> list[Json]:
        """The multiple nearest each x (`indices`, then `value`, in one go)."""
        m, scale = self.m, self.scale
        ns = self.indices(xs)
        return [n * m for n in ns] if scale == 1 else [n * m / scale for n in ns]


class Distribution:
    """A value drawn once per config: see the subclasses."""

    name = "distribution"
    step: str | None = None  # quantisation: the literal text of `step q`, or None
    _grid: _Grid | None = None  # the multiples of `step` in the support
    _texts: dict[int, str]  # the text of each multiple n*q drawn so far (set with the step)

    def value(self, u: float) -> Json:
        """The value for u in (0, 1)."""
        raise NotImplementedError  # pragma: no cover - every subclass overrides it

    def draws(self, us: Sequence[float]) -> list[Json]:
        """`value` of each u (subclasses do it faster, without a call each)."""
        return [self.value(u) for u in us]

    def texts(self, us: Sequence[float]) -> list[str] | None:
        """The JSON text (`repr`) of each value `draws` gives, when they are
        all numbers; None otherwise. Quantised values are few: each one's
        text is made once."""
        raw = self._raw(us)
        if raw is not None and self._grid is not None:
            grid, cache = self._grid, self._texts
            indices = grid.indices(raw)
            for n in set(indices).difference(cache):
                cache[n] = repr(grid.value(n))
            return list(map(cache.__getitem__, indices))
        values = raw if raw is not None and self.step is None else self.draws(us)
        if all(type(v) is float or type(v) is int for v in values):
            return list(map(repr, values))
        return None

    def _raw(self, us: Sequence[float]) -> list[float] | None:
        """The values before `step` rounds them, where a subclass computes them in one go."""
        return None

    def _quantise_all(self, xs: list[float]) -> list[Json]:
        """Each x rounded by `step` (see `_Grid`)."""
        assert self._grid is not None
        return self._grid.values(xs)

    def support(self) -> tuple[float, float]:
        """The smallest and largest values it can give (infinite when unbounded)."""
        raise NotImplementedError  # pragma: no cover

    def _set_step(self, step: str | None, low: float, high: float) -> None:
        """Quantise to multiples of `step` (its literal text) within [low, high]."""
        self.step = step
        if step is None:
            return
        from decimal import Decimal

        try:
            positive = Decimal(step) > 0
        except ArithmeticError:
            raise ValueError(f"step {step!r} is not a number") from None
        if not positive:
            raise ValueError("step must be more than 0")
        grid = self._grid = _Grid(step, low, high)
        self._texts = {}
        if grid.first > grid.last:
            raise ValueError(f"no multiple of {step} lies in the values it can take")

    def _quantised(self, x: float) -> Json:
        """x rounded by `step` (see `_Grid`)."""
        return self._quantise_all([x])[0]

    def __repr__(self) -> str:
        args = ", ".join(repr(a) for a in self._args())
        return f"{type(self).__name__}({args}{'' if self.step is None else f', step={self.step!r}'})"

    def _args(self) -> tuple[Json, ...]:
        return ()

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._args() == other._args() and \
            self.step == getattr(other, "step", None)

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self._args()), self.step))


class _Interval(Distribution):
    """A distribution over [a, b), drawn by `_raw` in one go."""

    positive = False  # whether a must be above 0

    def __init__(self, a: float, b: float, step: str | None = None) -> None:
        if not a < b or (self.positive and not 0 < a):
            raise ValueError(f"{self.name}(a, b) needs {'0 < ' if self.positive else ''}a < b")
        self.a, self.b = a, b
        self._set_step(step, a, b)

    def _args(self) -> tuple[Json, ...]:
        return (self.a, self.b)

    def value(self, u: float) -> Json:
        return self.draws([u])[0]

    def draws(self, us: Sequence[float]) -> list[Json]:
        xs = self._raw(us)
        return list(xs) if self.step is None else self._quantise_all(xs)

    def _raw(self, us: Sequence[float]) -> list[float]:
        raise NotImplementedError  # pragma: no cover - both subclasses override it

    def support(self) -> tuple[float, float]:
        return (self.a, self.b)


class Uniform(_Interval):
    """`uniform(a, b)`: every value of [a, b) equally likely."""

    name = "uniform"

    def _raw(self, us: Sequence[float]) -> list[float]:
        a, span = self.a, self.b - self.a
        return _within([a + span * u for u in us], self.a, self.b)


class LogUniform(_Interval):
    """`loguniform(a, b)`: uniform in log space over [a, b), 0 < a < b."""

    name = "loguniform"
    positive = True

    def _raw(self, us: Sequence[float]) -> list[float]:
        low, exp, a, b = math.log(self.a), math.exp, self.a, self.b
        span = math.log(b) - low
        return _within([exp(low + span * u) for u in us], a, b)


class RandInt(Distribution):
    """`randint(a, b)`: an integer of a, a+1, ..., b-1, each equally likely
    (b excluded, as in Ray Tune, numpy and Python's `range`)."""

    name = "randint"

    def __init__(self, a: int, b: int, step: str | None = None) -> None:
        if not a < b:
            raise ValueError("randint(a, b) needs a < b")
        self.a, self.b = a, b
        self._set_step(step, a, b - 1)

    def _args(self) -> tuple[Json, ...]:
        return (self.a, self.b)

    def value(self, u: float) -> Json:
        n = self.a + min(int(u * (self.b - self.a)), self.b - self.a - 1)
        return n if self.step is None else self._quantised(n)

    def support(self) -> tuple[float, float]:
        return (self.a, self.b - 1)


class Normal(Distribution):
    """`normal(mu, sigma)`: the normal distribution."""

    name = "normal"

    def __init__(self, mu: float, sigma: float, step: str | None = None) -> None:
        if not sigma > 0:
            raise ValueError("normal(mu, sigma) needs sigma > 0")
        self.mu, self.sigma = mu, sigma
        self._set_step(step, -math.inf, math.inf)

    def _args(self) -> tuple[Json, ...]:
        return (self.mu, self.sigma)

    def value(self, u: float) -> Json:
        x = self.mu + self.sigma * _standard_normal().inv_cdf(u)
        return x if self.step is None else self._quantised(x)

    def support(self) -> tuple[float, float]:
        return (-math.inf, math.inf)


class LogNormal(Distribution):
    """`lognormal(mu, sigma)`: exp of `normal(mu, sigma)`."""

    name = "lognormal"

    def __init__(self, mu: float, sigma: float, step: str | None = None) -> None:
        if not sigma > 0:
            raise ValueError("lognormal(mu, sigma) needs sigma > 0")
        if mu + _Z_MAX * sigma > _LOG_MAX:
            raise ValueError("lognormal(mu, sigma) draws values too large for a float: make mu or sigma smaller")
        self.mu, self.sigma = mu, sigma
        self._set_step(step, 0.0, math.inf)

    def _args(self) -> tuple[Json, ...]:
        return (self.mu, self.sigma)

    def value(self, u: float) -> Json:
        x = math.exp(self.mu + self.sigma * _standard_normal().inv_cdf(u))
        return x if self.step is None else self._quantised(x)

    def support(self) -> tuple[float, float]:
        return (0.0, math.inf)


class Choice(Distribution):
    """`choice([v1, v2, ...])`, optionally `weights: [w1, w2, ...]`: one of
    the values, each as likely as its weight (equally likely without)."""

    name = "choice"

    def __init__(self, values: Sequence[Json], weights: Sequence[float] | None = None) -> None:
        if not values:
            raise ValueError("choice needs at least one value")
        if weights is not None and (len(weights) != len(values) or any(not w >= 0 for w in weights)
                                    or not sum(weights) > 0):
            raise ValueError("choice weights must be as many as the values, >= 0, and not all 0")
        self.values = list(values)
        self.weights = list(weights) if weights is not None else None
        total = float(sum(self.weights)) if self.weights is not None else float(len(self.values))
        running, bounds = 0.0, []
        for w in self.weights if self.weights is not None else [1.0] * len(self.values):
            running += w
            bounds.append(running / total)
        self._bounds = bounds

    def _args(self) -> tuple[Json, ...]:
        return (self.values, self.weights)

    def value(self, u: float) -> Json:
        for i, bound in enumerate(self._bounds):
            if u < bound:
                return self.values[i]
        return self.values[-1]

    def support(self) -> tuple[float, float]:
        numbers = [v for v in self.values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        return (min(numbers), max(numbers)) if len(numbers) == len(self.values) else (math.nan, math.nan)


class Sample:
    """`sample N [seed S] [method]`: the document's sample axis (see the module's docstring)."""

    def __init__(self, n: int, seed: int = 0, method: str = "random") -> None:
        if n < 1:
            raise ValueError("sample needs N >= 1")
        if method not in METHODS:
            raise ValueError(f"sample method must be one of {', '.join(METHODS)}")
        self.n, self.seed, self.method = n, seed, method
        self._points: object | None = None  # the quasi-random design, made when first needed
        self._dims: dict[str, int] = {}
        self._keys: dict[str, int] = {}  # per key path: the key of its stream

    def __repr__(self) -> str:
        return f"Sample({self.n}, seed={self.seed}, method={self.method!r})"

    def __getstate__(self) -> tuple[int, int, str]:
        return (self.n, self.seed, self.method)

    def __setstate__(self, state: tuple[int, int, str]) -> None:
        self.__init__(*state)  # type: ignore[misc]

    def unit(self, index: int, sample: int, path: str, paths: Sequence[str]) -> float:
        """The u in (0, 1) of the key at `path` in config `index` (sample `sample`)."""
        if self.method == "random":
            key = self._keys.get(path)
            if key is None:
                key = self._keys[path] = _stream(self.seed, path)
            return _mix(key, index)
        points = self._design(paths)
        k = self._dims[path]
        u = float(points[sample][k])  # type: ignore[index]
        return min(max(u, _UNIT / 2), 1.0 - _UNIT)

    def units(self, path: str, start: int, stop: int, paths: Sequence[str]) -> list[float]:
        """`unit` of the key at `path` for configs `start..stop-1`, in one go."""
        if self.method != "random":
            n = self.n
            return [self.unit(i, i % n, path, paths) for i in range(start, stop)]
        key = self._keys.get(path)
        if key is None:
            key = self._keys[path] = _stream(self.seed, path)
        if stop - start >= 64 and (np := _numpy()) is not None:
            return _mix_array(np, key, start, stop)
        mask, gamma = _MASK, _GAMMA
        out = []
        z0 = key + gamma
        for i in range(start, stop):  # `_mix`, inline
            z = (z0 + i * gamma) & mask
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
            out.append((((z ^ (z >> 31)) >> 12) + 0.5) * _UNIT)
        return out

    def _design(self, paths: Sequence[str]) -> object:
        if self._points is None:
            self._dims = {p: k for k, p in enumerate(sorted(set(paths)))}
            self._points = qmc_points(self.method, max(1, len(self._dims)), self.n, self.seed)
        return self._points


def uniform_bits(seed: int, index: int, path: str) -> float:
    """A number in (0, 1) from (seed, index, path), by a counter-based
    generator (SplitMix64's output function over a Weyl sequence):

    - the key's stream: k = the first 8 bytes (big-endian) of BLAKE2b with an
      8-byte digest and the personalisation `mint-sample`, over the UTF-8 text
      `{seed}` NUL `{path}` (the seed as a decimal integer);
    - for config `index`: z = k + (index + 1) * 0x9E3779B97F4A7C15 mod 2**64, then
      z ^= z >> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >> 27; z *= 0x94D049BB133111EB;
      z ^= z >> 31 (each mod 2**64);
    - u = (the top 52 bits of z, plus one half) / 2**52, which is exact: so
      0 < u < 1 always.

    Only integer arithmetic: every platform gives the same bits."""
    return _mix(_stream(seed, path), index)


_PERSON = b"mint-sample"
_MASK = (1 << 64) - 1
_GAMMA = 0x9E3779B97F4A7C15


def _stream(seed: int, path: str) -> int:
    """The key of the stream of one key path under one seed."""
    digest = hashlib.blake2b(f"{seed}\0{path}".encode("utf-8"), digest_size=8, person=_PERSON).digest()
    return int.from_bytes(digest, "big")


def _mix(key: int, index: int) -> float:
    z = (key + (index + 1) * _GAMMA) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    return ((z >> 12) + 0.5) * _UNIT


_NUMPY: list[object] = []


def _numpy() -> object | None:
    """numpy, when it is installed (the `sampling` extra brings it): the same
    integer arithmetic on arrays; without it, the loop gives the same bits."""
    if not _NUMPY:
        try:
            import numpy
        except ImportError:  # pragma: no cover - numpy comes with the test extra
            _NUMPY.append(None)
        else:
            _NUMPY.append(numpy)
    return _NUMPY[0]


def _mix_array(np: object, key: int, start: int, stop: int) -> list[float]:
    """`_mix(key, i)` for i in start..stop-1, with numpy's uint64 arithmetic
    (which wraps mod 2**64 as `_mix` masks); the 52-bit integers convert to
    floats exactly, so the values are the loop's, bit for bit."""
    npm: Any = np
    u64 = npm.uint64
    with npm.errstate(over="ignore"):
        z = npm.arange(start + 1, stop + 1, dtype=u64) * u64(_GAMMA) + u64(key & _MASK)
        z = (z ^ (z >> u64(30))) * u64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> u64(27))) * u64(0x94D049BB133111EB)
        z = z ^ (z >> u64(31))
        out: list[float] = (((z >> u64(12)).astype(npm.float64) + 0.5) * _UNIT).tolist()
    return out


def quasi_random_available() -> bool:
    """Whether `scipy.stats.qmc` can be imported (without importing it)."""
    import importlib.util

    try:
        return importlib.util.find_spec("scipy") is not None
    except (ImportError, ValueError):  # a module set to None in sys.modules, a broken install
        return False


class MissingExtra(ImportError):
    """A quasi-random method was asked for without scipy installed."""


def qmc_points(method: str, d: int, n: int, seed: int) -> object:
    """The n x d design of a quasi-random method, from `scipy.stats.qmc`."""
    try:
        from scipy.stats import qmc
    except ImportError as exc:  # pragma: no cover - tested by hiding scipy
        raise MissingExtra(f"`sample ... {method}` needs scipy: pip install 'spearmint-lang[sampling]'") from exc
    import warnings

    if method == "sobol":
        engine = qmc.Sobol(d, scramble=True, rng=seed)
    elif method == "halton":
        engine = qmc.Halton(d, scramble=True, rng=seed)
    else:
        engine = qmc.LatinHypercube(d, rng=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Sobol's balance warning for n not a power of 2: the docs say it
        return engine.random(n)


def sampled_paths(template: Template) -> list[str]:
    """The key paths of the distributions of a document, sorted: the
    dimensions of its quasi-random design. A key of a `variants`
    alternative, or of an object a sweep chooses, is at its key's place."""
    found: set[str] = set()
    stack: list[tuple[Json, str]] = [(template, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, Distribution):
            found.add(path)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    stack.append((item, path + "." + key if path else key))
                else:  # a slot: `variants` and `zip` merge their keys in place
                    stack.append((item, path))
        elif isinstance(value, Variants):
            stack.extend((alt, path) for alt in value.alternatives)
        elif isinstance(value, DynamicValue) and isinstance(value.values, list):  # (a range holds no dict)
            stack.extend((item, path) for item in value.values if isinstance(item, dict))
    return sorted(found)


def draw(config: Config, sample: Sample, index: int, paths: Sequence[str]) -> Config:
    """`config` with each distribution (at any depth) replaced by its value
    for config `index` of the document (in place; returns it)."""
    s = index % sample.n
    stack: list[tuple[dict[str, Json], str]] = [(config, "")]
    while stack:
        obj, prefix = stack.pop()
        for key, value in obj.items():
            path = prefix + key
            if isinstance(value, Distribution):
                obj[key] = value.value(sample.unit(index, s, path, paths))
            elif isinstance(value, dict):
                stack.append((value, path + "."))
    return config


__all__ = ["Choice", "Distribution", "LogNormal", "LogUniform", "METHODS", "MissingExtra", "Normal", "RandInt",
           "quasi_random_available",
           "Sample", "Uniform", "draw", "sampled_paths", "uniform_bits"]


def _mint_literal(value: Json) -> str:
    """A value as `.mint` writes it (JSON is `.mint`)."""
    return json.dumps(value, ensure_ascii=False)


def mint_form(dist: Distribution) -> str:
    """A distribution as `.mint` writes it: `loguniform(1e-05, 0.1)`,
    `uniform(0, 1) step 0.05`, `choice(["a", "b"], weights: [3, 1])`."""
    if isinstance(dist, Choice):
        weights = "" if dist.weights is None else f", weights: [{', '.join(_mint_literal(w) for w in dist.weights)}]"
        return f"choice([{', '.join(_mint_literal(v) for v in dist.values)}]{weights})"
    if isinstance(dist, (Normal, LogNormal)):
        args: tuple[Json, ...] = (dist.mu, dist.sigma)
    elif isinstance(dist, (Uniform, LogUniform, RandInt)):
        args = (dist.a, dist.b)
    else:
        args = ()
    step = "" if dist.step is None else f" step {dist.step}"
    return f"{dist.name}({', '.join(_mint_literal(a) for a in args)}){step}"
