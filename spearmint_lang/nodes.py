"""The AST: attrs classes mirroring the source, each carrying its span.

Nodes are plain data; checks that need context (duplicate keys, ranges,
names) happen in `lower`, so tools such as a formatter can use an AST of a
file that does not compile.
"""

from __future__ import annotations

from typing import Union

import attrs

from .source import Source, Span


@attrs.frozen
class Str:
    """A string literal (`"..."` or `\"\"\"...\"\"\"`), already decoded."""

    value: str
    span: Span
    long: bool = False


@attrs.frozen
class Number:
    """An int or float literal; `text` keeps the digits for exact ranges."""

    text: str
    value: int | float
    span: Span

    @property
    def is_float(self) -> bool:
        """A literal with `.` or an exponent is a float."""
        return isinstance(self.value, float)


@attrs.frozen
class Bool:
    """`true` or `false`."""

    value: bool
    span: Span


@attrs.frozen
class Null:
    """`null`."""

    span: Span


@attrs.frozen
class ListValue:
    """A static list `[a, b]`."""

    items: tuple[Value, ...]
    span: Span


@attrs.frozen
class Key:
    """An entry's key, from an identifier or a quoted string."""

    name: str
    span: Span


@attrs.frozen
class Entry:
    """`key: value` inside a document or an object."""

    key: Key
    value: Value
    span: Span


@attrs.frozen
class ObjectValue:
    """An object `{ k: v, ... }`; items keep source order."""

    items: tuple[Item, ...]
    span: Span


@attrs.frozen
class Ref:
    """A bare name in value position (a `let` name, or a forgotten quote)."""

    name: str
    span: Span


@attrs.frozen
class ListSweep:
    """`[...]*` (or `name*`): the document expands once per element."""

    items: ListValue | Ref
    span: Span


@attrs.frozen
class RangeSweep:
    """`start..end [step s | step *k | count n]`, `start..<end ...`.

    Numbers are computed exactly from the literal text.
    """

    start: Number | Ref
    end: Number | Ref
    step: Number | Ref | None
    span: Span
    exclusive: bool = False
    geometric: bool = False
    count: Number | Ref | None = None


@attrs.frozen
class Let:
    """`let NAME = value`: a file-scoped name, never emitted."""

    name: Key
    value: Value
    span: Span


@attrs.frozen
class Zip:
    """`zip { k: [...], ... }`: lists paired position by position, one axis."""

    entries: tuple[Entry, ...]
    span: Span


@attrs.frozen
class Variants:
    """`variants [ {...} ... ]`: one axis of alternatives merged in place."""

    alternatives: tuple[ObjectValue, ...]
    span: Span


@attrs.frozen
class Path:
    """`a.b.c` in a `where` expression: a key path into each config."""

    parts: tuple[str, ...]
    span: Span


@attrs.frozen
class Literal:
    """A constant in a `where` expression."""

    value: Str | Number | Bool | Null
    span: Span


@attrs.frozen
class Compare:
    """`left OP right` with OP one of == != < <= > >=."""

    op: str
    left: Expr
    right: Expr
    span: Span


@attrs.frozen
class Contains:
    """`operand in [..]` (or `not in`)."""

    operand: Expr
    options: ListValue
    negated: bool
    span: Span


@attrs.frozen
class Not:
    """`not operand`."""

    operand: Expr
    span: Span


@attrs.frozen
class BoolOp:
    """`a and b and ...` or `a or b or ...`."""

    op: str
    operands: tuple[Expr, ...]
    span: Span


Expr = Union[Path, Literal, Compare, Contains, Not, BoolOp]


@attrs.frozen
class Where:
    """`where EXPR`: keep only the configs for which EXPR holds."""

    expr: Expr
    span: Span


@attrs.frozen
class Extends:
    """`extends "base.mint"`: start the document from that file's document."""

    path: Str
    span: Span


@attrs.frozen
class TypeName:
    """`string`, `int in 1..10`, ...: a named type with optional bounds."""

    name: str
    low: Number | Ref | None
    high: Number | Ref | None
    exclusive: bool
    span: Span


@attrs.frozen
class TypeLiteral:
    """A literal alternative such as `"openai"` in `"openai" | "anthropic"`."""

    value: Str | Number | Bool | Null
    span: Span


@attrs.frozen
class TypeObject:
    """`{ key: type, ... }`: the schema of a nested object."""

    fields: tuple[Field, ...]
    span: Span


TypeAlt = Union[TypeName, TypeLiteral, TypeObject]


@attrs.frozen
class Field:
    """`key: type | type` (or `key?:` for an optional key) in a schema."""

    key: Key
    optional: bool
    types: tuple[TypeAlt, ...]
    span: Span


@attrs.frozen
class Schema:
    """`schema { ... }`: every value any config can take is checked."""

    fields: tuple[Field, ...]
    span: Span


Value = Union[Str, Number, Bool, Null, ListValue, ObjectValue, Ref, ListSweep, RangeSweep]
Item = Union[Entry, Zip, Variants]
DocItem = Union[Entry, Zip, Variants, Let, Where, Extends, Schema]


@attrs.frozen
class Document:
    """One entry of spearmint's `configs` list."""

    items: tuple[DocItem, ...]
    span: Span


@attrs.frozen
class File:
    """A parsed `.mint` file: its documents in order."""

    documents: tuple[Document, ...]
    source: Source
