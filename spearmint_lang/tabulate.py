"""A `where` expression's values over the combinations of the axes it
names, computed node by node rather than combination by combination.

Each node of the expression depends on a few of the axes (those its paths
come from): its table holds its value for each combination of *those*
axes only. A node's table is made from its children's, each spread over
the axes they name between them, by one pass of the node's own operation.
`batch * accum <= 256 and model != "o1"` over 11 batch sizes, 10 accums
and 5 models computes `batch * accum` 110 times, the comparison 110 times,
`model != "o1"` 5 times and only the `and` 550 times; a comparison of
numbers with numbers (or strings with strings) and `not`, `and`, `or` run
as single C-level passes over their tables.

The values are those `predicate` computes for each config: the node's own
function (`compile_value_over`) is applied to its children's values, with
a missing path or a part that cannot be computed as `MISSING`. Only the
evaluation order differs: every child is computed for every combination
(where `and`, `or` and `if` would skip some), so a child that raises for a
combination the expression never computes it on makes the caller count
combination by combination instead.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence

from .dynamic import Json
from .factoring import Scope, spread
from .predicate import (MAX_INT_BITS, Arith, Cmp, Cond, Const, Expr, Func, Get, Join, Neg, Negate, OneOf, Text,
                        compile_value_over)

Table = tuple[Scope, list[Json]]
"""A node's axes (in increasing order) and its value for each combination of
them (mixed radix, the last fastest)."""

Leaf = Callable[[tuple[str, ...]], Table]
"""The table of a key path: the axes it comes from and its value for each
combination of them."""

_FAST = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _children(expr: Expr) -> tuple[Expr, ...]:
    if isinstance(expr, (Cmp, Arith)):
        return expr.left, expr.right
    if isinstance(expr, (OneOf, Negate, Neg)):
        return (expr.operand,)
    if isinstance(expr, Join):
        return expr.operands
    if isinstance(expr, Cond):
        return expr.test, expr.then, expr.otherwise
    if isinstance(expr, Func):
        return expr.args
    assert isinstance(expr, Text)
    return expr.parts


def _node(expr: Expr, count: int) -> Expr:
    """`expr` with its children replaced by the paths `#0`, `#1`, ...: its
    own operation, over the values of its children."""
    slots = tuple(Get((f"#{i}",)) for i in range(count))
    if isinstance(expr, (Cmp, Arith)):
        return expr._replace(left=slots[0], right=slots[1])
    if isinstance(expr, (OneOf, Negate, Neg)):
        return expr._replace(operand=slots[0])
    if isinstance(expr, Join):
        return expr._replace(operands=slots)
    if isinstance(expr, Cond):
        return expr._replace(test=slots[0], then=slots[1], otherwise=slots[2])
    if isinstance(expr, Func):
        return expr._replace(args=slots)
    assert isinstance(expr, Text)
    return expr._replace(parts=slots)


_EXACT = {"+": operator.add, "-": operator.sub, "*": operator.mul}


def _arith(op: str, left: list[Json], right: list[Json], columns: list[list[Json]]) -> list[Json] | None:
    """`+`, `-` or `*` of numbers (or `+` of strings) in one pass, when no
    result needs `arith`'s care: every float finite, every int within
    `MAX_INT_BITS` (else None: the node's own function takes over)."""
    kinds = _plain(left), _plain(right)
    if kinds == ("string", "string") and op == "+":
        return list(map(operator.add, columns[0], columns[1]))
    if kinds != ("number", "number"):
        return None
    out: list[Json] = list(map(_EXACT[op], columns[0], columns[1]))
    types = {type(v) for v in out}
    if float in types and not all(map(math.isfinite, (v for v in out if type(v) is float))):
        return None
    if int in types and max(abs(v) for v in out if type(v) is int).bit_length() > MAX_INT_BITS:
        return None
    return out


def _plain(values: list[Json]) -> str | None:
    """"number" when every value is an int or a float (no bool, none
    missing), "string" when every one is a string; else None."""
    kinds = {type(v) for v in values}
    if kinds <= {int, float} and kinds:
        return "number"
    if kinds == {str}:
        return "string"
    return None


def table(expr: Expr, leaf: Leaf, sizes: Sequence[int]) -> Table:
    """The values of `expr` over the combinations of the axes it names."""
    if isinstance(expr, Const):
        return (), [expr.value]
    if isinstance(expr, Get):
        return leaf(expr.parts)
    parts = [table(child, leaf, sizes) for child in _children(expr)]
    scope = tuple(sorted({a for s, _ in parts for a in s}))
    columns = [spread(sizes, scope, s, values) for s, values in parts]
    if isinstance(expr, Negate):
        return scope, [not v for v in columns[0]]
    if isinstance(expr, Join):
        truth = list(map(bool, columns[0]))
        join = operator.and_ if expr.all else operator.or_
        for column in columns[1:]:
            truth = list(map(join, truth, map(bool, column)))
        return scope, truth
    if isinstance(expr, Cmp):
        kind = _plain(parts[0][1])
        if kind is not None and kind == _plain(parts[1][1]):
            return scope, list(map(_FAST[expr.op], columns[0], columns[1]))
    if isinstance(expr, Arith) and expr.op in _EXACT:
        fast = _arith(expr.op, parts[0][1], parts[1][1], columns)
        if fast is not None:
            return scope, fast
    function = compile_value_over(_node(expr, len(columns)), {f"#{i}": i for i in range(len(columns))}, {})
    if not columns:
        return (), [function(())]
    return scope, list(map(function, zip(*columns)))
