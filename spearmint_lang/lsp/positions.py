"""Positions in the client's encoding: the one place that converts.

Our spans are 1-based lines and columns counted in code points (end
exclusive), on the text after `normalise` (BOM dropped, CRLF read as LF);
LSP positions are 0-based lines and characters counted in the code units
the client and server agreed on (UTF-16 unless the client offers another).
"""

from __future__ import annotations

from lsprotocol import types as lsp

from ..source import Source, Span, normalise


def units(text: str, encoding: str) -> int:
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
        self.source = Source("", normalise(text))
        self.encoding = encoding

    def _line(self, index: int) -> str:
        return self.source.line(index + 1)

    def position(self, line: int, column: int) -> lsp.Position:
        """1-based line and code-point column to an LSP position (clamped to the text)."""
        count = self.source.line_count
        if line < 1:
            return lsp.Position(line=0, character=0)
        if line > count:
            last = count - 1
            return lsp.Position(line=last, character=self._character(last, len(self._line(last))))
        index = line - 1
        text = self._line(index)
        return lsp.Position(line=index, character=self._character(index, min(max(column - 1, 0), len(text))))

    def _character(self, index: int, chars: int) -> int:
        lead = 1 if (self.bom and index == 0) else 0
        return lead + units(self._line(index)[:chars], self.encoding)

    def range(self, span: Span) -> lsp.Range:
        """A span (end exclusive) to an LSP range."""
        start = self.position(span.line, span.column)
        end = self.position(span.end_line, span.end_column)
        if (end.line, end.character) < (start.line, start.character):
            end = start
        return lsp.Range(start=start, end=end)

    def location(self, pos: lsp.Position) -> tuple[int, int]:
        """An LSP position to our 1-based line and code-point column."""
        index = min(max(pos.line, 0), self.source.line_count - 1)
        text = self._line(index)
        want = pos.character - (1 if (self.bom and index == 0) else 0)
        used = 0
        for offset, ch in enumerate(text):
            if used >= want:
                return index + 1, offset + 1
            used += units(ch, self.encoding)
        return index + 1, len(text) + 1

    def whole(self) -> lsp.Range:
        """The range of the whole text."""
        last = self.source.line_count - 1
        end = lsp.Position(line=last, character=self._character(last, len(self._line(last))))
        return lsp.Range(start=lsp.Position(line=0, character=0), end=end)
