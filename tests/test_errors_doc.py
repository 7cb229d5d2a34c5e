"""docs/errors.md stays true: its examples raise the codes they document,
its fixes compile, and it documents exactly the codes the compiler emits.

- every ```mint wrong E0NN block raises MintError whose first code is E0NN;
- every ```mint fixed block compiles;
- every code in the package sources (`Code.E0NN`) has a `## E0NN:` section, and
  every section names a code that the sources emit;
- the catalogue (`spearmint_lang.codes.Code`) holds exactly the documented
  codes, each with its section's title;
- each section holds one wrong example of its own code, and the output shown
  after a ```mint wrong block is what mintc prints for it.

Examples are compiled with `loads(text, path="sweep.mint")` in an empty
temporary folder. A ```mint file NAME block (for `extends`) writes NAME there
for the examples that follow it in the same section. Blocks with the info
string `text` (E000, E004, E005, E050: not expressible as .mint text) are
skipped by the example checks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import spearmint_lang
from spearmint_lang import MintError

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "errors.md"
PACKAGE = ROOT / "spearmint_lang"

_FENCE = re.compile(r"^```([^`\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_HEADING = re.compile(r"^## ", re.MULTILINE)
_SECTION = re.compile(r"## ([EW]\d{3}): \S")
# Where the sources emit a code: `Code.E030` (codes.py only lists them).
_SOURCE_CODE = re.compile(r"\bCode\.([EW]\d{3})\b")


class Block:
    """One fenced block of the doc, with the supporting files in effect for it."""

    def __init__(self, section: str | None, info: str, body: str, files: dict[str, str]) -> None:
        self.section = section
        self.words = info.split()
        self.info = " ".join(self.words)
        self.body = body
        self.files = dict(files)

    @property
    def is_wrong(self) -> bool:
        return self.words[:2] == ["mint", "wrong"]

    @property
    def code(self) -> str:
        return self.words[2] if len(self.words) > 2 else ""

    @property
    def is_warns(self) -> bool:
        return self.words[:2] == ["mint", "warns"]

    @property
    def is_fixed(self) -> bool:
        return self.words == ["mint", "fixed"]


def _parse(text: str) -> tuple[list[str], list[Block]]:
    """The section codes in order, and every fenced block."""
    codes: list[str] = []
    blocks: list[Block] = []
    starts = [m.start() for m in _HEADING.finditer(text)]
    chunks = [(0, starts[0] if starts else len(text))] + list(zip(starts, starts[1:] + [len(text)]))
    for begin, end in chunks:
        chunk = text[begin:end]
        m = _SECTION.match(chunk)
        section = m.group(1) if m else None
        if section:
            codes.append(section)
        files: dict[str, str] = {}
        for f in _FENCE.finditer(chunk):
            block = Block(section, f.group(1), f.group(2), files)
            if block.words[:2] == ["mint", "file"] and len(block.words) == 3:
                files[block.words[2]] = block.body
            blocks.append(block)
    return codes, blocks


def _source_codes() -> set[str]:
    codes: set[str] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        codes.update(_SOURCE_CODE.findall(path.read_text(encoding="utf-8")))
    return codes


DOC_TEXT = DOC.read_text(encoding="utf-8")
SECTION_CODES, BLOCKS = _parse(DOC_TEXT)
WRONG = [b for b in BLOCKS if b.is_wrong]
WARNS = [b for b in BLOCKS if b.is_warns]
FIXED = [b for b in BLOCKS if b.is_fixed]


def _loads(block: Block, folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Compile a block as sweep.mint, with its supporting files beside it."""
    for name, body in block.files.items():
        (folder / name).write_text(body, encoding="utf-8")
    monkeypatch.chdir(folder)
    return spearmint_lang.loads(block.body, path="sweep.mint")


def _error(block: Block, folder: Path, monkeypatch: pytest.MonkeyPatch) -> MintError:
    with pytest.raises(MintError) as info:
        _loads(block, folder, monkeypatch)
    return info.value


def test_doc_has_examples() -> None:
    assert len(WRONG) >= 20
    assert len(FIXED) >= 20
    for block in WRONG:
        assert len(block.words) == 3 and re.fullmatch(r"E\d{3}", block.code), block.info


@pytest.mark.parametrize("block", WRONG, ids=[b.code for b in WRONG])
def test_wrong_example_raises_its_code(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    err = _error(block, tmp_path, monkeypatch)
    assert err.diagnostics[0].code == block.code, err.render()


def _warnings(block: Block, folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Compile a block as sweep.mint; its warnings (it must have no error)."""
    from spearmint_lang.compiler import compile_text

    for name, body in block.files.items():
        (folder / name).write_text(body, encoding="utf-8")
    monkeypatch.chdir(folder)
    unit = compile_text(block.body, "sweep.mint")
    assert unit.ok, MintError(unit.diagnostics).render()
    return [d for d in unit.diagnostics if d.severity == "warning"]


@pytest.mark.parametrize("block", WARNS, ids=[b.code for b in WARNS])
def test_warns_example_warns_its_code(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _warnings(block, tmp_path, monkeypatch)
    assert found and found[0].code == block.code


@pytest.mark.parametrize("block", FIXED, ids=[f"{b.section}-fixed" for b in FIXED])
def test_fixed_example_compiles(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _loads(block, tmp_path, monkeypatch)
    assert _warnings(block, tmp_path, monkeypatch) == [], "a fixed example warns"


def test_every_emitted_code_is_documented() -> None:
    missing = _source_codes() - set(SECTION_CODES)
    assert not missing, f"codes emitted by spearmint_lang but not documented in docs/errors.md: {sorted(missing)}"


def test_every_documented_code_is_emitted() -> None:
    stale = set(SECTION_CODES) - _source_codes()
    assert not stale, f"docs/errors.md documents codes that spearmint_lang never emits: {sorted(stale)}"


def test_catalogue_is_the_documented_codes_with_their_titles() -> None:
    from spearmint_lang.codes import Code

    titles = dict(re.findall(r"^## ([EW]\d{3}): (.*)$", DOC_TEXT, re.MULTILINE))
    assert {code.name: code.value for code in Code} == titles


def test_sections_are_unique_and_in_order() -> None:
    assert SECTION_CODES == sorted(set(SECTION_CODES))


@pytest.mark.parametrize("code", SECTION_CODES)
def test_section_shows_its_error(code: str) -> None:
    """One wrong example per section, of that section's code, and a fix; the
    sections that cannot use .mint text show a real `error[E0NN]` instead."""
    blocks = [b for b in BLOCKS if b.section == code]
    wrong = [b.code for b in blocks if b.is_wrong or b.is_warns]
    if wrong:
        assert wrong == [code]
        assert any(b.is_fixed for b in blocks), f"{code} has no fixed example"
    else:
        assert any(b.info == "text" and f"[{code}]" in b.body for b in blocks), code


def _shown_outputs() -> list[tuple[Block, str]]:
    """Each wrong example and the text block after it, without `$ ` lines."""
    out = []
    for i, block in enumerate(BLOCKS):
        if not (block.is_wrong or block.is_warns):
            continue
        nxt = BLOCKS[i + 1] if i + 1 < len(BLOCKS) else None
        assert nxt is not None and nxt.info == "text", f"no output shown after the {block.code} example"
        shown = "".join(line for line in nxt.body.splitlines(keepends=True) if not line.startswith("$ "))
        out.append((block, shown))
    return out


SHOWN = _shown_outputs()


@pytest.mark.parametrize(("block", "shown"), SHOWN, ids=[b.code for b, _ in SHOWN])
def test_shown_output_is_what_mintc_prints(
    block: Block, shown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if block.is_warns:
        assert MintError(_warnings(block, tmp_path, monkeypatch)).render() + "\n" == shown
        return
    err = _error(block, tmp_path, monkeypatch)
    assert err.render() + "\n" == shown
