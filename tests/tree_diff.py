"""`differences(expected, got)`: how two Lark parse trees differ, fully.

Used by tests/test_descent.py to compare the hand-written parser
(`spearmint_lang.descent`) with Lark, and importable from anywhere in the
test suite (`from tests.tree_diff import differences`).

Two trees are the same when, node by node in order:

* a tree is a tree and a token a token;
* trees have the same `data` and the same meta: `empty`, and when not empty
  `line`, `column`, `start_pos`, `end_line`, `end_column` and `end_pos`
  (the `container_*` fields are not compared);
* tokens have the same `type`, value and positions (`start_pos`, `line`,
  `column`, `end_line`, `end_column`, `end_pos`);
* trees have as many children.

The walk is iterative (a chain of 10,000 binary operations is as deep), in
the order of the text, and stops after `limit` differences: the first ones
are the ones to read.
"""

from __future__ import annotations

from lark import ParseTree, Token, Tree

META_FIELDS = ("line", "column", "start_pos", "end_line", "end_column", "end_pos")
TOKEN_FIELDS = ("start_pos", "line", "column", "end_line", "end_column", "end_pos")
_MISSING = "<missing>"

Node = ParseTree | Token


def differences(expected: ParseTree, got: ParseTree | None, limit: int = 5) -> list[str]:
    """How `got` differs from `expected` (empty when they are the same): at
    most `limit` lines, each the path to a node and both values."""
    if got is None:
        return ["the whole tree: got None (the fast path declined)"]
    out: list[str] = []
    stack: list[tuple[str, Node, Node]] = [(_label(expected), expected, got)]
    while stack and len(out) < limit:
        path, want, have = stack.pop()
        out += _node_differences(path, want, have)
        if isinstance(want, Tree) and isinstance(have, Tree):
            pairs = list(zip(want.children, have.children))
            for i in reversed(range(len(pairs))):
                child = pairs[i][0]
                stack.append((f"{path} > [{i}]{_label(child)}", child, pairs[i][1]))
    return out[:limit]


def _node_differences(path: str, want: Node, have: Node) -> list[str]:
    """The differences of two nodes themselves (not of their children's own)."""
    if isinstance(want, Tree) != isinstance(have, Tree) or not isinstance(have, (Tree, Token)):
        return [f"{path}: expected {show(want)}, got {show(have)}"]
    if isinstance(want, Token):
        assert isinstance(have, Token)
        return _token_differences(path, want, have)
    assert isinstance(have, Tree)
    out: list[str] = []
    if str(want.data) != str(have.data):
        out.append(f"{path}: data: expected {want.data!r}, got {have.data!r}")
    out += _meta_differences(path, want, have)
    if len(want.children) != len(have.children):
        out.append(f"{path}: {len(want.children)} children expected, got {len(have.children)}: expected "
                   f"[{', '.join(show(c) for c in want.children)}], got [{', '.join(show(c) for c in have.children)}]")
    return out


def _token_differences(path: str, want: Token, have: Token) -> list[str]:
    """A token's type, value and positions."""
    out: list[str] = []
    if want.type != have.type or str(want) != str(have):
        out.append(f"{path}: expected token {want.type} {str(want)!r}, got {have.type} {str(have)!r}")
    moved = [f"{name} {getattr(want, name, _MISSING)} != {getattr(have, name, _MISSING)}"
             for name in TOKEN_FIELDS if getattr(want, name, _MISSING) != getattr(have, name, _MISSING)]
    if moved:
        out.append(f"{path}: token {want.type} {str(want)!r} positions (expected != got): {', '.join(moved)}")
    return out


def _meta_differences(path: str, want: ParseTree, have: ParseTree) -> list[str]:
    """A tree's meta: `empty`, and its positions when not empty."""
    empty = getattr(want.meta, "empty", _MISSING), getattr(have.meta, "empty", _MISSING)
    if empty[0] != empty[1]:
        return [f"{path}: meta.empty: expected {empty[0]}, got {empty[1]} (got meta {_meta(have)})"]
    if empty[0] is True:
        return []
    moved = [f"{name} {getattr(want.meta, name, _MISSING)} != {getattr(have.meta, name, _MISSING)}"
             for name in META_FIELDS if getattr(want.meta, name, _MISSING) != getattr(have.meta, name, _MISSING)]
    return [f"{path}: meta (expected != got): {', '.join(moved)}"] if moved else []


def _meta(tree: ParseTree) -> str:
    """A meta's compared fields, for a message."""
    return ", ".join(f"{name}={getattr(tree.meta, name, _MISSING)}" for name in ("empty", *META_FIELDS))


def _label(node: object) -> str:
    """A node's name in a path: a tree's data, a token's type."""
    if isinstance(node, Token):
        return node.type
    if isinstance(node, Tree):
        return str(node.data)
    return type(node).__name__


def show(node: object) -> str:
    """A node, short, for a message: `TYPE 'value' @line:col` or
    `data(n children) @line:col`."""
    if isinstance(node, Token):
        return f"{node.type} {str(node)!r} @{node.line}:{node.column}"
    if isinstance(node, Tree):
        where = "" if getattr(node.meta, "empty", True) else f" @{node.meta.line}:{node.meta.column}"
        return f"{node.data}({len(node.children)} children){where}"
    return repr(node)
