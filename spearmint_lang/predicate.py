"""A compiled `where`, and the expressions of computed values: plain data
evaluated over finished configs (one evaluator for both).

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

import json
import math
import operator
from collections.abc import Callable, Sequence
from typing import NamedTuple, Union, cast

from .dynamic import Config, Json


class ComputeError(ValueError):
    """A value that cannot be computed for one config (division by zero, a
    type only some configs give, ...): `loc` says where the expression
    stands, `index` (once known) which config of the output it is."""

    def __init__(self, message: str, loc: Loc, index: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.index = index

    def __str__(self) -> str:
        at = f"{self.loc[0]}:{self.loc[1]}:{self.loc[2]}: "
        return at + (f"config {self.index}: " if self.index is not None else "") + self.message

    def __reduce__(self) -> tuple[type[ComputeError], tuple[str, Loc, int | None]]:
        return ComputeError, (self.message, self.loc, self.index)


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


Loc = tuple[str, int, int, int, int, str]
"""Where an expression stands, as plain data: file, line, column, end line,
end column, and the text of its first line (for the excerpt of an error)."""


class Arith(NamedTuple):
    """`left OP right`, OP one of + - * / // % **."""

    op: str
    left: Expr
    right: Expr
    loc: Loc


class Neg(NamedTuple):
    """`-operand`."""

    operand: Expr
    loc: Loc


class Cond(NamedTuple):
    """`if test then a else b`."""

    test: Expr
    then: Expr
    otherwise: Expr
    loc: Loc


class Func(NamedTuple):
    """`min(a, b)`, `round(x, 2)`, ...: one of `FUNCTIONS`."""

    name: str
    args: tuple[Expr, ...]
    loc: Loc


class Text(NamedTuple):
    """An interpolated string: `pieces` around the values of `parts`."""

    pieces: tuple[str, ...]
    parts: tuple[Expr, ...]
    loc: Loc


Expr = Union[Get, Const, Cmp, OneOf, Negate, Join, Arith, Neg, Cond, Func, Text]

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
    return lambda config: value_at(config, parts)


def compile_over(expr: Expr, positions: dict[str, int], static: dict[str, Json]) -> Callable[[Sequence[Json]], bool]:
    """`expr` as a function of a sequence holding, at `positions[key]`, the
    value of each top-level `key` it reads that is not in `static` (a key
    in neither is missing). For a `where` whose paths are all top-level
    keys: no config is built to test a combination."""
    test = compile_value_over(expr, positions, static)
    return lambda values: bool(test(values))


def compile_value_over(expr: Expr, positions: dict[str, int], static: dict[str, Json]) -> Callable[[Sequence[Json]], Json]:
    """As `compile_over`, but the value of `expr` itself (`MISSING` where a
    path it reads is missing, or a part of it cannot be computed)."""
    def path(parts: tuple[str, ...]) -> Test:
        key = parts[0]
        if key in positions:
            at = positions[key]
            if len(parts) == 1:
                return cast(Test, operator.itemgetter(at))
            rest = parts[1:]
            return lambda values: value_at(cast(Sequence[Json], values)[at], rest)
        value = static.get(key, _MISSING)
        for part in parts[1:]:
            value = value.get(part, _MISSING) if isinstance(value, dict) else _MISSING
        return lambda values: value

    return cast(Callable[[Sequence[Json]], Json], _compile(expr, path))


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
    if isinstance(expr, (Arith, Neg, Cond, Func, Text)):
        computed = _computed(expr, path)
        if path is _strict_path:
            return computed
        return _lenient(computed)
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


def value_at(config: Json, parts: Sequence[str], missing: Json = _MISSING) -> Json:
    """The value at a key path of a config (or template); `missing` (by
    default `MISSING`) where it has none."""
    cur: Json = config
    for p in parts:
        if not isinstance(cur, dict) or p not in cur:
            return missing
        cur = cur[p]
    return cur


# --- values computed from others (see `compute`) ----------------------------------------

MAX_INT_BITS = 4096
"""An int computed by an expression has at most this many bits."""

FUNCTIONS = ("min", "max", "round", "int", "float", "str", "len")


def text_of(value: Json) -> str:
    """A value as `str()` and `${}` write it: a string as it is, a number as
    JSON writes it (an int's digits, a float's shortest repr: 0.1, 1e-05),
    true/false/null, a list or object as compact JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is float:
        return float.__repr__(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def shown(value: Json) -> str:
    """A value in a message: a string quoted, others as `text_of`, shortened."""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else text_of(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _words(value: Json) -> str:
    return {"number": "a number", "string": "a string", "bool": "a boolean", "null": "null", "list": "a list",
            "object": "an object"}[kind_of(value)]


def _number(value: Json) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _checked(value: Json, loc: Loc) -> Json:
    """A computed number, refused when it is not finite or too large."""
    if type(value) is float and not math.isfinite(value):
        raise ComputeError(f"the result is {value!r}, which JSON cannot hold", loc)
    if type(value) is int and value.bit_length() > MAX_INT_BITS:
        raise ComputeError(f"the result has more than {MAX_INT_BITS} bits", loc)
    return value


def arith(op: str, a: Json, b: Json, loc: Loc) -> Json:
    """`a OP b` as Python computes it, for numbers (and `+` of two strings)."""
    if op == "+" and isinstance(a, str) and isinstance(b, str):
        return a + b
    if not (_number(a) and _number(b)):
        raise ComputeError(f"`{op}` needs two numbers{' (or two strings)' if op == '+' else ''}, "
                           f"not {_words(a)} ({shown(a)}) and {_words(b)} ({shown(b)})", loc)
    try:
        if op == "+":
            return _checked(a + b, loc)
        if op == "-":
            return _checked(a - b, loc)
        if op == "*":
            return _checked(a * b, loc)
        if op == "/":
            return _checked(a / b, loc)
        if op == "//":
            return _checked(a // b, loc)
        if op == "%":
            return _checked(a % b, loc)
        if type(a) is int and type(b) is int and b > 0 and a not in (0, 1, -1) \
                and (abs(a).bit_length() - 1) * b > MAX_INT_BITS:
            raise ComputeError(f"{a} ** {b} has more than {MAX_INT_BITS} bits", loc)
        result = a ** b
    except ZeroDivisionError:
        raise ComputeError(f"division by zero: {shown(a)} {op} {shown(b)}", loc) from None
    except OverflowError:
        raise ComputeError(f"{shown(a)} {op} {shown(b)} is too large for a 64-bit float", loc) from None
    if isinstance(result, complex):
        raise ComputeError(f"{shown(a)} ** {shown(b)} is not a real number", loc)
    return _checked(result, loc)


def call(name: str, args: list[Json], loc: Loc) -> Json:
    """One of `FUNCTIONS` applied to its arguments."""
    if name in ("min", "max"):
        items = args[0] if len(args) == 1 and isinstance(args[0], list) else args
        kinds = {kind_of(v) for v in items}
        if not items or len(kinds) != 1 or kinds - {"number", "string"}:
            raise ComputeError(f"`{name}` takes numbers, or strings, of one kind: not "
                               f"{', '.join(shown(v) for v in items) or 'an empty list'}", loc)
        return min(items) if name == "min" else max(items)
    value = args[0]
    if name == "str":
        return text_of(value)
    if name == "len":
        if isinstance(value, (str, list, dict)):
            return len(value)
        raise ComputeError(f"`len` takes a string, a list or an object, not {_words(value)} ({shown(value)})", loc)
    if name == "round":
        if not _number(value) or len(args) == 2 and type(args[1]) is not int:
            raise ComputeError("`round` takes a number and a whole number of digits, not "
                               f"{', '.join(shown(v) for v in args)}", loc)
        if len(args) == 1:
            if isinstance(value, float) and not math.isfinite(value):
                raise ComputeError(f"cannot round {value!r}", loc)
            return round(value)
        return _checked(float(round(float(value), args[1])), loc)
    if name == "int":
        if _number(value):
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise ComputeError(f"`int` takes a number or the text of an integer, not {shown(value)}", loc)
    # float
    if _number(value):
        return _checked(float(value), loc)
    if isinstance(value, str):
        try:
            return _checked(float(value.strip()), loc)
        except ValueError:
            pass
    raise ComputeError(f"`float` takes a number or the text of one, not {shown(value)}", loc)


def _computed(expr: Expr, path: Callable[[tuple[str, ...]], Test]) -> Test:
    """The function computing an arithmetic, conditional, call or text
    expression (a missing path anywhere in it gives `_MISSING`)."""
    if isinstance(expr, Arith):
        left, right, op, loc = _compile(expr.left, path), _compile(expr.right, path), expr.op, expr.loc

        def binary(config: Config) -> Json:
            a, b = left(config), right(config)
            if a is _MISSING or b is _MISSING:
                return _MISSING
            return arith(op, a, b, loc)
        return binary
    if isinstance(expr, Neg):
        inner, loc = _compile(expr.operand, path), expr.loc

        def negative(config: Config) -> Json:
            a = inner(config)
            if a is _MISSING:
                return _MISSING
            if not _number(a):
                raise ComputeError(f"`-` needs a number, not {_words(a)} ({shown(a)})", loc)
            return -a
        return negative
    if isinstance(expr, Cond):
        test, then, otherwise, loc = (_compile(expr.test, path), _compile(expr.then, path),
                                      _compile(expr.otherwise, path), expr.loc)

        def conditional(config: Config) -> Json:
            c = test(config)
            if c is _MISSING:
                return _MISSING
            if not isinstance(c, bool):
                raise ComputeError(f"`if` needs true or false, not {_words(c)} ({shown(c)})", loc)
            return then(config) if c else otherwise(config)
        return conditional
    if isinstance(expr, Func):
        args, name, loc = [_compile(a, path) for a in expr.args], expr.name, expr.loc

        def function(config: Config) -> Json:
            values = [a(config) for a in args]
            if any(v is _MISSING for v in values):
                return _MISSING
            return call(name, values, loc)
        return function
    assert isinstance(expr, Text)
    pieces, parts = expr.pieces, [_compile(p, path) for p in expr.parts]

    def text(config: Config) -> Json:
        out = [pieces[0]]
        for part, piece in zip(parts, pieces[1:]):
            v = part(config)
            if v is _MISSING:
                return _MISSING
            out.append(text_of(v))
            out.append(piece)
        return "".join(out)
    return text


def read_paths(expr: Expr) -> set[tuple[str, ...]]:
    """The key paths an expression reads."""
    found: set[tuple[str, ...]] = set()
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Get):
            found.add(node.parts)
        elif isinstance(node, (Cmp, Arith)):
            stack.extend((node.left, node.right))
        elif isinstance(node, (OneOf, Negate, Neg)):
            stack.append(node.operand)
        elif isinstance(node, Join):
            stack.extend(node.operands)
        elif isinstance(node, Cond):
            stack.extend((node.test, node.then, node.otherwise))
        elif isinstance(node, Func):
            stack.extend(node.args)
        elif isinstance(node, Text):
            stack.extend(node.parts)
    return found


def _strict_path(parts: tuple[str, ...]) -> Test:
    """`_path_of_config` for computed values, which raise `ComputeError`."""
    return _path_of_config(parts)


def _lenient(computed: Test) -> Test:
    """In a `where`, a part that cannot be computed for a config (a division
    by zero, a value of another type) is missing there, as a key the config
    lacks: comparisons on it are false, `!=` and `not in` true."""
    def test(config: Config) -> Json:
        try:
            return computed(config)
        except ComputeError:
            return _MISSING
    return test


def evaluate(expr: Expr) -> Callable[[Config], Json]:
    """The function computing a value expression over a finished config
    (raising `ComputeError` where it cannot); a path the config lacks gives
    `MISSING`."""
    return _compile(expr, _strict_path)


MISSING = _MISSING
"""What `evaluate`'s function gives when the config lacks a path it reads."""
