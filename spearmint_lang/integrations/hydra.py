"""A Hydra sweeper: every config of a `.mint` file becomes one job.

`python train.py -m hydra/sweeper=mint hydra.sweeper.path=sweep.mint` runs
the app once per config of `sweep.mint`, in the file's order, on whatever
launcher Hydra is configured with. Each config is turned into that job's
overrides (`++model.lr=0.1`, one per leaf of the config, plus
`++config_id=...`), read lazily from `spearmint_lang.Sweep` and sent to the
launcher `max_batch_size` jobs at a time: only one batch's overrides are
ever held.

Hydra finds the sweeper through `hydra_plugins.mint_sweeper`, which
registers `MintSweeperConf` as `hydra/sweeper=mint`; the work is done here.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spearmint_lang.integrations.sweeps import open_sweep, require

require("hydra", extra="hydra", adapter=__name__)

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override, ValueType
from hydra.core.plugins import Plugins
from hydra.errors import CompactHydraException, HydraException
from hydra.plugins.launcher import Launcher
from hydra.plugins.sweeper import Sweeper
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig, OmegaConf

import spearmint_lang
from spearmint_lang import MintError
from spearmint_lang.dynamic import Config

log = logging.getLogger(__name__)

TARGET = "hydra_plugins.mint_sweeper.mint_sweeper.MintSweeper"


@dataclass
class MintSweeperConf:
    """The options of `hydra/sweeper=mint` (`hydra.sweeper.<name>=...`)."""

    _target_: str = TARGET
    # The .mint file; a relative path is taken from the directory the app was started in.
    path: str | None = None
    # Overrides applied to the .mint file, as `mintc compile --set` takes them:
    # "PATH=VALUE" (a key the file has), "+PATH=VALUE" (a new key).
    overrides: list[str] = field(default_factory=list)
    # Jobs handed to the launcher at a time; the next batch starts when one ends.
    max_batch_size: int = 1000
    # The key under which each job gets its config's config_id; null: not passed.
    config_id_key: str | None = "config_id"
    # true: `++key=value`, a key the app's config lacks is added; false:
    # `key=value`, Hydra refuses a key the app's config lacks (a typo).
    new_keys: bool = True


class MintSweepError(CompactHydraException):
    """A mistake in the sweep or its options: Hydra prints the message alone
    (no traceback) and exits with status 1."""


class Unwritable(ValueError):
    """A value or key that Hydra's override syntax cannot carry exactly."""


# Hydra's override grammar (hydra/grammar/OverrideLexer.g4): a key is
# KEY_SPECIAL segments joined by dots, a later segment may be digits
# (INT_UNSIGNED); an unquoted ID is read back as itself unless it is a keyword.
_SEGMENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_\-$]*")
_INDEX = re.compile(r"0|[1-9](?:_?[0-9])*")
_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_KEYWORDS = frozenset({"true", "false", "null", "inf", "nan"})
# The characters a dict key (unquoted in Hydra's grammar) may hold, and those
# among them that are written with a backslash.
_DICT_KEY = re.compile(r"[A-Za-z0-9_\-/+.$%*@?|\\()\[\]{}:=, \t]+")
_DICT_KEY_ESCAPE = re.compile(r"([\\()\[\]{}:=, \t])")
# OmegaConf reads `${` as an interpolation; `\${` is a literal one, and the
# backslashes before it are then doubled.
_INTERPOLATION = re.compile(r"(\\*)\$\{")


def render_value(value: object) -> str:
    """The text after `=` in a Hydra override that gives the key exactly
    `value` (a JSON value): Hydra's override parser and then OmegaConf read
    it back as the same value. `Unwritable` for what they cannot carry."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)  # 1e-05, inf, -inf, nan
    if isinstance(value, str):
        return _render_str(value)
    if isinstance(value, list):
        return "[" + ",".join(render_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_render_dict_key(k)}:{render_value(v)}" for k, v in value.items()) + "}"
    raise Unwritable(f"{type(value).__name__} is not a JSON value")


def _render_str(text: str) -> str:
    """A string: bare when Hydra reads the bare word back as that string,
    else quoted, with OmegaConf's `${` escaped (a .mint string is never an
    interpolation)."""
    if _BARE.fullmatch(text) and text.lower() not in _KEYWORDS:
        return text
    if text == "???":
        raise Unwritable("the string '???' is OmegaConf's mark of a missing value, so Hydra cannot pass it as text")
    text = _INTERPOLATION.sub(lambda m: m.group(1) * 2 + "\\${", text)
    quote = "'" if "'" not in text or '"' in text else '"'
    # Inside quotes, only backslashes before a quote (or the closing one) are escapes.
    escaped = re.sub(rf"(\\*)({quote}|\Z)", lambda m: m.group(1) * 2 + ("\\" + quote if m.group(2) else ""), text)
    return quote + escaped + quote


@functools.lru_cache(maxsize=4096)
def _render_dict_key(key: str) -> str:
    """A key inside `{...}`: Hydra's grammar has no quoted keys, so it is
    written with backslash escapes and read back by Hydra's own parser to
    make sure it stays this string (`1`, `true` or `é` cannot)."""
    text = _DICT_KEY_ESCAPE.sub(r"\\\1", key) if _DICT_KEY.fullmatch(key) else None
    if text is not None:
        try:
            back = _parser().parse_override(f"k={{{text}:0}}").value()
        except HydraException:
            back = None
        if isinstance(back, dict) and [type(k) for k in back] == [str] and list(back) == [key]:
            return text
    raise Unwritable(
        f"the key {key!r} cannot be written in Hydra's override syntax (it would not be read back as this "
        "string: keys inside a value are letters, digits and _ - / + . $ % * @ ? |, and not a number, "
        "true, false or null); rename it in the .mint file")


@functools.lru_cache(maxsize=1)
def _parser() -> OverridesParser:
    """Hydra's override parser (functions only; no config loader needed)."""
    return OverridesParser.create()


def is_key_path(path: str) -> bool:
    """Whether `path` is a key Hydra's override grammar takes: segments of
    letters, digits, `_`, `-`, `$` (not starting with a digit) joined by
    dots; a later segment may be a number."""
    first, *rest = path.split(".")
    return bool(_SEGMENT.fullmatch(first)) and all(_SEGMENT.fullmatch(s) or _INDEX.fullmatch(s) for s in rest)


def leaves(config: Config, prefix: str = "") -> Iterator[tuple[str, object]]:
    """(dotted path, value) for each leaf of `config`, in its order: nested
    objects are walked, lists and empty objects are values. A key that
    cannot be a path segment goes, under its parent, as a one-key object
    value (Hydra merges it in)."""
    for key, value in config.items():
        if _SEGMENT.fullmatch(key) or (prefix and _INDEX.fullmatch(key)):
            path = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict) and value:
                yield from leaves(value, path)
            else:
                yield path, value
        elif prefix:
            yield prefix, {key: value}
        else:
            raise Unwritable(
                f"the top-level key {key!r} cannot be a Hydra override's key (keys are letters, digits, _, - and $, "
                "and a dot would nest it); rename it in the .mint file, or nest it: `a: {b: ...}` for \"a.b\"")


@dataclass(frozen=True)
class JobWriter:
    """How each config becomes one job's overrides."""

    config_id_key: str | None = "config_id"  # where the config_id goes; None: left out
    new_keys: bool = True  # `++path=value` (a missing key is added), else `path=value`
    common: tuple[str, ...] = ()  # the command line's overrides, first in every job
    taken: frozenset[str] = frozenset()  # the keys they set, which the sweep may not set too
    groups: Mapping[str, str] = field(default_factory=dict)  # config group -> "" (in the defaults) or "+"

    def overrides(self, config: Config) -> list[str]:
        """The job's overrides: `common`, then `++path=value` for each leaf
        of `config` (`group=option` for a config group's name), then its
        `config_id` under `config_id_key` (always `++`)."""
        prefix = "++" if self.new_keys else ""
        out = list(self.common)
        for path, value in leaves({k: v for k, v in config.items() if k != "config_id"}):
            if path == "hydra" or path.startswith("hydra."):
                raise Unwritable("the key `hydra` is Hydra's own config; rename it in the .mint file")
            if path in self.taken:
                raise Unwritable(
                    f"the command line sets `{path}`, which the sweep sets too; a swept key's value belongs in "
                    f"the .mint file, so that each job's config and config_id say what ran: change the file, or "
                    f"pass it to the file with 'hydra.sweeper.overrides=[\"{path}=VALUE\"]' (mintc's --set syntax)")
            if path in self.groups and isinstance(value, str):
                out.append(f"{self.groups[path]}{path}={render_value(value)}")  # Hydra has no `++group=`
            else:
                out.append(f"{prefix}{path}={render_value(value)}")
        if self.config_id_key is not None and "config_id" in config:
            out.append(f"++{self.config_id_key}={render_value(config['config_id'])}")
        return out

    def batches(self, configs: Iterable[Config], size: int) -> Iterator[list[list[str]]]:
        """The jobs' overrides, `size` jobs at a time, built as the configs
        are read. `Unwritable` names the config it is about."""
        batch: list[list[str]] = []
        for index, config in enumerate(configs):
            try:
                batch.append(self.overrides(config))
            except Unwritable as exc:
                raise Unwritable(f"config {index} (config_id {config.get('config_id')}): {exc}") from None
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            yield batch


def resolve_path(path: str, cwd: str) -> str:
    """`path` as written when the process is still in `cwd` (the directory
    the app was started in, so diagnostics show the user's path), else
    joined to it."""
    if os.path.isabs(path) or os.path.abspath(os.getcwd()) == os.path.abspath(cwd):
        return path
    return os.path.join(cwd, path)


class MintSweeper(Sweeper):
    """Hydra's `hydra/sweeper=mint`: one job per config of a `.mint` file,
    in its order, `max_batch_size` jobs per launch."""

    def __init__(self, path: str | None = None, overrides: Sequence[str] = (), max_batch_size: int = 1000,
                 config_id_key: str | None = "config_id", new_keys: bool = True) -> None:
        super().__init__()
        self.path = path
        self.overrides = [str(item) for item in overrides]
        self.max_batch_size = max_batch_size
        self.config_id_key = config_id_key
        self.new_keys = new_keys
        self.hydra_context: HydraContext | None = None
        self.config: DictConfig | None = None
        self.launcher: Launcher | None = None

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig) -> None:
        """Keep Hydra's context and config, and set up the launcher."""
        self.hydra_context = hydra_context
        self.config = config
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task_function, config=config)

    def sweep(self, arguments: list[str]) -> None:
        """Launch one job per config, batch by batch, numbered on across
        batches; `arguments` (the command line's overrides) go to every job,
        before the config's. Returns nothing: the jobs' returns are not
        kept (flat memory), as Hydra's Optuna and Ax sweepers keep none."""
        assert self.config is not None and self.launcher is not None
        self.check_options()
        writer = self.writer(arguments)
        sweep = self.load()
        sweep_dir = Path(str(self.config.hydra.sweep.dir))
        sweep_dir.mkdir(parents=True, exist_ok=True)
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        size, exact = sweep.counted()  # as `mintc count` counts (a `where` within its budget)
        count = f"{size:,} configs" if exact else f"at most {size:,} configs (before `where`)"
        log.info(f"Mint sweeper: {self.path}: {count}, {self.max_batch_size} jobs per batch")
        num = 0
        for batch in self.batches(sweep, writer):
            self.validate_batch_is_legal(batch)
            for result in self.launcher.launch(batch, initial_job_idx=num):
                _ = result.return_value  # re-raises a failed job's exception, as Hydra's sweepers do
            num += len(batch)

    def check_options(self) -> None:
        """Refuse options that cannot work, saying what to write."""
        if not self.path:
            raise MintSweepError("hydra/sweeper=mint needs the .mint file: add hydra.sweeper.path=sweep.mint")
        size = self.max_batch_size
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise MintSweepError(f"hydra.sweeper.max_batch_size={size} is not a number of jobs: "
                                 "write a positive number, e.g. hydra.sweeper.max_batch_size=1000")
        if self.config_id_key is not None and not is_key_path(self.config_id_key):
            raise MintSweepError(f"hydra.sweeper.config_id_key={self.config_id_key!r} is not a key Hydra can set: "
                                 "write a dotted path such as config_id or run.config_id, or null to not pass it")

    def writer(self, arguments: list[str]) -> JobWriter:
        """How configs become jobs here: the command line's overrides (a
        Hydra sweep among them is refused: it belongs in the file), the keys
        they set, and the app's config groups."""
        assert self.hydra_context is not None and self.config is not None
        loader = self.hydra_context.config_loader
        parsed = OverridesParser.create(config_loader=loader).parse_overrides(arguments)
        for override in parsed:
            if override.is_sweep_override():
                raise MintSweepError(
                    f"`{override.input_line}` on the command line is a Hydra sweep; with hydra/sweeper=mint the "
                    f"sweep is the .mint file ({self.path}): write it there, {_as_mint(override)}, or give it "
                    "to the file in hydra.sweeper.overrides (mintc's --set syntax)")
        chosen = set(self.config.hydra.runtime.choices)
        groups = {g: "" if g in chosen else "+" for g in loader.list_groups("") if g != "hydra"}
        return JobWriter(config_id_key=self.config_id_key, new_keys=self.new_keys, common=tuple(arguments),
                         taken=frozenset(o.key_or_group for o in parsed if not o.is_delete()), groups=groups)

    def load(self) -> spearmint_lang.Sweep:
        """The sweep of the `.mint` file (with `overrides`); its diagnostic
        as the error when it does not compile."""
        assert self.config is not None and self.path is not None
        path = resolve_path(self.path, str(self.config.hydra.runtime.cwd))
        try:
            return open_sweep(path, list(self.overrides))
        except MintError as err:
            raise MintSweepError(err.render()) from None

    def batches(self, sweep: spearmint_lang.Sweep, writer: JobWriter) -> Iterator[list[list[str]]]:
        """The writer's batches of the sweep, its mistakes as `MintSweepError`."""
        batches = writer.batches(sweep, self.max_batch_size)
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except MintError as err:  # a computed value that fails in some config
                raise MintSweepError(err.render()) from None
            except Unwritable as exc:
                raise MintSweepError(f"{self.path}: {exc}") from None
            yield batch


def _as_mint(override: Override) -> str:
    """The `.mint` entry for a command line's enumerable Hydra sweep
    (`lr=1,2` -> `lr: [1, 2]*`), else a description of one."""
    if override.value_type in (ValueType.SIMPLE_CHOICE_SWEEP, ValueType.CHOICE_SWEEP, ValueType.RANGE_SWEEP):
        values = json.dumps(list(override.sweep_iterator()), ensure_ascii=False)
        return f"`{override.key_or_group}: {values}*`"
    return f"as a list with `*` (`{override.key_or_group}: [...]*`) or a range (`0..10 step 2`)"
