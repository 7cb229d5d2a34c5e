"""Reading `.mint` files: the one place that resolves paths.

A `Loader` reads and decodes files, resolves `extends "path"` relative to
the file that says it, keeps each compiled extended file by real path
(checked against the text of every file it read on every use, so an edit
is always seen), tracks the files being compiled to detect `extends`
cycles, and reads unsaved editor buffers from an overlay in place of the
files on disk. The compiler asks it; it never compiles anything itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from . import nodes as n
from .codes import Code
from .errors import Collector
from .source import Source, normalise

MAX_SOURCE_BYTES = 64 * 1024 * 1024


def decode(data: bytes, path: str, errors: Collector) -> Source:
    """UTF-8 bytes to a `Source`; invalid bytes are a located error (E004)."""
    try:
        return Source(path, normalise(data.decode("utf-8")))
    except UnicodeDecodeError as exc:
        source = Source(path, normalise(data.decode("utf-8", errors="replace")))
        good = normalise(data[: exc.start].decode("utf-8", errors="replace"))
        line, _ = source.position(len(good))
        errors.error(
            Code.E004, f"invalid UTF-8: byte 0x{data[exc.start]:02x} on line {line} cannot be decoded",
            source.span(len(good)), hint="save the file as UTF-8",
        )
        return source


def identity(path: str) -> str:
    """How a file is known to the cache and the cycle check: its real path
    (`<stdin>`-like names stand for themselves)."""
    return path if path.startswith("<") else os.path.realpath(path)


def folder_of(source: Source) -> str:
    """The folder `extends` paths of `source` are relative to (the current
    folder for text that has no file)."""
    return os.getcwd() if source.path.startswith("<") else os.path.dirname(source.path)


class Loader:
    """Reads files for one compilation, or for a long-lived editor session."""

    def __init__(self, overlay: Mapping[str, str] | None = None) -> None:
        self._overlay: dict[str, str] = {identity(k): v for k, v in (overlay or {}).items()}
        self._cache: dict[str, tuple[dict[str, str], object]] = {}
        self._active: list[str] = []

    # --- the overlay of unsaved buffers ---------------------------------------------
    def set_overlay(self, path: str, text: str) -> None:
        """Read `text` instead of the file at `path` (an open editor buffer)."""
        self._overlay[identity(path)] = text

    def drop_overlay(self, path: str) -> None:
        """Read the file at `path` from disk again."""
        self._overlay.pop(identity(path), None)

    # --- reading ------------------------------------------------------------------------
    def text_of(self, ident: str) -> str | None:
        """The current text of a file (overlay first), or None if unreadable."""
        if ident in self._overlay:
            return self._overlay[ident]
        try:
            return self._read_bytes(ident).decode("utf-8", errors="replace")
        except OSError:
            return None

    def read(self, path: str, errors: Collector, code: Code = Code.E000,
             at: n.Str | None = None) -> Source | None:
        """Read and decode a file; None (after an error) when it cannot be read."""
        ident = identity(path)
        if ident in self._overlay:
            return Source(path, normalise(self._overlay[ident]))
        try:
            data = self._read_bytes(path)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if at is None:
                errors.error(code, f"cannot read file: {reason}", Source(path, "").start())
            else:
                folder = folder_of(at.span.source)
                errors.error(code, f"cannot read `{at.value}`: {reason}", at.span,
                             hint=f"the path is relative to this file's folder ({folder or '.'})")
            return None
        before = len(errors)
        source = decode(data, path, errors)
        return source if len(errors) == before else None

    @staticmethod
    def _read_bytes(path: str) -> bytes:
        with open(path, "rb") as fh:
            data = fh.read(MAX_SOURCE_BYTES + 1)
        if len(data) > MAX_SOURCE_BYTES:
            raise OSError(f"larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MiB")
        return data

    # --- extends --------------------------------------------------------------------------
    @contextmanager
    def compiling(self, source: Source) -> Iterator[None]:
        """Mark `source` as being compiled, for the cycle check."""
        self._active.append(identity(source.path))
        try:
            yield
        finally:
            self._active.pop()

    def resolve(self, source: Source, target: str) -> str:
        """The path of `extends "target"` written in `source`."""
        return os.path.normpath(os.path.join(folder_of(source), target))

    @property
    def depth(self) -> int:
        """How many files are being compiled, each extended by the one before."""
        return len(self._active)

    def cycle(self, ident: str) -> list[str] | None:
        """The chain of files being compiled that `ident` would close, if any."""
        if ident not in self._active:
            return None
        return self._active[self._active.index(ident):] + [ident]

    def cached(self, ident: str) -> object | None:
        """What was stored for a file, while every file it read is unchanged."""
        entry = self._cache.get(ident)
        if entry is None:
            return None
        dependencies, value = entry
        return value if all(self._unchanged(dep, text) for dep, text in dependencies.items()) else None

    def store(self, ident: str, value: object, dependencies: dict[str, str]) -> None:
        """Keep `value` (a compiled file) until one of `dependencies` (real path -> text read) changes."""
        self._cache[ident] = (dict(dependencies), value)

    def _unchanged(self, ident: str, text: str) -> bool:
        current = self.text_of(ident)
        return current is not None and normalise(current) == text
