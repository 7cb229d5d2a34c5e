"""The Slurm job-array recipe (examples/slurm) runs as it says: the body of
submit.sh, run for every task id with `SLURM_ARRAY_TASK_ID` and
`SLURM_ARRAY_TASK_COUNT` set (as `sbatch --array=1-N` does), writes shards
whose concatenation is the whole sweep and results that hold every config
exactly once; a requeued task adds nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spearmint_lang import load
from tests.conftest import ROOT

SLURM = ROOT / "examples" / "slurm"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="submit.sh is a bash script")


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "job"
    shutil.copytree(SLURM, folder)
    mintc = tmp_path / "mintc"
    mintc.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m spearmint_lang "$@"\n', encoding="utf-8")
    mintc.chmod(0o755)
    return folder


def _task(folder: Path, k: int, n: int) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SLURM_ARRAY_TASK_ID=str(k), SLURM_ARRAY_TASK_COUNT=str(n), SLURM_SUBMIT_DIR=str(folder),
               MINTC=str(folder.parent / "mintc"), PYTHON=sys.executable, PATH=os.environ.get("PATH", ""))
    env.setdefault("PYTHONPATH", str(ROOT))
    return subprocess.run(["bash", str(folder / "submit.sh")], env=env, capture_output=True, text=True, timeout=120)


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("n", [4, 7])
def test_every_task_of_the_array_runs_its_slice_and_the_union_is_the_sweep(tmp_path: Path, n: int) -> None:
    folder = _folder(tmp_path)
    whole = load(SLURM / "sweep.mint")
    for k in range(1, n + 1):
        done = _task(folder, k, n)
        assert done.returncode == 0, done.stderr
        assert f"task {k}/{n}" in done.stdout
    shards = [c for k in range(1, n + 1) for c in _lines(folder / f"shard-{k}.jsonl")]
    assert shards == whole  # in order: the concatenated slices are the sweep
    results = [r for k in range(1, n + 1) for r in _lines(folder / f"shard-{k}.results.jsonl")]
    ids = [r["config_id"] for r in results]
    assert sorted(ids) == sorted(c["config_id"] for c in whole)  # every config once
    assert len(set(ids)) == len(ids) == len(whole)


def test_a_requeued_task_adds_no_result_twice(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert _task(folder, 2, 3).returncode == 0
    first = _lines(folder / "shard-2.results.jsonl")
    assert _task(folder, 2, 3).returncode == 0
    assert _lines(folder / "shard-2.results.jsonl") == first
