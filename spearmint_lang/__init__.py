"""spearmint-lang: the `.mint` sweep language and its compiler.

`load`/`loads` compile `.mint` files to the expanded configs; `expand` does
the same for sweeps written in Python with `DynamicValue` (and `Zip`,
`Variants`, `Where`, `Computed`, and the distributions with a `Sample`).

Every name is imported on first use (`__getattr__`), so that `mintc
--version` and the modules that need only a part of the package do not pay
for the rest (see benchmarks/startup.py). This module imports nothing.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (mypy reads it as True)
if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

    from .compute import Computed
    from .dynamic import Config, DynamicValue, Variants, Where, Zip
    from .errors import MintError
    from .expand import expand
    from .sampling import Choice, LogNormal, LogUniform, Normal, RandInt, Sample, Uniform
    from .sweep import Sweep

__version__ = "0.1.0"

# Where each public name lives.
_LAZY = {
    "Computed": "compute",
    "Config": "dynamic", "DynamicValue": "dynamic", "Variants": "dynamic", "Where": "dynamic", "Zip": "dynamic",
    "MintError": "errors",
    "expand": "expand",
    "Choice": "sampling", "LogNormal": "sampling", "LogUniform": "sampling", "Normal": "sampling",
    "RandInt": "sampling", "Sample": "sampling", "Uniform": "sampling",
    "Sweep": "sweep",
}


def load(path: str | os.PathLike[str], overrides: Sequence[str] = ()) -> list[Config]:
    """Compile the `.mint` file at `path` to its list of configs; `overrides`
    are `"PATH=VALUE"` strings, as `mintc compile --set` takes them
    (`"+PATH=VALUE"` adds a key the file does not have, as `--add`)."""
    from .sweep import load as _load

    return _load(path, overrides)


def loads(text: str, path: str = "<string>", overrides: Sequence[str] = ()) -> list[Config]:
    """Compile `.mint` source text to its list of configs (`overrides` as for `load`)."""
    from .sweep import loads as _loads

    return _loads(text, path, overrides)


def __getattr__(name: str) -> object:
    """A public name, imported from its module on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'spearmint_lang' has no attribute {name!r}")
    value: object = getattr(__import__(f"{__name__}.{module}", fromlist=[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Package(type(sys)):  # type: ignore[misc]
    """The package's module type. `spearmint_lang.expand` is the function,
    though a submodule has that name too: importing a submodule sets it as
    an attribute of the package, which here keeps the function instead."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "expand" and value is sys.modules.get(f"{__name__}.expand"):
            value = getattr(value, "expand")
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = ["Choice", "Computed", "DynamicValue", "LogNormal", "LogUniform", "MintError", "Normal", "RandInt", "Sample", "Sweep",
           "Uniform", "Variants", "Where", "Zip", "__version__", "expand", "load", "loads"]
