"""Hydra multirun overrides, and a sweeper's `params:`, as a `.mint` sweep.

Overrides are read by Hydra's own parser (hydra-core, the `hydra` extra),
so a value means here exactly what it means to Hydra. With Hydra's basic
sweeper, the jobs are the product of the sweeps in the order written, the
last varying fastest, which is `.mint`'s order:

- `lr=0.1,0.01` and `choice(0.1, 0.01)` (with `sort(...)`) are a list sweep;
- `range(start, stop, step)` is `start..<stop step s` when `.mint`'s exact
  range gives Hydra's values, else the list of Hydra's values (Hydra adds
  floats one step at a time: `range(0, 1, 0.3)` ends at 0.8999999999999999);
- any other override is a fixed value; dotted keys stay dotted.

An `interval(a, b)` only an optimising sweeper (Optuna, Nevergrad, Ax) can
run: with one, every sweep is drawn at random (`interval` as `uniform`, with
`tag(log, ...)` as `loguniform`, `choice` and `range` as `choice([...])`), and
the count is `--sample N`, or the sweeper's `n_trials` (Optuna),
`optim.budget` (Nevergrad) or `ax_config.max_trials` (Ax).

A sweeper's `params:` (`hydra.sweeper.params` of a config, or a `params:`
mapping) are the overrides `key=value`, before those of the command line,
as Hydra's sweepers read them.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from ..codes import Code
from ..dynamic import Json
from ..sampling import Choice, LogUniform, Uniform
from .common import Context, one_or_axis
from .emit import Drawn, Fixed, Obj, Plan, Value, range_or_values
from .tree import Node, plain

if TYPE_CHECKING:
    from hydra.core.override_parser.types import Override


def _parser() -> object:
    try:
        from hydra.core.override_parser.overrides_parser import OverridesParser
    except ImportError:
        raise ModuleNotFoundError("converting Hydra overrides needs hydra-core (its own parser reads them), which "
                                  "is not installed here: pip install 'spearmint-lang[hydra]'", name="hydra") from None
    return OverridesParser.create()


def convert_overrides(ctx: Context) -> Plan:
    """The plan of a text of overrides (`lr=0.1,0.01 model=a,b`, on one or
    more lines, shell-quoted; `#` starts a comment)."""
    words = _words(ctx)
    return _plan(words, ctx, optimiser_count=None, header=f"Converted by `mintc convert` from {ctx.source.path} "
                 "(Hydra overrides).")


def _words(ctx: Context) -> list[tuple[str, Node]]:
    """Each override of the text and its place (shell words, quotes removed)."""
    text = ctx.source.text
    out: list[tuple[str, Node]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        lexer = shlex.shlex(line, posix=True, punctuation_chars=False)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        try:
            words = list(lexer)
        except ValueError as exc:
            at = Node("value", offset, offset + len(line.rstrip("\n")))
            ctx.fail(Code.E130, f"cannot split this line into words as a shell does: {exc}", at,
                     "close the quote")
        start = 0
        for word in words:
            found = _find(line, word, start)
            node = Node("value", offset + found[0], offset + found[1], value=word)
            start = found[1]
            if "=" not in word and not word.startswith("~") and (
                    word in ("-m", "--multirun") or word.endswith(".py") or word.startswith("python")):
                continue  # `python train.py -m` copied with the overrides
            out.append((word, node))
        offset += len(line)
    if not out:
        ctx.fail(Code.E131, "no Hydra override here", None, "write overrides such as: lr=0.1,0.01 model=a,b")
    return out


def _find(line: str, word: str, start: int) -> tuple[int, int]:
    """Where a shell word stands in its line (its quotes included), from `start`."""
    i = start
    while i < len(line) and line[i].isspace():
        i += 1
    j = i
    while j < len(line) and not line[j].isspace():
        if line[j] in "'\"":
            close = line.find(line[j], j + 1)
            j = len(line) if close < 0 else close + 1
        else:
            j += 1
    return i, max(j, i + 1) if word else i + 1


def convert_params(tree: Node, ctx: Context) -> Plan:
    """The plan of a YAML holding a sweeper's `params:`: a Hydra config with
    `hydra: {sweeper: {params: ...}}`, or a sweeper config with `params:`."""
    sweeper = _at(tree, "hydra", "sweeper") or tree
    params = sweeper.get("params") if sweeper.kind == "map" else None
    if params is None or params.kind != "map":
        ctx.fail(Code.E131, "no Hydra sweeper `params:` here", params or (tree if tree.kind == "map" else None),
                 "a Hydra sweep's YAML has `hydra: {sweeper: {params: {lr: 0.1,0.01}}}`; a W&B sweep has "
                 "`parameters:` (--from wandb)")
    # Hydra's sweepers make each entry the override f"{key}={value}", value as Python prints it.
    words = [(f"{key}={plain(value)}", value) for key, _, value in params.entries]
    count_node = (sweeper.get("n_trials") or _at(sweeper, "optim", "budget")
                  or _at(sweeper, "ax_config", "max_trials"))
    count = None
    if count_node is not None:
        count = int(ctx.number(count_node, "the sweeper's number of trials", sweeper))
    return _plan(words, ctx, optimiser_count=count, header=f"Converted by `mintc convert` from {ctx.source.path} "
                 "(Hydra sweeper params).")


def _at(node: Node | None, *keys: str) -> Node | None:
    for key in keys:
        if node is None or node.kind != "map":
            return None
        node = node.get(key)
    return node


def _plan(words: list[tuple[str, Node]], ctx: Context, optimiser_count: int | None, header: str) -> Plan:
    parser = _parser()

    def parse(word_node: tuple[str, Node]) -> tuple[Override, Node]:
        word, node = word_node
        try:
            return parser.parse_override(word), node  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - Hydra's OverrideParseException and its grammar's errors
            ctx.fail(Code.E130, f"Hydra cannot read this override: {_first_line(exc)}", node,
                     "write key=value, key=a,b, key=choice(a,b), key=range(0,10,2) or key=interval(0,1)")

    parsed = ctx.each(words, parse)
    from hydra.core.override_parser.types import ValueType

    optimiser = optimiser_count is not None or any(o.value_type == ValueType.INTERVAL_SWEEP for o, _ in parsed)
    seen: dict[str, Node] = {}

    def entry(item: tuple[Override, Node]) -> tuple[tuple[str, ...], Value]:
        override, node = item
        key = override.key_or_group
        _check_key(override, node, ctx)
        if key in seen:
            ctx.fail(Code.E131, f"`{key}` is set twice (Hydra's basic sweeper keeps the last, where the first "
                     "stands)", node, "keep one of the two overrides")
        seen[key] = node
        return tuple(key.split(".")), _value(override, node, ctx, optimiser, parser)

    entries = ctx.each(parsed, entry)
    first_drawn = next((node for (_, node), (_, value) in zip(parsed, entries) if isinstance(value, Drawn)), None)
    lines = [header]
    split = _split_objects([key for key, _ in entries])
    if split:
        lines.append(f"Hydra runs the jobs in another order: .mint keeps the keys of `{split}` together where "
                     f"`{split}` is first set. The configs are the same.")
    sample = None
    if first_drawn is not None:
        ctx.warn(Code.W013, "an optimising sweeper chooses each trial from the results so far; mintc draws them at "
                 "random", first_drawn, "a .mint file lists its configs before anything runs")
        sample = ctx.options.sample or optimiser_count
        if sample is None:
            ctx.fail(Code.E133, "an optimising sweeper's sweep runs for a number of trials: how many configs to draw?",
                     first_drawn, "give the count: mintc convert --sample 20 (Optuna's n_trials)")
    return Plan(Obj(tuple(entries)), sample, ctx.options.seed, tuple(lines))


def _split_objects(keys: list[tuple[str, ...]]) -> str | None:
    """The first object whose dotted keys other keys stand between (`c.d=1
    a=1,2 c.e=3,4`): `.mint` merges them where `c` is first set, so its axes
    come before `a`'s."""
    heads = [key[0] for key in keys]
    for i, head in enumerate(heads):
        later = heads[i + 1:]
        if head in later and any(h != head for h in later[:later.index(head)]):
            return head
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _check_key(override: Override, node: Node, ctx: Context) -> None:
    if override.is_delete():
        ctx.fail(Code.E132, f"`~{override.key_or_group}` deletes a key of the app's config: a .mint file lists the "
                 "values it sets", node, "keep it on the command line: python train.py -m hydra/sweeper=mint "
                 f"~{override.key_or_group}")
    if override.package is not None:
        ctx.fail(Code.E132, "a package (`@...`) override has no .mint form", node,
                 "keep it on the command line beside hydra/sweeper=mint")


def _value(override: Override, node: Node, ctx: Context, optimiser: bool, parser: object) -> Value:
    from hydra.core.override_parser.types import ChoiceSweep, IntervalSweep, RangeSweep, ValueType

    kind = override.value_type
    value = override.value()
    if kind == ValueType.GLOB_CHOICE_SWEEP:
        ctx.fail(Code.E132, "glob() picks config group options by their names, which a .mint file cannot see", node,
                 f"list the options: {override.key_or_group}=option1,option2")
    if isinstance(value, (ChoiceSweep, RangeSweep)) and value.shuffle:
        ctx.fail(Code.E132, "shuffle() runs the jobs in a random order; a .mint file has one order", node,
                 "remove shuffle(...); `mintc compile` writes the configs in one order, the same every time")
    if isinstance(value, IntervalSweep):
        assert value.start is not None and value.end is not None
        lo, hi = float(value.start), float(value.end)
        law = LogUniform if "log" in value.tags else Uniform
        return ctx.draw(node, lambda: law(lo, hi))
    if isinstance(value, (ChoiceSweep, RangeSweep)):
        # Each job gets `key=<element>` and Hydra parses it again: so here.
        key = override.key_or_group
        values: list[Json] = [_json(parser.parse_override(f"{key}={text}").value(), node, ctx)  # type: ignore[attr-defined]
                              for text in override.sweep_string_iterator()]
        if not values:
            ctx.fail(Code.E131, f"`{override.input_line}` holds no value: Hydra would run no job", node,
                     "give at least one value")
        if optimiser:
            return Fixed(values[0]) if len(values) == 1 else ctx.draw(node, lambda: Choice(values))
        if isinstance(value, RangeSweep) and len(values) > 1:
            assert value.start is not None and value.stop is not None
            return range_or_values(value.start, value.stop, value.step, values)
        return one_or_axis(values)
    # The job gets `key=<the value as text>` (Hydra's basic sweeper), parsed again: so here.
    again = parser.parse_override(f"{override.key_or_group}={override.get_value_element_as_str()}")  # type: ignore[attr-defined]
    return Fixed(_json(again.value(), node, ctx))


def _json(value: object, node: Node, ctx: Context) -> Json:
    """A Hydra value as JSON; an interpolation (`${...}`) is refused: Hydra
    resolves it in the job, a .mint file cannot."""
    if isinstance(value, str) and "${" in value:
        ctx.fail(Code.E132, "an interpolation (`${...}`) is resolved by Hydra in each job; a .mint value is what "
                 "it says", node, "keep it in the app's config, or write the value; .mint computes values with "
                 "`${...}` of its own keys (docs/language.md, 5.9)")
    if isinstance(value, dict):
        return {str(k): _json(v, node, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v, node, ctx) for v in value]
    return ctx.value(Node("value", node.start, node.end, value=value), "this value")
