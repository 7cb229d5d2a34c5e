#!/usr/bin/env python3
"""How large a sweep spearmint-framework takes through `.mint` paths, and what it costs.

    python benchmarks/integrations/spearmint_integration.py [N] [--run] [--steps=load,decorate,...]

Writes a sweep of N configs (default 100,000; a multiple of 100: 10 models
x 10 temperatures x N/100 seeds, each config with a nested prompt object) to
a temporary folder, then, each in a fresh process so that peak memory is
its own, measures:

- `imports`: `import spearmint` (which imports mlflow) and this package's
  integration, nothing else: the floor every other line stands on;
- `load`: `spearmint_lang.load(path)`, ours alone: the list of N dicts;
- `decorate`: `use_mint(Spearmint(...))` and `@sp.experiment(configs=[path])`:
  ours, then spearmint's list of N `Config` objects (spearmint reads the
  configs when the decorator is applied and keeps them all);
- `chunks`: the same sweep run lazily, `Sweep(path)[start:start + 10_000]` per
  `@sp.experiment`, each chunk decorated and dropped in turn (decorated only,
  not run, unless `--run`), to show what a chunked run holds.

`--steps` picks some of these (`--steps=imports,chunks` for 10,000,000
configs, where `decorate` would need about 12 GB). With `--run`, `decorate`
also runs the experiment once with MultiBranchStrategy (every config a
branch, each traced by mlflow to a file store in the temporary folder) and
`chunks` runs each chunk.

Prints one line per measurement: seconds of its own step and peak RSS
(`resource.getrusage`, MB) of its process. Needs spearmint-framework.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHUNK = 10_000


def sweep_text(n: int) -> str:
    """A sweep of `n` configs (`n` a multiple of 100)."""
    return (
        'model: ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"]*\n'
        "temperature: 0.0..0.9 step 0.1\n"
        f"seed: 0..<{n // 100}\n"
        'prompt: { system: "You are a helpful assistant.", max_tokens: 256 }\n'
    )


def peak_mb() -> float:
    """This process's peak RSS in MB (ru_maxrss is KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(step: str, path: str, run: bool) -> dict[str, object]:
    """One measurement, in this (fresh) process."""
    import spearmint_lang

    if step == "load":
        t = time.perf_counter()
        configs = spearmint_lang.load(path)
        return {"seconds": time.perf_counter() - t, "configs": len(configs)}

    from spearmint import Spearmint
    from spearmint.config import Config
    from spearmint.strategies import MultiBranchStrategy

    from spearmint_lang.integrations.spearmint import mint_handler, use_mint

    def experiment(config: Config) -> str:
        return str(config["config_id"])

    if step == "imports":
        return {"seconds": 0.0, "configs": 0}
    sp = use_mint(Spearmint(strategy=MultiBranchStrategy))
    t = time.perf_counter()
    if step == "decorate":
        ours = []

        def timed(p: str | Path) -> list[dict[str, object]]:
            start = time.perf_counter()
            configs = mint_handler(p)
            ours.append(time.perf_counter() - start)
            return configs

        sp._config_handler = timed  # (the handler use_mint installed, timed)
        wrapped = sp.experiment(configs=[path])(experiment)
        result: dict[str, object] = {"seconds": time.perf_counter() - t, "ours": ours[0],
                                     "configs": len(sp._experiments["experiment"]["config_ids"])}
        if run:
            t = time.perf_counter()
            branches = wrapped().branches
            assert all(b.status == "success" for b in branches)
            result["run_seconds"] = time.perf_counter() - t
        return result
    sweep = spearmint_lang.Sweep(path)
    done = 0
    for start in range(0, len(sweep), CHUNK):
        part = [Config(c) for c in sweep[start:start + CHUNK]]
        wrapped = sp.experiment(configs=part)(experiment)
        if run:
            assert all(b.status == "success" for b in wrapped().branches)
        done += len(part)
    return {"seconds": time.perf_counter() - t, "configs": done}


def main() -> None:
    """Measure every step for the N given (default 100,000)."""
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    run = "--run" in sys.argv
    chosen = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--steps=")]
    steps = chosen[0].split(",") if chosen else ["imports", "load", "decorate", "chunks"]
    if len(args) == 3 and args[0] == "child":
        result = child(args[1], args[2], run)
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return
    n = int(args[0]) if args else 100_000
    if n % 100:
        sys.exit("N must be a multiple of 100")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sweep.mint"
        path.write_text(sweep_text(n), encoding="utf-8")
        env = {**os.environ, "MLFLOW_TRACKING_URI": Path(tmp, "mlruns").as_uri(), "MLFLOW_DISABLE_TELEMETRY": "true"}
        print(f"{n:,} configs")
        for step in steps:
            out = subprocess.run([sys.executable, __file__, "child", step, str(path)] + (["--run"] if run else []),
                                 env=env, capture_output=True, text=True, check=True)
            got = json.loads(out.stdout.strip().splitlines()[-1])
            extra = f" (ours {got['ours']:.2f} s)" if "ours" in got else ""
            extra += f", run {got['run_seconds']:.1f} s" if "run_seconds" in got else ""
            print(f"{step:9} {got['configs']:>10,} configs {got['seconds']:8.2f} s{extra}  peak RSS {got['peak_mb']:8.0f} MB")


if __name__ == "__main__":
    main()
