"""A Hydra app for examples/hydra/sweep.mint: run it with

    python train.py -m hydra/sweeper=mint hydra.sweeper.path=sweep.mint

Each job "trains" (a made-up score) and writes result.json, with the
config_id the sweeper passed, to its own output directory."""

from __future__ import annotations

import json
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf


@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def train(cfg: DictConfig) -> float:
    """One run: a score from the optimizer's settings."""
    opt = cfg.optimizer
    score = round(1.0 - abs(opt.lr - 0.01) + 0.1 * opt.get("momentum", 0.0) - cfg.batch_size / 1e4, 6)
    result = {"config_id": cfg.config_id, "optimizer": OmegaConf.to_container(opt), "batch_size": cfg.batch_size,
              "score": score}
    out = Path(HydraConfig.get().runtime.output_dir) / "result.json"
    out.write_text(json.dumps(result) + "\n", encoding="utf-8")
    return score


if __name__ == "__main__":
    train()
