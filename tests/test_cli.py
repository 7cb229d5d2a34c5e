"""`mintc` as a user runs it: outputs, formats, exit codes and error text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from spearmint_lang import __version__
from spearmint_lang.cli import main
from tests.conftest import EXAMPLES, ROOT
from tests.inproc import run_main


def run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spearmint_lang", *args],
        cwd=cwd or ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


@pytest.fixture
def run_in(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`run` in-process (tests/inproc.py), for error text and exit codes; the
    real process keeps its own tests (entry point, stdin, UTF-8 stdout, a closed
    pipe, hash seeds, an unknown command)."""
    def call(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return run_main(capsys, monkeypatch, *args, cwd=cwd or ROOT)
    return call


def test_compile_prints_json_array() -> None:
    out = run("compile", "examples/grid-2d.mint")
    assert out.returncode == 0, out.stderr
    configs = json.loads(out.stdout)
    assert len(configs) == 6
    assert out.stdout.startswith("[\n  {\n    \"model\": \"gpt-4\",")
    assert out.stderr == ""


def test_output_is_deterministic_across_hash_seeds() -> None:
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        res = subprocess.run(
            [sys.executable, "-m", "spearmint_lang", "compile", "examples/tuning.mint", "--format", "py"],
            cwd=ROOT, capture_output=True, env=env, check=True,
        )
        outputs.add(res.stdout)
    assert len(outputs) == 1


@pytest.mark.parametrize(("ext", "fmt"), [(".json", "json"), (".jsonl", "jsonl"), (".py", "py")])
def test_format_from_extension(tmp_path: Path, ext: str, fmt: str) -> None:
    target = tmp_path / f"out{ext}"
    assert main(["compile", str(EXAMPLES / "lists.mint"), "-o", str(target)]) == 0
    again = tmp_path / "again.txt"
    assert main(["compile", str(EXAMPLES / "lists.mint"), "-o", str(again), "--format", fmt]) == 0
    assert target.read_bytes() == again.read_bytes()


def test_jsonl_has_one_config_per_line(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    assert main(["compile", str(EXAMPLES / "tuning.mint"), "-o", str(target)]) == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 189
    assert json.loads(lines[3])["temperature"] == 0.0


def test_format_overrides_extension(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    assert main(["compile", str(EXAMPLES / "lists.mint"), "-o", str(target), "--format", "jsonl"]) == 0
    assert len(target.read_text().splitlines()) == 3


def test_unknown_extension_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compile", str(EXAMPLES / "lists.mint"), "-o", str(tmp_path / "out.txt")]) == 2
    assert "pass --format" in capsys.readouterr().err
    assert not (tmp_path / "out.txt").exists()


def test_bad_flag_exits_2(run_in: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    assert run_in("compile", "examples/lists.mint", "--format", "toml").returncode == 2
    assert run("frobnicate").returncode == 2  # the real process once
    assert run_in().returncode == 2


def test_version_and_help() -> None:
    out = run("--version")
    assert (out.returncode, out.stdout.strip()) == (0, f"mintc {__version__}")
    helped = run("--help")
    assert helped.returncode == 0 and "compile" in helped.stdout
    assert run("compile", "--help").returncode == 0


def test_compile_error_is_located_without_traceback(tmp_path: Path, run_in: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    bad = tmp_path / "bad.mint"
    bad.write_text('model: ["a", "b"]*\ntemperature: 0..1 step 0\n', encoding="utf-8")
    out = run_in("compile", str(bad))
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr == (
        f"{bad}:2:24: error[E030]: the step of a range cannot be 0\n"
        " 2 | temperature: 0..1 step 0\n"
        "   |                        ^\n"
        "  hint: use a positive step to count up or a negative one to count down\n"
    )
    assert "Traceback" not in out.stderr


def test_syntax_error_exit_1(tmp_path: Path, run_in: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    bad = tmp_path / "bad.mint"
    bad.write_text("model \"a\"\n", encoding="utf-8")
    out = run_in("compile", str(bad))
    assert out.returncode == 1
    assert out.stderr.startswith(f"{bad}:1:6: error[E007]: missing `:` after key `model`")


def test_missing_file_exit_1(run_in: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    out = run_in("compile", "no/such.mint")
    assert out.returncode == 1
    assert out.stderr == "no/such.mint:1:1: error[E000]: cannot read file: No such file or directory\n"
    assert "Traceback" not in out.stderr


def test_error_leaves_existing_output_untouched(tmp_path: Path, run_in: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    target = tmp_path / "out.json"
    target.write_text("precious", encoding="utf-8")
    bad = tmp_path / "bad.mint"
    bad.write_text("a: []*\n", encoding="utf-8")
    assert run_in("compile", str(bad), "-o", str(target)).returncode == 1
    assert target.read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.mint", "out.json"]


def test_stdin_source() -> None:
    out = run("compile", "-", "--format", "jsonl", stdin="a: [1, 2]*\n")
    assert out.returncode == 0
    assert [json.loads(x)["a"] for x in out.stdout.splitlines()] == [1, 2]


def test_stdout_is_utf8() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "spearmint_lang", "compile", "-"],
        cwd=ROOT, input='p: "héllo 😀"'.encode(), capture_output=True,
        env=dict(os.environ, PYTHONIOENCODING="ascii"),
    )
    assert out.returncode == 0
    assert "héllo 😀".encode() in out.stdout


def test_internal_error_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import spearmint_lang.compiler as compiler

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(compiler, "compile_unit", boom)
    assert main(["compile", str(EXAMPLES / "lists.mint")]) == 3
    err = capsys.readouterr().err
    assert err == f"internal error in mintc {__version__}: RuntimeError: kaboom — please report\n"
    with pytest.raises(RuntimeError):
        main(["--debug", "compile", str(EXAMPLES / "lists.mint")])


def test_closed_pipe_is_quiet(tmp_path: Path) -> None:
    big = tmp_path / "big.mint"
    big.write_text("x: 0..200000\n", encoding="utf-8")  # far more than a pipe buffer
    proc = subprocess.Popen(
        [sys.executable, "-m", "spearmint_lang", "compile", str(big), "--format", "jsonl"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait()
    assert err == b""
    assert proc.returncode in (0, 141)


def test_format_choices_are_the_output_formats() -> None:
    """The command line offers exactly the formats `output.formats` defines
    (spelt out in `cli` so that `mintc --version` imports nothing more)."""
    from spearmint_lang.cli import _parser
    from spearmint_lang.output.formats import FORMATS

    compile_action = next(a for a in _parser()._subparsers._group_actions[0].choices["compile"]._actions  # type: ignore[union-attr]
                          if a.dest == "format")
    assert tuple(compile_action.choices or ()) == FORMATS


@pytest.mark.parametrize("command", ["compile", "count", "explain", "check", "fmt", "diff", "convert", "lsp"])
def test_a_command_parsed_alone_has_the_help_and_arguments_of_the_whole_parser(command: str) -> None:
    """`mintc CMD ...` builds CMD's parser alone (start-up): its help, and
    what it makes of arguments, are those of the parser of every command."""
    from spearmint_lang.cli import COMMANDS, _parser

    assert command in COMMANDS
    whole = _parser()._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    alone = _parser(command)._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert list(alone) == [command]
    assert alone[command].format_help() == whole.format_help()
    args = [command, "a.mint"] + (["b.mint"] if command == "diff" else []) if command != "lsp" else [command]
    assert _parser(command).parse_args(args) == _parser().parse_args(args)
