"""The fast path of the parser: a recursive-descent reader of `.mint` text
that builds exactly the tree Lark builds from `grammar/mint.lark`.

Lark's LALR parser spends most of a compile building its tree (every
single-child rule is reduced, then inlined; positions are propagated by
wrappers). This reader makes the same tree directly: the same rule names,
every kept token with Lark's type and position, the same `meta` positions.
It reads only what it is sure of, as Lark's contextual lexer would lex it;
anything else -- every mistake, and the rare forms it does not take, such
as a keyword used as a `let` name in a value -- makes it decline (`None`),
and Lark parses the text, with its error recovery and messages. So Lark's
grammar stays the definition of the language; tests/test_descent.py checks
that both give the same tree for every example, generated program and
mutation of one, and that this reader takes no text Lark rejects.

How Lark lexes, which this reader follows: a word is a keyword's token only
where the grammar accepts that keyword (else a `NAME`); a `-` right before a
digit is the sign of a number where a number may stand, else an operator.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lark import ParseTree, Token, Tree
from lark.tree import Meta

from .brackets import MAX_DEPTH

_TOKEN = re.compile(
    r'(?P<LONG_STRING>"""[\s\S]*?""")'
    r"|(?P<FLOAT>[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+))"
    r"|(?P<INT>[0-9]+(?:_[0-9]+)*)"
    r"|(?P<NAME>[A-Za-z_][A-Za-z0-9_-]*)"
    r'|(?P<STRING>"(?:[^"\\\n]|\\[^\n])*")'
    r"|(?P<_NL>(?:\n[ \t\f]*|#[^\n]*)+)"
    r"|(?P<WS>[ \t\f]+)"
    r"|(?P<DOCSEP>^---[ \t]*$)"
    r"|(?P<DOTDOT>\.\.<?)"
    r"|(?P<OP>\*\*|//|\$\{|==|!=|<=|>=|[-<>+*/%.,:=|?()\[\]{}])",
    re.M,
)
_OPS = {
    "**": "POW", "//": "DSLASH", "${": "DOLLAR_BRACE", "-": "MINUS", "+": "PLUS", "*": "STAR", "/": "SLASH",
    "%": "PERCENT", ".": "DOT", ",": "COMMA", ":": "COLON", "=": "EQUAL", "|": "VBAR", "?": "QMARK",
    "(": "LPAR", ")": "RPAR", "[": "LSQB", "]": "RSQB", "{": "LBRACE", "}": "RBRACE",
    "==": "COMPOP", "!=": "COMPOP", "<=": "COMPOP", ">=": "COMPOP", "<": "COMPOP", ">": "COMPOP",
}
# Every word of the language (each is also a valid key), by its token type.
KEYWORDS = {
    "step": "STEP", "sample": "SAMPLE", "seed": "SEED", "count": "COUNT", "import": "IMPORT", "as": "AS",
    "if": "IF", "then": "THEN", "else": "ELSE", "delete": "DELETE", "let": "LET", "zip": "ZIP",
    "variants": "VARIANTS", "where": "WHERE", "not": "NOT", "and": "AND", "or": "OR", "in": "IN",
    "extends": "EXTENDS", "schema": "SCHEMA", "true": "TRUE", "false": "FALSE", "null": "NULL",
}
# The words of the language that may begin a value.
_VALUE_WORDS = frozenset({"if", "not", "true", "false", "null", "delete"})
# Words beginning an item of a document (unless a key: followed by `:` or `.`).
_ITEM_WORDS = frozenset({"let", "zip", "variants", "where", "extends", "schema", "sample", "import"})
_CONSTANTS = {"true": "true", "false": "false", "null": "null"}
_NUMBERS = ("INT", "FLOAT")
_MAX_DEPTH = 120  # deeper expressions (`not not not ...`) are left to Lark


class Decline(Exception):
    """This reader does not take the text: Lark parses it."""


def parse(text: str) -> ParseTree | None:
    """The tree Lark would give for `text`, or None when this reader
    declines it (a mistake, or a form it leaves to Lark)."""
    try:
        tokens = _tokens(text)
        if tokens is None:
            return None
        return _Reader(tokens).start()
    except (Decline, RecursionError):
        return None


def _token(kind: str, value: str, start: int, line: int, column: int, end_line: int, end_column: int,
           end: int) -> Token:
    """A Lark token, made without Lark's argument handling."""
    tok = str.__new__(Token, value)
    tok.type = kind
    tok.value = value
    tok.start_pos = start
    tok.line = line
    tok.column = column
    tok.end_line = end_line
    tok.end_column = end_column
    tok.end_pos = end
    return tok


def _tokens(text: str) -> list[Token] | None:
    """Every token of `text` but blanks, with Lark's positions; words are
    `NAME`s and numbers unsigned until the reader knows better. None when a
    character starts no token."""
    out: list[Token] = []
    append = out.append
    line, line_start, pos = 1, 0, 0
    ops = _OPS
    new = str.__new__
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "WS":
            if m.start() != pos:
                return None  # a character no token begins with
            pos = m.end()
            continue
        start, end = m.span()
        if start != pos:
            return None
        pos = end
        value = m.group()
        tok = new(Token, value)
        tok.type = ops[value] if kind == "OP" else kind  # type: ignore[assignment]
        tok.value = value
        tok.start_pos = start
        tok.end_pos = end
        tok.line = line
        tok.column = start - line_start + 1
        if (kind == "_NL" or kind == "LONG_STRING") and "\n" in value:
            line += value.count("\n")
            line_start = start + value.rindex("\n") + 1
        tok.end_line = line
        tok.end_column = end - line_start + 1
        append(tok)
    if pos != len(text):
        return None
    append(_token("$END", "", len(text), line, len(text) - line_start + 1, line, len(text) - line_start + 1, len(text)))
    return out


def _meta(first: Token | ParseTree, last: Token | ParseTree) -> Meta:
    """The positions of a rule whose first and last parts are these (a
    token, or a rule that is not empty), as Lark propagates them."""
    meta = Meta.__new__(Meta)
    meta.empty = False
    if isinstance(first, Token):
        meta.line, meta.column, meta.start_pos = first.line, first.column, first.start_pos  # type: ignore[assignment]
    else:
        fm = first.meta
        meta.line, meta.column, meta.start_pos = fm.line, fm.column, fm.start_pos
    if isinstance(last, Token):
        meta.end_line, meta.end_column, meta.end_pos = last.end_line, last.end_column, last.end_pos  # type: ignore[assignment]
    else:
        lm = last.meta
        meta.end_line, meta.end_column, meta.end_pos = lm.end_line, lm.end_column, lm.end_pos
    return meta


def _tree(data: str, children: list[Token | ParseTree]) -> ParseTree:
    """A rule's tree (its children are not empty)."""
    return Tree(data, children, _meta(children[0], children[-1]))


def _maybe_empty(data: str, children: list[Token | ParseTree]) -> ParseTree:
    """A rule's tree that may have no part (a document), or whose parts may
    be empty documents: Lark's positions skip those."""
    parts = [c for c in children if isinstance(c, Token) or not c.meta.empty]
    if not parts:
        meta = Meta.__new__(Meta)
        meta.empty = True
        return Tree(data, children, meta)
    return Tree(data, children, _meta(parts[0], parts[-1]))


class _Reader:
    """One pass over the tokens of a text; each method reads one rule and
    returns its tree, or raises `Decline`."""

    def __init__(self, tokens: list[Token]) -> None:
        self.toks = tokens
        self.i = 0
        self.depth = 0  # recursion, to leave deep expressions to Lark
        self.nest = 0  # lists, objects, schema bodies and `not`s around here (E017 beyond MAX_DEPTH)

    # tokens ------------------------------------------------------------
    def peek(self) -> Token:
        return self.toks[self.i]

    def take(self) -> Token:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, kind: str) -> Token:
        tok = self.toks[self.i]
        if tok.type != kind:
            raise Decline
        self.i += 1
        return tok

    def word(self, word: str) -> Token:
        """The keyword `word`, which must come next."""
        tok = self.toks[self.i]
        if tok.type != "NAME" or tok.value != word:
            raise Decline
        tok.type = KEYWORDS[word]
        self.i += 1
        return tok

    def at_word(self, word: str) -> bool:
        tok = self.toks[self.i]
        return tok.type == "NAME" and tok.value == word

    def number(self) -> Token | None:
        """A number where Lark lexes `-` before a digit as its sign (and not
        as an operator); None when no number comes next."""
        toks, i = self.toks, self.i
        tok = toks[i]
        if tok.type in _NUMBERS:
            self.i = i + 1
            return tok
        if tok.type == "MINUS":
            after = toks[i + 1]
            if after.type in _NUMBERS and after.start_pos == tok.end_pos:
                self.i = i + 2
                return _token(after.type, "-" + after.value, tok.start_pos or 0, tok.line or 1, tok.column or 1,
                              after.end_line or 1, after.end_column or 1, after.end_pos or 0)
        return None

    def sep(self, children: list[Token | ParseTree]) -> bool:
        """Newlines, comments and commas, into `children`; whether any."""
        toks, i = self.toks, self.i
        start = i
        while toks[i].type == "_NL" or toks[i].type == "COMMA":
            children.append(toks[i])
            i += 1
        self.i = i
        return i != start

    # structure -----------------------------------------------------------
    def start(self) -> ParseTree:
        children: list[Token | ParseTree] = [self.document()]
        while self.peek().type == "DOCSEP":
            children.append(self.take())
            children.append(self.document())
        if self.peek().type != "$END":
            raise Decline
        return _maybe_empty("start", children)

    def document(self) -> ParseTree:
        children: list[Token | ParseTree] = []
        self.sep(children)
        while self.peek().type not in ("DOCSEP", "$END"):
            children.append(self.item())
            if not self.sep(children):
                break
        return _maybe_empty("document", children)

    def item(self) -> ParseTree:
        tok = self.peek()
        if tok.type == "NAME" and tok.value in _ITEM_WORDS and self.toks[self.i + 1].type not in ("COLON", "DOT"):
            return getattr(self, "item_" + tok.value)()  # type: ignore[no-any-return]
        return self.entry()

    def entry(self) -> ParseTree:
        children: list[Token | ParseTree] = [self.key()]
        while self.peek().type == "DOT":
            children.append(self.take())
            children.append(self.key())
        children.append(self.expect("COLON"))
        children.append(self.value())
        return _tree("entry", children)

    def key(self) -> ParseTree:
        tok = self.take()
        if tok.type == "NAME":
            tok.type = KEYWORDS.get(tok.value, "NAME")
        elif tok.type != "STRING":
            raise Decline
        return _tree("key", [tok])

    def item_let(self) -> ParseTree:
        let = self.word("let")
        name = self.expect("NAME")
        return _tree("let", [let, name, self.expect("EQUAL"), self.value()])

    def item_zip(self) -> ParseTree:
        word = self.word("zip")
        if self.peek().type != "LBRACE":
            raise Decline
        return _tree("zip", [word, self.object()])

    def item_variants(self) -> ParseTree:
        word = self.word("variants")
        if self.peek().type != "LSQB":
            raise Decline
        return _tree("variants", [word, self.list()])

    def item_where(self) -> ParseTree:
        word = self.word("where")
        return _tree("where", [word, self.expr()])

    def item_extends(self) -> ParseTree:
        word = self.word("extends")
        return _tree("extends", [word, self.string()])

    def item_import(self) -> ParseTree:
        word = self.word("import")
        target = self.string()
        as_ = self.word("as")
        return _tree("import", [word, target, as_, self.expect("NAME")])

    def item_sample(self) -> ParseTree:
        children: list[Token | ParseTree] = [self.word("sample"), self.bound()]
        if self.at_word("seed"):
            children.append(self.word("seed"))
            children.append(self.bound())
        else:
            seed = self.number()
            if seed is not None:
                children.append(_tree("bare_seed", [seed]))
        method = self.peek()
        if method.type == "NAME":
            if method.value in KEYWORDS:
                raise Decline  # Lark's lexer may read it as the keyword there
            children.append(self.take())
        return _tree("sample", children)

    def item_schema(self) -> ParseTree:
        word = self.word("schema")
        return _tree("schema", [word, self.schema_body()])

    def schema_body(self) -> ParseTree:
        self.inside()
        children: list[Token | ParseTree] = [self.expect("LBRACE")]
        self.sep(children)
        while self.peek().type != "RBRACE":
            children.append(self.field())
            if not self.sep(children) and self.peek().type != "RBRACE":
                raise Decline
        children.append(self.take())
        self.nest -= 1
        return _tree("schema_body", children)

    def field(self) -> ParseTree:
        children: list[Token | ParseTree] = [self.key()]
        if self.peek().type == "QMARK":
            children.append(self.take())
        children.append(self.expect("COLON"))
        children.append(self.type_alt())
        while self.peek().type == "VBAR":
            children.append(self.take())
            children.append(self.type_alt())
        return _tree("field", children)

    def type_alt(self) -> ParseTree:
        tok = self.peek()
        if tok.type == "NAME":
            if tok.value in _CONSTANTS:
                self.i += 1
                tok.type = KEYWORDS[tok.value]
                return _tree("type_literal", [tok])
            self.i += 1
            children: list[Token | ParseTree] = [tok]
            if self.at_word("in"):
                children.append(self.word("in"))
                children.append(self.bound())
                children.append(self.expect("DOTDOT"))
                children.append(self.bound())
            return _tree("type_name", children)
        if tok.type in ("STRING", "LONG_STRING"):
            return _tree("type_literal", [self.string()])
        if tok.type == "LBRACE":
            return _tree("type_object", [self.schema_body()])
        number = self.number()
        if number is None:
            raise Decline
        return _tree("type_literal", [number])

    # values ----------------------------------------------------------------
    def value(self) -> ParseTree:
        """`?value: expr | sweep | range | DELETE -> delete`."""
        toks, i = self.toks, self.i
        tok = toks[i]
        kind = tok.type
        if kind == "NAME":
            word = tok.value
            if word in _VALUE_WORDS:
                if word == "delete":
                    self.i += 1
                    tok.type = "DELETE"
                    return _tree("delete", [tok])
                if word != "true" and word != "false" and word != "null":
                    return self.expr()
            else:  # a name: a range's bound when `..` follows it (or its dots)
                j = i + 1
                while toks[j].type == "DOT" and toks[j + 1].type == "NAME":
                    j += 2
                if toks[j].type == "DOTDOT":
                    return self.range()
        elif kind in _NUMBERS:
            after = toks[i + 1].type
            if after == "DOTDOT":
                return self.range()
            if after in _ENDS:  # the most common value: a lone number
                self.i = i + 1
                return _tree("int" if kind == "INT" else "float", [tok])
        elif kind == "MINUS":
            after = toks[i + 1]
            if after.type in _NUMBERS and after.start_pos == tok.end_pos and toks[i + 2].type == "DOTDOT":
                return self.range()
        elif kind == "STRING" and toks[i + 1].type in _ENDS:
            self.i = i + 1
            return _tree("string", [tok])
        operand = self.product()
        if self.peek().type == "STAR":
            return _tree("sweep", [operand, self.take()])
        return self.or_rest(self.and_rest(self.compare_rest(self.sum_rest(operand))))

    def range(self) -> ParseTree:
        children: list[Token | ParseTree] = [self.bound(), self.expect("DOTDOT"), self.bound()]
        if self.at_word("step"):
            children.append(self.word("step"))
            if self.peek().type == "STAR":
                children.append(self.take())
            children.append(self.bound())
        elif self.at_word("count"):
            children.append(self.word("count"))
            children.append(self.bound())
        return _tree("range", children)

    def bound(self) -> ParseTree:
        """`?bound: INT -> int | FLOAT -> float | dotted -> ref` (any word is a name here)."""
        number = self.number()
        if number is not None:
            return _tree("int" if number.type == "INT" else "float", [number])
        if self.peek().type != "NAME":
            raise Decline
        return _tree("ref", [self.dotted()])

    def dotted(self) -> ParseTree:
        children: list[Token | ParseTree] = [self.take()]
        toks = self.toks
        while toks[self.i].type == "DOT" and toks[self.i + 1].type == "NAME":
            children.append(toks[self.i])
            children.append(toks[self.i + 1])
            self.i += 2
        return _tree("dotted", children)

    def string(self) -> ParseTree:
        tok = self.take()
        if tok.type != "STRING" and tok.type != "LONG_STRING":
            raise Decline
        return _tree("string", [tok])

    def list(self) -> ParseTree:
        self.inside()
        children: list[Token | ParseTree] = [self.take()]
        self.sep(children)
        while self.peek().type != "RSQB":
            self.after_separator(())
            children.append(self.value())
            if not self.sep(children) and self.peek().type != "RSQB":
                raise Decline
        children.append(self.take())
        self.nest -= 1
        return _tree("list", children)

    def object(self) -> ParseTree:
        self.inside()
        children: list[Token | ParseTree] = [self.take()]
        self.sep(children)
        while self.peek().type != "RBRACE":
            tok = self.peek()
            if tok.type == "NAME" and tok.value in ("zip", "variants") \
                    and self.toks[self.i + 1].type not in ("COLON", "DOT"):
                children.append(self.item_zip() if tok.value == "zip" else self.item_variants())
            else:
                children.append(self.entry())
            if not self.sep(children) and self.peek().type != "RBRACE":
                raise Decline
        children.append(self.take())
        self.nest -= 1
        return _tree("object", children)

    def after_separator(self, allowed: tuple[str, ...]) -> None:
        """After a separator, Lark's lexer reads every word of the language
        as its keyword (the state there is shared with a document's items):
        in a list or between a call's parentheses, only those that may
        begin a value (and the `allowed` ones) stay what this reader makes
        of them."""
        tok = self.toks[self.i]
        if tok.type == "NAME" and tok.value in KEYWORDS and tok.value not in _VALUE_WORDS \
                and tok.value not in allowed and self.toks[self.i - 1].type in ("_NL", "COMMA"):
            raise Decline

    # expressions -------------------------------------------------------------
    def inside(self) -> None:
        """One more level of nesting; beyond `MAX_DEPTH`, Lark's tree is
        checked by the parser, which says where (E017)."""
        self.nest += 1
        if self.nest > MAX_DEPTH:
            raise Decline

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise Decline

    def expr(self) -> ParseTree:
        """`?expr: conditional` (`if a then b else c`, or a test)."""
        self.deeper()
        if self.at_word("if"):
            children: list[Token | ParseTree] = [self.word("if"), self.or_test()]
            children.append(self.word("then"))
            children.append(self.or_test())
            children.append(self.word("else"))
            children.append(self.expr())
            tree = _tree("if_else", children)
        else:
            tree = self.or_test()
        self.depth -= 1
        return tree

    def or_test(self) -> ParseTree:
        return self.or_rest(self.and_test())

    def or_rest(self, first: ParseTree) -> ParseTree:
        return self.chain(first, "or", "or_test", self.and_test)

    def and_test(self) -> ParseTree:
        return self.and_rest(self.not_test())

    def and_rest(self, first: ParseTree) -> ParseTree:
        return self.chain(first, "and", "and_test", self.not_test)

    def chain(self, first: ParseTree, word: str, rule: str, operand: Callable[[], ParseTree]) -> ParseTree:
        """`first (WORD operand)*`: `first` alone, or the rule's tree."""
        if not self.at_word(word):
            return first
        children: list[Token | ParseTree] = [first]
        while self.at_word(word):
            children.append(self.word(word))
            children.append(operand())
        return _tree(rule, children)

    def not_test(self) -> ParseTree:
        if self.at_word("not"):
            self.deeper()
            self.inside()
            word = self.word("not")
            tree = _tree("negation", [word, self.not_test()])
            self.depth -= 1
            self.nest -= 1
            return tree
        return self.compare_rest(self.sum_rest(self.product()))

    def compare_rest(self, left: ParseTree) -> ParseTree:
        tok = self.peek()
        if tok.type == "COMPOP":
            self.i += 1
            return _tree("compare", [left, tok, self.sum()])
        if tok.type == "NAME":
            if tok.value == "in":
                return _tree("contains", [left, self.word("in"), self.sum()])
            if tok.value == "not" and self.toks[self.i + 1].type == "NAME" and self.toks[self.i + 1].value == "in":
                return _tree("not_contains", [left, self.word("not"), self.word("in"), self.sum()])
        return left

    def sum(self) -> ParseTree:
        return self.sum_rest(self.product())

    def sum_rest(self, left: ParseTree) -> ParseTree:
        toks = self.toks
        while toks[self.i].type in ("PLUS", "MINUS"):
            op = self.take()
            after = toks[self.i]
            if op.type == "MINUS" and after.type in _NUMBERS and after.start_pos == op.end_pos:
                raise Decline  # `x -1`: where Lark's lexer reads the number `-1` (after a name, a bound)
            left = _tree("binary", [left, op, self.product()])
        return left

    def product(self) -> ParseTree:
        left = self.unary()
        toks = self.toks
        while True:
            kind = toks[self.i].type
            if kind == "STAR":
                if toks[self.i + 1].type not in _OPERAND_STARTS:
                    return left  # `x*` then the end of a value: a sweep
            elif kind not in ("SLASH", "DSLASH", "PERCENT"):
                return left
            op = self.take()
            left = _tree("binary", [left, op, self.unary()])

    def unary(self) -> ParseTree:
        tok = self.peek()
        if tok.type == "MINUS":
            number = self.number()
            if number is None:
                self.deeper()
                self.i += 1
                tree = _tree("negative", [tok, self.unary()])
                self.depth -= 1
                return tree
            operand = _tree("int" if number.type == "INT" else "float", [number])
        else:
            operand = self.primary()
        if self.peek().type == "POW":
            self.deeper()
            op = self.take()
            operand = _tree("binary", [operand, op, self.unary()])
            self.depth -= 1
        return operand

    def primary(self) -> ParseTree:
        tok = self.take()
        kind = tok.type
        if kind == "NAME":
            constant = _CONSTANTS.get(tok.value)
            if constant is not None:
                tok.type = KEYWORDS[tok.value]
                return _tree(constant, [tok])
            if tok.value in KEYWORDS:
                raise Decline  # a word of the language as a name: Lark's lexer decides
            self.i -= 1
            name = self.dotted()
            if self.peek().type == "LPAR":
                return self.distribution(name)
            return _tree("ref", [name])
        if kind in _NUMBERS:
            return _tree("int" if kind == "INT" else "float", [tok])
        if kind == "STRING" or kind == "LONG_STRING":
            return _tree("string", [tok])
        if kind == "LSQB":
            self.i -= 1
            self.deeper()
            tree = self.list()
            self.depth -= 1
            return tree
        if kind == "LBRACE":
            self.i -= 1
            self.deeper()
            tree = self.object()
            self.depth -= 1
            return tree
        if kind == "LPAR":
            self.deeper()
            inner = self.expr()
            tree = _tree("group", [tok, inner, self.expect("RPAR")])
            self.depth -= 1
            return tree
        if kind == "DOLLAR_BRACE":
            children: list[Token | ParseTree] = [tok, self.key()]
            while self.peek().type == "DOT":
                children.append(self.take())
                children.append(self.key())
            children.append(self.expect("RBRACE"))
            return _tree("config_path", children)
        raise Decline

    def distribution(self, name: ParseTree) -> ParseTree:
        args: list[Token | ParseTree] = [self.take()]
        self.sep(args)
        self.deeper()
        while self.peek().type != "RPAR":
            self.after_separator(("step",))  # (`step:`, a keyword argument to write after the `)`)
            tok = self.peek()
            if tok.type == "NAME" and self.toks[self.i + 1].type == "COLON":
                if tok.value in _VALUE_WORDS:
                    raise Decline
                self.i += 1
                tok.type = "STEP" if tok.value == "step" else "NAME"
                colon = self.take()
                args.append(_tree("dist_keyword", [tok, colon, self.value()]))
            elif tok.type == "NAME" and tok.value == "step":
                raise Decline
            else:
                args.append(self.value())
            if not self.sep(args) and self.peek().type != "RPAR":
                raise Decline
        self.depth -= 1
        args.append(self.take())
        children: list[Token | ParseTree] = [name, _tree("dist_args", args)]
        if self.at_word("step"):
            children.append(self.word("step"))
            children.append(self.bound())
        return _tree("distribution", children)


# What may end a value (a lone number or string is the whole value when one follows).
_ENDS = frozenset({"_NL", "COMMA", "RSQB", "RBRACE", "RPAR", "DOCSEP", "$END"})
# What may begin an operand after `*` (else the `*` ends a sweep).
_OPERAND_STARTS = frozenset({"MINUS", "INT", "FLOAT", "STRING", "LONG_STRING", "NAME", "LSQB", "LBRACE", "LPAR",
                             "DOLLAR_BRACE"})
