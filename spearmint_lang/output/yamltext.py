"""YAML text: the document PyYAML writes for a config (`yaml_document`,
the reference for every YAML byte mintc writes), and what the fast plan
needs to write the same bytes without PyYAML per config: the text of a
value in its slot of the document (`SlotEncoder`), and of a `config_id`
(`yaml_value`).

A value's text in a block mapping depends on its context only through
the indentation of its lines, anchors and line wrapping. Configs never
share a list or dict (no anchors), the dumper's width is unlimited (no
wrapping), and a slot's indentation is the same in every config. So a
value is written once per slot: the whole document is dumped with the
value in place and the others as markers, and the value's text is what
stands between the fixed text before and after it. Where that does not
hold (the text around it changed), the document takes the general path.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..dynamic import Config, Json

if TYPE_CHECKING:
    import yaml

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


# --- the fast plan's pieces --------------------------------------------------------------------


class Unplannable(Exception):
    """A value whose text in its slot cannot be reused: the document takes the general path."""


_STR_TAG = "tag:yaml.org,2002:str"
_HEX = re.compile("[0-9a-f]+")
# Hex digits with a letter no number, bool or null of YAML 1.1 or 1.2 has
# (only `0b...`, `0x...` and `...e...` forms have letters): always plain.
_PLAIN_HEX = re.compile("[0-9a-f]*[acdf][0-9a-f]*")


@functools.lru_cache(maxsize=1)
def _resolver() -> yaml.resolver.Resolver:
    import yaml

    return yaml.resolver.Resolver()


def yaml_value(text: str) -> str:
    """How the string `text` stands as a value of the top-level mapping of
    a `yaml_document`: the space after the colon, then the scalar. A
    `config_id` (hex digits) is written plain unless a reader would take it
    for a number, then in single quotes, as the dumper decides."""
    if _PLAIN_HEX.fullmatch(text):
        return " " + text
    if _HEX.fullmatch(text):
        import yaml

        tag = _resolver().resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
        if yaml_style(text) is None and tag == _STR_TAG:
            return " " + text
        return " '" + text + "'"
    doc = yaml_document({"k": text})
    return doc[len("---\nk:") : -1]


def scalar_text(value: Json) -> str | None:
    """The text of a number, a bool or null as PyYAML's safe dumper writes
    it (the same wherever it stands, always plain), else None."""
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        assert isinstance(value, float)
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        text = float.__repr__(value).lower()
        return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    return None


def fresh(value: Json) -> Json:
    """Fresh containers (shared ones would make the dumper write anchors)."""
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [fresh(v) for v in value]
    return value


def _put(doc: Config, mark: str, value: Json) -> Config:
    """A fresh copy of `doc` with the string `mark` (a value, anywhere) replaced by `value`."""
    out: Config = {}
    for key, item in doc.items():
        if item == mark and isinstance(item, str):
            out[key] = fresh(value)
        elif isinstance(item, dict):
            out[key] = _put(item, mark, value)
        else:
            out[key] = fresh(item)
    return out


class SlotEncoder:
    """The text of each value of one slot of a planned YAML document (the
    space or line break after the key's colon included), found by dumping
    the document with the value in place; numbers, bools and null by rule.
    Strings and containers are remembered (a slot holds few of them)."""

    def __init__(self, shown: Config, text: str, mark: str) -> None:
        needle = yaml_value(mark)
        at = text.find(needle)
        if at < 0 or text.count(needle) != 1:
            raise Unplannable(mark)
        self.shown, self.mark = shown, mark
        self.before, self.after = text[:at], text[at + len(needle) :]
        self.memo: dict[tuple[type, str], str] = {}
        for probe in (0, -1.5, 1e-05, True, None):  # the rule agrees with the dumper here
            if self._dumped(probe) != " " + str(scalar_text(probe)):
                raise Unplannable(mark)

    def _dumped(self, value: Json) -> str:
        doc = yaml_document(_put(self.shown, self.mark, value))
        before, after = self.before, self.after
        if len(doc) < len(before) + len(after) or not doc.startswith(before) or not doc.endswith(after):
            raise Unplannable(self.mark)
        return doc[len(before) : len(doc) - len(after)]

    def __call__(self, value: Json) -> str:
        """The slot's text for `value`; raises `Unplannable` if it is not the same in every config."""
        plain = scalar_text(value)
        if plain is not None:
            return " " + plain
        key = (type(value), value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._dumped(value)
        return found


def only_scalars(values: Sequence[Json]) -> bool:
    """Whether every value is a number, a bool or null (encoded by rule, no dump)."""
    if isinstance(values, range):
        return True
    return all(scalar_text(v) is not None for v in values)
