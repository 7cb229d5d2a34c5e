#!/usr/bin/env python3
"""Time spearmint-framework's own expansion of a sweep, for comparison.

    python benchmarks/spearmint_bench.py DESCRIPTION.py OUT.jsonl

spearmint's package `__init__` imports mlflow, so this never imports the
package: it finds the package's folder with `importlib.util.find_spec`
(which, for a top-level name, locates without importing), and loads only
`spearmint/config/dynamic_value.py` (and the `config.py` beside it, which
holds `Config`; both need pydantic) under stand-in parent packages.

It then runs the DESCRIPTION file (see baseline.py) with spearmint's own
`DynamicValue`, and times `_generate_configurations` (or, in releases that
name it so, `generate_configurations`) over its documents. Those return
`Config` objects, whose validator appends `config_id` the way spearmint
always does; if a release returned plain dicts, the id is added here the
same way. After the timed part it writes the configs as JSONL to OUT.jsonl
(for run.py to compare with mintc's) and prints one JSON line on stdout:
{"seconds": ..., "function": ..., "version": ..., "configs": ...}.

If spearmint-framework is not importable it prints {"skipped": reason}
and exits with status 3.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import runpy
import sys
import time
import types
from decimal import Decimal
from typing import Any

SKIPPED = 3


def skip(reason: str) -> int:
    print(json.dumps({"skipped": reason}))
    return SKIPPED


def find_dynamic_value_file() -> str | None:
    """The path of spearmint/config/dynamic_value.py, without importing spearmint."""
    try:
        spec = importlib.util.find_spec("spearmint")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = os.path.join(folder, "config", "dynamic_value.py")
        if os.path.isfile(candidate):
            return candidate
    return None  # a different package named `spearmint`


def load_dynamic_value(path: str) -> types.ModuleType:
    """Load dynamic_value.py as `spearmint.config.dynamic_value`, with empty
    stand-ins for `spearmint` and `spearmint.config` so that neither
    package's `__init__` (mlflow) runs; its `from .config import Config`
    then loads only config.py."""
    config_dir = os.path.dirname(path)
    package_dir = os.path.dirname(config_dir)
    for name, folder in (("spearmint", package_dir), ("spearmint.config", config_dir)):
        stub = types.ModuleType(name)
        stub.__path__ = [folder]
        stub.__package__ = name
        sys.modules[name] = stub
    spec = importlib.util.spec_from_file_location("spearmint.config.dynamic_value", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def decimal_range(start: str, step: str, n: int) -> list[float]:
    """The same values mintc computes for a float range (see baseline.py)."""
    a, s = Decimal(start), Decimal(step)
    return [float(a + i * s) for i in range(n)]


def config_id(config: dict[str, Any]) -> str:
    """spearmint's `_generate_config_id`, for releases that return dicts."""
    body = {k: v for k, v in config.items() if k != "config_id"}
    canonical = json.dumps(body, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def main() -> int:
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    description, output = sys.argv[1], sys.argv[2]
    path = find_dynamic_value_file()
    if path is None:
        return skip("spearmint-framework is not installed for this Python")
    try:
        module = load_dynamic_value(path)
    except ImportError as exc:
        return skip(f"spearmint-framework is installed but cannot load ({exc}); it needs pydantic")
    generate = getattr(module, "_generate_configurations", None) or getattr(module, "generate_configurations", None)
    if generate is None:
        return skip("this spearmint-framework release has no _generate_configurations")
    try:
        version = importlib.metadata.version("spearmint-framework")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"

    names = runpy.run_path(description, init_globals={"DynamicValue": module.DynamicValue, "decimal_range": decimal_range})
    documents = names["CONFIGS"]

    start = time.perf_counter()
    configs: list[dict[str, Any]] = []
    for doc in documents:
        for item in generate(doc):
            root = item.root if hasattr(item, "root") else item  # Config (pydantic RootModel) or dict
            if "config_id" not in root:
                root["config_id"] = config_id(root)
            configs.append(root)
    seconds = time.perf_counter() - start

    with open(output, "w", encoding="utf-8", newline="\n") as fh:
        for config in configs:
            fh.write(json.dumps(config, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(json.dumps({"seconds": seconds, "function": generate.__name__, "version": version, "configs": len(configs)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
