"""A Ray Data datasource reading a sweep as blocks of configs, by index.

`read_mint("sweep.mint")` (or `ray.data.read_datasource(MintDatasource(...))`)
gives a `Dataset` with one row per config,
`{"index": int, "config_id": str, "config": dict}`. The driver compiles the
file and counts its configs (a `where` document is scanned once to count
what it keeps; nothing is expanded); each read task gets a `Sweep` slice
`[start:stop)` and builds its configs on the worker.

`config` is stored as a pickled Python object (Ray's `ArrowPythonObjectType`),
never as an Arrow struct: the configs of one sweep may differ in keys and
types (variants, where, several documents), which a struct would fill with
nulls or coerce (1 to 1.0). `map` and `take` see it as the very dict
`spearmint_lang.load` gives.
"""

from __future__ import annotations

import functools
import os
import pickle
from collections.abc import Iterator, Sequence
from typing import Any

from spearmint_lang.integrations.sweeps import require

require("ray", extra="ray", adapter=__name__)

import pyarrow as pa
import ray.data
from ray.data import Dataset
from ray.data.block import Block, BlockMetadata
from ray.data.context import DataContext
from ray.data.datasource import Datasource, ReadTask
from ray.data.extensions import ArrowPythonObjectType

from spearmint_lang.dynamic import Config
from spearmint_lang.errors import MintError
from spearmint_lang.sweep import Sweep

from .sweeps import open_sweep

__all__ = ["ConfigError", "MintDatasource", "ROWS_PER_BLOCK", "SCHEMA", "read_mint"]

ROWS_PER_BLOCK = 10_000  # configs a read task builds (and holds as dicts) at a time
_INT64_ROWS = 2**63 - 1  # Ray Data and the Arrow `index` column count rows in int64
_ROW_OVERHEAD = 8 + 16 + 16  # index, config_id, and the offsets of the two variable columns

SCHEMA = pa.schema([
    pa.field("index", pa.int64(), nullable=False),
    pa.field("config_id", pa.string(), nullable=False),
    pa.field("config", ArrowPythonObjectType()),
])


def _count(sweep: Sweep) -> int:
    """The number of configs, counted without building any (a `where`
    document is scanned); refused past what Ray Data can number (a slice
    of the sweep can be read)."""
    size = sweep.size
    if size > _INT64_ROWS:
        raise ValueError(f"this sweep has {size:,} configs, more than Ray Data can number (2**63 - 1); "
                         "read a slice of it instead, e.g. MintDatasource(Sweep(path)[:1_000_000])")
    if sweep.start + size > _INT64_ROWS:
        raise ValueError(f"this slice's configs are numbered up to {sweep.start + size - 1:,}, past the "
                         "int64 `index` column (2**63 - 1); read slices that end before 2**63")
    return size


def _row_bytes(sweep: Sweep, size: int) -> int:
    """An estimate of one row's size in a block, from the first config."""
    if size == 0:
        return _ROW_OVERHEAD
    return _ROW_OVERHEAD + len(pickle.dumps(sweep[0], protocol=pickle.HIGHEST_PROTOCOL))


def _block(start: int, configs: list[Config]) -> Block:
    """The block of `configs`, which are configs `start, start + 1, ...` of
    the sweep: columns `index`, `config_id` and `config` (a pickled dict)."""
    pickled = pa.array([pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL) for c in configs], pa.large_binary())
    return pa.Table.from_arrays(
        [pa.array(range(start, start + len(configs)), pa.int64()),
         pa.array([c["config_id"] for c in configs], pa.string()),
         pa.ExtensionArray.from_storage(ArrowPythonObjectType(), pickled)],
        schema=SCHEMA)


class ConfigError(ValueError):
    """A config failed to compute in a read task (a derived value dividing
    by zero, say); the message is its `MintError` diagnostic rendered with
    the source line and hint, which reaches the driver through Ray's error
    and can be caught there as `ConfigError`."""


def _configs(part: Sweep) -> Iterator[Config]:
    """The configs of `part`, a failing one raised as a `ConfigError`."""
    try:
        yield from part
    except MintError as exc:
        raise ConfigError(exc.render()) from None


def _read_range(part: Sweep, start: int, rows_per_block: int) -> Iterator[Block]:
    """The blocks of a read task, built on the worker: the configs of the
    sweep slice `part` (which begins at config `start`), `rows_per_block`
    at a time."""
    configs: list[Config] = []
    for config in _configs(part):
        configs.append(config)
        if len(configs) == rows_per_block:
            yield _block(start, configs)
            start += len(configs)
            configs = []
    if configs:
        yield _block(start, configs)


def _ranges(size: int, parts: int) -> list[tuple[int, int]]:
    """`parts` contiguous, near-equal, non-empty [lo, hi) ranges covering 0..size
    (fewer when the sweep is smaller), as `Sweep.shard` cuts them."""
    parts = max(1, min(parts, size))
    return [(size * k // parts, size * (k + 1) // parts) for k in range(parts)] if size else []


class MintDatasource(Datasource):
    """The configs of a `.mint` file (or of a `Sweep`) as a Ray Data source:
    one row `{"index", "config_id", "config"}` per config; read tasks cover
    contiguous index ranges and build their configs on the workers.

    `source`: a `.mint` path (compiled now, on the driver: a broken file
    raises its `MintError` here) or a `spearmint_lang.Sweep`, a slice of one
    included (`index` is then the index in the whole sweep).
    `overrides`: `"PATH=VALUE"` strings, as `mintc compile --set` takes them.
    `rows_per_block`: the configs a read task builds at a time (its memory).
    """

    def __init__(self, source: str | os.PathLike[str] | Sweep, *, overrides: Sequence[str] = (),
                 rows_per_block: int = ROWS_PER_BLOCK) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # (ray's is untyped)
        if not isinstance(rows_per_block, int) or isinstance(rows_per_block, bool) or rows_per_block < 1:
            raise ValueError(f"rows_per_block must be a positive int, not {rows_per_block!r}")
        self.sweep = open_sweep(source, overrides)
        self.size = _count(self.sweep)
        self.rows_per_block = rows_per_block
        self._row_bytes = _row_bytes(self.sweep, self.size)

    def get_name(self) -> str:
        """The name of the read operator in Ray's progress and stats."""
        return "ReadMint"

    def estimate_inmemory_data_size(self) -> int:
        """The approximate size of all blocks, from the first config's size."""
        return self.size * self._row_bytes

    def get_read_tasks(self, parallelism: int, per_task_row_limit: int | None = None,
                       data_context: DataContext | None = None) -> list[ReadTask]:
        """`parallelism` read tasks (at most one per config; none for an empty
        sweep), each over a contiguous range of indices; under a row limit
        (one Ray pushes down into the read) a task builds only that many."""
        first = self.sweep.start
        tasks = []
        for lo, hi in _ranges(self.size, parallelism):
            if per_task_row_limit is not None:
                hi = min(hi, lo + per_task_row_limit)
            metadata = BlockMetadata(num_rows=hi - lo, size_bytes=(hi - lo) * self._row_bytes,
                                     input_files=None, exec_stats=None)
            read = functools.partial(_read_range, self.sweep[lo:hi], first + lo, self.rows_per_block)
            tasks.append(ReadTask(read, metadata, schema=SCHEMA, per_task_row_limit=per_task_row_limit))
        return tasks

    def __repr__(self) -> str:
        return f"MintDatasource({self.size} configs)"


def read_mint(source: str | os.PathLike[str] | Sweep, *, overrides: Sequence[str] = (),
              rows_per_block: int = ROWS_PER_BLOCK, **read_args: Any) -> Dataset:
    """`ray.data.read_datasource(MintDatasource(source, ...), **read_args)`:
    the sweep as a `Dataset` of `{"index", "config_id", "config"}` rows;
    `read_args` are `read_datasource`'s (`override_num_blocks`,
    `concurrency`, `num_cpus`, ...)."""
    datasource = MintDatasource(source, overrides=overrides, rows_per_block=rows_per_block)
    dataset: Dataset = ray.data.read_datasource(datasource, **read_args)
    return dataset

