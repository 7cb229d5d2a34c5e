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

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .dynamic import DynamicValue, Variants, Where, Zip
from .ranges import LinearRange

_AXIS_TYPES = (DynamicValue, Zip, Variants)


def config_id(config: dict[str, Any]) -> str:
    """The id spearmint's `Config` computes: 16 hex digits of SHA-256."""
    canonical = json.dumps(config, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def axes(config: dict[str, Any]) -> list[Any]:
    """The config's axes (DynamicValue, Zip, Variants), depth-first in key order."""
    found: list[Any] = []
    _collect(config, found)
    return found


def _collect(obj: dict[str, Any], found: list[Any]) -> None:
    for value in obj.values():
        if isinstance(value, _AXIS_TYPES):
            found.append(value)
        elif isinstance(value, dict):
            _collect(value, found)


def _wheres(obj: dict[str, Any], found: list[Where]) -> list[Where]:
    for value in obj.values():
        if isinstance(value, Where):
            found.append(value)
        elif isinstance(value, dict):
            _wheres(value, found)
    return found


def has_where(config: dict[str, Any]) -> bool:
    """Whether a config carries `Where` filters (its count is then an upper bound)."""
    return bool(_wheres(config, []))


def _is_template(value: Any) -> bool:
    """A dict that itself holds axes: a swept object to expand."""
    if not isinstance(value, dict):
        return False
    return any(isinstance(v, _AXIS_TYPES) or _is_template(v) for v in value.values())


def _values(dv: DynamicValue[Any]) -> Sequence[Any]:
    """A sweep's values as a sequence; a generator is consumed exactly once."""
    vals = dv.values
    if isinstance(vals, Sequence) and not isinstance(vals, (str, bytes)):
        return vals
    materialised = list(vals)
    dv.values = materialised  # a second expansion must see the same values
    return materialised


def _zip_rows(z: Zip) -> list[dict[str, Any]]:
    columns = {k: list(v) for k, v in z.columns.items()}
    lengths = {k: len(v) for k, v in columns.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k}: {n}" for k, n in lengths.items())
        raise ValueError(f"Zip lists have different lengths ({detail})")
    keys = list(columns)
    return [dict(zip(keys, row)) for row in zip(*columns.values())]


def choices(axis: Any) -> Sequence[Any]:
    """The values one axis stands for, in order."""
    if isinstance(axis, Zip):
        return _zip_rows(axis)
    if isinstance(axis, Variants):
        return [c for alt in axis.alternatives for c in iter_template(alt)]
    values = _values(axis)
    if isinstance(values, LinearRange) or not any(_is_template(v) for v in values):
        return values
    out: list[Any] = []
    for v in values:
        if _is_template(v):
            out.extend(iter_template(v))
        else:
            out.append(v)
    return out


def size_of(values: Sequence[Any]) -> int:
    """A sequence's length, also beyond `sys.maxsize` (huge ranges)."""
    return values.size if isinstance(values, LinearRange) else len(values)


def axis_count(axis: Any) -> int:
    """How many values an axis stands for, without building them."""
    if isinstance(axis, Zip):
        return len(_zip_rows(axis))
    if isinstance(axis, Variants):
        return sum(count(alt) for alt in axis.alternatives)
    values = _values(axis)
    if isinstance(values, LinearRange):
        return values.size
    return sum(count(v) if _is_template(v) else 1 for v in values)


def count(config: dict[str, Any]) -> int:
    """How many configs `config` expands to (before any `Where`), exactly
    and without expanding it."""
    total = 1
    for axis in axes(config):
        total *= axis_count(axis)
    return total


def _fill(obj: dict[str, Any], combo: Iterator[Any]) -> dict[str, Any]:
    """A fresh copy of `obj` with each axis replaced by its chosen value."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if isinstance(value, (Zip, Variants)):
            for k, v in next(combo).items():
                if k in out:
                    raise ValueError(f"key {k!r} is set twice (by the config and by a Zip/Variants)")
                out[k] = _copy(v)
            continue
        if isinstance(value, Where):
            continue
        if key in out:
            raise ValueError(f"key {key!r} is set twice (by the config and by a Zip/Variants)")
        if isinstance(value, DynamicValue):
            out[key] = _copy(next(combo))
        elif isinstance(value, dict):
            out[key] = _fill(value, combo)
        else:
            out[key] = _copy(value)
    return out


def _copy(value: Any) -> Any:
    """Fresh containers, so that configs never share a mutable list or dict."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def product_from(seqs: list[Sequence[Any]], start: list[int] | None = None) -> Iterator[list[Any]]:
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


def iter_template(template: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The plain dicts a template stands for (no `config_id`, no filter)."""
    value_lists = [choices(axis) for axis in axes(template)]
    if all(isinstance(v, list) for v in value_lists):
        for combo in itertools.product(*value_lists):
            yield _fill(template, iter(combo))
        return
    for chosen in product_from(value_lists):
        yield _fill(template, iter(chosen))


def iter_config(config: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The configs of one DynamicValue-bearing dict, lazily, with ids."""
    if not isinstance(config, dict):
        raise TypeError(f"each config must be a dict, not {type(config).__name__}")
    wheres = _wheres(config, [])
    for out in iter_template(config):
        if wheres and not all(w.predicate(out) for w in wheres):
            continue
        if "config_id" not in out:
            out["config_id"] = config_id(out)
        yield out


def iter_configs(configs: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """All configs of a `configs` list, documents in order."""
    if isinstance(configs, dict):
        raise TypeError("expand() takes a list of config dicts; wrap a single dict in [...]")
    for config in configs:
        yield from iter_config(config)


def expand(configs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Expand DynamicValue-bearing dicts exactly as spearmint does.

    `DynamicValue` may wrap a list, a range, a generator or any iterable and
    stand at any depth of nested dicts; each config gets `config_id` as its
    last key unless it sets one itself. `Zip`, `Variants` and `Where` add
    paired axes, alternatives and filters.
    """
    return list(iter_configs(configs))
