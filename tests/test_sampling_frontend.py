"""The front end of sampling: distributions as values and `sample N seed S
method`, parsed, built, lowered to the run-time objects of
`spearmint_lang.sampling`, checked (arguments, placement, document rules,
`schema`, `where`) and formatted. Diagnostics are compared whole: code,
position, message, hint and the text each fix writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spearmint_lang import loads, nodes
from spearmint_lang.compiler import compile_file, compile_text
from spearmint_lang.dynamic import DynamicValue, Slot, Variants
from spearmint_lang.errors import Diagnostic
from spearmint_lang.fmt import format_source
from spearmint_lang.grammar import item_words, keywords
from spearmint_lang.sampling import Choice, LogNormal, LogUniform, Normal, RandInt, Sample, Uniform
from tests.conftest import strip_ids
from tests.test_fmt import check_formatting


def template(text: str) -> dict[Any, Any]:
    """The lowered template of a one-document text that compiles cleanly."""
    unit = compile_text(text, "sweep.mint")
    assert unit.diagnostics == [], [d.render() for d in unit.diagnostics]
    (doc,) = unit.documents
    return doc.template


def public(t: dict[Any, Any]) -> dict[Any, Any]:
    """A template with its slots shown by label."""
    return {(k.label if isinstance(k, Slot) else k): v for k, v in t.items()}


Shown = tuple[str, int, int, str, str | None]


def shown(d: Diagnostic) -> Shown:
    return (d.code, d.span.line, d.span.column, d.message, d.hint)


def diagnostics(text: str) -> list[Shown]:
    return [shown(d) for d in compile_text(text, "sweep.mint").diagnostics]


def only(text: str) -> Diagnostic:
    """The one diagnostic of a text."""
    found = compile_text(text, "sweep.mint").diagnostics
    assert len(found) == 1, [d.render() for d in found]
    return found[0]


def fixed(text: str, d: Diagnostic, which: int = 0) -> str:
    """`text` with the edits of the diagnostic's fix `which` applied."""
    fix = d.fixes[which]
    lines = text.split("\n")
    for edit in sorted(fix.edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        span = edit.span
        assert span.line == span.end_line
        line = lines[span.line - 1]
        lines[span.line - 1] = line[: span.column - 1] + edit.text + line[span.end_column - 1 :]
    return "\n".join(lines)


# --- every form, lowered ----------------------------------------------------------------------------

def test_every_distribution_lowers_to_its_run_time_object() -> None:
    t = template(
        "lr: loguniform(1e-5, 1e-1)\n"
        "temperature: uniform(0.0, 1.0) step 0.05\n"
        "batch: randint(1, 9)\n"
        "x: normal(0, 1)\n"
        "y: lognormal(0, 1) step 1\n"
        'model: choice(["a", "b", "c"])\n'
        'weighted: choice(["a", "b"], weights: [3, 1])\n'
        "sample 64 seed 7 sobol\n"
    )
    assert list(t) == ["lr", "temperature", "batch", "x", "y", "model", "weighted", *[k for k in t if isinstance(k, Slot)]]
    assert public(t) == {
        "lr": LogUniform(1e-5, 1e-1),
        "temperature": Uniform(0.0, 1.0, step="0.05"),
        "batch": RandInt(1, 9),
        "x": Normal(0, 1),
        "y": LogNormal(0, 1, step="1"),
        "model": Choice(["a", "b", "c"]),
        "weighted": Choice(["a", "b"], [3, 1]),
        "sample": public(t)["sample"],
    }
    assert repr(public(t)["sample"]) == "Sample(64, seed=7, method='sobol')"
    assert repr(t["temperature"]) == "Uniform(0.0, 1.0, step='0.05')"
    assert repr(t["weighted"]) == "Choice(['a', 'b'], [3, 1])"
    assert type(t["x"].mu) is int and type(t["temperature"].a) is float  # the numbers as written


@pytest.mark.parametrize(("line", "n", "seed", "method"), [
    ("sample 64", 64, 0, "random"),
    ("sample 64 seed 7", 64, 7, "random"),
    ("sample 64 seed 7 sobol", 64, 7, "sobol"),
    ("sample 64 sobol", 64, 0, "sobol"),
    ("sample 5 halton", 5, 0, "halton"),
    ("sample 5 seed 0 lhs", 5, 0, "lhs"),
    ("sample 1 random", 1, 0, "random"),
])
def test_sample_lines(line: str, n: int, seed: int, method: str) -> None:
    t = template(f"lr: uniform(0, 1)\n{line}\n")
    sample = t[list(t)[-1]]
    assert isinstance(sample, Sample) and (sample.n, sample.seed, sample.method) == (n, seed, method)


def test_the_sample_slot_is_the_last_key_wherever_sample_stands() -> None:
    t = template('sample 3\nmodel: ["a", "b"]*\nlr: uniform(0, 1)\nwhere model != "b"\n')
    keys = list(t)
    assert keys[:2] == ["model", "lr"]
    assert [k.label for k in keys[2:]] == ["where", "sample"]


def test_distributions_stand_in_objects_variants_and_swept_objects() -> None:
    t = template(
        "optimizer: { name: \"adamw\", lr: loguniform(1e-5, 1e-1), betas: { b1: uniform(0.8, 0.99) } }\n"
        'variants [ { opt: "sgd", momentum: uniform(0.8, 0.99) }, { opt: "adam" } ]\n'
        "params: [ { wd: loguniform(1e-6, 1e-2) }, { wd: 0 } ]*\n"
        "sample 4\n"
    )
    assert t["optimizer"] == {"name": "adamw", "lr": LogUniform(1e-5, 1e-1), "betas": {"b1": Uniform(0.8, 0.99)}}
    alternatives = public(t)["variants"]
    assert isinstance(alternatives, Variants)
    assert alternatives.alternatives == [{"opt": "sgd", "momentum": Uniform(0.8, 0.99)}, {"opt": "adam"}]
    assert isinstance(t["params"], DynamicValue) and t["params"].values == [{"wd": LogUniform(1e-6, 1e-2)}, {"wd": 0}]


def test_let_names_stand_for_arguments_lists_steps_counts_and_distributions() -> None:
    t = template(
        "let lo = 1e-5\nlet hi = 1e-1\nlet q = 0.05\nlet models = [\"a\", \"b\"]\nlet w = [1, 3]\n"
        "let lr = loguniform(lo, hi)\nlet n = 10\nlet s = 3\n"
        "a: lr\nb: lr\nt: uniform(0, 1) step q\nm: choice(models, weights: w)\n"
        "sample n seed s halton\n"
    )
    assert public(t) == {"a": LogUniform(1e-5, 1e-1), "b": LogUniform(1e-5, 1e-1), "t": Uniform(0, 1, step="0.05"),
                         "m": Choice(["a", "b"], [1, 3]), "sample": public(t)["sample"]}
    assert t["a"] is t["b"]  # a name is lowered once
    assert repr(public(t)["sample"]) == "Sample(10, seed=3, method='halton')"


def test_choice_takes_any_values() -> None:
    t = template('c: choice([{ model: "a", t: 0.1 }, [1, 2], null, true, 3.5])\nsample 2\n')
    assert t["c"] == Choice([{"model": "a", "t": 0.1}, [1, 2], None, True, 3.5])


def test_sample_and_seed_are_still_keys() -> None:
    t = template("seed: 1..3\nsample: 3\no: { sample: 1, seed: 2 }\n")
    assert t["sample"] == 3 and t["o"] == {"sample": 1, "seed": 2}
    assert list(t["seed"]) == [1, 2, 3]
    assert strip_ids(loads('schema { sample: int, seed?: int }\nsample: 3\n---\nvariants [{ seed: 1 }]\nwhere seed == 1\n')) \
        == [{"sample": 3}, {"seed": 1}]
    assert strip_ids(loads("let seed = 4\nlet sample = 5\na: seed\nb: [sample]\n")) == [{"a": 4, "b": [5]}]


def test_grid_times_samples_with_the_samples_innermost() -> None:
    configs = strip_ids(loads('model: ["a", "b"]*\nx: uniform(0, 1)\nsample 3\n'))
    assert [c["model"] for c in configs] == ["a", "a", "a", "b", "b", "b"]
    assert len({c["x"] for c in configs}) == 6


def test_the_words_come_from_the_grammar() -> None:
    assert {"SAMPLE": "sample", "SEED": "seed"}.items() <= keywords().items()
    assert "sample" in item_words() and "seed" not in item_words()


def test_walk_visits_the_parts_of_distributions_and_sample() -> None:
    unit = compile_text("let q = 0.5\nlet n = 2\nx: choice([1, 2], weights: [q, 1])\ny: uniform(0, 1) step q\n"
                        "sample n seed n\n", "sweep.mint")
    assert unit.ast is not None
    refs = [(r.name, r.span.line, r.span.column) for r in nodes.walk(unit.ast) if isinstance(r, nodes.Ref)]
    assert refs == [("q", 3, 29), ("q", 4, 23), ("n", 5, 8), ("n", 5, 15)]
    (dist,) = [d for d in nodes.walk(unit.ast) if isinstance(d, nodes.Distribution) and d.name == "choice"]
    assert [type(c).__name__ for c in dist.children()] == ["ListValue", "Keyword"]
    assert (dist.name_span.column, dist.args_span.column, dist.span.end_column) == (4, 10, 35)


# --- E085: unknown distributions ----------------------------------------------------------------

@pytest.mark.parametrize(("value", "hint", "written"), [
    ("unifrom(0, 1)", "did you mean `uniform`?", "uniform(0, 1)"),
    ("Uniform(0, 1)", "write `uniform`: names are lowercase", "uniform(0, 1)"),
    ("LogUniform(1e-5, 1e-1)", "write `loguniform`: names are lowercase", "loguniform(1e-5, 1e-1)"),
    ("tune.uniform(0, 1)", "write `uniform`: a distribution has no `tune.` prefix", "uniform(0, 1)"),
    ("np.random.randint(0, 10)", "write `randint`: a distribution has no `np.random.` prefix", "randint(0, 10)"),
    ('hp.uniform("lr", 0, 1)', "write `uniform(0, 1)`: the key names the value", "uniform(0, 1)"),
    ("tune.quniform(0, 1, 0.05)", "write `uniform(0, 1) step 0.05`", "uniform(0, 1) step 0.05"),
    ("qloguniform(1e-5, 1e-1, 1e-5)", "write `loguniform(1e-5, 1e-1) step 1e-5`", "loguniform(1e-5, 1e-1) step 1e-5"),
    ("tune.qrandint(0, 12, 3)", "write `randint(0, 13) step 3` (`randint` excludes its end)", "randint(0, 13) step 3"),
    ("tune.randn(0, 2)", "write `normal(0, 2)`", "normal(0, 2)"),
    ("randn()", "write `normal(0, 1)`", "normal(0, 1)"),
    ("interval(0, 1)", "write `uniform(0, 1)`", "uniform(0, 1)"),
    ("tag(log, interval(1e-5, 1e-1))", "write `loguniform(1e-5, 1e-1)`", "loguniform(1e-5, 1e-1)"),
    ("int(interval(1, 8))", "write `randint(1, 9)` (`randint` excludes its end)", "randint(1, 9)"),
    ("log_uniform_values(1e-5, 1e-1)", "write `loguniform(1e-5, 1e-1)`", "loguniform(1e-5, 1e-1)"),
    ("int_uniform(1, 8)", "write `randint(1, 9)` (`randint` excludes its end)", "randint(1, 9)"),
    ("q_uniform(0, 10, 2)", "write `uniform(0, 10) step 2`", "uniform(0, 10) step 2"),
    ('categorical(["a", "b"])', 'write `choice(["a", "b"])`', 'choice(["a", "b"])'),
    ('trial.suggest_categorical("m", ["a", "b"])', 'write `choice(["a", "b"])`', 'choice(["a", "b"])'),
    ('trial.suggest_float("lr", 1e-5, 1e-1)', "write `uniform(1e-5, 1e-1)` (or `loguniform` for `log=True`)",
     "uniform(1e-5, 1e-1)"),
    ('trial.suggest_int("n", 1, 8)', "write `randint(1, 9)` (`randint` excludes its end)", "randint(1, 9)"),
    ("tune.grid_search([1, 2])", "write `[1, 2]*`: a grid axis is a list sweep", "[1, 2]*"),
    ("range(0, 10)", "write `0..<10`: a range sweep, end excluded", "0..<10"),
])
def test_unknown_distributions_say_what_to_write(value: str, hint: str, written: str) -> None:
    text = f"x: {value}\nsample 2\n"
    found = [d for d in compile_text(text, "sweep.mint").diagnostics]
    assert [d.code for d in found] == ["E085"]  # nothing inside it, no `sample` rule: one error
    (d,) = found
    name = value.split("(")[0]
    assert shown(d) == ("E085", 1, 4, f"unknown distribution `{name}`", hint)
    assert (d.span.end_line, d.span.end_column) == (1, 4 + len(name))
    assert fixed(text, d) == f"x: {written}\nsample 2\n"


@pytest.mark.parametrize(("value", "hint"), [
    ("tune.lograndint(1, 100)", "write `loguniform(a, b) step 1` for integers spread evenly in log space"),
    ("log_uniform(-5, 0)", "write `loguniform(a, b)` with the bounds themselves (`log_uniform` in W&B and hyperopt "
                           "takes their logarithms)"),
    ("tune.sample_from(f)", "a `.mint` value cannot call code: write the values, or a distribution such as "
                            "`uniform(0, 1)`"),
    ("gamma(1, 2)", "the distributions are `uniform`, `loguniform`, `randint`, `normal`, `lognormal` and `choice`"),
])
def test_unknown_distributions_without_a_rewrite(value: str, hint: str) -> None:
    d = only(f"x: {value}\nsample 2\n")
    assert shown(d) == ("E085", 1, 4, f"unknown distribution `{value.split('(')[0]}`", hint)
    assert d.fixes == ()


def test_an_unknown_distribution_alone_asks_for_no_sample() -> None:
    assert [c for c, *_ in diagnostics("x: unifrom(0, 1)\n")] == ["E085"]
    assert [c for c, *_ in diagnostics("x: unifrom(0, 1)\nsample 3\n")] == ["E085"]


def test_mistakes_inside_an_unknown_distribution_are_still_reported() -> None:
    assert [(c, col) for c, _, col, *_ in diagnostics('x: tag(log, interval(0,,1), "\\q")\n')] == \
        [("E085", 4), ("E014", 24), ("E010", 30)]


# --- E086: arguments ---------------------------------------------------------------------------

E086_CASES: dict[str, tuple[str, int, str, str | None, str | None]] = {
    # name: (value, column, message, hint, text after the fix (None: no fix))
    "too-many": ("uniform(0, 1, 0.1)", 18, "`uniform` takes 2 arguments, `uniform(a, b)`, but this gives 3",
                 "to round to multiples of 0.1, write `uniform(0, 1) step 0.1`", "uniform(0, 1) step 0.1"),
    "base": ("loguniform(1, 10, 10)", 22, "`loguniform` takes 2 arguments, `loguniform(a, b)`, but this gives 3",
             "remove it: a log-uniform law is the same in any base", "loguniform(1, 10)"),
    "four": ("normal(0, 1, 2, 3)", 17, "`normal` takes 2 arguments, `normal(mu, sigma)`, but this gives 4",
             "write `normal(mu, sigma)`", None),
    "randint-one": ("randint(10)", 11, "`randint` takes 2 arguments, `randint(a, b)`, but this gives 1",
                    "write `randint(0, 10)` for 0 to 10, end excluded", "randint(0, 10)"),
    "normal-none": ("normal()", 10, "`normal` takes 2 arguments, `normal(mu, sigma)`, but this gives 0",
                    "write `normal(0, 1)` for the standard one", "normal(0, 1)"),
    "uniform-one": ("uniform(1)", 11, "`uniform` takes 2 arguments, `uniform(a, b)`, but this gives 1",
                    "write `uniform(a, b)`", None),
    "string": ('uniform("0", 1)', 12, "the arguments of `uniform` are numbers, not a string",
               "write the number without quotes: `0`", "uniform(0, 1)"),
    "list": ("normal([0], 1)", 11, "the arguments of `normal` are numbers, not a list", None, None),
    "float-randint": ("randint(1.0, 9)", 12, "`randint` draws integers: its bounds are integers, not 1.0",
                      "write `1`", "randint(1, 9)"),
    "fraction-randint": ("randint(0, 9.5)", 15, "`randint` draws integers: its bounds are integers, not 9.5", None,
                         None),
    "choice-spread": ('choice("a", "b")', 11, "`choice` takes its values in one list",
                      'write `choice(["a", "b"])` to draw one per config, or the grid `["a", "b"]*` for every value once',
                      'choice(["a", "b"])'),
    "choice-two-lists": ('choice(["a"], ["b"])', 18, "`choice` takes one list of values, but this gives 2 arguments",
                         "put every value in one list", None),
    "choice-empty-call": ("choice()", 10, "`choice` takes a list of values", 'write them in a list: `choice(["a", "b"])`',
                          None),
    "choice-not-list": ("choice(3)", 11, "`choice` takes a list of values, not the number 3", "write `choice([3])`",
                        "choice([3])"),
    "misspelt-keyword": ('choice(["a"], weight: [1])', 18, "`choice` has no argument `weight`", "did you mean `weights`?",
                         'choice(["a"], weights: [1])'),
    "keyword-on-uniform": ("uniform(0, 1, base: 10)", 18, "`uniform` has no argument `base`",
                           "write `uniform(a, b)`", None),
    "step-as-keyword": ("uniform(0, 1, step: 0.1)", 18, "`step` is written after the parentheses",
                        "write `uniform(0, 1) step 0.1`", "uniform(0, 1) step 0.1"),
    "twice": ('choice(["a"], weights: [1], weights: [2])', 32, "`weights` is given twice", "remove one of them", None),
    "after-keyword": ('choice(weights: [1], ["a"])', 25, "a value without a name cannot follow a named argument",
                      "put it before `weights:`", None),
    "weights-count": ('choice(["a", "b"], weights: [1])', 32, "`weights` has 1 number for 2 values",
                      "give one weight per value, in the same order", None),
    "weights-not-list": ('choice(["a"], weights: 1)', 27, "`weights` is a list of numbers, one per value, not the number 1",
                         None, None),
    "weights-kind": ('choice(["a"], weights: ["1"])', 28, "a weight is a number, not a string",
                     "write the number without quotes: `1`", 'choice(["a"], weights: [1])'),
    "step-on-choice": ('choice(["a", "b"]) step 1', 28, "`choice` draws one of its values as they are: it takes no `step`",
                       "remove the step", 'choice(["a", "b"])'),
    "step-not-number": ("uniform(0, 1) step q", 23, "the step of a distribution is a number, but `q` is a string", None,
                        None),
}


@pytest.mark.parametrize("name", sorted(E086_CASES))
def test_wrong_arguments(name: str) -> None:
    value, column, message, hint, after = E086_CASES[name]
    text = f'let q = "x"\nx: {value}\nsample 2\n'
    d = only(text)
    assert shown(d) == ("E086", 2, column, message, hint)
    if after is None:
        assert d.fixes == ()
    else:
        assert len(d.fixes) == (2 if name == "choice-spread" else 1)
        assert fixed(text, d) == f'let q = "x"\nx: {after}\nsample 2\n'
    if name == "choice-spread":  # (or a grid over the values: issue 13)
        assert fixed(text, d, 1) == 'let q = "x"\nx: ["a", "b"]*\nsample 2\n'


def test_step_inside_the_parentheses() -> None:
    assert diagnostics("x: uniform(step: 0.1)\nsample 2\n") == [
        ("E086", 1, 11, "`uniform` takes 2 arguments, `uniform(a, b)`, but this gives 0", "write `uniform(a, b)`"),
        ("E086", 1, 12, "`step` is written after the parentheses", "write `uniform(a, b) step 0.1`"),
    ]
    d = only("x: uniform(0, 1, step 0.1)\n")  # a syntax error
    assert shown(d) == ("E086", 1, 18, "`step` is written after the parentheses",
                        "write `uniform(a, b) step q`: the value is rounded to a multiple of q")
    d = only("x: uniform(0, 1,\n  step: 0.1)\nsample 2\n")
    assert shown(d) == ("E086", 2, 3, "`step` is written after the parentheses", "write `uniform(0, 1) step 0.1`")


def test_named_arguments_with_equals() -> None:
    d = only("x: uniform(low=0, high=1)\n")
    assert shown(d) == ("E086", 1, 15, "the arguments of a distribution have no names: `low=` cannot stand here",
                        "give the values in order, as `uniform(0, 1)`; only `choice` takes `weights: [...]`")


def test_weights_count_notes_the_values() -> None:
    d = only('x: choice(["a", "b"], weights: [1])\nsample 2\n')
    assert [(r.span.line, r.span.column, r.span.end_column, r.message) for r in d.related] == \
        [(1, 11, 21, "the 2 values are here")]


def test_arguments_naming_what_is_not_a_number() -> None:
    assert diagnostics('let m = "x"\nx: uniform(m, 1)\ny: uniform(z, 1)\nsample 2\n') == [
        ("E086", 2, 12, "the arguments of `uniform` are numbers, but `m` is a string", None),
        ("E040", 3, 12, "unknown name `z`", 'strings need quotes: "z"'),
    ]


def test_an_argument_too_large_for_a_float() -> None:
    d = only(f"x: uniform(0, 1{'0' * 400})\nsample 2\n")
    assert (d.code, d.span.column, d.message) == ("E087", 15, f"`1{'0' * 19}...` is too large for a 64-bit float")


# --- E087: parameters ---------------------------------------------------------------------------

E087_CASES: dict[str, tuple[str, int, str, str, str | None]] = {
    "reversed": ("uniform(1, 0)", 11, "`uniform(a, b)` needs a < b, but a is 1 and b is 0", "swap them: `uniform(0, 1)`",
                 "uniform(0, 1)"),
    "equal": ("uniform(0.5, 0.5)", 11, "`uniform(a, b)` needs a < b, but a is 0.5 and b is 0.5",
              "`uniform(0.5, 0.5)` would always give 0.5: write the value itself", "0.5"),
    "randint-equal": ("randint(3, 3)", 11, "`randint(a, b)` needs a < b, but a is 3 and b is 3",
                      "`randint` excludes its end, so `randint(3, 4)` would always give 3: write the value itself", "3"),
    "randint-reversed": ("randint(9, 1)", 11, "`randint(a, b)` needs a < b, but a is 9 and b is 1",
                         "swap them: `randint(1, 9)`", "randint(1, 9)"),
    "log-zero": ("loguniform(0, 1e-1)", 15, "`loguniform(a, b)` needs a > 0, but a is 0: it is uniform in the logarithm "
                 "of the value", "start above 0, as `loguniform(1e-5, 1e-1)`, or use `uniform` to include 0", None),
    "log-reversed": ("loguniform(1e-1, 1e-5)", 14, "`loguniform(a, b)` needs a < b, but a is 1e-1 and b is 1e-5",
                     "swap them: `loguniform(1e-5, 1e-1)`", "loguniform(1e-5, 1e-1)"),
    "sigma-negative": ("normal(0, -1)", 14, "`normal(mu, sigma)` needs sigma > 0, but sigma is -1",
                       "the spread is positive: write `1`", "normal(0, 1)"),
    "sigma-zero": ("normal(5, 0)", 14, "`normal(mu, sigma)` needs sigma > 0, but sigma is 0",
                   "with sigma 0 every draw is mu: write `5` itself", "5"),
    "lognormal-sigma-zero": ("lognormal(5, 0)", 17, "`lognormal(mu, sigma)` needs sigma > 0, but sigma is 0",
                             "with sigma 0 every draw is exp(mu): write that value itself", None),
    "lognormal-overflow": ("lognormal(700, 10)", 13, "`lognormal(700, 10)`: lognormal(mu, sigma) draws values too "
                           "large for a float: make mu or sigma smaller", None, None),
    "step-zero": ("uniform(0, 1) step 0", 23, "the step of a distribution must be above 0, not 0",
                  "values are rounded to the nearest multiple of the step, e.g. `step 0.05`", None),
    "step-negative": ("uniform(0, 1) step -0.1", 23, "the step of a distribution must be above 0, not -0.1",
                      "write `step 0.1`", "uniform(0, 1) step 0.1"),
    "no-multiple": ("uniform(0.01, 0.02) step 0.05", 29, "no multiple of the step 0.05 lies within the values of "
                    "`uniform`, so nothing could be drawn", "use a smaller step, or wider bounds", None),
    "randint-no-multiple": ("randint(1, 3) step 5", 23, "no multiple of the step 5 lies within the values of `randint`, "
                            "so nothing could be drawn", "use a smaller step, or wider bounds", None),
    "empty-choice": ("choice([])", 11, "`choice` needs at least one value", 'give its values, e.g. `choice(["a", "b"])`',
                     None),
    "negative-weight": ('choice(["a", "b"], weights: [1, -1])', 36, "a weight cannot be negative, but this is -1",
                        "a weight says how likely its value is, relative to the others: 0 or more", None),
    "zero-weights": ('choice(["a", "b"], weights: [0, 0.0])', 32, "the weights are all 0, so no value could be drawn",
                     "give at least one value a weight above 0", None),
}


@pytest.mark.parametrize("name", sorted(E087_CASES))
def test_parameters_out_of_range(name: str) -> None:
    value, column, message, hint, after = E087_CASES[name]
    text = f"x: {value}\nsample 2\n"
    d = only(text)
    assert shown(d) == ("E087", 1, column, message, hint)
    if after is None:
        assert d.fixes == ()
    else:
        assert fixed(text, d) == f"x: {after}\nsample 2\n"


def test_reversed_bounds_span_both() -> None:
    d = only("x: uniform(1, 0)\nsample 2\n")
    assert (d.span.column, d.span.end_column) == (11, 17)


def test_a_zero_weight_is_fine() -> None:
    assert template('x: choice(["a", "b"], weights: [0, 2])\nsample 2\n')["x"] == Choice(["a", "b"], [0, 2])


# --- W005, W006 ---------------------------------------------------------------------------------

def test_a_step_that_leaves_one_value_warns() -> None:
    assert diagnostics("a: uniform(0, 0.04) step 0.05\nb: randint(0, 5) step 10\nsample 2\n") == [
        ("W005", 1, 26, "`step 0.05` leaves one value: 0.0 is the only multiple of 0.05 within the values of `uniform`",
         "use a smaller step, or write `0.0` itself"),
        ("W005", 2, 23, "`step 10` leaves one value: 0 is the only multiple of 10 within the values of `randint`",
         "use a smaller step, or write `0` itself"),
    ]


def test_sobol_with_a_count_not_a_power_of_two_warns() -> None:
    text = "x: uniform(0, 1)\nsample 100 seed 1 sobol\n"
    d = only(text)
    assert shown(d) == ("W006", 2, 8, "Sobol points are balanced only in runs of a power of 2, and 100 is not one",
                        "draw `sample 128` (or 64), or use `halton` or `lhs`, which take any count")
    assert fixed(text, d) == "x: uniform(0, 1)\nsample 128 seed 1 sobol\n"
    for n in (1, 2, 64, 1024):
        assert diagnostics(f"x: uniform(0, 1)\nsample {n} sobol\n") == []
    assert diagnostics("x: uniform(0, 1)\nsample 100 halton\n") == []


# --- E088, E016: where a distribution cannot stand --------------------------------------------

def test_distributions_inside_lists_zips_and_ranges() -> None:
    hint = "give the key its own distribution, or draw one of several values with `choice([...])`"
    assert diagnostics(
        "let u = uniform(0, 1)\n"
        "a: [uniform(0, 1), 2]\n"
        "b: [u]\n"
        "c: [[1, 2], [normal(0, 1)]]*\n"
        "zip { d: uniform(0, 1), e: [1] }\n"
        "zip { f: [1, normal(0, 1)], g: [1, 2] }\n"
        "h: 0..u\n"
        'i: choice([{ x: uniform(0, 1) }])\n'
        "sample 2\n"
    ) == [
        ("E088", 2, 5, "a distribution can only stand as the value of a key, not inside a list", hint),
        ("E088", 3, 5, "`u` is a distribution, which can only stand as the value of a key, not inside a list", hint),
        ("E088", 4, 14, "a distribution can only stand as the value of a key, not inside a list", hint),
        ("E088", 5, 10, "`d` in a `zip` must be a list or a range, not a distribution",
         "move `d` out of the `zip`: a sampled key gets a value of its own in every config"),
        ("E088", 6, 14, "a distribution can only stand as the value of a key, not inside a list", hint),
        ("E016", 7, 7, "a range bound must be a number, but `u` is a distribution",
         "a range's values are fixed: give its bounds as numbers"),
        ("E088", 8, 17, "a distribution can only stand as the value of a key, not inside a list", hint),
    ]


def test_a_distribution_cannot_be_swept() -> None:
    assert diagnostics("x: uniform(0, 1)*\nsample 2\n") == [
        ("E021", 1, 17, "`*` sweeps a list, but it follows a value", "write the values as a list: `[a, b, c]*`")]


# --- E089, E090, E091, E092: the document rules --------------------------------------------------

def test_a_distribution_needs_sample() -> None:
    text = 'model: ["a", "b"]*\nt: { x: uniform(0.0, 1.0) }  # note\n'
    d = only(text)
    assert shown(d) == ("E089", 2, 9, "a distribution needs `sample N` in its document, the number of configs to draw "
                        "per grid point", "add `sample 20` to draw 20 configs per grid point")
    assert (d.span.end_line, d.span.end_column) == (2, 26)
    assert fixed(text, d) == 'model: ["a", "b"]*\nt: { x: uniform(0.0, 1.0) }  # note\nsample 20\n'
    assert template(fixed(text, d))["t"] == {"x": Uniform(0.0, 1.0)}


def test_a_distribution_through_a_name_needs_sample_at_the_name() -> None:
    assert diagnostics("let u = uniform(0, 1)\nlet o = { a: u }\nx: 1\ny: o\n---\nz: u\nsample 2\n") == [
        ("E089", 4, 4, "a distribution needs `sample N` in its document, the number of configs to draw per grid point",
         "add `sample 20` to draw 20 configs per grid point"),
    ]


def test_each_document_has_its_own_sample() -> None:
    assert [(c, line) for c, line, *_ in diagnostics("x: uniform(0, 1)\nsample 2\n---\ny: uniform(0, 1)\n")] == \
        [("E089", 4)]


def test_sample_without_a_distribution() -> None:
    assert diagnostics('model: ["a", "b"]*\nsample 5\n') == [
        ("E090", 2, 1, "`sample` draws nothing here: no key of this document has a distribution",
         "give a key a distribution, as `lr: loguniform(1e-5, 1e-1)`; to repeat each config, sweep a seed instead: "
         "`seed: 0..<5`"),
    ]
    assert [c for c, *_ in diagnostics("sample 3\n")] == ["E090"]  # a document of `sample` alone


def test_sample_with_only_a_broken_distribution_is_not_reported_again() -> None:
    assert [c for c, *_ in diagnostics("x: uniform(1, 0)\nsample 5\n")] == ["E087"]
    assert [c for c, *_ in diagnostics("x: [uniform(0, 1)]\nsample 5\n")] == ["E088"]


def test_at_most_one_sample() -> None:
    d = only("x: uniform(0, 1)\nsample 2\nsample 3 seed 1\n")
    assert shown(d) == ("E091", 3, 1, "a document has at most one `sample`",
                        "keep one: it says how many configs each grid point gets")
    assert [(r.span.line, r.span.column, r.message) for r in d.related] == [(2, 1, "the first `sample` is here")]


@pytest.mark.parametrize(("line", "column", "message", "hint", "after"), [
    ("sample 0", 8, "`sample` takes a whole number of configs per grid point (1 or more), not 0",
     "e.g. `sample 20 seed 0`", None),
    ("sample -3", 8, "`sample` takes a whole number of configs per grid point (1 or more), not -3",
     "e.g. `sample 20 seed 0`", None),
    ("sample 1e3", 8, "`sample` takes a whole number of configs per grid point, not 1e3", "write `1000`", "sample 1000"),
    ("sample 2.5", 8, "`sample` takes a whole number of configs per grid point, not 2.5", None, None),
    ("sample 8 seed -1", 15, "the seed of `sample` is a whole number (0 or more), not -1", "e.g. `sample 20 seed 0`",
     None),
    ("sample 8 seed 1.0", 15, "the seed of `sample` is a whole number, not 1.0", "write `1`", "sample 8 seed 1"),
    ("sample 8 sobel", 10, "unknown sampling method `sobel`", "did you mean `sobol`?", "sample 8 sobol"),
    ("sample 8 Halton", 10, "unknown sampling method `Halton`", "did you mean `halton`?", "sample 8 halton"),
    ("sample 8 grid", 10, "unknown sampling method `grid`",
     "the methods are `random` (the default), `sobol`, `halton` and `lhs`", None),
    ("sample 8 7", 10, "the seed of `sample` follows the word `seed`", "write `sample 8 seed 7`", "sample 8 seed 7"),
    ("sample n", 8, "`sample` takes a whole number of configs per grid point, but `n` is a string", None, None),
])
def test_bad_sample_lines(line: str, column: int, message: str, hint: str | None, after: str | None) -> None:
    text = f'let n = "x"\nx: uniform(0, 1)\n{line}\n'
    d = only(text)
    assert shown(d) == ("E092", 3, column, message, hint)
    if after is None:
        assert d.fixes == ()
    else:
        assert fixed(text, d) == f'let n = "x"\nx: uniform(0, 1)\n{after}\n'


def test_sample_alone_on_its_line() -> None:
    hint = "write `sample 20` to draw 20 configs per grid point, or `sample: value` for a key"
    assert diagnostics("sample\nx: 1\n") == [("E007", 1, 7, "missing `:` after key `sample`", hint)]
    assert diagnostics("sample") == [("E007", 1, 7, "missing `:` after key `sample`", hint)]


def test_a_misspelt_step_after_a_distribution() -> None:
    assert diagnostics("x: uniform(0, 1) stpe 0.1\n") == [
        ("E015", 1, 18, "unknown word `stpe` after a distribution", "did you mean `step`?")]


# --- `schema` -----------------------------------------------------------------------------------

def test_schema_checks_what_a_distribution_can_draw() -> None:
    text = (
        "schema {\n"
        "  t: float in 0.0..2.0\n"
        "  b: int in 1..8\n"
        "  n: float in 0.0..1.0\n"
        '  m: "a" | "b"\n'
        "  k: int\n"
        "  p: 16 | 32 | 64\n"
        "  l: float in 1e-6..1.0\n"
        "  g: float in 0.0..1.0\n"
        "}\n"
        "t: uniform(0, 3)\n"
        "b: randint(0, 10)\n"
        "n: normal(0.5, 0.1)\n"
        'm: choice(["a", "c"])\n'
        "k: uniform(0, 5)\n"
        "p: randint(16, 65) step 16\n"
        "l: loguniform(1e-7, 0.5)\n"
        "g: lognormal(0, 1)\n"
        "sample 2\n"
    )
    assert diagnostics(text) == [
        ("E083", 11, 4, "`t` must be float in 0.0..2.0, but this is `uniform(0, 3)`, which draws values up to 3.0",
         "write `uniform(0, 2.0)` to stay within the bounds"),
        ("E083", 12, 4, "`b` must be int in 1..8, but this is `randint(0, 10)`, which can draw 0",
         "write `randint(1, 9)` to stay within the bounds"),
        ("E083", 13, 4, "`n` must be float in 0.0..1.0, but this is `normal(0.5, 0.1)`, which can draw any value",
         "`normal` is unbounded: draw from `uniform(a, b)` within the bounds, or loosen the schema"),
        ("E083", 14, 17, '`m` must be "a" | "b", but this is the string "c"', None),
        ("E083", 15, 4, "`k` must be int, but this is `uniform(0, 5)`, which draws floats",
         "draw integers with `randint(a, b)`, or round to them with `step 1`"),
        ("E083", 16, 4, "`p` must be 16 | 32 | 64, but this is `randint(16, 65) step 16`, which can draw 48", None),
        ("E083", 17, 4, "`l` must be float in 1e-6..1.0, but this is `loguniform(1e-7, 0.5)`, which draws values down to "
         "1e-07", "write `loguniform(1e-6, 0.5)` to stay within the bounds"),
        ("E083", 18, 4, "`g` must be float in 0.0..1.0, but this is `lognormal(0, 1)`, which can draw any value above "
         "0.0", "`lognormal` is unbounded: draw from `uniform(a, b)` within the bounds, or loosen the schema"),
    ]
    found = compile_text(text, "sweep.mint").diagnostics
    assert fixed(text, found[0]).split("\n")[10] == "t: uniform(0, 2.0)"
    assert fixed(text, found[1]).split("\n")[11] == "b: randint(1, 9)"


def test_schema_accepts_what_fits() -> None:
    assert template(
        "schema { t: float in 0.0..2.0, u: float in 0.0..<1.0, b: int in 1..8, k: int, n: float, m: string | null,\n"
        "  p: 16 | 32 | 64, a: any, q: int in 0..100 }\n"
        "t: uniform(0, 2)\nu: uniform(0.0, 1.0)\nb: randint(1, 9)\nk: uniform(0, 5) step 1\nn: normal(0, 1)\n"
        'm: choice(["a", null])\np: randint(16, 65) step 32\na: lognormal(0, 1)\nq: normal(50, 10) step 1 \n'.replace(
            "q: normal(50, 10) step 1 ", "q: uniform(0, 100) step 5")
        + "sample 2\n"
    )["b"] == RandInt(1, 9)


def test_schema_sees_distributions_through_names_and_declares_their_type() -> None:
    text = "let u = uniform(0, 3)\nschema { t: float in 0.0..2.0, s: string }\nt: u\nlr: loguniform(1e-5, 1e-1)\n" \
           "n: randint(1, 3)\nc: choice([1, 2.5])\ns: \"x\"\nsample 2\n"
    found = compile_text(text, "sweep.mint").diagnostics
    assert [(d.code, d.span.line, d.span.column) for d in found] == [("E083", 1, 9), ("E082", 4, 1), ("E082", 5, 1),
                                                                    ("E082", 6, 1)]
    assert [f.title for d in found[1:] for f in d.fixes][::2] == ["Add `lr: float` to the schema",
                                                                  "Add `n: int` to the schema",
                                                                  "Add `c: float` to the schema"]


# --- `where` ------------------------------------------------------------------------------------

def test_where_cannot_test_a_sampled_key() -> None:
    message = "is sampled: its value is drawn after `where` has filtered the configs, so `where` cannot test it"
    hint = "filter on swept keys only; to limit a sampled key, narrow its distribution"
    assert diagnostics(
        'model: ["o1", "gpt"]*\n'
        "t: uniform(0, 1)\n"
        'o: choice([{ a: 1, b: { c: 2 } }, { a: 2 }])\n'
        "where model == \"o1\" and t < 0.5\n"
        "where o.b.c == 2\n"
        "where model in [\"gpt\"]\n"
        "sample 2\n"
    ) == [
        ("E093", 4, 25, f"`t` {message}", hint),
        ("E093", 5, 7, f"`o.b.c` {message}", hint),
    ]


def test_where_on_a_key_sampled_in_one_variant() -> None:
    assert [c for c, *_ in diagnostics('variants [ { m: "a", t: uniform(0, 1) }, { m: "b", t: 0.5 } ]\n'
                                       "where t > 0.2\nsample 2\n")] == ["E093"]


# --- `extends` ----------------------------------------------------------------------------------

@pytest.fixture
def base(tmp_path: Path) -> Path:
    (tmp_path / "base.mint").write_text('lr: loguniform(1e-5, 1e-1)\nm: ["a", "b"]*\nsample 4 seed 1\n')
    return tmp_path


def compiled(folder: Path, text: str) -> Any:
    (folder / "x.mint").write_text(text)
    return compile_file(folder / "x.mint")


def test_a_base_s_sample_and_distributions_carry_over(base: Path) -> None:
    unit = compiled(base, 'extends "base.mint"\nd: uniform(0, 1)\n')
    assert unit.diagnostics == []
    assert public(unit.documents[0].template) == {"lr": LogUniform(1e-5, 1e-1), "m": unit.documents[0].template["m"],
                                                  "d": Uniform(0, 1), "sample": public(unit.documents[0].template)["sample"]}
    assert repr(list(unit.documents[0].template.values())[-1]) == "Sample(4, seed=1, method='random')"


def test_a_derived_sample_replaces_the_base_s(base: Path) -> None:
    unit = compiled(base, 'extends "base.mint"\nsample 8 sobol\n')
    assert unit.diagnostics == []
    t = unit.documents[0].template
    assert [k.label for k in t if isinstance(k, Slot)] == ["sample"]
    assert repr(t[list(t)[-1]]) == "Sample(8, seed=0, method='sobol')"


def test_a_derived_document_that_draws_nothing(base: Path) -> None:
    assert [shown(d) for d in compiled(base, 'extends "base.mint"\nlr: 0.1\n').diagnostics] == [
        ("E090", 1, 9, "the `sample` of `base.mint` draws nothing here: this document sets every key it samples",
         "keep one of its distributions, or extend a file without `sample`"),
    ]
    assert compiled(base, 'extends "base.mint"\nlr: uniform(0, 1)\n').diagnostics == []


def test_a_base_s_where_on_an_overridden_sampled_key(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text('m: ["a", "b"]*\nlr: 0.1\nwhere lr < 1\n')
    found = compiled(tmp_path, 'extends "base.mint"\nlr: uniform(0, 1)\nsample 2\n').diagnostics
    assert [(d.code, d.span.line, d.span.column) for d in found] == [("E093", 2, 1)]
    assert found[0].message.startswith("the `where` of `base.mint`: `lr` is sampled")


# --- the formatter ------------------------------------------------------------------------------

def test_fmt_writes_the_canonical_layout() -> None:
    messy = (
        "lr : tune.uniform( 1e-5 ,1e-1 )   # c\n"
        "temperature: uniform(0.0,1.0)step 0.05\n"
        'model: choice( ["a","b"] , weights : [3,1] )\n'
        "o: {x: normal(0,1)  step   1}\n"
        "sample   64 seed   7   sobol\n"
        "---\n"
        "sample: 3\nseed : 1..3\n"
    )
    assert check_formatting(messy) == (
        "lr: tune.uniform(1e-5, 1e-1)  # c\n"
        "temperature: uniform(0.0, 1.0) step 0.05\n"
        'model: choice(["a", "b"], weights: [3, 1])\n'
        "o: { x: normal(0, 1) step 1 }\n"
        "sample 64 seed 7 sobol\n"
        "---\n"
        "sample: 3\nseed: 1..3\n"
    )


def test_fmt_breaks_long_arguments_one_per_line_and_keeps_comments() -> None:
    values = ", ".join(f'"model-number-{i}"' for i in range(6))
    out = check_formatting(f"m: choice([{values}], weights: [1, 1, 1, 1, 1, 1])\n"
                           "c: choice(\n  [1, 2]  # the values\n  weights: [1, 2],\n)\nsample 3\n")
    assert out == (
        "m: choice(\n"
        "  [\n" + "".join(f'    "model-number-{i}"\n' for i in range(6)) + "  ]\n"
        "  weights: [1, 1, 1, 1, 1, 1]\n"
        ")\n"
        "c: choice(\n"
        "  [1, 2]  # the values\n"
        "  weights: [1, 2]\n"
        ")\n"
        "sample 3\n"
    )


def test_fmt_keeps_where_parentheses_apart_from_calls() -> None:
    assert format_source('x: uniform (0, 1)\nm: ["a"]*\nwhere not(m == "a")\nsample 2\n') == \
        'x: uniform(0, 1)\nm: ["a"]*\nwhere not (m == "a")\nsample 2\n'


def test_fmt_refuses_an_empty_argument() -> None:
    from spearmint_lang import MintError

    with pytest.raises(MintError) as info:
        format_source("x: uniform(0,,1)\n")
    assert info.value.code == "E014"
