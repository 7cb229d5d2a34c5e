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
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Literal

import attrs

from ..dynamic import Config, Json

if TYPE_CHECKING:
    import jinja2
    import yaml

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
    # nested indentation); None when the fast plan does not write this format.
    value: Callable[[Json, str], str] | None = None
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


def py_literal(value: Json) -> str:
    """A Python expression that evaluates to exactly `value`."""
    if isinstance(value, str):
        return repr(value)
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value!r} as a Python literal")
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as a Python literal")


# A plain scalar that a YAML 1.2 reader resolves to something other than a
# string: ruamel.yaml's 1.2 resolver (bool, float, int, null, merge, value,
# timestamp; each alternative starts with a first character it is registered
# for), and the one form of the 1.2 core schema (spec 10.3.2) that ruamel
# reads as a string, `.5e3`. PyYAML's dumper applies its own (1.1) resolver.
_YAML12_NOT_STR = re.compile(r"""
    true|True|TRUE|false|False|FALSE
  | [-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
  | [-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
  | [-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
  | [-+]?\.[0-9]+[eE][0-9]+  # core schema only
  | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
  | [-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+][0-9_]+ | [0-9][0-9_]* | [-+]?0x[0-9a-fA-F_]+
  | ~ | null|Null|NULL | (?#the empty string is null too)
  | << | =
  | [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
  | [0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
    (?:[Tt]|[\ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
    (?:[\ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
""", re.VERBOSE)

# Line breaks in YAML 1.1 but ordinary characters in YAML 1.2: written raw,
# they load back as a space, a newline or themselves, depending on the reader.
_YAML11_BREAKS = re.compile("[\x85\u2028\u2029]")


def yaml_style(text: str) -> str | None:
    """How a string must be written so that YAML 1.1 and 1.2 readers both load
    exactly it back: `"` (double-quoted, with escapes) if it holds a character
    that only YAML 1.1 reads as a line break, `'` if a 1.2 reader would take
    it plain for another type, else None (PyYAML's own choice, which quotes
    what YAML 1.1 would take for another type and escapes what must be)."""
    if _YAML11_BREAKS.search(text):
        return '"'
    if _YAML12_NOT_STR.fullmatch(text):
        return "'"
    return None


@functools.lru_cache(maxsize=1)
def _yaml_dumper() -> type[yaml.SafeDumper]:
    import yaml

    class Dumper(yaml.SafeDumper):
        """PyYAML's safe dumper, with strings written by `yaml_style`."""

    def represent_str(dumper: Dumper, text: str) -> yaml.ScalarNode:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=yaml_style(text))

    Dumper.add_representer(str, represent_str)
    return Dumper


def yaml_document(config: Config) -> str:
    """One YAML document (`---` first), keys in config order, that loads back
    to exactly `config` in YAML 1.1 (PyYAML) and 1.2 (ruamel.yaml) readers."""
    import yaml

    return yaml.dump(config, Dumper=_yaml_dumper(), explicit_start=True, sort_keys=False,
                     allow_unicode=True, default_flow_style=False, width=10**9)


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
_PY_ITEM_LEAD = "\n    "


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
    """The module's head, the items inside its list, its tail. Strings only
    ever reach the template as `repr` literals: nothing from a `.mint` file
    is templated or executed."""
    page = _module_template().render(source=repr(frame.source_name)[1:-1], version=frame.version,
                                     count=frame.count, configs=[_PY_MARK])
    head, tail = page.split(_PY_ITEM_LEAD + _PY_MARK + ",")
    yield head
    yield from chunks
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
    item=lambda c: _PY_ITEM_LEAD + py_literal(c) + ",",
    frame=_py_module,
    value=lambda v, _line: py_literal(v),
    quote=repr,
    counts=True,
)
YAML = Format("yaml", (".yaml", ".yml"), item=yaml_document, frame=_stream, file=yaml_document)

BY_NAME: dict[str, Format] = {f.name: f for f in (JSON, JSONL, PY, YAML)}
EXTENSIONS: dict[str, FormatName] = {ext: f.name for f in BY_NAME.values() for ext in f.extensions}
