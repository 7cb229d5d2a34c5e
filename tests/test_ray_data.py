"""The Ray Data datasource (spearmint_lang.integrations.ray_data) on a real
local Ray runtime: every config of a sweep is read once, as the very dict
`spearmint_lang.load` gives, by contiguous index ranges; broken files fail
on the driver with their diagnostic."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import spearmint_lang
from spearmint_lang import MintError, Sweep
from tests.conftest import EXAMPLES

if TYPE_CHECKING:  # imported by `ray_imported` below, when the tests run
    import pyarrow as pa
    import ray
    from ray.data.context import DataContext

    from spearmint_lang.integrations.ray_data import SCHEMA, ConfigError, MintDatasource, read_mint

# Ray Data warns of its own deprecated settings whenever it copies its context.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")


@pytest.fixture(scope="module", autouse=True)
def ray_imported() -> None:
    """Ray Data (seconds to import) is imported when this module's tests run,
    not when pytest collects the module: under xdist every worker collects
    every module, and one runs these."""
    global pa, ray, DataContext, SCHEMA, ConfigError, MintDatasource, read_mint
    import pyarrow as pa
    import ray
    from ray.data.context import DataContext

    from spearmint_lang.integrations.ray_data import SCHEMA, ConfigError, MintDatasource, read_mint

# Two documents; variants with keys of their own (`momentum`, `betas`, an
# object); an int/float mix in one key and a string in another document;
# and a `where`: configs Arrow could not put in one struct column as they are.
HETEROGENEOUS = """\
variants [
  { model: "gpt-4", temperature: [0, 0.3, 0.7]* }
  { model: ["small", "tiny"]*, layers: [2, 4]*, opt: { name: "adam", betas: [0.9, 0.99] } }
]
lr: [1, 0.5]*
where not (model == "tiny" and lr == 1)
---
model: "static"
lr: "auto"
"""


@pytest.fixture
def het(tmp_path: Path) -> Path:
    path = tmp_path / "het.mint"
    path.write_text(HETEROGENEOUS, encoding="utf-8")
    return path


def local_read(source: MintDatasource, parallelism: int, limit: int | None = None) -> list[list[dict[str, Any]]]:
    """Each read task run here (no Ray runtime): the rows it gives."""
    return [[row for block in task() for row in block.to_pylist()]
            for task in source.get_read_tasks(parallelism, per_task_row_limit=limit)]


# With Ray running.

def test_map_runs_every_config_once_as_the_dict_load_gives(ray_runtime: None, het: Path) -> None:
    def run_experiment(row: dict[str, Any]) -> dict[str, Any]:
        """A stand-in experiment: what it received, flattened (JSON), so that
        the test sees each config as the worker did. (Defined here: Ray ships
        it by value, as the workers cannot import this test module.)"""
        return {"index": row["index"], "config_id": row["config_id"], "kind": type(row["config"]).__name__,
                "seen": json.dumps(row["config"])}

    expected = spearmint_lang.load(het)
    results = read_mint(het, override_num_blocks=3, rows_per_block=2).map(run_experiment).take_all()
    assert Counter((r["index"], r["config_id"]) for r in results) == Counter(
        (i, c["config_id"]) for i, c in enumerate(expected))
    by_id = {c["config_id"]: c for c in expected}
    for result in results:
        assert result["kind"] == "dict"
        seen = json.loads(result["seen"])
        assert seen == by_id[result["config_id"]]
        assert [type(v) for v in seen.values()] == [type(v) for v in by_id[result["config_id"]].values()]


def test_blocks_are_contiguous_whole_and_disjoint_and_kept_in_order(ray_runtime: None, het: Path) -> None:
    expected = spearmint_lang.load(het)
    ctx = DataContext.get_current()
    ctx.execution_options.preserve_order = True
    try:
        ds = ray.data.read_datasource(MintDatasource(het), override_num_blocks=3).materialize()
    finally:
        ctx.execution_options.preserve_order = False
    assert ds.num_blocks() == 3

    def block_indices(batch: dict[str, Any]) -> dict[str, Any]:
        """One row per block: the indices it holds."""
        return {"indices": [" ".join(str(i) for i in batch["index"])]}

    blocks = [[int(i) for i in r["indices"].split()] for r in ds.map_batches(block_indices, batch_size=None).take_all()]
    assert sorted(blocks) == [list(range(0, 4)), list(range(4, 8)), list(range(8, 13))]
    rows = ds.take_all()
    assert [r["index"] for r in rows] == list(range(len(expected)))
    assert [r["config"] for r in rows] == expected
    assert [r["config_id"] for r in rows] == [c["config_id"] for c in expected]


def test_an_empty_sweep_is_an_empty_dataset(ray_runtime: None, tmp_path: Path) -> None:
    path = tmp_path / "empty.mint"
    path.write_text("# no configs yet\n", encoding="utf-8")
    assert spearmint_lang.load(path) == []
    ds = read_mint(path)
    assert ds.take_all() == []
    assert ds.count() == 0


def test_a_config_failing_on_a_worker_reaches_the_driver_as_its_diagnostic(ray_runtime: None, tmp_path: Path) -> None:
    path = tmp_path / "div.mint"
    path.write_text("x: [1, 2, 0]*\ny: 10 // ${x}\n", encoding="utf-8")
    # A slice is read alone: config 2, which fails, is never built.
    assert [r["config"] for r in read_mint(Sweep(path)[:2], override_num_blocks=1).take_all()] == [
        {"x": 1, "y": 10, "config_id": Sweep(path)[0]["config_id"]},
        {"x": 2, "y": 5, "config_id": Sweep(path)[1]["config_id"]}]
    with pytest.raises(ConfigError) as caught:
        read_mint(path).take_all()
    assert f"{path}:2:4: error[E100]: config 2: division by zero: 10 // 0 (with x = 0)" in str(caught.value)


def test_the_example_writes_one_result_per_config(ray_runtime: None, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("data_example", EXAMPLES / "ray" / "data_example.py")
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    results = example.main(tmp_path / "results.jsonl")
    expected = spearmint_lang.load(EXAMPLES / "ray" / "data_sweep.mint")
    lines = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines == results
    assert [(r["index"], r["config_id"]) for r in lines] == [(i, c["config_id"]) for i, c in enumerate(expected)]
    assert len(expected) == 9 and len({frozenset(c) for c in expected}) == 3  # keys differ between configs


# The datasource itself, its read tasks run here.

def test_read_tasks_cover_contiguous_index_ranges(het: Path) -> None:
    expected = spearmint_lang.load(het)
    source = MintDatasource(het, rows_per_block=2)
    assert source.size == len(expected) == 13
    parts = local_read(source, 3)
    assert [[r["index"] for r in part] for part in parts] == [list(range(0, 4)), list(range(4, 8)), list(range(8, 13))]
    assert [r["config"] for part in parts for r in part] == expected
    assert [len(local_read(source, n)) for n in (1, 13, 50)] == [1, 13, 13]  # at most one task per config
    assert [t.metadata.num_rows for t in source.get_read_tasks(3)] == [4, 4, 5]
    assert all(t.schema == SCHEMA for t in source.get_read_tasks(3))


def test_a_row_limit_builds_only_the_first_configs_of_each_task(het: Path) -> None:
    parts = local_read(MintDatasource(het), 3, limit=2)
    assert [[r["index"] for r in part] for part in parts] == [[0, 1], [4, 5], [8, 9]]


def test_blocks_hold_at_most_rows_per_block_configs(het: Path) -> None:
    (task,) = MintDatasource(het, rows_per_block=5).get_read_tasks(1)
    blocks = list(task())
    assert [b.num_rows for b in blocks] == [5, 5, 3]
    assert all(isinstance(b, pa.Table) and b.schema == SCHEMA for b in blocks)


def test_a_sweep_slice_keeps_its_indices_in_the_whole_sweep(het: Path) -> None:
    expected = spearmint_lang.load(het)
    parts = local_read(MintDatasource(Sweep(het)[5:9]), 2)
    assert [[r["index"] for r in part] for part in parts] == [[5, 6], [7, 8]]
    assert [r["config"] for part in parts for r in part] == expected[5:9]
    assert local_read(MintDatasource(Sweep(het)[100:]), 4) == []


def test_a_sweep_too_large_for_ray_datas_int64_index_is_refused_and_a_slice_is_read() -> None:
    sweep = Sweep.from_text("a: 0..<100000\nb: 0..<100000\nc: 0..<100000\nd: 0..<100000\n")  # 10**20 configs
    with pytest.raises(ValueError, match=r"^this sweep has 100,000,000,000,000,000,000 configs, more than Ray Data "
                       r"can number \(2\*\*63 - 1\); read a slice of it instead, e\.g\. "
                       r"MintDatasource\(Sweep\(path\)\[:1_000_000\]\)$"):
        MintDatasource(sweep)
    with pytest.raises(ValueError, match=r"^this slice's configs are numbered up to 99,999,999,999,999,999,999, past"):
        MintDatasource(sweep[-3:])
    start = 2**63 - 4
    parts = local_read(MintDatasource(sweep[start:start + 3]), 2)
    assert [[r["index"] for r in part] for part in parts] == [[start], [start + 1, start + 2]]
    assert [r["config"] for part in parts for r in part] == list(sweep[start:start + 3])


def test_overrides_apply_as_in_load(het: Path) -> None:
    (rows,) = local_read(MintDatasource(het, overrides=["lr=0.25"]), 1)
    assert [r["config"] for r in rows] == spearmint_lang.load(het, overrides=["lr=0.25"])


def test_a_broken_file_raises_its_diagnostic_before_any_task(tmp_path: Path) -> None:
    path = tmp_path / "broken.mint"
    path.write_text("a = [1, 2]*\n", encoding="utf-8")
    with pytest.raises(MintError) as from_load:
        spearmint_lang.load(path)
    for make in (MintDatasource, read_mint):  # (read_mint reaches no Ray call)
        with pytest.raises(MintError) as caught:
            make(path)
        assert str(caught.value) == str(from_load.value)
        assert str(caught.value).startswith(f"{path}:1:3: error[E007]: missing `:` after key `a`")


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(MintError, match=r"^.*nope\.mint:1:1: error\[E000\]: cannot read file: No such file or directory$"):
        MintDatasource(tmp_path / "nope.mint")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"rows_per_block": 0}, "rows_per_block must be a positive int, not 0"),
    ({"overrides": "lr=0.1"}, "overrides takes a list of \"PATH=VALUE\" strings: write overrides=['lr=0.1']"),
])
def test_option_mistakes_say_what_to_write(het: Path, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises((ValueError, TypeError)) as caught:
        MintDatasource(het, **kwargs)
    assert str(caught.value) == message


def test_a_source_that_is_not_a_path_or_sweep_is_refused() -> None:
    with pytest.raises(TypeError, match="expected the path of a .mint file or a spearmint_lang.Sweep, got list"):
        MintDatasource([{"a": 1}])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"overrides apply to a \.mint path: for a Sweep, write Sweep\(path"):
        MintDatasource(Sweep.from_text("a: 1\n"), overrides=["a=2"])
