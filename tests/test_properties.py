"""Property-based tests (hypothesis) of expansion and of the `.mint` front end.

Each property states, in its docstring, the user-visible behaviour it
protects. The oracle for expansion is written here independently of
`spearmint_lang.expand`: sweeps are found depth-first in key order through
nested dicts (never inside lists), configs are `itertools.product` of their
values (last sweep fastest), and `config_id` is the first 16 hex digits of
SHA-256 over `json.dumps(config, sort_keys=True, default=str)`.

`.mint` text is produced from the same Python data by `tests/mint_printer.py`
with randomised layout, so the compiler is checked against `expand`.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import math
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from tests.conftest import DEADLINE, fuzz_examples

from spearmint_lang import DynamicValue, MintError, Sweep, expand, loads
from tests.mint_printer import print_mint


def budget(max_examples: int) -> settings:
    """Settings for a property of `max_examples` examples at full depth, of
    which CI draws half (`fuzz_examples`; MINT_FUZZ_SCALE=2 draws them all);
    no example database is kept, so runs do not depend on each other.
    """
    return settings(
        max_examples=fuzz_examples(max_examples / 2),
        deadline=DEADLINE,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


# --------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------

# Arbitrary text that can be written as UTF-8: `.mint` rejects lone
# surrogates on purpose, so they are left out.
TEXT = st.text(st.characters(codec="utf-8"), max_size=10)
IDENTIFIERS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,8}", fullmatch=True)
# Keys that look like keywords (of sections 1-4 and of the language beyond
# the seed), numbers, or the id key: all plain keys in an object.
TRICKY_KEYS = st.sampled_from(
    ["true", "false", "null", "step", "true_", "stepper", "nulls", "e1", "inf", "nan", "-", "0", "a-b", "config_id", "",
     "let", "zip", "variants", "where", "not", "and", "or", "in", "extends", "schema", "count", "string", "none"]
)
KEYS = st.one_of(IDENTIFIERS, TRICKY_KEYS, TEXT)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    FLOATS,
    TEXT,
    st.sampled_from([0, 0.0, -0.0, 1.0, 1e16, 5e-324, 1.7976931348623157e308, 10**30, -(2**63), "", "---"]),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)
# Values of a config dict that are not sub-dicts: JSON scalars and lists.
LEAVES = st.one_of(SCALARS, st.lists(JSON, max_size=3))


def _trees(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts nested up to `depth` more levels, with static leaves."""
    child: st.SearchStrategy[Any] = LEAVES if depth == 0 else st.one_of(LEAVES, _trees(depth - 1))
    return st.dictionaries(KEYS, child, max_size=4)


TREES = _trees(2)  # a document plus two levels of nested dicts: depth 3


@st.composite
def sweeps(draw: st.DrawFn, allow_range: bool = True) -> DynamicValue[Any]:
    """A sweep of 1-4 values: arbitrary JSON values, or an int `range`."""
    if allow_range and draw(st.booleans()):
        start = draw(st.integers(-60, 60))
        step = draw(st.integers(-7, 7).filter(bool))
        n = draw(st.integers(1, 4))
        sign = 1 if step > 0 else -1
        stop = start + (n - 1) * step + sign * draw(st.integers(1, abs(step)))
        r = range(start, stop, step)
        assert len(r) == n
        return DynamicValue(r)
    return DynamicValue(draw(st.lists(JSON, min_size=1, max_size=4)))


def _dict_nodes(obj: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """`obj` and every dict reachable from it through dict values."""
    yield obj
    for value in obj.values():
        if isinstance(value, dict):
            yield from _dict_nodes(value)


@st.composite
def configs(draw: st.DrawFn, max_sweeps: int = 4, allow_range: bool = True) -> dict[str, Any]:
    """A document: nested dicts (depth <= 3) with 0-`max_sweeps` sweeps
    inserted at random places (any dict, any key position)."""
    cfg = copy.deepcopy(draw(TREES))
    for _ in range(draw(st.integers(0, max_sweeps))):
        node = draw(st.sampled_from(list(_dict_nodes(cfg))))
        taken = frozenset(node)
        key = draw(KEYS.filter(lambda k: k not in taken))
        dv = draw(sweeps(allow_range))
        items = list(node.items())
        items.insert(draw(st.integers(0, len(items))), (key, dv))
        node.clear()
        node.update(items)
    return cfg


DOCS = st.lists(configs(), min_size=0, max_size=3)
SEEDS = st.integers(0, 2**32 - 1)

# --------------------------------------------------------------------------
# Independent model of expansion
# --------------------------------------------------------------------------

Path = tuple[str, ...]


def sweep_axes(cfg: dict[str, Any], prefix: Path = ()) -> list[tuple[Path, list[Any]]]:
    """(path, values) of every sweep, depth-first in key order, not in lists."""
    out: list[tuple[Path, list[Any]]] = []
    for key, value in cfg.items():
        if isinstance(value, DynamicValue):
            out.append((prefix + (key,), list(value.values)))
        elif isinstance(value, dict):
            out.extend(sweep_axes(value, prefix + (key,)))
    return out


def substitute(cfg: dict[str, Any], chosen: dict[Path, Any], prefix: Path = ()) -> dict[str, Any]:
    """A deep copy of `cfg` with the sweep at each path replaced by its choice."""
    out: dict[str, Any] = {}
    for key, value in cfg.items():
        path = prefix + (key,)
        if isinstance(value, DynamicValue):
            out[key] = copy.deepcopy(chosen[path])
        elif isinstance(value, dict):
            out[key] = substitute(value, chosen, path)
        else:
            out[key] = copy.deepcopy(value)
    return out


def reference_id(cfg: dict[str, Any]) -> str:
    """spearmint's `Config` id, computed here from its definition."""
    canonical = json.dumps(cfg, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def model_expand(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The configs the seed's semantics give for `docs`."""
    out = []
    for doc in docs:
        axes = sweep_axes(doc)
        paths = [p for p, _ in axes]
        for combo in itertools.product(*(values for _, values in axes)):
            cfg = substitute(doc, dict(zip(paths, combo)))
            if "config_id" not in cfg:
                cfg["config_id"] = reference_id(cfg)
            out.append(cfg)
    return out


def get_path(cfg: dict[str, Any], path: Path) -> Any:
    for key in path:
        cfg = cfg[key]
    return cfg


def dumps(configs: Any) -> str:
    """Exact text of configs: tells 1 from 1.0 from True and sees key order."""
    return json.dumps(configs, ensure_ascii=False)


def non_empty(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A `.mint` document with no entries gives no config."""
    return [d for d in docs if d]


# --------------------------------------------------------------------------
# 1. Count
# --------------------------------------------------------------------------


@budget(120)
@given(docs=st.lists(configs(), min_size=1, max_size=3))
def test_count_is_product_of_sweep_lengths(docs: list[dict[str, Any]]) -> None:
    """A document expands to exactly the product of its sweeps' lengths (1
    when it has none), and a list of documents to the sum of those products:
    users size their experiment budgets by this number."""
    products = [math.prod(len(values) for _, values in sweep_axes(doc)) for doc in docs]
    for doc, product in zip(docs, products):
        assert len(expand([doc])) == product
    assert len(expand(docs)) == sum(products)


# --------------------------------------------------------------------------
# 2. Order
# --------------------------------------------------------------------------


@budget(120)
@given(cfg=configs())
def test_order_is_itertools_product(cfg: dict[str, Any]) -> None:
    """Configs come in `itertools.product` order of the sweeps taken
    depth-first in key order (last sweep fastest), so results line up with
    spearmint's own run order and with each other across runs."""
    axes = sweep_axes(cfg)
    out = expand([cfg])
    read_back = [tuple(get_path(c, path) for path, _ in axes) for c in out]
    expected = list(itertools.product(*(values for _, values in axes)))
    assert dumps(read_back) == dumps(expected)


# --------------------------------------------------------------------------
# 3. config_id
# --------------------------------------------------------------------------


@budget(120)
@given(docs=st.lists(configs(), min_size=1, max_size=3))
def test_config_id_is_spearmints_hash(docs: list[dict[str, Any]]) -> None:
    """Every config carries spearmint's `config_id` (16 hex digits of SHA-256
    over the sorted-key JSON of the config without the id) as its last key,
    so results stored by spearmint match the configs compiled here; and the
    whole output equals the independent model (values, key order, types)."""
    per_doc = []
    for doc in docs:
        out = expand([doc])
        per_doc.extend(out)
        if "config_id" in doc:
            continue  # the document sets its own id: see the next test
        for cfg in out:
            assert list(cfg)[-1] == "config_id"
            rest = {k: v for k, v in cfg.items() if k != "config_id"}
            assert list(rest) == list(doc)
            assert cfg["config_id"] == reference_id(rest)
            assert len(cfg["config_id"]) == 16 and int(cfg["config_id"], 16) >= 0
    out = expand(docs)
    assert dumps(out) == dumps(per_doc)
    assert dumps(out) == dumps(model_expand(docs))


@st.composite
def configs_with_own_id(draw: st.DrawFn) -> dict[str, Any]:
    """A document that sets a top-level `config_id`, static or swept, at a
    random key position."""
    cfg = draw(configs(max_sweeps=3))
    cfg.pop("config_id", None)
    own = draw(st.one_of(SCALARS, sweeps(allow_range=True)))
    items = list(cfg.items())
    items.insert(draw(st.integers(0, len(items))), ("config_id", own))
    return dict(items)


@budget(80)
@given(cfg=configs_with_own_id(), seed=SEEDS)
def test_explicit_config_id_is_kept(cfg: dict[str, Any], seed: int) -> None:
    """A document that sets `config_id` itself (a value or a sweep) keeps it
    unchanged at its own position: no id is computed or appended, in Python
    and in `.mint` alike."""
    own = cfg["config_id"]
    expected_ids = list(own.values) if isinstance(own, DynamicValue) else [own]
    for out in (expand([cfg]), loads(print_mint([cfg], random.Random(seed)))):
        assert out, "a document always gives at least one config"
        for c in out:
            assert list(c) == list(cfg)
        ids = list(dict.fromkeys(dumps(c["config_id"]) for c in out))
        assert ids == list(dict.fromkeys(dumps(v) for v in expected_ids))
        assert dumps(out) == dumps(model_expand([cfg]))


@budget(40)
@given(inner=JSON, value=st.lists(JSON, min_size=1, max_size=3))
def test_nested_config_id_does_not_count(inner: Any, value: list[Any]) -> None:
    """Only a top-level `config_id` replaces the computed id: a `config_id`
    key inside a nested object is ordinary data and the id is still added."""
    cfg = {"llm": {"config_id": inner, "x": DynamicValue(value)}}
    for out in (expand([cfg]), loads(print_mint([cfg]))):
        assert len(out) == len(value)
        for c in out:
            assert list(c) == ["llm", "config_id"]
            assert c["config_id"] == reference_id({"llm": c["llm"]})


# --------------------------------------------------------------------------
# 4. .mint == DynamicValue
# --------------------------------------------------------------------------


@budget(200)
@given(docs=DOCS, seed=SEEDS)
def test_mint_compiles_to_what_expand_gives(docs: list[dict[str, Any]], seed: int) -> None:
    """A sweep written in `.mint` compiles to exactly the configs that the
    same sweep written with `DynamicValue` expands to: same values with the
    same types (int vs float, -0.0), same strings (any Unicode, escaped or
    not), same key order and same ids -- the language's central promise."""
    text = print_mint(docs, random.Random(seed))
    note(f"mint text:\n{text}")
    got = loads(text)
    want = expand(non_empty(docs))
    assert dumps(got) == dumps(want)
    assert json.dumps(got) == json.dumps(want)
    assert got == want


@st.composite
def bad_sweeps(draw: st.DrawFn) -> str:
    """A value that must not compile: a sweep inside a list that is a value
    of a list sweep (at any depth of lists, or inside an object inside such
    a list, or as a sweep's value itself) or an empty sweep `[]*` (possibly
    holding only blank lines and comments)."""
    inner = draw(st.sampled_from(["[1, 2]*", "0..3", "0..1 step 0.5", "[[]]*", '["a"]*']))
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(st.sampled_from(["[]*", "[ ]*", "[\n]*", "[ # nothing\n]*", "[]  *"]))
    if kind == 1:
        return f"[[1, {inner}]]*"
    if kind == 2:
        return f"[[[{inner}]]]*"
    if kind == 3:
        return f"[[{{k: {inner}}}]]*"
    return f"[{inner}, 2]*"


@budget(60)
@given(docs=st.lists(configs(max_sweeps=2), min_size=1, max_size=2), bad=bad_sweeps(), seed=SEEDS)
def test_misplaced_or_empty_sweep_is_an_error(docs: list[dict[str, Any]], bad: str, seed: int) -> None:
    """A sweep inside a list and a sweep with no values are compile errors
    (`MintError`) wherever they stand in an otherwise valid file -- never a
    silently static value or a document that expands to nothing."""
    text = print_mint(docs, random.Random(seed))
    text += "\n---\n" + f"bad_key: {bad}\n"
    note(text)
    with pytest.raises(MintError):
        loads(text)


def _has_sweep(value: Any) -> bool:
    return isinstance(value, DynamicValue) or (isinstance(value, list) and any(_has_sweep(v) for v in value))


def _choices(value: Any) -> list[Any]:
    """The values an element of a list takes: a sweep's values, a list's
    product of its elements' (last fastest), or itself."""
    if isinstance(value, DynamicValue):
        return [copy.deepcopy(v) for v in value.values]
    if isinstance(value, list):
        return [list(combo) for combo in itertools.product(*(_choices(v) for v in value))]
    return [copy.deepcopy(value)]


def lift_lists(cfg: dict[str, Any]) -> dict[str, Any]:
    """The model of a sweep inside a list: the list is one sweep, at its
    key, whose values are the lists of the product of its elements' values."""
    out: dict[str, Any] = {}
    for key, value in cfg.items():
        if isinstance(value, list) and _has_sweep(value):
            out[key] = DynamicValue(_choices(value))
        elif isinstance(value, dict):
            out[key] = lift_lists(value)
        else:
            out[key] = value
    return out


@st.composite
def swept_lists(draw: st.DrawFn, depth: int = 0) -> list[Any]:
    """A list of 1-3 elements, one at least a sweep (a list sweep or an int
    range) or, one level down, a list holding one."""
    kinds = draw(st.lists(st.integers(0, 2 if depth == 0 else 1), min_size=1, max_size=3))
    if 1 not in kinds and 2 not in kinds:
        kinds[draw(st.integers(0, len(kinds) - 1))] = 1
    return [draw(JSON) if kind == 0 else draw(sweeps()) if kind == 1 else draw(swept_lists(depth + 1))
            for kind in kinds]


@st.composite
def configs_with_swept_lists(draw: st.DrawFn) -> dict[str, Any]:
    """A document (at most one sweep of its own) with 1-2 lists holding
    sweeps at random places; at most 300 configs."""
    cfg = draw(configs(max_sweeps=1))
    for _ in range(draw(st.integers(1, 2))):
        node = draw(st.sampled_from(list(_dict_nodes(cfg))))
        taken = frozenset(node)
        key = draw(KEYS.filter(lambda k: k not in taken))
        items = list(node.items())
        items.insert(draw(st.integers(0, len(items))), (key, draw(swept_lists())))
        node.clear()
        node.update(items)
    assume(math.prod(len(values) for _, values in sweep_axes(lift_lists(cfg))) <= 300)
    return cfg


@budget(60)
@given(docs=st.lists(configs_with_swept_lists(), min_size=1, max_size=2), seed=SEEDS)
def test_sweeps_inside_lists_are_one_axis(docs: list[dict[str, Any]], seed: int) -> None:
    """A list holding sweeps (`[[1, 2]*, 3]`, `[0..1, "x"]`, nested lists)
    is one axis at the list's key, whose values are the lists of the product
    of its elements' values, the last fastest: the configs, their count,
    `Sweep[i]` and shards are those of that model, in any layout."""
    text = print_mint(docs, random.Random(seed))
    note(f"mint text:\n{text}")
    got = loads(text)
    want = expand([lift_lists(d) for d in docs])
    assert dumps(got) == dumps(want)
    assert len(got) == sum(math.prod(len(values) for _, values in sweep_axes(lift_lists(d))) for d in docs)
    sweep = Sweep.from_text(text)
    assert len(sweep) == len(got)
    assert dumps([sweep[i] for i in range(len(got))]) == dumps(got)
    for parts in (2, 3, 5):
        assert dumps([c for k in range(1, parts + 1) for c in sweep.shard(k, parts)]) == dumps(got)


# --------------------------------------------------------------------------
# 5. Ranges
# --------------------------------------------------------------------------


def _decimal_text(d: Decimal, form: int, extra_zeros: int) -> str:
    """`d` written exactly as a `.mint` number literal.

    form 0: fixed point with a fractional part and `extra_zeros` trailing
    zeros (`1.50`); form 1: integer mantissa and exponent (`-150e-2`);
    form 2: a plain int when `d` is integral, else as form 0;
    form 3: scientific notation (`1.5e+0`, `1.5E+0`).
    """
    if form == 1:
        sign, digits, exponent = d.as_tuple()
        assert isinstance(exponent, int)
        return ("-" if sign else "") + "".join(map(str, digits)) + f"e{exponent}"
    if form == 2 and d == d.to_integral_value():
        return str(int(d))
    if form == 3:
        text = format(d, "e")
        return text.upper() if extra_zeros == 1 else text
    text = format(d, "f")
    if "." not in text:
        text += ".0"
    return text + "0" * extra_zeros


def _is_int_literal(d: Decimal, form: int) -> bool:
    return form == 2 and d == d.to_integral_value()


@st.composite
def decimal_ranges(draw: st.DrawFn) -> tuple[str, Decimal, Decimal, int]:
    """(mint range text, start, step, count): start and step of up to 3
    decimal places, end = start + (count-1)*step -- or, at random, beyond
    that by less than one step (the end is then not reached) -- and at
    least one of the three literals a float."""
    start = Decimal(draw(st.integers(-20000, 20000))).scaleb(-draw(st.integers(0, 3)))
    step = Decimal(draw(st.integers(-999, 999).filter(bool))).scaleb(-draw(st.integers(0, 3)))
    n = draw(st.integers(1, 40))
    end = start + (n - 1) * step
    if draw(st.booleans()):
        # A fraction of the step in (0, 1), with up to 4 decimal places.
        fraction = Decimal(draw(st.integers(1, 9999))).scaleb(-4)
        end += step * fraction
    bounds = (start, end, step)
    forms = [draw(st.integers(0, 3)) for _ in range(3)]
    if all(_is_int_literal(d, f) for d, f in zip(bounds, forms)):
        forms[draw(st.integers(0, 2))] = 0
    texts = [_decimal_text(d, f, draw(st.integers(0, 2))) for d, f in zip(bounds, forms)]
    return f"{texts[0]}..{texts[1]} step {texts[2]}", start, step, n


@budget(250)
@given(rng=decimal_ranges())
def test_decimal_range_values_are_exact(rng: tuple[str, Decimal, Decimal, int]) -> None:
    """`start..end step s` with decimal literals gives the values computed in
    decimal and rounded once to float (`0.0..2.0 step 0.1` has exactly 0.3),
    all floats, the end included exactly when a step lands on it -- never
    accumulated float error or an off-by-one count, whatever the spelling
    of the literals (`1.50`, `150e-2`, `1.5E+0`, an int bound)."""
    text, start, step, n = rng
    note(text)
    out = loads(f"x: {text}")
    got = [repr(c["x"]) for c in out]
    expected = [repr(float(start + i * step)) for i in range(n)]
    assert got == expected


@budget(250)
@given(
    a=st.integers(-10**6, 10**6) | st.integers(),
    delta=st.integers(0, 60),
    step=st.integers(1, 9),
    down=st.booleans(),
    omit_step=st.booleans(),
)
def test_int_range_matches_python_range(a: int, delta: int, step: int, down: bool, omit_step: bool) -> None:
    """An int range `a..b step s` is Python's `range(a, b + sign(s), s)`: ints,
    end included exactly when a step lands on it, counting down with a
    negative step; `a..b` means step 1."""
    if down:
        b, s = a - delta, -step
    else:
        b, s = a + delta, step
    text = f"{a}..{b}" if (omit_step and s == 1) else f"{a}..{b} step {s}"
    note(text)
    got = [c["x"] for c in loads(f"x: {text}")]
    expected = list(range(a, b + (1 if s > 0 else -1), s))
    assert dumps(got) == dumps(expected)
    assert all(type(v) is int for v in got)


@budget(60)
@given(a=st.integers(-100, 100), delta=st.integers(1, 50), step=st.integers(1, 9), as_float=st.booleans())
def test_empty_or_endless_ranges_are_errors(a: int, delta: int, step: int, as_float: bool) -> None:
    """A range that would yield nothing or never end (step pointing away,
    zero step, float range without step) is a compile error, never a
    silently empty sweep."""
    f = (lambda v: f"{v}.0") if as_float else str
    bad = [
        f"{f(a)}..{f(a + delta)} step {f(-step)}",
        f"{f(a)}..{f(a - delta)} step {f(step)}",
        f"{f(a)}..{f(a + delta)} step {f(0)}",
    ]
    if as_float:
        bad.append(f"{f(a)}..{f(a + delta)}")
    else:
        bad.append(f"{a}..{a - delta}")
    for text in bad:
        with pytest.raises(MintError):
            loads(f"x: {text}")


# --------------------------------------------------------------------------
# 6. Layout does not matter
# --------------------------------------------------------------------------


@budget(100)
@given(docs=DOCS, seeds=st.lists(SEEDS, min_size=2, max_size=3))
def test_layout_does_not_change_the_configs(docs: list[dict[str, Any]], seeds: list[int]) -> None:
    """Newlines vs commas, trailing commas, blank lines, indentation,
    comments, quoted vs bare keys, escaped vs raw Unicode, range vs list form,
    CRLF and a BOM are layout only: every printing of the same document
    compiles to byte-identical output."""
    canonical = dumps(loads(print_mint(docs)))
    for seed in seeds:
        text = print_mint(docs, random.Random(seed))
        note(f"mint text:\n{text}")
        assert dumps(loads(text)) == canonical


# --------------------------------------------------------------------------
# 7. Any iterable
# --------------------------------------------------------------------------


class Reiterable:
    """A custom iterable class that can be iterated many times."""

    def __init__(self, values: Iterable[Any]) -> None:
        self._values = list(values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)


class OneShot:
    """A custom iterator: iterable exactly once, like a generator."""

    def __init__(self, values: Iterable[Any]) -> None:
        self._it = iter(list(values))

    def __iter__(self) -> OneShot:
        return self

    def __next__(self) -> Any:
        return next(self._it)


class GetItemOnly:
    """Iterable through the old `__getitem__` protocol only."""

    def __init__(self, values: Iterable[Any]) -> None:
        self._values = list(values)

    def __getitem__(self, index: int) -> Any:
        return self._values[index]


class CustomSequence(Sequence[Any]):
    """A `collections.abc.Sequence` that is not a list."""

    def __init__(self, values: Iterable[Any]) -> None:
        self._values = list(values)

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, index: Any) -> Any:
        return self._values[index]


KINDS: dict[str, Callable[[Any], Any]] = {
    "list": lambda v: list(v),
    "tuple": lambda v: tuple(v),
    "range": lambda v: v,  # keeps an original `range` (others stay lists)
    "generator": lambda v: (x for x in list(v)),
    "iterator": lambda v: iter(list(v)),
    "map": lambda v: map(lambda x: x, list(v)),
    "reiterable": Reiterable,
    "one-shot": OneShot,
    "getitem": GetItemOnly,
    "sequence": CustomSequence,
}


def rebuild(cfg: dict[str, Any], kinds: Iterator[str]) -> dict[str, Any]:
    """A copy of `cfg` whose sweeps wrap their values in the next kind."""
    out: dict[str, Any] = {}
    for key, value in cfg.items():
        if isinstance(value, DynamicValue):
            kind = next(kinds)
            values = value.values
            if kind == "range" and not isinstance(values, range):
                kind = "list"
            elif kind != "range":
                values = copy.deepcopy(list(values))
            out[key] = DynamicValue(KINDS[kind](values))
        elif isinstance(value, dict):
            out[key] = rebuild(value, kinds)
        else:
            out[key] = copy.deepcopy(value)
    return out


@budget(80)
@given(docs=st.lists(configs(), min_size=1, max_size=2), mixed=st.lists(st.sampled_from(sorted(KINDS)), min_size=1))
def test_any_iterable_kind_gives_the_same_configs(docs: list[dict[str, Any]], mixed: list[str]) -> None:
    """`DynamicValue` gives the same configs whatever iterable holds its
    values -- list, tuple, range, generator, iterator, a custom iterable or
    sequence class -- and expanding the same configs twice gives the same
    result even when a generator was consumed the first time."""
    baseline = dumps(expand([rebuild(d, itertools.repeat("list")) for d in docs]))
    for kind in KINDS:
        built = [rebuild(d, itertools.repeat(kind)) for d in docs]
        assert dumps(expand(built)) == baseline, kind
        assert dumps(expand(built)) == baseline, f"{kind}, second expansion"
    built = [rebuild(d, itertools.cycle(mixed)) for d in docs]
    assert dumps(expand(built)) == baseline
    assert dumps(expand(built)) == baseline
