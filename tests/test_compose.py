"""Composition (docs/language.md, section 5.7): several `extends` applied in
order, `import "file" as name` for another file's `let` values, and
`key: delete` for an inherited key; every mistake located."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from spearmint_lang.compiler import compile_file
from spearmint_lang.loader import Loader
from tests.conftest import DEADLINE, ROOT, strip_ids

BASE = 'model: "gpt-4o-mini"\noptimizer: { name: "sgd", lr: 0.1, momentum: 0.9 }\nseed: [0, 1]*\n'
GPU = 'device: "cuda"\nbatch_size: 64\noptimizer: { lr: 0.2 }\n'
PROMPTS = 'let system = "You are helpful."\nlet terse = "One word."\nlet low = 1\nlet high = 3\nlet both = [system, terse]\n'


def _files(folder: Path, **files: str) -> None:
    for name, text in files.items():
        (folder / name.replace("__", ".").replace("_", "-")).write_text(text, encoding="utf-8")


def configs(folder: Path, text: str, **files: str) -> list[dict[str, Any]]:
    _files(folder, **files)
    (folder / "sweep.mint").write_text(text, encoding="utf-8")
    unit = compile_file(folder / "sweep.mint")
    assert unit.ok, [d.render() for d in unit.diagnostics]
    from spearmint_lang.expand import iter_configs
    return strip_ids(list(iter_configs(unit.templates())))


def problems(folder: Path, text: str, **files: str) -> list[tuple[str, str, int, int, str]]:
    """(code, file name, line, column, message) of each diagnostic, in order."""
    _files(folder, **files)
    (folder / "sweep.mint").write_text(text, encoding="utf-8")
    unit = compile_file(folder / "sweep.mint")
    return [(d.code, os.path.basename(d.span.source.path), d.span.line, d.span.column, d.message)
            for d in unit.diagnostics]


def hints(folder: Path, text: str) -> list[str | None]:
    (folder / "sweep.mint").write_text(text, encoding="utf-8")
    return [d.hint for d in compile_file(folder / "sweep.mint").diagnostics]


# --- several `extends` -------------------------------------------------------------------

def test_two_extends_apply_in_order_later_wins_objects_merge(tmp_path: Path) -> None:
    got = configs(tmp_path, 'extends "base.mint"\nextends "gpu.mint"\n', base__mint=BASE, gpu__mint=GPU)
    assert got == [
        {"model": "gpt-4o-mini", "optimizer": {"name": "sgd", "lr": 0.2, "momentum": 0.9}, "seed": 0,
         "device": "cuda", "batch_size": 64},
        {"model": "gpt-4o-mini", "optimizer": {"name": "sgd", "lr": 0.2, "momentum": 0.9}, "seed": 1,
         "device": "cuda", "batch_size": 64},
    ]


def test_the_other_order_gives_the_other_winner(tmp_path: Path) -> None:
    got = configs(tmp_path, 'extends "gpu.mint"\nextends "base.mint"\n', base__mint=BASE, gpu__mint=GPU)
    assert got[0] == {"device": "cuda", "batch_size": 64, "optimizer": {"lr": 0.1, "name": "sgd", "momentum": 0.9},
                      "model": "gpt-4o-mini", "seed": 0}


def test_three_extends_then_the_document(tmp_path: Path) -> None:
    got = configs(tmp_path, 'extends "base.mint"\nextends "gpu.mint"\nextends "small.mint"\n'
                  'optimizer: { momentum: 0.5 }\nseed: 7\n',
                  base__mint=BASE, gpu__mint=GPU, small__mint='batch_size: 8\nmodel: "tiny"\nextra: [1, 2]*\n')
    assert got == [
        {"model": "tiny", "optimizer": {"name": "sgd", "lr": 0.2, "momentum": 0.5}, "seed": 7, "device": "cuda",
         "batch_size": 8, "extra": 1},
        {"model": "tiny", "optimizer": {"name": "sgd", "lr": 0.2, "momentum": 0.5}, "seed": 7, "device": "cuda",
         "batch_size": 8, "extra": 2},
    ]


def test_every_base_where_holds_and_the_last_sample_wins(tmp_path: Path) -> None:
    a = 'x: [1, 2, 3]*\nwhere x != 2\nlr: uniform(0, 1)\nsample 2 seed 1\n'
    b = 'y: [1, 2]*\nwhere y != 1\nz: uniform(0, 1)\nsample 3 seed 5\n'
    got = configs(tmp_path, 'extends "a.mint"\nextends "b.mint"\n', a__mint=a, b__mint=b)
    assert [(c["x"], c["y"]) for c in got] == [(1, 2)] * 3 + [(3, 2)] * 3
    assert got == configs(tmp_path, 'extends "a.mint"\nextends "b.mint"\nsample 3 seed 5\n')  # b.mint's
    assert got != configs(tmp_path, 'extends "a.mint"\nextends "b.mint"\nsample 3 seed 1\n')


def test_the_last_base_with_a_schema_checks_the_document(tmp_path: Path) -> None:
    a = 'schema { model: string, n?: int }\nmodel: "a"\n'
    b = 'schema { model: string, n?: string }\nmodel: "b"\n'
    assert problems(tmp_path, 'extends "a.mint"\nextends "b.mint"\nn: 3\n', a__mint=a, b__mint=b) == [
        ("E083", "sweep.mint", 3, 4, "`n` must be string, but this is the int 3")]


def test_extends_after_an_entry_is_e070(tmp_path: Path) -> None:
    assert problems(tmp_path, 'extends "base.mint"\nx: 1\nextends "gpu.mint"\n', base__mint=BASE, gpu__mint=GPU) == [
        ("E070", "sweep.mint", 3, 1, "`extends` must come before the other items of its document")]


def test_import_may_stand_among_the_extends_lines(tmp_path: Path) -> None:
    got = configs(tmp_path, 'import "prompts.mint" as p\nextends "gpu.mint"\nsystem: p.system\n',
                  prompts__mint=PROMPTS, gpu__mint=GPU)
    assert got == [{"device": "cuda", "batch_size": 64, "optimizer": {"lr": 0.2}, "system": "You are helpful."}]


def test_a_zip_key_of_one_base_set_by_a_later_base_is_e072(tmp_path: Path) -> None:
    z = 'zip { model: ["a", "b"], size: [1, 2] }\n'
    m = 'model: "c"\n'
    assert problems(tmp_path, 'extends "z.mint"\nextends "m.mint"\n', z__mint=z, m__mint=m) == [
        ("E072", "sweep.mint", 2, 9, "`model` is set by a `zip` or `variants` of `z.mint`, so `m.mint` cannot override it")]
    assert problems(tmp_path, 'extends "m.mint"\nextends "z.mint"\n') == [
        ("E072", "sweep.mint", 2, 9, "`model` is set by `m.mint` and by a `zip` or `variants` of `z.mint`")]


def test_a_mistake_in_one_base_is_shown_in_its_file(tmp_path: Path) -> None:
    assert problems(tmp_path, 'extends "base.mint"\nextends "bad.mint"\n', base__mint=BASE, bad__mint="x: 1\nx: 2\n") == [
        ("E020", "bad.mint", 2, 1, "key `x` is defined twice")]


def test_where_of_the_first_base_reported_at_its_extends(tmp_path: Path) -> None:
    a = 'x: [1, 2]*\nwhere x == 2\n'
    b = 'x: 1\n'
    assert problems(tmp_path, 'extends "a.mint"\nextends "b.mint"\n', a__mint=a, b__mint=b) == [
        ("E068", "sweep.mint", 1, 9, "the `where` of `a.mint` keeps no config of this document")]


# --- import -------------------------------------------------------------------------------

def test_imported_strings_lists_and_range_bounds(tmp_path: Path) -> None:
    got = configs(tmp_path, 'import "prompts.mint" as prompts\nsystem: [prompts.system, prompts.terse]*\n'
                  'all: prompts.both\nlayers: prompts.low..prompts.high\n', prompts__mint=PROMPTS)
    assert got == [
        {"system": s, "all": ["You are helpful.", "One word."], "layers": n}
        for s in ("You are helpful.", "One word.") for n in (1, 2, 3)
    ]


def test_imported_names_in_lets_distributions_and_steps(tmp_path: Path) -> None:
    lib = 'let lo = 0.0\nlet hi = 0.5\nlet step = 0.25\nlet n = 2\n'
    got = configs(tmp_path, 'import "lib.mint" as lib\nlet top = lib.hi\nx: lib.lo..lib.hi step lib.step\ny: top\n'
                  'd: uniform(lib.lo, lib.hi)\nsample lib.n\n', lib__mint=lib)
    assert [(c["x"], c["y"]) for c in got] == [(0.0, 0.5), (0.0, 0.5), (0.25, 0.5), (0.25, 0.5), (0.5, 0.5), (0.5, 0.5)]
    assert all(0.0 <= c["d"] <= 0.5 for c in got)


def test_names_inside_an_imported_value_are_its_files(tmp_path: Path) -> None:
    # `x` in lib.mint names lib.mint's `x`, even where the importing file has an `x` of its own.
    got = configs(tmp_path, 'import "lib.mint" as lib\nlet x = "mine"\na: lib.y\nb: x\nc: lib.inner.deep\n',
                  lib__mint='import "inner.mint" as inner\nlet x = "theirs"\nlet y = [x, inner.deep]\n',
                  inner__mint='let deep = 7\n')
    assert got == [{"a": ["theirs", 7], "b": "mine", "c": 7}]


def test_an_imported_file_may_have_entries_that_are_not_used(tmp_path: Path) -> None:
    got = configs(tmp_path, 'import "other.mint" as o\nv: o.k\n', other__mint='let k = 1\nx: [1, 2]*\n---\ny: 2\n')
    assert got == [{"v": 1}]


def test_imports_are_file_scoped_and_usable_before_the_line(tmp_path: Path) -> None:
    got = configs(tmp_path, 'a: p.low\n---\nimport "prompts.mint" as p\nb: p.high\n', prompts__mint=PROMPTS)
    assert got == [{"a": 1}, {"b": 3}]


def test_unknown_imported_names(tmp_path: Path) -> None:
    _files(tmp_path, prompts__mint=PROMPTS)
    text = 'import "prompts.mint" as prompts\na: prompts.sytem\nb: prompt.system\nc: q.x\nd: 0..prompts.hgh\n'
    assert problems(tmp_path, text) == [
        ("E108", "sweep.mint", 2, 4, "`prompts.mint` (imported as `prompts`) has no `let sytem`"),
        ("E108", "sweep.mint", 3, 4, "unknown name `prompt.system`: this file imports nothing as `prompt`"),
        ("E108", "sweep.mint", 4, 4, "unknown name `q.x`: this file imports nothing as `q`"),
        ("E108", "sweep.mint", 5, 7, "`prompts.mint` (imported as `prompts`) has no `let hgh`"),
    ]
    assert hints(tmp_path, text) == ["did you mean `prompts.system`?", "did you mean `prompts.system`?",
                                     "the files this file imports are `prompts`", "did you mean `prompts.high`?"]


def test_an_import_name_alone_is_not_a_value(tmp_path: Path) -> None:
    _files(tmp_path, prompts__mint=PROMPTS)
    text = 'import "prompts.mint" as p\nsys: p\n'
    assert problems(tmp_path, text) == [
        ("E108", "sweep.mint", 2, 6, "`p` is the file `prompts.mint`, not a value: name one of its `let`s")]
    assert hints(tmp_path, text) == ["write `p.system`, `p.terse`, `p.low`, `p.high`, `p.both`"]


def test_a_dotted_name_without_imports_says_how_to_import(tmp_path: Path) -> None:
    assert hints(tmp_path, "a: cfg.x\n") == ['import the file that defines it: `import "cfg.mint" as cfg`']


def test_the_same_import_name_twice_is_e109(tmp_path: Path) -> None:
    got = problems(tmp_path, 'import "prompts.mint" as p\nimport "gpu.mint" as p\na: p.low\n', prompts__mint=PROMPTS,
                   gpu__mint=GPU)
    assert got == [("E109", "sweep.mint", 2, 22, "`p` is already the name of an import")]


def test_missing_imported_file_is_e074_and_its_names_are_not_reported_again(tmp_path: Path) -> None:
    assert problems(tmp_path, 'import "nope.mint" as p\na: p.low\n') == [
        ("E074", "sweep.mint", 1, 8, "cannot read `nope.mint`: No such file or directory")]


def test_import_of_a_file_that_is_not_mint_is_e075(tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text("let a = 1\n", encoding="utf-8")
    assert problems(tmp_path, 'import "p.txt" as p\na: p.a\n') == [
        ("E075", "sweep.mint", 1, 8, "`p.txt` is not a `.mint` file")]
    assert hints(tmp_path, 'import "p.txt" as p\na: p.a\n')[0] == (
        "`import` reads only files named `*.mint`, so that no other file's lines can show in an error: rename the file")


def test_import_confined(tmp_path: Path) -> None:
    (tmp_path / "lib.mint").write_text("let a = 1\n", encoding="utf-8")
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "sweep.mint").write_text('import "../lib.mint" as lib\na: lib.a\n', encoding="utf-8")
    unit = compile_file(tmp_path / "proj" / "sweep.mint", Loader(confine=tmp_path / "proj"))
    assert [(d.code, d.span.line, d.span.column) for d in unit.diagnostics] == [("E075", 1, 8)]
    assert "the folder `import` is confined to" in unit.diagnostics[0].message


def test_import_cycles_are_e073_located(tmp_path: Path) -> None:
    assert problems(tmp_path, 'import "sweep.mint" as me\na: 1\n') == [
        ("E073", "sweep.mint", 1, 8, "`import` cycle: sweep.mint -> sweep.mint")]
    _files(tmp_path, a__mint='import "b.mint" as b\nlet x = 1\n', b__mint='import "a.mint" as a\nlet y = 2\n')
    assert problems(tmp_path, 'import "a.mint" as a\nv: a.x\n') == [
        ("E073", "b.mint", 1, 8, "`import` cycle: a.mint -> b.mint -> a.mint")]
    _files(tmp_path, base__mint='extends "sweep.mint"\nk: 1\n')
    assert problems(tmp_path, 'import "base.mint" as b\nv: 1\n') == [
        ("E073", "base.mint", 1, 9, "`extends` cycle: sweep.mint -> base.mint -> sweep.mint")]


def test_a_mistake_in_an_imported_file_is_shown_there(tmp_path: Path) -> None:
    assert problems(tmp_path, 'import "lib.mint" as lib\nv: lib.a\n', lib__mint="let a = b\n") == [
        ("E040", "lib.mint", 1, 9, "unknown name `b`")]


def test_unused_import_is_w009(tmp_path: Path) -> None:
    assert problems(tmp_path, 'import "prompts.mint" as p\na: 1\n', prompts__mint=PROMPTS) == [
        ("W009", "sweep.mint", 1, 1, "nothing of `prompts.mint` is used: no value names `p.`")]


def test_unit_keeps_imported_lets_and_their_file(tmp_path: Path) -> None:
    _files(tmp_path, prompts__mint=PROMPTS)
    (tmp_path / "sweep.mint").write_text('import "prompts.mint" as p\na: p.system\n', encoding="utf-8")
    unit = compile_file(tmp_path / "sweep.mint")
    let = unit.lets["p.system"]
    assert (os.path.basename(let.span.source.path), let.name.span.line, let.name.span.column) == ("prompts.mint", 1, 5)
    assert unit.imports["p"].path.value == "prompts.mint"
    assert unit.documents[0].resolve(unit.documents[0].node.items[1].value) is let.value  # type: ignore[union-attr,arg-type]


# --- delete --------------------------------------------------------------------------------

def test_delete_at_top_level_and_nested(tmp_path: Path) -> None:
    got = configs(tmp_path, 'extends "base.mint"\nextends "gpu.mint"\nbatch_size: delete\noptimizer: { momentum: delete }\n',
                  base__mint=BASE, gpu__mint=GPU)
    assert got[0] == {"model": "gpt-4o-mini", "optimizer": {"name": "sgd", "lr": 0.2}, "seed": 0, "device": "cuda"}
    got = configs(tmp_path, 'extends "base.mint"\noptimizer: { momentum: delete, lr: delete }\nseed: delete\n')
    assert got == [{"model": "gpt-4o-mini", "optimizer": {"name": "sgd"}}]


def test_delete_of_a_whole_swept_key_removes_its_axis(tmp_path: Path) -> None:
    assert configs(tmp_path, 'extends "base.mint"\nseed: delete\n', base__mint=BASE) == [
        {"model": "gpt-4o-mini", "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9}}]


def test_delete_without_extends_is_e105(tmp_path: Path) -> None:
    assert problems(tmp_path, "a: 1\nb: delete\nc: { d: delete }\n") == [
        ("E105", "sweep.mint", 2, 4, "`delete` removes a key that an extended file sets, but this document extends no file"),
        ("E105", "sweep.mint", 3, 9, "`delete` removes a key that an extended file sets, but this document extends no file"),
    ]


def test_delete_where_it_cannot_stand_is_e105(tmp_path: Path) -> None:
    text = ('extends "base.mint"\nx: [delete]\nlet y = delete\nzip { a: [delete], b: [1] }\n'
            'variants [ { c: delete } ]\ns: [{ model: delete }]*\n')
    assert problems(tmp_path, text, base__mint=BASE) == [
        ("E105", "sweep.mint", 2, 5, "`delete` cannot stand inside a list: it removes a key of an extended file"),
        ("E105", "sweep.mint", 3, 9, "`delete` cannot stand in a `let`: it removes a key of an extended file"),
        ("E105", "sweep.mint", 4, 11, "`delete` cannot stand in a `zip`: it removes a key of an extended file"),
        ("E105", "sweep.mint", 5, 17, "`delete` cannot stand in `variants`: it removes a key of an extended file"),
        ("E105", "sweep.mint", 6, 14, "`delete` cannot stand inside a sweep: it removes a key of an extended file"),
    ]


def test_delete_of_a_key_no_base_sets_is_e106(tmp_path: Path) -> None:
    text = 'extends "base.mint"\nmodle: delete\noptimizer.momentun: delete\nseed.x: delete\nzzz: delete\n'
    assert problems(tmp_path, text, base__mint=BASE) == [
        ("E106", "sweep.mint", 2, 1, "no extended file sets `modle`, so there is nothing to delete"),
        ("E106", "sweep.mint", 3, 11, "no extended file sets `optimizer.momentun`, so there is nothing to delete"),
        ("E106", "sweep.mint", 4, 6, "no extended file sets `seed.x`, so there is nothing to delete"),
        ("E106", "sweep.mint", 5, 1, "no extended file sets `zzz`, so there is nothing to delete"),
    ]
    assert hints(tmp_path, text) == [
        "did you mean `model`?", "did you mean `momentum`?",
        "the extended files set `seed` to a value that is not an object: delete `seed` itself",
        "the extended files set: `model`, `optimizer`, `seed`"]


def test_delete_of_a_key_a_where_or_the_schema_needs_is_e107(tmp_path: Path) -> None:
    base = ('schema { model: string, lr?: float, optimizer?: { name: string, momentum?: float } }\n'
            'model: ["a", "b"]*\nlr: 0.1\noptimizer: { name: "sgd", momentum: 0.9 }\nwhere model != "c"\n')
    assert problems(tmp_path, 'extends "w.mint"\nmodel: delete\noptimizer.name: delete\n', w__mint=base) == [
        ("E107", "sweep.mint", 2, 1, "`model` is tested by the `where` of `w.mint`, so it cannot be deleted"),
        ("E107", "sweep.mint", 3, 11, "the schema requires `optimizer.name`, so it cannot be deleted"),
    ]
    assert configs(tmp_path, 'extends "w.mint"\nlr: delete\noptimizer.momentum: delete\n') == [
        {"model": "a", "optimizer": {"name": "sgd"}}, {"model": "b", "optimizer": {"name": "sgd"}}]


def test_delete_of_a_key_the_schema_does_not_name_is_not_checked_against_it(tmp_path: Path) -> None:
    base = 'schema { model: string, extra?: int }\nmodel: "a"\nextra: 1\n'
    assert problems(tmp_path, 'extends "s.mint"\nextra: delete\nnope: delete\n', s__mint=base) == [
        ("E106", "sweep.mint", 3, 1, "no extended file sets `nope`, so there is nothing to delete")]


def test_delete_of_a_zip_key_of_a_base_is_e072(tmp_path: Path) -> None:
    got = problems(tmp_path, 'extends "z.mint"\nmodel: delete\n', z__mint='zip { model: ["a", "b"], size: [1, 2] }\n')
    assert got == [("E072", "sweep.mint", 2, 1,
                    "`model` is set by a `zip` or `variants` of the extended file and cannot be overridden")]


@settings(max_examples=30, deadline=DEADLINE)
@given(st.lists(st.sampled_from(["model", "seed"]), unique=True),
       st.sampled_from([None, "optimizer", "optimizer.lr", "optimizer.name", "optimizer.momentum"]))
def test_deleting_keys_is_taking_them_out(tmp_path_factory: pytest.TempPathFactory, keys: list[str],
                                          nested: str | None) -> None:
    """Property: the configs with keys deleted are the base's configs without those keys."""
    gone = keys + ([nested] if nested else [])
    folder = tmp_path_factory.mktemp("del")
    plain = configs(folder, 'extends "base.mint"\n', base__mint=BASE)
    text = 'extends "base.mint"\n' + "".join(f"{key}: delete\n" for key in gone)
    expected = []
    for config in plain:
        config = {k: (dict(v) if isinstance(v, dict) else v) for k, v in config.items()}
        for key in gone:
            top, _, inner = key.partition(".")
            if not inner:
                config.pop(top, None)
            elif isinstance(config.get(top), dict):
                config[top].pop(inner, None)
        expected.append(config)
    dedup = [c for i, c in enumerate(expected) if c not in expected[:i]]
    got = configs(folder, text)
    assert [c for i, c in enumerate(got) if c not in got[:i]] == dedup


# --- the example ------------------------------------------------------------------------------

def test_mintc_compile_of_the_compose_example(snapshot: Any) -> None:
    out = subprocess.run([sys.executable, "-m", "spearmint_lang", "compile", "examples/compose/sweep.mint",
                          "--format", "jsonl"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout == snapshot


# --- editors: a compile that reuses the previous one sees edits of the other files ---------------

def test_reuse_sees_an_edit_of_an_imported_file_and_of_a_second_base(tmp_path: Path) -> None:
    from spearmint_lang.compiler import compile_unit
    from spearmint_lang.source import Source

    _files(tmp_path, prompts__mint=PROMPTS, base__mint=BASE, gpu__mint=GPU)
    path = str(tmp_path / "sweep.mint")
    text = 'extends "base.mint"\nextends "gpu.mint"\nimport "prompts.mint" as p\nseed: delete\nsystem: p.system\n'
    loader = Loader()
    first = compile_unit(Source(path, text), loader)
    assert [t["system"] for t in first.templates()] == ["You are helpful."]
    loader.set_overlay(str(tmp_path / "prompts.mint"), 'let system = "Changed."\n')
    second = compile_unit(Source(path, text), loader, previous=first)
    assert [t["system"] for t in second.templates()] == ["Changed."]
    loader.set_overlay(str(tmp_path / "gpu.mint"), 'device: "cpu"\n')
    third = compile_unit(Source(path, text), loader, previous=second)
    assert [t["device"] for t in third.templates()] == ["cpu"]
    again = compile_unit(Source(path, text), loader, previous=third)
    assert again.templates() == third.templates() and again.documents[0] is third.documents[0]


def test_two_bases_that_extend_one_file_share_its_blocks(tmp_path: Path) -> None:
    """A diamond: a.mint and b.mint both extend root.mint (with a `zip` and a `where`)."""
    root = 'zip { model: ["x", "y"], size: [1, 2] }\nt: [1, 2]*\nwhere t != 2\n'
    got = configs(tmp_path, 'extends "a.mint"\nextends "b.mint"\n', root__mint=root,
                  a__mint='extends "root.mint"\na: 1\n', b__mint='extends "root.mint"\nb: 2\n')
    assert got == [{"model": "x", "size": 1, "t": 1, "a": 1, "b": 2}, {"model": "y", "size": 2, "t": 1, "a": 1, "b": 2}]
