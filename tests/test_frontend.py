"""The one front end: `compile_unit` and the `Loader` behind the API, the
command line and the editor. The regression tests of the drift between the
three former front ends come first."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import spearmint_lang
from spearmint_lang import MintError, Sweep
from spearmint_lang.cli import main
from spearmint_lang.compiler import compile_file, compile_text, compile_unit
from spearmint_lang.filters import EXACT_COUNT_BUDGET, count_exact
from spearmint_lang.loader import Loader
from spearmint_lang.lsp.analysis import Analysis
from spearmint_lang.lsp.code_lens import code_lenses
from spearmint_lang.lsp.hover import hover
from spearmint_lang.lsp.positions import LineIndex
from spearmint_lang.source import Source


def analyse(path: Path, text: str | None = None, loader: Loader | None = None) -> Analysis:
    """The editor's analysis of a file (its text from disk unless given)."""
    body = path.read_text(encoding="utf-8") if text is None else text
    return Analysis(path.as_uri(), body, 1, "utf-16", loader or Loader())


# --- the drift between front ends ----------------------------------------------------------


def test_editor_count_equals_mintc_count_for_a_where_document_of_500k(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.mint"
    path.write_text("a: 0..999\nb: 0..499\nwhere a != b\n", encoding="utf-8")
    assert main(["count", "--format", "json", str(path)]) == 0
    counted = json.loads(capsys.readouterr().out)["files"][0]
    assert counted["documents"] == [{"configs": 499_500, "exact": True}]
    lenses = code_lenses(analyse(path))
    assert [lens.command.title for lens in lenses if lens.command] == ["499,500 configs (500,000 before where)"]


def test_where_lines_over_separate_axes_are_counted_exactly_everywhere(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """20 million combinations, but the `where` lines name `a` and `b, c`
    apart: 2,000 + 10,000 tests, so `mintc count`, `Sweep.counted()` and the
    editor's lens give the exact count, not "at most" (docs/language.md 5.6)."""
    path = tmp_path / "apart.mint"
    path.write_text("a: 0..1999\nb: 0..999\nc: 0..9\nwhere a % 7 == 0\nwhere b < c * 10 and c != 3\n",
                    encoding="utf-8")
    assert main(["count", "--format", "json", str(path)]) == 0
    counted = json.loads(capsys.readouterr().out)["files"][0]
    assert counted["documents"] == [{"configs": 286 * 420, "exact": True}]
    assert Sweep(path).counted() == (120_120, True)
    lenses = code_lenses(analyse(path))
    assert [lens.command.title for lens in lenses if lens.command] == ["120,120 configs (20,000,000 before where)"]


def test_one_budget_for_exact_counts() -> None:
    """Past the budget, every caller gets the same upper bound."""
    docs = compile_text("a: 0..1000000\nwhere a != 3\n").templates()
    assert count_exact(docs[0]).exact is False
    assert count_exact(docs[0]).configs == 1_000_001 > EXACT_COUNT_BUDGET


ZIP_ID = 'zip { config_id: ["x", "y"], model: ["a", "b"] }\nwhere config_id == "x"\n'


def test_zip_set_config_id_tested_by_where_agrees_everywhere(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ids.mint"
    path.write_text(ZIP_ID, encoding="utf-8")
    expected = [{"config_id": "x", "model": "a"}]
    assert spearmint_lang.load(path) == expected
    assert spearmint_lang.loads(ZIP_ID) == expected
    assert list(Sweep(path)) == expected and len(Sweep(path)) == 1 and Sweep(path)[0] == expected[0]
    assert main(["compile", str(path)]) == 0
    assert json.loads(capsys.readouterr().out) == expected
    assert main(["compile", str(path), "--format", "jsonl"]) == 0
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == expected
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: ok, 1 config\n"


def test_variants_set_config_id_tested_by_where_agrees_everywhere(tmp_path: Path) -> None:
    text = 'variants [ { config_id: "p", m: 1 }, { config_id: "q", m: 2 } ]\nwhere config_id != "p"\n'
    path = tmp_path / "ids.mint"
    path.write_text(text, encoding="utf-8")
    assert spearmint_lang.load(path) == list(Sweep(path)) == [{"config_id": "q", "m": 2}]


BASE = 'model: ["a", "b"]*\nwhere model == "a"\n'


def test_an_override_that_empties_a_base_where_is_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "base.mint").write_text(BASE, encoding="utf-8")
    path = tmp_path / "derived.mint"
    path.write_text('extends "base.mint"\nmodel: "c"\n', encoding="utf-8")
    with pytest.raises(MintError) as info:
        spearmint_lang.load(path)
    err = info.value
    assert (err.code, err.file, err.line, err.column) == ("E068", str(path), 2, 1)
    assert err.message == "the `where` of `base.mint` keeps no config of this document"
    assert main(["check", str(path)]) == 1
    assert "error[E068]" in capsys.readouterr().err
    with pytest.raises(MintError):
        Sweep(path)
    assert [d.code for d in analyse(path).unit.diagnostics] == ["E068"]


def test_an_override_of_another_type_is_checked_against_the_base_where(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text(BASE, encoding="utf-8")
    path = tmp_path / "derived.mint"
    path.write_text('extends "base.mint"\nmodel: 5\n', encoding="utf-8")
    with pytest.raises(MintError) as info:
        spearmint_lang.load(path)
    err = info.value
    assert (err.code, err.file, err.line, err.column) == ("E066", str(path), 2, 1)
    assert err.message == "the `where` of `base.mint`: this compares a number with a string, which is never equal"
    note = err.diagnostics[0].related[0]
    assert (note.span.file, note.span.line, note.span.column) == (str(tmp_path / "base.mint"), 2, 7)


def test_an_override_the_base_where_accepts_compiles(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text(BASE, encoding="utf-8")
    path = tmp_path / "derived.mint"
    path.write_text('extends "base.mint"\nmodel: "a"\n', encoding="utf-8")
    assert [c["model"] for c in spearmint_lang.load(path)] == ["a"]


def test_a_where_that_keeps_nothing_is_an_error() -> None:
    with pytest.raises(MintError) as info:
        spearmint_lang.loads('model: ["o1", "gpt-4o"]*\nwhere model == "o2"\n', path="sweep.mint")
    assert (info.value.code, info.value.line, info.value.column) == ("E068", 2, 1)


def test_pickled_sweep_with_where_does_not_carry_the_source(tmp_path: Path) -> None:
    small = tmp_path / "small.mint"
    small.write_text('model: ["a", "b"]*\nwhere model == "a"\n', encoding="utf-8")
    big = tmp_path / "big.mint"
    big.write_text("# " + "x" * 100_000 + '\nmodel: ["a", "b"]*\nwhere model == "a"\n', encoding="utf-8")
    sizes = [len(pickle.dumps(Sweep(p))) for p in (small, big)]
    assert sizes[0] == sizes[1] < 2_000
    clone = pickle.loads(pickle.dumps(Sweep(big)))
    assert list(clone) == list(Sweep(small))


# --- the driver -----------------------------------------------------------------------------


def test_compile_unit_never_raises_and_keeps_partial_results() -> None:
    unit = compile_text('a: [1, 2]*\nb: unknown_name\nc: { d: 0..3 }\n')
    assert [d.code for d in unit.diagnostics] == ["E040"]
    assert not unit.ok
    with pytest.raises(MintError):
        unit.templates()
    sites = {site.path: site for site in unit.documents[0].sites}
    assert set(sites) == {("a",), ("b",), ("c",), ("c", "d")}
    assert list(sites[("c", "d")].lowered) == [0, 1, 2, 3]


def test_a_text_that_does_not_parse_still_has_an_outline() -> None:
    assert compile_text('a: 1\nb: [1, 2\nc: 3\n').ast is None  # the command line does not salvage
    unit = compile_unit(Source("<s>", 'a: 1\nb: [1, 2\nc: 3\n'), salvage=True)  # the editor does
    assert not unit.parses and unit.tree is not None and not unit.complete
    assert unit.ast is not None
    names = [it.key.name for it in unit.ast.documents[0].items]  # type: ignore[union-attr]
    assert "a" in names and "c" in names
    assert [d.code for d in unit.diagnostics] == ["E003"]


def test_provenance_reaches_zip_and_variants_inside_objects() -> None:
    unit = compile_text('llm: { zip { p: ["x", "y"], m: [1, 2] }, variants [ { t: 1 }, { t: [2, 3]* } ] }\n')
    assert unit.ok
    by_path = {(site.path, site.alternative): site for site in unit.documents[0].sites}
    assert by_path[(("llm", "p"), None)].zipped == ("p", "m")
    assert by_path[(("llm", "p"), None)].lowered == ["x", "y"]
    assert by_path[(("llm", "t"), 1)].lowered == 1
    assert list(by_path[(("llm", "t"), 2)].lowered) == [2, 3]


def test_a_misspelt_word_after_a_range_gets_its_suggestion() -> None:
    with pytest.raises(MintError) as info:
        spearmint_lang.loads("x: 0..10 cuont 3\n")
    assert info.value.code == "E015"
    assert info.value.hint == "did you mean `count`?"


def test_keywords_come_from_the_grammar() -> None:
    from spearmint_lang.grammar import grammar_text, item_words, keywords, value_words

    words = set(keywords().values())
    for word in words:
        assert f'"{word}"' in grammar_text()
    assert {"count", "step", "let", "zip", "variants", "where", "extends", "schema"} <= words
    assert set(item_words()) == {"let", "zip", "variants", "where", "extends", "schema", "sample", "import"}
    # (a value may be an expression, `if c then a else b` or `not flag`, or `delete`)
    assert set(value_words()) == {"true", "false", "null", "step", "count", "if", "not", "delete"}


# --- the loader -----------------------------------------------------------------------------


def test_loader_compiles_a_base_once_and_sees_edits(tmp_path: Path) -> None:
    base = tmp_path / "base.mint"
    base.write_text("a: [1, 2]*\n", encoding="utf-8")
    for name in ("x.mint", "y.mint"):
        (tmp_path / name).write_text('extends "base.mint"\nb: 3\n', encoding="utf-8")
    loader = Loader()
    first = compile_file(tmp_path / "x.mint", loader)
    second = compile_file(tmp_path / "y.mint", loader)
    assert first.documents[0].template["a"] is second.documents[0].template["a"]  # one compile of the base
    base.write_text("a: [1, 2, 3]*\n", encoding="utf-8")
    third = compile_file(tmp_path / "x.mint", loader)
    assert len(list(third.documents[0].template["a"])) == 3


def test_loader_overlay_is_seen_by_files_that_extend_it(tmp_path: Path) -> None:
    base = tmp_path / "base.mint"
    base.write_text("a: [1, 2]*\n", encoding="utf-8")
    derived = tmp_path / "derived.mint"
    derived.write_text('extends "base.mint"\n', encoding="utf-8")
    loader = Loader()
    loader.set_overlay(str(base), "a: [1, 2, 3, 4]*\n")
    assert compile_file(derived, loader).count(0).configs == 4
    loader.drop_overlay(str(base))
    assert compile_file(derived, loader).count(0).configs == 2


def test_loader_reports_cycles_with_the_chain(tmp_path: Path) -> None:
    (tmp_path / "a.mint").write_text('extends "b.mint"\nx: 1\n', encoding="utf-8")
    (tmp_path / "b.mint").write_text('extends "a.mint"\ny: 1\n', encoding="utf-8")
    unit = compile_file(tmp_path / "a.mint")
    assert [d.code for d in unit.diagnostics] == ["E073"]
    assert unit.diagnostics[0].message == "`extends` cycle: a.mint -> b.mint -> a.mint"


def test_text_without_a_file_extends_relative_to_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "base.mint").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert spearmint_lang.loads('extends "base.mint"\nb: 2\n')[0]["a"] == 1


def test_editor_sees_an_unsaved_base(tmp_path: Path) -> None:
    base = tmp_path / "base.mint"
    base.write_text('model: ["a", "b"]*\n', encoding="utf-8")
    derived = tmp_path / "derived.mint"
    derived.write_text('extends "base.mint"\nt: [1, 2]*\n', encoding="utf-8")
    loader = Loader()
    loader.set_overlay(str(base), 'model: ["a", "b", "c"]*\n')
    analysis = analyse(derived, loader=loader)
    assert [lens.command.title for lens in code_lenses(analysis) if lens.command] == ["6 configs"]


def test_hover_reads_values_from_provenance(tmp_path: Path) -> None:
    path = tmp_path / "h.mint"
    text = 'p: { zip { a: [1, 2], b: ["x", "y"] } }\n'
    analysis = analyse(path, text)
    found = hover(analysis, LineIndex(text).position(1, 12))
    assert found is not None
    assert "**p.a** — 2 values: 1, 2 (paired by `zip` with `b`)" in found.contents.value  # type: ignore[union-attr]


def test_source_owns_positions() -> None:
    source = Source("x", "ab\ncd\n\nef")
    assert [source.position(i) for i in (0, 2, 3, 6, 7, 9)] == [(1, 1), (1, 3), (2, 1), (3, 1), (4, 1), (4, 3)]
    assert [source.offset(*source.position(i)) for i in range(len(source.text) + 1)] == list(range(len(source.text) + 1))
    span = source.span(1, 4)
    assert (span.line, span.column, span.end_line, span.end_column) == (1, 2, 2, 2)
    assert span.text == "b\nc"
    assert source.line(2) == "cd" and source.line(5) == "" and source.line_count == 4


def test_format_goes_through_the_driver() -> None:
    from spearmint_lang.fmt import format_unit

    unit = compile_unit(Source("<s>", "a:1,b :[1,2]*"), lower=False)
    assert unit.documents == [] and format_unit(unit) == "a: 1\nb: [1, 2]*\n"
