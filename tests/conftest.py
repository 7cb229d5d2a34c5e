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


def answer_server_requests(client: Any) -> list[tuple[str, Any]]:
    """Make a pytest-lsp client answer the requests `mintc lsp` sends to a
    client that says it supports them (file watchers, refreshes), as an
    editor does; returns the list of (method, params) received, in order."""
    from lsprotocol import types as lsp

    received: list[tuple[str, Any]] = []
    for method in (lsp.CLIENT_REGISTER_CAPABILITY, lsp.WORKSPACE_CODE_LENS_REFRESH,
                   lsp.WORKSPACE_INLAY_HINT_REFRESH, lsp.WORKSPACE_SEMANTIC_TOKENS_REFRESH):
        def handler(params: Any, method: str = method) -> None:
            received.append((method, params))

        client.feature(method)(handler)
    return received


async def vscode_session(client: Any) -> Any:
    """Initialise a pytest-lsp client as VS Code does (its capabilities), answering
    the server's own requests; returns the server's `InitializeResult`."""
    from lsprotocol import types as lsp
    from pytest_lsp import client_capabilities

    answer_server_requests(client)
    return await client.initialize_session(lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
