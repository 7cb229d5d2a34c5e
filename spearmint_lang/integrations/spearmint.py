"""spearmint-framework's experiments reading `.mint` paths (docs/integrations.md).

spearmint turns a `str`/`Path` in a `configs` list into configs through the
instance's config handler, which is spearmint's `yaml_handler`. Here:

- `mint_handler(path)` is a config handler: a `.mint` path is compiled (every
  config keeps the `config_id` that `mintc compile` prints), anything else
  goes to spearmint's `yaml_handler`;
- `use_mint(sp)` installs it on a `Spearmint` instance, so that
  `@sp.experiment(configs=["sweep.mint"])` works;
- `MintSpearmint(...)` is a `Spearmint` whose constructor takes paths too
  (spearmint 0.2.1's constructor parses `configs` before it has a handler);
- `mint_configs([...])` compiles the paths of a `configs` list into `Config`
  objects up front, through spearmint's public API alone.

spearmint 0.2.1 has no public way to set the handler: `use_mint` and
`MintSpearmint` set the instance's private `_config_handler` attribute, and
refuse (TypeError) a release that has none.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from spearmint_lang.integrations.sweeps import require

require("spearmint", extra="spearmint", adapter=__name__)

from pydantic import BaseModel
from spearmint import Spearmint
from spearmint.config import Config
from spearmint.strategies import Strategy
from spearmint.utils.handlers import yaml_handler
from .sweeps import load_configs

Handler = Callable[[str | Path], list[dict[str, Any]]]
"""What spearmint calls with each path of a `configs` list."""

ConfigSource = dict[str, Any] | Config | str | os.PathLike[str]
"""One entry of a `configs` list: a dict (DynamicValue sweeps expand), a
`Config`, or the path of a `.mint` file, a YAML file or a folder of YAML."""

_HOOK = "_config_handler"  # spearmint's (private) handler attribute


def is_mint(path: str | os.PathLike[str]) -> bool:
    """Whether `path` names a `.mint` file (by its extension, as `mintc` and `extends` do)."""
    return Path(path).suffix == ".mint"


def read_folder(path: str | os.PathLike[str], fallback: Handler = yaml_handler) -> list[dict[str, Any]]:
    """A folder's configs as `fallback` (spearmint's YAML reader) gives them.

    `.mint` files in a folder are never compiled (a folder of sweeps often
    holds bases for `extends` and `import` libraries, which are not sweeps):
    a folder that has some but gives no config is an error, and one that
    gives configs as well gets a warning naming what was left out.
    """
    configs = fallback(Path(path))
    mint_files = sorted(str(p) for p in Path(path).rglob("*.mint"))
    if not mint_files:
        return configs
    advice = f"name each sweep to run in `configs`, e.g. configs=[{mint_files[0]!r}]"
    if not configs:
        raise ValueError(f"{os.fspath(path)}: a folder gives only its YAML files as configs, and this one has "
                         f"none; its .mint files are not read: {advice}")
    warnings.warn(f"{os.fspath(path)}: its {len(mint_files)} .mint file(s) are not read (a folder gives only its "
                  f"YAML files as configs); {advice}", UserWarning)
    return configs


def handle(path: str | os.PathLike[str], fallback: Handler = yaml_handler) -> list[dict[str, Any]]:
    """The configs a `configs` path stands for: a `.mint` file compiled, a
    folder through `read_folder`, anything else through `fallback`."""
    if is_mint(path):
        return load_configs(path)
    if Path(path).is_dir():
        return read_folder(path, fallback)
    if isinstance(path, str) and len(path) == 1 and not Path(path).exists():
        # (spearmint iterates a string given as `configs`, one character a path)
        raise ValueError(f"spearmint was given {path!r} as a config path: `configs` must be a list, "
                         "write configs=[\"sweep.mint\"], not configs=\"sweep.mint\"")
    return fallback(Path(path))


def mint_handler(path: str | Path) -> list[dict[str, Any]]:
    """spearmint's config handler, reading `.mint` files too: `.mint` paths are
    compiled, other paths go to spearmint's `yaml_handler` (see `handle`)."""
    return handle(path)


class _Chained:
    """A handler that compiles `.mint` paths and gives every other path to
    `fallback` (the handler an instance had before `use_mint`)."""

    def __init__(self, fallback: Handler) -> None:
        self.fallback = fallback

    def __call__(self, path: str | Path) -> list[dict[str, Any]]:
        return handle(path, self.fallback)


def use_mint(sp: Spearmint) -> Spearmint:
    """Make `sp` read `.mint` paths in `@sp.experiment(configs=[...])`; returns `sp`.

    Call it before decorating: spearmint reads the configs when the
    decorator is applied. Other paths go on to the handler `sp` had
    (spearmint's `yaml_handler` unless replaced). Sets spearmint's private
    `_config_handler` attribute; a release without it is refused.
    """
    current = getattr(sp, _HOOK, None)
    if not callable(current):
        raise TypeError(f"this spearmint-framework release has no `{_HOOK}` to read .mint paths through; "
                        "pass compiled configs instead: configs=mint_configs([\"sweep.mint\"])")
    if current is mint_handler or isinstance(current, _Chained):
        return sp  # (already reads .mint)
    setattr(sp, _HOOK, mint_handler if current is yaml_handler else _Chained(current))
    return sp


def _as_configs(dicts: Iterable[dict[str, Any]]) -> list[Config]:
    """spearmint `Config` objects of the dicts (each keeps its `config_id`)."""
    return [Config(d) for d in dicts]


def mint_configs(configs: Sequence[ConfigSource], overrides: Sequence[str] = ()) -> list[dict[str, Any] | Config]:
    """`configs` with every path replaced by the `Config` objects it stands for.

    `.mint` paths are compiled (with `overrides`, `"PATH=VALUE"` strings as
    `mintc compile --set` takes them, applied to each), other paths read by
    spearmint's `yaml_handler`; dicts and `Config`s are kept as they are.
    The result goes where spearmint takes a `configs` list — the
    `Spearmint` constructor or `experiment` — and uses no private API.
    """
    if isinstance(configs, (str, os.PathLike)):
        raise TypeError(f"configs must be a list: write configs=[{os.fspath(configs)!r}]")
    out: list[dict[str, Any] | Config] = []
    for entry in configs:
        if isinstance(entry, (str, os.PathLike)):
            out.extend(_as_configs(load_configs(entry, overrides) if is_mint(entry) else handle(entry)))
        else:
            out.append(entry)
    return out


class MintSpearmint(Spearmint):
    """A `Spearmint` that reads `.mint` paths, in its constructor's `configs`
    (compiled before spearmint sees them; YAML paths are read there too,
    which spearmint 0.2.1's own constructor cannot do) and in
    `@sp.experiment(configs=[...])` (through `use_mint`)."""

    def __init__(
        self,
        strategy: type[Strategy] | None = None,
        configs: Sequence[ConfigSource] | None = None,
        bindings: dict[type[BaseModel], str] | None = None,
        evaluators: Sequence[Callable[..., Any]] | None = None,
    ) -> None:
        super().__init__(strategy=strategy, configs=mint_configs(configs or []), bindings=bindings,
                         evaluators=evaluators)
        use_mint(self)


__all__ = ["ConfigSource", "Handler", "MintSpearmint", "handle", "is_mint", "mint_configs",
           "mint_handler", "read_folder", "use_mint"]
