"""Adapters to the engines sweeps run on (docs/integrations.md).

Each module here imports its engine's package (an optional extra) and is
itself imported only when used; none is imported by the compiler, the
command line or the language server:

- `hydra`: a Hydra sweeper (`hydra/sweeper=mint`), registered through the
  `hydra_plugins.mint_sweeper` package;
- `ray_tune`: a Ray Tune `Searcher` handing out a sweep's configs lazily, and
  a `param_space` helper for small sweeps;
- `ray_data`: a Ray Data datasource reading a sweep as blocks of configs by
  index;
- `spearmint`: spearmint-framework's experiments reading `.mint` paths.
"""
