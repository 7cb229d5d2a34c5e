"""Code lens: `N configs` at the first line of each document (when the file compiles)."""

from __future__ import annotations

from lsprotocol import types as lsp

from .analysis import Analysis, count_text


def code_lenses(analysis: Analysis) -> list[lsp.CodeLens]:
    """One lens per document with configs, counted as `mintc count` counts."""
    out = []
    for doc in analysis.documents():
        found = analysis.count_of(doc)
        if found is None:
            continue
        first = analysis.index.position(doc.items[0].span.line, 1)
        out.append(lsp.CodeLens(
            range=lsp.Range(start=first, end=first),
            command=lsp.Command(title=count_text(found[1]), command=""),
        ))
    return out
