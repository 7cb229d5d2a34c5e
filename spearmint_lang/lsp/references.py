"""Find references, document highlight and rename, for `let` names and keys.

A `let` name is file-scoped: its occurrences are the `let`s that define it
(writes) and every use of the name in the file (reads).

A key is known by its key path from its document's root: `model` inside
`llm: {...}` is `llm.model`. Its occurrences are the entries that set it and
the schema fields that declare it (writes), and the part of a `where` path
that names it (a read: in `where llm.model == "a"`, `llm` names `llm` and
`model` names `llm.model`). A `zip` block and a `variants` alternative set
keys at the place the block stands; the elements of a list sweep stand in
the key's place (`params: [{temp: 1}]*` sets `params.temp`); the objects of
a static list (`stops: [{a: 1}, {a: 2}]`) share one path of their own, which
no `where` path can name. Keys inside a `let` value are known only within
that value (not where the name is used).

The same key path in two documents is the same key only across `extends`:
the key belongs to the highest file of the document's `extends` chain that
mentions the path (its *owner*), and it is that path in every document whose
chain passes through the owner: the files in between, and the open files
that extend any of them (only a file of one document can be extended).
So renaming a key an extending file overrides renames it in the base too,
open or not; of the files that extend a base, only the open ones are
known (the server does not search the disk).

Rename writes a key bare when the grammar reads it as a key (every word of
the language included: `step: 1`) and quotes it otherwise; a key named in a
`where` path must stay a name the path can hold, or the rename is refused.
A `let` name must be a name that is not a word of the language. A refused
rename raises `RenameError`, whose message the server sends to the client.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator, Sequence
from typing import Literal

import attrs
from lsprotocol import types as lsp

from .. import nodes
from ..compiler import MAX_EXTENDS_DEPTH, compile_unit
from ..grammar import keywords
from ..loader import identity
from ..lower import has_content
from ..source import Source, Span, normalise
from .analysis import Analysis, file_uri, source_path
from .positions import LineIndex

KeyPath = tuple[str | int, ...]
LIST_ELEMENT = 0
"""The part of a key path that stands for an element of a static list."""

Role = Literal["let", "ref", "key", "field", "path"]
_WRITES: frozenset[Role] = frozenset({"let", "key", "field"})


class RenameError(Exception):
    """A rename that cannot be made; the message says why, for the user."""


@attrs.frozen
class Symbol:
    """What a name stands for: a `let` name (`path` is the name alone), or a
    key path (`scope` is "" for a document's keys, or the `let` whose value holds it)."""

    kind: Literal["let", "key"]
    scope: str
    path: KeyPath


@attrs.frozen(eq=False)
class Occurrence:
    """One place a symbol is written: a definition (`write`) or a use."""

    symbol: Symbol
    span: Span
    role: Role

    @property
    def write(self) -> bool:
        """Whether this place defines the symbol (a `let`, an entry's key, a schema field)."""
        return self.role in _WRITES


# --- occurrences in one document --------------------------------------------------------
def occurrences(doc: nodes.Document) -> list[Occurrence]:
    """Every occurrence of a `let` name or a key in a document, in source order."""
    out: list[Occurrence] = []
    for item in doc.items:
        _item(item, (), "", out)
    for node in nodes.walk(doc):
        if isinstance(node, nodes.Ref):
            out.append(Occurrence(Symbol("let", "", (node.name,)), node.span, "ref"))
    out.sort(key=lambda o: (o.span.line, o.span.column))
    return out


def _key(key: nodes.Key, path: KeyPath, scope: str, role: Role, out: list[Occurrence]) -> KeyPath:
    here = path + (key.name,)
    out.append(Occurrence(Symbol("key", scope, here), key.span, role))
    return here


def _item(item: nodes.Node, path: KeyPath, scope: str, out: list[Occurrence]) -> None:
    if isinstance(item, nodes.Entry):
        _value(item.value, _key(item.key, path, scope, "key", out), scope, out)
    elif isinstance(item, nodes.Zip):
        for entry in item.entries:
            here = _key(entry.key, path, scope, "key", out)
            column = entry.value.items if isinstance(entry.value, nodes.ListSweep) else entry.value
            for element in column.items if isinstance(column, nodes.ListValue) else ():
                _value(element, here, scope, out)  # each element is the key's value in turn
    elif isinstance(item, nodes.Variants):
        for alternative in item.alternatives:
            for inner in alternative.items:
                _item(inner, path, scope, out)  # merged where the block stands
    elif isinstance(item, nodes.Let):
        out.append(Occurrence(Symbol("let", "", (item.name.name,)), item.name.span, "let"))
        _value(item.value, (), item.name.name, out)
    elif isinstance(item, nodes.Schema):
        _fields(item.fields, path, scope, out)
    elif isinstance(item, nodes.Where):
        _paths(item.expr, scope, out)


def _paths(node: nodes.Node, scope: str, out: list[Occurrence]) -> None:
    """The key paths a `where` or a computed value names (from the config's root)."""
    for inner in nodes.walk(node):
        if isinstance(inner, nodes.Path):
            for i, span in enumerate(path_part_spans(inner)):
                out.append(Occurrence(Symbol("key", scope, inner.parts[: i + 1]), span, "path"))


def _value(value: nodes.Node, path: KeyPath, scope: str, out: list[Occurrence]) -> None:
    if isinstance(value, nodes.ObjectValue):
        for item in value.items:
            _item(item, path, scope, out)
    elif isinstance(value, nodes.ListSweep) and isinstance(value.items, nodes.ListValue):
        for element in value.items.items:
            _value(element, path, scope, out)
    elif isinstance(value, nodes.ListValue):
        for element in value.items:
            _value(element, path + (LIST_ELEMENT,), scope, out)
    elif isinstance(value, nodes.Derived):
        _paths(value, scope, out)


def _fields(fields: Sequence[nodes.Field], path: KeyPath, scope: str, out: list[Occurrence]) -> None:
    for field in fields:
        here = _key(field.key, path, scope, "field", out)
        for alt in field.types:
            if isinstance(alt, nodes.TypeObject):
                _fields(alt.fields, here, scope, out)


def path_part_spans(path: nodes.Path) -> list[Span]:
    """The span of each name of a path (`llm . model` may hold blanks; `${a.b}`
    starts with `${`)."""
    source = path.span.source
    start = source.offset(path.span.line, path.span.column)
    text = path.span.text
    out = []
    at = 0
    for part in path.parts:
        found = text.find(part, at)
        if found < 0:  # pragma: no cover - the parts are the path's own tokens
            break
        out.append(source.span(start + found, start + found + len(part)))
        at = found + len(part)
    return out


def _at(found: Sequence[Occurrence], line: int, column: int) -> Occurrence | None:
    """The occurrence under the cursor: one that holds it, else one that ends at it."""
    touching = None
    for occ in found:
        if occ.span.contains(line, column):
            if (line, column) != (occ.span.end_line, occ.span.end_column):
                return occ
            touching = touching or occ
    return touching


# --- the documents a symbol can reach ------------------------------------------------------
@attrs.frozen(eq=False)
class _File:
    """A file whose text is known: an open document, or a base read for its AST."""

    uri: str
    source: Source
    ast: nodes.File | None
    index: LineIndex

    @functools.cached_property
    def content(self) -> list[nodes.Document]:
        """The documents that give configs (a base must have exactly one)."""
        return [] if self.ast is None else [d for d in self.ast.documents if has_content(d)]

    def key_of(self, doc: nodes.Document) -> str:
        """How `extends` chains name a document: its file, when the file has only that one."""
        ident = identity(self.source.path)
        if self.content == [doc]:
            return ident
        position = next((i for i, d in enumerate(self.ast.documents if self.ast else ()) if d is doc), -1)
        return f"{ident}#{position}"


@attrs.frozen(eq=False)
class _Doc:
    file: _File
    node: nodes.Document
    chain: tuple[str, ...]  # its own key, then the files it extends, nearest first
    known: list[Occurrence] | None = None  # its occurrences, when already found

    @functools.cached_property
    def occurrences(self) -> list[Occurrence]:
        return self.known if self.known is not None else occurrences(self.node)


class _Workspace:
    """The open documents and the files their `extends` chains read."""

    def __init__(self, analysis: Analysis, others: Sequence[Analysis]) -> None:
        self.analysis = analysis
        self.open: list[tuple[Analysis, _File]] = []
        self.files: dict[str, _File | None] = {}
        for each in [analysis, *(o for o in others if o.uri != analysis.uri)]:
            file = _File(each.uri, each.source, each.unit.ast, each.index)
            self.open.append((each, file))
            self.files.setdefault(identity(each.source.path), file)

    def base(self, path: str) -> _File | None:
        """The file at `path` (resolved by the loader): open, or read for its AST."""
        ident = identity(path)
        if ident not in self.files:
            text = self.analysis.loader.text_of(ident)
            if text is None:
                text = self.analysis.unit.dependencies.get(ident)
            uri = file_uri(path)
            if text is None or uri is None:
                self.files[ident] = None
            else:
                source = Source(path, normalise(text))
                unit = compile_unit(source, lower=False, salvage=True)
                self.files[ident] = _File(uri, source, unit.ast, LineIndex(text, self.analysis.encoding))
        return self.files[ident]

    def doc(self, file: _File, node: nodes.Document, known: list[Occurrence] | None = None) -> _Doc:
        """A document with its `extends` chain (and its occurrences, if `known`)."""
        chain = [file.key_of(node)]
        here, current = file, node
        while len(chain) <= MAX_EXTENDS_DEPTH:
            first = current.items[0] if current.items else None
            if not isinstance(first, nodes.Extends):
                break
            target = self.analysis.loader.resolve(here.source, first.path.value)
            if identity(target) in chain:
                break  # a cycle: the compiler reports it
            chain.append(identity(target))
            base = self.base(target)
            if base is None or len(base.content) != 1:
                break
            here, current = base, base.content[0]
        return _Doc(file, node, tuple(chain), known)

    def bases(self, doc: _Doc) -> Iterator[_Doc]:
        """The documents of the files `doc` extends, nearest first."""
        for key in doc.chain[1:]:
            file = self.files.get(key)
            if file is None or len(file.content) != 1:
                return
            yield self.doc(file, file.content[0])

    def family(self, start: _Doc, symbol: Symbol) -> list[_Doc]:
        """The documents in which `symbol` (a document's key) is the key it is in `start`."""
        owner = start.chain[0]
        bases = list(self.bases(start))
        for base in bases:
            if any(o.symbol == symbol for o in base.occurrences):
                owner = base.chain[0]
        out = [start, *(b for b in bases if owner in b.chain)]
        for analysis, file in self.open:
            if file is not start.file and owner not in analysis.unit.dependencies:
                continue
            for node in file.content:
                if node is start.node:
                    continue
                doc = self.doc(file, node)
                if owner in doc.chain and all(d.file is not file or d.node is not node for d in out):
                    out.append(doc)
        return out


# --- what is under the cursor, and where else it stands --------------------------------------------
@attrs.frozen(eq=False)
class Found:
    """The symbol under the cursor, the occurrence it was found at, and its document."""

    symbol: Symbol
    at: Occurrence
    doc: nodes.Document
    around: list[Occurrence]  # every occurrence of the document

    @property
    def name(self) -> str:
        """The name as it reads (a key unquoted)."""
        return str(self.symbol.path[-1])


def symbol_at(analysis: Analysis, pos: lsp.Position) -> Found | None:
    """The `let` name or key under the cursor (None on anything else, and on a
    name no `let` defines)."""
    ast = analysis.unit.ast
    if ast is None:
        return None
    line, column = analysis.index.location(pos)
    for doc in ast.documents:
        if not (doc.span.line <= line <= doc.span.end_line):
            continue
        around = occurrences(doc)
        occ = _at(around, line, column)
        if occ is None:
            continue
        if occ.symbol.kind == "let" and not any(
                isinstance(it, nodes.Let) and it.name.name == occ.symbol.path[0] for d in ast.documents
                for it in d.items):
            return None
        return Found(occ.symbol, occ, doc, around)
    return None


def _groups(analysis: Analysis, found: Found, others: Sequence[Analysis], *,
            here_only: bool = False) -> list[tuple[_File, list[Occurrence]]]:
    """The documents the symbol stands in, each with all its occurrences (of
    every symbol); with `here_only`, those of this file."""
    symbol = found.symbol
    ast = analysis.unit.ast
    assert ast is not None
    if symbol.kind == "let" or symbol.scope:  # file-scoped
        file = _File(analysis.uri, analysis.source, ast, analysis.index)
        every = [found.around if doc is found.doc else occurrences(doc) for doc in ast.documents]
        return [(file, [occ for found_in_doc in every for occ in found_in_doc])]
    if here_only and not any(doc is not found.doc and doc.items and isinstance(doc.items[0], nodes.Extends)
                             for doc in ast.documents):
        # No other document of this file can share the key: no need to read what it extends.
        return [(_File(analysis.uri, analysis.source, ast, analysis.index), found.around)]
    workspace = _Workspace(analysis, others)
    file = workspace.open[0][1]
    family = workspace.family(workspace.doc(file, found.doc, found.around), symbol)
    return [(doc.file, doc.occurrences) for doc in family if not here_only or doc.file is file]


def _places(groups: Sequence[tuple[_File, list[Occurrence]]], symbol: Symbol) -> list[tuple[_File, Occurrence]]:
    return [(file, occ) for file, found in groups for occ in found if occ.symbol == symbol]


def references(analysis: Analysis, pos: lsp.Position, include_declaration: bool,
               others: Sequence[Analysis] = ()) -> list[lsp.Location] | None:
    """Where the `let` name or key under the cursor stands: in this file, the
    files it extends and the open files in `others` that extend them."""
    found = symbol_at(analysis, pos)
    if found is None:
        return None
    return [lsp.Location(uri=file.uri, range=file.index.range(occ.span))
            for file, occ in _places(_groups(analysis, found, others), found.symbol)
            if include_declaration or not occ.write]


def document_highlight(analysis: Analysis, pos: lsp.Position) -> list[lsp.DocumentHighlight] | None:
    """The occurrences in this file: definitions as writes, uses as reads."""
    found = symbol_at(analysis, pos)
    if found is None:
        return None
    kinds = {True: lsp.DocumentHighlightKind.Write, False: lsp.DocumentHighlightKind.Read}
    return [lsp.DocumentHighlight(range=analysis.index.range(occ.span), kind=kinds[occ.write])
            for _, occ in _places(_groups(analysis, found, (), here_only=True), found.symbol)]


def prepare_rename(analysis: Analysis, pos: lsp.Position) -> lsp.PrepareRenamePlaceholder | None:
    """The name under the cursor, if it can be renamed (a `let` name or a key;
    not a word of the language, a number or a string)."""
    found = symbol_at(analysis, pos)
    if found is None:
        return None
    return lsp.PrepareRenamePlaceholder(range=analysis.index.range(found.at.span), placeholder=found.name)


# --- rename ------------------------------------------------------------------------------------------
def rename(analysis: Analysis, pos: lsp.Position, new_name: str,
           others: Sequence[Analysis] = ()) -> lsp.WorkspaceEdit | None:
    """Rename the `let` name or key under the cursor everywhere it stands
    (see `references`); raises `RenameError` for a name that cannot be written."""
    found = symbol_at(analysis, pos)
    if found is None:
        return None
    if new_name == found.name:
        return lsp.WorkspaceEdit(changes={})
    if not new_name:
        raise RenameError("a name cannot be empty")
    groups = _groups(analysis, found, others)
    texts: dict[Role, str]
    if found.symbol.kind == "let":
        _check_let_name(new_name, groups)
        texts = {"let": new_name, "ref": new_name}
    else:
        texts = _key_texts(found.symbol, new_name, groups)
    changes: dict[str, list[lsp.TextEdit]] = {}
    for file, occ in _places(groups, found.symbol):
        edit = lsp.TextEdit(range=file.index.range(occ.span), new_text=texts[occ.role])
        if edit not in changes.setdefault(file.uri, []):
            changes[file.uri].append(edit)
    return lsp.WorkspaceEdit(changes=changes)


def _check_let_name(name: str, groups: Sequence[tuple[_File, list[Occurrence]]]) -> None:
    if name in keywords().values():
        raise RenameError(f"`{name}` is a word of the language: a `let` name cannot be one")
    if not _reads_as_name(name):
        raise RenameError(f"`{name}` is not a name: a `let` name is a letter or `_`, then letters, digits, "
                          "`_` or `-`")
    for file, found in groups:
        for occ in found:
            if occ.role == "let" and occ.symbol.path == (name,):
                raise RenameError(f"`{name}` is already a `let` name ({_where(file, occ.span)})")


def _key_texts(symbol: Symbol, name: str, groups: Sequence[tuple[_File, list[Occurrence]]]) -> dict[Role, str]:
    """What to write for the key at each kind of place, after checking it can be written there."""
    written = name if _reads_as_key(name) else json.dumps(name, ensure_ascii=False)
    if not _reads_as_key(written, name):
        raise RenameError(f"{written} cannot be written as a key")
    uses = [(file, occ) for file, occ in _places(groups, symbol) if occ.role == "path"]
    if uses and not _reads_as_path(("a", name) if len(symbol.path) > 1 else (name,)):
        file, occ = uses[0]
        why = "a `where` path holds only names (a letter or `_`, then letters, digits, `_` or `-`)" \
            if written != name else f"`{name}` cannot begin a `where` path"
        raise RenameError(f"cannot rename to `{name}`: {why}, and the `where` at {_where(file, occ.span)} "
                          "names this key")
    taken = attrs.evolve(symbol, path=symbol.path[:-1] + (name,))
    for file, found in groups:
        for occ in found:
            if occ.write and occ.symbol == taken:
                raise RenameError(f"there is already a key `{name}` here ({_where(file, occ.span)})")
    return {"key": written, "field": written, "path": name}


def _where(file: _File, span: Span) -> str:
    return f"{os.path.basename(source_path(file.uri))}:{span.line}:{span.column}"


# --- names as the grammar reads them ------------------------------------------------------------------
def _parse(text: str) -> nodes.File | None:
    unit = compile_unit(Source("<rename>", text), lower=False)
    return unit.ast if unit.parses else None


@functools.lru_cache(maxsize=256)
def _reads_as_key(text: str, name: str | None = None) -> bool:
    """Whether `text: 0` is an entry whose key is `name` (`text` itself by default)."""
    ast = _parse(f"{text}: 0")
    items = [it for doc in ast.documents for it in doc.items] if ast is not None else []
    return len(items) == 1 and isinstance(items[0], nodes.Entry) and items[0].key.name == (name or text)


@functools.lru_cache(maxsize=256)
def _reads_as_path(parts: tuple[str, ...]) -> bool:
    """Whether `where a.b == 0` compares the key path of these parts (`not`,
    `true` ... cannot begin one; a name with a blank or a dot is not a part)."""
    ast = _parse(f"where {'.'.join(parts)} == 0")
    paths = [n for n in nodes.walk(ast) if isinstance(n, nodes.Path)] if ast is not None else []
    return len(paths) == 1 and paths[0].parts == parts


@functools.lru_cache(maxsize=256)
def _reads_as_name(text: str) -> bool:
    """Whether `let text = 0` and a use of `text` read as that name."""
    ast = _parse(f"let {text} = 0\nx: {text}\ny: 0..{text}")
    if ast is None:
        return False
    found = [n for n in nodes.walk(ast) if isinstance(n, nodes.Ref)]
    return len(found) == 2 and all(ref.name == text for ref in found)
