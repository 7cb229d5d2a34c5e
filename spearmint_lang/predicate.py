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
from collections.abc import Callable, Sequence
from typing import NamedTuple, Union, cast

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


Test = Callable[[Config], Json]


class Predicate:
    """A compiled `where` over a finished config (without its `config_id`,
    unless the document sets one itself). It keeps the expression (plain
    data, what pickles) and builds from it, on first use, a tree of small
    functions that evaluates it without looking at the expression again."""

    __slots__ = ("expr", "_test")

    def __init__(self, expr: Expr) -> None:
        self.expr = expr
        self._test: Test | None = None

    def __call__(self, config: Config) -> bool:
        test = self._test
        if test is None:
            test = self._test = _compile(self.expr)
        return bool(test(config))

    def __getstate__(self) -> Expr:
        return self.expr

    def __setstate__(self, state: Expr) -> None:
        self.expr = state
        self._test = None

    def __repr__(self) -> str:
        return f"Predicate({self.expr!r})"


def _same(a: Json, b: Json) -> bool:
    """`equal`, quicker when both have one type (then they have one kind)."""
    if type(a) is type(b):
        return bool(a == b)
    return kind_of(a) == kind_of(b) and bool(a == b)


def _path_of_config(parts: tuple[str, ...]) -> Test:
    if len(parts) == 1:
        key = parts[0]
        return lambda config: config.get(key, _MISSING)
    return lambda config: _get(parts, config)


def compile_over(expr: Expr, positions: dict[str, int], static: dict[str, Json]) -> Callable[[Sequence[Json]], bool]:
    """`expr` as a function of a sequence holding, at `positions[key]`, the
    value of each top-level `key` it reads that is not in `static` (a key
    in neither is missing). For a `where` whose paths are all top-level
    keys: no config is built to test a combination."""
    def path(parts: tuple[str, ...]) -> Test:
        key = parts[0]
        if key in positions:
            at = positions[key]
            if len(parts) == 1:
                return cast(Test, operator.itemgetter(at))
            rest = parts[1:]
            return lambda values: _get(rest, cast(Sequence[Json], values)[at])
        value = static.get(key, _MISSING)
        for part in parts[1:]:
            value = value.get(part, _MISSING) if isinstance(value, dict) else _MISSING
        return lambda values: value

    test = _compile(expr, path)
    return lambda values: bool(test(cast(Config, values)))


def _compile(expr: Expr, path: Callable[[tuple[str, ...]], Test] = _path_of_config) -> Test:
    """The function computing `expr` for a config (a missing path gives
    `_MISSING`); `path` makes the function reading one path."""
    if isinstance(expr, Get):
        return path(expr.parts)
    if isinstance(expr, Const):
        value = expr.value
        return lambda config: value
    if isinstance(expr, Cmp):
        return _compare(expr.op, _compile(expr.left, path), _compile(expr.right, path))
    if isinstance(expr, OneOf):
        operand, options, negated = _compile(expr.operand, path), expr.options, expr.negated

        def contains(config: Config) -> bool:
            v = operand(config)
            if v is _MISSING:
                return negated  # `not in` is `not (in)`
            return any(_same(v, o) for o in options) != negated

        return contains
    if isinstance(expr, Negate):
        inner = _compile(expr.operand, path)
        return lambda config: not inner(config)
    parts_ = [_compile(op, path) for op in expr.operands]
    if expr.all:
        return lambda config: all(p(config) for p in parts_)
    return lambda config: any(p(config) for p in parts_)


def _compare(op: str, left: Test, right: Test) -> Test:
    if op == "==":
        def eq(config: Config) -> bool:
            a, b = left(config), right(config)
            return a is not _MISSING and b is not _MISSING and _same(a, b)
        return eq
    if op == "!=":
        def ne(config: Config) -> bool:  # `!=` is `not ==`: true where a side is missing
            a, b = left(config), right(config)
            return a is _MISSING or b is _MISSING or not _same(a, b)
        return ne
    order = ORDER[op]

    def ordered(config: Config) -> bool:
        a, b = left(config), right(config)
        if a is _MISSING or b is _MISSING:
            return False
        kind = kind_of(a)
        return kind == kind_of(b) and kind in ("number", "string") and bool(order(a, b))
    return ordered


def _get(parts: tuple[str, ...], config: Config) -> Json:
    cur: Json = config
    for p in parts:
        if not isinstance(cur, dict) or p not in cur:
            return _MISSING
        cur = cur[p]
    return cur
