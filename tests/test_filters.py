"""`where` filters tested on the axes they name (`spearmint_lang.filters`):
counts over the named axes only, combinations tested without building the
config, scans for positions. Each is compared with the plain definition:
fill every combination, keep those the predicate accepts."""

from __future__ import annotations

import json
import random
from typing import cast

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from spearmint_lang import Sweep
from spearmint_lang.compiler import compile_text
from spearmint_lang.expand import axes, choices, iter_template, keeps, wheres, with_id
from spearmint_lang.factoring import conjuncts, disjuncts
from spearmint_lang.filters import Count, Either, Factored, Filter, Memo, count_exact
from spearmint_lang.predicate import Predicate
from tests.conftest import DEADLINE, fuzz_examples

# A document with an axis of every kind, paths at every depth, static values.
DOC = """\
a: [0, 1, 2, 3]*
b: ["x", "y"]*
o: { c: [1.5, 2.5]*, d: "fixed" }
zip { z1: [1, 2, 3], z2: ["p", "q", "r"] }
variants [ { v: [true, false]* }, { w: 0..2 } ]
p: [{ q: [1, 2]* }, { q: 3, r: null }]*
s: 7
"""
PATHS = ["a", "b", "o.c", "o.d", "z1", "z2", "v", "w", "p.q", "p.r", "s", "missing", "o.missing"]
LITERALS = ["0", "1", "2", "3", "1.5", '"x"', '"y"', '"p"', '"fixed"', "true", "false", "null", "7"]


def _expr(rng: random.Random, depth: int = 0) -> str:
    r = rng.random()
    if depth > 2 or r < 0.5:
        path = rng.choice(PATHS)
        if rng.random() < 0.3:
            options = ", ".join(rng.choice(LITERALS) for _ in range(rng.randint(1, 3)))
            return f"{path} {rng.choice(['in', 'not in'])} [{options}]"
        return f"{path} {rng.choice(['==', '!=', '<', '<=', '>', '>='])} {rng.choice(LITERALS)}"
    if r < 0.65:
        return f"not ({_expr(rng, depth + 1)})"
    return f"({_expr(rng, depth + 1)}) {rng.choice(['and', 'or'])} ({_expr(rng, depth + 1)})"


def _brute(template: dict[object, object]) -> list[dict[str, object]]:
    filters = wheres(template)
    return [with_id(c) for c in iter_template(template) if keeps(filters, c)]


@settings(max_examples=150, deadline=DEADLINE, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(seed=st.integers(0, 2**32 - 1), wheres_n=st.integers(1, 2))
def test_filters_agree_with_the_definition(seed: int, wheres_n: int) -> None:
    rng = random.Random(seed)
    text = DOC + "".join(f"where {_expr(rng)}\n" for _ in range(wheres_n))
    note(text)
    unit = compile_text(text)
    if not unit.ok:  # a comparison of unlike types (E066), a path no config has (E065), nothing kept (E068)
        assert {d.code for d in unit.diagnostics if d.severity == "error"} <= {"E065", "E066", "E068"}
        return
    template = unit.documents[0].template
    expected = _brute(template)
    assert count_exact(template).configs == len(expected)
    sweep = Sweep([template])
    assert json.dumps(list(sweep)) == json.dumps(expected)  # streamed through the filter
    assert sweep.size == len(expected)
    picks = sorted({rng.randrange(len(expected)) for _ in range(5)} | {0, len(expected) - 1})
    for i in picks:
        assert sweep[i] == expected[i]
    assert list(sweep[picks[0]:picks[-1] + 1]) == expected[picks[0]:picks[-1] + 1]


def test_a_where_over_one_axis_is_counted_over_that_axis() -> None:
    template = compile_text("a: 0..999\nb: 0..999\nc: 0..999\nwhere a < 3\n").documents[0].template
    found = Filter(template, [choices(x) for x in axes(template)])
    assert found.work == 1000 and found.count() == 3_000_000
    assert count_exact(template).configs == 3_000_000 and count_exact(template).exact


def test_python_callables_are_tested_on_the_whole_config() -> None:
    from spearmint_lang import DynamicValue, Where

    template = {"a": DynamicValue([1, 2, 3]), "b": {"c": DynamicValue([4, 5])},
                "w": Where(lambda c: c["a"] + c["b"]["c"] > 5)}
    found = Filter(template, [choices(x) for x in axes(template)])
    assert found.plan is None and found.count() == 5
    assert [(c["a"], c["b"]["c"]) for c in Sweep([template])] == [(1, 5), (2, 4), (2, 5), (3, 4), (3, 5)]


# Axes of small value sets, of every kind, for `where` expressions of the whole
# grammar (arithmetic, `if`, functions, interpolation): 720 combinations.
FACTOR_DOC = """\
a: [0, 1, 2, 3]*
b: [0.5, 2, -1]*
m: ["x", "y", "zz"]*
o: { c: [1, 2]*, d: "fixed" }
variants [ { v: [1, 3]* }, { w: 0..2 } ]
n: [0, 2]*
s: 7
"""
NUMBERS = ["a", "b", "o.c", "v", "w", "n", "s", "0", "1", "2", "0.5", "-1"]
STRINGS = ["m", "o.d", '"x"', '"zz"']


def _number(rng: random.Random, depth: int) -> str:
    r = rng.random()
    if depth > 2 or r < 0.45:
        return rng.choice(NUMBERS)
    if r < 0.7:
        op = rng.choice(["+", "-", "*", "/", "//", "%", "**"])
        return f"({_number(rng, depth + 1)} {op} {_number(rng, depth + 1)})"
    if r < 0.8:
        name = rng.choice(["min", "max"])
        return f"{name}({_number(rng, depth + 1)}, {_number(rng, depth + 1)})"
    if r < 0.88:
        name = rng.choice(["round", "int", "float", "-"])
        return f"{name}({_number(rng, depth + 1)})" if name != "-" else f"-({_number(rng, depth + 1)})"
    if r < 0.94:
        return f"len({_string(rng, depth + 1)})"
    return f"(if {_test(rng, depth + 1)} then {_number(rng, depth + 1)} else {_number(rng, depth + 1)})"


def _string(rng: random.Random, depth: int) -> str:
    r = rng.random()
    if depth > 2 or r < 0.6:
        return rng.choice(STRINGS)
    if r < 0.75:
        return f"str({_number(rng, depth + 1)})"
    if r < 0.9:
        return f'"${{{rng.choice(["m", "a", "v", "o.c"])}}}-${{{rng.choice(["b", "w", "o.d"])}}}"'
    return f"({_string(rng, depth + 1)} + {_string(rng, depth + 1)})"


def _test(rng: random.Random, depth: int = 0) -> str:
    r = rng.random()
    ops = ["==", "!=", "<", "<=", ">", ">="]
    if depth > 2 or r < 0.45:
        if rng.random() < 0.7:
            return f"{_number(rng, depth + 1)} {rng.choice(ops)} {_number(rng, depth + 1)}"
        if rng.random() < 0.5:
            return f"{_string(rng, depth + 1)} {rng.choice(ops)} {_string(rng, depth + 1)}"
        path = rng.choice(["a", "v", "w", "m"])
        options = '["x", "y"]' if path == "m" else "[0, 1, 3]"
        return f"{path} {rng.choice(['in', 'not in'])} {options}"
    if r < 0.6:
        return f"not ({_test(rng, depth + 1)})"
    joined = f" {rng.choice(['and', 'or'])} ".join(f"({_test(rng, depth + 1)})" for _ in range(rng.randint(2, 3)))
    return joined


@settings(max_examples=fuzz_examples(80), deadline=DEADLINE, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(seed=st.integers(0, 2**32 - 1), wheres_n=st.integers(1, 3))
def test_factored_counts_agree_with_filtering_every_config(seed: int, wheres_n: int) -> None:
    """`mintc count`, `Sweep.counted()` and the editor's lens count a `where`
    document by its `and` terms, each over the axes it names: the number is
    the number of configs that filtering every combination keeps."""
    rng = random.Random(seed)
    text = FACTOR_DOC + "".join(f"where {_test(rng)}\n" for _ in range(wheres_n))
    note(text)
    unit = compile_text(text, allow_empty=True)
    if not unit.ok:  # unlike types (E066), a `where` of a number (E099), an `if` of two kinds (E066)
        assert {d.code for d in unit.diagnostics if d.severity == "error"} <= {"E066", "E099", "E097"}, unit.diagnostics
        return
    template = unit.documents[0].template
    expected = len(_brute(template))
    counted = count_exact(template)
    assert (counted.configs, counted.exact, counted.before_where) == (expected, True, 720)
    values = [choices(x) for x in axes(template)]
    assert Filter(template, values).count() == expected
    terms = [t for w in wheres(template) for t in conjuncts(cast(Predicate, w.predicate).expr)]
    ways: list[Factored | Either | None] = [Factored.of_terms(template, terms, values, Memo()),
                                           Factored.of_terms(template, terms, values, Memo(), whole=True)]
    for at, term in enumerate(terms):  # each `or` term taken apart
        either = disjuncts(term)
        if either is not None and len(either) <= 4:
            ways.append(Either.of(template, terms[:at] + terms[at + 1:], either, values, Memo()))
    assert [way.count() if way is not None else None for way in ways] == [expected] * len(ways)


def test_an_or_over_separate_axes_is_counted_exactly_beyond_the_budget() -> None:
    """`a == 5 or b == 3` over 2,000,000 combinations: those with `a == 5`,
    plus those with `b == 3`, minus those with both -- 6,000 tests."""
    template = compile_text("a: 0..1999\nb: 0..999\nwhere a == 5 or b == 3\n").documents[0].template
    assert count_exact(template) == Count(2999, exact=True, before_where=2_000_000)
    template = compile_text("a: 0..1999\nb: 0..999\nwhere not (a != 5 and b != 3)\n").documents[0].template
    assert count_exact(template) == Count(2999, exact=True, before_where=2_000_000)


def test_a_term_that_fails_where_the_filter_skips_it_is_counted_as_written() -> None:
    """`float(10 ** 400)` fails, but `a == 2 or ...` never computes it, and
    neither does a second `where` after a first that is false: the counts
    are those of filtering every config."""
    for text, kept in (("where a == 2 or float(10 ** (a * 200)) > 0\n", 12),
                       ("where a == 1\nwhere float(10 ** (a * 200)) > 0\n", 6),
                       ("where a + c < 2\nwhere float(10 ** (a * 200)) > b\n", 3)):
        template = compile_text("a: [1, 2]*\nb: 0..2\nc: [0, 1]*\n" + text).documents[0].template
        assert len(_brute(template)) == kept
        assert count_exact(template) == Count(kept, exact=True, before_where=12)
    template = compile_text("a: [1, 2]*\nb: 0..9\nc: [0, 1]*\nwhere a + c < 2\nwhere float(10 ** (a * 200)) > b\n"
                            ).documents[0].template
    factored = Factored.of(template, wheres(template), [choices(x) for x in axes(template)])
    with pytest.raises(OverflowError):  # (its terms apart: the second is computed for a == 2)
        assert factored is not None and factored.count()
    assert count_exact(template) == Count(10, exact=True, before_where=40)


def test_a_key_a_zip_inside_an_alternative_sets_is_read_from_that_alternative() -> None:
    """`k11` comes from the third alternative's `zip`: the two others lack
    it (`!=` holds there), the third keeps its row with `k11: true`."""
    text = "k1: [1, 2]*\nvariants [ { a: 1 }, {}, { zip { k11: [false, true] } } ]\ns: 7\nwhere k11 != false and s == 7\n"
    template = compile_text(text).documents[0].template
    assert len(_brute(template)) == 6
    assert count_exact(template) == Count(6, exact=True, before_where=8)


def test_a_computed_part_too_large_is_missing_there_in_every_way_of_counting() -> None:
    """`x * 1e308` is not finite for `x: 10.0`, `2 ** (y * 3000)` too large
    for `y: 2`: there the comparison is false and `!=` true, as for each config."""
    text = "x: [1.0, 10.0]*\ny: [1, 2]*\nz: 0..2\nwhere x * 1e308 > 1 or 2 ** (y * 3000) != 0\nwhere x * y * z * 1e308 > 0\n"
    template = compile_text(text).documents[0].template
    expected = len(_brute(template))
    assert count_exact(template) == Count(expected, exact=True, before_where=12)
    assert expected == 1  # x: 1.0, y: 1, z: 1 (2e308 is not finite)
