"""Shared helpers for the test suite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def strip_ids(configs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Configs without their `config_id`, to compare values alone."""
    return [{k: v for k, v in c.items() if k != "config_id"} for c in configs]


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES
