"""The sweep files of other tools, read into one located tree.

`mintc convert` reads YAML (W&B sweeps, Hydra's `params:`), JSON (a Ray Tune
`param_space`) and Python source (a scikit-learn `param_grid`, a Tune
`param_space` with `tune.uniform(...)` calls). Each reader gives a `Node`
tree whose every node knows its offsets in the text, so that a converter
reports a mistake at its place (`sweep.yaml:7:12: error[E132]: ...`). Python
source is parsed, never run.
"""

from __future__ import annotations

import ast
import json
import warnings
from collections.abc import Iterator
from typing import Literal

import attrs
import yaml

from ..codes import Code
from ..dynamic import Json
from ..errors import Collector
from ..source import Source, Span


class Refused(Exception):
    """The file cannot be converted; the diagnostics say why (in the collector)."""


@attrs.frozen
class Node:
    """One value of the source file and its place (offsets into the text).

    `kind` is `map` (`entries`: key, key node, value node), `list` (`items`),
    `value` (a scalar, or a whole literal read at once: `value`) or `call`
    (a Python call: `name` dotted, `items` its positional and `keywords` its
    named arguments)."""

    kind: Literal["map", "list", "value", "call"]
    start: int
    end: int
    value: Json = None
    entries: tuple[tuple[str, Node, Node], ...] = ()
    items: tuple[Node, ...] = ()
    name: str = ""
    keywords: tuple[tuple[str, Node], ...] = ()

    def get(self, key: str) -> Node | None:
        """The value of `key` in a map, or None."""
        for name, _, value in self.entries:
            if name == key:
                return value
        return None

    def calls(self) -> Iterator[Node]:
        """Every call in the tree, outermost first."""
        if self.kind == "call":
            yield self
        for _, _, value in self.entries:
            yield from value.calls()
        for item in self.items:
            yield from item.calls()
        for _, value in self.keywords:
            yield from value.calls()


def span(source: Source, node: Node) -> Span:
    """Where `node` stands in `source`."""
    return source.span(node.start, node.end)


def plain(node: Node) -> Json:
    """The Python value of a tree without calls (maps as dicts, lists as lists)."""
    if node.kind == "map":
        return {key: plain(value) for key, _, value in node.entries}
    if node.kind == "list":
        return [plain(item) for item in node.items]
    if node.kind == "call":
        raise ValueError("a call has no plain value")
    return node.value


def read_yaml(source: Source, errors: Collector) -> Node:
    """The tree of a YAML file (one document), read as PyYAML's `safe_load`
    reads it, as W&B's and Hydra's tools do."""
    loader = yaml.SafeLoader(source.text)
    try:
        root = loader.get_single_node()
        if root is None:
            return Node("map", 0, 0)
        return _yaml_node(loader, root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = source.span(mark.index) if mark is not None else source.start()
        errors.error(Code.E130, f"not valid YAML: {exc.problem or exc.context}", at,
                     hint="fix the YAML: this file is read as YAML because of its name (or --from)")
        raise Refused from None
    except yaml.YAMLError as exc:
        errors.error(Code.E130, f"not valid YAML: {exc}", source.start(), hint="fix the YAML")
        raise Refused from None
    finally:
        loader.dispose()


def _yaml_node(loader: yaml.SafeLoader, node: yaml.Node) -> Node:
    start, end = node.start_mark.index, node.end_mark.index
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # `<<: *base` merges, as safe_load does
        entries = []
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            entries.append((key if isinstance(key, str) else _key_text(key), _yaml_node(loader, key_node),
                            _yaml_node(loader, value_node)))
        return Node("map", start, end, entries=tuple(entries))
    if isinstance(node, yaml.SequenceNode):
        return Node("list", start, end, items=tuple(_yaml_node(loader, item) for item in node.value))
    return Node("value", start, end, value=loader.construct_object(node, deep=True))


def _key_text(key: object) -> str:
    """A non-string YAML key (`1:`, `true:`) as the text W&B would see."""
    return json.dumps(key) if key is None or isinstance(key, bool) else str(key)


def read_json(source: Source, errors: Collector) -> Node:
    """The tree of a JSON file: values as `json.loads` gives them, places
    from Python's parser (JSON's grammar is Python's, but for its three words)."""
    try:
        json.loads(source.text)
    except json.JSONDecodeError as exc:
        errors.error(Code.E130, f"not valid JSON: {exc.msg}", source.span(exc.pos),
                     hint="fix the JSON; a Ray Tune param_space with tune.uniform(...) calls is Python: "
                          "save it as a .py file")
        raise Refused from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # `"\/"` is a JSON escape, a Python warning
        expr = ast.parse(source.text, mode="eval").body
    return _json_node(source, expr, source.starts)


def _place(source: Source, starts: list[int], line: int, byte_col: int) -> int:
    """The offset of Python's (line, column in UTF-8 bytes)."""
    text = source.line(line).encode("utf-8")[:byte_col].decode("utf-8", errors="ignore")
    return starts[line - 1] + len(text)


def _span_of(source: Source, starts: list[int], expr: ast.expr) -> tuple[int, int]:
    end_line = expr.end_lineno if expr.end_lineno is not None else expr.lineno
    end_col = expr.end_col_offset if expr.end_col_offset is not None else expr.col_offset
    return _place(source, starts, expr.lineno, expr.col_offset), _place(source, starts, end_line, end_col)


def _json_node(source: Source, expr: ast.expr, starts: list[int]) -> Node:
    start, end = _span_of(source, starts, expr)
    if isinstance(expr, ast.Dict):
        entries = []
        for key, value in zip(expr.keys, expr.values):
            assert key is not None  # JSON has no `**`
            key_node = _json_node(source, key, starts)
            entries.append((str(key_node.value), key_node, _json_node(source, value, starts)))
        return Node("map", start, end, entries=tuple(entries))
    if isinstance(expr, ast.List):
        return Node("list", start, end, items=tuple(_json_node(source, e, starts) for e in expr.elts))
    return Node("value", start, end, value=json.loads(source.text[start:end]))


# Names a Python sweep file assigns its sweep to, in order of preference.
PYTHON_NAMES = ("param_grid", "param_space", "search_space", "config", "space")


def read_python(source: Source, errors: Collector) -> Node:
    """The tree of a Python expression: the file's only expression, or the
    value assigned to `param_grid` (`param_space`, `search_space`, `config`,
    `space`), or else its last assignment. Literals are read with
    `ast.literal_eval`; calls are kept as calls; nothing is run."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = ast.parse(source.text)
    except SyntaxError as exc:
        line, col = exc.lineno or 1, exc.offset or 1
        at = source.at(line, col) if line <= source.line_count else source.start()
        errors.error(Code.E130, f"not valid Python: {exc.msg}", at, hint="fix the Python syntax")
        raise Refused from None
    expr = _sweep_expression(module)
    if expr is None:
        errors.error(Code.E130, "no sweep found: the file has no expression and no assignment", source.start(),
                     hint="write the dict (or list of dicts) alone, or assign it: param_grid = {...}")
        raise Refused
    return _python_node(source, expr, source.starts, errors)


def _sweep_expression(module: ast.Module) -> ast.expr | None:
    assigned: dict[str, ast.expr] = {}
    last: ast.expr | None = None
    for stmt in module.body:
        if isinstance(stmt, ast.Expr) and len(module.body) == 1:
            return stmt.value
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            assigned[stmt.targets[0].id] = last = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            assigned[stmt.target.id] = last = stmt.value
    for name in PYTHON_NAMES:
        if name in assigned:
            return assigned[name]
    return last


def _dotted(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        inner = _dotted(expr.value)
        return None if inner is None else f"{inner}.{expr.attr}"
    return None


def _python_node(source: Source, expr: ast.expr, starts: list[int], errors: Collector) -> Node:
    start, end = _span_of(source, starts, expr)
    if isinstance(expr, ast.Dict):
        entries = []
        for key, value in zip(expr.keys, expr.values):
            if key is None or not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                where = value if key is None else key
                errors.error(Code.E130, "a key that is not a string literal", source.span(*_span_of(source, starts, where)),
                             hint="write each key as a quoted string: {\"lr\": [...]}")
                raise Refused
            key_node = Node("value", *_span_of(source, starts, key), value=key.value)
            entries.append((key.value, key_node, _python_node(source, value, starts, errors)))
        return Node("map", start, end, entries=tuple(entries))
    if isinstance(expr, (ast.List, ast.Tuple)):
        return Node("list", start, end, items=tuple(_python_node(source, e, starts, errors) for e in expr.elts),
                    value="tuple" if isinstance(expr, ast.Tuple) else None)
    if isinstance(expr, ast.Call):
        name = _dotted(expr.func)
        if name is not None and name.rsplit(".", 1)[-1] == "sample_from":
            return Node("call", start, end, name=name)  # its function is refused by name, not read
        if name is not None and not any(isinstance(a, ast.Starred) for a in expr.args) and all(
                k.arg is not None for k in expr.keywords):
            return Node("call", start, end, name=name,
                        items=tuple(_python_node(source, a, starts, errors) for a in expr.args),
                        keywords=tuple((str(k.arg), _python_node(source, k.value, starts, errors))
                                       for k in expr.keywords))
    try:
        value = ast.literal_eval(expr)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        errors.error(Code.E132, "Python code that `mintc convert` does not run", source.span(start, end),
                     hint="write the value itself (a number, string, list or dict), or its name as a string that "
                          "your program turns into the object")
        raise Refused from None
    return Node("value", start, end, value=value)
