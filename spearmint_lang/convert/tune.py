"""A Ray Tune `param_space` as a `.mint` sweep.

As JSON, a `{"grid_search": [...]}` object is Tune's grid search (what
`tune.grid_search` returns) and everything else a constant. As Python, the
calls of `ray.tune` are read (never run): `tune.grid_search(values)` is a
list sweep; `choice`, `uniform`, `quniform`, `loguniform`, `qloguniform`,
`randint`, `qrandint`, `lograndint`, `qlograndint`, `randn` and `qrandn` are
`.mint` distributions (with `step q` for the `q` ones); `sample_from`, a
function, has no `.mint` form.

Tune runs the grid `num_samples` times, drawing the distributions afresh
each time: `sample N` in `.mint` (give N with `--sample`). The configs are
the same; Tune's order differs: its first grid key varies fastest, and it
repeats the whole grid for each sample.
"""

from __future__ import annotations

from collections.abc import Callable

from ..codes import Code
from ..sampling import Choice, Distribution, LogUniform, Normal, RandInt, Uniform
from .common import Context, one_or_axis
from .emit import Drawn, Fixed, Items, Obj, Plan, Value, grid_size
from .tree import Node

_TUNE_PREFIXES = ("", "tune.", "ray.tune.")
DISTRIBUTIONS = ("choice", "uniform", "quniform", "loguniform", "qloguniform", "randint", "qrandint", "lograndint",
                 "qlograndint", "randn", "qrandn")


def convert(tree: Node, ctx: Context) -> Plan:
    """The plan of a param_space tree (from JSON or Python)."""
    if tree.kind != "map":
        ctx.fail(Code.E131, "a Ray Tune param_space is a dict", tree, 'write {"lr": tune.grid_search([0.1, 0.01])}')
    body = _obj(tree, ctx)
    if not body.entries:
        ctx.fail(Code.E131, "an empty param_space", tree, 'add a key: {"lr": tune.grid_search([0.1, 0.01])}')
    drawn = _first_drawn(tree, ctx)
    header = [f"Converted by `mintc convert` from {ctx.source.path} (Ray Tune param_space).",
              "The configs are Tune's; Tune's order differs (its first grid key varies fastest)."]
    sample = None
    if drawn is not None:
        if ctx.options.sample is None:
            ctx.fail(Code.E133, "Tune draws this param_space num_samples times: how many configs to draw?",
                     drawn, "give Tune's num_samples: mintc convert --sample 20")
        sample = ctx.options.sample
    elif ctx.options.sample is not None and ctx.options.sample > 1:
        ctx.fail(Code.E131, f"with nothing drawn, Tune's num_samples={ctx.options.sample} runs each of the "
                 f"{grid_size(body)} configs {ctx.options.sample} times, the same config each time", tree,
                 "leave out --sample; to run each config several times, sweep a seed key: seed: 0..<N")
    return Plan(body, sample, ctx.options.seed, tuple(header))


def _first_drawn(tree: Node, ctx: Context) -> Node | None:
    for call in tree.calls():
        if _tune_name(call) in DISTRIBUTIONS:
            return call
    return None


def _tune_name(call: Node) -> str | None:
    for prefix in _TUNE_PREFIXES:
        if call.name.startswith(prefix) and "." not in call.name[len(prefix):]:
            return call.name[len(prefix):]
    return None


def _obj(node: Node, ctx: Context) -> Obj:
    return Obj(tuple(ctx.each(node.entries, lambda e: ((e[0],), _value(e[2], ctx)))))


def _value(node: Node, ctx: Context) -> Value:
    if node.kind == "map":
        grid = node.get("grid_search")
        if grid is not None and len(node.entries) == 1:
            return _grid(grid, ctx)
        return _obj(node, ctx)
    if node.kind == "list":
        items = tuple(_value(item, ctx) for item in node.items)
        if any(isinstance(item, Drawn) for item in items):
            at = next(i for i, v in zip(node.items, items) if isinstance(v, Drawn))
            ctx.fail(Code.E132, "a distribution inside a list: a .mint list is one value (E088)", at,
                     "give the value its own key, or draw whole lists: tune.choice([[1, 2], [3, 4]])")
        if all(isinstance(item, Fixed) for item in items):
            return Fixed(ctx.value(node, "this list"))
        return Items(items)
    if node.kind == "call":
        return _call(node, ctx)
    return Fixed(ctx.value(node, "this value"))


def _grid(node: Node, ctx: Context) -> Value:
    if node.kind != "list" or not node.items:
        ctx.fail(Code.E131, "grid_search takes a non-empty list of values", node, "write grid_search([a, b])")
    return one_or_axis([ctx.value(item, "a grid_search value") for item in node.items])


def _call(node: Node, ctx: Context) -> Value:
    name = _tune_name(node)
    if name == "grid_search":
        return _grid(_args(node, ctx, ("values",))[0], ctx)
    if name == "sample_from":
        ctx.fail(Code.E132, "tune.sample_from runs a function for each trial, which a .mint file cannot", node,
                 "draw it with a distribution, or compute it in .mint: a key `${...}` (docs/language.md, 5.9)")
    if name not in DISTRIBUTIONS:
        ctx.fail(Code.E132, f"`{node.name}(...)` is not a Ray Tune search space function", node,
                 "use tune.grid_search, tune.choice, tune.uniform, tune.loguniform, tune.randint or tune.randn")
    return ctx.draw(node, _distribution(name, node, ctx))


def _args(node: Node, ctx: Context, names: tuple[str, ...], defaults: tuple[object, ...] = ()) -> list[Node]:
    """The arguments of a call by Tune's parameter names, positional or named."""
    given: dict[str, Node] = dict(zip(names, node.items))
    if len(node.items) > len(names):
        ctx.fail(Code.E131, f"{node.name} takes at most {len(names)} arguments", node.items[len(names)],
                 f"write {node.name}({', '.join(names)})")
    for key, value in node.keywords:
        if key not in names:
            ctx.fail(Code.E131, f"{node.name} has no argument `{key}`", value, f"write {node.name}({', '.join(names)})")
        given[key] = value
    required = len(names) - len(defaults)
    out = []
    for i, key in enumerate(names):
        if key in given:
            out.append(given[key])
        elif i >= required:
            out.append(Node("value", node.start, node.end, value=defaults[i - required]))
        else:
            ctx.fail(Code.E131, f"{node.name} needs `{key}`", node, f"write {node.name}({', '.join(names)})")
    return out


def _distribution(name: str, node: Node, ctx: Context) -> Callable[[], Distribution]:
    def numbers(names: tuple[str, ...], defaults: tuple[object, ...] = ()) -> list[int | float]:
        return [ctx.number(arg, f"`{key}` of {node.name}", node)
                for key, arg in zip(names, _args(node, ctx, names, defaults))]

    if name == "choice":
        (values_node,) = _args(node, ctx, ("categories",))
        if values_node.kind != "list" or not values_node.items:
            ctx.fail(Code.E131, "tune.choice takes a non-empty list", values_node, "write tune.choice([a, b])")
        values = [ctx.value(item, "a choice") for item in values_node.items]
        return lambda: Choice(values)
    if name in ("uniform", "loguniform"):
        lo, hi = numbers(("lower", "upper", "base"), (10,))[:2]
        law = Uniform if name == "uniform" else LogUniform
        return lambda: law(float(lo), float(hi))
    if name in ("quniform", "qloguniform"):
        lo, hi, q = numbers(("lower", "upper", "q", "base"), (10,))[:3]
        law = Uniform if name == "quniform" else LogUniform
        return lambda: law(float(lo), float(hi), _step(q))
    if name == "randint":
        lo, hi = numbers(("lower", "upper"))
        return lambda: RandInt(int(lo), int(hi))
    if name == "qrandint":  # Tune includes the upper bound here
        lo, hi, q = numbers(("lower", "upper", "q"), (1,))
        if q != 1 and q % 2 == 0:
            ctx.warn(Code.W013, f"{node.name}: an integer halfway between two multiples of {q} goes up in .mint, to "
                     "the even multiple in Tune (numpy's round)", node,
                     "the values and their range are Tune's; a few halfway draws round the other way")
        return lambda: RandInt(int(lo), int(hi) + 1, None if q == 1 else _step(q))
    if name in ("lograndint", "qlograndint"):
        lo, hi, q = (numbers(("lower", "upper", "q", "base"), (10,))[:3] if name == "qlograndint"
                     else numbers(("lower", "upper", "base"), (10,))[:2] + [1])
        ctx.warn(Code.W013, f"{node.name}: .mint draws loguniform and rounds to the nearest multiple of {q}; Tune "
                 "rounds its own way", node, "the integers drawn follow the same log-uniform law, rounded differently")
        upper = float(hi) + (q if name == "qlograndint" else 0)
        return lambda: LogUniform(float(lo), upper, _step(q))
    mean, sd, q = (numbers(("mean", "sd", "q"), (0.0, 1.0, 1)) if name == "qrandn"
                   else numbers(("mean", "sd"), (0.0, 1.0)) + [0])
    return lambda: Normal(float(mean), float(sd), _step(q) if name == "qrandn" else None)


def _step(q: int | float) -> str:
    return repr(q) if isinstance(q, float) else str(q)
