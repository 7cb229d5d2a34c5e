"""`mintc explain`: the structure of a compiled sweep, per document.

Each document's axes as the compiled template holds them (`expand.axes`
order: depth-first in key order, the `sample` axis last), each named by the
key path the user wrote and located by the span of the entry that made it
(`Lowered.sites`); how they combine (a product; a `zip` is one axis, a
`variants` one axis whose size is the sum of its alternatives'); what the
`where`s keep. The numbers are `Unit.count`'s, the ones `mintc count`
prints: the product of the axes is the count before `where`, the kept count
is exact within the file's counting budget and an upper bound beyond it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence

import attrs

from . import nodes as n
from .compiler import Unit
from .dynamic import DynamicValue, Json, Template, Variants, Zip
from .expand import Axis, axes, choices, count, size_of
from .expand import ListCombos
from .lower import Lowered, Site
from .ranges import LinearRange
from .sampling import Distribution, Sample
from .source import Span

Path = tuple[str, ...]


@attrs.frozen
class Position:
    """Where something was written: a file, a line and a column (1-based)."""

    file: str
    line: int
    column: int

    def text(self, here: str) -> str:
        """`line:col`, with the file in front when it is not `here` (an `extends` base)."""
        spot = f"{self.line}:{self.column}"
        if self.file.startswith("-"):  # `--set PATH`, `--add PATH`: a line of its own
            return self.file
        return spot if self.file == here else f"{self.file}:{spot}"

    def json(self) -> dict[str, Json]:
        return {"file": self.file, "line": self.line, "column": self.column}


@attrs.frozen
class Column:
    """One key of a `zip`."""

    path: str
    first: Json
    last: Json
    position: Position | None


@attrs.frozen
class Drawn:
    """A key drawn from a distribution (`sample N`)."""

    path: str
    text: str  # as written: `loguniform(1e-5, 1e-1)`
    position: Position | None


@attrs.frozen
class Shape:
    """Axes that combine by product: a document's, or an alternative's."""

    axes: tuple[AxisView, ...]

    @property
    def configs(self) -> int:
        """The product of the axes' sizes."""
        total = 1
        for axis in self.axes:
            total *= axis.size
        return total


@attrs.frozen
class AxisView:
    """One axis: `kind` is list, range, list-sweep (sweeps inside a list),
    object (a sweep of objects, some holding sweeps), zip, variants or sample."""

    path: str
    kind: str
    size: int
    first: Json = None
    last: Json = None
    position: Position | None = None
    columns: tuple[Column, ...] = ()  # zip
    alternatives: tuple[Shape, ...] = ()  # variants
    options: tuple[int, ...] = ()  # object: the values each option stands for
    seed: int | None = None  # sample
    method: str | None = None  # sample
    drawn: tuple[Drawn, ...] = ()  # sample


@attrs.frozen
class WhereView:
    text: str
    position: Position | None


@attrs.frozen
class DocumentView:
    number: int  # 1-based, among the documents with content
    line: int
    shape: Shape
    configs: int  # what `mintc count` says
    exact: bool
    wheres: tuple[WhereView, ...]


@attrs.frozen
class FileView:
    file: str  # as printed
    path: str  # as its spans name it: positions in it are shown without it
    documents: tuple[DocumentView, ...]

    @property
    def total(self) -> int:
        return sum(d.configs for d in self.documents)

    @property
    def exact(self) -> bool:
        return all(d.exact for d in self.documents)


# --- from the compiled form --------------------------------------------------------


def explain(unit: Unit, label: str) -> FileView:
    """The structure of every document of a compiled file (`unit.ok`)."""
    docs = []
    for i, doc in enumerate(unit.documents):
        found = unit.count(i)
        finder = _Finder(doc)
        wheres = tuple(WhereView(" ".join(w.expr.span.text.split()), _position(w.span)) for w in doc.wheres)
        docs.append(DocumentView(i + 1, _first_line(doc), _shape(doc.template, (), finder), found.configs,
                                 found.exact, wheres))
    return FileView(label, unit.source.path, tuple(docs))


class _Finder:
    """Where each axis was written: the entry a lowered value came from (by
    identity), the `zip` or `variants` block holding such an entry, the
    `sample` line; in a document and the files it extends."""

    def __init__(self, doc: Lowered) -> None:
        self.all = list(_all_sites(doc))
        self.sites: dict[int, Site] = {}
        for site in self.all:
            self.sites.setdefault(id(site.lowered), site)
        nodes = [node for d in _all_documents(doc) for node in n.walk(d.node)]
        self.zips = [z for z in nodes if isinstance(z, n.Zip)]
        self.variants = [v for v in nodes if isinstance(v, n.Variants)]
        self.sample = next((s for s in nodes if isinstance(s, n.SampleItem)), None)
        # `a.b: v` is built as `a: { b: v }`: the entry `b` is written where `a` starts.
        self.outer: dict[int, n.Entry] = {}
        for entry in (s.entry for s in self.all):
            value = entry.value
            if isinstance(value, n.ObjectValue) and len(value.items) == 1 and \
                    isinstance(value.items[0], n.Entry) and value.items[0].dotted:
                self.outer[id(value.items[0])] = entry

    def site(self, value: object) -> Site | None:
        return self.sites.get(id(value))

    def position(self, value: object) -> Position | None:
        site = self.sites.get(id(value))
        if site is None:
            return None
        entry = site.entry
        while id(entry) in self.outer:
            entry = self.outer[id(entry)]
        return _position(entry.span)

    def text(self, value: object) -> str | None:
        site = self.sites.get(id(value))
        return " ".join(site.entry.value.span.text.split()) if site is not None else None

    def zip_position(self, axis: Zip) -> Position | None:
        for column in axis.columns.values():
            site = self.sites.get(id(column))
            block = next((z for z in self.zips if site is not None and any(e is site.entry for e in z.entries)), None)
            if block is not None:
                return _position(block.span)
        return None

    def variants_position(self, axis: Variants, prefix: Path) -> Position | None:
        for k, alt in enumerate(axis.alternatives, 1):
            paths = {prefix + (key,) for key in alt if isinstance(key, str)}
            for site in self.all:
                if site.alternative != k or site.path not in paths:
                    continue
                for block in self.variants:
                    if len(block.alternatives) >= k and any(it is site.entry for it in block.alternatives[k - 1].items):
                        return _position(block.span)
        return None


def _all_documents(doc: Lowered) -> Iterator[Lowered]:
    """A document and the ones it extends, at any depth."""
    yield doc
    for _, base in doc.bases:
        yield from _all_documents(base)


def _all_sites(doc: Lowered) -> Iterator[Site]:
    for d in _all_documents(doc):
        yield from d.sites


def _position(span: Span) -> Position:
    return Position(span.file, span.line, span.column)


def _first_line(doc: Lowered) -> int:
    """The line of a document's first item (of its `---` line when it has none)."""
    own = doc.node.span.file
    return min((it.span.line for it in doc.node.items if it.span.file == own), default=doc.node.span.line)


def _shape(template: Template, prefix: Path, finder: _Finder) -> Shape:
    places = _places(template, prefix)
    return Shape(tuple(_axis(axis, path, finder, template) for path, axis in zip(places, axes(template))))


def _places(obj: Template, prefix: Path) -> list[Path]:
    """Where each axis of `axes(obj)` stands (the same walk): a sweep at its
    key's path, a `zip` or `variants` at the object whose keys it sets, the
    `sample` at the top."""
    found: list[Path] = []

    def walk(node: Template, at: Path) -> None:
        for key, value in node.items():
            if isinstance(value, (Zip, Variants)):
                found.append(at)
            elif isinstance(value, DynamicValue):
                found.append(at + (str(key),))
            elif isinstance(value, dict):
                walk(value, at + (str(key),))

    walk(obj, prefix)
    found.append(prefix)  # the sample's, when there is one (zip drops it otherwise)
    return found


def _dotted(path: Path) -> str:
    return ".".join(path)


def _ends(values: Sequence[Json]) -> tuple[Json, Json]:
    size = size_of(values)
    return (values[0], values[size - 1]) if size else (None, None)


def _axis(axis: Axis, path: Path, finder: _Finder, template: Template) -> AxisView:
    if isinstance(axis, Sample):
        spot = _position(finder.sample.span) if finder.sample is not None else None
        return AxisView("sample", "sample", axis.n, position=spot, seed=axis.seed, method=axis.method,
                        drawn=tuple(_drawn(template, finder)))
    values = choices(axis)
    size = size_of(values)
    if isinstance(axis, Zip):
        first, last = _ends(values)  # rows: {key: value}
        cols = tuple(Column(_dotted(path + (key,)), first[key] if size else None, last[key] if size else None,
                            finder.position(axis.columns[key])) for key in axis.columns)
        return AxisView(_dotted(path + ("zip",)), "zip", size, columns=cols, position=finder.zip_position(axis))
    if isinstance(axis, Variants):
        alts = tuple(_shape(alt, path, finder) for alt in axis.alternatives)
        return AxisView(_dotted(path + ("variants",)), "variants", size, alternatives=alts,
                        position=finder.variants_position(axis, path))
    first, last = _ends(values)
    raw = axis.values
    options: tuple[int, ...] = ()
    site = finder.site(axis)
    if isinstance(raw, (LinearRange, range)) or site is not None and isinstance(site.entry.value, n.RangeSweep):
        kind = "range"  # (a geometric one is a list of its values)
    elif isinstance(raw, ListCombos):
        kind = "list-sweep"
    elif isinstance(raw, list) and any(_sweeps(v) for v in raw):
        kind = "object"
        options = tuple(count(v) if isinstance(v, dict) else 1 for v in raw)
    else:
        kind = "list"
    return AxisView(_dotted(path), kind, size, first, last, finder.position(axis), options=options)


def _sweeps(value: Json) -> bool:
    """Whether a dict holds an axis (a swept object's option with one value still is one)."""
    return isinstance(value, dict) and bool(axes(value))


def _drawn(template: Template, finder: _Finder) -> Iterator[Drawn]:
    """Every distribution of a document, with its key path, in key order."""
    seen: set[tuple[str, str]] = set()
    stack: list[tuple[Json, Path]] = [(template, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, Distribution):
            text = finder.text(value) or repr(value)
            if (_dotted(path), text) not in seen:
                seen.add((_dotted(path), text))
                yield Drawn(_dotted(path), text, finder.position(value))
        elif isinstance(value, dict):
            stack.extend(reversed([(v, path + (k,) if isinstance(k, str) else path) for k, v in value.items()]))
        elif isinstance(value, Variants):
            stack.extend(reversed([(alt, path) for alt in value.alternatives]))
        elif isinstance(value, DynamicValue) and isinstance(value.values, list):
            stack.extend(reversed([(v, path) for v in value.values if isinstance(v, dict)]))


# --- text ---------------------------------------------------------------------------

_WIDTH = 28  # at most this many characters of a value


def _short(value: Json) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
    return text if len(text) <= _WIDTH else text[:_WIDTH - 1] + "…"


def _span(first: Json, last: Json, size: int) -> str:
    if size == 0:
        return ""
    return _short(first) if size == 1 else f"{_short(first)} … {_short(last)}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


Row = tuple[int, str, str, str, str, str]  # indent, label, kind, size, values, position


def _rows(shape: Shape, indent: int, here: str) -> Iterator[Row]:
    for axis in shape.axes:
        spot = axis.position.text(here) if axis.position else ""
        if axis.kind == "sample":
            how = f"seed {axis.seed}, {axis.method}"
            yield indent, axis.path, "sample", _plural(axis.size, "draw"), how, spot
            for d in axis.drawn:
                yield indent + 1, d.path, "drawn", "", d.text, d.position.text(here) if d.position else ""
        elif axis.kind == "zip":
            yield indent, axis.path, "zip", _plural(axis.size, "value"), "", spot
            for c in axis.columns:
                yield indent + 1, c.path, "", "", _span(c.first, c.last, axis.size), \
                    c.position.text(here) if c.position else ""
        elif axis.kind == "variants":
            sizes = " + ".join(f"{alt.configs:,}" for alt in axis.alternatives)
            yield indent, axis.path, "variants", _plural(axis.size, "value"), f"= {sizes}", spot
            for k, alt in enumerate(axis.alternatives, 1):
                yield indent + 1, f"alternative {k}", "", _plural(alt.configs, "config"), _product(alt), ""
                yield from _rows(alt, indent + 2, here)
        else:
            values = _span(axis.first, axis.last, axis.size)
            yield indent, axis.path, axis.kind, _plural(axis.size, "value"), values, spot
            if axis.options:
                yield indent + 1, "options", "", "", " + ".join(f"{n:,}" for n in axis.options), ""


def _product(shape: Shape) -> str:
    """`21 × 3 × 3` (empty for fewer than two axes)."""
    return " × ".join(f"{a.size:,}" for a in shape.axes) if len(shape.axes) > 1 else ""


def _configs(n: int, exact: bool) -> str:
    return _plural(n, "config") if exact else f"at most {n:,} configs (before `where`)"


def _header(doc: DocumentView) -> str:
    before = doc.shape.configs
    product = _product(doc.shape)
    head = f"document {doc.number} (line {doc.line}): "
    if not doc.shape.axes:
        return head + _plural(before, "config") + " (no sweeps)"
    head += f"{product} = {before:,}" if product else _plural(before, "config")
    if doc.wheres:
        head += f", `where` keeps {doc.configs:,}" if doc.exact else \
            f", `where` keeps at most {doc.configs:,} (not counted exactly: beyond the counting budget)"
    return head


_BOLD, _CYAN, _DIM, _RESET = "\033[1m", "\033[36m", "\033[2m", "\033[0m"


def text(files: Sequence[FileView], colour: bool = False) -> str:
    """Aligned columns for a terminal; with `colour`, key paths bold, kinds
    cyan and positions dim (ANSI codes)."""
    paint = _painter(colour)
    out: list[str] = []
    for f in files:
        out.append(paint(_BOLD, f.file) + f": {_configs(f.total, f.exact)}")
        for doc in f.documents:
            out.append("  " + _header(doc))
            rows = list(_rows(doc.shape, 0, f.path))
            rows += [(0, "where", "", "", w.text, w.position.text(f.path) if w.position else "") for w in doc.wheres]
            out.extend(_aligned(rows, paint))
    if len(files) > 1:
        out.append(f"total: {_plural(sum(f.total for f in files), 'config')}")
    return "".join(line.rstrip() + "\n" for line in out)


def _painter(colour: bool) -> Callable[[str, str], str]:
    def paint(code: str, cell: str) -> str:
        """`cell` in colour, its padding left plain (so that trailing spaces can go)."""
        if not colour or not cell.strip():
            return cell
        core = cell.rstrip()
        return f"{code}{core}{_RESET}{cell[len(core):]}"
    return paint


def _aligned(rows: list[Row], paint: Callable[[str, str], str]) -> list[str]:
    if not rows:
        return []
    label = max(len("  " * i + name) for i, name, *_ in rows)
    kind = max(len(r[2]) for r in rows)
    size = max(len(r[3]) for r in rows)
    values = max(len(r[4]) for r in rows)
    return [f"    {'  ' * i}{paint(_BOLD, f'{name:<{label - 2 * i}}')}  {paint(_CYAN, f'{k:<{kind}}')}  "
            f"{n:>{size}}  {v:<{values}}  {paint(_DIM, p)}"
            for i, name, k, n, v, p in rows]


# --- json ---------------------------------------------------------------------------


def to_json(files: Sequence[FileView]) -> dict[str, Json]:
    """The same data as `text`, for programs (schema: docs/explain.md)."""
    return {"files": [_file_json(f) for f in files], "total": sum(f.total for f in files)}


def _file_json(f: FileView) -> dict[str, Json]:
    return {
        "file": f.file,
        "documents": [_doc_json(d) for d in f.documents],
        "total": f.total,
        "exact": f.exact,
    }


def _doc_json(d: DocumentView) -> dict[str, Json]:
    return {
        "document": d.number,
        "line": d.line,
        "configs": d.configs,
        "exact": d.exact,
        "before_where": d.shape.configs,
        "axes": [_axis_json(a) for a in d.shape.axes],
        "where": [{"text": w.text, "position": w.position.json() if w.position else None} for w in d.wheres],
    }


def _axis_json(a: AxisView) -> dict[str, Json]:
    out: dict[str, Json] = {"path": a.path, "kind": a.kind, "values": a.size,
                            "position": a.position.json() if a.position else None}
    if a.kind == "zip":
        out["columns"] = [{"path": c.path, "first": c.first, "last": c.last,
                           "position": c.position.json() if c.position else None} for c in a.columns]
    elif a.kind == "variants":
        out["alternatives"] = [{"configs": alt.configs, "axes": [_axis_json(x) for x in alt.axes]}
                               for alt in a.alternatives]
    elif a.kind == "sample":
        out["seed"], out["method"] = a.seed, a.method
        out["distributions"] = [{"path": d.path, "text": d.text, "position": d.position.json() if d.position else None}
                                for d in a.drawn]
    else:
        out["first"], out["last"] = a.first, a.last
        if a.options:
            out["options"] = list(a.options)
    return out
