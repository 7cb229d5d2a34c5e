"""Completion: the words of the language, `let` names, the keys of the schema."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp

from .. import nodes
from ..grammar import item_words, value_words
from .analysis import Analysis

_MAX_DETAIL = 60


def in_value_position(prefix: str) -> bool:
    """Whether the cursor (after `prefix` on its line) stands where a value goes, not a key."""
    in_string = False
    last = ""
    brackets: list[str] = []
    for ch in prefix:
        if ch == '"':
            in_string = not in_string
        elif in_string:
            continue
        elif ch == "#":
            break
        elif ch in "{[(":
            brackets.append(ch)
            last = ch
        elif ch in "}])":
            if brackets:
                brackets.pop()
            last = ch
        elif ch in ":,=":
            last = ch
    if last in (":", "=", "[", "("):
        return True
    return last == "," and bool(brackets) and brackets[-1] in "[("


def _enclosing_path(items: Sequence[nodes.Node], line: int, column: int) -> tuple[str, ...]:
    """The keys of the objects (as `{ ... }` values) around the cursor."""
    for item in items:
        if isinstance(item, nodes.Entry) and isinstance(item.value, nodes.ObjectValue):
            span = item.value.span
            if (span.line, span.column) < (line, column) < (span.end_line, span.end_column):
                return (item.key.name,) + _enclosing_path(item.value.items, line, column)
        elif isinstance(item, nodes.Variants):
            for alt in item.alternatives:
                span = alt.span
                if (span.line, span.column) < (line, column) < (span.end_line, span.end_column):
                    return _enclosing_path(alt.items, line, column)
    return ()


def _fields_at(fields: Sequence[nodes.Field], path: tuple[str, ...]) -> Sequence[nodes.Field]:
    for part in path:
        field = next((f for f in fields if f.key.name == part), None)
        obj = next((t for t in field.types if isinstance(t, nodes.TypeObject)), None) if field else None
        if obj is None:
            return ()
        fields = obj.fields
    return fields


def completions(analysis: Analysis, pos: lsp.Position) -> list[lsp.CompletionItem]:
    """Schema keys where a key goes; `let` names defined above; the words
    of the language that may stand here."""
    line, column = analysis.index.location(pos)
    prefix = analysis.source.line(line)[: column - 1]
    value_pos = in_value_position(prefix)
    items: list[lsp.CompletionItem] = []
    seen: set[str] = set()

    def add(label: str, kind: lsp.CompletionItemKind, sort: str, detail: str | None = None,
            insert: str | None = None) -> None:
        if label in seen:
            return
        seen.add(label)
        items.append(lsp.CompletionItem(label=label, kind=kind, detail=detail, sort_text=f"{sort}{label}",
                                        insert_text=insert))

    doc = analysis.document_at(line)
    if doc is not None and not value_pos:
        schema = analysis.schema_for(doc)
        if schema is not None:
            for f in _fields_at(schema.fields, _enclosing_path(doc.items, line, column)):
                types = " | ".join(t.span.text for t in f.types)
                add(f.key.name, lsp.CompletionItemKind.Field, "0", f"schema: {types}", f"{f.key.name}: ")
    for let in analysis.lets():
        if let.span.line < line:
            value = let.value.span.text
            add(let.name.name, lsp.CompletionItemKind.Variable, "1",
                f"let {let.name.name} = {value if len(value) <= _MAX_DETAIL else value[: _MAX_DETAIL - 1] + '…'}")
    words = value_words() if value_pos else item_words() + value_words()
    for word in words:
        add(word, lsp.CompletionItemKind.Keyword, "2")
    return items
