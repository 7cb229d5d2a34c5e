#!/usr/bin/env python3
"""How fast `spearmint_lang.load` and `list(Sweep(path))` build configs in
memory, against the naive way of building the same list in Python.

    python benchmarks/load.py             # grid300k, best of 3

The sweep is run.py's `grid300k` (300,000 configs: 10 models x 30
temperatures x 5 top_p x 200 seeds, and a nested `llm` object). The
baseline is what a Python user writes by hand: `itertools.product` over the
value lists, a fresh nested dict per config, `config_id` from
`json.dumps(config, sort_keys=True)` and SHA-256. Both run in this process,
one after the other; their lists must be equal. Issue 16's goal: `load` at
least 2x faster than the baseline.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import tempfile
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

GOAL = 2.0
MODELS = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini", "claude-3-5-sonnet", "claude-3-5-haiku",
          "llama-3.1-70b", "mistral-large", "gemini-1.5-pro"]
TOP_P = [0.8, 0.85, 0.9, 0.95, 1.0]
MINT = f"""model: {json.dumps(MODELS)}*
temperature: 0.0..2.9 step 0.1
top_p: {json.dumps(TOP_P)}*
seed: 0..<200
llm: {{ provider: "openai", stop: ["\\n\\n", "###"], params: {{ max_tokens: 1000 }} }}
"""


def naive() -> list[dict[str, Any]]:
    """The configs, built the straightforward way."""
    temperatures = [float(Fraction(i, 10)) for i in range(30)]
    out = []
    for model, temperature, top_p, seed in itertools.product(MODELS, temperatures, TOP_P, range(200)):
        config: dict[str, Any] = {"model": model, "temperature": temperature, "top_p": top_p, "seed": seed,
                                  "llm": {"provider": "openai", "stop": ["\n\n", "###"], "params": {"max_tokens": 1000}}}
        config["config_id"] = hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()[:16]
        out.append(config)
    return out


def best(make: Callable[[], list[dict[str, Any]]], repeat: int) -> tuple[float, list[dict[str, Any]]]:
    """The best time of `repeat` runs, and the last result."""
    seconds, result = float("inf"), []
    for _ in range(repeat):
        result = []  # (the previous list is freed before the next run)
        started = time.perf_counter()
        result = make()
        seconds = min(seconds, time.perf_counter() - started)
    return seconds, result


def rows(repeat: int = 3) -> list[str]:
    """`load` and `list(Sweep(path))` against the baseline, as ratios."""
    import spearmint_lang
    from spearmint_lang import Sweep

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "grid300k.mint"
        path.write_text(MINT, encoding="utf-8")
        base, expected = best(naive, repeat)
        loaded, got = best(lambda: spearmint_lang.load(path), repeat)
        assert got == expected, "load disagrees with the baseline"
        del got
        listed, got = best(lambda: list(Sweep(path)), repeat)
        assert got == expected, "list(Sweep) disagrees with the baseline"
    return [f"load (grid300k): {loaded:.2f} s vs the naive baseline {base:.2f} s: {base / loaded:.2f}x as fast "
            f"(goal >= {GOAL:.0f}x)",
            f"list(Sweep(path)) (grid300k): {listed:.2f} s: {base / listed:.2f}x as fast as the baseline "
            f"(goal >= {GOAL:.0f}x)"]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    print("\n".join(rows(args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
