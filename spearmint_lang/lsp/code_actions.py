"""Code actions: the quick fixes of the diagnostics under the cursor.

A fix is made by the compiler at the place its hint is made (`errors.Fix`,
carried by each `Diagnostic`), so the action applies exactly what the hint
says. Only mistakes in this document's own text get actions, and only
fixes whose edits all lie in it: a mistake found in a file this one
extends is fixed there.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp

from ..errors import Diagnostic, Fix
from ..source import Span
from .analysis import Analysis
from .diagnostics import in_document, to_lsp

_KIND = lsp.CodeActionKind.QuickFix


def _wanted(only: Sequence[lsp.CodeActionKind | str] | None) -> bool:
    """Whether the client's `only` filter lets quick fixes through (kinds
    are hierarchical: `quickfix` passes `quickfix` and the empty kind)."""
    if not only:
        return True
    kinds = [kind.value if isinstance(kind, lsp.CodeActionKind) else kind for kind in only]
    return any(not kind or kind == _KIND.value or _KIND.value.startswith(kind + ".") for kind in kinds)


def _requested(analysis: Analysis, rng: lsp.Range) -> Span:
    """The requested range as a span of the compiled text."""
    line, column = analysis.index.location(rng.start)
    end_line, end_column = analysis.index.location(rng.end)
    if (end_line, end_column) < (line, column):
        end_line, end_column = line, column
    return Span(analysis.source, line, column, end_line, end_column)


def _own(analysis: Analysis, diag: Diagnostic) -> list[Fix]:
    """The fixes of a diagnostic of this text that edit only this text."""
    if not in_document(analysis, diag.span):
        return []
    return [fix for fix in diag.fixes if fix.edits and all(in_document(analysis, e.span) for e in fix.edits)]


def _action(analysis: Analysis, fix: Fix, diagnostic: lsp.Diagnostic, preferred: bool) -> lsp.CodeAction:
    """One fix as a quick fix editing this document (in its own line endings)."""
    crlf = "\r\n" in analysis.text
    edits = [lsp.TextEdit(range=analysis.index.range(edit.span),
                          new_text=edit.text.replace("\n", "\r\n") if crlf else edit.text)
             for edit in fix.edits]
    return lsp.CodeAction(
        title=fix.title,
        kind=_KIND,
        diagnostics=[diagnostic],
        is_preferred=preferred,
        edit=lsp.WorkspaceEdit(changes={analysis.uri: edits}),
    )


def code_actions(analysis: Analysis, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    """The quick fixes of the diagnostics that overlap the requested range,
    in source order; a diagnostic's only fix is preferred."""
    if not _wanted(params.context.only):
        return []
    requested = _requested(analysis, params.range)
    out: list[lsp.CodeAction] = []
    for diag in analysis.unit.diagnostics:
        fixes = _own(analysis, diag)
        if not fixes or not diag.span.overlaps(requested):
            continue
        diagnostic = to_lsp(analysis, diag)
        out.extend(_action(analysis, fix, diagnostic, len(fixes) == 1) for fix in fixes)
    return out
