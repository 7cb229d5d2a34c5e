"""Every diagnostic code, in one typed catalogue.

A code is stable: scripts and CI match on it. Each member's value is the
title its section in docs/errors.md carries (a test keeps the two equal), so
a new code cannot be emitted without being documented.
"""

from __future__ import annotations

import enum
from typing import Literal

Severity = Literal["error", "warning"]


class Code(enum.Enum):
    """A diagnostic code; `code.name` is what users see (`E030`). Codes
    `E...` are errors; `W...` are warnings: the file compiles, but almost
    surely not to what was meant."""

    E000 = 'cannot read the file'
    E001 = 'unexpected character'
    E002 = 'unexpected token'
    E003 = 'unexpected end of file'
    E004 = 'the file is not valid UTF-8'
    E005 = 'NUL byte in the source'
    E006 = 'unterminated string'
    E007 = 'missing `:` after a key'
    E008 = 'key without a value'
    E009 = 'text after `---`'
    E010 = 'unknown escape in a string'
    E011 = 'lone surrogate escape'
    E012 = 'malformed number'
    E013 = 'number out of range'
    E014 = 'empty element'
    E015 = 'unknown word after a range'
    E016 = 'range bound is not a number'
    E017 = 'nesting too deep'
    E018 = 'value too large'
    E019 = 'missing separator'
    E020 = 'duplicate key'
    E021 = '`*` after something that is not a list'
    E022 = 'empty sweep'
    E023 = 'sweep inside a list'
    E030 = 'zero step'
    E031 = 'step points away from the end'
    E032 = 'float range without a step'
    E033 = 'bad `count` or geometric step'
    E034 = 'range finer than float precision'
    E040 = 'unknown name'
    E041 = 'name defined twice'
    E050 = 'more configs than `--max-configs` allows'
    E061 = '`zip` entry that is not a list'
    E062 = '`variants` alternative that is not an object'
    E063 = '`zip` lists of different lengths'
    E064 = 'key set by the document and by a `variants` alternative'
    E065 = '`where` names a key no config has'
    E066 = '`where` compares unlike types'
    E067 = '`in [...]` with a value that is not a literal'
    E068 = '`where` keeps no config'
    E069 = '`where` over too many combinations'
    E070 = '`extends` not on the first line'
    E071 = 'extended file does not have exactly one document'
    E072 = 'overriding a key set by `zip` or `variants`'
    E073 = '`extends` cycle'
    E074 = 'cannot read the extended file'
    E075 = '`extends` path not allowed'
    E076 = '`extends` chain too long'
    E080 = 'unknown type in a schema'
    E081 = 'more than one schema'
    E082 = 'key not in the schema'
    E083 = 'value does not match the schema'
    E084 = 'required key missing'
    E085 = 'unknown distribution'
    E086 = 'wrong arguments to a distribution'
    E087 = 'distribution parameters out of range'
    E088 = 'distribution inside a list or a `zip`'
    E089 = 'distribution without `sample`'
    E090 = '`sample` without a distribution'
    E091 = 'more than one `sample`'
    E092 = 'bad count, seed or method of `sample`'
    E093 = '`where` on a sampled key'
    E094 = 'a quasi-random method without scipy'
    E095 = 'malformed expression'
    E096 = 'unclosed `${` in a string'
    E097 = 'unknown path in a computed value'
    E098 = 'computed values that read each other'
    E099 = 'wrong types in an expression'
    E100 = 'a computed value fails for a config'
    E101 = 'a computed value where it cannot stand'
    W001 = 'range with one value'
    W002 = '`where` on a key some configs lack'
    W003 = 'the same config more than once'
    W004 = '`where` keeps nothing the budget could find'
    W005 = 'quantisation that leaves one value'
    W006 = '`sobol` with a count that is not a power of 2'
    W007 = 'a computed value reads a key some configs lack'
