"""Configs to text, streaming: JSON, JSONL, YAML and a plain-data Python
module.

Every emitter is deterministic byte for byte. Documents with a fixed
structure go through `plan` (each value encoded once); the others are
written config by config. Both write through the format's record
(`formats`), so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ..dynamic import Config
from ..predicate import ComputeError
from ..sweep import Sweep
from .formats import BY_NAME, FILES, Format, Frame
from .plan import Plan

_BATCH = 1024


def items(fmt: Format, sweep: Sweep) -> Iterator[tuple[str, int]]:
    """The text of every config of `sweep`, in batches with their sizes
    (the fast path where the document allows it)."""
    plans: dict[int, Plan] = {}
    done = sweep.start
    for space, lo, hi in sweep.segments():
        plan = plans.setdefault(id(space), Plan(space, fmt))
        if plan.ok:  # (a planned document has no `where`: its size is known)
            for text, n in plan.items(lo, space.total if hi is None else hi):
                done += n
                yield text, n
            continue
        for text, n in _batched(fmt, _numbered(space.iter_range(lo, hi), done)):
            done += n
            yield text, n


def files(fmt: str, sweep: Sweep | Iterable[Config]) -> Iterator[tuple[str, str]]:
    """(text, config_id) of each config of `sweep` as a file of its own in
    format `fmt` (`--split`): the fast path where the document allows it.
    `sweep` is a `Sweep`, or configs that are already expanded."""
    record = FILES[fmt]
    if not isinstance(sweep, Sweep):
        for config in sweep:
            yield record.item(config), str(config.get("config_id", ""))
        return
    plans: dict[int, Plan] = {}
    done = sweep.start
    for space, lo, hi in sweep.segments():
        plan = plans.setdefault(id(space), Plan(space, record))
        if plan.alone:
            stop = space.total if hi is None else hi
            yield from plan.documents(lo, stop)
            done += stop - lo
            continue
        for config in _numbered(space.iter_range(lo, hi), done):
            done += 1
            yield record.item(config), str(config.get("config_id", ""))


def _numbered(configs: Iterator[Config], first: int) -> Iterator[Config]:
    """`configs`, the first being config `first` of the sweep: a computed value
    that fails says which config it is."""
    index = first
    try:
        for config in configs:
            yield config
            index += 1
    except ComputeError as exc:
        exc.index = index
        raise


def _batched(fmt: Format, configs: Iterable[Config]) -> Iterator[tuple[str, int]]:
    batch: list[str] = []
    for config in configs:
        batch.append(fmt.item(config))
        if len(batch) >= _BATCH:
            yield "".join(batch), len(batch)
            batch.clear()
    if batch:
        yield "".join(batch), len(batch)


def _counted(batches: Iterator[tuple[str, int]], progress: Callable[[int], object] | None) -> Iterator[str]:
    for text, n in batches:
        if progress is not None:
            progress(n)
        yield text


def emit(fmt: str, sweep: Sweep | Iterable[Config], source_name: str, version: str,
         progress: Callable[[int], object] | None = None) -> Iterator[str]:
    """Chunks of output text in format `fmt`, written while expanding;
    `progress(n)` hears of every `n` configs done. `sweep` is a `Sweep`, or
    configs that are already expanded."""
    record = BY_NAME.get(fmt)
    if record is None:
        raise ValueError(f"unknown format {fmt!r}")
    if isinstance(sweep, Sweep):
        batches = items(record, sweep)
        size = sweep.size if record.counts else sweep.size_bound
    else:
        plain = list(sweep) if fmt == "py" else sweep
        batches = _batched(record, plain)
        size = len(plain) if isinstance(plain, list) else 0
    yield from record.frame(_counted(batches, progress), Frame(source_name, version, size))
