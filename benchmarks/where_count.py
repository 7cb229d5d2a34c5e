#!/usr/bin/env python3
"""How long the exact count of a `where` document of 990,000 combinations takes.

    .venv/bin/python benchmarks/where_count.py

Each document has six sweeps (5 models × 6 temperatures × 11 batch sizes ×
10 accumulation steps × 10 learning rates × 30 seeds = 990,000
combinations) and `where` lines naming some or all of them. A row times,
in this process, compiling the text and counting its configs exactly (what
`mintc count` and `mintc check` do after start-up; the editor's code lens
row does it through the language server's analysis), best of 3, against
the same document without its `where` lines, and against the goal of
0.5 s (issue 16).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spearmint_lang.compiler import compile_text  # noqa: E402
from spearmint_lang.filters import Count  # noqa: E402
from spearmint_lang.loader import Loader  # noqa: E402
from spearmint_lang.lsp.analysis import Analysis  # noqa: E402
from spearmint_lang.lsp.code_lens import code_lenses  # noqa: E402

GOAL = 0.5  # seconds
REPEAT = 3

FLAT = """\
model: ["gpt-4o", "gpt-4o-mini", "o1", "o3-mini", "claude"]*
temperature: [0.0, 0.2, 0.5, 0.7, 1.0, 1.2]*
batch: [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192]*
accum: 1..10
lr: [0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005, 0.0002, 0.0001]*
seed: 0..<30
"""
NESTED = """\
llm: { model: ["gpt-4o", "gpt-4o-mini", "o1", "o3-mini", "claude"]*, temperature: [0.0, 0.2, 0.5, 0.7, 1.0, 1.2]* }
train: { batch: [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192]*, accum: 1..10,
         lr: [0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005, 0.0002, 0.0001]* }
seed: 0..<30
"""
DOCUMENTS = {
    "where naming 4 of 6 axes": (FLAT, 'where not (model == "o1" and temperature != 1.0) and batch * accum <= 256\n'),
    "where lines naming all 6 axes": (FLAT, 'where not (model == "o1" and temperature != 1.0) and batch * accum <= 256\n'
                                            "where lr * batch <= 10 or seed < 3\n"),
    "the same, nested paths (llm.model, ...)": (
        NESTED, 'where not (llm.model == "o1" and llm.temperature != 1.0) and train.batch * train.accum <= 256\n'
                "where train.lr * train.batch <= 10 or seed < 3\n"),
    "one `or` naming all 6 axes": (
        FLAT, 'where model == "o1" or batch * accum * lr <= (seed + 1) * (temperature + 0.1)\n'),
    "one comparison of all 6 axes (no factors)": (
        FLAT, "where batch * accum * lr * (seed + 1) <= (temperature + 0.1) * len(model) * 50\n"),
}


def best(run: Callable[[], object]) -> float:
    """The best wall time of `REPEAT` runs."""
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def counted(text: str) -> Count:
    """Compile and count the single document of `text`, as `mintc count` does."""
    return compile_text(text, "bench.mint").count(0)


def lens(text: str) -> str:
    """The editor's code lens title for `text`."""
    found = code_lenses(Analysis("file:///tmp/bench.mint", text, 1, "utf-16", Loader()))
    command = found[0].command
    assert command is not None
    return command.title


def rows() -> list[str]:
    """The table: one line per document, then the code lens of the second."""
    out = [f"{'990,000 combinations, best of ' + str(REPEAT):<42}  {'configs':>9}  {'exact count':>11}"
           f"  {'without where':>13}  {'ratio':>6}  {'goal ≤ 0.5 s':>12}"]
    for what, (axes, where) in DOCUMENTS.items():
        found = counted(axes + where)
        took = best(lambda: counted(axes + where))
        plain = best(lambda: counted(axes))
        shown = f"{found.configs:,}" if found.exact else f"≤{found.configs:,}"
        out.append(f"{what:<42}  {shown:>9}  {took:>9.3f} s  {plain:>11.3f} s  {took / plain:>5.1f}x"
                   f"  {'met' if took <= GOAL else 'NOT met':>12}")
    axes, where = DOCUMENTS["where lines naming all 6 axes"]
    title = lens(axes + where)
    took = best(lambda: lens(axes + where))
    plain = best(lambda: lens(axes))
    out.append(f"{'code lens, where lines naming all 6 axes':<42}  {title.split()[0]:>9}  {took:>9.3f} s"
               f"  {plain:>11.3f} s  {took / plain:>5.1f}x  {'met' if took <= GOAL else 'NOT met':>12}")
    return out


if __name__ == "__main__":
    print("\n".join(rows()))
