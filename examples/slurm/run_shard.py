#!/usr/bin/env python3
"""Run one shard of a sweep: every config of a JSONL file written by
`mintc compile sweep.mint --shard K/N -o shard-K.jsonl`.

    python run_shard.py shard-3.jsonl                  # writes shard-3.results.jsonl
    python run_shard.py shard-3.jsonl --out results/3.jsonl

Each result is one JSON line keyed by the config's `config_id`:
{"config_id": ..., "line": ..., "config": {...}, "result": {...}, "seconds": ...}.
Results are appended and flushed one by one, and configs whose
`config_id` is already in the output are skipped, so a task that was
preempted or requeued picks up where it stopped.

`run_experiment` below is a placeholder: replace it with your own code.
It needs nothing but the standard library (spearmint_lang is not needed
to read the shard: it is plain JSON lines).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from typing import Any


def run_experiment(config: dict[str, Any]) -> dict[str, Any]:
    """A placeholder experiment: a made-up, deterministic score per config.

    A real one would load config["dataset"], call config["model"] with
    config["prompt"]["system"], config["temperature"], config["seed"] and
    config["llm"], and score the answers.
    """
    digest = hashlib.sha256(config["config_id"].encode("utf-8")).digest()
    accuracy = round(0.5 + digest[0] / 510, 4)  # 0.5 .. 1.0
    return {"accuracy": accuracy, "questions": 500}


def done_ids(path: str) -> set[str]:
    """The config_ids that already have a result in `path`."""
    if not os.path.exists(path):
        return set()
    ids = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                ids.add(json.loads(line)["config_id"])
            except (ValueError, KeyError):
                continue  # a line cut short when the task was killed: redo it
    return ids


def main() -> int:
    p = argparse.ArgumentParser(description="Run every config of one shard (a JSONL file from mintc).")
    p.add_argument("shard", help="the JSONL file of this task's configs")
    p.add_argument("--out", help="where to append the results (default: SHARD with .results.jsonl)")
    args = p.parse_args()
    out = args.out or (args.shard[: -len(".jsonl")] if args.shard.endswith(".jsonl") else args.shard) + ".results.jsonl"
    if os.path.dirname(out):
        os.makedirs(os.path.dirname(out), exist_ok=True)

    skip = done_ids(out)
    ran = skipped = 0
    with open(args.shard, encoding="utf-8") as configs, open(out, "a", encoding="utf-8") as results:
        for line_no, line in enumerate(configs, 1):
            if not line.strip():
                continue
            config = json.loads(line)
            config_id = config["config_id"]
            if config_id in skip:
                skipped += 1
                continue
            start = time.perf_counter()
            result = run_experiment(config)
            record = {
                "config_id": config_id,
                "line": line_no,
                "config": config,
                "result": result,
                "seconds": round(time.perf_counter() - start, 6),
            }
            results.write(json.dumps(record, ensure_ascii=False) + "\n")
            results.flush()
            skip.add(config_id)  # identical configs share an id: run once
            ran += 1
    print(f"{args.shard}: ran {ran} config(s), skipped {skipped} already done -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
