"""Counting the combinations a conjunction keeps, factor by factor.

A document's `where` lines (and the `and` terms of each) all have to
hold. Each term reads a few axes; `conjuncts` splits the filters into such
terms. A group of terms over the same axes is a *factor*: a table saying,
for each combination of its axes' values, whether the terms hold (1) or
not (0). The number of kept combinations of all the axes is the sum, over
every combination, of the product of the factors' entries -- and that sum
is found without visiting every combination by summing out one axis at a
time (variable elimination): the factors that name the axis are multiplied
together over the axes they name between them, and the axis is summed
out, leaving one factor without it. Factors that share no axis are never
multiplied: two `where` lines over `model, temperature` and `batch,
accum` cost 30 + 110 tests and a few sums, not the product of the two.

Every number is an exact integer: the count is the same as filtering every
combination one by one.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Sequence
from typing import TypeVar

from .predicate import Expr, Join, Negate

T = TypeVar("T")

Scope = tuple[int, ...]
"""The axes a factor names (their indices), in the order of its table's
mixed radix (the last fastest)."""


class Factor:
    """A table of counts over the combinations of the axes of `scope`."""

    __slots__ = ("scope", "table")

    def __init__(self, scope: Scope, table: list[int]) -> None:
        self.scope = scope
        self.table = table


def conjuncts(expr: Expr, negated: bool = False) -> list[Expr]:
    """The terms that must all hold for `expr` (its negation, with
    `negated`) to hold: `a and b` is `a`, `b`; `not (a or b)` is `not a`,
    `not b`. Each term is true exactly where the whole is true for it
    (truthiness: `and`, `or` and `not` only ever look at that)."""
    if isinstance(expr, Negate):
        return conjuncts(expr.operand, not negated)
    if isinstance(expr, Join) and expr.all != negated:
        return [term for op in expr.operands for term in conjuncts(op, negated)]
    return [Negate(expr) if negated else expr]


def disjuncts(term: Expr) -> list[Expr] | None:
    """The alternatives of a term (as `conjuncts` gives it) that is an `or`:
    `a or b` is `a`, `b`; `not (a and b)` is `not a`, `not b`; else None."""
    if isinstance(term, Join) and not term.all:
        return list(term.operands)
    if isinstance(term, Negate) and isinstance(term.operand, Join) and term.operand.all:
        return [Negate(op) for op in term.operand.operands]
    return None


def _steps(sizes: Sequence[int], scopes: list[frozenset[int]]) -> tuple[list[int], int]:
    """The order in which to sum out the axes the scopes name (each time
    the one that costs least, then whose table is smallest), and the cost:
    the entries of every table made by multiplying two or more factors
    (summing out an axis of one factor is free: it costs less than that
    factor's own table)."""
    left = list(scopes)
    order: list[int] = []
    cost = 0
    named = set().union(*left) if left else set()
    while named:
        best: tuple[int, int, int] | None = None
        for axis in sorted(named):
            joined = [s for s in left if axis in s]
            size = math.prod(sizes[a] for a in frozenset().union(*joined))
            key = (size if len(joined) > 1 else 0, size, axis)
            if best is None or key < best:
                best = key
        assert best is not None
        step, _, axis = best
        joined = [s for s in left if axis in s]
        cost += step
        union = frozenset().union(*joined)
        left = [s for s in left if axis not in s] + [union - {axis}]
        named.discard(axis)
        order.append(axis)
    return order, cost


def elimination_cost(sizes: Sequence[int], scopes: list[Scope]) -> int:
    """How many entries `count_kept` computes beyond the factors' own tables."""
    return _steps(sizes, [frozenset(s) for s in scopes])[1]


def indices(sizes: Sequence[int], scope: Scope, inner: Scope) -> list[int]:
    """For each combination of `scope` (mixed radix, the last fastest), the
    position in a table over `inner` (a subset of `scope`) of its values.
    Built from the last axis out: an axis `inner` lacks repeats what is
    built so far (a C-level list repetition)."""
    strides: dict[int, int] = {}
    step = 1
    for axis in reversed(inner):
        strides[axis] = step
        step *= sizes[axis]
    if any(sizes[axis] == 0 for axis in scope):
        return []
    out = [0]
    constant = True  # every entry of `out` is the same
    for axis in reversed(scope):
        stride, n = strides.get(axis, 0), sizes[axis]
        if stride == 0:
            out = out * n
        elif constant:
            base, width = out[0], len(out)
            out = []
            for d in range(n):
                out.extend([base + d * stride] * width)
            constant = n <= 1
        else:
            block = out
            out = []
            for d in range(n):
                out.extend(map(operator.add, block, itertools.repeat(d * stride, len(block))))
    return out


def spread(sizes: Sequence[int], scope: Scope, inner: Scope, table: list[T]) -> list[T]:
    """A table over `inner` as a table over `scope`, which holds the axes
    of `inner` in the same order (and others): each entry repeated for the
    combinations of the axes `inner` lacks, by list repetition and slices."""
    if inner == scope:
        return table
    if not inner:
        return table * math.prod(sizes[a] for a in scope)
    axis, rest = scope[0], scope[1:]
    if inner[0] != axis:
        return spread(sizes, rest, inner, table) * sizes[axis]
    step = len(table) // sizes[axis] if sizes[axis] else 0
    out: list[T] = []
    for d in range(sizes[axis]):
        out.extend(spread(sizes, rest, inner[1:], table[d * step:(d + 1) * step]))
    return out


def _sum_out(sizes: Sequence[int], factors: list[Factor], axis: int) -> Factor:
    """The factors multiplied together, `axis` summed out."""
    scope: list[int] = []
    for f in factors:
        scope.extend(a for a in f.scope if a != axis and a not in scope)
    full = tuple(scope) + (axis,)
    product: list[int] | None = None
    for f in factors:
        if f.scope == full:
            values = f.table
        else:
            values = list(map(f.table.__getitem__, indices(sizes, full, f.scope)))
        product = values if product is None else list(map(operator.mul, product, values))
    assert product is not None
    n = sizes[axis]
    return Factor(tuple(scope), [sum(product[k:k + n]) for k in range(0, len(product), n)])


def count_kept(sizes: Sequence[int], factors: list[Factor]) -> int:
    """The number of combinations of the axes the factors name for which
    every factor's entry is 1 (the sum of the products of the entries),
    times nothing else: axes no factor names are for the caller to multiply."""
    if any(sizes[a] == 0 for f in factors for a in f.scope):
        return 0
    alone = [f for f in factors if not any(g is not f and set(g.scope) & set(f.scope) for g in factors)]
    shared = [f for f in factors if not any(f is g for g in alone)]
    if alone:  # a factor sharing no axis with another: its own total
        return math.prod(sum(f.table) for f in alone) * count_kept(sizes, shared)
    order, _ = _steps(sizes, [frozenset(f.scope) for f in factors])
    left = list(factors)
    for axis in order:
        joined = [f for f in left if axis in f.scope]
        left = [f for f in left if axis not in f.scope] + [_sum_out(sizes, joined, axis)]
    return math.prod(f.table[0] for f in left)
