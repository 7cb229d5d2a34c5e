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

import itertools
import os
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from .dynamic import Config, Json, Template
from .expand import Draws, axes, choices, fill, product_from, size_of, with_id
from .filters import WHERE_SCAN_LIMIT, Budget, Filter, count_exact
from .gcpause import paused
from .predicate import ComputeError

_STRIDE = 1024  # one kept position in this many is remembered


def located(exc: ComputeError, index: int) -> Exception:
    """A computed value that failed in config `index` of the sweep: a
    `MintError` located at its expression when it comes from a `.mint` file
    (the one way back to the front end, on this error path only)."""
    exc.index = index
    if exc.loc[0] == "<python>":
        return exc
    from .compiler import compute_error

    return compute_error(exc)


# Fewer configs than this are built one by one: making a plan costs more than it saves.
_PLANNED = 256


class TooManyCombinations(ValueError):
    """Finding the configs a `where` keeps would test too many combinations."""


class Space:
    """One document: its axes' values and the mixed-radix index over them."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.draws = Draws(template)  # the sampled values of a document with `sample`
        self.axes = axes(template)
        self.choices: list[Sequence[Json]] = [choices(a) for a in self.axes]
        self.sizes = [size_of(c) for c in self.choices]
        self.filter = Filter(template, self.choices)
        self.wheres = self.filter.filters
        self.total = 1
        for size in self.sizes:
            self.total *= size
        # The scan of a `where` document goes only as far as asked, and on
        # from there when asked for more (plain numbers: a Space pickles).
        self._scanned = 0  # unfiltered positions tested so far
        self._kept = 0  # configs kept among them
        self._marks: array[int] = array("Q")  # the position of every _STRIDE-th kept config

    def digits(self, index: int) -> list[int]:
        """The per-axis value indices of unfiltered config `index`."""
        out = [0] * len(self.sizes)
        for pos in range(len(self.sizes) - 1, -1, -1):
            index, out[pos] = divmod(index, self.sizes[pos])
        return out

    def build(self, digits: list[int], index: int) -> Config:
        """The config (without filtering) at the given digits, unfiltered config `index`."""
        return with_id(self.draws(fill(self.template, (self.choices[a][d] for a, d in enumerate(digits))), index))

    @property
    def known(self) -> bool:
        """Whether `size` is known without scanning further."""
        return not self.wheres or self._scanned >= self.total

    @property
    def size(self) -> int:
        """The number of configs this document writes (after `where`)."""
        return self.reach(None)

    def reach(self, wanted: int | None) -> int:
        """How many configs the document writes, counting no further than
        `wanted` (None: all): a `where` document is scanned only as far as
        that takes."""
        if not self.wheres:
            return self.total if wanted is None else min(wanted, self.total)
        if self._scanned < self.total and (wanted is None or self._kept < wanted):
            self._scan(wanted)
        return self._kept if wanted is None else min(wanted, self._kept)

    def _scan(self, wanted: int | None) -> None:
        """Go on testing combinations until `wanted` configs are kept (or the
        end), remembering every _STRIDE-th kept position."""
        if self.total > WHERE_SCAN_LIMIT:
            raise TooManyCombinations(
                f"this `where` would have to test {self.total:,} combinations; at most {WHERE_SCAN_LIMIT:,} are tested")
        index, kept, marks = self._scanned, self._kept, self._marks
        for combo in product_from(self.choices, self.digits(index)):
            if wanted is not None and kept >= wanted:
                break
            if self.filter.keeps(combo):
                if kept % _STRIDE == 0:
                    marks.append(index)
                kept += 1
            index += 1
        self._scanned, self._kept = index, kept

    def iter_unfiltered(self, start: int, stop: int) -> Iterator[Config]:
        """Configs `start..stop-1` of the unfiltered space, odometer order.
        Many of them are built by the output's plan (`output.plan.in_memory`:
        their JSON text read back in C), else one by one."""
        if start >= stop:
            return
        built = self.planned(start, stop)
        if built is not None:
            for batch in built:
                yield from batch
            return
        combos = product_from(self.choices, self.digits(start))
        if stop < self.total:  # (the product ends by itself at the total)
            combos = _take(combos, stop - start)
        draws = self.draws
        for index, combo in enumerate(combos, start):
            yield with_id(draws(fill(self.template, iter(combo)), index))

    def planned(self, start: int, stop: int | None) -> Iterator[list[Config]] | None:
        """Configs `start..stop-1` (`stop` None: to the end) in lists of
        thousands, built by the output's plan (`output.plan.in_memory`);
        None where they are built one by one: a document with `where` or
        computed values, one the plan does not take, or a few configs."""
        if self.wheres or self.draws.derive:
            return None
        stop = self.total if stop is None else min(stop, self.total)
        if stop - start < _PLANNED:
            return None
        from .output.plan import in_memory

        return in_memory(self, start, stop)

    def _kept_from(self, raw: int) -> Iterator[Config]:
        """The kept configs from unfiltered position `raw` on (no ids yet)."""
        draws = self.draws
        for index, combo in self._kept_combos(raw):
            yield draws(fill(self.template, iter(combo)), index)

    def _kept_combos(self, raw: int) -> Iterator[tuple[int, list[Json]]]:
        """The unfiltered position and values of each kept combination from
        `raw` on (the same, mutated, list each time)."""
        if raw >= self.total:
            return
        for index, combo in enumerate(product_from(self.choices, self.digits(raw)), raw):
            if self.filter.keeps(combo):
                yield index, combo

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
        end = self.reach(stop)
        if start >= end:
            return
        found = self._kept_combos(self._marks[start // _STRIDE])  # (configs skipped over are not built)
        for index, combo in itertools.islice(found, start % _STRIDE, start % _STRIDE + end - start):
            yield with_id(self.draws(fill(self.template, iter(combo)), index))

    def at(self, index: int) -> Config:
        """Config `index` of the document's output."""
        if not self.wheres:
            return self.build(self.digits(index), index)
        return next(self.iter_range(index, index + 1))


def _take(items: Iterator[list[Json]], n: int) -> Iterator[list[Json]]:
    """The first `n` items, `n` of any size (islice stops at sys.maxsize)."""
    if n <= sys.maxsize:
        yield from itertools.islice(items, n)
        return
    for item in items:
        if n <= 0:
            return
        n -= 1
        yield item


class _Documents:
    """The documents of a sweep and where each begins in its output, found
    only as far as asked; views share it, so a scan is done once."""

    def __init__(self, spaces: list[Space]) -> None:
        self.spaces = spaces

    def reach(self, wanted: int | None) -> int:
        """How many configs the sweep has, counting no further than `wanted`."""
        done = 0
        for space in self.spaces:
            done += space.reach(None if wanted is None else wanted - done)
            if wanted is not None and done >= wanted:
                return wanted
        return done

    def locate(self, index: int) -> tuple[int, int]:
        """The document holding config `index` of the sweep, and its place there."""
        done = 0
        for doc, space in enumerate(self.spaces):
            size = space.reach(index - done + 1)
            if index - done < size:
                return doc, index - done
            done += size
        raise IndexError("sweep index out of range")

    @property
    def offsets(self) -> list[int]:
        """Where each document begins (every document counted)."""
        offsets = [0]
        for space in self.spaces:
            offsets.append(offsets[-1] + space.size)
        return offsets


class Sweep(Sequence[Config]):
    """The configs of a `.mint` file (or of DynamicValue dicts), like
    scikit-learn's `ParameterGrid`: `len()`, `sweep[i]`, slices, iteration
    and `shard(k, n)`, all without expanding what is not asked for."""

    def __init__(self, source: str | os.PathLike[str] | list[Template], start: int = 0, stop: int | None = None, *,
                 overrides: Sequence[str] = ()) -> None:
        if isinstance(source, (str, os.PathLike)):
            from .compiler import as_overrides, compile_file

            templates = compile_file(source, overrides=as_overrides(overrides)).templates()
        else:
            templates = list(source)
        self._docs = _Documents([Space(t) for t in templates])
        self._start = max(0, start)
        self._stop = stop

    @property
    def _spaces(self) -> list[Space]:
        return self._docs.spaces

    @classmethod
    def from_text(cls, text: str, path: str = "<string>", overrides: Sequence[str] = ()) -> Sweep:
        """A sweep from `.mint` source text (`overrides` as for `load`)."""
        from .compiler import as_overrides, compile_text

        return cls(compile_text(text, path, overrides=as_overrides(overrides)).templates())

    def _view(self, start: int, stop: int) -> Sweep:
        view = object.__new__(Sweep)
        view._docs = self._docs
        view._start, view._stop = start, stop
        return view

    def _bounds(self) -> tuple[int, int]:
        """This view's absolute start and stop, clamped to the whole (which
        is counted only as far as they need)."""
        start = self._docs.reach(self._start)
        stop = self._docs.reach(self._stop)
        return start, max(start, stop)

    @property
    def start(self) -> int:
        """Where this view begins in the whole sweep."""
        return self._docs.reach(self._start)

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
        if self._stop is None and not all(space.known for space in self._spaces):
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
        start_abs = self._docs.reach(self._start)
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise ValueError("a Sweep slice takes a step of 1; use list(sweep)[::k] for others")
            lo, hi = index.start or 0, index.stop
            if lo >= 0 and hi is not None and hi >= 0:  # clamped when used: no count needed now
                end = start_abs + hi if self._stop is None else min(self._stop, start_abs + hi)
                return self._view(start_abs + lo, max(start_abs + lo, end))
            start, stop, _ = index.indices(self.size)
            return self._view(start_abs + start, start_abs + max(start, stop))
        if index < 0:
            index += self.size
        absolute = start_abs + index
        if index < 0 or (self._stop is not None and absolute >= self._docs.reach(self._stop)):
            raise IndexError("sweep index out of range")
        doc, local = self._docs.locate(absolute)  # (IndexError past the end)
        try:
            return self._spaces[doc].at(local)
        except ComputeError as exc:
            raise located(exc, absolute) from None

    def segments(self) -> Iterator[tuple[Space, int, int | None]]:
        """(document, local start, local stop) pieces covering this view; the
        whole sweep gives each document whole (stop None), without a scan."""
        if self.whole:
            for space in self._spaces:
                yield space, 0, None
            return
        start, stop = self._bounds()
        done = 0
        for space in self._spaces:
            if done >= stop:
                return
            size = space.reach(stop - done)
            lo, hi = max(start, done), min(stop, done + size)
            if lo < hi:
                yield space, lo - done, hi - done
            done += size

    def __iter__(self) -> Iterator[Config]:
        for chunk in self._chunks():
            yield from chunk

    def _chunks(self) -> Iterator[Iterable[Config]]:
        """The configs in order, as lists of thousands where the output's
        plan builds them, else as generators that count what they give, so
        that a computed value that fails says in which config it did."""
        done = [self.start]  # configs given so far, the failing one's index when one fails
        for space, lo, hi in self.segments():
            planned = space.planned(lo, hi)
            if planned is None:
                yield _counted(space.iter_range(lo, hi), done)
                continue
            for batch in planned:
                done[0] += len(batch)
                yield batch

    def shard(self, k: int, n: int) -> Sweep:
        """The k-th (1-based) of n contiguous, near-equal slices."""
        if not (isinstance(n, int) and isinstance(k, int) and 1 <= k <= n):
            raise ValueError("shard(k, n) needs 1 <= k <= n")
        start, _ = self._bounds()
        size = self.size
        return self._view(start + size * (k - 1) // n, start + size * k // n)

    def counted(self) -> tuple[int, bool]:
        """The number of configs as `mintc count` gives it, and whether it is
        exact: a `where` document is counted by testing the combinations it
        names within the file's budget (a million tests), beyond which its
        count is the bound before `where`. Never scans further than that."""
        if self.known_size is not None:
            return self.size, True
        if not self.whole:
            return self.size_bound, False
        budget, total, exact = Budget(), 0, True
        for space in self._spaces:
            counted = count_exact(space.template, budget)
            total += counted.configs
            exact = exact and counted.exact
        return total, exact

    def counts(self) -> list[int]:
        """The number of configs of each document (after `where`)."""
        offsets = self._docs.offsets
        return [offsets[i + 1] - offsets[i] for i in range(len(self._spaces))]

    def __repr__(self) -> str:
        return f"Sweep({self.size} configs)"


def load(path: str | os.PathLike[str], overrides: Sequence[str] = ()) -> list[Config]:
    """Compile the `.mint` file at `path` to its expanded configs, with
    `overrides` (`"PATH=VALUE"`, as `mintc --set`; `"+PATH=VALUE"` adds a key).

    Raises `MintError` (with file, line and column) for any mistake in it.
    """
    return _listed(Sweep(path, overrides=overrides))


def loads(text: str, path: str = "<string>", overrides: Sequence[str] = ()) -> list[Config]:
    """Compile `.mint` source text to its expanded configs (`overrides` as for `load`)."""
    return _listed(Sweep.from_text(text, path, overrides))


def _counted(configs: Iterator[Config], done: list[int]) -> Iterator[Config]:
    """`configs`, counted into `done[0]`; a computed value that fails is
    located at the config it failed in."""
    try:
        for config in configs:
            yield config
            done[0] += 1
    except ComputeError as exc:
        raise located(exc, done[0]) from None


def _listed(sweep: Sweep) -> list[Config]:
    """Every config of `sweep` in a list, a batch at a time, built with the
    cyclic garbage collector paused (`gcpause`): configs are acyclic, and
    it would scan them again and again."""
    out: list[Config] = []
    with paused():
        for chunk in sweep._chunks():
            out.extend(chunk)
    return out
