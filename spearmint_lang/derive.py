"""Expressions in the front end: computed values (`lr: 0.1 * ${batch_size} / 256`,
`"runs/${model}"`) and the expressions of `where`.

An expression is compiled to the span-free form of `predicate` (the one
evaluator of `where` and of computed values); one made of literals and
`let` names only is computed here, once. For a computed value the paths it
reads are checked against the document (unknown paths with "did you mean",
cycles), and the types they can hold -- the values their axes can take --
are checked at each operator before anything is expanded. What depends on
the config (a type only some configs give, a division by zero) is checked
per config at run time (`compute`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from typing import NamedTuple

from . import nodes as n
from .codes import Code
from .compute import Computed
from .dynamic import Json
from .errors import Collector, did_you_mean
from .predicate import (Arith, Cmp, ComputeError, Cond, Const, Expr, Func, Get, Join, Loc, Negate, Neg, OneOf, Text,
                        evaluate, kind_of, read_paths)
from .source import Span

Path = tuple[str, ...]
Kinds = dict[Path, set[str]]
ANY = {"number", "string", "bool", "null", "list", "object"}
UNKNOWN_NAME = object()
"""What `LetValue` gives for a name that is not defined (reported)."""
COMPUTED = "computed"  # the kind of a key whose value is computed per config (after `where` filters)
SAMPLED = "sampled"  # the kind of a key whose value a distribution draws (after `where` filters)
NOT_FIXED = object()
"""What `LetValue` gives for a name that is not a fixed value (a sweep, a distribution)."""

class Inline(NamedTuple):
    """What `LetValue` gives for a name whose value reads the config
    (`let run = "${model}-${seed}"`): its expression, used in place of the name."""

    expr: n.Expr


# The value of a `let` name: its JSON, `Inline`, `NOT_FIXED`, or `UNKNOWN_NAME` (reported).
LetValue = Callable[[n.Ref], Json]
# The expression of a path in a `where` that is not a key but a `let` name, else None.
PathValue = Callable[[n.Path], "Expr | None"]


def loc(span: Span) -> Loc:
    """A span as the plain data the run time keeps."""
    return (span.file, span.line, span.column, span.end_line, span.end_column, span.source.line(span.line))


def _literal(node: n.Str | n.Number | n.Bool | n.Null) -> Json:
    return None if isinstance(node, n.Null) else node.value


class Compiler:
    """Compiles AST expressions to `predicate` expressions."""

    def __init__(self, errors: Collector, let_value: LetValue, path_value: PathValue | None = None) -> None:
        self.errors = errors
        self.let_value = let_value
        self.path_value = path_value
        self.failed = False  # an unknown name was met (reported): the expression is not computed

    def expr(self, node: n.Expr) -> Expr:
        if isinstance(node, n.Path):
            if self.path_value is not None:
                found = self.path_value(node)
                if found is not None:
                    return found
            return Get(node.parts)
        if isinstance(node, n.Literal):
            return Const(_literal(node.value))
        if isinstance(node, n.Ref):
            value = self.let_value(node)
            if value is UNKNOWN_NAME:
                self.failed = True
                return Const(None)
            if isinstance(value, Inline):
                return self.expr(value.expr)
            if value is NOT_FIXED:
                self.errors.error(Code.E101, f"`{node.name}` stands for several values (a sweep or a distribution), "
                                  "so it cannot stand in an expression", node.span,
                                  hint="an expression reads one value: sweep a key and read it as `${key}`")
                return Const(None)
            return Const(value)
        if isinstance(node, n.ListValue):
            items = []
            for item in node.items:
                if isinstance(item, (n.Str, n.Number, n.Bool, n.Null)):
                    items.append(_literal(item))
                    continue
                inner = self.expr(item.expr if isinstance(item, n.Derived) else item) \
                    if isinstance(item, (n.Derived, n.Ref, n.ListValue)) else None
                if not isinstance(inner, Const):
                    self.errors.error(Code.E095, "a list in an expression holds fixed values", item.span,
                                      hint="write the values themselves (or `let` names of them), not sweeps or `${...}`")
                    return Const([])
                items.append(inner.value)
            return Const(items)
        if isinstance(node, n.Compare):
            return Cmp(node.op, self.expr(node.left), self.expr(node.right))
        if isinstance(node, n.Contains):
            options = self.expr(node.options)
            if not isinstance(options, Const) or not isinstance(options.value, list):
                self.errors.error(Code.E099, "`in` takes a list of values, or the `let` name of one", node.options.span,
                                  hint='e.g. `model in ["a", "b"]`, or `let allowed = ["a", "b"]` and `model in allowed`')
                return Const(False)
            return OneOf(self.expr(node.operand), tuple(options.value), node.negated)
        if isinstance(node, n.Not):
            return Negate(self.expr(node.operand))
        if isinstance(node, n.BoolOp):
            return Join(node.op == "and", tuple(self.expr(op) for op in node.operands))
        if isinstance(node, n.Binary):
            return Arith(node.op, self.expr(node.left), self.expr(node.right), loc(node.span))
        if isinstance(node, n.Negative):
            return Neg(self.expr(node.operand), loc(node.span))
        if isinstance(node, n.IfElse):
            return Cond(self.expr(node.test), self.expr(node.then), self.expr(node.otherwise), loc(node.span))
        if isinstance(node, n.Call):
            if not _arity_ok(node):  # (E095, reported by the builder)
                self.failed = True
                return Const(None)
            return Func(node.name, tuple(self.expr(a) for a in node.args), loc(node.span))
        assert isinstance(node, n.Interpolated)
        return Text(node.pieces, tuple(self.expr(p) for p in node.paths), loc(node.span))


def _arity_ok(node: n.Call) -> bool:
    """Whether a call has as many arguments as its function takes."""
    least, most = n.FUNCTIONS[node.name]
    return least <= len(node.args) <= most


def fold(expr: Expr, span: Span, errors: Collector) -> tuple[bool, Json]:
    """The value of an expression that reads no path, computed now: (True,
    value), or (False, None) after reporting why it fails (E099)."""
    try:
        return True, evaluate(expr)({})
    except ComputeError as exc:
        errors.error(Code.E099, exc.message, _span_of(exc.loc, span))
        return False, None


def _span_of(at: Loc, inside: Span) -> Span:
    return Span(inside.source, at[1], at[2], at[3], at[4])


def derived(node: n.Derived, compiler: Compiler) -> Json:
    """A computed value: its value when it reads no path, else a `Computed`."""
    expr = compiler.expr(node.expr)
    if compiler.failed:
        return None
    if not read_paths(expr):
        ok, value = fold(expr, node.span, compiler.errors)
        return value if ok else None
    return Computed(expr, loc(node.span))


# --- checks against the document -------------------------------------------------------------

_WORDS = {"number": "a number", "string": "a string", "bool": "a boolean", "null": "null", "list": "a list",
          "object": "an object"}


def names(kinds: set[str]) -> str:
    """Kinds as words: "a number or a string"."""
    return " or ".join(_WORDS[k] for k in sorted(kinds))


class Checker:
    """The paths and types of a document's computed values (and of `where`
    expressions): `kinds` holds the types each path can have."""

    def __init__(self, kinds: Kinds, errors: Collector, let_value: LetValue) -> None:
        self.kinds = kinds
        self.errors = errors
        self.let_value = let_value

    def unknown(self, path: n.Path) -> None:
        """E097 for a path no config has, with the closest one."""
        close = difflib.get_close_matches(".".join(path.parts), [".".join(p) for p in self.kinds], n=1, cutoff=0.6)
        self.errors.error(Code.E097, f"no config has the key `{'.'.join(path.parts)}`", path.span,
                          hint=did_you_mean(path.span, close[0]) if close else
                          "`${...}` names a key of the config, like `${optimizer.lr}`")

    def infer(self, node: n.Expr) -> set[str] | None:
        """The types an expression can give (None after a mistake, reported)."""
        if isinstance(node, n.Path):
            found = self.kinds.get(node.parts)
            return set(found) if found is not None else None
        if isinstance(node, n.Literal):
            return {kind_of(_literal(node.value))}
        if isinstance(node, n.Ref):
            value = self.let_value(node)
            if isinstance(value, Inline):
                return self.infer(value.expr)
            return None if value is NOT_FIXED or value is UNKNOWN_NAME else {kind_of(value)}
        if isinstance(node, n.ListValue):
            return {"list"}
        if isinstance(node, n.Interpolated):
            ok = all(self.infer(p) is not None for p in node.paths)
            return {"string"} if ok else None
        if isinstance(node, (n.Compare, n.Contains, n.Not, n.BoolOp)):
            ok = all(self.infer(child) is not None for child in node.children()  # type: ignore[arg-type]
                     if not isinstance(node, n.Contains) or child is node.operand)
            return {"bool"} if ok else None
        if isinstance(node, n.Binary):
            left, right = self.infer(node.left), self.infer(node.right)
            if left is None or right is None:
                return None
            numbers = "number" in left and "number" in right
            if node.op == "+":
                strings = "string" in left and "string" in right
                if not numbers and not strings:
                    return self.wrong(node, "`+` adds two numbers or joins two strings", left, right,
                                      "to put a number in a string, write `str(x)` or use `\"...${key}...\"`")
                return ({"number"} if numbers else set()) | ({"string"} if strings else set())
            if not numbers:
                return self.wrong(node, f"`{node.op}` computes with numbers", left, right)
            return {"number"}
        if isinstance(node, n.Negative):
            inner = self.infer(node.operand)
            if inner is None:
                return None
            if "number" not in inner:
                self.errors.error(Code.E099, f"`-` needs a number, not {names(inner)}", node.span)
                return None
            return {"number"}
        if isinstance(node, n.IfElse):
            test, then, otherwise = self.infer(node.test), self.infer(node.then), self.infer(node.otherwise)
            if test is not None and "bool" not in test:
                self.errors.error(Code.E099, f"`if` needs true or false, not {names(test)}", node.test.span,
                                  hint="compare, as in `if ${batch_size} > 64 then ... else ...`")
                return None
            if test is None or then is None or otherwise is None:
                return None
            return then | otherwise
        assert isinstance(node, n.Call)
        if not _arity_ok(node):
            return None  # (E095, reported by the builder)
        args = [self.infer(a) for a in node.args]
        if any(a is None for a in args):
            return None
        kinds = [a for a in args if a is not None]
        if node.name == "str":
            return {"string"}
        if node.name == "len":
            if kinds and not kinds[0] & {"string", "list", "object"}:
                self.errors.error(Code.E099, f"`len` takes a string, a list or an object, not {names(kinds[0])}", node.span)
                return None
            return {"number"}
        if node.name in ("round", "int", "float"):
            takes = {"number"} if node.name == "round" else {"number", "string"}
            if kinds and not kinds[0] & takes:
                self.errors.error(Code.E099, f"`{node.name}` takes {names(takes)}, not {names(kinds[0])}", node.span)
                return None
            return {"number"}
        together = set().union(*kinds) if kinds else set()
        if len(kinds) > 1 and not together & {"number", "string"}:
            self.errors.error(Code.E099, f"`{node.name}` takes numbers, or strings, not {names(together)}", node.span)
            return None
        return {"number", "string"} & together if len(kinds) > 1 else {"number", "string"}

    def wrong(self, node: n.Binary, what: str, left: set[str], right: set[str], hint: str | None = None) -> set[str] | None:
        """E099 at an operator whose operands can never have the types it takes."""
        self.errors.error(Code.E099, f"{what}, not {names(left)} and {names(right)}", operator_span(node), hint=hint)
        return None


def operator_span(node: n.Binary) -> Span:
    """Where the operator of `left OP right` stands (between its operands,
    after any `)` closing the left one)."""
    source = node.span.source
    start = source.offset(node.left.span.end_line, node.left.span.end_column)
    end = source.offset(node.right.span.line, node.right.span.column)
    at = source.text.find(node.op, start, end)
    return source.span(at, at + len(node.op)) if at >= 0 else node.span


def paths_of(expr: n.Expr, let_value: LetValue) -> Iterator[n.Path]:
    """The paths an expression reads, those of the `let` names it uses included."""
    for node in n.walk(expr):
        if isinstance(node, n.Path):
            yield node
        elif isinstance(node, n.Ref):
            value = let_value(node)
            if isinstance(value, Inline):
                yield from paths_of(value.expr, let_value)


def check_computed(computed: list[tuple[Path, n.Derived, bool]], kinds: Kinds, required: set[Path],
                   errors: Collector, let_value: LetValue) -> None:
    """The computed values of a document (with their key paths, and whether
    each stands in a `variants` alternative) against it: unknown paths
    (E097), values that read each other in a circle (E098), types (E099),
    and keys only some configs have (W007: not for a value in an
    alternative, which reads that alternative's keys). `kinds` and
    `required` are the document's paths (`where.path_kinds`,
    `where.required_paths`); `kinds` is completed with the computed ones."""
    checker = Checker(kinds, errors, let_value)
    mine: dict[Path, list[n.Derived]] = {}
    everywhere: set[Path] = set()  # computed values outside `variants` alternatives
    for path, node, in_alternative in computed:
        mine.setdefault(path, []).append(node)
        if not in_alternative:
            everywhere.add(path)
    reads: dict[Path, list[n.Path]] = {}
    reported: set[int] = set()  # (a path of a `let` used twice is reported once)
    for path, nodes in mine.items():
        reads[path] = [p for node in nodes for p in paths_of(node.expr, let_value)]
        for p in reads[path]:
            if p.parts not in kinds and id(p) not in reported:
                reported.add(id(p))
                checker.unknown(p)
    every = [p for p, k in kinds.items() if COMPUTED in k]
    uses = {path: [(p, q) for p in reads[path] for q in every if p.parts[: len(q)] == q or q[: len(p.parts)] == p.parts]
            for path in mine}
    order = _order(mine, uses, errors)
    for path in every + [p for p, k in kinds.items() if SAMPLED in k]:
        kinds[path] = set(ANY)  # (until inferred below; a base's computed value, a drawn value: any type)
    for path in order:
        if any(p.parts not in kinds for p in reads[path]):
            continue
        found: set[str] = set()
        for node in mine[path]:
            found |= checker.infer(node.expr) or ANY
        kinds[path] = found
    warned: set[Path] = set()
    for path in order:
        if path not in required or path not in everywhere:
            continue  # (in a `variants` alternative: it reads that alternative's keys)
        for node in mine[path]:
            for p in paths_of(node.expr, let_value):
                if p.parts in kinds and p.parts not in required and p.parts not in warned:
                    warned.add(p.parts)
                    dotted = ".".join(p.parts)
                    errors.warn(Code.W007, f"some configs have no `{dotted}`: for them this value cannot be "
                                "computed, and writing them is an error", p.span,
                                hint=f"set `{dotted}` in every `variants` alternative, or compute this value inside "
                                     "the alternatives that have it")


def _order(mine: dict[Path, list[n.Derived]], uses: dict[Path, list[tuple[n.Path, Path]]],
           errors: Collector) -> list[Path]:
    """The computed paths, each after those it reads; a circle is E098, at
    the path that closes it."""
    state: dict[Path, int] = {}  # 1: being visited, 2: done
    order: list[Path] = []
    stack: list[Path] = []

    def visit(path: Path, via: n.Path | None) -> None:
        if state.get(path) == 2 or path not in mine:
            return
        if state.get(path) == 1:
            assert via is not None
            circle = stack[stack.index(path):] + [path]
            shown = " -> ".join(f"`{'.'.join(p)}`" for p in circle)
            errors.error(Code.E098, f"these values are computed from each other: {shown}", via.span,
                         hint="compute each value from swept or fixed keys, or from values computed before it, "
                              "never in a circle")
            return
        state[path] = 1
        stack.append(path)
        for p, q in uses[path]:
            visit(q, p)
        stack.pop()
        state[path] = 2
        order.append(path)

    for path in mine:
        visit(path, None)
    return order
