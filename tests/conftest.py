"""Shared helpers for the test suite."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
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

# The biggest fuzzers and property tests draw `fuzz_examples(n)` examples:
# n scaled by MINT_FUZZ_SCALE, 1 by default (the budget that keeps pytest
# under three minutes on two cores beside the integration tests); a deeper
# run outside CI: `MINT_FUZZ_SCALE=10 .venv/bin/python -m pytest tests/test_fuzz.py`.
FUZZ_SCALE = float(os.environ.get("MINT_FUZZ_SCALE", "1"))


def fuzz_examples(n: float) -> int:
    """The number of examples a fuzzer of CI budget `n` draws in this run."""
    return max(1, round(n * FUZZ_SCALE))


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


@pytest.fixture(scope="session")
def ray_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One local Ray runtime of 2 CPUs per test worker, shared by the Ray Tune
    and Ray Data tests (started once: it takes seconds): no dashboard, no
    usage reports, no token written to ~/.ray, its files in a temporary
    folder, no progress bars or per-trial logger files."""
    import ray
    from ray.data.context import DataContext

    saved = dict(os.environ)
    os.environ.update({
        "RAY_AUTH_MODE": "disabled",  # else ray.init writes a token to ~/.ray/auth_token
        "RAY_USAGE_STATS_ENABLED": "0",
        "RAY_AIR_NEW_OUTPUT": "0",  # (with verbose=0: no progress tables)
        "TUNE_DISABLE_AUTO_CALLBACK_LOGGERS": "1",  # no CSV/JSON/TensorBoard files per trial
    })
    ctx = DataContext.get_current()
    ctx.enable_progress_bars, ctx.print_on_execution_start = False, False
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
             _temp_dir=str(tmp_path_factory.mktemp("ray")))
    try:
        yield
    finally:
        ray.shutdown()
        os.environ.clear()
        os.environ.update(saved)


# The longest files first (measured with --durations, the Ray files as one):
# with `-n 2 --dist loadfile` each worker takes whole files as it frees up,
# so starting with the longest ones leaves no worker alone with a long file
# at the end.
LONGEST_FIRST = ["test_robustness.py", "test_fuzz.py", "test_yaml_plan.py", "test_ray_tune.py", "test_ray_data.py", "test_properties.py",
                 "test_nvim.py", "test_hydra.py", "test_files.py", "test_scale.py", "test_spearmint_integration.py",
                 "test_convert.py", "test_precommit.py",
                 "test_slurm.py", "test_reuse.py", "test_fmt.py", "test_lsp.py", "test_yaml.py", "test_sampling_stats.py",
                 "test_lsp_live.py", "test_filters.py", "test_completion.py", "test_cli.py", "test_constructs.py",
                 "test_bounds.py", "test_wheel.py"]

# Files one worker runs, as one unit of work: the Ray ones share that
# worker's Ray runtime (`ray_runtime`, seconds to start).
SAME_WORKER = {"test_ray_data.py": "test_ray_tune.py"}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under `--dist loadfile`: pytest-xdist's file scheduling, with the
    files of `SAME_WORKER` as one unit and the units handed out in the order
    of `LONGEST_FIRST` (xdist would otherwise order them by their number of
    tests, its `--loadscope-reorder`, which puts the long files of a few
    hypothesis tests last)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling  # type: ignore[import-untyped]

    class Scheduling(LoadFileScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            name = path.rpartition("/")[2]
            return path[:len(path) - len(name)] + SAME_WORKER[name] if name in SAME_WORKER else path

    config.option.loadscopereorder = False
    return Scheduling(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Runs the longest test files first (each file's tests stay in order)."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


# Texts longer than this are not parsed a second time by Lark: the check is
# for the many short texts the tests write by hand (Lark's parse of the
# generated and scale programs would cost the suite ~10 s; tests/test_descent.py
# compares the two parsers on generated programs and large files itself).
CHECKED_TEXT_LIMIT = 400


@pytest.fixture(autouse=True, scope="session")
def descent_checked_against_lark() -> Iterator[None]:
    """Every short text the suite parses in this process (each once) is
    also parsed by Lark, and the fast path (`spearmint_lang.descent`) must
    give Lark's tree or decline: it must never take a text Lark rejects,
    nor build another tree. So every test is also a differential test of
    the two parsers."""
    from lark import ParseTree
    from lark.exceptions import UnexpectedInput

    from spearmint_lang import descent
    from spearmint_lang.grammar import lark
    from tests.tree_diff import differences

    fast = descent.parse
    seen: set[str] = set()  # (each text is compared once)

    def checked(text: str) -> ParseTree | None:
        got = fast(text)
        if got is None or len(text) > CHECKED_TEXT_LIMIT or text in seen:
            return got
        seen.add(text)
        try:
            want = lark().parse(text)
        except UnexpectedInput:
            raise AssertionError(f"descent.parse took a text Lark rejects: {text!r}") from None
        found = differences(want, got)
        assert not found, f"descent.parse built another tree than Lark for {text!r}: {found}"
        return got

    descent.parse = checked
    try:
        yield
    finally:
        descent.parse = fast
