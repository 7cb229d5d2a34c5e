"""Hydra's `hydra/sweeper=mint` (spearmint-lang): one job per config of a
`.mint` file. Hydra imports every module under `hydra_plugins` at start-up
and registers the plugin classes it finds; the sweeper itself is
`spearmint_lang.integrations.hydra`."""
