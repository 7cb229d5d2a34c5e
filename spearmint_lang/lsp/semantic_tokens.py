"""Semantic tokens: colour from meaning, for editors without the TextMate grammar.

The tokens are the parser's own (the concrete tree keeps every token); the
AST says what each word means: a `Name` is a key, a `let` name, a use of
one, a schema type, or part of a `where` path (where `step` and `schema`
are keys, not keywords). Lines the parser blanked after a syntax error, and
a text that gave no tree at all, are lexed on their own and read by their
neighbours (a word before `:` is a key), so a file shows colour while it is
typed.

The legend uses the LSP's standard names, plus one modifier of our own:

| type | what |
|---|---|
| `property` | keys, in entries, schemas and `where` paths |
| `variable` | `let` names (`declaration` where defined; always `readonly`) |
| `keyword` | `let zip variants where extends schema step count in and or not sample seed import as if then else delete`; a `sample` line's method |
| `number`, `string`, `comment` | literals and comments |
| `enumMember` | `true`, `false`, `null` |
| `type` | schema types (`string`, `int`, ...) |
| `operator` | `* .. ..< == != < <= > >= \\| ? = + - / // % ** ${` and the `---` between documents |
| `function` | the name of a distribution (`uniform` in `uniform(0, 1)`) or of a function (`min`, `round`, ...) |

The modifier `sweep` marks what stands for several values: every token of
a sweep (`[...]*`, a range, a `zip` or `variants` block, a distribution) and
the key whose value is swept or sampled, so a theme can tell them from
static ones.

Tokens are sent in the relative five-integer form, columns in the
negotiated encoding, one token per line (a `\"\"\"` string over several lines
is split). Each full answer gets a result id; the last few token arrays of
each document are kept here so that a delta request gets only the edit
between two arrays.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence

import attrs
from lark import Token
from lark.exceptions import UnexpectedCharacters
from lsprotocol import types as lsp

from .. import nodes
from ..dynamic import DynamicValue
from ..grammar import keywords, lark
from ..sampling import METHODS, Distribution
from ..source import Source, Span
from .analysis import Analysis
from .positions import LineIndex, units

_T = lsp.SemanticTokenTypes
TOKEN_TYPES: tuple[str, ...] = (
    _T.Property.value, _T.Variable.value, _T.Keyword.value, _T.Number.value, _T.String.value,
    _T.Operator.value, _T.Comment.value, _T.Type.value, _T.EnumMember.value, _T.Function.value,
)
SWEEP = "sweep"
TOKEN_MODIFIERS: tuple[str, ...] = (
    lsp.SemanticTokenModifiers.Declaration.value, lsp.SemanticTokenModifiers.Readonly.value, SWEEP,
)
LEGEND = lsp.SemanticTokensLegend(token_types=list(TOKEN_TYPES), token_modifiers=list(TOKEN_MODIFIERS))

_TYPE = {name: i for i, name in enumerate(TOKEN_TYPES)}
_DECLARATION, _READONLY, _SWEEP = (1 << i for i in range(len(TOKEN_MODIFIERS)))

_PROPERTY = _TYPE["property"]
_VARIABLE = _TYPE["variable"]
_KEYWORD = _TYPE["keyword"]
_NUMBER = _TYPE["number"]
_STRING = _TYPE["string"]
_OPERATOR = _TYPE["operator"]
_COMMENT = _TYPE["comment"]
_TYPE_NAME = _TYPE["type"]
_CONSTANT = _TYPE["enumMember"]
_FUNCTION = _TYPE["function"]

_CONSTANTS = frozenset({"TRUE", "FALSE", "NULL"})
_OPERATORS = frozenset({"STAR", "DOTDOT", "COMPOP", "VBAR", "QMARK", "EQUAL", "DOCSEP",
                        "POW", "PLUS", "MINUS", "SLASH", "DSLASH", "PERCENT", "DOLLAR_BRACE"})
# What may follow the `*` of a sweep (`[1, 2]*`); before anything else a `*` multiplies.
_AFTER_SWEEP = frozenset({"_NL", "COMMA", "RSQB", "RBRACE", "RPAR", "DOCSEP"})
_STRINGS = frozenset({"STRING", "LONG_STRING"})
_NUMBERS = frozenset({"INT", "FLOAT"})
_NEWLINES = "_NL"  # newlines and comments: the grammar holds them in one terminal
_COMMENT_TEXT = re.compile(r"#[^\n]*")
_LINE_BREAK = re.compile(r"\n|\r")
_MAX_LEX_ERRORS = 200  # characters no terminal matches, skipped before giving up on the rest


Lexeme = tuple[str, str, int, int]
"""A token of the text: its terminal's name, its text, and the 1-based line
and code-point column where it starts (our positions, as in a `Span`)."""

Coloured = tuple[str, int, int, int, int]
"""A token to colour: its text, line, column, type index and modifier bits."""


@attrs.frozen
class Tagged:
    """A token as the client sees it: 0-based line, start and length in the
    client's units, index of its type and bits of its modifiers."""

    line: int
    char: int
    length: int
    type: int
    modifiers: int


# --- lexemes --------------------------------------------------------------------------------------


def _lex(source: Source, start: int, end: int) -> list[Lexeme]:
    """Lex the text from offset `start` to `end` with the grammar's terminals,
    past characters none of them matches; an unterminated string runs to the end of its line."""
    text = source.text
    out: list[Lexeme] = []
    pos = start
    for _ in range(_MAX_LEX_ERRORS):
        try:
            for tok in lark().lex(text[pos:end]):
                out.append((tok.type, str(tok), *source.position(pos + (tok.start_pos or 0))))
            return out
        except UnexpectedCharacters as exc:
            at = pos + (exc.pos_in_stream or 0)
        if text.startswith('"', at):
            stop = text.find("\n", at, end)
            stop = end if stop < 0 else stop
            out.append(("STRING", text[at:stop], *source.position(at)))
            pos = stop
        else:
            pos = at + 1
    return out


def lexemes(analysis: Analysis) -> list[Lexeme]:
    """Every token of the text in order: the concrete tree's, and for lines
    the parser blanked (or a text with no tree) the lexer's. Tree tokens and
    AST spans are placed by line and column, which are the file's even where
    a document was parsed from a text of its own (`documents`)."""
    source = analysis.source
    tree = analysis.unit.tree
    if tree is None:
        return _lex(source, 0, len(source.text))
    found: list[Lexeme] = []
    covered: set[int] = set()
    for tok in tree.scan_values(lambda v: isinstance(v, Token)):
        line = tok.line or 1
        found.append((tok.type, str(tok), line, tok.column or 1))
        if tok.type != _NEWLINES:
            covered.update(range(line, (tok.end_line or line) + 1))
    extra: list[Lexeme] = []
    for number in range(1, source.line_count + 1):
        if number in covered:
            continue
        content = source.line(number).strip()
        if content and not content.startswith("#"):
            begin = source.starts[number - 1]
            extra.extend(_lex(source, begin, begin + len(source.line(number))))
    if not extra:
        return found
    return sorted(found + extra, key=lambda t: (t[2], t[3]))


# --- meaning --------------------------------------------------------------------------------------

Place = tuple[int, int]  # a 1-based line and column


class _Places:
    """The places covered by some spans (merged), asked one place at a time."""

    def __init__(self, spans: list[tuple[Place, Place]]) -> None:
        self.starts: list[Place] = []
        self.ends: list[Place] = []
        for start, end in sorted(spans):
            if self.ends and start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def __contains__(self, place: Place) -> bool:
        at = bisect.bisect_right(self.starts, place) - 1
        return at >= 0 and place < self.ends[at]


@attrs.define
class _Meaning:
    """What the AST says about tokens: by where they start, and the spans of paths and sweeps."""

    at: dict[Place, tuple[int, int]]
    paths: _Places
    sweeps: _Places
    functions: _Places  # distributions' names (`uniform`, `tune.uniform`)


def _meaning(analysis: Analysis) -> _Meaning:
    path = analysis.source.path
    ast = analysis.unit.ast
    at: dict[Place, tuple[int, int]] = {}
    paths: list[tuple[Place, Place]] = []
    sweeps: list[tuple[Place, Place]] = []
    functions: list[tuple[Place, Place]] = []
    if ast is None:
        return _Meaning(at, _Places(paths), _Places(sweeps), _Places(functions))

    def mark(span: Span, kind: int, modifiers: int = 0) -> None:
        if span.source.path == path:  # (not a base's)
            at[span.line, span.column] = (kind, modifiers)

    def add(into: list[tuple[Place, Place]], span: Span) -> None:
        if span.source.path == path:
            into.append(((span.line, span.column), (span.end_line, span.end_column)))

    swept = {id(site.entry) for doc in ast.documents for site in analysis.sites(doc)
             if isinstance(site.lowered, (DynamicValue, Distribution))}
    for doc in ast.documents:
        for node in nodes.walk(doc):
            if isinstance(node, nodes.Entry):
                is_swept = isinstance(node.value, (nodes.ListSweep, nodes.RangeSweep, nodes.Distribution)) or \
                    id(node) in swept
                mark(node.key.span, _PROPERTY, _SWEEP if is_swept else 0)
                if is_swept:
                    add(sweeps, node.value.span)
            elif isinstance(node, nodes.Field):
                mark(node.key.span, _PROPERTY)
            elif isinstance(node, nodes.Let):
                mark(node.name.span, _VARIABLE, _DECLARATION | _READONLY)
            elif isinstance(node, nodes.Ref):
                mark(node.span, _VARIABLE, _READONLY)
            elif isinstance(node, nodes.TypeName):
                mark(node.span, _TYPE_NAME)
            elif isinstance(node, nodes.Path):
                add(paths, node.span)
            elif isinstance(node, nodes.Distribution):
                add(functions, node.name_span)
                add(sweeps, node.span)
            elif isinstance(node, nodes.Call):
                add(functions, node.name_span)
            elif isinstance(node, nodes.Keyword):
                mark(node.name.span, _PROPERTY)
            elif isinstance(node, nodes.SampleItem) and node.method_span is not None:
                mark(node.method_span, _KEYWORD)
            elif isinstance(node, (nodes.ListSweep, nodes.RangeSweep, nodes.Zip, nodes.Variants)):
                add(sweeps, node.span)
    return _Meaning(at, _Places(paths), _Places(sweeps), _Places(functions))


def _is_key(tokens: Sequence[Lexeme], i: int) -> bool:
    """Whether token `i` stands before `:` (or `?:`), where only a key can."""
    after = [t[0] for t in tokens[i + 1 : i + 3]]
    return after[:1] == ["COLON"] or after == ["QMARK", "COLON"]


def _before(tokens: Sequence[Lexeme], i: int, kind: str) -> bool:
    """Whether token `i` stands right before a token of terminal `kind`."""
    return i + 1 < len(tokens) and tokens[i + 1][0] == kind


def _is_method(tokens: Sequence[Lexeme], i: int) -> bool:
    """Whether NAME token `i` ends a `sample N [seed S]` line (read from the
    tokens, for lines the parser blanked): `sobol` in `sample 64 seed 7 sobol`."""
    kinds = [t[0] for t in tokens[max(0, i - 4) : i]]
    return tokens[i][1] in METHODS and (kinds[-2:] == ["SAMPLE", "INT"] or
                                        kinds[-4:] == ["SAMPLE", "INT", "SEED", "INT"])


def _comments(text: str, line: int, column: int) -> Iterator[Coloured]:
    """The comments inside a newline token that starts at (line, column)."""
    for match in _COMMENT_TEXT.finditer(text):
        before = text.rfind("\n", 0, match.start())
        here = line + text.count("\n", 0, match.start())
        col = column + match.start() if before < 0 else match.start() - before
        yield match.group(), here, col, _COMMENT, 0


def classify(analysis: Analysis) -> list[Coloured]:
    """Each coloured token as (text, line, column, type, modifiers), in order."""
    tokens = lexemes(analysis)
    meaning = _meaning(analysis)
    words = set(keywords())
    out: list[Coloured] = []
    for i, (kind, text, line, column) in enumerate(tokens):
        if kind == _NEWLINES:
            if "#" in text:
                out.extend(_comments(text, line, column))
            continue
        place = (line, column)
        found = meaning.at.get(place)
        if found is not None:
            token_type, modifiers = found
        elif kind in _STRINGS:
            token_type, modifiers = (_PROPERTY if _is_key(tokens, i) else _STRING), 0
        elif kind in _NUMBERS:
            token_type, modifiers = _NUMBER, 0
        elif kind in _OPERATORS:
            token_type, modifiers = _OPERATOR, 0
        elif kind == "NAME" and (place in meaning.functions or _before(tokens, i, "LPAR")):
            token_type, modifiers = _FUNCTION, 0  # a distribution's name (by its `(` on a line the parser blanked)
        elif kind == "NAME" and _is_method(tokens, i):
            token_type, modifiers = _KEYWORD, 0
        elif kind == "NAME" or kind in words:
            if place in meaning.paths or _is_key(tokens, i):
                token_type, modifiers = _PROPERTY, 0
            elif kind == "NAME":
                declared = i > 0 and tokens[i - 1][0] in ("LET", "AS")  # `let x =`, `import "f" as x`
                token_type, modifiers = _VARIABLE, (_DECLARATION | _READONLY) if declared else 0
            else:
                token_type, modifiers = (_CONSTANT if kind in _CONSTANTS else _KEYWORD), 0
        else:
            continue  # punctuation: brackets, `:`, `,`, `.`
        if kind == "STAR" and (i + 1 == len(tokens) or tokens[i + 1][0] in _AFTER_SWEEP) or place in meaning.sweeps:
            modifiers |= _SWEEP
        out.append((text, line, column, token_type, modifiers))
    out.sort(key=lambda t: (t[1], t[2]))  # (comments of a newline run that spans relexed lines)
    return out


# --- encoding -------------------------------------------------------------------------------------


class _Columns:
    """Our lines and columns to the client's lines and characters; a line of
    ASCII text in a text without CR (and not after a BOM) needs no counting."""

    def __init__(self, index: LineIndex) -> None:
        self.index = index
        self.plain = "\r" not in index.source.text
        self.line = 0
        self.fast = False

    def at(self, line: int, column: int) -> tuple[int, int]:
        if line != self.line:
            self.line = line
            self.fast = self.plain and self.index.source.line(line).isascii() and not (line == 1 and self.index.bom)
        if self.fast:
            return line - 1, column - 1
        pos = self.index.position(line, column)
        return pos.line, pos.character


def tagged(analysis: Analysis) -> list[Tagged]:
    """The tokens in the client's terms, one line each."""
    index = analysis.index
    columns = _Columns(index)
    out: list[Tagged] = []
    for text, line, column, token_type, modifiers in classify(analysis):
        if "\n" not in text and "\r" not in text:
            client_line, char = columns.at(line, column)
            length = len(text) if text.isascii() else units(text, index.encoding)
            out.append(Tagged(client_line, char, length, token_type, modifiers))
            continue
        for piece, piece_line, piece_column in _pieces(text, line, column):
            if piece:
                client_line, char = columns.at(piece_line, piece_column)
                out.append(Tagged(client_line, char, units(piece, index.encoding), token_type, modifiers))
    return out


def _pieces(text: str, line: int, column: int) -> Iterator[tuple[str, int, int]]:
    """A token's parts on each line the client sees (LF ends one of our lines
    too; a lone CR ends only the client's), with where each part starts."""
    start = 0
    for brk in _LINE_BREAK.finditer(text):
        yield text[start : brk.start()], line, column
        if brk.group() == "\n":
            line, column = line + 1, 1
        else:
            column += brk.end() - start
        start = brk.end()
    yield text[start:], line, column


def encode(tokens: Sequence[Tagged]) -> list[int]:
    """The LSP's relative form: five integers a token, each position from the one before."""
    data: list[int] = []
    line = char = 0
    for tok in tokens:
        if tok.line != line:
            char = 0
        data += (tok.line - line, tok.char - char, tok.length, tok.type, tok.modifiers)
        line, char = tok.line, tok.char
    return data


def decode(data: Sequence[int]) -> list[Tagged]:
    """The tokens of an encoded array (for tests and tools)."""
    out: list[Tagged] = []
    line = char = 0
    for i in range(0, len(data) - 4, 5):
        delta_line, delta_char, length, token_type, modifiers = data[i : i + 5]
        line += delta_line
        char = char + delta_char if delta_line == 0 else delta_char
        out.append(Tagged(line, char, length, token_type, modifiers))
    return out


# --- requests -------------------------------------------------------------------------------------

_KEPT_PER_DOCUMENT = 3
_KEPT_DOCUMENTS = 32
_kept: OrderedDict[str, OrderedDict[str, list[int]]] = OrderedDict()  # uri -> result id -> data
_lock = threading.Lock()
_ids = itertools.count(1)


def _keep(uri: str, data: list[int]) -> str:
    """Remember an answer's array under a new result id (a few per document, a few documents)."""
    with _lock:
        result_id = str(next(_ids))
        arrays = _kept.pop(uri, None) or OrderedDict()
        arrays[result_id] = data
        while len(arrays) > _KEPT_PER_DOCUMENT:
            arrays.popitem(last=False)
        _kept[uri] = arrays
        while len(_kept) > _KEPT_DOCUMENTS:
            _kept.popitem(last=False)
        return result_id


def _kept_array(uri: str, result_id: str) -> list[int] | None:
    with _lock:
        return _kept.get(uri, OrderedDict()).get(result_id)


def semantic_tokens_full(analysis: Analysis) -> lsp.SemanticTokens:
    """Every token of the document."""
    data = encode(tagged(analysis))
    return lsp.SemanticTokens(data=data, result_id=_keep(analysis.uri, data))


def edit(old: Sequence[int], new: Sequence[int]) -> list[lsp.SemanticTokensEdit]:
    """The one edit (or none) that turns `old` into `new`: whole tokens between a common prefix and suffix."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix : prefix + 5] == new[prefix : prefix + 5]:
        prefix += 5
    suffix = 0
    while suffix < limit - prefix and old[len(old) - suffix - 5 : len(old) - suffix] == \
            new[len(new) - suffix - 5 : len(new) - suffix]:
        suffix += 5
    if prefix == len(old) == len(new):
        return []
    return [lsp.SemanticTokensEdit(start=prefix, delete_count=len(old) - prefix - suffix,
                                   data=list(new[prefix : len(new) - suffix]))]


def semantic_tokens_delta(analysis: Analysis, previous_result_id: str) -> lsp.SemanticTokens | lsp.SemanticTokensDelta:
    """The edit from the array answered as `previous_result_id`; every token
    when that array is no longer kept."""
    old = _kept_array(analysis.uri, previous_result_id)
    if old is None:
        return semantic_tokens_full(analysis)
    data = encode(tagged(analysis))
    return lsp.SemanticTokensDelta(edits=edit(old, data), result_id=_keep(analysis.uri, data))


def semantic_tokens_range(analysis: Analysis, rng: lsp.Range) -> lsp.SemanticTokens:
    """The tokens that overlap `rng`."""
    start = (rng.start.line, rng.start.character)
    end = (rng.end.line, rng.end.character)
    inside = [t for t in tagged(analysis) if (t.line, t.char) < end and (t.line, t.char + t.length) > start]
    return lsp.SemanticTokens(data=encode(inside))
