"""What a converted sweep is, and its `.mint` text.

Each converter (`wandb`, `hydra`, `tune`, `sklearn`) turns another tool's
sweep into a `Plan`: keys with fixed values, axes, distributions, nested
objects and `variants` alternatives, plus `sample N`. `to_mint` writes the
plan as `.mint` text in the formatter's layout; `mintc convert` then
compiles that text before printing it, so a conversion that does not
compile is a bug of mintc, never a file handed to the user.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Union

import attrs

from ..dynamic import Json
from ..fmt import format_source
from ..ranges import linear
from ..sampling import Distribution, mint_form


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@attrs.frozen
class Fixed:
    """A key's one value."""

    value: Json


@attrs.frozen
class Axis:
    """A list sweep (`[...]*`), or a range when `text` is set (`0..<10 step 2`)."""

    values: tuple[Json, ...]
    text: str | None = None


@attrs.frozen
class Drawn:
    """A distribution, drawn once per config."""

    dist: Distribution


@attrs.frozen
class Items:
    """A list whose elements hold sweeps (Ray Tune allows them): `[[64, 128]*, 32]`."""

    items: tuple[Value, ...]


@attrs.frozen
class Obj:
    """An object: keys in order. A key is a tuple of names; more than one
    is written dotted (`optimizer.lr: ...`, Hydra's spelling)."""

    entries: tuple[tuple[tuple[str, ...], Value], ...]


@attrs.frozen
class Alternatives:
    """`variants [...]`: each object expands on its own; the configs are
    theirs, in order."""

    alternatives: tuple[Obj, ...]


Value = Union[Fixed, Axis, Drawn, Items, Obj]


@attrs.frozen
class Plan:
    """A whole converted sweep: its body, `sample N seed S` when it draws,
    and the comment lines that head the file."""

    body: Obj | Alternatives
    sample: int | None = None
    seed: int = 0
    header: tuple[str, ...] = ()


def literal(value: Json) -> str:
    """A JSON value as `.mint` writes it (JSON is `.mint`); floats as Python
    prints them, which `.mint` reads back to the same float."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} has no .mint form")
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key_text(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


def key_text(key: str) -> str:
    """A key as `.mint` writes it: a name, else quoted."""
    return key if _NAME.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Value) -> str:
    if isinstance(value, Fixed):
        return literal(value.value)
    if isinstance(value, Axis):
        return value.text if value.text is not None else literal(list(value.values)) + "*"
    if isinstance(value, Drawn):
        return mint_form(value.dist)
    if isinstance(value, Items):
        return "[" + ", ".join(_value(v) for v in value.items) + "]"
    return "{" + ", ".join(_entry(path, v) for path, v in value.entries) + "}"


def _entry(path: tuple[str, ...], value: Value) -> str:
    return ".".join(key_text(k) for k in path) + ": " + _value(value)


def to_mint(plan: Plan) -> str:
    """The plan as `.mint` text, in the formatter's layout."""
    lines = [f"# {line}" if line else "#" for line in plan.header]
    if lines:
        lines.append("")
    if isinstance(plan.body, Alternatives):
        lines.append("variants [")
        lines.extend("  " + _value(alt) for alt in plan.body.alternatives)
        lines.append("]")
    else:
        lines.extend(_entry(path, value) for path, value in plan.body.entries)
    if plan.sample is not None:
        lines.append(f"sample {plan.sample}" + (f" seed {plan.seed}" if plan.seed else ""))
    return format_source("\n".join(lines) + "\n")


def grid_size(value: Value | Alternatives) -> int:
    """How many configs a plan's body gives before sampling."""
    if isinstance(value, Axis):
        return len(value.values)
    if isinstance(value, Alternatives):
        return sum(grid_size(alt) for alt in value.alternatives)
    parts = [v for _, v in value.entries] if isinstance(value, Obj) else list(value.items) if isinstance(
        value, Items) else []
    size = 1
    for part in parts:
        size *= grid_size(part)
    return size


def range_or_values(start: int | float, stop: int | float, step: int | float, values: Sequence[Json]) -> Axis:
    """The axis of the values another tool computes for `start` up to (not
    including) `stop` by `step`: written `start..<stop step s` when `.mint`'s
    exact range gives exactly those values, else as the list of them (a tool
    that adds floats one step at a time gives `0.8999999999999999` where the
    range gives `0.9`)."""
    texts = [_number(start), _number(stop), _number(step)]
    if all(t is not None for t in texts):
        a, b, s = (str(t) for t in texts)
        try:
            ours = list(linear(a, b, None if s == "1" else s, exclusive=True))
        except (ValueError, ArithmeticError):
            ours = None
        if ours is not None and _same(ours, values):
            return Axis(tuple(values), f"{a}..<{b}" + ("" if s == "1" else f" step {s}"))
    return Axis(tuple(values))


def _number(x: int | float) -> str | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return repr(x) if isinstance(x, float) else str(x)


def _same(ours: Sequence[Json], theirs: Sequence[Json]) -> bool:
    """Equal values of equal types (`1` is not `1.0`: their config_ids differ)."""
    return len(ours) == len(theirs) and all(type(a) is type(b) and a == b for a, b in zip(ours, theirs))
