"""Quick fixes (`spearmint_lang.lsp.code_actions`): for each kind of fix, its
title, the text after the edit, and that the text then compiles without the
mistake; the hint and the fix say the same thing; and one round trip over
the real protocol.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (pip install -e '.[lsp]')")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="these tests need pytest-lsp (pip install -e '.[test]')")

from lsprotocol import types as lsp  # noqa: E402
from tests.conftest import answer_server_requests  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from spearmint_lang.compiler import compile_text  # noqa: E402
from spearmint_lang.loader import Loader  # noqa: E402
from spearmint_lang.lsp.analysis import Analysis  # noqa: E402
from spearmint_lang.lsp.code_actions import code_actions  # noqa: E402
from spearmint_lang.lsp.diagnostics import diagnostics  # noqa: E402
from tests.conftest import ROOT  # noqa: E402
from tests.test_diagnostics import CASES  # noqa: E402

URI = (ROOT / "no-such-folder" / "sweep.mint").as_uri()


# --- helpers --------------------------------------------------------------------------------------


def _offset(text: str, pos: lsp.Position) -> int:
    """The string index of an LSP position (UTF-16 units; `\\n`, `\\r\\n` and a lone `\\r` end lines)."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    at = starts[pos.line]
    units = 0
    while units < pos.character:
        units += 2 if ord(text[at]) > 0xFFFF else 1
        at += 1
    return at


def apply_edits(text: str, edits: Sequence[lsp.TextEdit]) -> str:
    """`text` with LSP text edits applied (they never overlap)."""
    spans = sorted(((_offset(text, e.range.start), _offset(text, e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def analyse(text: str, uri: str = URI) -> Analysis:
    return Analysis(uri, text, 1, "utf-16", Loader())


def everywhere(analysis: Analysis) -> lsp.Range:
    return analysis.index.whole()


def request(analysis: Analysis, rng: lsp.Range | None = None, only: list[lsp.CodeActionKind | str] | None = None) -> list[lsp.CodeAction]:
    params = lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=analysis.uri),
        range=rng or everywhere(analysis),
        context=lsp.CodeActionContext(diagnostics=[], only=only),
    )
    return code_actions(analysis, params)


def applied(action: lsp.CodeAction, text: str, uri: str = URI) -> str:
    assert action.edit is not None and action.edit.changes is not None
    assert list(action.edit.changes) == [uri]
    return apply_edits(text, action.edit.changes[uri])


def codes(text: str) -> list[str]:
    return [d.code for d in compile_text(text, "sweep.mint").diagnostics]


# --- one case per kind of fix ---------------------------------------------------------------------

SCHEMA = "schema {\n  model: string\n  temperature: float\n}\n"

# name: (text, code, title, text after the fix); the fixed text compiles cleanly.
FIXES: dict[str, tuple[str, str, str, str]] = {
    # did you mean
    "let-name": ("let models = [1, 2]\nm: modles*\n", "E040", "Change to `models`", "let models = [1, 2]\nm: models*\n"),
    "constant": ("stream: True\n", "E040", "Change to `true`", "stream: true\n"),
    "constant-other-language": ("x: None\n", "E040", "Change to `null`", "x: null\n"),
    "range-word": ("t: 0..10 stpe 2\n", "E015", "Change to `step`", "t: 0..10 step 2\n"),
    "count-word": ("t: 0..1 cuont 5\n", "E015", "Change to `count`", "t: 0..1 count 5\n"),
    "where-path": ('llm: {model: "x"}\nwhere llm.modle == "x"\n', "E065", "Change to `llm.model`",
                   'llm: {model: "x"}\nwhere llm.model == "x"\n'),
    "schema-key": (SCHEMA + 'modle: "a"\ntemperature: 1.0\n', "E082", "Change to `model`",
                   SCHEMA + 'model: "a"\ntemperature: 1.0\n'),
    "schema-key-quoted": ('schema { "max tokens": int }\n"max tokns": 3\n', "E082", 'Change to `"max tokens"`',
                          'schema { "max tokens": int }\n"max tokens": 3\n'),
    "schema-type": ('schema { a: strng }\na: "x"\n', "E080", "Change to `string`", 'schema { a: string }\na: "x"\n'),
    "schema-type-bounds-kept": ("schema { a: itn in 1..2 }\na: 1\n", "E080", "Change to `int`",
                                "schema { a: int in 1..2 }\na: 1\n"),
    # step k meant as step *k
    "geometric-step": ("lr: 1e-5..1e-1 step 10\n", "W001", "Change to `step *10`", "lr: 1e-5..1e-1 step *10\n"),
    "geometric-step-name": ("let k = 10\nlr: 1e-5..1e-1 step k\n", "W001", "Change to `step *k`",
                            "let k = 10\nlr: 1e-5..1e-1 step *k\n"),
    # add the key to the schema, in the schema's own layout, its type inferred
    "add-key": (SCHEMA + 'model: "a"\ntemperature: 1.0\nseed: [1, 2]*\n', "E082", "Add `seed: int` to the schema",
                "schema {\n  model: string\n  temperature: float\n  seed: int\n}\n"
                'model: "a"\ntemperature: 1.0\nseed: [1, 2]*\n'),
    "add-key-after-comment": ('schema {\n  model: string  # the model\n}\nmodel: "a"\nt: 0..1 count 5\n', "E082",
                              "Add `t: float` to the schema",
                              'schema {\n  model: string  # the model\n  t: float\n}\nmodel: "a"\nt: 0..1 count 5\n'),
    "add-key-one-line": ('schema { model: string }\nmodel: "a"\nname: null\n', "E082", "Add `name: null` to the schema",
                         'schema { model: string, name: null }\nmodel: "a"\nname: null\n'),
    "add-key-empty": ("schema {}\nseed: 1\n", "E082", "Add `seed: int` to the schema", "schema { seed: int }\nseed: 1\n"),
    "add-key-empty-broken": ('schema {\n}\nx: "s"\n', "E082", "Add `x: string` to the schema",
                             'schema {\n  x: string\n}\nx: "s"\n'),
    "add-key-brace-after-field": ("  schema {\n    a: int }\nb: [1, 2.5]*\na: 1\n", "E082", "Add `b: float` to the schema",
                                  "  schema {\n    a: int\n    b: float }\nb: [1, 2.5]*\na: 1\n"),
    "add-key-nullable": ("schema { a: int }\na: 1\nlet v = [1, null]\nb: v*\n", "E082", "Add `b: int | null` to the schema",
                         "schema { a: int, b: int | null }\na: 1\nlet v = [1, null]\nb: v*\n"),
    "add-key-mixed": ('schema { a: int }\na: 1\nb: [1, "x"]*\n', "E082", "Add `b: any` to the schema",
                      'schema { a: int, b: any }\na: 1\nb: [1, "x"]*\n'),
    "add-key-quoted": ('schema { a: int }\na: 1\n"max tokens": 3\n', "E082", 'Add `"max tokens": int` to the schema',
                       'schema { a: int, "max tokens": int }\na: 1\n"max tokens": 3\n'),
    "add-key-nested": ("schema {\n  llm?: {\n    name: string\n  }\n}\nllm: { name: \"x\", timeout: 30 }\n", "E082",
                       "Add `timeout: int` to the schema of `llm`",
                       "schema {\n  llm?: {\n    name: string\n    timeout: int\n  }\n}\nllm: { name: \"x\", timeout: 30 }\n"),
    "add-key-variant": ('schema { model: string }\nvariants [{model: "b"}, {model: "c", extra: 1}]\n', "E082",
                        "Add `extra?: int` to the schema",
                        'schema { model: string, extra?: int }\nvariants [{model: "b"}, {model: "c", extra: 1}]\n'),
    "add-key-zip": ('schema { model: string }\nzip { model: ["a", "b"], extra: 1..2 }\n', "E082",
                    "Add `extra: int` to the schema",
                    'schema { model: string, extra: int }\nzip { model: ["a", "b"], extra: 1..2 }\n'),
    "remove-key": ('schema { model: string }\nmodel: "a"\nseed: 1  # try\n', "E082", "Remove `seed`",
                   'schema { model: string }\nmodel: "a"\n'),
    # a list where a sweep was evidently meant
    "list-meant-as-sweep": ('schema { model: string }\nmodel: ["a", "b"]\n', "E083", "Add `*` to sweep the list",
                            'schema { model: string }\nmodel: ["a", "b"]*\n'),
    "list-meant-as-sweep-bounds": ("schema { t: float in 0.0..1.0 }\nt: [0.5, 1]\n", "E083", "Add `*` to sweep the list",
                                   "schema { t: float in 0.0..1.0 }\nt: [0.5, 1]*\n"),
    # other hints that propose exact text
    "mark-optional": ('schema { model: string, seed: int }\nmodel: "a"\n', "E084", "Mark `seed` optional in the schema",
                      'schema { model: string, seed?: int }\nmodel: "a"\n'),
    "quote-string": ("model: gpt4\n", "E040", 'Write the string "gpt4"', 'model: "gpt4"\n'),
    "count-down": ("t: 10..1\n", "E031", "Add `step -1`", "t: 10..1 step -1\n"),
    "flip-step": ("t: 0..10 step -2\n", "E031", "Change to `step 2`", "t: 0..10 step 2\n"),
    "leading-zeros": ("n: 007\n", "E012", "Change to `7`", "n: 7\n"),
    "leading-dot": ("lr: .5\n", "E012", "Change to `0.5`", "lr: 0.5\n"),
    "trailing-dot": ("lr: 1.\n", "E012", "Change to `1.0`", "lr: 1.0\n"),
    "extra-comma": ("a: [1,,2]\n", "E014", "Remove the extra comma", "a: [1,2]\n"),
    "star-after-range": ("t: 0..5*\n", "E021", "Remove the `*`", "t: 0..5\n"),
    "equals-in-where": ("a: 1\nwhere a = 1\n", "E002", "Change to `==`", "a: 1\nwhere a == 1\n"),
    "equals-for-colon": ("a = 1\n", "E007", "Change `=` to `:`", "a: 1\n"),
    "missing-colon": ('model "gpt-4"\n', "E007", "Add `:` after `model`", 'model: "gpt-4"\n'),
}


@pytest.mark.parametrize("name", sorted(FIXES))
def test_fix(name: str) -> None:
    text, code, title, fixed = FIXES[name]
    analysis = analyse(text)
    actions = [a for a in request(analysis) if a.diagnostics and a.diagnostics[0].code == code]
    assert title in [a.title for a in actions]
    action = next(a for a in actions if a.title == title)
    assert action.kind == lsp.CodeActionKind.QuickFix
    assert applied(action, text) == fixed
    assert codes(fixed) == []


def test_the_action_names_its_diagnostic_as_published() -> None:
    text = 'schema { model: string }\nmodel: "a"\nseed: 1\n'
    analysis = analyse(text)
    published = diagnostics(analysis)
    actions = request(analysis)
    assert [a.title for a in actions] == ["Add `seed: int` to the schema", "Remove `seed`"]
    for action in actions:
        assert action.diagnostics == published
        assert action.is_preferred is False  # two ways out: neither is the obvious one


def test_a_single_fix_is_preferred() -> None:
    [action] = request(analyse("stream: True\n"))
    assert action.is_preferred is True
    assert action.edit is not None and action.edit.changes is not None
    assert action.edit.changes[URI] == [lsp.TextEdit(
        range=lsp.Range(start=lsp.Position(line=0, character=8), end=lsp.Position(line=0, character=12)),
        new_text="true")]


def test_only_the_diagnostics_in_the_requested_range() -> None:
    text = "a: True\nb: 1\nc: FALSE\n"
    analysis = analyse(text)
    on_b = lsp.Range(start=lsp.Position(line=1, character=0), end=lsp.Position(line=1, character=4))
    assert request(analysis, on_b) == []
    cursor = lsp.Position(line=2, character=5)
    [action] = request(analysis, lsp.Range(start=cursor, end=cursor))
    assert action.title == "Change to `false`"
    # A cursor just after the word still counts (ends included).
    after = lsp.Position(line=0, character=7)
    assert [a.title for a in request(analysis, lsp.Range(start=after, end=after))] == ["Change to `true`"]
    # Both, in source order, for the whole text.
    assert [a.title for a in request(analysis)] == ["Change to `true`", "Change to `false`"]


def test_only_quick_fixes_are_offered_when_the_client_filters() -> None:
    analysis = analyse("stream: True\n")
    assert request(analysis, only=[lsp.CodeActionKind.Source]) == []
    assert request(analysis, only=[lsp.CodeActionKind.Refactor]) == []
    assert len(request(analysis, only=[lsp.CodeActionKind.QuickFix])) == 1
    assert len(request(analysis, only=[lsp.CodeActionKind.Empty])) == 1


def test_positions_in_utf16_after_wide_characters() -> None:
    text = 'tags: ["😀", "é"], stream: True\n'
    [action] = request(analyse(text))
    assert applied(action, text) == 'tags: ["😀", "é"], stream: true\n'


def test_crlf_text_gets_crlf_edits() -> None:
    text = 'schema {\r\n  model: string\r\n}\r\nmodel: "a"\r\nseed: 1\r\n'
    add = request(analyse(text))[0]
    assert add.title == "Add `seed: int` to the schema"
    fixed = applied(add, text)
    assert fixed == 'schema {\r\n  model: string\r\n  seed: int\r\n}\r\nmodel: "a"\r\nseed: 1\r\n'
    assert codes(fixed) == []


def test_no_fix_edits_another_file(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text('schema { model: string, temperature?: float }\nmodel: "a"\n', encoding="utf-8")
    (tmp_path / "broken.mint").write_text("stream: True\n", encoding="utf-8")
    # The schema is the base's: its key can be spelt right here, but not added there.
    text = 'extends "base.mint"\ntemprature: 0.5\nseed: 1\n'
    uri = (tmp_path / "exp.mint").as_uri()
    analysis = analyse(text, uri)
    assert [d.code for d in analysis.unit.diagnostics] == ["E082", "E082"]
    assert [a.title for a in request(analysis)] == ["Change to `temperature`", "Remove `seed`"]
    # A mistake inside the extended file is fixed in that file, not from here.
    other = analyse('extends "broken.mint"\nx: 1\n', (tmp_path / "exp2.mint").as_uri())
    assert [d.code for d in other.unit.diagnostics] == ["E040"]
    assert request(other) == []


def test_a_list_is_not_taken_for_a_sweep_without_proof() -> None:
    # The schema takes a list, or not every element fits, or the list is a `let`'s: no `*` proposed.
    for text in ('schema { stop: list }\nstop: ["a", "b"]\n',
                 'schema { model: string }\nmodel: ["a", 1]\n',
                 'schema { model: string }\nmodel: [["a"]]*\n',
                 'let ms = ["a"]\nschema { model: string }\nmodel: ms\n',
                 'model: ["a", "b"]\n'):
        assert [a.title for a in request(analyse(text))] == [], text


# --- every "did you mean" carries its fix -----------------------------------------------------------

_FENCE = re.compile(r"^```mint (?:wrong E\d{3}|warns)\n(.*?)^```", re.MULTILINE | re.DOTALL)
MORE = [
    "let models = [1]\nm: modles*\n",
    "t: 0..1 cuont 5\n",
    'llm: {model: "x"}\nwhere llm.modle == "x"\n',
    'schema { "max tokens": int }\n"max tokns": 3\n',
    'schema { a: strng in 1..2 }\na: "x"\n',
    "let k = 10\nlr: 1e-5..1e-1 step k\n",
    "let alpha = 1\nx: 0..alpah\n",
    "x: Null\n",
]


def _inputs() -> list[str]:
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    return [m.group(1) for m in _FENCE.finditer(doc)] + [case[0] for case in CASES.values()] + \
        [case[0] for case in FIXES.values()] + MORE


def test_every_did_you_mean_hint_carries_its_fix() -> None:
    seen = set()
    for text in _inputs():
        for diag in compile_text(text, "sweep.mint").diagnostics:
            if not diag.hint or "did you mean" not in diag.hint:
                continue
            seen.add(diag.code)
            [fix] = diag.fixes
            proposed = re.search(r"did you mean `([^`]*)`", diag.hint)
            assert proposed is not None
            # The fix writes what the hint names (a key quoted where it must be).
            [edit] = fix.edits
            assert fix.title in (f"Change to `{proposed.group(1)}`", f'Change to `"{proposed.group(1)}"`')
            source = edit.span.source
            start = source.offset(edit.span.line, edit.span.column)
            new = source.text[:start] + edit.text + source.text[source.offset(edit.span.end_line, edit.span.end_column):]
            line = new[new.rfind("\n", 0, start) + 1 :].split("\n")[0]
            assert proposed.group(1) in line
    assert seen == {"E015", "E040", "E065", "E080", "E082", "E092", "E097", "E127", "W001"}


def test_no_did_you_mean_is_written_without_its_fix() -> None:
    # Every "did you mean" of the compiler is made with its fix (`did_you_mean` or `Hint.edit`).
    for path in sorted((ROOT / "spearmint_lang").glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "did you mean `" in line and path.name != "errors.py":
                assert "Hint.edit(" in line, f"{path.name}:{number}: {line.strip()}"


# --- over the protocol ------------------------------------------------------------------------------

aio = pytest.mark.asyncio(loop_scope="module")
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "spearmint_lang.lsp"])
_INIT: dict[str, lsp.InitializeResult] = {}


@pytest_lsp.fixture(scope="module", config=SERVER)
async def client(lsp_client: LanguageClient) -> Any:
    answer_server_requests(lsp_client)
    _INIT["result"] = await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


@aio
async def test_quick_fix_over_the_protocol(client: LanguageClient, tmp_path: Path) -> None:
    provider = _INIT["result"].capabilities.code_action_provider
    assert isinstance(provider, lsp.CodeActionOptions)
    assert list(provider.code_action_kinds or []) == [lsp.CodeActionKind.QuickFix]

    text = "t: 0..10 stpe 2\n"
    uri = (tmp_path / "sweep.mint").as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="mint", version=1, text=text)))
    cursor = lsp.Position(line=0, character=10)
    result = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        range=lsp.Range(start=cursor, end=cursor),
        context=lsp.CodeActionContext(diagnostics=[])))
    assert result is not None
    [action] = result
    assert isinstance(action, lsp.CodeAction)
    assert action.title == "Change to `step`"
    assert action.kind == lsp.CodeActionKind.QuickFix
    assert action.is_preferred is True
    assert action.diagnostics is not None and [d.code for d in action.diagnostics] == ["E015"]
    assert action.diagnostics[0].range == lsp.Range(start=lsp.Position(line=0, character=9),
                                                    end=lsp.Position(line=0, character=13))
    assert applied(action, text, uri) == "t: 0..10 step 2\n"

    # A document the client never opened gets no answer.
    other = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=(tmp_path / "closed.mint").as_uri()),
        range=lsp.Range(start=cursor, end=cursor),
        context=lsp.CodeActionContext(diagnostics=[])))
    assert other is None
