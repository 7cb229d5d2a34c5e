"""Our diagnostics as LSP diagnostics of one open document.

A mistake inside a file this one extends is shown on the `extends` that
brings it in, with a link to its real place.
"""

from __future__ import annotations

import os

from lsprotocol import types as lsp

from .. import nodes
from ..errors import Diagnostic
from ..loader import identity
from ..source import Span
from .analysis import Analysis, file_uri

SOURCE = "mintc"

_SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
}


def _same_file(a: str, b: str) -> bool:
    if a == b:
        return True
    if a.startswith("<") or b.startswith("<"):
        return False
    return identity(a) == identity(b)


def in_document(analysis: Analysis, span: Span) -> bool:
    """Whether a span lies in this document's own text (not in a file it extends)."""
    return span.source is analysis.source or _same_file(span.file, analysis.source.path)


def _other_file_range(analysis: Analysis, path: str) -> lsp.Range:
    """Where to show a mistake found in another file: the `extends` (or `import`) that brings it in."""
    found = [it for doc in analysis.documents() for it in doc.items if isinstance(it, (nodes.Extends, nodes.Import))]
    for ext in found:
        target = analysis.extends_target(ext)
        if target is not None and _same_file(target, path):
            return analysis.index.range(ext.path.span)
    if found:
        return analysis.index.range(found[0].path.span)
    start = lsp.Position(line=0, character=0)
    return lsp.Range(start=start, end=start)


def _related(analysis: Analysis, diag: Diagnostic) -> list[lsp.DiagnosticRelatedInformation]:
    out = []
    for rel in diag.related:
        uri = analysis.uri if in_document(analysis, rel.span) else file_uri(rel.span.file)
        rng = analysis.index_of(rel.span.source).range(rel.span)
        if uri is not None:
            out.append(lsp.DiagnosticRelatedInformation(location=lsp.Location(uri=uri, range=rng), message=rel.message))
    return out


def to_lsp(analysis: Analysis, diag: Diagnostic) -> lsp.Diagnostic:
    """One of our diagnostics as an LSP diagnostic of this document."""
    message = diag.message
    related = _related(analysis, diag)
    if in_document(analysis, diag.span):
        rng = analysis.index.range(diag.span)
    else:
        rng = _other_file_range(analysis, diag.span.file)
        where = f"{os.path.basename(diag.span.file)}:{diag.span.line}:{diag.span.column}"
        message = f"in {where}: {message}"
        uri = file_uri(diag.span.file)
        if uri is not None:
            there = analysis.index_of(diag.span.source).range(diag.span)
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


def diagnostics(analysis: Analysis) -> list[lsp.Diagnostic]:
    """Every mistake `mintc check` reports for this text."""
    return [to_lsp(analysis, d) for d in analysis.unit.diagnostics]
