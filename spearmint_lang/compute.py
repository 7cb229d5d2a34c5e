"""Values computed per config from others: `Computed`, and `Derivation`,
which computes a document's computed values in a finished config.

A computed value stands in a template as a `Computed` (an expression of
`predicate`, plain data, or a Python callable of the config). Expansion
fills a config as usual -- the `Computed` is copied as it is -- and then
`Derivation` replaces each one by its value, in the order of their
dependencies, after sampled values are drawn and before `config_id`, so
the id covers what was computed. Computed values are never axes: counts,
indices and shards are those of the document without them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Union

from .dynamic import Config, DynamicValue, Json, Template, Variants
from .predicate import MISSING, ComputeError, Expr, Loc, evaluate, read_paths, shown, value_at

Path = tuple[str, ...]


class Computed:
    """A value computed for each config: `Computed(lambda config: ...)` in
    Python (called with the finished config, after the computed values of
    expressions), or an expression compiled from a `.mint` file."""

    __slots__ = ("expr", "loc", "function", "_test")

    def __init__(self, expr: Union[Expr, Callable[[Config], Json]], loc: Loc | None = None) -> None:
        self.function: Callable[[Config], Json] | None = None
        self.expr: Expr | None = None
        if callable(expr) and not isinstance(expr, tuple):
            self.function = expr
        else:
            self.expr = expr
        self.loc: Loc = loc or ("<python>", 1, 1, 1, 1, "")
        self._test: Callable[[Config], Json] | None = None

    def __getstate__(self) -> tuple[Expr | None, Loc, Callable[[Config], Json] | None]:
        return self.expr, self.loc, self.function

    def __setstate__(self, state: tuple[Expr | None, Loc, Callable[[Config], Json] | None]) -> None:
        self.expr, self.loc, self.function = state
        self._test = None

    @property
    def reads(self) -> set[Path]:
        """The key paths its expression reads (none known for a callable)."""
        return read_paths(self.expr) if self.expr is not None else set()

    def __call__(self, config: Config) -> Json:
        if self.function is not None:
            return self.function(config)
        test = self._test
        if test is None:
            assert self.expr is not None
            test = self._test = evaluate(self.expr)
        try:
            value = test(config)
        except ComputeError as exc:
            raise ComputeError(exc.message + self._values(config), exc.loc) from None
        if value is MISSING:
            missing = sorted(p for p in self.reads if value_at(config, p) is MISSING)
            name = ".".join(missing[0]) if missing else "?"
            raise ComputeError(f"this config has no `{name}`, which this value reads", self.loc)
        return value

    def _values(self, config: Config) -> str:
        """` (with a = 1, b = 0)`: the values the expression read."""
        read = [(".".join(p), value_at(config, p)) for p in sorted(self.reads)]
        shown_ = [f"{name} = {shown(v)}" for name, v in read if v is not MISSING and not isinstance(v, Computed)]
        return f" (with {', '.join(shown_)})" if shown_ else ""

    def __repr__(self) -> str:
        return f"Computed({self.function or self.expr!r})"


def _found(obj: Template, prefix: Path, out: dict[Path, list[Computed]]) -> None:
    """Every `Computed` of a template with its key path (in `variants`
    alternatives and swept objects too)."""
    for key, value in obj.items():
        if isinstance(value, Variants):
            for alt in value.alternatives:
                _found(alt, prefix, out)
            continue
        if not isinstance(key, str):
            continue
        path = prefix + (key,)
        if isinstance(value, Computed):
            out.setdefault(path, []).append(value)
        elif isinstance(value, dict):
            _found(value, path, out)
        elif isinstance(value, DynamicValue) and isinstance(value.values, list):
            for v in value.values:
                if isinstance(v, dict):
                    _found(v, path, out)


def _related(a: Path, b: Path) -> bool:
    return a[: len(b)] == b or b[: len(a)] == a


def order(found: dict[Path, list[Computed]]) -> list[Path]:
    """The computed paths, each after those it reads (a cycle, which the
    front end reports, is broken in key order); callables last."""
    reads = {p: {q for c in cs for r in c.reads for q in found if q != p and _related(r, q)} for p, cs in found.items()}
    done: list[Path] = []
    placed: set[Path] = set()
    visiting: set[Path] = set()

    def visit(p: Path) -> None:
        if p in placed or p in visiting:
            return
        visiting.add(p)
        for q in sorted(reads[p]):
            visit(q)
        visiting.discard(p)
        placed.add(p)
        done.append(p)

    for p in found:
        if all(c.function is None for c in found[p]):
            visit(p)
    return done + [p for p in found if p not in placed]


class Derivation:
    """Computes the computed values of a document in its configs."""

    def __init__(self, template: Template) -> None:
        found: dict[Path, list[Computed]] = {}
        _found(template, (), found)
        self.paths = order(found)

    def __bool__(self) -> bool:
        return bool(self.paths)

    def __call__(self, config: Config) -> Config:
        """`config` with each computed value replaced by its value."""
        for path in self.paths:
            node: Json = config
            for part in path[:-1]:
                node = node.get(part) if isinstance(node, dict) else None
            if isinstance(node, dict):
                value = node.get(path[-1])
                if isinstance(value, Computed):
                    node[path[-1]] = value(config)
        return config
