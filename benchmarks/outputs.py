#!/usr/bin/env python3
"""Benchmark the output formats against JSONL and `json.load` (issue 16).

    python benchmarks/outputs.py                 # best of 3, this checkout
    python benchmarks/outputs.py --repeat 1      # one run each
    python benchmarks/outputs.py --source DIR    # the spearmint_lang of another checkout

On the grid300k sweep of benchmarks/run.py (300,000 configs), each as a
whole process (wall time with `time.perf_counter`, peak RSS from
`os.wait4`, through run.py's launcher), best of `--repeat`:

- `--format yaml` against `--format jsonl` (goal: at most 2x);
- `--split DIR` (YAML) per file: a split of `--files` configs less a split
  of one (the start-up), per file (goal: at most 0.1 ms), beside the same
  number of files written atomically by a bare loop (the file system's
  floor, which no writer beats). The folder is in /dev/shm where there is
  one (`--split-in` to choose): on a disk shared with other work, the
  file system's time swamps mintc's own and varies several-fold;
- importing the `py` output for the first time (no .pyc:
  PYTHONDONTWRITEBYTECODE=1) against `json.load` of the `json` output, in
  time and in peak RSS (goal: at most 2x each).

`rows(python, work)` returns the lines; run as a script, it prints them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import SWEEPS, Launcher  # noqa: E402  (benchmarks/run.py, unchanged)

REPO = HERE.parent
SPLIT_FILES = 20_000

_IMPORT = (
    "import importlib.util, sys\n"
    "spec = importlib.util.spec_from_file_location('grid_configs', sys.argv[1])\n"
    "module = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(module)\n"
    "print(len(module.configs))\n"
)
_JSON_LOAD = "import json, sys\nwith open(sys.argv[1], encoding='utf-8') as fh:\n    print(len(json.load(fh)))\n"
_FLOOR = (
    "import os, sys\n"
    "folder, n = sys.argv[1], int(sys.argv[2])\n"
    "os.makedirs(folder)\n"
    "data = b'x' * 200\n"
    "for i in range(n):\n"
    "    tmp = os.path.join(folder, '.tmp')\n"
    "    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)\n"
    "    os.write(fd, data)\n"
    "    os.close(fd)\n"
    "    os.replace(tmp, os.path.join(folder, f'{i:06d}.yaml'))\n"
)


class _Runner:
    """Processes started by run.py's launcher (peak RSS of their own), with
    PYTHONPATH at `source` and PYTHONDONTWRITEBYTECODE set."""

    def __init__(self, source: Path, folder: Path) -> None:
        saved, here = dict(os.environ), os.getcwd()
        os.environ["PYTHONPATH"] = str(source)
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        os.chdir(folder)  # (`python -m` puts the current folder first: not a checkout's)
        try:
            self.launcher = Launcher()  # (it passes its environment and folder on)
        finally:
            os.chdir(here)
            os.environ.clear()
            os.environ.update(saved)

    def best(self, cmd: Sequence[str], repeat: int, before: Path | None = None) -> tuple[float, int]:
        """(best wall seconds, largest peak RSS in KiB) of `repeat` runs;
        `before` is removed before each run."""
        seconds, rss = float("inf"), 0
        for _ in range(repeat):
            if before is not None:
                shutil.rmtree(before, ignore_errors=True)
            took, _cpu, peak, code, _out, err = self.launcher.run(list(cmd))
            if code != 0:
                raise RuntimeError(f"{' '.join(cmd[:4])}...: exit {code}: {err.strip()[-300:]}")
            seconds, rss = min(seconds, took), max(rss, peak)
        return seconds, rss

    def close(self) -> None:
        self.launcher.close()


def default_split_root(work: Path) -> Path:
    """/dev/shm (memory) where there is one, else `work`."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else work


def rows(mintc_python: str, work: Path, repeat: int = 3, source: Path = REPO,
         split_files: int = SPLIT_FILES, split_root: Path | None = None) -> list[str]:
    """The figures, one line each: ratios with the goal beside each (the
    spearmint_lang measured is `source`'s, run by `mintc_python`)."""
    scratch = Path(tempfile.mkdtemp(prefix="mint-outputs-split-", dir=split_root or default_split_root(work)))
    sweep = next(s for s in SWEEPS if s.name == "grid300k")
    work.mkdir(parents=True, exist_ok=True)
    mint = work / "grid300k.mint"
    mint.write_text(sweep.mint(), encoding="utf-8")
    mintc = [mintc_python, "-m", "spearmint_lang", "compile", str(mint)]
    runner = _Runner(source, work)
    try:
        jsonl, _ = runner.best([*mintc, "-o", str(work / "out.jsonl")], repeat)
        yaml, _ = runner.best([*mintc, "-o", str(work / "out.yaml")], repeat)
        split = scratch / "split"
        one, _ = runner.best([*mintc, "--range", "0:1", "--split", str(split)], repeat, before=split)
        many, _ = runner.best([*mintc, "--range", f"0:{split_files}", "--split", str(split)], repeat, before=split)
        floor, _ = runner.best([mintc_python, "-c", _FLOOR, str(scratch / "floor"), str(split_files)], repeat,
                               before=scratch / "floor")
        bare, _ = runner.best([mintc_python, "-c", "pass"], repeat)
        runner.best([*mintc, "-o", str(work / "out.json")], 1)
        runner.best([*mintc, "-o", str(work / "out.py")], 1)
        loaded, loaded_rss = runner.best([mintc_python, "-c", _JSON_LOAD, str(work / "out.json")], repeat)
        imported, imported_rss = runner.best([mintc_python, "-c", _IMPORT, str(work / "out.py")], repeat)
    finally:
        runner.close()
        shutil.rmtree(scratch, ignore_errors=True)
    per_file = (many - one) / (split_files - 1) * 1000
    per_floor = (floor - bare) / split_files * 1000
    return [
        f"grid300k ({sweep.configs:,} configs), source {source}, best of {repeat}",
        f"yaml / jsonl                 {yaml / jsonl:5.2f}x  (yaml {yaml:.2f} s, jsonl {jsonl:.2f} s)"
        "   goal <= 2x",
        f"split yaml, per file         {per_file:5.3f} ms ({split_files:,} files less 1: {many:.2f} s - {one:.2f} s,"
        f" in {scratch.parent}; file-system floor {per_floor:.3f} ms)   goal <= 0.1 ms",
        f"py import / json.load, time  {imported / loaded:5.2f}x  (import {imported:.2f} s, json.load {loaded:.2f} s)"
        "   goal <= 2x",
        f"py import / json.load, RSS   {imported_rss / loaded_rss:5.2f}x  (import {imported_rss / 1024:.0f} MiB,"
        f" json.load {loaded_rss / 1024:.0f} MiB)   goal <= 2x",
    ]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=3, help="runs of each process; the best time counts (default 3)")
    p.add_argument("--python", default=sys.executable, help="the Python that runs mintc (default: this one)")
    p.add_argument("--source", type=Path, default=REPO, help="the checkout whose spearmint_lang is measured")
    p.add_argument("--files", type=int, default=SPLIT_FILES, help=f"files of the split (default {SPLIT_FILES:,})")
    p.add_argument("--split-in", type=Path, default=None,
                   help="make the split folders in here (default: /dev/shm if there is one, else the work folder)")
    p.add_argument("--keep", metavar="DIR", help="work in DIR (kept) instead of a temporary folder")
    ctx = p.parse_args()
    work = Path(ctx.keep) if ctx.keep else Path(tempfile.mkdtemp(prefix="mint-outputs-"))
    try:
        for line in rows(ctx.python, work, ctx.repeat, ctx.source.resolve(), ctx.files, ctx.split_in):
            print(line)
    finally:
        if not ctx.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
