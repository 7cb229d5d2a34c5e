"""Formatting: one edit replacing the whole text with `mintc fmt`'s output."""

from __future__ import annotations

from lsprotocol import types as lsp

from ..errors import MintError
from ..fmt import format_unit
from .analysis import Analysis


def formatting(analysis: Analysis) -> list[lsp.TextEdit]:
    """The edit, or none when the text is already formatted or does not parse."""
    if not analysis.parses:
        return []
    try:
        new = format_unit(analysis.unit)
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
