"""The pipeline from source to configs: decode, parse, build, lower, expand.

`compile_source` stops after lowering and returns the seed's data model, so
that every output path (API, CLI, editor) shares one front end.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

from . import builder, lower, nodes, parser
from .errors import Collector, MintError
from .expand import iter_configs
from .source import Source, Span, normalise, position_of


_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_SOURCE_BYTES = 64 * 1024 * 1024


def decode(data: bytes, path: str) -> Source:
    """UTF-8 bytes to a `Source`; invalid bytes are a located error."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace").removeprefix("\ufeff")
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
    lone = _SURROGATE.search(source.text)
    if lone is not None:
        line, col = position_of(source.text, lone.start())
        errors.error(
            "E011", "the text holds a lone surrogate, which cannot be written as UTF-8",
            Span(source, line, col, line, col + 1), hint="pass text that came from valid UTF-8",
        )
        errors.raise_if_any()
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
        docs = lower.lower(ast, errors, _loader(source, errors, (_identity(source),)))
    errors.raise_if_any()
    return docs


def _identity(source: Source) -> str:
    """How a file is known in the `extends` chain (for cycle detection)."""
    if source.path.startswith("<"):
        return source.path
    return os.path.realpath(source.path)


def _loader(source: Source, errors: Collector, chain: tuple[str, ...]) -> lower.LoadBase:
    """Loads `extends "path"` relative to `source`, sharing `errors`."""

    def load(path: nodes.Str) -> lower.Base | None:
        folder = os.path.dirname(source.path) if not source.path.startswith("<") else os.getcwd()
        target = os.path.join(folder, path.value)
        ident = os.path.realpath(target)
        if ident in chain:
            names = [os.path.basename(c) for c in chain[chain.index(ident):]] + [os.path.basename(ident)]
            errors.error("E073", "`extends` cycle: " + " -> ".join(names), path.span,
                         hint="a file cannot extend itself, directly or through others")
            return None
        try:
            with open(target, "rb") as fh:
                data = fh.read(MAX_SOURCE_BYTES + 1)
            if len(data) > MAX_SOURCE_BYTES:
                raise OSError(f"larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MiB")
        except OSError as exc:
            errors.error("E074", f"cannot read `{path.value}`: {exc.strerror or exc}", path.span,
                         hint=f"the path is relative to this file's folder ({folder or '.'})")
            return None
        try:
            base_source = decode(data, target)
        except MintError as exc:
            errors.diagnostics.extend(exc.diagnostics)
            return None
        before = len(errors.diagnostics)
        tree = parser.parse(base_source, errors)
        if tree is None:
            return None
        ast = builder.build(base_source, tree, errors)
        lowerer = lower.Lowerer(errors, _loader(base_source, errors, chain + (ident,)))
        docs = lowerer.documents(ast)
        if len(errors.diagnostics) > before:
            return None
        if len(docs) != 1:
            errors.error("E071", f"`{path.value}` has {len(docs)} documents; `extends` needs a file with exactly one",
                         path.span)
            return None
        template, doc = docs[0]
        keys = {it.key.name for it in doc.items if isinstance(it, nodes.Entry)}
        for b in lowerer.bases:
            keys |= b.keys
        schemas = [it for it in doc.items if isinstance(it, nodes.Schema)]
        schema = schemas[0] if schemas else next((b.schema for b in lowerer.bases if b.schema), None)
        return lower.Base(template, keys, schema, lowerer.resolve_quiet)

    return load


def read(path: str | os.PathLike[str]) -> Source:
    """Read and decode a `.mint` file; an unreadable file is error E000."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            data = fh.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        errors = Collector()
        reason = exc.strerror or str(exc)
        errors.error("E000", f"cannot read file: {reason}", Span(Source(name, ""), 1, 1, 1, 2))
        errors.raise_if_any()
        raise  # pragma: no cover - raise_if_any always raises here
    if len(data) > MAX_SOURCE_BYTES:
        errors = Collector()
        errors.error("E000", f"cannot read file: larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MiB",
                     Span(Source(name, ""), 1, 1, 1, 2))
        errors.raise_if_any()
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
