"""Inlay hints: how many values each sweep has, how many configs each document gives.

After a sweep (`[...]*`, a range, a `let` name of one): `5 values`; after
a `zip` block: `3 rows`; after a `variants` block: the values of its axis
(the alternatives' combinations added up). After each `---`, and at the end
of the first line of a file's first document: that document's count, as
`mintc count` gives it; after a `sample N` line, the grid it multiplies:
`× 3 grid points = 192 configs` (both only while the file compiles, as code
lenses).

Counts come from the lowered values, never from expanding them: a range of
ten million values is counted by its size.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from lark import Token
from lsprotocol import types as lsp

from .. import nodes
from ..dynamic import DynamicValue
from ..expand import axis_count, count, sampler, size_of
from ..lower import Site
from .analysis import Analysis, count_text


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _value_count(site: Site | None) -> int | None:
    """How many values an entry's value stands for (1 when static; None when unknown)."""
    if site is None or Analysis.is_unknown(site.lowered):
        return None
    value = site.lowered
    if isinstance(value, DynamicValue):
        return axis_count(value)
    if isinstance(value, dict):
        return count(value)
    return 1


def _rows(block: nodes.Zip, sites: dict[int, Site]) -> int | None:
    """The rows of a `zip` (its columns' common length), when every column is known."""
    sizes = set()
    for entry in block.entries:
        site = sites.get(id(entry))
        if site is None or Analysis.is_unknown(site.lowered):
            return None
        sizes.add(size_of(site.lowered))
    return sizes.pop() if len(sizes) == 1 else None


def _items_count(items: Sequence[nodes.Node], sites: dict[int, Site]) -> int | None:
    """How many combinations an object's items give (None when a value is unknown)."""
    total = 1
    for item in items:
        if isinstance(item, nodes.Entry):
            found = _value_count(sites.get(id(item)))
        elif isinstance(item, nodes.Zip):
            found = _rows(item, sites)
        elif isinstance(item, nodes.Variants):
            found = _variants_count(item, sites)
        else:
            continue
        if found is None:
            return None
        total *= found
    return total


def _variants_count(block: nodes.Variants, sites: dict[int, Site]) -> int | None:
    """The values of a `variants` axis: its alternatives' combinations, added up."""
    total = 0
    for alt in block.alternatives:
        found = _items_count(alt.items, sites)
        if found is None:
            return None
        total += found
    return total


def _separators(analysis: Analysis) -> list[Token]:
    """The `---` tokens, in order (children of the concrete tree's root)."""
    tree = analysis.unit.tree
    if tree is None:
        return []
    return [c for c in tree.children if isinstance(c, Token) and c.type == "DOCSEP"]


def _hint(analysis: Analysis, line: int, column: int, label: str) -> lsp.InlayHint:
    return lsp.InlayHint(position=analysis.index.position(line, column), label=label, padding_left=True)


def _sweep_hints(analysis: Analysis) -> list[lsp.InlayHint]:
    path = analysis.source.path
    sites: dict[int, Site] = {}
    for doc in analysis.documents():
        for site in analysis.sites(doc):
            sites.setdefault(id(site.entry), site)
    out = []
    for site in sites.values():
        span = site.entry.value.span
        if site.zipped is None and isinstance(site.lowered, DynamicValue) and span.source.path == path:
            out.append(_hint(analysis, span.end_line, span.end_column, _plural(axis_count(site.lowered), "value")))
    for doc in analysis.documents():
        for node in nodes.walk(doc):
            if node.span.source.path != path:
                continue
            if isinstance(node, nodes.Zip):
                found, noun = _rows(node, sites), "row"
            elif isinstance(node, nodes.Variants):
                found, noun = _variants_count(node, sites), "value"
            else:
                continue
            if found is not None:
                out.append(_hint(analysis, node.span.end_line, node.span.end_column, _plural(found, noun)))
    return out


def _document_hints(analysis: Analysis) -> list[lsp.InlayHint]:
    """Each document's count: after the `---` before it, or at the end of its first line."""
    seps = _separators(analysis)
    lines = [sep.line or 0 for sep in seps]
    out = []
    for doc in analysis.documents():
        found = analysis.count_of(doc)
        if found is None:
            continue
        label = count_text(found[1]).replace("`", "")
        first = doc.items[0].span.line
        before = bisect.bisect_left(lines, first) - 1
        if before >= 0:
            sep = seps[before]
            out.append(_hint(analysis, sep.line or 1, (sep.column or 1) + 3, label))
        else:
            out.append(_hint(analysis, first, len(analysis.source.line(first)) + 1, label))
    return out


def _sample_hints(analysis: Analysis) -> list[lsp.InlayHint]:
    """After each `sample N` line: `× 3 grid points = 192 configs` (the grid
    points `where` keeps), when the document's count is exact."""
    out = []
    for doc in analysis.documents():
        found = analysis.count_of(doc)
        low = analysis.lowered(doc)
        sample = sampler(low.template) if low is not None else None
        if found is None or sample is None or not found[1].exact:
            continue
        configs = found[1].configs
        points = configs // sample.n
        label = f"× {_plural(points, 'grid point')} = {_plural(configs, 'config')}"
        for item in doc.items:
            if isinstance(item, nodes.SampleItem) and item.span.source.path == analysis.source.path:
                out.append(_hint(analysis, item.span.end_line, item.span.end_column, label))
    return out


def inlay_hints(analysis: Analysis, rng: lsp.Range) -> list[lsp.InlayHint]:
    """The hints whose position lies in `rng`, in the order of their positions."""
    start = (rng.start.line, rng.start.character)
    end = (rng.end.line, rng.end.character)
    sampled = _sample_hints(analysis)
    # A `sample N` line first in its document: its hint, which ends with the count, stands for the document's.
    taken = {(h.position.line, h.position.character) for h in sampled}
    documents = [h for h in _document_hints(analysis) if (h.position.line, h.position.character) not in taken]
    found = _sweep_hints(analysis) + documents + sampled
    inside = [h for h in found if start <= (h.position.line, h.position.character) <= end]
    return sorted(inside, key=lambda h: (h.position.line, h.position.character))
