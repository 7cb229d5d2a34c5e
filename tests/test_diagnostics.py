"""Every kind of mistake: its code, exact position, and rendered text
(syrupy snapshots of what the user sees)."""

from __future__ import annotations

import functools
import json
import subprocess
from pathlib import Path
from collections.abc import Callable
from typing import Any

import pytest

from spearmint_lang import MintError, loads
from spearmint_lang.compiler import compile_source, decode
from tests.conftest import ROOT
from tests.inproc import run_main

# name: (source, code, line, column)
CASES: dict[str, tuple[str, str, int, int]] = {
    "unterminated-string": ('model: "gpt-4\ntemperature: 1\n', "E006", 1, 8),
    "missing-colon": ('model "gpt-4"\n', "E007", 1, 6),
    "key-without-value": ("model:\ntemperature: 1\n", "E008", 1, 6),
    "key-without-value-in-object": ("llm: {model:}\n", "E008", 1, 12),
    "duplicate-key": ('model: "a"\ntemperature: 1\nmodel: "b"\n', "E020", 3, 1),
    "zero-step": ("t: 0..1 step 0\n", "E030", 1, 14),
    "step-away": ("t: 0..10 step -2\n", "E031", 1, 15),
    "step-away-default": ("t: 10..1\n", "E031", 1, 4),
    "float-range-without-step": ("t: 0.0..1.0\n", "E032", 1, 4),
    "range-bound-string": ('t: "a"..3\n', "E016", 1, 4),
    "range-end-string": ('t: 1.."b"\n', "E016", 1, 7),
    "range-missing-end": ("t: 1..\n", "E016", 1, 7),
    "empty-sweep": ("model: []*\n", "E022", 1, 8),
    "star-after-number": ("seed: 5*\n", "E021", 1, 8),
    "star-after-string": ('model: "gpt-4"*\n', "E021", 1, 15),
    "star-after-object": ("o: {a: 1}*\n", "E021", 1, 10),
    "star-after-range": ("t: 0..5*\n", "E021", 1, 8),
    "sweep-inside-list": ("a: [[1, [2, 3]*]]*\n", "E023", 1, 9),
    "bad-escape": ('p: "tab\\q"\n', "E010", 1, 8),
    "lone-surrogate": ('p: "\\ud800"\n', "E011", 1, 5),
    "malformed-number-dots": ("lr: 1.2.3\n", "E012", 1, 5),
    "malformed-number-trailing-dot": ("lr: 1.\n", "E012", 1, 5),
    "malformed-number-leading-dot": ("lr: .5\n", "E012", 1, 5),
    "leading-zeros": ("n: 007\n", "E012", 1, 4),
    "float-overflow": ("x: 1e999\n", "E013", 1, 4),
    "stray-character": ("a: 1 @\n", "E001", 1, 6),
    "single-quotes": ("a: 'x'\n", "E001", 1, 4),
    "equals-for-colon": ("a = 1\n", "E007", 1, 3),
    "unclosed-brace": ("llm: {\n  model: 1\n", "E003", 1, 6),
    "unclosed-bracket": ("a: [1, 2\nb: 3\n", "E003", 1, 4),
    "unclosed-bracket-eof": ("a: [1, 2\n", "E003", 1, 4),
    "unclosed-long-string": ('p: """You are\nhelpful.\n', "E003", 1, 4),
    "junk-after-separator": ("a: 1\n--- b: 2\n", "E009", 2, 5),
    "unknown-word-for-step": ("t: 0..10 stpe 2\n", "E015", 1, 10),
    "missing-separator": ("a: 1 b: 2\n", "E019", 1, 6),
    "empty-element": ("a: [1,,2]\n", "E014", 1, 7),
    "unknown-name": ("model: gpt4\n", "E040", 1, 8),
    "python-constant": ("stream: True\n", "E040", 1, 9),
    "too-deep": ("a: " + "[" * 150 + "]" * 150 + "\n", "E017", 1, 104),
}


def first_error(text: str) -> MintError:
    with pytest.raises(MintError) as info:
        loads(text, path="sweep.mint")
    return info.value


@pytest.mark.parametrize("name", sorted(CASES))
def test_error_kind(name: str, snapshot: Any) -> None:
    text, code, line, column = CASES[name]
    err = first_error(text)
    assert (err.code, err.line, err.column) == (code, line, column)
    assert err.render() == snapshot


def test_caret_run_covers_the_span() -> None:
    err = first_error("t: 0..10 stpe 2\n")
    assert err.render().splitlines()[2] == "   |          ^^^^"


def test_tabs_are_accepted_and_carets_align() -> None:
    assert loads("a:\t1\n\tb:\t[1,\t2]*\n") == loads("a: 1\nb: [1, 2]*\n")
    err = first_error("\ta:\t0..1 step 0\n")
    assert err.column == 15
    assert err.render().splitlines()[2] == "   | \t  \t          ^"


def test_bom_and_crlf_are_accepted() -> None:
    assert loads("\ufeffa: [1, 2]*\r\nb: 2\r\n") == loads("a: [1, 2]*\nb: 2\n")


def test_duplicate_key_names_both_places() -> None:
    err = first_error('model: "a"\ntemperature: 1\nmodel: "b"\n')
    text = err.render()
    assert "sweep.mint:3:1: error[E020]: key `model` is defined twice" in text
    assert "sweep.mint:1:1: note: `model` is first defined here" in text


def test_unclosed_points_at_opener_and_end() -> None:
    err = first_error("llm: {\n  model: 1\n")
    rel = err.diagnostics[0].related
    assert [(r.span.line, r.span.column, r.message) for r in rel] == [(3, 1, "the file ends here")]


def test_every_error_of_a_file_in_one_run() -> None:
    text = (
        'a: "x\n'            # E006 unterminated string
        "b 1\n"              # E007 missing colon
        "c: 0..1 step 0\n"   # E030 zero step (semantic)
        "d: [1,,2]\n"        # E014 empty element
        "e: 1..5 stpe 1\n"   # E015 unknown word
        "c: 2\n"             # E020 duplicate
        "f: []*\n"           # E022 empty sweep
    )
    err = first_error(text)
    got = [(d.code, d.span.line) for d in err.diagnostics]
    assert got == [("E006", 1), ("E007", 2), ("E030", 3), ("E014", 4), ("E015", 5), ("E020", 6), ("E022", 7)]


def test_no_cascade_after_unbalanced_line() -> None:
    err = first_error("a: [1, 2\nb: 3\nc: 4\n")
    assert [d.code for d in err.diagnostics] == ["E003"]


def test_invalid_utf8_names_the_line() -> None:
    with pytest.raises(MintError) as info:
        compile_source(decode(b"a: 1\nb: 2\nc: \"\xc3\x28\"\n", "sweep.mint"))
    err = info.value
    assert (err.code, err.line, err.column) == ("E004", 3, 5)
    assert "on line 3" in err.message


def test_nul_byte() -> None:
    with pytest.raises(MintError) as info:
        compile_source(decode(b"a: 1\nb: \x00\n", "sweep.mint"))
    assert (info.value.code, info.value.line, info.value.column) == ("E005", 2, 4)


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    err = first_error("a: " + "[" * 100_000)
    assert err.code == "E017"
    err = first_error("a: " + "{b: " * 100_000)
    assert err.code == "E017"


@pytest.fixture
def run_mintc(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., subprocess.CompletedProcess[str]]:
    """mintc's output and exit code, in-process (tests/inproc.py): these tests are about what it prints."""
    return functools.partial(run_main, capsys, monkeypatch)


def test_check_clean_and_broken(tmp_path: Path,
        run_mintc: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    (tmp_path / "good.mint").write_text("a: [1, 2]*\nb: 0..2\n")
    (tmp_path / "bad.mint").write_text("a: 0..1 step 0\nb 2\n")
    ok = run_mintc("check", "good.mint", cwd=tmp_path)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "good.mint: ok, 6 configs\n", "")
    bad = run_mintc("check", "good.mint", "bad.mint", cwd=tmp_path)
    assert bad.returncode == 1
    assert bad.stdout == "good.mint: ok, 6 configs\n"
    assert bad.stderr.startswith("bad.mint:1:14: error[E030]")
    assert bad.stderr.endswith("2 errors in 1 file\n")


def test_check_json(tmp_path: Path,
        run_mintc: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    (tmp_path / "bad.mint").write_text("a: 0..1 step 0\nb 2\n")
    out = run_mintc("check", "--format", "json", "bad.mint", cwd=tmp_path)
    assert out.returncode == 1
    payload = json.loads(out.stdout)
    assert payload["files"] == [{"file": "bad.mint", "ok": False, "configs": None, "exact": None, "warnings": 0}]
    first = payload["diagnostics"][0]
    assert first == {
        "file": "bad.mint", "line": 1, "column": 14, "end_line": 1, "end_column": 15,
        "code": "E030", "severity": "error", "message": "the step of a range cannot be 0",
        "hint": "use a positive step to count up or a negative one to count down", "related": [],
    }
    assert payload["diagnostics"][1]["code"] == "E007"


def test_check_does_not_write(tmp_path: Path,
        run_mintc: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    (tmp_path / "good.mint").write_text("a: 1\n")
    run_mintc("check", "good.mint", cwd=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.mint"]


def test_max_configs_refuses_before_expanding(tmp_path: Path,
        run_mintc: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    (tmp_path / "huge.mint").write_text("a: 0..999999\nb: 0..999999\n")  # 10**12 configs
    out = run_mintc("compile", "huge.mint", cwd=tmp_path)
    assert out.returncode == 1
    assert "this sweep has 1,000,000,000,000 configs, more than --max-configs allows (1,000,000) for json output" in out.stderr
    assert "JSONL" in out.stderr
    small = run_mintc("compile", "--max-configs", "3", str(ROOT / "examples/lists.mint"), cwd=tmp_path)
    assert small.returncode == 0
    over = run_mintc("compile", "--max-configs", "2", str(ROOT / "examples/lists.mint"), "--format", "py", cwd=tmp_path)
    assert over.returncode == 1 and "E050" in over.stderr
    assert run_mintc("compile", "--max-configs", "0", "x.mint", cwd=tmp_path).returncode == 2


def test_expected_lists_name_only_what_can_follow() -> None:
    # Lark's own list merges LALR states and offered `}` here.
    assert first_error("a: 1]\n").message == "unexpected `]`; expected `,`, `---`, the end of the file or a new line"
    # Keywords are valid keys, but "a name" already says so.
    assert first_error('model: "x"\n: 0.5\n').message == (
        "unexpected `:`; expected `,`, `---`, a name, a string, the end of the file or a new line"
    )


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        ("let a = a\nk: a\n", "E040", 1, 9),  # was a RecursionError
        ("let a = b\nlet b = a\nk: a\n", "E040", 1, 9),
        ('schema {\n  model: string in 1..3\n}\nmodel: "gpt-4"\n', "E080", 2, 10),  # was a ValueError
        ("a: ..5\n", "E016", 1, 4),
        ("a", "E007", 1, 2),  # the same code with or without a final newline
        ("a:", "E008", 1, 2),
        ("a: 0..10 b: 2\n", "E019", 1, 10),
        ("a: 0..10 step 2 foo\n", "E019", 1, 17),
        ('model: "x"\nwhere model = "x"\n', "E002", 2, 13),
        ('model: "x"\nwhere (model == "a"\n', "E003", 2, 7),
        ('prompt: "You are\nhelpful."\n', "E006", 1, 9),
    ],
)
def test_regressions_from_review(text: str, code: str, line: int, column: int) -> None:
    err = first_error(text)
    assert [(d.code, d.span.line, d.span.column) for d in err.diagnostics] == [(code, line, column)]


def test_hints_fit_the_mistake() -> None:
    assert first_error("model: m*\nlet m = [1]\n").hint == "`m` is defined later, on line 2: a name must be defined before it is used"
    assert first_error("a: 0..n\n").hint == "a range bound is a number, or the name of one defined with `let`"
    assert first_error('model: "x"\nwhere model = "x"\n').hint == "compare with `==`"


def test_control_characters_are_shown_visibly() -> None:
    text = first_error("a: 1\rb: 2\n").render()
    assert "\r" not in text and "a: 1\u240db: 2" in text
