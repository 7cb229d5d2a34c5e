"""The sweep an adapter runs: one way to open it for every integration.

Each adapter takes the path of a `.mint` file (with `mintc --set`-style
overrides) or a `spearmint_lang.Sweep` (a slice, a shard). A file that does
not compile raises its `MintError` here, on the driver, before any engine
starts; its traceback stops at the adapter and, on Python 3.11+, a note
completes the message to what `mintc check` prints.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence

from spearmint_lang import MintError
from spearmint_lang.dynamic import Config
from spearmint_lang.sweep import Sweep

Source = str | os.PathLike[str] | Sweep


def require(package: str, extra: str, adapter: str) -> None:
    """Refuse to load `adapter` without its engine's `package`, saying which
    extra installs it (rather than a bare "No module named ...")."""
    if importlib.util.find_spec(package) is None:
        raise ModuleNotFoundError(f"{adapter} needs {package}, which is not installed here: "
                                  f"pip install 'spearmint-lang[{extra}]'", name=package)


def checked_overrides(overrides: Sequence[str]) -> list[str]:
    """`overrides` as a list, refusing a lone string (which would be read
    one character at a time)."""
    if isinstance(overrides, str):
        raise TypeError(f'overrides takes a list of "PATH=VALUE" strings: write overrides=[{overrides!r}]')
    return list(overrides)


def as_user_error(err: MintError) -> MintError:
    """`err` without our frames, its note holding the source line, caret
    and hint (and any further errors) after the one-line message."""
    rest = err.render().removeprefix(str(err)).lstrip("\n")
    if rest and hasattr(err, "add_note") and rest not in getattr(err, "__notes__", ()):
        err.add_note(rest)
    return err.with_traceback(None)


def open_sweep(source: Source, overrides: Sequence[str] = ()) -> Sweep:
    """The `Sweep` a `.mint` path (compiled now) or a `Sweep` stands for."""
    if isinstance(source, Sweep):
        if overrides:
            raise ValueError("overrides apply to a .mint path: for a Sweep, write Sweep(path, overrides=[...]) "
                             "(then a slice or .shard(k, n)) and pass no overrides=")
        return source
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"expected the path of a .mint file or a spearmint_lang.Sweep, got {type(source).__name__}")
    listed = checked_overrides(overrides)
    try:
        return Sweep(source, overrides=listed)
    except MintError as err:
        raise as_user_error(err) from None


def load_configs(path: str | os.PathLike[str], overrides: Sequence[str] = ()) -> list[Config]:
    """Every config of the `.mint` file at `path`, in `mintc compile` order."""
    from spearmint_lang import load

    try:
        return load(path, checked_overrides(overrides))
    except MintError as err:
        raise as_user_error(err) from None
