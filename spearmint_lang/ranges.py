"""Exact numeric ranges: values computed from the literal text, never by
adding floats, so `0.0..2.0 step 0.1` holds exactly 0.3 as its fourth value.

A range is a lazy `Sequence`: it has a length and random access without ever
holding its values, which matters for sweeps of millions of values.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
import math
from math import gcd as _gcd
from typing import TypeVar, overload


T = TypeVar("T")


class Indexed(Sequence[T]):
    """A sequence whose values are computed by index (`value(i)`), never
    held; its `size` may exceed `sys.maxsize`, where `len()` fails."""

    __slots__ = ()
    size: int

    def __len__(self) -> int:
        return self.size

    def __bool__(self) -> bool:
        return self.size > 0  # `len()` would fail past `sys.maxsize`

    def value(self, index: int) -> T:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self.value(i) for i in range(*index.indices(self.size))]
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError("index out of range")
        return self.value(index)

    def __iter__(self) -> Iterator[T]:
        return (self.value(i) for i in range(self.size))


class LinearRange(Indexed[int | float]):
    """`size` values `start + i*step`, as ints or (correctly rounded) floats."""

    __slots__ = ("start", "step", "size", "is_float", "_num", "_inc", "_den")

    def __init__(self, start: Fraction, step: Fraction, size: int, is_float: bool) -> None:
        self.start = start
        self.step = step
        self.size = size
        self.is_float = is_float
        # value i = (num + i*inc) / den in integers: exact, and fast.
        den = start.denominator * step.denominator // _gcd(start.denominator, step.denominator)
        self._num = start.numerator * (den // start.denominator)
        self._inc = step.numerator * (den // step.denominator)
        self._den = den

    def value(self, index: int) -> int | float:
        """The value at `index` (0 <= index < size)."""
        top = self._num + self._inc * index
        if self.is_float:
            return top / self._den  # int / int is correctly rounded
        return top // self._den

    def __iter__(self) -> Iterator[int | float]:
        if not self.is_float and self._den == 1:
            return iter(range(self._num, self._num + self._inc * self.size, self._inc))
        return (self.value(i) for i in range(self.size))

    def __repr__(self) -> str:
        return f"LinearRange(start={self.start}, step={self.step}, size={self.size}, float={self.is_float})"


def exact(text: str) -> Fraction:
    """The exact value of a number literal. A zero with a huge exponent
    (`0e999999999`) is 0 without computing 10**999999999; the builder has
    already refused any other literal whose float overflows or underflows."""
    if _is_float(text) and float(text) == 0.0:
        return Fraction(0)
    return Fraction(text)


def _distinct(r: LinearRange) -> LinearRange:
    """A float range whose neighbours round to the same float would give
    identical configs: refused ("too-fine")."""
    if not r.is_float or r.size < 2:
        return r
    largest = max(abs(r.value(0)), abs(r.value(r.size - 1)))
    if abs(float(r.step)) < math.ulp(largest) or r.value(0) == r.value(1) or r.value(r.size - 2) == r.value(r.size - 1):
        raise ValueError("too-fine")
    return r


def finest_step(r: LinearRange) -> float:
    """The smallest step a float range with these bounds can take (for hints)."""
    return math.ulp(max(abs(r.value(0)), abs(r.value(r.size - 1))))


def linear(start: str, end: str, step: str | None, exclusive: bool = False) -> LinearRange:
    """The range `start..end step step` (or `..<`) from literal texts.

    Raises ValueError with a reason key when the range is empty or endless;
    the caller attaches the location and the message.
    """
    is_float = any(_is_float(t) for t in (start, end, step) if t is not None)
    if step is None and is_float:
        raise ValueError("float-without-step")
    a, b = exact(start), exact(end)
    s = exact(step) if step is not None else Fraction(1)
    if s == 0:
        raise ValueError("zero-step")
    if a != b and (b - a > 0) != (s > 0):
        raise ValueError("step-away")
    if exclusive:
        count = -((a - b) // s)  # ceil((b - a) / s): values strictly before b
        if count <= 0:
            raise ValueError("empty")
    else:
        count = (b - a) // s + 1
    return _distinct(LinearRange(a, s, int(count), is_float))


def counted(start: str, end: str, n: str, exclusive: bool = False) -> LinearRange:
    """`start..end count n`: n evenly spaced values, both ends included
    (with `..<`, the end excluded). Ints when the bounds are ints and the
    spacing is whole; floats otherwise."""
    if _is_float(n) or int(n) < 1:
        raise ValueError("bad-count")
    k = int(n)
    a, b = exact(start), exact(end)
    if exclusive:
        s = (b - a) / k
    elif k == 1:
        if a != b:
            raise ValueError("count-one")
        s = Fraction(1)
    else:
        s = (b - a) / (k - 1)
    if s == 0 and k > 1:
        raise ValueError("zero-step")
    is_float = _is_float(start) or _is_float(end) or s.denominator != 1
    return _distinct(LinearRange(a, s, k, is_float))


_MAX_GEOMETRIC = 10_000


def geometric(start: str, end: str, factor: str, exclusive: bool = False) -> list[int | float]:
    """`start..end step *k`: start, start*k, start*k**2, ... up to end,
    each computed exactly and rounded once."""
    is_float = any(_is_float(t) for t in (start, end, factor))
    a, b, k = exact(start), exact(end), exact(factor)
    if k <= 0 or k == 1:
        raise ValueError("bad-factor")
    if a == 0 or (a > 0) != (b > 0):
        raise ValueError("bad-geometric-start")
    growing = abs(b) > abs(a)
    if a != b and growing != (k > 1):
        raise ValueError("step-away")
    if a != b:  # how many values, decided before any exact arithmetic
        per_step = abs(_log(k))
        if per_step == 0.0 or abs(_log(abs(b / a))) / per_step > _MAX_GEOMETRIC:
            raise ValueError("too-many")
    values: list[Fraction] = []
    v = a
    while (abs(v) <= abs(b)) if growing or a == b else (abs(v) >= abs(b)):
        if exclusive and v == b:
            break
        values.append(v)
        if len(values) > _MAX_GEOMETRIC:
            raise ValueError("too-many")
        v *= k
        if a == b:
            break
    if not values:
        raise ValueError("empty")
    if is_float or any(x.denominator != 1 for x in values):
        floats = [float(x) for x in values]
        if any(p == q for p, q in zip(floats, floats[1:])):
            raise ValueError("too-fine")
        return floats
    return [int(x) for x in values]


def _log(x: Fraction) -> float:
    """The natural logarithm of a positive fraction of any size, precise near 1."""
    if abs(x - 1) < Fraction(1, 2):
        return math.log1p(float(x - 1))
    return math.log(x.numerator) - math.log(x.denominator)


def from_texts(texts: list[str], counted_by: bool, by_factor: bool, exclusive: bool) -> Sequence[int | float]:
    """Any range form from its literal texts [start, end, (step|k|n)]:
    `count n`, `step *k` or a plain/stepped range (ValueError as above)."""
    third = texts[2] if len(texts) > 2 else None
    if counted_by:
        assert third is not None
        return counted(texts[0], texts[1], third, exclusive)
    if by_factor:
        assert third is not None
        return geometric(texts[0], texts[1], third, exclusive)
    return linear(texts[0], texts[1], third, exclusive)


def _is_float(text: str) -> bool:
    """A literal with `.` or an exponent is a float."""
    return any(ch in text for ch in ".eE")
