"""Source texts and spans: the one place where positions are computed.

Every later stage points back into the text through a `Span`, so the
normalisation done here (BOM, CRLF) must keep line and column numbers equal
to what the user sees in their editor. Lines and columns are 1-based and
count code points; a span's end is exclusive. Offsets are 0-based indices
into `Source.text`. Nothing else converts between the two.
"""

from __future__ import annotations

import bisect
import re

import attrs

_NEWLINE = re.compile("\n")


@attrs.define(eq=False)
class Source:
    """One decoded `.mint` text and the name it is reported under."""

    path: str
    text: str
    _starts: list[int] | None = attrs.field(default=None, init=False, repr=False)

    @property
    def starts(self) -> list[int]:
        """The offset at which each line begins."""
        if self._starts is None:
            starts = [0]
            starts.extend(m.end() for m in _NEWLINE.finditer(self.text))
            self._starts = starts
        return self._starts

    @property
    def line_count(self) -> int:
        """How many lines the text has (an empty text has one)."""
        return len(self.starts)

    def line(self, number: int) -> str:
        """Line `number` (1-based) without its line ending, or ''."""
        starts = self.starts
        if not 1 <= number <= len(starts):
            return ""
        end = starts[number] - 1 if number < len(starts) else len(self.text)
        return self.text[starts[number - 1] : end]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of character `offset`."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def offset(self, line: int, column: int) -> int:
        """The character offset of a 1-based line and column (clamped to the text)."""
        starts = self.starts
        if line < 1:
            return 0
        if line > len(starts):
            return len(self.text)
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return min(starts[line - 1] + max(column, 1) - 1, end)

    def span(self, start: int, end: int | None = None) -> Span:
        """The span of offsets `start` to `end` (one character when `end` is None)."""
        line, column = self.position(start)
        if end is None or end <= start:
            return Span(self, line, column, line, column + 1)
        end_line, end_column = self.position(end)
        return Span(self, line, column, end_line, end_column)

    def at(self, line: int, column: int, width: int = 1) -> Span:
        """A span of `width` characters on one line."""
        return Span(self, line, column, line, column + max(1, width))

    def text_of(self, span: Span) -> str:
        """The text a span of this source covers."""
        return self.text[self.offset(span.line, span.column) : self.offset(span.end_line, span.end_column)]

    def start(self) -> Span:
        """The empty span at the beginning, for mistakes that have no place of their own."""
        return Span(self, 1, 1, 1, 1)


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

    @property
    def text(self) -> str:
        """The source text this span covers."""
        return self.source.text_of(self)

    def to(self, other: Span) -> Span:
        """The span from the start of `self` to the end of `other`."""
        return Span(self.source, self.line, self.column, other.end_line, other.end_column)

    def contains(self, line: int, column: int) -> bool:
        """Whether (line, column) lies in the span, its end included (a cursor just after a word)."""
        return (self.line, self.column) <= (line, column) <= (self.end_line, self.end_column)

    def overlaps(self, other: Span) -> bool:
        """Whether two spans share a position (ends included)."""
        return (self.line, self.column) <= (other.end_line, other.end_column) and (
            other.line, other.column) <= (self.end_line, self.end_column)

    def first_char(self) -> Span:
        """The first character of the span."""
        return Span(self.source, self.line, self.column, self.line, self.column + 1)


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
