#!/usr/bin/env python3
"""Drives `MintSearcher` over a 10,000,000-config sweep without a Ray
runtime, as Tune would: `suggest` N times (100,000 by default) with up to
8 trials running (each completed as the next is asked for), and prints the
figures: the time to compile the sweep, the time per suggestion, the saved
state's size (what Tune writes to the experiment folder), the pickled
searcher's size (what Tune keeps in tuner.pkl), the time to go on from the
saved state near the end of the sweep, and this process's peak RSS.

    PYTHONPATH=$PWD python benchmarks/integrations/ray_tune.py [--suggest N] [--where]

`--where` adds a `where` that keeps 4 configs in 5 (of 12,500,000
combinations, so the sweep still has 10,000,000 configs): the searcher
then reads the sweep through its filter. Nothing is written outside a
temporary folder.
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import tempfile
import time
from collections import deque
from pathlib import Path

SWEEP = """\
task: "train"
model: {{ name: "mlp", width: [64, 128, 256, 512, 1024]*, depth: 1..10 }}
lr: [0.00001, 0.00003, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3]*
seed: 0..<{seeds}
{where}"""


def peak_rss_mb() -> float:
    """This process's peak resident set size, in MiB (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suggest", type=int, default=100_000, help="suggestions to time (default 100,000)")
    parser.add_argument("--where", action="store_true", help="a sweep with a `where` keeping 4 configs in 5")
    args = parser.parse_args()

    start = time.perf_counter()
    from ray.tune.search import Searcher

    from spearmint_lang.integrations.ray_tune import MintSearcher
    print(f"imports (ray.tune, the integration): {time.perf_counter() - start:.2f} s, peak RSS {peak_rss_mb():.0f} MiB")

    where = "where seed % 5 != 1" if args.where else ""
    seeds = 25_000 if args.where else 20_000  # 500 x seeds (x 4/5) = 10M
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.mint"
        path.write_text(SWEEP.format(seeds=seeds, where=where), encoding="utf-8")

        start = time.perf_counter()
        searcher = MintSearcher(path)
        known = searcher.sweep.known_size
        print(f"compile: {time.perf_counter() - start:.3f} s; "
              + (f"{known:,} configs" if known is not None else "size not counted (a `where` would need a scan)"))
        print(f"pickled searcher, as Tune keeps it in tuner.pkl: {len(pickle.dumps(searcher)):,} bytes")

        running: deque[str] = deque()
        start = time.perf_counter()
        for n in range(args.suggest):
            if len(running) == 8:
                searcher.on_trial_complete(running.popleft(), result={"score": 0.0})
            config = searcher.suggest(f"trial_{n:07d}")
            assert isinstance(config, dict), config
            running.append(f"trial_{n:07d}")
        took = time.perf_counter() - start
        print(f"suggest x {args.suggest:,}: {took:.2f} s ({took / args.suggest * 1e6:.1f} us each); "
              f"last config {config}")

        state_file = Path(tmp) / "searcher-state.pkl"
        searcher.save(str(state_file))
        print(f"saved state: {state_file.stat().st_size} bytes ({len(running)} trials running): "
              f"{state_file.read_text()[:160]}...")
        print(f"pickled searcher after that: {len(pickle.dumps(searcher)):,} bytes")

        # Go on near the end: the state of a search 9,999,990 configs in.
        start = time.perf_counter()
        late = MintSearcher(path)
        late.set_state({**searcher.get_state(), "next": 9_999_990, "running": {},
                        "last_id": searcher.sweep[9_999_989]["config_id"]})
        rest: list[object] = []
        while (suggestion := late.suggest(f"late_{len(rest)}")) != Searcher.FINISHED:
            rest.append(suggestion)
        print(f"restore at 9,999,990 and hand out the last {len(rest)} configs: {time.perf_counter() - start:.2f} s")
    print(f"peak RSS: {peak_rss_mb():.0f} MiB (pid {os.getpid()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
