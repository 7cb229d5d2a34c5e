"""`mintc diff OLD NEW` and `mintc compile --exclude-ids DONE` (issue 15,
item 2): configs matched by `config_id`, counted as a multiset; exact
outputs, exit codes and the stderr counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spearmint_lang
from spearmint_lang.cli import main
from tests.conftest import DEADLINE, EXAMPLES

TUNING = (EXAMPLES / "tuning.mint").read_text(encoding="utf-8")
# One value removed (temperature 0.0) and one added (2.1): 9 configs each.
TUNING_2 = TUNING.replace("0.0..2.0 step 0.1", "0.1..2.1 step 0.1")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding old.mint (examples/tuning.mint) and new.mint, made current."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.mint").write_text(TUNING, encoding="utf-8")
    (tmp_path / "new.mint").write_text(TUNING_2, encoding="utf-8")
    return tmp_path


def jsonl(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    code, out, _ = run(capsys, "compile", *args, "--format", "jsonl")
    assert code == 0
    return [json.loads(line) for line in out.splitlines()]


# --- mintc diff -----------------------------------------------------------------------


def test_diff_of_two_versions(here: Path, capsys: pytest.CaptureFixture[str], snapshot: Any) -> None:
    code, out, err = run(capsys, "diff", "old.mint", "new.mint")
    assert (code, err) == (1, "")
    assert out.splitlines()[-1] == "+9 added, -9 removed, 180 kept"
    assert out == snapshot


def test_diff_as_json(here: Path, capsys: pytest.CaptureFixture[str], snapshot: Any) -> None:
    code, out, _ = run(capsys, "diff", "old.mint", "new.mint", "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["kept"] == 180 and report["equal"] is False
    assert [a["index"] for a in report["added"]] == list(range(180, 189))
    assert [r["index"] for r in report["removed"]] == list(range(9))
    assert out == snapshot


def test_diff_against_a_previous_output(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "compile", "old.mint", "-o", "old.jsonl")[0] == 0
    assert run(capsys, "compile", "old.mint", "-o", "old.json")[0] == 0
    code, out, _ = run(capsys, "diff", "old.jsonl", "new.mint")
    assert code == 1 and out.splitlines()[-1] == "+9 added, -9 removed, 180 kept"
    assert out.splitlines()[11] == ('- [0] {"model": "gpt-4", "temperature": 0.0, "top_p": 0.9, '
                                   '"frequency_penalty": 0.0, "config_id": "b1e4f3a2d9d298d2"}')
    assert run(capsys, "diff", "old.jsonl", "old.mint") == (
        0, "--- old.jsonl\n+++ old.mint\n+0 added, -0 removed, 189 kept\n", "")
    assert run(capsys, "diff", "old.json", "old.jsonl")[:2] == (
        0, "--- old.json\n+++ old.jsonl\n+0 added, -0 removed, 189 kept\n")


def test_an_output_is_told_by_its_content_and_ids_are_computed(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No extension: JSONL by its first character; a config without its
    `config_id` gets spearmint's."""
    lines = [{k: v for k, v in c.items() if k != "config_id"} for c in jsonl(capsys, "old.mint")]
    (here / "results").write_text("".join(json.dumps(c) + "\n" for c in lines), encoding="utf-8")
    assert run(capsys, "diff", "results", "old.mint")[:2] == (
        0, "--- results\n+++ old.mint\n+0 added, -0 removed, 189 kept\n")


def test_duplicates_are_counted(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "dup.mint").write_text("a: [1, 2, 1]*\n", encoding="utf-8")
    (here / "one.mint").write_text("a: [1, 2]*\n", encoding="utf-8")
    one = '{"a": 1, "config_id": "f9d86028c6e0d64e"}'
    code, out, _ = run(capsys, "diff", "dup.mint", "one.mint")
    assert (code, out) == (1, f"--- dup.mint\n+++ one.mint\n- [2] {one}\n+0 added, -1 removed, 2 kept\n")
    code, out, _ = run(capsys, "diff", "one.mint", "dup.mint")
    assert (code, out) == (1, f"--- one.mint\n+++ dup.mint\n+ [2] {one}\n+1 added, -0 removed, 2 kept\n")
    code, out, _ = run(capsys, "diff", "dup.mint", "one.mint", "--format", "json")
    assert json.loads(out) == {"old": "dup.mint", "new": "one.mint", "added": [],
                               "removed": [{"index": 2, "config": json.loads(one)}], "kept": 2, "equal": False}


def test_a_broken_input(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "broken.mint").write_text("a: [1, 2*\n", encoding="utf-8")
    code, out, err = run(capsys, "diff", "old.mint", "broken.mint")
    assert (code, out) == (1, "") and err.startswith("broken.mint:1:") and "error[E" in err
    (here / "bad.jsonl").write_text('{"a": 1}\n{"a": \n', encoding="utf-8")
    code, _, err = run(capsys, "diff", "bad.jsonl", "old.mint")
    assert (code, err) == (1, "bad.jsonl: error: line 2: not valid JSON: Expecting value\n")
    (here / "bad.json").write_text('[{"a": 1}, 3]', encoding="utf-8")
    code, _, err = run(capsys, "diff", "old.mint", "bad.json")
    assert (code, err) == (1, "bad.json: error: item 1 is not a config (a JSON object)\n")


def test_usage_errors_exit_2(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["diff", "old.mint"])
    assert stop.value.code == 2
    with pytest.raises(SystemExit) as stop:
        main(["diff", "old.mint", "new.mint", "--format", "yaml"])
    assert stop.value.code == 2


# --- mintc compile --exclude-ids --------------------------------------------------------


def _done_files(here: Path, done: list[dict[str, Any]]) -> dict[str, str]:
    """The same ids done, as each kind of DONE."""
    ids = [c["config_id"] for c in done]
    (here / "ids.txt").write_text("".join(f"{i}\n" for i in ids), encoding="utf-8")
    results = [{"config_id": c["config_id"], "loss": 0.5} for c in done]
    (here / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results), encoding="utf-8")
    (here / "results.json").write_text(json.dumps(results), encoding="utf-8")
    return {"ids": "ids.txt", "jsonl": "results.jsonl", "json": "results.json"}


def test_exclude_ids_of_each_kind(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    every = jsonl(capsys, "old.mint")
    done = every[:5] + [every[40]]
    kinds = _done_files(here, done)
    assert run(capsys, "compile", "old.mint", "--split", "split", "--range", "0:5")[0] == 0
    assert run(capsys, "compile", "old.mint", "--split", "split", "--range", "40:41")[0] == 0
    kinds["split"] = "split"
    expected = every[5:40] + every[41:]
    for done_file in kinds.values():
        code, out, err = run(capsys, "compile", "old.mint", "--format", "jsonl", "--exclude-ids", done_file)
        assert code == 0 and [json.loads(line) for line in out.splitlines()] == expected, done_file
        assert err == f"mintc: skipped 6 configs already done (in {done_file})\n"
    code, out, err = run(capsys, "compile", "old.mint", "--exclude-ids", "ids.txt")  # json
    assert code == 0 and json.loads(out) == expected


def test_exclude_ids_resumes_a_split(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "compile", "old.mint", "--split", "split", "--range", "0:100")[0] == 0
    os.utime(here / "split" / sorted(os.listdir(here / "split"))[0], (0, 0))
    code, _, err = run(capsys, "compile", "old.mint", "--split", "split", "--exclude-ids", "split")
    assert (code, err) == (0, "mintc: skipped 100 configs already done (in split)\n")
    names = sorted(os.listdir(here / "split"))
    assert len(names) == 189 and os.stat(here / "split" / names[0]).st_mtime == 0  # (not rewritten)


def test_exclude_ids_after_the_shard(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    every = jsonl(capsys, "old.mint")
    _done_files(here, every[:5])
    code, out, err = run(capsys, "compile", "old.mint", "--shard", "1/4", "--format", "jsonl", "--exclude-ids", "ids.txt")
    assert code == 0 and [json.loads(line) for line in out.splitlines()] == every[5:47]
    assert err == "mintc: skipped 5 configs already done (in ids.txt)\n"
    code, out, err = run(capsys, "compile", "old.mint", "--shard", "2/4", "--format", "jsonl", "--exclude-ids", "ids.txt")
    assert code == 0 and len(out.splitlines()) == 47
    assert err == "mintc: skipped 0 configs already done (in ids.txt); 5 ids in ids.txt are not in this slice\n"
    code, _, err = run(capsys, "compile", "new.mint", "--format", "jsonl", "--exclude-ids", "ids.txt")
    assert err == "mintc: skipped 0 configs already done (in ids.txt); 5 ids in ids.txt are not in this sweep\n"


def test_exclude_ids_refuses_a_result_without_an_id(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "done.jsonl").write_text('{"config_id": "b1e4f3a2d9d298d2"}\n\n{"loss": 1}\n', encoding="utf-8")
    assert run(capsys, "compile", "old.mint", "--exclude-ids", "done.jsonl") == (
        1, "", 'done.jsonl: error: line 3 has no "config_id"\n')
    (here / "done.json").write_text('[{"loss": 1}]', encoding="utf-8")
    assert run(capsys, "compile", "old.mint", "--exclude-ids", "done.json") == (
        1, "", 'done.json: error: item 0 has no "config_id"\n')
    assert run(capsys, "compile", "old.mint", "--exclude-ids", "missing.txt") == (
        1, "", "missing.txt: error: cannot read: No such file or directory\n")


@settings(max_examples=15, deadline=DEADLINE)
@given(values=st.lists(st.integers(0, 3), min_size=1, max_size=6), data=st.data())
def test_exclude_the_first_k_outputs_leaves_the_rest(tmp_path_factory: pytest.TempPathFactory,
                                                     values: list[int], data: st.DataObject) -> None:
    """compile minus --exclude-ids(first k outputs) == the outputs after k,
    duplicates included (each id in DONE skips one config)."""
    folder = tmp_path_factory.mktemp("prop")
    sweep = folder / "s.mint"
    sweep.write_text(f"a: {values}*\nb: [true, false]*\n", encoding="utf-8")
    from spearmint_lang import Sweep

    lines = [json.dumps(c, separators=(",", ":")) + "\n" for c in Sweep(str(sweep))]
    k = data.draw(st.integers(0, len(lines)))
    done = folder / "done.jsonl"
    done.write_text("".join(lines[:k]), encoding="utf-8")
    out = folder / "out.jsonl"
    assert main(["compile", str(sweep), "-o", str(out), "--exclude-ids", str(done)]) == 0
    assert out.read_text(encoding="utf-8").splitlines(keepends=True) == lines[k:]


def test_the_real_mintc_diffs_two_examples() -> None:
    """The one subprocess: two examples differ (exit 1)."""
    env = dict(os.environ)
    parent = str(Path(spearmint_lang.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = parent + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    done = subprocess.run([sys.executable, "-m", "spearmint_lang", "diff", "examples/grid-2d.mint",
                           "examples/grid-3d.mint"], cwd=EXAMPLES.parent, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1 and done.stderr == ""
    assert done.stdout.splitlines()[-1].endswith("removed, 0 kept")
