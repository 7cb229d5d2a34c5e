"""Turn Lark's syntax exceptions into precise, helpful diagnostics.

Lark says *which token* it did not expect; users need to hear *what they got
wrong*: an unterminated string, a missing `:`, an unclosed `{` (and where it
was opened), `stpe` for `step`. Each case gets its own stable code.
"""

from __future__ import annotations

import re

from typing import Any

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .errors import Diagnostic, Related
from .source import Source, Span

# How terminals are named in messages.
TERMINALS = {
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
    "_NL": "the end of the line",
    "$END": "the end of the file",
    "QMARK": "`?`",
    "EQUAL": "`=`",
    "COMPOP": "a comparison (`==`, `!=`, `<`, ...)",
    "DOT": "`.`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "VBAR": "`|`",
    "COUNT": "`count`",
    "LET": "`let`",
    "ZIP": "`zip`",
    "VARIANTS": "`variants`",
    "WHERE": "`where`",
    "EXTENDS": "`extends`",
    "SCHEMA": "`schema`",
    "NOT": "`not`",
    "AND": "`and`",
    "OR": "`or`",
    "IN": "`in`",
}
_VALUE_START = {"INT", "FLOAT", "STRING", "LONG_STRING", "LSQB", "LBRACE"}
_KEYWORDS_AFTER_RANGE = ["step"]
_STRAY_HINTS = {
    "'": 'strings use double quotes: "text"',
    "=": "use `:` between a key and its value",
    ";": "separate entries with a new line or a comma",
    "(": "lists use square brackets: [a, b]",
    ")": "lists use square brackets: [a, b]",
}
_NUMBERISH = re.compile(r"[-+0-9A-Za-z_.]+")
MAX_DEPTH = 100


# Words that are also valid names: where a name may stand, "a name" says it.
_NAME_WORDS = {"TRUE", "FALSE", "NULL", "STEP", "COUNT", "LET", "ZIP", "VARIANTS", "WHERE", "EXTENDS",
               "SCHEMA", "NOT", "AND", "OR", "IN"}


def describe(names: set[str]) -> str:
    """A readable list of what the parser expected, e.g. "`:` or a name"."""
    if "NAME" in names:
        names = names - _NAME_WORDS
    words = sorted({TERMINALS.get(n, f"`{n.lower()}`") for n in names if n != "_NL"})
    if "_NL" in names:
        words.append("a new line")
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _span(source: Source, line: int, column: int, width: int = 1) -> Span:
    return Span(source, line, column, line, column + max(1, width))


def _offset(text: str, line: int, column: int) -> int:
    """Character offset of a 1-based line and column."""
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column - 1


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def scan_brackets(text: str) -> tuple[list[tuple[str, int]], int | None]:
    """Unclosed openers (char, offset) and the offset where nesting first
    exceeds MAX_DEPTH, skipping strings and comments.

    Used to point at the `{` a user forgot to close, and to refuse absurd
    nesting before a recursive stage could run out of stack.
    """
    stack: list[tuple[str, int]] = []
    too_deep: int | None = None
    i, n = 0, len(text)
    pairs = {"]": "[", "}": "{", ")": "("}
    while i < n:
        ch = text[i]
        if ch == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch == '"':
            if text.startswith('"""', i):
                j = text.find('"""', i + 3)
                if j < 0:
                    stack.append(('"""', i))
                    return stack, too_deep
                i = j + 3
                continue
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if ch in "[{(":
            stack.append((ch, i))
            if len(stack) > MAX_DEPTH and too_deep is None:
                too_deep = i
        elif ch in "]})":
            if stack and stack[-1][0] == pairs[ch]:
                stack.pop()
        i += 1
    return stack, too_deep


def line_is_local(text: str, line: int) -> bool:
    """Whether blanking `line` keeps the file's brackets balanced, so that
    the parse can resume after it without a cascade of false errors."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return False
    body = lines[line - 1]
    if '"""' in body:
        return False
    stack, _ = scan_brackets(body)
    closers = scan_brackets(body[::-1].translate(str.maketrans("[]{}()", "][}{)(")))[0]
    return not stack and not closers


class Classifier:
    """Maps one Lark exception on `source` to a `Diagnostic` and says how
    to resume: the line to blank (or to rewrite) before parsing again."""

    def __init__(self, source: Source, text: str) -> None:
        self.source = source
        self.text = text  # the text actually parsed (earlier errors blanked)

    def classify(self, exc: UnexpectedInput) -> tuple[Diagnostic, str | None]:
        """The diagnostic, and the text to parse next (None: stop here)."""
        if isinstance(exc, UnexpectedCharacters):
            return self._characters(exc)
        if isinstance(exc, UnexpectedToken):
            return self._token(exc)
        if isinstance(exc, UnexpectedEOF):
            return self._eof(), None
        return self._diag("E002", str(exc), _span(self.source, 1, 1)), None  # pragma: no cover

    # --- helpers -------------------------------------------------------------
    def _diag(self, code: str, message: str, span: Span, hint: str | None = None,
              related: tuple[Related, ...] = ()) -> Diagnostic:
        return Diagnostic(code, message, span, hint, related)

    def _resume_without(self, line: int) -> str | None:
        """The text with `line` blanked, if that cannot cause false errors."""
        if not line_is_local(self.text, line):
            return None
        lines = self.text.split("\n")
        lines[line - 1] = " " * len(lines[line - 1])
        return "\n".join(lines)

    def _line(self, line: int) -> str:
        lines = self.text.split("\n")
        return lines[line - 1] if 1 <= line <= len(lines) else ""

    # --- unexpected characters -------------------------------------------------
    def _characters(self, exc: UnexpectedCharacters) -> tuple[Diagnostic, str | None]:
        text, src = self.text, self.source
        pos = exc.pos_in_stream or 0
        line, col = exc.line, exc.column
        ch = text[pos] if pos < len(text) else ""
        body = self._line(line)
        if body.startswith("---") and col <= len(body) and body.rstrip() != "---":
            junk = len(body) - len(body[3:].lstrip(" \t"))
            diag = self._diag(
                "E009", "`---` must stand alone on its line", _span(src, line, junk + 1, len(body) - junk),
                hint="put the next document's first entry on the line after `---`",
            )
            lines = text.split("\n")
            lines[line - 1] = "---" + " " * (len(body) - 3)
            return diag, "\n".join(lines)
        if ch == '"':
            opener = pos - 2 if text[max(0, pos - 2) : pos + 1] == '"""' else (pos if text.startswith('"""', pos) else None)
            if opener is not None:
                return self._unclosed('"""', opener), None
            end = body.find("\n", col - 1)
            width = (len(body) if end < 0 else end) - (col - 1)
            diag = self._diag(
                "E006", "unterminated string", _span(src, line, col, width),
                hint='close it with " on the same line; use """...""" for text that spans lines',
            )
            resume = self._resume_without(line)
            following = self._line(line + 1)
            if resume is not None and following.count('"') % 2 == 1:
                lines = resume.split("\n")
                lines[line] = " " * len(lines[line])  # the rest of the same string
                resume = "\n".join(lines)
            return diag, resume
        bad_number = self._malformed_number(pos)
        if bad_number is not None:
            return bad_number, self._resume_without(line)
        hint = _STRAY_HINTS.get(ch)
        shown = repr(ch) if not ch.isprintable() or ch == " " else f"`{ch}`"
        diag = self._diag("E001", f"unexpected character {shown}", _span(src, line, col), hint=hint)
        return diag, self._resume_without(line)

    def _malformed_number(self, pos: int) -> Diagnostic | None:
        """`1.2.3`, `1.`, `.5`: a number-like run the lexer could not take."""
        text = self.text
        ch = text[pos] if pos < len(text) else ""
        prev = text[pos - 1] if pos > 0 else ""
        if not (ch == "." or (ch.isalnum() and (prev.isdigit() or prev == "."))):
            return None
        start = pos
        while start > 0 and _NUMBERISH.fullmatch(text[start - 1]) and text[start - 1] not in "+-":
            start -= 1
        if start > 0 and text[start - 1] == "-":
            start -= 1
        m = _NUMBERISH.match(text, start)
        word = m.group(0) if m else ch
        if not (any(c.isdigit() for c in word[:2]) or (word.startswith(".") and word[1:2].isdigit())):
            return None
        if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", word.split("..")[0]) and ".." in word:
            return None  # a range such as `0..1`, broken elsewhere
        sline, scol = _position(text, start)
        return self._diag("E012", f"malformed number `{word}`", _span(self.source, sline, scol, len(word)),
                          hint=_number_hint(word))

    # --- unexpected tokens -------------------------------------------------------
    def _token(self, exc: UnexpectedToken) -> tuple[Diagnostic, str | None]:
        tok = exc.token
        expected = set(exc.expected)
        history = list(exc.token_history or [])
        prev = history[-1] if history else None
        if tok.type == "$END":
            return self._eof(expected, prev), None
        src = self.source
        line, col = tok.line or 1, tok.column or 1
        width = max(1, (tok.end_column or col + 1) - col) if tok.end_line == tok.line else 1
        here = _span(src, line, col, width)
        resume = self._resume_without(line)
        got = _token_name(tok.type, str(tok))
        if str(tok) == "." or (prev is not None and prev.type in {"INT", "FLOAT"} and tok.type in {"INT", "FLOAT", "NAME"}
                               and prev.end_pos == tok.start_pos):
            bad = self._malformed_number(tok.start_pos or 0)
            if bad is not None:
                return bad, resume
        if tok.type == "_NL" and "RPAR" in expected:
            stack, _ = scan_brackets(self._line(line))
            if stack and stack[-1][0] == "(":
                return self._unclosed_on_line(line, stack[-1][1]), resume
        if tok.type == "DOTDOT" and (prev is None or prev.type not in {"INT", "FLOAT", "NAME", "STRING", "LONG_STRING", "TRUE", "FALSE", "NULL", "RSQB", "RBRACE"}):
            return self._diag("E016", "this range has no start", here, hint="write both bounds as numbers: `0..10`"), resume
        if prev is not None and prev.type == "DOTDOT" and tok.type not in {"INT", "FLOAT", "NAME"}:
            return self._diag("E016", f"a range must end with a number, not {got}", here,
                              hint="write both bounds as numbers: `0..10`"), resume
        if tok.type == "DOTDOT" and prev is not None:
            pspan = Span(src, prev.line or 1, prev.column or 1, prev.end_line or 1, prev.end_column or 1)
            return self._diag("E016", f"a range must start with a number, not {_token_name(prev.type, str(prev))}", pspan,
                              hint="write both bounds as numbers: `0..10`"), resume
        if tok.type == "NAME" and "STEP" in expected and (
            self.text[tok.end_pos or 0 : (tok.end_pos or 0) + 40].lstrip(" \t").startswith(":")
            or re.search(r"\.\.<?\S*\s+(step|count)\b", self._line(line)[: col - 1])
        ):
            return self._diag("E019", f"missing separator before {got}", here,
                              hint="separate entries and elements with a new line or a comma"), resume
        if tok.type == "NAME" and "STEP" in expected:
            import difflib

            close = difflib.get_close_matches(str(tok), _KEYWORDS_AFTER_RANGE, n=1, cutoff=0.5)
            hint = f"did you mean `{close[0]}`?" if close else "a range may be followed by `step` and a number"
            return self._diag("E015", f"unknown word `{tok}` after a range", here, hint=hint), resume
        if tok.type == "STAR" and prev is not None and prev.type in {"INT", "FLOAT", "NAME"} and ".." in self._line(line)[: col - 1]:
            return self._diag("E021", "`*` after a range: a range is already a sweep", here,
                              hint="remove the `*`"), resume
        if tok.type == "COLON" and prev is not None and prev.type == "NAME":
            stack, _ = scan_brackets(self.text[: _offset(self.text, line, col)])
            if stack and stack[-1][0] == "[":
                diag = self._unclosed("[", stack[-1][1])
                return Diagnostic(diag.code, "`[` is not closed before the next entry", diag.span, diag.hint,
                                  (Related(_span(src, prev.line or line, prev.column or col), "the next entry starts here"),)), None
        if str(tok) == "=" and "COMPOP" in expected:
            return self._diag("E002", "unexpected `=`", here, hint="compare with `==`"), resume
        if prev is not None and tok.type in {"NAME", "STRING", "LONG_STRING", "INT", "FLOAT", "LSQB", "LBRACE"} and ("_NL" in expected or "COMMA" in expected):
            return self._diag("E019", f"missing separator before {got}", here,
                              hint="separate entries and elements with a new line or a comma"), resume
        if "COLON" in expected and str(tok) == "=" and prev is not None:
            return self._diag("E007", f"missing `:` after key `{prev}`", here,
                              hint="use `:` between a key and its value (`=` is for `let NAME = value`)"), resume
        if "COLON" in expected and prev is not None:
            key = str(prev)
            at = _span(src, prev.end_line or line, prev.end_column or col)
            return self._diag("E007", f"missing `:` after key `{key}`", at,
                              hint=f"write `{key}: value`"), resume
        if prev is not None and prev.type == "COLON" and expected & _VALUE_START:
            key = _key_before(self._line(prev.line or 1), (prev.column or 1) - 1)
            cspan = _span(src, prev.line or 1, prev.column or 1)
            what = f"key `{key}` has no value" if key else "`:` is not followed by a value"
            return self._diag("E008", what, cspan, hint="write a value after the `:`, e.g. `key: 1`"), resume
        message = "unexpected end of line" if tok.type == "_NL" else f"unexpected {got}"
        # The parser's own list merges states; ask what this state accepts.
        accepted = _accepted(exc) or expected
        if accepted:
            message += f"; expected {describe(accepted)}"
        return self._diag("E002", message, here), resume

    # --- end of file ---------------------------------------------------------------
    def _eof(self, expected: set[str] | None = None, prev: Any = None) -> Diagnostic:
        stack, _ = scan_brackets(self.text)
        if stack:
            char, offset = stack[-1]
            return self._unclosed(char, offset)
        line, col = _position(self.text, len(self.text))
        body = self.text.rstrip(" \t\f")
        if expected and body == self.text:
            if "COLON" in expected and (m := re.search(r"([A-Za-z_][A-Za-z0-9_-]*)$", body)):
                eline, ecol = _position(self.text, len(body))
                return self._diag("E007", f"missing `:` after key `{m.group(1)}`", _span(self.source, eline, ecol),
                                  hint=f"write `{m.group(1)}: value`")
            if body.endswith(":") and expected & _VALUE_START:
                cline, ccol = _position(self.text, len(body) - 1)
                key = _key_before(self._line(cline), ccol - 1)
                what = f"key `{key}` has no value" if key else "`:` is not followed by a value"
                return self._diag("E008", what, _span(self.source, cline, ccol),
                                  hint="write a value after the `:`, e.g. `key: 1`")
        message = "unexpected end of file"
        if expected:
            message += f"; expected {describe(expected)}"
        return self._diag("E003", message, _span(self.source, line, col))

    def _unclosed_on_line(self, line: int, column0: int) -> Diagnostic:
        """A `(` of a `where` never closed before the end of its line."""
        return Diagnostic("E003", "`(` is never closed", _span(self.source, line, column0 + 1),
                          hint="add `)` where the group should end")

    def _unclosed(self, char: str, offset: int) -> Diagnostic:
        """An opener never closed: point at it, and note where the file ends."""
        line, col = _position(self.text, offset)
        eline, ecol = _position(self.text, len(self.text))
        closer = {"[": "]", "{": "}", "(": ")", '"""': '"""'}[char]
        return Diagnostic(
            "E003",
            f"`{char}` is never closed",
            _span(self.source, line, col, len(char)),
            hint=f"add `{closer}` where it should end",
            related=(Related(_span(self.source, eline, ecol), "the file ends here"),),
        )


def _accepted(exc: UnexpectedToken) -> set[str]:
    """The terminals the parser's actual state accepts (Lark's `expected`
    can include look-aheads of merged LALR states)."""
    parser: Any = exc.interactive_parser
    return set(parser.accepts()) if parser is not None else set()


def _token_name(kind: str, value: str) -> str:
    """How a token is named after "unexpected": its text, or what it is."""
    if kind in {"NAME", "STRING", "INT", "FLOAT"}:
        return f"`{value[:40]}`"
    name = TERMINALS.get(kind, f"`{value}`")
    return name[2:] if name.startswith("a ") else name


def _key_before(body: str, colon: int) -> str:
    """The key text just before a colon at index `colon` of a line."""
    m = re.search(r'("(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_-]*)\s*$', body[:colon])
    return m.group(1) if m else ""


def _number_hint(word: str) -> str | None:
    if word.startswith("."):
        return f"write `0{word}`"
    if word.endswith(".") and word[:-1].lstrip("-").isdigit():
        return f"write `{word}0`"
    if word.count(".") > 1:
        return "a number has at most one `.`"
    return None
