"""Habits from other tools (issue 13, item 7): each gets a located message
that says what `.mint` writes instead, and the fix when the text is sure.

Every case is a file as a user coming from Hydra, W&B, Ray Tune, YAML,
Python or C would write it; the test checks the exact output of `mintc`
(the first diagnostic, rendered) and, where there is a fix, that applying it
gives a file that compiles to the configs meant.
"""

from __future__ import annotations

import pytest

from spearmint_lang import loads
from spearmint_lang.compiler import compile_text
from spearmint_lang.errors import Diagnostic, Fix, Hint
from spearmint_lang.source import Source
from spearmint_lang.syntax_errors import unknown_name_habit


def first(text: str) -> Diagnostic:
    found = compile_text(text, "sweep.mint").diagnostics
    assert found, text
    return found[0]


def apply(text: str, fix: Fix) -> str:
    """`text` with a fix's edits applied (spans may run over lines)."""
    source = Source("sweep.mint", text)
    out = text
    for edit in sorted(fix.edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        start = source.offset(edit.span.line, edit.span.column)
        end = source.offset(edit.span.end_line, edit.span.end_column)
        out = out[:start] + edit.text + out[end:]
    return out


# (source, exact output of its first diagnostic, the source after its first fix or None)
CASES: dict[str, tuple[str, str, str | None]] = {
    "range-call": (
        "seed: range(0, 10)\n",
        "sweep.mint:1:7: error[E085]: unknown distribution `range`\n"
        " 1 | seed: range(0, 10)\n"
        "   |       ^^^^^\n"
        "  hint: write `0..<10`: a range sweep, end excluded",
        "seed: 0..<10\n",
    ),
    "interval": (
        "x: interval(0, 1)\nsample 4\n",
        "sweep.mint:1:4: error[E085]: unknown distribution `interval`\n"
        " 1 | x: interval(0, 1)\n"
        "   |    ^^^^^^^^\n"
        "  hint: write `uniform(0, 1)`",
        "x: uniform(0, 1)\nsample 4\n",
    ),
    "choice-as-grid": (
        'model: choice("a", "b")\nsample 2\n',
        "sweep.mint:1:15: error[E086]: `choice` takes its values in one list\n"
        ' 1 | model: choice("a", "b")\n'
        "   |               ^^^^^^^^\n"
        '  hint: write `choice(["a", "b"])` to draw one per config, or the grid `["a", "b"]*` for every value once',
        'model: choice(["a", "b"])\nsample 2\n',
    ),
    "comma-numbers": (
        "lr: 0.1, 0.01\n",
        "sweep.mint:1:5: error[E120]: several values after a key, separated by commas\n"
        " 1 | lr: 0.1, 0.01\n"
        "   |     ^^^^^^^^^\n"
        "  hint: a sweep over them is a list with `*`: `lr: [0.1, 0.01]*`",
        "lr: [0.1, 0.01]*\n",
    ),
    "comma-words": (
        "model: a,b\n",
        "sweep.mint:1:8: error[E120]: several values after a key, separated by commas\n"
        " 1 | model: a,b\n"
        "   |        ^^^\n"
        '  hint: a sweep over them is a list with `*`: `model: ["a", "b"]*`',
        'model: ["a", "b"]*\n',
    ),
    "comma-let-name": (
        'let big = "gpt-4o"\nmodel: big, mini\n',
        "sweep.mint:2:8: error[E120]: several values after a key, separated by commas\n"
        " 2 | model: big, mini\n"
        "   |        ^^^^^^^^^\n"
        '  hint: a sweep over them is a list with `*`: `model: [big, "mini"]*`',
        'let big = "gpt-4o"\nmodel: [big, "mini"]*\n',
    ),
    "comma-words-at-the-end": (
        "model: a,b",
        "sweep.mint:1:8: error[E120]: several values after a key, separated by commas\n"
        " 1 | model: a,b\n"
        "   |        ^^^\n"
        '  hint: a sweep over them is a list with `*`: `model: ["a", "b"]*`',
        'model: ["a", "b"]*',
    ),
    "hydra-override": (
        "lr=0.1,0.01\n",
        "sweep.mint:1:4: error[E120]: several values after a key, separated by commas\n"
        " 1 | lr=0.1,0.01\n"
        "   |    ^^^^^^^^\n"
        "  hint: a sweep over them is a list with `*`: `lr: [0.1, 0.01]*`",
        "lr: [0.1, 0.01]*\n",
    ),
    "range-one-argument": (
        "seed: range(10)\n",
        "sweep.mint:1:7: error[E085]: unknown distribution `range`\n"
        " 1 | seed: range(10)\n"
        "   |       ^^^^^\n"
        "  hint: write `0..<10`: a range sweep, end excluded",
        "seed: 0..<10\n",
    ),
    "tuple": (
        "betas: (0.9, 0.999)\n",
        "sweep.mint:1:8: error[E121]: parentheses do not make a list\n"
        " 1 | betas: (0.9, 0.999)\n"
        "   |        ^^^^^^^^^^^^\n"
        "  hint: lists use square brackets: `[0.9, 0.999]`",
        "betas: [0.9, 0.999]\n",
    ),
    "yaml-nesting": (
        "optimizer:\n  lr: 0.1\n  wd: 0\nseed: 1\n",
        "sweep.mint:1:10: error[E122]: key `optimizer` has no value: the indented lines below are not nested in it\n"
        " 1 | optimizer:\n"
        "   |          ^\n"
        "  hint: nesting is written with braces, not indentation: `optimizer: { lr: 0.1, ... }`",
        "optimizer: {\n  lr: 0.1\n  wd: 0\n}\nseed: 1\n",
    ),
    "yaml-nesting-deeper": (
        "a:\n  b:\n    c: 1\n",
        "sweep.mint:1:2: error[E122]: key `a` has no value: the indented lines below are not nested in it\n"
        " 1 | a:\n"
        "   |  ^\n"
        "  hint: nesting is written with braces, not indentation: `a: { b: { ... } }`",
        None,
    ),
    "yaml-list": (
        "tags:\n  - baseline\n  - 2\n",
        "sweep.mint:2:3: error[E123]: `-` items are YAML's list syntax\n"
        " 2 |   - baseline\n"
        "   |   ^\n"
        '  hint: a list is written in brackets: `tags: ["baseline", 2]`',
        'tags: ["baseline", 2]\n',
    ),
    "yaml-list-with-comments": (
        'tags:\n  - "a b"  # first\n  - c\n',
        "sweep.mint:2:3: error[E123]: `-` items are YAML's list syntax\n"
        ' 2 |   - "a b"  # first\n'
        "   |   ^\n"
        '  hint: a list is written in brackets: `tags: ["a b", "c"]`',
        None,  # (no fix: it would drop the comment)
    ),
    "yaml-nesting-with-comments": (
        'opt:\n  name: "adam # x"  # the optimizer\n  lr: 0.1\n',
        "sweep.mint:1:4: error[E122]: key `opt` has no value: the indented lines below are not nested in it\n"
        " 1 | opt:\n"
        "   |    ^\n"
        '  hint: nesting is written with braces, not indentation: `opt: { name: "adam # x", ... }`',
        'opt: {\n  name: "adam # x"  # the optimizer\n  lr: 0.1\n}\n',
    ),
    "slash-comment-line": (
        "// learning rates\nlr: 0.1\n",
        "sweep.mint:1:1: error[E124]: `//` does not start a comment: comments start with `#`\n"
        " 1 | // learning rates\n"
        "   | ^^\n"
        "  hint: write `#` (`//` divides and rounds down, as in `total // 4`)",
        "# learning rates\nlr: 0.1\n",
    ),
    "slash-comment-after-value": (
        "lr: 0.1 // the default\n",
        "sweep.mint:1:9: error[E124]: `//` does not start a comment: comments start with `#`\n"
        " 1 | lr: 0.1 // the default\n"
        "   |         ^^\n"
        "  hint: write `#` (`//` divides and rounds down, as in `total // 4`)",
        "lr: 0.1 # the default\n",
    ),
    "and": (
        'model: ["a", "b"]*\nseed: [1, 2]*\nwhere model == "a" && seed > 1\n',
        "sweep.mint:3:20: error[E125]: `&&` is written `and` in .mint\n"
        ' 3 | where model == "a" && seed > 1\n'
        "   |                    ^^\n"
        "  hint: write `and`",
        'model: ["a", "b"]*\nseed: [1, 2]*\nwhere model == "a" and seed > 1\n',
    ),
    "or": (
        'model: ["a", "b"]*\nseed: [1, 2]*\nwhere model == "a"||seed > 1\n',
        "sweep.mint:3:19: error[E125]: `||` is written `or` in .mint\n"
        ' 3 | where model == "a"||seed > 1\n'
        "   |                   ^^\n"
        "  hint: write `or`",
        'model: ["a", "b"]*\nseed: [1, 2]*\nwhere model == "a" or seed > 1\n',
    ),
    "not": (
        'model: ["a", "b"]*\nwhere !(model == "a")\n',
        "sweep.mint:2:7: error[E125]: `!` is written `not` in .mint\n"
        ' 2 | where !(model == "a")\n'
        "   |       ^\n"
        "  hint: write `not`",
        'model: ["a", "b"]*\nwhere not (model == "a")\n',
    ),
    "is-not": (
        'model: ["a", "b"]*\nwhere model is not "a"\n',
        "sweep.mint:2:13: error[E126]: `is not` is written `!=` in .mint\n"
        ' 2 | where model is not "a"\n'
        "   |             ^^^^^^\n"
        "  hint: compare with `!=`",
        'model: ["a", "b"]*\nwhere model != "a"\n',
    ),
    "is": (
        'model: ["a", "b"]*\nwhere model is "a"\n',
        "sweep.mint:2:13: error[E126]: `is` is written `==` in .mint\n"
        ' 2 | where model is "a"\n'
        "   |             ^^\n"
        "  hint: compare with `==`",
        'model: ["a", "b"]*\nwhere model == "a"\n',
    ),
    "varaints": (
        "varaints [\n  { a: 1 }\n  { a: 2 }\n]\n",
        "sweep.mint:1:1: error[E127]: unknown word `varaints` at the start of an item\n"
        " 1 | varaints [\n"
        "   | ^^^^^^^^\n"
        "  hint: did you mean `variants`? (a key is followed by `:`: `varaints: value`)",
        "variants [\n  { a: 1 }\n  { a: 2 }\n]\n",
    ),
    "wehre": (
        "a: [1, 2]*\nwehre a > 1\n",
        "sweep.mint:2:1: error[E127]: unknown word `wehre` at the start of an item\n"
        " 2 | wehre a > 1\n"
        "   | ^^^^^\n"
        "  hint: did you mean `where`? (a key is followed by `:`: `wehre: value`)",
        "a: [1, 2]*\nwhere a > 1\n",
    ),
    "Zip": (
        "Zip { a: [1, 2], b: [3, 4] }\n",
        "sweep.mint:1:1: error[E127]: unknown word `Zip` at the start of an item\n"
        " 1 | Zip { a: [1, 2], b: [3, 4] }\n"
        "   | ^^^\n"
        "  hint: did you mean `zip`? (a key is followed by `:`: `Zip: value`)",
        "zip { a: [1, 2], b: [3, 4] }\n",
    ),
    "extend": (
        'extend "base.mint"\n',
        "sweep.mint:1:1: error[E127]: unknown word `extend` at the start of an item\n"
        ' 1 | extend "base.mint"\n'
        "   | ^^^^^^\n"
        "  hint: did you mean `extends`? (a key is followed by `:`: `extend: value`)",
        'extends "base.mint"\n',
    ),
    "improt": (
        'improt "prompts.mint" as prompts\n',
        "sweep.mint:1:1: error[E127]: unknown word `improt` at the start of an item\n"
        ' 1 | improt "prompts.mint" as prompts\n'
        "   | ^^^^^^\n"
        "  hint: did you mean `import`? (a key is followed by `:`: `improt: value`)",
        'import "prompts.mint" as prompts\n',
    ),
    "spaced-key": (
        "learning rate: 0.1\n",
        "sweep.mint:1:1: error[E128]: a key with spaces must be quoted\n"
        " 1 | learning rate: 0.1\n"
        "   | ^^^^^^^^^^^^^\n"
        '  hint: write `"learning rate": ...`',
        '"learning rate": 0.1\n',
    ),
    "spaced-key-of-keywords": (
        "step size: 0.1\n",
        "sweep.mint:1:1: error[E128]: a key with spaces must be quoted\n"
        " 1 | step size: 0.1\n"
        "   | ^^^^^^^^^\n"
        '  hint: write `"step size": ...`',
        '"step size": 0.1\n',
    ),
    "spaced-key-in-object": (
        "opt: { weight decay: 0.1 }\n",
        "sweep.mint:1:8: error[E128]: a key with spaces must be quoted\n"
        " 1 | opt: { weight decay: 0.1 }\n"
        "   |        ^^^^^^^^^^^^\n"
        '  hint: write `"weight decay": ...`',
        'opt: { "weight decay": 0.1 }\n',
    ),
    "True": (
        "flag: True\n",
        "sweep.mint:1:7: error[E040]: unknown name `True`\n"
        " 1 | flag: True\n"
        "   |       ^^^^\n"
        "  hint: did you mean `true`?",
        "flag: true\n",
    ),
    "None": (
        "x: None\n",
        "sweep.mint:1:4: error[E040]: unknown name `None`\n"
        " 1 | x: None\n"
        "   |    ^^^^\n"
        "  hint: did you mean `null`?",
        "x: null\n",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_habit_gets_what_to_write_instead(name: str) -> None:
    text, output, after = CASES[name]
    d = first(text)
    assert d.render() == output
    if after is None:
        assert not d.fixes
        return
    assert d.fixes, "the hint proposes exact text: it needs a fix"
    fixed = apply(text, d.fixes[0])
    assert fixed == after
    if "extends" in fixed or "import" in fixed:  # (the files they name are not there)
        assert compile_text(fixed, "sweep.mint").parses
    else:
        assert compile_text(fixed, "sweep.mint").ok, compile_text(fixed, "sweep.mint").render()


def test_a_choice_of_spread_values_offers_a_grid_too() -> None:
    found = compile_text('model: choice("a", "b")\n', "sweep.mint").diagnostics
    assert [x.code for x in found] == ["E089", "E086"]  # (a distribution needs `sample N`)
    d = found[1]
    assert [f.title for f in d.fixes] == ["Put the values in a list", 'Write the grid `["a", "b"]*`']
    grid = apply('model: choice("a", "b")\n', d.fixes[1])
    assert grid == 'model: ["a", "b"]*\n'
    assert [c["model"] for c in loads(grid)] == ["a", "b"]


def test_what_is_not_a_habit_keeps_its_message() -> None:
    # A key without `:` that is no keyword, a literal lr, a comparison `!=`,
    # an entry after a comma, a call, and a floor division are left alone.
    assert first("lr 0.1\n").code == "E007"
    assert loads("lr: 1e-3\n")[0]["lr"] == 0.001
    assert loads('m: ["a", "b"]*\nwhere m != "a"\n')[0]["m"] == "b"
    assert [(c["a"], c["b"]) for c in loads("a: 1, b: 2\n")] == [(1, 2)]
    assert first("seed 3\n").code == "E007"
    assert first("x: (1 2)\n").code != "E121"
    assert first("base: &defaults { a: 1 }\n").code == "E001"  # a YAML anchor is no `and`
    assert first("x: !!float 1\n").code == "E001"  # nor a YAML tag a `not`


def test_every_habit_of_a_file_is_reported() -> None:
    text = "lr: 0.1, 0.01\nlearning rate: 2\n// note\n"
    assert [(d.code, d.span.line, d.span.column) for d in compile_text(text, "sweep.mint").diagnostics] == [
        ("E120", 1, 5), ("E128", 2, 1), ("E124", 3, 1)]


def test_an_undefined_name_after_slashes_or_a_dash_is_read_as_the_habit() -> None:
    # The compiler asks this of every name it cannot resolve (lower.unknown_name).
    source = Source("sweep.mint", "lr: 0.1 // note\nkey: - a\nn: total // k\n")
    note = unknown_name_habit(source.at(1, 12, 4))
    assert note is not None
    assert (note.code.name, note.span.line, note.span.column, note.span.end_column, note.message) == (
        "E124", 1, 9, 11, "`//` does not start a comment: comments start with `#`")
    item = unknown_name_habit(source.at(2, 8, 1))
    assert item is not None and isinstance(item.hint, Hint)
    assert (item.code.name, item.span.column, item.span.end_column, item.message) == (
        "E123", 6, 9, "`- item` is YAML's list syntax")
    assert item.hint.text == 'a list is written in brackets: `["a"]`'
    assert apply(source.text, item.hint.fixes[0]).split("\n")[1] == 'key: ["a"]'
    # `total` (before `//`) is an ordinary unknown name.
    assert unknown_name_habit(source.at(3, 4, 5)) is None


@pytest.mark.parametrize("text, code", [("lr: 0.1 // note\n", "E124"), ("key: - a\n", "E123")])
def test_the_habits_read_from_undefined_names_end_to_end(text: str, code: str) -> None:
    assert first(text).code == code


def test_a_minus_and_a_blank_before_a_number_warns_of_the_yaml_list_item() -> None:
    from spearmint_lang.compiler import compile_text

    unit = compile_text("retries: - 3\noffset: -3\nshift: 2 - 3\n", "sweep.mint")
    warnings = [d for d in unit.diagnostics if d.severity == "warning"]
    assert [(d.code, d.span.line, d.span.column, d.message) for d in warnings] == [
        ("W012", 1, 10, "`- 3` is the number -3, though it reads as YAML's list item `[3]`"),
    ]
    assert [f.title for f in warnings[0].fixes] == ["Change to `-3`", "Change to `[3]`"]
    assert loads("retries: - 3\n")[0]["retries"] == -3
