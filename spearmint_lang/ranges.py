"""Exact numeric ranges: values computed from the literal text, never by
adding floats, so `0.0..2.0 step 0.1` holds exactly 0.3 as its fourth value.

A range is a lazy `Sequence`: it has a length and random access without ever
holding its values, which matters for sweeps of millions of values.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import overload


class LinearRange(Sequence[int | float]):
    """`size` values `start + i*step`, as ints or (correctly rounded) floats."""

    __slots__ = ("start", "step", "size", "is_float")

    def __init__(self, start: Fraction, step: Fraction, size: int, is_float: bool) -> None:
        self.start = start
        self.step = step
        self.size = size
        self.is_float = is_float

    def __len__(self) -> int:
        return self.size

    def value(self, index: int) -> int | float:
        """The value at `index` (0 <= index < size)."""
        exact = self.start + self.step * index
        if self.is_float:
            return float(exact)  # Fraction -> float is correctly rounded
        return int(exact)

    @overload
    def __getitem__(self, index: int) -> int | float: ...

    @overload
    def __getitem__(self, index: slice) -> list[int | float]: ...

    def __getitem__(self, index: int | slice) -> int | float | list[int | float]:
        if isinstance(index, slice):
            return [self.value(i) for i in range(*index.indices(self.size))]
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError("range index out of range")
        return self.value(index)

    def __iter__(self) -> Iterator[int | float]:
        if not self.is_float:
            start, step = int(self.start), int(self.step)
            return iter(range(start, start + step * self.size, step))
        return (self.value(i) for i in range(self.size))

    def __repr__(self) -> str:
        return f"LinearRange(start={self.start}, step={self.step}, size={self.size}, float={self.is_float})"


def linear(start: str, end: str, step: str | None) -> LinearRange:
    """The range `start..end step step` from literal texts (already checked).

    Raises ValueError with a user-facing reason when the range is empty or
    endless; the caller attaches the location.
    """
    is_float = any(_is_float(t) for t in (start, end, step) if t is not None)
    if step is None and is_float:
        raise ValueError("float-without-step")
    a, b = Fraction(start), Fraction(end)
    s = Fraction(step) if step is not None else Fraction(1)
    if s == 0:
        raise ValueError("zero-step")
    if a != b and (b - a > 0) != (s > 0):
        raise ValueError("step-away")
    count = (b - a) // s + 1
    return LinearRange(a, s, int(count), is_float)


def _is_float(text: str) -> bool:
    """A literal with `.` or an exponent is a float."""
    return any(ch in text for ch in ".eE")
