"""The formatter (`spearmint_lang.fmt`, `mintc fmt`).

* every example: idempotent, compiles to the same configs, keeps every comment;
* hypothesis: random sources (every construct, random layout) stay
  idempotent and compile-equivalent, and keep their comments;
* the canonical style on messy inputs, as exact expected outputs;
* sources that do not parse raise the parser's own `MintError`.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from spearmint_lang import DynamicValue, MintError, loads
from spearmint_lang.fmt import WIDTH, format_source
from tests.conftest import DEADLINE, EXAMPLES, fuzz_examples
from tests.inproc import run_main
from tests.mint_gen import KEYWORDS as _KEYWORDS
from tests.mint_gen import SourceGen, outcome
from tests.mint_printer import print_mint

EXAMPLE_FILES = sorted(EXAMPLES.rglob("*.mint"))


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def comments(text: str) -> list[str]:
    """Every comment of a source, in order, without trailing blanks.

    A scanner of its own (not the formatter's): skips `"..."` strings with
    their escapes and `\"\"\"...\"\"\"` strings, takes `#` to the end of the line.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith('"""', i):
            i = text.index('"""', i + 3) + 3
        elif text[i] == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            i = j + 1
        elif text[i] == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(text[i:j].rstrip(" \t\f\r"))
            i = j
        else:
            i += 1
    return out


def check_formatting(text: str, path: str = "<string>") -> str:
    """The formatter's promises for one source; returns the formatted text."""
    out = format_source(text, path)
    assert format_source(out, path) == out, "not idempotent"
    assert outcome(out, path) == outcome(text, path), "compiles differently"
    assert comments(out) == comments(text), "comments lost or moved out of order"
    assert out == "" or (out.endswith("\n") and not out.endswith("\n\n")), "must end with one newline"
    assert "\r\n" not in out and not out.startswith("\ufeff")
    for line in out.split("\n"):  # (blanks the lexer skips; a comment keeps its other characters)
        if line != line.rstrip(" \t\f\r") and '"""' not in text:
            raise AssertionError(f"trailing whitespace: {line!r}")
    return out


# --------------------------------------------------------------------------
# Examples
# --------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_example_formats(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    check_formatting(text, str(path))
    assert not outcome(text, str(path)).startswith("errors")


def test_docs_examples() -> None:
    """Each Before/After pair of docs/formatting.md is what the formatter does."""
    doc = (EXAMPLES.parent / "docs" / "formatting.md").read_text(encoding="utf-8")
    pairs = re.findall(r"Before:\n\n```\n(.*?)```\n\n.*?After:\n\n```\n(.*?)```", doc, re.DOTALL)
    assert len(pairs) == 3
    for before, after in pairs:
        assert check_formatting(before) == after


# --------------------------------------------------------------------------
# The canonical style, exactly
# --------------------------------------------------------------------------


def test_layout_and_keys() -> None:
    messy = (
        "\ufeff\r\n\r\n"
        '  model :"gpt-4",temperature:0.7 ,  "step" :1,"max tokens": 5, "\\u0061b": 2\r\n'
        '"1x":1 ,"é": 2,"a.b":3,  "where":{ "not" :true }   \r\n'
        "\r\n\r\n\r\n"
        "seed:0 .. 3,lr : 1e-5 ..1e-1   step  *  10, n:0..<10 step 2, d: 0.0..1.0   count 5\r\n"
        'vals:[ 0.10 ,1E3,-7, "\\u00e9\\n" ,"""raw \\n"""] ,flags:{a:null,b:false}'
    )
    assert format_source(messy) == (
        'model: "gpt-4"\n'
        "temperature: 0.7\n"
        "step: 1\n"
        '"max tokens": 5\n'
        "ab: 2\n"
        '"1x": 1\n'
        '"é": 2\n'
        '"a.b": 3\n'
        "where: { not: true }\n"
        "\n"
        "seed: 0..3\n"
        "lr: 1e-5..1e-1 step *10\n"
        "n: 0..<10 step 2\n"
        "d: 0.0..1.0 count 5\n"
        'vals: [0.10, 1E3, -7, "\\u00e9\\n", """raw \\n"""]\n'
        "flags: { a: null, b: false }\n"
    )


def test_comments_and_blank_lines() -> None:
    messy = """# file header   

# second paragraph of the header


model: ["a",
   "b"]*   # trailing, two spaces before `#`
    # a full-line comment takes the indentation of the next line
llm: {   # on the opening line
      name: "x"     # trailing inside


      # before timeout
   timeout: 30,
        # last, before the closing brace
}
# end of the first document


---

   # first of the second document
x: 1
"""
    assert format_source(messy) == """# file header

# second paragraph of the header

model: ["a", "b"]*  # trailing, two spaces before `#`
# a full-line comment takes the indentation of the next line
llm: {  # on the opening line
  name: "x"  # trailing inside

  # before timeout
  timeout: 30
  # last, before the closing brace
}
# end of the first document
---
# first of the second document
x: 1
"""


def test_line_breaking() -> None:
    long_items = ", ".join(f'"model-{i}"' for i in range(12))
    messy = (
        "short: {a: 1, b: [1, 2]}\n"  # fits: one line
        f"long: [{long_items}]*\n"  # too long: one element per line
        "kept: {\n  a: 1, b: 2\n}\n"  # broken by the user after `{`: stays broken
        "joined: [1,\n  2,\n  3]\n"  # first element on the `[` line: joined
        'text: ["""two\nlines""", "x"]\n'  # a multi-line string breaks its list
        "nested: {outer: {inner: [1, 2,\n\n 3]}}\n"  # a blank line between elements breaks
    )
    assert format_source(messy) == (
        "short: { a: 1, b: [1, 2] }\n"
        "long: [\n" + "".join(f'  "model-{i}"\n' for i in range(12)) + "]*\n"
        "kept: {\n  a: 1\n  b: 2\n}\n"
        "joined: [1, 2, 3]\n"
        'text: [\n  """two\nlines"""\n  "x"\n]\n'
        "nested: {\n  outer: {\n    inner: [\n      1\n      2\n\n      3\n    ]\n  }\n}\n"
    )


def test_width_limit_counts_the_star() -> None:
    def source(width: int, star: str) -> str:
        head = "k: ["
        body = '"' + "x" * (width - len(head) - len("]") - len(star) - 2) + '"'
        return f"{head}{body}]{star}\n"

    for star in ("", "*"):
        fits = source(WIDTH, star)
        assert len(fits) - 1 == WIDTH
        assert format_source(fits) == fits
        too_long = source(WIDTH + 1, star)
        assert format_source(too_long) == too_long.replace("[", "[\n  ").replace("]", "\n]")


def test_constructs() -> None:
    messy = """let  models=[ "a","b" ]
let top =1.0
extends_not_first: 1
zip{p:["x","y"],m:[1,2]}
variants[{k: 1},{ k:[2, 3]* }]
where not(model=="a"and(t.u>=2 or x in[1,2]))
where model   not in [ "c" ,
   # a comment inside a `where` list
   "d" ]
schema{ "model" : string,t ? :float in 0.0..<2.0|null, o:{p :any}, "q" :"a"|"b" }
model : models *
t:0.0 ..top step 0.5
"""
    assert format_source(messy) == """let models = ["a", "b"]
let top = 1.0
extends_not_first: 1
zip { p: ["x", "y"], m: [1, 2] }
variants [{ k: 1 }, { k: [2, 3]* }]
where not (model == "a" and (t.u >= 2 or x in [1, 2]))
where model not in [
  "c"
  # a comment inside a `where` list
  "d"
]
schema { model: string, t?: float in 0.0..<2.0 | null, o: { p: any }, q: "a" | "b" }
model: models*
t: 0.0..top step 0.5
"""


@pytest.mark.parametrize(
    "word",
    ["true", "false", "null", "step", "count", "let", "zip", "variants", "where", "not", "and", "or", "in",
     "extends", "schema"],
)
def test_words_of_the_language_are_unquoted_keys(word: str) -> None:
    # Every identifier is a valid bare key naming the same string, the
    # language's own words included, wherever a key stands.
    messy = (
        f'schema {{ "{word}"?: int, o: {{ "{word}": int }} }}\n"{word}": 1\no: {{ "{word}": 2 }}\n'
        f'---\nvariants [{{ "{word}": 1 }}]\n---\nzip {{ "{word}": [1, 2] }}\n'
    )
    assert check_formatting(messy) == (
        f"schema {{ {word}?: int, o: {{ {word}: int }} }}\n{word}: 1\no: {{ {word}: 2 }}\n"
        f"---\nvariants [{{ {word}: 1 }}]\n---\nzip {{ {word}: [1, 2] }}\n"
    )


def test_extends(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text('model: ["a", "b"]*\nllm: { timeout: 30 }\n', encoding="utf-8")
    child = tmp_path / "child.mint"
    messy = '# starts from base.mint\nextends   "base.mint"  # the base\nllm:{timeout:60}\n'
    assert check_formatting(messy, str(child)) == (
        '# starts from base.mint\nextends "base.mint"  # the base\nllm: { timeout: 60 }\n'
    )


def test_documents() -> None:
    assert format_source("---\na: 1\n\n\n---\n\n---   \nb: 2\n---") == "---\na: 1\n---\n---\nb: 2\n---\n"
    assert format_source("") == ""
    assert format_source("\n\n  \n") == ""
    assert format_source("# only a comment") == "# only a comment\n"
    assert format_source("a: 1") == "a: 1\n"


def test_long_strings_are_verbatim() -> None:
    text = 'p: """  keep   \n\tthis   \n# and this\n---\n"""  # note\n'
    assert format_source(text) == text
    assert loads(format_source(text)) == loads(text)


def test_carriage_returns() -> None:
    # CR LF is read as LF, so a CR LF inside a long string can only come
    # from `\r\r\n`; it is written back that way to keep the value.
    text = 'p: """a\r\r\nb"""  # c\r\r\nq: 1\r\n'
    assert loads(text)[0]["p"] == "a\r\nb"
    out = format_source(text)
    assert out == 'p: """a\r\r\nb"""  # c\nq: 1\n'
    assert format_source(out) == out and loads(out) == loads(text)


def test_files_with_semantic_errors_are_formatted() -> None:
    # Errors found after parsing do not stop the formatter, and stay.
    for text, out in [
        ("a:  5 *\n", "a: 5*\n"),  # E021
        ('a:"\\q"', 'a: "\\q"\n'),  # E010
        ("a: undefined_name", "a: undefined_name\n"),  # E040
        ("a: 007, a: 2", "a: 007\na: 2\n"),  # E012, E020
    ]:
        assert check_formatting(text) == out


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        ("a: [1, 2\nb: 3\n", None, 1, None),  # unclosed `[`
        ("a: 1\nb 2\n", None, 2, None),  # missing `:`
        ("a: [1,,2]\n", "E014", 1, 7),  # an empty element: no canonical form
        (", a: 1\n", "E014", 1, 1),
        ("a: {b: 1,\n,}\n", "E014", 2, 1),
        ("schema { a: int,, }\na: 1\n", "E014", 1, 17),
        ("a: 1\nwhere a in [,1]\n", "E014", 2, 13),
        ("a: 1\x00\n", "E005", 1, 5),
        ("a: " + "[" * 101 + "]" * 101, "E017", 1, None),
    ],
)
def test_unparsable_raises(text: str, code: str | None, line: int, column: int | None) -> None:
    with pytest.raises(MintError) as info:
        format_source(text, "bad.mint")
    err = info.value
    with pytest.raises(MintError) as compiled:
        loads(text, "bad.mint")
    assert err.file == "bad.mint" and err.line == line
    assert (err.code, err.line, err.column) == (compiled.value.code, compiled.value.line, compiled.value.column)
    if code is not None:
        assert err.code == code
    if column is not None:
        assert err.column == column


def test_deepest_allowed_nesting() -> None:
    # 100 levels (the parser's limit) print without running out of stack,
    # one level per line since they do not fit on one.
    out = check_formatting("a: " + "[" * 100 + "]" * 100)
    assert out.split("\n")[99] == " " * 198 + "[]"
    out = check_formatting("a: " + "{b: " * 99 + "[1]" + "}" * 99)
    assert out.split("\n")[98:101] == [" " * 196 + "b: {", " " * 198 + "b: [", " " * 200 + "1"]


# --------------------------------------------------------------------------
# Random sources
# --------------------------------------------------------------------------

def test_generator_makes_sources_that_compile() -> None:
    """Guards the property tests: most random sources must compile, so that
    'compiles to the same configs' compares configs, not just error codes."""
    ok = 0
    for seed in range(100):
        text = SourceGen(random.Random(seed)).file()
        if not outcome(text).startswith("errors"):
            ok += 1
    assert ok >= 90


@settings(max_examples=fuzz_examples(100), deadline=DEADLINE, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_random_sources(rng: random.Random) -> None:
    text = SourceGen(rng).file()
    note(text)
    note(format_source(text))
    check_formatting(text)


# Data printed by the suite's own random printer (tests/mint_printer.py):
# arbitrary keys and strings, every way of spelling them.
_TEXT = st.text(st.characters(codec="utf-8"), max_size=8)
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False, width=32), _TEXT,
)
_KEYS = st.one_of(_TEXT, st.sampled_from(_KEYWORDS + ["a-b", "x_1", "config_id"]))
_STATIC = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3), max_leaves=6
)
_SWEEPS = st.one_of(
    st.lists(_STATIC, min_size=1, max_size=3).map(DynamicValue),
    st.tuples(st.integers(-5, 5), st.integers(1, 3), st.integers(1, 3)).map(
        lambda t: DynamicValue(range(t[0], t[0] + t[1] * t[2], t[2]))
    ),
)
_DOCS = st.lists(
    st.dictionaries(_KEYS, st.one_of(_STATIC, _SWEEPS, st.dictionaries(_KEYS, _SWEEPS, max_size=2)), max_size=4),
    max_size=3,
)


@settings(max_examples=60, deadline=DEADLINE, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=_DOCS, seed=st.integers(0, 2**32 - 1))
def test_printed_data(docs: list[dict[str, object]], seed: int) -> None:
    text = print_mint(docs, random.Random(seed))
    note(text)
    check_formatting(text)


# --- the command line ---------------------------------------------------------------

def _mintc(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "spearmint_lang", *args], cwd=cwd, input=stdin, capture_output=True)


def _mintc_in(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str,
              cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """`_mintc` in-process (tests/inproc.py), for what is about files and messages, not stdin."""
    done = run_main(capsys, monkeypatch, *args, cwd=cwd)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.encode(), done.stderr.encode())


def test_mintc_fmt_rewrites_checks_and_reads_stdin(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    messy = b'a:1,b:[1,2]*   # note\n\n\n"c": {x: 1}\n'
    tidy = format_source(messy.decode()).encode()
    (tmp_path / "m.mint").write_bytes(messy)
    (tmp_path / "t.mint").write_bytes(tidy)
    check = _mintc_in(capsys, monkeypatch, "fmt", "--check", "m.mint", "t.mint", cwd=tmp_path)
    assert check.returncode == 1
    assert check.stdout == b"m.mint: would reformat\n"
    assert (tmp_path / "m.mint").read_bytes() == messy  # --check writes nothing
    done = _mintc_in(capsys, monkeypatch, "fmt", "m.mint", "t.mint", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == b"reformatted m.mint\n"
    assert (tmp_path / "m.mint").read_bytes() == tidy
    assert _mintc_in(capsys, monkeypatch, "fmt", "--check", "m.mint", "t.mint", cwd=tmp_path).returncode == 0
    piped = _mintc("fmt", "-", cwd=tmp_path, stdin=messy)  # stdin: the real process
    assert piped.returncode == 0 and piped.stdout == tidy


def test_mintc_fmt_leaves_a_broken_file_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "b.mint").write_bytes(b"a: [1, 2\n")
    out = _mintc_in(capsys, monkeypatch, "fmt", "b.mint", cwd=tmp_path)
    assert out.returncode == 1 and b"error[E003]" in out.stderr
    assert (tmp_path / "b.mint").read_bytes() == b"a: [1, 2\n"
