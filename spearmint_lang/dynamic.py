"""The seed's `DynamicValue`: a value that stands for several values."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class DynamicValue(Generic[T]):
    """Represents a value that generates multiple configurations at runtime.

    Identical in use to `spearmint.configuration.DynamicValue`: wrap any
    iterable (list, range, generator, ...) and place it anywhere in a
    config dict; `spearmint_lang.expand` takes the Cartesian product.
    """

    def __init__(self, values: Iterable[T]) -> None:
        """Initialize with an iterable of values."""
        self.values: Iterable[T] = values

    def __iter__(self) -> Iterator[T]:
        return iter(self.values)

    def __repr__(self) -> str:
        return f"DynamicValue({self.values!r})"
