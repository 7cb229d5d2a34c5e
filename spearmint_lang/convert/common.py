"""What the converters share: their options and how they refuse."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import NoReturn, TypeVar

import attrs

from ..codes import Code
from ..dynamic import Json
from ..errors import Collector
from ..sampling import Distribution
from ..source import Source
from .emit import Axis, Drawn, Fixed, Value
from .tree import Node, Refused, plain, span

T = TypeVar("T")
R = TypeVar("R")


@attrs.frozen
class Options:
    """`mintc convert`'s choices: `sample` (N configs drawn per grid point:
    W&B's run_cap, Tune's num_samples, Optuna's n_trials) and `seed`."""

    sample: int | None = None
    seed: int = 0


@attrs.define
class Context:
    """One conversion: the source text, its diagnostics and the options."""

    source: Source
    errors: Collector
    options: Options

    def fail(self, code: Code, message: str, node: Node | None, hint: str) -> NoReturn:
        """Record an error at `node` (the file's start when None) and stop."""
        at = self.source.start() if node is None else span(self.source, node)
        self.errors.error(code, message, at, hint=hint)
        raise Refused

    def warn(self, code: Code, message: str, node: Node, hint: str) -> None:
        """Record a warning at `node`: the conversion goes on."""
        self.errors.warn(code, message, span(self.source, node), hint=hint)

    def each(self, items: Iterable[T], convert: Callable[[T], R]) -> list[R]:
        """`convert` of every item; when some are refused, all their errors
        are reported (not only the first) and the conversion stops."""
        out: list[R] = []
        failed = False
        for item in items:
            try:
                out.append(convert(item))
            except Refused:
                failed = True
        if failed:
            raise Refused
        return out

    def value(self, node: Node, what: str) -> Json:
        """The JSON value of a plain node (tuples as lists); a call, NaN or
        infinity is refused: `.mint` has no way to write them."""
        if node.kind == "call":
            self.fail(Code.E132, f"{what} is Python code (`{node.name}(...)`), which `mintc convert` does not run",
                      node, "write the value itself, or its name as a string that your program turns into the object")
        if node.kind == "map":
            return {key: self.value(item, what) for key, _, item in node.entries}
        if node.kind == "list":
            return [self.value(item, what) for item in node.items]
        value = node.value
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(Code.E132, f"{what} is {value}, which a .mint file cannot hold (nor JSON)", node,
                      "write a finite number")
        if value is not None and not isinstance(value, (str, int, float, bool)):
            self.fail(Code.E132, f"{what} is a {type(value).__name__} ({value}), which a .mint file cannot hold",
                      node, "write it as a string or a number")
        return value

    def number(self, node: Node | None, what: str, parent: Node) -> int | float:
        """A number argument (not a bool, not text that looks like one)."""
        if node is None:
            self.fail(Code.E131, f"{what} is missing", parent, f"add {what}")
        value = plain(node) if node.kind != "call" else None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            hint = "write a number"
            if isinstance(value, str):
                hint = (f"`{value}` is text here (YAML 1.1 reads a number with an exponent as a number only "
                        f"with a dot: write {_dotted(value)})") if _looks_numeric(value) else hint
            self.fail(Code.E131, f"{what} is not a number", node, hint)
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(Code.E132, f"{what} is {value}, which a .mint file cannot hold", node, "write a finite number")
        return value

    def draw(self, node: Node, make: Callable[[], Distribution]) -> Drawn:
        """The distribution `make` builds, its refusal (a < b, sigma > 0, ...) at `node`."""
        try:
            return Drawn(make())
        except ValueError as exc:
            self.fail(Code.E131, f"these arguments describe no distribution: {exc}", node,
                      "fix the bounds: the lower below the upper, a positive scale")


def one_or_axis(values: list[Json]) -> Value:
    """A key's values: one fixed value, or an axis of several."""
    return Fixed(values[0]) if len(values) == 1 else Axis(tuple(values))


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _dotted(text: str) -> str:
    """`1e-5` as YAML 1.1 reads a float: `1.0e-5`."""
    mantissa, _, exponent = text.lower().partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}e{exponent}" if exponent else mantissa
