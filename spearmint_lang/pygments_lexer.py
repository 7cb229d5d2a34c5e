"""A Pygments lexer for `.mint` files, so that Sphinx, MkDocs and any other
Pygments user colour ```mint blocks.

Installed as the entry point `mint` of the `pygments.lexers` group
(pyproject.toml), which Pygments' plugin lookup finds:
`pygments.lexers.get_lexer_by_name("mint")` and
`get_lexer_for_filename("sweep.mint")`. This is the only module that imports
Pygments (the optional extra `spearmint-lang[pygments]`).

Its token categories mirror the VS Code extension's TextMate grammar
(vscode-extension/syntaxes/mint.tmLanguage.json): keys (a word, a quoted
string or a dotted path before `:`, and the key paths of a `where`) are
`Name.Tag`; `zip`, `variants`, `where`, `extends`, `schema`, `if`, `then`,
`else`, `delete`, `step`, `count`, `sample` and its `seed` and methods are
`Keyword`, `let` is `Keyword.Declaration` and `import ... as` is
`Keyword.Namespace`; `and`, `or`, `not`, `in` are `Operator.Word`;
`true`, `false`, `null` are `Keyword.Constant`; the functions of
expressions and the distributions before their `(` are `Name.Builtin`; a
`let` name where it is defined is `Name.Variable`, and where it is used
`Name`; the types of a `schema` block are `Keyword.Type`; `${path}` is
`String.Interpol` and `$${` (a literal `${`) `String.Escape`. Only what no
valid file holds (a stray `;`, a bad escape such as `\\q`) is `Error`, and
the tokens' text is always the input's, character for character.
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, default, include, words
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

__all__ = ["MintLexer"]

_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
# Not after (and, with _AFTER, not before) a character of a name: words in
# .mint may hold `-` (`learning-rate`), so `\b` is not a word's edge.
_BEFORE = r"(?<![A-Za-z0-9_-])"
_AFTER = r"(?![A-Za-z0-9_-])"
# The path of `${path}` inside a string (the compiler reads exactly this).
_PATH = rf"{_NAME}(?:\.{_NAME})*"
# Where an item begins: after a line's indentation or a `,` (the
# whitespace before is a token of its own).
_ITEM = r"(?<![^\s,])"
# A key of a dotted key (`a."b.c".d: 1`), and what may follow one up to its `:`.
_QUOTED = r'"(?:[^"\\\n]|\\.)*"'
_KEY_REST = rf'(?:\.(?:{_NAME}|{_QUOTED}))*[ \t]*\??[ \t]*:'
_ESCAPE = r'\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})'
# A fraction needs a digit after the dot, so `0..100` is 0, `..`, 100.
_FLOAT = (r"(?<![A-Za-z0-9_])-?[0-9]+(?:_[0-9]+)*"
          r"(?:\.[0-9]+(?:_[0-9]+)*(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)(?![A-Za-z0-9_])")
_INT = r"(?<![A-Za-z0-9_])-?[0-9]+(?:_[0-9]+)*(?![A-Za-z0-9_]|\.[0-9])"
_FUNCTIONS = ("min", "max", "round", "int", "float", "str", "len")
_DISTRIBUTIONS = ("uniform", "loguniform", "randint", "normal", "lognormal", "choice")
_SCHEMA_TYPES = ("string", "int", "float", "bool", "list", "object", "any")


class MintLexer(RegexLexer):  # type: ignore[misc]  # (Pygments has no type information)
    """The `.mint` sweep language (spearmint-lang)."""

    name = "Mint"
    aliases = ["mint"]
    filenames = ["*.mint"]
    mimetypes = ["text/x-mint"]

    tokens = {
        "root": [
            (r"^---[ \t]*$", Punctuation),
            include("comment"),
            include("item"),
            include("key"),
            include("value"),
        ],
        "comment": [
            (r"#.*", Comment.Single),
        ],
        # Items read up to the end of their line, and `let`/`import`/`schema`.
        "item": [
            (_ITEM + rf"where{_AFTER}(?![ \t]*\??[ \t]*:)", Keyword, ("where", "where-operand")),
            (_ITEM + rf"sample{_AFTER}(?![ \t]*\??[ \t]*:)", Keyword, "sample"),
            (rf"{_BEFORE}(let)([ \t]+)({_NAME})([ \t]*)(=)(?!=)",
             bygroups(Keyword.Declaration, Whitespace, Name.Variable, Whitespace, Punctuation)),
            (rf'{_BEFORE}(import)([ \t]+)("(?:[^"\\\n]|\\.)*")([ \t]+)(as)([ \t]+)({_NAME})',
             bygroups(Keyword.Namespace, Whitespace, String.Double, Whitespace, Keyword.Namespace,
                      Whitespace, Name.Namespace)),
            (rf"{_BEFORE}(schema){_AFTER}(?![ \t]*\??[ \t]*:)", Keyword, "schema"),
        ],
        # A key before its `:` (`lr:`, `"a.b":`, `optimizer.lr:`, `seed?:`).
        "key": [
            (rf'"(?=(?:[^"\\\n]|\\.)*"{_KEY_REST})', Name.Tag, "quoted-key"),
            (rf"{_BEFORE}({_NAME})(\.)(?=(?:{_NAME}|{_QUOTED}){_KEY_REST})", bygroups(Name.Tag, Punctuation)),
            (rf"{_BEFORE}({_NAME})([ \t]*)(\?)?([ \t]*)(:)",
             bygroups(Name.Tag, Whitespace, Operator, Whitespace, Punctuation)),
        ],
        "quoted-key": [
            (_ESCAPE, String.Escape),
            (r"\\.?", Error),
            (r'[^"\\]+', Name.Tag),
            (r'(")([ \t]*)(\?)?([ \t]*)(:)', bygroups(Name.Tag, Whitespace, Operator, Whitespace, Punctuation),
             "#pop"),
            (r'(")(\.)', bygroups(Name.Tag, Punctuation), "#pop"),  # (a dotted key's next key follows)
        ],
        "value": [
            (r"\s+", Whitespace),
            include("comment"),
            (r'"""', String.Double, "block-string"),
            (r'"', String.Double, "string"),
            (r"\$\{", String.Interpol, "interpolation"),
            (_FLOAT, Number.Float),
            (_INT, Number.Integer),
            (words(("true", "false", "null"), prefix=_BEFORE, suffix=_AFTER), Keyword.Constant),
            (r"\.\.<?", Operator),
            (rf"{_BEFORE}(step){_AFTER}([ \t]*)(\*)?", bygroups(Keyword, Whitespace, Operator)),
            (words(("count",), prefix=_BEFORE, suffix=_AFTER), Keyword),
            (words(("zip", "variants", "where", "extends", "schema", "if", "then", "else", "delete"),
                   prefix=_BEFORE, suffix=_AFTER), Keyword),
            (words(("import", "as"), prefix=_BEFORE, suffix=_AFTER), Keyword.Namespace),
            (words(("let",), prefix=_BEFORE, suffix=_AFTER), Keyword.Declaration),
            (words(("and", "or", "not", "in"), prefix=_BEFORE, suffix=_AFTER), Operator.Word),
            (r"\*\*|//|==|!=|<=|>=|[-+*/%<>|?]", Operator),
            (r"[{}\[\](),:=.]", Punctuation),
            (words(_FUNCTIONS + _DISTRIBUTIONS, prefix=_BEFORE, suffix=r"(?=[ \t]*\()"), Name.Builtin),
            (_NAME, Name),
            # Anything else (`;`, `@`, a lone `$`, ...) is no part of the language: Error.
        ],
        "string": [
            (_ESCAPE, String.Escape),
            (r"\\.?", Error),
            (r"\$\$\{", String.Escape),
            (rf"\$\{{{_PATH}\}}", String.Interpol),
            (r'[^"\\$\n]+', String.Double),
            (r"\$", String.Double),
            (r'"', String.Double, "#pop"),
            default("#pop"),  # (a string left open at the end of its line)
        ],
        # `"""..."""`: verbatim but for `$${` and `${path}`, up to the first `"""`.
        "block-string": [
            (r'"""', String.Double, "#pop"),
            (r"\$\$\{", String.Escape),
            (rf"\$\{{{_PATH}\}}", String.Interpol),
            (r'[^"$]+', String.Double),
            (r'["$]', String.Double),
        ],
        # `${a.b}` in a value (spaces and quoted keys allowed, as the grammar reads it).
        "interpolation": [
            (r"[ \t]+", Whitespace),
            (r"\}", String.Interpol, "#pop"),
            (rf'{_NAME}|\.|"(?:[^"\\\n]|\\.)*"', String.Interpol),
            default("#pop"),
        ],
        # `where EXPR`, to the end of its line: a word where an operand
        # begins (after `where`, `and`, `or`, `not`, `(` or a comparison)
        # is a key unless it is `not`, `true`, `false` or `null`, and a word
        # after a key's `.` is always one.
        "where": [
            (r"[ \t\f]+", Whitespace),
            (r"\r?\n", Whitespace, "#pop"),
            include("comment"),
            (rf"(?<=[A-Za-z0-9_-])(\.)({_NAME})", bygroups(Punctuation, Name.Tag)),
            (words(("and", "or", "not"), prefix=_BEFORE, suffix=_AFTER), Operator.Word, "where-operand"),
            (r"==|!=|<=|>=|<|>", Operator, "where-operand"),
            (r"\(", Punctuation, "where-operand"),
            include("value"),
        ],
        "where-operand": [
            (r"[ \t]+", Whitespace),
            (rf"(not){_AFTER}", Operator.Word),
            (r"\(", Punctuation),
            (words(("true", "false", "null"), suffix=_AFTER), Keyword.Constant, "#pop"),
            (rf"in{_AFTER}(?=[ \t]*\[)", Operator.Word, "#pop"),
            (words(_FUNCTIONS + _DISTRIBUTIONS, suffix=r"(?=[ \t]*\()"), Name.Builtin, "#pop"),
            (_NAME, Name.Tag, "#pop"),
            default("#pop"),
        ],
        # `sample N [seed S] [method]`, to the end of its line.
        "sample": [
            (r"[ \t\f]+", Whitespace),
            (r"\r?\n", Whitespace, "#pop"),
            include("comment"),
            (words(("seed", "random", "sobol", "halton", "lhs"), prefix=_BEFORE, suffix=_AFTER), Keyword),
            include("value"),
        ],
        # After `schema`: its `{ ... }` block, or nothing.
        "schema": [
            (r"\s+", Whitespace),
            include("comment"),
            (r"\{", Punctuation, ("#pop", "schema-block")),
            default("#pop"),
        ],
        "schema-block": [
            (r"\{", Punctuation, "#push"),
            (r"\}", Punctuation, "#pop"),
            (r"^---[ \t]*$", Punctuation, "#pop"),  # (a block left open)
            include("comment"),
            (r'"""', String.Double, "block-string"),
            include("key"),
            (words(_SCHEMA_TYPES, prefix=_BEFORE, suffix=_AFTER), Keyword.Type),
            include("value"),
        ],
    }
