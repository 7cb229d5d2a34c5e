#!/usr/bin/env python3
"""How fast the front end reads a `.mint` file, per source line.

    python benchmarks/frontend.py            # 1k, 10k and 80k lines, best of 3

Issue 16's goal: at most 12 µs per source line at every size, so that the
time grows linearly with the file. Each file is a realistic mix (keys with
lists, ranges, nested objects, comments, a `where`), compiled in this
process by `compile_text`, the driver every command and the editor use:
parse, build, lower and check, without expanding a config.
"""

from __future__ import annotations

import argparse
import time

GOAL_US = 12.0
SIZES = (1_000, 10_000, 80_000)


def source(lines: int) -> str:
    """A file of at least `lines` lines: three axes and a `where`, then whole
    objects of eight lines each (settings, static lists, nested objects)."""
    out = ["# a large sweep: a few axes, many settings", "model: [\"gpt-4o\", \"gpt-4o-mini\"]*",
           "seed: 0..<3", "lr: [0.1, 0.01]*", "where not (model == \"gpt-4o\" and lr == 0.01)", ""]
    i = 0
    while len(out) < lines:
        out += [
            f"block_{i}: {{",
            f"  lrs: [0.1, 0.01, 0.001]  # learning rates {i}",
            "  warmup: 100",
            f"  name: \"run-{i}\"",
            "  params: { depth: 4, width: 128, act: \"relu\" }",
            "  stop: [\"\\n\", \"###\"]",
            "}",
            "",
        ]
        i += 1
    return "\n".join(out) + "\n"


def per_line(lines: int, repeat: int) -> float:
    """Best µs per line of `compile_text` over `repeat` runs."""
    from spearmint_lang.compiler import compile_text

    text = source(lines)
    lines = text.count("\n")
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        unit = compile_text(text, "big.mint")
        best = min(best, time.perf_counter() - started)
        assert unit.ok, unit.diagnostics[:1]
    return best / lines * 1e6


def rows(repeat: int = 3) -> list[str]:
    """One line per size: µs per line against the goal."""
    out = []
    for lines in SIZES:
        us = per_line(lines, repeat)
        out.append(f"front end, {lines:,} lines: {us:.1f} µs per line (goal <= {GOAL_US:.0f})")
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    print("\n".join(rows(args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
