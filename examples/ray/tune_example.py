#!/usr/bin/env python3
"""Run every config of a sweep as a Ray Tune trial (docs/integrations.md, "Ray Tune").

    python examples/ray/tune_example.py                      # examples/nested.mint: 6 trials
    python examples/ray/tune_example.py sweep.mint --storage /tmp/ray_results
    python examples/ray/tune_example.py sweep.mint --grid    # through Tune's own grid (<= 10,000 configs)
    python examples/ray/tune_example.py --resume /tmp/ray_results/EXPERIMENT

`MintSearcher` hands Tune the sweep's configs one at a time, in the sweep's
order; each trial's `config` is one config as `mintc compile` writes it.
`train` below is a placeholder: replace it with your own code. An
experiment stopped part-way (Ctrl-C) goes on with `--resume`: configs that
finished are not run again.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any

from ray import tune

from spearmint_lang.integrations.ray_tune import MintSearcher, param_space

SWEEP = str(Path(__file__).resolve().parent.parent / "nested.mint")


def fake_score(*values: Any) -> float:
    """A made-up, deterministic score in 0.5 .. 1.0 (stands for your evaluation)."""
    return round(0.5 + hashlib.sha256(repr(values).encode()).digest()[0] / 510, 4)


def train(config: dict[str, Any]) -> None:
    """One trial: `config` is one config of the sweep, `config_id` included."""
    model, temperature = config["llm"]["model"], config["llm"]["params"]["temperature"]
    tune.report({"score": fake_score(model, temperature), "config_id": config["config_id"]})


def run(path: str, storage_path: str) -> tune.ResultGrid:
    tuner = tune.Tuner(
        train,
        # num_samples=-1: until the searcher says FINISHED (Tune's default, 1, runs one config);
        # reuse_actors: short trials share their worker processes.
        tune_config=tune.TuneConfig(search_alg=MintSearcher(path), num_samples=-1, reuse_actors=True),
        run_config=tune.RunConfig(storage_path=storage_path),
    )
    return tuner.fit()


def run_grid(path: str, storage_path: str) -> tune.ResultGrid:
    tuner = tune.Tuner(
        train,
        param_space=param_space(path),  # the same configs, listed for Tune's own grid
        tune_config=tune.TuneConfig(reuse_actors=True),
        run_config=tune.RunConfig(storage_path=storage_path),
    )
    return tuner.fit()


def resume(experiment_path: str) -> tune.ResultGrid:
    return tune.Tuner.restore(experiment_path, train).fit()


def main() -> int:
    parser = argparse.ArgumentParser(description="Run every config of a .mint sweep as a Ray Tune trial.")
    parser.add_argument("sweep", nargs="?", default=SWEEP, help="the .mint file (default: examples/nested.mint)")
    parser.add_argument("--storage", default=str(Path.home() / "ray_results"), help="where Tune writes the experiment")
    parser.add_argument("--grid", action="store_true", help="use param_space (Tune's grid) instead of MintSearcher")
    parser.add_argument("--resume", metavar="EXPERIMENT", help="go on with a stopped experiment (its folder)")
    args = parser.parse_args()
    if args.resume:
        results = resume(args.resume)
    else:
        results = (run_grid if args.grid else run)(args.sweep, args.storage)
    for index in range(len(results)):  # (one result per trial)
        config, metrics = results[index].config or {}, results[index].metrics or {}
        print(config["config_id"], config["llm"], metrics.get("score"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
