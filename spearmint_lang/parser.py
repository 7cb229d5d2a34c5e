"""Source text to Lark's concrete syntax tree, with syntax errors turned
into diagnostics.

There is one grammar (`grammar/mint.lark`) and one tree shape: Lark's, which
keeps every token -- brackets, commas and the newline runs that hold
comments -- so the AST builder and the formatter read the same tree. A text
is first read by `descent`, which builds that same tree several times
faster; whatever it declines (every text with a mistake) is parsed by
Lark's parser (`grammar.lark()`), which reports and recovers.

After a syntax error the faulty line is blanked (when that cannot unbalance
brackets) and parsing resumes, so one run reports every independent mistake.
Blanking keeps every offset, so positions never shift.
"""

from __future__ import annotations

import re

import attrs
from lark import ParseTree, Tree
from lark.exceptions import UnexpectedInput

from . import descent
from .codes import Code
from .errors import Collector
from .grammar import lark
from .source import Source
from .brackets import MAX_DEPTH, scan_brackets

_MAX_SYNTAX_ERRORS = 50
# When the parser cannot resume by itself (an unclosed bracket, a key without
# a value at the end), editors still want an outline: blank this many more lines.
_MAX_SALVAGED_LINES = 3
_SURROGATE = re.compile("[\ud800-\udfff]")


@attrs.frozen
class Parsed:
    """What parsing gave: the tree (faulty lines blanked), or for editors
    only a salvaged one, whose further errors are not reported."""

    tree: ParseTree | None
    salvaged: ParseTree | None = None

    @property
    def best(self) -> ParseTree | None:
        """The tree to build an AST from for editor features."""
        return self.tree if self.tree is not None else self.salvaged


def check_text(source: Source, errors: Collector) -> bool:
    """What must hold before parsing: no lone surrogate, no NUL, no absurd
    nesting. Records the first problem; True if there is none."""
    text = source.text
    lone = _SURROGATE.search(text)
    if lone is not None:
        errors.error(Code.E011, "the text holds a lone surrogate, which cannot be written as UTF-8",
                     source.span(lone.start()), hint="pass text that came from valid UTF-8")
        return False
    nul = text.find("\x00")
    if nul >= 0:
        errors.error(Code.E005, "NUL byte in the source", source.span(nul),
                     hint="a .mint file is text; is this a binary file?")
        return False
    _, too_deep = scan_brackets(text)
    if too_deep is not None:
        errors.error(Code.E017, f"nesting is deeper than {MAX_DEPTH} levels", source.span(too_deep),
                     hint="flatten the structure; real configs rarely nest more than a few levels")
        return False
    return True


def parse(source: Source, errors: Collector, salvage: bool = False) -> Parsed:
    """Parse `source`, recording every syntax error found; with `salvage`,
    a text that does not parse still gives a tree for editors (more parses)."""
    if not check_text(source, errors):
        if "\x00" in source.text and not _SURROGATE.search(source.text):
            return Parsed(None, _salvage(source, source.text.replace("\x00", " ")) if salvage else None)
        return Parsed(None)
    text = source.text
    fast = descent.parse(text)  # (which declines a text nested too deeply)
    if fast is not None:
        return Parsed(fast)
    for _ in range(_MAX_SYNTAX_ERRORS):
        try:
            tree = lark().parse(text)
        except UnexpectedInput as exc:
            from .syntax_errors import Classifier  # (only a text with a mistake needs it)

            resume = Classifier(source, text, errors).classify(exc)
            if resume is None or resume == text:
                return Parsed(None, _salvage(source, text) if salvage else None)
            text = resume
            continue
        if "not" in text and not _nesting_ok(source, tree, errors):
            return Parsed(None)
        return Parsed(tree)
    return Parsed(None)


def parse_clean(text: str) -> ParseTree | None:
    """The tree of a text in which neither parsing nor the checks before it
    find any mistake; None otherwise (then `parse` says what and where)."""
    scratch = Collector()
    source = Source("<text>", text)
    if not check_text(source, scratch):
        return None
    tree = descent.parse(text)  # (which declines a text nested too deeply)
    if tree is not None:
        return tree
    try:
        tree = lark().parse(text)
    except UnexpectedInput:
        return None
    if "not" in text and not _nesting_ok(source, tree, scratch):
        return None
    return tree


# Rules that nest: brackets (also counted before parsing) and `not`, which
# nests without any bracket. Later stages recurse once per level.
_NESTING = frozenset({"list", "object", "schema_body", "operand", "negation"})


def _nesting_ok(source: Source, tree: ParseTree, errors: Collector) -> bool:
    """Whether no path of the tree nests more than `MAX_DEPTH` levels (E017
    at the first node beyond); an iterative walk."""
    stack: list[tuple[ParseTree, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if node.data in _NESTING:
            depth += 1
            if depth > MAX_DEPTH:
                meta = node.meta
                errors.error(Code.E017, f"nesting is deeper than {MAX_DEPTH} levels",
                             source.at(meta.line, meta.column),
                             hint="each `not`, bracket and parenthesis is a level: simplify the expression")
                return False
        stack.extend((child, depth) for child in node.children if isinstance(child, Tree))
    return True


def _salvage(source: Source, text: str) -> ParseTree | None:
    """A tree of `text` with up to a few more faulty lines blanked, for the
    outline, hovers and completions of a file that does not parse."""
    from .syntax_errors import Classifier, blank_line

    if scan_brackets(text)[1] is not None:
        return None
    blanked = 0
    for _ in range(_MAX_SYNTAX_ERRORS):
        scratch = Collector()
        try:
            return lark().parse(text)
        except UnexpectedInput as exc:
            resume = Classifier(source, text, scratch).classify(exc)
        if resume is not None and resume != text:
            text = resume
            continue
        faulty = scratch.diagnostics[-1].span.line if len(scratch) else 0
        blanked += 1
        current = Source(source.path, text)
        if blanked > _MAX_SALVAGED_LINES or not 1 <= faulty <= current.line_count or not current.line(faulty).strip():
            return None
        text = blank_line(text, faulty)
    return None
