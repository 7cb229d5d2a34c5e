"""The pipeline from source to configs: decode, parse, build, lower, expand.

`compile_source` stops after lowering and returns the seed's data model, so
that every output path (API, CLI, editor) shares one front end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from . import builder, lower, parser
from .errors import Collector, MintError
from .expand import iter_configs
from .source import Source, Span, normalise, position_of


def decode(data: bytes, path: str) -> Source:
    """UTF-8 bytes to a `Source`; invalid bytes are a located error."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        line, col = position_of(good, len(good))
        src = Source(path, normalise(data.decode("utf-8", errors="replace")))
        errors = Collector()
        errors.error(
            "E004",
            f"invalid UTF-8: byte 0x{data[exc.start]:02x} on line {line} cannot be decoded",
            Span(src, line, col, line, col + 1),
            hint="save the file as UTF-8",
        )
        errors.raise_if_any()
    return Source(path, normalise(text))


def compile_source(source: Source) -> list[dict[str, Any]]:
    """Check `source` and lower it to DynamicValue-bearing dicts."""
    errors = Collector()
    nul = source.text.find("\x00")
    if nul >= 0:
        line, col = position_of(source.text, nul)
        errors.error(
            "E005", "NUL byte in the source", Span(source, line, col, line, col + 1),
            hint="a .mint file is text; is this a binary file?",
        )
        errors.raise_if_any()
    tree = parser.parse(source, errors)
    docs: list[dict[str, Any]] = []
    if tree is not None:  # even after recovered syntax errors: report all
        ast = builder.build(source, tree, errors)
        docs = lower.lower(ast, errors)
    errors.raise_if_any()
    return docs


def read(path: str | os.PathLike[str]) -> Source:
    """Read and decode a `.mint` file; an unreadable file is error E000."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        errors = Collector()
        reason = exc.strerror or str(exc)
        errors.error("E000", f"cannot read file: {reason}", Span(Source(name, ""), 1, 1, 1, 1))
        errors.raise_if_any()
        raise  # pragma: no cover - raise_if_any always raises here
    return decode(data, name)


def iter_load(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Configs of a file, lazily."""
    return iter_configs(compile_source(read(path)))


def load(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Compile the `.mint` file at `path` to its expanded configs.

    Raises `MintError` (with file, line and column) for any mistake in it.
    """
    return list(iter_load(path))


def loads(text: str, path: str = "<string>") -> list[dict[str, Any]]:
    """Compile `.mint` source text to its expanded configs."""
    return list(iter_configs(compile_source(Source(path, normalise(text)))))


__all__ = ["MintError", "compile_source", "decode", "load", "loads", "read"]
