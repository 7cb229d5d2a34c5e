"""The one driver from source to lowered documents: `compile_unit`.

`load`, `loads`, `Sweep`, every `mintc` command and the language server go
through it. It never raises: a `Unit` holds the AST, the lowered documents
and every diagnostic, and keeps partial results after errors (an outline of
a file that does not parse, the values of entries that do compile), so the
editor can still help while the file is broken.

    text --parser--> tree --builder--> AST --lower (+ loader)--> templates
                                                      \\--> checks: where keeps something
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
import attrs
from lark import ParseTree

from . import builder, parser
from .codes import Code
from .dynamic import Config, Template
from .errors import Collector, Diagnostic, MintError, Related
from .expand import Count, count_exact, iter_configs, keeps_any, wheres
from .loader import Loader, decode as _decode, identity
from .lower import Lowered, Lowerer
from .nodes import File, Path, Str, walk
from .source import Source, Span, normalise


@attrs.define(eq=False)
class Unit:
    """One compiled text: everything later stages, the CLI and editors need."""

    source: Source
    tree: ParseTree | None  # the concrete syntax tree (faulty lines blanked), None if it does not parse
    ast: File | None  # built from `tree`, or for editors from a salvaged tree
    documents: list[Lowered]  # the documents with content, lowered (placeholders where mistakes are)
    diagnostics: list[Diagnostic]  # every mistake, in source order
    dependencies: dict[str, str]  # real path -> text of every file read (this one and its bases)
    complete: bool = True  # False when `ast` is salvaged from a text that does not parse
    syntax: list[Diagnostic] = attrs.field(factory=list)  # the mistakes found by the parser alone
    unreported: list[Span] = attrs.field(factory=list)  # mistakes met while lowering a salvaged AST
    _counts: dict[int, Count] = attrs.field(factory=dict, repr=False)

    @property
    def parses(self) -> bool:
        """Whether the text parses without a syntax error (other mistakes aside)."""
        return self.tree is not None and not self.syntax

    @property
    def ok(self) -> bool:
        """Whether the text compiles without errors."""
        return not any(d.severity == "error" for d in self.diagnostics)

    def templates(self) -> list[Template]:
        """The lowered documents; raises `MintError` when there are errors."""
        if not self.ok:
            raise MintError(self.diagnostics)
        return [doc.template for doc in self.documents]

    def count(self, index: int) -> Count:
        """The number of configs of document `index` (cached; see `count_exact`)."""
        if index not in self._counts:
            self._counts[index] = count_exact(self.documents[index].template)
        return self._counts[index]

    def broken(self) -> list[Span]:
        """Where in this text lowered values may be placeholders (every mistake's place)."""
        return [d.span for d in self.diagnostics if d.span.source is self.source] + self.unreported


MAX_EXTENDS_DEPTH = 32  # files in one `extends` chain: each is compiled inside the one before


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """The front end allocates millions of small objects and frees none of
    them cyclically: Python's cyclic collector, triggered by allocations,
    would scan them again and again (about 45% of the time of a large
    file). It is paused during the compile and resumes after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def compile_unit(source: Source, loader: Loader | None = None, *, lower: bool = True) -> Unit:
    """Parse, build and (unless `lower` is False) lower `source`; never raises."""
    with _without_cyclic_gc():
        return _compile_unit(source, loader or Loader(), lower)


def _compile_unit(source: Source, loader: Loader, lower: bool) -> Unit:
    errors = Collector()
    parsed = parser.parse(source, errors)
    syntax = errors.ordered()
    ast: File | None = None
    if parsed.tree is not None:
        ast = builder.build(source, parsed.tree, errors)
    elif parsed.salvaged is not None:
        ast = builder.build(source, parsed.salvaged, Collector())
    complete = parsed.tree is not None
    dependencies = {} if source.path.startswith("<") else {identity(source.path): source.text}
    documents: list[Lowered] = []
    hidden = Collector()
    if ast is not None and lower:
        target = errors if complete else hidden
        with loader.compiling(source):
            lowerer = Lowerer(target, lambda node: _base(loader, node, target, dependencies))
            documents = lowerer.documents(ast)
        if complete and not len(errors):
            for doc in documents:
                _check_keeps_something(doc, errors)
    return Unit(source, parsed.best, ast, documents, errors.ordered(), dependencies, complete, syntax,
                [d.span for d in hidden.diagnostics if d.span.source is source])


def _base(loader: Loader, node: Str, errors: Collector, dependencies: dict[str, str]) -> Lowered | None:
    """The single lowered document of the file `extends` names; mistakes in
    that file (or in reading it) are recorded in `errors`."""
    target = loader.resolve(node.span.source, node.value)
    ident = identity(target)
    chain = loader.cycle(ident)
    if chain is not None:
        errors.error(Code.E073, "`extends` cycle: " + " -> ".join(os.path.basename(c) for c in chain), node.span,
                     hint="a file cannot extend itself, directly or through others")
        return None
    if loader.depth >= MAX_EXTENDS_DEPTH:
        errors.error(Code.E076, f"`extends` chain is longer than {MAX_EXTENDS_DEPTH} files", node.span,
                     hint="extend a file that sets more itself: chains this long are hard to follow anyway")
        return None
    unit = loader.cached(ident)
    if not isinstance(unit, Unit):
        source = loader.read(target, errors, Code.E074, node)
        if source is None:
            return None
        unit = compile_unit(source, loader)
        if not any(d.code == Code.E073.name for d in unit.diagnostics):  # a cycle depends on where it is entered
            loader.store(ident, unit, unit.dependencies)
    dependencies.update(unit.dependencies)
    if unit.diagnostics:
        errors.extend(unit.diagnostics)
        return None
    if len(unit.documents) != 1:
        errors.error(Code.E071, f"`{node.value}` has {len(unit.documents)} documents; `extends` needs a file with exactly one",
                     node.span)
        return None
    return unit.documents[0]


def _check_keeps_something(doc: Lowered, errors: Collector) -> None:
    """A document whose `where` filters drop every config is an error: it
    would silently compile to nothing (E068)."""
    if not wheres(doc.template) or keeps_any(doc.template) is not False:
        return
    where = doc.wheres[0]
    if where.span.source is doc.node.span.source or doc.extends is None:
        errors.error(Code.E068, "`where` keeps no config: every combination is filtered out", where.span,
                     hint="check the values it tests against the values the keys take")
        return
    tested = {p.parts[0] for p in walk(where) if isinstance(p, Path)}
    overrides = [s for s in doc.sites if len(s.path) == 1 and s.path[0] in tested]
    at = overrides[0].entry.key.span if overrides else doc.extends.path.span
    errors.error(Code.E068, f"the `where` of `{doc.extends.path.value}` keeps no config of this document", at,
                 related=(Related(where.span, "the `where` is here"),),
                 hint="an override here gives the keys it tests values it never accepts")


def compile_file(path: str | os.PathLike[str], loader: Loader | None = None) -> Unit:
    """Read and compile a file; an unreadable file is a Unit holding E000 or E004."""
    loader = loader or Loader()
    name = os.fspath(path)
    errors = Collector()
    source = loader.read(name, errors)
    if source is None:
        return _failed(Source(name, ""), errors)
    return compile_unit(source, loader)


def compile_bytes(data: bytes, path: str, loader: Loader | None = None) -> Unit:
    """Decode and compile bytes (stdin); invalid UTF-8 is a Unit holding E004."""
    errors = Collector()
    source = _decode(data, path, errors)
    if len(errors):
        return _failed(source, errors)
    return compile_unit(source, loader)


def compile_text(text: str, path: str = "<string>", loader: Loader | None = None) -> Unit:
    """Compile text given as a string."""
    return compile_unit(Source(path, normalise(text)), loader)


def _failed(source: Source, errors: Collector) -> Unit:
    return Unit(source, None, None, [], errors.ordered(), {}, complete=False, syntax=errors.ordered())


# --- conveniences that raise --------------------------------------------------------------

def decode(data: bytes, path: str) -> Source:
    """UTF-8 bytes to a `Source`; raises `MintError` (E004) on invalid bytes."""
    errors = Collector()
    source = _decode(data, path, errors)
    errors.raise_if_any()
    return source


def compile_source(source: Source) -> list[Template]:
    """The lowered documents of `source`; raises `MintError` on any mistake."""
    return compile_unit(source).templates()


def iter_load(path: str | os.PathLike[str]) -> Iterator[Config]:
    """Configs of a file, lazily."""
    return iter_configs(compile_file(path).templates())


def load(path: str | os.PathLike[str]) -> list[Config]:
    """Compile the `.mint` file at `path` to its expanded configs.

    Raises `MintError` (with file, line and column) for any mistake in it.
    """
    return list(iter_load(path))


def loads(text: str, path: str = "<string>") -> list[Config]:
    """Compile `.mint` source text to its expanded configs."""
    return list(iter_configs(compile_text(text, path).templates()))


__all__ = ["MintError", "Unit", "compile_file", "compile_source", "compile_text", "compile_unit",
           "decode", "load", "loads"]
