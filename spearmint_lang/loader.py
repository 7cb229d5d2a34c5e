"""Reading `.mint` files: the one place that resolves paths.

A `Loader` reads and decodes files, resolves `extends "path"` and
`import "path" as name` relative to the file that says it, keeps each compiled extended file by real path
(checked against the text of every file it read on every use, so an edit
is always seen), tracks the files being compiled to detect `extends`
and `import` cycles, and reads unsaved editor buffers from an overlay in place of the
files on disk. The compiler asks it; it never compiles anything itself.

What `extends` and `import` may read (docs/language.md, section 5.7): a regular file
(never a pipe, a device or a folder, so reading never blocks), of at most
`MAX_SOURCE_BYTES`, whose name ends in `.mint`, before and after following
symbolic links (so no other file's lines are ever shown in an error);
with `confine`, only inside that folder tree. The top-level file may be a
pipe (`mintc compile <(gen)`), within the same size limit.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from . import nodes as n
from .codes import Code
from .errors import Collector
from .source import Source, normalise

MAX_SOURCE_BYTES = 64 * 1024 * 1024


def _not_mint(verb: str) -> str:
    return f"`{verb}` reads only files named `*.mint`, so that no other file's lines can show in an error: rename the file"


class Unreadable(OSError):
    """A file mintc will not read, with the hint that goes with the reason."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.hint = hint


def file_kind(mode: int) -> str:
    """What a file of this `st_mode` is, in words ("a named pipe (FIFO)")."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_file(path: str, *, regular_only: bool) -> bytes:
    """The bytes of a file, at most `MAX_SOURCE_BYTES` of them.

    With `regular_only` the file is opened without blocking (O_NONBLOCK) and
    its descriptor checked (no race between a check and the open): a pipe,
    a device or a folder is refused before a byte is read. Raises OSError
    (`Unreadable` for a refusal).
    """
    if "\0" in path:
        raise Unreadable("the path holds a NUL character", "a file name cannot hold NUL (`\\u0000`)")
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    if regular_only:
        flags |= getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode) or (regular_only and not stat.S_ISREG(info.st_mode)):
            raise Unreadable(f"it is {file_kind(info.st_mode)}, not a regular file",
                             "`extends` reads only regular files")
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_SOURCE_BYTES:
            raise _too_large()
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(MAX_SOURCE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_SOURCE_BYTES:
        raise _too_large()
    return data


def _too_large() -> Unreadable:
    return Unreadable(f"larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MiB",
                      "a .mint file describes a sweep; it never needs to be this large")


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
    (`<stdin>`-like names stand for themselves; a path holding NUL, which
    names no file, its absolute form)."""
    if path.startswith("<"):
        return path
    if "\0" in path:
        return os.path.abspath(path)
    return os.path.realpath(path)


def _is_mint(path: str) -> bool:
    return os.path.basename(path).lower().endswith(".mint")


def folder_of(source: Source) -> str:
    """The folder `extends` paths of `source` are relative to (the current
    folder for text that has no file)."""
    return os.getcwd() if source.path.startswith("<") else os.path.dirname(source.path)


class Loader:
    """Reads files for one compilation, or for a long-lived editor session."""

    def __init__(self, overlay: Mapping[str, str] | None = None, *,
                 confine: str | os.PathLike[str] | None = None) -> None:
        """`confine`: a folder; `extends` may then read only files inside it
        (after following symbolic links), for input that is not trusted."""
        self._overlay: dict[str, str] = {identity(k): v for k, v in (overlay or {}).items()}
        self.confine = None if confine is None else os.path.realpath(os.fspath(confine))
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
        try:  # only extended files are kept, so only regular files are read again
            return read_file(ident, regular_only=True).decode("utf-8", errors="replace")
        except OSError:
            return None

    def read(self, path: str, errors: Collector, code: Code = Code.E000,
             at: n.Str | None = None) -> Source | None:
        """Read and decode a file; None (after an error) when it cannot be read.

        Without `at`, the top-level file (any readable file, a pipe too);
        with `at` (the path's string), a file named by `extends`: only a
        regular file (see `extended` for the rest of the rules).
        """
        ident = identity(path)
        if ident in self._overlay:
            return Source(path, normalise(self._overlay[ident]))
        try:
            data = read_file(path, regular_only=at is not None)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if at is None:
                errors.error(code, f"cannot read file: {reason}", Source(path, "").start())
            else:
                folder = folder_of(at.span.source)
                hint = exc.hint if isinstance(exc, Unreadable) else \
                    f"the path is relative to this file's folder ({folder or '.'})"
                errors.error(code, f"cannot read `{at.value}`: {reason}", at.span, hint=hint)
            return None
        before = len(errors)
        source = decode(data, path, errors)
        return source if len(errors) == before else None

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

    def extended(self, at: n.Str, errors: Collector, verb: str = "extends") -> str | None:
        """The path the `extends` (or `import`: `verb`) string `at` names, or None (after an error)
        when it may not be read: a path holding NUL (E074); a file whose
        name, as written or after following symbolic links, does not end in
        `.mint` (E075: its lines would be shown in errors); with `confine`,
        a file outside that folder (E075)."""
        if "\0" in at.value:
            shown = at.value.replace("\0", "\\u0000")
            errors.error(Code.E074, f"cannot read `{shown}`: the path holds a NUL character", at.span,
                         hint="a file name cannot hold NUL (`\\u0000`)")
            return None
        path = self.resolve(at.span.source, at.value)
        real = os.path.realpath(path)
        if not _is_mint(path):
            errors.error(Code.E075, f"`{at.value}` is not a `.mint` file", at.span, hint=_not_mint(verb))
            return None
        if not _is_mint(real):
            errors.error(Code.E075, f"`{at.value}` links to `{real}`, which is not a `.mint` file", at.span,
                         hint=_not_mint(verb))
            return None
        root = self.confine
        if root is not None and real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            errors.error(Code.E075, f"`{at.value}` is outside {root}, the folder `{verb}` is confined to",
                         at.span, hint=f"with --confine, `{verb}` reads only files in the folder of the "
                                       "compiled file and its subfolders (symbolic links followed)")
            return None
        return path

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
