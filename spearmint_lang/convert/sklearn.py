"""A scikit-learn `param_grid` as a `.mint` sweep.

`ParameterGrid` (which `GridSearchCV` runs) takes a dict of lists, or a
list of such dicts: each dict gives the product of its lists, its keys in
sorted order, the last varying fastest; a list of dicts gives each dict's
configs in turn (`variants` in `.mint`). Keys are written sorted, so the
configs come in `ParameterGrid`'s order.

A value is a list or tuple of literals, `range(...)`, or a call of numpy's
`arange`, `linspace`, `logspace` or `geomspace` with literal arguments,
computed with numpy (and written as a `.mint` range when that gives exactly
numpy's values). A tuple inside a list, such as `hidden_layer_sizes=[(100,),
(50, 50)]`, becomes a list: JSON has no tuples.
"""

from __future__ import annotations

from ..codes import Code
from ..dynamic import Json
from .common import Context, one_or_axis
from .emit import Alternatives, Obj, Plan, Value, range_or_values
from .tree import Node, plain

_NUMPY = ("arange", "linspace", "logspace", "geomspace")


def convert(tree: Node, ctx: Context) -> Plan:
    """The plan of a param_grid tree (from Python)."""
    header = (f"Converted by `mintc convert` from {ctx.source.path} (scikit-learn param_grid).",
              "Keys are sorted, as ParameterGrid sorts them: the configs come in its order.")
    if tree.kind == "map" or tree.kind == "list" and tree.items and all(item.kind == "map" for item in tree.items):
        grids = ctx.each(tree.items if tree.kind == "list" else (tree,), lambda item: _grid(item, ctx))
        if len(grids) == 1 and grids[0].entries:
            return Plan(grids[0], header=header)
        # `variants` also for one empty dict, which ParameterGrid gives one empty config
        return Plan(Alternatives(tuple(grids)), header=header)
    ctx.fail(Code.E131, "a param_grid is a dict of lists, or a list of such dicts", tree,
             "write {\"C\": [1, 10], \"kernel\": [\"linear\", \"rbf\"]}")


def _grid(node: Node, ctx: Context) -> Obj:
    return Obj(tuple(ctx.each(sorted(node.entries, key=lambda e: e[0]), lambda e: ((e[0],), _values(e[0], e[2], ctx)))))


def _values(key: str, node: Node, ctx: Context) -> Value:
    if node.kind == "call":
        return _computed(key, node, ctx)
    if node.kind != "list":
        shown = ctx.source.text[node.start:node.end]
        ctx.fail(Code.E131, f"ParameterGrid needs a list for `{key}`, not a single value", node,
                 f"wrap it in a list: [{shown}]")
    if not node.items:
        ctx.fail(Code.E131, f"ParameterGrid refuses the empty list of `{key}`", node, "give at least one value")
    return one_or_axis([ctx.value(item, f"a value of `{key}`") for item in node.items])


def _computed(key: str, node: Node, ctx: Context) -> Value:
    name = node.name.rsplit(".", 1)[-1]
    if node.name == "range":
        args = [ctx.number(arg, "an argument of range", node) for arg in node.items]
        if node.keywords or not 1 <= len(args) <= 3 or not all(isinstance(a, int) for a in args):
            ctx.fail(Code.E131, "range takes one to three integers", node, "write range(start, stop, step)")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) == 3 else 1)
        values: list[Json] = list(range(int(start), int(stop), int(step)))
        if not values:
            ctx.fail(Code.E131, f"{ctx.source.text[node.start:node.end]} is empty: ParameterGrid refuses it", node,
                     "give a range that holds a value")
        return one_or_axis(values) if len(values) == 1 else range_or_values(start, stop, step, values)
    if name in _NUMPY and "." in node.name:
        return _numpy(key, name, node, ctx)
    ctx.fail(Code.E132, f"`{node.name}(...)` is Python code, which `mintc convert` does not run", node,
             "write the list of values, or range(...), numpy.linspace(...), numpy.logspace(...)")


def _numpy(key: str, name: str, node: Node, ctx: Context) -> Value:
    try:
        import numpy
    except ImportError:
        ctx.fail(Code.E132, f"`{node.name}` is computed with numpy, which is not installed here", node,
                 "pip install numpy, or write the list of values")
    args = [plain(arg) if arg.kind != "call" else None for arg in node.items]
    kwargs = {k: plain(v) if v.kind != "call" else None for k, v in node.keywords}
    numbers = [*args, *(v for k, v in kwargs.items() if k != "endpoint")]
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in numbers) or not isinstance(
            kwargs.get("endpoint", True), bool):
        ctx.fail(Code.E132, f"the arguments of `{node.name}` must be numbers written out", node,
                 "write the numbers, or the list of values")
    try:
        values: list[Json] = getattr(numpy, name)(*args, **kwargs).tolist()
    except (TypeError, ValueError) as exc:
        ctx.fail(Code.E131, f"numpy refuses {ctx.source.text[node.start:node.end]}: {exc}", node,
                 "fix the arguments")
    if not values:
        ctx.fail(Code.E131, f"`{key}`: {ctx.source.text[node.start:node.end]} is empty: ParameterGrid refuses it",
                 node, "give arguments that make a value")
    if name == "arange" and len(values) > 1 and len(args) == 3 and not kwargs:
        return range_or_values(args[0], args[1], args[2], values)  # type: ignore[arg-type]
    return one_or_axis(values)
