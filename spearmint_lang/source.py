"""Source files: decoding, line lookup and spans.

Every later stage points back into the text through a `Span`, so the
normalisation done here (BOM, CRLF) must keep line and column numbers equal
to what the user sees in their editor.
"""

from __future__ import annotations

import attrs


@attrs.define(eq=False)
class Source:
    """One decoded `.mint` text and the name it is reported under."""

    path: str
    text: str
    _lines: list[str] | None = attrs.field(default=None, init=False, repr=False)

    def line(self, number: int) -> str:
        """Return line `number` (1-based) without its line ending, or ''."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        if 1 <= number <= len(self._lines):
            return self._lines[number - 1]
        return ""


@attrs.frozen
class Span:
    """A range of source text: 1-based lines and columns, end exclusive."""

    source: Source = attrs.field(eq=False, repr=False)
    line: int
    column: int
    end_line: int
    end_column: int

    @property
    def file(self) -> str:
        """The path this span is reported under."""
        return self.source.path

    def to(self, other: Span) -> Span:
        """The span from the start of `self` to the end of `other`."""
        return Span(self.source, self.line, self.column, other.end_line, other.end_column)


def normalise(text: str) -> str:
    """Drop a leading BOM and turn CRLF into LF.

    Both keep line and column numbers intact: the BOM is invisible in editors
    and `\\r` only ever sits at the end of a line.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text


def position_of(text: str, offset: int) -> tuple[int, int]:
    """Line and column (1-based) of character `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1
