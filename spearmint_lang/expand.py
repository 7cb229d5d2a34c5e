"""Expansion with the seed's semantics, and spearmint's `config_id`.

Sweeps are found depth-first in key order; configs are their Cartesian
product in `itertools.product` order (last sweep fastest). Unlike
spearmint-framework 0.2.1 we never deep-copy a `DynamicValue` (its copy of a
generator fails to pickle) and we file every sweep under its own path.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .dynamic import DynamicValue


def config_id(config: dict[str, Any]) -> str:
    """The id spearmint's `Config` computes: 16 hex digits of SHA-256."""
    canonical = json.dumps(config, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def axes(config: dict[str, Any]) -> list[DynamicValue[Any]]:
    """The config's sweeps, depth-first in key order."""
    found: list[DynamicValue[Any]] = []
    _collect(config, found)
    return found


def _collect(obj: dict[str, Any], found: list[DynamicValue[Any]]) -> None:
    for value in obj.values():
        if isinstance(value, DynamicValue):
            found.append(value)
        elif isinstance(value, dict):
            _collect(value, found)


def _values(dv: DynamicValue[Any]) -> Sequence[Any]:
    """A sweep's values as a sequence; a generator is consumed exactly once."""
    vals = dv.values
    if isinstance(vals, Sequence) and not isinstance(vals, (str, bytes)):
        return vals
    materialised = list(vals)
    dv.values = materialised  # a second expansion must see the same values
    return materialised


def count(config: dict[str, Any]) -> int:
    """How many configs `config` expands to, without expanding it."""
    total = 1
    for dv in axes(config):
        total *= len(_values(dv))
    return total


def _fill(obj: dict[str, Any], combo: Iterator[Any]) -> dict[str, Any]:
    """A fresh copy of `obj` with each sweep replaced by the next chosen value."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
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


def iter_config(config: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The configs of one DynamicValue-bearing dict, lazily, with ids."""
    if not isinstance(config, dict):
        raise TypeError(f"each config must be a dict, not {type(config).__name__}")
    value_lists = [_values(dv) for dv in axes(config)]
    for combo in itertools.product(*value_lists):
        out = _fill(config, iter(combo))
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
    last key unless it sets one itself.
    """
    return list(iter_configs(configs))
