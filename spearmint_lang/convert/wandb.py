"""A W&B sweep (its YAML) as a `.mint` sweep.

The semantics are those of W&B's sweep engine (the `sweeps` package):

- A parameter is `value:` (a constant), `values:` (categorical, with
  `probabilities:` optionally), `min:`/`max:` (int_uniform when both are
  integers, uniform otherwise), `distribution:` with its arguments (`q`
  defaults to 1.0, `mu` to 0, `sigma` to 1), or `parameters:` (nested).
- `method: grid` runs the product of the categorical parameters, the
  parameters taken in sorted order at every level, the last varying fastest,
  each distinct value once. int_uniform is every integer of min..max;
  q_uniform is `numpy.arange(min, max, q)`. Any other distribution is
  refused by W&B's grid, and so here.
- `method: random` draws every parameter; `bayes` is converted as random
  (W013): a `.mint` file lists its configs before anything runs.

Keys are written in W&B's sorted order, so the configs come out in the order
W&B runs them.
"""

from __future__ import annotations

import math

import yaml

from ..codes import Code
from ..dynamic import Json
from ..sampling import Choice, LogNormal, LogUniform, Normal, RandInt, Uniform
from .common import Context, one_or_axis
from .emit import Axis, Fixed, Obj, Plan, Value, grid_size, range_or_values
from .tree import Node, plain

METHODS = ("grid", "random", "bayes")
GRID_KINDS = ("constant", "categorical", "int_uniform", "q_uniform")
# W&B distributions with no .mint counterpart, and what to write instead.
_NO_FORM = {
    "inv_log_uniform": "1/X for X log-uniform",
    "inv_log_uniform_values": "1/X for X log-uniform",
    "beta": "the beta distribution",
    "q_beta": "the beta distribution",
}


def convert(tree: Node, ctx: Context) -> Plan:
    """The plan of a W&B sweep's YAML tree."""
    if tree.kind != "map" or tree.get("parameters") is None:
        ctx.fail(Code.E131, "not a W&B sweep: it has no `parameters:`", None if tree.kind != "map" else tree,
                 "a W&B sweep YAML has `method:` and `parameters:`; for a Hydra sweeper's `params:`, use "
                 "--from hydra")
    method_node = tree.get("method")
    method = plain(method_node) if method_node is not None else None
    if method_node is None or method not in METHODS:
        ctx.fail(Code.E131, "a W&B sweep's method is grid, random or bayes" if method_node is not None
                 else "a W&B sweep needs `method:`", method_node or tree, "write `method: grid` (or random)")
    assert method_node is not None and isinstance(method, str)
    params = tree.get("parameters")
    assert params is not None
    grid = method == "grid"
    body = _parameters(params, ctx, grid)
    if not body.entries:
        ctx.fail(Code.E131, "a W&B sweep without parameters", params, "add a parameter: `lr: {values: [0.1, 0.01]}`")
    header = [f"Converted by `mintc convert` from {ctx.source.path} (W&B sweep, method: {method})."]
    sample = None
    cap_node = tree.get("run_cap")
    if grid:
        header.append("Keys are in W&B's order (sorted): the configs come in the order W&B runs them.")
        size = grid_size(body)
        if cap_node is not None and ctx.number(cap_node, "run_cap", tree) < size:
            cap = ctx.number(cap_node, "run_cap", tree)
            ctx.warn(Code.W014, f"run_cap {cap} stops W&B after {cap} of the grid's {size} configs; the .mint file "
                     f"has all {size}", cap_node,
                     f"to run only the first {cap}: mintc compile --range 0:{cap}")
    else:
        if method == "bayes":
            ctx.warn(Code.W013, "bayes is converted as random search: each parameter is drawn at random",
                     method_node, "a .mint file lists its configs before anything runs; it can seed a Bayesian "
                     "search, not adapt to results")
        if ctx.options.sample is not None:
            sample = ctx.options.sample
        elif cap_node is not None:
            sample = int(ctx.number(cap_node, "run_cap", tree))
        else:
            ctx.fail(Code.E133, f"a {method} W&B sweep runs until it is stopped: how many configs to draw?",
                     method_node, "give the count: mintc convert --sample 20 (or set run_cap: 20 in the YAML)")
    return Plan(body, sample, ctx.options.seed, tuple(header))


def _parameters(node: Node, ctx: Context, grid: bool) -> Obj:
    if node.kind != "map":
        ctx.fail(Code.E131, "`parameters:` must map names to parameters", node,
                 "write `parameters:` then one `name: {values: [...]}` per line")
    return Obj(tuple(ctx.each(sorted(node.entries, key=lambda e: e[0]),
                              lambda e: ((e[0],), _parameter(e[0], e[2], ctx, grid)))))


def kind_of(node: Node) -> str:
    """The W&B type of a parameter, as its schema infers it."""
    keys = {key for key, _, _ in node.entries}
    dist = node.get("distribution")
    if dist is not None:
        return str(plain(dist))
    if keys == {"parameters"}:
        return "parameters"
    if "value" in keys:
        return "constant"
    if "values" in keys:
        return "categorical_w_probabilities" if "probabilities" in keys else "categorical"
    if {"min", "max"} <= keys:
        lo, hi = plain(node.get("min")), plain(node.get("max"))  # type: ignore[arg-type]
        ints = all(isinstance(x, int) and not isinstance(x, bool) for x in (lo, hi))
        return "int_uniform" if ints else "uniform"
    return "unknown"


def _parameter(name: str, node: Node, ctx: Context, grid: bool) -> Value:
    if node.kind != "map":
        ctx.fail(Code.E131, f"parameter `{name}` is not a mapping", node,
                 f"write `{name}: {{values: [...]}}` or `{name}: {{value: ...}}`")
    kind = kind_of(node)
    if kind == "parameters":
        return _parameters(node.get("parameters"), ctx, grid)  # type: ignore[arg-type]
    if kind == "unknown":
        ctx.fail(Code.E131, f"parameter `{name}` has none of value, values, min/max, distribution or parameters",
                 node, "write `values: [...]` for a list, `value: ...` for a constant, or `min:` and `max:`")
    if kind in _NO_FORM:
        ctx.fail(Code.E132, f"W&B's {kind} ({_NO_FORM[kind]}) has no .mint distribution", node.get("distribution"),
                 "use one .mint has (uniform, loguniform, randint, normal, lognormal, choice), or list the values "
                 "to try")
    for bound in ("min", "max"):
        if node.get(bound) is not None:
            ctx.number(node.get(bound), f"`{bound}` of `{name}`", node)
    if kind == "constant":
        return Fixed(ctx.value(node.get("value"), f"the value of `{name}`"))  # type: ignore[arg-type]
    if grid and kind not in GRID_KINDS and kind != "categorical_w_probabilities":
        at = node.get("distribution") or node
        ctx.fail(Code.E131, f"W&B's grid search refuses {kind} (`{name}`): a grid takes values, value, "
                 "int_uniform and q_uniform only", at,
                 "list the values to try (`values: [...]`), or use `method: random`")
    if kind in ("categorical", "categorical_w_probabilities"):
        return _categorical(name, node, ctx, grid, kind)
    return _distribution(name, kind, node, ctx, grid)


def _categorical(name: str, node: Node, ctx: Context, grid: bool, kind: str) -> Value:
    values_node = node.get("values")
    assert values_node is not None
    if values_node.kind != "list" or not values_node.items:
        ctx.fail(Code.E131, f"`values` of `{name}` must be a non-empty list", values_node,
                 "write `values: [a, b]`")
    values = [ctx.value(item, f"a value of `{name}`") for item in values_node.items]
    if grid:
        if kind == "categorical_w_probabilities":
            ctx.fail(Code.E131, "W&B's grid search refuses `probabilities`", node.get("probabilities"),
                     "remove `probabilities:` (a grid runs every value once), or use `method: random`")
        return one_or_axis(_distinct(values))
    if len(values) == 1:
        return Fixed(values[0])
    weights: list[float] | None = None
    probs = node.get("probabilities")
    if probs is not None:
        if probs.kind != "list" or len(probs.items) != len(values):
            ctx.fail(Code.E131, f"`probabilities` of `{name}` must list one number per value", probs,
                     f"write {len(values)} numbers that add up to 1")
        weights = [float(ctx.number(p, "a probability", probs)) for p in probs.items]
        if not math.isclose(sum(weights), 1.0, rel_tol=1e-9, abs_tol=1e-8):
            ctx.fail(Code.E131, f"W&B refuses probabilities that add up to {sum(weights)}, not 1", probs,
                     "make them add up to 1")
    return ctx.draw(node, lambda: Choice(values, weights))


def _distinct(values: list[Json]) -> list[Json]:
    """The values W&B's grid runs: each once, by its YAML text (an integral
    float is its int: 3.0 and 3 are one value; the first is kept)."""
    seen: set[str] = set()
    out = []
    for value in values:
        key_value = int(value) if isinstance(value, float) and value.is_integer() else value
        key = yaml.safe_dump(key_value, default_flow_style=True, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def _distribution(name: str, kind: str, node: Node, ctx: Context, grid: bool) -> Value:
    def arg(key: str, default: float | None = None) -> int | float:
        found = node.get(key)
        if found is None and default is not None:
            return default
        return ctx.number(found, f"`{key}` of `{name}`", node)

    if kind == "int_uniform":
        lo, hi = arg("min"), arg("max")
        if not (isinstance(lo, int) and isinstance(hi, int)):
            ctx.fail(Code.E131, f"int_uniform `{name}` needs integer min and max", node, "write integers")
        low, high = int(lo), int(hi)
        if grid:
            if low > high:
                ctx.fail(Code.E131, f"`{name}`: min {low} is above max {high}", node, "swap them")
            return Axis(tuple(range(low, high + 1)), f"{low}..{high}") if low < high else Fixed(low)
        return ctx.draw(node, lambda: RandInt(low, high + 1))
    q = arg("q", 1.0)
    step = repr(q) if isinstance(q, float) else str(q)
    if kind == "q_uniform" and grid:
        lo, hi = arg("min"), arg("max")
        values = _arange(lo, hi, q)
        if not values:
            ctx.fail(Code.E131, f"`{name}`: numpy.arange(min, max, q) holds no value", node, "make max above min")
        return one_or_axis(values) if len(values) == 1 else range_or_values(lo, hi, q, values)
    if kind in ("uniform", "q_uniform"):
        lo, hi = arg("min"), arg("max")
        quantised = step if kind == "q_uniform" else None
        if quantised is not None and not (_multiple(lo, q) and _multiple(hi, q)):
            ctx.warn(Code.W013, f"`{name}`: .mint rounds to the nearest multiple of q within [min, max]; W&B may "
                     "round past them", node, "make min and max multiples of q to draw exactly as W&B does")
        return ctx.draw(node, lambda: Uniform(float(lo), float(hi), quantised))
    if kind in ("log_uniform_values", "q_log_uniform_values", "log_uniform", "q_log_uniform"):
        lo, hi = arg("min"), arg("max")
        if kind in ("log_uniform", "q_log_uniform"):  # the bounds are exponents: e**min .. e**max
            lo, hi = math.exp(lo), math.exp(hi)
        quantised = step if kind.startswith("q_") else None
        return ctx.draw(node, lambda: LogUniform(float(lo), float(hi), quantised))
    if kind in ("normal", "q_normal", "log_normal", "q_log_normal"):
        mu, sigma = arg("mu", 0.0), arg("sigma", 1.0)
        quantised = step if kind.startswith("q_") else None
        law = LogNormal if "log" in kind else Normal
        return ctx.draw(node, lambda: law(float(mu), float(sigma), quantised))
    ctx.fail(Code.E131, f"`{kind}` is not a W&B distribution", node.get("distribution"),
             "write one of: constant, categorical, int_uniform, uniform, q_uniform, log_uniform_values, "
             "q_log_uniform_values, normal, q_normal, log_normal, q_log_normal")


def _multiple(x: float, q: float) -> bool:
    return math.isclose(round(x / q) * q, x, rel_tol=0, abs_tol=1e-12)


def _arange(start: float, stop: float, step: float) -> list[Json]:
    """`numpy.arange(start, stop, step).tolist()`, computed as numpy does:
    ceil((stop - start) / step) values, value i being start + i * delta with
    delta = (start + step) - start; ints when all three are ints."""
    if all(isinstance(x, int) for x in (start, stop, step)):
        return list(range(int(start), int(stop), int(step)))
    n = math.ceil((stop - start) / step)
    if n <= 0:
        return []
    second = start + step
    delta = second - start
    values: list[Json] = [float(start), float(second)]
    values.extend(start + i * delta for i in range(2, n))
    return values[:n]
