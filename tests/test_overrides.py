"""Overrides from the command line (`--set`, `--add`) and the API (`overrides=[...]`):
the configs they give, and their mistakes, located in the override's own source."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spearmint_lang
from spearmint_lang import MintError, Sweep, load, loads
from spearmint_lang.cli import main
from tests.conftest import DEADLINE, ROOT, strip_ids

SWEEP = """\
let models = ["a", "b", "c"]
model: "a"
optimizer: { name: "adam", lr: 0.01 }
seed: 0
"""


def values(text: str, *overrides: str) -> list[dict[str, Any]]:
    return strip_ids(loads(text, "sweep.mint", overrides=list(overrides)))


def rendered(text: str, *overrides: str) -> str:
    with pytest.raises(MintError) as info:
        loads(text, "sweep.mint", overrides=list(overrides))
    return info.value.render()


def mintc(folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
          *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(folder)
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "sweep.mint").write_text(SWEEP, encoding="utf-8")
    return tmp_path


# --- the configs ------------------------------------------------------------------------------

def test_scalar() -> None:
    assert values(SWEEP, "seed=7") == [{"model": "a", "optimizer": {"name": "adam", "lr": 0.01}, "seed": 7}]


def test_list_sweep_and_nested_path_keep_the_other_keys() -> None:
    assert values(SWEEP, 'model=["x", "y"]*', "optimizer.lr=0.1") == [
        {"model": "x", "optimizer": {"name": "adam", "lr": 0.1}, "seed": 0},
        {"model": "y", "optimizer": {"name": "adam", "lr": 0.1}, "seed": 0},
    ]


def test_range() -> None:
    assert [c["optimizer"]["lr"] for c in values(SWEEP, "optimizer.lr=0.1..0.3 step 0.1")] == [0.1, 0.2, 0.3]
    assert [c["seed"] for c in values(SWEEP, "seed=0..<3")] == [0, 1, 2]


def test_object_replaces_the_whole_value() -> None:
    assert values(SWEEP, 'optimizer={name: "sgd", momentum: 0.9}')[0]["optimizer"] == {"name": "sgd", "momentum": 0.9}


def test_let_name_of_the_file() -> None:
    assert [c["model"] for c in values(SWEEP, "model=models*")] == ["a", "b", "c"]


def test_distribution_with_sample() -> None:
    configs = values(SWEEP + "sample 4 seed 1\n", "optimizer.lr=loguniform(1e-4, 1e-1)")
    assert len(configs) == 4 and all(1e-4 <= c["optimizer"]["lr"] < 1e-1 for c in configs)


def test_quoted_key_holding_a_dot() -> None:
    assert values('"a.b": 1\n', '"a.b"=2') == [{"a.b": 2}]


def test_add_new_keys_at_the_end_and_inside_objects() -> None:
    assert values(SWEEP, "+notes=\"x\"", "+optimizer.beta=0.9") == [
        {"model": "a", "optimizer": {"name": "adam", "lr": 0.01, "beta": 0.9}, "seed": 0, "notes": "x"}]


def test_later_override_wins() -> None:
    assert values(SWEEP, "seed=1", "seed=2")[0]["seed"] == 2
    assert values(SWEEP, "optimizer={lr: 1}", "optimizer.lr=2")[0]["optimizer"] == {"lr": 2}


def test_overriding_equals_editing_the_file() -> None:
    edited = SWEEP.replace("lr: 0.01", "lr: [0.1, 0.2]*")
    assert loads(SWEEP, overrides=["optimizer.lr=[0.1, 0.2]*"]) == loads(edited)


@settings(max_examples=30, deadline=DEADLINE)
@given(st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False, width=32),
                 st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8), st.booleans()))
def test_any_literal_override_is_the_literal_written_in_the_file(value: object) -> None:
    written = json.dumps(value, ensure_ascii=False)
    assert loads(SWEEP, overrides=[f"seed={written}"]) == loads(SWEEP.replace("seed: 0", f"seed: {written}"))


def test_extended_file_keys_can_be_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "base.mint").write_text('model: "a"\noptimizer: { lr: 0.1, momentum: 0.9 }\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert values('extends "base.mint"\nseed: 1\n', "optimizer.lr=0.5") == [
        {"model": "a", "optimizer": {"lr": 0.5, "momentum": 0.9}, "seed": 1}]


def test_schema_checks_the_overridden_value_and_knows_optional_keys() -> None:
    text = SWEEP + "schema {\n  model: string\n  optimizer: { name: string, lr: float }\n  seed: int\n  dropout?: float\n}\n"
    assert values(text, "dropout=0.5")[0]["dropout"] == 0.5
    assert rendered(text, "seed=0.5") == """\
override seed:1:6: error[E083]: `seed` must be int, but this is the float 0.5
 1 | seed=0.5
   |      ^^^"""


def test_where_sees_the_overridden_values() -> None:
    text = SWEEP + 'where model != "b"\n'
    assert [c["model"] for c in values(text, 'model=["a", "b", "c"]*')] == ["a", "c"]
    assert rendered(text, 'model="b"').startswith("sweep.mint:5:1: error[E068]: `where` keeps no config")


def test_several_documents_each_one_that_knows_the_path() -> None:
    text = 'lr: 0.1\n---\ntask: "x"\n'
    assert values(text, "lr=0.2") == [{"lr": 0.2}, {"task": "x"}]
    assert values(text, '+note="n"') == [{"lr": 0.1, "note": "n"}, {"task": "x", "note": "n"}]


def test_sweep_and_load_take_overrides(folder: Path) -> None:
    assert len(Sweep(folder / "sweep.mint", overrides=["seed=0..<5"])) == 5
    assert len(Sweep.from_text(SWEEP, overrides=["seed=0..<3"])) == 3
    assert [c["seed"] for c in load(folder / "sweep.mint", overrides=["seed=[1, 2]*"])] == [1, 2]
    assert spearmint_lang.load(folder / "sweep.mint") == load(folder / "sweep.mint", overrides=[])


def test_a_string_is_not_a_list_of_overrides() -> None:
    with pytest.raises(TypeError, match="list of"):
        loads(SWEEP, overrides="seed=1")


# --- mistakes -----------------------------------------------------------------------------------

def test_unknown_key_with_did_you_mean() -> None:
    assert rendered(SWEEP, "optimizer.lrr=0.1") == """\
override optimizer.lrr:1:11: error[E111]: unknown key `lrr` in `optimizer`
 1 | optimizer.lrr=0.1
   |           ^^^
  hint: did you mean `lr`? To add `optimizer.lrr` as a new key, write `'+optimizer.lrr=0.1'`"""
    assert rendered(SWEEP, "modle=1").splitlines()[0] == "override modle:1:1: error[E111]: unknown key `modle` in this file"


def test_key_with_a_dot_must_be_quoted() -> None:
    assert rendered('"a.b": 1\n', "a.b=2").splitlines()[-1] == \
        """  hint: the key `a.b` holds a dot: quote it, `'"a.b"=2'`"""


def test_add_of_an_existing_key() -> None:
    assert rendered(SWEEP, "+seed=1") == """\
override +seed:1:2: error[E112]: `seed` is already set; a `+` override is for a new key
 1 | +seed=1
   |  ^^^^
  hint: to change its value, write `'seed=1'`"""


def test_syntax_error_in_the_value_is_located_in_the_override() -> None:
    assert rendered(SWEEP, "seed=[1, 2").splitlines()[:3] == [
        "override seed:1:6: error[E003]: `[` is never closed", " 1 | seed=[1, 2", "   |      ^"]


def test_path_into_a_zip_and_through_a_string() -> None:
    text = 'model: "a"\nzip { size: [1, 2], width: [10, 20] }\n'
    assert rendered(text, "size=3") == """\
override size:1:1: error[E113]: `size` is set by a `zip`, so an override cannot change it
 1 | size=3
   | ^^^^
sweep.mint:2:7: note: the `zip` sets it here
 2 | zip { size: [1, 2], width: [10, 20] }
   |       ^^^^
  hint: change the block in the file, or override the keys outside it"""
    assert rendered(text, "model.name=1").splitlines()[0] == \
        "override model.name:1:1: error[E113]: `model` is a string here, not an object, so it has no key `name`"


def test_path_into_a_zip_of_the_extended_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "base.mint").write_text("zip { size: [1, 2], width: [10, 20] }\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert rendered('extends "base.mint"\n', "width=3").splitlines()[0] == \
        "override width:1:1: error[E113]: `width` is set by a `zip` of the extended file, so an override cannot change it"


def test_malformed_overrides() -> None:
    assert rendered(SWEEP, "seed").splitlines()[0] == "override seed:1:1: error[E110]: an override is PATH=VALUE, and this has no `=`"
    assert rendered(SWEEP, "seed: 1").splitlines()[-1] == "  hint: write `'seed=1'`"
    assert rendered(SWEEP, "seed=").splitlines()[0] == "override seed:1:5: error[E110]: `seed=` has no value"
    assert rendered(SWEEP, "seed=0.1,0.01") == """\
override seed:1:6: error[E110]: values separated by commas are Hydra's sweep; in .mint a sweep is a list with `*`
 1 | seed=0.1,0.01
   |      ^^^^^^^^
  hint: write `'seed=[0.1, 0.01]*'`"""
    assert rendered(SWEEP, "seed=1\nmodel: 2").splitlines()[0] == \
        "override seed:2:1: error[E110]: an override sets one key to one value"


def test_bare_word_string() -> None:
    assert rendered(SWEEP, "model=gpt4").splitlines()[-1] == \
        """  hint: strings need quotes, and the shell removes them: quote the whole override, `'model="gpt4"'`"""


def test_replaced_override_warns() -> None:
    from spearmint_lang.compiler import compile_text
    from spearmint_lang.overrides import Override

    unit = compile_text(SWEEP, "sweep.mint", overrides=[Override("seed=1", flag="--set"), Override("seed=2", flag="--set")])
    assert unit.ok
    assert [d.render().splitlines()[0] for d in unit.diagnostics] == [
        "--set seed:1:1: warning[W010]: `--set seed` has no effect: the later `--set seed` replaces it"]


# --- the command line ---------------------------------------------------------------------------

def test_compile_with_set(folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = mintc(folder, capsys, monkeypatch, "compile", "sweep.mint", "--set", 'model=["x","y"]*',
                           "--set", "optimizer.lr=0.1", "--format", "jsonl")
    assert (code, err) == (0, "")
    assert strip_ids([json.loads(line) for line in out.splitlines()]) == [
        {"model": "x", "optimizer": {"name": "adam", "lr": 0.1}, "seed": 0},
        {"model": "y", "optimizer": {"name": "adam", "lr": 0.1}, "seed": 0},
    ]


def test_count_and_check_honour_overrides(folder: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert mintc(folder, capsys, monkeypatch, "count", "sweep.mint", "--set", "seed=0..<10",
                 "--set", "model=models*") == (0, "sweep.mint: 30 configs\n", "")
    assert mintc(folder, capsys, monkeypatch, "check", "sweep.mint", "--add", "extra=[1, 2]*") == \
        (0, "sweep.mint: ok, 2 configs\n", "")
    code, out, err = mintc(folder, capsys, monkeypatch, "check", "sweep.mint", "--set", "optimizr.lr=1")
    assert (code, out) == (1, "")
    assert err == """\
--set optimizr.lr:1:1: error[E111]: unknown key `optimizr` in this file
 1 | optimizr.lr=1
   | ^^^^^^^^
  hint: did you mean `optimizer`? To add `optimizr.lr` as a new key, write `--add optimizr.lr=1`
1 error in 1 file
"""


def test_add_of_existing_key_on_the_command_line(folder: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = mintc(folder, capsys, monkeypatch, "compile", "sweep.mint", "--add", 'model="o1"')
    assert code == 1
    assert err == """\
--add model:1:1: error[E112]: `model` is already set; `--add` is for a new key
 1 | model="o1"
   | ^^^^^
  hint: to change its value, write `--set 'model="o1"'`
"""


def test_hydra_arguments_say_what_to_write(folder: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = mintc(folder, capsys, monkeypatch, "compile", "sweep.mint", "seed=0,1", "+note=hi")
    assert (code, out) == (2, "")
    assert err == """\
<command line>:1:26: error[E114]: `seed=0,1` is an override in Hydra's spelling; mintc takes overrides with --set and --add
 1 | mintc compile sweep.mint seed=0,1 +note=hi
   |                          ^^^^^^^^
  hint: write `--set 'seed=[0, 1]*'`
<command line>:1:35: error[E114]: `+note=hi` is an override in Hydra's spelling; mintc takes overrides with --set and --add
 1 | mintc compile sweep.mint seed=0,1 +note=hi
   |                                   ^^^^^^^^
  hint: write `--add 'note="hi"'`
"""


def test_a_file_named_like_an_override_is_a_file(folder: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "a=1.mint").write_text("a: 1\n", encoding="utf-8")
    assert mintc(folder, capsys, monkeypatch, "count", "a=1.mint") == (0, "a=1.mint: 1 config\n", "")


def test_stdin_and_a_real_process(folder: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "spearmint_lang", "compile", "-", "--set", "seed=[1, 2]*",
                          "--format", "jsonl"], input=SWEEP, capture_output=True, text=True, cwd=folder,
                         env={"PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert [json.loads(line)["seed"] for line in out.stdout.splitlines()] == [1, 2]


def test_help_lists_set_and_add(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("compile", "check", "count"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "--set PATH=VALUE change a value of the file, in .mint syntax" in text
        assert "--add PATH=VALUE as --set, for a key the file and its schema do not have" in text


def test_adding_a_key_twice_keeps_the_later() -> None:
    assert values(SWEEP, "+x.a=1", "+x.b=2", "+x.a=3")[0]["x"] == {"a": 3, "b": 2}


def test_a_path_that_is_not_keys_gets_the_quoted_key() -> None:
    assert rendered(SWEEP, "learning rate=1") == """\
override learning rate:1:1: error[E110]: `learning rate` is not a key path: keys with dots between them, a key that is not a name in quotes
 1 | learning rate=1
   | ^^^^^^^^^^^^^
  hint: write `'"learning rate"=1'`"""


def test_an_unclosed_bracket_ends_with_the_override() -> None:
    assert rendered(SWEEP, "seed=[1,\n2").splitlines()[3] == "override seed:2:2: note: the override ends here"


# --- the commands of examples/overrides.mint ---------------------------------------------------

def _example_commands() -> list[tuple[list[str], int]]:
    import re
    import shlex

    text = (ROOT / "examples" / "overrides.mint").read_text(encoding="utf-8")
    found = re.findall(r"^#\s+mintc (.*?)\s+=> (\d+) configs?$", text, re.MULTILINE)
    return [(shlex.split(command), int(count)) for command, count in found]


@pytest.mark.parametrize("args, count", _example_commands())
def test_the_commands_of_the_example_give_what_it_says(args: list[str], count: int, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = mintc(ROOT, capsys, monkeypatch, *args)
    assert code == 0, err
    if args[0] == "count":
        assert out.strip() == f"examples/overrides.mint: {count} configs"
    else:
        assert len(json.loads(out)) == count


def test_the_example_names_three_commands() -> None:
    assert len(_example_commands()) == 3
