"""`mintc fmt`: print a `.mint` file in its canonical layout.

The formatter works on the *concrete* syntax tree the compiler's front end
builds (`compile_unit(..., lower=False)`): every token the user wrote --
brackets, parentheses, commas and the `_NL` separator runs that hold the
comments and blank lines -- is in the tree at its place. Values are printed
from their tokens' text, never re-spelled, so a file means exactly what it
meant before (docs/formatting.md gives the rules).

Comments can only stand in the separators of a container (a document, a
list, an object or a schema body): the grammar allows a line break nowhere
else. Each container's separators are read into *slots*: the comments and
blank lines before each element, the comment that trails it on its line,
the comment on the line of the opening bracket and the comments before the
closing one. Printing puts them back around the elements in the same order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Union

import attrs
from lark import ParseTree, Token, Tree

from .codes import Code
from .compiler import Unit, compile_unit
from .grammar import keywords
from .errors import MintError
from .source import Source, normalise

__all__ = ["INDENT", "WIDTH", "format_source", "format_unit"]

WIDTH = 88
"""A list or object is kept on one line only if it fits within this many columns."""

INDENT = 2
"""Spaces per nesting level."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_CONTAINERS = {"list": ("[", "]"), "object": ("{", "}"), "schema_body": ("{", "}"), "dist_args": ("(", ")")}
# Token kinds are the terminal's name, except punctuation, which goes by its text.
_PUNCT = {":", "(", ")", ".", "=", "|", "[", "]", "{", "}", ","}
# Blanks the lexer skips (`%ignore /[ \t\f]+/`); `\r` only ever ends a comment.
_BLANKS = " \t\f"


@attrs.frozen
class _Tok:
    """One printed token: its kind (for spacing) and its exact text."""

    kind: str
    text: str


_Piece = Union[_Tok, ParseTree]
# A comment's text, or None for a blank line.
_Note = Union[str, None]


@attrs.define
class _Slot:
    """One element of a container with the notes around it."""

    node: ParseTree
    before: list[_Note]
    trailing: str | None = None


@attrs.define
class _Block:
    """A container's elements and notes, read from its separators."""

    open_comment: str | None
    slots: list[_Slot]
    after: list[_Note]
    broken_by_user: bool

    @property
    def must_break(self) -> bool:
        """Whether the container cannot be printed on one line."""
        return (
            self.broken_by_user
            or self.open_comment is not None
            or bool(self.after)
            or any(slot.before or slot.trailing is not None for slot in self.slots)
        )


def format_source(text: str, path: str = "<string>") -> str:
    """Return `text` in the canonical `.mint` layout.

    Raises `MintError` (located, the parser's own diagnostics) when the text
    does not parse, or holds an empty element such as `[1,,2]` (E014: the
    canonical layout has no way to write it). Errors found only after
    parsing (an undefined name, a bad escape, a schema mismatch...) do not
    stop the formatter: it prints what is written, and the file keeps the
    same errors.
    """
    return format_unit(compile_unit(Source(path, normalise(text)), lower=False))


def format_unit(unit: Unit) -> str:
    """The canonical layout of a compiled text (see `format_source`)."""
    if not unit.parses:
        raise MintError(unit.syntax)
    empty = [d for d in unit.diagnostics if d.code == Code.E014.name]
    if empty:
        raise MintError(empty)
    assert unit.tree is not None
    out = _Printer().file(unit.tree)
    if _word_as_value(unit.tree) and not compile_unit(Source(unit.source.path, out), lower=False).parses:
        # A word of the language used as a value (`[where, 1]`, an unknown
        # name anyway) parses only where the lexer does not expect that word;
        # the new layout may put it there. Such a text is left as it is.
        return unit.source.text
    return out


def _word_as_value(tree: ParseTree) -> bool:
    """Whether a value is written as a word of the language (`where`)."""
    words = set(keywords().values())
    return any(node.data == "ref" and _ref_text(node) in words for node in tree.iter_subtrees())


def _ref_text(node: ParseTree) -> str:
    """A name's text (`name`, or `file.name`: a `dotted` tree)."""
    child = node.children[0]
    return "".join(str(t) for t in child.children) if isinstance(child, Tree) else str(child)


def _kind(tok: Token) -> str:
    text = str(tok)
    return text if text in _PUNCT else tok.type


def _space(left: str, right: str) -> bool:
    """Whether one space separates two adjacent tokens on a line."""
    if left == "OP" or right == "OP":  # `a * b`, `2 ** n`
        return True
    if left == "NEG":  # `-x`, `-(a + b)`; but `- 1` (`-1` would be another token, a number)
        return right in ("INT", "FLOAT")
    if right in (":", ")", ".", "QMARK", "DOTDOT", "}"):  # (`}` here closes a `${a.b}`)
        return False
    if right == "(":  # a distribution's arguments: `uniform(0, 1)`; `not (a)` in a `where`
        return left != "NAME"
    if left in ("(", ".", "DOTDOT", "STAR", "DOLLAR_BRACE"):
        return False
    if right == "STAR":  # `[..]*` and `name*`, but `step *k`
        return left == "STEP"
    return True


def _key_text(tok: Token) -> str:
    """A key bare when it is an identifier, else as written.

    Every identifier is a valid bare key and names the same string (the
    words of the language included: `step: 1` is an entry), so a quoted
    key is unquoted exactly when its decoded text is an identifier.
    """
    text = str(tok)
    if tok.type != "STRING":
        return text
    try:
        name = json.loads(text, strict=False)
    except ValueError:  # an escape the compiler reports; keep it as written
        return text
    if isinstance(name, str) and _IDENTIFIER.fullmatch(name):
        return name
    return text


def _tidy(notes: list[_Note], *, first: bool, last: bool) -> list[_Note]:
    """Collapse runs of blank lines; drop them at a container's edges."""
    out: list[_Note] = []
    for note in notes:
        if note is None and ((first and not out) or (out and out[-1] is None)):
            continue
        out.append(note)
    while last and out and out[-1] is None:
        out.pop()
    return out


def _join(lines: list[str], more: list[str]) -> None:
    """Continue the last line of `lines` with `more` (first line relative)."""
    lines[-1] += more[0]
    lines.extend(more[1:])


class _Printer:
    """One formatting run (caches are keyed by node identity)."""

    def __init__(self) -> None:
        self._blocks: dict[int, _Block] = {}
        self._flats: dict[int, str | None] = {}

    # file and blocks -----------------------------------------------------
    def file(self, tree: ParseTree) -> str:
        """Documents separated by `---`; exactly one final newline."""
        lines: list[str] = []
        for child in tree.children:
            if isinstance(child, Tree):
                lines.extend(self.body(self.block(child), 0))
            else:  # DOCSEP
                lines.append("---")
        return "\n".join(lines) + "\n" if lines else ""

    def block(self, tree: ParseTree) -> _Block:
        """Read a container's separators into slots (cached)."""
        cached = self._blocks.get(id(tree))
        if cached is not None:
            return cached
        children = tree.children
        open_line: int | None = None
        if tree.data != "document":
            opener = children[0]
            assert isinstance(opener, Token)
            open_line = opener.line
            children = children[1:-1]
        last_line = open_line
        notes: list[_Note] = []
        slots: list[_Slot] = []
        open_comment: str | None = None
        for child in children:
            if isinstance(child, Tree):
                slots.append(_Slot(child, _tidy(notes, first=not slots, last=False)))
                notes = []
                last_line = child.meta.end_line
                continue
            if child.type != "_NL":  # a comma
                continue
            segments = str(child).split("\n")
            for i, segment in enumerate(segments):
                text = segment.lstrip(_BLANKS)
                if text.startswith("#"):
                    comment = text.rstrip(_BLANKS + "\r")
                    if (child.line or 0) + i == last_line:
                        if slots:
                            slots[-1].trailing = comment
                        else:
                            open_comment = comment
                    else:
                        notes.append(comment)
                elif not text and 0 < i < len(segments) - 1:
                    notes.append(None)
        after = _tidy(notes, first=not slots, last=True)
        broken = bool(slots) and open_line is not None and slots[0].node.meta.line != open_line
        block = _Block(open_comment, slots, after, broken)
        self._blocks[id(tree)] = block
        return block

    def body(self, block: _Block, indent: int) -> list[str]:
        """A block's elements one per line at `indent`, with their notes."""
        pad = " " * indent
        out: list[str] = []
        for slot in block.slots:
            out.extend(pad + note if note is not None else "" for note in slot.before)
            lines = self.render(slot.node, indent, indent, 0)
            lines[0] = pad + lines[0]
            if slot.trailing is not None:
                lines[-1] += "  " + slot.trailing
            out.extend(lines)
        out.extend(pad + note if note is not None else "" for note in block.after)
        return out

    # rendering -----------------------------------------------------------
    def render(self, node: ParseTree, indent: int, col: int, tail: int) -> list[str]:
        """Lines of `node` starting at column `col` of a line indented by
        `indent`, with `tail` columns of text to follow it on its last line.

        The first line is relative (it continues the current line); the
        others are complete lines.
        """
        if node.data in _CONTAINERS:
            return self.container(node, indent, col, tail)
        return self.inline(node, indent, col, tail)

    def container(self, node: ParseTree, indent: int, col: int, tail: int) -> list[str]:
        """On one line if it may and fits (or is empty), else one element per line."""
        flat = self.flat(node)
        block = self.block(node)
        if flat is not None and (col + len(flat) + tail <= WIDTH or not block.slots):
            return [flat]
        opener, closer = _CONTAINERS[node.data]
        first = opener if block.open_comment is None else f"{opener}  {block.open_comment}"
        return [first, *self.body(block, indent + INDENT), " " * indent + closer]

    def inline(self, node: ParseTree, indent: int, col: int, tail: int) -> list[str]:
        """Anything but a container: its tokens with canonical spacing."""
        pieces = list(_pieces(node))
        lines = [""]
        prev: str | None = None
        for i, piece in enumerate(pieces):
            first, last = _ends(piece)
            if prev is not None and _space(prev, first):
                lines[-1] += " "
            if isinstance(piece, _Tok):
                _join(lines, piece.text.split("\n"))
            else:
                at = (col if len(lines) == 1 else 0) + len(lines[-1])
                _join(lines, self.container(piece, indent, at, tail + self.rest(pieces, i)))
            prev = last
        return lines

    # one-line forms --------------------------------------------------------
    def rest(self, pieces: list[_Piece], i: int) -> int:
        """The width of what follows piece `i` on its line (pieces that
        cannot be on one line count 0: they are printed broken)."""
        total = 0
        prev = _ends(pieces[i])[1]
        for piece in pieces[i + 1 :]:
            first, last = _ends(piece)
            total += int(_space(prev, first)) + (self.width(piece) or 0)
            prev = last
        return total

    def width(self, piece: _Piece) -> int | None:
        """The width of a piece on one line, or None if it cannot be."""
        if isinstance(piece, _Tok):
            return None if "\n" in piece.text else len(piece.text)
        flat = self.flat(piece)
        return None if flat is None else len(flat)

    def flat(self, node: ParseTree) -> str | None:
        """`node` on one line, or None when it must span lines (cached)."""
        key = id(node)
        if key in self._flats:
            return self._flats[key]
        result = self._flat(node)
        self._flats[key] = result
        return result

    def _flat(self, node: ParseTree) -> str | None:
        if node.data in _CONTAINERS:
            block = self.block(node)
            if block.must_break:
                return None
            items = [self.flat(slot.node) for slot in block.slots]
            if any(item is None for item in items):
                return None
            inner = ", ".join(item for item in items if item is not None)
            if node.data == "list":
                return f"[{inner}]"
            if node.data == "dist_args":
                return f"({inner})"
            return f"{{ {inner} }}" if inner else "{}"
        parts: list[str] = []
        prev: str | None = None
        for piece in _pieces(node):
            text = piece.text if isinstance(piece, _Tok) else self.flat(piece)
            if text is None or "\n" in text:
                return None
            first, last = _ends(piece)
            if prev is not None and _space(prev, first):
                parts.append(" ")
            parts.append(text)
            prev = last
        return "".join(parts)


def _ends(piece: _Piece) -> tuple[str, str]:
    """The kinds of a piece's first and last tokens."""
    if isinstance(piece, _Tok):
        return piece.kind, piece.kind
    opener, closer = _CONTAINERS[piece.data]
    return opener, closer


def _pieces(node: ParseTree) -> Iterator[_Piece]:
    """The tokens of a non-container node in order, with nested containers
    kept whole (iterative: expressions may nest deeply). An operator of
    arithmetic is of kind `OP`, a unary minus `NEG` (for spacing)."""
    stack: list[ParseTree | Token | _Tok] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, _Tok):
            yield item
        elif isinstance(item, Token):
            text = str(item)
            if item.type == "LONG_STRING":
                # Verbatim, but a CR LF inside (from `\r\r\n` in the file) must
                # survive the CR LF -> LF of the next read: write it as it came.
                text = text.replace("\r\n", "\r\r\n")
            yield _Tok(_kind(item), text)
        elif item is not node and item.data in _CONTAINERS:
            yield item
        elif item.data == "key":
            word = item.children[0]
            assert isinstance(word, Token)
            yield _Tok("NAME", _key_text(word))
        elif item.data in ("binary", "negative"):
            kids: list[ParseTree | Token | _Tok] = list(item.children)
            at = 1 if item.data == "binary" else 0
            kids[at] = _Tok("OP" if item.data == "binary" else "NEG", str(kids[at]))
            stack.extend(reversed(kids))
        else:
            stack.extend(reversed(item.children))
