"""Rewrite the outputs shown in docs/errors.md from what mintc prints now.

After a message or hint changes, run `python scripts/update_errors_doc.py`;
tests/test_errors_doc.py then checks the page again. Each ```mint wrong
(or ```mint warns) block is compiled as sweep.mint (beside the ```mint file
NAME blocks of its section) and the ```text block after it gets the
rendered errors (or warnings); lines starting with `$ ` (the command shown)
are kept.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import spearmint_lang  # noqa: E402
from spearmint_lang.compiler import compile_text  # noqa: E402

DOC = Path(__file__).resolve().parent.parent / "docs" / "errors.md"
FENCE = re.compile(r"^```([^`\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def render(body: str, files: dict[str, str]) -> str:
    """What mintc prints for `body` saved as sweep.mint."""
    with tempfile.TemporaryDirectory() as folder:
        for name, text in files.items():
            Path(folder, name).write_text(text, encoding="utf-8")
        here = os.getcwd()
        os.chdir(folder)
        try:
            unit = compile_text(body, "sweep.mint")
            if not unit.diagnostics:  # a mistake found while writing the configs (E100)
                try:
                    spearmint_lang.loads(body, path="sweep.mint")
                except spearmint_lang.MintError as exc:
                    return exc.render() + "\n"
        finally:
            os.chdir(here)
    if not unit.diagnostics:
        raise SystemExit(f"this example compiles without error or warning:\n{body}")
    errors = [d for d in unit.diagnostics if d.severity == "error"]
    return spearmint_lang.MintError(errors or unit.diagnostics).render() + "\n"


def main() -> None:
    text = DOC.read_text(encoding="utf-8")
    out: list[str] = []
    pos = 0
    files: dict[str, str] = {}
    pending: str | None = None
    last = 0
    section_starts = [m.start() for m in re.finditer(r"^## ", text, re.MULTILINE)]
    for m in FENCE.finditer(text):
        if any(last <= s < m.start() for s in section_starts):
            files = {}
        last = m.end()
        words = m.group(1).split()
        body = m.group(2)
        if words[:2] == ["mint", "file"] and len(words) == 3:
            files[words[2]] = body
        if pending is not None and words == ["text"]:
            keep = "".join(line for line in body.splitlines(keepends=True) if line.startswith("$ "))
            out.append(text[pos : m.start(2)] + keep + pending)
            pos = m.end(2)
            pending = None
            continue
        if words[:2] in (["mint", "wrong"], ["mint", "warns"]):
            pending = render(body, files)
    out.append(text[pos:])
    DOC.write_text("".join(out), encoding="utf-8")


if __name__ == "__main__":
    main()
