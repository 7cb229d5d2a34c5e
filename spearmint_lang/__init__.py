"""spearmint-lang: the `.mint` sweep language and its compiler.

`load`/`loads` compile `.mint` files to the expanded configs; `expand` does
the same for sweeps written in Python with `DynamicValue`.
"""

from __future__ import annotations

import os
from typing import Any

from .dynamic import DynamicValue
from .errors import MintError
from .expand import expand

__version__ = "0.1.0"


def load(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Compile the `.mint` file at `path` to its list of configs."""
    from .compiler import load as _load

    return _load(path)


def loads(text: str, path: str = "<string>") -> list[dict[str, Any]]:
    """Compile `.mint` source text to its list of configs."""
    from .compiler import loads as _loads

    return _loads(text, path)


__all__ = ["DynamicValue", "MintError", "__version__", "expand", "load", "loads"]
