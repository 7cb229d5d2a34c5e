"""Run every config of data_sweep.mint as a Ray Data `map`, and write one
result per config to results.jsonl, keyed by `config_id`.

    pip install 'spearmint-lang[ray]'
    python examples/ray/data_example.py        # a local Ray; on a cluster, ray.init(address="auto")
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import ray

from spearmint_lang.integrations.ray_data import read_mint

SWEEP = Path(__file__).with_name("data_sweep.mint")


def run_experiment(row: dict[str, Any]) -> dict[str, Any]:
    """One config's experiment (a stand-in for training): `row["config"]` is
    the config dict exactly as `mintc compile` writes it."""
    config = row["config"]
    loss = (math.log10(config["lr"]) + 2) ** 2 + (0.1 if config["optimizer"] == "sgd" else 0.0)
    # Return flat values (and the config_id to join on), not the config
    # itself: rows you return go through Ray's own type inference.
    return {"index": row["index"], "config_id": row["config_id"], "loss": loss}


def main(out: str | Path = "results.jsonl") -> list[dict[str, Any]]:
    """Run the sweep, write its results to `out` in sweep order, return them."""
    results = read_mint(SWEEP).map(run_experiment).take_all()
    results.sort(key=lambda r: r["index"])  # (Ray hands rows back in the order tasks finish)
    with open(out, "w", encoding="utf-8") as fh:
        for result in results:
            fh.write(json.dumps(result) + "\n")
    return results


if __name__ == "__main__":
    ray.init()
    for result in main():
        print(result)
