"""A compiled `where`: plain data evaluated over finished configs.

The front end (`where.py`) checks an expression against the document and
compiles it to the small named tuples below, which hold only names,
operators and literal values -- no AST node, no span, no source text -- so
a `Sweep` with a `where` pickles small and evaluates in any worker without
the front end.

A config lacking a path (a key only some variants set): `==`, `<`, `<=`,
`>`, `>=` and `in` on it are false; `!=` and `not in` are their negations,
so they are true.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import NamedTuple, Union

from .dynamic import Config, Json


class Get(NamedTuple):
    """The value at a key path of the config."""

    parts: tuple[str, ...]


class Const(NamedTuple):
    """A literal value."""

    value: Json


class Cmp(NamedTuple):
    """`left OP right`, OP one of == != < <= > >=."""

    op: str
    left: Expr
    right: Expr


class OneOf(NamedTuple):
    """`operand in [...]` (or `not in`)."""

    operand: Expr
    options: tuple[Json, ...]
    negated: bool


class Negate(NamedTuple):
    """`not operand`."""

    operand: Expr


class Join(NamedTuple):
    """`a and b and ...` (`all` True) or `a or b or ...`."""

    all: bool
    operands: tuple[Expr, ...]


Expr = Union[Get, Const, Cmp, OneOf, Negate, Join]

_MISSING = object()
ORDER: dict[str, Callable[[Json, Json], bool]] = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


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

    def __call__(self, config: Config) -> bool:
        return bool(_eval(self.expr, config))

    def __getstate__(self) -> Expr:
        return self.expr

    def __setstate__(self, state: Expr) -> None:
        self.expr = state

    def __repr__(self) -> str:
        return f"Predicate({self.expr!r})"


def _get(parts: tuple[str, ...], config: Config) -> Json:
    cur: Json = config
    for p in parts:
        if not isinstance(cur, dict) or p not in cur:
            return _MISSING
        cur = cur[p]
    return cur


def _eval(expr: Expr, config: Config) -> Json:
    """The value of `expr` for `config` (a missing path is `_MISSING`)."""
    if isinstance(expr, Get):
        return _get(expr.parts, config)
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Cmp):
        a, b = _eval(expr.left, config), _eval(expr.right, config)
        if a is _MISSING or b is _MISSING:
            return expr.op == "!="  # `!=` is `not ==`
        if expr.op == "==":
            return equal(a, b)
        if expr.op == "!=":
            return not equal(a, b)
        if kind_of(a) != kind_of(b) or kind_of(a) not in ("number", "string"):
            return False
        return ORDER[expr.op](a, b)
    if isinstance(expr, OneOf):
        v = _eval(expr.operand, config)
        if v is _MISSING:
            return expr.negated  # `not in` is `not (in)`
        found = any(equal(v, o) for o in expr.options)
        return not found if expr.negated else found
    if isinstance(expr, Negate):
        return not _eval(expr.operand, config)
    if expr.all:
        return all(_eval(op, config) for op in expr.operands)
    return any(_eval(op, config) for op in expr.operands)
