"""A file's documents, parsed and built one by one, reusing unchanged ones.

Documents separated by `---` are independent until lowering (where `let`
names are shared), so each is parsed and built on its own text: an editor
that changes one document re-parses only that one (`Front.parts` of the
previous compile, keyed by text, are reused as they are).

Each document is parsed from a text of its own that keeps the file's line
and column numbers: the document after a `---` line is preceded by as many
empty lines as the file has before that `---` line, so its text starts with
an empty document, the `---` and then the document itself, exactly as the
parser sees it in the whole file. A document's diagnostics and AST point
into that text (a `Source` of the same path, whose line N is the file's line
N), so they are valid as long as the document's text and first line are:
that pair is the key of its reuse.

`---` lines are found by `split`: a line holding only `---` is a separator
unless it lies inside a `\"\"\"` string (a one-line string or a comment
cannot hold a whole line).
"""

from __future__ import annotations

import re

from lark import ParseTree, Token, Tree
from lark.tree import Meta

from . import builder, parser
from .errors import Collector, Diagnostic
from .nodes import Document, File
from .source import Source

_SEPARATOR = re.compile(r"^---[ \t]*$", re.M)
# What the lexer reads past without seeing a `---` line: strings and comments.
_QUOTED = re.compile(r'"""[\s\S]*?"""|"(?:[^"\\\n]|\\[^\n])*"|#[^\n]*')


def split(text: str) -> list[int]:
    """The offsets where each document's text starts: 0, then each `---` line's."""
    starts = [0]
    seps = [m.start() for m in _SEPARATOR.finditer(text)]
    if not seps:
        return starts
    if '"""' not in text:
        return starts + seps
    long_strings = [(m.start(), m.end()) for m in _QUOTED.finditer(text) if m.group().startswith('"""')]
    i = 0
    for sep in seps:
        while i < len(long_strings) and long_strings[i][1] <= sep:
            i += 1
        if i < len(long_strings) and long_strings[i][0] < sep:
            continue  # inside a `"""` string
        starts.append(sep)
    return starts


class Part:
    """One document's text, parsed and built.

    A document that only moved (lines were added or removed above it) keeps
    the tree parsed where it was: `parsed` with positions `by` lines short,
    built into an AST with the right positions at once, and moved itself only
    when someone asks for `tree`."""

    def __init__(self, source: Source, first: bool, body: str, line: int, parsed: ParseTree | None,
                 salvaged: ParseTree | None, documents: tuple[Document, ...], syntax: tuple[Diagnostic, ...],
                 built: tuple[Diagnostic, ...], by: int = 0) -> None:
        self.source = source  # the document's own text (see the module's docstring)
        self.first = first  # the file's first document (no `---` line before it)
        self.body = body  # its text without the empty lines that place it
        self.line = line  # the file's line it starts on
        self.parsed = parsed  # its concrete tree when it parses, `by` lines short
        self.by = by
        self.salvaged = salvaged  # for editors: a tree of it with faulty lines blanked
        self.documents = documents  # built from the tree, or the salvaged tree
        self.syntax = syntax  # what the parser found
        self.built = built  # what the builder found (when it parses)
        self._tree: ParseTree | None = parsed if by == 0 else None

    @property
    def parses(self) -> bool:
        """Whether the document parses."""
        return self.parsed is not None

    @property
    def tree(self) -> ParseTree | None:
        """Its concrete tree with the file's positions, when it parses."""
        if self._tree is None and self.parsed is not None:
            self._tree = _shift(self.parsed, self.by)
        return self._tree

    def children(self) -> list[ParseTree | Token]:
        """The file-level children this part adds to the file's tree: its
        document, after the `---` that starts it (the empty document before
        that is padding)."""
        tree = self.tree if self.tree is not None else self.salvaged
        if tree is None:
            return []
        return list(tree.children if self.first else tree.children[1:])


class Front:
    """A whole file, parsed and built from its parts; its concrete tree is
    put together when asked for."""

    def __init__(self, source: Source, ordered: list[Part], parts: dict[tuple[str, bool], Part]) -> None:
        self.ordered = ordered
        self.parts = parts  # by (text, salvage): to reuse in the next compile
        self.complete = all(p.parses for p in ordered)  # whether every document parses
        docs = tuple(d for p in ordered for d in p.documents)
        self.ast = File(docs, source) if docs or self.complete else None
        self.syntax = [d for p in ordered for d in p.syntax]
        self.built = [d for p in ordered for d in p.built] if self.complete else []
        self._tree: ParseTree | None = None

    @property
    def tree(self) -> ParseTree | None:
        """The file's concrete tree: when every document parses, else (for
        editors) the trees of those that do, salvaged ones included."""
        if self._tree is None and self.ast is not None:
            self._tree = Tree("start", [child for p in self.ordered for child in p.children()])
        return self._tree


def front(source: Source, salvage: bool, previous: Front | None = None) -> Front:
    """Parse and build every document of `source`, reusing `previous`' parts
    whose text is unchanged."""
    text = source.text
    starts = split(text)
    old = previous.parts if previous is not None else {}
    moved = {(p.body, p.first): p for p in old.values() if p.parses and not p.syntax and p.body}
    parts: dict[tuple[str, bool], Part] = {}
    ordered: list[Part] = []
    line = 1
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        if i:
            line += text.count("\n", starts[i - 1], start)
            own = "\n" * (line - 1) + text[start:end]
        else:
            own = text[start:end]
        key = (own, salvage)
        part = old.get(key)
        if part is None:
            body = text[start:end]
            donor = moved.get((body, i == 0))
            if donor is not None:
                part = _moved(donor, Source(source.path, own), line)
            else:
                part = _part(Source(source.path, own), i == 0, salvage, body, line)
        parts[key] = part
        ordered.append(part)
    return Front(source, ordered, parts)


def _part(source: Source, first: bool, salvage: bool, body: str, line: int) -> Part:
    """Parse and build one document. Its own text is parsed first (positions
    `line - 1` lines short, which the builder adds back): the empty lines
    that place it would cost the lexer a pass each. Only a text with a
    mistake is parsed again where it stands, for diagnostics in place."""
    clean = parser.parse_clean(body)
    if clean is not None:
        built = Collector()
        file = builder.build(source, clean, built, line - 1)
        docs = file.documents if first else file.documents[1:]
        return Part(source, first, body, line, clean, None, docs, (), tuple(built.ordered()), line - 1)
    errors = Collector()
    parsed = parser.parse(source, errors, salvage)
    syntax = tuple(errors.ordered())
    built = Collector()
    found: tuple[Document, ...] = ()
    best = parsed.best
    if best is not None:
        file = builder.build(source, best, built if parsed.tree is not None else Collector())
        found = file.documents if first else file.documents[1:]
    return Part(source, first, body, line, parsed.tree, parsed.salvaged, found, syntax, tuple(built.ordered()))


def _moved(donor: Part, source: Source, line: int) -> Part:
    """A document whose text is unchanged but now starts on another line (a
    line was added or removed above it): not parsed again, but built again
    (an AST holds the lines of its spans) from its tree, moved as it is read."""
    assert donor.parsed is not None
    by = donor.by + line - donor.line
    built = Collector()
    file = builder.build(source, donor.parsed, built, by)
    docs = file.documents if donor.first else file.documents[1:]
    return Part(source, donor.first, donor.body, line, donor.parsed, None, docs, (), tuple(built.ordered()), by)


def _shift(tree: ParseTree, by: int) -> ParseTree:
    """A copy of a tree whose positions are `by` lines further down (the
    text that places a document has one character per line, so offsets move
    by as many characters)."""
    def meta(old: Meta) -> Meta:
        new: Meta = Meta.__new__(Meta)
        fields = old.__dict__.copy()
        for name in _MOVED:  # (Lark's parser sets every one of them, `descent` those it reads)
            if name in fields:
                fields[name] += by
        new.__dict__ = fields
        return new

    root: ParseTree = Tree(tree.data, [], meta(tree.meta))
    stack: list[tuple[ParseTree, ParseTree]] = [(tree, root)]
    while stack:
        old, new = stack.pop()
        children = new.children
        for child in old.children:
            if isinstance(child, Tree):
                copy: ParseTree = Tree(child.data, [], meta(child.meta))
                children.append(copy)
                stack.append((child, copy))
            else:
                children.append(Token(child.type, child.value, (child.start_pos or 0) + by, (child.line or 1) + by,
                                      child.column, (child.end_line or 1) + by, child.end_column,
                                      (child.end_pos or 0) + by))
    return root


_MOVED = ("line", "end_line", "container_line", "container_end_line",
          "start_pos", "end_pos", "container_start_pos", "container_end_pos")
