"""The Hydra sweeper (`hydra/sweeper=mint`) with the real hydra-core: each
config of a `.mint` file reaches the app as exactly its values, merged onto
the app's config, in the file's order, once, under the basic and the joblib
launchers; values are spelled so that Hydra's own override parser (and
OmegaConf after it) reads back exactly the value; mistakes end the run with
the diagnostic alone."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

from spearmint_lang import MintError, Sweep, load
from tests.conftest import DEADLINE, ROOT

if TYPE_CHECKING:  # imported by `hydra_imported` below, when the tests run
    from hydra._internal.config_loader_impl import ConfigLoaderImpl
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from omegaconf import OmegaConf

    from spearmint_lang.integrations.hydra import JobWriter, MintSweeper, MintSweepError, Unwritable, render_value

APP = ROOT / "tests" / "hydra_app"
EXAMPLE = ROOT / "examples" / "hydra"
PARSER: OverridesParser  # Hydra's override parser, made by `hydra_imported`


@pytest.fixture(scope="module", autouse=True)
def hydra_imported() -> None:
    """Hydra (most of a second to import) is imported when this module's
    tests run, not when pytest collects the module: under xdist every worker
    collects every module, and one runs these."""
    global ConfigLoaderImpl, OverridesParser, OmegaConf, PARSER
    global JobWriter, MintSweeper, MintSweepError, Unwritable, render_value
    from hydra._internal.config_loader_impl import ConfigLoaderImpl
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from omegaconf import OmegaConf

    from spearmint_lang.integrations.hydra import JobWriter, MintSweeper, MintSweepError, Unwritable, render_value

    PARSER = OverridesParser.create()


# -- values and keys, against Hydra's own parser --------------------------------------------------

def read_back(overrides: list[str]) -> dict[str, Any]:
    """What a Hydra job's config holds after `overrides`: parsed by Hydra's
    override parser and applied by Hydra's config loader to an empty config
    in struct mode (as Hydra's is), then resolved by OmegaConf."""
    cfg = OmegaConf.create({})
    OmegaConf.set_struct(cfg, True)
    ConfigLoaderImpl._apply_overrides_to_config(PARSER.parse_overrides(overrides), cfg)
    out = OmegaConf.to_container(cfg, resolve=True)
    assert isinstance(out, dict)
    return out


def same(a: Any, b: Any) -> bool:
    """Equal with types: True is not 1, 1 is not 1.0, -0.0 is not 0.0."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


AWKWARD = ["1", "-1", "1e-05", "1_000", "0x10", "inf", "-inf", "nan", "NaN", "true", "False", "null", "NULL", "",
           " ", " a ", "a b", "a,b", "a=b", "a:b", "[1]", "{a: 1}", "'", '"', "it's \"q\"", "\\", "\\\\'", "a\\",
           "${x}", "\\${x}", "$${x}", "${", "}", "$", "a${b}c${d}", "\\\\${x}", "é ✓ 中", "tab\there", "line\nnext",
           "choice(a,b)", "range(1,3)", "glob(*)", "int(1)", "??", "a???", "~x", "+x", "@x", "#x", "%x"]
# Object keys: path segments (`lr`, `$x`), other keys Hydra can spell inside
# an object value, and some it cannot (a number, a quote, é, empty).
SEGMENTS = st.from_regex(r"[A-Za-z_$][A-Za-z0-9_\-$]{0,4}", fullmatch=True)
SPELLABLE = SEGMENTS | st.text(alphabet=st.sampled_from("abcXYZ_-$019. :,={}[]()/+*@?|%\\"), min_size=1, max_size=6)
KEYS = SPELLABLE | st.sampled_from(["1", "true", "null", "1e5", "it's", "é", ""])
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
           | st.text(max_size=20) | st.sampled_from(AWKWARD))


def values(keys: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """JSON values: scalars, and lists and objects (with these keys) of them."""
    return st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                        max_leaves=8)


@settings(max_examples=200, deadline=DEADLINE)
@given(values(KEYS))
def test_a_value_is_read_back_exactly_by_hydra(value: Any) -> None:
    try:
        text = render_value(value)
    except Unwritable:
        event("refused")
        return  # a string '???' or a key inside an object that Hydra cannot spell (tested below)
    assert same(read_back([f"++k={text}"])["k"], value), text


@settings(max_examples=50, deadline=DEADLINE)
@given(st.dictionaries(SEGMENTS, values(SPELLABLE), max_size=4).map(lambda c: {**c, "config_id": "0" * 16}))
def test_a_config_is_read_back_exactly_by_hydra(config: dict[str, Any]) -> None:
    try:
        overrides = JobWriter().overrides(config)
    except Unwritable:
        event("refused")
        return
    assert same(read_back(overrides), config), overrides


def test_floats_that_are_not_finite_are_read_back_too() -> None:
    # (.mint computes no inf or nan; render_value takes them all the same)
    back = read_back([f"++k={render_value([math.inf, -math.inf, math.nan, 1e-05, -0.0])}"])["k"]
    assert back[:2] == [math.inf, -math.inf] and math.isnan(back[2]) and same(back[3:], [1e-05, -0.0])


@pytest.mark.parametrize("value", [
    {"a b": 1, "x.y": 2, "k:v": 3, "$": 4, "1x": 5, "01": 6, "-": 7, "a\\b": 8},
    [{"nested": {"deeper": [1, {}]}}, {}, []],
])
def test_keys_hydra_can_spell_are_spelled(value: Any) -> None:
    assert same(read_back([f"++k={render_value(value)}"])["k"], value)


@pytest.mark.parametrize("value", [{"1": 0}, {"true": 0}, {"null": 0}, {"1e5": 0}, {"inf": 0}, {"é": 0},
                                   {"": 0}, {"it's": 0}, "???", ["???"]])
def test_what_hydra_cannot_spell_is_refused_with_a_reason(value: Any) -> None:
    with pytest.raises(Unwritable, match="rename it in the .mint file|missing value"):
        render_value(value)


def test_a_top_level_key_hydra_cannot_spell_is_refused() -> None:
    for key in ("data.path", "1st", "a b", "hydra"):
        with pytest.raises(Unwritable, match="rename it"):
            JobWriter().overrides({key: 1, "config_id": "x"})
    # Below the top level, such a key travels in an object value under its parent.
    assert JobWriter().overrides({"data": {"train.path": "/d", "n": 1}, "config_id": "x"}) == [
        "++data={train.path:'/d'}", "++data.n=1", "++config_id=x"]


# -- the app, run by Hydra -------------------------------------------------------------------------

def hydra_run(cwd: Path, *args: str, app: Path = APP / "app.py",
              config_name: str = "config") -> tuple[subprocess.CompletedProcess[str], list[Any]]:
    """Run a Hydra app with `-m` in `cwd` (outputs under it); its exit and
    its jobs' records, ordered by job number."""
    records = cwd / "records.jsonl"
    env = dict(os.environ, MINT_HYDRA_RECORDS=str(records),
               PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    done = subprocess.run([sys.executable, str(app), "--config-name", config_name, "-m",
                           f"hydra.sweep.dir={cwd / 'multirun'}", f"hydra.run.dir={cwd / 'run'}", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    lines = records.read_text(encoding="utf-8").splitlines() if records.exists() else []
    found = sorted((json.loads(line) for line in lines), key=lambda r: r["num"])
    return done, found


def merged(base: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """`config` merged onto `base` as OmegaConf merges: objects key by key,
    anything else replaced."""
    out = dict(base)
    for key, value in config.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def app_config(dataset: str = "small") -> dict[str, Any]:
    """The app's own config, its `dataset` group's option composed in."""
    base = yaml.safe_load((APP / "conf" / "config.yaml").read_text(encoding="utf-8"))
    del base["defaults"]
    return {"dataset": yaml.safe_load((APP / "conf" / "dataset" / f"{dataset}.yaml").read_text(encoding="utf-8")),
            **base}


def test_each_config_is_one_job_in_order_under_the_basic_launcher(tmp_path: Path) -> None:
    shutil.copy(APP / "sweep.mint", tmp_path / "sweep.mint")
    done, records = hydra_run(tmp_path, "hydra/sweeper=mint", "hydra.sweeper.path=sweep.mint",
                              "hydra.sweeper.max_batch_size=2", "trainer.epochs=3")
    assert done.returncode == 0, done.stderr
    expected = [merged(app_config(), {**c, "trainer": {"epochs": 3}}) for c in load(APP / "sweep.mint")]
    assert len(expected) == 5
    assert [r["num"] for r in records] == list(range(5))  # numbered on across the batches of 2
    assert [r["config"] for r in records] == expected
    assert sorted(p.name for p in (tmp_path / "multirun").iterdir() if p.is_dir()) == [str(i) for i in range(5)]
    assert done.stdout.count("Launching 2 jobs locally") == 2 and "Launching 1 jobs locally" in done.stdout


def test_the_joblib_launcher_runs_the_same_jobs(tmp_path: Path) -> None:
    shutil.copy(APP / "sweep.mint", tmp_path / "sweep.mint")
    done, records = hydra_run(tmp_path, "hydra/sweeper=mint", "hydra.sweeper.path=sweep.mint", "hydra/launcher=joblib",
                              "hydra.launcher.n_jobs=2")
    assert done.returncode == 0, done.stderr
    expected = [merged(app_config(), c) for c in load(APP / "sweep.mint")]
    assert len(expected) == 5
    assert [r["num"] for r in records] == list(range(5))
    assert [r["config"] for r in records] == expected


def test_config_groups_options_new_keys_and_config_id_key(tmp_path: Path) -> None:
    # The sweeper set up in the app's config (conf/mint.yaml: path groups.mint, config_id_key
    # run.id, new_keys false). A top-level key naming a config group chooses its option, as
    # `dataset=large` would; hydra.sweeper.overrides change the file as `mintc compile --set` does.
    (tmp_path / "groups.mint").write_text('dataset: ["large", "small"]*\nmodel.lr: 0.5\n', encoding="utf-8")
    pin = 'model.lr=0.25'
    done, records = hydra_run(tmp_path, f"hydra.sweeper.overrides=['{pin}']", config_name="mint")
    assert done.returncode == 0, done.stderr
    configs = load(tmp_path / "groups.mint", overrides=[pin])
    assert [c["model"]["lr"] for c in configs] == [0.25, 0.25]
    assert [r["config"] for r in records] == [
        merged(app_config(c["dataset"]), {"model": c["model"], "run": {"id": c["config_id"]}}) for c in configs]
    (tmp_path / "typo").mkdir()
    (tmp_path / "typo" / "typo.mint").write_text("modle.lr: [0.5, 0.6]*\n", encoding="utf-8")
    done, records = hydra_run(tmp_path / "typo", "hydra/sweeper=mint", "hydra.sweeper.path=typo.mint",
                              "hydra.sweeper.new_keys=false", "hydra.sweeper.config_id_key=null")
    assert done.returncode == 1 and records == []
    assert "Could not override 'modle.lr'" in done.stderr and "Traceback" not in done.stderr


def _broken(tmp_path: Path) -> str:
    (tmp_path / "broken.mint").write_text('model.lr: [0.1, 0.2*\nmodel.name: "a"\n', encoding="utf-8")
    with pytest.raises(MintError) as err:
        Sweep(str(tmp_path / "broken.mint"))
    return err.value.render().replace(str(tmp_path / "broken.mint"), "broken.mint")


@pytest.mark.parametrize("args, message", [
    (["hydra.sweeper.path=broken.mint"], _broken),
    (["hydra.sweeper.path=missing.mint"], "missing.mint:1:1: error[E000]: cannot read file: No such file or directory"),
    (["hydra.sweeper.path=sweep.mint", "trainer.epochs=1,2"],
     "`trainer.epochs=1,2` on the command line is a Hydra sweep; with hydra/sweeper=mint the sweep is the .mint "
     "file (sweep.mint): write it there, `trainer.epochs: [1, 2]*`"),
    (["hydra.sweeper.path=sweep.mint", "model.name=x"],
     "config 0 (config_id 1ecca2a5aca52727): the command line sets `model.name`, which the sweep sets too"),
], ids=["broken-file", "missing-file", "command-line-sweep", "command-line-sets-a-swept-key"])
def test_a_mistake_ends_the_run_with_its_message_alone(tmp_path: Path, args: list[str], message: Any) -> None:
    shutil.copy(APP / "sweep.mint", tmp_path / "sweep.mint")
    expected = message(tmp_path) if callable(message) else message
    done, records = hydra_run(tmp_path, "hydra/sweeper=mint", *args)
    assert done.returncode == 1 and records == []
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("options, message", [
    ({}, "hydra/sweeper=mint needs the .mint file: add hydra.sweeper.path=sweep.mint"),
    ({"path": "s.mint", "max_batch_size": 0}, "hydra.sweeper.max_batch_size=0 is not a number of jobs: write a positive"),
    ({"path": "s.mint", "config_id_key": "run id"}, "hydra.sweeper.config_id_key='run id' is not a key Hydra can set"),
])
def test_options_that_cannot_work_are_refused_saying_what_to_write(options: dict[str, Any], message: str) -> None:
    with pytest.raises(MintSweepError) as err:
        MintSweeper(**options).check_options()
    assert str(err.value).startswith(message)


def test_the_documented_example_runs(tmp_path: Path) -> None:
    folder = tmp_path / "hydra"
    shutil.copytree(EXAMPLE, folder)
    done, _ = hydra_run(folder, "hydra/sweeper=mint", "hydra.sweeper.path=sweep.mint", app=folder / "train.py")
    assert done.returncode == 0, done.stderr
    configs = load(EXAMPLE / "sweep.mint")
    results = [json.loads((folder / "multirun" / str(i) / "result.json").read_text(encoding="utf-8"))
               for i in range(len(configs))]
    assert [r["config_id"] for r in results] == [c["config_id"] for c in configs]
    assert [(r["optimizer"], r["batch_size"]) for r in results] == [(c["optimizer"], c["batch_size"]) for c in configs]
