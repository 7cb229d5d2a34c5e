"""Random access to a sweep's configs: `len`, indexing, slicing, shards.

A document's configs are the mixed-radix numbers over its axes (the last
axis is the fastest digit), so config *i* is computed from *i* alone and a
slice costs in proportion to its own size. A document with `where` is
streamed through its filter when it is written whole; finding its size or
where its k-th config is takes one scan, which keeps only every 1,024th
kept position (flat memory), and is refused beyond `WHERE_SCAN_LIMIT`
combinations.
"""

from __future__ import annotations

import bisect
import itertools
import os
from array import array
from collections.abc import Iterator, Sequence
from typing import overload

from .dynamic import Config, Json, Template
from .expand import WHERE_SCAN_LIMIT, axes, choices, fill, keeps, product_from, size_of, wheres, with_id

_STRIDE = 1024  # one kept position in this many is remembered


class TooManyCombinations(ValueError):
    """Finding the configs a `where` keeps would test too many combinations."""


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
        self._kept: int | None = None  # configs kept by `where`, once scanned
        self._marks: array[int] = array("Q")  # the position of every _STRIDE-th kept config

    def digits(self, index: int) -> list[int]:
        """The per-axis value indices of unfiltered config `index`."""
        out = [0] * len(self.sizes)
        for pos in range(len(self.sizes) - 1, -1, -1):
            index, out[pos] = divmod(index, self.sizes[pos])
        return out

    def build(self, digits: list[int]) -> Config:
        """The config (without filtering) at the given digits."""
        return with_id(fill(self.template, (self.choices[a][d] for a, d in enumerate(digits))))

    @property
    def known(self) -> bool:
        """Whether `size` is known without a scan."""
        return not self.wheres or self._kept is not None

    @property
    def size(self) -> int:
        """The number of configs this document writes (after `where`)."""
        if not self.wheres:
            return self.total
        if self._kept is None:
            self._scan()
        assert self._kept is not None
        return self._kept

    def _scan(self) -> None:
        """Count the kept configs, remembering every _STRIDE-th position."""
        if self.total > WHERE_SCAN_LIMIT:
            raise TooManyCombinations(
                f"this `where` would have to test {self.total:,} combinations; at most {WHERE_SCAN_LIMIT:,} are tested")
        kept = 0
        marks: array[int] = array("Q")
        for index, combo in enumerate(product_from(self.choices)):
            if keeps(self.wheres, fill(self.template, iter(combo))):
                if kept % _STRIDE == 0:
                    marks.append(index)
                kept += 1
        self._kept, self._marks = kept, marks

    def iter_unfiltered(self, start: int, stop: int) -> Iterator[Config]:
        """Configs `start..stop-1` of the unfiltered space, odometer order."""
        if start >= stop:
            return
        for combo in itertools.islice(product_from(self.choices, self.digits(start)), stop - start):
            yield with_id(fill(self.template, iter(combo)))

    def _kept_from(self, raw: int) -> Iterator[Config]:
        """The kept configs from unfiltered position `raw` on (no ids yet)."""
        if raw >= self.total:
            return
        for combo in product_from(self.choices, self.digits(raw)):
            config = fill(self.template, iter(combo))
            if keeps(self.wheres, config):
                yield config

    def iter_range(self, start: int, stop: int | None = None) -> Iterator[Config]:
        """Configs `start..stop-1` of the document's output (after `where`;
        `stop` None: to the end)."""
        if not self.wheres:
            yield from self.iter_unfiltered(start, self.total if stop is None else min(stop, self.total))
            return
        if start == 0 and stop is None:  # the whole document: streamed, nothing remembered
            for config in self._kept_from(0):
                yield with_id(config)
            return
        end = self.size if stop is None else min(stop, self.size)
        if start >= end:
            return
        found = self._kept_from(self._marks[start // _STRIDE])
        for config in itertools.islice(found, start % _STRIDE, start % _STRIDE + end - start):
            yield with_id(config)

    def at(self, index: int) -> Config:
        """Config `index` of the document's output."""
        if not self.wheres:
            return self.build(self.digits(index))
        return next(self.iter_range(index, index + 1))


class _Documents:
    """The documents of a sweep and where each begins in its output; views
    share it, so a scan is done once."""

    def __init__(self, spaces: list[Space]) -> None:
        self.spaces = spaces
        self._offsets: list[int] | None = None

    @property
    def offsets(self) -> list[int]:
        if self._offsets is None:
            offsets = [0]
            for space in self.spaces:
                offsets.append(offsets[-1] + space.size)
            self._offsets = offsets
        return self._offsets


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
        self._docs = _Documents([Space(t) for t in templates])
        self._start = max(0, start)
        self._stop = stop

    @property
    def _spaces(self) -> list[Space]:
        return self._docs.spaces

    @classmethod
    def from_text(cls, text: str, path: str = "<string>") -> Sweep:
        """A sweep from `.mint` source text."""
        from .compiler import compile_text

        return cls(compile_text(text, path).templates())

    def _view(self, start: int, stop: int) -> Sweep:
        view = object.__new__(Sweep)
        view._docs = self._docs
        view._start, view._stop = start, stop
        return view

    def _bounds(self) -> tuple[int, int]:
        """This view's absolute start and stop, clamped to the whole."""
        full = self._docs.offsets[-1]
        start = min(self._start, full)
        stop = full if self._stop is None else max(start, min(self._stop, full))
        return start, stop

    @property
    def whole(self) -> bool:
        """Whether this is the whole sweep (which iterates without a scan)."""
        return self._start == 0 and self._stop is None

    def __len__(self) -> int:
        return self.size

    @property
    def size(self) -> int:
        """The number of configs, also beyond `sys.maxsize` (where `len()` fails)."""
        start, stop = self._bounds()
        return stop - start

    @property
    def known_size(self) -> int | None:
        """The number of configs if it is known without scanning a `where`."""
        if self._docs._offsets is None and not all(space.known for space in self._spaces):
            return None
        return self.size

    @property
    def size_bound(self) -> int:
        """An upper bound of the size, without scanning: `where` counted as keeping everything."""
        if self.known_size is not None:
            return self.size
        return sum(space.total for space in self._spaces)

    @overload
    def __getitem__(self, index: int) -> Config: ...

    @overload
    def __getitem__(self, index: slice) -> Sweep: ...

    def __getitem__(self, index: int | slice) -> Config | Sweep:
        start_abs, _ = self._bounds()
        if isinstance(index, slice):
            start, stop, step = index.indices(self.size)
            if step != 1:
                raise ValueError("a Sweep slice takes a step of 1; use list(sweep)[::k] for others")
            return self._view(start_abs + start, start_abs + max(start, stop))
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError("sweep index out of range")
        absolute = start_abs + index
        offsets = self._docs.offsets
        doc = bisect.bisect_right(offsets, absolute) - 1
        return self._spaces[doc].at(absolute - offsets[doc])

    def segments(self) -> Iterator[tuple[Space, int, int | None]]:
        """(document, local start, local stop) pieces covering this view; the
        whole sweep gives each document whole (stop None), without a scan."""
        if self.whole:
            for space in self._spaces:
                yield space, 0, None
            return
        start, stop = self._bounds()
        offsets = self._docs.offsets
        for doc, space in enumerate(self._spaces):
            lo = max(start, offsets[doc])
            hi = min(stop, offsets[doc + 1])
            if lo < hi:
                yield space, lo - offsets[doc], hi - offsets[doc]

    def __iter__(self) -> Iterator[Config]:
        for space, lo, hi in self.segments():
            yield from space.iter_range(lo, hi)

    def shard(self, k: int, n: int) -> Sweep:
        """The k-th (1-based) of n contiguous, near-equal slices."""
        if not (isinstance(n, int) and isinstance(k, int) and 1 <= k <= n):
            raise ValueError("shard(k, n) needs 1 <= k <= n")
        start, _ = self._bounds()
        size = self.size
        return self._view(start + size * (k - 1) // n, start + size * k // n)

    def counts(self) -> list[int]:
        """The number of configs of each document (after `where`)."""
        offsets = self._docs.offsets
        return [offsets[i + 1] - offsets[i] for i in range(len(self._spaces))]

    def __repr__(self) -> str:
        return f"Sweep({self.size} configs)"
