"""The Hydra sweeper on a 10,000,000-config sweep: memory stays flat and
each job's overrides cost microseconds.

Two measurements, each in a process of its own (so that peak RSS is its own):

1. `overrides`: the sweeper's batches (`JobWriter.batches`, what
   `MintSweeper.sweep` hands the launcher) of the 10M sweep, read for the
   first N jobs (default 1,000,000): the time per 100,000 jobs' overrides
   and the peak RSS after 100k jobs and after N (flat: one batch is held).
2. `hydra`: the real thing, `python app.py -m hydra/sweeper=mint ...` on
   the same 10M sweep, with a launcher that does nothing (registered for
   this run only, in a temporary `hydra_plugins` folder) that ends the
   process after J jobs (default 500, in batches of 100): how soon the first batch is
   launched, the time per job (Hydra composes each job's config once, in
   the sweeper's `validate_batch_is_legal`, as its basic sweeper does) and
   the peak RSS.

    PYTHONPATH=. .venv/bin/python benchmarks/integrations/hydra.py [--jobs N] [--hydra-jobs J]

Prints its figures; nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# This script is named hydra.py: its folder, which Python puts first on
# sys.path, would hide Hydra itself.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

SWEEP = """\
# 10 x 10 x 100 x 1000 = 10,000,000 configs
model: {
  name: ["mlp", "cnn", "it's \\"q\\"", "1e-05", "true", "a b, c=d", "é ✓", "$${x}", "null", "vit"]*
  layers: [[64], [64, 64], [128], [128, 128], [256], [{kind: "conv", sizes: [3, 3]}], [], [1.5], ["x"], [null]]*
}
optimizer: { name: "adam", lr: 1e-5..1e-1 count 100 }
seed: 0..<1000
"""

APP = """\
import hydra

@hydra.main(version_base="1.3", config_path=None)
def main(cfg):
    pass

if __name__ == "__main__":
    main()
"""

LAUNCHER = """\
import os, resource, sys, time
from hydra.plugins.launcher import Launcher
from hydra.core.config_store import ConfigStore
from dataclasses import dataclass

START, CPU = time.perf_counter(), time.process_time()

@dataclass
class NoopConf:
    _target_: str = "hydra_plugins.mint_noop_launcher.NoopLauncher"
    stop_after: int = 500

ConfigStore.instance().store(group="hydra/launcher", name="noop", node=NoopConf)

class NoopLauncher(Launcher):
    def __init__(self, stop_after):
        self.stop_after, self.done, self.first, self.first_cpu, self.rss = stop_after, 0, None, None, []
    def setup(self, *, hydra_context, task_function, config):
        pass
    def launch(self, job_overrides, initial_job_idx):
        now = time.perf_counter()
        if self.first is None:
            self.first, self.first_cpu = now, time.process_time()
        assert initial_job_idx == self.done
        self.done += len(job_overrides)
        self.rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
        if self.done >= self.stop_after:
            later = self.done - len(job_overrides)
            print(f"NOOP first batch launched at {self.first - START:.1f} s ({self.first_cpu - CPU:.1f} s of CPU), "
                  f"{self.done} jobs at {now - START:.1f} s; after the first batch "
                  f"{(now - self.first) / later * 1000:.0f} ms per job "
                  f"({(time.process_time() - self.first_cpu) / later * 1000:.0f} ms of CPU); "
                  f"peak RSS (MiB) at each batch: {self.rss}; last job: {' '.join(job_overrides[-1])}", flush=True)
            os._exit(0)
        return []
"""


def measure_overrides(jobs: int) -> None:
    """Measurement 1, in this process: print one JSON line of figures."""
    from spearmint_lang import Sweep
    from spearmint_lang.integrations.hydra import JobWriter

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sweep.mint"
        path.write_text(SWEEP, encoding="utf-8")
        start = time.perf_counter()
        sweep = Sweep(path)
        compiled = time.perf_counter() - start
        size = sweep.size
        rss_compiled = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        writer = JobWriter(common=("trainer.epochs=3",))
        done, marks, start, cpu = 0, {}, time.perf_counter(), time.process_time()
        for batch in writer.batches(sweep, 1000):
            done += len(batch)
            if done % 100_000 == 0:
                marks[done] = (time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            if done >= jobs:
                break
        print(json.dumps({"configs": size, "compile_seconds": round(compiled, 3), "maxrss_kib_compiled": rss_compiled,
                          "jobs": done, "seconds": round(time.perf_counter() - start, 2),
                          "seconds_per_100k": round((time.perf_counter() - start) / done * 100_000, 2),
                          "cpu_seconds_per_100k": round((time.process_time() - cpu) / done * 100_000, 2),
                          "maxrss_kib_at": {k: v[1] for k, v in marks.items()},
                          "last_job": batch[-1]}, ensure_ascii=False))


def measure_hydra(jobs: int) -> str:
    """Measurement 2: the app run by Hydra with the no-op launcher."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "sweep.mint").write_text(SWEEP, encoding="utf-8")
        (folder / "app.py").write_text(APP, encoding="utf-8")
        plugin = folder / "plugins" / "hydra_plugins" / "mint_noop_launcher"
        plugin.mkdir(parents=True)
        (plugin / "__init__.py").write_text(LAUNCHER, encoding="utf-8")
        path = os.pathsep.join([str(ROOT), str(folder / "plugins"), *filter(None, [os.environ.get("PYTHONPATH")])])
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "app.py", "-m", "hydra/sweeper=mint", "hydra.sweeper.path=sweep.mint",
             "hydra.sweeper.max_batch_size=100", "hydra/launcher=noop", f"hydra.launcher.stop_after={jobs}",
             f"hydra.sweep.dir={folder / 'multirun'}", "+trainer.epochs=3"],
            cwd=folder, env=dict(os.environ, PYTHONPATH=path), capture_output=True, text=True, timeout=3600)
        wall = time.perf_counter() - start
        line = next((x for x in done.stdout.splitlines() if x.startswith("NOOP")), None)
        if line is None:
            raise SystemExit(f"the Hydra run failed:\n{done.stdout}\n{done.stderr}")
        return f"{line}  (process wall {wall:.1f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1_000_000, help="jobs' overrides to build (measurement 1)")
    parser.add_argument("--hydra-jobs", type=int, default=500, help="jobs launched through Hydra (measurement 2)")
    parser.add_argument("--only", choices=["overrides", "hydra"], help="one measurement")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure_overrides(args.jobs)
        return
    if args.only in (None, "overrides"):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
        out = subprocess.run([sys.executable, __file__, "--child", "--jobs", str(args.jobs)], env=env,
                             capture_output=True, text=True, check=True).stdout
        figures = json.loads(out)
        rss = {int(k): v for k, v in figures["maxrss_kib_at"].items()}
        print(f"overrides: {figures['configs']:,} configs compiled in {figures['compile_seconds']} s "
              f"(peak RSS then {figures['maxrss_kib_compiled'] / 1024:.1f} MiB)")
        print(f"  {figures['jobs']:,} jobs' overrides in {figures['seconds']} s: "
              f"{figures['seconds_per_100k']} s per 100,000 jobs ({figures['cpu_seconds_per_100k']} s of CPU)")
        print("  peak RSS after " + ", ".join(f"{k:,} jobs: {v / 1024:.1f} MiB" for k, v in rss.items()
                                              if k in (100_000, figures["jobs"]) or k % 1_000_000 == 0))
        print(f"  last job: {' '.join(figures['last_job'])}")
    if args.only in (None, "hydra"):
        print("hydra:", measure_hydra(args.hydra_jobs))


if __name__ == "__main__":
    main()
