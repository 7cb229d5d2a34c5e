"""Source text to Lark parse tree, with syntax errors turned into diagnostics.

The grammar file ships inside the wheel (`spearmint_lang/grammar/mint.lark`);
in a source checkout it is read from the top-level `grammar/` folder.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .errors import Collector
from .source import Source, Span

# How terminals are named in messages.
_TERMINALS = {
    "NAME": "a name",
    "STRING": "a string",
    "LONG_STRING": "a string",
    "INT": "a number",
    "FLOAT": "a number",
    "TRUE": "`true`",
    "FALSE": "`false`",
    "NULL": "`null`",
    "COLON": "`:`",
    "COMMA": "`,`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "STAR": "`*`",
    "DOTDOT": "`..`",
    "STEP": "`step`",
    "DOCSEP": "`---`",
    "_NL": "a new line",
    "$END": "the end of the file",
}


def grammar_text() -> str:
    """The Lark grammar, from the installed package or the source checkout."""
    packaged = resources.files("spearmint_lang").joinpath("grammar").joinpath("mint.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parent.parent / "grammar" / "mint.lark"
    return checkout.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    """Build the LALR parser once per process."""
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
    )


def parse(source: Source, errors: Collector) -> Tree[Token] | None:
    """Parse `source`; on a syntax error record it and return None."""
    try:
        return _parser().parse(source.text)
    except UnexpectedInput as exc:
        _report(source, exc, errors)
        return None


def describe(names: set[str]) -> str:
    """A readable list of what the parser expected."""
    words = sorted({_TERMINALS.get(n, f"`{n.lower()}`") for n in names if n != "_NL"})
    if "_NL" in names:
        words.append("a new line")
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _report(source: Source, exc: UnexpectedInput, errors: Collector) -> None:
    """Turn a Lark exception into one located diagnostic."""
    if isinstance(exc, UnexpectedCharacters):
        span = Span(source, exc.line, exc.column, exc.line, exc.column + 1)
        pos = exc.pos_in_stream or 0
        char = source.text[pos] if pos < len(source.text) else ""
        errors.error("E001", f"unexpected character {char!r}", span)
    elif isinstance(exc, UnexpectedToken):
        tok = exc.token
        if tok.type == "$END":
            line, col = _end_position(source)
            span = Span(source, line, col, line, col + 1)
            what = "the end of the file"
        else:
            span = Span(source, tok.line or 1, tok.column or 1, tok.end_line or 1, tok.end_column or 1)
            what = _TERMINALS.get(tok.type, f"`{tok}`")
            if tok.type in {"NAME", "STRING", "INT", "FLOAT", "LONG_STRING"}:
                what = f"{what} `{str(tok)[:40]}`"
        expected = describe(set(exc.expected))
        lead = "unexpected end of file" if tok.type == "$END" else f"unexpected {what}"
        message = lead + (f"; expected {expected}" if expected else "")
        errors.error("E002", message, span)
    elif isinstance(exc, UnexpectedEOF):
        line, col = _end_position(source)
        span = Span(source, line, col, line, col + 1)
        errors.error("E003", "unexpected end of file", span)
    else:  # pragma: no cover - Lark has no other kinds today
        errors.error("E002", str(exc), Span(source, 1, 1, 1, 2))


def _end_position(source: Source) -> tuple[int, int]:
    """Line and column just past the last character."""
    lines = source.text.split("\n")
    return len(lines), len(lines[-1]) + 1
