"""A tiny Hydra app for tests/test_hydra.py: each job appends its job number
and its whole config (resolved) as one JSON line to the file named by the
environment variable MINT_HYDRA_RECORDS."""

from __future__ import annotations

import json
import os

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf


@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def main(cfg: DictConfig) -> None:
    """Record this job's config."""
    record = {"num": HydraConfig.get().job.num, "config": OmegaConf.to_container(cfg, resolve=True)}
    with open(os.environ["MINT_HYDRA_RECORDS"], "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
