"""Random access to a sweep's configs: `len`, indexing, slicing, shards.

A document's configs are the mixed-radix numbers over its axes (the last
axis is the fastest digit), so config *i* is computed from *i* alone and a
slice costs in proportion to its own size. A document with `where` filters
is scanned once, on first use, to find which indices it keeps.
"""

from __future__ import annotations

import bisect
import itertools
import os
from array import array
from collections.abc import Iterator, Sequence
from typing import overload

from .dynamic import Config, Json, Template
from .expand import axes, choices, fill, keeps, product_from, size_of, wheres, with_id


class Space:
    """One document: its axes' values and the mixed-radix index over them."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.axes = axes(template)
        self.choices: list[Sequence[Json]] = [choices(a) for a in self.axes]
        self.sizes = [size_of(c) for c in self.choices]
        self.wheres = wheres(template)
        self.total = 1
        for size in self.sizes:
            self.total *= size
        self._kept: array[int] | None = None

    def digits(self, index: int) -> list[int]:
        """The per-axis value indices of unfiltered config `index`."""
        out = [0] * len(self.sizes)
        for pos in range(len(self.sizes) - 1, -1, -1):
            index, out[pos] = divmod(index, self.sizes[pos])
        return out

    def build(self, digits: list[int]) -> Config:
        """The config (without filtering) at the given digits."""
        return with_id(fill(self.template, (self.choices[a][d] for a, d in enumerate(digits))))

    def kept(self) -> array[int]:
        """Unfiltered indices of the configs that pass `where` (one scan)."""
        if self._kept is None:
            kept = array("Q")
            for index, combo in enumerate(product_from(self.choices)):
                if keeps(self.wheres, fill(self.template, iter(combo))):
                    kept.append(index)
            self._kept = kept
        return self._kept

    @property
    def size(self) -> int:
        """The number of configs this document writes (after `where`)."""
        return len(self.kept()) if self.wheres else self.total

    def iter_unfiltered(self, start: int, stop: int) -> Iterator[Config]:
        """Configs `start..stop-1` of the unfiltered space, odometer order."""
        if start >= stop:
            return
        for combo in itertools.islice(product_from(self.choices, self.digits(start)), stop - start):
            yield with_id(fill(self.template, iter(combo)))

    def iter_range(self, start: int, stop: int) -> Iterator[Config]:
        """Configs `start..stop-1` of the document's output (after `where`)."""
        if not self.wheres:
            yield from self.iter_unfiltered(start, stop)
            return
        for index in self.kept()[start:stop]:
            yield self.build(self.digits(index))

    def at(self, index: int) -> Config:
        """Config `index` of the document's output."""
        if self.wheres:
            index = self.kept()[index]
        return self.build(self.digits(index))


class Sweep(Sequence[Config]):
    """The configs of a `.mint` file (or of DynamicValue dicts), like
    scikit-learn's `ParameterGrid`: `len()`, `sweep[i]`, slices, iteration
    and `shard(k, n)`, all without expanding what is not asked for."""

    def __init__(self, source: str | os.PathLike[str] | list[Template], start: int = 0, stop: int | None = None) -> None:
        if isinstance(source, (str, os.PathLike)):
            from .compiler import compile_file

            templates = compile_file(source).templates()
        else:
            templates = list(source)
        self._spaces = [Space(t) for t in templates]
        self._offsets = [0]
        for space in self._spaces:
            self._offsets.append(self._offsets[-1] + space.size)
        full = self._offsets[-1]
        self._start = max(0, min(start, full))
        self._stop = full if stop is None else max(self._start, min(stop, full))

    @classmethod
    def from_text(cls, text: str, path: str = "<string>") -> Sweep:
        """A sweep from `.mint` source text."""
        from .compiler import compile_text

        return cls(compile_text(text, path).templates())

    def _view(self, start: int, stop: int) -> Sweep:
        view = object.__new__(Sweep)
        view._spaces = self._spaces
        view._offsets = self._offsets
        view._start, view._stop = start, stop
        return view

    def __len__(self) -> int:
        return self._stop - self._start

    @property
    def size(self) -> int:
        """The number of configs, also beyond `sys.maxsize` (where `len()` fails)."""
        return self._stop - self._start

    @overload
    def __getitem__(self, index: int) -> Config: ...

    @overload
    def __getitem__(self, index: slice) -> Sweep: ...

    def __getitem__(self, index: int | slice) -> Config | Sweep:
        if isinstance(index, slice):
            start, stop, step = index.indices(self.size)
            if step != 1:
                raise ValueError("a Sweep slice takes a step of 1; use list(sweep)[::k] for others")
            return self._view(self._start + start, self._start + max(start, stop))
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError("sweep index out of range")
        absolute = self._start + index
        doc = bisect.bisect_right(self._offsets, absolute) - 1
        return self._spaces[doc].at(absolute - self._offsets[doc])

    def segments(self) -> Iterator[tuple[Space, int, int]]:
        """(document, local start, local stop) pieces covering this view."""
        for doc, space in enumerate(self._spaces):
            lo = max(self._start, self._offsets[doc])
            hi = min(self._stop, self._offsets[doc + 1])
            if lo < hi:
                yield space, lo - self._offsets[doc], hi - self._offsets[doc]

    def __iter__(self) -> Iterator[Config]:
        for space, lo, hi in self.segments():
            yield from space.iter_range(lo, hi)

    def shard(self, k: int, n: int) -> Sweep:
        """The k-th (1-based) of n contiguous, near-equal slices."""
        if not (isinstance(n, int) and isinstance(k, int) and 1 <= k <= n):
            raise ValueError("shard(k, n) needs 1 <= k <= n")
        size = self.size
        return self._view(self._start + size * (k - 1) // n, self._start + size * k // n)

    def counts(self) -> list[int]:
        """The number of configs of each document (after `where`)."""
        return [self._offsets[i + 1] - self._offsets[i] for i in range(len(self._spaces))]

    def __repr__(self) -> str:
        return f"Sweep({self.size} configs)"
