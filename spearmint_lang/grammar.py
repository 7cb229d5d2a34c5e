"""The grammar: `grammar/mint.lark`, the one Lark parser built from it, and
the tables derived from it (the words of the language).

The grammar file ships inside the wheel (`spearmint_lang/grammar/mint.lark`);
in a source checkout it is read from the top-level `grammar/` folder.
"""

from __future__ import annotations

import functools
import os
import re

from lark import Lark

_WORD = re.compile(r"[a-z]+")
_HERE = os.path.dirname(os.path.abspath(__file__))


def grammar_path() -> str:
    """The grammar file: beside this module in an installed package, else
    in the source checkout's `grammar/` folder."""
    packaged = os.path.join(_HERE, "grammar", "mint.lark")
    if os.path.isfile(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.realpath(_HERE)), "grammar", "mint.lark")


def grammar_text() -> str:
    """The Lark grammar, from the installed package or the source checkout."""
    with open(grammar_path(), encoding="utf-8") as fh:
        return fh.read()


@functools.lru_cache(maxsize=1)
def lark() -> Lark:
    """The LALR parser, built once per process."""
    text = grammar_text()
    return Lark(
        text,
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
        keep_all_tokens=True,
        # Lark keeps the built LALR tables in a file (later runs skip ~130 ms)
        # and rebuilds them when the grammar, the options, Lark or Python differ.
        cache=_cache_file(text),
    )


def _cache_file(text: str) -> str | bool:
    """Where Lark keeps the built parser: in the user's cache folder
    (`$XDG_CACHE_HOME/spearmint-lang`, else `~/.cache/spearmint-lang`; on
    Windows under `%LOCALAPPDATA%`), named by the grammar's hash, so that
    checkouts and versions with different grammars do not overwrite each
    other's. Not in the shared temp folder (Lark's default), where another
    user could leave a pickle for mintc to load. True (Lark's default) when
    that folder cannot be made; a cache file that cannot be written is
    skipped (the parser is then built each time)."""
    import hashlib
    import sys

    import lark as lark_package

    base = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
    if not base:
        home = os.path.expanduser("~")
        if home == "~":
            return True
        base = os.path.join(home, ".cache")
    folder = os.path.join(base, "spearmint-lang")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return True
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
    version = f"lark{lark_package.__version__}-py{sys.version_info[0]}.{sys.version_info[1]}"
    return os.path.join(folder, f"parser-{digest}-{version}.lark")


@functools.lru_cache(maxsize=1)
def keywords() -> dict[str, str]:
    """The words of the language, from the grammar: terminal name -> word
    (`STEP` -> `step`). Every one is also a valid key."""
    out: dict[str, str] = {}
    for term in lark().terminals:
        pattern = term.pattern
        if pattern.type == "str" and _WORD.fullmatch(pattern.value):
            out[term.name] = pattern.value
    return out




def _first_words(rule: str, seen: set[str]) -> set[str]:
    """The words of the language that can begin `rule` (its FIRST set, words only)."""
    if rule in seen:
        return set()
    seen.add(rule)
    words = keywords()
    out: set[str] = set()
    for r in lark().rules:
        if r.origin.name != rule or not r.expansion:
            continue
        first = r.expansion[0]
        if first.is_term:
            if first.name in words:
                out.add(words[first.name])
        else:
            out |= _first_words(str(first.name), seen)
    return out


@functools.lru_cache(maxsize=1)
def item_words() -> tuple[str, ...]:
    """Words that begin an item of a document other than an entry (`let`, `zip`, ...)."""
    alternatives = {str(r.expansion[0].name) for r in lark().rules if r.origin.name == "_docitem"} - {"entry"}
    return tuple(sorted(set().union(*(_first_words(a, set()) for a in alternatives))))


@functools.lru_cache(maxsize=1)
def value_words() -> tuple[str, ...]:
    """Words that may stand in a value: constants, and what follows a range's bounds."""
    words = keywords()
    after_range = {words[s.name] for r in lark().rules if r.origin.name == "range" for s in r.expansion if s.name in words}
    return tuple(sorted(_first_words("value", set()) | after_range))
