"""Completion: the words of the language, `let` names, the keys of the
schema and its literal alternatives, `where` paths and operators, the
distributions (as snippets) and the words of a `sample` line, and the files
an `extends` may name.

Completion runs while the user types, on text that often does not parse at
the cursor. So the context is read from the text of the cursor's line up to
the cursor (a `where` expression through the grammar's own parser, which
says what may follow), and what is offered comes from the analysis: the
AST, the schema, the lowered document (whose key paths include its base's).
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Callable, Sequence

import attrs
from lark.exceptions import LarkError
from lsprotocol import types as lsp

from .. import nodes
from ..grammar import item_words, keywords, lark, value_words
from ..sampling import METHODS
from ..where import path_kinds
from .analysis import Analysis

_MAX_DETAIL = 60
MAX_LISTED = 2_000
"""Folder entries read, at most, to complete a file name after `extends "`."""
MAX_FILES = 200
"""File and folder names offered, at most, after `extends "`."""
MAX_PATHS = 1_000
"""Past this many key paths, a `where` offers only the first level of keys."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_WORD_TAIL = re.compile(r"[A-Za-z0-9_.-]*$")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_-]*|\S')
_WHERE_LINE = re.compile(r"\s*where(?=[\s(])(?!\s*:)")
_EXTENDS_LINE = re.compile(r'\s*extends\s+"([^"\\]*)$')
# `${` before the cursor, not closed (and not `$${`, a literal): the key path typed so far.
_INTERPOLATION = re.compile(r"(?<!\$)\$\{((?:[A-Za-z_][A-Za-z0-9_-]*\.)*)([A-Za-z_][A-Za-z0-9_-]*)?$")
_SCHEMA_LINE = re.compile(r"\s*schema\s*\{")
_LET_VALUE = re.compile(r"\s*let[ \t]+[A-Za-z_][A-Za-z0-9_-]*[ \t]*=[ \t]*$")
_ZIP_LINE = re.compile(r"\s*zip\b(?![ \t]*:)")
_VARIANTS_LINE = re.compile(r"\s*variants\b(?![ \t]*:)")
_SAMPLE_START = re.compile(r"\s*sample[ \t]+(?!\??[ \t]*:)")
_NUMBER_OR_NAME = r"(?:[0-9]+|[A-Za-z_][A-Za-z0-9_-]*)"
_SAMPLE_LINE = re.compile(
    rf"\s*sample[ \t]+{_NUMBER_OR_NAME}(?P<seed>[ \t]+seed[ \t]+{_NUMBER_OR_NAME})?[ \t]+[A-Za-z]*$")

DISTRIBUTIONS: tuple[tuple[str, str, str, frozenset[str]], ...] = (
    ("uniform", "uniform(${1:low}, ${2:high})", "every value of [low, high) equally likely", frozenset({"float"})),
    ("loguniform", "loguniform(${1:low}, ${2:high})", "uniform in log space, 0 < low < high", frozenset({"float"})),
    ("randint", "randint(${1:low}, ${2:high})", "an integer of low, ..., high - 1 (high excluded)",
     frozenset({"int", "float"})),
    ("normal", "normal(${1:mu}, ${2:sigma})", "the normal distribution", frozenset({"float"})),
    ("lognormal", "lognormal(${1:mu}, ${2:sigma})", "exp of normal(mu, sigma)", frozenset({"float"})),
    ("choice", 'choice([${1:"a", "b"}])', "one of the values; `weights: [...]` makes some likelier", frozenset()),
)
"""The distributions offered where a key's value goes: name, snippet, what it
draws, and the schema types (besides `any`) its values fit (`choice`: any)."""

_METHOD_DETAILS = {
    "random": "the default: each value drawn from (seed, config, key path)",
    "sobol": "a scrambled Sobol' sequence (needs scipy)",
    "halton": "a scrambled Halton sequence (needs scipy)",
    "lhs": "a Latin hypercube (needs scipy)",
}

_LITERAL_TOKENS = {"STRING", "LONG_STRING", "INT", "FLOAT", "TRUE", "FALSE", "NULL"}
_CONNECTIVES = {
    "AND": "both sides hold",
    "OR": "either side holds",
    "IN": "one of the listed values: `in [...]`",
    "NOT": "negation",
}

Token = tuple[str, str]  # a terminal's name and its text


def in_value_position(prefix: str) -> bool:
    """Whether the cursor (after `prefix` on its line) stands where a value goes, not a key."""
    in_string = False
    last = ""
    brackets: list[str] = []
    for ch in prefix:
        if ch == '"':
            in_string = not in_string
        elif in_string:
            continue
        elif ch == "#":
            break
        elif ch in "{[(":
            brackets.append(ch)
            last = ch
        elif ch in "}])":
            if brackets:
                brackets.pop()
            last = ch
        elif ch in ":,=":
            last = ch
    if last in (":", "=", "[", "("):
        return True
    return last == "," and bool(brackets) and brackets[-1] in "[("


def _string_end(text: str, at: int) -> int | None:
    """The offset after the string that opens at `at`, or None if it stays open."""
    if text.startswith('"""', at):
        end = text.find('"""', at + 3)
        return None if end < 0 else end + 3
    i = at + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == '"':
            return i + 1
        else:
            i += 1
    return None


def _typing(text: str) -> tuple[int, bool] | None:
    """Where the token being typed at the end of `text` starts, and whether it is
    a string still open; None when `text` ends in a comment."""
    at = 0
    while at < len(text):
        if text[at] == "#":
            return None
        if text[at] == '"':
            end = _string_end(text, at)
            if end is None:
                return at, True
            at = end
        else:
            at += 1
    found = _WORD_TAIL.search(text)
    return (found.start() if found else len(text)), False


@attrs.define
class _Frame:
    """A bracket opened on the cursor's line, and the key being given a value in it."""

    bracket: str
    key: str | None = None
    after_colon: bool = False  # the bracket opens a key's value


def _key_text(token: str) -> str | None:
    """A key's name from its token (an identifier or a quoted string)."""
    if _NAME.fullmatch(token):
        return token
    if token.startswith('"'):
        try:
            decoded = json.loads(token)
        except ValueError:
            return None
        return decoded if isinstance(decoded, str) else None
    return None


def _line_keys(prefix: str) -> tuple[tuple[str, ...], str | None, bool]:
    """From the text before the cursor on its line: the keys of the objects opened
    on it around the cursor; the key whose value (or list-sweep element) goes at
    the cursor, if any; and whether the line opened nothing and the cursor stands
    where the next element of what encloses the line may go."""
    frames = [_Frame("{")]
    prev = ""
    for token in _TOKEN.findall(prefix):
        top = frames[-1]
        if token == "#":
            break
        if token == ":" and top.bracket == "{":
            top.key = _key_text(prev)
        elif token in ("{", "["):
            frames.append(_Frame(token, after_colon=prev == ":"))
        elif token in ("}", "]"):
            if len(frames) > 1:
                frames.pop()
        elif token == "," and top.bracket == "{":
            top.key = None
        prev = token
    top = frames[-1]
    outer = frames[:-1]
    key = None
    if top.bracket == "{" and prev == ":":
        key = top.key
    elif top.bracket == "[" and prev in ("[", ",") and top.after_colon and frames[-2].bracket == "{":
        outer, key = frames[:-2], frames[-2].key
    bare = len(frames) == 1 and prev in ("", ",")
    return tuple(f.key for f in outer if f.bracket == "{" and f.key is not None), key, bare


def _enclosing(items: Sequence[nodes.Node], line: int, column: int) -> tuple[tuple[str, ...], bool]:
    """The keys of the objects and lists (as values) opened on earlier lines
    around the cursor (those opened on its own line are read from its text),
    and whether the innermost is a list, whose elements are values of the last key."""
    for item in items:
        if isinstance(item, nodes.Entry):
            value = item.value.items if isinstance(item.value, nodes.ListSweep) else item.value
            span = value.span
            if not (span.line < line and (line, column) < (span.end_line, span.end_column)):
                continue
            if isinstance(value, nodes.ObjectValue):
                inner, listed = _enclosing(value.items, line, column)
                return (item.key.name,) + inner, listed
            if isinstance(value, nodes.ListValue):
                for element in value.items:  # an object of a list sweep, opened above
                    espan = element.span
                    if isinstance(element, nodes.ObjectValue) and espan.line < line and \
                            (line, column) < (espan.end_line, espan.end_column):
                        inner, listed = _enclosing(element.items, line, column)
                        return (item.key.name,) + inner, listed
                return (item.key.name,), True
        elif isinstance(item, nodes.Zip):
            found = _enclosing(item.entries, line, column)
            if found[0]:
                return found
        elif isinstance(item, nodes.Variants):
            for alt in item.alternatives:
                span = alt.span
                if span.line < line and (line, column) < (span.end_line, span.end_column):
                    return _enclosing(alt.items, line, column)
    return (), False


def _fields_at(fields: Sequence[nodes.Field], path: tuple[str, ...]) -> Sequence[nodes.Field]:
    for part in path:
        field = next((f for f in fields if f.key.name == part), None)
        obj = next((t for t in field.types if isinstance(t, nodes.TypeObject)), None) if field else None
        if obj is None:
            return ()
        fields = obj.fields
    return fields


def _field(schema: nodes.Schema, path: tuple[str, ...]) -> nodes.Field | None:
    """The schema's field for a key path (`llm.model`)."""
    if not path:
        return None
    return next((f for f in _fields_at(schema.fields, path[:-1]) if f.key.name == path[-1]), None)


def _in_schema(doc: nodes.Document, line: int, column: int, prefix: str) -> bool:
    """Whether the cursor is inside a `schema { ... }` (where types go, not values)."""
    if _SCHEMA_LINE.match(prefix):
        return True
    return any(isinstance(it, nodes.Schema) and (it.span.line, it.span.column) < (line, column) <
               (it.span.end_line, it.span.end_column) for it in doc.items)


class _Items:
    """The items offered, each label once; an item that replaces text typed
    at the cursor carries the edit, in the client's terms."""

    def __init__(self, analysis: Analysis, line: int, column: int) -> None:
        self.analysis = analysis
        self.line = line
        self.column = column
        self.items: list[lsp.CompletionItem] = []
        self.seen: set[str] = set()

    def add(self, label: str, kind: lsp.CompletionItemKind, sort: str, detail: str | None = None,
            insert: str | None = None, *, typed: int = 0, swallow: int = 0, snippet: bool = False) -> None:
        """Offer `label`; with `typed` (code points before the cursor) or `swallow`
        (after it), the item replaces that text; `snippet`: `insert` has tab stops."""
        if label in self.seen:
            return
        self.seen.add(label)
        edit = None
        if typed or swallow:
            index = self.analysis.index
            edit = lsp.TextEdit(range=lsp.Range(start=index.position(self.line, self.column - typed),
                                                end=index.position(self.line, self.column + swallow)),
                                new_text=label if insert is None else insert)
        self.items.append(lsp.CompletionItem(label=label, kind=kind, detail=detail, sort_text=f"{sort}{label}",
                                             insert_text=None if edit else insert, text_edit=edit,
                                             insert_text_format=lsp.InsertTextFormat.Snippet if snippet else None))


def completions(analysis: Analysis, pos: lsp.Position) -> list[lsp.CompletionItem]:
    """What may stand at the cursor: file names after `extends "`; in a `where`
    expression its key paths, operators and the schema's literals; elsewhere
    schema keys where a key goes, schema literals where a value goes, `let`
    names defined above and the words of the language that may stand here."""
    line, column = analysis.index.location(pos)
    text = analysis.source.line(line)
    prefix, rest = text[: column - 1], text[column - 1 :]
    items = _Items(analysis, line, column)
    doc = analysis.document_at(line)

    extends = _EXTENDS_LINE.match(prefix)
    if extends is not None:
        _file_names(items, analysis, extends.group(1))
        return items.items
    interpolation = _INTERPOLATION.search(prefix)
    if interpolation is not None:  # `${` in a value or a string: the document's key paths
        if doc is not None:
            _config_paths(items, analysis, doc, interpolation.group(1), interpolation.group(2) or "", rest)
        return items.items
    if _SAMPLE_START.match(prefix):  # `sample N [seed S] [method]`: after N, `seed` and the methods
        sample = _SAMPLE_LINE.match(prefix)
        if sample is not None:
            if sample.group("seed") is None:
                items.add("seed", lsp.CompletionItemKind.Keyword, "0", "the seed of the draws (default 0)",
                          "seed ${1:0}", snippet=True)
            for i, method in enumerate(METHODS):
                items.add(method, lsp.CompletionItemKind.Keyword, f"1{i}", _METHOD_DETAILS.get(method))
        return items.items
    where = _WHERE_LINE.match(prefix)
    if where is not None:
        if doc is not None:
            _where(items, analysis, doc, prefix[where.end() - len("where") :], rest)
        return items.items
    typing = _typing(prefix)
    if typing is None:
        return []  # in a comment
    start, in_string = typing
    if not in_string and prefix.endswith(".") and not prefix.endswith(".."):
        return []  # `0.`: a number being typed
    value_pos = in_value_position(prefix)
    outer, key, bare = _line_keys(prefix[:start])
    around, listed = _enclosing(doc.items, line, column) if doc is not None else ((), False)
    path = around + outer
    valued = path + (key,) if key is not None else None
    zipped = doc is not None and (_in_block(doc, line, column, prefix, nodes.Zip, _ZIP_LINE) or
                                  _in_schema(doc, line, column, prefix))  # (where no distribution goes)
    drawn: tuple[str, ...] | None = None  # the key path whose value a distribution may be, if one may stand here
    naming = not prefix[start:] or bool(_NAME.fullmatch(prefix[start:]))  # a name is being typed (not `0..`)
    in_list = listed and not _opened(prefix[:start])  # directly in a list opened above
    if naming and key is not None and prefix[:start].rstrip().endswith(":") and not in_list and not zipped:
        drawn = valued  # right after `key:` (not in a list)
    elif naming and _LET_VALUE.match(prefix[:start]):
        drawn = ()
    top = not path and not listed and not value_pos and not zipped and \
        not (doc is not None and _in_block(doc, line, column, prefix, nodes.Variants, _VARIANTS_LINE))
    # (`top`: where an item of the document goes)
    if doc is not None:
        schema = analysis.schema_for(doc)
        if listed and bare:  # a line of its own in a list opened above
            value_pos, valued = True, around
        if schema is not None and valued is not None and value_pos and not _in_schema(doc, line, column, prefix):
            _literals(items, schema, valued, len(prefix) - start, in_string, rest)
        if schema is not None and not value_pos and not in_string:
            for f in _fields_at(schema.fields, path):
                types = " | ".join(t.span.text for t in f.types)
                items.add(f.key.name, lsp.CompletionItemKind.Field, "0", f"schema: {types}", f"{f.key.name}: ")
    if in_string:
        return items.items
    for let in analysis.lets():
        if let.span.line < line:
            value = let.value.span.text
            value = value if len(value) <= _MAX_DETAIL else value[: _MAX_DETAIL - 1] + "…"
            items.add(let.name.name, lsp.CompletionItemKind.Variable, "1", f"let {let.name.name} = {value}")
    if drawn is not None:
        kinds = _kinds(analysis.schema_for(doc), drawn) if doc is not None and drawn else None
        for i, (name, body, detail, fits) in enumerate(DISTRIBUTIONS):
            if kinds is None or "any" in kinds or not fits or kinds & fits:
                items.add(name, lsp.CompletionItemKind.Function, f"3{i}", detail, body, snippet=True)
    if top and not _has_sample(analysis, doc, line):
        items.add("sample", lsp.CompletionItemKind.Keyword, "2",
                  "draw N configs per grid point: sample N [seed S] [method]", "sample ${1:20}", snippet=True)
    words = value_words() if value_pos else item_words() + value_words()
    after_key = key is not None and prefix[:start].rstrip().endswith(":") and not in_list and not zipped
    for word in words:
        if word == "sample":
            continue  # (offered above, as a snippet, where it may stand)
        if word == "delete" and not after_key:
            continue  # (it removes an inherited key: only a key's whole value)
        items.add(word, lsp.CompletionItemKind.Keyword, "2")
    return items.items


def _config_paths(items: _Items, analysis: Analysis, doc: nodes.Document, head_text: str, typed: str,
                  rest: str) -> None:
    """The key paths of the document after `${` (those under `llm` after
    `${llm.`), each closed with `}` unless one follows the cursor."""
    low = analysis.lowered(doc)
    kinds = path_kinds(low.template) if low is not None else {}
    head = tuple(head_text.split(".")[:-1]) if head_text else ()
    under = [p[len(head):] for p in kinds if p[: len(head)] == head and len(p) > len(head)
             and all(_NAME.fullmatch(part) for part in p)]
    close = "" if rest.startswith("}") else "}"
    for i, rel in enumerate(_shown(under)):
        label = ".".join(rel)
        items.add(label, lsp.CompletionItemKind.Field, f"0{i:05d}", " | ".join(sorted(kinds[head + rel])),
                  label + close, typed=len(typed))


def _opened(prefix: str) -> bool:
    """Whether a line's text opens a bracket it does not close."""
    depth = 0
    for token in _TOKEN.findall(prefix):
        if token == "#":
            break
        depth += 1 if token in ("{", "[") else -1 if token in ("}", "]") and depth else 0
    return depth > 0


def _has_sample(analysis: Analysis, doc: nodes.Document | None, line: int) -> bool:
    """Whether the document at `line` has a `sample` line elsewhere (one per
    document): `doc`, unless a `---` stands between its end and `line`."""
    if doc is None or any(analysis.source.line(n).rstrip(" \t") == "---" for n in range(doc.span.end_line, line)):
        return False
    return any(isinstance(it, nodes.SampleItem) and it.span.line != line for it in doc.items)


def _in_block(doc: nodes.Document, line: int, column: int, prefix: str, block: type[nodes.Zip | nodes.Variants],
              opening: re.Pattern[str]) -> bool:
    """Whether the cursor is inside a `zip { ... }` (whose values are lists)
    or a `variants [ ... ]` block: one opened on its line, or above."""
    if opening.match(prefix):
        return True
    return any(isinstance(it, block) and (it.span.line, it.span.column) < (line, column) <
               (it.span.end_line, it.span.end_column) for it in nodes.walk(doc))


def _kinds(schema: nodes.Schema | None, path: tuple[str, ...]) -> set[str] | None:
    """The kinds of value the schema lets the key at `path` take: type names,
    and `literal` for literal alternatives; None when the schema says nothing."""
    field = _field(schema, path) if schema is not None else None
    if field is None:
        return None
    return {t.name if isinstance(t, nodes.TypeName) else "literal" for t in field.types}


def _literals(items: _Items, schema: nodes.Schema, path: tuple[str, ...], typed: int, in_string: bool,
              rest: str) -> None:
    """The literal alternatives the schema declares for the key at `path`
    (`model: "gpt-4" | "claude"`), as values; only strings inside a string."""
    field = _field(schema, path)
    if field is None:
        return
    detail = "schema: " + " | ".join(t.span.text for t in field.types)
    swallow = 1 if in_string and rest.startswith('"') else 0
    for i, alt in enumerate(t for t in field.types if isinstance(t, nodes.TypeLiteral)):
        if in_string and not isinstance(alt.value, nodes.Str):
            continue
        items.add(alt.span.text, lsp.CompletionItemKind.EnumMember, f"0{i:03d}", detail, typed=typed,
                  swallow=swallow)


def _compared(tokens: Sequence[Token]) -> tuple[tuple[str, ...], str | None]:
    """Whether a value of a comparison goes next (`compare`: after `==` and the
    like; `list`: in the list after `in`), and the key path it is compared with."""
    end = len(tokens)
    if tokens and tokens[-1][0] == "COMPOP":
        mode, end = "compare", end - 1
    else:
        i = end
        while i and (tokens[i - 1][0] in _LITERAL_TOKENS or tokens[i - 1][0] == "COMMA"):
            i -= 1
        if not (tokens[-1:] and tokens[-1][0] in ("LSQB", "COMMA") and i >= 2 and tokens[i - 1][0] == "LSQB"
                and tokens[i - 2][0] == "IN"):
            return (), None
        mode, end = "list", i - 2
        if end and tokens[end - 1][0] == "NOT":
            end -= 1
    parts: list[str] = []
    while end and tokens[end - 1][0] == "NAME":
        parts.append(tokens[end - 1][1])
        end -= 1
        if not (end and tokens[end - 1][0] == "DOT"):
            break
        end -= 1
    return tuple(reversed(parts)), mode


def _in_options(tokens: Sequence[Token]) -> bool:
    """Whether the tokens leave a list opened after `in` unclosed."""
    opened: list[bool] = []
    for i, (kind, _) in enumerate(tokens):
        if kind == "LSQB":
            opened.append(i > 0 and tokens[i - 1][0] == "IN")
        elif kind == "RSQB" and opened:
            opened.pop()
    return bool(opened) and opened[-1]


def _shown(paths: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The key paths offered, in source order: all of them, or, past
    `MAX_PATHS`, only the first level (the rest comes after typing `.`)."""
    return paths if len(paths) <= MAX_PATHS else [p for p in paths if len(p) == 1]


def _where(items: _Items, analysis: Analysis, doc: nodes.Document, text: str, rest: str) -> None:
    """In `where EXPR` (`text` runs from `where` to the cursor): what the
    grammar accepts next — key paths (those under `llm` after `llm.`), the
    schema's literals of the path compared, `and or not in`."""
    typing = _typing(text)
    if typing is None:
        return
    start, in_string = typing
    before, partial = text[:start], text[start:]
    try:
        parser = lark().parse_interactive(before)
        tokens = [(token.type, str(token)) for token in parser.iter_parse()]
        accepted: Callable[[], set[str]] = parser.accepts  # Lark leaves it unannotated
        accepts = accepted()
    except LarkError:
        return  # not a `where` the grammar can continue
    words = keywords()
    taken = {words[t] for t in accepts if t in words}  # words that would not read as a key here
    low = analysis.lowered(doc)
    kinds = path_kinds(low.template) if low is not None else {}
    paths = [p for p in kinds if all(_NAME.fullmatch(part) for part in p)]
    *head_parts, typed = partial.split(".")
    head = tuple(head_parts)
    is_path = not in_string and all(_NAME.fullmatch(p) for p in head) and (not typed or bool(_NAME.fullmatch(typed)))

    if head:  # `llm.` or `llm.mo`: the keys under `llm`
        if is_path and "NAME" in accepts and head[0] not in taken:
            under = [q[len(head):] for q in paths if q[: len(head)] == head and len(q) > len(head)]
            for i, rel in enumerate(_shown(under)):
                items.add(".".join(rel), lsp.CompletionItemKind.Field, f"2{i:05d}",
                          " | ".join(sorted(kinds[head + rel])), typed=len(typed))
        return
    if tokens and tokens[-1][0] == "IN":  # `in NAME`: a `let` list, or `in [...]`
        if is_path and not in_string:
            for let in analysis.lets():
                if isinstance(let.value, nodes.ListValue) and let.span.line < items.line:
                    items.add(let.name.name, lsp.CompletionItemKind.Variable, "1", f"let {let.name.name}",
                              typed=len(typed))
        return
    left, mode = _compared(tokens)
    if mode is None and _in_options(tokens):
        return  # in `in [...]`, after a value: only `,` or `]`
    schema = analysis.schema_for(doc)
    if mode is not None and schema is not None and left:
        _literals(items, schema, left, len(partial), in_string, rest)
    if in_string or not is_path or mode == "list":
        return
    if mode == "compare":
        for term, kind in (("TRUE", "bool"), ("FALSE", "bool"), ("NULL", "null")):
            if term in accepts and kind in kinds.get(left, set()):
                items.add(words[term], lsp.CompletionItemKind.Keyword, "1", kind, typed=len(typed))
    if "NAME" in accepts:
        for i, p in enumerate(_shown([q for q in paths if q[0] not in taken])):
            items.add(".".join(p), lsp.CompletionItemKind.Field, f"2{i:05d}", " | ".join(sorted(kinds[p])),
                      typed=len(typed))
    if mode is None:
        for i, (term, detail) in enumerate(_CONNECTIVES.items()):
            if term not in accepts:
                continue
            label = words[term]
            if term == "NOT" and "NAME" not in accepts:  # after an operand, `not` begins `not in`
                label, detail = f"{words['NOT']} {words['IN']}", "none of the listed values: `not in [...]`"
            items.add(label, lsp.CompletionItemKind.Keyword, f"3{i}", detail, typed=len(typed))


def _file_names(items: _Items, analysis: Analysis, typed: str) -> None:
    """After `extends "`: the `.mint` files and the folders in the folder the
    typed path names (relative to the document's own), one level at a time.
    Only folders are listed, and at most `MAX_LISTED` of their entries read,
    so nothing waits on a pipe or a huge folder; an unsaved document has no
    folder, and gets nothing."""
    path = analysis.source.path
    if path.startswith("<"):
        return
    segment = typed.rpartition("/")[2]
    head = typed[: len(typed) - len(segment)]
    folder = os.path.join(os.path.dirname(path), head)
    own = os.path.normcase(os.path.abspath(path))
    try:
        if not os.path.isdir(folder):
            return
        with os.scandir(folder) as listing:
            entries = list(itertools.islice(listing, MAX_LISTED))
    except OSError:
        return
    found: list[tuple[str, str, lsp.CompletionItemKind, str]] = []
    if segment in (".", ".."):
        found.append(("1", "../", lsp.CompletionItemKind.Folder, "folder"))
    for entry in entries:
        if entry.name.startswith(".") and not segment.startswith("."):
            continue
        try:
            if entry.is_dir():
                found.append(("1", entry.name + "/", lsp.CompletionItemKind.Folder, "folder"))
            elif entry.name.endswith(".mint") and entry.is_file() and \
                    os.path.normcase(os.path.abspath(entry.path)) != own:
                found.append(("0", entry.name, lsp.CompletionItemKind.File, ".mint file"))
        except OSError:
            continue
    for sort, label, kind, detail in sorted(found)[:MAX_FILES]:
        items.add(label, kind, sort, detail, typed=len(segment))
