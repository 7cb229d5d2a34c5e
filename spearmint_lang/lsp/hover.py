"""Hover: a key's values and its document's config count; a name's `let`."""

from __future__ import annotations

import json
from collections.abc import Sequence

from lsprotocol import types as lsp

from .. import nodes
from ..dynamic import DynamicValue, Json, Variants, Zip
from ..expand import axis_count, choices, count, size_of
from ..lower import Site
from .analysis import Analysis, count_text

MAX_SHOWN_VALUES = 10
_MAX_VALUE_CHARS = 60
_MAX_LET_CHARS = 300


def _show(value: Json) -> str:
    """One value, as JSON, shortened."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= _MAX_VALUE_CHARS else text[: _MAX_VALUE_CHARS - 1] + "…"


def md(text: str) -> str:
    """Escape Markdown's special characters."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#|~" else ch for ch in text)


def values_text(values: Sequence[Json], total: int | None = None) -> str:
    """`5 values: 0, 25, 50, 75, 100`, at most `MAX_SHOWN_VALUES` of them, then `…`."""
    n = len(values) if total is None else total
    shown = ", ".join(_show(v) for v in values[:MAX_SHOWN_VALUES])
    more = ", …" if n > MAX_SHOWN_VALUES else ""
    return f"{n:,} value{'s' if n != 1 else ''}: {shown}{more}"


def _has_axes(value: Json) -> bool:
    if isinstance(value, (DynamicValue, Zip, Variants)):
        return True
    return isinstance(value, dict) and any(_has_axes(v) for v in value.values())


def describe(analysis: Analysis, site: Site) -> str:
    """What a key stands for: its values, or `static`."""
    value = site.lowered
    if analysis.is_unknown(value):
        return "values unknown until this entry compiles"
    if site.zipped is not None:
        others = ", ".join(f"`{k}`" for k in site.zipped if k != site.path[-1])
        paired = f" (paired by `zip` with {others})" if others else " (in a `zip`)"
        return md(values_text(value, size_of(value))) + paired
    if isinstance(value, DynamicValue):
        return md(values_text(choices(value), axis_count(value)))
    if isinstance(value, dict) and _has_axes(value):
        n = count(value)
        return f"object with sweeps: {n:,} combination{'s' if n != 1 else ''}"
    return "static: " + md(_show(value))


def hover_text(analysis: Analysis, doc: nodes.Document, site: Site) -> str:
    """The hover of a key: its path and values, then its document's config count."""
    lines = [f"**{md('.'.join(site.path))}** — {describe(analysis, site)}"]
    if site.alternative is not None:
        lines.append(f"in `variants` alternative {site.alternative}")
    found = analysis.count_of(doc)
    if found is not None:
        i, n = found
        total = len(analysis.unit.documents)
        label = "document" if total == 1 else f"document {i + 1} of {total}"
        lines.append(f"{label}: {count_text(n)}")
    elif not analysis.unit.ok:
        lines.append("the file has mistakes: no config count until they are fixed")
    return "\n\n".join(lines)


def hover(analysis: Analysis, pos: lsp.Position) -> lsp.Hover | None:
    """Hover on a key (values and counts) or on a `let` name (its definition)."""
    line, column = analysis.index.location(pos)
    doc = analysis.document_at(line)
    if doc is None:
        return None
    for site in analysis.sites(doc):
        if site.entry.key.span.contains(line, column):
            return lsp.Hover(
                contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=hover_text(analysis, doc, site)),
                range=analysis.index.range(site.entry.key.span),
            )
    ref = analysis.ref_at(line, column)
    if ref is not None:
        let = analysis.let_for(ref)
        if let is not None:
            text = let.span.text
            if len(text) > _MAX_LET_CHARS:
                text = text[: _MAX_LET_CHARS - 1] + "…"
            return lsp.Hover(
                contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=f"```mint\n{text}\n```"),
                range=analysis.index.range(ref.span),
            )
    return None
