"""`where` filters in the front end: checked against the paths and types a
document can produce (before expanding anything), then compiled to the
span-free form of `predicate`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from . import nodes as n
from .codes import Code
from .compute import Computed
from .derive import COMPUTED, NOT_FIXED, SAMPLED, Checker, Compiler, Inline, LetValue
from .dynamic import DynamicValue, Json, Template, Variants, Zip
from .errors import Collector, did_you_mean
from .predicate import ORDER, Const, Expr, kind_of
from .ranges import Indexed
from .sampling import Choice, Distribution

Kinds = dict[tuple[str, ...], set[str]]
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # a part of a path (the grammar's NAME)


def path_kinds(template: Template) -> Kinds:
    """Every key path any config of `template` can have, with its types."""
    found: Kinds = {}
    _walk(template, (), found)
    return found


def _note(path: tuple[str, ...], value: Json, found: Kinds) -> None:
    if isinstance(value, Computed):
        found.setdefault(path, set()).add(COMPUTED)
        return
    if isinstance(value, Distribution):
        _drawn(path, value, found)
        return
    found.setdefault(path, set()).add(kind_of(value))
    if isinstance(value, dict):
        _walk(value, path, found)


def _drawn(path: tuple[str, ...], value: Json, found: Kinds) -> None:
    """A sampled key, and every path inside the objects a `choice` draws."""
    found.setdefault(path, set()).add(SAMPLED)
    options = value.values if isinstance(value, Choice) else [value] if isinstance(value, dict) else []
    for option in options:
        if isinstance(option, dict):
            for key, inner in option.items():
                if isinstance(key, str):
                    _drawn(path + (key,), inner, found)


def _walk(obj: Template, prefix: tuple[str, ...], found: Kinds) -> None:
    for key, value in obj.items():
        if isinstance(value, Zip):
            for col, vals in value.columns.items():
                for v in _sample(vals):
                    _note(prefix + (col,), v, found)
            continue
        if isinstance(value, Variants):
            for alt in value.alternatives:
                _walk(alt, prefix, found)
            continue
        if not isinstance(key, str):
            continue  # a `where` slot
        path = prefix + (key,)
        if isinstance(value, DynamicValue):
            for v in _sample(value.values):
                if isinstance(v, dict):
                    found.setdefault(path, set()).add("object")
                    _walk(v, path, found)
                else:
                    _note(path, v, found)
        else:
            _note(path, value, found)


def _sample(values: Json) -> list[Json]:
    """Values whose types stand for the whole sweep (a range: its first)."""
    if isinstance(values, Indexed):  # (a range, the lists of a list holding sweeps)
        return [values[0]] if values.size else []
    return list(values)


def required_paths(template: Template) -> set[tuple[str, ...]]:
    """The key paths every config of `template` has."""
    found: set[tuple[str, ...]] = set()
    _required(template, (), found)
    return found


def _required(obj: Template, prefix: tuple[str, ...], found: set[tuple[str, ...]]) -> None:
    for key, value in obj.items():
        if isinstance(value, Zip):
            found.update(prefix + (col,) for col in value.columns)
        elif isinstance(value, Variants):
            alternatives = []
            for alt in value.alternatives:
                each: set[tuple[str, ...]] = set()
                _required(alt, prefix, each)
                alternatives.append(each)
            if alternatives:
                found |= set.intersection(*alternatives)
        elif isinstance(key, str):
            path = prefix + (key,)
            found.add(path)
            if isinstance(value, dict):
                _required(value, path, found)
            elif isinstance(value, DynamicValue) and not isinstance(value.values, Indexed):
                values = list(value.values)
                if values and all(isinstance(v, dict) for v in values):
                    inner = []
                    for v in values:
                        each = set()
                        _required(v, path, each)
                        inner.append(each)
                    found |= set.intersection(*inner)


IsLet = Callable[[str], bool]


def _no_lets(ref: n.Ref) -> Json:
    return NOT_FIXED


def _not_let(name: str) -> bool:
    return False


def check_where(where: n.Where, template: Template, errors: Collector, let_value: LetValue = _no_lets,
                is_let: IsLet = _not_let, kinds: Kinds | None = None) -> bool:
    """Report unknown paths and comparisons of unlike types; True if clean.
    A path that only some configs have is a warning (W002). A path whose
    first part is no key of the document but a `let` name is that name's value.
    `kinds`: `path_kinds(template)`, when the caller has it."""
    if kinds is None:
        kinds = path_kinds(template)
    before = errors.errors()
    scope = _Scope(kinds, errors, let_value, is_let)
    _check(where.expr, scope)
    if errors.errors() != before:
        return False
    required = required_paths(template)
    warned: set[tuple[str, ...]] = set()
    lets = _let_paths(where.expr, scope)
    for path in n.walk(where.expr):
        if isinstance(path, n.Path) and path.parts not in required and path.parts not in warned and id(path) not in lets:
            warned.add(path.parts)
            dotted = ".".join(path.parts)
            errors.warn(Code.W002, f"some configs have no `{dotted}`: for them, `==`, `<`, `in` and the like on it "
                        "are false, and `!=` and `not in` true", path.span,
                        hint=f"set `{dotted}` in every `variants` alternative (or swept object) if every config should have it")
    return True


class _Scope:
    """What checking a `where` needs: the document's paths and the `let` names."""

    def __init__(self, kinds: Kinds, errors: Collector, let_value: LetValue, is_let: IsLet) -> None:
        self.kinds = kinds
        self.errors = errors
        self.let_value = let_value
        self.is_let = is_let
        self.keys = {p[0] for p in kinds}

    def let_of(self, path: n.Path) -> Json:
        """The value of a path naming a `let` (not a key), else NOT_FIXED."""
        if len(path.parts) != 1 or path.parts[0] in self.keys or not self.is_let(path.parts[0]):
            return NOT_FIXED
        value = self.let_value(n.Ref(path.parts[0], path.span))
        return NOT_FIXED if isinstance(value, Inline) else value  # (a name whose value reads the config: a path)


def _let_paths(expr: n.Expr, scope: _Scope) -> set[int]:
    """The ids of the paths of an expression that name `let` values."""
    return {id(p) for p in n.walk(expr) if isinstance(p, n.Path) and scope.let_of(p) is not NOT_FIXED}


# Keys whose values exist only after `where` has filtered: its code, what is said, the hint.
_AFTER_WHERE = {
    SAMPLED: (Code.E093, "sampled: its value is drawn",
              "filter on swept keys only; to limit a sampled key, narrow its distribution"),
    COMPUTED: (Code.E101, "computed: its value is computed",
               "test the values it is computed from: `where` takes the same expressions"),
}


def _operand_kinds(expr: n.Expr, scope: _Scope) -> set[str] | None:
    kinds, errors = scope.kinds, scope.errors
    if isinstance(expr, n.Path):
        value = scope.let_of(expr)
        if value is not NOT_FIXED:
            return {kind_of(value)}
        if expr.parts not in kinds:
            # Only paths a `where` can spell: every key an identifier.
            names = [".".join(p) for p in kinds if all(_NAME.fullmatch(part) for part in p)]
            close = difflib.get_close_matches(".".join(expr.parts), names, n=1, cutoff=0.6)
            errors.error(
                Code.E065, f"no config has the key `{'.'.join(expr.parts)}`", expr.span,
                hint=did_you_mean(expr.span, close[0]) if close else "a `where` path names keys of the configs, like `llm.model`",
            )
            return None
        for kind, (code, what, hint) in _AFTER_WHERE.items():
            if kind in kinds[expr.parts]:
                errors.error(code, f"`{'.'.join(expr.parts)}` is {what} after `where` has filtered the configs, "
                             "so `where` cannot test it", expr.span, hint=hint)
                return None
        return kinds[expr.parts]
    if isinstance(expr, n.Literal):
        return {kind_of(literal(expr.value))}
    if isinstance(expr, (n.Compare, n.Contains, n.Not, n.BoolOp)):
        _check(expr, scope)
        return {"bool"}
    paths = [p for p in n.walk(expr) if isinstance(p, n.Path)]
    known = [_operand_kinds(p, scope) for p in paths]
    if any(k is None for k in known):
        return None
    local = dict(kinds)
    for p, k in zip(paths, known):
        assert k is not None
        local[p.parts] = k
    return Checker(local, errors, scope.let_value).infer(expr)


def _check(expr: n.Expr, scope: _Scope) -> None:
    errors = scope.errors
    if isinstance(expr, n.Compare):
        left = _operand_kinds(expr.left, scope)
        right = _operand_kinds(expr.right, scope)
        if left is None or right is None:
            return
        if expr.op in ORDER:
            usable = (left | right) - {"number", "string"}
            if usable or not (left & right):
                errors.error(Code.E066, f"`{expr.op}` compares numbers or strings of one kind, not {_names(left)} with {_names(right)}",
                             expr.span)
                return
        if not (left & right) and "null" not in left | right:
            errors.error(Code.E066, f"this compares {_names(left)} with {_names(right)}, which is never equal", expr.span,
                         hint="compare a key with a value of its own type")
    elif isinstance(expr, n.Contains):
        left = _operand_kinds(expr.operand, scope)
        if not isinstance(expr.options, n.ListValue):
            options = Compiler(errors, scope.let_value, _path_value(scope)).expr(expr.options)
            values = options.value if isinstance(options, Const) and isinstance(options.value, list) else None
            if values is None:
                errors.error(Code.E067, "`in` takes a list of values, or the `let` name of one", expr.options.span,
                             hint='e.g. `model in ["a", "b"]`, or `let allowed = ["a", "b"]` and `model in allowed`')
                return
            for value in values:
                if left is not None and kind_of(value) not in left and kind_of(value) != "null":
                    errors.error(Code.E066, f"the list holds {_names({kind_of(value)})}, but the key is {_names(left)}",
                                 expr.options.span)
                    return
            return
        for item in expr.options.items:
            if not isinstance(item, (n.Str, n.Number, n.Bool, n.Null)):
                errors.error(Code.E067, "`in [...]` takes a list of literal values", item.span)
            elif left is not None and kind_of(literal(item)) not in left and kind_of(literal(item)) != "null":
                errors.error(Code.E066, f"this value is {_names({kind_of(literal(item))})}, but the key is {_names(left)}", item.span)
    elif isinstance(expr, n.Not):
        _check(expr.operand, scope)
    elif isinstance(expr, n.BoolOp):
        for op in expr.operands:
            _check(op, scope)
    else:
        kinds = _operand_kinds(expr, scope)
        if kinds is not None and "bool" not in kinds:
            errors.error(Code.E099, f"`where` needs true or false, not {_names(kinds)}", expr.span,
                         hint="compare it, as in `where batch_size * accum == 128`")


def _path_value(scope: _Scope) -> Callable[[n.Path], Expr | None]:
    def value(path: n.Path) -> Expr | None:
        found = scope.let_of(path)
        return None if found is NOT_FIXED else Const(found)
    return value


def _names(kinds: set[str]) -> str:
    words = {"number": "a number", "string": "a string", "bool": "a boolean", "null": "null", "list": "a list", "object": "an object"}
    return " or ".join(words[k] for k in sorted(kinds))


def literal(node: n.Str | n.Number | n.Bool | n.Null) -> Json:
    """The Python value of a literal node."""
    return None if isinstance(node, n.Null) else node.value


def compile_where(expr: n.Expr, template: Template | None = None, let_value: LetValue = _no_lets,
                  is_let: IsLet = _not_let, kinds: Kinds | None = None) -> Expr:
    """The span-free form of a checked expression (see `predicate`); a path
    naming a `let` (not a key of `template`) is that name's value. `kinds`:
    `path_kinds(template)`, when the caller has it."""
    if kinds is None:
        kinds = path_kinds(template) if template is not None else {}
    scope = _Scope(kinds, Collector(), let_value, is_let)
    return Compiler(Collector(), let_value, _path_value(scope)).expr(expr)
