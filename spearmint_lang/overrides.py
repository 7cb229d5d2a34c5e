"""Overrides from the command line: `--set PATH=VALUE` and `--add PATH=VALUE`.

An override is `.mint` text: `optimizer.lr=0.1` is read as the entry
`optimizer.lr: 0.1` (the `=` read as `:`, so every column stays), with the
one parser and the one builder, from a `Source` of its own named after the
flag and the path (`--set optimizer.lr`), where its mistakes are reported.

It is applied to the AST of each document with content, once the document's
`extends` is loaded and before its items are lowered: the entry at PATH gets
the override's value (or, for a key only the extended file or the schema
knows, the override's entry is added), so lowering, `schema`, `where` and
`sample` see one document, as if the file said so. Overrides apply in
order; a later one wins over an earlier one of the same path (W010).
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
from collections.abc import Sequence

import attrs

from . import nodes as n
from .codes import Code
from .documents import front
from .dynamic import Json, Variants, Zip
from .errors import Collector, Hint, Related, did_you_mean
from .lower import Lowered
from .source import Source, Span, normalise


@attrs.frozen
class Override:
    """One override as given: `PATH=VALUE` text, whether it adds a new key,
    and how it was given (`--set`, `--add`, or `override` for the API)."""

    text: str
    add: bool = False
    flag: str = "override"


@attrs.frozen(eq=False)
class Parsed:
    """An override read: its source, the keys of its path, and the chain of
    entries the builder nested (`chain[i]` sets `keys[i]`; the last holds the value)."""

    given: Override
    source: Source
    keys: tuple[n.Key, ...]
    chain: tuple[n.Entry, ...]
    add: bool

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)

    @property
    def shown(self) -> str:
        """The path as written (`optimizer.lr`)."""
        return self.source.text[: self.keys[-1].span.end_column - 1].lstrip("+")

    @property
    def path_span(self) -> Span:
        return self.keys[0].span.to(self.keys[-1].span)

    def spelled(self, text: str, add: bool) -> str:
        """An override as this one was given (`--set 'TEXT'`, or an API string)."""
        return spelled(self.given.flag, text, add)


def spelled(flag: str, text: str, add: bool) -> str:
    """How to write override `text` (`PATH=VALUE`) on the command line (`--set 'lr=0.1'`, `--add ...`)
    or, for the API (`flag` "override"), as a Python string (`"+x=1"` adds)."""
    text = text.lstrip("+")
    if flag == "override":
        return repr(("+" if add else "") + text)
    return f"{'--add' if add else '--set'} {shlex.quote(text)}"


def _equals(text: str) -> int:
    """The offset of the first `=` outside a quoted key, or -1."""
    quoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and quoted:
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == "=" and not quoted:
            return i
        elif ch == "\n":
            return -1
        i += 1
    return -1


def parse(given: Override, errors: Collector) -> Parsed | None:
    """Read one override; its mistakes (E110, syntax errors) are located in its own source."""
    text = normalise(given.text)
    eq = _equals(text)
    head = text[:eq] if eq >= 0 else re.split(r"[:\s]", text, maxsplit=1)[0]
    name = f"{given.flag} {head.strip()}".rstrip()
    source = Source(name, text)
    example = "write PATH=VALUE, e.g. `--set 'optimizer.lr=0.1'` or `--set 'model=[\"a\", \"b\"]*'`"
    if text.startswith("~"):
        errors.error(Code.E110, "an override cannot remove a key", source.span(0),
                     hint=f"write `{text[1:].split('=')[0].strip() or 'key'}: delete` in the file instead")
        return None
    if text.startswith("++"):
        errors.error(Code.E110, "`++` is Hydra's spelling; mintc has two kinds of override", source.span(0, 2),
                     hint="write `--set PATH=VALUE` to change a key the file has, `--add PATH=VALUE` for a new one")
        return None
    add = given.add or text.startswith("+")
    if eq < 0:
        colon = text.find(":")
        hint = f"write `{spelled(given.flag, text[:colon].strip() + '=' + text[colon + 1:].strip(), given.add)}`" \
            if colon > 0 else example
        errors.error(Code.E110, "an override is PATH=VALUE, and this has no `=`", source.span(0, len(text.split("\n")[0])),
                     hint=hint)
        return None
    start = 1 if text.startswith("+") else 0
    if not text[start:eq].strip():
        errors.error(Code.E110, "this override has no key path before `=`", source.span(eq), hint=example)
        return None
    if not text[eq + 1:].strip():
        errors.error(Code.E110, f"`{text[start:eq]}=` has no value", source.span(eq),
                     hint="give one after `=`: a number, a \"string\", a list, a sweep `[1, 2]*`, ...")
        return None
    path = text[start:eq]
    if not _PATH.fullmatch(path):
        keys = [k.strip() for k in _SEGMENT.findall(path)]
        fixed = ".".join(k if _KEY.fullmatch(k) else '"' + k.replace("\\", "\\\\").replace('"', '\\"') + '"'
                         for k in keys)
        errors.error(Code.E110, f"`{path}` is not a key path: keys with dots between them, a key that is not a name "
                     "in quotes", source.span(start, eq),
                     hint=f"write `{spelled(given.flag, fixed + text[eq:], add)}`" if fixed and keys else example)
        return None
    # Parsed as the entry `PATH: VALUE` (the same columns), then shown as given.
    reading = Source(name, (" " if start else "") + text[start:eq] + ":" + text[eq + 1:])
    commas = _split_commas(text[eq + 1:])
    if len(commas) > 1:
        suggestion = spelled(given.flag, f"{text[start:eq]}={hydra_value(text[eq + 1:])}", add)
        errors.error(Code.E110, "values separated by commas are Hydra's sweep; in .mint a sweep is a list with `*`",
                     source.span(eq + 1, len(text)), hint=f"write `{suggestion}`")
        return None
    parts = front(reading, salvage=False)
    for part in parts.ordered:  # each document's own text, shown as the user wrote it (same lines and columns)
        part.source.text = text  # (every document's text keeps the lines and columns of the whole)
        part.source._starts = None
    before = errors.errors()
    errors.extend(attrs.evolve(d, related=tuple(attrs.evolve(r, message=r.message.replace("the file", "the override"))
                                                for r in d.related))
                  for d in parts.syntax)
    errors.extend(parts.built)
    if errors.errors() != before or parts.ast is None:
        return None
    items = [it for doc in parts.ast.documents for it in doc.items]
    first = items[0] if items else None
    if not isinstance(first, n.Entry) or len(items) > 1:
        extra = items[1] if isinstance(first, n.Entry) else first
        errors.error(Code.E110, "an override sets one key to one value", extra.span if extra else source.span(0),
                     hint=example)
        return None
    chain = [first]
    while True:  # the keys before `=` are the path; an object after it is the value
        value = chain[-1].value
        inner = value.items[0] if isinstance(value, n.ObjectValue) and len(value.items) == 1 else None
        if not (isinstance(inner, n.Entry) and inner.dotted and inner.key.span.line == 1
                and inner.key.span.column - 1 < eq):
            break
        chain.append(inner)
    return Parsed(given, source, tuple(e.key for e in chain), tuple(chain), add)


def parse_all(given: Sequence[Override], errors: Collector) -> list[Parsed]:
    """Read every override; W010 for one that a later one replaces."""
    out = [p for p in (parse(g, errors) for g in given) if p is not None]
    for i, early in enumerate(out):
        for late in out[i + 1:]:
            if early.names[: len(late.names)] == late.names:
                errors.warn(Code.W010, f"`{early.given.flag} {early.shown}` has no effect: the later "
                            f"`{late.given.flag} {late.shown}` replaces it", early.path_span,
                            related=(Related(late.path_span, "the later override is here"),),
                            hint="drop one of them: of two overrides of the same key, the later wins")
                break
    return out


@attrs.define
class _Miss:
    """Where an override found no key: how deep, and the keys known there."""

    depth: int
    known: set[str]


class Applier:
    """Applies the overrides of one compile to each document with content;
    an override no document knows is reported by `finish`."""

    def __init__(self, overrides: list[Parsed], ast: n.File, errors: Collector) -> None:
        self.overrides = overrides
        self.errors = errors
        self.lets = {it.name.name: it for doc in ast.documents for it in reversed(doc.items) if isinstance(it, n.Let)}
        self.hits: set[int] = set()
        self.failed: set[int] = set()
        self.misses: dict[int, _Miss] = {}
        self.documents = 0
        self.made = {id(entry) for over in overrides for entry in over.chain}  # entries an override wrote
        for index, over in enumerate(overrides):  # `model=gpt4`: a string without quotes, as Hydra takes it
            value = over.chain[-1].value
            if isinstance(value, n.Ref) and value.name not in self.lets:
                quoted = over.source.text[: value.span.column - 1] + f'"{value.name}"' + over.source.text[value.span.end_column - 1:]
                errors.error(Code.E040, f"unknown name `{value.name}`", value.span,
                             hint=f"strings need quotes, and the shell removes them: quote the whole override, "
                                  f"`{over.spelled(quoted, over.add)}`")
                self.failed.add(index)

    def __call__(self, doc: n.Document, base: Lowered | None) -> n.Document:
        """`doc` with every override applied (the document itself when there is none)."""
        if not any(isinstance(it, (n.Entry, n.Zip, n.Variants, n.Extends)) for it in doc.items):
            return doc
        self.documents += 1
        schema = next((it for it in doc.items if isinstance(it, n.Schema)), base.schema if base else None)
        items: tuple[n.Node, ...] = doc.items
        for index, over in enumerate(self.overrides):
            if index in self.failed:
                continue
            found = self.apply(items, over, 0, base.template if base else {}, schema.fields if schema else ())
            if isinstance(found, _Miss):
                miss = self.misses.setdefault(index, _Miss(found.depth, set()))
                if found.depth == miss.depth:
                    miss.known |= found.known
            elif found is None:
                self.failed.add(index)
            else:
                items = found
                self.hits.add(index)
        return n.Document(tuple(i for i in items if isinstance(i, n.DOC_ITEMS)), doc.span)

    def apply(self, items: tuple[n.Node, ...], over: Parsed, depth: int, base: Json,
              fields: tuple[n.Field, ...]) -> tuple[n.Node, ...] | _Miss | None:
        """`items` (of a document or an object at `depth` of the path) with the
        override applied; a `_Miss` where the key is unknown; None after an error."""
        key = over.keys[depth]
        last = depth == len(over.keys) - 1
        base_dict = base if isinstance(base, dict) else {}
        field = next((f for f in fields if f.key.name == key.name), None)
        inner_fields = tuple(sub for f in ([field] if field else []) for alt in f.types
                             if isinstance(alt, n.TypeObject) for sub in alt.fields)
        spliced = self.spliced(items, base_dict, key.name)
        if spliced is not None:
            where, related = spliced
            self.errors.error(Code.E113, f"`{key.name}` is set by a {where}, so an override cannot change it",
                              key.span, related=related,
                              hint="change the block in the file, or override the keys outside it")
            return None
        mine = [i for i, it in enumerate(items) if isinstance(it, n.Entry) and it.key.name == key.name]
        in_base = key.name in base_dict
        if last:
            if over.add and (any(id(items[i]) not in self.made for i in mine) or in_base):
                kind = "a `+` override" if over.given.flag == "override" else "`--add`"
                self.errors.error(Code.E112, f"`{over.shown}` is already set{'' if mine else ' by the extended file'}; "
                                  f"{kind} is for a new key", over.path_span,
                                  hint=f"to change its value, write `{over.spelled(over.source.text, False)}`")
                return None
            if mine:
                out = list(items)
                out[mine[0]] = over.chain[depth]
                return tuple(it for i, it in enumerate(out) if i not in mine[1:])
            if in_base or field is not None or over.add:
                return items + (over.chain[depth],)
            return _Miss(depth, self.known(items, base_dict, fields))
        if mine:
            for index in mine:  # the entry whose object holds the next key, else the first object
                target = self.object_of(items[index])
                if target is not None and any(isinstance(it, n.Entry) and it.key.name == over.keys[depth + 1].name
                                              for it in target.items):
                    break
            else:
                index = next((i for i in mine if self.object_of(items[i]) is not None), mine[0])
            entry = items[index]
            assert isinstance(entry, n.Entry)
            target = self.object_of(entry)
            if target is None:
                whole = ".".join(over.names[: depth + 1])
                self.errors.error(Code.E113, f"`{whole}` is {_what(entry.value)} here, not an object, so it has "
                                  f"no key `{over.keys[depth + 1].name}`", key.span,
                                  related=(Related(entry.value.span, f"`{whole}` is set here"),),
                                  hint=f"set `{whole}` whole, e.g. `{over.spelled(whole + '={...}', False)}`")
                return None
            found = self.apply(target.items, over, depth + 1, base_dict.get(key.name), inner_fields)
            if found is None or isinstance(found, _Miss):
                return found
            out = list(items)
            out[index] = attrs.evolve(entry, value=n.ObjectValue(tuple(found), target.span))  # type: ignore[arg-type]
            return tuple(out)
        if in_base and not isinstance(base_dict[key.name], dict):
            whole = ".".join(over.names[: depth + 1])
            self.errors.error(Code.E113, f"`{whole}` is not an object in the extended file, so it has no key "
                              f"`{over.keys[depth + 1].name}`", key.span,
                              hint=f"set `{whole}` whole, e.g. `{over.spelled(whole + '={...}', False)}`")
            return None
        if in_base or field is not None or over.add:
            below = self.apply((), over, depth + 1, base_dict.get(key.name), inner_fields)
            return below if below is None or isinstance(below, _Miss) else items + (over.chain[depth],)
        return _Miss(depth, self.known(items, base_dict, fields))

    def object_of(self, entry: n.Node) -> n.ObjectValue | None:
        """The object an entry's value is (through a `let` name), or None."""
        if not isinstance(entry, n.Entry):
            return None
        value: n.Node = entry.value
        for _ in range(len(self.lets) + 1):
            if isinstance(value, n.Ref) and value.name in self.lets:
                value = self.lets[value.name].value
        return value if isinstance(value, n.ObjectValue) else None

    @staticmethod
    def spliced(items: tuple[n.Node, ...], base: dict[object, Json], name: str) -> tuple[str, tuple[Related, ...]] | None:
        """Whether `name` is set by a `zip` or `variants` here or in the extended file."""
        for it in items:
            if isinstance(it, n.Zip) and any(e.key.name == name for e in it.entries):
                return "`zip`", (Related(next(e for e in it.entries if e.key.name == name).key.span,
                                         "the `zip` sets it here"),)
            if isinstance(it, n.Variants):
                for alt in it.alternatives:
                    for e in alt.items:
                        if isinstance(e, n.Entry) and e.key.name == name:
                            return "`variants` block", (Related(e.key.span, "a `variants` alternative sets it here"),)
        for value in base.values():
            if isinstance(value, Zip) and name in value.columns:
                return "`zip` of the extended file", ()
            if isinstance(value, Variants) and any(name in alt for alt in value.alternatives):
                return "`variants` block of the extended file", ()
        return None

    @staticmethod
    def known(items: tuple[n.Node, ...], base: Json, fields: tuple[n.Field, ...]) -> set[str]:
        """The keys known at one level: set here, by the extended file, or in the schema."""
        names = {it.key.name for it in items if isinstance(it, n.Entry)}
        if isinstance(base, dict):
            names |= {k for k in base if isinstance(k, str)}
        return names | {f.key.name for f in fields}

    def finish(self) -> None:
        """E111 for each override that no document knows."""
        for index, over in enumerate(self.overrides):
            if index in self.hits or index in self.failed:
                continue
            miss = self.misses.get(index, _Miss(0, set()))
            key = over.keys[miss.depth]
            where = "this file" if miss.depth == 0 else f"`{'.'.join(over.names[:miss.depth])}`"
            close = difflib.get_close_matches(key.name, sorted(miss.known), n=1, cutoff=0.6)
            add = f"`{over.spelled(over.source.text, True)}`"
            hint: str | Hint = f"to add it as a new key, write {add}"
            if close:
                written = close[0] if _NAME.fullmatch(close[0]) else json.dumps(close[0], ensure_ascii=False)
                hint = did_you_mean(key.span, close[0], written, f" To add `{over.shown}` as a new key, write {add}")
            joined = ".".join(over.names[miss.depth:])
            if joined in miss.known and len(over.keys) > miss.depth + 1:
                quoted = over.source.text[: key.span.column - 1].lstrip("+") + f'"{joined}"' + \
                    over.source.text[over.keys[-1].span.end_column - 1:]
                hint = f"the key `{joined}` holds a dot: quote it, `{over.spelled(quoted, over.add)}`"
            if not self.documents:
                message = f"`{over.shown}` cannot be set: this file has no document with keys"
            else:
                message = f"unknown key `{key.name}` in {where}"
            self.errors.error(Code.E111, message, key.span, hint=hint)


def _what(value: n.Value) -> str:
    if isinstance(value, (n.ListSweep, n.RangeSweep)):
        return "a sweep"
    if isinstance(value, n.Distribution):
        return "a distribution"
    if isinstance(value, n.ListValue):
        return "a list"
    if isinstance(value, n.Str):
        return "a string"
    if isinstance(value, (n.Number, n.Bool, n.Null)):
        return f"`{value.span.text}`"
    if isinstance(value, n.Ref):
        return f"`{value.name}`"
    return "a computed value"


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_KEY = re.compile(r'[A-Za-z_][A-Za-z0-9_-]*|"(?:[^"\\\n]|\\[^\n])*"')
_PATH = re.compile(rf"[ \t]*(?:{_KEY.pattern})(?:[ \t]*\.[ \t]*(?:{_KEY.pattern}))*[ \t]*")
_SEGMENT = re.compile(r'"(?:[^"\\\n]|\\[^\n])*"|[^.]+')


def _split_commas(text: str) -> list[str]:
    """`text` split at its commas outside brackets and strings."""
    parts, depth, quoted, start, i = [], 0, False, 0, 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch in "[{(":
            depth += 1
        elif ch in "]})":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    return parts + [text[start:]]


def _literal(word: str) -> str:
    """A Hydra value as .mint writes it: numbers and constants as they are, other words quoted."""
    word = word.strip()
    if word in ("true", "false", "null") or word.startswith(("[", "{", '"')):
        return word
    try:
        float(word.replace("_", ""))
        return word
    except ValueError:
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hydra_value(value: str) -> str:
    """The .mint value of a Hydra value: `0.1,0.01` is the sweep `[0.1, 0.01]*`."""
    parts = _split_commas(value)
    if len(parts) > 1:
        return "[" + ", ".join(_literal(p) for p in parts) + "]*"
    return _literal(value)


def hydra_hint(argument: str) -> str:
    """What to write for a Hydra override given as an argument (`lr=0.1,0.01`)."""
    path, _, value = argument.partition("=")
    if path.startswith("~"):
        return f"an override cannot remove a key; write `{path[1:]}: delete` in the file"
    add = path.startswith("+") and not path.startswith("++")
    return f"write `{spelled('--set', path.lstrip('+') + '=' + hydra_value(value), add)}`"


def check_positional(argument: str) -> bool:
    """Whether a command-line argument looks like a Hydra override (`lr=0.1`, `+x=1`)."""
    eq = argument.find("=")
    if eq <= 0:
        return False
    path = argument[:eq].lstrip("+~")
    return bool(path) and all(part.replace("_", "a").replace("-", "a").isalnum() for part in path.split("."))


__all__ = ["Applier", "Override", "Parsed", "check_positional", "hydra_hint", "hydra_value", "parse", "parse_all"]
