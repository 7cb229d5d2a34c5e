"""The output formats, one record each: how a value, a config and the whole
output are framed. The general path (`emit`) and the fast plan (`plan`)
both write through these records, so they agree by construction.

The canonical JSON behind `config_id` is the same for every format
(`expand.canonical`: keys sorted, ASCII, `default=str`).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Literal

import attrs

from ..dynamic import Config, Json
from .yamltext import SlotEncoder, yaml_value
from .yamltext import yaml_document as yaml_document
from .yamltext import yaml_style as yaml_style

if TYPE_CHECKING:
    import jinja2


FormatName = Literal["json", "jsonl", "py", "yaml"]
FORMATS: tuple[FormatName, ...] = ("json", "jsonl", "py", "yaml")


@attrs.frozen
class Frame:
    """What the framing of a whole output may mention."""

    source_name: str
    version: str
    count: int


@attrs.frozen
class Format:
    """One output format."""

    name: FormatName
    extensions: tuple[str, ...]
    # One config as it stands in the output, with what separates it from the one before.
    item: Callable[[Config], str]
    # The whole output around the items (a stream of chunks in, a stream out).
    frame: Callable[[Iterator[str], Frame], Iterator[str]]
    # One value inside an item, given the text before it on its line (for
    # nested indentation); None when `slot` encodes values instead, or the
    # fast plan does not write this format.
    value: Callable[[Json, str], str] | None = None
    # Where a value's text depends on more than its line (YAML): given the
    # document with a marker string in each slot, its text and one marker,
    # the encoder of that slot's values (either raises `Unplannable` when
    # the plan cannot write the document).
    slot: Callable[[Config, str, str], Callable[[Json], str]] | None = None
    # How a string value appears inside an item (the plan finds its slots by it).
    quote: Callable[[str], str] = json.dumps
    # One config as a file of its own (`--split`), if the format offers that.
    file: Callable[[Config], str] | None = None
    # Whether the framing states the number of configs (found first, for `where` documents).
    counts: bool = False


# --- values ----------------------------------------------------------------------------------

def compact(value: Json) -> str:
    """JSON without spaces (what `json.dumps(..., separators=(",", ":"))` writes), ints and floats fast."""
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)  # what json.dumps writes for a float
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def indented(value: Json, line: str) -> str:
    """Two-space-indented JSON whose nested lines line up under `line`'s indentation."""
    lead = line[: len(line) - len(line.lstrip(" "))]
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + lead)


def py_json(value: Json) -> str:
    """The body of a Python string literal (between single quotes) holding
    `value` as compact JSON, as the `py` module stores it; the body of a
    part of a string is the part of the body. A float that is not finite is
    refused, as JSON has no such number."""
    try:
        text = compact(value) if type(value) is int or type(value) is float and math.isfinite(value) else (
            json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
    except ValueError:
        raise ValueError("cannot write a float that is not finite (inf, nan) in a Python module") from None
    return repr('"' + text)[2:-1]  # (a `"` first: `repr` quotes with `'`, whatever the text holds)


def json_file(config: Config) -> str:
    """One config as a JSON file of its own."""
    return json.dumps(config, indent=2, ensure_ascii=False) + "\n"


# --- framing -----------------------------------------------------------------------------------

def _stream(chunks: Iterator[str], frame: Frame) -> Iterator[str]:
    """Items one after the other, nothing around them."""
    return chunks


def _json_array(chunks: Iterator[str], frame: Frame) -> Iterator[str]:
    """`[`, the items (the first loses its separator), `]`."""
    first = True
    for chunk in chunks:
        yield ("[\n" + chunk[2:]) if first else chunk
        first = False
    yield "[]\n" if first else "\n]\n"


_PY_MARK = "\x00config\x00"
_PY_ITEM_LEAD = "\n    '"  # each item: `,` and the config's JSON, in a string literal of its own line


@functools.lru_cache(maxsize=1)
def _module_template() -> jinja2.Template:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("spearmint_lang.output", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("module.py.j2")


def _py_module(chunks: Iterator[str], frame: Frame) -> Iterator[str]:
    """The module's head, the items inside the literal `json.loads` decodes
    (the first loses its `,`), its tail. Strings only ever reach the
    template as `repr` literals: nothing from a `.mint` file is templated
    or executed."""
    page = _module_template().render(source=repr(frame.source_name)[1:-1], version=frame.version,
                                     count=frame.count, configs=[_PY_MARK])
    head, tail = page.split("\n    " + _PY_MARK)
    yield head
    first = True
    for chunk in chunks:
        yield (_PY_ITEM_LEAD + chunk[len(_PY_ITEM_LEAD) + 1 :]) if first else chunk
        first = False
    yield tail


JSON = Format(
    "json", (".json",),
    item=lambda c: ",\n  " + indented(c, "  "),
    frame=_json_array,
    value=indented,
    quote=lambda text: json.dumps(text, ensure_ascii=False),
    file=json_file,
)
JSONL = Format(
    "jsonl", (".jsonl",),
    item=lambda c: compact(c) + "\n",
    frame=_stream,
    value=lambda v, _line: compact(v),
)
PY = Format(
    "py", (".py",),
    item=lambda c: _PY_ITEM_LEAD + "," + py_json(c) + "'",
    frame=_py_module,
    value=lambda v, _line: py_json(v),
    quote=py_json,
    counts=True,
)
YAML = Format(
    "yaml", (".yaml", ".yml"),
    item=yaml_document,
    frame=_stream,
    slot=SlotEncoder,
    quote=yaml_value,
    file=yaml_document,
)

# One config as a file of its own (`--split`): the JSON file is indented at the top level.
JSON_FILE = attrs.evolve(JSON, item=json_file)
FILES: dict[str, Format] = {"json": JSON_FILE, "yaml": YAML}

BY_NAME: dict[str, Format] = {f.name: f for f in (JSON, JSONL, PY, YAML)}
EXTENSIONS: dict[str, FormatName] = {ext: f.name for f in BY_NAME.values() for ext in f.extensions}
