"""spearmint-lang: the `.mint` sweep language and its compiler.

`load`/`loads` compile `.mint` files to the expanded configs; `expand` does
the same for sweeps written in Python with `DynamicValue` (and `Zip`,
`Variants`, `Where`, `Computed`, and the distributions with a `Sample`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .compute import Computed
from .dynamic import Config, DynamicValue, Variants, Where, Zip
from .errors import MintError
from .expand import expand
from .sampling import Choice, LogNormal, LogUniform, Normal, RandInt, Sample, Uniform

if TYPE_CHECKING:
    from .sweep import Sweep

__version__ = "0.1.0"


def load(path: str | os.PathLike[str], overrides: Sequence[str] = ()) -> list[Config]:
    """Compile the `.mint` file at `path` to its list of configs; `overrides`
    are `"PATH=VALUE"` strings, as `mintc compile --set` takes them
    (`"+PATH=VALUE"` adds a key the file does not have, as `--add`)."""
    from .compiler import load as _load

    return _load(path, overrides)


def loads(text: str, path: str = "<string>", overrides: Sequence[str] = ()) -> list[Config]:
    """Compile `.mint` source text to its list of configs (`overrides` as for `load`)."""
    from .compiler import loads as _loads

    return _loads(text, path, overrides)


def __getattr__(name: str) -> type[Sweep]:
    """`Sweep` is imported on first use: it is not needed to compile."""
    if name == "Sweep":
        from .sweep import Sweep

        return Sweep
    raise AttributeError(f"module 'spearmint_lang' has no attribute {name!r}")


__all__ = ["Choice", "Computed", "DynamicValue", "LogNormal", "LogUniform", "MintError", "Normal", "RandInt", "Sample", "Sweep",
           "Uniform", "Variants", "Where", "Zip", "__version__", "expand", "load", "loads"]
