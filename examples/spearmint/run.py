"""Run sweep.mint (beside this file) as a spearmint experiment: one branch per config.

    python examples/spearmint/run.py

prints one line per config: its config_id, the branch's status and output.
spearmint traces every branch with mlflow: set MLFLOW_TRACKING_URI first
(e.g. file:///tmp/mlruns) unless a sqlite `mlflow.db` in the working folder
is what you want.
"""

from pathlib import Path

from spearmint import Spearmint
from spearmint.config import Config
from spearmint.strategies import MultiBranchStrategy

from spearmint_lang.integrations.spearmint import use_mint

SWEEP = Path(__file__).with_name("sweep.mint")

sp = use_mint(Spearmint(strategy=MultiBranchStrategy))


@sp.experiment(configs=[SWEEP])
def answer(question: str, config: Config) -> str:
    """A stand-in for a model call."""
    return f"{config['model']} at temperature {config['temperature']}: {question}"


if __name__ == "__main__":
    for branch in answer("What is 2 + 2?").branches:
        print(branch.config_id, branch.status, branch.output)
