"""`where` filters in the front end: checked against the paths and types a
document can produce (before expanding anything), then compiled to the
span-free form of `predicate`.
"""

from __future__ import annotations

import difflib
import re

from . import nodes as n
from .codes import Code
from .dynamic import DynamicValue, Json, Template, Variants, Zip
from .errors import Collector, did_you_mean
from .predicate import ORDER, Cmp, Const, Expr, Get, Join, Negate, OneOf, kind_of
from .ranges import Indexed
from .sampling import Choice, Distribution

Kinds = dict[tuple[str, ...], set[str]]
SAMPLED = "sampled"  # the kind of a key whose value a distribution draws (after `where` filters)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # a part of a path (the grammar's NAME)


def path_kinds(template: Template) -> Kinds:
    """Every key path any config of `template` can have, with its types."""
    found: Kinds = {}
    _walk(template, (), found)
    return found


def _note(path: tuple[str, ...], value: Json, found: Kinds) -> None:
    if isinstance(value, Distribution):
        _drawn(path, value, found)
        return
    found.setdefault(path, set()).add(kind_of(value))
    if isinstance(value, dict):
        _walk(value, path, found)


def _drawn(path: tuple[str, ...], value: Json, found: Kinds) -> None:
    """A sampled key, and every path inside the objects a `choice` draws."""
    found.setdefault(path, set()).add(SAMPLED)
    options = value.values if isinstance(value, Choice) else [value] if isinstance(value, dict) else []
    for option in options:
        if isinstance(option, dict):
            for key, inner in option.items():
                if isinstance(key, str):
                    _drawn(path + (key,), inner, found)


def _walk(obj: Template, prefix: tuple[str, ...], found: Kinds) -> None:
    for key, value in obj.items():
        if isinstance(value, Zip):
            for col, vals in value.columns.items():
                for v in _sample(vals):
                    _note(prefix + (col,), v, found)
            continue
        if isinstance(value, Variants):
            for alt in value.alternatives:
                _walk(alt, prefix, found)
            continue
        if not isinstance(key, str):
            continue  # a `where` slot
        path = prefix + (key,)
        if isinstance(value, DynamicValue):
            for v in _sample(value.values):
                if isinstance(v, dict):
                    found.setdefault(path, set()).add("object")
                    _walk(v, path, found)
                else:
                    _note(path, v, found)
        else:
            _note(path, value, found)


def _sample(values: Json) -> list[Json]:
    """Values whose types stand for the whole sweep (a range: its first)."""
    if isinstance(values, Indexed):  # (a range, the lists of a list holding sweeps)
        return [values[0]] if values.size else []
    return list(values)


def required_paths(template: Template) -> set[tuple[str, ...]]:
    """The key paths every config of `template` has."""
    found: set[tuple[str, ...]] = set()
    _required(template, (), found)
    return found


def _required(obj: Template, prefix: tuple[str, ...], found: set[tuple[str, ...]]) -> None:
    for key, value in obj.items():
        if isinstance(value, Zip):
            found.update(prefix + (col,) for col in value.columns)
        elif isinstance(value, Variants):
            alternatives = []
            for alt in value.alternatives:
                each: set[tuple[str, ...]] = set()
                _required(alt, prefix, each)
                alternatives.append(each)
            if alternatives:
                found |= set.intersection(*alternatives)
        elif isinstance(key, str):
            path = prefix + (key,)
            found.add(path)
            if isinstance(value, dict):
                _required(value, path, found)
            elif isinstance(value, DynamicValue) and not isinstance(value.values, Indexed):
                values = list(value.values)
                if values and all(isinstance(v, dict) for v in values):
                    inner = []
                    for v in values:
                        each = set()
                        _required(v, path, each)
                        inner.append(each)
                    found |= set.intersection(*inner)


def check_where(where: n.Where, template: Template, errors: Collector) -> bool:
    """Report unknown paths and comparisons of unlike types; True if clean.
    A path that only some configs have is a warning (W002)."""
    kinds = path_kinds(template)
    before = errors.errors()
    _check(where.expr, kinds, errors)
    if errors.errors() != before:
        return False
    required = required_paths(template)
    warned: set[tuple[str, ...]] = set()
    for path in n.walk(where.expr):
        if isinstance(path, n.Path) and path.parts not in required and path.parts not in warned:
            warned.add(path.parts)
            dotted = ".".join(path.parts)
            errors.warn(Code.W002, f"some configs have no `{dotted}`: for them, `==`, `<`, `in` and the like on it "
                        "are false, and `!=` and `not in` true", path.span,
                        hint=f"set `{dotted}` in every `variants` alternative (or swept object) if every config should have it")
    return True


def _operand_kinds(expr: n.Expr, kinds: Kinds, errors: Collector) -> set[str] | None:
    if isinstance(expr, n.Path):
        if expr.parts not in kinds:
            # Only paths a `where` can spell: every key an identifier.
            names = [".".join(p) for p in kinds if all(_NAME.fullmatch(part) for part in p)]
            close = difflib.get_close_matches(".".join(expr.parts), names, n=1, cutoff=0.6)
            errors.error(
                Code.E065, f"no config has the key `{'.'.join(expr.parts)}`", expr.span,
                hint=did_you_mean(expr.span, close[0]) if close else "a `where` path names keys of the configs, like `llm.model`",
            )
            return None
        if SAMPLED in kinds[expr.parts]:
            errors.error(
                Code.E093, f"`{'.'.join(expr.parts)}` is sampled: its value is drawn after `where` has filtered the "
                "configs, so `where` cannot test it", expr.span,
                hint="filter on swept keys only; to limit a sampled key, narrow its distribution",
            )
            return None
        return kinds[expr.parts]
    if isinstance(expr, n.Literal):
        return {kind_of(literal(expr.value))}
    _check(expr, kinds, errors)
    return {"bool"}


def _check(expr: n.Expr, kinds: Kinds, errors: Collector) -> None:
    for node in n.walk(expr):  # TODO(issue 13): in progress
        if isinstance(node, (n.Binary, n.Negative, n.IfElse, n.Call, n.Interpolated, n.Ref)) or \
                isinstance(node, n.Contains) and not isinstance(node.options, n.ListValue):
            errors.error(Code.E095, "not supported yet", node.span)
            return
    if isinstance(expr, n.Compare):
        left = _operand_kinds(expr.left, kinds, errors)
        right = _operand_kinds(expr.right, kinds, errors)
        if left is None or right is None:
            return
        if expr.op in ORDER:
            usable = (left | right) - {"number", "string"}
            if usable or not (left & right):
                errors.error(Code.E066, f"`{expr.op}` compares numbers or strings of one kind, not {_names(left)} with {_names(right)}",
                             expr.span)
                return
        if not (left & right) and "null" not in left | right:
            errors.error(Code.E066, f"this compares {_names(left)} with {_names(right)}, which is never equal", expr.span,
                         hint="compare a key with a value of its own type")
    elif isinstance(expr, n.Contains):
        assert isinstance(expr.options, n.ListValue)
        left = _operand_kinds(expr.operand, kinds, errors)
        for item in expr.options.items:
            if not isinstance(item, (n.Str, n.Number, n.Bool, n.Null)):
                errors.error(Code.E067, "`in [...]` takes a list of literal values", item.span)
            elif left is not None and kind_of(literal(item)) not in left and kind_of(literal(item)) != "null":
                errors.error(Code.E066, f"this value is {_names({kind_of(literal(item))})}, but the key is {_names(left)}", item.span)
    elif isinstance(expr, n.Not):
        _check(expr.operand, kinds, errors)
    elif isinstance(expr, n.BoolOp):
        for op in expr.operands:
            _check(op, kinds, errors)
    elif isinstance(expr, n.Path):
        _operand_kinds(expr, kinds, errors)


def _names(kinds: set[str]) -> str:
    words = {"number": "a number", "string": "a string", "bool": "a boolean", "null": "null", "list": "a list", "object": "an object"}
    return " or ".join(words[k] for k in sorted(kinds))


def literal(node: n.Str | n.Number | n.Bool | n.Null) -> Json:
    """The Python value of a literal node."""
    return None if isinstance(node, n.Null) else node.value


def compile_where(expr: n.Expr) -> Expr:
    """The span-free form of a checked expression (see `predicate`)."""
    if isinstance(expr, n.Path):
        return Get(expr.parts)
    if isinstance(expr, n.Literal):
        return Const(literal(expr.value))
    if isinstance(expr, n.Compare):
        return Cmp(expr.op, compile_where(expr.left), compile_where(expr.right))
    if isinstance(expr, n.Contains):
        assert isinstance(expr.options, n.ListValue)
        options = tuple(literal(i) for i in expr.options.items if isinstance(i, (n.Str, n.Number, n.Bool, n.Null)))
        return OneOf(compile_where(expr.operand), options, expr.negated)
    if isinstance(expr, n.Not):
        return Negate(compile_where(expr.operand))
    assert isinstance(expr, n.BoolOp)
    return Join(expr.op == "and", tuple(compile_where(op) for op in expr.operands))
