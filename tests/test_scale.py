"""Scale: the fast emitter equals the straightforward one byte for byte;
random access (`Sweep`, shards, ranges) equals the expansion; counts are
exact without expanding; YAML and split outputs load back; streaming."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from spearmint_lang import DynamicValue, Sweep, expand, loads
from spearmint_lang.dynamic import Variants, Where, Zip
from spearmint_lang.cli import main
from spearmint_lang.output.emit import emit
from spearmint_lang.expand import count
from spearmint_lang.output.plan import Plan
from tests.conftest import DEADLINE, EXAMPLES, ROOT, fuzz_examples

scalar = st.one_of(
    st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5).filter(lambda s: not any("\ud800" <= c <= "\udfff" for c in s)),
    st.booleans(), st.none(),
)
value = st.recursive(scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text("abkz", min_size=1, max_size=2), inner, max_size=3), max_leaves=6)
keys = st.text("abcxyz_", min_size=1, max_size=3)
# The size budget of each drawn sweep: nested swept objects multiply fast.
MAX_CONFIGS = 300


@st.composite
def templates(draw: Any, depth: int = 0, structural: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in draw(st.lists(keys, max_size=4, unique=True)):
        kinds = ["static", "dv", "obj", "swept"] if depth < 2 else ["static", "dv"]
        if structural and depth == 0:
            kinds += ["zip", "variants", "where"]
        kind = draw(st.sampled_from(kinds))
        if kind == "static":
            out[key] = draw(value)
        elif kind == "dv":
            out[key] = DynamicValue(draw(st.lists(value, min_size=1, max_size=3)))
        elif kind == "obj":
            out[key] = draw(templates(depth + 1, False))
        elif kind == "swept":
            out[key] = DynamicValue([draw(templates(depth + 1, False)) for _ in range(draw(st.integers(1, 2)))])
        elif kind == "zip":
            n = draw(st.integers(1, 3))
            out[key] = Zip({f"Z{key}": draw(st.lists(value, min_size=n, max_size=n))})
        elif kind == "variants":
            out[key] = Variants([{f"V{key}": draw(value)}, {f"V{key}": DynamicValue([1, 2])}])
        else:
            out[key] = Where(lambda c: len(json.dumps(c, default=str)) % 3 != 0)
    if draw(st.booleans()) and depth == 0 and "config_id" not in out:
        out["config_id"] = draw(st.one_of(st.text(max_size=3), DynamicValue and st.just(DynamicValue(["a", "b"]))))
    return out


def plain(fmt: str, configs: list[dict[str, Any]]) -> str:
    return "".join(emit(fmt, iter(configs), "x.mint", "0"))


@settings(max_examples=fuzz_examples(150), deadline=DEADLINE, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(templates(), min_size=1, max_size=3), st.sampled_from(["json", "jsonl", "py", "yaml"]))
def test_fast_emitter_equals_straightforward(docs: list[dict[str, Any]], fmt: str) -> None:
    """The plan-based emitter writes exactly what encoding each expanded
    config on its own writes."""
    assume(sum(count(d) for d in docs) <= MAX_CONFIGS)
    expected = plain(fmt, expand(docs))
    assert "".join(emit(fmt, Sweep(docs), "x.mint", "0")) == expected


def test_fast_path_is_taken_for_fixed_structures() -> None:
    sweep = Sweep.from_text('a: [1, 2]*\nb: {c: 0..3, d: ["x"]}\n')
    assert Plan(sweep._spaces[0], "jsonl").ok
    assert not Plan(Sweep.from_text("zip { a: [1], b: [2] }")._spaces[0], "jsonl").ok


@settings(max_examples=fuzz_examples(100), deadline=DEADLINE, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(templates(), min_size=1, max_size=3), st.data())
def test_sweep_random_access_equals_expansion(docs: list[dict[str, Any]], data: st.DataObject) -> None:
    """`Sweep[i]`, slices, shards and iteration are the expansion's."""
    assume(sum(count(d) for d in docs) <= MAX_CONFIGS)
    full = expand(docs)
    sweep = Sweep(docs)
    assert len(sweep) == len(full)
    assert list(sweep) == full
    for i in range(len(full)):
        assert sweep[i] == full[i]
        assert sweep[-1 - i] == full[-1 - i]
    n = data.draw(st.integers(1, 7))
    shards = [list(sweep.shard(k, n)) for k in range(1, n + 1)]
    assert [c for s in shards for c in s] == full
    assert max(map(len, shards)) - min(map(len, shards)) <= 1
    a = data.draw(st.integers(0, len(full) + 2))
    b = data.draw(st.integers(0, len(full) + 2))
    assert list(sweep[a:b]) == full[a:b]


@settings(max_examples=100, deadline=DEADLINE, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(templates(structural=True), min_size=1, max_size=2))
def test_count_equals_expansion_length(docs: list[dict[str, Any]]) -> None:
    """Without `where`, the count is exact; with it, an upper bound."""
    assume(sum(count(d) for d in docs) <= MAX_CONFIGS)
    n = sum(count(d) for d in docs)
    got = len(expand(docs))
    has_where = any(isinstance(v, Where) for d in docs for v in d.values())
    assert got == n if not has_where else got <= n


def test_sweep_like_parameter_grid() -> None:
    sweep = Sweep(EXAMPLES / "tuning.mint")
    assert len(sweep) == 189 and repr(sweep) == "Sweep(189 configs)"
    full = list(sweep)
    assert sweep[3] == full[3] and sweep[-1] == full[-1]
    assert list(sweep[10:20]) == full[10:20]
    assert len(sweep[10:20]) == 10
    assert list(sweep.shard(2, 4)) == full[47:94]
    with pytest.raises(IndexError):
        sweep[189]
    with pytest.raises(ValueError):
        sweep.shard(0, 3)


def test_huge_sweep_random_access_is_cheap() -> None:
    sweep = Sweep.from_text("a: 0..999999\nb: 0..999999\nc: 0..999\n")  # 10**15 configs
    assert len(sweep) == 10**15
    last = sweep[10**15 - 1]
    assert (last["a"], last["b"], last["c"]) == (999999, 999999, 999)
    mid = sweep[123456789012345]
    assert (mid["a"], mid["b"], mid["c"]) == (123456, 789012, 345)
    assert mid == next(iter(sweep[123456789012345:123456789012346]))


def test_where_documents_index_after_filtering() -> None:
    sweep = Sweep.from_text("n: 0..9\nwhere n > 6\n---\nm: [1, 2]*\n")
    assert [c.get("n", c.get("m")) for c in sweep] == [7, 8, 9, 1, 2]
    assert sweep[1]["n"] == 8 and sweep[3]["m"] == 1


def run(*args: str, cwd: Path = ROOT, **kw: Any) -> subprocess.CompletedProcess[str]:
    """The real `python -m spearmint_lang`: for what only a process shows (timing, a terminal)."""
    return subprocess.run([sys.executable, "-m", "spearmint_lang", *args], cwd=cwd, capture_output=True, text=True, **kw)


Mintc = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture
def mintc(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Mintc:
    """`run`, in-process: the same `main` with the same arguments in the same
    folder, its exit code and what it printed (about 20 times faster)."""
    def call(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        out = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out.out, out.err)
    return call


def test_count_command(tmp_path: Path, mintc: Mintc) -> None:
    (tmp_path / "big.mint").write_text("a: 0..999999\nb: 0..999999\nc: 0..999\n---\nx: 1\n")
    start = time.perf_counter()
    out = run("count", "big.mint", cwd=tmp_path)
    assert time.perf_counter() - start < 5  # a whole process, well under a second of work
    assert out.stdout == "big.mint: 1,000,000,000,000,001 configs (1,000,000,000,000,000, 1)\n"
    # The rest is about what is printed: in-process.
    js = json.loads(mintc("count", "--format", "json", "big.mint", cwd=tmp_path).stdout)
    assert js["total"] == 10**15 + 1
    assert js["files"][0]["documents"] == [{"configs": 10**15, "exact": True}, {"configs": 1, "exact": True}]
    assert mintc("count", str(EXAMPLES / "constraints.mint")).stdout.endswith(": 7 configs\n")


@pytest.mark.parametrize("n", [1, 3, 7])
def test_shards_concatenate_to_the_whole(tmp_path: Path, n: int, mintc: Mintc) -> None:
    whole = mintc("compile", "examples/tuning.mint", "--format", "jsonl").stdout
    parts = [mintc("compile", "examples/tuning.mint", "--format", "jsonl", "--shard", f"{k}/{n}").stdout for k in range(1, n + 1)]
    assert "".join(parts) == whole


def test_range_option(mintc: Mintc) -> None:
    whole = mintc("compile", "examples/tuning.mint", "--format", "jsonl").stdout.splitlines(keepends=True)
    assert mintc("compile", "examples/tuning.mint", "--format", "jsonl", "--range", "5:9").stdout == "".join(whole[5:9])
    assert mintc("compile", "examples/tuning.mint", "--format", "jsonl", "--range", "180:").stdout == "".join(whole[180:])
    as_json = json.loads(mintc("compile", "examples/tuning.mint", "--range", ":2").stdout)
    assert as_json == [json.loads(x) for x in whole[:2]]
    assert mintc("compile", "examples/tuning.mint", "--shard", "0/3").returncode == 2
    assert mintc("compile", "examples/tuning.mint", "--shard", "1/3", "--range", "1:2").returncode == 2


def test_yaml_output_loads_back(tmp_path: Path, mintc: Mintc) -> None:
    assert mintc("compile", "examples/prompts.mint", "-o", str(tmp_path / "out.yaml")).returncode == 0
    docs = list(yaml.safe_load_all((tmp_path / "out.yaml").read_text(encoding="utf-8")))
    assert docs == json.loads(mintc("compile", "examples/prompts.mint").stdout)


def test_split_output(tmp_path: Path, mintc: Mintc) -> None:
    out = mintc("compile", "examples/tuning.mint", "--split", str(tmp_path / "cfg"))
    assert out.returncode == 0, out.stderr
    files = sorted(os.listdir(tmp_path / "cfg"))
    whole = json.loads(mintc("compile", "examples/tuning.mint").stdout)
    assert len(files) == 189
    assert files[0] == f"000-{whole[0]['config_id']}.yaml"
    loaded = [yaml.safe_load((tmp_path / "cfg" / f).read_text(encoding="utf-8")) for f in files]
    assert loaded == whole
    js = mintc("compile", "examples/lists.mint", "--split", str(tmp_path / "j"), "--format", "json")
    assert js.returncode == 0
    assert [json.loads((tmp_path / "j" / f).read_text()) for f in sorted(os.listdir(tmp_path / "j"))] == json.loads(mintc("compile", "examples/lists.mint").stdout)
    shard = mintc("compile", "examples/tuning.mint", "--split", str(tmp_path / "s"), "--shard", "2/2")
    assert shard.returncode == 0
    assert sorted(os.listdir(tmp_path / "s"))[0].startswith("094-")


def test_split_reads_with_spearmints_yaml_loader(tmp_path: Path, mintc: Mintc) -> None:
    # spearmint-framework's loader: sorted(rglob("*.yaml")), yaml.safe_load each.
    mintc("compile", "examples/grid-2d.mint", "--split", str(tmp_path / "c"))
    loaded = [yaml.safe_load(p.read_text()) for p in sorted((tmp_path / "c").rglob("*.yaml"))]
    assert loaded == json.loads(mintc("compile", "examples/grid-2d.mint").stdout)


def test_streaming_writes_before_expansion_ends(tmp_path: Path) -> None:
    big = tmp_path / "big.mint"
    big.write_text("a: 0..4999999\n")
    proc = subprocess.Popen([sys.executable, "-m", "spearmint_lang", "compile", str(big), "--format", "jsonl"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    still_running = proc.poll() is None
    proc.kill()
    proc.wait()
    assert json.loads(first)["a"] == 0
    assert still_running


def test_matches_loads_for_every_example() -> None:
    for path in sorted(EXAMPLES.rglob("*.mint")):
        assert list(Sweep(path)) == loads(path.read_text(), path=str(path))


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    import pty

    big = tmp_path / "big.mint"
    big.write_text("a: 0..299999\n")
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a real terminal has a size
    proc = subprocess.Popen([sys.executable, "-m", "spearmint_lang", "compile", str(big), "-o", str(tmp_path / "o.jsonl")],
                            cwd=ROOT, stderr=slave, stdout=subprocess.DEVNULL)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait()
    os.close(master)
    assert proc.returncode == 0
    assert b"configs" in seen and b"%" in seen
    quiet = run("compile", str(big), "-o", str(tmp_path / "q.jsonl"))
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_sweeps_pickle_for_workers() -> None:
    """A Sweep (also with `where`, `zip` and `variants`) can be sent to
    worker processes, as Ray or multiprocessing do."""
    import pickle

    for name in ("constraints.mint", "model-comparison.mint", "conditional-variants.mint", "slurm/sweep.mint"):
        sweep = Sweep(EXAMPLES / name)
        again = pickle.loads(pickle.dumps(sweep.shard(1, 2)))
        assert list(again) == list(sweep.shard(1, 2))
