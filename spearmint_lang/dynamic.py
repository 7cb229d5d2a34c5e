"""The seed's `DynamicValue`: a value that stands for several values."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

T = TypeVar("T")

Json = Any
"""An arbitrary JSON value (str, int, float, bool, None, list, dict): what configs hold."""

Config = dict[str, Json]
"""One expanded configuration."""

Template = dict[Any, Json]
"""A config before expansion: its values may be `DynamicValue`, `Zip`,
`Variants` or `Where` at any depth, and keys may be the private slots under
which the compiler files `zip`, `variants` and `where` (never emitted)."""


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


class Slot:
    """A template key under which the compiler files a `zip`, `variants` or
    `where`: it can never collide with a user's key, and it is never emitted."""

    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label

    def __getstate__(self) -> str:
        return self.label

    def __setstate__(self, state: str) -> None:
        self.label = state

    def __repr__(self) -> str:
        return f"<{self.label}>"


class Zip:
    """Lists paired position by position: ONE axis, not a product.

    `Zip(provider=["openai", "anthropic"], model=["gpt-4", "claude-3-opus"])`
    stands under any key of a config dict; its keys are merged into that dict
    at its place (the key it stands under is not emitted). All lists must
    have the same length.
    """

    def __init__(self, columns: Mapping[str, Iterable[Json]] | None = None, **more: Iterable[Json]) -> None:
        self.columns: dict[str, Iterable[Json]] = dict(columns or {})
        self.columns.update(more)

    def __repr__(self) -> str:
        return f"Zip({self.columns!r})"


class Variants:
    """Alternatives (dicts, each with its own sweeps): ONE axis whose values
    are merged into the config at its place; the count is the sum of the
    alternatives' counts. Stands under any key, which is not emitted."""

    def __init__(self, alternatives: Iterable[Template]) -> None:
        self.alternatives: list[Template] = list(alternatives)

    def __repr__(self) -> str:
        return f"Variants({self.alternatives!r})"


class Where:
    """A filter: only configs for which `predicate(config)` is true are kept.

    Stands under any key of a top-level config dict (not emitted); several
    `Where`s must all hold. The predicate sees the config without its
    `config_id`.
    """

    def __init__(self, predicate: Callable[[Config], bool], text: str = "") -> None:
        self.predicate = predicate
        self.text = text

    def __repr__(self) -> str:
        return f"Where({self.text or self.predicate!r})"
