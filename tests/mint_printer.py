"""Print Python config data as `.mint` source, for the property tests.

`print_mint(docs, rng)` turns a list of documents -- dicts whose values may be
`DynamicValue`s wrapping a list, a tuple or an int `range` -- into `.mint`
text that must compile to exactly what `spearmint_lang.expand(docs)` gives
(minus documents with no entries, which `.mint` drops).

With `rng=None` the layout is canonical: one entry per line, `, ` inside
containers, every `range` printed as a range sweep. With a `random.Random`
every free choice of the syntax is drawn from it: newline or comma separators
(with trailing commas), blank lines, indentation, `# comments`, spacing around
`:`, `..` and `*`, quoting of keys that are identifiers, how each string is
spelled (`json.dumps` with `ensure_ascii` on or off, each character raw or
escaped, a verbatim triple-quoted long string, or a dedented block string),
objects written in part or whole as dotted keys (`a.b: 1`), digit separators in
numbers (`100_000`), range vs list form of an int `range`
(with any end that gives the same values, and `step 1` omitted or not),
trailing blanks after `---`, a file starting with `---`, CRLF line endings and
a leading BOM. The same data printed with any of these choices
must compile to the same configs.
"""

from __future__ import annotations

import json
import math
import random
import re
from typing import Any

from spearmint_lang import DynamicValue

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

# Characters for comments: anything but a line break (a comment runs to the
# end of its line) and NUL (error E005 anywhere in a source); deliberately
# includes syntax characters, `---`, odd Unicode blanks and a BOM.
_COMMENT_CHARS = "abc XYZ 09 #\"'*,:;[]{}().-- --- \\ é中🙂\u00a0\t\x0b\x0c\x85\u2028\u2029\ufeff"


_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _long_ok(text: str) -> bool:
    """Whether `text` can be written verbatim as `\"\"\"text\"\"\"`.

    It must not contain the closing quotes or end with a quote (which would
    join them), nor start with a line break (then it is a block string,
    dedented), and it must hold no carriage return (line endings are
    normalised, so a verbatim CR LF would read back as LF) and no NUL (a
    NUL anywhere in the source is error E005, on purpose).
    """
    return '"""' not in text and not text.endswith('"') and "\r" not in text and "\x00" not in text \
        and not text.lstrip(" \t").startswith("\n")  # (a line break first: a dedented block string)


def _block_ok(text: str) -> bool:
    """Whether `text` can be written as a dedented block string
    (`\"\"\"`, a line break, its lines indented, the closing quotes on a
    line of their own): no closing quotes, no carriage return or NUL, and
    no line of only blanks (it would read back empty)."""
    return '"""' not in text and "\r" not in text and "\x00" not in text \
        and all(line == "" or line.strip(" \t") for line in text.split("\n"))


class MintPrinter:
    """One printing run; `rng=None` gives the canonical layout."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self.rng = rng

    # helpers -----------------------------------------------------------
    def _chance(self, p: float) -> bool:
        return self.rng is not None and self.rng.random() < p

    def _ws(self) -> str:
        """Optional inline whitespace between two tokens."""
        if self.rng is None:
            return ""
        return self.rng.choice(["", "", " ", "  ", "\t"])

    def _comment(self) -> str:
        assert self.rng is not None
        n = self.rng.randint(0, 12)
        return "#" + "".join(self.rng.choice(_COMMENT_CHARS) for _ in range(n))

    def sep(self, kind: str, container: bool) -> str:
        """A separator run.

        `kind` is "lead" (after `[`, `{` or at the start of a document: no
        comma allowed, may be empty), "between" (between two elements: at
        most one comma, and at least one comma or line break) or "trail"
        (before `]`, `}` or the end of a document: at most one comma).
        """
        if self.rng is None:
            if kind != "between":
                return ""
            return ", " if container else "\n"
        rng = self.rng
        pieces = [
            rng.choice(["\n", "\n\n", "\n    ", "\n\t", " ", "  \n", " " + self._comment() + "\n"])
            for _ in range(rng.randint(0, 3))
        ]
        if kind != "lead" and rng.random() < 0.5:
            pieces.insert(rng.randint(0, len(pieces)), rng.choice([",", ", ", " ,", " , "]))
        text = "".join(pieces)
        if kind == "between" and "\n" not in text and "," not in text:
            text += rng.choice(["\n", ",", ", ", " ,\n"])
        return text

    def seq(self, items: list[str], container: bool) -> str:
        """Elements with lead, between and trail separators."""
        if not items:
            return self.sep("lead", container)
        out = self.sep("lead", container) + items[0]
        for item in items[1:]:
            out += self.sep("between", container) + item
        return out + self.sep("trail", container)

    # structure ---------------------------------------------------------
    def file(self, docs: list[dict[str, Any]]) -> str:
        """Documents separated by `---` lines."""
        out = ""
        for i, doc in enumerate(docs):
            if i:
                trailing = self.rng.choice(["", " ", "\t", "  "]) if self.rng else ""
                at_line_start = out == "" or out.endswith("\n")
                out += ("---" if at_line_start and self._chance(0.5) else "\n---") + trailing + "\n"
            out += self.document(doc)
        if self._chance(0.2):
            out = out.replace("\n", "\r\n")
        if self._chance(0.1):
            out = "\ufeff" + out
        return out

    def document(self, doc: dict[str, Any]) -> str:
        """A document's entries."""
        return self.seq([e for k, v in doc.items() for e in self.entries(k, v)], container=False)

    def entries(self, key: str, value: Any) -> list[str]:
        """`key: value`, or for an object at random, some of its entries (a
        tail) as dotted keys: `key.a: 1` (merged with `key: { ... }`)."""
        if isinstance(value, dict) and value and self._chance(0.25):
            assert self.rng is not None
            items = list(value.items())
            cut = self.rng.randint(0, len(items) - 1)
            out = [self.entry(key, dict(items[:cut]))] if cut else []
            for k, v in items[cut:]:
                out += [self.key(key) + self._ws() + "." + self._ws() + e for e in self.entries(k, v)]
            return out
        return [self.entry(key, value)]

    def entry(self, key: str, value: Any) -> str:
        """`key: value`."""
        return self.key(key) + self._ws() + ":" + (self._ws() or " ") + self.value(value)

    def key(self, key: str) -> str:
        """An identifier bare (or quoted at random), anything else quoted."""
        if not isinstance(key, str):
            raise TypeError(f".mint keys are strings, not {type(key).__name__}")
        if IDENTIFIER.fullmatch(key) and not self._chance(0.3):
            return key
        return self.string(key, key=True)

    def string(self, text: str, key: bool = False) -> str:
        """A string literal for `text`.

        Canonically `json.dumps(text, ensure_ascii=False)`. At random:
        `json.dumps` with `ensure_ascii` on or off; a literal whose every
        character is chosen raw or escaped (`\\n`-style short escapes,
        `\\uXXXX` in either case, `\\/`, surrogate pairs for characters
        beyond the BMP); or, for values whose text allows it, a verbatim
        `\"\"\"...\"\"\"` long string.
        """
        literal = self._literal(text, key)
        return literal if key else literal.replace("${", "$${")  # (in a value, `${` interpolates: `$${` is one)

    def _literal(self, text: str, key: bool) -> str:
        if self.rng is None:
            return json.dumps(text, ensure_ascii=False)
        rng = self.rng
        mode = rng.random()
        if mode < 0.4:
            return json.dumps(text, ensure_ascii=rng.random() < 0.5)
        if mode < 0.55 and not key and _long_ok(text):
            return '"""' + text + '"""'
        if mode < 0.65 and not key and _block_ok(text):
            indent = rng.choice(["", "  ", "    ", "\t"])
            lines = "\n".join(indent + line if line else line for line in text.split("\n"))
            return '"""' + rng.choice(["", " "]) + "\n" + lines + "\n" + indent + '"""'
        return '"' + "".join(self._char(ch) for ch in text) + '"'

    def _char(self, ch: str) -> str:
        """One character of a `"..."` literal, raw or escaped at random."""
        assert self.rng is not None
        rng = self.rng
        o = ord(ch)
        escapes = []
        if ch in _SHORT_ESCAPES:
            escapes.append(_SHORT_ESCAPES[ch])
        if o > 0xFFFF:
            hi, lo = 0xD800 + ((o - 0x10000) >> 10), 0xDC00 + ((o - 0x10000) & 0x3FF)
            escapes.append(self._u(hi) + self._u(lo))
        else:
            escapes.append(self._u(o))
        must_escape = ch in '"\\' or o < 0x20
        if must_escape or rng.random() < 0.25:
            return rng.choice(escapes)
        return ch

    def _u(self, code: int) -> str:
        assert self.rng is not None
        hex_digits = f"{code:04x}"
        if self.rng.random() < 0.5:
            hex_digits = hex_digits.upper()
        return "\\u" + hex_digits

    def value(self, value: Any) -> str:
        """Any value; `DynamicValue` becomes a list sweep or a range sweep."""
        if isinstance(value, DynamicValue):
            return self.sweep(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, int):
            return self._separated(str(value))
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(f".mint has no literal for {value!r}")
            text = repr(value)
            assert "." in text or "e" in text, text
            return self._separated(text)
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, dict):
            entries = [e for k, v in value.items() for e in self.entries(k, v)]
            return "{" + self.seq(entries, container=True) + "}"
        if isinstance(value, (list, tuple)):
            return "[" + self.seq([self.value(v) for v in value], container=True) + "]"
        raise TypeError(f"cannot print {type(value).__name__} as .mint")

    def _separated(self, text: str) -> str:
        """A number's text, maybe with `_` between some digits (`100_000`;
        not in an exponent)."""
        if self.rng is None or not self._chance(0.2):
            return text
        mantissa, e, exponent = text.partition("e")
        out = mantissa[0]
        for prev, ch in zip(mantissa, mantissa[1:]):
            out += ("_" if prev.isdigit() and ch.isdigit() and self._chance(0.4) else "") + ch
        return out + e + exponent

    def sweep(self, dv: DynamicValue[Any]) -> str:
        """`[...]*`, or `a..e step s` for a non-empty int `range`."""
        values = dv.values
        if isinstance(values, range) and len(values) and (self.rng is None or self.rng.random() < 0.6):
            return self.range(values)
        items = [self.value(v) for v in values]
        return "[" + self.seq(items, container=True) + "]" + self._ws() + "*"

    def range(self, r: range) -> str:
        """An inclusive `.mint` range with exactly the values of `r`.

        Any end from the last value up to (not including) the next step
        gives the same values; a step of 1 may be left out.
        """
        start, step, last = r.start, r.step, r[-1]
        sign = 1 if step > 0 else -1
        slack = self.rng.randint(0, abs(step) - 1) if self.rng else 0
        end = last + sign * slack
        dots = self._ws() + ".." + self._ws()
        text = f"{start}{dots}{end}"
        if step == 1 and (self.rng is None or self.rng.random() < 0.5):
            return text
        return text + " step " + str(step)


def print_mint(docs: list[dict[str, Any]], rng: random.Random | None = None) -> str:
    """`.mint` source for `docs` (one document per dict)."""
    return MintPrinter(rng).file(docs)
