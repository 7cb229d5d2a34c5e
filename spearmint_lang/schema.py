"""`schema { ... }`: every value any config can take is checked before
expansion, at the literal that breaks the rule (inside sweeps too).

Unknown keys get a "did you mean" (typos are the commonest config bug);
missing required keys are reported at the document. Hints that propose
text carry the fixes that write it: the key spelt right, a declaration of
a new key (its type inferred from the value), the `*` a list evidently
meant to be a sweep lacks, the `?` of an optional key.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

from . import nodes as n
from .codes import Code
from .dynamic import Json, Template
from .errors import Collector, Edit, Fix, Hint, Related, did_you_mean
from .ranges import exact, from_texts
from .sampling import Choice, Distribution, LogUniform, RandInt, Uniform
from .source import Span
from .predicate import kind_of
from .where import required_paths

TYPES = ("string", "int", "float", "bool", "null", "list", "object", "any")
Resolve = Callable[[n.Ref], "n.Value | None"]
Drawn = Callable[[n.Distribution], "Distribution | None"]  # a distribution node's lowered form
_ENUMERATED = 1000  # integer distributions with at most this many values are checked value by value
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_INDENT = "  "  # as `mintc fmt` indents


def check_types(schema: n.Schema, errors: Collector) -> None:
    """Unknown type names in the schema itself (E080)."""
    for field in schema.fields:
        _check_field_types(field, errors)


def _check_field_types(field: n.Field, errors: Collector) -> None:
    for alt in field.types:
        if isinstance(alt, n.TypeName) and alt.name not in TYPES:
            close = difflib.get_close_matches(alt.name, TYPES, n=1, cutoff=0.5)
            name = alt.span.source.at(alt.span.line, alt.span.column, len(alt.name))  # the name, not its bounds
            errors.error(Code.E080, f"unknown type `{alt.name}`", alt.span,
                         hint=did_you_mean(name, close[0]) if close else f"types are {', '.join(TYPES)}")
        elif isinstance(alt, n.TypeName) and alt.low is not None and alt.name not in ("int", "float"):
            errors.error(Code.E080, f"bounds `in a..b` apply to `int` and `float`, not `{alt.name}`", alt.span)
        elif isinstance(alt, n.TypeObject):
            for sub in alt.fields:
                _check_field_types(sub, errors)


def describe(field: n.Field) -> str:
    """The type of a field as the user wrote it."""
    return " | ".join(_describe_alt(a) for a in field.types)


def _describe_alt(alt: n.TypeAlt) -> str:
    if isinstance(alt, n.TypeObject):
        return "{...}"
    if isinstance(alt, n.TypeLiteral):
        v = alt.value
        if isinstance(v, n.Str):
            return f'"{v.value}"'
        if isinstance(v, n.Null):
            return "null"
        if isinstance(v, n.Bool):
            return "true" if v.value else "false"
        return v.text
    if alt.low is not None and alt.high is not None:
        lo = alt.low.text if isinstance(alt.low, n.Number) else alt.low.name
        hi = alt.high.text if isinstance(alt.high, n.Number) else alt.high.name
        return f"{alt.name} in {lo}{'..<' if alt.exclusive else '..'}{hi}"
    return alt.name


def _kind_ok(name: str, value: Json) -> bool:
    if name == "any":
        return True
    if name == "string":
        return isinstance(value, str)
    if name == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "bool":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if name == "list":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    return False


def _num(bound: n.Number | n.Ref | None, resolve: Resolve) -> Fraction | None:
    if bound is None:
        return None
    if isinstance(bound, n.Ref):
        target = resolve(bound)
        return exact(target.text) if isinstance(target, n.Number) else None
    return exact(bound.text)


def _as_float(bound: Fraction) -> float:
    """A bound rounded to the float the same literal would give (infinite if too large)."""
    try:
        return float(bound)
    except OverflowError:
        return float("inf") if bound > 0 else float("-inf")


class Checker:
    """Checks one document's items against a schema."""

    def __init__(self, schema: n.Schema, errors: Collector, resolve: Resolve,
                 base: Template | None = None, resolve_bounds: Resolve | None = None, drawn: Drawn | None = None) -> None:
        self.schema = schema
        self.errors = errors
        self.drawn: Drawn = drawn or (lambda node: None)
        self.resolve = resolve  # names in the document's values
        self.resolve_bounds = resolve_bounds or resolve  # names in the schema's bounds (its own file's)
        self.base = base or {}

    def inherited(self, path: str) -> set[str]:
        """Keys an extended file already sets in the object at `path`."""
        cur: Json = self.base
        for part in path.split("."):
            if not isinstance(cur, dict) or part not in cur:
                return set()
            cur = cur[part]
        # (with the keys its `zip` and every alternative of its `variants` set)
        return {p[0] for p in required_paths(cur)} if isinstance(cur, dict) else set()

    def items(self, owner: n.Schema | n.TypeObject, items: tuple[n.Node, ...], prefix: str,
              optional: bool = False) -> None:
        """Each entry against its field of `owner`; unknown keys are errors
        (`optional`: the entries are in a `variants` alternative, which not
        every config takes)."""
        by_name = {f.key.name: f for f in owner.fields}
        for item in n.merge_dotted(items):  # (`optimizer.lr: 0.1` beside `optimizer: {...}`: one object)
            if isinstance(item, n.Entry):
                self.entry(owner, by_name, item, prefix, optional)
            elif isinstance(item, n.Zip):
                for entry in item.entries:
                    field = self.field(owner, by_name, entry, prefix, optional, column=True)
                    if field is None:
                        continue
                    value = entry.value
                    if isinstance(value, n.Ref):
                        value = self.resolve(value) or value
                    if isinstance(value, n.ListValue):
                        for element in value.items:
                            self.value(field, element, prefix + entry.key.name)
                    else:
                        self.value(field, value, prefix + entry.key.name)
            elif isinstance(item, n.Variants):
                for alt in item.alternatives:
                    self.items(owner, alt.items, prefix, optional=True)

    def field(self, owner: n.Schema | n.TypeObject, by_name: dict[str, n.Field], entry: n.Entry, prefix: str,
              optional: bool, column: bool = False) -> n.Field | None:
        """The field of an entry's key; E082 (with its fixes) when there is none
        (`column`: the entry is a `zip` column, whose elements are the values)."""
        key = entry.key
        field = by_name.get(key.name)
        if field is None:
            close = difflib.get_close_matches(key.name, list(by_name), n=1, cutoff=0.6)
            if close:
                hint = did_you_mean(key.span, close[0], written(close[0]))
            else:
                declared = f"{written(key.name)}{'?' if optional else ''}: {self.inferred(entry.value, column)}"
                where = f"the schema of `{prefix[:-1]}`" if prefix else "the schema"
                fixes = (Fix(f"Add `{declared}` to {where}", (_declare(owner, declared),)),) + _remove(entry)
                hint = Hint("add it to the schema, or remove it", fixes)
            self.errors.error(Code.E082, f"the schema has no key `{prefix}{key.name}`", key.span, hint=hint)
        return field

    def entry(self, owner: n.Schema | n.TypeObject, by_name: dict[str, n.Field], entry: n.Entry, prefix: str,
              optional: bool) -> None:
        if isinstance(entry.value, n.Delete):
            return  # a deleted key has no value to check (`lower` checks what it removes)
        field = self.field(owner, by_name, entry, prefix, optional)
        if field is not None:
            self.value(field, entry.value, prefix + entry.key.name, whole=True)

    def inferred(self, value: n.Value, column: bool = False) -> str:
        """The schema type of the values a value can take, as the user would
        declare it (`int`, `float`, `string | null`, ...; `any` when mixed);
        of a `zip` column, the type of its elements."""
        if column:
            target = self.resolve(value) if isinstance(value, n.Ref) else value
            if isinstance(target, n.ListValue):
                value = n.ListSweep(target, target.span)
        kinds = self.kinds(value, 0)
        if kinds <= {"int", "float"} and kinds:
            kinds = {"float"} if "float" in kinds else kinds
        if len(kinds) == 2 and "null" in kinds:
            return f"{min(kinds - {'null'})} | null"
        return min(kinds) if len(kinds) == 1 else "any"

    def kinds(self, value: n.Value, depth: int) -> set[str]:
        """The schema types of the values a value can take (names followed
        `depth` times so far: a `let` refers only to names defined before it)."""
        if isinstance(value, n.Ref):
            target = self.resolve(value)
            return self.kinds(target, depth + 1) if target is not None and depth < 100 else set()
        if isinstance(value, n.ListSweep):
            items = self.resolve(value.items) if isinstance(value.items, n.Ref) else value.items
            if not isinstance(items, n.ListValue):
                return set()
            return set().union(*(self.kinds(element, depth + 1) for element in items.items))
        if isinstance(value, n.RangeSweep):
            values = self.range_values(value)  # (lazy: only its ends are read)
            return {"float" if isinstance(v, float) else "int" for v in (values[0], values[-1])} if values else set()
        if isinstance(value, n.Distribution):
            if value.name == "choice" and value.args:
                options = self.resolve(value.args[0]) if isinstance(value.args[0], n.Ref) else value.args[0]
                if isinstance(options, n.ListValue):
                    return set().union(*(self.kinds(element, depth + 1) for element in options.items))
                return set()
            drawn = self.drawn(value)
            return set() if drawn is None else {"int" if drawn_values(drawn)[2] else "float"}
        if isinstance(value, n.Str):
            return {"string"}
        if isinstance(value, n.Number):
            return {"float" if value.is_float else "int"}
        kind = _KINDS.get(type(value))
        return set() if kind is None else {kind}  # (a computed value: its type is known per config)

    def value(self, field: n.Field, value: n.Value, path: str, whole: bool = False) -> None:
        """Every value `value` can take must match one alternative of `field`
        (`whole`: `value` is its entry's whole value, not a part of it)."""
        if any(isinstance(a, n.TypeName) and a.name not in TYPES for a in field.types):
            return  # the schema itself is wrong (E080); do not cascade
        if isinstance(value, n.Derived):
            return  # a computed value: its type is checked by its expression's own checks (`derive`)
        if isinstance(value, n.Ref):
            target = self.resolve(value)
            if target is not None:
                self.value(field, target, path)
            return
        if isinstance(value, n.ListSweep):
            items = value.items
            if isinstance(items, n.Ref):
                target = self.resolve(items)
                if not isinstance(target, n.ListValue):
                    return
                items = target
            for element in items.items:
                self.value(field, element, path)
            return
        if isinstance(value, n.RangeSweep):
            self.range(field, value, path)
            return
        if isinstance(value, n.Distribution):
            self.distribution(field, value, path)
            return
        if isinstance(value, n.ObjectValue):
            nested = [a for a in field.types if isinstance(a, n.TypeObject)]
            if nested:
                self.items(nested[0], value.items, path + ".")
                self.required(nested[0].fields, value.items, value.span, self.inherited(path), path + ".")
                return
            if any(isinstance(a, n.TypeName) and a.name in ("object", "any") for a in field.types):
                return
            self.mismatch(field, value.span, path, "an object")
            return
        py = _python(value)
        if not any(self.matches(alt, py) for alt in field.types):
            hint = self.sweep_meant(field, value) if whole else None
            self.mismatch(field, value.span, path, _show(value), hint)

    def sweep_meant(self, field: n.Field, value: n.Value) -> Hint | None:
        """A list written as a key's value where the schema takes no list,
        but takes each of its elements: a sweep was evidently meant."""
        if not isinstance(value, n.ListValue) or not value.items:
            return None
        for element in value.items:
            if not isinstance(element, (n.Str, n.Number, n.Bool, n.Null)):
                return None
            if not any(self.matches(alt, _python(element)) for alt in field.types):
                return None
        text = value.span.text
        shown = text if len(text) <= 40 and "\n" not in text else "[...]"
        return Hint.edit(f"to sweep its values, add `*`: `{shown}*`", "Add `*` to sweep the list",
                         Edit.after(value.span, "*"))

    def range_values(self, rng: n.RangeSweep) -> Sequence[int | float]:
        """A range's values (none when a bound is not a number or the range is wrong)."""
        texts = []
        for b in (rng.start, rng.end, rng.step if rng.step is not None else rng.count):
            if b is None:
                continue
            num = self.resolve(b) if isinstance(b, n.Ref) else b
            if not isinstance(num, n.Number):
                return ()
            texts.append(num.text)
        try:
            return from_texts(texts, rng.count is not None, rng.geometric, rng.exclusive)
        except ValueError:
            return ()  # already reported by lowering

    def range(self, field: n.Field, rng: n.RangeSweep, path: str) -> None:
        """A range matches when its type does and its first and last values are in bounds."""
        values = self.range_values(rng)
        if not values:
            return
        for v in (values[0], values[-1]):
            if not any(self.matches(alt, v) for alt in field.types):
                self.mismatch(field, rng.span, path, f"a range reaching {v!r}")
                return

    def distribution(self, field: n.Field, node: n.Distribution, path: str) -> None:
        """Every value a distribution can draw must match the field: each
        value of a `choice`; else the type of its values and both ends of
        its support (each value, for an integer one with few)."""
        drawn = self.drawn(node)
        if drawn is None:
            return  # a mistake in its arguments, reported by lowering
        if isinstance(drawn, Choice):
            options = self.resolve(node.args[0]) if isinstance(node.args[0], n.Ref) else node.args[0]
            if isinstance(options, n.ListValue):
                for element in options.items:
                    self.value(field, element, path)
            return
        low, high, integer = drawn_values(drawn)
        hint: str | Hint | None = None
        text = node.span.text
        shown = f"`{text}`" if len(text) <= 40 and "\n" not in text else f"this `{node.name}`"
        if integer and math.isfinite(low) and math.isfinite(high):
            each = _multiples(drawn, low, high)
            if each is not None:
                for v in each:
                    if not any(self.matches(alt, v) for alt in field.types):
                        ints = [a for a in field.types if isinstance(a, n.TypeName) and _kind_ok(a.name, 0)]
                        hint = _within(node, ints, not any(self.matches(a, low) for a in ints),
                                       not any(self.matches(a, high) for a in ints)) if ints else None
                        self.mismatch(field, node.span, path, f"{shown}, which can draw {v}", hint)
                        return
                return
        kind: Json = 0 if integer else 0.0
        named = [a for a in field.types if isinstance(a, n.TypeName) and _kind_ok(a.name, kind)]
        if not named:
            hint = None
            if not integer and any(isinstance(a, n.TypeName) and a.name == "int" for a in field.types):
                hint = "draw integers with `randint(a, b)`, or round to them with `step 1`"
            self.mismatch(field, node.span, path, f"{shown}, which draws {'integers' if integer else 'floats'}", hint)
            return
        # Unquantised `uniform` and `loguniform` draw from [a, b): b itself is never drawn.
        top = math.nextafter(high, -math.inf) if drawn.step is None and isinstance(drawn, (Uniform, LogUniform)) else high
        if any(self.matches(alt, low) and self.matches(alt, top) for alt in named):
            return
        if math.isinf(low) or math.isinf(high):
            what = "any value" if math.isinf(low) and math.isinf(high) else \
                f"any value above {_number(low)}" if math.isinf(high) else f"any value below {_number(high)}"
            hint = f"`{node.name}` is unbounded: draw from `uniform(a, b)` within the bounds, or loosen the schema"
            self.mismatch(field, node.span, path, f"{shown}, which can draw {what}", hint)
            return
        too_low = not any(self.matches(alt, low) for alt in named)
        too_high = not any(self.matches(alt, top) for alt in named)
        what = f"from {_number(low)} to {_number(high)}" if too_low and too_high else \
            f"down to {_number(low)}" if too_low else f"up to {_number(high)}"
        self.mismatch(field, node.span, path, f"{shown}, which draws values {what}",
                      _within(node, named, too_low, too_high) or "keep the distribution within the schema's bounds")

    def matches(self, alt: n.TypeAlt, value: Json) -> bool:
        if isinstance(alt, n.TypeObject):
            return isinstance(value, dict)
        if isinstance(alt, n.TypeLiteral):
            lit = _python(alt.value)
            return kind_of(lit) == kind_of(value) and lit == value
        if not _kind_ok(alt.name, value):
            return False
        low, high = _num(alt.low, self.resolve_bounds), _num(alt.high, self.resolve_bounds)
        if low is not None and high is not None and alt.name in ("int", "float"):
            if isinstance(value, float):
                # A float is compared with the bounds as floats: `0.1` is inside
                # `0..0.1` though the float 0.1 is a little above one tenth.
                lo, hi = _as_float(low), _as_float(high)
                return lo <= value and (value < hi if alt.exclusive else value <= hi)
            exact = Fraction(value)
            return low <= exact and (exact < high if alt.exclusive else exact <= high)
        return True

    def mismatch(self, field: n.Field, span: Span, path: str, shown: str, hint: str | Hint | None = None) -> None:
        self.errors.error(Code.E083, f"`{path}` must be {describe(field)}, but this is {shown}", span,
                          hint=hint)

    def required(self, fields: tuple[n.Field, ...], items: tuple[n.Node, ...], span: Span,
                 inherited: set[str], prefix: str = "") -> None:
        """Required keys must be set in every config."""
        present = set(inherited)
        variant_blocks = []
        for item in n.merge_dotted(items):
            if isinstance(item, n.Entry):
                present.add(item.key.name)
            elif isinstance(item, n.Zip):
                present.update(e.key.name for e in item.entries)
            elif isinstance(item, n.Variants):
                variant_blocks.append(item)
        for field in fields:
            name = field.key.name
            if field.optional or name in present:
                continue
            in_all = bool(variant_blocks) and any(
                all(any(isinstance(it, (n.Entry,)) and it.key.name == name or isinstance(it, n.Zip) and any(e.key.name == name for e in it.entries) for it in alt.items)
                    for alt in block.alternatives)
                for block in variant_blocks
            )
            if in_all:
                continue
            at = span.first_char()
            self.errors.error(
                Code.E084, f"required key `{prefix}{name}` is missing", at,
                related=(Related(field.key.span, f"the schema requires `{name}` here"),),
                hint=Hint.edit(f"set `{name}`, or mark it optional in the schema with `?`: `{written(name)}?:`",
                               f"Mark `{name}` optional in the schema", Edit.after(field.key.span, "?")),
            )


def drawn_values(drawn: Distribution) -> tuple[float, float, bool]:
    """The least and the greatest value a (numeric) distribution draws, and
    whether its values are ints (`randint`, or a step written as an integer)."""
    low, high = drawn.support()
    step = drawn.step
    if step is None:
        if isinstance(drawn, RandInt):
            return low, high, True
        return float(low), float(high), False
    q = Fraction(Decimal(step))
    integer = not any(c in step for c in ".eE")
    ends: list[float] = []
    for end, rounding in ((low, math.ceil), (high, math.floor)):
        if math.isfinite(end):
            exact_end = rounding(Fraction(Decimal(repr(end))) / q) * q
            ends.append(int(exact_end) if integer else float(exact_end))
        else:
            ends.append(end)
    return ends[0], ends[1], integer


def _multiples(drawn: Distribution, low: float, high: float) -> list[int] | None:
    """The values of an integer distribution over [low, high], when few."""
    q = int(drawn.step) if drawn.step is not None else 1
    count = (int(high) - int(low)) // q + 1
    if count > _ENUMERATED:
        return None
    return [int(low) + i * q for i in range(count)]


def _within(node: n.Distribution, named: list[n.TypeName], too_low: bool, too_high: bool) -> Hint | None:
    """The same distribution with the schema's bounds as its own, when the
    bounds are literal and inclusive (`uniform(0, 3)` -> `uniform(0, 2.0)`)."""
    if len(named) != 1 or node.step is not None or node.name not in ("uniform", "loguniform", "randint"):
        return None
    alt = named[0]
    if not isinstance(alt.low, n.Number) or not isinstance(alt.high, n.Number) or alt.exclusive \
            or not all(isinstance(a, n.Number) for a in node.args) or len(node.args) != 2:
        return None
    texts = [a.span.text for a in node.args]
    if too_low:
        if node.name == "loguniform" and not alt.low.value > 0:
            return None
        texts[0] = alt.low.text
    if too_high:
        if node.name == "randint":
            if alt.high.is_float:
                return None
            texts[1] = str(int(alt.high.text) + 1)
        else:
            texts[1] = alt.high.text
    edits = [Edit(a.span, t) for a, t in zip(node.args, texts) if a.span.text != t]
    text = f"{node.name}({', '.join(texts)})"
    return Hint.edit(f"write `{text}` to stay within the bounds", f"Change to `{text}`", *edits)


def _number(value: float) -> str:
    return repr(value) if isinstance(value, float) else str(value)


_KINDS: dict[type, str] = {n.Bool: "bool", n.Null: "null", n.ListValue: "list", n.ObjectValue: "object"}


def written(key: str) -> str:
    """A key as `mintc fmt` writes it: bare when an identifier, else quoted."""
    return key if _IDENTIFIER.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _declare(owner: n.Schema | n.TypeObject, declaration: str) -> Edit:
    """The edit adding a field to a schema (or a nested `{ ... }` type) in
    its own layout: a line of its own before a `}` that stands alone,
    indented like the fields; else after the last field, `, ` on one line."""
    span = owner.span
    source = span.source
    fields = owner.fields
    brace = source.line(span.end_line)[: span.end_column - 2]  # the `}` line, before the `}`
    if not brace.strip() and span.end_line > span.line:
        first = source.line(fields[0].span.line) if fields else ""
        lead = first[: len(first) - len(first.lstrip(" \t"))]
        indent = lead if fields and len(lead) == fields[0].span.column - 1 else brace + _INDENT
        return Edit(Span(source, span.end_line, 1, span.end_line, 1), f"{indent}{declaration}\n")
    if not fields:
        return Edit(Span(source, span.end_line, span.end_column - 1, span.end_line, span.end_column - 1),
                    f"{declaration} " if brace.endswith((" ", "\t")) else f" {declaration} ")
    last = fields[-1].span
    if span.line == span.end_line:
        return Edit.after(last, f", {declaration}")
    line = source.line(last.line)
    return Edit.after(last, "\n" + line[: len(line) - len(line.lstrip(" \t"))] + declaration)


def _remove(entry: n.Entry) -> tuple[Fix, ...]:
    """The fix deleting an entry that fills its lines (a comment after it
    goes with it); none for an entry sharing a line with others."""
    span = entry.span
    source = span.source
    before = source.line(span.line)[: span.column - 1]
    after = source.line(span.end_line)[span.end_column - 1 :].strip()
    if before.strip() or (after and not after.startswith("#")):
        return ()
    if span.end_line < source.line_count:
        whole = Span(source, span.line, 1, span.end_line + 1, 1)
    else:
        whole = Span(source, span.line, 1, span.end_line, len(source.line(span.end_line)) + 1)
    return (Fix(f"Remove `{entry.key.span.text}`", (Edit(whole, ""),)),)


def _python(value: n.Value) -> Json:
    if isinstance(value, n.Null):
        return None
    if isinstance(value, (n.Str, n.Number, n.Bool)):
        return value.value
    if isinstance(value, n.ListValue):
        return []
    if isinstance(value, n.ObjectValue):
        return {}
    return None


def _show(value: n.Value) -> str:
    if isinstance(value, n.Str):
        text = json.dumps(value.value, ensure_ascii=False)
        return f"the string {text if len(text) <= 60 else text[:57] + '...'}"
    if isinstance(value, n.Number):
        return f"{'the float' if value.is_float else 'the int'} {value.text}"
    if isinstance(value, n.Bool):
        return "true" if value.value else "false"
    if isinstance(value, n.Null):
        return "null"
    if isinstance(value, n.ListValue):
        return "a list"
    return "an object"
