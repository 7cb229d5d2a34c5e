"""`mintc` in-process, for tests about what it prints and writes rather than
about the process (signals, pipes, stdin, encodings, hash seeds, the entry
point keep their real runs): the same `spearmint_lang.cli.main` with the
same arguments in the same folder, its exit code (argparse's `SystemExit`
too) and its stdout and stderr, as `subprocess.run(..., text=True)` gives
them, in a small fraction of the time."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from spearmint_lang.cli import main


def run_main(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str,
             cwd: Path) -> subprocess.CompletedProcess[str]:
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse: usage errors, --help, --version
        code = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), code, out.out, out.err)
