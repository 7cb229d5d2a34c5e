"""User-facing errors: one `Diagnostic` per mistake, raised as `MintError`.

Errors are collected rather than raised one at a time so that a user sees
every mistake of a file in one run.

A hint that proposes exact text carries it as data too: a `Hint` is the
hint's words and the `Fix`es that write what they propose, made from the
same values at the same place, so the editor's quick fix (lsp/code_actions)
applies exactly what the message says.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from .codes import Code, Severity
from .source import Span


@attrs.frozen
class Related:
    """A second place that explains a diagnostic (e.g. the first definition)."""

    span: Span
    message: str


@attrs.frozen
class Edit:
    """Write `text` over the source `span` covers (an empty span inserts it there)."""

    span: Span
    text: str

    @staticmethod
    def before(span: Span, text: str) -> Edit:
        """Insert `text` where `span` starts."""
        return Edit(Span(span.source, span.line, span.column, span.line, span.column), text)

    @staticmethod
    def after(span: Span, text: str) -> Edit:
        """Insert `text` where `span` ends."""
        return Edit(Span(span.source, span.end_line, span.end_column, span.end_line, span.end_column), text)


@attrs.frozen
class Fix:
    """A quick fix: the change a hint proposes, as edits of the source."""

    title: str
    edits: tuple[Edit, ...]


@attrs.frozen
class Hint:
    """A hint's text and the fixes that do what it says (`Collector.error`
    takes one wherever a hint proposes exact text)."""

    text: str
    fixes: tuple[Fix, ...] = ()

    @staticmethod
    def edit(text: str, title: str, *edits: Edit) -> Hint:
        """A hint with one fix."""
        return Hint(text, (Fix(title, edits),))


def did_you_mean(span: Span, word: str, written: str | None = None, more: str = "") -> Hint:
    """"did you mean `word`?" (then `more`) with the fix that writes `word`
    over `span`, spelt `written` where the place needs it (a quoted key)."""
    new = word if written is None else written
    return Hint.edit(f"did you mean `{word}`?{more}", f"Change to `{new}`", Edit(span, new))


@attrs.frozen
class Diagnostic:
    """One located mistake: a stable code, a message, an optional hint and
    the fixes that apply the hint."""

    code: str
    message: str
    span: Span
    hint: str | None = None
    related: tuple[Related, ...] = ()
    severity: Severity = "error"
    fixes: tuple[Fix, ...] = ()

    def render(self) -> str:
        """`path:line:col: error[CODE]: message`, the line, a caret run, hints."""
        lines = [f"{_where(self.span)}: {self.severity}[{self.code}]: {self.message}"]
        lines.extend(_excerpt(self.span))
        for rel in self.related:
            lines.append(f"{_where(rel.span)}: note: {rel.message}")
            lines.extend(_excerpt(rel.span))
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


_WIDE = 160


def _where(span: Span) -> str:
    return f"{span.file}:{span.line}:{span.column}"


def _excerpt(span: Span) -> list[str]:
    """The source line under a gutter and a caret run under the span."""
    if not span.source.text:
        return []
    text = span.source.line(span.line)
    gutter = str(span.line)
    pad = " " * len(gutter)
    start = span.column - 1
    if len(text) > _WIDE:
        # Show a window of a very long line around the span.
        left = max(0, start - _WIDE // 2)
        text = ("…" if left else "") + text[left : left + _WIDE] + ("…" if left + _WIDE < len(text) else "")
        start = start - left + (1 if left else 0)
    if span.end_line == span.line:
        width = max(1, span.end_column - span.column)
    else:
        width = max(1, len(text) - start)
    width = min(width, max(1, len(text) - start + 1))
    # Copy tabs from the source so the caret lines up in any terminal.
    lead = "".join(ch if ch == "\t" else " " for ch in text[:start])
    return [f" {gutter} | {_visible(text)}", f" {pad} | {lead}{'^' * width}"]


def _visible(text: str) -> str:
    """Control characters shown as their Unicode pictures (one column each),
    so a stray NUL or carriage return cannot garble the terminal."""
    return "".join(
        chr(0x2400 + ord(ch)) if ord(ch) < 32 and ch != "\t"
        else "\u2421" if ch == "\x7f"
        else "\ufffd" if "\ud800" <= ch <= "\udfff"
        else ch
        for ch in text
    )


def diagnostic_json(diag: Diagnostic) -> dict[str, object]:
    """The machine-readable form `mintc check --format json` prints."""
    span = diag.span
    return {
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "code": diag.code,
        "severity": diag.severity,
        "message": diag.message,
        "hint": diag.hint,
        "related": [
            {
                "file": r.span.file,
                "line": r.span.line,
                "column": r.span.column,
                "end_line": r.span.end_line,
                "end_column": r.span.end_column,
                "message": r.message,
            }
            for r in diag.related
        ],
    }


class MintError(Exception):
    """Every mistake in a `.mint` file; carries file, line and column.

    `diagnostics` holds all mistakes found in one run; the attributes
    `file`, `line`, `column`, `code` and `hint` describe the first.
    """

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        if not self.diagnostics:
            raise ValueError("MintError needs at least one diagnostic")
        first = self.diagnostics[0]
        self.code = first.code
        self.message = first.message
        self.hint = first.hint
        self.file = first.span.file
        self.line = first.span.line
        self.column = first.span.column
        self.end_line = first.span.end_line
        self.end_column = first.span.end_column
        super().__init__(f"{self.file}:{self.line}:{self.column}: error[{self.code}]: {self.message}")

    def __reduce__(self) -> tuple[type[MintError], tuple[list[Diagnostic]]]:
        """Pickled with its diagnostics, so it crosses process boundaries
        (multiprocessing, joblib, Ray workers) whole."""
        return (MintError, (self.diagnostics,))

    def render(self, limit: int = 50) -> str:
        """The diagnostics, rendered for a terminal (the first `limit`)."""
        shown = "\n".join(d.render() for d in self.diagnostics[:limit])
        more = len(self.diagnostics) - limit
        if more > 0:
            shown += f"\n... and {more} more error{'s' if more != 1 else ''} (fix these first)"
        return shown


class Collector:
    """Gathers the diagnostics of one compilation; the only way to make one."""

    def __init__(self) -> None:
        self._diagnostics: list[Diagnostic] = []

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Everything recorded so far, in the order it was found."""
        return list(self._diagnostics)

    def __len__(self) -> int:
        return len(self._diagnostics)

    def error(
        self,
        code: Code,
        message: str,
        span: Span,
        hint: str | Hint | None = None,
        related: tuple[Related, ...] = (),
        severity: Severity = "error",
    ) -> None:
        """Record one mistake; a `Hint` brings the fixes that apply it."""
        if isinstance(hint, Hint):
            self._diagnostics.append(Diagnostic(code.name, message, span, hint.text, related, severity, hint.fixes))
        else:
            self._diagnostics.append(Diagnostic(code.name, message, span, hint, related, severity))

    def warn(
        self,
        code: Code,
        message: str,
        span: Span,
        hint: str | Hint | None = None,
        related: tuple[Related, ...] = (),
    ) -> None:
        """Record something that compiles but is almost surely not what was meant."""
        self.error(code, message, span, hint, related, severity="warning")

    def errors(self) -> int:
        """How many of the diagnostics are errors (not warnings)."""
        return sum(1 for d in self._diagnostics if d.severity == "error")

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Take over diagnostics found by another compilation (a base file's)."""
        self._diagnostics.extend(diagnostics)

    def drop(self, codes: frozenset[str]) -> None:
        """Drop every diagnostic whose code is in `codes`."""
        self._diagnostics = [d for d in self._diagnostics if d.code not in codes]

    def ordered(self) -> list[Diagnostic]:
        """Everything recorded, sorted by place."""
        return sorted(self._diagnostics, key=lambda d: (d.span.file, d.span.line, d.span.column))

    def raise_if_any(self) -> None:
        """Raise a `MintError` holding everything recorded so far, in source order."""
        if self._diagnostics:
            raise MintError(self.ordered())
