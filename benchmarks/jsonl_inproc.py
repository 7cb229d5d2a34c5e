#!/usr/bin/env python3
"""JSONL written in process: mintc's writer against the fastest Python
written by hand for the one sweep.

    python benchmarks/jsonl_inproc.py       # grid300k, best of 3

The sweep is run.py's `grid300k` (300,000 configs). mintc's side is the
writer `mintc compile` uses (`spearmint_lang.output.emit.items` over a
`Sweep`), from the `.mint` file on; the hand-specialised side knows the
sweep's shape in advance: each axis's values encoded once (their JSON text
and their canonical bytes), `itertools.product` over them, and for each
config one f-string for the line and one SHA-256 of joined bytes for its
`config_id` -- the limit for pure Python, written without any generality.
Both texts must be byte-identical; both are made in batches and dropped
(no file is written). Issue 16's goal: the hand-specialised time over
mintc's at least 0.9.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import SWEEPS  # noqa: E402  (benchmarks/run.py)

GOAL = 0.9


def hand() -> Iterator[str]:
    """grid300k's JSONL, in batches of 2,048 lines, by code that knows its shape."""
    sweep = next(s for s in SWEEPS if s.name == "grid300k")
    models, temperature, top_p, seed, llm = sweep.entries
    assert [e.key for e in sweep.entries] == ["model", "temperature", "top_p", "seed", "llm"]
    temperatures = [float(Fraction(i, 10)) for i in range(30)]

    def encoded(values: list[object]) -> list[tuple[str, bytes]]:
        return [(json.dumps(v, ensure_ascii=False, separators=(",", ":")), json.dumps(v).encode()) for v in values]

    llm_text = json.dumps(llm.value, ensure_ascii=False, separators=(",", ":"))  # type: ignore[union-attr]
    llm_canon = json.dumps(llm.value, sort_keys=True).encode()  # type: ignore[union-attr]
    head = b'{"llm": ' + llm_canon + b', "model": '
    sha = hashlib.sha256
    batch: list[str] = []
    append = batch.append
    for (mt, mc), (tt, tc), (pt, pc), (st, sc) in itertools.product(
            encoded(list(models.values)), encoded(list(temperatures)),  # type: ignore[union-attr]
            encoded(list(top_p.values)), encoded(list(range(200)))):  # type: ignore[union-attr]
        digest = sha(b"".join((head, mc, b', "seed": ', sc, b', "temperature": ', tc, b', "top_p": ', pc, b"}"))
                     ).hexdigest()[:16]
        append(f'{{"model":{mt},"temperature":{tt},"top_p":{pt},"seed":{st},"llm":{llm_text},"config_id":"{digest}"}}\n')
        if len(batch) == 2048:
            yield "".join(batch)
            batch.clear()
    if batch:
        yield "".join(batch)


def mintc(path: Path) -> Callable[[], Iterator[str]]:
    """mintc's writer of `path` as JSONL, in the batches it makes."""
    from spearmint_lang import Sweep
    from spearmint_lang.output.emit import items
    from spearmint_lang.output.formats import BY_NAME

    def run() -> Iterator[str]:
        for text, _ in items(BY_NAME["jsonl"], Sweep(path)):
            yield text

    return run


def best(make: Callable[[], Iterator[str]], repeat: int) -> float:
    """The best time of `repeat` runs that consume every batch."""
    seconds = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for _ in make():
            pass
        seconds = min(seconds, time.perf_counter() - started)
    return seconds


def rows(repeat: int = 3) -> list[str]:
    """The ratio, with both times per config."""
    sweep = next(s for s in SWEEPS if s.name == "grid300k")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "grid300k.mint"
        path.write_text(sweep.mint(), encoding="utf-8")
        ours = mintc(path)
        if hashlib.sha256("".join(ours()).encode()).digest() != hashlib.sha256("".join(hand()).encode()).digest():
            raise SystemExit("jsonl_inproc.py: mintc's JSONL and the hand-specialised text differ")
        mine, theirs = best(ours, repeat), best(hand, repeat)
    n = sweep.configs
    return [f"JSONL in process (grid300k): mintc {mine / n * 1e6:.2f} µs per config, hand-specialised Python "
            f"{theirs / n * 1e6:.2f} µs: {theirs / mine:.2f} of the limit (goal >= {GOAL})"]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    print("\n".join(rows(args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
