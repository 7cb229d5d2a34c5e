"""Never silent (issue 10, part D): warnings for what compiles but is almost
surely not what was meant, `--deny-warnings` for CI, and `--allow-empty`
for the one case where an empty document is wanted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types as lsp

import spearmint_lang
from spearmint_lang.cli import main
from spearmint_lang.compiler import compile_text
from spearmint_lang.lsp.analysis import Analysis
from spearmint_lang.lsp.diagnostics import diagnostics


def warned(text: str) -> list[tuple[str, int, int]]:
    unit = compile_text(text, "sweep.mint")
    assert unit.ok, [d.render() for d in unit.diagnostics]
    return [(d.code, d.span.line, d.span.column) for d in unit.diagnostics]


@pytest.mark.parametrize(("text", "expected"), [
    # W001: a step that jumps past the end at once (meant as a factor, or too large)
    ("lr: 1e-5..1e-1 step 10\n", [("W001", 1, 21)]),
    ("x: 0..1 step 5\n", [("W001", 1, 14)]),
    # W002: a `where` path some configs lack
    ('variants [ { a: 1 }, { b: [1, 2]* } ]\nwhere a == 1 or b == 2\n', [("W002", 2, 7), ("W002", 2, 17)]),
    # W003: the same config twice
    ("a: [1, 2, 1]*\n", [("W003", 1, 4)]),
    ("zip { a: [1, 1], b: [2, 2] }\n", [("W003", 1, 1)]),
    ("variants [ { a: [1, 2]* }, { a: 2 } ]\n", [("W003", 1, 28)]),
    ('config_id: "x"\na: [1, 2]*\n', [("W003", 1, 1)]),
    # W004: nothing kept among the first million combinations
    ("a: 0..99999999\nwhere a == 99999999\n", [("W004", 2, 1)]),
])
def test_each_warning(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert warned(text) == expected


@pytest.mark.parametrize("text", [
    "lr: 1e-5..1e-1 step *10\n",
    "x: 0..1 step 1\n",  # 0 and 1
    "x: 0..0 step 5\n",  # a range of one bound: one value, as written
    'variants [ { a: 1 }, { a: [2, 3]* } ]\nwhere a == 1\n',
    "a: [1, 1.0, true, \"1\"]*\n",  # four different JSON values
    'zip { config_id: ["p", "q"], a: [1, 2] }\n',
    'config_id: "x"\na: 1\n',
    "a: 0..999\nwhere a == 999\n",
])
def test_no_warning_where_none_is_due(text: str) -> None:
    assert warned(text) == []


def test_warnings_do_not_stop_the_api(tmp_path: Path) -> None:
    path = tmp_path / "w.mint"
    path.write_text("a: [1, 1]*\n", encoding="utf-8")
    assert len(spearmint_lang.load(path)) == 2
    unit = spearmint_lang.compiler.compile_file(path)
    assert [(d.code, d.severity) for d in unit.diagnostics] == [("W003", "warning")]


def test_check_prints_warnings_and_passes_unless_denied(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.mint"
    path.write_text("lr: 1e-5..1e-1 step 10\n", encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr()
    assert out.out == f"{path}: ok, 1 config, 1 warning\n"
    assert out.err.startswith(f"{path}:1:21: warning[W001]: this range has one value, 1e-5")
    assert "hint: did you mean `step *10`?" in out.err
    assert main(["check", "--deny-warnings", str(path)]) == 1
    capsys.readouterr()
    assert main(["check", "--format", "json", str(path)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["files"] == [{"file": str(path), "ok": True, "configs": 1, "exact": True, "warnings": 1}]
    assert [(d["code"], d["severity"]) for d in payload["diagnostics"]] == [("W001", "warning")]


def test_compile_writes_despite_warnings_unless_denied(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.mint"
    path.write_text("a: [1, 2, 1]*\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["compile", str(path), "-o", str(out)]) == 0
    assert "warning[W003]" in capsys.readouterr().err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    out.unlink()
    assert main(["compile", "--deny-warnings", str(path), "-o", str(out)]) == 1
    assert "warning[W003]" in capsys.readouterr().err
    assert not out.exists()


def test_errors_and_warnings_are_shown_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.mint"
    path.write_text("a: [1, 1]*\nb: 0..1 step 0\n", encoding="utf-8")
    assert main(["compile", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.index("warning[W003]") < err.index("error[E030]")


def test_allow_empty_lets_a_document_give_no_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for text in ("x: []*\n", "zip {}\n", "a: [1, 2]*\nwhere a > 5\n", "x: 0..<0\n"):
        path = tmp_path / "e.mint"
        path.write_text(text, encoding="utf-8")
        assert main(["compile", str(path)]) == 1
        assert main(["compile", "--allow-empty", str(path)]) == 0
        assert main(["check", "--allow-empty", str(path)]) == 0
        assert main(["count", "--allow-empty", str(path)]) == 0
        out = capsys.readouterr().out
        assert out.startswith("[]\n") and f"{path}: ok, 0 configs\n" in out and f"{path}: 0 configs\n" in out


def test_an_empty_zip_is_an_error() -> None:
    with pytest.raises(spearmint_lang.MintError) as info:
        spearmint_lang.loads("a: 1\nzip {}\n")
    assert (info.value.code, info.value.line) == ("E022", 2)
    assert info.value.message == "this `zip` has no keys, so the document would expand to nothing"


def test_the_editor_shows_warnings_as_warnings(tmp_path: Path) -> None:
    path = tmp_path / "w.mint"
    analysis = Analysis(path.as_uri(), "a: [1, 1]*\n", 1, "utf-16")
    [diag] = diagnostics(analysis)
    assert (diag.code, diag.severity) == ("W003", lsp.DiagnosticSeverity.Warning)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is Linux's")
def test_looking_for_a_kept_config_takes_flat_memory(tmp_path: Path) -> None:
    """W004's search tries a million combinations of a 10**8-value range
    without listing the range: it made a tuple of all 10**8 values first
    (4 GB of memory, 7 s) and now runs in well under 1 GB."""
    path = tmp_path / "sweep.mint"
    path.write_text("a: 0..99999999\nwhere a == 99999999\n", encoding="utf-8")

    def limit() -> None:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run([sys.executable, "-m", "spearmint_lang", "check", str(path)], capture_output=True,
                          text=True, preexec_fn=limit, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "warning[W004]" in done.stderr
