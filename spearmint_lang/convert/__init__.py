"""`mintc convert`: other tools' sweeps as `.mint` files.

One module per tool (`wandb`, `hydra`, `tune`, `sklearn`) turns the tool's
sweep, read into a located tree (`tree`), into a `Plan`; `emit` writes the
plan as `.mint` text. `convert` picks the tool, runs its converter and
compiles the result, so what it returns always compiles. Hydra's overrides
are read by Hydra's own parser (the `hydra` extra); everything else needs
only mintc.
"""

from __future__ import annotations

import os
from typing import Literal

import attrs

from ..codes import Code
from ..errors import Collector, Diagnostic, MintError
from ..source import Source
from .common import Context, Options
from .emit import Plan, to_mint
from .tree import Node, Refused, read_json, read_python, read_yaml

Tool = Literal["wandb", "hydra", "tune", "sklearn"]
TOOLS: tuple[Tool, ...] = ("wandb", "hydra", "tune", "sklearn")

__all__ = ["TOOLS", "Converted", "Options", "Tool", "convert_text", "detect"]


@attrs.frozen
class Converted:
    """A conversion's `.mint` text and its warnings (None text: refused,
    the errors are among the diagnostics)."""

    text: str | None
    diagnostics: tuple[Diagnostic, ...]
    tool: Tool | None


def detect(path: str, text: str) -> Tool | None:
    """The tool a file is from, by its name and content; None when unsure."""
    ext = os.path.splitext(path)[1].lower()
    if ext == ".json":
        return "tune"
    if ext == ".py":
        return "tune" if "tune." in text or "grid_search" in text else "sklearn"
    if ext in (".yaml", ".yml"):
        if "parameters:" in text and "params:" not in text:
            return "wandb"
        if "params:" in text:
            return "hydra"
        return None
    if ext in (".txt", ".sh", ""):
        return "hydra"
    return None


def convert_text(text: str, path: str, tool: Tool | None, options: Options) -> Converted:
    """Convert the sweep in `text` (from `path`) of `tool` (detected when None)."""
    source = Source(path, text)
    errors = Collector()
    chosen = tool or detect(path, text)
    if chosen is None:
        errors.error(Code.E130, "which tool's sweep is this?", source.start(),
                     hint="say it: --from wandb, --from hydra, --from tune or --from sklearn")
        return Converted(None, tuple(errors.diagnostics), None)
    ctx = Context(source, errors, options)
    try:
        plan = _plan(chosen, ctx, path)
    except Refused:
        return Converted(None, tuple(errors.ordered()), chosen)
    mint = _compiled(to_mint(plan), ctx)
    return Converted(mint, tuple(errors.ordered()), chosen)


def _plan(tool: Tool, ctx: Context, path: str) -> Plan:
    if tool == "wandb":
        from . import wandb

        return wandb.convert(read_yaml(ctx.source, ctx.errors), ctx)
    if tool == "hydra":
        from . import hydra

        if os.path.splitext(path)[1].lower() in (".yaml", ".yml"):
            return hydra.convert_params(read_yaml(ctx.source, ctx.errors), ctx)
        return hydra.convert_overrides(ctx)
    if tool == "tune":
        from . import tune

        return tune.convert(_read_code(ctx, path), ctx)
    from . import sklearn

    return sklearn.convert(_read_code(ctx, path), ctx)


def _read_code(ctx: Context, path: str) -> Node:
    if os.path.splitext(path)[1].lower() == ".json":
        return read_json(ctx.source, ctx.errors)
    return read_python(ctx.source, ctx.errors)


def _compiled(text: str, ctx: Context) -> str | None:
    """`text` when it compiles; else the reason, as an error of the source
    file (a converter that writes what does not compile has a bug)."""
    from ..compiler import compile_text

    unit = compile_text(text, "converted.mint")
    if unit.ok:
        return text
    first = MintError([d for d in unit.diagnostics if d.severity == "error"][:1]).render()
    ctx.errors.error(Code.E131, "the converted sweep does not compile:\n" + first, ctx.source.start(),
                     hint="change the source so that each key is set once, then convert again")
    return None
