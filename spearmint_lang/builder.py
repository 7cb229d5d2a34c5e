"""Lark parse tree to AST: decode literals and keep every span.

Literal mistakes the grammar cannot see (bad escapes, leading zeros, floats
that overflow, empty list elements) are reported here, all of them in one run.
"""

from __future__ import annotations

import math
import re
from typing import Any

from lark import Token, Tree

from . import nodes as n
from .errors import Collector
from .source import Source, Span

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_MAX_INT_DIGITS = 4000


def _tok(node: Any) -> Token:
    """The token child of a rule that has exactly one (the grammar guarantees it)."""
    assert isinstance(node, Token), node
    return node


class Builder:
    """Builds the AST of one source, recording literal errors in `errors`."""

    def __init__(self, source: Source, errors: Collector) -> None:
        self.source = source
        self.errors = errors

    # spans -------------------------------------------------------------
    def tok_span(self, tok: Token) -> Span:
        """The span a token covers."""
        return Span(self.source, tok.line or 1, tok.column or 1, tok.end_line or 1, tok.end_column or 1)

    def tree_span(self, tree: Tree[Any]) -> Span:
        """The span a subtree covers (an empty document gets 1:1)."""
        meta = tree.meta
        if getattr(meta, "empty", True):
            return Span(self.source, 1, 1, 1, 1)
        return Span(self.source, meta.line, meta.column, meta.end_line, meta.end_column)

    # structure ---------------------------------------------------------
    def file(self, tree: Tree[Any]) -> n.File:
        """Documents in order; `---` tokens are dropped."""
        docs = tuple(self.document(c) for c in tree.children if isinstance(c, Tree))
        return n.File(docs, self.source)

    def document(self, tree: Tree[Any]) -> n.Document:
        """A document's items: entries, `let`, `where`, `zip`, `variants`."""
        items = tuple(self.item(c) for c in self._elements(tree.children))
        return n.Document(items, self.tree_span(tree))

    def item(self, tree: Tree[Any]) -> Any:
        """One item of a document or object."""
        kind = tree.data
        span = self.tree_span(tree)
        if kind == "entry":
            return self.entry(tree)
        if kind == "let":
            name_tok = _tok(tree.children[1])
            return n.Let(n.Key(str(name_tok), self.tok_span(name_tok)), self.value(tree.children[2]), span)
        if kind == "zip":
            obj = self.value(tree.children[1])
            assert isinstance(obj, n.ObjectValue)
            entries = []
            for it in obj.items:
                if isinstance(it, n.Entry):
                    entries.append(it)
                else:
                    self.errors.error("E061", "a `zip` block holds only `key: [values]` entries", it.span,
                                      hint="move the nested block out of the `zip`")
            return n.Zip(tuple(entries), span)
        if kind == "variants":
            lst = self.value(tree.children[1])
            assert isinstance(lst, n.ListValue)
            alts = []
            for alt in lst.items:
                if isinstance(alt, n.ObjectValue):
                    alts.append(alt)
                else:
                    self.errors.error("E062", "each alternative of `variants` must be an object `{ ... }`", alt.span,
                                      hint="write the alternative as `{ key: value }`")
            if not lst.items:
                self.errors.error("E062", "`variants` needs at least one alternative", lst.span)
            return n.Variants(tuple(alts), span)
        if kind == "where":
            return n.Where(self.expr(tree.children[1]), span)
        if kind == "extends":
            target = self.value(tree.children[1])
            assert isinstance(target, n.Str)
            return n.Extends(target, span)
        if kind == "schema":
            return n.Schema(self.fields(tree.children[1]), span)
        raise TypeError(f"unknown item {kind}")  # pragma: no cover

    def fields(self, body: Tree[Any]) -> tuple[n.Field, ...]:
        """The fields of a `schema { ... }` body."""
        out = []
        for tree in self._elements(body.children):
            key_tok = _tok(tree.children[0].children[0])
            name = self.string(key_tok) if key_tok.type == "STRING" else str(key_tok)
            optional = any(isinstance(c, Token) and c.type == "QMARK" for c in tree.children)
            alts = tuple(self.type_alt(c) for c in tree.children[1:] if isinstance(c, Tree))
            out.append(n.Field(n.Key(name, self.tok_span(key_tok)), optional, alts, self.tree_span(tree)))
        return tuple(out)

    def type_alt(self, tree: Tree[Any]) -> n.TypeAlt:
        """One alternative of a schema type."""
        span = self.tree_span(tree)
        if tree.data == "type_object":
            return n.TypeObject(self.fields(tree.children[0]), span)
        if tree.data == "type_literal":
            child = tree.children[0]
            if isinstance(child, Tree):
                lit = self.value(child)
            else:
                tok = _tok(child)
                if tok.type in {"INT", "FLOAT"}:
                    lit = self.number(tok)
                elif tok.type == "NULL":
                    lit = n.Null(span)
                else:
                    lit = n.Bool(tok.type == "TRUE", span)
            assert isinstance(lit, (n.Str, n.Number, n.Bool, n.Null))
            return n.TypeLiteral(lit, span)
        name = _tok(tree.children[0])
        bounds = [c for c in tree.children if isinstance(c, Tree)]
        dots = [c for c in tree.children if isinstance(c, Token) and c.type == "DOTDOT"]
        low = self.bound(bounds[0]) if bounds else None
        high = self.bound(bounds[1]) if bounds else None
        return n.TypeName(str(name), low, high, bool(dots) and str(dots[0]) == "..<", span)

    def expr(self, node: Any) -> Any:
        """A `where` expression."""
        if isinstance(node, Token):  # pragma: no cover - every operand is a rule
            raise TypeError(f"unexpected token {node!r}")
        kind = node.data
        span = self.tree_span(node)
        kids = [c for c in node.children if not (isinstance(c, Token) and c.type in {"NOT", "AND", "OR", "IN"})]
        if kind == "path":
            return n.Path(tuple(str(t) for t in node.children), span)
        if kind in {"string", "int", "float", "true", "false", "null"}:
            literal = self.value(node)
            assert isinstance(literal, (n.Str, n.Number, n.Bool, n.Null))
            return n.Literal(literal, span)
        if kind == "compare":
            return n.Compare(str(node.children[1]), self.expr(node.children[0]), self.expr(node.children[2]), span)
        if kind in {"contains", "not_contains"}:
            options = self.value(kids[1])
            assert isinstance(options, n.ListValue)
            return n.Contains(self.expr(kids[0]), options, kind == "not_contains", span)
        if kind == "negation":
            return n.Not(self.expr(kids[0]), span)
        if kind in {"and_test", "or_test"}:
            return n.BoolOp(kind[:-5] if kind == "and_test" else "or", tuple(self.expr(k) for k in kids), span)
        raise TypeError(f"unknown expression {kind}")  # pragma: no cover

    def _elements(self, children: list[Any]) -> list[Tree[Any]]:
        """The element subtrees of a document, list or object.

        Separators arrive as COMMA tokens (newlines are dropped by the
        grammar); two commas with nothing between them leave an empty element.
        """
        out: list[Tree[Any]] = []
        comma_ok = False
        for child in children:
            if isinstance(child, Token):
                if child.type != "COMMA":
                    continue
                if not comma_ok:
                    self.errors.error(
                        "E014",
                        "empty element before `,`",
                        self.tok_span(child),
                        hint="remove the extra comma",
                    )
                comma_ok = False
            else:
                out.append(child)
                comma_ok = True
        return out

    def entry(self, tree: Tree[Any]) -> n.Entry:
        """`key: value`."""
        key_tree, value_tree = tree.children
        tok = _tok(key_tree.children[0])
        name = self.string(tok) if tok.type == "STRING" else str(tok)
        key = n.Key(name, self.tok_span(tok))
        return n.Entry(key, self.value(value_tree), self.tree_span(tree))

    def value(self, node: Tree[Any] | Token) -> n.Value:
        """Any value form."""
        if isinstance(node, Token):  # pragma: no cover - every value is a rule
            raise TypeError(f"unexpected token {node!r}")
        kind = node.data
        span = self.tree_span(node)
        if kind == "string":
            tok = _tok(node.children[0])
            if tok.type == "LONG_STRING":
                return n.Str(str(tok)[3:-3], span, long=True)
            return n.Str(self.string(tok), span)
        if kind in ("int", "float"):
            return self.number(_tok(node.children[0]))
        if kind == "true":
            return n.Bool(True, span)
        if kind == "false":
            return n.Bool(False, span)
        if kind == "null":
            return n.Null(span)
        if kind == "ref":
            return n.Ref(str(node.children[0]), span)
        if kind == "list":
            return self.list_value(node)
        if kind == "object":
            items = tuple(self.item(c) for c in self._elements(node.children))
            return n.ObjectValue(items, span)
        if kind == "sweep":
            return self.sweep(node)
        if kind == "range":
            return self.range(node)
        raise TypeError(f"unknown value rule {kind}")  # pragma: no cover

    def list_value(self, tree: Tree[Any]) -> n.ListValue:
        """A static list."""
        items = tuple(self.value(c) for c in self._elements(tree.children))
        return n.ListValue(items, self.tree_span(tree))

    def sweep(self, tree: Tree[Any]) -> n.Value:
        """`atom *`: only a list (or a name of one) can be swept."""
        target = self.value(tree.children[0])
        span = self.tree_span(tree)
        if isinstance(target, (n.ListValue, n.Ref)):
            return n.ListSweep(target, span)
        star = self.tok_span(_tok(tree.children[1]))
        self.errors.error(
            "E021",
            "`*` sweeps a list, but it follows " + _describe(target),
            star,
            hint="write the values as a list: `[a, b, c]*`",
        )
        return target

    def range(self, tree: Tree[Any]) -> n.RangeSweep:
        """`start..end`, `start..<end`, then `step s`, `step *k` or `count n`."""
        bounds = [c for c in tree.children if isinstance(c, Tree)]
        words = {c.type: c for c in tree.children if isinstance(c, Token)}
        start, end = (self.bound(b) for b in bounds[:2])
        third = self.bound(bounds[2]) if len(bounds) > 2 else None
        exclusive = str(words["DOTDOT"]) == "..<"
        if "COUNT" in words:
            return n.RangeSweep(start, end, None, self.tree_span(tree), exclusive, False, third)
        return n.RangeSweep(start, end, third, self.tree_span(tree), exclusive, "STAR" in words)

    def bound(self, tree: Tree[Any]) -> n.Number | n.Ref:
        """A range bound: a number or a name."""
        tok = _tok(tree.children[0])
        if tree.data == "ref":
            return n.Ref(str(tok), self.tok_span(tok))
        return self.number(tok)

    # literals ----------------------------------------------------------
    def number(self, tok: Token) -> n.Number:
        """An int or float literal, checked for what JSON can carry."""
        text = str(tok)
        span = self.tok_span(tok)
        if tok.type == "INT":
            digits = text.lstrip("-")
            if len(digits) > 1 and digits[0] == "0":
                self.errors.error(
                    "E012", f"malformed number `{text}`: leading zeros are not allowed", span,
                    hint=f"write `{int(text)}`" if len(digits) <= _MAX_INT_DIGITS else None,
                )
                return n.Number(text, 0, span)
            if len(digits) > _MAX_INT_DIGITS:
                self.errors.error("E013", f"integer has {len(digits)} digits; at most {_MAX_INT_DIGITS} are allowed", span)
                return n.Number("0", 0, span)
            return n.Number(text, int(text), span)
        # Later stages compute with the literal's text: after an error they
        # get a harmless stand-in, never a giant exponent or digit string.
        shown = text if len(text) <= 40 else text[:37] + "..."
        if len(text) > _MAX_INT_DIGITS:
            self.errors.error("E013", f"number has {len(text)} characters; at most {_MAX_INT_DIGITS} are allowed", span)
            return n.Number("0.0", 0.0, span)
        value = float(text)
        mantissa = text.lower().split("e")[0]
        if math.isinf(value):
            self.errors.error("E013", f"`{shown}` is too large for a 64-bit float", span)
            return n.Number("0.0", 0.0, span)
        if value == 0.0 and mantissa.strip("-0.") != "":
            self.errors.error("E013", f"`{shown}` is too small for a 64-bit float: it would become 0.0", span)
            return n.Number("0.0", 0.0, span)
        return n.Number(text, value, span)

    def string(self, tok: Token) -> str:
        """Decode a `"..."` token with JSON escapes, reporting bad ones."""
        raw = str(tok)[1:-1]
        if "\\" not in raw:
            return raw
        out: list[str] = []
        pos = 0
        base_col = (tok.column or 1) + 1
        for m in _ESCAPE_RE.finditer(raw):
            out.append(raw[pos : m.start()])
            pos = m.end()
            esc = m.group(1)
            if esc[0] == "u" and len(esc) == 5:
                out.append(chr(int(esc[1:], 16)))
            elif esc in _ESCAPES:
                out.append(_ESCAPES[esc])
            else:
                col = base_col + m.start()
                line = tok.line or 1
                self.errors.error(
                    "E010",
                    f"unknown escape `\\{esc}` in string",
                    Span(self.source, line, col, line, col + 1 + len(esc)),
                    hint='valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX; use """...""" for text taken verbatim',
                )
        out.append(raw[pos:])
        text = "".join(out)
        return self._join_surrogates(text, tok)

    def _join_surrogates(self, text: str, tok: Token) -> str:
        """Combine `\\uD83D\\uDE00` pairs; a lone surrogate cannot be UTF-8."""
        if not any("\ud800" <= ch <= "\udfff" for ch in text):
            return text
        try:
            return text.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            self.errors.error(
                "E011",
                "string holds a lone surrogate (\\uD800-\\uDFFF), which cannot be written as UTF-8",
                self._lone_surrogate_span(tok),
                hint="a surrogate must be followed by its pair, e.g. \\uD83D\\uDE00",
            )
            return text

    def _lone_surrogate_span(self, tok: Token) -> Span:
        """The `\\uXXXX` escape that has no pair (else the whole string)."""
        raw = str(tok)
        escapes = [(m.start(), int(m.group(1)[1:], 16)) for m in _ESCAPE_RE.finditer(raw)
                   if m.group(1)[0] == "u" and len(m.group(1)) == 5]
        i = 0
        while i < len(escapes):
            pos, code = escapes[i]
            if 0xD800 <= code <= 0xDBFF and i + 1 < len(escapes) and escapes[i + 1][0] == pos + 6 \
                    and 0xDC00 <= escapes[i + 1][1] <= 0xDFFF:
                i += 2
                continue
            if 0xD800 <= code <= 0xDFFF:
                line, col = tok.line or 1, (tok.column or 1) + pos
                return Span(self.source, line, col, line, col + 6)
            i += 1
        return self.tok_span(tok)


def _describe(value: n.Value) -> str:
    """How a value is named in messages."""
    if isinstance(value, n.Str):
        return "a string"
    if isinstance(value, n.Number):
        return "a number"
    if isinstance(value, (n.Bool, n.Null)):
        return "a constant"
    if isinstance(value, n.ObjectValue):
        return "an object"
    if isinstance(value, (n.ListSweep, n.RangeSweep)):
        return "a sweep"
    return "a value"


def build(source: Source, tree: Tree[Any], errors: Collector) -> n.File:
    """The AST of a parsed source."""
    return Builder(source, errors).file(tree)
