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

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import attrs
from lark import ParseTree

from . import documents as _documents
from .codes import Code
from .dynamic import Config, DynamicValue, Template
from .errors import Collector, Diagnostic, MintError, Related
from .expand import count, wheres
from .filters import EXACT_COUNT_BUDGET, WHERE_SCAN_LIMIT, Budget, Count, count_exact, keeps_any
from .gcpause import paused
from .loader import Loader, decode as _decode, identity
from .lower import Lowered, Lowerer, has_content
from .nodes import Document, Extends, File, Import, Let, Path, Str, walk
from .predicate import ComputeError
from .source import Source, Span, normalise

if TYPE_CHECKING:  # (imported where a compile has overrides: most have none)
    from .overrides import Applier, Override, Parsed


@attrs.define(eq=False)
class Unit:
    """One compiled text: everything later stages, the CLI and editors need."""

    source: Source
    _tree: ParseTree | None  # the concrete syntax tree (see `tree`), when there is no `front`
    ast: File | None  # built from `tree`, or for editors from a salvaged tree
    documents: list[Lowered]  # the documents with content, lowered (placeholders where mistakes are)
    diagnostics: list[Diagnostic]  # every mistake, in source order
    dependencies: dict[str, str]  # real path -> text of every file read (this one and its bases)
    complete: bool = True  # False when `ast` is salvaged from a text that does not parse
    syntax: list[Diagnostic] = attrs.field(factory=list)  # the mistakes found by the parser alone
    unreported: list[Span] = attrs.field(factory=list)  # mistakes met while lowering a salvaged AST
    budget: Budget = attrs.field(factory=Budget, repr=False)  # for exact counts with `where`, per file
    front: _documents.Front | None = attrs.field(default=None, repr=False)  # its documents, to reuse in the next compile
    reuse: _Reuse = attrs.field(factory=lambda: _Reuse((True, False)), repr=False)  # its lowering, likewise
    _counts: dict[int, Count] = attrs.field(factory=dict, repr=False)
    # Every `let` name usable in this file, `name.x` of its imports included (their `Let`
    # nodes point into the imported file: `let.span.source.path`), and its imports by name.
    lets: dict[str, Let] = attrs.field(factory=dict, repr=False)
    imports: dict[str, Import] = attrs.field(factory=dict, repr=False)

    @property
    def tree(self) -> ParseTree | None:
        """The concrete syntax tree (faulty lines blanked); for editors, of the
        documents that parse when some do not; None when there is none."""
        return self.front.tree if self.front is not None else self._tree

    @property
    def parses(self) -> bool:
        """Whether the text parses without a syntax error (other mistakes aside)."""
        if self.front is not None:
            return self.front.complete and not self.syntax
        return self._tree is not None and not self.syntax

    @property
    def ok(self) -> bool:
        """Whether the text compiles without errors."""
        return not any(d.severity == "error" for d in self.diagnostics)

    def templates(self) -> list[Template]:
        """The lowered documents; raises `MintError` when there are errors."""
        if not self.ok:
            raise MintError([d for d in self.diagnostics if d.severity == "error"])
        return [doc.template for doc in self.documents]

    def count(self, index: int) -> Count:
        """The number of configs of document `index` (cached; see `count_exact`)."""
        key = id(self.documents[index])
        if key not in self._counts:
            self._counts[key] = count_exact(self.documents[index].template, self.budget)
        return self._counts[key]

    def broken(self) -> list[Span]:
        """Where in this text lowered values may be placeholders (every mistake's place)."""
        return [d.span for d in self.diagnostics if d.span.source.path == self.source.path] + self.unreported


MAX_EXTENDS_DEPTH = 32  # files in one `extends` chain: each is compiled inside the one before


EMPTY = frozenset({Code.E022.name, Code.E068.name})
"""The errors of a document that would give no config (an empty sweep, range
or `zip`, a `where` that keeps nothing): `allow_empty` lets it give none."""


def compile_unit(source: Source, loader: Loader | None = None, *, lower: bool = True,
                 allow_empty: bool = False, salvage: bool = False, previous: Unit | None = None,
                 overrides: Sequence[Override] = ()) -> Unit:
    """Parse, build and (unless `lower` is False) lower `source`; never raises.
    With `allow_empty`, a document may give no config (see `EMPTY`). With
    `salvage` (for editors), a text that does not parse still gets an AST,
    from its faulty lines blanked, and its documents lowered as far as they go.
    `previous`, an earlier compile of the same file (an editor's), lends the
    documents whose text has not changed. `overrides` (`--set`, `--add`)
    change each document with content once its `extends` is loaded."""
    with paused():  # (the front end frees nothing cyclically: see gcpause)
        return _compile_unit(source, loader or Loader(), lower, allow_empty, salvage, previous, overrides)


def _compile_unit(source: Source, loader: Loader, lower: bool, allow_empty: bool = False,
                  salvage: bool = False, previous: Unit | None = None, overrides: Sequence[Override] = ()) -> Unit:
    errors = Collector()
    parsed: list[Parsed] = []
    if overrides:
        from .overrides import parse_all

        parsed = parse_all(overrides, errors)
        previous = None  # the lowering of a file without them is not this one's
    front = _documents.front(source, salvage, previous.front if previous is not None else None)
    errors.extend(front.syntax)
    syntax = errors.ordered()
    errors.extend(front.built)
    ast = front.ast
    complete = front.complete
    dependencies = {} if source.path.startswith("<") else {identity(source.path): source.text}
    documents: list[Lowered] = []
    names = _Names()
    hidden = Collector()
    old = previous.reuse if previous is not None and previous.reuse.flags == (lower, allow_empty) else None
    reuse = _Reuse((lower, allow_empty))
    if ast is not None and lower:
        target = errors if complete else hidden
        applier: Applier | None = None
        if parsed and complete:
            from .overrides import Applier

            applier = Applier(parsed, ast, target)
        with loader.compiling(source):
            documents = _lower(ast, target, loader, dependencies, old, reuse, names, applier)
        if applier is not None:
            applier.finish()
    if allow_empty:
        errors.drop(EMPTY)
    if documents and complete and not errors.errors():
        search = Budget()  # to find a kept config: the file's own budget, apart from counting's
        for doc in documents:
            _check(doc, errors, search, old, reuse)
        if allow_empty:
            errors.drop(EMPTY)
    unit = Unit(source, None, ast, documents, errors.ordered(),
                dependencies, complete, syntax, [d.span for d in hidden.diagnostics if d.span.source.path == source.path],
                front=front, reuse=reuse, lets=names.lets, imports=names.imports)
    if previous is not None:  # counts of documents lowered before and reused
        unit._counts.update({key: found for key, found in previous._counts.items() if key in reuse.lowered})
    return unit


@attrs.define
class _Names:
    """The names a file's lowering defines, for the `Unit`."""

    lets: dict[str, Let] = attrs.field(factory=dict)
    imports: dict[str, Import] = attrs.field(factory=dict)


@attrs.frozen(eq=False)
class _Lowering:
    """What lowering one document gave, for the next compile of the file."""

    node: Document
    lowered: Lowered
    diagnostics: tuple[Diagnostic, ...]
    bases: tuple[Lowered | None, ...]  # what its `extends` lines loaded


@attrs.frozen(eq=False)
class _Checked:
    """What checking one lowered document's `where` and `config_id` gave."""

    lowered: Lowered
    before: int  # the search budget left before it, and after
    after: int
    diagnostics: tuple[Diagnostic, ...]


@attrs.define(eq=False)
class _Reuse:
    """What one compile lends the next compile of the same file (an editor's):
    each document's lowering, valid while its AST node is reused (same text,
    same first line), the file's `let` definitions are the same nodes, what
    it extends is the same compiled base, and its mistakes lie in its own text."""

    flags: tuple[bool, bool]  # (lower, allow_empty) of the compile
    lets: tuple[int, ...] = ()  # the ids of the file's `let` nodes
    imported: tuple[tuple[str, object], ...] = ()  # each `import` name and the compiled file it names
    docs: dict[int, _Lowering] = attrs.field(factory=dict)  # by id of the document node
    checks: dict[int, _Checked] = attrs.field(factory=dict)  # by id of the lowered document
    lowered: set[int] = attrs.field(factory=set)  # ids of the lowered documents

    def own(self, rec: _Lowering) -> bool:
        """Whether every diagnostic of a document's lowering lies in its own text."""
        here = rec.node.span.source
        return all(d.span.source is here and all(r.span.source is here for r in d.related) for d in rec.diagnostics)


_NAME_LIMITS = frozenset({Code.E017.name, Code.E018.name})  # reported once per name: lowering is not per document


def _lower(ast: File, errors: Collector, loader: Loader, dependencies: dict[str, str], old: _Reuse | None,
           reuse: _Reuse, names: _Names, applier: Applier | None = None) -> list[Lowered]:
    """Lower every document of `ast`, reusing what `old` holds where still valid;
    `applier` rewrites each document with the overrides."""
    sink = [errors]
    bases: dict[int, Lowered | None] = {}
    imported: list[tuple[str, object]] = []

    def load(node: Str) -> Lowered | None:
        bases[id(node)] = found = _base(loader, node, sink[0], dependencies)
        return found

    def load_import(node: Import) -> dict[str, Let] | None:
        unit = _unit_of(loader, node.path, errors, dependencies, "import")
        imported.append((node.name.name, unit))
        if unit is None or not unit.ok:
            return None
        return unit.lets

    lowerer = Lowerer(errors, load)
    lowerer.rewrite = applier
    lowerer.names(ast)
    lowerer.import_all(ast, load_import)
    names.imports = {alias: node for alias, (node, _) in lowerer.imports.items()}
    reuse.lets = tuple(id(it) for doc in ast.documents for it in doc.items if isinstance(it, Let))
    reuse.imported = tuple(imported)
    usable = old is not None and old.lets == reuse.lets and _same(old.imported, reuse.imported) and \
        not any(d.code in _NAME_LIMITS for rec in old.docs.values() for d in rec.diagnostics)
    out: list[Lowered] = []
    for doc in ast.documents:
        rec = old.docs.get(id(doc)) if usable and old is not None else None
        if rec is not None and rec.node is doc and old is not None and old.own(rec):
            header = _header_extends(doc)
            if header:
                sink[0] = Collector()
                now = tuple(load(it.path) for it in header)
                sink[0] = errors
                if len(now) != len(rec.bases) or any(a is not b for a, b in zip(now, rec.bases)):
                    rec = None
        else:
            rec = None
        if rec is not None:
            lowerer.adopt(doc)
            errors.extend(rec.diagnostics)
        else:
            mark = len(errors)
            lowered = lowerer.document(doc)
            found = tuple(bases.get(id(it.path)) for it in _header_extends(doc))
            rec = _Lowering(doc, lowered, tuple(errors.diagnostics[mark:]), found)
        reuse.docs[id(doc)] = rec
        if has_content(doc):
            out.append(rec.lowered)
            reuse.lowered.add(id(rec.lowered))
    lowerer.unused_imports(ast)
    names.lets = dict(lowerer.lets)
    return out


def _header_extends(doc: Document) -> list[Extends]:
    """The `extends` lines a document loads: those before its first item that
    is neither `extends` nor `import` (a later one is E070 and loads nothing)."""
    out: list[Extends] = []
    for item in doc.items:
        if isinstance(item, Extends):
            out.append(item)
        elif not isinstance(item, Import):
            break
    return out


def _same(a: tuple[tuple[str, object], ...], b: tuple[tuple[str, object], ...]) -> bool:
    """Whether two compiles imported the same files, compiled the same (the loader's cache keeps them)."""
    return len(a) == len(b) and all(x[0] == y[0] and x[1] is y[1] for x, y in zip(a, b))


def _check(doc: Lowered, errors: Collector, search: Budget, old: _Reuse | None, reuse: _Reuse) -> None:
    """The checks of a lowered document (see `_check_where`, `_check_own_id`), reused when the
    document and the search budget left before it are the same as in the previous compile."""
    rec = old.checks.get(id(doc)) if old is not None else None
    if rec is not None and rec.lowered is doc and rec.before == search.left:
        errors.extend(rec.diagnostics)
        search.left = rec.after
    else:
        mark, before = len(errors), search.left
        _check_where(doc, errors, search)
        _check_own_id(doc, errors)
        rec = _Checked(doc, before, search.left, tuple(errors.diagnostics[mark:]))
    reuse.checks[id(doc)] = rec


def _base(loader: Loader, node: Str, errors: Collector, dependencies: dict[str, str]) -> Lowered | None:
    """The single lowered document of the file `extends` names; mistakes in
    that file (or in reading it) are recorded in `errors`."""
    unit = _unit_of(loader, node, errors, dependencies, "extends")
    if unit is None or not unit.ok:
        return None
    if len(unit.documents) != 1:
        errors.error(Code.E071, f"`{node.value}` has {len(unit.documents)} documents; `extends` needs a file with exactly one",
                     node.span)
        return None
    return unit.documents[0]


def _unit_of(loader: Loader, node: Str, errors: Collector, dependencies: dict[str, str], verb: str) -> Unit | None:
    """The compiled file that `extends` or `import` (`verb`) names, through the
    loader's cache; None when it cannot be read. Its mistakes (and those of
    reading it) are recorded in `errors`."""
    target = loader.extended(node, errors, verb)
    if target is None:
        return None
    ident = identity(target)
    chain = loader.cycle(ident)
    if chain is not None:
        errors.error(Code.E073, f"`{verb}` cycle: " + " -> ".join(os.path.basename(c) for c in chain), node.span,
                     hint="a file cannot extend or import itself, directly or through others")
        return None
    if loader.depth >= MAX_EXTENDS_DEPTH:
        errors.error(Code.E076, f"`{verb}` chain is longer than {MAX_EXTENDS_DEPTH} files", node.span,
                     hint=f"{'extend' if verb == 'extends' else 'import'} a file that sets more itself: chains "
                          "this long are hard to follow anyway")
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
    errors.extend(unit.diagnostics)
    return unit


def _check_where(doc: Lowered, errors: Collector, budget: Budget) -> None:
    """A document with `where` must be writable and keep something: more
    combinations than mintc scans is E069; none kept is E068 (it would
    silently compile to nothing). The budget of exact work is the file's."""
    if not wheres(doc.template):
        return
    total = count(doc.template)
    if total > WHERE_SCAN_LIMIT:
        span, prefix, related = _where_place(doc)
        errors.error(Code.E069, f"{prefix} would have to test {total:,} combinations; mintc tests at most "
                     f"{WHERE_SCAN_LIMIT:,}", span, related=related,
                     hint="narrow the sweeps it filters, or put the condition into the values (a smaller range)")
        return
    found = keeps_any(doc.template, budget)
    if found is False:
        span, prefix, related = _where_place(doc)
        message = "`where` keeps no config: every combination is filtered out" if not related else \
            f"{prefix} keeps no config of this document"
        hint = "check the values it tests against the values the keys take" if not related else \
            "an override here gives the keys it tests values it never accepts"
        errors.error(Code.E068, message, span, related=related, hint=hint)
    elif found is None:
        span, prefix, related = _where_place(doc)
        errors.warn(Code.W004, f"{prefix} keeps none of the first {EXACT_COUNT_BUDGET:,} combinations tried "
                    f"(of {total:,}); it may keep nothing", span, related=related,
                    hint="check the values it tests; mintc stops looking after that many")


def _check_own_id(doc: Lowered, errors: Collector) -> None:
    """W003: a `config_id` set once for a document of several configs gives
    them all the same id."""
    own = doc.template.get("config_id")
    if own is None or isinstance(own, DynamicValue) or count(doc.template) < 2:
        return
    site = next((s for s in doc.sites if s.path == ("config_id",)), None)
    span = site.entry.span if site is not None else doc.node.span
    errors.warn(Code.W003, f"every config of this document gets this `config_id`: {count(doc.template):,} configs share it",
                span, hint="sweep it with the other values (a `zip` pairs ids with them), or let mintc compute it")


def _where_place(doc: Lowered) -> tuple[Span, str, tuple[Related, ...]]:
    """Where to report on a document's `where`: at its own; for one that
    comes from an extended file, at this file's override of a key it tests
    (else at the `extends`), with a note at the `where`."""
    where = doc.wheres[0]
    if where.span.source.path == doc.node.span.source.path or doc.extends is None:
        return where.span, "`where`", ()
    extends = next((ext for ext, base in doc.bases if any(w is where for w in base.wheres)), doc.extends)
    tested = {p.parts[0] for p in walk(where) if isinstance(p, Path)}
    overrides = [s for s in doc.sites if len(s.path) == 1 and s.path[0] in tested]
    at = overrides[0].entry.key.span if overrides else extends.path.span
    return at, f"the `where` of `{extends.path.value}`", (Related(where.span, "the `where` is here"),)


def compile_file(path: str | os.PathLike[str], loader: Loader | None = None, *, allow_empty: bool = False,
                 overrides: Sequence[Override] = ()) -> Unit:
    """Read and compile a file; an unreadable file is a Unit holding E000 or E004."""
    loader = loader or Loader()
    name = os.fspath(path)
    errors = Collector()
    source = loader.read(name, errors)
    if source is None:
        return _failed(Source(name, ""), errors)
    return compile_unit(source, loader, allow_empty=allow_empty, overrides=overrides)


def compile_bytes(data: bytes, path: str, loader: Loader | None = None, *, allow_empty: bool = False,
                  overrides: Sequence[Override] = ()) -> Unit:
    """Decode and compile bytes (stdin); invalid UTF-8 is a Unit holding E004."""
    errors = Collector()
    source = _decode(data, path, errors)
    if len(errors):
        return _failed(source, errors)
    return compile_unit(source, loader, allow_empty=allow_empty, overrides=overrides)


def compile_text(text: str, path: str = "<string>", loader: Loader | None = None, *,
                 allow_empty: bool = False, overrides: Sequence[Override] = ()) -> Unit:
    """Compile text given as a string."""
    return compile_unit(Source(path, normalise(text)), loader, allow_empty=allow_empty, overrides=overrides)


def as_overrides(given: Sequence[str | Override]) -> list[Override]:
    """The API's overrides: `"PATH=VALUE"` strings (`"+PATH=VALUE"` adds a key, as `--add`)."""
    if isinstance(given, str):
        raise TypeError("overrides is a list of \"PATH=VALUE\" strings, e.g. [\"lr=0.1\"]")
    from .overrides import Override

    return [g if isinstance(g, Override) else Override(g) for g in given]


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


def compute_error(exc: ComputeError) -> MintError:
    """A computed value that failed for one config, as a located `MintError` (E100)."""
    path, line, column, end_line, end_column, text = exc.loc
    source = Source(path, "\n" * (line - 1) + text)
    end = (end_line, end_column) if end_line == line else (line, len(text) + 1)
    span = Span(source, line, column, *end)
    which = f"config {exc.index}" if exc.index is not None else "a config"
    return MintError([Diagnostic(Code.E100.name, f"{which}: {exc.message}", span,
                                 hint="guard the expression with `if ... then ... else ...`, or filter such configs "
                                      "out with `where`")])


__all__ = ["MintError", "Unit", "compile_file", "compile_source", "compile_text", "compile_unit",
           "decode"]
