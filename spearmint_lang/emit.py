"""Expanded configs to text: JSON, JSONL and a plain-data Python module.

Every emitter is deterministic byte for byte. The Python module is rendered
through a Jinja2 template, but strings only ever reach it as `repr` literals
computed here, so no text from a `.mint` file is ever templated or executed.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Iterator
from typing import Any

import jinja2

FORMATS = ("json", "jsonl", "py")
EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".py": "py"}


def emit_json(configs: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON array, one config per block, two-space indented."""
    first = True
    for config in configs:
        body = json.dumps(config, indent=2, ensure_ascii=False)
        yield ("[\n" if first else ",\n") + _indent(body)
        first = False
    yield "[]\n" if first else "\n]\n"


def _indent(text: str) -> str:
    return "  " + text.replace("\n", "\n  ")


def emit_jsonl(configs: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One compact JSON object per line."""
    for config in configs:
        yield json.dumps(config, ensure_ascii=False, separators=(",", ":")) + "\n"


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


@functools.lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("spearmint_lang", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("module.py.j2")


def emit_py(configs: Iterable[dict[str, Any]], source_name: str, version: str) -> Iterator[str]:
    """A Python module defining `configs: list[dict[str, Any]]`."""
    literals = [py_literal(c) for c in configs]
    yield _template().render(
        source=repr(source_name)[1:-1],
        version=version,
        count=len(literals),
        configs=literals,
    )


def emit(fmt: str, configs: Iterable[dict[str, Any]], source_name: str, version: str) -> Iterator[str]:
    """Chunks of output text in format `fmt`."""
    if fmt == "json":
        return emit_json(configs)
    if fmt == "jsonl":
        return emit_jsonl(configs)
    if fmt == "py":
        return emit_py(configs, source_name, version)
    raise ValueError(f"unknown format {fmt!r}")
