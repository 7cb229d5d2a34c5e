#!/usr/bin/env python3
"""How long `mintc` takes to start, against the interpreter it runs on.

    python benchmarks/startup.py                  # the .venv's mintc, 41 pairs
    python benchmarks/startup.py --runs 81 --mintc PATH --python PATH

Two goals (issue 16, "Start-up"), each a median of paired ratios:

- `mintc check examples/lists.mint` against `python -c "import attrs, lark"`
  (the two libraries `check` cannot do without): at most 1.3x;
- `mintc --version` against `python -c pass`: at most 2x.

The two commands of a pair run one right after the other, in alternating
order (mintc first in even pairs, the baseline first in odd ones), and the
ratio of each pair is kept: on a shared, noisy machine a slow moment then
slows both sides of a pair, not one. The median of the ratios is reported,
with the median times and the largest peak RSS (`ru_maxrss` from
`os.wait4`) of each command. This script imports only the standard
library's small modules and spawns the commands itself, so a child's peak
RSS (on Linux it counts the spawning process up to the exec) is not swollen.

Python writes no bytecode when PYTHONDONTWRITEBYTECODE is set: then every
run compiles mintc's modules again, which is not what users see. Compile
the package and site-packages first (`python -m compileall -q ...`), or run
this without that variable; the script warns when it is set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from mintc_path import default_mintc

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LISTS = REPO / "examples" / "lists.mint"
DEFAULT_RUNS = 41


def run_once(cmd: Sequence[str]) -> tuple[float, float, int]:
    """Wall seconds from spawn to exit, CPU seconds (user + system) and peak
    RSS in KiB of one run of `cmd` (stdin, stdout and stderr on /dev/null);
    raises RuntimeError if it fails."""
    actions = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
    start = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], list(cmd), os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {code}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


Measured = tuple[float, float, float, float, int, int]


def paired(cmd: Sequence[str], base: Sequence[str], runs: int) -> Measured:
    """`runs` paired runs of `cmd` and `base` (after one warm-up run each):
    the median ratio of wall times, the median ratio of CPU times, the
    median wall seconds of each and the largest peak RSS (KiB) of each."""
    run_once(cmd)
    run_once(base)
    ratios: list[float] = []
    cpu_ratios: list[float] = []
    mine: list[float] = []
    theirs: list[float] = []
    rss_mine = rss_theirs = 0
    for i in range(runs):
        if i % 2 == 0:
            (a, ca, ra), (b, cb, rb) = run_once(cmd), run_once(base)
        else:
            (b, cb, rb), (a, ca, ra) = run_once(base), run_once(cmd)
        ratios.append(a / b)
        cpu_ratios.append(ca / cb if cb else float("inf"))
        mine.append(a)
        theirs.append(b)
        rss_mine, rss_theirs = max(rss_mine, ra), max(rss_theirs, rb)
    return (statistics.median(ratios), statistics.median(cpu_ratios), statistics.median(mine),
            statistics.median(theirs), rss_mine, rss_theirs)


def _row(label: str, base_label: str, goal: float, measured: Measured, runs: int) -> str:
    ratio, cpu_ratio, mine, theirs, rss_mine, rss_theirs = measured
    verdict = "ok" if ratio <= goal else "over"
    return (f"{label}: {mine * 1000:.0f} ms vs {base_label} {theirs * 1000:.0f} ms: "
            f"{ratio:.2f}x (median of {runs} paired ratios; goal <= {goal:g}x: {verdict}; CPU time {cpu_ratio:.2f}x); "
            f"peak RSS {rss_mine / 1024:.0f} MiB vs {rss_theirs / 1024:.0f} MiB")


def rows(mintc: str, python: str, runs: int = DEFAULT_RUNS) -> list[str]:
    """One line per goal: `mintc check examples/lists.mint` against
    `python -c "import attrs, lark"` (goal 1.3x) and `mintc --version`
    against `python -c pass` (goal 2x). `mintc` is the command to measure,
    `python` the interpreter it runs on."""
    check = paired([mintc, "check", str(LISTS)], [python, "-c", "import attrs, lark"], runs)
    version = paired([mintc, "--version"], [python, "-c", "pass"], runs)
    return [
        _row("`mintc check examples/lists.mint`", '`python -c "import attrs, lark"`', 1.3, check, runs),
        _row("`mintc --version`", "`python -c pass`", 2.0, version, runs),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="mintc start-up against its bare interpreter (median of paired runs).")
    p.add_argument("--mintc", default=None, help="the mintc to measure (default: the .venv's, else PATH's)")
    p.add_argument("--python", default=None, help="the interpreter of the baselines (default: mintc's)")
    p.add_argument("--runs", type=int, default=DEFAULT_RUNS, help=f"pairs per comparison (default {DEFAULT_RUNS})")
    args = p.parse_args(argv)
    mintc = os.path.abspath(args.mintc) if args.mintc else default_mintc("startup.py")
    sibling = Path(mintc).parent / "python"
    python = args.python or (str(sibling) if sibling.exists() else sys.executable)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("startup.py: PYTHONDONTWRITEBYTECODE is set: the figures hold only if the bytecode was compiled "
              "first (python -m compileall -q on the package and site-packages)", file=sys.stderr)
    print(f"mintc {mintc}, python {python}, load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for line in rows(mintc, python, args.runs):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
