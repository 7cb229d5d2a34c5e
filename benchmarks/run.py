#!/usr/bin/env python3
"""Benchmark `mintc compile` against the straightforward Python expansion.

    python benchmarks/run.py              # grid300k, stream1m, tuning (~3 min)
    python benchmarks/run.py --big        # also stream10m (10 million configs)
    python benchmarks/run.py --repeat 5   # best of 5 instead of best of 3

For each sweep it writes a `.mint` file and the equivalent spearmint-style
Python description into a temporary folder, runs `mintc compile` and
benchmarks/baseline.py as whole processes (wall time with
`time.perf_counter`, peak RSS from `os.wait4`), keeps the best time of
`--repeat` runs, and checks that both outputs hold the same configs after
parsing. It prints a table and exits 1 if any output disagrees or any run
fails. benchmarks/README.md explains how to read it.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from mintc_path import default_mintc

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIG_SAMPLE = 10_000  # lines compared in the --big sweep (plus the line count)

# --------------------------------------------------------------------------
# The sweeps, each described once and written both as .mint and as Python.


@dataclass(frozen=True)
class ListAxis:
    """`key: [v1, v2, ...]*`"""

    key: str
    values: tuple[Any, ...]

    def __len__(self) -> int:
        return len(self.values)

    def mint(self) -> str:
        return f"{self.key}: [{', '.join(mint_literal(v) for v in self.values)}]*"

    def python(self) -> str:
        return f"DynamicValue({list(self.values)!r})"


@dataclass(frozen=True)
class RangeAxis:
    """`key: start..end [step s]` or `key: start..<end [step s]`."""

    key: str
    start: str
    end: str
    step: str | None = None
    exclusive: bool = False

    @property
    def is_float(self) -> bool:
        return any(c in t for t in (self.start, self.end, self.step or "") for c in ".eE")

    def __len__(self) -> int:
        a, b, s = Fraction(self.start), Fraction(self.end), Fraction(self.step or "1")
        if self.exclusive:
            return int(-((a - b) // s))
        return int((b - a) // s + 1)

    def mint(self) -> str:
        text = f"{self.key}: {self.start}..{'<' if self.exclusive else ''}{self.end}"
        return text + (f" step {self.step}" if self.step else "")

    def python(self) -> str:
        if self.is_float:
            # Computed in decimal, as mintc does: see baseline.decimal_range.
            return f"DynamicValue(decimal_range({self.start!r}, {self.step!r}, {len(self)}))"
        start, step = int(self.start), int(self.step or "1")
        return f"DynamicValue(range({start}, {start + step * len(self)}, {step}))"


@dataclass(frozen=True)
class Static:
    """`key: value`, not swept."""

    key: str
    value: Any

    def __len__(self) -> int:
        return 1

    def mint(self) -> str:
        return f"{self.key}: {mint_literal(self.value)}"

    def python(self) -> str:
        return repr(self.value)


Entry = ListAxis | RangeAxis | Static
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def mint_literal(value: Any) -> str:
    """`value` written in .mint syntax."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(mint_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = (k if _IDENT.match(k) else json.dumps(k, ensure_ascii=False) for k in value)
        return "{ " + ", ".join(f"{k}: {mint_literal(v)}" for k, v in zip(keys, value.values())) + " }"
    raise TypeError(f"no .mint literal for {type(value).__name__}")


@dataclass(frozen=True)
class Sweep:
    name: str
    entries: tuple[Entry, ...]
    formats: tuple[str, ...]
    about: str
    big: bool = False  # only with --big
    mint_file: Path | None = None  # an existing .mint file, instead of writing one
    sample: bool = False  # compare a sample of lines (and the count), not every line

    @property
    def configs(self) -> int:
        n = 1
        for entry in self.entries:
            if not isinstance(entry, Static):
                n *= len(entry)
        return n

    def mint(self) -> str:
        head = f"# {self.name}: {self.about} ({self.configs:,} configs). Written by benchmarks/run.py.\n"
        return head + "".join(e.mint() + "\n" for e in self.entries)

    def python(self) -> str:
        body = "".join(f"        {e.key!r}: {e.python()},\n" for e in self.entries)
        return (
            f"# {self.name}: the same sweep as {self.name}.mint, as spearmint-style dicts.\n"
            "# `DynamicValue` and `decimal_range` are supplied by the program that runs this\n"
            "# file (benchmarks/baseline.py, or benchmarks/spearmint_bench.py).\n"
            f"CONFIGS = [\n    {{\n{body}    }},\n]\n"
        )


MODELS = (
    "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini",
    "claude-3-5-sonnet", "claude-3-5-haiku", "llama-3.1-70b", "mistral-large", "gemini-1.5-pro",
)
LLM = Static("llm", {"provider": "openai", "stop": ["\n\n", "###"], "params": {"max_tokens": 1000}})
# The nested object comes last, for spearmint-framework's sake: 0.2.1
# collects sweep paths in a mutable default argument that it appends to and
# never pops, so a sweep *after* a nested object is filed under that
# object's path (`{"llm": {...}, "model": DynamicValue([...])}` puts the
# model inside llm.params), and so is every sweep of a later call in the
# same process. With the nested object last, its one call per process is right.

SWEEPS = (
    Sweep(
        "grid300k",
        (
            ListAxis("model", MODELS),
            RangeAxis("temperature", "0.0", "2.9", "0.1"),
            ListAxis("top_p", (0.8, 0.85, 0.9, 0.95, 1.0)),
            RangeAxis("seed", "0", "200", exclusive=True),
            LLM,
        ),
        ("jsonl", "json", "py"),
        "10 models x 30 temperatures x 5 top_p x 200 seeds",
    ),
    Sweep(
        "stream1m",
        (
            ListAxis("model", MODELS),
            RangeAxis("temperature", "0.0", "4.9", "0.1"),
            ListAxis("top_p", (0.9, 1.0)),
            RangeAxis("seed", "0", "1000", exclusive=True),
            LLM,
        ),
        ("jsonl",),
        "10 models x 50 temperatures x 2 top_p x 1,000 seeds",
    ),
    Sweep(
        "stream10m",
        (
            ListAxis("model", MODELS),
            RangeAxis("temperature", "0.0", "4.9", "0.1"),
            ListAxis("top_p", (0.9, 1.0)),
            RangeAxis("seed", "0", "10000", exclusive=True),
            LLM,
        ),
        ("jsonl",),
        "10 models x 50 temperatures x 2 top_p x 10,000 seeds",
        big=True,
        sample=True,
    ),
    Sweep(
        "tuning",
        (
            Static("model", "gpt-4"),
            RangeAxis("temperature", "0.0", "2.0", "0.1"),
            ListAxis("top_p", (0.9, 0.95, 1.0)),
            ListAxis("frequency_penalty", (0.0, 0.5, 1.0)),
        ),
        ("jsonl",),
        "the seed's tuning example (startup-dominated)",
        mint_file=REPO / "examples" / "tuning.mint",
    ),
)

# --------------------------------------------------------------------------
# Running and timing whole processes.


class RunFailed(Exception):
    def __init__(self, message: str, returncode: int, stdout: str) -> None:
        super().__init__(message)
        self.returncode = returncode
        self.stdout = stdout


@dataclass
class Timing:
    seconds: float  # best wall time of the runs
    rss_kib: int  # largest peak RSS of the runs
    cpu: float = float("inf")  # least user + system CPU time of the runs
    runs: list[float] = field(default_factory=list)

    def add(self, seconds: float, cpu: float, rss_kib: int) -> None:
        self.runs.append(seconds)
        self.seconds = min(self.seconds, seconds)
        self.cpu = min(self.cpu, cpu)
        self.rss_kib = max(self.rss_kib, rss_kib)


class Launcher:
    """benchmarks/launcher.py, started first while run.py is still small:
    it spawns each timed command, so that the command's peak RSS is its
    own and not run.py's (see launcher.py for why)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-I", str(HERE / "launcher.py")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        self.folder = tempfile.mkdtemp(prefix="mint-bench-io-")

    def run(self, cmd: Sequence[str]) -> tuple[float, float, int, int, str, str]:
        """(wall seconds, CPU seconds, peak RSS in KiB, exit code, stdout, stderr)."""
        out, err = os.path.join(self.folder, "stdout"), os.path.join(self.folder, "stderr")
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"cmd": list(cmd), "stdout": out, "stderr": err}) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        if "error" in answer:
            raise RunFailed(answer["error"], 127, "")
        with open(out, encoding="utf-8", errors="replace") as fo, open(err, encoding="utf-8", errors="replace") as fe:
            return answer["seconds"], answer["cpu_seconds"], answer["maxrss_kib"], answer["returncode"], fo.read(), fe.read()

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


LAUNCHER: Launcher | None = None


def run_once(cmd: Sequence[str]) -> tuple[float, float, int, str]:
    """Run `cmd` as a process: (wall seconds, CPU seconds, peak RSS in KiB,
    stdout text). Raises RunFailed, with the end of its stderr, if it exits
    non-zero."""
    assert LAUNCHER is not None
    seconds, cpu, rss, code, text, err = LAUNCHER.run(cmd)
    if code != 0:
        tail = err.strip().splitlines()[-3:]
        raise RunFailed(f"exit {code}: {' | '.join(tail) or text.strip()[:200]}", code, text)
    return seconds, cpu, rss, text  # ru_maxrss is in KiB on Linux


def best_of(cmd: Sequence[str], repeat: int, label: str, each: bool = True) -> Timing:
    timing = Timing(float("inf"), 0)
    for i in range(repeat):
        seconds, cpu, rss, _ = run_once(cmd)
        timing.add(seconds, cpu, rss)
        if each:
            log(f"  {label} run {i + 1}/{repeat}: {seconds:.2f} s (CPU {cpu:.2f} s), {rss / 1024:.0f} MiB")
    if not each:
        log(f"  {label}: best of {repeat} {timing.seconds * 1000:.0f} ms, {timing.rss_kib / 1024:.0f} MiB")
    return timing


def log(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------
# Checking that two outputs hold the same configs.


def digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def compare_jsonl(a: str, b: str, expected: int, sample: bool, identical: bool | None = None) -> str | None:
    """None if both files hold `expected` lines that parse (json.loads) to
    equal configs; else what differs. With `sample`, only a deterministic
    sample of BIG_SAMPLE lines is parsed (every line is still counted).
    Byte-identical files are parsed once: their lines are the same bytes."""
    picked: set[int] | None = None
    if sample and expected > BIG_SAMPLE:
        picked = set(random.Random(20240601).sample(range(expected), BIG_SAMPLE))
    n = 0
    if identical is None:
        identical = digest(a) == digest(b)
    if identical:
        with open(a, "rb") as fa:
            for n, line in enumerate(fa, 1):
                if picked is None or n - 1 in picked:
                    if not isinstance(json.loads(line), dict):
                        return f"line {n} is not a JSON object"
        return None if n == expected else f"{n:,} lines, expected {expected:,}"
    with open(a, "rb") as fa, open(b, "rb") as fb:
        for n, (la, lb) in enumerate(zip(fa, fb), 1):
            if picked is not None and n - 1 not in picked:
                continue
            if json.loads(la) != json.loads(lb):
                return f"line {n} differs"
        rest_a, rest_b = sum(1 for _ in fa), sum(1 for _ in fb)
    if rest_a or rest_b:
        return f"line counts differ ({n + rest_a:,} vs {n + rest_b:,})"
    if n != expected:
        return f"{n:,} lines, expected {expected:,}"
    return None


def compare_json(a: str, b: str, expected: int, identical: bool) -> str | None:
    """None if both files parse (json.load) to equal lists of `expected`
    configs. Byte-identical files are parsed once."""
    with open(a, encoding="utf-8") as fa:
        left = json.load(fa)
    if identical:
        right = left
    else:
        with open(b, encoding="utf-8") as fb:
            right = json.load(fb)
    if len(left) != expected or len(right) != expected:
        return f"{len(left):,} and {len(right):,} configs, expected {expected:,}"
    for i, (x, y) in enumerate(zip(left, right)):
        if x != y:
            return f"config {i} differs"
    return None


# Imports a generated module by path (no .pyc written) and dumps its configs.
_IMPORT_AND_DUMP = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("generated_configs", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
with open(sys.argv[2], "w", encoding="utf-8") as fh:
    for config in module.configs:
        fh.write(json.dumps(config, ensure_ascii=False, separators=(",", ":")) + "\\n")
"""


def compare_py(a: str, b: str, expected: int, python: str, identical: bool) -> str | None:
    """Import both modules (each in its own process, both at once) and
    compare their `configs`. Identical files are imported once."""
    paths = [a] if identical else [a, b]
    dumps = [p + ".dump.jsonl" for p in paths]
    procs = [
        subprocess.Popen([python, "-B", "-c", _IMPORT_AND_DUMP, p, d], stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for p, d in zip(paths, dumps)
    ]
    for proc, path in zip(procs, paths):
        _, err = proc.communicate()
        if proc.returncode != 0:
            return f"importing {os.path.basename(path)} failed: {err.decode(errors='replace').strip().splitlines()[-1:]}"
    try:
        return compare_jsonl(dumps[0], dumps[-1], expected, sample=False, identical=identical)
    finally:
        for d in dumps:
            os.unlink(d)


# --------------------------------------------------------------------------
# The benchmark.


@dataclass
class Row:
    sweep: str
    configs: int
    fmt: str
    base: Timing | None = None
    mint: Timing | None = None
    agree: bool = False
    same_bytes: bool | None = None
    note: str = ""


def bench_format(sweep: Sweep, fmt: str, mint_path: Path, desc_path: Path, work: Path, ctx: argparse.Namespace) -> Row:
    row = Row(sweep.name, sweep.configs, fmt)
    mint_out = str(work / f"{sweep.name}.mintc.{fmt}")
    base_out = str(work / f"{sweep.name}.baseline.{fmt}")
    mint_cmd = [ctx.mintc, "compile", str(mint_path), "-o", mint_out]
    base_cmd = [
        ctx.python, str(HERE / "baseline.py"), str(desc_path), base_out, "--format", fmt,
        "--source-name", str(mint_path), "--version", ctx.version,
    ]
    log(f"{sweep.name} ({sweep.configs:,} configs) -> {fmt}")
    try:
        row.mint = best_of(mint_cmd, ctx.repeat, "mintc   ")
        row.base = best_of(base_cmd, ctx.repeat, "baseline")
    except RunFailed as exc:
        row.note = f"a run failed: {exc}"
        return row
    row.same_bytes = digest(mint_out) == digest(base_out)
    start = time.perf_counter()
    if fmt == "jsonl":
        problem = compare_jsonl(mint_out, base_out, sweep.configs, sweep.sample, row.same_bytes)
    elif fmt == "json":
        problem = compare_json(mint_out, base_out, sweep.configs, row.same_bytes)
    else:
        problem = compare_py(mint_out, base_out, sweep.configs, ctx.python, row.same_bytes)
    log(f"  compared in {time.perf_counter() - start:.1f} s: {problem or 'same configs'}")
    row.agree = problem is None
    if problem:
        row.note = problem
    elif sweep.sample:
        row.note = f"line count + {BIG_SAMPLE:,} sampled lines compared"
    if fmt != "jsonl" or not ctx.keep_jsonl:
        os.unlink(base_out)
        os.unlink(mint_out)
    return row


def bench_spearmint(sweep: Sweep, mint_path: Path, desc_path: Path, work: Path, ctx: argparse.Namespace) -> Row | None:
    """spearmint-framework's expansion (a list of Config objects in memory)
    against mintc's in-memory API `spearmint_lang.load`, both in processes."""
    out = str(work / f"{sweep.name}.spearmint.jsonl")
    cmd = [ctx.spearmint_python, str(HERE / "spearmint_bench.py"), str(desc_path), out]
    log(f"{sweep.name} -> spearmint-framework (in memory)")
    row = Row(sweep.name, sweep.configs, "in memory (spearmint)")
    timing = Timing(float("inf"), 0)
    inner: list[float] = []
    info: dict[str, Any] = {}
    for i in range(ctx.repeat):
        try:
            seconds, cpu, rss, text = run_once(cmd)
        except RunFailed as exc:
            if exc.returncode == 3 and '"skipped"' in exc.stdout:
                info = json.loads(exc.stdout.strip().splitlines()[-1])
                print(f"spearmint-framework: skipped ({info['skipped']}); "
                      "to include it: pip install spearmint-framework (or pass --spearmint-python)")
                return None
            row.note = f"spearmint run failed: {exc}"
            return row
        info = json.loads(text.strip().splitlines()[-1])
        inner.append(info["seconds"])
        timing.add(seconds, cpu, rss)
        log(f"  spearmint run {i + 1}/{ctx.repeat}: {seconds:.2f} s (CPU {cpu:.2f} s) "
            f"({info['function']} itself {info['seconds']:.2f} s), {rss / 1024:.0f} MiB")
    row.base = timing
    load_cmd = [
        ctx.mint_python, "-c",
        "import sys, spearmint_lang; c = spearmint_lang.load(sys.argv[1]); assert len(c) == int(sys.argv[2])",
        str(mint_path), str(sweep.configs),
    ]
    try:
        row.mint = best_of(load_cmd, ctx.repeat, "spearmint_lang.load")
    except RunFailed as exc:
        row.note = f"spearmint_lang.load failed: {exc}"
        return row
    reference = str(work / f"{sweep.name}.mintc.jsonl")
    try:
        if not os.path.exists(reference):
            run_once([ctx.mintc, "compile", str(mint_path), "-o", reference])
    except RunFailed as exc:
        row.note = f"mintc failed: {exc}"
        return row
    problem = compare_jsonl(out, reference, sweep.configs, sweep.sample)
    row.agree = problem is None
    row.note = problem or (f"baseline column: spearmint-framework {info['version']} `{info['function']}` "
                           f"in its own process ({min(inner):.2f} s in the function itself); "
                           "mintc column: `spearmint_lang.load` in its own process")
    os.unlink(out)
    return row


def bench_startup(ctx: argparse.Namespace) -> str:
    """Issue 16's start-up goals, by benchmarks/startup.py (medians of paired runs)."""
    log("startup")
    return _script(ctx, "startup.py", "--mintc", ctx.mintc, "--python", ctx.mint_python)


# Issue 16's other rows: each script measures in mintc's own Python and
# prints its lines (see each script's docstring).
PATH_SCRIPTS = ("outputs.py", "load.py", "where_count.py", "frontend.py", "jsonl_inproc.py")


def _script(ctx: argparse.Namespace, name: str, *args: str) -> str:
    """The output of benchmarks/NAME run by mintc's Python (its failure, if it fails)."""
    done = subprocess.run([ctx.mint_python, str(HERE / name), *args], capture_output=True, text=True)
    if done.returncode != 0:
        return f"{name} failed ({done.returncode}): {done.stderr.strip().splitlines()[-1:]}"
    return done.stdout.rstrip("\n")


def bench_paths(ctx: argparse.Namespace) -> list[str]:
    """`load` and `Sweep` iteration, `where` counts and the front end, each
    against its own baseline in one run."""
    out = []
    for name in PATH_SCRIPTS:
        log(name.removesuffix(".py"))
        out.append(_script(ctx, name))
    return out


SAMPLE_GRID = """model: [{models}]*
lr: [{lrs}]*
weight_decay: 0.0..0.999 step 0.001
"""
SAMPLED = """model: [{models}]*
lr: loguniform(1e-5, 1e-1)
weight_decay: uniform(0.0, 1.0) step 0.001
sample 100000 seed 1
"""


def bench_sampling(ctx: argparse.Namespace, work: Path) -> str:
    """`sample1m`: 1,000,000 sampled configs (10 models x 100,000 samples of
    two distributions) against a grid of the same size and shape (10 models x
    100 lr x 1,000 weight decays), both written as JSONL by mintc; goal <= 2x."""
    models = ", ".join(f'"model-{i}"' for i in range(10))
    lrs = ", ".join(repr(1e-5 * 1.1 ** k) for k in range(100))
    grid, sampled = work / "grid1m.mint", work / "sample1m.mint"
    grid.write_text(SAMPLE_GRID.format(models=models, lrs=lrs), encoding="utf-8")
    sampled.write_text(SAMPLED.format(models=models), encoding="utf-8")
    log("sample1m")
    times = []
    for path in (grid, sampled):
        out = work / (path.stem + ".jsonl")
        times.append(best_of([ctx.mintc, "compile", str(path), "-o", str(out)], ctx.repeat, path.stem))
        lines = sum(1 for _ in out.open("rb"))
        out.unlink()
        if lines != 1_000_000:
            return f"sample1m: {path.stem} wrote {lines:,} lines, not 1,000,000"
    ratio = times[1].seconds / times[0].seconds
    return (f"sample1m (best of {ctx.repeat}): 1,000,000 sampled configs to JSONL {times[1].seconds:.2f} s, "
            f"a grid of the same size and shape {times[0].seconds:.2f} s: {ratio:.2f}x (goal <= 2x)")


def table(rows: list[Row]) -> str:
    head = ["sweep", "configs", "format", "baseline s", "mintc s", "ratio", "baseline CPU s", "mintc CPU s",
            "baseline MiB", "mintc MiB", "agree", "same bytes"]
    body = []
    for r in rows:
        ok = r.base is not None and r.mint is not None
        body.append([
            r.sweep,
            f"{r.configs:,}",
            r.fmt,
            f"{r.base.seconds:.2f}" if r.base else "-",
            f"{r.mint.seconds:.2f}" if r.mint else "-",
            f"{r.base.seconds / r.mint.seconds:.2f}x" if ok else "-",  # type: ignore[union-attr]
            f"{r.base.cpu:.2f}" if r.base else "-",
            f"{r.mint.cpu:.2f}" if r.mint else "-",
            f"{r.base.rss_kib / 1024:.0f}" if r.base else "-",
            f"{r.mint.rss_kib / 1024:.0f}" if r.mint else "-",
            "yes" if r.agree else "no",
            "-" if r.same_bytes is None else ("yes" if r.same_bytes else "no"),
        ])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    right = {1, 3, 4, 5, 6, 7, 8, 9}

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))) + " |"

    sep = "|" + "|".join(("-" * (w + 1) + ":") if i in right else ("-" * (w + 2)) for i, w in enumerate(widths)) + "|"
    out = [line(head), sep] + [line(b) for b in body]
    notes = [f"- {r.sweep} {r.fmt}: {r.note}" for r in rows if r.note]
    return "\n".join(out + ([""] + notes if notes else []))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--big", action="store_true", help="also run stream10m (10 million configs, several minutes)")
    p.add_argument("--repeat", type=int, default=3, help="runs of each process; the best time counts (default 3)")
    p.add_argument("--only", nargs="+", metavar="SWEEP", help="run only these sweeps (grid300k stream1m stream10m tuning sample1m)")
    p.add_argument("--mintc", default=None, help="the mintc to measure (default: the repo's .venv, else PATH)")
    p.add_argument("--python", default=None, help="the Python that runs the baseline (default: mintc's own)")
    p.add_argument("--spearmint-python", default=None,
                   help="a Python where spearmint-framework is installed (default: mintc's own)")
    p.add_argument("--no-startup", action="store_true", help="skip the startup measurement")
    p.add_argument("--keep", metavar="DIR", help="write the sweeps (and keep them) in DIR instead of a temporary folder")
    ctx = p.parse_args()
    if ctx.repeat < 1:
        p.error("--repeat must be at least 1")
    global LAUNCHER
    LAUNCHER = Launcher()
    try:
        return bench(ctx, p)
    finally:
        LAUNCHER.close()


def bench(ctx: argparse.Namespace, p: argparse.ArgumentParser) -> int:
    ctx.keep_jsonl = False
    ctx.mintc = os.path.abspath(ctx.mintc) if ctx.mintc else default_mintc("run.py")
    sibling = Path(ctx.mintc).parent / "python"
    ctx.mint_python = str(sibling) if sibling.exists() else sys.executable
    ctx.python = ctx.python or ctx.mint_python
    ctx.spearmint_python = ctx.spearmint_python or ctx.mint_python
    ctx.version = run_once([ctx.mintc, "--version"])[3].split()[-1]

    chosen = [s for s in SWEEPS if (s.name in ctx.only if ctx.only else (ctx.big or not s.big))]
    if ctx.only and len(chosen) != len(set(ctx.only) - {"sample1m"}):
        p.error(f"unknown sweep among {ctx.only}; known: {' '.join(s.name for s in SWEEPS)}")

    load_before = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    work = Path(ctx.keep).resolve() if ctx.keep else Path(tempfile.mkdtemp(prefix="mint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    log(f"mintc {ctx.version} at {ctx.mintc}; baseline on {ctx.python}; work folder {work}")
    rows: list[Row] = []
    startup = sampling = ""
    paths: list[str] = []
    try:
        for sweep in chosen:
            mint_path = sweep.mint_file or work / f"{sweep.name}.mint"
            if sweep.mint_file is None:
                mint_path.write_text(sweep.mint(), encoding="utf-8")
            desc_path = work / f"{sweep.name}_sweep.py"
            desc_path.write_text(sweep.python(), encoding="utf-8")
            for fmt in sweep.formats:
                ctx.keep_jsonl = sweep.name == "grid300k" and fmt == "jsonl"
                rows.append(bench_format(sweep, fmt, mint_path, desc_path, work, ctx))
            if sweep.name == "grid300k":
                row = bench_spearmint(sweep, mint_path, desc_path, work, ctx)
                if row is not None:
                    rows.append(row)
                leftover = work / f"{sweep.name}.mintc.jsonl"
                for path in (leftover, work / f"{sweep.name}.baseline.jsonl"):
                    if path.exists() and not ctx.keep:
                        path.unlink()
        if not ctx.only or "sample1m" in ctx.only:
            sampling = bench_sampling(ctx, work)
        if not ctx.only:
            paths = bench_paths(ctx)
        if not ctx.no_startup:
            startup = bench_startup(ctx)
    finally:
        if not ctx.keep:
            shutil.rmtree(work, ignore_errors=True)

    when = datetime.date.today().isoformat()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{when}, {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} cores, mintc {ctx.version}, best of {ctx.repeat}; "
          f"load average {load_before} before, {load} after\n")
    print(table(rows))
    if sampling:
        print("\n" + sampling)
    for block in paths:
        print("\n" + block)
    if startup:
        print("\n" + startup)
    bad = [r for r in rows if not r.agree]
    if bad:
        print(f"\n{len(bad)} comparison(s) failed: " + ", ".join(f"{r.sweep} {r.fmt}" for r in bad))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
