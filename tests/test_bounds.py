"""Bounded work for every input (issue 10, part A): nothing a few hundred
bytes can make run for seconds or grow without bound, and no recursion over
user input on Python's stack. Each class of hostile input found by the
adversarial review has a test here; `bounded` fails a case that runs away
instead of letting the suite hang."""

from __future__ import annotations

import importlib.util
import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

import spearmint_lang
from spearmint_lang import DynamicValue, MintError, Sweep, Variants, Zip, loads
from spearmint_lang.cli import main
from spearmint_lang.compiler import compile_file, compile_text
from spearmint_lang.expand import count

SECONDS = 10  # far above what each case takes: a hang detector, not a timing


class RanAway(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise RanAway(f"ran longer than {SECONDS} s")


@contextmanager
def bounded() -> Iterator[None]:
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def codes(text: str) -> list[tuple[str, int]]:
    """The codes and lines of a text's diagnostics."""
    with bounded():
        unit = compile_text(text, "sweep.mint")
    return [(d.code, d.span.line) for d in unit.diagnostics]


# --- `let` values are shared, never copied ---------------------------------------------------


def test_a_doubling_chain_of_lets_is_refused_at_the_first_value_too_large() -> None:
    lines = ["let a0 = [1, 2]"] + [f"let a{i} = [a{i - 1}, a{i - 1}]" for i in range(1, 31)] + ["x: a30"]
    assert codes("\n".join(lines) + "\n") == [("E018", 16)]  # a15 has 2**17 - 1 = 131,071 elements


def test_a_name_used_twice_is_lowered_once_and_configs_do_not_share_it() -> None:
    configs = loads("let a = [1, 2]\nlet b = [a, a]\nx: b\ny: [b, b]\nz: [0, 1]*\n")
    assert configs[0]["x"] == [[1, 2], [1, 2]] and configs[0]["y"] == [[[1, 2], [1, 2]], [[1, 2], [1, 2]]]
    configs[0]["x"][0].append(3)
    assert configs[0]["x"][1] == [1, 2] and configs[1]["x"][0] == [1, 2]


def test_nesting_through_lets_is_limited_like_brackets() -> None:
    lines = ["let b0 = 1"] + [f"let b{i} = [b{i - 1}]" for i in range(1, 541)] + ["x: b540"]
    assert codes("\n".join(lines) + "\n") == [("E017", 102)]  # b101 nests 101 levels; later names are not reported again


def test_a_value_at_the_nesting_limit_writes_a_python_module_python_imports(tmp_path: Path) -> None:
    lines = ["let b0 = 1"] + [f"let b{i} = [b{i - 1}]" for i in range(1, 100)] + ["x: b99"]
    source = tmp_path / "deep.mint"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "deep_configs.py"
    assert main(["compile", str(source), "-o", str(out)]) == 0
    spec = importlib.util.spec_from_file_location("deep_configs", out)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.configs == spearmint_lang.load(source)


# --- no recursion over user input ---------------------------------------------------------------


def test_a_thousand_nots_are_a_located_error() -> None:
    assert codes("a: [1, 2]*\nwhere " + "not " * 1000 + "a == 1\n") == [("E017", 2)]


def test_nots_and_parentheses_within_the_limit_compile() -> None:
    text = "a: [1, 2]*\nwhere " + "not (" * 49 + "a == 1" + ")" * 49 + "\n"
    assert [c["a"] for c in loads(text)] == [2]


def test_a_long_extends_chain_is_a_located_error(tmp_path: Path) -> None:
    for i in range(340):
        body = (f'extends "f{i + 1}.mint"\n' if i < 339 else "") + f"k{i}: {i}\n"
        (tmp_path / f"f{i}.mint").write_text(body, encoding="utf-8")
    with bounded():
        unit = compile_file(tmp_path / "f0.mint")
    assert [(d.code, Path(d.span.file).name, d.span.line) for d in unit.diagnostics] == [("E076", "f31.mint", 1)]


def test_an_extends_chain_within_the_limit_compiles(tmp_path: Path) -> None:
    for i in range(32):
        body = (f'extends "f{i + 1}.mint"\n' if i < 31 else "") + f"k{i}: {i}\n"
        (tmp_path / f"f{i}.mint").write_text(body, encoding="utf-8")
    assert len(spearmint_lang.load(tmp_path / "f0.mint")[0]) == 33  # 32 keys and config_id


# --- lazy wherever the docs say lazy --------------------------------------------------------------


HUGE = {
    "swept object": ("p: [{a: 0..999999999999}]*\n", 10**12, {"p": {"a": 999_999_999_999}}),
    "variants": ("variants [ { a: 0..999999999999 }, { b: [1, 2]* } ]\n", 10**12 + 2, {"b": 2}),
    "zip": ("zip { a: 0..<10000000, b: 0..<10000000 }\n", 10**7, {"a": 9_999_999, "b": 9_999_999}),
    "nested swept objects": ("o: { p: [{ q: [{ r: 0..999999 }]* }, { s: 1 }]* }\n", 10**6 + 1, {"o": {"p": {"s": 1}}}),
}


@pytest.mark.parametrize("name", list(HUGE))
def test_huge_nested_axes_are_indexed_not_built(name: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    text, size, last = HUGE[name]
    with bounded():
        sweep = Sweep.from_text(text)
        assert sweep.size == size
        got = sweep[-1]
        assert {k: v for k, v in got.items() if k != "config_id"} == last
        assert list(sweep[3:5]) == [sweep[3], sweep[4]]
        last_shard = sweep.shard(10**6, 10**6)
        assert last_shard.size in (size // 10**6, size // 10**6 + 1)
        assert list(last_shard[-2:]) == [sweep[-2], sweep[-1]]
        path = tmp_path / "huge.mint"
        path.write_text(text, encoding="utf-8")
        assert main(["compile", str(path), "--range", f"{size - 1}:", "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out) == got


def test_a_sweep_of_a_huge_python_range_is_counted_not_iterated() -> None:
    with bounded():
        template = {"a": DynamicValue(range(10**20)), "b": DynamicValue(range(10**20, 0, -3))}
        thirds = (10**20 + 2) // 3  # the values of range(10**20, 0, -3)
        assert count(template) == 10**20 * thirds
        sweep = Sweep([template])
        assert sweep.size == 10**20 * thirds
        assert sweep[-1]["a"] == 10**20 - 1 and sweep[-1]["b"] == 10**20 - 3 * (thirds - 1)


def test_python_zip_and_variants_accept_iterators_and_expand_twice_alike() -> None:
    docs = [{"z": Zip(a=iter([1, 2]), b=(x for x in "xy")), "v": Variants([{"c": DynamicValue(iter([5, 6]))}])}]
    first = spearmint_lang.expand(docs)
    assert first == spearmint_lang.expand(docs)
    assert [(c["a"], c["b"], c["c"]) for c in first] == [(1, "x", 5), (1, "x", 6), (2, "y", 5), (2, "y", 6)]


# --- numbers ---------------------------------------------------------------------------------------


def test_a_zero_with_a_huge_exponent_is_zero() -> None:
    with bounded():
        assert [c["a"] for c in loads("a: 0e999999999..1 step 0.5\n")] == [0.0, 0.5, 1.0]


@pytest.mark.parametrize(("text", "code"), [
    ("a: 1..2 step *1.0000000000000000000000000001\n", "E033"),
    ("a: 1.0..2.0 step 0.00000000000000000001\n", "E034"),
    ("a: 0..1 count 100000000000000000000\n", "E034"),
    ("a: 1e300..1.5e300 step 1.0\n", "E034"),
    ("a: 1.0..1.0000000000000002 step *1.0000000000000001\n", "E034"),
])
def test_ranges_beyond_float_precision_are_located_errors(text: str, code: str) -> None:
    assert codes(text) == [(code, 1)]


def test_counts_of_any_size_print(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.mint"
    path.write_text("a: 0.." + "9" * 3000 + "\nb: 0.." + "9" * 3000 + "\n", encoding="utf-8")
    assert main(["count", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: 1," + "000," * 100)
    assert main(["count", "--format", "json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 10**6000


# --- error paths in linear time --------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "x: [" + ",".join(["0..1"] * 15000) + " foo]\n",  # a range regex backtracked over the line
    "x: 1, " + "a" * 40000 + ". :\n",  # the key before a colon
    "k: 1\n" + "a" * 40000 + "-",  # the name before the end of the file
    "k: 1\n" + "a-" * 20000 + ";",
])
def test_syntax_errors_on_long_lines_are_found_in_linear_time(text: str) -> None:
    with bounded():
        unit = compile_text(text, "sweep.mint")
    assert unit.diagnostics


def test_helpers_of_syntax_errors_read_long_text_once() -> None:
    from spearmint_lang.syntax_errors import _key_before, _range_then_word, _trailing_name

    with bounded():
        assert _trailing_name("x " + "a" * 100_000 + ".") == ""
        assert _trailing_name("x 12ab-c") == "ab-c"
        assert _key_before("a" * 100_000 + ". :", 100_002) == ""
        assert _key_before('x: 1, "k\\"ey" :', 14) == '"k\\"ey"'
        assert not _range_then_word(".." * 100_000 + " x")
        assert _range_then_word("x: 0..1 step")


# --- `!=` and `not in` are the negations of `==` and `in` -----------------------------------------


def test_not_equal_keeps_configs_without_the_key() -> None:
    text = 'variants [ { t: 1.0 }, { t: 0.5 }, { other: 1 } ]\nwhere t != 1.0\n'
    assert [c.get("t", "-") for c in loads(text)] == [0.5, "-"]
    assert [c.get("t", "-") for c in loads(text.replace("t != 1.0", "not (t == 1.0)"))] == [0.5, "-"]
    text = 'variants [ { m: "a" }, { m: "b" }, { other: 1 } ]\nwhere m not in ["a"]\n'
    assert [c.get("m", "-") for c in loads(text)] == ["b", "-"]


def test_equal_and_in_drop_configs_without_the_key() -> None:
    text = 'variants [ { t: 1.0 }, { other: 1 } ]\nwhere t == 1.0 or t in [1.0]\n'
    assert [c.get("t", "-") for c in loads(text)] == [1.0]


def test_where_over_a_missing_key_can_empty_the_sweep() -> None:
    with pytest.raises(MintError) as info:
        loads('variants [ { other: 1 } ]\nm: [1, 2]*\nwhere t == 1.0\n')
    assert info.value.code in ("E065", "E068")



# --- `where` over a huge space ------------------------------------------------------------------


def test_a_where_over_too_many_combinations_is_refused_before_writing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.mint"
    path.write_text("a: 0..999999999999\nwhere a < 3\n", encoding="utf-8")
    with bounded():
        assert main(["compile", str(path), "--format", "jsonl"]) == 1
        assert main(["check", str(path)]) == 1
    out = capsys.readouterr()
    assert out.out == "" and out.err.count("error[E069]") == 2


def test_python_sweep_over_too_many_combinations_says_so() -> None:
    from spearmint_lang import Where
    from spearmint_lang.sweep import TooManyCombinations

    sweep = Sweep([{"a": DynamicValue(range(10**12)), "w": Where(lambda c: c["a"] < 3)}])
    assert next(iter(sweep))["a"] == 0  # the whole sweep streams through the filter
    with bounded(), pytest.raises(TooManyCombinations, match="1,000,000,000,000 combinations"):
        sweep[1]


def test_the_exact_count_budget_is_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "five.mint"
    path.write_text("\n---\n".join(["a: 0..999\nb: 0..999\nwhere a != b"] * 5) + "\n", encoding="utf-8")
    with bounded():
        assert main(["count", "--format", "json", str(path)]) == 0
    docs = json.loads(capsys.readouterr().out)["files"][0]["documents"]
    assert docs[0] == {"configs": 999_000, "exact": True}
    assert docs[1:] == [{"configs": 1_000_000, "exact": False}] * 4


def test_a_whole_where_document_is_streamed_without_a_scan() -> None:
    sweep = Sweep.from_text("a: 0..99\nb: 0..99\nwhere a < b\n")
    assert sweep.known_size is None and sweep.size_bound == 10_000
    assert sum(1 for _ in sweep) == 4950
    assert sweep.known_size is None  # iterating the whole needed no count
    assert sweep.size == 4950 and sweep.known_size == 4950
    assert [c["b"] for c in sweep[1020:1023]] == [list(sweep)[i]["b"] for i in range(1020, 1023)]


def test_editor_hover_on_huge_nested_axes_answers_at_once(tmp_path: Path) -> None:
    from lsprotocol import types as lsp

    from spearmint_lang.lsp.analysis import Analysis
    from spearmint_lang.lsp.hover import hover

    text = "p: [{a: 0..999999999999}]*\nz: { zip { q: 0..<10000000, r: 0..<10000000 } }\n"
    with bounded():
        analysis = Analysis((tmp_path / "h.mint").as_uri(), text, 1, "utf-16")
        first = hover(analysis, lsp.Position(line=0, character=0))
        zipped = hover(analysis, lsp.Position(line=1, character=12))
    assert first is not None and zipped is not None
    assert "1,000,000,000,000 values: {\"a\": 0}" in first.contents.value  # type: ignore[union-attr]
    assert "10,000,000 values: 0, 1, 2" in zipped.contents.value  # type: ignore[union-attr]
