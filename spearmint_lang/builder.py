"""Lark parse tree to AST: decode literals and keep every span.

Literal mistakes the grammar cannot see (bad escapes, leading zeros, floats
that overflow, empty list elements) are reported here, all of them in one run.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable

from lark import ParseTree, Token, Tree

from . import nodes as n
from .codes import Code
from .errors import Collector, Edit, Fix, Hint
from .sampling import Choice, LogNormal, LogUniform, Normal, RandInt, Uniform
from .source import Source, Span

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_MAX_INT_DIGITS = 4000

DISTRIBUTIONS: tuple[str, ...] = tuple(c.name for c in (Uniform, LogUniform, RandInt, Normal, LogNormal, Choice))
"""The names a distribution may have (`uniform`, ...), as the run time's classes give them."""


def _tree(node: ParseTree | Token) -> ParseTree:
    """The subtree child of a rule (the grammar guarantees it)."""
    assert isinstance(node, Tree), node
    return node


def _tok(node: ParseTree | Token) -> Token:
    """The token child of a rule that has exactly one (the grammar guarantees it)."""
    assert isinstance(node, Token), node
    return node


# Tokens that only shape the text: the AST does not keep them.
_PUNCTUATION = frozenset({"_NL", "LSQB", "RSQB", "LBRACE", "RBRACE", "LPAR", "RPAR", "COLON", "EQUAL", "DOT", "VBAR"})


def _parts(tree: ParseTree) -> list[ParseTree | Token]:
    """The children that carry meaning (rules and named tokens)."""
    return [c for c in tree.children if not (isinstance(c, Token) and c.type in _PUNCTUATION)]


class Builder:
    """Builds the AST of one source, recording literal errors in `errors`.

    One method per grammar rule, found by the rule's name; every method
    takes the rule's subtree and returns its node.
    """

    def __init__(self, source: Source, errors: Collector, by: int = 0) -> None:
        self.source = source
        self.errors = errors
        self.by = by  # lines (and characters: see `documents`) the tree's positions are short of the source's
        self.in_where = False  # building a `where`: a bare name is a path into the config, not a `let` name

    # spans -------------------------------------------------------------
    def tok_span(self, tok: Token) -> Span:
        """The span a token covers."""
        by = self.by
        return Span(self.source, (tok.line or 1) + by, tok.column or 1, (tok.end_line or 1) + by, tok.end_column or 1)

    def tree_span(self, tree: ParseTree) -> Span:
        """The span a subtree covers (an empty document gets 1:1)."""
        meta = tree.meta
        if getattr(meta, "empty", True):
            return self.source.start()
        return Span(self.source, meta.line + self.by, meta.column, meta.end_line + self.by, meta.end_column)

    def node(self, tree: ParseTree | Token) -> n.Node:
        """The node of any rule's subtree."""
        sub = _tree(tree)
        method = _RULES.get(sub.data)
        if method is None:  # pragma: no cover - every rule has a method
            raise TypeError(f"unknown rule {sub.data}")
        node = method(self, sub)
        assert isinstance(node, n.Node)
        return node

    def value(self, tree: ParseTree | Token) -> n.Value:
        """A value's node: an expression becomes a `Derived` value."""
        node = self.node(tree)
        if isinstance(node, n.VALUES):
            return node
        assert isinstance(node, n.EXPRS)
        return n.Derived(node, node.span)

    def item(self, tree: ParseTree | Token) -> n.DocItem:
        """An item of a document or an object."""
        node = self.node(tree)
        assert isinstance(node, n.DOC_ITEMS)
        return node

    def object_item(self, tree: ParseTree | Token) -> n.Item:
        """An item of an object: an entry, `zip` or `variants`."""
        node = self.node(tree)
        assert isinstance(node, n.ITEMS)
        return node

    # structure ---------------------------------------------------------
    def file(self, tree: ParseTree) -> n.File:
        """Documents in order; `---` tokens are dropped."""
        docs = tuple(self.rule_document(c) for c in tree.children if isinstance(c, Tree))
        return n.File(docs, self.source)

    def rule_document(self, tree: ParseTree) -> n.Document:
        """A document's items: entries, `let`, `where`, `zip`, `variants`, ..."""
        return n.Document(tuple(self.item(c) for c in self._elements(tree.children)), self.tree_span(tree))

    def rule_entry(self, tree: ParseTree) -> n.Entry:
        """`key: value`; `a.b: value` is nested as `a: { b: value }`."""
        *key_trees, value_tree = _parts(tree)
        keys = [self.key(_tree(k)) for k in key_trees]
        value = self.value(value_tree)
        span = self.tree_span(tree)
        self._yaml_item(value)
        for key in reversed(keys[1:]):
            inner = n.Entry(key, value, key.span.to(span), dotted=True)
            value = n.ObjectValue((inner,), inner.span)
        return n.Entry(keys[0], value, span, dotted=len(keys) > 1)

    def key(self, tree: ParseTree) -> n.Key:
        """A bare or quoted key."""
        tok = _tok(tree.children[0])
        name = self.string(tok) if tok.type == "STRING" else str(tok)
        return n.Key(name, self.tok_span(tok))

    def rule_let(self, tree: ParseTree) -> n.Let:
        """`let NAME = value`."""
        _, name_tok, value = _parts(tree)
        name = _tok(name_tok)
        return n.Let(n.Key(str(name), self.tok_span(name)), self.value(value), self.tree_span(tree))

    def rule_zip(self, tree: ParseTree) -> n.Zip:
        """`zip { k: [...], ... }`: only entries may stand inside."""
        obj = self.node(_parts(tree)[1])
        assert isinstance(obj, n.ObjectValue)
        entries = []
        for it in obj.items:
            if isinstance(it, n.Entry):
                entries.append(it)
            else:
                self.errors.error(Code.E061, "a `zip` block holds only `key: [values]` entries", it.span,
                                  hint="move the nested block out of the `zip`")
        return n.Zip(tuple(entries), self.tree_span(tree))

    def rule_variants(self, tree: ParseTree) -> n.Variants:
        """`variants [ {...} {...} ]`: objects only, at least one."""
        lst = self.node(_parts(tree)[1])
        assert isinstance(lst, n.ListValue)
        alts = []
        for alt in lst.items:
            if isinstance(alt, n.ObjectValue):
                alts.append(alt)
            else:
                self.errors.error(Code.E062, "each alternative of `variants` must be an object `{ ... }`", alt.span,
                                  hint="write the alternative as `{ key: value }`")
        if not lst.items:
            self.errors.error(Code.E062, "`variants` needs at least one alternative", lst.span)
        return n.Variants(tuple(alts), self.tree_span(tree))

    def rule_where(self, tree: ParseTree) -> n.Where:
        """`where EXPR`: bare names in it are paths into each config."""
        self.in_where = True
        try:
            return n.Where(self.operand(_parts(tree)[1]), self.tree_span(tree))
        finally:
            self.in_where = False

    def _yaml_item(self, value: n.Value) -> None:
        """W012: a key's whole value written `- 1` (a blank after the sign) is
        the number -1, but reads as YAML's list item `[1]`."""
        if not (isinstance(value, n.Derived) and isinstance(value.expr, n.Negative)):
            return
        operand = value.expr.operand
        if not (isinstance(operand, n.Literal) and isinstance(operand.value, n.Number)):
            return
        text = value.span.text
        if len(text) < 2 or text[1] not in " \t":
            return
        number = operand.value.span.text
        self.errors.warn(Code.W012, f"`{text}` is the number -{number}, though it reads as YAML's list item `[{number}]`",
                         value.span, hint=Hint(f"write `-{number}` for the number, or `[{number}]` for a list",
                                               (Fix(f"Change to `-{number}`", (Edit(value.span, f"-{number}"),)),
                                                Fix(f"Change to `[{number}]`", (Edit(value.span, f"[{number}]"),)))))

    def rule_import(self, tree: ParseTree) -> n.Import:
        """`import "path" as name`."""
        _, target, _, name_tok = _parts(tree)
        path = self.fixed_string(self.node(target), "the path of `import`")
        name = _tok(name_tok)
        return n.Import(path, n.Key(str(name), self.tok_span(name)), self.tree_span(tree))

    def rule_extends(self, tree: ParseTree) -> n.Extends:
        """`extends "path"`."""
        target = self.fixed_string(self.node(_parts(tree)[1]), "the path of `extends`")
        return n.Extends(target, self.tree_span(tree))

    def rule_schema(self, tree: ParseTree) -> n.Schema:
        """`schema { ... }`."""
        return n.Schema(self.fields(_parts(tree)[1]), self.tree_span(tree))

    def fields(self, body: ParseTree | Token) -> tuple[n.Field, ...]:
        """The fields of a `{ ... }` schema body."""
        return tuple(self.field(f) for f in self._elements(_tree(body).children))

    def field(self, tree: ParseTree) -> n.Field:
        """`key: type | type` or `key?: ...`."""
        parts = _parts(tree)
        optional = any(isinstance(c, Token) and c.type == "QMARK" for c in parts)
        alts = tuple(self.type_alt(c) for c in parts[1:] if isinstance(c, Tree))
        return n.Field(self.key(_tree(parts[0])), optional, alts, self.tree_span(tree))

    def type_alt(self, tree: ParseTree) -> n.TypeAlt:
        """One alternative of a field's type."""
        node = self.node(tree)
        assert isinstance(node, n.TYPE_ALTS)
        return node

    def rule_type_object(self, tree: ParseTree) -> n.TypeObject:
        """A nested `{ ... }` type."""
        return n.TypeObject(self.fields(_parts(tree)[0]), self.tree_span(tree))

    def rule_type_literal(self, tree: ParseTree) -> n.TypeLiteral:
        """A literal alternative such as `"openai"` or `3`."""
        span = self.tree_span(tree)
        child = tree.children[0]
        if isinstance(child, Tree):
            lit = self.fixed_string(self.node(child), "a type") if child.data == "string" else self.node(child)
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

    def rule_type_name(self, tree: ParseTree) -> n.TypeName:
        """`int`, `float in 0.0..2.0`, ..."""
        name = _tok(tree.children[0])
        bounds = [c for c in tree.children if isinstance(c, Tree)]
        dots = [c for c in tree.children if isinstance(c, Token) and c.type == "DOTDOT"]
        low = self.bound(bounds[0]) if bounds else None
        high = self.bound(bounds[1]) if bounds else None
        return n.TypeName(str(name), low, high, bool(dots) and str(dots[0]) == "..<", self.tree_span(tree))

    # expressions -------------------------------------------------------
    def rule_config_path(self, tree: ParseTree) -> n.Path:
        """`${a.b}`: the config's value at a path."""
        keys = [self.key(k) for k in tree.children if isinstance(k, Tree)]
        return n.Path(tuple(k.name for k in keys), self.tree_span(tree))

    def rule_compare(self, tree: ParseTree) -> n.Compare:
        """`left OP right`."""
        left, op, right = _parts(tree)
        return n.Compare(str(op), self.operand(left), self.operand(right), self.tree_span(tree))

    def _contains(self, tree: ParseTree, negated: bool) -> n.Contains:
        kids = [c for c in _parts(tree) if isinstance(c, Tree)]
        return n.Contains(self.operand(kids[0]), self.operand(kids[1]), negated, self.tree_span(tree))

    def rule_contains(self, tree: ParseTree) -> n.Contains:
        """`operand in [...]` (or a name of a list)."""
        return self._contains(tree, False)

    def rule_not_contains(self, tree: ParseTree) -> n.Contains:
        """`operand not in [...]`."""
        return self._contains(tree, True)

    def rule_negation(self, tree: ParseTree) -> n.Not:
        """`not operand`."""
        return n.Not(self.operand(_parts(tree)[1]), self.tree_span(tree))

    def _bool_op(self, tree: ParseTree, op: str) -> n.BoolOp:
        kids = [c for c in _parts(tree) if isinstance(c, Tree)]
        return n.BoolOp(op, tuple(self.operand(k) for k in kids), self.tree_span(tree))

    def rule_and_test(self, tree: ParseTree) -> n.BoolOp:
        """`a and b and ...`."""
        return self._bool_op(tree, "and")

    def rule_or_test(self, tree: ParseTree) -> n.BoolOp:
        """`a or b or ...`."""
        return self._bool_op(tree, "or")

    def rule_binary(self, tree: ParseTree) -> n.Binary | n.Negative:
        """`left OP right` (arithmetic). A number's sign belongs to its token,
        so `-2 ** 2` is built as `-(2 ** 2)`, as Python reads it."""
        left_tree, op, right_tree = _parts(tree)
        left, right, span = self.operand(left_tree), self.operand(right_tree), self.tree_span(tree)
        if str(op) == "**" and _tree(left_tree).data in ("int", "float") and isinstance(left, n.Literal) \
                and isinstance(left.value, n.Number) and left.value.text.startswith("-"):
            number = left.value
            positive = n.Number(number.text[1:], -number.value, number.span)
            return n.Negative(n.Binary("**", n.Literal(positive, left.span), right, span), span)
        return n.Binary(str(op), left, right, span)

    def rule_negative(self, tree: ParseTree) -> n.Negative:
        """`-operand`."""
        return n.Negative(self.operand(_parts(tree)[1]), self.tree_span(tree))

    def rule_if_else(self, tree: ParseTree) -> n.IfElse:
        """`if test then a else b`."""
        kids = [c for c in _parts(tree) if isinstance(c, Tree)]
        test, then, otherwise = (self.operand(k) for k in kids)
        return n.IfElse(test, then, otherwise, self.tree_span(tree))

    def rule_group(self, tree: ParseTree) -> n.Expr:
        """`( expr )`: the expression inside."""
        return self.operand(_parts(tree)[0])

    def operand(self, tree: ParseTree | Token) -> n.Expr:
        """Any part of an expression; literals become `Literal`s, and in a
        `where` a bare name is a path."""
        node = self.node(tree)
        if isinstance(node, n.Derived):
            return node.expr
        if isinstance(node, (n.Str, n.Number, n.Bool, n.Null)):
            return n.Literal(node, self.tree_span(_tree(tree)))
        if isinstance(node, n.Ref) and self.in_where:
            return n.Path(tuple(node.name.split(".")), node.span)
        if isinstance(node, n.EXPRS):
            return node
        self.errors.error(Code.E095, f"{_describe(node)} cannot stand in an expression", node.span,
                          hint="an expression computes with numbers, strings, `${path}`s and `let` names")
        return n.Literal(n.Null(node.span), node.span)

    def _elements(self, children: list[ParseTree | Token]) -> list[ParseTree]:
        """The element subtrees of a document, list or object.

        Two commas with nothing between them (newlines do not count) leave
        an empty element, which the grammar lets through.
        """
        out: list[ParseTree] = []
        comma_ok = False
        for child in children:
            if isinstance(child, Token):
                if child.type != "COMMA":
                    continue
                if not comma_ok:
                    comma = self.tok_span(child)
                    self.errors.error(Code.E014, "empty element before `,`", comma,
                                      hint=Hint.edit("remove the extra comma", "Remove the extra comma", Edit(comma, "")))
                comma_ok = False
            else:
                out.append(child)
                comma_ok = True
        return out

    # values --------------------------------------------------------------
    def rule_string(self, tree: ParseTree) -> n.Str | n.Derived:
        """`"..."` (JSON escapes) or `\"\"\"...\"\"\"` (verbatim); one holding
        `${path}` is an interpolated string, computed per config."""
        tok = _tok(tree.children[0])
        if tok.type == "LONG_STRING":
            return self.interpolated(n.Str(self.block_string(tok), self.tree_span(tree), long=True), tok)
        return self.interpolated(n.Str(self.string(tok), self.tree_span(tree)), tok)

    def interpolated(self, node: n.Str, tok: Token) -> n.Str | n.Derived:
        """A string holding `${path}` as an interpolated string (`$${` is a
        literal `${`). The paths are found in the text as written, so their
        spans are exact whatever escapes the string holds; the literal pieces
        of a `\"\"\"` string come from its value (as its rule makes it)."""
        raw = str(tok)
        if "${" not in raw:
            return node
        quote = 3 if node.long else 1
        start = (tok.start_pos or 0) + self.by + quote  # the offset of the body in the source
        pieces, paths, wrong = _interpolation(raw[quote:-quote])
        if wrong is not None:
            at, end, unclosed = wrong
            if unclosed:
                self.errors.error(Code.E096, "`${` is not closed by `}`", self.source.span(start + at, start + end),
                                  hint="close it, as in `${model}`, or write `$${` for a literal `${`")
            else:
                inner = raw[quote:-quote][at + 2 : end - 1]
                self.errors.error(Code.E096, f"`${{{inner}}}` must hold a key path of the config, like `${{optimizer.lr}}`",
                                  self.source.span(start + at, start + end),
                                  hint="to compute a value, write an expression outside the string, e.g. "
                                       "`\"lr\" + str(${lr})`; for a literal `${`, write `$${`")
            return node
        if node.long:
            pieces, of_value, _ = _interpolation(node.value)  # (the same paths in the same order)
            if len(of_value) != len(paths):  # pragma: no cover - a value's rule never adds or drops a `${`
                return node
        else:
            pieces = [self._piece(piece) for piece in pieces]
        if not paths:
            return n.Str("".join(pieces), node.span, long=node.long)
        made = tuple(n.Path(tuple(name.split(".")), self.source.span(start + at, start + end)) for name, at, end in paths)
        return n.Derived(n.Interpolated(tuple(pieces), made, node.span, node.long), node.span)

    def fixed_string(self, node: n.Node, what: str) -> n.Str:
        """A string where nothing is computed (a file path, a type): one
        holding `${path}` is E101, and stands for its text as written."""
        if isinstance(node, n.Derived) and isinstance(node.expr, n.Interpolated):
            self.errors.error(Code.E101, f"{what} is written as it is: `${{...}}` cannot be computed here", node.span,
                              hint="write the text itself; for a literal `${`, write `$${`")
            text = node.expr.pieces[0] + "".join("${" + ".".join(p.parts) + "}" + piece
                                                 for p, piece in zip(node.expr.paths, node.expr.pieces[1:]))
            return n.Str(text, node.span, long=node.expr.long)
        assert isinstance(node, n.Str)
        return node

    def _piece(self, raw: str) -> str:
        """A literal piece of a `"..."` string, decoded (its escapes were
        checked with the whole string)."""
        if "\\" not in raw:
            return raw
        try:
            decoded = json.loads(f'"{raw}"', strict=False)
            assert isinstance(decoded, str)
            return decoded
        except ValueError:
            return raw

    def block_string(self, tok: Token) -> str:
        """A `\"\"\"...\"\"\"` string's text: verbatim, or dedented when a line
        break follows the opening quotes (`dedent_block`); a line indented
        less than the closing quotes is E117."""
        text, short = dedent_block(str(tok))
        start = (tok.start_pos or 0) + self.by
        for at, width, indent in short:
            span = self.source.span(start + at, start + at + max(width, 1))
            fix = Edit(self.source.span(start + at, start + at + width), indent)
            self.errors.error(Code.E117, "this line does not start with the indentation of its string's closing "
                              f"`\"\"\"` ({_indentation(indent)}), which is removed from every line", span,
                              hint=Hint.edit(f"start the line with {_indentation(indent)}, as the closing `\"\"\"` "
                                             "line does, or move the closing `\"\"\"` left",
                                             "Indent the line as the closing quotes", fix))
        return text

    def rule_int(self, tree: ParseTree) -> n.Number:
        """An int literal."""
        return self.number(_tok(tree.children[0]))

    rule_float = rule_int

    def rule_true(self, tree: ParseTree) -> n.Bool:
        """`true`."""
        return n.Bool(True, self.tree_span(tree))

    def rule_false(self, tree: ParseTree) -> n.Bool:
        """`false`."""
        return n.Bool(False, self.tree_span(tree))

    def rule_null(self, tree: ParseTree) -> n.Null:
        """`null`."""
        return n.Null(self.tree_span(tree))

    def rule_ref(self, tree: ParseTree) -> n.Ref:
        """A bare name in value position (`file.name` for an imported one)."""
        child = tree.children[0]
        name = "".join(str(t) for t in child.children) if isinstance(child, Tree) else str(child)
        return n.Ref(name, self.tree_span(tree))

    def rule_delete(self, tree: ParseTree) -> n.Delete:
        """`delete`: removes an inherited key."""
        return n.Delete(self.tree_span(tree))

    def rule_list(self, tree: ParseTree) -> n.ListValue:
        """A static list."""
        items = tuple(self.value(c) for c in self._elements(tree.children))
        return n.ListValue(items, self.tree_span(tree))

    def rule_object(self, tree: ParseTree) -> n.ObjectValue:
        """`{ k: v, ... }`, with `zip` and `variants` blocks."""
        items = tuple(self.object_item(c) for c in self._elements(tree.children))
        return n.ObjectValue(items, self.tree_span(tree))

    def rule_sweep(self, tree: ParseTree) -> n.Value:
        """`atom *`: only a list (or a name of one) can be swept."""
        target = self.value(tree.children[0])
        span = self.tree_span(tree)
        if isinstance(target, (n.ListValue, n.Ref)):
            return n.ListSweep(target, span)
        star = self.tok_span(_tok(tree.children[1]))
        self.errors.error(
            Code.E021,
            "`*` sweeps a list, but it follows " + _describe(target),
            star,
            hint="write the values as a list: `[a, b, c]*`",
        )
        return target

    def rule_range(self, tree: ParseTree) -> n.RangeSweep:
        """`start..end`, `start..<end`, then `step s`, `step *k` or `count n`."""
        bounds = [c for c in tree.children if isinstance(c, Tree)]
        words = {c.type: c for c in tree.children if isinstance(c, Token)}
        start, end = (self.bound(b) for b in bounds[:2])
        third = self.bound(bounds[2]) if len(bounds) > 2 else None
        exclusive = str(words["DOTDOT"]) == "..<"
        if "COUNT" in words:
            return n.RangeSweep(start, end, None, self.tree_span(tree), exclusive, False, third)
        return n.RangeSweep(start, end, third, self.tree_span(tree), exclusive, "STAR" in words)

    def rule_distribution(self, tree: ParseTree) -> n.Distribution | n.Derived:
        """`name(args) [step q]`; a function of expressions (`min(a, b)`) is
        a `Call`; a name that is neither is reported here, with what to
        write (see `_foreign`)."""
        name_tree, args_tree = _tree(tree.children[0]), _tree(tree.children[1])
        name = "".join(str(t) for t in name_tree.children)
        if name in n.FUNCTIONS and len(tree.children) == 2 and not _hydra_int(name, args_tree):
            return self.call(name, name_tree, args_tree, tree)
        known = name in DISTRIBUTIONS
        if known:
            args, keywords = self.dist_args(args_tree)
        else:  # distributions inside one whose name is wrong are reported with it (`tag(log, interval(a, b))`)
            errors, self.errors = self.errors, Collector()
            try:
                args, keywords = self.dist_args(args_tree)
            finally:
                errors.extend(d for d in self.errors.diagnostics if d.code != Code.E085.name)
                self.errors = errors
        step = self.bound(_tree(tree.children[3])) if len(tree.children) > 2 else None
        node = n.Distribution(name, self.tree_span(name_tree), args, keywords, step, self.tree_span(tree),
                              self.tree_span(args_tree))
        if not known:
            self.errors.error(Code.E085, f"unknown distribution `{name}`", node.name_span, hint=_unknown_hint(node))
        return node

    def call(self, name: str, name_tree: ParseTree, args_tree: ParseTree, tree: ParseTree) -> n.Derived:
        """`min(a, b)`, ...: a function of expressions, with its arguments."""
        args: list[n.Expr] = []
        for child in self._elements(args_tree.children):
            if child.data == "dist_keyword":
                self.errors.error(Code.E095, f"`{name}` takes no keyword arguments", self.tree_span(child),
                                  hint=f"write {_USAGE[name]}")
                continue
            args.append(self.operand(child))
        least, most = n.FUNCTIONS[name]
        span = self.tree_span(tree)
        if not least <= len(args) <= most:
            wanted = f"{least}" if least == most else f"{least} or {most}" if most == least + 1 else f"at least {least}"
            self.errors.error(Code.E095, f"`{name}` takes {wanted} argument{'' if wanted in ('1', 'at least 1') else 's'}, not {len(args)}",
                              self.tree_span(args_tree), hint=f"write {_USAGE[name]}")
        return n.Derived(n.Call(name, self.tree_span(name_tree), tuple(args), span), span)

    def dist_args(self, tree: ParseTree) -> tuple[tuple[n.Value, ...], tuple[n.Keyword, ...]]:
        """The positional and the keyword arguments between `(` and `)`."""
        args: list[n.Value] = []
        keywords: list[n.Keyword] = []
        for child in self._elements(tree.children):
            if child.data == "dist_keyword":
                name_tok = _tok(child.children[0])
                keywords.append(n.Keyword(n.Key(str(name_tok), self.tok_span(name_tok)),
                                          self.value(child.children[-1]), self.tree_span(child)))
            else:
                args.append(self.value(child))
        return tuple(args), tuple(keywords)

    def rule_sample(self, tree: ParseTree) -> n.SampleItem:
        """`sample N [seed S] [method]` (checked by `lower`); a seed without
        the word `seed` is reported here, and taken as the seed."""
        bounds: list[n.Number | n.Ref] = []
        for child in tree.children:
            if isinstance(child, Tree) and child.data == "bare_seed":
                seed = self.number(_tok(child.children[0]))
                bounds.append(seed)
                self.errors.error(Code.E092, "the seed of `sample` follows the word `seed`", seed.span,
                                  hint=Hint.edit(f"write `sample {bounds[0].span.text} seed {seed.text}`", "Add `seed`",
                                                 Edit.before(seed.span, "seed ")))
            elif isinstance(child, Tree):
                bounds.append(self.bound(child))
        method = next((c for c in tree.children if isinstance(c, Token) and c.type == "NAME"), None)
        return n.SampleItem(bounds[0], bounds[1] if len(bounds) > 1 else None,
                            None if method is None else str(method),
                            None if method is None else self.tok_span(method), self.tree_span(tree))

    def bound(self, tree: ParseTree) -> n.Number | n.Ref:
        """A range bound: a number or a name."""
        if tree.data == "ref":
            return self.rule_ref(tree)
        return self.number(_tok(tree.children[0]))

    # literals ----------------------------------------------------------
    def number(self, tok: Token) -> n.Number:
        """An int or float literal, checked for what JSON can carry."""
        text = str(tok).replace("_", "")  # digit separators: `100_000`
        span = self.tok_span(tok)
        if tok.type == "INT":
            digits = text.lstrip("-")
            if len(digits) > 1 and digits[0] == "0":
                self.errors.error(
                    Code.E012, f"malformed number `{text}`: leading zeros are not allowed", span,
                    hint=Hint.edit(f"write `{int(text)}`", f"Change to `{int(text)}`", Edit(span, str(int(text))))
                    if len(digits) <= _MAX_INT_DIGITS else None,
                )
                return n.Number(text, 0, span)
            if len(digits) > _MAX_INT_DIGITS:
                self.errors.error(Code.E013, f"integer has {len(digits)} digits; at most {_MAX_INT_DIGITS} are allowed", span)
                return n.Number("0", 0, span)
            return n.Number(text, int(text), span)
        # Later stages compute with the literal's text: after an error they
        # get a harmless stand-in, never a giant exponent or digit string.
        shown = text if len(text) <= 40 else text[:37] + "..."
        if len(text) > _MAX_INT_DIGITS:
            self.errors.error(Code.E013, f"number has {len(text)} characters; at most {_MAX_INT_DIGITS} are allowed", span)
            return n.Number("0.0", 0.0, span)
        value = float(text)
        mantissa = text.lower().split("e")[0]
        if math.isinf(value):
            self.errors.error(Code.E013, f"`{shown}` is too large for a 64-bit float", span)
            return n.Number("0.0", 0.0, span)
        if value == 0.0 and mantissa.strip("-0.") != "":
            self.errors.error(Code.E013, f"`{shown}` is too small for a 64-bit float: it would become 0.0", span)
            return n.Number("0.0", 0.0, span)
        return n.Number(text, value, span)

    def string(self, tok: Token) -> str:
        """Decode a `"..."` token with JSON escapes, reporting bad ones."""
        raw = str(tok)[1:-1]
        if "\\" not in raw:
            return raw
        out: list[str] = []
        pos = 0
        inside = (tok.start_pos or 0) + self.by + 1  # the offset after the opening quote
        for m in _ESCAPE_RE.finditer(raw):
            out.append(raw[pos : m.start()])
            pos = m.end()
            esc = m.group(1)
            if esc[0] == "u" and len(esc) == 5:
                out.append(chr(int(esc[1:], 16)))
            elif esc in _ESCAPES:
                out.append(_ESCAPES[esc])
            else:
                at = inside + m.start()
                self.errors.error(
                    Code.E010,
                    f"unknown escape `\\{esc}` in string",
                    self.source.span(at, at + 1 + len(esc)),
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
                Code.E011,
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
                at = (tok.start_pos or 0) + self.by + pos
                return self.source.span(at, at + 6)
            i += 1
        return self.tok_span(tok)


# Each rule's method, by the rule's name (`rule_entry` for `entry`).
_RULES: dict[str, Callable[[Builder, ParseTree], n.Node]] = {
    name.removeprefix("rule_"): method for name, method in vars(Builder).items() if name.startswith("rule_")}


_OPENING_BREAK = re.compile(r'"""[ \t]*\n')


def dedent_block(token: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The text of a `\"\"\"` token, by Swift's rule for multi-line strings.

    Text on the opening line: the text between the quotes, verbatim. Else
    the line break after the opening quotes is dropped (spaces and tabs
    before it too), and when only spaces and tabs precede the closing quotes
    on their line, that indentation is removed from the start of every line
    and the line break before the closing line is dropped. A line of only
    spaces and tabs may be indented less (it becomes empty); any other
    line must start with that exact indentation: each that does not is
    returned as (offset in the token, length of its leading whitespace,
    the indentation).
    """
    opening = _OPENING_BREAK.match(token)
    if opening is None:
        return token[3:-3], []
    body = token[opening.end() : -3]
    first = opening.end()
    last_break = body.rfind("\n")
    indent = body[last_break + 1 :]
    if indent.strip(" \t"):
        return body, []  # text before the closing quotes: no indentation to remove
    lines = body[: max(last_break, 0)].split("\n") if last_break >= 0 else []
    out: list[str] = []
    short: list[tuple[int, int, str]] = []
    at = first
    for line in lines:
        if line.startswith(indent):
            out.append(line[len(indent) :])
        elif not line.strip(" \t"):
            out.append("")
        else:
            short.append((at, len(line) - len(line.lstrip(" \t")), indent))
            out.append(line.lstrip(" \t"))
        at += len(line) + 1
    return "\n".join(out), short


def _indentation(indent: str) -> str:
    """Leading whitespace in words: `4 spaces`, `1 tab`."""
    if indent.strip(" "):
        return "`" + indent.replace("\t", "\\t") + "`" if indent.strip("\t") else _plural(len(indent), "tab")
    return _plural(len(indent), "space")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


_PATH_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*")


def _interpolation(text: str) -> tuple[list[str], list[tuple[str, int, int]], tuple[int, int, bool] | None]:
    """A string's text cut at its `${path}`s: the pieces around them (`$${`
    made `${`), each path with where its name starts and ends in `text`, and
    the first mistake: (start, end, whether it is an unclosed `${`)."""
    pieces: list[str] = []
    paths: list[tuple[str, int, int]] = []
    piece: list[str] = []
    pos = 0
    while True:
        at = text.find("${", pos)
        if at < 0:
            piece.append(text[pos:])
            break
        if at > 0 and text[at - 1] == "$":
            piece.append(text[pos : at - 1] + "${")  # `$${`: a literal `${`
            pos = at + 2
            continue
        piece.append(text[pos:at])
        close = text.find("}", at + 2)
        newline = text.find("\n", at + 2)
        if close < 0 or 0 <= newline < close:
            return pieces, paths, (at, at + 2, True)
        inner = text[at + 2 : close]
        name = inner.strip()
        if not _PATH_RE.fullmatch(name):
            return pieces, paths, (at, close + 1, False)
        lead = at + 2 + len(inner) - len(inner.lstrip())
        pieces.append("".join(piece))
        piece = []
        paths.append((name, lead, lead + len(name)))
        pos = close + 1
    pieces.append("".join(piece))
    return pieces, paths, None


# How each function of expressions is called, for hints.
_USAGE = {
    "min": "`min(a, b, ...)`", "max": "`max(a, b, ...)`", "round": "`round(x)` (an int) or `round(x, digits)`",
    "int": "`int(x)`", "float": "`float(x)`", "str": "`str(x)`", "len": "`len(x)`",
}


def _hydra_int(name: str, args_tree: ParseTree) -> bool:
    """Hydra's `int(interval(a, b))`, which gets a hint of its own."""
    if name != "int":
        return False
    inner = [c for c in args_tree.children if isinstance(c, Tree)]
    return len(inner) == 1 and inner[0].data == "distribution" \
        and "".join(str(t) for t in _tree(inner[0].children[0]).children) == "interval"


def _describe(value: n.Node) -> str:
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


# --- names of distributions from other tools -----------------------------------------------
#
# What users of Ray Tune (`tune.quniform`), Optuna (`trial.suggest_float`),
# hyperopt (`hp.uniform("x", 0, 1)`), W&B sweeps (`log_uniform_values`),
# Hydra's sweepers (`interval`, `tag(log, ...)`, `range`) and numpy (`randn`)
# write, and its `.mint` form: a function of the arguments' texts giving
# the text to write (None when the arguments do not fit the form), and
# why, when it is not evident.

_Form = tuple[str, str] | None


def _q(target: str) -> "_Rule":
    """`name(a, b, q)` is `target(a, b) step q`."""
    return lambda a, nodes: (f"{target}({a[0]}, {a[1]}) step {a[2]}", "") if len(a) == 3 else None


def _renamed(target: str, arity: int, why: str = "") -> "_Rule":
    """`name(args)` is `target(args)`, for `arity` arguments."""
    return lambda a, nodes: (f"{target}({', '.join(a)})", why) if len(a) == arity else None


def _plus_one(text: str) -> str | None:
    """An integer literal's text plus one (None for anything else)."""
    return str(int(text) + 1) if re.fullmatch(r"-?[0-9]+", text) else None


def _inclusive(a: list[str], nodes: tuple[n.Value, ...], step: bool = False) -> _Form:
    """`randint(a, b + 1)` for a form whose upper bound is included."""
    if len(a) != (3 if step else 2) or (end := _plus_one(a[1])) is None:
        return None
    return f"randint({a[0]}, {end})" + (f" step {a[2]}" if step else ""), " (`randint` excludes its end)"


def _choices(a: list[str], nodes: tuple[n.Value, ...]) -> _Form:
    """`choice` of a list, or of the values given one by one."""
    if len(nodes) == 1 and isinstance(nodes[0], n.ListValue):
        return f"choice({a[0]})", ""
    return f"choice([{', '.join(a)}])", " (`choice` takes a list)"


def _grid(a: list[str], nodes: tuple[n.Value, ...]) -> _Form:
    """Ray Tune's `grid_search([...])`: a list sweep."""
    if len(nodes) == 1 and isinstance(nodes[0], n.ListValue):
        return f"{a[0]}*", ": a grid axis is a list sweep"
    return None


def _range(a: list[str], nodes: tuple[n.Value, ...]) -> _Form:
    """Python's and Hydra's `range([a, ]b[, s])`: a range sweep, end excluded."""
    if len(a) == 1:
        return f"0..<{a[0]}", ": a range sweep, end excluded"
    if len(a) in (2, 3):
        return f"{a[0]}..<{a[1]}" + (f" step {a[2]}" if len(a) == 3 else ""), ": a range sweep, end excluded"
    return None


def _int_of(a: list[str], nodes: tuple[n.Value, ...]) -> _Form:
    """Hydra's `int(interval(a, b))`: an integer from a to b, both included."""
    if len(nodes) == 1 and isinstance(nodes[0], n.Distribution) and nodes[0].name == "interval":
        return _inclusive([x.span.text for x in nodes[0].args], nodes[0].args)
    return None


def _tag(a: list[str], nodes: tuple[n.Value, ...]) -> _Form:
    """Hydra's `tag(log, interval(a, b))`."""
    if len(nodes) == 2 and isinstance(nodes[0], n.Ref) and nodes[0].name == "log" \
            and isinstance(nodes[1], n.Distribution) and nodes[1].name == "interval" and len(nodes[1].args) == 2:
        return f"loguniform({', '.join(x.span.text for x in nodes[1].args)})", ""
    return None


_Rule = Callable[[list[str], tuple[n.Value, ...]], _Form]

_FOREIGN: dict[str, _Rule] = {
    "quniform": _q("uniform"),
    "qloguniform": _q("loguniform"),
    "qrandn": _q("normal"),
    "qnormal": _q("normal"),
    "qlognormal": _q("lognormal"),
    "q_uniform": _q("uniform"),
    "q_log_uniform_values": _q("loguniform"),
    "q_normal": _q("normal"),
    "q_log_normal": _q("lognormal"),
    "qrandint": lambda a, nodes: _inclusive(a, nodes, step=True),
    "randn": lambda a, nodes: ("normal(0, 1)", "") if not a else _renamed("normal", 2)(a, nodes),
    "gauss": _renamed("normal", 2),
    "gaussian": _renamed("normal", 2),
    "log_normal": _renamed("lognormal", 2),
    "interval": _renamed("uniform", 2),
    "log_uniform_values": _renamed("loguniform", 2),
    "int_uniform": _inclusive,
    "suggest_int": _inclusive,
    "suggest_float": _renamed("uniform", 2, " (or `loguniform` for `log=True`)"),
    "suggest_categorical": _choices,
    "categorical": _choices,
    "choices": _choices,
    "rand": lambda a, nodes: ("uniform(0, 1)", "") if not a else None,
    "random": lambda a, nodes: ("uniform(0, 1)", "") if not a else None,
    "grid_search": _grid,
    "range": _range,
    "int": _int_of,
    "tag": _tag,
}

# Names whose meaning differs too much for a rewrite: what to write instead.
_EXPLAINED = {
    "log_uniform": "write `loguniform(a, b)` with the bounds themselves (`log_uniform` in W&B and hyperopt "
                   "takes their logarithms)",
    "lograndint": "write `loguniform(a, b) step 1` for integers spread evenly in log space",
    "qlograndint": "write `loguniform(a, b) step q` for integers spread evenly in log space",
    "sample_from": "a `.mint` value cannot call code: write the values, or a distribution such as `uniform(0, 1)`",
}


def _unknown_hint(node: n.Distribution) -> str | Hint:
    """What to write instead of a distribution name that is not one: the
    name without a library's prefix, the `.mint` form of another tool's
    name, or the nearest name."""
    import difflib

    base = node.name.rsplit(".", 1)[-1]
    lowered = base.lower()
    call = node.name_span.to(node.args_span)
    args = node.args
    labelled = len(args) > 1 and isinstance(args[0], n.Str) and not isinstance(args[1], n.Str)
    if labelled and (node.name != base or lowered.startswith("suggest_")):
        args = args[1:]  # a label, as in `hp.uniform("lr", 0, 1)` or `trial.suggest_float("lr", 0, 1)`
    texts = [a.span.text for a in args]
    if lowered in DISTRIBUTIONS:
        if args != node.args and not node.keywords:
            text = f"{lowered}({', '.join(texts)})"
            return Hint.edit(f"write `{text}`: the key names the value", f"Change to `{text}`", Edit(call, text))
        why = f"a distribution has no `{node.name[: -len(base)]}` prefix" if base != node.name else "names are lowercase"
        return Hint.edit(f"write `{lowered}`: {why}", f"Change to `{lowered}`", Edit(node.name_span, lowered))
    rule = _FOREIGN.get(lowered)
    form = rule(texts, args) if rule is not None and not node.keywords else None
    if form is not None and (node.step is None or " step " not in form[0]):
        text, why = form
        return Hint.edit(f"write `{text}`{why}", f"Change to `{text}`", Edit(call, text))
    if lowered in _EXPLAINED:
        return _EXPLAINED[lowered]
    close = difflib.get_close_matches(lowered, DISTRIBUTIONS, n=1, cutoff=0.6)
    if close:
        return Hint.edit(f"did you mean `{close[0]}`?", f"Change to `{close[0]}`", Edit(node.name_span, close[0]))
    listed = ", ".join(f"`{d}`" for d in DISTRIBUTIONS[:-1])
    return f"the distributions are {listed} and `{DISTRIBUTIONS[-1]}`"


def build(source: Source, tree: ParseTree, errors: Collector, by: int = 0) -> n.File:
    """The AST of a parsed source (of a tree whose positions are `by` lines
    short of the source's: a document's tree reused after lines were added
    above it, see `documents`)."""
    return Builder(source, errors, by).file(tree)
