"""Turn Lark's syntax exceptions into precise, helpful diagnostics.

Lark says *which token* it did not expect; users need to hear *what they got
wrong*: an unterminated string, a missing `:`, an unclosed `{` (and where it
was opened), `stpe` for `step`. Each case gets its own stable code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import attrs

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_interactive_parser import InteractiveParser

from .brackets import MAX_DEPTH, scan_brackets
from .codes import Code
from .errors import Collector, Edit, Hint, Related, did_you_mean
from .grammar import item_words, keywords, lark
from .source import Source, Span

# How terminals are named in messages.
TERMINALS = {
    "NAME": "a name",
    "STRING": "a string",
    "LONG_STRING": "a string",
    "INT": "a number",
    "FLOAT": "a number",
    "COLON": "`:`",
    "COMMA": "`,`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "STAR": "`*`",
    "DOTDOT": "`..`",
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
    "PLUS": "`+`",
    "MINUS": "`-`",
    "SLASH": "`/`",
    "DSLASH": "`//`",
    "PERCENT": "`%`",
    "POW": "`**`",
    "DOLLAR_BRACE": "`${`",
}


def _terminal(kind: str) -> str:
    """How a terminal is named in messages: from the table, or the word itself."""
    word = keywords().get(kind)
    if word is not None:
        return f"`{word}`"
    return TERMINALS.get(kind, f"`{kind.lower()}`")


_VALUE_START = {"INT", "FLOAT", "STRING", "LONG_STRING", "LSQB", "LBRACE"}
_STRAY_HINTS = {
    "'": 'strings use double quotes: "text"',
    "=": "use `:` between a key and its value",
    ";": "separate entries with a new line or a comma",
    "(": "lists use square brackets: [a, b]",
    ")": "lists use square brackets: [a, b]",
}
_NUMBERISH = re.compile(r"[-+0-9A-Za-z_.]+")


def describe(names: set[str]) -> str:
    """A readable list of what the parser expected, e.g. "`:` or a name"."""
    words_of = keywords()
    if "NAME" in names:
        names = names - set(words_of)  # every word of the language is also a name
    words = sorted({_terminal(n) for n in names if n != "_NL"})
    if "_NL" in names:
        words.append("a new line")
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def blank_line(text: str, line: int) -> str:
    """`text` with 1-based `line` replaced by as many spaces: every offset,
    line and column stays where it was."""
    lines = text.split("\n")
    lines[line - 1] = " " * len(lines[line - 1])
    return "\n".join(lines)


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


@attrs.frozen
class Finding:
    """One syntax error, before it is recorded."""

    code: Code
    message: str
    span: Span
    hint: str | Hint | None = None
    related: tuple[Related, ...] = ()


class Classifier:
    """Records the diagnostic for one Lark exception on `source` and says
    how to resume: the text with the faulty line blanked (or rewritten).

    `text` is the text actually parsed: earlier faulty lines are blanked in
    it, which keeps every offset, so positions are those of `source`.
    """

    def __init__(self, source: Source, text: str, errors: Collector) -> None:
        self.source = source
        self.text = text
        self.errors = errors

    def classify(self, exc: UnexpectedInput) -> str | None:
        """Record the mistake; return the text to parse next (None: stop here)."""
        if isinstance(exc, UnexpectedCharacters):
            finding, resume = self._characters(exc)
        elif isinstance(exc, UnexpectedToken):
            finding, resume = self._token(exc)
        elif isinstance(exc, UnexpectedEOF):
            finding, resume = self._eof(), None
        else:  # pragma: no cover - Lark raises only the three above
            finding, resume = Finding(Code.E002, str(exc), self.source.start()), None
        self.errors.error(finding.code, finding.message, finding.span, finding.hint, finding.related)
        return resume

    # --- helpers -------------------------------------------------------------
    def _diag(self, code: Code, message: str, span: Span, hint: str | Hint | None = None,
              related: tuple[Related, ...] = ()) -> Finding:
        return Finding(code, message, span, hint, related)

    def _resume_without(self, line: int) -> str | None:
        """The text with `line` blanked, if that cannot cause false errors."""
        if not line_is_local(self.text, line):
            return None
        return blank_line(self.text, line)

    def _line(self, line: int) -> str:
        lines = self.text.split("\n")
        return lines[line - 1] if 1 <= line <= len(lines) else ""

    # --- unexpected characters -------------------------------------------------
    def _characters(self, exc: UnexpectedCharacters) -> tuple[Finding, str | None]:
        text, src = self.text, self.source
        pos = exc.pos_in_stream or 0
        line, col = exc.line, exc.column
        ch = text[pos] if pos < len(text) else ""
        body = self._line(line)
        separator = self._separator_not_alone(line)
        if separator is not None:
            return separator
        if ch == '"':
            opener = pos - 2 if text[max(0, pos - 2) : pos + 1] == '"""' else (pos if text.startswith('"""', pos) else None)
            if opener is not None:
                return self._unclosed('"""', opener), None
            end = body.find("\n", col - 1)
            width = (len(body) if end < 0 else end) - (col - 1)
            diag = self._diag(
                Code.E006, "unterminated string", src.at(line, col, width),
                hint='close it with " on the same line; use """...""" for text that spans lines',
            )
            resume = self._resume_without(line)
            following = self._line(line + 1)
            if resume is not None and following.count('"') % 2 == 1:
                resume = blank_line(resume, line + 1)  # the rest of the same string
            return diag, resume
        habit = self._habit(CHARACTER_HABITS, At(src, text, line, col, pos))
        if habit is not None:
            return habit
        bad_number = self._malformed_number(pos)
        if bad_number is not None:
            return bad_number, self._resume_without(line)
        hint = _STRAY_HINTS.get(ch)
        shown = repr(ch) if not ch.isprintable() or ch == " " else f"`{ch}`"
        diag = self._diag(Code.E001, f"unexpected character {shown}", src.at(line, col), hint=hint)
        return diag, self._resume_without(line)

    def _habit(self, rules: tuple[Callable[[At], Found | None], ...], at: At) -> tuple[Finding, str | None] | None:
        """The first habit of another tool that the mistake shows (see `TOKEN_HABITS`)."""
        for rule in rules:
            found = rule(at)
            if found is not None:
                finding, resume = found
                return finding, resume if resume is not None else self._resume_without(at.line)
        return None

    def _separator_not_alone(self, line: int) -> tuple[Finding, str | None] | None:
        """`--- b: 2` or `a: 1 ---`: a document separator sharing its line
        (E009), and the text to resume with (the separator kept, or dropped)."""
        body = self._line(line)
        if body.startswith("---") and body.rstrip() != "---":
            junk = len(body) - len(body[3:].lstrip(" \t"))
            diag = self._diag(
                Code.E009, "`---` must stand alone on its line", self.source.at(line, junk + 1, len(body) - junk),
                hint="put the next document's first entry on the line after `---`",
            )
            lines = self.text.split("\n")
            lines[line - 1] = "---" + " " * (len(body) - 3)
            return diag, "\n".join(lines)
        code = body.split("#", 1)[0] if '"' not in body else ""
        if code.rstrip().endswith(" ---") and not code.rstrip().endswith("----"):
            at = len(code.rstrip()) - 3
            diag = self._diag(Code.E009, "`---` must stand alone on its line", self.source.at(line, at + 1, 3),
                              hint="put `---` on a line of its own to start the next document")
            return diag, self._resume_without(line)
        return None

    def _malformed_number(self, pos: int) -> Finding | None:
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
        sline, scol = self.source.position(start)
        span = self.source.at(sline, scol, len(word))
        return self._diag(Code.E012, f"malformed number `{word}`", span, hint=_number_hint(word, span))

    # --- unexpected tokens -------------------------------------------------------
    def _token(self, exc: UnexpectedToken) -> tuple[Finding, str | None]:
        tok = exc.token
        expected = set(exc.expected)
        history = list(exc.token_history or [])
        prev = history[-1] if history else self._token_before(tok)
        if tok.type == "$END":
            return self._eof(expected, prev), None
        src = self.source
        line, col = tok.line or 1, tok.column or 1
        width = max(1, (tok.end_column or col + 1) - col) if tok.end_line == tok.line else 1
        here = src.at(line, col, width)
        resume = self._resume_without(line)
        got = _token_name(tok.type, str(tok))
        if tok.type == "MINUS" or (prev is not None and prev.type == "MINUS"):
            separator = self._separator_not_alone(line)
            if separator is not None:
                return separator
        habit = self._habit(TOKEN_HABITS, At(src, self.text, line, col, tok.start_pos or 0, tok, prev,
                                             frozenset(_accepted(exc) or expected)))
        if habit is not None:
            return habit
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
            return self._diag(Code.E016, "this range has no start", here, hint="write both bounds as numbers: `0..10`"), resume
        if prev is not None and prev.type == "DOTDOT" and tok.type not in {"INT", "FLOAT", "NAME"}:
            return self._diag(Code.E016, f"a range must end with a number, not {got}", here,
                              hint="write both bounds as numbers: `0..10`"), resume
        if tok.type == "DOTDOT" and prev is not None:
            pspan = Span(src, prev.line or 1, prev.column or 1, prev.end_line or 1, prev.end_column or 1)
            return self._diag(Code.E016, f"a range must start with a number, not {_token_name(prev.type, str(prev))}", pspan,
                              hint="write both bounds as numbers: `0..10`"), resume
        if tok.type == "NAME" and "STEP" in expected and (
            self.text[tok.end_pos or 0 : (tok.end_pos or 0) + 40].lstrip(" \t").startswith(":")
            or _range_then_word(self._line(line)[: col - 1])
        ):
            return self._diag(Code.E019, f"missing separator before {got}", here,
                              hint="separate entries and elements with a new line or a comma"), resume
        if tok.type == "NAME" and "STEP" in expected:
            import difflib

            words = sorted(keywords()[t] for t in (_accepted(exc) or expected) if t in keywords())
            close = difflib.get_close_matches(str(tok), words, n=1, cutoff=0.5)
            after = "a distribution" if prev is not None and prev.type == "RPAR" else "a range"
            listed = " or ".join(f"`{w}`" for w in words)
            hint = did_you_mean(here, close[0]) if close else f"{after} may be followed by {listed} and a number"
            return self._diag(Code.E015, f"unknown word `{tok}` after {after}", here, hint=hint), resume
        found = self._sampling(tok, prev, here)
        if found is not None:
            return found, resume
        if tok.type == "STAR" and prev is not None and prev.type in {"INT", "FLOAT", "NAME"} and ".." in self._line(line)[: col - 1]:
            return self._diag(Code.E021, "`*` after a range: a range is already a sweep", here,
                              hint=Hint.edit("remove the `*`", "Remove the `*`", Edit(here, ""))), resume
        if tok.type == "COLON" and prev is not None and prev.type == "NAME":
            stack, _ = scan_brackets(self.text[: self.source.offset(line, col)])
            if stack and stack[-1][0] == "[":
                diag = self._unclosed("[", stack[-1][1])
                entry = Related(src.at(prev.line or line, prev.column or col), "the next entry starts here")
                return attrs.evolve(diag, message="`[` is not closed before the next entry", related=(entry,)), None
        if str(tok) == "=" and "COMPOP" in expected:
            return self._diag(Code.E002, "unexpected `=`", here,
                              hint=Hint.edit("compare with `==`", "Change to `==`", Edit(here, "=="))), resume
        if prev is not None and tok.type in {"NAME", "STRING", "LONG_STRING", "INT", "FLOAT", "LSQB", "LBRACE"} and ("_NL" in expected or "COMMA" in expected):
            return self._diag(Code.E019, f"missing separator before {got}", here,
                              hint="separate entries and elements with a new line or a comma"), resume
        if "COLON" in expected and str(tok) == "=" and prev is not None:
            between = Span(src, prev.end_line or line, prev.end_column or col, line, col + 1)  # ` =`
            return self._diag(Code.E007, f"missing `:` after key `{prev}`", here,
                              hint=Hint.edit("use `:` between a key and its value (`=` is for `let NAME = value`)",
                                             "Change `=` to `:`", Edit(between, ":"))), resume
        if "COLON" in expected and prev is not None:
            key = str(prev)
            at = src.at(prev.end_line or line, prev.end_column or col)
            write = f"write `{key}: value`"
            if tok.type in _VALUE_START or tok.type == "NAME":  # the value is there: only the `:` is missing
                return self._diag(Code.E007, f"missing `:` after key `{key}`", at,
                                  hint=Hint.edit(write, f"Add `:` after `{key}`", Edit.before(at, ":"))), resume
            return self._diag(Code.E007, f"missing `:` after key `{key}`", at, hint=write), resume
        if prev is not None and prev.type == "COLON" and expected & _VALUE_START:
            key = _key_before(self._line(prev.line or 1), (prev.column or 1) - 1)
            cspan = src.at(prev.line or 1, prev.column or 1)
            what = f"key `{key}` has no value" if key else "`:` is not followed by a value"
            return self._diag(Code.E008, what, cspan, hint="write a value after the `:`, e.g. `key: 1`"), resume
        message = "unexpected end of line" if tok.type == "_NL" else f"unexpected {got}"
        # The parser's own list merges states; ask what this state accepts.
        accepted = _accepted(exc) or expected
        if accepted:
            message += f"; expected {describe(accepted)}"
        return self._diag(Code.E002, message, here), resume

    def _token_before(self, tok: Token) -> Token | None:
        """The token before `tok` on its line, when Lark's contextual lexer
        rejected `tok` itself (its error then has no history)."""
        if tok.line is None or tok.column is None or tok.column <= 1:
            return None
        start = self.source.offset(tok.line, 1)
        try:
            found = list(lark().lex(self.text[start : tok.start_pos or start]))
        except UnexpectedInput:
            return None
        if not found:
            return None
        last = found[-1]
        line, column = tok.line, (last.column or 1)
        return Token(last.type, str(last), start + (last.start_pos or 0), line, column, line, last.end_column,
                     start + (last.end_pos or 0))

    def _sampling(self, tok: Token, prev: Token | None, here: Span) -> Finding | None:
        """Mistakes in a distribution's arguments and in `sample N seed S method`
        that the grammar cannot take: `step` or `name=` inside the
        parentheses, `sample` alone."""
        inside = scan_brackets(self.text[: tok.start_pos or 0])[0]
        in_call = bool(inside) and inside[-1][0] == "("
        if prev is None:
            return None
        if in_call and prev.type == "STEP":
            at = Span(self.source, prev.line or 1, prev.column or 1, prev.end_line or 1, prev.end_column or 1)
            return self._diag(Code.E086, "`step` is written after the parentheses", at,
                              hint="write `uniform(a, b) step q`: the value is rounded to a multiple of q")
        if in_call and str(tok) == "=" and prev.type == "NAME":
            return self._diag(Code.E086, f"the arguments of a distribution have no names: `{prev}=` cannot stand here",
                              here, hint="give the values in order, as `uniform(0, 1)`; only `choice` takes "
                              "`weights: [...]`")
        if prev.type == "SAMPLE" and tok.type in ("_NL", "COMMA", "DOCSEP"):
            at = self.source.at(prev.end_line or 1, prev.end_column or 1)
            return self._diag(Code.E007, "missing `:` after key `sample`", at,
                              hint="write `sample 20` to draw 20 configs per grid point, or `sample: value` for a key")
        return None

    # --- end of file ---------------------------------------------------------------
    def _eof(self, expected: set[str] | None = None, prev: Token | None = None) -> Finding:
        stack, _ = scan_brackets(self.text)
        if stack:
            char, offset = stack[-1]
            return self._unclosed(char, offset)
        line, col = self.source.position(len(self.text))
        if expected and (habit := _comma_values(At(self.source, self.text, line, col, len(self.text)))) is not None:
            return habit[0]  # `model: a,b` on the last line
        body = self.text.rstrip(" \t\f")
        if expected and body == self.text:
            if "COLON" in expected and (name := _trailing_name(body.removesuffix("\n"))):
                eline, ecol = self.source.position(len(body))
                hint = "write `sample 20` to draw 20 configs per grid point, or `sample: value` for a key" \
                    if name == "sample" else f"write `{name}: value`"
                return self._diag(Code.E007, f"missing `:` after key `{name}`", self.source.at(eline, ecol), hint=hint)
            if body.endswith(":") and expected & _VALUE_START:
                cline, ccol = self.source.position(len(body) - 1)
                key = _key_before(self._line(cline), ccol - 1)
                what = f"key `{key}` has no value" if key else "`:` is not followed by a value"
                return self._diag(Code.E008, what, self.source.at(cline, ccol),
                                  hint="write a value after the `:`, e.g. `key: 1`")
        message = "unexpected end of file"
        if expected:
            message += f"; expected {describe(expected)}"
        return self._diag(Code.E003, message, self.source.at(line, col))

    def _unclosed_on_line(self, line: int, column0: int) -> Finding:
        """A `(` of a `where` never closed before the end of its line."""
        return Finding(Code.E003, "`(` is never closed", self.source.at(line, column0 + 1),
                          hint="add `)` where the group should end")

    def _unclosed(self, char: str, offset: int) -> Finding:
        """An opener never closed: point at it, and note where the file ends."""
        line, col = self.source.position(offset)
        eline, ecol = self.source.position(len(self.text))
        closer = {"[": "]", "{": "}", "(": ")", '"""': '"""'}[char]
        return Finding(
            Code.E003,
            f"`{char}` is never closed",
            self.source.at(line, col, len(char)),
            hint=f"add `{closer}` where it should end",
            related=(Related(self.source.at(eline, ecol), "the file ends here"),),
        )


def _accepted(exc: UnexpectedToken) -> set[str]:
    """The terminals the parser's actual state accepts (Lark's `expected`
    can include look-aheads of merged LALR states)."""
    parser: InteractiveParser | None = exc.interactive_parser
    if parser is None:
        return set()
    accepts: Callable[[], set[str]] = parser.accepts  # Lark leaves it unannotated
    return set(accepts())


def _token_name(kind: str, value: str) -> str:
    """How a token is named after "unexpected": its text, or what it is."""
    if kind in {"NAME", "STRING", "INT", "FLOAT"}:
        return f"`{value[:40]}`"
    name = _terminal(kind) if kind in keywords() else TERMINALS.get(kind, f"`{value}`")
    return name[2:] if name.startswith("a ") else name


# Error paths run on what the user typed: each helper below reads its text
# once from the end (no regular expression that backtracks over a long line).
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_NAME_STARTS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


def _trailing_name(text: str) -> str:
    """The name (`[A-Za-z_][A-Za-z0-9_-]*`) that ends `text`, or ''."""
    start = len(text)
    while start > 0 and text[start - 1] in _NAME_CHARS:
        start -= 1
    while start < len(text) and text[start] not in _NAME_STARTS:
        start += 1
    return text[start:]


def _key_before(body: str, colon: int) -> str:
    """The key text just before a colon at index `colon` of a line: a name or
    a quoted string, blanks allowed before the colon."""
    text = body[:colon].rstrip()
    if not text.endswith('"'):
        return _trailing_name(text)
    at = len(text) - 1
    while True:
        at = text.rfind('"', 0, at)
        if at < 0:
            return ""
        slashes = len(text[:at]) - len(text[:at].rstrip("\\"))
        if slashes % 2 == 0:
            return text[at:]


def _range_then_word(prefix: str) -> bool:
    """Whether `prefix` holds a range (a word with `..`) followed by `step`
    or `count`: then a missing separator, not a misspelt word, is the mistake."""
    words = prefix.split()
    return any(".." in word and re.match(r"(step|count)\b", after) for word, after in zip(words, words[1:]))


def _number_hint(word: str, span: Span) -> str | Hint | None:
    """What to write instead of a malformed number (a fix writes it when it is sure)."""
    if word.startswith("."):
        return Hint.edit(f"write `0{word}`", f"Change to `0{word}`", Edit(span, f"0{word}"))
    if word.endswith(".") and word[:-1].lstrip("-").isdigit():
        return Hint.edit(f"write `{word}0`", f"Change to `{word}0`", Edit(span, f"{word}0"))
    if word.count(".") > 1:
        return "a number has at most one `.`"
    return None


# --- habits of other tools ------------------------------------------------------------
# Mistakes users bring from YAML, Hydra, Python and C (issue 13, item 7): each
# rule reads where the parser stopped and, when the line shows the habit,
# says what `.mint` writes instead, with the fix when the text is sure.
# The tables `CHARACTER_HABITS` and `TOKEN_HABITS` hold them in the order
# they are tried (before the generic rules of `Classifier`).


@attrs.frozen
class At:
    """Where the parser stopped, as a habit rule reads it."""

    source: Source
    text: str  # the text parsed (earlier faulty lines blanked)
    line: int
    col: int
    pos: int  # the offset of the unexpected token or character
    tok: Token | None = None  # None: an unexpected character
    prev: Token | None = None
    expected: frozenset[str] = frozenset()

    @property
    def body(self) -> str:
        """The text of the faulty line."""
        lines = self.text.split("\n")
        return lines[self.line - 1] if 1 <= self.line <= len(lines) else ""

    def span(self, column: int, width: int = 1, line: int | None = None) -> Span:
        """A span of the faulty line (or of `line`), `column` 1-based."""
        return self.source.at(self.line if line is None else line, column, width)

    def tok_span(self, tok: Token) -> Span:
        return Span(self.source, tok.line or 1, tok.column or 1, tok.end_line or 1, tok.end_column or 1)


# A habit's finding, and the text to resume with (None: the faulty line blanked, when that is safe).
Found = tuple[Finding, str | None]
_SCALAR = r'(?:"(?:[^"\\]|\\.)*"|-?[0-9][0-9_.eE+-]*|[A-Za-z_][A-Za-z0-9_-]*)'
_COMMA_VALUES = re.compile(rf"(?P<head>\s*(?:{_SCALAR})\s*(?P<sep>[:=])\s*)(?P<values>{_SCALAR}(?:\s*,\s*{_SCALAR})+)\s*,?\s*$")
_SCALAR_ITEM = re.compile(_SCALAR)
_YAML_ITEM = re.compile(rf"(?P<indent>\s*)-(?:\s+(?P<value>{_SCALAR}))?\s*$")
_ENTRY_LINE = re.compile(rf"(?P<indent>\s*)(?:{_SCALAR})\s*:(?P<value>\s*\S)?")
_WORDS = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def code_of(body: str) -> str:
    """A line with the insides of its strings blanked and its comment cut:
    what is left are the tokens, at their columns."""
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch == "#":
            break
        if ch == '"':
            j = i + 1
            while j < n and body[j] != '"':
                j += 2 if body[j] == "\\" else 1
            out.append('"' + " " * (min(j, n) - i - 1) + ('"' if j < n else ""))
            i = j + 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _uncommented(body: str) -> str:
    """A line without its comment (and the blanks before it)."""
    return body[: len(code_of(body))].rstrip()


def _indent(body: str) -> int:
    return len(body) - len(body.lstrip(" \t"))


def _item(text: str, lets: set[str]) -> str:
    """A scalar as an element of a list: a bare word becomes a string (but a
    word of the language or a `let` name stays)."""
    if _WORDS.fullmatch(text) and text not in ("true", "false", "null") and text not in lets:
        return json.dumps(text)
    return text


def _let_names(text: str) -> set[str]:
    return set(re.findall(r"^[ \t]*let[ \t]+([A-Za-z_][A-Za-z0-9_-]*)", text, re.MULTILINE))


def _block(text: str, line: int) -> list[int]:
    """The lines after `line` indented deeper than it (blank and comment
    lines inside included, not at the end): an indented YAML block."""
    lines = text.split("\n")
    base = _indent(lines[line - 1])
    found: list[int] = []
    for number in range(line + 1, len(lines) + 1):
        body = lines[number - 1]
        stripped = body.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _indent(body) <= base:
            break
        found.append(number)
    return found


def _yaml_block(at: At) -> Found | None:
    """`key:` then, on the lines below and indented, `lr: 0.1` (nesting by
    indentation, E122) or `- a` (a YAML list, E123)."""
    if at.tok is None or at.tok.type not in ("_NL", "$END") or at.prev is None or at.prev.type != "COLON":
        return None
    colon_line = at.prev.line or at.line
    block = _block(at.text, colon_line)
    if not block:
        return None
    lines = at.text.split("\n")
    key_line = lines[colon_line - 1]
    key = _key_before(key_line, (at.prev.column or 1) - 1)
    colon = at.tok_span(at.prev)
    first = lines[block[0] - 1]
    items = [_YAML_ITEM.fullmatch(_uncommented(lines[b - 1])) for b in block]
    if items[0] is not None:
        values = [m.group("value") for m in items if m is not None and m.group("value")]
        shown = "[" + ", ".join(_item(v, _let_names(at.text)) for v in values) + "]"
        said = f"a list is written in brackets: `{key}: {shown}`"
        hint: str | Hint = said
        if len(values) == len(items) and all(_uncommented(lines[b - 1]) == lines[b - 1].rstrip() for b in block):
            # (every item one value, and no comment that the list would drop)
            last = lines[block[-1] - 1]
            whole = Span(at.source, colon.line, colon.end_column, block[-1], len(_uncommented(last)) + 1)
            hint = Hint.edit(said, f"Write the list `{shown}`", Edit(whole, " " + shown))
        item_at = at.span(_indent(first) + 1, 1, line=block[0])
        finding = Finding(Code.E123, "`-` items are YAML's list syntax", item_at, hint)
        resume = at.text
        for number in [colon_line, *block]:
            resume = blank_line(resume, number)
        return finding, resume
    if _ENTRY_LINE.match(first) is None:
        return None
    entry = _uncommented(first).strip()
    entry += " { ... }" if entry.endswith(":") else ""
    more = any(_indent(lines[b - 1]) == _indent(first) for b in block[1:])
    text = f"nesting is written with braces, not indentation: `{key}: {{ {entry}{', ...' if more else ''} }}`"
    entries = [_ENTRY_LINE.match(lines[b - 1]) for b in block]
    same = all(m is not None and m.group("value") and _indent(lines[b - 1]) == _indent(first)
               for m, b in zip(entries, block))
    fix: str | Hint = text
    if same:
        last = lines[block[-1] - 1]
        end = at.source.at(block[-1], len(last) + 1, 0)
        pad = " " * _indent(key_line)
        fix = Hint.edit(text, "Wrap the indented entries in `{ }`", Edit.after(colon, " {"), Edit(end, "\n" + pad + "}"))
    return Finding(Code.E122, f"key `{key}` has no value: the indented lines below are not nested in it", colon,
                   fix), blank_line(at.text, colon_line)


def _slash_comment(at: At) -> Found | None:
    """`// comment`: `.mint` comments start with `#` (`//` divides)."""
    code = code_of(at.body)
    slashes = next((m.start() for m in re.finditer(r"(?<![^ \t])//", code) if m.start() <= at.col - 1), None)
    if slashes is None:
        return None
    after = code[slashes + 2 :].lstrip(" \t")
    if after[:1].isdigit() or after[:1] in ("(", "-", "$"):
        return None  # a floor division, broken elsewhere
    return _comment_finding(at.span(slashes + 1, 2)), None


def _comment_finding(slashes: Span) -> Finding:
    return Finding(Code.E124, "`//` does not start a comment: comments start with `#`", slashes,
                   Hint.edit("write `#` (`//` divides and rounds down, as in `total // 4`)", "Change `//` to `#`",
                             Edit(slashes, "#")))


_LOGICAL = {"&&": "and", "&": "and", "||": "or", "|": "or", "!": "not"}


def _logical(at: At, start: int, word: str) -> Found:
    """`&&`, `||` or `!` (at 0-based `start` of the line): `and`, `or`, `not`."""
    body = at.body
    written = word
    before = " " if start > 0 and body[start - 1] not in " \t(" else ""
    after = body[start + len(word) : start + len(word) + 1]
    replacement = before + _LOGICAL[word] + (" " if after not in ("", " ", "\t") else "")
    where = at.span(start + 1, len(written))
    return Finding(Code.E125, f"`{written}` is written `{_LOGICAL[word]}` in .mint", where,
                   Hint.edit(f"write `{_LOGICAL[word]}`", f"Change to `{_LOGICAL[word]}`", Edit(where, replacement))), None


def _c_style_characters(at: At) -> Found | None:
    """`&&` and `!x` (characters the lexer cannot take)."""
    body, start = at.body, at.col - 1
    ch = body[start : start + 1]
    if ch == "&" and body[start + 1 : start + 2] == "&":
        return _logical(at, start, "&&")
    if ch == "&" and body[start + 1 : start + 2] in ("", " ", "\t", "("):  # (not a YAML anchor, `&name`)
        return _logical(at, start, "&")
    if ch == "!" and body[start + 1 : start + 2] not in ("=", "!"):  # (not a YAML tag, `!!float`)
        return _logical(at, start, "!")
    return None


def _c_style_or(at: At) -> Found | None:
    """`||` (and `|` where `or` would go)."""
    if at.tok is None or str(at.tok) != "|":
        return None
    start = at.col - 1
    if at.body[start : start + 2] == "||":
        return _logical(at, start, "||")
    if "OR" in at.expected:
        return _logical(at, start, "|")
    return None


def _python_is(at: At) -> Found | None:
    """`where model is not "a"`: Python's `is` / `is not` are `==` / `!=`."""
    if at.tok is None or str(at.tok) != "is" or "COMPOP" not in at.expected:
        return None
    rest = at.body[at.col - 1 :]
    negated = re.match(r"is[ \t]+not\b", rest)
    written = negated.group(0) if negated else "is"
    op = "!=" if negated else "=="
    where = at.span(at.col, len(written))
    return Finding(Code.E126, f"`{'is not' if negated else 'is'}` is written `{op}` in .mint", where,
                   Hint.edit(f"compare with `{op}`", f"Change to `{op}`", Edit(where, op))), None


def _comma_values(at: At) -> Found | None:
    """`lr: 0.1, 0.01` or `model: a,b` (Hydra's multirun): a list sweep."""
    found = _COMMA_VALUES.fullmatch(code_of(at.body).rstrip())
    if found is None:
        return None
    body = at.body
    values_at = found.start("values")
    raw = body[values_at : found.end("values")]
    parts = [m.group(0) for m in _SCALAR_ITEM.finditer(raw)]
    listed = "[" + ", ".join(_item(p, _let_names(at.text)) for p in parts) + "]*"
    where = at.span(values_at + 1, len(raw))
    key = _key_before(body, found.start("sep"))
    edit = Edit(where, listed)
    if found.group("sep") == "=":  # Hydra's override `lr=0.1,0.01`
        key_end = len(body[: found.start("sep")].rstrip())
        edit = Edit(at.source.at(at.line, key_end + 1, values_at + len(raw) - key_end), ": " + listed)
    return Finding(Code.E120, "several values after a key, separated by commas", where,
                   Hint.edit(f"a sweep over them is a list with `*`: `{key}: {listed}`", f"Write `{key}: {listed}`",
                             edit)), None


def _tuple(at: At) -> Found | None:
    """`betas: (0.9, 0.999)`: a Python tuple; `.mint` lists use brackets."""
    if at.tok is None or at.tok.type != "COMMA":
        return None
    stack, _ = scan_brackets(at.text[: at.pos])
    if not stack or stack[-1][0] != "(":
        return None
    opener = stack[-1][1]
    if opener > 0 and at.text[opener - 1] in _NAME_CHARS:
        return None  # a call: `min(a, b)`
    rest = at.text[opener:]
    close = None
    depth = 0
    for i, ch in enumerate(code_of(rest.split("\n", 1)[0])):
        depth += 1 if ch in "([{" else -1 if ch in ")]}" else 0
        if depth == 0:
            close = i
            break
    oline, ocol = at.source.position(opener)
    open_span = at.source.at(oline, ocol)
    if close is None:
        return Finding(Code.E121, "parentheses do not make a list", open_span,
                       "lists use square brackets: `[a, b]`"), None
    written = rest[: close + 1]
    listed = "[" + written[1:-1] + "]"
    whole = at.source.at(oline, ocol, close + 1)
    return Finding(Code.E121, "parentheses do not make a list", whole,
                   Hint.edit(f"lists use square brackets: `{listed}`", f"Change to `{listed}`",
                             Edit(open_span, "["), Edit(at.source.at(oline, ocol + close), "]"))), None


def _misspelt_keyword(at: At) -> Found | None:
    """`varaints [`, `wehre a`, `Zip {`, `extend "x"`: a word that begins an
    item, misspelt (read as a key without its `:`)."""
    import difflib

    prev = at.prev
    if prev is None or prev.type != "NAME" or at.tok is None or str(at.tok) == ":" or "COLON" not in at.expected:
        return None
    if (prev.column or 1) != _indent(at.source.line(prev.line or 1)) + 1:
        return None  # not the first word of its line
    word = str(prev)
    words = item_words()
    match = next((w for w in words if w == word.lower()), None)
    if match is None:
        close = difflib.get_close_matches(word.lower(), words, n=1, cutoff=0.6)
        match = close[0] if close else None
    if match is None:
        return None
    where = at.tok_span(prev)
    return Finding(Code.E127, f"unknown word `{word}` at the start of an item", where,
                   did_you_mean(where, match, more=f" (a key is followed by `:`: `{word}: value`)")), None


_SPACED_KEY = re.compile(r"(?:^|[{,])[ \t]*(?P<key>[A-Za-z_][A-Za-z0-9_-]*(?:[ \t]+[A-Za-z_][A-Za-z0-9_-]*)+)[ \t]*:")


def _spaced_key(at: At) -> Found | None:
    """`learning rate: 0.1`, `step size: 2`: a key with spaces is quoted."""
    if at.tok is None:
        return None
    for found in _SPACED_KEY.finditer(code_of(at.body)):
        if found.start("key") <= at.col - 1 < found.end():
            written = found.group("key")
            quoted = json.dumps(written)
            where = at.span(found.start("key") + 1, len(written))
            return Finding(Code.E128, "a key with spaces must be quoted", where,
                           Hint.edit(f"write `{quoted}: ...`", f"Quote the key: {quoted}", Edit(where, quoted))), None
    return None


CHARACTER_HABITS: tuple[Callable[[At], Found | None], ...] = (_c_style_characters, _slash_comment)
TOKEN_HABITS: tuple[Callable[[At], Found | None], ...] = (
    _c_style_or, _python_is, _slash_comment, _comma_values, _tuple, _yaml_block, _misspelt_keyword, _spaced_key,
)


def unknown_name_habit(span: Span) -> Finding | None:
    """A name the file does not define, read as a habit: `lr: 0.1 // note`
    (a comment, not a division by `note`, E124) or `key: - a` (a YAML list
    item, E123). None: an ordinary unknown name."""
    body = span.source.line(span.line)
    before = code_of(body)[: span.column - 1]
    slashes = re.search(r"(?<![^ \t])//[ \t]*$", before)
    if slashes is not None:
        return _comment_finding(span.source.at(span.line, slashes.start() + 1, 2))
    dash = re.fullmatch(rf"(?P<head>[ \t]*{_SCALAR}[ \t]*:[ \t]*)-[ \t]+", before)
    if dash is not None and span.end_line == span.line and not code_of(body)[span.end_column - 1 :].strip():
        item = span.source.at(span.line, dash.end("head") + 1, span.end_column - 1 - dash.end("head"))
        shown = f"[{json.dumps(span.text)}]"
        return Finding(Code.E123, "`- item` is YAML's list syntax", item,
                       Hint.edit(f"a list is written in brackets: `{shown}`", f"Write the list `{shown}`",
                                 Edit(item, shown)))
    return None
