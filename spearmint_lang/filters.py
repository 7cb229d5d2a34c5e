"""A document's `where` filters, tested on the axes they name.

A compiled `where` reads a few key paths of a config. So whether a
combination of a document's axes is kept depends only on the axes those
paths come from (and on static values): `Filter` tests a combination on a
small dict holding just those values, without filling the whole config, and
counts a document's kept configs over the named axes alone, multiplied by
the sizes of the others. A `where` over `a` in a document of a thousand
values of `a` and a million of everything else is counted with a thousand
tests. Filters given as Python callables (the `Where` of the Python API)
read the whole config: they are tested on it, and counted by trying every
combination.

Counting goes further (`Factored`): the filters are split into their `and`
terms, the terms over the same axes tested together over those axes alone
(a table computed node by node, `tabulate`), and the tables so found
combined by `factoring.count_kept`: two `where` lines over `model,
temperature` and `batch, accum` cost the sum of their tests, not the
product. An `or` term whose parts name different axes can be taken apart
(`Either`: inclusion and exclusion). `count_exact` takes the cheapest way,
within the file's budget; the count is the same in every way.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from typing import cast

import attrs

from .dynamic import Config, DynamicValue, Json, Template, Variants, Where, Zip
from .expand import Axis, axes, choices, count, fill, keeps, product_from, size_of, wheres
from .factoring import Factor, conjuncts, count_kept, disjuncts, elimination_cost, spread
from .predicate import (Cmp, Expr, Get, Join, Negate, OneOf, Predicate, compile_over, compile_value_over, read_paths,
                        value_at)
from .tabulate import Table, table

Path = tuple[str, ...]

EXACT_COUNT_BUDGET = 1_000_000
"""How many tests the `where` documents of a file may take (in all) for
their exact counts to be found; beyond this a count is an upper bound. A
test is a combination of the axes a `where` names. The command line, the
API and the editor all use this one number."""

WHERE_SCAN_LIMIT = 100_000_000
"""How many combinations a document with `where` may have at most: writing
it (or finding where its k-th config is) tests each once. Beyond this the
document is an error (E069), never a run without end."""


def named_paths(expr: Expr) -> set[Path]:
    """The key paths an expression reads."""
    return read_paths(expr)


def _places(obj: Template, prefix: Path, found: list[tuple[Path, Axis]]) -> None:
    """Each axis with where it stands, in `axes` order: a `DynamicValue` at
    its key's path; a `Zip` or `Variants` at the path of the object whose
    keys it sets."""
    for key, value in obj.items():
        if isinstance(value, (Zip, Variants)):
            found.append((prefix, value))
        elif isinstance(value, DynamicValue):
            found.append((prefix + (key,), value))
        elif isinstance(value, dict) and isinstance(key, str):
            _places(value, prefix + (key,), found)


def _sets(axis: Axis) -> set[str]:
    """The keys a `Zip` or `Variants` sets where it stands (an alternative's
    own keys, and those of a `zip` or `variants` inside it)."""
    if isinstance(axis, Zip):
        return set(axis.columns)
    found: set[str] = set()
    if isinstance(axis, Variants):
        for alternative in axis.alternatives:
            for key, value in alternative.items():
                if isinstance(key, str):
                    found.add(key)
                elif isinstance(value, (Zip, Variants)):
                    found |= _sets(value)
    return found


class _Plan:
    """Which axes the filters read, where their values go, and the static
    values they read."""

    def __init__(self, needed: list[tuple[int, Path, bool]], static: list[tuple[Path, Json]]) -> None:
        self.needed = needed  # (axis index, where it goes, whether it is merged there)
        self.static = static
        # The common case, every value at a top-level key: one dict(zip(...)).
        self.flat: list[str] | None = None
        if all(len(path) == 1 and not merge for _, path, merge in needed) and all(len(p) == 1 for p, _ in static):
            self.flat = [path[0] for _, path, _ in needed]
            self.base: Config = {path[0]: value for path, value in static}

    def config(self, values: Sequence[Json]) -> Config:
        """The small config the filters read, for the needed axes' values."""
        if self.flat is not None:
            small = dict(zip(self.flat, values))
            if self.base:
                small.update(self.base)
            return small
        out: Config = {}
        for path, value in self.static:
            _put(out, path, value, merge=False)
        for (_, path, merge), value in zip(self.needed, values):
            _put(out, path, value, merge)
        return out


def _put(out: Config, path: Path, value: Json, merge: bool) -> None:
    node = out
    for part in path[:-1] if not merge else path:
        node = node.setdefault(part, {})
    if merge:
        node.update(value)
    else:
        node[path[-1]] = value


def _static(template: Template, path: Path) -> tuple[bool, Json]:
    """The value at `path` when no axis stands on the way: (True, value),
    (True, missing) as `Ellipsis`, or (False, None) when an axis is in it."""
    node: Json = template
    for part in path:
        if not isinstance(node, dict):
            return True, Ellipsis
        if any(isinstance(v, (Zip, Variants)) and part in _sets(v) for v in node.values()):
            return False, None  # (a key a `zip` or `variants` beside it sets)
        if part not in node:
            return True, Ellipsis
        node = node[part]
        if isinstance(node, (DynamicValue, Zip, Variants)):
            return False, None
    if isinstance(node, dict) and _has_axes(node):
        return False, None
    return True, node


def _has_axes(value: Json) -> bool:
    if isinstance(value, (DynamicValue, Zip, Variants)):
        return True
    return isinstance(value, dict) and any(_has_axes(v) for v in value.values())


def _plan(template: Template, filters: list[Where]) -> _Plan | None:
    """How to test the filters on the axes they read, or None when they are
    Python callables (they read the whole config)."""
    if not all(isinstance(w.predicate, Predicate) for w in filters):
        return None
    paths: set[Path] = set()
    for w in filters:
        assert isinstance(w.predicate, Predicate)
        paths |= named_paths(w.predicate.expr)
    places: list[tuple[Path, Axis]] = []
    _places(template, (), places)
    needed: dict[int, tuple[Path, bool]] = {}
    static: list[tuple[Path, Json]] = []
    for path in sorted(paths):
        reached = False
        for index, (at, axis) in enumerate(places):
            if isinstance(axis, DynamicValue):
                if path[: len(at)] == at:
                    needed[index] = (at, False)
                    reached = True
                elif at[: len(path)] == path:
                    return None  # the path names an object holding a sweep: read whole
            elif path[: len(at)] == at and len(path) > len(at) and path[len(at)] in _sets(axis):
                needed[index] = (at, True)
                reached = True
        if not reached:
            known, value = _static(template, path)
            if not known:
                return None
            if value is not Ellipsis:
                static.append((path, value))
    return _Plan([(i, at, merge) for i, (at, merge) in sorted(needed.items())], static)


class Filter:
    """The `where` filters of a document whose axes' values are `choices`."""

    def __init__(self, template: Template, choices: list[Sequence[Json]]) -> None:
        self.template = template
        self.filters = wheres(template)
        self.choices = choices
        self.plan = _plan(template, self.filters) if self.filters else None
        self._flat: Callable[[Sequence[Json]], bool] | None = None
        self._flat_built = False

    def __getstate__(self) -> dict[str, object]:
        """What pickles (a Sweep goes to workers): the compiled test is built again."""
        state = dict(self.__dict__)
        state["_flat"], state["_flat_built"] = None, False
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    @property
    def work(self) -> int:
        """How many tests counting the kept configs takes."""
        if self.plan is None:
            return math.prod(len_of(c) for c in self.choices)
        return math.prod(len_of(self.choices[i]) for i, _, _ in self.plan.needed)

    def keeps(self, combo: Sequence[Json]) -> bool:
        """Whether the configuration of one value per axis is kept."""
        if not self.filters:
            return True
        if self.plan is None:
            return self._passes(combo)
        values = [combo[i] for i, _, _ in self.plan.needed]
        flat = self._flat_test()
        return flat(values) if flat is not None else self._passes(values)

    def _flat_test(self) -> Callable[[Sequence[Json]], bool] | None:
        """One function of the named axes' values, when every path the
        filters read starts at a top-level key (no config built per test)."""
        if not self._flat_built:
            self._flat, self._flat_built = self._build_flat(), True
        return self._flat

    def _build_flat(self) -> Callable[[Sequence[Json]], bool] | None:
        plan = self.plan
        if plan is None or plan.flat is None:
            return None
        return _tester(plan, [cast(Predicate, w.predicate).expr for w in self.filters])

    def _needed_combos(self) -> Iterator[tuple[Json, ...]]:
        assert self.plan is not None
        return itertools.product(*(self.choices[i] for i, _, _ in self.plan.needed))

    def count(self) -> int:
        """How many configurations are kept (`work` tests)."""
        if not self.filters:
            return math.prod(len_of(c) for c in self.choices)
        if self.plan is None:
            return sum(1 for combo in product_from(self.choices) if self._passes(combo))
        flat = self._flat_test()
        if flat is not None:
            kept = sum(map(flat, self._needed_combos()))
        else:
            kept = sum(1 for values in self._needed_combos() if self._passes(values))
        named = {j for j, _, _ in self.plan.needed}
        return kept * math.prod(len_of(c) for i, c in enumerate(self.choices) if i not in named)

    def any_kept(self, tries: int) -> tuple[bool | None, int]:
        """Whether some configuration is kept, within `tries` tests (None:
        none found, not all tried), and the tests made."""
        # Lazily: `itertools.product` would first make a tuple of each axis
        # (4 GB for a range of 10**8 values) to try only `tries` of them.
        axes = self.choices if self.plan is None else [self.choices[i] for i, _, _ in self.plan.needed]
        combos: Iterator[Sequence[Json]] = product_from(axes)
        test = self._flat_test() or self._passes
        made = 0
        for combo in combos:
            if made >= tries:
                return None, made
            made += 1
            if test(combo):
                return True, made
        return False, made

    def _passes(self, values: Sequence[Json]) -> bool:
        """The filters on one combination of all axes (no plan) or of the
        axes they name (a plan)."""
        if self.plan is None:
            return keeps(self.filters, fill(self.template, iter(values)))
        small = self.plan.config(values)
        for w in self.filters:
            if not w.predicate(small):
                return False
        return True


def _tester(plan: _Plan, exprs: list[Expr]) -> Callable[[Sequence[Json]], bool]:
    """Whether every expression holds, as a function of the values of the
    axes `plan` needs (in its order): compiled over them when every path
    starts at a top-level key, else tested on the small config they make."""
    if plan.flat is not None:
        positions = {key: i for i, key in enumerate(plan.flat)}
        tests = [compile_over(e, positions, plan.base) for e in exprs]
        if len(tests) == 1:
            return tests[0]
        return lambda values: all(t(values) for t in tests)
    predicates = [Predicate(e) for e in exprs]

    def test(values: Sequence[Json]) -> bool:
        small = plan.config(values)
        return all(p(small) for p in predicates)
    return test


class Memo:
    """What the ways of counting one document share: the axes each term
    names (None: it reads a whole object holding sweeps), and the tables of
    the groups already counted, by their axes and terms (by `repr`)."""

    def __init__(self) -> None:
        self.axes: dict[str, frozenset[int] | None] = {}
        self.tables: dict[tuple[tuple[int, ...], str], list[int]] = {}


class Factored:
    """A document's `where` filters split into `and` terms, the terms
    grouped by the axes they name (a term over axes that another's include
    joins that one's group): each group is tested over its own axes alone,
    and the groups' tables are combined without visiting every combination
    (`factoring.count_kept`). `work` is the tests of every group plus the
    entries of the tables that combining them makes."""

    def __init__(self, template: Template, groups: list[tuple[_Plan, list[Expr]]], choices: list[Sequence[Json]],
                 memo: Memo | None = None) -> None:
        self.template = template
        self.groups = groups
        self.choices = choices
        self.memo = Memo() if memo is None else memo
        self.sizes = [len_of(c) for c in choices]
        scopes = [self.scope(plan) for plan, _ in groups]
        self.tests = sum(math.prod(self.sizes[a] for a in s) for s in scopes)
        self.work = self.tests + elimination_cost(self.sizes, scopes)

    @staticmethod
    def scope(plan: _Plan) -> tuple[int, ...]:
        """The axes a group's plan needs, in its order."""
        return tuple(i for i, _, _ in plan.needed)

    @classmethod
    def of(cls, template: Template, filters: list[Where], choices: list[Sequence[Json]]) -> Factored | Either | None:
        """The cheapest way found to count the filters: as factors, as one
        table over every axis they name, or an `or` term taken apart
        (`Either`); None for a Python callable, or a path that reads a whole
        object holding a sweep (see `_plan`)."""
        if not all(isinstance(w.predicate, Predicate) for w in filters):
            return None
        terms = [t for w in filters for t in conjuncts(cast(Predicate, w.predicate).expr)]
        memo = Memo()
        found: list[Factored | Either | None] = [cls.of_terms(template, terms, choices, memo),
                                                 cls.of_terms(template, terms, choices, memo, whole=True)]
        for at, term in enumerate(terms):
            either = disjuncts(term)
            if either is not None and 2 <= len(either) <= 4:
                found.append(Either.of(template, terms[:at] + terms[at + 1:], either, choices, memo))
        usable = [f for f in found if f is not None]
        return min(usable, key=lambda f: f.work) if usable else None

    @classmethod
    def of_terms(cls, template: Template, terms: list[Expr], choices: list[Sequence[Json]], memo: Memo,
                 whole: bool = False) -> Factored | None:
        """The terms grouped by the axes they name (all in one group, `whole`)."""
        scopes: list[frozenset[int]] = []
        for term in terms:
            key = repr(term)
            if key not in memo.axes:
                plan = _plan(template, [Where(Predicate(term))])
                memo.axes[key] = None if plan is None else frozenset(i for i, _, _ in plan.needed)
            found = memo.axes[key]
            if found is None:
                return None
            scopes.append(found)
        if whole:
            scopes = [frozenset().union(*scopes)] * len(scopes)
        widest = [s for s in set(scopes) if not any(s < other for other in scopes)]
        widest.sort(key=lambda s: (-len(s), sorted(s)))
        members: dict[frozenset[int], list[Expr]] = {s: [] for s in widest}
        for term, s in zip(terms, scopes):
            members[next(w for w in widest if s <= w)].append(term)
        groups = []
        for s in widest:
            plan = _plan(template, [Where(Predicate(t)) for t in members[s]])
            if plan is None:
                return None
            groups.append((plan, members[s]))
        return cls(template, groups, choices, memo)

    def count(self) -> int:
        """How many configurations are kept (`work` tests and sums)."""
        factors = []
        for plan, exprs in self.groups:
            scope = self.scope(plan)
            key = (scope, repr(exprs))
            tables = self.memo.tables
            if key not in tables:
                try:
                    tables[key] = self._table(scope, exprs)
                except Exception:  # noqa: BLE001 - a part computed where `and`, `or` or `if` skip it
                    test = _tester(plan, exprs)
                    tables[key] = list(map(test, itertools.product(*(self.choices[a] for a in scope))))
            factors.append(Factor(scope, tables[key]))
        named = {a for plan, _ in self.groups for a in self.scope(plan)}
        rest = math.prod(n for a, n in enumerate(self.sizes) if a not in named)
        return count_kept(self.sizes, factors) * rest


    def _table(self, scope: tuple[int, ...], exprs: list[Expr]) -> list[int]:
        """Whether the terms all hold, for each combination of `scope`,
        computed node by node (`tabulate`)."""
        leaves: dict[tuple[str, ...], Table] = {}

        def leaf(parts: tuple[str, ...]) -> Table:
            if parts not in leaves:
                leaves[parts] = self._leaf(parts)
            return leaves[parts]

        root = exprs[0] if len(exprs) == 1 else Join(True, tuple(exprs))
        found, values = table(root, leaf, self.sizes)
        values = spread(self.sizes, scope, found, values)
        if isinstance(root, (Cmp, OneOf, Negate, Join)):
            return cast(list[int], values)  # (true or false already)
        return list(map(bool, values))

    def _leaf(self, parts: tuple[str, ...]) -> Table:
        """A key path's value for each combination of the axes it comes from."""
        plan = _plan(self.template, [Where(Predicate(Get(parts)))])
        if plan is None:
            raise ValueError(f"{parts} reads a whole object holding sweeps")  # (never: its term has a plan)
        if plan.flat is not None:
            read = compile_value_over(Get(parts), {key: i for i, key in enumerate(plan.flat)}, plan.base)
        else:
            def read(values: Sequence[Json], plan: _Plan = plan) -> Json:
                return value_at(plan.config(values), parts)
        scope = self.scope(plan)
        return scope, list(map(read, itertools.product(*(self.choices[a] for a in scope))))


class Either:
    """The filters with one `or` term taken apart: the configs the other
    terms keep and at least one alternative of it keeps, counted by
    inclusion and exclusion (for `a or b`: those with `a`, plus those with
    `b`, minus those with both), each count `Factored`. `work` is the sum
    of theirs (a table two of them share is computed once)."""

    def __init__(self, parts: list[tuple[int, Factored]]) -> None:
        self.parts = parts
        self.work = sum(f.work for _, f in parts)

    @classmethod
    def of(cls, template: Template, others: list[Expr], either: list[Expr], choices: list[Sequence[Json]],
           memo: Memo) -> Either | None:
        """`others` and `either[0] or either[1] or ...`; None as `Factored.of_terms`."""
        parts = []
        for size in range(1, len(either) + 1):
            for chosen in itertools.combinations(either, size):
                terms = others + [t for alternative in chosen for t in conjuncts(alternative)]
                found = Factored.of_terms(template, terms, choices, memo)
                if found is None:
                    return None
                parts.append((1 if size % 2 else -1, found))
        return cls(parts)

    def count(self) -> int:
        """How many configurations are kept."""
        return sum(sign * found.count() for sign, found in self.parts)


def len_of(values: Sequence[Json]) -> int:
    """A sequence's length, also beyond `sys.maxsize`."""
    return size_of(values)


@attrs.frozen
class Count:
    """A document's number of configs: exact, or an upper bound when a
    `where` document is beyond the budget (`before_where` is the count
    before filtering, when there is a `where`)."""

    configs: int
    exact: bool = True
    before_where: int | None = None


class Budget:
    """How many tests may still be made to count `where` documents exactly:
    one budget for a whole file, shared by its documents."""

    def __init__(self, tests: int = EXACT_COUNT_BUDGET) -> None:
        self.left = tests

    def take(self, tests: int) -> bool:
        """Spend `tests` if there are that many left."""
        if tests > self.left:
            return False
        self.left -= tests
        return True


def count_exact(template: Template, budget: Budget | None = None) -> Count:
    """The number of configs a document writes: without `where`, computed
    from the axes alone; with `where`, by testing the combinations of the
    axes it names while the budget (the file's: `EXACT_COUNT_BUDGET`) lasts."""
    total = count(template)
    if not wheres(template):
        return Count(total)
    budget = budget or Budget()
    values = [choices(a) for a in axes(template)]
    found = Filter(template, values)
    factored = Factored.of(template, found.filters, values)
    if factored is not None and factored.work <= found.work:
        if not budget.take(factored.work):
            return Count(total, exact=False, before_where=total)
        try:
            return Count(factored.count(), before_where=total)
        except Exception:  # noqa: BLE001 - see below
            # A term can fail (`float` of a huge int) on a combination that the
            # filters as written never test, stopping at the first false term:
            # then they are counted as written, as far as the budget goes.
            if not budget.take(found.work - factored.work):
                return Count(total, exact=False, before_where=total)
            return Count(found.count(), before_where=total)
    if not budget.take(found.work):
        return Count(total, exact=False, before_where=total)
    return Count(found.count(), before_where=total)


def keeps_any(template: Template, budget: Budget | None = None) -> bool | None:
    """Whether a `where` document keeps at least one config; None when the
    budget ran out before one was found."""
    budget = budget or Budget()
    kept, made = Filter(template, [choices(a) for a in axes(template)]).any_kept(budget.left)
    budget.left -= made
    return kept
