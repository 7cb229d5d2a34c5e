"""Configs to text: JSON, JSONL, YAML and a plain-data Python module.

Every emitter streams and is deterministic byte for byte. Documents with a
fixed structure go through `plan` (each value encoded once); the others are
encoded config by config here. The Python module is rendered through a
Jinja2 template, but strings only ever reach it as `repr` literals computed
here, so no text from a `.mint` file is ever templated or executed.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

    from .sweep import Sweep

FORMATS = ("json", "jsonl", "py", "yaml")
EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".py": "py", ".yaml": "yaml", ".yml": "yaml"}
_MARK = "\x00config\x00"


def py_literal(value: Any) -> str:
    """A Python expression that evaluates to exactly `value`."""
    if isinstance(value, str):
        return repr(value)
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value!r} as a Python literal")
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as a Python literal")


def yaml_document(config: dict[str, Any]) -> str:
    """One YAML document (`---` first), keys in config order."""
    import yaml

    return str(yaml.safe_dump(config, explicit_start=True, sort_keys=False, allow_unicode=True,
                               default_flow_style=False, width=10**9))


def _item(fmt: str) -> Any:
    """How one config is written in a stream of format `fmt`."""
    if fmt == "jsonl":
        return lambda c: json.dumps(c, ensure_ascii=False, separators=(",", ":")) + "\n"
    if fmt == "json":
        return lambda c: ",\n  " + json.dumps(c, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    if fmt == "py":
        return lambda c: "\n    " + py_literal(c) + ","
    return yaml_document


def items(fmt: str, sweep: Sweep) -> Iterator[tuple[str, int]]:
    """The text of every config of `sweep`, in batches with their sizes
    (the fast path where the document allows it)."""
    from .plan import Plan

    encode = _item(fmt)
    plans: dict[int, Plan] = {}
    for space, lo, hi in sweep.segments():
        if fmt != "yaml":
            plan = plans.setdefault(id(space), Plan(space, fmt))
            if plan.ok:
                yield from plan.items(lo, hi)
                continue
        batch: list[str] = []
        for config in space.iter_range(lo, hi):
            batch.append(encode(config))
            if len(batch) >= 1024:
                yield "".join(batch), len(batch)
                batch.clear()
        if batch:
            yield "".join(batch), len(batch)


def _counted(batches: Iterator[tuple[str, int]], progress: Callable[[int], None] | None) -> Iterator[str]:
    for text, n in batches:
        if progress is not None:
            progress(n)
        yield text


@functools.lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("spearmint_lang", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("module.py.j2")


def _plain_items(fmt: str, configs: Iterable[dict[str, Any]]) -> Iterator[tuple[str, int]]:
    encode = _item(fmt)
    for config in configs:
        yield encode(config), 1


def emit(fmt: str, sweep: Sweep | Iterable[dict[str, Any]], source_name: str, version: str,
         progress: Callable[[int], None] | None = None) -> Iterator[str]:
    """Chunks of output text in format `fmt`, written while expanding;
    `progress(n)` hears of every `n` configs done. `sweep` is a `Sweep`, or
    configs that are already expanded."""
    from .sweep import Sweep

    if isinstance(sweep, Sweep):
        batches = items(fmt, sweep)
        size = sweep.size
    else:
        plain = list(sweep) if fmt == "py" else sweep
        batches = _plain_items(fmt, plain)
        size = len(plain) if isinstance(plain, list) else 0
    chunks = _counted(batches, progress)
    if fmt in ("jsonl", "yaml"):
        yield from chunks
    elif fmt == "json":
        first = True
        for chunk in chunks:
            yield ("[\n" + chunk[2:]) if first else chunk
            first = False
        yield "[]\n" if first else "\n]\n"
    elif fmt == "py":
        page = _template().render(source=repr(source_name)[1:-1], version=version, count=size, configs=[_MARK])
        head, tail = page.split("\n    " + _MARK + ",")
        yield head
        yield from chunks
        yield tail
    else:
        raise ValueError(f"unknown format {fmt!r}")


