"""Where the benchmarks find the `mintc` to measure (standard library only)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def default_mintc(script: str) -> str:
    """The repository's .venv's mintc, else the running interpreter's, else
    PATH's; `script` names the caller in the message when there is none."""
    for candidate in (REPO / ".venv" / "bin" / "mintc", Path(sys.executable).parent / "mintc"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("mintc")
    if found:
        return found
    sys.exit(f"{script}: cannot find mintc; install the project (pip install -e .) or pass --mintc PATH")
