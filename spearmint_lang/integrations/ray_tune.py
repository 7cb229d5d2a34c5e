"""Ray Tune: a sweep's configs as Tune trials (docs/integrations.md, "Ray Tune").

- `MintSearcher(path)`: a Tune `Searcher` that hands Tune the configs of a
  sweep one at a time, in the sweep's order, by index: nothing but the next
  index and the trials still running is held, so a sweep of any size runs;
  an experiment restored with `Tuner.restore` goes on where it stopped.
- `param_space(path)`: for small sweeps (at most `PARAM_SPACE_LIMIT`
  configs), a `param_space` for Tune's own variant generator that runs
  exactly the sweep's configs.

Either way the trainable's `config` is the config as `mintc compile` writes
it, `config_id` included: `config["model"]["lr"]`, `config["config_id"]`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from spearmint_lang.integrations.sweeps import require

require("ray", extra="ray", adapter=__name__)

from ray.tune.search import Searcher
from ray.tune.search.sample import Domain, sample_from
from ray.tune.search.variant_generator import grid_search

from ..dynamic import Config, Json
from ..sweep import Sweep
from .sweeps import open_sweep

__all__ = ["PARAM_SPACE_LIMIT", "MintSearcher", "param_space"]

PARAM_SPACE_LIMIT = 10_000  # the most configs `param_space` lists (MintSearcher has no limit)

_CHUNK = 1024  # configs read at a time when going on from an index (a `where` is scanned only so far)

_STATE_FORMAT = "spearmint-lang MintSearcher 1"  # what `save` writes, so `restore` knows its own files

# The dicts Tune's variant generator reads as instructions, wherever they are
# in a `param_space` (ray/tune/search/variant_generator.py, `_try_resolve`).
_TUNE_DIRECTIVES = ("grid_search", "eval")


def _checked_limit(max_concurrent: int) -> int:
    """`max_concurrent` if it is a count of trials (0: no limit)."""
    if isinstance(max_concurrent, bool) or not isinstance(max_concurrent, int) or max_concurrent < 0:
        raise ValueError(f"max_concurrent takes a number of trials, 0 for no limit (got {max_concurrent!r})")
    return max_concurrent


def _search_space_in(value: Any) -> bool:
    """Whether a Tune `param_space` holds something for Tune to sample
    (a Tune domain, or a `grid_search`/`eval` dict)."""
    if isinstance(value, Domain):
        return True
    if isinstance(value, Mapping):
        if len(value) == 1 and next(iter(value)) in _TUNE_DIRECTIVES:
            return True
        return any(_search_space_in(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_search_space_in(v) for v in value)
    return False


class MintSearcher(Searcher):
    """A Ray Tune searcher that runs the configs of a sweep, each once, in order.

    `sweep` is the path of a `.mint` file (compiled now: a broken file raises
    its `MintError` before Tune starts; `overrides` are `"PATH=VALUE"`
    strings as `mintc compile --set` takes them) or a `spearmint_lang.Sweep`,
    e.g. `Sweep(path).shard(k, n)`. Each trial's config is the config itself,
    ending with its `config_id`.

    `max_concurrent` (0: no limit) is the most trials running at once; Tune's
    `TuneConfig(max_concurrent_trials=k)` sets the same limit. A sweep needs
    no metric: `metric` and `mode` are only passed on to Tune.

    Run it with `TuneConfig(search_alg=MintSearcher(path), num_samples=-1)`:
    Tune stops asking a searcher after `num_samples` trials, and its default
    is 1 (`num_samples=k` runs the first k configs).

    What Tune saves of it is the index of the next config and the index and
    `config_id` of each trial handed out and not finished, never the configs.
    """

    def __init__(self, sweep: str | os.PathLike[str] | Sweep, *, overrides: Sequence[str] = (),
                 max_concurrent: int = 0, metric: str | None = None, mode: str | None = None) -> None:
        super().__init__(metric=metric, mode=mode)
        self._sweep = open_sweep(sweep, overrides)
        self._max_concurrent = _checked_limit(max_concurrent)
        self._next = 0  # the index of the next config to hand out
        self._last_id: str | None = None  # the config_id of config _next - 1
        self._running: dict[str, tuple[int, str]] = {}  # trial id -> (index, config_id), not yet finished
        self._configs: Iterator[Config] | None = None  # the configs from _next on (not pickled)

    @property
    def sweep(self) -> Sweep:
        """The sweep whose configs this searcher hands out."""
        return self._sweep

    @property
    def handed_out(self) -> int:
        """How many configs have been handed out (the index of the next one)."""
        return self._next

    @property
    def running(self) -> dict[str, int]:
        """The index of each trial's config, for trials handed out and not finished."""
        return {trial_id: index for trial_id, (index, _) in self._running.items()}

    def suggest(self, trial_id: str) -> Config | str | None:  # type: ignore[override]  # (Ray's type leaves out FINISHED)
        """The next config of the sweep for trial `trial_id`; None while
        `max_concurrent` trials run; `Searcher.FINISHED` after the last."""
        if self._max_concurrent and len(self._running) >= self._max_concurrent:
            return None
        config = self._take()
        if config is None:
            return Searcher.FINISHED
        self._running[trial_id] = (self._next - 1, config["config_id"])
        return config

    def _take(self) -> Config | None:
        """Config `_next` of the sweep (None past the end), counted as handed out."""
        if self._configs is None:
            self._configs = iter(self._sweep) if self._next == 0 else _configs_from(self._sweep, self._next)
        config = next(self._configs, None)
        if config is not None:
            self._next += 1
            self._last_id = config["config_id"]
        return config

    def on_trial_complete(self, trial_id: str, result: dict[str, Any] | None = None, error: bool = False) -> None:
        """Trial `trial_id` has finished (or failed): it no longer counts as running."""
        self._running.pop(trial_id, None)

    def set_search_properties(self, metric: str | None, mode: str | None, config: dict[str, Any], **spec: Any) -> bool:
        """Take Tune's `metric` and `mode` (if not given here); refuse a
        `param_space` with values to sample (the sweep is the search space).
        Constants of a `param_space` are added to every config by Tune."""
        if _search_space_in(config):
            return False
        self._metric = self._metric or metric
        self._mode = self._mode or mode
        return True

    def set_max_concurrency(self, max_concurrent: int) -> bool:
        """Take the limit of Tune's `max_concurrent_trials` (Tune then leaves it to us)."""
        self._max_concurrent = _checked_limit(max_concurrent)
        return True

    def get_state(self) -> dict[str, Json]:
        """Where the sweep stands: the next index and the trials not finished
        (with the `config_id`s that show the sweep has not changed)."""
        return {
            "format": _STATE_FORMAT,
            "next": self._next,
            "last_id": self._last_id,
            "running": {trial_id: [index, config_id] for trial_id, (index, config_id) in self._running.items()},
        }

    def set_state(self, state: Mapping[str, Any]) -> None:
        """Go on from a state `get_state` gave, for the same sweep."""
        if state.get("format") != _STATE_FORMAT:
            raise ValueError("this is not a state saved by MintSearcher")
        running = {str(trial_id): (int(index), str(config_id)) for trial_id, (index, config_id) in state["running"].items()}
        last = [(int(state["next"]) - 1, state["last_id"])] if state["next"] else []
        self._check_same_sweep(last + list(running.values()))
        self._next, self._last_id, self._running = int(state["next"]), state["last_id"], running
        self._configs = None

    def _check_same_sweep(self, seen: list[tuple[int, str]]) -> None:
        """Refuse to go on if the configs handed out are no longer those of the sweep."""
        for index, config_id in seen:
            try:
                now = self._sweep[index]["config_id"]
            except IndexError:
                now = None
            if now != config_id:
                raise ValueError(
                    f"the sweep has changed since this search was saved: config {index} was {config_id}, now it is "
                    f"{now or 'past the end'}; restore with the .mint file the experiment ran, or start a new experiment")

    def save(self, checkpoint_path: str) -> None:
        """Write `get_state()` to `checkpoint_path` (a few hundred bytes of JSON)."""
        with open(checkpoint_path, "w", encoding="utf-8") as fh:
            json.dump(self.get_state(), fh)

    def restore(self, checkpoint_path: str) -> None:
        """Go on from the state `save` wrote to `checkpoint_path`."""
        with open(checkpoint_path, encoding="utf-8") as fh:
            self.set_state(json.load(fh))

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (Tune keeps the searcher in its `tuner.pkl`) without the config iterator."""
        state = self.__dict__.copy()
        state["_configs"] = None
        return state


def _configs_from(sweep: Sweep, start: int) -> Iterator[Config]:
    """The configs of `sweep` from index `start` on, a slice of `_CHUNK` at a
    time (a slice with an end: a `where` is scanned only as far as read)."""
    while True:
        read = 0
        for config in sweep[start:start + _CHUNK]:
            read += 1
            yield config
        if read < _CHUNK:
            return
        start += _CHUNK


class _Pick:
    """A `tune.sample_from` function: the value of `key` in the config whose
    `config_id` Tune's grid chose for the trial."""

    def __init__(self, key: str, by_id: Mapping[str, Config]) -> None:
        self.key = key
        self.by_id = by_id

    def __call__(self, spec: Mapping[str, Any]) -> Json:
        chosen = spec if "config_id" in spec else spec["config"]  # (Tune passes the config, or the spec holding it)
        return self.by_id[chosen["config_id"]][self.key]


def param_space(sweep: str | os.PathLike[str] | Sweep, *, overrides: Sequence[str] = ()) -> dict[str, Any]:
    """A `Tuner` `param_space` that makes Tune's own variant generator run
    exactly the configs of `sweep` (a path or a `Sweep`), once each, in order.

    The trainable's config is the config itself: a `grid_search` over the
    `config_id`s, each other key taken from the config of that id. The
    configs are listed in the `param_space`, so at most `PARAM_SPACE_LIMIT`
    are taken; use `MintSearcher` for more. Keep `TuneConfig(num_samples=1)`
    (Tune's default): `num_samples=n` runs every config n times.
    """
    configs = _listed(open_sweep(sweep, overrides))
    first = configs[0]
    by_id = {config["config_id"]: config for config in configs}
    space: dict[str, Any] = {}
    for key in first:
        if key == "config_id":
            space[key] = grid_search([config["config_id"] for config in configs])
        elif all(_same(config[key], first[key]) for config in configs):
            space[key] = first[key]
        else:
            space[key] = sample_from(_Pick(key, by_id))
    return space


def _listed(sweep: Sweep) -> list[Config]:
    """The configs of `sweep` for a `param_space`: at most `PARAM_SPACE_LIMIT`,
    at least one, all with the same keys, none that Tune would read as its own."""
    configs = list(islice(sweep, PARAM_SPACE_LIMIT + 1))
    if len(configs) > PARAM_SPACE_LIMIT:
        size = sweep.known_size
        count = f"{size:,}" if size is not None else f"more than {PARAM_SPACE_LIMIT:,}"
        raise ValueError(
            f"param_space lists every config, and this sweep has {count} (param_space takes at most "
            f"{PARAM_SPACE_LIMIT:,}): use TuneConfig(search_alg=MintSearcher(path), num_samples=-1), which hands "
            "them out one at a time")
    if not configs:
        raise ValueError("this sweep has no configs: there is nothing for Tune to run")
    for index, config in enumerate(configs):
        _check_for_param_space(index, config, configs[0])
    return configs


def _check_for_param_space(index: int, config: Config, first: Config) -> None:
    """Refuse a config a `param_space` cannot give as it is."""
    if list(config) != list(first):
        raise ValueError(
            f"config {index} has the keys {', '.join(config)} where config 0 has {', '.join(first)}: a param_space "
            "gives every trial the same keys; use TuneConfig(search_alg=MintSearcher(path), num_samples=-1), "
            "which gives each config as it is")
    if _search_space_in(config):
        raise ValueError(
            f"config {index} holds a dict whose one key is {' or '.join(_TUNE_DIRECTIVES)}, which Tune's "
            "variant generator would read as its own: use TuneConfig(search_alg=MintSearcher(path), "
            "num_samples=-1), which gives each config as it is")


def _same(a: Json, b: Json) -> bool:
    """Whether two values are the same JSON (1, 1.0 and true differ)."""
    return a is b or json.dumps(a) == json.dumps(b)
