"""Every example in every format (syrupy snapshots), and each seed example
compared with spearmint's own expansion of the same sweep written in Python."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from spearmint_lang import DynamicValue, __version__, expand, load
from spearmint_lang.compiler import compile_source, decode
from spearmint_lang.output.emit import emit
from spearmint_lang.output.formats import FORMATS
from spearmint_lang.sweep import Sweep
from tests.conftest import EXAMPLES, ROOT

EXAMPLE_FILES = sorted(p.relative_to(ROOT).as_posix() for p in EXAMPLES.rglob("*.mint"))


def render(rel: str, fmt: str) -> str:
    source = decode((ROOT / rel).read_bytes(), rel)
    return "".join(emit(fmt, Sweep(compile_source(source)), rel, __version__))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("rel", EXAMPLE_FILES)
def test_example_snapshot(rel: str, fmt: str, snapshot: Any) -> None:
    assert render(rel, fmt) == snapshot


@pytest.mark.parametrize("rel", EXAMPLE_FILES)
def test_formats_agree(rel: str, tmp_path: Path) -> None:
    as_json = json.loads(render(rel, "json"))
    as_jsonl = [json.loads(line) for line in render(rel, "jsonl").splitlines()]
    module_path = tmp_path / "sweep_module.py"
    module_path.write_text(render(rel, "py"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("sweep_module", module_path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    as_yaml = list(yaml.safe_load_all(render(rel, "yaml")))
    assert as_json == as_jsonl == module.configs == as_yaml == load(ROOT / rel)
    # The module is plain data: it imports nothing from spearmint_lang.
    assert "spearmint_lang" not in module_path.read_text(encoding="utf-8").split('"""')[-1]


def _temperature_values():  # the seed's generator example
    for temp in range(0, 101, 50):
        yield temp / 100.0


def _learning_rates():
    for exp in range(-5, 0):
        yield 10**exp


# Each seed example as the seed writes it in Python.
SEED: dict[str, list[dict[str, Any]]] = {
    "lists.mint": [{"model": DynamicValue(["gpt-4", "gpt-3.5-turbo", "gpt-4o-mini"])}],
    "ranges.mint": [{"temperature": DynamicValue(range(0, 101, 25))}],
    "generator.mint": [{"model": "gpt-4", "temperature": DynamicValue(_temperature_values())}],
    "grid-2d.mint": [{"model": DynamicValue(["gpt-4", "gpt-3.5-turbo"]), "temperature": DynamicValue([0.0, 0.5, 1.0])}],
    "grid-3d.mint": [
        {
            "model": DynamicValue(["gpt-4o", "gpt-4o-mini"]),
            "temperature": DynamicValue([0.0, 0.7]),
            "max_tokens": DynamicValue([500, 1000, 2000]),
        }
    ],
    "nested.mint": [
        {
            "llm": {
                "model": DynamicValue(["gpt-4", "gpt-3.5-turbo"]),
                "params": {"temperature": DynamicValue([0.0, 0.5, 1.0]), "max_tokens": 1000},
            }
        }
    ],
    "learning-rates.mint": [{"optimizer": "adam", "learning_rate": DynamicValue(_learning_rates())}],
    "conditional.mint": [{"model": "gpt-4", "temperature": DynamicValue([0.0, 0.3, 0.7])}],
    "mixed.mint": [
        {"model": "gpt-4", "temperature": 0.7, "mode": "production"},
        {
            "model": DynamicValue(["gpt-4o-mini", "gpt-3.5-turbo"]),
            "temperature": DynamicValue([0.0, 0.5, 1.0]),
            "mode": "evaluation",
        },
    ],
    "ab-testing.mint": [
        {"algorithm_version": DynamicValue(["v1", "v2", "v3", "v4"]), "feature_flags": {"use_cache": True, "timeout": 30}}
    ],
    "nested-params.mint": [{"params": {"temp": DynamicValue([0.7, 0.9]), "tokens": DynamicValue([100, 200])}}],
}

COUNTS = {
    "lists.mint": 3, "ranges.mint": 5, "overrides.mint": 1, "generator.mint": 3, "grid-2d.mint": 6, "grid-3d.mint": 12,
    "nested.mint": 6, "learning-rates.mint": 5, "conditional.mint": 3, "mixed.mint": 7,
    "tuning.mint": 189, "ab-testing.mint": 4, "nested-params.mint": 4, "prompts.mint": 6,
    "named-values.mint": 6, "ranges-more.mint": 45, "swept-objects.mint": 3, "model-comparison.mint": 3,
    "conditional-variants.mint": 7, "constraints.mint": 7, "schema.mint": 6,
    "extends/base.mint": 2, "extends/experiment.mint": 8, "slurm/sweep.mint": 60,
    "compose/base.mint": 2, "compose/gpu.mint": 1, "compose/prompts.mint": 0, "compose/sweep.mint": 8,
    "random-search.mint": 32, "sobol.mint": 64, "llm-random.mint": 48,
    "list-sweeps.mint": 8, "dotted-keys.mint": 4, "block-strings.mint": 4,
    "derived.mint": 10, "interpolation.mint": 4,
    "hydra/sweep.mint": 6,
    "ray/data_sweep.mint": 9,
    "spearmint/sweep.mint": 5,
}


@pytest.mark.parametrize("name", sorted(SEED))
def test_seed_example_matches_python(name: str) -> None:
    expected = expand(SEED[name])
    got = load(EXAMPLES / name)
    assert json.dumps(got) == json.dumps(expected)


def test_tuning_example_is_the_decimal_version_of_the_seed() -> None:
    # The seed writes `i * 0.1`, which gives 0.30000000000000004; the range
    # `0.0..2.0 step 0.1` is computed in decimal and gives 0.3.
    configs = load(EXAMPLES / "tuning.mint")
    temps = sorted({c["temperature"] for c in configs})
    assert temps == [round(i * 0.1, 1) for i in range(21)]
    seed = expand(
        [
            {
                "model": "gpt-4",
                "temperature": DynamicValue([round(i * 0.1, 1) for i in range(0, 21)]),
                "top_p": DynamicValue([0.9, 0.95, 1.0]),
                "frequency_penalty": DynamicValue([0.0, 0.5, 1.0]),
            }
        ]
    )
    assert configs == seed


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_example_counts(name: str) -> None:
    assert len(load(EXAMPLES / name)) == COUNTS[name]


def test_every_example_is_counted() -> None:
    assert sorted(COUNTS) == sorted(str(Path(p).relative_to("examples").as_posix()) for p in EXAMPLE_FILES)


def test_module_import_needs_no_spearmint_lang(tmp_path: Path) -> None:
    import subprocess

    module_path = tmp_path / "m.py"
    module_path.write_text(render("examples/nested.mint", "py"), encoding="utf-8")
    code = "import sys, m; assert 'spearmint_lang' not in sys.modules; print(len(m.configs))"
    out = subprocess.run(
        [sys.executable, "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "6"
