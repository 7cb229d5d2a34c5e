"""docs/language.md stays true: every example in it compiles as shown.

Every fenced block of the reference carries an info string:

- ```mint: a .mint example; it compiles (as sweep.mint, in an empty folder
  holding the section's supporting files), with no error.
- ```mint file NAME: a supporting file (for `extends` and `import`), written
  as NAME for the examples after it in the same section; it compiles too.
- ```mint wrong CODE: an example of a mistake; it fails with CODE first.
- ```jsonl right after a ```mint block: the configs it gives, one per line,
  exactly (`config_id` left out of the shown lines is left out of the
  comparison).
- ```text, ```python, ```console, ```sh: shown, not compiled (```python
  blocks that end in `configs = ...` are run: see below).

A block without an info string fails the test, so a new example cannot be
added without saying what it is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import spearmint_lang
from spearmint_lang import MintError

DOC = Path(__file__).resolve().parent.parent / "docs" / "language.md"
_FENCE = re.compile(r"^```([^`\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_HEADING = re.compile(r"^#{2,3} ", re.MULTILINE)
_SHOWN = {"text", "python", "console", "sh"}


class Block:
    """One fenced block, with the supporting files in effect for it and the
    output block that follows it (if any)."""

    def __init__(self, line: int, info: str, body: str, files: dict[str, str]) -> None:
        self.line = line
        self.words = info.split()
        self.body = body
        self.files = dict(files)
        self.output: str | None = None

    @property
    def id(self) -> str:
        return f"line{self.line}"


def _blocks(text: str) -> list[Block]:
    out: list[Block] = []
    starts = [m.start() for m in _HEADING.finditer(text)]
    bounds = list(zip([0] + starts, starts + [len(text)]))
    for begin, end in bounds:
        files: dict[str, str] = {}
        previous: Block | None = None
        for fence in _FENCE.finditer(text, begin, end):
            line = text.count("\n", 0, fence.start()) + 1
            block = Block(line, fence.group(1), fence.group(2), files)
            if block.words[:1] == ["jsonl"] and previous is not None and previous.words == ["mint"]:
                previous.output = block.body
            if block.words[:2] == ["mint", "file"] and len(block.words) == 3:
                files[block.words[2]] = block.body
            out.append(block)
            previous = block
    return out


BLOCKS = _blocks(DOC.read_text(encoding="utf-8"))
EXAMPLES = [b for b in BLOCKS if b.words[:1] == ["mint"] and b.words[1:2] != ["wrong"]]
WRONG = [b for b in BLOCKS if b.words[:2] == ["mint", "wrong"]]


def _compile(block: Block, folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    for name, body in block.files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(body, encoding="utf-8")
    monkeypatch.chdir(folder)
    return spearmint_lang.loads(block.body, path="sweep.mint")


def test_every_block_says_what_it_is() -> None:
    unlabelled = [b.line for b in BLOCKS if not b.words]
    assert not unlabelled, f"docs/language.md: blocks without an info string at lines {unlabelled}"
    unknown = [(b.line, b.words[0]) for b in BLOCKS if b.words and b.words[0] not in _SHOWN | {"mint", "jsonl"}]
    assert not unknown, unknown
    assert len(EXAMPLES) >= 15
    assert sum(b.output is not None for b in EXAMPLES) >= 8


@pytest.mark.parametrize("block", EXAMPLES, ids=[b.id for b in EXAMPLES])
def test_example_compiles_as_shown(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        configs = _compile(block, tmp_path, monkeypatch)
    except MintError as err:  # pragma: no cover - the failure message
        pytest.fail(f"docs/language.md:{block.line}: the example does not compile:\n{err.render()}")
    if block.output is None:
        return
    shown = [json.loads(line) for line in block.output.splitlines() if line.strip() and line.strip() != "…"]
    got = [dict(c) for c in configs]
    for want, have in zip(shown, got):
        if "config_id" not in want:
            have.pop("config_id", None)
    if block.output.rstrip().endswith("…"):
        got = got[: len(shown)]
    assert got == shown, f"docs/language.md:{block.line}"


@pytest.mark.parametrize("block", WRONG, ids=[b.id for b in WRONG])
def test_wrong_example_fails_with_its_code(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(MintError) as info:
        _compile(block, tmp_path, monkeypatch)
    assert info.value.diagnostics[0].code == block.words[2], info.value.render()
