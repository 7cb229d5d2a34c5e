#!/usr/bin/env python3
"""Reads a 10,000,000-config sweep through the Ray Data datasource on a
local Ray runtime and prints the figures: the driver's time to create the
datasource and its read tasks, the wall time of reading every row (each
config unpickled to a dict in a `map_batches`), the rows/index sum seen
(checking every index came once), and the driver's and workers' peak RSS.

    PYTHONPATH=$PWD python benchmarks/integrations/ray_data.py [--configs N] [--cpus C] [--where]

`--configs` is 10,000,000 by default (a multiple of 1,000); `--where`
adds a `where` that keeps 3 configs in 5 (of `--configs` combinations), so
the driver has to scan to count. Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

SWEEP = """\
model: {{ name: "mlp", width: [64, 128, 256, 512, 1024]* }}
lr: 0.0001..0.1 count 20
dropout: [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]*
seed: 0..<{seeds}
optimizer: {{ name: "adam", betas: [0.9, 0.999] }}
{where}"""


def peak_rss_mb() -> float:
    """This process's peak resident set size, in MiB (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def summarise(batch: dict[str, Any]) -> dict[str, Any]:
    """One row per batch: its size, the sum of its indices, whether every
    config is a dict carrying its own config_id, and the worker's peak RSS."""
    configs = batch["config"]
    ok = all(type(c) is dict and c["config_id"] == i for c, i in zip(configs, batch["config_id"]))
    return {"rows": np.array([len(configs)]), "index_sum": np.array([int(batch["index"].sum())]),
            "ok": np.array([ok]), "rss_mb": np.array([peak_rss_mb()])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", type=int, default=10_000_000)
    parser.add_argument("--cpus", type=int, default=2)
    parser.add_argument("--where", action="store_true")
    args = parser.parse_args()
    t0 = time.perf_counter()
    import ray
    from ray import cloudpickle
    from ray.data.context import DataContext

    from spearmint_lang.integrations.ray_data import MintDatasource

    ctx = DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False, configure_logging=False)
    print(f"ray.init: {time.perf_counter() - t0:.1f} s (driver peak RSS {peak_rss_mb():.0f} MiB)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sweep.mint"
        where = "where not (dropout >= 0.5 and dropout < 0.9)\n" if args.where else ""
        path.write_text(SWEEP.format(seeds=args.configs // 1000, where=where), encoding="utf-8")
        t = time.perf_counter()
        source = MintDatasource(path)
        print(f"MintDatasource(path): {time.perf_counter() - t:.3f} s, {source.size:,} configs "
              f"(driver RSS so far {peak_rss_mb():.0f} MiB)")
        t = time.perf_counter()
        tasks = source.get_read_tasks(200)
        print(f"get_read_tasks(200): {(time.perf_counter() - t) * 1000:.1f} ms, {len(tasks)} tasks "
              f"of {tasks[0].metadata.num_rows:,} configs, {len(cloudpickle.dumps(tasks[-1])):,} bytes pickled each")
        t = time.perf_counter()
        rows = sum(block.num_rows for block in tasks[-1]())
        print(f"the last task run here, without Ray: {rows:,} configs in {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        ds = ray.data.read_datasource(source)
        out = ds.map_batches(summarise, batch_size=None).to_pandas()
        wall = time.perf_counter() - t
    n = source.size
    print(f"read + map_batches over every row: {wall:.1f} s ({n / wall:,.0f} configs/s), {len(out)} blocks")
    print(f"rows {int(out.rows.sum()):,} (expected {n:,}); index sum ok: {int(out.index_sum.sum()) == n * (n - 1) // 2}; "
          f"every config a dict with its config_id: {bool(out.ok.all())}")
    print(f"peak RSS: driver {peak_rss_mb():.0f} MiB, largest worker {out.rss_mb.max():.0f} MiB")
    ray.shutdown()


if __name__ == "__main__":
    main()
