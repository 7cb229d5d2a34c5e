"""AST to the seed's data model: plain dicts holding `DynamicValue`s (and
`Zip`, `Variants`, `Where` for the constructs beyond the seed).

This is where meaning is checked: duplicate keys, names, ranges, where a
sweep may stand, zip lengths, variant conflicts and `where` paths and types.
The result is what a user would write in Python, so `expand` serves both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from . import nodes as n
from .dynamic import DynamicValue, Variants, Where, Zip
from .expand import size_of
from .errors import Collector, Related
from .ranges import from_texts
from .source import Span

_RANGE_ERRORS = {
    "zero-step": ("E030", "the step of a range cannot be 0", "use a positive step to count up or a negative one to count down"),
    "step-away": ("E031", "the step points away from the end of the range, so the range is empty", None),
    "float-without-step": ("E032", "a float range needs a step", "add one, e.g. `0.0..1.0 step 0.1`, or `count n`"),
    "empty": ("E022", "this range has no values", "with `..<` the end is excluded: `0..<1` is just 0, `0..<0` is nothing"),
    "bad-count": ("E033", "`count` takes a whole number of at least 1", None),
    "count-one": ("E033", "`count 1` needs the start and the end to be equal", "use `count 2` or more for both ends"),
    "bad-factor": ("E033", "a geometric step `step *k` needs k > 0 and k != 1", "e.g. `1e-5..1e-1 step *10`"),
    "bad-geometric-start": ("E033", "a geometric range needs a nonzero start and an end of the same sign", "e.g. `1..1024 step *2`"),
    "too-many": ("E033", "this geometric range has more than 10,000 values", "use a larger factor, or a linear range"),
}

_MAX_ZIP = 10_000_000

# Constants as other languages spell them.
_CONSTANTS = {"true": "true", "false": "false", "null": "null", "none": "null", "nil": "null", "yes": "true", "no": "false"}


class Slot:
    """A dict key for a `zip`, `variants` or `where`: it can never collide
    with a user's key, and it is never emitted."""

    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label

    def __repr__(self) -> str:
        return f"<{self.label}>"


@attrs.define
class Base:
    """The single document of a file named by `extends`, lowered."""

    template: dict[Any, Any]
    keys: set[str]
    schema: n.Schema | None
    resolve: Callable[[n.Ref], n.Value | None]


# Loads the base document of `extends "path"` (the Str node locates errors).
LoadBase = Callable[[n.Str], "Base | None"]


def _no_extends(path: n.Str) -> Base | None:
    raise NotImplementedError  # pragma: no cover - the compiler passes a loader


class Lowerer:
    """Lowers one file's documents, recording every error it finds."""

    def __init__(self, errors: Collector, load_base: LoadBase = _no_extends) -> None:
        self.errors = errors
        self.lets: dict[str, n.Let] = {}
        self.load_base = load_base
        self.bases: list[Base] = []
        self.all_lets: dict[str, n.Key] = {}  # every `let` of the file, for hints

    def file(self, ast: n.File) -> list[dict[str, Any]]:
        """One dict per document that has entries, in file order."""
        return [lowered for lowered, _ in self.documents(ast)]

    def documents(self, ast: n.File) -> list[tuple[dict[Any, Any], n.Document]]:
        """Each document with content, lowered, beside its AST."""
        for doc in ast.documents:
            for item in doc.items:
                if isinstance(item, n.Let):
                    self.all_lets.setdefault(item.name.name, item.name)
        out = []
        for doc in ast.documents:
            lowered = self.document(doc)
            if any(isinstance(it, (n.Entry, n.Zip, n.Variants, n.Extends)) for it in doc.items):
                out.append((lowered, doc))
        return out

    def document(self, doc: n.Document) -> dict[Any, Any]:
        """A document: `extends`, its items, its schema, then `where` filters."""
        base: Base | None = None
        schemas = [it for it in doc.items if isinstance(it, n.Schema)]
        for index, item in enumerate(doc.items):
            if isinstance(item, n.Extends):
                if index != 0:
                    self.errors.error("E070", "`extends` must be the first line of its document", item.span,
                                      hint="move it to the top of the document")
                elif (base := self.load_base(item.path)) is not None:
                    self.bases.append(base)
        out, seen = self.items(doc.items, sweep_ok=True)
        if base is not None:
            out = self.merge(base, out, seen, doc.span)
        for extra in schemas[1:]:
            self.errors.error("E081", "a document has at most one `schema`", extra.span,
                              related=(Related(schemas[0].span, "the first schema is here"),))
        schema = schemas[0] if schemas else (base.schema if base else None)
        if schema is not None or any(isinstance(it, n.Where) for it in doc.items):
            from .schema import Checker, check_types  # only files that use them pay for them
            from .where import check_where, compile_where
        if schemas:
            check_types(schemas[0], self.errors)
        if schema is not None:
            checker = Checker(schema, self.errors, self.resolve_quiet, base.template if base else None)
            checker.items(schema.fields, doc.items, "")
            checker.required(schema.fields, doc.items, doc.span, base.keys if base else set())
        for item in doc.items:
            if isinstance(item, n.Where):
                if check_where(item, out, self.errors):
                    out[Slot("where")] = Where(compile_where(item.expr), "where")
        return out

    def merge(self, base: Base, derived: dict[Any, Any], seen: dict[str, Span], where: Span) -> dict[Any, Any]:
        """The base document with the derived entries laid over it: objects
        merge deeply, anything else is replaced in place."""
        spliced = _splice_keys(base.template)
        for name, span in seen.items():
            if name in spliced:
                self.errors.error("E072", f"`{name}` is set by a `zip` or `variants` of the extended file and cannot be overridden",
                                  span, hint="override the whole block in a copy of the base, or drop the key here")
        for key in _splice_keys(derived):
            if key in base.keys:
                self.errors.error("E072", f"`{key}` is set by the extended file and by a `zip` or `variants` here",
                                  seen.get(key, where))
        return _deep_merge(base.template, derived)

    def resolve_quiet(self, ref: n.Ref) -> n.Value | None:
        """A name's value without reporting (errors were reported once already)."""
        let = self.lets.get(ref.name)
        return let.value if let is not None else None

    def items(self, items: tuple[Any, ...], sweep_ok: bool) -> tuple[dict[Any, Any], dict[str, Span]]:
        """An object's items in source order, and where each key is set."""
        out: dict[Any, Any] = {}
        seen: dict[str, Span] = {}
        variants: list[tuple[n.Variants, list[dict[str, Span]]]] = []
        for item in items:
            if isinstance(item, n.Entry):
                if self._claim(item.key.name, item.key.span, seen):
                    out[item.key.name] = self.value(item.value, sweep_ok)
            elif isinstance(item, n.Let):
                self.define(item)
            elif isinstance(item, (n.Where, n.Extends, n.Schema)):
                continue  # handled by `document` once all keys are known
            elif not sweep_ok:
                self.errors.error("E023", "a sweep can only stand as the value of a key, not inside a list",
                                  item.span, hint="sweep the whole list instead")
            elif isinstance(item, n.Zip):
                out[Slot("zip")] = self.zip(item, seen)
            else:
                alts, keysets = self.variants(item)
                variants.append((item, keysets))
                out[Slot("variants")] = alts
        for block, keysets in variants:
            for keys in keysets:
                for name, span in keys.items():
                    if name in seen:
                        self.errors.error(
                            "E064", f"key `{name}` is set both here and by a `variants` alternative",
                            seen[name], related=(Related(span, f"the alternative sets `{name}` here"),),
                            hint="set it in every alternative instead, or only outside `variants`",
                        )
        return out, seen

    def _claim(self, name: str, span: Span, seen: dict[str, Span]) -> bool:
        """Record that `name` is set at `span`; a second time is E020."""
        if name in seen:
            self.errors.error(
                "E020", f"key `{name}` is defined twice", span,
                related=(Related(seen[name], f"`{name}` is first defined here"),),
                hint=f"remove one of them, or sweep both values: `{name}: [first, second]*`",
            )
            return False
        seen[name] = span
        return True

    # --- values ------------------------------------------------------------------
    def value(self, value: n.Value, sweep_ok: bool) -> Any:
        """A value; `sweep_ok` says whether a sweep may stand here."""
        if isinstance(value, (n.Str, n.Number, n.Bool)):
            return value.value
        if isinstance(value, n.Null):
            return None
        if isinstance(value, n.ObjectValue):
            return self.items(value.items, sweep_ok)[0]
        if isinstance(value, n.ListValue):
            return [self.value(item, sweep_ok=False) for item in value.items]
        if isinstance(value, n.Ref):
            target = self.resolve(value)
            return None if target is None else self.value(target, sweep_ok)
        if not sweep_ok:
            self.errors.error(
                "E023", "a sweep can only stand as the value of a key, not inside a list", value.span,
                hint="sweep the whole list instead: `[[1, 2], [1, 3]]*`",
            )
            return None
        if isinstance(value, n.ListSweep):
            return self.list_sweep(value)
        return self.range(value)

    def list_sweep(self, sweep: n.ListSweep) -> DynamicValue[Any]:
        """`[...]*` or `name*`; objects inside may hold sweeps of their own."""
        items = sweep.items
        if isinstance(items, n.Ref):
            target = self.resolve(items)
            if target is None:
                return DynamicValue([None])
            if not isinstance(target, n.ListValue):
                self.errors.error("E021", f"`*` sweeps a list, but `{items.name}` is not a list", items.span,
                                  hint=f"`{items.name}*` needs `{items.name}` to name a list, e.g. `let {items.name} = [1, 2]`")
                return DynamicValue([None])
            items = target
        values = [
            self.value(item, sweep_ok=isinstance(item, n.ObjectValue)) for item in items.items
        ]
        if not values:
            self.errors.error(
                "E022", "this sweep has no values, so the document would expand to nothing", sweep.span,
                hint="give at least one value, or use `[]` (no `*`) for an empty list",
            )
        return DynamicValue(values)

    def range(self, rng: n.RangeSweep) -> DynamicValue[Any]:
        """Every range form, with every rule of the design checked."""
        texts: list[str] = []
        for bound in (rng.start, rng.end, rng.step if rng.step is not None else rng.count):
            if bound is None:
                continue
            number = self.number(bound)
            if number is None:
                return DynamicValue([0])
            texts.append(number.text)
        try:
            values = from_texts(texts, rng.count is not None, rng.geometric, rng.exclusive)
        except ValueError as exc:
            code, message, hint = _RANGE_ERRORS[str(exc)]
            if str(exc) == "step-away":
                hint = _away_hint(rng, texts)
            third = rng.step if rng.step is not None else rng.count
            on_step = code in ("E030", "E031", "E033") and str(exc) != "bad-geometric-start"
            where = third.span if (third is not None and on_step) else rng.span
            self.errors.error(code, message, where, hint=hint)
            return DynamicValue([0])
        return DynamicValue(values)

    def number(self, bound: n.Number | n.Ref) -> n.Number | None:
        """A range bound: a number literal or a `let` name of one."""
        if isinstance(bound, n.Number):
            return bound
        let = self.lets.get(bound.name)
        if let is None:
            self.unknown_name(bound, bound=True)
            return None
        target = let.value
        if not isinstance(target, n.Number):
            self.errors.error("E016", f"a range bound must be a number, but `{bound.name}` is not", bound.span)
            return None
        return target

    # --- zip and variants ------------------------------------------------------------
    def zip(self, block: n.Zip, seen: dict[str, Span]) -> Zip:
        """Lists (or ranges) of equal length, paired position by position."""
        columns: dict[str, Any] = {}
        first: tuple[str, int, Span] | None = None
        for entry in block.entries:
            if not self._claim(entry.key.name, entry.key.span, seen):
                continue
            val = entry.value
            if isinstance(val, n.Ref):
                val = self.resolve(val) or n.ListValue((), val.span)
            if isinstance(val, n.ListSweep):
                val = val.items if isinstance(val.items, n.ListValue) else self.resolve(val.items) or n.ListValue((), val.span)
            if isinstance(val, n.ListValue):
                column: Any = [self.value(item, sweep_ok=False) for item in val.items]
            elif isinstance(val, n.RangeSweep):
                column = self.range(val).values
            else:
                self.errors.error("E061", f"`{entry.key.name}` in a `zip` must be a list or a range", entry.value.span,
                                  hint='e.g. `zip { provider: ["openai", "anthropic"], model: ["gpt-4", "claude"] }`')
                continue
            size = size_of(column)
            if size > _MAX_ZIP:
                self.errors.error("E061", f"`{entry.key.name}` has {size:,} values; a `zip` pairs at most {_MAX_ZIP:,}",
                                  entry.value.span)
                continue
            if first is None:
                first = (entry.key.name, size, entry.value.span)
            elif size != first[1]:
                self.errors.error(
                    "E063", f"`zip` lists differ in length: `{entry.key.name}` has {size} values, `{first[0]}` has {first[1]}",
                    entry.value.span, related=(Related(first[2], f"`{first[0]}` has {first[1]} values"),),
                    hint="every list in a `zip` pairs position by position, so all need the same length",
                )
            columns[entry.key.name] = column
        if first is not None and first[1] == 0:
            self.errors.error("E022", "this `zip` has no values, so the document would expand to nothing", block.span)
        return Zip(columns)

    def variants(self, block: n.Variants) -> tuple[Variants, list[dict[str, Span]]]:
        """Each alternative lowered with its own sweeps; and its keys."""
        alts = []
        keysets = []
        for alt in block.alternatives:
            lowered, keys = self.items(alt.items, sweep_ok=True)
            alts.append(lowered)
            keysets.append(keys)
        return Variants(alts), keysets

    # --- names ------------------------------------------------------------------------
    def define(self, let: n.Let) -> None:
        """`let NAME = value`; a name is defined once per file, and its value
        may only use names defined before it (so names never loop)."""
        name = let.name.name
        for ref in _refs(let.value):
            if ref.name == name:
                self.errors.error("E040", f"`{name}` cannot be defined in terms of itself", ref.span,
                                  hint="a `let` may only use names defined before it")
                self.lets[name] = n.Let(let.name, n.Null(let.value.span), let.span)
                return
            if ref.name not in self.lets:
                self.unknown_name(ref)
                self.lets[name] = n.Let(let.name, n.Null(let.value.span), let.span)
                return
        if name in self.lets:
            self.errors.error(
                "E041", f"`{name}` is already defined", let.name.span,
                related=(Related(self.lets[name].name.span, f"`{name}` is first defined here"),),
                hint="pick another name: a name is defined once per file",
            )
            return
        self.lets[name] = let

    def resolve(self, ref: n.Ref) -> n.Value | None:
        """The value a name stands for, or None after reporting E040."""
        let = self.lets.get(ref.name)
        if let is not None:
            return let.value
        self.unknown_name(ref)
        return None

    def unknown_name(self, ref: n.Ref, bound: bool = False) -> None:
        """A bare word in value position: a typo of a name, a name used
        before its `let`, or a string missing its quotes."""
        import difflib

        constant = _CONSTANTS.get(ref.name.lower())
        close = difflib.get_close_matches(ref.name, list(self.lets), n=1, cutoff=0.6)
        later = self.all_lets.get(ref.name)
        if later is not None and (later.span.line, later.span.column) > (ref.span.line, ref.span.column):
            hint = f"`{ref.name}` is defined later, on line {later.span.line}: a name must be defined before it is used"
        elif constant:
            hint = f"did you mean `{constant}`?"
        elif close:
            hint = f"did you mean `{close[0]}`?"
        elif bound:
            hint = "a range bound is a number, or the name of one defined with `let`"
        else:
            hint = f'strings need quotes: "{ref.name}"'
        self.errors.error("E040", f"unknown name `{ref.name}`", ref.span, hint=hint)


def _refs(value: Any) -> list[n.Ref]:
    """The names a value uses."""
    if isinstance(value, n.Ref):
        return [value]
    if isinstance(value, n.ListSweep):
        return _refs(value.items)
    if isinstance(value, n.ListValue):
        return [r for item in value.items for r in _refs(item)]
    if isinstance(value, n.ObjectValue):
        return [r for item in value.items for r in _refs(getattr(item, "value", None))]
    if isinstance(value, n.RangeSweep):
        return [b for b in (value.start, value.end, value.step, value.count) if isinstance(b, n.Ref)]
    return []


def _splice_keys(template: dict[Any, Any]) -> set[str]:
    """Keys that a document's `zip` and `variants` blocks set."""
    keys: set[str] = set()
    for value in template.values():
        if isinstance(value, Zip):
            keys.update(value.columns)
        elif isinstance(value, Variants):
            for alt in value.alternatives:
                keys.update(k for k in alt if isinstance(k, str))
    return keys


def _deep_merge(base: dict[Any, Any], over: dict[Any, Any]) -> dict[Any, Any]:
    out = dict(base)
    for key, value in over.items():
        current = out.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            out[key] = _deep_merge(current, value)
        else:
            out[key] = value
    return out


def _away_hint(rng: n.RangeSweep, texts: list[str]) -> str:
    """Suggest the step with the sign flipped."""
    if len(texts) < 3:
        return f"to count down, give a negative step: `{texts[0]}..{texts[1]} step -1`"
    step = texts[2]
    if rng.geometric:
        return f"to go from {texts[0]} to {texts[1]}, the factor must be {'above' if abs(float(texts[1])) > abs(float(texts[0])) else 'below'} 1"
    flipped = step[1:] if step.startswith("-") else "-" + step
    return f"to go from {texts[0]} to {texts[1]}, use `step {flipped}`"


def lower(ast: n.File, errors: Collector, load_base: LoadBase = _no_extends) -> list[dict[str, Any]]:
    """The DynamicValue-bearing dicts of a file."""
    return Lowerer(errors, load_base).file(ast)
