"""Shared helpers for the test suite."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# Every hypothesis test has a deadline per example (and a size budget of its
# own: `max_examples`, and where a strategy can blow up, a bound on the
# number of configs it may draw), so that the suite stays well under three
# minutes on two cores.
DEADLINE = timedelta(seconds=10)


def strip_ids(configs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Configs without their `config_id`, to compare values alone."""
    return [{k: v for k, v in c.items() if k != "config_id"} for c in configs]


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES
