"""The Ray Tune integration (spearmint_lang/integrations/ray_tune.py) on a
real local Ray runtime: every config of a sweep runs once, in the sweep's
order, as Tune trials whose config is the config itself; `max_concurrent`
holds; an interrupted experiment restored with `Tuner.restore` finishes the
sweep without running a finished config again; `param_space` makes Tune's
own variant generator create the same trials."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

from spearmint_lang import MintError, load
from spearmint_lang.sweep import Sweep
from tests.conftest import EXAMPLES, ROOT

if TYPE_CHECKING:  # imported by `ray_imported` below, when the tests run
    import ray
    import ray.cloudpickle
    from ray import tune
    from ray.tune.experiment import Experiment
    from ray.tune.search import BasicVariantGenerator, ConcurrencyLimiter, SearchGenerator, Searcher

    from spearmint_lang.integrations.ray_tune import PARAM_SPACE_LIMIT, MintSearcher, param_space


@pytest.fixture(scope="module", autouse=True)
def ray_imported() -> None:
    """Ray (seconds to import) is imported when this module's tests run, not
    when pytest collects the module: under xdist every worker collects every
    module, and one runs these."""
    global ray, tune, Experiment, BasicVariantGenerator, ConcurrencyLimiter, SearchGenerator, Searcher
    global PARAM_SPACE_LIMIT, MintSearcher, param_space
    import ray
    import ray.cloudpickle
    from ray import tune
    from ray.tune.experiment import Experiment
    from ray.tune.search import BasicVariantGenerator, ConcurrencyLimiter, SearchGenerator, Searcher

    from spearmint_lang.integrations.ray_tune import PARAM_SPACE_LIMIT, MintSearcher, param_space

    # Ray workers import neither this module nor the example: send their
    # functions by value.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])


SWEEP = """\
task: "toy"
model: {
  lr: [0.001, 0.01, 0.1]*
  width: [16, 32]*
}
"""


@pytest.fixture
def sweep_path(tmp_path: Path) -> Path:
    path = tmp_path / "sweep.mint"
    path.write_text(SWEEP, encoding="utf-8")
    return path


# -- the searcher alone (no Ray runtime) ---------------------------------------------


def test_suggest_hands_out_the_configs_in_order_then_finished(sweep_path: Path) -> None:
    searcher = MintSearcher(sweep_path)
    suggested = [searcher.suggest(f"t{i}") for i in range(6)]
    assert suggested == load(sweep_path)
    assert searcher.suggest("t6") == Searcher.FINISHED
    assert searcher.running == {f"t{i}": i for i in range(6)}


def test_overrides_and_shards(sweep_path: Path) -> None:
    searcher = MintSearcher(sweep_path, overrides=['task="other"'])
    assert searcher.suggest("a") == load(sweep_path, ['task="other"'])[0]
    shard = MintSearcher(Sweep(sweep_path).shard(2, 3))  # configs 2 and 3
    assert [shard.suggest("a"), shard.suggest("b"), shard.suggest("c")] == load(sweep_path)[2:4] + [Searcher.FINISHED]


def test_max_concurrent_waits_for_a_completion(sweep_path: Path) -> None:
    searcher = MintSearcher(sweep_path, max_concurrent=2)
    configs = load(sweep_path)
    assert [searcher.suggest("a"), searcher.suggest("b")] == configs[:2]
    assert searcher.suggest("c") is None  # two running: Tune asks again later
    searcher.on_trial_complete("a", result={"score": 1.0})
    assert searcher.suggest("c") == configs[2]
    searcher.on_trial_complete("b", error=True)  # a failed trial no longer runs either
    assert searcher.suggest("d") == configs[3]
    assert searcher.suggest("e") is None


def test_tune_max_concurrent_trials_sets_the_same_limit(sweep_path: Path) -> None:
    limited = ConcurrencyLimiter(MintSearcher(sweep_path), max_concurrent=1)  # what TuneConfig(max_concurrent_trials=1) does
    assert limited.suggest("a") == load(sweep_path)[0]
    assert limited.suggest("b") is None
    limited.on_trial_complete("a")
    assert limited.suggest("b") == load(sweep_path)[1]


def test_search_properties_need_no_metric_and_refuse_a_search_space(sweep_path: Path) -> None:
    searcher = MintSearcher(sweep_path)
    assert searcher.metric is None and searcher.mode is None
    assert searcher.set_search_properties(None, None, {})
    assert searcher.set_search_properties("score", "max", {"data_dir": "/data"})
    assert (searcher.metric, searcher.mode) == ("score", "max")
    assert not searcher.set_search_properties(None, None, {"lr": tune.uniform(0, 1)})
    assert not searcher.set_search_properties(None, None, {"model": {"lr": tune.grid_search([1, 2])}})


def test_saved_state_is_small_and_goes_on_where_it_stopped(sweep_path: Path, tmp_path: Path) -> None:
    searcher = MintSearcher(sweep_path)
    for trial in "abcd":
        searcher.suggest(trial)
    searcher.on_trial_complete("b")
    searcher.on_trial_complete("d")
    state_file = tmp_path / "searcher-state.pkl"
    searcher.save(str(state_file))
    assert json.loads(state_file.read_text()) == {
        "format": "spearmint-lang MintSearcher 1", "next": 4, "last_id": load(sweep_path)[3]["config_id"],
        "running": {"a": [0, load(sweep_path)[0]["config_id"]], "c": [2, load(sweep_path)[2]["config_id"]]},
    }
    restored = MintSearcher(sweep_path)
    restored.restore(str(state_file))
    assert restored.running == {"a": 0, "c": 2}  # Tune resumes these trials itself
    assert [restored.suggest("e"), restored.suggest("f"), restored.suggest("g")] == load(sweep_path)[4:] + [Searcher.FINISHED]


@pytest.mark.parametrize("where", ["", "where seed % 3 != 1"])
def test_goes_on_from_any_index(tmp_path: Path, where: str) -> None:
    path = tmp_path / "long.mint"
    path.write_text(f"seed: 0..<3100\n{where}\n", encoding="utf-8")
    configs = load(path)
    searcher = MintSearcher(path)
    searcher.set_state({**searcher.get_state(), "next": 1000, "last_id": configs[999]["config_id"]})
    rest = []
    while (config := searcher.suggest(f"t{len(rest)}")) != Searcher.FINISHED:
        rest.append(config)
    assert rest == configs[1000:]


def test_restore_refuses_a_changed_sweep(sweep_path: Path, tmp_path: Path) -> None:
    searcher = MintSearcher(sweep_path)
    searcher.suggest("a")
    searcher.suggest("b")
    searcher.save(str(tmp_path / "state"))
    edited = tmp_path / "edited.mint"
    edited.write_text(SWEEP.replace("0.001", "0.002"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"the sweep has changed since this search was saved: config 1 was "):
        MintSearcher(edited).restore(str(tmp_path / "state"))


def test_pickles_after_handing_out(sweep_path: Path) -> None:
    import pickle

    searcher = MintSearcher(sweep_path)
    searcher.suggest("a")
    copy = pickle.loads(pickle.dumps(searcher))  # Tune keeps its searcher in tuner.pkl
    assert copy.suggest("b") == load(sweep_path)[1]


def test_broken_file_raises_its_diagnostic(tmp_path: Path) -> None:
    broken = tmp_path / "broken.mint"
    broken.write_text("model: {\n  lr: [0.1, 0.2\n}\n", encoding="utf-8")
    with pytest.raises(MintError) as caught:
        MintSearcher(broken)
    message = str(caught.value)
    assert message.startswith(f"{broken}:3:1: error[E002]: unexpected `}}`")
    with pytest.raises(MintError) as caught:
        param_space(broken)
    assert str(caught.value) == message


def test_missing_file_and_wrong_arguments(tmp_path: Path, sweep_path: Path) -> None:
    with pytest.raises(MintError, match=r"nope\.mint:1:1: error\[E000\]: cannot read file"):
        MintSearcher(tmp_path / "nope.mint")
    with pytest.raises(TypeError, match=r"write overrides=\['task=x'\]"):
        MintSearcher(sweep_path, overrides="task=x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"overrides apply to a .mint path"):
        MintSearcher(Sweep(sweep_path), overrides=["task=x"])
    with pytest.raises(ValueError, match=r"max_concurrent takes a number of trials, 0 for no limit \(got -1\)"):
        MintSearcher(sweep_path, max_concurrent=-1)
    with pytest.raises(TypeError, match=r"expected the path of a .mint file or a spearmint_lang.Sweep, got list"):
        MintSearcher(load(sweep_path))  # type: ignore[arg-type]


# -- param_space (no Ray runtime) ---------------------------------------------------------


def test_param_space_is_a_grid_over_config_ids(sweep_path: Path) -> None:
    configs = load(sweep_path)
    space = param_space(sweep_path)
    assert list(space) == ["task", "model", "config_id"]
    assert space["task"] == "toy"  # the same in every config: a constant
    assert space["config_id"] == tune.grid_search([c["config_id"] for c in configs])


def test_param_space_refuses_a_large_sweep(tmp_path: Path) -> None:
    large = tmp_path / "large.mint"
    large.write_text(f"seed: 0..<{PARAM_SPACE_LIMIT + 1}\n", encoding="utf-8")
    message = ("param_space lists every config, and this sweep has 10,001 (param_space takes at most 10,000): "
               "use TuneConfig(search_alg=MintSearcher(path), num_samples=-1), which hands them out one at a time")
    with pytest.raises(ValueError, match=re.escape(message)):
        param_space(large)
    small = tmp_path / "small.mint"
    small.write_text(f"seed: 0..<{PARAM_SPACE_LIMIT}\n", encoding="utf-8")
    assert len(param_space(small)["config_id"]["grid_search"]) == PARAM_SPACE_LIMIT


def test_param_space_refuses_what_it_cannot_give_as_is(tmp_path: Path) -> None:
    documents = tmp_path / "documents.mint"
    documents.write_text('model: "a"\n---\nmodel: "b"\ndepth: 3\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"config 1 has the keys model, depth, config_id where config 0 has "
                                         r"model, config_id: .*use TuneConfig\(search_alg=MintSearcher\(path\)"):
        param_space(documents)
    directive = tmp_path / "directive.mint"
    directive.write_text('x: [1, 2]*\nopt: { eval: "1 + 1" }\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"config 0 holds a dict whose one key is grid_search or eval"):
        param_space(directive)
    with pytest.raises(ValueError, match=r"this sweep has no configs"):
        param_space(Sweep(directive)[2:])


# -- on a real local Ray runtime ------------------------------------------------------------


def _train(config: dict[str, Any]) -> None:
    """A trial: reports its config_id and when it ran."""
    start = time.time()
    time.sleep(0.1)
    tune.report({"config_id": config["config_id"], "lr": config["model"]["lr"], "start": start, "end": time.time()})


def _run_config(tmp_path: Path, name: str, **kwargs: Any) -> tune.RunConfig:
    return tune.RunConfig(storage_path=str(tmp_path), name=name, verbose=0, **kwargs)


def _in_trial_order(results: tune.ResultGrid) -> list[tune.Result]:
    """Results in the order Tune created the trials (the number its tags start with)."""
    return sorted(results, key=lambda r: int(r.metrics["experiment_tag"].split("_", 1)[0]))


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tune_example", ROOT / "examples" / "ray" / "tune_example.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["tune_example"] = module
    spec.loader.exec_module(module)
    ray.cloudpickle.register_pickle_by_value(module)
    return module


def test_example_runs_every_config_once_in_order(ray_runtime: None, tmp_path: Path) -> None:
    example = _example()
    results = example.run(example.SWEEP, str(tmp_path))
    configs = load(EXAMPLES / "nested.mint")
    assert not results.errors
    ran = _in_trial_order(results)
    assert [r.config for r in ran] == configs  # the config itself, in the sweep's order, each once
    assert [r.metrics["config_id"] for r in ran] == [c["config_id"] for c in configs]
    assert [r.metrics["score"] for r in ran] == [
        example.fake_score(c["llm"]["model"], c["llm"]["params"]["temperature"]) for c in configs]


@pytest.mark.parametrize("name", ["sweep.mint", "nested.mint"])
def test_param_space_makes_tune_create_the_configs_in_order(ray_runtime: None, sweep_path: Path, tmp_path: Path,
                                                             name: str) -> None:
    """Tune's own variant generator, given `param_space(path)`, creates one
    trial per config, in order, whose config is the config itself (the
    trials are not run: that is Tune's part, the same for any config;
    `python examples/ray/tune_example.py --grid` runs them)."""
    path = sweep_path if name == "sweep.mint" else EXAMPLES / name
    generator = BasicVariantGenerator()
    generator.add_configurations(Experiment("grid", _train, config=param_space(path), storage_path=str(tmp_path)))
    trials = []
    while not generator.is_finished():
        trial = generator.next_trial()
        if trial is not None:
            trials.append(trial.config)
    assert trials == load(path)
    assert [list(config) for config in trials] == [list(config) for config in load(path)]  # the keys in order too
    assert generator.total_samples == len(trials)


def _interrupt_at_trial(n: int, flag: Path) -> tune.Callback:
    """A callback that interrupts the experiment as Ctrl-C does (SIGUSR1,
    which Tune also catches) when its `n`-th trial starts; once (the flag
    file says it was). (Its class is made here: it needs Ray imported.)"""

    class _InterruptAtTrial(tune.Callback):  # type: ignore[misc]
        def __init__(self, n: int, flag: Path) -> None:
            self.n = n
            self.flag = flag

        def on_trial_start(self, iteration: int, trials: list[Any], trial: Any, **info: Any) -> None:
            if trial.experiment_tag.startswith(f"{self.n}_") and not self.flag.exists():
                self.flag.touch()
                os.kill(os.getpid(), signal.SIGUSR1)

    return _InterruptAtTrial(n, flag)


@pytest.fixture(scope="module")
def interrupted(ray_runtime: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tune.Result], list[tune.Result]]:
    """A sweep of 6 run one trial at a time, interrupted when its third trial
    starts, then restored with `Tuner.restore` and run to the end: the sweep,
    the first run's results and the second's in trial order."""
    tmp_path = tmp_path_factory.mktemp("interrupted")
    path = tmp_path / "sweep.mint"
    path.write_text(SWEEP, encoding="utf-8")
    tuner = tune.Tuner(
        _train,
        tune_config=tune.TuneConfig(search_alg=MintSearcher(path, max_concurrent=1), num_samples=-1,
                                    reuse_actors=True),
        run_config=_run_config(tmp_path, "interrupted", callbacks=[_interrupt_at_trial(3, tmp_path / "interrupt.flag")]),
    )
    first = tuner.fit()
    assert (tmp_path / "interrupt.flag").exists()
    restored = tune.Tuner.restore(str(tmp_path / "interrupted"), _train)
    second = restored.fit()
    return path, list(first), _in_trial_order(second)


def test_restored_experiment_finishes_the_sweep_without_repeating(
        interrupted: tuple[Path, list[tune.Result], list[tune.Result]]) -> None:
    path, first, second = interrupted
    configs = load(path)
    finished = [r for r in first if "config_id" in r.metrics]
    (unfinished,) = [r for r in first if "config_id" not in r.metrics]  # the third, stopped while it ran
    assert len(first) == 3 and [r.config for r in finished] == configs[:2] and unfinished.config == configs[2]
    assert [r.config for r in second] == configs  # every config, each in one trial, in order
    assert len({r.path for r in second}) == len(configs) and all(r.error is None for r in second)
    # The trials that had finished were not run again: the same results.
    assert [(r.path, r.metrics["end"]) for r in second[:2]] == [(r.path, r.metrics["end"]) for r in finished]
    # The third was not handed out again as a new trial: Tune ran the same trial again.
    assert second[2].path == unfinished.path and second[2].metrics["config_id"] == configs[2]["config_id"]


def test_max_concurrent_runs_one_trial_at_a_time(interrupted: tuple[Path, list[tune.Result], list[tune.Result]]) -> None:
    _, _, second = interrupted
    spans = sorted((r.metrics["start"], r.metrics["end"]) for r in second)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:]))


def _trial_configs(searcher: MintSearcher, tmp_path: Path, num_samples: int, **constants: Any) -> list[dict[str, Any]]:
    """The configs of the trials Tune's SearchGenerator makes from `searcher`
    (no trial is run), for an experiment of `num_samples` and a `param_space`
    of `constants`."""
    generator = SearchGenerator(searcher)
    generator.add_configurations(Experiment("n", _train, config=constants, num_samples=num_samples, storage_path=str(tmp_path)))
    trials = []
    while not generator.is_finished():
        trial = generator.next_trial()
        if trial is not None:
            trials.append(trial.config)
    return trials


def test_num_samples_caps_the_trials_tune_asks_for(ray_runtime: None, sweep_path: Path, tmp_path: Path) -> None:
    """Tune's SearchGenerator asks for at most `num_samples` trials (-1, which
    becomes sys.maxsize: until FINISHED); TuneConfig's default, 1, would run
    only the first config."""
    configs = load(sweep_path)
    assert _trial_configs(MintSearcher(sweep_path), tmp_path, 3) == configs[:3]
    assert _trial_configs(MintSearcher(sweep_path), tmp_path, sys.maxsize) == configs


def test_param_space_constants_are_merged_into_every_config(ray_runtime: None, sweep_path: Path, tmp_path: Path) -> None:
    merged = _trial_configs(MintSearcher(sweep_path), tmp_path, sys.maxsize, data_dir="/data", task="ignored")
    assert merged == [{"data_dir": "/data", **config} for config in load(sweep_path)]  # the sweep's values win


def test_docs_show_the_example(tmp_path: Path) -> None:
    """The Python of the Ray Tune section of docs/integrations.md is the
    example's code (which the tests above run)."""
    page = (ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
    section = page.split("<!-- section: ray-tune -->")[1].split("<!-- section:")[0]
    example = (ROOT / "examples" / "ray" / "tune_example.py").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 4
    for block in blocks:
        assert block in example, block
    (mint,) = re.findall(r"```mint\n(.*?)```", section, flags=re.S)
    assert mint in (EXAMPLES / "nested.mint").read_text(encoding="utf-8")
