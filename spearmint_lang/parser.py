"""Source text to Lark parse tree, with syntax errors turned into diagnostics.

The grammar file ships inside the wheel (`spearmint_lang/grammar/mint.lark`);
in a source checkout it is read from the top-level `grammar/` folder.

After a syntax error the faulty line is blanked (when that cannot unbalance
brackets) and parsing resumes, so one run reports every independent mistake.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

from lark import Lark, Tree
from lark.exceptions import UnexpectedInput

from .errors import Collector
from .source import Source, Span
from .syntax_errors import MAX_DEPTH, Classifier, scan_brackets

_MAX_SYNTAX_ERRORS = 50


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
        # Lark keeps the built LALR tables in the temp folder, keyed by the
        # grammar's hash and Lark's version: later runs skip ~130 ms.
        cache=True,
    )


def parse(source: Source, errors: Collector) -> Tree[Any] | None:
    """Parse `source`, recording every syntax error found.

    Returns the tree of the text with faulty lines blanked, so later stages
    can still report their errors, or None when parsing could not recover.
    """
    text = source.text
    _, too_deep = scan_brackets(text)
    if too_deep is not None:
        line = text.count("\n", 0, too_deep) + 1
        col = too_deep - (text.rfind("\n", 0, too_deep) + 1) + 1
        errors.error(
            "E017",
            f"nesting is deeper than {MAX_DEPTH} levels",
            Span(source, line, col, line, col + 1),
            hint="flatten the structure; real configs rarely nest more than a few levels",
        )
        return None
    for _ in range(_MAX_SYNTAX_ERRORS):
        try:
            return _parser().parse(text)
        except UnexpectedInput as exc:
            diag, resume = Classifier(source, text).classify(exc)
            errors.diagnostics.append(diag)
            if resume is None or resume == text:
                return None
            text = resume
    return None
