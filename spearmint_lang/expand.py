"""Expansion with the seed's semantics, and spearmint's `config_id`.

Sweeps are found depth-first in key order; configs are their Cartesian
product in `itertools.product` order (last sweep fastest). Unlike
spearmint-framework 0.2.1 we never deep-copy a `DynamicValue` (its copy of a
generator fails to pickle) and we file every sweep under its own path.

Beyond the seed: a `DynamicValue` whose values are dicts holding sweeps
expands each of them (the axis is the concatenation); `Zip` and `Variants`
are axes whose values are dicts merged in place; `Where` filters.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import math
from collections.abc import Iterable, Iterator, Sequence

from .compute import Derivation
from .dynamic import Config, DynamicValue, Json, Template, Variants, Where, Zip
from .predicate import ComputeError
from .ranges import Indexed, LinearRange
from .sampling import Sample, draw, sampled_paths

_AXIS_TYPES = (DynamicValue, Zip, Variants)



def canonical(value: Json) -> str:
    """The JSON spearmint hashes for `config_id`: keys sorted, ASCII, and
    `str()` for what JSON cannot hold (ints and floats take a fast path that
    writes the same text)."""
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    return json.dumps(value, sort_keys=True, default=str)


def config_id(config: Config) -> str:
    """The id spearmint's `Config` computes: 16 hex digits of SHA-256."""
    return hashlib.sha256(canonical(config).encode("utf-8")).hexdigest()[:16]


Axis = DynamicValue[Json] | Zip | Variants | Sample


def axes(config: Template) -> list[Axis]:
    """The config's axes (DynamicValue, Zip, Variants), depth-first in key
    order, then its `Sample` (the sample index, innermost: each grid point's
    samples one after the other)."""
    found: list[Axis] = []
    _collect(config, found)
    sample = sampler(config)
    if sample is not None:
        found.append(sample)
    return found


def sampler(config: Template) -> Sample | None:
    """The `Sample` of a top-level config dict (under any key), if it has one."""
    return next((v for v in config.values() if isinstance(v, Sample)), None)


class Draws:
    """What a document with `Sample` needs to draw its configs' sampled
    values, and a document with computed values to compute them (after the
    draws: a computed value may read a sampled one)."""

    def __init__(self, template: Template) -> None:
        self.sample = sampler(template)
        self.paths = sampled_paths(template) if self.sample is not None else []
        self.derive = Derivation(template)

    def __call__(self, config: Config, index: int) -> Config:
        """Config `index` of the document (before `where`) with its values
        drawn and computed."""
        if self.sample is not None:
            config = draw(config, self.sample, index, self.paths)
        if self.derive:
            config = self.derive(config)
        return config


def _collect(obj: Template, found: list[Axis]) -> None:
    for value in obj.values():
        if isinstance(value, _AXIS_TYPES):
            found.append(value)
        elif isinstance(value, dict):
            _collect(value, found)


def wheres(obj: Template) -> list[Where]:
    """The `Where` filters of a config, at any depth."""
    found: list[Where] = []
    stack = [obj]
    while stack:
        for value in stack.pop().values():
            if isinstance(value, Where):
                found.append(value)
            elif isinstance(value, dict):
                stack.append(value)
    return found


def keeps(filters: list[Where], config: Config) -> bool:
    """Whether every filter holds for a filled config (before its `config_id`
    is added; one the document sets itself is seen)."""
    return all(w.predicate(config) for w in filters)


def _is_template(value: Json) -> bool:
    """A dict that itself holds axes: a swept object to expand."""
    if not isinstance(value, dict):
        return False
    return any(isinstance(v, _AXIS_TYPES) or _is_template(v) for v in value.values())


def _element_choices(value: Json) -> Sequence[Json]:
    """The values one element of a `ListCombos` stands for."""
    if isinstance(value, DynamicValue):
        return choices(value)
    if _is_template(value):
        return Combos(value)
    return [value]


def _values(dv: DynamicValue[Json]) -> Sequence[Json]:
    """A sweep's values as a sequence; a generator is consumed exactly once."""
    vals = dv.values
    if isinstance(vals, Sequence) and not isinstance(vals, (str, bytes)):
        return vals
    materialised = list(vals)
    dv.values = materialised  # a second expansion must see the same values
    return materialised


_EAGER = 65_536  # a nested axis of at most this many values is built as a list (faster to iterate)


class Lazy(Indexed[Json]):
    """A nested axis's values (a swept object's configs, a zip's rows, the
    alternatives of `variants`), computed by index, never held."""

    __slots__ = ()


class Concat(Lazy):
    """Sequences one after the other (a swept object's configs beside plain
    values; the alternatives of `variants`)."""

    def __init__(self, parts: list[Sequence[Json]]) -> None:
        self.parts = parts
        self.offsets = [0]
        for part in parts:
            self.offsets.append(self.offsets[-1] + size_of(part))
        self.size = self.offsets[-1]

    def value(self, index: int) -> Json:
        at = bisect.bisect_right(self.offsets, index) - 1
        return self.parts[at][index - self.offsets[at]]

    def __iter__(self) -> Iterator[Json]:
        return itertools.chain.from_iterable(self.parts)


class Rows(Lazy):
    """The rows of a `Zip`: row i holds the i-th value of every column."""

    def __init__(self, columns: dict[str, Sequence[Json]]) -> None:
        lengths = {k: size_of(v) for k, v in columns.items()}
        if len(set(lengths.values())) > 1:
            detail = ", ".join(f"{k}: {n}" for k, n in lengths.items())
            raise ValueError(f"Zip lists have different lengths ({detail})")
        self.columns = columns
        self.size = next(iter(lengths.values()), 0)

    def value(self, index: int) -> Json:
        return {k: col[index] for k, col in self.columns.items()}


def digits(index: int, sizes: Sequence[int]) -> list[int]:
    """`index` in the mixed radix of `sizes`, the last digit fastest: the
    position in each axis of the `index`-th combination."""
    out = [0] * len(sizes)
    for pos in range(len(sizes) - 1, -1, -1):
        index, out[pos] = divmod(index, sizes[pos])
    return out


class Combos(Lazy):
    """The plain dicts a template stands for, by index (mixed radix over
    its axes, the last fastest): a swept object's or an alternative's."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.choices = [choices(a) for a in axes(template)]
        self.sizes = [size_of(c) for c in self.choices]
        self.size = math.prod(self.sizes)

    def value(self, index: int) -> Json:
        picked = [c[d] for c, d in zip(self.choices, digits(index, self.sizes))]
        return fill(self.template, iter(picked))

    def __iter__(self) -> Iterator[Json]:
        return iter_template(self.template)


class ListCombos(Lazy):
    """The lists a list holding sweeps stands for (`[[64, 128]*, 32]` is
    `[64, 32]`, `[128, 32]`), by index: the product of its elements' values,
    the last element fastest, as keys are. It is the values of ONE axis,
    `DynamicValue(ListCombos([DynamicValue([64, 128]), 32]))`, whose Python
    equivalent is `DynamicValue([[64, 32], [128, 32]])`."""

    def __init__(self, elements: list[Json]) -> None:
        self.elements = elements
        self.choices = [_element_choices(e) for e in elements]
        self.sizes = [size_of(c) for c in self.choices]
        self.size = math.prod(self.sizes)

    def value(self, index: int) -> Json:
        return [_copy(c[d]) for c, d in zip(self.choices, digits(index, self.sizes))]

    def __iter__(self) -> Iterator[Json]:
        for combo in product_from(list(self.choices)):
            yield [_copy(v) for v in combo]

    def __repr__(self) -> str:
        return f"ListCombos({self.elements!r})"


def _column(z: Zip, key: str) -> Sequence[Json]:
    """A zip column as a sequence (an iterator is read once and kept)."""
    values = z.columns[key]
    if isinstance(values, Sequence) and not isinstance(values, (str, bytes)):
        return values
    kept = list(values)
    z.columns[key] = kept
    return kept


def _lazy(axis: Axis) -> Sequence[Json]:
    """The values one axis stands for, in order, none of them built."""
    if isinstance(axis, Sample):
        return range(axis.n)
    if isinstance(axis, Zip):
        return Rows({k: _column(axis, k) for k in list(axis.columns)})
    if isinstance(axis, Variants):
        return Concat([Combos(alt) for alt in axis.alternatives])
    values = _values(axis)
    if isinstance(values, (LinearRange, range, ListCombos)) or not any(_is_template(v) for v in values):
        return values
    return Concat([Combos(v) if _is_template(v) else [v] for v in values])


def choices(axis: Axis) -> Sequence[Json]:
    """The values one axis stands for, in order: a list when it is small,
    else computed by index as they are asked for."""
    values = _lazy(axis)
    if isinstance(values, Lazy) and values.size <= _EAGER:
        return list(values)
    return values


def size_of(values: Sequence[Json]) -> int:
    """A sequence's length, also beyond `sys.maxsize` (huge ranges)."""
    if isinstance(values, Indexed):
        return values.size
    if isinstance(values, range):
        return max(0, (values.stop - values.start + values.step - (1 if values.step > 0 else -1)) // values.step)
    return len(values)


def axis_count(axis: Axis) -> int:
    """How many values an axis stands for, without building them."""
    return size_of(_lazy(axis))


def count(config: Template) -> int:
    """How many configs `config` expands to (before any `Where`), exactly
    and without expanding it."""
    return math.prod(axis_count(axis) for axis in axes(config))


def fill(obj: Template, combo: Iterator[Json]) -> Config:
    """A fresh copy of `obj` with each axis replaced by its chosen value."""
    out: Config = {}
    for key, value in obj.items():
        if isinstance(value, (Zip, Variants)):
            for k, v in next(combo).items():
                if k in out:
                    raise ValueError(f"key {k!r} is set twice (by the config and by a Zip/Variants)")
                out[k] = _copy(v)
            continue
        if isinstance(value, (Where, Sample)):
            continue  # (a `Sample`'s value, the sample index, is last: it is left unread)
        if key in out:
            raise ValueError(f"key {key!r} is set twice (by the config and by a Zip/Variants)")
        if isinstance(value, DynamicValue):
            out[key] = _copy(next(combo))
        elif isinstance(value, dict):
            out[key] = fill(value, combo)
        else:
            out[key] = _copy(value)
    return out


def _copy(value: Json) -> Json:
    """Fresh containers, so that configs never share a mutable list or dict."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def product_from(seqs: list[Sequence[Json]], start: list[int] | None = None) -> Iterator[list[Json]]:
    """`itertools.product` order, starting at the given per-axis indices,
    without materialising any axis: a range of any size costs nothing until
    its values are used. Yields the same (mutated) list each time."""
    sizes = [size_of(s) for s in seqs]
    if any(size == 0 for size in sizes):
        return
    digits = list(start) if start is not None else [0] * len(seqs)
    current = [s[d] for s, d in zip(seqs, digits)]
    while True:
        yield current
        pos = len(seqs) - 1
        while pos >= 0:
            digits[pos] += 1
            if digits[pos] < sizes[pos]:
                current[pos] = seqs[pos][digits[pos]]
                break
            digits[pos] = 0
            current[pos] = seqs[pos][0]
            pos -= 1
        if pos < 0:
            return


def iter_template(template: Template) -> Iterator[Config]:
    """The plain dicts a template stands for (no `config_id`, no filter,
    computed values not computed)."""
    value_lists = [choices(axis) for axis in axes(template)]
    sample = sampler(template)
    if sample is not None:  # (computed values are computed by `iter_config`, after `where`)
        paths = sampled_paths(template)
        for index, chosen in enumerate(product_from(value_lists)):
            yield draw(fill(template, iter(chosen)), sample, index, paths)
        return
    if all(isinstance(v, list) for v in value_lists):
        for combo in itertools.product(*value_lists):
            yield fill(template, iter(combo))
        return
    for chosen in product_from(value_lists):
        yield fill(template, iter(chosen))


def with_id(config: Config) -> Config:
    """The config with spearmint's `config_id` as its last key, unless it sets one."""
    if "config_id" not in config:
        config["config_id"] = config_id(config)
    return config


def iter_config(config: Template) -> Iterator[Config]:
    """The configs of one DynamicValue-bearing dict, lazily, with ids."""
    if not isinstance(config, dict):
        raise TypeError(f"each config must be a dict, not {type(config).__name__}")
    filters = wheres(config)
    derive = Derivation(config)
    kept = 0
    for out in iter_template(config):
        if filters and not keeps(filters, out):
            continue
        if derive:
            try:
                derive(out)
            except ComputeError as exc:
                exc.index = kept  # (`iter_configs` counts the documents before)
                raise
        kept += 1
        yield with_id(out)


def iter_configs(configs: Iterable[Template]) -> Iterator[Config]:
    """All configs of a `configs` list, documents in order."""
    if isinstance(configs, dict):
        raise TypeError("expand() takes a list of config dicts; wrap a single dict in [...]")
    done = 0
    for config in configs:
        try:
            for out in iter_config(config):
                done += 1
                yield out
        except ComputeError as exc:
            exc.index = done
            raise


def expand(configs: Iterable[Template]) -> list[Config]:
    """Expand DynamicValue-bearing dicts exactly as spearmint does.

    `DynamicValue` may wrap a list, a range, a generator or any iterable and
    stand at any depth of nested dicts; each config gets `config_id` as its
    last key unless it sets one itself. `Zip`, `Variants` and `Where` add
    paired axes, alternatives and filters.
    """
    return list(iter_configs(configs))
