"""The sweeper class and its config, where Hydra looks for them: a plugin's
class must live under `hydra_plugins` (Hydra refuses other `_target_`s), and
the config is stored as `hydra/sweeper=mint`, as Hydra stores its basic
sweeper's."""

from __future__ import annotations

from hydra.core.config_store import ConfigStore

from spearmint_lang.integrations import hydra as _mint


class MintSweeper(_mint.MintSweeper):
    """`hydra/sweeper=mint`: one job per config of `hydra.sweeper.path`
    (see `spearmint_lang.integrations.hydra.MintSweeper`)."""


ConfigStore.instance().store(group="hydra/sweeper", name="mint", node=_mint.MintSweeperConf,
                             provider="spearmint-lang")
