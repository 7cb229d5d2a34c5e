"""`mintc explain` (issue 15): each document's axes, how they combine and
what `where` keeps, in text and JSON (syrupy snapshots), with the counts of
`mintc count` for every example."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from spearmint_lang.cli import main
from tests.conftest import ROOT

EXAMPLES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").rglob("*.mint"))
SHOWN = [
    "examples/tuning.mint",  # ranges and lists: a product
    "examples/model-comparison.mint",  # zip
    "examples/conditional-variants.mint",  # variants
    "examples/constraints.mint",  # where
    "examples/random-search.mint",  # sample with distributions
    "examples/mixed.mint",  # two documents
    "examples/swept-objects.mint",  # a sweep of objects
    "examples/list-sweeps.mint",  # sweeps inside a list
    "examples/extends/experiment.mint",  # an axis from the base file
    "examples/dotted-keys.mint",  # axes named and placed as written: `optimizer.lr: ...`
    "examples/ranges-more.mint",  # a geometric range is a range
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in the output are as given: relative to the repository


@pytest.mark.parametrize("rel", SHOWN)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_explain_snapshot(rel: str, fmt: str, capsys: pytest.CaptureFixture[str], snapshot: Any) -> None:
    code, out, err = run(capsys, "explain", rel, "--format", fmt)
    assert (code, err) == (0, "")
    assert out == snapshot


def test_tuning_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "explain", "examples/tuning.mint") == (0, (
        "examples/tuning.mint: 189 configs\n"
        "  document 1 (line 4): 21 × 3 × 3 = 189\n"
        "    temperature        range  21 values  0.0 … 2.0  5:1\n"
        "    top_p              list    3 values  0.9 … 1.0  6:1\n"
        "    frequency_penalty  list    3 values  0.0 … 1.0  7:1\n"
    ), "")


def test_counts_agree_with_mintc_count(capsys: pytest.CaptureFixture[str]) -> None:
    """Every example, all in one run of each command: the same numbers."""
    code, out, err = run(capsys, "count", "--format", "json", *EXAMPLES)
    assert (code, err) == (0, "")
    counted = json.loads(out)
    code, out, err = run(capsys, "explain", "--format", "json", *EXAMPLES)
    assert (code, err) == (0, "")
    explained = json.loads(out)
    assert explained["total"] == counted["total"]
    assert len(explained["files"]) == len(counted["files"]) == len(EXAMPLES)
    for ours, theirs in zip(explained["files"], counted["files"]):
        assert ours["file"] == theirs["file"]
        assert (ours["total"], ours["exact"]) == (theirs["total"], theirs["exact"]), ours["file"]
        assert [(d["configs"], d["exact"]) for d in ours["documents"]] == \
            [(d["configs"], d["exact"]) for d in theirs["documents"]], ours["file"]
        for doc in ours["documents"]:  # the axes multiply to the count before `where`
            product = 1
            for axis in doc["axes"]:
                product *= axis["values"]
            assert product == doc["before_where"]
            assert doc["configs"] <= product if doc["where"] else doc["configs"] == product


def test_beyond_the_counting_budget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A `where` over more combinations than the budget: an upper bound, as `count` says."""
    path = tmp_path / "big.mint"
    path.write_text("a: 0..1999999\nb: { zip { x: [1, 2], y: 3..4 } }\nwhere a == 5\n"
                    "---\nc: { variants [{ u: 1 }, { u: [1, 2]*, v: 1..3 }] }\n")
    code, out, err = run(capsys, "explain", str(path))
    assert (code, err) == (0, "")
    assert out == (
        f"{path}: at most 4,000,007 configs (before `where`)\n"
        "  document 1 (line 1): 2,000,000 × 2 = 4,000,000, `where` keeps at most 4,000,000"
        " (not counted exactly: beyond the counting budget)\n"
        "    a      range  2,000,000 values  0 … 1999999  1:1\n"
        "    b.zip  zip            2 values               2:6\n"
        "      b.x                           1 … 2        2:12\n"
        "      b.y                           3 … 4        2:23\n"
        "    where                           a == 5       3:1\n"
        "  document 2 (line 5): 7 configs\n"
        "    c.variants       variants   7 values  = 1 + 6  5:6\n"
        "      alternative 1             1 config\n"
        "      alternative 2            6 configs  2 × 3\n"
        "        c.u          list       2 values  1 … 2    5:28\n"
        "        c.v          range      3 values  1 … 3    5:40\n"
    )
    code, counted, _ = run(capsys, "count", "--format", "json", str(path))
    assert json.loads(counted)["total"] == 4_000_007


def test_overrides_and_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a: [1, 2]*\nb: 0\n")))
    assert run(capsys, "explain", "-", "--set", "b=[1, 2, 3]*") == (0, (
        "<stdin>: 6 configs\n"
        "  document 1 (line 1): 2 × 3 = 6\n"
        "    a  list  2 values  1 … 2  1:1\n"
        "    b  list  3 values  1 … 3  --set b\n"
    ), "")


def test_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The usual diagnostics, exit 1, nothing on stdout for it."""
    path = tmp_path / "broken.mint"
    path.write_text("a: [1, 2*\n")
    code, out, err = run(capsys, "explain", str(path))
    assert (code, out) == (1, "")
    assert err.startswith(f"{path}:1:4: error[E003]: `[` is never closed\n")


@pytest.mark.parametrize("doc", ["docs/explain.md", "README.md"])
def test_the_docs_show_real_output(doc: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each `$ mintc explain ...` block of the docs is what mintc prints."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    blocks = [b.split("```")[0] for b in text.split("$ mintc explain ")[1:]]
    assert blocks
    for block in blocks:
        command, _, shown = block.partition("\n")
        assert run(capsys, "explain", *command.split()) == (0, shown, "")


def test_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Key paths bold, kinds cyan, positions dim, when stdout is a terminal and NO_COLOR is not set."""
    import sys

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    bold, cyan, dim, reset = "\033[1m", "\033[36m", "\033[2m", "\033[0m"
    assert run(capsys, "explain", "examples/model-comparison.mint") == (0, (
        f"{bold}examples/model-comparison.mint{reset}: 3 configs\n"
        "  document 1 (line 5): 3 configs\n"
        f"    {bold}zip{reset}         {cyan}zip{reset}  3 values                              {dim}5:1{reset}\n"
        f"      {bold}provider{reset}                 \"openai\" … \"cohere\"         {dim}6:3{reset}\n"
        f"      {bold}model{reset}                    \"gpt-4\" … \"command-r-plus\"  {dim}7:3{reset}\n"
    ), "")
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033" not in run(capsys, "explain", "examples/model-comparison.mint")[1]
