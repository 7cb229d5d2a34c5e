"""`where` filters tested on the axes they name (`spearmint_lang.filters`):
counts over the named axes only, combinations tested without building the
config, scans for positions. Each is compared with the plain definition:
fill every combination, keep those the predicate accepts."""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from spearmint_lang import Sweep
from spearmint_lang.compiler import compile_text
from spearmint_lang.expand import axes, choices, iter_template, keeps, wheres, with_id
from spearmint_lang.filters import Filter, count_exact
from tests.conftest import DEADLINE

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
