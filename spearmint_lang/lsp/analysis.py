"""One version of one open document, compiled by the compiler's own driver.

An `Analysis` is a `Unit` (from `compile_unit`, through the server's
`Loader`, which sees unsaved buffers of other open files) plus what the
features need to answer in the client's terms: the line index, the
documents by line, the provenance of each value, the config counts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import cast

import attrs
from lsprotocol import types as lsp
from pygls.uris import from_fs_path, to_fs_path

from .. import nodes
from ..compiler import Unit, compile_unit
from ..filters import Count
from ..loader import Loader
from ..lower import UNKNOWN, Lowered, Site
from ..source import Source, normalise
from .positions import LineIndex

# pygls leaves `from_fs_path` unannotated.
_from_fs_path = cast("Callable[[str], str | None]", from_fs_path)


def source_path(uri: str) -> str:
    """The path a document is compiled under: its file, or a `<name>` for unsaved ones."""
    path = to_fs_path(uri)
    if path:
        return path
    return f"<{uri}>"


def file_uri(path: str) -> str | None:
    """The `file:` URI of a path (None for `<stdin>`-like names)."""
    if path.startswith("<"):
        return None
    return _from_fs_path(os.path.abspath(path))


def count_text(count: Count) -> str:
    """`189 configs`, `7 configs (9 before where)`, `at most 2,000,000 configs (before where)`."""
    noun = "config" if count.configs == 1 else "configs"
    if not count.exact:
        return f"at most {count.configs:,} {noun} (before `where`)"
    if count.before_where is not None and count.before_where != count.configs:
        return f"{count.configs:,} {noun} ({count.before_where:,} before `where`)"
    return f"{count.configs:,} {noun}"


@attrs.define
class Analysis:
    """Everything known about one version of one document."""

    uri: str
    text: str
    version: int | None
    encoding: str
    loader: Loader = attrs.field(factory=Loader)
    # An earlier analysis' compile of this document, whose unchanged documents are reused.
    previous: Unit | None = attrs.field(default=None, kw_only=True, repr=False)
    unit: Unit = attrs.field(init=False)
    index: LineIndex = attrs.field(init=False)
    _indexes: dict[str, LineIndex] = attrs.field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        self.unit = compile_unit(Source(source_path(self.uri), normalise(self.text)), self.loader, salvage=True,
                                 previous=self.previous)
        self.previous = None  # not kept: analyses must not chain
        self.index = LineIndex(self.text, self.encoding)

    def index_of(self, source: Source) -> LineIndex:
        """The line index of a text this compile read, in the client's encoding:
        this document's own (any of its documents' texts), or another file's
        (one that it extends or imports)."""
        if source.path == self.source.path:
            return self.index
        found = self._indexes.get(source.path)
        if found is None:
            found = self._indexes[source.path] = LineIndex(source.text, self.encoding)
        return found

    def owns(self, source: Source) -> bool:
        """Whether a text this compile read is this document's own: the
        document's texts (each of its `---` documents has one) share its path."""
        return source.path == self.source.path

    @property
    def source(self) -> Source:
        """The compiled text."""
        return self.unit.source

    @property
    def parses(self) -> bool:
        """Whether the text parses without a syntax error (other mistakes aside)."""
        return self.unit.parses

    def documents(self) -> list[nodes.Document]:
        """The documents that hold something."""
        ast = self.unit.ast
        return [] if ast is None else [d for d in ast.documents if d.items]

    def lets(self) -> list[nodes.Let]:
        """Every `let` of the file, in order."""
        return [it for doc in self.documents() for it in doc.items if isinstance(it, nodes.Let)]

    def lowered(self, doc: nodes.Document) -> Lowered | None:
        """The lowered form of `doc` (possibly partial, when the file has mistakes)."""
        return next((low for low in self.unit.documents if low.node is doc), None)

    def count_of(self, doc: nodes.Document) -> tuple[int, Count] | None:
        """The index among documents with configs, and the count, when the file compiles."""
        if not self.unit.ok:
            return None
        for i, low in enumerate(self.unit.documents):
            if low.node is doc:
                return i, self.unit.count(i)
        return None

    def sites(self, doc: nodes.Document) -> list[Site]:
        """The entries of a document with their lowered values (from lowering's
        provenance); a value lowered past a mistake of its own is unknown."""
        low = self.lowered(doc)
        if low is None:
            return []
        if self.unit.ok:
            return low.sites
        broken = self.unit.broken()
        return [attrs.evolve(site, lowered=UNKNOWN) if any(site.entry.span.overlaps(b) for b in broken) else site
                for site in low.sites]

    def document_at(self, line: int) -> nodes.Document | None:
        """The document holding 1-based `line` (or the last one that starts before it)."""
        best = None
        for doc in self.documents():
            if doc.span.line <= line <= doc.span.end_line:
                return doc
            if doc.span.line <= line:
                best = doc
        return best

    def ref_at(self, line: int, column: int) -> nodes.Ref | None:
        """The name under the cursor."""
        for doc in self.documents():
            for node in nodes.walk(doc):
                if isinstance(node, nodes.Ref) and node.span.contains(line, column):
                    return node
        return None

    def let_for(self, ref: nodes.Ref) -> nodes.Let | None:
        """The `let` a name refers to: the first of that name (names are
        file-scoped, defined once); for an imported name (`prompts.system`),
        the `let` of the imported file (its spans point into that file)."""
        own = next((let for let in self.lets() if let.name.name == ref.name), None)
        if own is None and "." in ref.name:
            return self.unit.lets.get(ref.name)
        return own

    def imported_names(self, alias: str) -> list[str]:
        """The names the file imported as `alias` gives this file (`alias.x`),
        its own `let`s (not those it imports itself), in order."""
        prefix = alias + "."
        return [name for name in self.unit.lets if name.startswith(prefix) and "." not in name[len(prefix):]]

    def schema_for(self, doc: nodes.Document) -> nodes.Schema | None:
        """The document's schema: its own, or the one of the file it extends."""
        low = self.lowered(doc)
        if low is not None:
            return low.schema
        return next((it for it in doc.items if isinstance(it, nodes.Schema)), None)

    def extends_target(self, item: nodes.Extends | nodes.Import) -> str | None:
        """The file an `extends` (or `import`) names (None for text that has no folder)."""
        if self.source.path.startswith("<"):
            return None
        return self.loader.resolve(self.source, item.path.value)

    @staticmethod
    def is_unknown(value: object) -> bool:
        """Whether a site's value could not be lowered."""
        return value is UNKNOWN
