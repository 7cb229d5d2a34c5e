"""Documents parsed one by one, and an editor's compiles reusing unchanged ones.

`documents.front` parses each `---` document on its own text; an editor's
compile (`compile_unit(..., previous=unit)`) takes the documents whose text
and first line did not change from the previous compile. Both must be
invisible: the AST equals the whole file's parse, and a compile that reuses
equals a compile from nothing -- diagnostics, lowered values and counts.
"""

from __future__ import annotations

import random
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spearmint_lang import builder, parser
from spearmint_lang.compiler import Unit, compile_unit
from spearmint_lang.documents import split
from spearmint_lang.errors import Collector
from spearmint_lang.loader import Loader
from spearmint_lang.source import Source, Span, normalise
from tests.conftest import DEADLINE, EXAMPLES
from tests.mint_gen import SourceGen

EDITS = ["x", "1", "\n", '"', "]", "[", "{", "}", ",", "*", ":", " ", "#", '"""', "---\n", "\n---\n",
         "let q = 3\n", 'where model == "a"\n', "step ", "..", "extends \"base.mint\"\n"]


def signature(unit: Unit) -> tuple[object, ...]:
    """What a user can see of a compile: diagnostics, values, counts."""
    counts = [unit.count(i) for i in range(len(unit.documents))] if unit.ok else None
    return ([d.render() for d in unit.diagnostics], [repr(doc.template) for doc in unit.documents],
            unit.ok, unit.parses, counts, sorted(unit.dependencies))


def dump(node: object) -> object:
    """A node as plain data: every field, spans as numbers (not their text)."""
    if isinstance(node, Span):
        return (node.line, node.column, node.end_line, node.end_column)
    if isinstance(node, (tuple, list)):
        return tuple(dump(item) for item in node)
    if attrs.has(type(node)):
        return (type(node).__name__,) + tuple(dump(getattr(node, f.name)) for f in attrs.fields(type(node))
                                              if f.name != "source")
    return node


def whole_parse(source: Source) -> object:
    """The AST of the text parsed as one piece (what `documents` must equal)."""
    errors = Collector()
    parsed = parser.parse(source, errors)
    assert parsed.tree is not None
    return dump(builder.build(source, parsed.tree, errors).documents)


def test_split_finds_document_separators() -> None:
    assert split("a: 1\n") == [0]
    text = "a: 1\n---\nb: 2\n---  \nc: 3\n"
    assert split(text) == [0, 5, 14]
    assert split("---\na: 1\n") == [0, 0]


def test_a_separator_inside_a_long_string_is_text() -> None:
    text = 'p: """x\n---\ny"""\n---\nq: 1\n'
    assert split(text) == [0, text.index("---\nq")]
    # A `"""` inside a one-line string or a comment opens nothing.
    text = 'a: "say \\"\\"\\" " # """\n---\nb: 1\n'
    assert split(text) == [0, text.index("---")]


def test_documents_parse_like_the_whole_file() -> None:
    for path in sorted(EXAMPLES.glob("*.mint")):
        text = "\n---\n".join(normalise(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.mint"))[:6])
        text += "\n---\n" + normalise(path.read_text(encoding="utf-8"))
        source = Source("all.mint", text)
        unit = compile_unit(source)
        assert unit.ast is not None
        assert dump(unit.ast.documents) == whole_parse(source), path.name


@settings(max_examples=40, deadline=DEADLINE, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_generated_files_parse_like_the_whole_file(seed: int, tmp_path: Path) -> None:
    folder = tmp_path / str(seed)
    folder.mkdir(exist_ok=True)  # (hypothesis may run a seed again)
    gen = SourceGen(random.Random(seed), full=True, folder=folder)
    source = Source(gen.path, normalise(gen.file()))
    unit = compile_unit(source, salvage=True)
    if unit.parses:
        assert unit.ast is not None
        assert dump(unit.ast.documents) == whole_parse(source)


def _edit(text: str, rng: random.Random) -> str:
    if text and rng.random() < 0.3:
        i = rng.randrange(len(text))
        return text[:i] + text[i + 1:]
    i = rng.randrange(len(text) + 1)
    return text[:i] + rng.choice(EDITS) + text[i:]


@settings(max_examples=25, deadline=DEADLINE, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_a_compile_that_reuses_equals_one_from_nothing(seed: int, tmp_path: Path) -> None:
    """Random edits of a generated file (and of its bases, as unsaved
    buffers): each compile with the previous one lent equals a fresh one."""
    rng = random.Random(seed)
    folder = tmp_path / str(seed)
    folder.mkdir(exist_ok=True)  # (hypothesis may run a seed again)
    gen = SourceGen(rng, full=True, folder=folder)
    text = gen.file()
    (folder / "base.mint").write_text('model: ["a", "b"]*\nseed: 1\n', encoding="utf-8")
    loader = Loader()
    previous = compile_unit(Source(gen.path, normalise(text)), loader, salvage=True)
    bases = sorted(gen.bases)
    for _ in range(8):
        if bases and rng.random() < 0.2:
            base = rng.choice(bases)
            loader.set_overlay(str(base), _edit(loader.text_of(str(base)) or "", rng))
        else:
            text = _edit(text, rng)
        source = Source(gen.path, normalise(text))
        reused = compile_unit(source, loader, salvage=True, previous=previous)
        fresh = compile_unit(Source(gen.path, normalise(text)), loader, salvage=True)
        assert signature(reused) == signature(fresh), text
        previous = reused


def _six_documents() -> str:
    return "\n---\n".join(f"# doc {i}\nmodel: [\"a\", \"b\"]*\nn: {i}\nlr: 0.1..0.5 step 0.1\n" for i in range(6))


def test_an_edit_reparses_and_relowers_only_its_document() -> None:
    text = _six_documents()
    first = compile_unit(Source("f.mint", text), salvage=True)
    edited = text.replace("n: 3", "n: 33")
    second = compile_unit(Source("f.mint", edited), salvage=True, previous=first)
    assert first.ast is not None and second.ast is not None
    same = [a is b for a, b in zip(first.ast.documents, second.ast.documents)]
    assert same == [True, True, True, False, True, True]
    lowered = [a is b for a, b in zip(first.documents, second.documents)]
    assert lowered == [True, True, True, False, True, True]
    assert second.documents[3].template["n"] == 33


def test_a_new_let_relowers_every_document() -> None:
    text = "let m = [1, 2]\nx: m*\n---\ny: 1\n"
    first = compile_unit(Source("f.mint", text), salvage=True)
    second = compile_unit(Source("f.mint", text.replace("y: 1", "y: 1\nlet k = 2")), salvage=True, previous=first)
    assert second.documents[0] is not first.documents[0]
    assert signature(second) == signature(compile_unit(Source("f.mint", second.source.text), salvage=True))


def test_a_changed_base_relowers_the_documents_that_extend_it(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text("a: [1, 2]*\n", encoding="utf-8")
    main = str(tmp_path / "main.mint")
    text = 'extends "base.mint"\nb: 1\n---\nc: 2\n'
    loader = Loader()
    first = compile_unit(Source(main, text), loader, salvage=True)
    assert first.count(0).configs == 2
    loader.set_overlay(str(tmp_path / "base.mint"), "a: [1, 2, 3]*\n")
    second = compile_unit(Source(main, text), loader, salvage=True, previous=first)
    assert second.count(0).configs == 3
    assert second.documents[1] is first.documents[1]  # the other document is reused


def test_a_line_inserted_above_moves_the_documents_below() -> None:
    """Their text is the same but their lines are not: they are parsed again,
    so every position stays right."""
    text = _six_documents()
    first = compile_unit(Source("f.mint", text), salvage=True)
    edited = text.replace("n: 1\n", "n: 1\n\n", 1).replace("n: 4", "n: [4")
    second = compile_unit(Source("f.mint", edited), salvage=True, previous=first)
    fresh = compile_unit(Source("f.mint", edited), salvage=True)
    assert signature(second) == signature(fresh)
    assert [d.span.line for d in second.diagnostics] == [d.span.line for d in fresh.diagnostics] != []


@pytest.mark.parametrize("salvage", [False, True])
def test_reuse_keeps_the_flags_of_each_compile(salvage: bool) -> None:
    text = "a: [1, 2\n---\nb: 1\n"
    first = compile_unit(Source("f.mint", text), salvage=not salvage)
    second = compile_unit(Source("f.mint", text), salvage=salvage, previous=first)
    assert signature(second) == signature(compile_unit(Source("f.mint", text), salvage=salvage))
    assert (second.ast is not None) == salvage or second.ast is not None


def test_a_reused_document_with_a_misplaced_extends_reads_no_base(tmp_path: Path) -> None:
    """An `extends` after another item is E070 and loads nothing; a compile
    that reuses its document must not read that base either (found by the
    property above)."""
    (tmp_path / "b.mint").write_text("k: 1\n", encoding="utf-8")
    path = str(tmp_path / "main.mint")
    text = 'a: 1\n---\nwhere a == 1\nextends "b.mint"\na: 1\n'
    loader = Loader()
    first = compile_unit(Source(path, text), loader, salvage=True)
    edited = text.replace("a: 1\n---", "a: 2\n---", 1)
    reused = compile_unit(Source(path, edited), loader, salvage=True, previous=first)
    fresh = compile_unit(Source(path, edited), loader, salvage=True)
    assert sorted(fresh.dependencies) == [path]
    assert signature(reused) == signature(fresh)
