"""The Pygments lexer (spearmint_lang/pygments_lexer.py): every valid `.mint`
text lexes with no `Error` token and round-trips exactly, its tokens agree
with the VS Code extension's TextMate grammar on every assertion of that
grammar's tests, and Pygments finds it by name and file name through the
`pygments.lexers` entry point."""

from __future__ import annotations

import ast
import importlib.metadata
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments import lexers
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Token,
    Whitespace,
    _TokenType,
)

from spearmint_lang.pygments_lexer import MintLexer
from tests.conftest import DEADLINE, EXAMPLES, ROOT, fuzz_examples

Tokens = list[tuple[_TokenType, str]]


def _lex(text: str) -> Tokens:
    """The tokens of `text`, adjacent ones of one type merged (as formatters
    show them), whitespace left out."""
    out: Tokens = []
    for _, kind, value in MintLexer().get_tokens_unprocessed(text):
        if out and out[-1][0] is kind:
            out[-1] = (kind, out[-1][1] + value)
        else:
            out.append((kind, value))
    return [(kind, value) for kind, value in out if kind is not Whitespace]


# --- every valid text: no Error, exact round trip -------------------------

_FENCE = re.compile(r"^```mint([^\n]*)\n(.*?)^```", re.S | re.M)


def _texts() -> list[tuple[str, str, bool]]:
    """(name, text, valid) for each example file and each ```mint block of
    the docs (a ```mint wrong CODE block shows a mistake)."""
    out = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8"), True) for p in sorted(EXAMPLES.rglob("*.mint"))]
    out += [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8"), True)
            for p in sorted((ROOT / "vscode-extension" / "test" / "samples").glob("*.mint"))]
    for doc in sorted((ROOT / "docs").glob("*.md")):
        for i, m in enumerate(_FENCE.finditer(doc.read_text(encoding="utf-8"))):
            out.append((f"docs/{doc.name}#{i} {m.group(1).strip()}", m.group(2), not m.group(1).split()[:1] == ["wrong"]))
    return out


TEXTS = _texts()


def test_there_are_texts() -> None:
    names = [name for name, _, _ in TEXTS]
    assert sum(n.startswith("examples/") for n in names) >= 30
    assert sum(n.startswith("docs/language.md#") for n in names) >= 18


@pytest.mark.parametrize("valid", [True, False], ids=["valid", "wrong"])
def test_texts_round_trip_and_valid_ones_have_no_error(valid: bool) -> None:
    for name, text, is_valid in TEXTS:
        if is_valid is not valid:
            continue
        tokens = list(MintLexer().get_tokens_unprocessed(text))
        assert "".join(value for _, _, value in tokens) == text, name
        assert [pos for pos, _, _ in tokens] == list(itertools.accumulate([0] + [len(v) for _, _, v in tokens[:-1]])), name
        if valid:
            errors = [(text.count("\n", 0, pos) + 1, value) for pos, kind, value in tokens if kind in Error]
            assert errors == [], name


_PIECES = ["a", "lr", ".", ":", "?", " ", "\n", "\t", '"', '"""', "\\", "$", "${", "$${", "}", "{", "[", "]", "(",
           ")", ",", "#", "-", "1", "0.5", "1e3", "_", "..", "..<", "*", "=", "==", "<", "|", "where ", "sample ",
           "seed", "step", "let ", "import ", "as", "schema", "not", "in", "---", "uniform", "min", "int", ";", "é"]


@settings(max_examples=fuzz_examples(60), deadline=DEADLINE)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_any_text_round_trips(text: str) -> None:
    """Whatever the text, the lexer ends and its tokens are the text."""
    assert "".join(value for _, _, value in MintLexer().get_tokens_unprocessed(text)) == text


def test_junk_is_an_error() -> None:
    assert (Error, ";") in _lex("a: 1; b: 2\n")
    assert (Error, "\\q") in _lex('k: "ok \\q"\n')
    assert (Error, "$") in _lex("d: $y\n")


# --- exact tokens ----------------------------------------------------------

def test_key_and_comment() -> None:
    assert _lex("lr: 0.1  # the step\n") == [
        (Name.Tag, "lr"), (Punctuation, ":"), (Number.Float, "0.1"), (Comment.Single, "# the step"),
    ]


def test_dotted_quoted_and_optional_keys() -> None:
    assert _lex('optimizer."beta.1".x: 2\n') == [
        (Name.Tag, "optimizer"), (Punctuation, "."), (Name.Tag, '"beta.1"'), (Punctuation, "."),
        (Name.Tag, "x"), (Punctuation, ":"), (Number.Integer, "2"),
    ]
    assert _lex("schema { seed?: int }\n") == [
        (Keyword, "schema"), (Punctuation, "{"), (Name.Tag, "seed"), (Operator, "?"), (Punctuation, ":"),
        (Keyword.Type, "int"), (Punctuation, "}"),
    ]


def test_range_with_step() -> None:
    assert _lex("batch: 16..<1_024 step *2\nlr: 0..1 step 2.5e-1\n") == [
        (Name.Tag, "batch"), (Punctuation, ":"), (Number.Integer, "16"), (Operator, "..<"),
        (Number.Integer, "1_024"), (Keyword, "step"), (Operator, "*"), (Number.Integer, "2"),
        (Name.Tag, "lr"), (Punctuation, ":"), (Number.Integer, "0"), (Operator, ".."), (Number.Integer, "1"),
        (Keyword, "step"), (Number.Float, "2.5e-1"),
    ]


def test_string_with_interpolation_and_escapes() -> None:
    assert _lex('name: "run-${model.size} $${HOME}\\n"\n') == [
        (Name.Tag, "name"), (Punctuation, ":"), (String.Double, '"run-'), (String.Interpol, "${model.size}"),
        (String.Double, " "), (String.Escape, "$${"), (String.Double, "HOME}"), (String.Escape, "\\n"),
        (String.Double, '"'),
    ]


def test_block_string() -> None:
    assert _lex('prompt: """\n  Say "${greeting}" \\n $${x}\n"""\n') == [
        (Name.Tag, "prompt"), (Punctuation, ":"), (String.Double, '"""\n  Say "'), (String.Interpol, "${greeting}"),
        (String.Double, '" \\n '), (String.Escape, "$${"), (String.Double, 'x}\n"""'),
    ]


def test_where_paths_are_keys() -> None:
    assert _lex('where model.size in ["s", "m"] and not step >= 2  # keep\n') == [
        (Keyword, "where"), (Name.Tag, "model"), (Punctuation, "."), (Name.Tag, "size"), (Operator.Word, "in"),
        (Punctuation, "["), (String.Double, '"s"'), (Punctuation, ","), (String.Double, '"m"'),
        (Punctuation, "]"), (Operator.Word, "and"), (Operator.Word, "not"), (Name.Tag, "step"), (Operator, ">="),
        (Number.Integer, "2"), (Comment.Single, "# keep"),
    ]


def test_names_keywords_and_builtins() -> None:
    assert _lex('import "p.mint" as p\nlet lrs = [1, 2]\nlr: lrs*\n---\nsample 8 seed 3 sobol\n'
                "x: if ${lr} > 1 then min(lr, 2) else uniform(0, 1)\nk: delete\nz: true\n") == [
        (Keyword.Namespace, "import"), (String.Double, '"p.mint"'), (Keyword.Namespace, "as"), (Name.Namespace, "p"),
        (Keyword.Declaration, "let"), (Name.Variable, "lrs"), (Punctuation, "="), (Punctuation, "["),
        (Number.Integer, "1"), (Punctuation, ","), (Number.Integer, "2"), (Punctuation, "]"),
        (Name.Tag, "lr"), (Punctuation, ":"), (Name, "lrs"), (Operator, "*"),
        (Punctuation, "---"),
        (Keyword, "sample"), (Number.Integer, "8"), (Keyword, "seed"), (Number.Integer, "3"), (Keyword, "sobol"),
        (Name.Tag, "x"), (Punctuation, ":"), (Keyword, "if"), (String.Interpol, "${lr}"), (Operator, ">"),
        (Number.Integer, "1"), (Keyword, "then"), (Name.Builtin, "min"), (Punctuation, "("), (Name, "lr"),
        (Punctuation, ","), (Number.Integer, "2"), (Punctuation, ")"), (Keyword, "else"),
        (Name.Builtin, "uniform"), (Punctuation, "("), (Number.Integer, "0"), (Punctuation, ","),
        (Number.Integer, "1"), (Punctuation, ")"),
        (Name.Tag, "k"), (Punctuation, ":"), (Keyword, "delete"), (Name.Tag, "z"), (Punctuation, ":"),
        (Keyword.Constant, "true"),
    ]


# --- the TextMate grammar's own tests --------------------------------------

# The token each TextMate scope stands for, most specific first (a quoted
# key is both a string and a key: a key).
_SCOPES: list[tuple[str, _TokenType]] = [
    ("invalid.", Error),
    ("meta.interpolation.mint", String.Interpol), ("punctuation.definition.interpolation", String.Interpol),
    ("constant.character.escape", String.Escape),
    ("support.type.property-name", Name.Tag),
    ("comment.", Comment.Single),
    ("string.quoted", String.Double),
    ("keyword.control.import", Keyword.Namespace),
    ("keyword.operator.logical", Operator.Word), ("keyword.operator.in", Operator.Word),
    ("keyword.operator", Operator),
    ("keyword.", Keyword),
    ("storage.type", Keyword.Declaration),
    ("entity.name.variable", Name.Variable), ("entity.name.namespace", Name.Namespace),
    ("variable.other", Name),
    ("constant.language", Keyword.Constant),
    ("constant.numeric.integer", Number.Integer), ("constant.numeric.float", Number.Float),
    ("support.function", Name.Builtin), ("support.type.mint", Keyword.Type),
    ("meta.separator.document", Punctuation),
    ("punctuation.", Punctuation),
]
# `#   ^^^ scopes - not-these` or `# <~~--- scopes`, under the line they test.
_ASSERTION = re.compile(r"^#(\s*)(\^+|<~*-+)\s+(.*)$")


def _expected(scopes: list[str]) -> _TokenType | None:
    return next((kind for prefix, kind in _SCOPES if any(s.startswith(prefix) for s in scopes)), None)


@pytest.mark.parametrize("path", sorted((ROOT / "vscode-extension" / "test" / "grammar").glob("*.test.mint")),
                         ids=lambda p: p.name)
def test_agrees_with_the_textmate_grammar(path: Path) -> None:
    lines: list[str] = []
    checks: list[tuple[int, int, int, _TokenType]] = []  # (line, column, length, token)
    for line in path.read_text(encoding="utf-8").split("\n"):
        m = _ASSERTION.match(line)
        if m is None or not lines:
            lines.append(line)
            continue
        marks, scopes = m.group(2), (" " + m.group(3)).split(" - ")[0].split()
        column, length = (marks.count("~"), marks.count("-")) if marks[0] == "<" else (1 + len(m.group(1)), len(marks))
        kind = _expected(scopes)
        if kind is not None:
            checks.append((len(lines) - 1, column, length, kind))
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    at: dict[int, _TokenType] = {}
    for pos, kind, value in MintLexer().get_tokens_unprocessed("\n".join(lines)):
        at.update(dict.fromkeys(range(pos, pos + len(value)), kind))
    assert checks
    for line_no, column, length, kind in checks:
        end = min(column + length, len(lines[line_no]))  # (a scope may reach the line's end)
        got = [at[starts[line_no] + c] for c in range(column, end)]
        assert got == [kind] * (end - column), (line_no + 1, column, lines[line_no])


def test_only_the_lexer_imports_pygments() -> None:
    """Pygments is an optional extra: no other module may need it."""
    importers = set()
    for path in (ROOT / "spearmint_lang").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(name.split(".")[0] == "pygments" for name in names):
                importers.add(path.relative_to(ROOT).as_posix())
    assert importers == {"spearmint_lang/pygments_lexer.py"}


# --- Pygments finds it -----------------------------------------------------

def test_pyproject_declares_the_entry_point_and_extra() -> None:
    tomllib = pytest.importorskip("tomllib")  # (Python 3.11+)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"]["pygments.lexers"] == {"mint": "spearmint_lang.pygments_lexer:MintLexer"}
    assert project["optional-dependencies"]["pygments"] == ["pygments>=2.12"]


def test_pygments_finds_the_installed_lexer() -> None:
    """Needs the package installed from this pyproject (`pip install -e .`
    again after the entry point was added): Pygments reads the installed
    metadata, not pyproject.toml."""
    points = importlib.metadata.entry_points(group="pygments.lexers")
    assert [p.value for p in points if p.name == "mint"] == ["spearmint_lang.pygments_lexer:MintLexer"], \
        "reinstall spearmint-lang (pip install -e .) so that its entry points are current"
    assert lexers.get_lexer_by_name("mint").name == "Mint"
    assert lexers.get_lexer_for_filename("sweep.mint").name == "Mint"
    assert lexers.find_lexer_class_for_filename("x.mint") is not None
    assert Token.Name.Tag in {kind for kind, _ in lexers.get_lexer_by_name("mint").get_tokens("lr: 1\n")}
