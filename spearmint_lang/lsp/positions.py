"""Positions in the client's terms: the one place that converts.

Our spans are 1-based lines and columns counted in code points (end
exclusive), on the text after `normalise` (BOM dropped, CR LF read as LF; a
lone CR is an ordinary character of its line). LSP positions are 0-based
lines and characters counted in the code units the client and server agreed
on (UTF-16 unless the client offers another), and LSP ends a line at LF,
CR LF *or a lone CR*.

Both sides are offsets into one text, the normalised one: `Source` converts
our lines and columns to and from offsets, and a second `Source` over the
same text with every CR turned into LF (one character for one, so offsets
agree) does the same for the client's lines. After `normalise`, every CR
left was a lone CR in the editor, and every LF was an LF or a CR LF: each is
one line ending to LSP, even where a lone CR stands just before a CR LF.

A BOM the editor kept is a character of the client's line 0 but not of ours.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from ..source import Source, Span, normalise

_BOM = "\ufeff"


def encoding_of(negotiated: object) -> str:
    """The position encoding's name (`utf-8`, `utf-16`, `utf-32`) from what pygls
    negotiated: a `PositionEncodingKind`, a plain string, or nothing (UTF-16)."""
    if isinstance(negotiated, lsp.PositionEncodingKind):
        return negotiated.value
    if isinstance(negotiated, str) and negotiated:
        return negotiated
    return lsp.PositionEncodingKind.Utf16.value


def units(text: str, encoding: str) -> int:
    """How many code units `text` takes in the negotiated position encoding."""
    if encoding == lsp.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == lsp.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", errors="surrogatepass"))
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


class LineIndex:
    """Converts between our spans and LSP positions for one text.

    `text` is the text as the editor has it (or a `Source`'s text, already
    normalised); `encoding` is the negotiated position encoding.
    """

    def __init__(self, text: str, encoding: str = lsp.PositionEncodingKind.Utf16) -> None:
        self.bom = text.startswith(_BOM)
        self.source = Source("", normalise(text))
        # The client's lines over the same offsets: every CR left is a line ending of its own.
        self.client = Source("", self.source.text.replace("\r", "\n"))
        self.encoding = encoding
        self._lead = units(_BOM, encoding) if self.bom else 0

    def _lead_of(self, index: int) -> int:
        """Code units before the text of the client's line `index` (the BOM on line 0)."""
        return self._lead if index == 0 else 0

    def _at(self, offset: int) -> lsp.Position:
        """The LSP position of an offset into the normalised text."""
        line, column = self.client.position(offset)
        index = line - 1
        start = self.client.starts[index]
        before = self.client.text[start : start + column - 1]
        return lsp.Position(line=index, character=self._lead_of(index) + units(before, self.encoding))

    def position(self, line: int, column: int) -> lsp.Position:
        """1-based line and code-point column to an LSP position (clamped to the text)."""
        return self._at(self.source.offset(line, column))

    def range(self, span: Span) -> lsp.Range:
        """A span (end exclusive) to an LSP range."""
        start = self.position(span.line, span.column)
        end = self.position(span.end_line, span.end_column)
        if (end.line, end.character) < (start.line, start.character):
            end = start
        return lsp.Range(start=start, end=end)

    def location(self, pos: lsp.Position) -> tuple[int, int]:
        """An LSP position to our 1-based line and code-point column (clamped to
        the text; a character past the end of its line stops at the line's end)."""
        index = min(max(pos.line, 0), self.client.line_count - 1)
        text = self.client.line(index + 1)
        want = pos.character - self._lead_of(index)
        column = len(text) + 1
        used = 0
        for at, ch in enumerate(text):
            if used >= want:
                column = at + 1
                break
            used += units(ch, self.encoding)
        return self.source.position(self.client.offset(index + 1, column))

    def whole(self) -> lsp.Range:
        """The range of the whole text, as the client counts its lines."""
        return lsp.Range(start=lsp.Position(line=0, character=0), end=self._at(len(self.source.text)))
