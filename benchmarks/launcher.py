"""A small process that starts and times the benchmarked commands for run.py.

Why not time them from run.py itself: on Linux a child's peak RSS
(`ru_maxrss`) counts the memory of the process it was forked (or
vfork'ed/posix_spawn'ed) from, up to the moment it execs — with vfork, the
parent's *peak* so far. run.py grows to hundreds of MiB while it compares
outputs, which would then show up as the peak RSS of every command started
after that. This launcher stays at the size of a bare interpreter (it
imports only os, sys, json and time), so what `os.wait4` reports is the
command's own peak (never less than a bare `python -S`, about 9 MiB).

Protocol, one JSON object per line: run.py writes
{"cmd": [...], "stdout": PATH, "stderr": PATH}; the launcher starts the
command with stdin from /dev/null, times it with time.perf_counter from
just before the spawn to the return of os.wait4, and answers
{"seconds": S, "cpu_seconds": C, "maxrss_kib": K, "returncode": R}
(C is the command's user + system CPU time, from the same os.wait4), or {"error": TEXT} if the
command could not be started.
"""

from __future__ import annotations

import json
import os
import sys
import time


def run(request: dict[str, list[str] | str]) -> dict[str, float | int]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, request["stdout"], flags, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, request["stderr"], flags, 0o644),
    ]
    cmd = request["cmd"]
    assert isinstance(cmd, list)
    start = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "maxrss_kib": usage.ru_maxrss,
        "returncode": os.waitstatus_to_exitcode(status),
    }


def main() -> None:
    for line in sys.stdin:
        try:
            answer: dict[str, object] = dict(run(json.loads(line)))
        except OSError as exc:
            answer = {"error": f"cannot start {json.loads(line)['cmd'][0]}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
