"""`mintc convert` (issue 15, item 3): other tools' sweeps as `.mint` files
that compile to the configs the tool itself produces.

Compared with the real expansion where the package is installed here:
scikit-learn's `ParameterGrid`, Hydra's own override parser and basic
sweeper, Ray Tune's variant generator, numpy's `arange`. W&B's sweep engine
(`sweeps`) pins numpy below 2, so its grid is compared with its documented
semantics, written out below (`wandb_grid`). Outputs are exact (syrupy).
"""

from __future__ import annotations

import itertools
import json
import math
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spearmint_lang
from spearmint_lang.cli import main
from spearmint_lang.convert import Options, convert_text
from tests.conftest import DEADLINE, EXAMPLES, fuzz_examples, strip_ids

CONVERT = EXAMPLES / "convert"
ROOT = EXAMPLES.parent


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return code, out.out, out.err


def converted(text: str, path: str, tool: Any = None, sample: int | None = None) -> str:
    """The .mint text of a conversion that must succeed."""
    result = convert_text(text, path, tool, Options(sample))
    assert result.text is not None, "\n".join(d.render() for d in result.diagnostics)
    return result.text


def configs(mint: str) -> list[dict[str, Any]]:
    return strip_ids(spearmint_lang.loads(mint))


# -- every example, exactly -------------------------------------------------------------------------

EXAMPLE_ARGS = {
    "hydra-optuna.yaml": [],
    "hydra-overrides.txt": [],
    "sklearn-grid.py": [],
    "tune-space.json": [],
    "tune-space.py": ["--sample", "8"],
    "wandb-grid.yaml": [],
    "wandb-random.yaml": [],
}


def test_every_example_is_listed() -> None:
    assert sorted(p.name for p in CONVERT.iterdir()) == sorted(EXAMPLE_ARGS)


@pytest.mark.parametrize("name", sorted(EXAMPLE_ARGS))
def test_example(name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                 snapshot: Any) -> None:
    monkeypatch.chdir(CONVERT)
    code, out, err = run(capsys, "convert", name, *EXAMPLE_ARGS[name])
    assert (code, out, err) == snapshot
    assert code == 0
    spearmint_lang.loads(out)  # what is printed compiles


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CONVERT)
    target = tmp_path / "sweep.mint"
    code, out, err = run(capsys, "convert", "wandb-grid.yaml", "-o", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.read_text(encoding="utf-8") == converted((CONVERT / "wandb-grid.yaml").read_text(), "wandb-grid.yaml")


def test_help_lists_convert(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and re.search(r"^    convert +write another tool's sweep", out, re.MULTILINE)


@pytest.mark.parametrize("args, message", [
    ([], "mintc: error: give one sweep to convert: a FILE, or Hydra overrides with --hydra\n"),
    (["x.yaml", "--hydra", "a=1"], "mintc: error: give one sweep to convert: a FILE, or Hydra overrides with --hydra\n"),
    (["--hydra", "a=1", "--from", "tune"], "mintc: error: --hydra converts Hydra overrides; it does not go with --from tune\n"),
])
def test_usage_errors(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "convert", *args) == (2, "", message)


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "convert", "nope.yaml") == (1, "", "nope.yaml: error: cannot read: No such file or directory\n")


def test_unknown_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sweep.toml").write_text("a = 1\n")
    code, out, err = run(capsys, "convert", "sweep.toml")
    assert (code, out) == (1, "")
    assert err.startswith("sweep.toml:1:1: error[E130]: which tool's sweep is this?\n")
    assert "hint: say it: --from wandb, --from hydra, --from tune or --from sklearn" in err


# -- docs/errors.md: each `mintc convert` example prints what the doc shows -----------------------------

def _doc_runs() -> list[tuple[str, str, str]]:
    """(file text, command, output shown) of each `$ mintc convert` block of docs/errors.md."""
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    runs = []
    for block in re.findall(r"```text\n(.*?)```", text, re.DOTALL):
        if "$ mintc convert" not in block:
            continue
        cat, rest = block.split("$ mintc convert", 1)
        body = cat.split("\n", 1)[1]
        command, shown = rest.split("\n", 1)
        runs.append((body, command.strip(), shown))
    return runs


DOC_RUNS = _doc_runs()


def test_doc_has_convert_examples() -> None:
    assert len(DOC_RUNS) == 6


@pytest.mark.parametrize("body, command, shown", DOC_RUNS, ids=[r[2][:40] for r in DOC_RUNS])
def test_doc_example_prints_what_it_shows(body: str, command: str, shown: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sweep.yaml").write_text(body, encoding="utf-8")
    _, _, err = run(capsys, "convert", *shlex.split(command))
    assert err == shown


# -- scikit-learn: ParameterGrid ----------------------------------------------------------------------

def _grid_configs(grid: Any) -> list[list[tuple[str, Any]]]:
    """ParameterGrid's param sets, keys in its order, tuples as lists (JSON has no tuples)."""
    from sklearn.model_selection import ParameterGrid

    def plain(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    return [[(k, plain(v)) for k, v in params.items()] for params in ParameterGrid(grid)]


def _mint_configs(mint: str) -> list[list[tuple[str, Any]]]:
    return [list(c.items()) for c in configs(mint)]


def test_sklearn_example_is_parameter_grid() -> None:
    text = (CONVERT / "sklearn-grid.py").read_text(encoding="utf-8")
    scope: dict[str, Any] = {}
    exec(compile(text, "sklearn-grid.py", "exec"), scope)  # noqa: S102 - our own example
    assert _mint_configs(converted(text, "sklearn-grid.py")) == _grid_configs(scope["param_grid"])


def test_sklearn_numpy_ranges() -> None:
    import numpy as np

    text = ("import numpy as np\n"
            "param_grid = {'a': np.linspace(0, 1, 5), 'b': np.arange(0, 1, 0.1), 'c': np.geomspace(1, 1000, 4),"
            " 'd': np.logspace(-3, 0, 4), 'e': range(10, 0, -3), 'f': np.linspace(0, 1, 4, endpoint=False)}\n")
    mint = converted(text, "grid.py")
    assert "e: 10..<0 step -3\n" in mint
    grid = {"a": np.linspace(0, 1, 5), "b": np.arange(0, 1, 0.1), "c": np.geomspace(1, 1000, 4),
            "d": np.logspace(-3, 0, 4), "e": range(10, 0, -3), "f": np.linspace(0, 1, 4, endpoint=False)}
    expected = [[(k, v.item() if hasattr(v, "item") else v) for k, v in c] for c in _grid_configs(grid)]
    assert _mint_configs(mint) == expected


_LEAF = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False, width=64),
                  st.text(max_size=6), st.booleans(), st.none())
_ELEMENT = st.one_of(_LEAF, st.tuples(_LEAF, _LEAF), st.lists(_LEAF, max_size=2))
_KEY = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=5)
_GRID = st.dictionaries(_KEY, st.lists(_ELEMENT, min_size=1, max_size=3), max_size=3)


@settings(max_examples=fuzz_examples(60), deadline=DEADLINE, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_GRID.filter(bool), st.lists(_GRID, min_size=1, max_size=3)))
def test_sklearn_grids_expand_as_parameter_grid(grid: Any) -> None:
    text = f"param_grid = {grid!r}\n"
    assert _mint_configs(converted(text, "grid.py", "sklearn")) == _grid_configs(grid)


@pytest.mark.parametrize("text, message", [
    ("param_grid = {'C': 1}\n", "1:20: error[E131]: ParameterGrid needs a list for `C`, not a single value"),
    ("param_grid = {'C': []}\n", "1:20: error[E131]: ParameterGrid refuses the empty list of `C`"),
    ("param_grid = {'est': [SVC()]}\n", "1:23: error[E132]: a value of `est` is Python code (`SVC(...)`)"),
    ("param_grid = {'C': [float('nan')]}\n", "1:21: error[E132]: a value of `C` is Python code"),
    ("param_grid = {'C': [1e999]}\n", "1:21: error[E132]: a value of `C` is inf, which a .mint file cannot hold"),
    ("param_grid = {'C': [1, 2}\n", "1:25: error[E130]: not valid Python"),
    ("import numpy\n", "1:1: error[E130]: no sweep found"),
])
def test_sklearn_refusals(text: str, message: str) -> None:
    result = convert_text(text, "grid.py", "sklearn", Options())
    assert result.text is None
    assert result.diagnostics[0].render().startswith("grid.py:" + message)


# -- Hydra: its parser and its basic sweeper ----------------------------------------------------------

def _hydra_jobs(overrides: list[str]) -> list[dict[str, Any]]:
    """The configs Hydra's basic sweeper gives each job: the sweep's product
    of override strings, each job's strings parsed again as the job does."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create()
    batches = BasicSweeper.split_arguments(parser.parse_overrides(overrides), None)
    jobs = []
    for job in itertools.chain.from_iterable(batches):
        config: dict[str, Any] = {}
        for override in parser.parse_overrides(job):
            node = config
            *outer, last = override.key_or_group.split(".")
            for key in outer:
                node = node.setdefault(key, {})
            node[last] = _unquoted(override.value())
        jobs.append(config)
    return jobs


def _unquoted(value: Any) -> Any:
    from hydra.core.override_parser.types import QuotedString

    if isinstance(value, QuotedString):
        return value.text
    if isinstance(value, dict):
        return {k: _unquoted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unquoted(v) for v in value]
    return value


def test_hydra_example_is_basic_sweeper() -> None:
    text = (CONVERT / "hydra-overrides.txt").read_text(encoding="utf-8")
    words = [w for w in shlex.split(text, comments=True) if "=" in w]
    assert configs(converted(text, "hydra-overrides.txt")) == _hydra_jobs(words)


_HYDRA_VALUE = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.floats(-1e6, 1e6, allow_nan=False).map(repr),
    st.sampled_from(["true", "false", "null", "abc", "'a b'", '"1"', "[1,2]", "{a: 1}", "x-y", "3e-4", "-0.0"]),
)
_HYDRA_SWEEP = st.one_of(
    _HYDRA_VALUE,
    st.lists(_HYDRA_VALUE, min_size=2, max_size=3).map(",".join),
    st.lists(_HYDRA_VALUE, min_size=1, max_size=3).map(lambda vs: f"choice({','.join(vs)})"),
    st.lists(_HYDRA_VALUE, min_size=1, max_size=3).map(lambda vs: f"sort({','.join(vs)})"),
    st.tuples(st.integers(-5, 5), st.integers(1, 6), st.integers(1, 3)).map(lambda t: f"range({t[0]},{t[0] + t[1]},{t[2]})"),
    st.tuples(st.integers(-3, 3), st.sampled_from(["0.1", "0.25", "0.3", "0.5", "0.7"])).map(
        lambda t: f"range({t[0]},{t[0] + 2},{t[1]})"),
)


@settings(max_examples=fuzz_examples(60), deadline=DEADLINE, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c.d", "c.e", "f_g"]), _HYDRA_SWEEP), min_size=1, max_size=4,
                unique_by=lambda kv: kv[0]))
def test_hydra_overrides_expand_as_basic_sweeper(pairs: list[tuple[str, str]]) -> None:
    from hydra.errors import HydraException

    overrides = [f"{k}={v}" for k, v in pairs]
    try:
        jobs = _hydra_jobs(overrides)
    except HydraException:  # Hydra refuses it (`choice(null)`, `sort(1,abc)`): so does mintc
        result = convert_text(shlex.join(overrides), "<command line>", "hydra", Options())
        assert result.text is None and result.diagnostics[0].code == "E130"
        return
    mint = converted(shlex.join(overrides), "<command line>", "hydra")
    if _interleaved([k for k, _ in pairs]):  # `c.d=... a=... c.e=...`: .mint groups c's keys (docs/convert.md)
        assert "Hydra runs the jobs in another order" in mint
        assert sorted(map(_sorted_deep, configs(mint))) == sorted(map(_sorted_deep, jobs))
    else:
        assert configs(mint) == jobs


def _interleaved(keys: list[str]) -> bool:
    heads = [k.split(".")[0] for k in keys]
    return any(heads[i] == heads[j] != heads[i + 1] for i in range(len(heads)) for j in range(i + 2, len(heads)))


def test_hydra_float_range_keeps_hydra_values() -> None:
    mint = converted("w=range(0,1,0.3) r=range(0,1,0.25) s=range(5)", "ov.txt", "hydra")
    assert "w: [0.0, 0.3, 0.6, 0.8999999999999999]*\nr: 0..<1 step 0.25\ns: 0..<5\n" in mint
    assert configs(mint) == _hydra_jobs(["w=range(0,1,0.3)", "r=range(0,1,0.25)", "s=range(5)"])


def test_hydra_params_block_is_command_line(tmp_path: Path) -> None:
    """A basic sweeper's `params:` are the overrides `key=value`, before the command line's."""
    text = "hydra:\n  sweeper:\n    params:\n      lr: 0.1,0.01\n      model: a,b\n      depth: range(1,3)\n"
    assert configs(converted(text, "config.yaml", "hydra")) == _hydra_jobs(["lr=0.1,0.01", "model=a,b",
                                                                             "depth=range(1,3)"])


@pytest.mark.parametrize("words, message", [
    (["k=glob(*)"], "error[E132]: glob() picks config group options by their names"),
    (["k=shuffle(1,2)"], "error[E132]: shuffle() runs the jobs in a random order"),
    (["~k"], "error[E132]: `~k` deletes a key of the app's config"),
    (["k@pkg=1"], "error[E132]: a package (`@...`) override has no .mint form"),
    (["k=${other}"], "error[E132]: an interpolation (`${...}`) is resolved by Hydra in each job"),
    (["k=1", "k=2"], "error[E131]: `k` is set twice"),
    (["k=interval(0,1)"], "error[E133]: an optimising sweeper's sweep runs for a number of trials"),
    (["k=choice(1,"], "error[E130]: Hydra cannot read this override"),
])
def test_hydra_refusals(words: list[str], message: str) -> None:
    result = convert_text(shlex.join(words), "<command line>", "hydra", Options())
    assert result.text is None
    assert message in "\n".join(d.render() for d in result.diagnostics)


def test_hydra_place_of_a_refusal() -> None:
    result = convert_text("lr=0.1,0.01 seed='shuffle(1,2)'\n", "ov.txt", "hydra", Options())
    assert result.diagnostics[0].render().splitlines()[:3] == [
        "ov.txt:1:13: error[E132]: shuffle() runs the jobs in a random order; a .mint file has one order",
        " 1 | lr=0.1,0.01 seed='shuffle(1,2)'",
        "   |             ^^^^^^^^^^^^^^^^^^^",
    ]


def test_hydra_interval_is_a_distribution() -> None:
    mint = converted("lr=tag(log,interval(1e-4,1e-1)) m=interval(0,1) opt=adam,sgd d=range(1,4)", "ov.txt",
                     "hydra", sample=16)
    assert mint.split("\n\n", 1)[1] == ('lr: loguniform(0.0001, 0.1)\nm: uniform(0.0, 1.0)\n'
                                        'opt: choice(["adam", "sgd"])\nd: choice([1, 2, 3])\nsample 16\n')


# -- Ray Tune: its variant generator ------------------------------------------------------------------

def _tune_grid(space: dict[str, Any]) -> list[dict[str, Any]]:
    from ray.tune.search.variant_generator import generate_variants

    return [config for _, config in generate_variants(space)]


def _by_id(items: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(c, sort_keys=True) for c in items)


def test_tune_json_is_variant_generator() -> None:
    text = (CONVERT / "tune-space.json").read_text(encoding="utf-8")
    ours = configs(converted(text, "tune-space.json"))
    theirs = _tune_grid(json.loads(text))
    assert len(ours) == len(theirs) == 8
    assert _by_id(ours) == _by_id(theirs)


def test_tune_python_grid_is_variant_generator() -> None:
    from ray import tune

    text = ("from ray import tune\nspace = {'a': tune.grid_search([1, 2, 3]), 'b': {'c': tune.grid_search(['x', 'y'])},"
            " 'l': [tune.grid_search([0, 1]), 5], 'k': 'v'}\n")
    space = {"a": tune.grid_search([1, 2, 3]), "b": {"c": tune.grid_search(["x", "y"])},
             "l": [tune.grid_search([0, 1]), 5], "k": "v"}
    ours = configs(converted(text, "space.py"))
    assert len(ours) == 12 and _by_id(ours) == _by_id(_tune_grid(space))


def test_tune_distributions() -> None:
    text = ("from ray import tune\nspace = {'u': tune.uniform(0, 1), 'q': tune.quniform(0, 1, 0.05),"
            " 'l': tune.loguniform(1e-4, 1e-1), 'ql': tune.qloguniform(1e-4, 1e-1, 5e-5),"
            " 'r': tune.randint(0, 10), 'qr': tune.qrandint(0, 100, 10), 'n': tune.randn(1, 0.5),"
            " 'qn': tune.qrandn(0, 2, 0.5), 'c': tune.choice(['a', 'b'])}\n")
    body = converted(text, "space.py", sample=5).split("\n\n", 1)[1]
    assert body == ('u: uniform(0.0, 1.0)\nq: uniform(0.0, 1.0) step 0.05\nl: loguniform(0.0001, 0.1)\n'
                    'ql: loguniform(0.0001, 0.1) step 5e-05\nr: randint(0, 10)\nqr: randint(0, 101) step 10\n'
                    'n: normal(1.0, 0.5)\nqn: normal(0.0, 2.0) step 0.5\nc: choice(["a", "b"])\nsample 5\n')
    assert len(spearmint_lang.loads(body)) == 5


@pytest.mark.parametrize("text, message", [
    ("space = {'f': tune.sample_from(lambda s: 1)}", "error[E132]: tune.sample_from runs a function"),
    ("space = {'l': [tune.uniform(0, 1), 2]}", "error[E132]: a distribution inside a list"),
    ("space = {'u': tune.uniform(1, 0)}", "error[E131]: these arguments describe no distribution"),
    ("space = {'u': tune.uniform(0, 1)}", "error[E133]: Tune draws this param_space num_samples times"),
    ("space = {'g': tune.grid_search([])}", "error[E131]: grid_search takes a non-empty list"),
    ("space = {'g': tune.nope(1)}", "error[E132]: `tune.nope(...)` is not a Ray Tune search space function"),
])
def test_tune_refusals(text: str, message: str) -> None:
    result = convert_text(text, "space.py", "tune", Options())
    assert result.text is None
    assert message in "\n".join(d.render() for d in result.diagnostics)


def test_tune_sample_without_distribution_is_refused() -> None:
    result = convert_text('{"a": {"grid_search": [1, 2]}}', "space.json", "tune", Options(sample=4))
    assert result.text is None
    assert "runs each of the 2 configs 4 times, the same config each time" in result.diagnostics[0].message


# -- W&B: the grid of its sweep engine, as documented -------------------------------------------------

def wandb_grid(parameters: dict[str, Any]) -> list[dict[str, Any]]:
    """W&B's grid (sweeps/grid_search.py): parameters flattened in sorted
    order at every level; categorical ones (int_uniform as min..max,
    q_uniform as numpy.arange(min, max, q)) multiplied, the last fastest;
    each combination of values run once, values compared by their YAML."""
    import numpy as np
    import yaml

    flat: list[tuple[tuple[str, ...], dict[str, Any]]] = []

    def walk(params: dict[str, Any], prefix: tuple[str, ...]) -> None:
        for key, spec in sorted(params.items()):
            if set(spec) == {"parameters"}:
                walk(spec["parameters"], prefix + (key,))
            else:
                flat.append((prefix + (key,), spec))

    walk(parameters, ())
    axes: list[tuple[tuple[str, ...], list[Any]]] = []
    constants: list[tuple[tuple[str, ...], Any]] = []
    for path, spec in flat:
        if "value" in spec:
            constants.append((path, spec["value"]))
        elif "values" in spec:
            axes.append((path, spec["values"]))
        elif spec.get("distribution") == "q_uniform":
            axes.append((path, np.arange(spec["min"], spec["max"], spec.get("q", 1.0)).tolist()))
        else:
            axes.append((path, list(range(spec["min"], spec["max"] + 1))))
    seen, out = set(), []
    for combo in itertools.product(*(values for _, values in axes)):
        key = tuple(yaml.dump(int(v) if isinstance(v, float) and v.is_integer() else v, default_flow_style=True,
                              sort_keys=True) for v in combo)
        if key in seen:
            continue
        seen.add(key)
        config: dict[str, Any] = {}
        for path, value in [*zip((p for p, _ in axes), combo), *constants]:
            node = config
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = value
        out.append(config)
    return out


def _sorted_deep(value: Any) -> Any:
    return json.dumps(value, sort_keys=True)


def test_wandb_example_is_wandb_grid() -> None:
    import yaml

    text = (CONVERT / "wandb-grid.yaml").read_text(encoding="utf-8")
    ours = configs(converted(text, "wandb-grid.yaml"))
    theirs = wandb_grid(yaml.safe_load(text)["parameters"])
    assert len(ours) == 5 * 3 * 3 * 2 * 2
    assert [_sorted_deep(c) for c in ours] == [_sorted_deep(c) for c in theirs]


_WANDB_VALUE = st.one_of(st.integers(-100, 100), st.sampled_from([0.5, 1.0, 2.0, 1e-3, "a", "b", True, None]))
_WANDB_PARAM = st.one_of(
    st.lists(_WANDB_VALUE, min_size=1, max_size=4).map(lambda vs: {"values": vs}),
    _WANDB_VALUE.map(lambda v: {"value": v}),
    st.tuples(st.integers(-3, 3), st.integers(0, 3)).map(lambda t: {"min": t[0], "max": t[0] + t[1]}),
    st.tuples(st.sampled_from([0.0, 0.1, 1.0]), st.sampled_from([0.05, 0.1, 0.3, 0.5])).map(
        lambda t: {"distribution": "q_uniform", "min": t[0], "max": t[0] + 1.0, "q": t[1]}),
)
_WANDB_PARAMS = st.recursive(st.dictionaries(st.sampled_from(["lr", "b", "Z", "a_b", "x"]), _WANDB_PARAM, min_size=1,
                                             max_size=3),
                             lambda inner: st.dictionaries(st.sampled_from(["m", "n", "lr"]),
                                                           st.one_of(_WANDB_PARAM, inner.map(
                                                               lambda d: {"parameters": d})), min_size=1, max_size=2),
                             max_leaves=6)


@settings(max_examples=fuzz_examples(60), deadline=DEADLINE, suppress_health_check=[HealthCheck.too_slow])
@given(_WANDB_PARAMS)
def test_wandb_grids_expand_as_wandb(parameters: dict[str, Any]) -> None:
    import yaml

    text = yaml.safe_dump({"method": "grid", "parameters": parameters})
    ours = configs(converted(text, "sweep.yaml", "wandb"))
    assert [_sorted_deep(c) for c in ours] == [_sorted_deep(c) for c in wandb_grid(parameters)]


@settings(max_examples=fuzz_examples(100), deadline=DEADLINE)
@given(st.floats(-10, 10), st.floats(0.01, 5), st.floats(0.001, 1))
def test_q_uniform_grid_is_numpy_arange(start: float, width: float, q: float) -> None:
    import numpy as np

    from spearmint_lang.convert.wandb import _arange

    expected = np.arange(start, start + width, q).tolist()
    got = _arange(start, start + width, q)
    assert [repr(v) for v in got] == [repr(v) for v in expected]


def test_wandb_random_distributions() -> None:
    text = ("method: random\nrun_cap: 7\nparameters:\n"
            "  a: {distribution: int_uniform, min: 1, max: 6}\n"
            "  b: {distribution: q_uniform, min: 0.0, max: 1.0, q: 0.25}\n"
            "  c: {distribution: log_uniform, min: 0, max: 1}\n"
            "  d: {distribution: q_log_uniform_values, min: 1, max: 100, q: 1}\n"
            "  e: {distribution: log_normal, mu: 0, sigma: 2}\n"
            "  f: {distribution: q_normal, mu: 10, sigma: 3, q: 2}\n"
            "  g: {values: [x, y]}\n  h: {value: 3}\n"
            "  i: {distribution: categorical, values: [1, 2], probabilities: [0.9, 0.1]}\n")
    body = converted(text, "sweep.yaml").split("\n\n", 1)[1]
    assert body == ('a: randint(1, 7)\nb: uniform(0.0, 1.0) step 0.25\nc: loguniform(1.0, 2.718281828459045)\n'
                    'd: loguniform(1.0, 100.0) step 1\ne: lognormal(0.0, 2.0)\nf: normal(10.0, 3.0) step 2\n'
                    'g: choice(["x", "y"])\nh: 3\ni: choice([1, 2], weights: [0.9, 0.1])\nsample 7\n')
    assert len(spearmint_lang.loads(body)) == 7


@pytest.mark.parametrize("text, message", [
    ("method: grid\nparameters:\n  lr: {min: 1e-5, max: 0.1}\n",
     "3:13: error[E131]: `min` of `lr` is not a number"),
    ("method: grid\nparameters:\n  lr: {values: [1, 2], probabilities: [0.5, 0.5]}\n",
     "3:39: error[E131]: W&B's grid search refuses `probabilities`"),
    ("method: random\nrun_cap: 3\nparameters:\n  lr: {values: [1, 2], probabilities: [0.5, 0.6]}\n",
     "4:39: error[E131]: W&B refuses probabilities that add up to 1.1, not 1"),
    ("method: grid\nparameters:\n  lr: {foo: 1}\n",
     "3:7: error[E131]: parameter `lr` has none of value, values, min/max, distribution or parameters"),
    ("method: grid\nparameters:\n  lr: {distribution: beta}\n",
     "3:22: error[E132]: W&B's beta (the beta distribution) has no .mint distribution"),
    ("parameters:\n  lr: {values: [1]}\n", "1:1: error[E131]: a W&B sweep needs `method:`"),
    ("method: hyperband\nparameters:\n  lr: {values: [1]}\n",
     "1:9: error[E131]: a W&B sweep's method is grid, random or bayes"),
    ("method: grid\nparameters:\n  lr: {values: [.nan]}\n",
     "3:17: error[E132]: a value of `lr` is nan, which a .mint file cannot hold (nor JSON)"),
])
def test_wandb_refusals(text: str, message: str) -> None:
    result = convert_text(text, "sweep.yaml", "wandb", Options())
    assert result.text is None
    assert result.diagnostics[0].render().startswith("sweep.yaml:" + message)


def test_converted_keys_that_need_quotes() -> None:
    text = "method: grid\nparameters:\n  'a b': {values: [1, 2]}\n  'x.y': {value: 1}\n  'ü': {value: 'é'}\n"
    mint = converted(text, "sweep.yaml")
    assert '"a b": [1, 2]*\n"x.y": 1\n"ü": "é"\n' in mint
    assert configs(mint) == [{"a b": 1, "x.y": 1, "ü": "é"}, {"a b": 2, "x.y": 1, "ü": "é"}]


def test_float_values_round_trip() -> None:
    values = [0.1, 1e-05, 1e20, -0.0, 5e-324, 1.7976931348623157e308, 2.5]
    text = f"param_grid = {{'x': {values!r}}}\n"
    ours = [c["x"] for c in configs(converted(text, "g.py"))]
    assert [repr(v) for v in ours] == [repr(v) for v in values]
    assert all(math.copysign(1, a) == math.copysign(1, b) for a, b in zip(ours, values))


# -- docs/convert.md: each command prints what the page shows -----------------------------------------

def _page_runs(page: str) -> list[tuple[str, str]]:
    text = (ROOT / page).read_text(encoding="utf-8")
    runs = []
    for block in re.findall(r"```(?:text)?\n(.*?)```", text, re.DOTALL):
        if block.startswith("$ mintc convert "):
            command, shown = block.split("\n", 1)
            runs.append((command[len("$ mintc convert "):], shown))
    return runs


PAGE_RUNS = _page_runs("docs/convert.md") + _page_runs("README.md")


def test_page_shows_every_example() -> None:
    shown = {shlex.split(args)[0] for args, _ in _page_runs("docs/convert.md")}
    assert shown == {f"examples/convert/{name}" for name in EXAMPLE_ARGS}


@pytest.mark.parametrize("args, shown", PAGE_RUNS, ids=[a for a, _ in PAGE_RUNS])
def test_page_example_prints_what_it_shows(args: str, shown: str, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run(capsys, "convert", *shlex.split(args))
    assert code == 0
    assert err + out == shown


def test_convert_loads_no_tool(tmp_path: Path) -> None:
    """Converting loads Hydra's parser only for Hydra overrides, numpy only for numpy calls."""
    import subprocess
    import sys

    code = ("import sys; from spearmint_lang.convert import Options, convert_text\n"
            "for text, path in [('method: grid\\nparameters:\\n  a: {values: [1]}\\n', 's.yaml'), "
            "('{\"a\": {\"grid_search\": [1, 2]}}', 's.json'), ('param_grid = {\"a\": [1]}', 'g.py')]:\n"
            "    assert convert_text(text, path, None, Options()).text\n"
            "print(sorted(m for m in ('hydra', 'numpy', 'ray', 'sklearn', 'omegaconf') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout == "[]\n"


def test_hydra_overrides_without_hydra(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    for name in [m for m in sys.modules if m == "hydra" or m.startswith("hydra.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "hydra", None)
    assert run(capsys, "convert", "--hydra", "lr=0.1,0.01") == (
        1, "", "mintc: error: converting Hydra overrides needs hydra-core (its own parser reads them), which is not "
               "installed here: pip install 'spearmint-lang[hydra]'\n")


def test_every_mistake_is_reported_at_once() -> None:
    """Each parameter (override, key) is converted even after one is refused,
    so a file with three mistakes shows three errors, not one per run."""
    text = ("method: random\nrun_cap: 3\nparameters:\n  a: {distribution: beta}\n  b: {min: 1e-5, max: 1.0}\n"
            "  c: {values: [1]}\n  d: {parameters: {e: {distribution: inv_log_uniform, min: 0, max: 1}}}\n")
    result = convert_text(text, "sweep.yaml", "wandb", Options())
    assert result.text is None
    assert [(d.code, d.span.line, d.span.column) for d in result.diagnostics] == [
        ("E132", 4, 21), ("E131", 5, 12), ("E132", 7, 38)]
    result = convert_text("a=glob(*) b=1 ~c x=shuffle(1,2)", "<command line>", "hydra", Options())
    assert [(d.code, d.span.column) for d in result.diagnostics] == [("E132", 1), ("E132", 15), ("E132", 18)]
