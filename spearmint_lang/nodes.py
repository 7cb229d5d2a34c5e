"""The AST: attrs classes mirroring the source, each carrying its span.

Nodes are plain data; checks that need context (duplicate keys, ranges,
names) happen in `lower`, so tools such as a formatter can use an AST of a
file that does not compile.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, TypeVar, Union, cast

import attrs

from .source import Source, Span


class Node:
    """Every AST node: `child_fields` names the attributes that hold child nodes
    (a node, a tuple of nodes or None), so one `walk` serves every traversal."""

    __slots__ = ()
    child_fields: ClassVar[tuple[str, ...]] = ()
    span: Span

    def children(self) -> Iterator[Node]:
        """The direct child nodes, in source order."""
        for name in self.child_fields:
            value = getattr(self, name)
            if isinstance(value, tuple):
                yield from value
            elif value is not None:
                yield value

    def __repr__(self) -> str:
        """`Str(value='a', span=..., long=False)`, as attrs writes it. One
        method for every node: attrs would compile one per class at import,
        a third of the time `import nodes` takes (benchmarks/startup.py)."""
        cls = cast("type[attrs.AttrsInstance]", type(self))  # (every subclass is an attrs class)
        fields = ", ".join(f"{a.name}={getattr(self, a.name)!r}" for a in attrs.fields(cls))
        return f"{type(self).__qualname__}({fields})"


def walk(node: Node) -> Iterator[Node]:
    """`node` and every node below it, depth-first in source order
    (iterative: user input may nest deeply)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(current.children())))


@attrs.frozen(eq=False, repr=False)
class Str(Node):
    """A string literal (`"..."` or `\"\"\"...\"\"\"`), already decoded."""

    child_fields: ClassVar[tuple[str, ...]] = ()

    value: str
    span: Span
    long: bool = False


@attrs.frozen(eq=False, repr=False)
class Number(Node):
    """An int or float literal; `text` keeps the digits for exact ranges."""

    child_fields: ClassVar[tuple[str, ...]] = ()

    text: str
    value: int | float
    span: Span

    @property
    def is_float(self) -> bool:
        """A literal with `.` or an exponent is a float."""
        return isinstance(self.value, float)


@attrs.frozen(eq=False, repr=False)
class Bool(Node):
    """`true` or `false`."""

    child_fields: ClassVar[tuple[str, ...]] = ()

    value: bool
    span: Span


@attrs.frozen(eq=False, repr=False)
class Null(Node):
    """`null`."""

    child_fields: ClassVar[tuple[str, ...]] = ()

    span: Span


@attrs.frozen(eq=False, repr=False)
class ListValue(Node):
    """A static list `[a, b]`."""

    child_fields: ClassVar[tuple[str, ...]] = ("items",)

    items: tuple[Value, ...]
    span: Span


@attrs.frozen(eq=False, repr=False)
class Key(Node):
    """An entry"s key, from an identifier or a quoted string."""

    child_fields: ClassVar[tuple[str, ...]] = ()

    name: str
    span: Span


@attrs.frozen(eq=False, repr=False)
class Entry(Node):
    """`key: value` inside a document or an object."""

    child_fields: ClassVar[tuple[str, ...]] = ("key", "value")

    key: Key
    value: Value
    span: Span
    # Written with a dotted key (`optimizer.lr: 0.1`): the builder nests it as
    # `optimizer: { lr: 0.1 }`, and `lower` merges it with the object's other
    # entries of the same key instead of calling them duplicates.
    dotted: bool = False


@attrs.frozen(eq=False, repr=False)
class ObjectValue(Node):
    """An object `{ k: v, ... }`; items keep source order."""

    child_fields: ClassVar[tuple[str, ...]] = ("items",)

    items: tuple[Item, ...]
    span: Span


@attrs.frozen(eq=False, repr=False)
class Ref(Node):
    """A bare name in value position (a `let` name, or a forgotten quote)."""

    child_fields: ClassVar[tuple[str, ...]] = ()

    name: str
    span: Span


@attrs.frozen(eq=False, repr=False)
class Delete(Node):
    """`key: delete`: the key the extended file sets is removed."""

    child_fields: ClassVar[tuple[str, ...]] = ()

    span: Span


@attrs.frozen(eq=False, repr=False)
class ListSweep(Node):
    """`[...]*` (or `name*`): the document expands once per element."""

    child_fields: ClassVar[tuple[str, ...]] = ("items",)

    items: ListValue | Ref
    span: Span


@attrs.frozen(eq=False, repr=False)
class RangeSweep(Node):
    """`start..end [step s | step *k | count n]`, `start..<end ...`.

    Numbers are computed exactly from the literal text.
    """

    child_fields: ClassVar[tuple[str, ...]] = ("start", "end", "step", "count")

    start: Number | Ref
    end: Number | Ref
    step: Number | Ref | None
    span: Span
    exclusive: bool = False
    geometric: bool = False
    count: Number | Ref | None = None


@attrs.frozen(eq=False, repr=False)
class Keyword(Node):
    """`name: value` among a distribution's arguments (`weights: [3, 1]`)."""

    child_fields: ClassVar[tuple[str, ...]] = ("name", "value")

    name: Key
    value: Value
    span: Span


@attrs.frozen(eq=False, repr=False)
class Distribution(Node):
    """`uniform(0.0, 1.0) step 0.05`, `choice(["a", "b"], weights: [3, 1])`:
    a value drawn once per config. `name` is as written (`tune.uniform`
    too: the builder reports names it does not know); arguments are values
    as the grammar allows them, checked by `lower`."""

    child_fields: ClassVar[tuple[str, ...]] = ("args", "keywords", "step")

    name: str
    name_span: Span
    args: tuple[Value, ...]
    keywords: tuple[Keyword, ...]
    step: Number | Ref | None
    span: Span
    args_span: Span  # from `(` to `)`


@attrs.frozen(eq=False, repr=False)
class SampleItem(Node):
    """`sample N [seed S] [method]`: N configs drawn per grid point."""

    child_fields: ClassVar[tuple[str, ...]] = ("n", "seed")

    n: Number | Ref
    seed: Number | Ref | None
    method: str | None
    method_span: Span | None
    span: Span


@attrs.frozen(eq=False, repr=False)
class Let(Node):
    """`let NAME = value`: a file-scoped name, never emitted."""

    child_fields: ClassVar[tuple[str, ...]] = ("name", "value")

    name: Key
    value: Value
    span: Span


@attrs.frozen(eq=False, repr=False)
class Zip(Node):
    """`zip { k: [...], ... }`: lists paired position by position, one axis."""

    child_fields: ClassVar[tuple[str, ...]] = ("entries",)

    entries: tuple[Entry, ...]
    span: Span


@attrs.frozen(eq=False, repr=False)
class Variants(Node):
    """`variants [ {...} ... ]`: one axis of alternatives merged in place."""

    child_fields: ClassVar[tuple[str, ...]] = ("alternatives",)

    alternatives: tuple[ObjectValue, ...]
    span: Span


@attrs.frozen(eq=False, repr=False)
class Path(Node):
    """`a.b.c` in a `where` expression: a key path into each config."""

    child_fields: ClassVar[tuple[str, ...]] = ()

    parts: tuple[str, ...]
    span: Span


@attrs.frozen(eq=False, repr=False)
class Literal(Node):
    """A constant in a `where` expression."""

    child_fields: ClassVar[tuple[str, ...]] = ("value",)

    value: Str | Number | Bool | Null
    span: Span


@attrs.frozen(eq=False, repr=False)
class Compare(Node):
    """`left OP right` with OP one of == != < <= > >=."""

    child_fields: ClassVar[tuple[str, ...]] = ("left", "right")

    op: str
    left: Expr
    right: Expr
    span: Span


@attrs.frozen(eq=False, repr=False)
class Contains(Node):
    """`operand in [..]` (or `not in`)."""

    child_fields: ClassVar[tuple[str, ...]] = ("operand", "options")

    operand: Expr
    options: Expr  # a list, or a name of one
    negated: bool
    span: Span


@attrs.frozen(eq=False, repr=False)
class Not(Node):
    """`not operand`."""

    child_fields: ClassVar[tuple[str, ...]] = ("operand",)

    operand: Expr
    span: Span


@attrs.frozen(eq=False, repr=False)
class BoolOp(Node):
    """`a and b and ...` or `a or b or ...`."""

    child_fields: ClassVar[tuple[str, ...]] = ("operands",)

    op: str
    operands: tuple[Expr, ...]
    span: Span


@attrs.frozen(eq=False, repr=False)
class Binary(Node):
    """`left OP right` with OP one of + - * / // % **."""

    child_fields: ClassVar[tuple[str, ...]] = ("left", "right")

    op: str
    left: Expr
    right: Expr
    span: Span


@attrs.frozen(eq=False, repr=False)
class Negative(Node):
    """`-operand`."""

    child_fields: ClassVar[tuple[str, ...]] = ("operand",)

    operand: Expr
    span: Span


@attrs.frozen(eq=False, repr=False)
class IfElse(Node):
    """`if test then a else b`."""

    child_fields: ClassVar[tuple[str, ...]] = ("test", "then", "otherwise")

    test: Expr
    then: Expr
    otherwise: Expr
    span: Span


@attrs.frozen(eq=False, repr=False)
class Call(Node):
    """`min(a, b)`, `round(x, 2)`, ...: one of the functions of expressions
    (`FUNCTIONS`); the builder checks the name, `lower` the arguments."""

    child_fields: ClassVar[tuple[str, ...]] = ("args",)

    name: str
    name_span: Span
    args: tuple[Expr, ...]
    span: Span


@attrs.frozen(eq=False, repr=False)
class Interpolated(Node):
    """A string holding `${path}`s: its literal pieces and the paths between
    them, in order (`$${` is a literal `${`, already decoded)."""

    child_fields: ClassVar[tuple[str, ...]] = ("paths",)

    pieces: tuple[str, ...]  # one more than `paths`: text before, between and after them
    paths: tuple[Path, ...]
    span: Span
    long: bool = False


Expr = Union[Path, Literal, Compare, Contains, Not, BoolOp, Binary, Negative, IfElse, Call, Interpolated, Ref,
             ListValue]


@attrs.frozen(eq=False, repr=False)
class Derived(Node):
    """A value computed for each config from others: an expression that
    uses `${path}`s, operators or functions, or an interpolated string."""

    child_fields: ClassVar[tuple[str, ...]] = ("expr",)

    expr: Expr
    span: Span


@attrs.frozen(eq=False, repr=False)
class Where(Node):
    """`where EXPR`: keep only the configs for which EXPR holds."""

    child_fields: ClassVar[tuple[str, ...]] = ("expr",)

    expr: Expr
    span: Span


@attrs.frozen(eq=False, repr=False)
class Extends(Node):
    """`extends "base.mint"`: start the document from that file"s document."""

    child_fields: ClassVar[tuple[str, ...]] = ("path",)

    path: Str
    span: Span


@attrs.frozen(eq=False, repr=False)
class Import(Node):
    """`import "prompts.mint" as prompts`: that file's `let` names, used as
    `prompts.name`."""

    child_fields: ClassVar[tuple[str, ...]] = ("path", "name")

    path: Str
    name: Key
    span: Span


@attrs.frozen(eq=False, repr=False)
class TypeName(Node):
    """`string`, `int in 1..10`, ...: a named type with optional bounds."""

    child_fields: ClassVar[tuple[str, ...]] = ("low", "high")

    name: str
    low: Number | Ref | None
    high: Number | Ref | None
    exclusive: bool
    span: Span


@attrs.frozen(eq=False, repr=False)
class TypeLiteral(Node):
    """A literal alternative such as `"openai"` in `"openai" | "anthropic"`."""

    child_fields: ClassVar[tuple[str, ...]] = ("value",)

    value: Str | Number | Bool | Null
    span: Span


@attrs.frozen(eq=False, repr=False)
class TypeObject(Node):
    """`{ key: type, ... }`: the schema of a nested object."""

    child_fields: ClassVar[tuple[str, ...]] = ("fields",)

    fields: tuple[Field, ...]
    span: Span


TypeAlt = Union[TypeName, TypeLiteral, TypeObject]


@attrs.frozen(eq=False, repr=False)
class Field(Node):
    """`key: type | type` (or `key?:` for an optional key) in a schema."""

    child_fields: ClassVar[tuple[str, ...]] = ("key", "types")

    key: Key
    optional: bool
    types: tuple[TypeAlt, ...]
    span: Span


@attrs.frozen(eq=False, repr=False)
class Schema(Node):
    """`schema { ... }`: every value any config can take is checked."""

    child_fields: ClassVar[tuple[str, ...]] = ("fields",)

    fields: tuple[Field, ...]
    span: Span


Value = Union[Str, Number, Bool, Null, ListValue, ObjectValue, Ref, ListSweep, RangeSweep, Distribution, Derived, Delete]
Item = Union[Entry, Zip, Variants]
DocItem = Union[Entry, Zip, Variants, Let, Where, Extends, Schema, SampleItem, Import]

# The same unions as class tuples, for isinstance checks.
VALUES = (Str, Number, Bool, Null, ListValue, ObjectValue, Ref, ListSweep, RangeSweep, Distribution, Derived, Delete)
ITEMS = (Entry, Zip, Variants)
DOC_ITEMS = (Entry, Zip, Variants, Let, Where, Extends, Schema, SampleItem, Import)
EXPRS = (Path, Literal, Compare, Contains, Not, BoolOp, Binary, Negative, IfElse, Call, Interpolated, Ref, ListValue)

FUNCTIONS: dict[str, tuple[int, int]] = {
    "min": (1, 1_000), "max": (1, 1_000), "round": (1, 2), "int": (1, 1), "float": (1, 1), "str": (1, 1), "len": (1, 1),
}
"""The functions of expressions, with the least and most arguments each takes."""
TYPE_ALTS = (TypeName, TypeLiteral, TypeObject)


@attrs.frozen(eq=False, repr=False)
class Document(Node):
    """One entry of spearmint"s `configs` list."""

    child_fields: ClassVar[tuple[str, ...]] = ("items",)

    items: tuple[DocItem, ...]
    span: Span


@attrs.frozen(eq=False, repr=False)
class File(Node):
    """A parsed `.mint` file: its documents in order."""

    child_fields: ClassVar[tuple[str, ...]] = ("documents",)

    documents: tuple[Document, ...]
    source: Source


_N = TypeVar("_N", bound=Node)


def opens_dotted(entry: Entry) -> bool:
    """Whether an entry is the head of a dotted key (`optimizer` of
    `optimizer.lr: 0.1`), whose one-entry object the builder made."""
    value = entry.value
    return entry.dotted and isinstance(value, ObjectValue) and len(value.items) == 1 \
        and isinstance(value.items[0], Entry) and value.items[0].dotted


def merge_dotted(items: tuple[_N, ...]) -> tuple[_N, ...]:
    """An object's items with the entries of a key merged as lowering merges
    them (one of them a dotted key, both objects), at every depth: what a
    check that reads the AST object by object (the schema's) must see."""
    out: list[_N] = []
    at: dict[str, int] = {}
    for item in items:
        if isinstance(item, Entry):
            i = at.get(item.key.name)
            prior = out[i] if i is not None else None
            if i is not None and isinstance(prior, Entry) and isinstance(prior.value, ObjectValue) and isinstance(item.value, ObjectValue) \
                    and (opens_dotted(prior) or opens_dotted(item)):
                inner = ObjectValue(merge_dotted(prior.value.items + item.value.items), prior.value.span)
                out[i] = cast(_N, Entry(prior.key, inner, prior.span, dotted=prior.dotted))
                continue
            at.setdefault(item.key.name, len(out))
        out.append(item)
    return tuple(out)
