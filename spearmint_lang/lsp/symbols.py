"""The outline: keys (nested objects as children); documents on top when there are several."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp

from .. import nodes
from ..source import Span
from .analysis import Analysis, count_text


def _symbol(analysis: Analysis, name: str, kind: lsp.SymbolKind, span: Span, select: Span,
            detail: str | None = None, children: list[lsp.DocumentSymbol] | None = None) -> lsp.DocumentSymbol:
    rng = analysis.index.range(span)
    sel = analysis.index.range(select)
    # The selection must lie inside the range.
    if (sel.start.line, sel.start.character) < (rng.start.line, rng.start.character) or (
        sel.end.line, sel.end.character) > (rng.end.line, rng.end.character):
        sel = rng
    return lsp.DocumentSymbol(name=name or "\"\"", kind=kind, range=rng, selection_range=sel,
                              detail=detail, children=children or None)


_VALUE_KINDS: list[tuple[type[nodes.Node], lsp.SymbolKind, str]] = [
    (nodes.ObjectValue, lsp.SymbolKind.Object, "object"),
    (nodes.ListSweep, lsp.SymbolKind.Array, "sweep"),
    (nodes.RangeSweep, lsp.SymbolKind.Array, "range"),
    (nodes.ListValue, lsp.SymbolKind.Array, "list"),
    (nodes.Str, lsp.SymbolKind.String, "string"),
    (nodes.Number, lsp.SymbolKind.Number, "number"),
    (nodes.Bool, lsp.SymbolKind.Boolean, "bool"),
    (nodes.Null, lsp.SymbolKind.Null, "null"),
]


def _value_kind(value: nodes.Value) -> tuple[lsp.SymbolKind, str]:
    for cls, kind, detail in _VALUE_KINDS:
        if isinstance(value, cls):
            return kind, detail
    return lsp.SymbolKind.Variable, "name"


def _items(analysis: Analysis, items: Sequence[nodes.Node]) -> list[lsp.DocumentSymbol]:
    out: list[lsp.DocumentSymbol] = []
    for item in items:
        if isinstance(item, nodes.Entry):
            leaf, name = _leaf(item)
            kind, detail = _value_kind(leaf.value)
            children = _items(analysis, leaf.value.items) if isinstance(leaf.value, nodes.ObjectValue) else None
            out.append(_symbol(analysis, name, kind, item.span, item.key.span.to(leaf.key.span), detail, children))
        elif isinstance(item, nodes.Let):
            out.append(_symbol(analysis, item.name.name, lsp.SymbolKind.Variable, item.span, item.name.span, "let"))
        elif isinstance(item, nodes.Zip):
            out.append(_symbol(analysis, "zip", lsp.SymbolKind.Struct, item.span, item.span, None,
                               _items(analysis, item.entries)))
        elif isinstance(item, nodes.Variants):
            alts = [
                _symbol(analysis, f"alternative {i + 1}", lsp.SymbolKind.Struct, alt.span, alt.span, None,
                        _items(analysis, alt.items))
                for i, alt in enumerate(item.alternatives)
            ]
            out.append(_symbol(analysis, "variants", lsp.SymbolKind.Enum, item.span, item.span, None, alts))
        elif isinstance(item, nodes.Schema):
            out.append(_symbol(analysis, "schema", lsp.SymbolKind.Interface, item.span, item.span, None,
                               _fields(analysis, item.fields)))
        elif isinstance(item, nodes.Extends):
            out.append(_symbol(analysis, f"extends \"{item.path.value}\"", lsp.SymbolKind.File, item.span,
                               item.path.span))
        elif isinstance(item, nodes.Where):
            out.append(_symbol(analysis, "where", lsp.SymbolKind.Event, item.span, item.span,
                               item.expr.span.text[:80]))
    return out


def _leaf(entry: nodes.Entry) -> tuple[nodes.Entry, str]:
    """The entry a dotted key (`optimizer.lr: 0.1`) ends at, and the key as written."""
    names = [entry.key.name]
    while entry.dotted and isinstance(entry.value, nodes.ObjectValue) and len(entry.value.items) == 1:
        inner = entry.value.items[0]
        if not isinstance(inner, nodes.Entry) or not inner.dotted:
            break
        entry = inner
        names.append(entry.key.name)
    return entry, ".".join(names)


def _fields(analysis: Analysis, fields: Sequence[nodes.Field]) -> list[lsp.DocumentSymbol]:
    out = []
    for f in fields:
        children = [c for alt in f.types if isinstance(alt, nodes.TypeObject) for c in _fields(analysis, alt.fields)]
        types = " | ".join(alt.span.text for alt in f.types if not isinstance(alt, nodes.TypeObject))
        out.append(_symbol(analysis, f.key.name + ("?" if f.optional else ""), lsp.SymbolKind.Field, f.span,
                           f.key.span, types or None, children))
    return out


def document_symbols(analysis: Analysis) -> list[lsp.DocumentSymbol]:
    """The outline of the file."""
    docs = analysis.documents()
    if len(docs) == 1:
        return _items(analysis, docs[0].items)
    out = []
    for i, doc in enumerate(docs):
        span = doc.items[0].span.to(doc.items[-1].span)
        found = analysis.count_of(doc)
        out.append(_symbol(analysis, f"document {i + 1}", lsp.SymbolKind.Module, span, doc.items[0].span,
                           count_text(found[1]) if found else None, _items(analysis, doc.items)))
    return out
