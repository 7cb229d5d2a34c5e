"""The formatter (`spearmint_lang.fmt`, `mintc fmt`).

* every example: idempotent, compiles to the same configs, keeps every comment;
* hypothesis: random sources (every construct, random layout) stay
  idempotent and compile-equivalent, and keep their comments;
* the canonical style on messy inputs, as exact expected outputs;
* sources that do not parse raise the parser's own `MintError`.
"""

from __future__ import annotations

import json
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
from tests.conftest import DEADLINE, EXAMPLES
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


def outcome(text: str, path: str = "<string>") -> str:
    """What a source compiles to: the JSON of its configs (ids included, in
    order), or the sorted error codes when it does not compile."""
    try:
        return json.dumps(loads(text, path))
    except MintError as exc:
        return "errors " + " ".join(sorted({d.code for d in exc.diagnostics}))


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

_KEYWORDS = ["true", "false", "null", "step", "count", "let", "zip", "variants", "where", "not", "and", "or",
             "in", "extends", "schema"]
_ODD_KEYS = ["a b", "1x", "x.y", "é", "#k", "k:", "-k", 'q"', "k\\"]
_COMMENT_CHARS = "abc XYZ 09 #\"'*,:;[]{}().-- --- \\ é中🙂\u00a0\t\x0b\x0c\x85\u2028\u2029\ufeff"
_STRING_CHARS = 'ab #,:"\\\n\té🙂\u2028/*[]{}-'
_LONG_CHARS = 'ab #,:"\'\n\n\t  é{}[]---*'
_FLOATS = ["0.10", "1e-5", "2E3", "-3.5e-3", "1.0", "0.0", "-0.5", "1e+2", "12.5"]


class SourceGen:
    """A random `.mint` source meant to compile, in a random layout.

    Values are drawn with the types the checks need (`where` compares a key
    with a literal of its type; a schema names every key with a type that
    holds); the layout draws every free choice: separators (newlines, commas,
    trailing commas), blank lines, comments (full-line and trailing),
    indentation, spaces around tokens, quoted or bare keys, CRLF and a BOM.
    Sweeps are kept small so that every file expands quickly.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.counter = 0
        self.lets: dict[str, str] = {}  # name -> "ints" | "strs" | "int"
        self.room = 1

    # layout ------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def ws(self) -> str:
        return self.rng.choice(["", "", " ", "  ", "\t"])

    def ws1(self) -> str:
        return self.rng.choice([" ", " ", "  ", "\t", " \t "])

    def comment(self) -> str:
        return "#" + "".join(self.rng.choice(_COMMENT_CHARS) for _ in range(self.rng.randint(0, 10)))

    def newlines(self, indent: int) -> str:
        """A line break: maybe a trailing comment, blank and comment lines."""
        rng = self.rng
        out = (self.ws1() + self.comment()) if self.chance(0.25) else self.ws()
        out += "\n"
        for _ in range(rng.choice([0, 0, 0, 1, 2, 3])):
            if self.chance(0.5):
                out += rng.choice(["", " ", "\t  "]) + "\n"
            else:
                out += " " * rng.randint(0, indent + 4) + self.comment() + "\n"
        return out + " " * max(0, indent + rng.choice([0, 0, 0, -1, 1, 3]))

    def sep(self, kind: str, indent: int) -> str:
        """`lead` (no comma), `between` (one comma or a line break at
        least) or `trail` (at most one comma) separators."""
        rng = self.rng
        if kind == "lead":
            return self.newlines(indent) if self.chance(0.4) else self.ws()
        if kind == "between":
            form = rng.randrange(4)
            if form == 0:
                return self.ws() + "," + self.ws()
            if form == 1:
                return self.newlines(indent)
            if form == 2:
                return self.ws() + "," + self.newlines(indent)
            return self.newlines(indent) + "," + self.ws()
        form = rng.randrange(4)
        if form == 0:
            return self.ws()
        if form == 1:
            return self.ws() + "," + self.ws()
        return ("," if form == 3 else "") + self.newlines(max(0, indent - 2))

    def seq(self, items: list[str], indent: int) -> str:
        if not items:
            return self.sep("lead", indent)
        out = self.sep("lead", indent) + items[0]
        for item in items[1:]:
            out += self.sep("between", indent) + item
        return out + self.sep("trail", indent)

    # keys and literals -----------------------------------------------------
    def fresh(self) -> str:
        self.counter += 1
        return f"k{self.counter}"

    def key_name(self, scope: set[str], plain: bool = False) -> str:
        r = self.rng.random()
        name = self.fresh()
        if not plain and r < 0.15 and (word := self.rng.choice(_KEYWORDS)) not in scope:
            name = word
        elif not plain and r < 0.3:
            name = self.rng.choice(_ODD_KEYS) + name
        scope.add(name)
        return name

    def key(self, name: str) -> str:
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", name) and self.chance(0.7):
            return name
        if self.chance(0.3):
            return '"' + "".join(f"\\u{ord(c):04x}" if c.isalnum() and self.chance(0.3) else json.dumps(c)[1:-1]
                                 for c in name) + '"'
        return json.dumps(name, ensure_ascii=self.chance(0.5))

    def string(self) -> str:
        rng = self.rng
        if self.chance(0.2):
            body = "".join(rng.choice(_LONG_CHARS) for _ in range(rng.randint(0, 12)))
            if '"""' not in body and not body.endswith('"'):
                return '"""' + body + '"""'
        text = "".join(rng.choice(_STRING_CHARS) for _ in range(rng.randint(0, 6)))
        return json.dumps(text, ensure_ascii=self.chance(0.5))

    def number(self) -> tuple[str, str]:
        if self.chance(0.6):
            return str(self.rng.choice([0, 1, -7, 42, 3, 10**20, self.rng.randint(-1000, 1000)])), "int"
        return self.rng.choice(_FLOATS), "float"

    def scalar(self) -> tuple[str, str]:
        """A literal and its schema type."""
        r = self.rng.random()
        if r < 0.4:
            return self.number()
        if r < 0.75:
            return self.string(), "string"
        if r < 0.9:
            return self.rng.choice(["true", "false"]), "bool"
        return "null", "null"

    # values ----------------------------------------------------------------
    def container(self, opener: str, items: list[str], closer: str, indent: int) -> str:
        return opener + self.seq(items, indent + 2) + closer

    def static(self, depth: int, indent: int) -> tuple[str, str]:
        """A value without sweeps (inside lists), and its schema type."""
        r = self.rng.random()
        if depth >= 3 or r < 0.6:
            return self.scalar()
        if r < 0.8:
            n = self.rng.randint(0, 3)
            return self.container("[", [self.static(depth + 1, indent + 2)[0] for _ in range(n)], "]", indent), "list"
        scope: set[str] = set()
        entries = [self.entry(self.key_name(scope), self.static(depth + 1, indent + 2)[0], indent + 2)
                   for _ in range(self.rng.randint(0, 3))]
        return self.container("{", entries, "}", indent), "object"

    def sweep_size(self, n: int) -> bool:
        """Whether a sweep of n values fits the document's budget."""
        if n <= self.room:
            self.room //= max(1, n)
            return True
        return False

    def range_(self) -> tuple[str, str, int] | None:
        """A range sweep text, its schema type and its number of values."""
        rng = self.rng
        a = rng.randint(-3, 3)
        forms: list[tuple[list[str], str, int]] = []
        d = rng.randint(0, 2)
        forms.append(([str(a), "..", str(a + d)], "int", d + 1))
        forms.append(([str(a), "..<", str(a + d + 1)], "int", d + 1))
        forms.append(([str(a), "..", str(a + 2 * d), "step", "2"], "int", d + 1))
        forms.append(([str(a + d), "..", str(a), "step", "-1"], "int", d + 1))
        forms.append((["0.0", "..", "1.0", "step", "0.5"], "float", 3))
        forms.append((["1", "..", "8", "step", "*", "2"], "int", 4))
        forms.append((["1e-3", "..", "1e-1", "step", "*", "10"], "float", 3))
        forms.append((["0", "..", "1", "count", "3"], "float", 3))
        forms.append((["0", "..<", "1", "count", "2"], "float", 2))
        ints = [name for name, kind in self.lets.items() if kind == "int"]
        if ints:
            forms.append((["0", "..", rng.choice(ints), "step", "1"], "int", 4))  # lets hold 0..3
        words, kind, n = rng.choice(forms)
        if not self.sweep_size(n):
            return None
        out = ""
        for i, w in enumerate(words):
            if w in ("step", "count"):
                out += self.ws1() + w + self.ws1()
            elif w in ("..", "..<", "*"):
                out += self.ws() + w + self.ws()
            else:
                out += w
        return out, kind, n

    def value(self, depth: int, indent: int, scope_keys: set[str]) -> tuple[str, str, str | None]:
        """A value where sweeps may stand: text, schema type, and the
        `where` type of its values ("num" or "str") when comparable."""
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            text, kind = self.scalar()
            comparable = "num" if kind in ("int", "float") else "str" if kind == "string" else None
            return text, kind, comparable
        if r < 0.45:
            n = rng.randint(1, 3)
            if self.sweep_size(n):
                if self.chance(0.5):
                    vals = [self.number()[0] for _ in range(n)]
                    where_kind, kind = "num", "float"
                else:
                    vals = [self.string() for _ in range(n)]
                    where_kind, kind = "str", "string"
                return self.container("[", vals, "]", indent) + self.ws() + "*", kind, where_kind
        if r < 0.55:
            made = self.range_()
            if made is not None:
                return made[0], "float" if made[1] == "float" else rng.choice(["int", "float", "any"]), "num"
        if r < 0.62:
            names = [name for name, kind in self.lets.items() if kind in ("ints", "strs")]
            if names:
                name = rng.choice(names)
                if self.chance(0.5) and self.sweep_size(2):
                    return name + self.ws() + "*", "any", "num" if self.lets[name] == "ints" else "str"
                return name, "list", None
        if r < 0.7 and depth < 2 and self.room >= 4:
            # a sweep of objects, each expanding its own sweeps
            saved, self.room = self.room, 2
            objs = [self.object(depth + 1, indent + 2, sweeps=True)[0] for _ in range(2)]
            self.room = saved // 4
            return self.container("[", objs, "]", indent) + self.ws() + "*", "any", None
        if r < 0.85 and depth < 3:
            text, kind = self.object(depth + 1, indent, sweeps=True)
            return text, kind, None
        text, kind = self.static(depth, indent)
        return text, kind, None

    def entry(self, name: str, value: str, indent: int) -> str:
        return self.key(name) + self.ws() + ":" + self.ws() + value

    def object(self, depth: int, indent: int, sweeps: bool) -> tuple[str, str]:
        """An object (with `zip` and `variants` when sweeps may stand)."""
        scope: set[str] = set()
        items: list[str] = []
        fields: list[str] = []
        for _ in range(self.rng.randint(0, 3)):
            r = self.rng.random()
            if sweeps and r < 0.1:
                text, keys = self.zip_(scope, indent + 2)
                items.append(text)
                fields.extend(self.field(k, "any", optional=False) for k in keys)
            elif sweeps and r < 0.2 and depth < 3:
                text, keys = self.variants(scope, depth, indent + 2)
                items.append(text)
                fields.extend(self.field(k, "any", optional=True) for k in keys)
            else:
                name = self.key_name(scope)
                value, kind, _ = self.value(depth, indent + 2, scope) if sweeps else (*self.static(depth, indent + 2), None)
                items.append(self.entry(name, value, indent + 2))
                fields.append(self.field(name, kind, optional=False))
        text = self.container("{", items, "}", indent)
        if self.chance(0.5):
            return text, self.container("{", fields, "}", indent)  # its own schema
        return text, "object"

    def zip_(self, scope: set[str], indent: int) -> tuple[str, list[str]]:
        n = self.rng.randint(1, 3)
        keys = [self.key_name(scope) for _ in range(self.rng.randint(1, 3))]
        if not self.sweep_size(n):
            n = 1
        entries = [self.entry(k, self.container("[", [self.scalar()[0] for _ in range(n)], "]", indent + 2),
                              indent + 2) for k in keys]
        return "zip" + self.ws() + self.container("{", entries, "}", indent), keys

    def variants(self, scope: set[str], depth: int, indent: int) -> tuple[str, list[str]]:
        keys: list[str] = []
        alts = []
        saved, self.room = self.room, 2
        for _ in range(self.rng.randint(1, 2)):
            alt_scope: set[str] = set()
            items = []
            for _ in range(self.rng.randint(0, 2)):
                name = self.key_name(scope)
                alt_scope.add(name)
                keys.append(name)
                items.append(self.entry(name, self.value(depth + 1, indent + 4, alt_scope)[0], indent + 4))
            alts.append(self.container("{", items, "}", indent + 2))
        self.room = max(1, saved // 4)
        return "variants" + self.ws() + self.container("[", alts, "]", indent), keys

    # schema and where --------------------------------------------------------
    def field(self, name: str, kind: str, optional: bool) -> str:
        """A schema field for a key whose values have schema type `kind`."""
        rng = self.rng
        if kind.startswith("{"):
            typ = kind
        elif kind == "float" and self.chance(0.3):
            typ = "float" + self.ws1() + "in" + self.ws1() + "-1e30" + self.ws() + "..<" + self.ws() + "1e30"
        elif kind in ("string", "null") and self.chance(0.3):
            typ = rng.choice(['"zz"', "1", "true"]) + self.ws() + "|" + self.ws() + kind
        elif kind == "int":
            typ = rng.choice(["int", "float", "int | null"])
        else:
            typ = kind if self.chance(0.7) else "any"
        return self.key(name) + self.ws() + ("?" + self.ws() if optional or self.chance(0.1) else "") + ":" + self.ws() + typ

    def expr(self, keys: list[tuple[str, str]], depth: int) -> str:
        rng = self.rng
        r = rng.random()
        if depth >= 3 or r < 0.45:
            name, kind = rng.choice(keys)
            lits = [str(rng.randint(-3, 3)), "0.5"] if kind == "num" else ['"a"', json.dumps("b#")]
            if self.chance(0.3):
                opts = [rng.choice(lits) for _ in range(rng.randint(1, 3))]
                word = rng.choice(["in", "not" + self.ws1() + "in"])
                return name + self.ws1() + word + self.ws() + self.container("[", opts, "]", 2)
            op = rng.choice(["==", "!=", "<", "<=", ">", ">="])
            if self.chance(0.2):
                return rng.choice(lits) + self.ws() + op + self.ws() + name
            return name + self.ws() + op + self.ws() + rng.choice(lits)
        if r < 0.6:
            return "not" + self.ws1() + self.expr(keys, depth + 1)
        if r < 0.75:
            return "(" + self.ws() + self.expr(keys, depth + 1) + self.ws() + ")"
        word = rng.choice(["and", "or"])
        left, right = self.expr(keys, depth + 1), self.expr(keys, depth + 1)
        return "(" + left + ")" + self.ws() + word + self.ws() + "(" + right + ")" if self.chance(0.3) else \
            left + self.ws1() + word + self.ws1() + right

    # documents ---------------------------------------------------------------
    def document(self) -> str:
        rng = self.rng
        self.room = 24
        scope: set[str] = set()
        items: list[str] = []
        fields: list[str] = []
        where_keys: list[tuple[str, str]] = []
        for _ in range(rng.randint(0, 2)):
            name = f"n{len(self.lets)}"
            if self.chance(0.5):
                self.lets[name] = "int"
                value = str(rng.randint(0, 3))
            else:
                self.lets[name] = rng.choice(["ints", "strs"])
                vals = [str(i) for i in range(2)] if self.lets[name] == "ints" else ['"x"', '"y"']
                value = self.container("[", vals, "]", 0)
            items.append("let" + self.ws1() + name + self.ws() + "=" + self.ws() + value)
        for _ in range(rng.choice([0, 1, 2, 3, 4, 5, 5])):
            r = rng.random()
            if r < 0.1:
                text, keys = self.zip_(scope, 0)
                items.append(text)
                fields.extend(self.field(k, "any", optional=False) for k in keys)
            elif r < 0.2:
                text, keys = self.variants(scope, 0, 0)
                items.append(text)
                fields.extend(self.field(k, "any", optional=True) for k in keys)
            else:
                name = self.key_name(scope, plain=self.chance(0.5))
                value, kind, comparable = self.value(0, 0, scope)
                items.append(self.entry(name, value, 0))
                fields.append(self.field(name, kind, optional=False))
                if comparable and re.fullmatch(r"k\d+", name):
                    where_keys.append((name, comparable))
        if where_keys:
            for _ in range(rng.choice([0, 1, 1, 2])):
                items.insert(rng.randint(0, len(items)), "where" + self.ws1() + self.expr(where_keys, 0))
        if self.chance(0.3):
            items.insert(rng.randint(0, len(items)), "schema" + self.ws() + self.container("{", fields, "}", 0))
        return self.seq(items, 0)

    def file(self) -> str:
        """A file; drawn again (up to 20 times) while a random `where` keeps no
        config (E068), so that outputs, not that error, are compared."""
        for _ in range(20):
            self.counter, self.lets, self.room = 0, {}, 1
            text = self._file()
            if "E068" not in outcome(text):
                break
        return text

    def _file(self) -> str:
        rng = self.rng
        docs = [self.document() for _ in range(rng.choice([1, 1, 2, 3]))]
        out = "---\n" if self.chance(0.1) else ""
        for i, doc in enumerate(docs):
            if i:
                out += "\n---" + rng.choice(["", " ", "\t "]) + "\n"
            out += doc
        if self.chance(0.1):
            out += "\n---\n"
        if self.chance(0.15):
            out = out.replace("\n", "\r\n")
        if self.chance(0.1):
            out = "\ufeff" + out
        return out


def test_generator_makes_sources_that_compile() -> None:
    """Guards the property tests: most random sources must compile, so that
    'compiles to the same configs' compares configs, not just error codes."""
    ok = 0
    for seed in range(100):
        text = SourceGen(random.Random(seed)).file()
        if not outcome(text).startswith("errors"):
            ok += 1
    assert ok >= 90


@settings(max_examples=200, deadline=DEADLINE, database=None, suppress_health_check=[HealthCheck.too_slow])
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


def test_mintc_fmt_rewrites_checks_and_reads_stdin(tmp_path: Path) -> None:
    messy = b'a:1,b:[1,2]*   # note\n\n\n"c": {x: 1}\n'
    tidy = format_source(messy.decode()).encode()
    (tmp_path / "m.mint").write_bytes(messy)
    (tmp_path / "t.mint").write_bytes(tidy)
    check = _mintc("fmt", "--check", "m.mint", "t.mint", cwd=tmp_path)
    assert check.returncode == 1
    assert check.stdout == b"m.mint: would reformat\n"
    assert (tmp_path / "m.mint").read_bytes() == messy  # --check writes nothing
    done = _mintc("fmt", "m.mint", "t.mint", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == b"reformatted m.mint\n"
    assert (tmp_path / "m.mint").read_bytes() == tidy
    assert _mintc("fmt", "--check", "m.mint", "t.mint", cwd=tmp_path).returncode == 0
    piped = _mintc("fmt", "-", cwd=tmp_path, stdin=messy)
    assert piped.returncode == 0 and piped.stdout == tidy


def test_mintc_fmt_leaves_a_broken_file_alone(tmp_path: Path) -> None:
    (tmp_path / "b.mint").write_bytes(b"a: [1, 2\n")
    out = _mintc("fmt", "b.mint", cwd=tmp_path)
    assert out.returncode == 1 and b"error[E003]" in out.stderr
    assert (tmp_path / "b.mint").read_bytes() == b"a: [1, 2\n"
