"""AST to the seed's data model: plain dicts holding `DynamicValue`s.

This is where meaning is checked: duplicate keys, names, ranges and where a
sweep may stand. The result is exactly what a user would have written in
Python for spearmint, so `expand` serves both front ends.
"""

from __future__ import annotations

from typing import Any

from . import nodes as n
from .dynamic import DynamicValue
from .errors import Collector, Related
from .ranges import LinearRange, linear

_RANGE_ERRORS = {
    "zero-step": ("E030", "the step of a range cannot be 0", "use a positive step to count up or a negative one to count down"),
    "step-away": ("E031", "the step points away from the end of the range, so the range is empty", None),
    "float-without-step": ("E032", "a float range needs a step", "add one, e.g. `0.0..1.0 step 0.1`"),
}


# Constants as other languages spell them.
_CONSTANTS = {"true": "true", "false": "false", "null": "null", "none": "null", "nil": "null", "yes": "true", "no": "false"}


class Lowerer:
    """Lowers one file's documents, recording every error it finds."""

    def __init__(self, errors: Collector) -> None:
        self.errors = errors

    def file(self, ast: n.File) -> list[dict[str, Any]]:
        """One dict per non-empty document, in file order."""
        return [self.entries(doc.entries, swept=False) for doc in ast.documents if doc.entries]

    def entries(self, entries: tuple[n.Entry, ...], swept: bool) -> dict[str, Any]:
        """An object's entries in source order; a key defined twice is an error."""
        out: dict[str, Any] = {}
        seen: dict[str, n.Key] = {}
        for entry in entries:
            name = entry.key.name
            if name in seen:
                self.errors.error(
                    "E020",
                    f"key `{name}` is defined twice",
                    entry.key.span,
                    related=(Related(seen[name].span, f"`{name}` is first defined here"),),
                    hint="remove one of them, or sweep both values: `[a, b]*`",
                )
                continue
            seen[name] = entry.key
            out[name] = self.value(entry.value, sweep_ok=not swept, swept=swept)
        return out

    def value(self, value: n.Value, sweep_ok: bool, swept: bool = False) -> Any:
        """A value; `sweep_ok` says whether a sweep may stand here."""
        if isinstance(value, (n.Str, n.Number, n.Bool)):
            return value.value
        if isinstance(value, n.Null):
            return None
        if isinstance(value, n.ObjectValue):
            return self.entries(value.entries, swept)
        if isinstance(value, n.ListValue):
            return [self.value(item, sweep_ok=False, swept=True) for item in value.items]
        if isinstance(value, n.Ref):
            self.unknown_name(value)
            return None
        if not sweep_ok:
            self.errors.error(
                "E023",
                "a sweep can only stand as the value of a key, not inside a list",
                value.span,
                hint="sweep the whole list instead: `[[1, 2], [1, 3]]*`",
            )
            return None
        if isinstance(value, n.ListSweep):
            return self.list_sweep(value)
        return self.range(value)

    def list_sweep(self, sweep: n.ListSweep) -> DynamicValue[Any]:
        """`[...]*`; an empty sweep would silently give no configs."""
        if isinstance(sweep.items, n.Ref):
            self.unknown_name(sweep.items)
            return DynamicValue([])
        items = [self.value(item, sweep_ok=False, swept=True) for item in sweep.items.items]
        if not items:
            self.errors.error(
                "E022",
                "this sweep has no values, so the document would expand to nothing",
                sweep.span,
                hint="give at least one value, or use `[]` (no `*`) for an empty list",
            )
        return DynamicValue(items)

    def range(self, rng: n.RangeSweep) -> DynamicValue[Any]:
        """`start..end [step s]` with every rule of the design checked."""
        bounds = [rng.start, rng.end] + ([rng.step] if rng.step is not None else [])
        texts: list[str] = []
        for bound in bounds:
            if isinstance(bound, n.Ref):
                self.unknown_name(bound)
                return DynamicValue([])
            texts.append(bound.text)
        try:
            values: LinearRange = linear(texts[0], texts[1], texts[2] if len(texts) > 2 else None)
        except ValueError as exc:
            code, message, hint = _RANGE_ERRORS[str(exc)]
            if code == "E031":
                hint = _away_hint(rng, texts)
            where = rng.step.span if (rng.step is not None and code in ("E030", "E031")) else rng.span
            self.errors.error(code, message, where, hint=hint)
            return DynamicValue([])
        return DynamicValue(values)

    def unknown_name(self, ref: n.Ref) -> None:
        """A bare word in value position: most often a string missing its quotes."""
        constant = _CONSTANTS.get(ref.name.lower())
        hint = f"did you mean `{constant}`?" if constant else f'strings need quotes: "{ref.name}"'
        self.errors.error("E040", f"unknown name `{ref.name}`", ref.span, hint=hint)


def _away_hint(rng: n.RangeSweep, texts: list[str]) -> str:
    """Suggest the step with the sign flipped."""
    if rng.step is None:
        return f"to count down, give a negative step: `{texts[0]}..{texts[1]} step -1`"
    step = texts[2]
    flipped = step[1:] if step.startswith("-") else "-" + step
    return f"to go from {texts[0]} to {texts[1]}, use `step {flipped}`"


def lower(ast: n.File, errors: Collector) -> list[dict[str, Any]]:
    """The DynamicValue-bearing dicts of a file."""
    return Lowerer(errors).file(ast)
