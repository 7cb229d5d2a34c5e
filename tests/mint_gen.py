"""A grammar-aware random `.mint` program generator: `SourceGen`.

Shared by the formatter's property tests (tests/test_fmt.py) and the fuzzer
(tests/test_fuzz.py).

* `SourceGen(rng).file()` is the formatter's generator: sources meant to
  compile, with every free choice of the layout drawn. Its draws are exactly
  those it made when it lived in test_fmt.py, so the formatter's examples do
  not change.
* `SourceGen(rng, full=True, folder=DIR).file()` also draws every construct
  of docs/language.md sections 1-5: every literal form (each escape, surrogate
  pairs, long strings, exponents, huge ints, `-0.0`), list sweeps of any
  values, every range (`..`, `..<`, `step` up, down and float, `step *k` up
  and down, `count n`, names as start, end, step, factor and count), `let`
  names of every kind (numbers, strings, lists, objects, sweeps, lists of
  swept objects, names in names), swept objects (also through a name), `zip`
  (of lists, ranges and names) and `variants` (nested; keys that one or every
  alternative sets) in documents, objects and alternatives, `where` with
  every operator and form (nested paths, keys only some configs have, key
  against key, `null`, booleans, comparisons compared with `true`), `schema`
  (every type, literal alternatives, bounds `..` and `..<`, names as bounds,
  optional keys, nested objects), `config_id` at the top and nested, and
  `extends`: base files (chains of two, in a subfolder, absolute paths, paths
  spelled with escapes) are written into DIR, and the document extending one
  overrides its values (objects merge deeply) and adds keys of its own. The
  program is meant to be compiled as `gen.path` (DIR/main.mint); without a
  folder there is no `extends`.
* `SourceGen(rng, full=True, folder=DIR, novel=True)` adds the syntax of
  issue 13 that the compiler does not all take yet: values computed by
  expressions (`+ - * / // % **`, unary minus, groups, `if/then/else`,
  comparisons, `and`/`or`/`not`, `in`, `min(...)` and the other functions,
  `${a.b}` config paths, `let` and imported names), `where` tests with
  arithmetic, dotted keys (`a.b: 1`, parts quoted or words of the language),
  `import "f.mint" as x`, `key: delete`, digit separators (`100_000`) and
  the new words as keys. Such programs are meant to parse and to format
  stably; they need not compile.
* `SourceGen(rng, full=True, folder=DIR, issue13=True)` adds valid uses of
  that syntax, each valid by construction, so that programs still compile
  and the compiled properties (count, shards, `Sweep[i]`, outputs, the
  formatter) run over them: digit separators, dedented block strings,
  dotted keys merged with an object (`o.i: 1` and `o: { j: 2 }`), lists
  holding sweeps and ranges (`[[1, 2]*, 0..1]`), computed values (`+ - *`,
  `//` and `%` by a positive literal, `/`, `if/then/else`, `min`, `max`,
  `str`, `len`, interpolation, a `let` read per config, imported names)
  reading `${paths}` of keys that hold an int (or a string) in every config
  and other computed values, `where` with arithmetic that some config
  passes, a second `extends` (of keys apart from the first's), `import
  "pN.mint" as mN`, and `key: delete` of a key a base sets for it.

Sizes stay small: every document has a budget of combinations (`room`), so
that a file has at most a few hundred configs and properties can expand all
of them.
"""

from __future__ import annotations

import json
import operator
import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from spearmint_lang import MintError, loads
from spearmint_lang.compiler import Unit, compile_text

MAIN = "main.mint"  # the name of the program in its folder (full mode)

KEYWORDS = ["true", "false", "null", "step", "count", "let", "zip", "variants", "where", "not", "and", "or",
            "in", "extends", "schema", "sample", "seed"]
# Distributions and `sample` lines (docs/language.md section 7): all valid, each method.
DISTRIBUTIONS = ["uniform(0, 1)", "uniform(-1.5, 2) step 0.5", "loguniform(1e-5, 1e-1)", "randint(1, 9)",
                 "randint(0, 100) step 10", "normal(0, 1)", "normal(0, 1) step 0.25", "lognormal(0, 0.5)",
                 'choice(["a", "b", "c"])', "choice([1, 2], weights: [3, 1])", "choice([\n  {x: 1},\n  {x: 2}\n])"]
SAMPLES = ["sample 3", "sample 4 seed 7", "sample 2 seed 0 random", "sample 4 sobol", "sample 3 seed 1 halton",
           "sample 5 lhs"]
_ODD_KEYS = ["a b", "1x", "x.y", "é", "#k", "k:", "-k", 'q"', "k\\"]
_COMMENT_CHARS = "abc XYZ 09 #\"'*,:;[]{}().-- --- \\ é中🙂\u00a0\t\x0b\x0c\x85\u2028\u2029\ufeff"
_STRING_CHARS = 'ab #,:"\\\n\té🙂\u2028/*[]{}-'
_LONG_CHARS = 'ab #,:"\'\n\n\t  é{}[]---*'
_FLOATS = ["0.10", "1e-5", "2E3", "-3.5e-3", "1.0", "0.0", "-0.5", "1e+2", "12.5"]

# Full mode only.
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
                  "\t": "\\t"}
_ESCAPED_CHARS = 'ab "\\/\b\f\n\r\t\x01\x7f é\u2028中🙂\U0001d11e#,:'
_MORE_NUMBERS = [
    ("-0", "int"), ("-0.0", "float"), ("1E-3", "float"), ("5e0", "float"), ("1.5E+3", "float"),
    ("123456789012345678901234567890", "int"), ("-98765432109876543210", "int"), ("9007199254740993", "int"),
    ("0.30000000000000004", "float"), ("1.7976931348623157e308", "float"), ("5e-324", "float"),
    ("2.5e-308", "float"), ("1e22", "float"), ("-7", "int"), ("0.1", "float"),
]
# Strings a YAML or Python reader could take for something else, and odd keys.
_TRICKY = ["yes", "No", "on", "OFF", "y", "~", "null", "NULL", "true", "True", "1e3", "1_000", "0x1F", "0o17", "0b101",
           "+1", ".inf", "-.INF", ".NaN", "2001-12-14", "12:30:45", "<<", "=", "- a", "? x", "#x", "a: b", "a #b", "",
           " ", " x ", "'q'", '"', "\\", "%x", "@x", "`x", "!x", "&x", "*x", "|", ">", "[", "{", "---", "...",
           "\x00", "\x85", "\u2028", "\ufeff", "\U0001F600", "\t", "\r", "\n", "x\n", "\x7f", "\x1b[0m",
           "é", "ǅ", "ﬀ", "١٢", "0", "-0", "00", "1.0", "None", "__import__('os')", "\\u0041"]
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_INT = re.compile(r"-?[0-9]+")
# The words issue 13 added (full mode, `novel` only: the formatter's draws stay as they were).
NEW_KEYWORDS = ["import", "as", "if", "then", "else", "delete"]
_SEPARATED = [("1_000", "int"), ("100_000", "int"), ("-1_0", "int"), ("1_000.000_1", "float"), ("2_5e-3", "float"),
              ("0.5_5", "float")]
_OPERATORS = ["+", "-", "*", "/", "//", "%", "**"]
_BLOCK_CHARS = 'ab #,:"\'\t  é{}[]-*\\'  # (for block strings: no line break, no `$`)
_PLAIN_KEY = re.compile(r"k\d+")  # the keys `where` may name (never a word of the language)


def outcome(text: str, path: str = "<string>") -> str:
    """What a source compiles to: the JSON of its configs (ids included, in
    order), or the sorted error codes when it does not compile."""
    try:
        return json.dumps(loads(text, path))
    except MintError as exc:
        return "errors " + " ".join(sorted({d.code for d in exc.diagnostics}))


# What an extending file may write in place of a value: one of these
# literals (or a sweep of them), an object overriding some of these keys, or
# nothing (None: the value uses names, or is a sweep of objects).
Recipe = list[str] | dict[str, "Recipe"] | None


@dataclass(frozen=True)
class WhereKey:
    """A key path `where` may test: the kind of its values ("num", "str" or
    "bool") and literals that some config holds there."""

    path: str
    kind: str
    samples: tuple[str, ...] = ()


@dataclass
class Info:
    """What the value drawn last can be (full mode): for its schema field,
    for `where` and for the files that extend this one."""

    kind: str | None = None  # the `where` kind of every value it takes, when there is one
    literals: list[str] | None = None  # the literal of every value it takes (scalars only)
    bounds: tuple[str, str, bool] | None = None  # its lowest and highest number, the highest excluded or not
    recipe: Recipe = None  # what an extending file may set in its place
    paths: list[WhereKey] = field(default_factory=list)  # comparable keys inside it (an object)

    def samples(self) -> tuple[str, ...]:
        if self.literals:
            return tuple(self.literals)
        if self.bounds:
            return self.bounds[:2]
        return ("true", "false") if self.kind == "bool" else ()

    def where_keys(self, name: str) -> list[WhereKey]:
        """The key paths `where` may test in an entry `name: <this value>`."""
        if not _PLAIN_KEY.fullmatch(name):
            return []
        own = [WhereKey(name, self.kind, self.samples())] if self.kind else []
        return own + [WhereKey(f"{name}.{p.path}", p.kind, p.samples) for p in self.paths]


@dataclass
class Let:
    """A `let` name of the file being drawn (full mode)."""

    kind: str  # int pos fac float lo hi str | ints strs nums objs swp | obj
    value: str | None = None  # the literal of a number or string
    items: list[str] | None = None  # the literals of a list's elements (or a sweep's values)
    size: int = 0  # the number of values of a list, or of the sweep it makes


@dataclass
class Base:
    """A file written for `extends`, as the document extending it sees it."""

    file: Path
    recipes: dict[str, Recipe]  # the top-level keys an extending file may override
    keys: list[WhereKey]  # the key paths its `where` and the extending file's may test
    all_keys: set[str]  # every top-level key it sets
    schema: bool  # whether a schema applies (then only `reserved` keys may be added)
    reserved: list[str]  # optional keys of its schema that no file sets yet
    deletable: list[str] = field(default_factory=list)  # keys nothing reads (issue13: `key: delete`)


def _escape_letters(text: str, rng: random.Random) -> str:
    """`text` as a quoted string, some letters spelled `\\uXXXX`, `/` maybe `\\/`."""
    out = ""
    for c in text:
        if c.isalnum() and c.isascii() and rng.random() < 0.3:
            out += f"\\u{ord(c):04x}" if rng.random() < 0.5 else f"\\u{ord(c):04X}"
        elif c == "/" and rng.random() < 0.3:
            out += "\\/"
        else:
            out += json.dumps(c, ensure_ascii=False)[1:-1]
    return '"' + out + '"'


class SourceGen:
    """A random `.mint` source meant to compile, in a random layout.

    Values are drawn with the types the checks need (`where` compares a key
    with a literal of its type; a schema names every key with a type that
    holds); the layout draws every free choice: separators (newlines, commas,
    trailing commas), blank lines, comments (full-line and trailing),
    indentation, spaces around tokens, quoted or bare keys, CRLF and a BOM.
    Sweeps are kept small so that every file expands quickly.

    With `full`, every construct of the language is drawn (see the module's
    docstring), and base files of `extends` are written into `folder`.
    """

    def __init__(self, rng: random.Random, full: bool = False, folder: Path | None = None,
                 novel: bool = False, issue13: bool = False) -> None:
        self.rng = rng
        self.counter = 0
        self.lets: dict[str, str] = {}  # name -> "ints" | "strs" | "int" (full mode: every Let.kind)
        self.room = 1
        # full mode
        self.full = full
        self.novel = full and novel
        self.issue13 = full and issue13 and not novel
        self.folder = folder if full else None
        self.path = str(self.folder / MAIN) if self.folder is not None else "<string>"
        # In full mode, `compile_text(text, self.path)` of the last `file()`,
        # compiled once its files were written (callers that change no file
        # need not compile it again).
        self.unit: Unit | None = None
        self.here = self.folder  # the folder of the file being drawn
        self.named: dict[str, Let] = {}
        self.depth = 0  # of the file being drawn in a chain of `extends`
        self.bases: dict[Path, str] = {}  # every base file written, with its text
        self.info = Info()

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
        if self.full and not plain and "config_id" not in scope and self.chance(0.02):
            scope.add("config_id")  # the document's own id at the top, ordinary data deeper
            return "config_id"
        if self.full and not plain and self.chance(0.03) and (odd := self.rng.choice(_TRICKY)) not in scope:
            scope.add(odd)
            return odd
        r = self.rng.random()
        name = self.fresh()
        if not plain and r < 0.15 and (word := self.rng.choice(KEYWORDS)) not in scope:
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
        if self.issue13 and self.chance(0.1):
            return self.block_string()
        if self.full and self.chance(0.3):
            return self.escaped()
        if self.full and self.chance(0.1):
            return json.dumps(self.rng.choice(_TRICKY), ensure_ascii=self.chance(0.5))
        rng = self.rng
        if self.chance(0.2):
            body = "".join(rng.choice(_LONG_CHARS) for _ in range(rng.randint(0, 12)))
            if '"""' not in body and not body.endswith('"'):
                return '"""' + body + '"""'
        text = "".join(rng.choice(_STRING_CHARS) for _ in range(rng.randint(0, 6)))
        return json.dumps(text, ensure_ascii=self.chance(0.5))

    def escaped(self) -> str:
        """A string spelled with every kind of escape: the short ones (`\\/`
        included), `\\uXXXX` in either case, surrogate pairs, and raw text."""
        rng = self.rng
        out = '"'
        for c in (rng.choice(_ESCAPED_CHARS) for _ in range(rng.randint(0, 6))):
            r = rng.random()
            if c in _SHORT_ESCAPES and r < 0.6:
                out += _SHORT_ESCAPES[c]
            elif c not in '"\\\n\r\f' and (c >= " " or c == "\t") and r < 0.8:
                out += c
            elif ord(c) > 0xFFFF:
                high, low = divmod(ord(c) - 0x10000, 0x400)
                out += f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04X}"
            else:
                out += f"\\u{ord(c):04x}" if self.chance(0.5) else f"\\u{ord(c):04X}"
        return out + '"'

    def number(self) -> tuple[str, str]:
        if self.issue13 and self.chance(0.08):
            return self.rng.choice(_SEPARATED)
        if self.full and self.chance(0.2):
            return self.rng.choice(_MORE_NUMBERS)
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
        if self.full and self.chance(0.5):
            made = self.range_more()
            if made is not None:
                return made
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
        out = self.range_text(words)
        self.info = self.range_info(words)
        return out, kind, n

    def value(self, depth: int, indent: int, scope_keys: set[str]) -> tuple[str, str, str | None]:
        """A value where sweeps may stand: text, schema type, and the
        `where` type of its values ("num" or "str") when comparable.
        (Full mode: what it can be is left in `self.info`.)"""
        rng = self.rng
        if self.full:
            self.info = Info()
            if self.chance(0.3):
                more = self.value_more(depth, indent)
                if more is not None:
                    return more
        r = rng.random()
        if r < 0.3:
            text, kind = self.scalar()
            comparable = "num" if kind in ("int", "float") else "str" if kind == "string" else None
            self.info = self.scalar_info(text, kind)
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
                self.info = self.values_info(vals, where_kind)
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
                    self.info = self.let_info(name)
                    return name + self.ws() + "*", "any", "num" if self.lets[name] == "ints" else "str"
                self.info = Info()
                return name, "list", None
        if r < 0.7 and depth < 2 and self.room >= 4:
            # a sweep of objects, each expanding its own sweeps
            saved, self.room = self.room, 2
            objs = []
            paths: list[WhereKey] = []
            for _ in range(2):
                objs.append(self.object(depth + 1, indent + 2, sweeps=True)[0])
                paths += self.info.paths
            self.room = saved // 4
            self.info = Info(paths=paths)
            return self.container("[", objs, "]", indent) + self.ws() + "*", "any", None
        if r < 0.85 and depth < 3:
            text, kind = self.object(depth + 1, indent, sweeps=True)
            return text, kind, None
        text, kind = self.static(depth, indent)
        self.info = Info(recipe=[text])
        return text, kind, None

    def entry(self, name: str, value: str, indent: int) -> str:
        return self.key(name) + self.ws() + ":" + self.ws() + value

    def object(self, depth: int, indent: int, sweeps: bool) -> tuple[str, str]:
        """An object (with `zip` and `variants` when sweeps may stand)."""
        if self.full:
            return self.object_full(depth, indent, sweeps)
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
    def field(self, name: str, kind: str, optional: bool, info: Info | None = None) -> str:
        """A schema field for a key whose values have schema type `kind`
        (full mode: and can be what `info` says)."""
        rng = self.rng
        if self.full and info is not None and not kind.startswith("{"):
            typ = self.type_more(kind, info)
            if typ is not None:
                return self.key(name) + self.ws() + ("?" + self.ws() if optional or self.chance(0.1) else "") + ":" \
                    + self.ws() + typ
        if kind.startswith("{"):
            typ = kind
        elif kind == "float" and self.chance(0.3):
            # (every float literal the generator writes, the largest finite one included, is in the bounds)
            typ = "float" + self.ws1() + "in" + self.ws1() + "-1.7976931348623157e308" + self.ws() + ".." + self.ws() \
                + "1.7976931348623157e308"
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
        if self.full:
            return self.document_full(base=False)[0]
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
            if self.full:
                self.named, self.depth, self.here, self.bases = {}, 0, self.folder, {}
            text = self._file()
            if self.full:  # (the same test, without expanding the configs)
                self.unit = compile_text(text, self.path)
                if not any(d.code == "E068" for d in self.unit.diagnostics):
                    break
            elif "E068" not in outcome(text):
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

    # ======================================================================
    # Full mode: every construct
    # ======================================================================

    # what a value can be -----------------------------------------------------
    def scalar_info(self, text: str, kind: str) -> Info:
        if kind in ("int", "float"):
            return Info("num", [text], (text, text, False), [text])
        if kind == "bool":
            return Info("bool", [text], None, [text])
        return Info("str" if kind == "string" else None, [text], None, [text])

    def values_info(self, vals: list[str], where_kind: str | None) -> Info:
        """A sweep of these literals."""
        bounds = None
        if where_kind == "num":
            ordered = sorted(vals, key=Fraction)
            bounds = (ordered[0], ordered[-1], False)
        return Info(where_kind, list(vals), bounds, list(vals))

    def range_info(self, words: list[str]) -> Info:
        """A range: its bounds when both ends are numbers; an extending file
        may override it with its first value (never with a name: those are
        file-scoped)."""
        start, op, end = words[0], words[1], words[2]
        if not (_NUMBER.fullmatch(start) and _NUMBER.fullmatch(end)):
            return Info("num", recipe=[start] if _NUMBER.fullmatch(start) else None)
        a, b = Fraction(start), Fraction(end)
        bounds = (start, end, op == "..<") if a <= b else (end, start, False)
        if bounds[0] == bounds[1] and bounds[2]:
            bounds = (start, end, False)
        return Info("num", None, bounds, [start])

    def let_info(self, name: str) -> Info:
        """A name that sweeps its list."""
        let = self.named.get(name)
        kind = self.lets.get(name)
        if let is None or let.items is None:
            return Info("num" if kind == "ints" else "str" if kind == "strs" else None)
        where_kind = {"ints": "num", "nums": "num", "swp": "num", "strs": "str"}.get(let.kind)
        info = self.values_info(let.items, where_kind)
        info.recipe = None
        return info

    def value_more(self, depth: int, indent: int) -> tuple[str, str, str | None] | None:
        """A value of a form the formatter's generator does not draw, or None."""
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            made = self.range_more()
            if made is not None:
                return made[0], made[1], "num"
            return None
        if r < 0.5:
            n = rng.randint(1, 3)
            if not self.sweep_size(n):
                return None
            form = rng.randrange(4)
            if form == 0:
                vals = [rng.choice(["true", "false"]) for _ in range(n)]
                self.info = Info("bool", vals, None, vals)
                return self.container("[", vals, "]", indent) + self.ws() + "*", "bool", "bool"
            if form == 1:  # any values: lists, objects, null
                vals = [self.static(depth + 1, indent + 2)[0] for _ in range(n)]
                self.info = Info(recipe=vals)
            elif form == 2:  # lists of strings
                vals = [self.container("[", [self.string() for _ in range(rng.randint(0, 2))], "]", indent + 2)
                        for _ in range(n)]
                self.info = Info(recipe=vals)
            else:  # scalars of every type
                vals = [self.scalar()[0] for _ in range(n)]
                self.info = Info(None, vals, None, vals)
            return self.container("[", vals, "]", indent) + self.ws() + "*", "any", None
        if r < 0.8:
            return self.name_value(indent)
        return None

    def name_value(self, indent: int) -> tuple[str, str, str | None] | None:
        """A value made of `let` names."""
        rng = self.rng
        choices: list[tuple[str, str]] = []
        for name, let in self.named.items():
            if let.kind in ("int", "pos", "fac", "float", "lo", "hi", "str"):
                choices.append(("scalar", name))
            if let.kind in ("ints", "strs", "nums", "objs"):
                choices.append(("sweep", name))
            if let.kind in ("ints", "strs", "nums", "obj"):
                choices.append(("static", name))
            if let.kind == "swp":
                choices.append(("swp", name))
        if not choices:
            return None
        how, name = rng.choice(choices)
        let = self.named[name]
        if how == "scalar":
            assert let.value is not None
            kind = "string" if let.kind == "str" else "int" if let.kind in ("int", "pos", "fac") else "float"
            self.info = self.scalar_info(let.value, kind)
            self.info.recipe = None
            return name, kind, self.info.kind
        if how == "static":
            if self.chance(0.5):  # in a list, with other names
                statics = [n for n, lt in self.named.items() if lt.kind not in ("objs", "swp")]
                parts = [rng.choice(statics) if self.chance(0.6) else self.scalar()[0]
                         for _ in range(rng.randint(1, 3))]
                self.info = Info()
                return self.container("[", parts, "]", indent), "list", None
            self.info = Info()
            return name, "object" if let.kind == "obj" else "list", None
        if not self.sweep_size(let.size):
            return None
        self.info = self.let_info(name) if let.kind != "objs" else Info()
        return name + ("" if how == "swp" else self.ws() + "*"), "any", self.info.kind

    def range_text(self, words: list[str]) -> str:
        out = ""
        for w in words:
            if w in ("step", "count"):
                out += self.ws1() + w + self.ws1()
            elif w in ("..", "..<", "*"):
                out += self.ws() + w + self.ws()
            else:
                out += w
        return out

    def range_more(self) -> tuple[str, str, int] | None:
        """A range of a form the formatter's generator does not draw, names as
        bounds included: text, schema type, number of values."""
        rng = self.rng
        a, d = rng.randint(-3, 3), rng.randint(0, 3)
        forms: list[tuple[list[str], str, int]] = [
            ([str(a), "..<", str(a + 2 * d + 1), "step", "2"], "int", d + 1),
            ([str(a + d), "..<", str(a - 1), "step", "-1"], "int", d + 1),
            ([str(a), "..", str(a)], "int", 1),
            (["0", "..", "4", "step", "2.0"], "float", 3),
            (["0.5", "..", "2", "step", "0.5"], "float", 4),
            (["0.0", "..", "0.3", "step", "0.1"], "float", 4),
            (["-2.5e-3", "..", "2.5e-3", "step", "2.5E-3"], "float", 3),
            (["1", "..<", "27", "step", "*", "3"], "int", 3),
            (["-1", "..", "-8", "step", "*", "2"], "int", 4),
            (["1e-1", "..", "1e-4", "step", "*", "0.1"], "float", 4),
            (["8", "..", "1", "step", "*", "0.5"], "float", 4),
            (["1E2", "..<", "1e4", "step", "*", "1E1"], "float", 2),
            (["0", "..", "10", "count", "3"], "int", 3),
            (["10", "..", "0", "count", "3"], "int", 3),
            (["-1.5", "..", "1.5", "count", str(d + 2)], "float", d + 2),
            (["0", "..<", "1", "count", str(d + 2)], "float", d + 2),
            ([str(a), "..", str(a), "count", "1"], "int", 1),
            (["10000000000000000000", "..", "10000000000000000002"], "int", 3),
        ]
        named: list[tuple[list[str], str, int]] = []  # names as bounds, step, factor and count
        for name, let in self.named.items():
            if let.value is None:
                continue
            v = Fraction(let.value) if let.kind in ("int", "pos", "fac", "float") else None
            if let.kind == "int" and v is not None:
                named += [(["0", "..", name], "int", int(v) + 1), ([name, "..", "3"], "int", 4 - int(v)),
                          ([name, "..", name, "count", "1"], "int", 1)]
            elif let.kind == "pos" and v is not None:
                named += [(["0", "..<", name], "int", int(v)), (["0", "..", "6", "step", name], "int", 6 // int(v) + 1)]
            elif let.kind == "fac" and v is not None:
                named += [(["1", "..", "27", "step", "*", name], "int", 5 if v == 2 else 4),
                          (["0", "..", "1", "count", name], "float", int(v))]
            elif let.kind == "float" and v is not None:
                named += [([name, "..", "4.0", "step", "0.5"], "float", int((4 - v) * 2) + 1),
                          (["0", "..", name, "count", "3"], "float", 3)]
        words, kind, n = rng.choice(named if named and self.chance(0.5) else forms)
        if not self.sweep_size(n):
            return None
        self.info = self.range_info(words)
        return self.range_text(words), kind, n

    def range_of(self, n: int) -> tuple[str, str, Info]:
        """A range of exactly n values (for `zip`)."""
        rng = self.rng
        a = rng.randint(-3, 3)
        forms: list[tuple[list[str], str]] = [
            ([str(a), "..", str(a + n - 1)], "int"),
            ([str(a), "..<", str(a + n)], "int"),
            (["0.0", "..", f"{n - 1}.0", "step", "1.0"], "float"),
            (["1", "..", str(2 ** (n - 1)), "step", "*", "2"], "int"),
        ]
        if n >= 2:
            forms += [([str(a + n - 1), "..", str(a), "step", "-1"], "int"),
                      (["0", "..", "1", "count", str(n)], "float")]
        words, kind = rng.choice(forms)
        return self.range_text(words), kind, self.range_info(words)

    # containers ---------------------------------------------------------------
    def object_full(self, depth: int, indent: int, sweeps: bool) -> tuple[str, str]:
        """An object (with `zip` and `variants` when sweeps may stand);
        `self.info` says which keys `where` may test inside it and how an
        extending file may override it."""
        scope: set[str] = set()
        items: list[str] = []
        fields: list[str] = []
        paths: list[WhereKey] = []
        recipe: dict[str, Recipe] = {}
        for _ in range(self.rng.randint(0, 3)):
            r = self.rng.random()
            if sweeps and r < 0.1:
                text, _, keys, more = self.zip_full(scope, depth, indent + 2, optional=False)
            elif sweeps and r < 0.2 and depth < 3:
                text, _, keys, more = self.variants_full(scope, depth, indent + 2, optional=False)
            else:
                name = self.key_name(scope)
                if sweeps:
                    value, kind, _ = self.value(depth, indent + 2, scope)
                    info = self.info
                else:
                    value, kind = self.static(depth, indent + 2)
                    info = Info(recipe=[value])
                text = self.entry(name, value, indent + 2)
                more = [self.field(name, kind, optional=False, info=info)]
                keys = info.where_keys(name)
                if info.recipe is not None:
                    recipe[name] = info.recipe
            items.append(text)
            fields += more
            paths += keys
        text = self.container("{", items, "}", indent)
        self.info = Info(recipe=recipe, paths=paths)
        if self.chance(0.5):
            return text, self.container("{", fields, "}", indent)  # its own schema
        return text, "object"

    def column(self, n: int, depth: int, indent: int) -> tuple[str, str, Info]:
        """A `zip` column of n values: text, schema type, what it can be."""
        rng = self.rng
        r = rng.random()
        if r < 0.35:
            form = rng.randrange(3)
            if form == 0:
                vals = [self.number()[0] for _ in range(n)]
                info, kind = self.values_info(vals, "num"), "float"
            elif form == 1:
                vals = [self.string() for _ in range(n)]
                info, kind = self.values_info(vals, "str"), "string"
            else:
                vals = [rng.choice(["true", "false"]) for _ in range(n)]
                info, kind = Info("bool", vals, None, vals), "bool"
            return self.container("[", vals, "]", indent), kind, info
        if r < 0.55:
            return self.range_of(n)
        names = [name for name, let in self.named.items() if let.size == n and let.kind in ("ints", "strs", "nums")]
        if r < 0.7 and names:
            name = rng.choice(names)
            return name, "any", self.let_info(name)
        if r < 0.85:
            vals = [self.static(depth + 1, indent + 2)[0] for _ in range(n)]
            return self.container("[", vals, "]", indent), "any", Info()
        vals = [self.scalar()[0] for _ in range(n)]
        return self.container("[", vals, "]", indent), "any", Info(None, vals, None, vals)

    def zip_full(self, scope: set[str], depth: int, indent: int,
                 optional: bool) -> tuple[str, list[str], list[WhereKey], list[str]]:
        """A `zip` block: its text, keys, keys `where` may test, schema fields."""
        n = self.rng.randint(1, 3)
        if not self.sweep_size(n):
            n = 1
        keys = [self.key_name(scope) for _ in range(self.rng.randint(1, 3))]
        entries: list[str] = []
        fields: list[str] = []
        wkeys: list[WhereKey] = []
        for k in keys:
            text, kind, info = self.column(n, depth, indent + 2)
            entries.append(self.entry(k, text, indent + 2))
            fields.append(self.field(k, kind, optional=optional, info=info))
            wkeys += info.where_keys(k)
        return "zip" + self.ws() + self.container("{", entries, "}", indent), keys, wkeys, fields

    def variants_full(self, scope: set[str], depth: int, indent: int,
                      optional: bool) -> tuple[str, list[str], list[WhereKey], list[str]]:
        """A `variants` block (alternatives may hold `zip` and `variants`; a
        key may be set by every alternative): text, keys, keys `where` may
        test, schema fields."""
        rng = self.rng
        saved = self.room
        shared = self.key_name(scope) if self.chance(0.3) else None
        keys: list[str] = []
        wkeys: list[WhereKey] = []
        fields: list[str] = []
        alts: list[str] = []
        shared_seen: list[tuple[str, Info]] = []
        n_alts = rng.randint(1, 3)
        for _ in range(n_alts):
            self.room = 2
            items: list[str] = []
            for _ in range(rng.randint(0, 2)):
                r = rng.random()
                if r < 0.15:
                    text, more_keys, more_w, more_f = self.zip_full(scope, depth + 1, indent + 4, optional=True)
                elif r < 0.25 and depth < 2:
                    text, more_keys, more_w, more_f = self.variants_full(scope, depth + 1, indent + 4, optional=True)
                else:
                    name = self.key_name(scope)
                    value, kind, _ = self.value(depth + 1, indent + 4, set())
                    info = self.info
                    text, more_keys = self.entry(name, value, indent + 4), [name]
                    more_w, more_f = info.where_keys(name), [self.field(name, kind, optional=True, info=info)]
                items.append(text)
                keys += more_keys
                wkeys += more_w
                fields += more_f
            if shared is not None:
                value, kind, _ = self.value(depth + 1, indent + 4, set())
                shared_seen.append((kind, self.info))
                items.insert(rng.randint(0, len(items)), self.entry(shared, value, indent + 4))
            alts.append(self.container("{", items, "}", indent + 2))
        self.room = max(1, saved // (n_alts + 2))
        if shared is not None:
            keys.append(shared)
            kinds = {kind for kind, _ in shared_seen}
            kind, info = rng.choice(shared_seen)
            if len(kinds) == 1 and not kind.startswith("{") and len(shared_seen) == 1:
                fields.append(self.field(shared, kind, optional=optional, info=info))
            else:
                fields.append(self.field(shared, "any", optional=optional))
            where_kinds = {i.kind for _, i in shared_seen}
            if where_kinds <= {"num", "str"} or where_kinds == {"bool"}:  # (`<` takes a number or a string)
                wkeys += info.where_keys(shared)
        return "variants" + self.ws() + self.container("[", alts, "]", indent), keys, wkeys, fields

    # schema and where ---------------------------------------------------------
    def type_more(self, kind: str, info: Info) -> str | None:
        """A schema type for values of `kind` that can be what `info` says,
        of a form the formatter's generator does not draw (or None)."""
        rng = self.rng
        r = rng.random()

        def bar() -> str:
            return self.ws() + "|" + self.ws()

        if info.literals and r < 0.25:
            alts = list(dict.fromkeys(info.literals))
            if self.chance(0.5):
                alts.append(rng.choice(['"zz"', "0.25", "-3", "false", "null", "string", "list", "object"]))
            rng.shuffle(alts)
            return bar().join(alts)
        if info.bounds and kind in ("int", "float", "any") and r < 0.55:
            lo, hi, excl = info.bounds
            typ = "int" if kind == "int" and _INT.fullmatch(lo) and _INT.fullmatch(hi) else "float"
            if typ == "float" and self.chance(0.5):
                names = {let.kind: name for name, let in self.named.items() if let.kind in ("lo", "hi")}
                # (the names are -1e30 and 1e30: only for values within them, strictly for `..<`)
                if "lo" in names and self.chance(0.5) and Fraction(lo) >= Fraction("-1e30"):
                    lo = names["lo"]
                if "hi" in names:
                    excl_hi = self.chance(0.5)
                    if Fraction(hi) <= Fraction("1e30"):
                        hi, excl = names["hi"], excl_hi and Fraction(hi) < Fraction("1e30")
            out = typ + self.ws1() + "in" + self.ws1() + lo + self.ws() + ("..<" if excl else "..") + self.ws() + hi
            return out + (bar() + rng.choice(["null", "string", '"x"']) if self.chance(0.2) else "")
        if r < 0.75:
            base = {"bool": rng.choice(["bool", "true" + bar() + "false", "false" + bar() + "true"]),
                    "null": rng.choice(["null", "null" + bar() + "int"])}.get(kind, kind)
            extra = rng.sample(["string", "null", "list", "object", "bool", '"zz"', "0.5", "false", "int", "float"],
                               rng.randint(0, 2))
            alts = [base] + extra
            rng.shuffle(alts)
            return bar().join(alts)
        return None

    def where_expr(self, keys: list[WhereKey], depth: int) -> str:
        """A `where` expression over keys of known kinds: every operator."""
        rng = self.rng
        r = rng.random()
        if depth >= 3 or r < 0.5:
            return self.comparison(keys)
        if r < 0.62:
            return "not" + self.ws1() + self.where_expr(keys, depth + 1)
        if r < 0.74:
            return "(" + self.ws() + self.where_expr(keys, depth + 1) + self.ws() + ")"
        word = rng.choice(["and", "or"])
        parts = [self.where_expr(keys, depth + 1) for _ in range(rng.randint(2, 3))]
        parts = ["(" + p + ")" if self.chance(0.3) else p for p in parts]
        return (self.ws1() + word + self.ws1()).join(parts)

    def literal_for(self, key: WhereKey) -> str:
        rng = self.rng
        if key.samples and self.chance(0.5):
            return rng.choice(key.samples)
        if key.kind == "num":
            return rng.choice([str(rng.randint(-3, 3)), "0.5", "-1e-5", "1E3", "10000000000000000000000", "0.0"])
        if key.kind == "str":
            return rng.choice(['"a"', json.dumps("b#"), '""', '"""x"""', '"\\u00e9"', self.string()])
        return rng.choice(["true", "false"])

    def comparison(self, keys: list[WhereKey]) -> str:
        rng = self.rng
        key = rng.choice(keys)
        ws, ws1 = self.ws, self.ws1
        r = rng.random()
        if r < 0.03:  # literals alone
            return rng.choice(["true", "1 == 1", '"a" < "b"', "null == null", "not false"])
        if key.kind == "bool" and r < 0.2:
            return key.path
        if r < 0.3:
            opts = [self.literal_for(key) for _ in range(rng.randint(1, 3))]
            if self.chance(0.2):
                opts.insert(rng.randint(0, len(opts)), "null")
            word = rng.choice(["in", "not" + ws1() + "in"])
            return key.path + ws1() + word + ws() + self.container("[", opts, "]", 2)
        if r < 0.38:
            return key.path + ws() + rng.choice(["==", "!="]) + ws() + "null"
        if r < 0.45:
            inner = self.comparison([k for k in keys if k.kind != "bool"] or keys)
            truth = rng.choice(["true", "false"])
            return "(" + ws() + inner + ws() + ")" + ws() + rng.choice(["==", "!="]) + ws() + truth
        ops = ["==", "!="] if key.kind == "bool" else ["==", "!=", "<", "<=", ">", ">="]
        op = rng.choice(ops)
        same = [k for k in keys if k.kind == key.kind and k.path != key.path]
        if same and r < 0.55:
            return key.path + ws() + op + ws() + rng.choice(same).path
        if self.chance(0.2):
            return self.literal_for(key) + ws() + op + ws() + key.path
        return key.path + ws() + op + ws() + self.literal_for(key)

    # names ---------------------------------------------------------------------
    def lets_full(self) -> list[str]:
        """`let` lines of every kind (later ones may use earlier names)."""
        rng = self.rng
        items: list[str] = []
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            name = f"n{len(self.lets)}"
            kind = rng.choice(["int", "pos", "fac", "float", "lo", "hi", "str", "ints", "strs", "nums", "obj",
                               "objs", "swp"])
            numbers = [n for n, lt in self.named.items() if lt.kind in ("int", "pos", "fac", "float")]
            let = Let(kind)
            if kind in ("int", "pos", "fac"):
                low = {"int": 0, "pos": 1, "fac": 2}[kind]
                let.value = text = str(rng.randint(low, 3))
            elif kind == "float":
                let.value = text = rng.choice(["0.5", "1.5", "2.0"])
            elif kind in ("lo", "hi"):
                let.value = text = "-1e30" if kind == "lo" else "1e30"
            elif kind == "str":
                let.value = text = self.string()
            elif kind in ("ints", "strs"):
                let.items = ["0", "1"] if kind == "ints" else ['"x"', '"y"']
                let.size = 2
                text = self.container("[", let.items, "]", 0)
            elif kind == "nums":
                parts = [rng.choice(numbers) if numbers and self.chance(0.5) else self.number()[0]
                         for _ in range(rng.randint(1, 3))]
                let.items = [self.named[p].value or "" if p in self.named else p for p in parts]
                let.size = len(parts)
                text = self.container("[", parts, "]", 0)
            elif kind == "obj":
                scope: set[str] = set()
                parts = [self.entry(self.key_name(scope), rng.choice(numbers) if numbers and self.chance(0.5)
                                    else self.static(1, 2)[0], 2) for _ in range(rng.randint(0, 3))]
                text = self.container("{", parts, "}", 0)
            elif kind == "objs":  # swept objects through a name: 1 + 2 values
                inner = self.container("[", [self.number()[0], self.number()[0]], "]", 2) + self.ws() + "*"
                objs = ["{" + self.ws() + "p" + self.ws() + ":" + self.ws() + self.scalar()[0] + self.ws() + "}",
                        "{" + self.ws() + "p" + self.ws() + ":" + self.ws() + inner + self.ws() + "}"]
                rng.shuffle(objs)
                let.size = 3
                text = self.container("[", objs, "]", 0)
            else:  # a name that sweeps where it is used
                let.items = [self.number()[0] for _ in range(2)]
                let.size = 2
                text = self.container("[", let.items, "]", 0) + self.ws() + "*"
            self.lets[name] = kind
            self.named[name] = let
            items.append("let" + self.ws1() + name + self.ws() + "=" + self.ws() + text)
        return items

    # extends ---------------------------------------------------------------------
    def path_literal(self, target: Path) -> str:
        """How a file in `self.here` names `target`: relative (maybe `./`) or
        absolute, spelled with escapes now and then."""
        assert self.here is not None
        rel = os.path.relpath(target, self.here).replace(os.sep, "/")
        text = self.rng.choice([rel, rel, "./" + rel, str(target)])
        return _escape_letters(text, self.rng) if self.chance(0.3) else json.dumps(text)

    def make_base(self) -> Base:
        """Write a file of one document for `extends` and describe it."""
        assert self.folder is not None
        saved = (self.lets, self.named, self.room, self.here)
        self.lets, self.named = {}, {}
        folder = self.folder / "lib" if self.chance(0.3) else self.folder
        target = folder / f"b{self.fresh()[1:]}.mint"
        self.here = folder
        self.depth += 1
        text, base = self.document_full(base=True)
        self.depth -= 1
        if self.chance(0.2):
            text = self.comment() + "\n" + text
        if self.chance(0.1):  # (empty documents are not counted)
            text = self.rng.choice(["---\n", "# only a comment\n---\n"]) + text
        if self.chance(0.1):
            text += "\n---\n"
        if self.chance(0.1):
            text = text.replace("\n", "\r\n")
        folder.mkdir(exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
        self.bases[target] = text
        self.lets, self.named, self.room, self.here = saved
        base.file = target
        return base

    def override(self, recipe: Recipe) -> str | None:
        """A value an extending file may set where the base has `recipe`."""
        rng = self.rng
        if isinstance(recipe, list):
            if not recipe:
                return None
            k = rng.randint(1, 2)
            if self.chance(0.5) or not self.sweep_size(k):
                return rng.choice(recipe)
            return self.container("[", [rng.choice(recipe) for _ in range(k)], "]", 0) + self.ws() + "*"
        if isinstance(recipe, dict):
            entries = []
            for key, inner in recipe.items():
                text = self.override(inner) if self.chance(0.5) else None
                if text is not None:
                    entries.append(self.entry(key, text, 2))
            return self.container("{", entries, "}", 0)
        return None

    # documents -------------------------------------------------------------------
    def document_full(self, base: bool) -> tuple[str, Base]:
        """A document of every construct; for a base file (`base`), also what
        a document extending it may do."""
        rng = self.rng
        self.room = (4 if self.issue13 else 6) if base else 12 if self.issue13 else 24  # (issue13: bigger configs)
        scope: set[str] = set()
        items: list[str] = []
        fields: list[str] = []
        keys: list[WhereKey] = []
        recipes: dict[str, Recipe] = {}
        all_keys: set[str] = set()
        inherited: Base | None = None
        if self.folder is not None and self.depth < 2 and self.chance(0.25):
            inherited = self.make_base()
            items.append("extends" + self.ws1() + self.path_literal(inherited.file))
            self.room = 2 if base else 4
            keys += inherited.keys
            recipes.update(inherited.recipes)
            all_keys |= inherited.all_keys
            scope |= inherited.all_keys
            if self.issue13 and not inherited.schema and self.chance(0.4):  # a second `extends`: keys apart
                second = self.make_base()
                if not second.schema and not second.all_keys & all_keys:
                    items.append("extends" + self.ws1() + self.path_literal(second.file))
                    keys += second.keys
                    recipes.update(second.recipes)
                    inherited.recipes.update(second.recipes)
                    all_keys |= second.all_keys
                    scope |= second.all_keys
                    inherited.deletable += second.deletable
        first = len(items)
        items += self.lets_full()
        after_lets = len(items)
        if inherited is not None:
            for key, recipe in inherited.recipes.items():
                if self.chance(0.5) and (text := self.override(recipe)) is not None:
                    items.append(self.entry(key, text, 0))
            if self.issue13 and not inherited.schema:
                items += [self.entry(key, "delete", 0) for key in inherited.deletable if self.chance(0.7)]
        reserved = list(inherited.reserved) if inherited is not None else []
        entries = 0
        counts = [0, 1, 2, 3, 4, 5, 5] if inherited is None else [0, 1, 1, 2]
        for _ in range(rng.choice(counts[:4] if self.issue13 else counts)):  # (issue13: its own items come too)
            r = rng.random()
            if inherited is not None and inherited.schema:
                if not reserved:
                    break
                name = reserved.pop(0)  # only keys its schema names may be added
            elif r < 0.2:
                make = self.zip_full if r < 0.1 else self.variants_full
                text, new_keys, more_w, more_f = make(scope, 0, 0, optional=False)
                items.append(text)
                fields += more_f
                keys += more_w
                all_keys |= set(new_keys)
                continue
            else:
                name = self.key_name(scope, plain=self.chance(0.5))
            value, kind, _ = self.value(0, 0, scope)
            info = self.info
            items.append(self.entry(name, value, 0))
            fields.append(self.field(name, kind, optional=False, info=info))
            keys += info.where_keys(name)
            all_keys.add(name)
            entries += 1
            if info.recipe is not None:
                recipes[name] = info.recipe
        if base and entries == 0 and not (inherited is not None and inherited.schema):
            name = self.key_name(scope, plain=True)
            text, kind = self.scalar()
            items.append(self.entry(name, text, 0))
            fields.append(self.field(name, kind, optional=False, info=self.scalar_info(text, kind)))
            keys += self.scalar_info(text, kind).where_keys(name)
            recipes[name] = [text]
            all_keys.add(name)
        if not base and inherited is None and self.chance(0.15):
            for _ in range(rng.randint(1, 2)):  # sampled keys: no `where` tests them
                name = self.key_name(scope, plain=True)
                items.append(self.entry(name, rng.choice(DISTRIBUTIONS), 0))
                fields.append(self.key(name) + self.ws() + ":" + self.ws() + "any")
                all_keys.add(name)
            items.append(rng.choice(SAMPLES))
        schema = inherited is not None and inherited.schema
        deletable: list[str] = []
        if self.issue13 and not schema:  # (a base's schema: only its reserved keys may be added)
            items += self.issue13_items(scope, fields, keys, all_keys)
            if base and self.chance(0.6):  # a key for the extending file to delete
                name = self.fresh()
                items.append(self.entry(name, self.scalar()[0], 0))
                fields.append(self.key(name) + self.ws() + "?" + self.ws() + ":" + self.ws() + "any")
                all_keys.add(name)
                deletable.append(name)
        if inherited is None and self.chance(0.4 if base else 0.3):
            schema = True
            if base:  # keys a file extending this one may add
                for _ in range(rng.randint(0, 2)):
                    name = self.fresh()
                    reserved.append(name)
                    fields.append(self.key(name) + self.ws() + "?" + self.ws() + ":" + self.ws() + "any")
            rng.shuffle(fields)
            schema_text = "schema" + self.ws() + self.container("{", fields, "}", 0)
            items.insert(rng.randint(after_lets, len(items)), schema_text)
        if keys:
            for _ in range(rng.choice([0, 1, 1, 2])):
                items.insert(rng.randint(first, len(items)), "where" + self.ws1() + self.where_expr(keys, 0))
        if self.novel and not schema:  # (schema.py cannot type a computed value yet: issue 13)
            items += self.novel_items(scope)
        return self.seq(items, 0), Base(Path(), recipes, keys, all_keys, schema, reserved, deletable)

    # issue 13: expressions, config paths, dotted keys, `import`, `delete` -----
    def novel_items(self, scope: set[str]) -> list[str]:
        """Items of the syntax issue 13 added (see the module's docstring)."""
        rng = self.rng
        items: list[str] = []
        if self.chance(0.4):
            self.counter += 1
            alias = f"m{self.counter}"
            items.append("import" + self.ws1() + json.dumps(rng.choice(["lib.mint", "prompts.mint", "../p.mint"]))
                         + self.ws1() + "as" + self.ws1() + alias)
            items.append(self.entry(self.key_name(scope, plain=True), alias + "." + self.fresh(), 0))
        for _ in range(rng.randint(1, 4)):
            r = rng.random()
            if r < 0.45:
                items.append(self.entry(self.key_name(scope, plain=True), self.arith(0), 0))
            elif r < 0.6:
                items.append(self.dotted_key() + self.ws() + ":" + self.ws() + self.operand(1))
            elif r < 0.7:
                items.append(self.entry(self.novel_key(scope), "delete", 0))
            elif r < 0.8:
                items.append(self.entry(self.novel_key(scope), rng.choice(_SEPARATED)[0], 0))
            elif r < 0.9:
                items.append("where" + self.ws1() + self.test(0))
            else:
                items.append(self.entry(self.novel_key(scope), self.test(0), 0))
        return items

    def novel_key(self, scope: set[str]) -> str:
        """A key: fresh, or one of the words issue 13 added."""
        word = self.rng.choice(NEW_KEYWORDS)
        if self.chance(0.3) and word not in scope:
            scope.add(word)
            return word
        return self.key_name(scope, plain=True)

    def dotted_key(self) -> str:
        """`a.b.c` (parts bare, quoted or words of the language)."""
        parts = [self.fresh()]
        for _ in range(self.rng.randint(1, 2)):
            r = self.rng.random()
            part = self.fresh() if r < 0.6 else self.rng.choice(NEW_KEYWORDS + ["step", "where"]) if r < 0.8 \
                else json.dumps(self.rng.choice(["x y", "a.b", "k"]))
            parts.append(part)
        return (self.ws() + "." + self.ws()).join(parts)

    def config_path(self) -> str:
        """`${a.b}`, blanks allowed inside."""
        parts = [self.fresh() if self.chance(0.8) else json.dumps("x y") for _ in range(self.rng.randint(1, 3))]
        return "${" + self.ws() + (self.ws() + "." + self.ws()).join(parts) + self.ws() + "}"

    def operand(self, depth: int) -> str:
        """An operand of an expression."""
        rng = self.rng
        r = rng.random()
        if depth >= 3 or r < 0.45:
            q = rng.random()
            if q < 0.25:
                return self.number()[0] if self.chance(0.6) else rng.choice(_SEPARATED)[0]
            if q < 0.5:
                return self.config_path()
            if q < 0.65 and self.lets:
                return rng.choice(sorted(self.lets))
            if q < 0.8:
                return self.string()
            return rng.choice(["true", "false", "null", "[1, 2]"])
        if r < 0.6:
            return "-" + self.ws() + self.operand(depth + 1)
        if r < 0.75:
            return "(" + self.ws() + self.arith(depth + 1) + self.ws() + ")"
        name = rng.choice(["min", "max", "round", "int", "float", "str", "len"])
        args = [self.arith(depth + 1) for _ in range(2 if name in ("min", "max", "round") else 1)]
        return name + "(" + self.ws() + ("," + self.ws()).join(args) + self.ws() + ")"

    def arith(self, depth: int) -> str:
        """An arithmetic expression, or `if ... then ... else ...`."""
        if depth < 3 and self.chance(0.15):
            return ("if" + self.ws1() + self.test(depth + 1) + self.ws1() + "then" + self.ws1() + self.sum_(depth + 1)
                    + self.ws1() + "else" + self.ws1() + self.arith(depth + 1))
        return self.sum_(depth)

    def sum_(self, depth: int) -> str:
        """Operands joined by operators of arithmetic."""
        out = self.operand(depth)
        if depth < 3:
            for _ in range(self.rng.choice([0, 1, 1, 2])):
                out += self.ws1() + self.rng.choice(_OPERATORS) + self.ws1() + self.operand(depth + 1)
        return out

    def test(self, depth: int) -> str:
        """A condition: a comparison, `in`, `not`, `and`/`or`."""
        rng = self.rng
        r = rng.random()
        if depth >= 3 or r < 0.5:
            op = rng.choice(["==", "!=", "<", "<=", ">", ">="])
            return self.sum_(depth + 1) + self.ws() + op + self.ws() + self.sum_(depth + 1)
        if r < 0.65:
            word = rng.choice(["in", "not" + self.ws1() + "in"])
            options = self.container("[", [self.number()[0] for _ in range(2)], "]", 2) if self.chance(0.6) \
                else rng.choice(sorted(self.lets) or ["allowed"])
            return self.fresh() + self.ws1() + word + self.ws1() + options
        if r < 0.8:
            return "not" + self.ws1() + self.test(depth + 1)
        return self.test(depth + 1) + self.ws1() + rng.choice(["and", "or"]) + self.ws1() + self.test(depth + 1)

    # issue 13, valid uses only: what the compiled properties run over ----------
    def block_string(self) -> str:
        """A dedented block string (`\"\"\"` then a line break), its lines
        indented at least as the closing `\"\"\"` (or text before the closing
        quotes: only the opening break is dropped)."""
        rng = self.rng
        indent = rng.choice(["", "  ", "    ", "\t", " \t"])
        lines = []
        for _ in range(rng.randint(1, 3)):
            text = "".join(rng.choice(_BLOCK_CHARS) for _ in range(rng.randint(0, 8)))
            lines.append("" if not text.strip(" \t") else indent + rng.choice(["", " ", "\t"]) + text)
        body = "\n".join(lines)
        head = '"""' + rng.choice(["", "", " ", "\t"]) + "\n"
        if '"""' in body or "$" in body:
            return head + indent + '"""'
        if self.chance(0.3) and not body.endswith('"'):
            return head + body + '"""'
        return head + body + "\n" + indent + '"""'

    def int_literal(self, value: int) -> str:
        """An int, maybe with a digit separator (`1_2`)."""
        text = str(value)
        digits = text.lstrip("-")
        if len(digits) >= 2 and self.chance(0.4):
            at = self.rng.randint(1, len(digits) - 1)
            text = text[:len(text) - len(digits)] + digits[:at] + "_" + digits[at:]
        return text

    def int_source(self) -> tuple[str, list[int]]:
        """A value that is an int in every config: a sweep of ints, an int
        range or an int; its text and its values."""
        rng = self.rng
        r = rng.random()
        if r < 0.4 and self.sweep_size(2):
            values = rng.sample([-3, 0, 1, 2, 5, 12, 64, 1000], 2)
            return self.container("[", [self.int_literal(v) for v in values], "]", 0) + self.ws() + "*", values
        if r < 0.7 and self.sweep_size(2):
            a = rng.choice([-2, 0, 1, 10, 99])
            dots = rng.choice(["..", "..<"])
            end = a + 1 if dots == ".." else a + 2
            return self.int_literal(a) + self.ws() + dots + self.ws() + self.int_literal(end), [a, a + 1]
        value = rng.choice([0, 3, 7, 16, 1000])
        return self.int_literal(value), [value]

    def int_expr(self, paths: list[str], depth: int, where: bool = False,
                 strs: list[str] | None = None) -> tuple[str, Callable[[dict[str, int]], int]]:
        """An int-valued expression over int `paths` (each an int in every
        config), int literals and `let` ints, that cannot divide by zero:
        its text, and a function computing it from the paths' values (for a
        `where`, written with bare paths or `${...}`)."""
        rng = self.rng
        r = rng.random()
        if depth >= 2 or r < 0.35:
            q = rng.random()
            lets = {n: int(lt.value) for n, lt in self.named.items() if lt.kind in ("int", "pos", "fac") and lt.value}
            if q < 0.55 and paths:
                path = rng.choice(paths)
                text = path if where and self.chance(0.5) else "${" + path + "}"
                return text, lambda env: env[path]
            if q < 0.7 and lets:
                name = rng.choice(sorted(lets))
                return name, lambda env: lets[name]
            if q < 0.8 and strs and not where:
                return "len(" + self.ws() + "${" + rng.choice(strs) + "}" + self.ws() + ")", lambda env: 0
            value = rng.choice([0, 1, 2, 3, 10, 1000])
            return self.int_literal(value), lambda env: value
        a, fa = self.int_expr(paths, depth + 1, where, strs)
        if r < 0.65:
            b, fb = self.int_expr(paths, depth + 1, where, strs)
            op = rng.choice(["+", "-", "*"])
            fn = {"+": operator.add, "-": operator.sub, "*": operator.mul}[op]
            text = a + self.ws1() + op + self.ws1() + b
            return ("(" + self.ws() + text + self.ws() + ")" if depth else text), lambda env: fn(fa(env), fb(env))
        if r < 0.8:
            d = rng.randint(1, 7)
            op = rng.choice(["//", "%"])
            div = operator.floordiv if op == "//" else operator.mod
            return a + self.ws1() + op + self.ws1() + str(d), lambda env: div(fa(env), d)
        if r < 0.9:
            b, fb = self.int_expr(paths, depth + 1, where, strs)
            name = rng.choice(["min", "max"])
            pick = min if name == "min" else max
            return name + "(" + self.ws() + a + "," + self.ws() + b + self.ws() + ")", \
                lambda env: pick(fa(env), fb(env))
        return "-" + self.ws() + "(" + a + ")", lambda env: -fa(env)

    def int_test(self, paths: list[str], strs: list[str]) -> str:
        """A condition of `if` (true or false per config)."""
        rng = self.rng
        r = rng.random()
        if r < 0.15 and strs:
            return "${" + rng.choice(strs) + "}" + self.ws() + rng.choice(["==", "!="]) + self.ws() + '"x"'
        if r < 0.25:
            return "not" + self.ws1() + "(" + self.int_test(paths, strs) + ")"
        if r < 0.35:
            return self.int_test(paths, strs) + self.ws1() + rng.choice(["and", "or"]) + self.ws1() \
                + self.int_test(paths, strs)
        left = self.int_expr(paths, 1, strs=strs)[0]
        return left + self.ws() + rng.choice(["==", "!=", "<", "<=", ">", ">="]) + self.ws() + str(rng.randint(-2, 12))

    def true_where(self, paths: list[str], env: dict[str, int]) -> str:
        """A `where` with arithmetic that the config of the paths' first
        values passes (so that some config is kept)."""
        rng = self.rng
        text, fn = self.int_expr(paths, 0, where=True)
        v = fn(env)
        op = rng.choice(["==", "!=", "<", "<=", ">", ">="])
        k = rng.randint(0, 3)
        rhs = {"==": v, "!=": v + 1 + k, "<": v + 1 + k, "<=": v + k, ">": v - 1 - k, ">=": v - k}[op]
        if self.chance(0.2):
            return str(rhs) + self.ws() + {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op) + self.ws() + text
        return text + self.ws() + op + self.ws() + str(rhs)

    def computed(self, ints: list[str], strs: list[str]) -> tuple[str, str]:
        """A computed value (valid in every config): its text and its kind
        ("int", "float", "str" or "bool")."""
        rng = self.rng
        r = rng.random()
        ws, ws1 = self.ws, self.ws1
        if r < 0.35:
            return self.int_expr(ints, 0, strs=strs)[0], "int"
        if r < 0.5:
            return (self.int_expr(ints, 1, strs=strs)[0] + ws1() + rng.choice(["/", "*"]) + ws1()
                    + rng.choice(["4", "0.5", "2.5e-1", "1_0"])), "float"
        if r < 0.62:
            pieces = [rng.choice(["run-", "/", "x", "é", " ", "lr="]) if self.chance(0.5) else
                      "${" + rng.choice(ints + strs) + "}" for _ in range(rng.randint(1, 4))]
            if not any("${" in p for p in pieces):
                pieces.append("${" + rng.choice(ints + strs) + "}")
            quote = '"""' if self.chance(0.2) else '"'
            return quote + "".join(pieces) + quote, "str"
        if r < 0.72:
            text = "str(" + ws() + self.int_expr(ints, 1, strs=strs)[0] + ws() + ")"
            if strs and self.chance(0.5):
                text += ws1() + "+" + ws1() + '"-"' + ws1() + "+" + ws1() + "${" + rng.choice(strs) + "}"
            return text, "str"
        if r < 0.9:
            then, other = self.int_expr(ints, 1, strs=strs)[0], self.int_expr(ints, 1, strs=strs)[0]
            return ("if" + ws1() + self.int_test(ints, strs) + ws1() + "then" + ws1() + then + ws1() + "else" + ws1()
                    + other), "int"
        return self.int_test(ints, strs), "bool"

    def list_with_sweeps(self) -> str:
        """A list whose elements may be sweeps (one axis of lists)."""
        rng = self.rng
        elements = []
        for _ in range(rng.randint(1, 3)):
            r = rng.random()
            if r < 0.6 and self.sweep_size(2):
                elements.append(rng.choice([
                    self.container("[", [self.number()[0], self.number()[0]], "]", 2) + self.ws() + "*",
                    rng.choice(["0..1", "1..<3", "0.5..1 step 0.5", "1_0..1_1"]),
                    rng.choice(["0..1", "-1..<1", "1..2 step *2"]),
                    "{" + self.ws() + "p" + self.ws() + ":" + self.ws() + "[1, 2]" + self.ws() + "*" + self.ws() + "}",
                    "[" + self.ws() + "1," + self.ws() + "[2, 3]*" + self.ws() + "]",
                ]))
            else:
                elements.append(self.scalar()[0])
        return self.container("[", elements, "]", 0)

    def issue13_items(self, scope: set[str], fields: list[str], keys: list[WhereKey], all_keys: set[str]) -> list[str]:
        """Entries of a document in the syntax issue 13 added, each valid by
        construction: int and string sources (digit separators), dotted keys
        merged with an object, lists holding sweeps, computed values reading
        `${paths}` of keys every config has (arithmetic, `if`, functions,
        interpolation, a `let` read per config) and `where` with arithmetic.
        Their schema fields go into `fields`, the keys `where` may test into
        `keys`."""
        rng = self.rng
        items: list[str] = []
        ints: list[str] = []  # paths with an int in every config (not computed: `where` may test them)
        strs: list[str] = []  # paths with a string in every config
        env: dict[str, int] = {}  # the ints' first values

        def add(key: str, value: str, typ: str) -> None:
            items.append(key + self.ws() + ":" + self.ws() + value)
            name = key.split(".")[0].rstrip(" \t")
            if name not in all_keys:
                fields.append(name + self.ws() + ":" + self.ws() + typ)
                all_keys.add(name)
            scope.add(name)

        if self.chance(0.6):  # (first: its sweeps need room)
            add(self.fresh(), self.list_with_sweeps(), "list" if self.chance(0.5) else "any")
        for _ in range(rng.randint(1, 2)):
            name = self.fresh()
            text, values = self.int_source()
            add(name, text, "int" if self.chance(0.5) else "any")
            ints.append(name)
            env[name] = values[0]
            keys.append(WhereKey(name, "num", tuple(str(v) for v in values)))
        if self.chance(0.6):
            name = self.fresh()
            if self.sweep_size(2):
                add(name, self.container("[", ['"x"', '"y-z"'], "]", 0) + self.ws() + "*", "string")
            else:
                add(name, '"x"', "string")
            strs.append(name)
        if self.chance(0.6):  # `o.i: ...` merged with `o: { ... }` (either first), maybe deeper
            obj = self.fresh()
            path = [obj] + [self.fresh() for _ in range(rng.choice([1, 1, 2]))]
            text, values = self.int_source()
            dotted = (self.ws() + "." + self.ws()).join(path) + self.ws() + ":" + self.ws() + text
            items.append(dotted)
            other = self.fresh()
            if self.chance(0.6):
                inner = (path[1] + self.ws() + "." + self.ws() + other if len(path) > 2 and self.chance(0.5)
                         else other)
                block = obj + self.ws() + ":" + self.ws() + "{" + self.ws() + inner + self.ws() + ":" + self.ws() \
                    + self.scalar()[0] + self.ws() + "}"
                items.insert(len(items) - rng.randint(0, 1), block)
            fields.append(obj + self.ws() + ":" + self.ws() + "any")
            all_keys.add(obj)
            scope.add(obj)
            ints.append(".".join(path))
            env[".".join(path)] = values[0]
            keys.append(WhereKey(".".join(path), "num", tuple(str(v) for v in values)))
        readable = list(ints)
        for _ in range(rng.randint(1, 3)):
            text, kind = self.computed(readable, strs)
            name = self.fresh()
            if self.chance(0.2):  # a dotted key: into a new object
                key = name + self.ws() + "." + self.ws() + self.fresh()
                path = key.replace(" ", "").replace("\t", "")
            else:
                key = path = name
            add(key, text, "any")
            if kind == "int":
                readable.append(path)  # computed values may read one another
        if self.here is not None and self.chance(0.3):  # `import "pN.mint" as mN`: its `let` names
            self.counter += 1
            target = self.here / f"p{self.counter}.mint"
            lets = {"system": self.string(), "n": self.int_literal(rng.choice([2, 16, 1000])), "xs": "[1, 2]"}
            text = "".join("let" + self.ws1() + k + self.ws() + "=" + self.ws() + v + self.newlines(0)
                           for k, v in lets.items())
            self.here.mkdir(exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
            self.bases[target] = text
            alias = f"m{self.counter}"
            items.insert(0, "import" + self.ws1() + json.dumps(target.name) + self.ws1() + "as" + self.ws1() + alias)
            add(self.fresh(), alias + "." + rng.choice(["system", "n", "xs"]), "any")
            op = rng.choice(["+", "*", "//", "%"])
            read = "${" + rng.choice(ints) + "}"
            divisor = read if op in ("+", "*") else "max(" + self.ws() + "1," + self.ws() + read + self.ws() + ")"
            add(self.fresh(), alias + ".n" + self.ws1() + op + self.ws1() + (divisor if self.chance(0.5) else "2"),
                "any")
            if self.sweep_size(2):
                add(self.fresh(), alias + ".xs" + self.ws() + "*", "any")
        if self.chance(0.25):  # a `let` read per config
            let = f"n{len(self.lets)}"
            self.lets[let] = "cfg"
            items.append("let" + self.ws1() + let + self.ws() + "=" + self.ws() + '"${' + rng.choice(ints) + '}-' + '"')
            add(self.fresh(), let + self.ws1() + "+" + self.ws1() + '"final"', "any")
        if self.chance(0.6):
            items.insert(rng.randint(0, len(items)), "where" + self.ws1() + self.true_where(ints, env))
        return items
