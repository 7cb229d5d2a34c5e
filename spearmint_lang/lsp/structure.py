"""Folding ranges and selection ranges, from the spans of the AST.

Folding: objects, lists, `\"\"\"` strings, `zip`, `variants` and `schema`
blocks (a nested object's schema too) that span lines, each document of a
file that has several (from its `---` line), and runs of two or more comment
lines. A closing bracket or `\"\"\"` that stands alone on its line stays
visible, as editors fold brackets elsewhere. Editors use one range per start
line: of two that start on one line the longer is kept, and the first
document, which has no `---` line, folds only from a line where nothing else
starts.

Selection: from the token under the cursor outwards, each node of the AST
that holds it (a name of a `where` path, then the path, ...; a value, its
entry, the object, the entry holding that, ...), then the document's items,
then the whole file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from lsprotocol import types as lsp

from .. import nodes
from ..source import Span
from .analysis import Analysis
from .references import path_part_spans

_FOLDED = (nodes.ObjectValue, nodes.ListValue, nodes.Zip, nodes.Variants, nodes.Schema, nodes.TypeObject)
_CLOSERS = ("}", "]", '"""')


def folding_ranges(analysis: Analysis) -> list[lsp.FoldingRange]:
    """The foldable regions of the file, by start line."""
    ast = analysis.unit.ast
    if ast is None:
        return []
    found: dict[int, lsp.FoldingRange] = {}

    def add(start: int, end: int, kind: lsp.FoldingRangeKind | None = None, *, replace: bool = True) -> None:
        if end > start and (start not in found or replace and found[start].end_line < end):
            found[start] = lsp.FoldingRange(start_line=start, end_line=end, kind=kind)

    docs = [doc for doc in ast.documents if doc.items]
    for doc in docs:
        for node in nodes.walk(doc):
            if isinstance(node, _FOLDED) or (isinstance(node, nodes.Str) and node.long):
                add(*_lines(analysis, node.span))
    for start, end in _comment_runs(analysis, ast):
        add(start, end, lsp.FoldingRangeKind.Comment)
    after = 0  # the last line of the document before
    for doc in docs if len(docs) > 1 else ():
        first, last = doc.items[0].span, doc.items[-1].span
        start = _separator(analysis, after, first.line)
        # From its `---` line; the first document only where nothing else starts.
        add(_line(analysis, start, 1), _line(analysis, last.end_line, last.end_column), lsp.FoldingRangeKind.Region,
            replace=False)
        after = last.end_line
    return [found[line] for line in sorted(found)]


def _line(analysis: Analysis, line: int, column: int) -> int:
    """The client's 0-based line of one of our positions."""
    return analysis.index.position(line, column).line


def _lines(analysis: Analysis, span: Span) -> tuple[int, int]:
    """The client's first and last lines of a node; the last one not when only
    the node's closing bracket (or `\"\"\"`) stands on it."""
    rng = analysis.index.range(span)
    end = rng.end.line
    closing = span.source.line(span.end_line)[: span.end_column - 1].strip()
    if span.end_line > span.line and closing in _CLOSERS:
        end -= 1
    return rng.start.line, end


def _separator(analysis: Analysis, after: int, line: int) -> int:
    """The `---` line between line `after` and a document starting on `line`
    (the document's own first line if there is none)."""
    for number in range(line - 1, after, -1):
        if analysis.source.line(number).rstrip(" \t") == "---":
            return number
    return line


def _comment_runs(analysis: Analysis, ast: nodes.File) -> Iterator[tuple[int, int]]:
    """Runs of two or more lines holding only a comment (outside `\"\"\"` strings), as client lines."""
    inside: set[int] = set()
    for doc in ast.documents:
        for node in nodes.walk(doc):
            if isinstance(node, nodes.Str) and node.long:
                inside.update(range(node.span.line + 1, node.span.end_line + 1))
    source = analysis.source
    run: list[int] = []
    for number in range(1, source.line_count + 2):
        if number <= source.line_count and number not in inside and source.line(number).lstrip().startswith("#"):
            run.append(number)
            continue
        if len(run) > 1:
            yield _line(analysis, run[0], 1), _line(analysis, run[-1], 1)
        run = []


def selection_ranges(analysis: Analysis, positions: Sequence[lsp.Position]) -> list[lsp.SelectionRange]:
    """For each position, the nested ranges around it, innermost first."""
    whole = analysis.index.whole()
    out = []
    for pos in positions:
        selection = lsp.SelectionRange(range=whole)
        for span in _around(analysis, *analysis.index.location(pos)):
            rng = analysis.index.range(span)
            if rng != selection.range:
                selection = lsp.SelectionRange(range=rng, parent=selection)
        out.append(selection)
    return out


def _around(analysis: Analysis, line: int, column: int) -> list[Span]:
    """The spans that hold a position, outermost first: the document's items,
    then each node down to the token."""
    ast = analysis.unit.ast
    if ast is None:
        return []
    for doc in ast.documents:
        if not doc.items:
            continue
        items = doc.items[0].span.to(doc.items[-1].span)
        if not items.contains(line, column):
            continue
        out = [items]
        node: nodes.Node | None = _child(doc, line, column)
        while node is not None:
            out.append(node.span)
            if isinstance(node, nodes.Path):
                out.extend(span for span in path_part_spans(node) if span.contains(line, column))
                break
            node = _child(node, line, column)
        return out
    return []


def _child(node: nodes.Node, line: int, column: int) -> nodes.Node | None:
    """The child of `node` that holds the position: one it lies strictly
    inside, else one that ends at it (a cursor just after a word)."""
    touching = None
    for child in node.children():
        span = child.span
        if span.contains(line, column):
            if (line, column) != (span.end_line, span.end_column):
                return child
            touching = touching or child
    return touching
