"""A compiled `where`: plain data evaluated over finished configs.

The front end (`where.py`) checks an expression against the document and
compiles it to nested tuples holding only names, operators and literal
values -- no AST node, no span, no source text -- so a `Sweep` with a
`where` pickles small and evaluates in any worker.

A config lacking a path (a key only some variants set) makes every
comparison on that path false.

Forms: `("path", parts)`, `("lit", value)`, `("cmp", op, left, right)`,
`("in", operand, options, negated)`, `("not", operand)`,
`("and", operands)`, `("or", operands)`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from .dynamic import Json

Expr = tuple[Any, ...]

_MISSING = object()
ORDER: dict[str, Callable[[Any, Any], bool]] = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def kind_of(value: Json) -> str:
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


def equal(a: Json, b: Json) -> bool:
    """Equality that keeps booleans apart from 0 and 1."""
    return kind_of(a) == kind_of(b) and bool(a == b)


class Predicate:
    """A compiled `where` over a finished config (without its `config_id`,
    unless the document sets one itself)."""

    __slots__ = ("expr",)

    def __init__(self, expr: Expr) -> None:
        self.expr = expr

    def __call__(self, config: dict[str, Json]) -> bool:
        return bool(_eval(self.expr, config))

    def __getstate__(self) -> Expr:
        return self.expr

    def __setstate__(self, state: Expr) -> None:
        self.expr = state

    def __repr__(self) -> str:
        return f"Predicate({self.expr!r})"


def _get(parts: tuple[str, ...], config: dict[str, Json]) -> Json:
    cur: Json = config
    for p in parts:
        if not isinstance(cur, dict) or p not in cur:
            return _MISSING
        cur = cur[p]
    return cur


def _eval(expr: Expr, config: dict[str, Json]) -> Json:
    """The value of `expr` for `config` (a missing path is `_MISSING`)."""
    tag = expr[0]
    if tag == "path":
        return _get(expr[1], config)
    if tag == "lit":
        return expr[1]
    if tag == "cmp":
        op = expr[1]
        a, b = _eval(expr[2], config), _eval(expr[3], config)
        if a is _MISSING or b is _MISSING:
            return False
        if op == "==":
            return equal(a, b)
        if op == "!=":
            return not equal(a, b)
        if kind_of(a) != kind_of(b) or kind_of(a) not in ("number", "string"):
            return False
        return ORDER[op](a, b)
    if tag == "in":
        v = _eval(expr[1], config)
        if v is _MISSING:
            return False
        found = any(equal(v, o) for o in expr[2])
        return not found if expr[3] else found
    if tag == "not":
        return not _eval(expr[1], config)
    if tag == "and":
        return all(_eval(op, config) for op in expr[1])
    return any(_eval(op, config) for op in expr[1])
