"""The language server for `.mint` files: `mintc lsp`, LSP over stdio.

Every feature works from the same front end as `mintc check`:
`compile_source` for diagnostics and the lowered documents (config counts,
the values of each key), and the AST of `parser` + `builder` for positions
(hover, go to definition, the outline, completion).

Positions: our spans are 1-based lines and columns counted in code points
(end exclusive), on the text after `normalise` (BOM dropped, CRLF read as
LF); LSP positions are 0-based lines and characters counted in the code
units the client and server agreed on (UTF-16 unless the client offers
another). `LineIndex` converts both ways.

No handler may take the server down: each one catches every exception,
logs it (stderr and `window/logMessage`) and answers "nothing".
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, cast

import attrs
from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from . import __version__, builder, lower, nodes, parser
from .compiler import compile_source
from .dynamic import DynamicValue, Variants, Zip
from .errors import Collector, Diagnostic, MintError
from .expand import axis_count, choices, count, has_where, iter_config
from .source import Source, Span, normalise

log = logging.getLogger("mintc.lsp")

SOURCE = "mintc"
SERVER_NAME = "mintc"
KEYWORDS = ("let", "zip", "variants", "where", "extends", "schema", "step", "count", "true", "false", "null")
# Keywords that can start a value (the rest start an item of a document or object).
_VALUE_KEYWORDS = ("true", "false", "null", "step", "count")
MAX_SHOWN_VALUES = 10
_MAX_VALUE_CHARS = 60
# With `where`, the exact count needs expanding: up to this many configs.
EXACT_WHERE_LIMIT = 100_000
_MISSING: Any = object()
_MAX_BLANKED_LINES = 3

R = TypeVar("R")


# --- positions ----------------------------------------------------------------------------


def _units(text: str, encoding: str) -> int:
    """How many code units `text` takes in the negotiated position encoding."""
    if encoding == lsp.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == lsp.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", errors="surrogatepass"))
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


class LineIndex:
    """Converts between our spans and LSP positions for one text."""

    def __init__(self, text: str, encoding: str = lsp.PositionEncodingKind.Utf16) -> None:
        # A BOM the editor kept is a character of its line 0, but not of ours.
        self.bom = text.startswith("\ufeff")
        self.lines = normalise(text).split("\n")
        self.encoding = encoding

    def position(self, line: int, column: int) -> lsp.Position:
        """1-based line and code-point column to an LSP position (clamped to the text)."""
        if line < 1:
            return lsp.Position(line=0, character=0)
        if line > len(self.lines):
            last = len(self.lines) - 1
            return lsp.Position(line=last, character=self._character(last, len(self.lines[last])))
        index = line - 1
        text = self.lines[index]
        return lsp.Position(line=index, character=self._character(index, min(max(column - 1, 0), len(text))))

    def _character(self, index: int, chars: int) -> int:
        lead = 1 if (self.bom and index == 0) else 0
        return lead + _units(self.lines[index][:chars], self.encoding)

    def range(self, span: Span) -> lsp.Range:
        """A span (end exclusive) to an LSP range."""
        start = self.position(span.line, span.column)
        end = self.position(span.end_line, span.end_column)
        if (end.line, end.character) < (start.line, start.character):
            end = start
        return lsp.Range(start=start, end=end)

    def location(self, pos: lsp.Position) -> tuple[int, int]:
        """An LSP position to our 1-based line and code-point column."""
        if not self.lines:
            return 1, 1
        index = min(max(pos.line, 0), len(self.lines) - 1)
        text = self.lines[index]
        want = pos.character - (1 if (self.bom and index == 0) else 0)
        used = 0
        for offset, ch in enumerate(text):
            if used >= want:
                return index + 1, offset + 1
            used += _units(ch, self.encoding)
        return index + 1, len(text) + 1

    def whole(self) -> lsp.Range:
        """The range of the whole text."""
        last = len(self.lines) - 1
        end = lsp.Position(line=last, character=self._character(last, len(self.lines[last])))
        return lsp.Range(start=lsp.Position(line=0, character=0), end=end)


def _contains(span: Span, line: int, column: int) -> bool:
    """Whether 1-based (line, column) is inside `span` (its end included, for a cursor after a word)."""
    return (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column)


# --- one analysed text ----------------------------------------------------------------------


def _has_content(doc: nodes.Document) -> bool:
    """Whether a document gives configs (the test `Lowerer.documents` uses)."""
    return any(isinstance(it, (nodes.Entry, nodes.Zip, nodes.Variants, nodes.Extends)) for it in doc.items)


def source_path(uri: str) -> str:
    """The path a document is compiled under: its file, or a `<name>` for unsaved ones."""
    path = to_fs_path(uri)
    if path:
        return path
    return f"<{uri}>"


def _no_base(path: nodes.Str) -> lower.Base | None:
    """For lowering a broken file as far as it goes: bases are left out."""
    return None


@attrs.define
class Count:
    """A document's number of configs; `exact` is False past `EXACT_WHERE_LIMIT` with `where`."""

    configs: int
    exact: bool = True
    before_where: int | None = None

    def text(self) -> str:
        """`189 configs`, `7 configs (9 before where)`, `at most 2,000,000 configs`."""
        noun = "config" if self.configs == 1 else "configs"
        if not self.exact:
            return f"at most {self.configs:,} {noun} (before `where`)"
        if self.before_where is not None and self.before_where != self.configs:
            return f"{self.configs:,} {noun} ({self.before_where:,} before `where`)"
        return f"{self.configs:,} {noun}"


def count_configs(lowered: dict[str, Any]) -> Count:
    """The exact count of a lowered document, as `mintc check` gives it (up to the limit)."""
    total = count(lowered)
    if not has_where(lowered):
        return Count(total)
    if total > EXACT_WHERE_LIMIT:
        return Count(total, exact=False)
    return Count(sum(1 for _ in iter_config(lowered)), before_where=total)


@attrs.define
class Analysis:
    """Everything known about one version of one document."""

    uri: str
    text: str
    version: int | None
    encoding: str
    source: Source = attrs.field(init=False)
    index: LineIndex = attrs.field(init=False)
    _lowered: list[dict[str, Any]] | None = attrs.field(init=False, default=None)
    _diagnostics: list[Diagnostic] = attrs.field(init=False, factory=list)
    _compiled: bool = attrs.field(init=False, default=False)
    _ast: nodes.File | None = attrs.field(init=False, default=None)
    _ast_done: bool = attrs.field(init=False, default=False)
    _parses: bool = attrs.field(init=False, default=False)
    _counts: dict[int, Count] = attrs.field(init=False, factory=dict)
    _partial: dict[int, dict[str, Any]] | None = attrs.field(init=False, default=None)
    _partial_errors: list[Span] = attrs.field(init=False, factory=list)

    def __attrs_post_init__(self) -> None:
        self.source = Source(source_path(self.uri), normalise(self.text))
        self.index = LineIndex(self.text, self.encoding)

    def _compile(self) -> None:
        """Run the checker of `mintc check` once."""
        if self._compiled:
            return
        self._compiled = True
        try:
            self._lowered = compile_source(self.source)
        except MintError as exc:
            self._diagnostics = exc.diagnostics

    @property
    def lowered(self) -> list[dict[str, Any]] | None:
        """The lowered documents (with configs), or None when the file has mistakes."""
        self._compile()
        return self._lowered

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every mistake `mintc check` reports for this text."""
        self._compile()
        return self._diagnostics

    @property
    def ast(self) -> nodes.File | None:
        """The AST, built even when the file has errors (None if it cannot be parsed)."""
        if not self._ast_done:
            self._ast_done = True
            errors = Collector()
            tree = parser.parse(self.source, errors)
            self._parses = tree is not None and not errors.diagnostics
            source = self.source
            # Where the parser cannot resume by itself (an unclosed bracket, a key
            # without a value at the end), blank the faulty line, as it does: the
            # rest of the file still gets an outline, hovers and completions.
            for _ in range(_MAX_BLANKED_LINES):
                if tree is not None or not errors.diagnostics:
                    break
                lines = source.text.split("\n")
                faulty = errors.diagnostics[-1].span.line
                if not 1 <= faulty <= len(lines) or not lines[faulty - 1].strip():
                    break
                lines[faulty - 1] = " " * len(lines[faulty - 1])
                source = Source(source.path, "\n".join(lines))
                errors = Collector()
                tree = parser.parse(source, errors)
            if tree is not None:
                self._ast = builder.build(source, tree, Collector())
        return self._ast

    @property
    def parses(self) -> bool:
        """Whether the text parses without a syntax error (other mistakes aside)."""
        _ = self.ast
        return self._parses and "\x00" not in self.source.text

    def documents(self) -> list[nodes.Document]:
        """The documents that hold something."""
        ast = self.ast
        return [] if ast is None else [d for d in ast.documents if d.items]

    def lowered_for(self, doc: nodes.Document) -> tuple[int, dict[str, Any]] | None:
        """The index (among documents with configs) and lowered form of `doc`, when the file compiles."""
        ast = self.ast
        if self.lowered is None or ast is None:
            return None
        content = [d for d in ast.documents if _has_content(d)]
        if len(content) != len(self.lowered):
            return None
        for i, d in enumerate(content):
            if d is doc:
                return i, self.lowered[i]
        return None

    def partial_for(self, doc: nodes.Document) -> dict[str, Any] | None:
        """When the file has mistakes: `doc` lowered as far as it can be (no `extends`)."""
        if self._partial is None:
            self._partial = {}
            ast = self.ast
            if ast is not None:
                errors = Collector()
                try:
                    pairs = lower.Lowerer(errors, _no_base).documents(ast)
                except Exception:  # noqa: BLE001 - best effort on a broken file
                    log.debug("partial lowering failed", exc_info=True)
                    pairs = []
                self._partial = {id(d): lowered for lowered, d in pairs}
                self._partial_errors = [d.span for d in errors.diagnostics]
        return self._partial.get(id(doc))

    @property
    def partial_errors(self) -> list[Span]:
        """Where lowering a broken file as far as it goes met mistakes (after `partial_for`)."""
        return self._partial_errors

    def count_for(self, i: int) -> Count | None:
        """The config count of the i-th lowered document (cached)."""
        if self.lowered is None or not 0 <= i < len(self.lowered):
            return None
        if i not in self._counts:
            self._counts[i] = count_configs(self.lowered[i])
        return self._counts[i]

    def document_at(self, line: int) -> nodes.Document | None:
        """The document holding 1-based `line` (or the last one that starts before it)."""
        best = None
        for doc in self.documents():
            if doc.span.line <= line <= doc.span.end_line:
                return doc
            if doc.span.line <= line:
                best = doc
        return best

    def text_of(self, span: Span) -> str:
        """The source text a span covers (in whichever file the span is)."""
        return span_text(span)


def span_text(span: Span) -> str:
    """The source text a span covers."""
    lines = span.source.text.split("\n")
    if not 1 <= span.line <= len(lines):
        return ""
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1 :]]
    parts.extend(lines[span.line : span.end_line - 1])
    if span.end_line <= len(lines):
        parts.append(lines[span.end_line - 1][: span.end_column - 1])
    return "\n".join(parts)


# --- diagnostics -------------------------------------------------------------------------------

_SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
    "hint": lsp.DiagnosticSeverity.Hint,
}


# pygls leaves `from_fs_path` unannotated.
_from_fs_path = cast("Callable[[str], str | None]", from_fs_path)


def _file_uri(path: str) -> str | None:
    """The `file:` URI of a path (None for `<stdin>`-like names)."""
    if path.startswith("<"):
        return None
    return _from_fs_path(os.path.abspath(path))


def _same_file(a: str, b: str) -> bool:
    if a == b:
        return True
    if a.startswith("<") or b.startswith("<"):
        return False
    return os.path.realpath(a) == os.path.realpath(b)


def _other_file_range(analysis: Analysis, path: str) -> lsp.Range:
    """Where to show a mistake found in another file: the `extends` that brings it in."""
    found: list[nodes.Extends] = []
    for doc in analysis.documents():
        found.extend(it for it in doc.items if isinstance(it, nodes.Extends))
    folder = os.path.dirname(analysis.source.path)
    for ext in found:
        if _same_file(os.path.join(folder, ext.path.value), path):
            return analysis.index.range(ext.path.span)
    if found:
        return analysis.index.range(found[0].path.span)
    start = lsp.Position(line=0, character=0)
    return lsp.Range(start=start, end=start)


def _related(analysis: Analysis, diag: Diagnostic) -> list[lsp.DiagnosticRelatedInformation]:
    out = []
    for rel in diag.related:
        if rel.span.source is analysis.source:
            uri: str | None = analysis.uri
            rng = analysis.index.range(rel.span)
        else:
            uri = _file_uri(rel.span.file)
            rng = LineIndex(rel.span.source.text).range(rel.span)
        if uri is not None:
            out.append(lsp.DiagnosticRelatedInformation(location=lsp.Location(uri=uri, range=rng), message=rel.message))
    return out


def to_lsp_diagnostic(analysis: Analysis, diag: Diagnostic) -> lsp.Diagnostic:
    """One of our diagnostics as an LSP diagnostic of this document."""
    message = diag.message
    related = _related(analysis, diag)
    if diag.span.source is analysis.source or _same_file(diag.span.file, analysis.source.path):
        rng = analysis.index.range(diag.span)
    else:
        # A mistake inside a file this one extends: show it on the `extends`, point at it.
        rng = _other_file_range(analysis, diag.span.file)
        where = f"{os.path.basename(diag.span.file)}:{diag.span.line}:{diag.span.column}"
        message = f"in {where}: {message}"
        uri = _file_uri(diag.span.file)
        if uri is not None:
            there = LineIndex(diag.span.source.text).range(diag.span)
            related.insert(0, lsp.DiagnosticRelatedInformation(
                location=lsp.Location(uri=uri, range=there), message=diag.message))
    if diag.hint:
        message = f"{message}\nhint: {diag.hint}"
    return lsp.Diagnostic(
        range=rng,
        message=message,
        severity=_SEVERITY.get(diag.severity, lsp.DiagnosticSeverity.Error),
        code=diag.code,
        source=SOURCE,
        related_information=related or None,
    )


# --- what stands where: the AST walked beside the lowered document ----------------------------


@attrs.frozen
class Site:
    """An entry of the AST, its key path and its lowered value (`_MISSING` when unknown)."""

    entry: nodes.Entry
    path: tuple[str, ...]
    lowered: Any
    zipped: tuple[str, ...] | None = None  # the keys of its `zip` block, when in one
    alternative: int | None = None  # its `variants` alternative (1-based), when in one


def _match(block_keys: set[str], candidates: list[Any], used: set[int], keys_of: Callable[[Any], set[str]]) -> Any:
    """The lowered block whose keys are those of the AST block (else the next unused one)."""
    for i, cand in enumerate(candidates):
        if i not in used and keys_of(cand) == block_keys:
            used.add(i)
            return cand
    for i, cand in enumerate(candidates):
        if i not in used:
            used.add(i)
            return cand
    return None


def _variant_keys(v: Any) -> set[str]:
    return {k for alt in v.alternatives for k in alt if isinstance(k, str)}


def _sites(items: Sequence[Any], container: Any, path: tuple[str, ...], out: list[Site],
           alternative: int | None = None) -> list[Site]:
    """Every entry under `items`, depth-first, each with its lowered value when known."""
    low: dict[Any, Any] | None = container if isinstance(container, dict) else None
    zips = [v for v in low.values() if isinstance(v, Zip)] if low is not None else []
    variants = [v for v in low.values() if isinstance(v, Variants)] if low is not None else []
    used_zips: set[int] = set()
    used_variants: set[int] = set()
    for item in items:
        if isinstance(item, nodes.Entry):
            value = low.get(item.key.name, _MISSING) if low is not None else _MISSING
            here = path + (item.key.name,)
            out.append(Site(item, here, value, alternative=alternative))
            _value_sites(item.value, value, here, out)
        elif isinstance(item, nodes.Zip):
            names = {e.key.name for e in item.entries}
            z = _match(names, zips, used_zips, lambda c: set(c.columns))
            keys = tuple(e.key.name for e in item.entries)
            for e in item.entries:
                column = z.columns.get(e.key.name, _MISSING) if isinstance(z, Zip) else _MISSING
                out.append(Site(e, path + (e.key.name,), column, zipped=keys, alternative=alternative))
        elif isinstance(item, nodes.Variants):
            names = {e.key.name for alt in item.alternatives for e in alt.items if isinstance(e, nodes.Entry)}
            v = _match(names, variants, used_variants, _variant_keys)
            for i, alt in enumerate(item.alternatives):
                alt_low = v.alternatives[i] if isinstance(v, Variants) and i < len(v.alternatives) else None
                _sites(alt.items, alt_low, path, out, alternative=i + 1)
    return out


def _value_sites(value: nodes.Value, lowered: Any, path: tuple[str, ...], out: list[Site]) -> None:
    """Entries inside a value: an object's, and those of objects in a list or a list sweep."""
    if isinstance(value, nodes.ObjectValue):
        _sites(value.items, lowered, path, out)
    elif isinstance(value, nodes.ListSweep) and isinstance(value.items, nodes.ListValue):
        values = lowered.values if isinstance(lowered, DynamicValue) else None
        for i, item in enumerate(value.items.items):
            elem = values[i] if isinstance(values, list) and i < len(values) else _MISSING
            _value_sites(item, elem, path, out)
    elif isinstance(value, nodes.ListValue):
        for i, item in enumerate(value.items):
            elem = lowered[i] if isinstance(lowered, list) and i < len(lowered) else _MISSING
            _value_sites(item, elem, path, out)


def document_sites(analysis: Analysis, doc: nodes.Document) -> list[Site]:
    """The entries of a document with their lowered values."""
    found = analysis.lowered_for(doc)
    if found is not None:
        return _sites(doc.items, found[1], (), [])
    sites = _sites(doc.items, analysis.partial_for(doc), (), [])
    # A value lowered past a mistake of its own is a placeholder: don't show it.
    broken = [d.span for d in analysis.diagnostics if d.span.source is analysis.source]
    broken += analysis.partial_errors
    return [attrs.evolve(site, lowered=_MISSING) if any(_overlaps(site.entry.span, b) for b in broken) else site
            for site in sites]


def _overlaps(a: Span, b: Span) -> bool:
    return (a.line, a.column) <= (b.end_line, b.end_column) and (b.line, b.column) <= (a.end_line, a.end_column)


def _refs_in_value(value: Any) -> Iterator[nodes.Ref]:
    if isinstance(value, nodes.Ref):
        yield value
    elif isinstance(value, nodes.ListSweep):
        yield from _refs_in_value(value.items)
    elif isinstance(value, nodes.RangeSweep):
        for bound in (value.start, value.end, value.step, value.count):
            yield from _refs_in_value(bound)
    elif isinstance(value, nodes.ListValue):
        for item in value.items:
            yield from _refs_in_value(item)
    elif isinstance(value, nodes.ObjectValue):
        yield from _refs_in_items(value.items)


def _refs_in_fields(fields: Sequence[nodes.Field]) -> Iterator[nodes.Ref]:
    for f in fields:
        for alt in f.types:
            if isinstance(alt, nodes.TypeName):
                yield from _refs_in_value(alt.low)
                yield from _refs_in_value(alt.high)
            elif isinstance(alt, nodes.TypeObject):
                yield from _refs_in_fields(alt.fields)


def _refs_in_items(items: Sequence[Any]) -> Iterator[nodes.Ref]:
    for item in items:
        if isinstance(item, (nodes.Entry, nodes.Let)):
            yield from _refs_in_value(item.value)
        elif isinstance(item, nodes.Zip):
            yield from _refs_in_items(item.entries)
        elif isinstance(item, nodes.Variants):
            for alt in item.alternatives:
                yield from _refs_in_items(alt.items)
        elif isinstance(item, nodes.Schema):
            yield from _refs_in_fields(item.fields)


def _lets(analysis: Analysis) -> list[nodes.Let]:
    return [it for doc in analysis.documents() for it in doc.items if isinstance(it, nodes.Let)]


def _let_for(analysis: Analysis, ref: nodes.Ref) -> nodes.Let | None:
    """The `let` a name refers to: the first of that name (names are file-scoped, defined once)."""
    return next((let for let in _lets(analysis) if let.name.name == ref.name), None)


def _ref_at(analysis: Analysis, line: int, column: int) -> nodes.Ref | None:
    for doc in analysis.documents():
        for ref in _refs_in_items(doc.items):
            if _contains(ref.span, line, column):
                return ref
    return None


def _paths_in(expr: Any) -> Iterator[nodes.Path]:
    if isinstance(expr, nodes.Path):
        yield expr
    elif isinstance(expr, nodes.Compare):
        yield from _paths_in(expr.left)
        yield from _paths_in(expr.right)
    elif isinstance(expr, (nodes.Contains,)):
        yield from _paths_in(expr.operand)
    elif isinstance(expr, nodes.Not):
        yield from _paths_in(expr.operand)
    elif isinstance(expr, nodes.BoolOp):
        for op in expr.operands:
            yield from _paths_in(op)


# --- hover ---------------------------------------------------------------------------------------


def _show(value: Any) -> str:
    """One value, as JSON, shortened."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= _MAX_VALUE_CHARS else text[: _MAX_VALUE_CHARS - 1] + "…"


def _md(text: str) -> str:
    """Escape Markdown's special characters."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#|~" else ch for ch in text)


def values_text(values: Sequence[Any], total: int | None = None) -> str:
    """`5 values: 0, 25, 50, 75, 100`, at most `MAX_SHOWN_VALUES` of them, then `…`."""
    n = len(values) if total is None else total
    shown = ", ".join(_show(v) for v in values[:MAX_SHOWN_VALUES])
    more = ", …" if n > MAX_SHOWN_VALUES else ""
    return f"{n:,} value{'s' if n != 1 else ''}: {shown}{more}"


def _has_axes(value: Any) -> bool:
    if isinstance(value, (DynamicValue, Zip, Variants)):
        return True
    return isinstance(value, dict) and any(_has_axes(v) for v in value.values())


def describe(site: Site) -> str:
    """What a key stands for: its values, or `static`."""
    value = site.lowered
    if value is _MISSING:
        return "values unknown until this entry compiles"
    if site.zipped is not None:
        others = ", ".join(f"`{k}`" for k in site.zipped if k != site.path[-1])
        listed = value if isinstance(value, list) else list(value)
        paired = f" (paired by `zip` with {others})" if others else " (in a `zip`)"
        return _md(values_text(listed)) + paired
    if isinstance(value, DynamicValue):
        return _md(values_text(choices(value), axis_count(value)))
    if isinstance(value, dict) and _has_axes(value):
        n = count(value)
        return f"object with sweeps: {n:,} combination{'s' if n != 1 else ''}"
    return "static: " + _md(_show(value))


def hover_text(analysis: Analysis, doc: nodes.Document, site: Site) -> str:
    """The hover of a key: its path and values, then its document's config count."""
    lines = [f"**{_md('.'.join(site.path))}** — {describe(site)}"]
    if site.alternative is not None:
        lines.append(f"in `variants` alternative {site.alternative}")
    found = analysis.lowered_for(doc)
    if found is not None:
        i, _ = found
        n = analysis.count_for(i)
        total = len(analysis.lowered or [])
        if n is not None:
            label = "document" if total == 1 else f"document {i + 1} of {total}"
            lines.append(f"{label}: {n.text()}")
    elif analysis.diagnostics:
        lines.append("the file has mistakes: no config count until they are fixed")
    return "\n\n".join(lines)


def hover(analysis: Analysis, pos: lsp.Position) -> lsp.Hover | None:
    """Hover on a key (values and counts) or on a `let` name (its definition)."""
    line, column = analysis.index.location(pos)
    doc = analysis.document_at(line)
    if doc is None:
        return None
    for site in document_sites(analysis, doc):
        if _contains(site.entry.key.span, line, column):
            return lsp.Hover(
                contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=hover_text(analysis, doc, site)),
                range=analysis.index.range(site.entry.key.span),
            )
    ref = _ref_at(analysis, line, column)
    if ref is not None:
        let = _let_for(analysis, ref)
        if let is not None:
            text = analysis.text_of(let.span)
            if len(text) > 300:
                text = text[:299] + "…"
            return lsp.Hover(
                contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=f"```mint\n{text}\n```"),
                range=analysis.index.range(ref.span),
            )
    return None


# --- code lens -------------------------------------------------------------------------------------


def code_lenses(analysis: Analysis) -> list[lsp.CodeLens]:
    """`N configs` at the first line of each document (when the file compiles)."""
    out = []
    for doc in analysis.documents():
        found = analysis.lowered_for(doc)
        if found is None:
            continue
        n = analysis.count_for(found[0])
        if n is None:
            continue
        first = analysis.index.position(doc.items[0].span.line, 1)
        out.append(lsp.CodeLens(
            range=lsp.Range(start=first, end=first),
            command=lsp.Command(title=n.text(), command=""),
        ))
    return out


# --- document symbols --------------------------------------------------------------------------------


def _symbol(analysis: Analysis, name: str, kind: lsp.SymbolKind, span: Span, select: Span,
            detail: str | None = None, children: list[lsp.DocumentSymbol] | None = None) -> lsp.DocumentSymbol:
    rng = analysis.index.range(span)
    sel = analysis.index.range(select)
    # The selection must lie inside the range.
    if (sel.start.line, sel.start.character) < (rng.start.line, rng.start.character) or (
        sel.end.line, sel.end.character) > (rng.end.line, rng.end.character):
        sel = rng
    return lsp.DocumentSymbol(name=name or "\"\"", kind=kind, range=rng, selection_range=sel,
                              detail=detail, children=children or None)


def _value_kind(value: nodes.Value) -> tuple[lsp.SymbolKind, str]:
    if isinstance(value, nodes.ObjectValue):
        return lsp.SymbolKind.Object, "object"
    if isinstance(value, nodes.ListSweep):
        return lsp.SymbolKind.Array, "sweep"
    if isinstance(value, nodes.RangeSweep):
        return lsp.SymbolKind.Array, "range"
    if isinstance(value, nodes.ListValue):
        return lsp.SymbolKind.Array, "list"
    if isinstance(value, nodes.Str):
        return lsp.SymbolKind.String, "string"
    if isinstance(value, nodes.Number):
        return lsp.SymbolKind.Number, "number"
    if isinstance(value, nodes.Bool):
        return lsp.SymbolKind.Boolean, "bool"
    if isinstance(value, nodes.Null):
        return lsp.SymbolKind.Null, "null"
    return lsp.SymbolKind.Variable, "name"


def _item_symbols(analysis: Analysis, items: Sequence[Any]) -> list[lsp.DocumentSymbol]:
    out: list[lsp.DocumentSymbol] = []
    for item in items:
        if isinstance(item, nodes.Entry):
            kind, detail = _value_kind(item.value)
            children = _item_symbols(analysis, item.value.items) if isinstance(item.value, nodes.ObjectValue) else None
            out.append(_symbol(analysis, item.key.name, kind, item.span, item.key.span, detail, children))
        elif isinstance(item, nodes.Let):
            out.append(_symbol(analysis, item.name.name, lsp.SymbolKind.Variable, item.span, item.name.span, "let"))
        elif isinstance(item, nodes.Zip):
            out.append(_symbol(analysis, "zip", lsp.SymbolKind.Struct, item.span, item.span, None,
                               _item_symbols(analysis, item.entries)))
        elif isinstance(item, nodes.Variants):
            alts = [
                _symbol(analysis, f"alternative {i + 1}", lsp.SymbolKind.Struct, alt.span, alt.span, None,
                        _item_symbols(analysis, alt.items))
                for i, alt in enumerate(item.alternatives)
            ]
            out.append(_symbol(analysis, "variants", lsp.SymbolKind.Enum, item.span, item.span, None, alts))
        elif isinstance(item, nodes.Schema):
            out.append(_symbol(analysis, "schema", lsp.SymbolKind.Interface, item.span, item.span, None,
                               _field_symbols(analysis, item.fields)))
        elif isinstance(item, nodes.Extends):
            out.append(_symbol(analysis, f"extends \"{item.path.value}\"", lsp.SymbolKind.File, item.span,
                               item.path.span))
        elif isinstance(item, nodes.Where):
            out.append(_symbol(analysis, "where", lsp.SymbolKind.Event, item.span, item.span,
                               analysis.text_of(item.expr.span)[:80]))
    return out


def _field_symbols(analysis: Analysis, fields: Sequence[nodes.Field]) -> list[lsp.DocumentSymbol]:
    out = []
    for f in fields:
        children = [c for alt in f.types if isinstance(alt, nodes.TypeObject) for c in _field_symbols(analysis, alt.fields)]
        types = " | ".join(analysis.text_of(alt.span) for alt in f.types if not isinstance(alt, nodes.TypeObject))
        out.append(_symbol(analysis, f.key.name + ("?" if f.optional else ""), lsp.SymbolKind.Field, f.span,
                           f.key.span, types or None, children))
    return out


def document_symbols(analysis: Analysis) -> list[lsp.DocumentSymbol]:
    """The outline: keys (nested objects as children); documents on top when there are several."""
    docs = analysis.documents()
    if len(docs) == 1:
        return _item_symbols(analysis, docs[0].items)
    out = []
    for i, doc in enumerate(docs):
        span = doc.items[0].span.to(doc.items[-1].span)
        found = analysis.lowered_for(doc)
        n = analysis.count_for(found[0]) if found else None
        out.append(_symbol(analysis, f"document {i + 1}", lsp.SymbolKind.Module, span, doc.items[0].span,
                           n.text() if n else None, _item_symbols(analysis, doc.items)))
    return out


# --- completion ------------------------------------------------------------------------------------


def _in_value_position(prefix: str) -> bool:
    """Whether the cursor (after `prefix` on its line) stands where a value goes, not a key."""
    in_string = False
    last = ""
    brackets: list[str] = []
    for ch in prefix:
        if ch == '"':
            in_string = not in_string
        elif in_string:
            continue
        elif ch == "#":
            break
        elif ch in "{[(":
            brackets.append(ch)
            last = ch
        elif ch in "}])":
            if brackets:
                brackets.pop()
            last = ch
        elif ch in ":,=":
            last = ch
    if last in (":", "=", "[", "("):
        return True
    return last == "," and bool(brackets) and brackets[-1] in "[("


def _schema_of(analysis: Analysis, doc: nodes.Document, depth: int = 0) -> nodes.Schema | None:
    """The document's schema, or that of the file it extends."""
    for it in doc.items:
        if isinstance(it, nodes.Schema):
            return it
    ext = next((it for it in doc.items if isinstance(it, nodes.Extends)), None)
    if ext is None or depth > 8 or analysis.source.path.startswith("<"):
        return None
    target = os.path.join(os.path.dirname(analysis.source.path), ext.path.value)
    try:
        with open(target, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        uri = _file_uri(target)
        if uri is None:
            return None
        base = Analysis(uri, text, None, analysis.encoding)
    except OSError:
        return None
    docs = base.documents()
    return _schema_of(base, docs[0], depth + 1) if len(docs) == 1 else None


def _enclosing_path(items: Sequence[Any], line: int, column: int) -> tuple[str, ...]:
    """The keys of the objects (as `{ ... }` values) around the cursor."""
    for item in items:
        if isinstance(item, nodes.Entry) and isinstance(item.value, nodes.ObjectValue):
            span = item.value.span
            if (span.line, span.column) < (line, column) < (span.end_line, span.end_column):
                return (item.key.name,) + _enclosing_path(item.value.items, line, column)
        elif isinstance(item, nodes.Variants):
            for alt in item.alternatives:
                span = alt.span
                if (span.line, span.column) < (line, column) < (span.end_line, span.end_column):
                    return _enclosing_path(alt.items, line, column)
    return ()


def _fields_at(fields: Sequence[nodes.Field], path: tuple[str, ...]) -> Sequence[nodes.Field]:
    for part in path:
        field = next((f for f in fields if f.key.name == part), None)
        obj = next((t for t in field.types if isinstance(t, nodes.TypeObject)), None) if field else None
        if obj is None:
            return ()
        fields = obj.fields
    return fields


def completions(analysis: Analysis, pos: lsp.Position) -> list[lsp.CompletionItem]:
    """Keywords, `let` names, and the keys of the document's schema."""
    line, column = analysis.index.location(pos)
    prefix = analysis.source.line(line)[: column - 1]
    value_pos = _in_value_position(prefix)
    items: list[lsp.CompletionItem] = []
    seen: set[str] = set()

    def add(label: str, kind: lsp.CompletionItemKind, sort: str, detail: str | None = None,
            insert: str | None = None) -> None:
        if label in seen:
            return
        seen.add(label)
        items.append(lsp.CompletionItem(label=label, kind=kind, detail=detail, sort_text=f"{sort}{label}",
                                        insert_text=insert))

    doc = analysis.document_at(line)
    if doc is not None and not value_pos:
        schema = _schema_of(analysis, doc)
        if schema is not None:
            for f in _fields_at(schema.fields, _enclosing_path(doc.items, line, column)):
                types = " | ".join(span_text(t.span) for t in f.types)
                add(f.key.name, lsp.CompletionItemKind.Field, "0", f"schema: {types}", f"{f.key.name}: ")
    for let in _lets(analysis):
        if let.span.line < line:
            value = analysis.text_of(let.value.span)
            add(let.name.name, lsp.CompletionItemKind.Variable, "1",
                f"let {let.name.name} = {value if len(value) <= 60 else value[:59] + '…'}")
    for word in KEYWORDS:
        if value_pos and word not in _VALUE_KEYWORDS:
            continue
        add(word, lsp.CompletionItemKind.Keyword, "2")
    return items


# --- go to definition ------------------------------------------------------------------------------


def definition(analysis: Analysis, pos: lsp.Position) -> lsp.Location | None:
    """A `let` name to its `let`; an `extends` path to that file; a `where` path to its key."""
    line, column = analysis.index.location(pos)
    ref = _ref_at(analysis, line, column)
    if ref is not None:
        let = _let_for(analysis, ref)
        if let is None:
            return None
        return lsp.Location(uri=analysis.uri, range=analysis.index.range(let.name.span))
    for doc in analysis.documents():
        for item in doc.items:
            if isinstance(item, nodes.Extends) and _contains(item.path.span, line, column):
                if analysis.source.path.startswith("<"):
                    return None
                target = os.path.normpath(os.path.join(os.path.dirname(analysis.source.path), item.path.value))
                uri = _file_uri(target)
                if uri is None or not os.path.isfile(target):
                    return None
                start = lsp.Position(line=0, character=0)
                return lsp.Location(uri=uri, range=lsp.Range(start=start, end=start))
            if isinstance(item, nodes.Where):
                for path in _paths_in(item.expr):
                    if _contains(path.span, line, column):
                        for site in document_sites(analysis, doc):
                            if site.path == path.parts:
                                return lsp.Location(uri=analysis.uri, range=analysis.index.range(site.entry.key.span))
                        return None
    return None


# --- formatting -------------------------------------------------------------------------------------


def _format_source() -> Callable[[str, str], str] | None:
    """`spearmint_lang.fmt.format_source`, when that module exists."""
    try:
        module = importlib.import_module("spearmint_lang.fmt")
    except ImportError:
        return None
    fn = getattr(module, "format_source", None)
    return cast("Callable[[str, str], str]", fn) if callable(fn) else None


def formatting(analysis: Analysis) -> list[lsp.TextEdit]:
    """One edit replacing the whole text with its formatted form; none if unchanged or unparseable."""
    if not analysis.parses:
        return []
    fmt = _format_source()
    if fmt is None:
        log.info("formatting unavailable: spearmint_lang.fmt is not installed")
        return []
    try:
        new = fmt(analysis.source.text, analysis.source.path)
    except MintError:
        return []
    # Keep the editor's line endings and byte-order mark.
    if "\r\n" in analysis.text:
        new = new.replace("\r\n", "\n").replace("\n", "\r\n")
    if analysis.index.bom:
        new = "\ufeff" + new
    if new == analysis.text:
        return []
    return [lsp.TextEdit(range=analysis.index.whole(), new_text=new)]


# --- the server -------------------------------------------------------------------------------------


class MintLanguageServer(LanguageServer):
    """pygls server holding the analysis of each open document."""

    def __init__(self) -> None:
        super().__init__(SERVER_NAME, __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
        self.analyses: dict[str, Analysis] = {}

    @property
    def encoding(self) -> str:
        """The position encoding agreed with the client."""
        try:
            enc = self.workspace.position_encoding
        except Exception:  # noqa: BLE001 - before `initialize` there is no workspace
            enc = None
        return str(enc) if enc else lsp.PositionEncodingKind.Utf16

    def analysis(self, uri: str) -> Analysis:
        """The analysis of the document's current text (cached per text)."""
        doc = self.workspace.get_text_document(uri)
        text = doc.source
        cached = self.analyses.get(uri)
        if cached is not None and cached.text == text and cached.version == doc.version and \
                cached.encoding == self.encoding:
            return cached
        fresh = Analysis(uri, text, doc.version, self.encoding)
        if uri in self.workspace.text_documents:
            self.analyses[uri] = fresh
        return fresh

    def publish(self, uri: str) -> None:
        """Check the document and send its diagnostics (an empty list clears them)."""
        analysis = self.analysis(uri)
        diagnostics = [to_lsp_diagnostic(analysis, d) for d in analysis.diagnostics]
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=analysis.version))

    def publish_all(self) -> None:
        """Re-check every open document (a file they extend may have changed)."""
        self.analyses.clear()
        for uri in list(self.workspace.text_documents):
            _safely(self, "publishing diagnostics", functools.partial(self.publish, uri))


def _report(ls: Any, what: str) -> None:
    log.exception("mintc lsp: %s failed", what)
    if isinstance(ls, LanguageServer):
        try:
            ls.window_log_message(lsp.LogMessageParams(
                type=lsp.MessageType.Error, message=f"mintc lsp: {what} failed: {sys.exc_info()[1]!r}"))
        except Exception:  # noqa: BLE001 - logging must never fail a request
            log.exception("mintc lsp: could not send a log message")


def _safely(ls: Any, what: str, fn: Callable[[], R]) -> R | None:
    """Run `fn`; on any exception log it and return None."""
    try:
        return fn()
    except Exception:  # noqa: BLE001 - a broken file must never take the server down
        _report(ls, what)
        return None


def create_server() -> MintLanguageServer:
    """A server with every feature registered."""
    server = MintLanguageServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: MintLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        _safely(ls, "didOpen", lambda: ls.publish(params.text_document.uri))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: MintLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        _safely(ls, "didChange", lambda: ls.publish(params.text_document.uri))

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: MintLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        # Saving a file may fix or break the files that extend it.
        _safely(ls, "didSave", ls.publish_all)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: MintLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        def clear() -> None:
            uri = params.text_document.uri
            ls.analyses.pop(uri, None)
            ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

        _safely(ls, "didClose", clear)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: MintLanguageServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        _safely(ls, "didChangeWatchedFiles", ls.publish_all)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: MintLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return _safely(ls, "hover", lambda: hover(ls.analysis(params.text_document.uri), params.position))

    @server.feature(lsp.TEXT_DOCUMENT_CODE_LENS)
    def on_code_lens(ls: MintLanguageServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens] | None:
        return _safely(ls, "codeLens", lambda: code_lenses(ls.analysis(params.text_document.uri)))

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(ls: MintLanguageServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
        return _safely(ls, "documentSymbol", lambda: document_symbols(ls.analysis(params.text_document.uri)))

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions())
    def on_completion(ls: MintLanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
        def run() -> lsp.CompletionList:
            found = completions(ls.analysis(params.text_document.uri), params.position)
            return lsp.CompletionList(is_incomplete=False, items=found)

        return _safely(ls, "completion", run)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def on_definition(ls: MintLanguageServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        return _safely(ls, "definition", lambda: definition(ls.analysis(params.text_document.uri), params.position))

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def on_formatting(ls: MintLanguageServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
        return _safely(ls, "formatting", lambda: formatting(ls.analysis(params.text_document.uri)))

    return server


def main() -> None:
    """Run the language server on stdin/stdout until the client says `exit`."""
    # stdout carries the protocol; logs go to stderr (VS Code shows them in the server's output).
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(name)s: %(levelname)s: %(message)s")
    log.setLevel(logging.INFO)
    create_server().start_io()


if __name__ == "__main__":
    main()
