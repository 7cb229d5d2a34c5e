"""`where` filters: checked against the paths and types a document can
produce (before expanding anything), then compiled to a predicate.

A config lacking a path (e.g. a key only some variants set) makes every
comparison on that path false.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable
from typing import Any

from . import nodes as n
from .dynamic import DynamicValue, Variants, Zip
from .errors import Collector
from .ranges import LinearRange

_MISSING = object()
_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def kind_of(value: Any) -> str:
    """The type family a value belongs to, for comparisons."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "object"


def path_kinds(template: dict[Any, Any]) -> dict[tuple[str, ...], set[str]]:
    """Every key path any config of `template` can have, with its types."""
    found: dict[tuple[str, ...], set[str]] = {}
    _walk(template, (), found)
    return found


def _note(path: tuple[str, ...], value: Any, found: dict[tuple[str, ...], set[str]]) -> None:
    found.setdefault(path, set()).add(kind_of(value))
    if isinstance(value, dict):
        _walk(value, path, found)


def _walk(obj: dict[Any, Any], prefix: tuple[str, ...], found: dict[tuple[str, ...], set[str]]) -> None:
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


def _sample(values: Any) -> list[Any]:
    """Values whose types stand for the whole sweep (a range: its first)."""
    if isinstance(values, LinearRange):
        return [values[0]] if values.size else []
    return list(values)


def check_where(where: n.Where, template: dict[Any, Any], errors: Collector) -> bool:
    """Report unknown paths and comparisons of unlike types; True if clean."""
    kinds = path_kinds(template)
    before = len(errors.diagnostics)
    _check(where.expr, kinds, errors)
    return len(errors.diagnostics) == before


def _operand_kinds(expr: n.Expr, kinds: dict[tuple[str, ...], set[str]], errors: Collector) -> set[str] | None:
    if isinstance(expr, n.Path):
        if expr.parts not in kinds:
            names = [".".join(p) for p in kinds]
            close = difflib.get_close_matches(".".join(expr.parts), names, n=1, cutoff=0.6)
            errors.error(
                "E065", f"no config has the key `{'.'.join(expr.parts)}`", expr.span,
                hint=f"did you mean `{close[0]}`?" if close else "a `where` path names keys of the configs, like `llm.model`",
            )
            return None
        return kinds[expr.parts]
    if isinstance(expr, n.Literal):
        return {kind_of(_literal(expr))}
    _check(expr, kinds, errors)
    return {"bool"}


def _check(expr: n.Expr, kinds: dict[tuple[str, ...], set[str]], errors: Collector) -> None:
    if isinstance(expr, n.Compare):
        left = _operand_kinds(expr.left, kinds, errors)
        right = _operand_kinds(expr.right, kinds, errors)
        if left is None or right is None:
            return
        if expr.op in _ORDER:
            usable = (left | right) - {"number", "string"}
            if usable or not (left & right):
                errors.error("E066", f"`{expr.op}` compares numbers or strings of one kind, not {_names(left)} with {_names(right)}",
                             expr.span)
                return
        if not (left & right) and "null" not in left | right:
            errors.error("E066", f"this compares {_names(left)} with {_names(right)}, which is never equal", expr.span,
                         hint="compare a key with a value of its own type")
    elif isinstance(expr, n.Contains):
        left = _operand_kinds(expr.operand, kinds, errors)
        for item in expr.options.items:
            if not isinstance(item, (n.Str, n.Number, n.Bool, n.Null)):
                errors.error("E067", "`in [...]` takes a list of literal values", item.span)
            elif left is not None and kind_of(_value(item)) not in left and kind_of(_value(item)) != "null":
                errors.error("E066", f"this value is {_names({kind_of(_value(item))})}, but the key is {_names(left)}", item.span)
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


def _value(node: n.Str | n.Number | n.Bool | n.Null) -> Any:
    return None if isinstance(node, n.Null) else node.value


def _literal(expr: n.Literal) -> Any:
    return _value(expr.value)


def _equal(a: Any, b: Any) -> bool:
    """Equality that keeps booleans apart from 0 and 1."""
    return kind_of(a) == kind_of(b) and a == b


class Predicate:
    """A compiled `where`: evaluates the expression over a finished config.

    A plain object holding the expression (not a closure), so that a
    `Sweep` with `where` filters can be pickled and sent to workers.
    """

    __slots__ = ("expr",)

    def __init__(self, expr: n.Expr) -> None:
        self.expr = expr

    def __call__(self, config: dict[str, Any]) -> bool:
        return bool(_eval(self.expr, config))

    def __getstate__(self) -> n.Expr:
        return self.expr

    def __setstate__(self, state: n.Expr) -> None:
        self.expr = state


def compile_where(expr: n.Expr) -> Callable[[dict[str, Any]], bool]:
    """A predicate over a finished config."""
    return Predicate(expr)


def _get(parts: tuple[str, ...], config: dict[str, Any]) -> Any:
    cur: Any = config
    for p in parts:
        if not isinstance(cur, dict) or p not in cur:
            return _MISSING
        cur = cur[p]
    return cur


def _eval(expr: n.Expr, config: dict[str, Any]) -> Any:
    """The value of `expr` for `config` (a missing path is `_MISSING`)."""
    if isinstance(expr, n.Path):
        return _get(expr.parts, config)
    if isinstance(expr, n.Literal):
        return _literal(expr)
    if isinstance(expr, n.Compare):
        a, b = _eval(expr.left, config), _eval(expr.right, config)
        if a is _MISSING or b is _MISSING:
            return False
        if expr.op == "==":
            return _equal(a, b)
        if expr.op == "!=":
            return not _equal(a, b)
        if kind_of(a) != kind_of(b) or kind_of(a) not in ("number", "string"):
            return False
        return bool(_ORDER[expr.op](a, b))
    if isinstance(expr, n.Contains):
        v = _eval(expr.operand, config)
        if v is _MISSING:
            return False
        options = [_value(i) for i in expr.options.items if isinstance(i, (n.Str, n.Number, n.Bool, n.Null))]
        found = any(_equal(v, o) for o in options)
        return not found if expr.negated else found
    if isinstance(expr, n.Not):
        return not _eval(expr.operand, config)
    assert isinstance(expr, n.BoolOp)
    if expr.op == "and":
        return all(_eval(op, config) for op in expr.operands)
    return any(_eval(op, config) for op in expr.operands)
