"""`mintc`: the command line.

Exit codes: 0 success, 1 a mistake in the input, 2 a usage error,
3 an internal error (a bug in mintc; `--debug` shows the traceback),
130 on Ctrl-C, 143 on SIGTERM, 129 on SIGHUP, 141 when the reader of the
output goes away.

This module imports only what the interpreter has loaded anyway (`gc`,
`os`, `stat`, `sys`): `mintc --version` is answered before anything else
is imported, and each command imports what it needs (benchmarks/startup.py).
"""

from __future__ import annotations

import gc
import os
import stat
import sys

from . import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (mypy reads it as True)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable, Sequence
    from types import FrameType
    from typing import Protocol

    from .compiler import Unit
    from .diff import Excluder, Side
    from .dynamic import Config
    from .errors import Diagnostic, MintError
    from .source import Source
    from .sweep import Sweep

DEFAULT_MAX_CONFIGS = 1_000_000
# Formats that hold every config in memory before writing.
_IN_MEMORY_FORMATS = {"json", "py"}


class UsageError(Exception):
    """A mistake in how mintc was called (exit 2)."""


class OutputError(Exception):
    """A place mintc will not write to (exit 1), printed as `PATH: error: MESSAGE`."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class _Stopped(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like Ctrl-C (not an Exception, so
    nothing swallows it), so that temporary files are removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_CONFINE_HELP = ("let `extends` read only files in FILE's folder and its subfolders "
                 "(symbolic links followed; the current folder for stdin): for files you do not trust")


_EMPTY_HELP = ("let a document give no config: an empty sweep, range or zip (E022) and a `where` "
               "that keeps nothing (E068) are then not errors")
_DENY_HELP = "fail (exit 1, write nothing) on warnings too, not only on errors: for CI"
_SET_HELP = ("change a value of the file, in .mint syntax: PATH is a dotted key path, VALUE any value "
             "(--set optimizer.lr=0.1, --set 'model=[\"a\", \"b\"]*'); repeat it for more; a later one wins")
_ADD_HELP = "as --set, for a key the file and its schema do not have (Hydra's +PATH=VALUE)"


def _overriding(p: argparse.ArgumentParser) -> None:
    """--set and --add, in the order given (a later one wins)."""
    p.add_argument("--set", metavar="PATH=VALUE", dest="overrides", action="append", type=_set, default=[],
                   help=_SET_HELP)
    p.add_argument("--add", metavar="PATH=VALUE", dest="overrides", action="append", type=_add, help=_ADD_HELP)


def _reading_files(p: argparse.ArgumentParser, format_help: str) -> None:
    """What `check`, `count` and `explain` share: FILE..., --format text|json,
    --set/--add, --confine and --allow-empty."""
    p.add_argument("files", metavar="FILE", nargs="+", help="the .mint files ('-' reads stdin)")
    p.add_argument("--format", choices=["text", "json"], default="text", help=format_help)
    _overriding(p)
    p.add_argument("--confine", action="store_true", help=_CONFINE_HELP)
    p.add_argument("--allow-empty", action="store_true", help=_EMPTY_HELP)


def _set(text: str) -> tuple[str, str]:
    return "--set", text


def _add(text: str) -> tuple[str, str]:
    return "--add", text


COMMANDS = ("compile", "count", "explain", "check", "fmt", "diff", "convert", "lsp")


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """mintc's argument parser; with `only`, one of `COMMANDS`, the parser
    of that command alone (its help and errors read the same: each
    command's parser is its own), which is quicker to make."""
    import argparse

    p = argparse.ArgumentParser(
        prog="mintc",
        description="Compile .mint sweep files to the configurations they describe.",
    )
    p.add_argument("--version", action="version", version=f"mintc {__version__}")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks of internal errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    debug_help = "show Python tracebacks of internal errors"

    if only in (None, "compile"):
        c = sub.add_parser(
            "compile",
            help="expand a .mint file to its configs",
            description="Expand FILE to its configs: a JSON array on stdout, or a file with -o.",
        )
        c.add_argument("file", metavar="FILE", help="the .mint file ('-' reads stdin)")
        c.add_argument("-o", "--output", metavar="PATH", help="write here instead of stdout (atomically)")
        c.add_argument(
            "--format",
            choices=["json", "jsonl", "py", "yaml"],
            help="output format (default: from the extension of PATH, else json; yaml with --split)",
        )
        part = c.add_mutually_exclusive_group()
        part.add_argument("--shard", metavar="K/N", type=_shard,
                          help="only the K-th of N contiguous, near-equal slices (K from 1 to N)")
        part.add_argument("--range", metavar="START:STOP", type=_range, dest="index_range",
                          help="only configs START..STOP-1 (0-based; either end may be left out)")
        c.add_argument("--split", metavar="DIR",
                       help="write one file per config into DIR, named <index>-<config_id>.yaml (or .json with --format json); "
                            "DIR must be new, empty or hold only files of this sweep")
        c.add_argument("--clean", action="store_true",
                       help="with --split: first delete the files of an earlier split (<index>-<id>.yaml or .json) from DIR")
        c.add_argument("--exclude-ids", metavar="DONE",
                       help="resume: leave out the configs whose config_id is in DONE (after --shard/--range), one per "
                            "id in DONE: a text file of ids (one a line), JSON or JSONL of configs or results with a "
                            "config_id each, or a --split folder")
        _overriding(c)
        c.add_argument("--confine", action="store_true", help=_CONFINE_HELP)
        c.add_argument("--allow-empty", action="store_true", help=_EMPTY_HELP)
        c.add_argument("--deny-warnings", action="store_true", help=_DENY_HELP)
        c.add_argument(
            "--max-configs",
            type=_positive_int,
            default=DEFAULT_MAX_CONFIGS,
            metavar="N",
            help=f"refuse json/py output of more than N configs (default {DEFAULT_MAX_CONFIGS:,}); jsonl streams and has no limit",
        )
        c.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)

    if only in (None, "count"):
        n = sub.add_parser(
            "count",
            help="count configs per document and in total, without expanding",
            description="Count the configs of each FILE exactly, per document and in total, without expanding them.",
        )
        _reading_files(n, "text or json")
        n.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)

    if only in (None, "explain"):
        x = sub.add_parser(
            "explain",
            help="show each document's axes, how they combine and what `where` keeps",
            description="Show the structure of each FILE's sweep, per document: each axis (its key path, kind, number "
                        "of values, first and last value, line:col), how they combine, what `where` keeps, and the "
                        "counts `mintc count` gives (docs/explain.md).",
        )
        _reading_files(x, "text (aligned columns) or json")
        x.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)

    if only in (None, "check"):
        k = sub.add_parser(
            "check",
            help="check .mint files without writing anything",
            description="Parse and validate each FILE. Exit 0 when all are clean, 1 on any error.",
        )
        _reading_files(k, "text (for people, on stderr) or json (for editors and CI, on stdout)")
        k.add_argument("--deny-warnings", action="store_true", help=_DENY_HELP)
        k.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)

    if only in (None, "fmt"):
        f = sub.add_parser(
            "fmt",
            help="rewrite .mint files in the canonical layout",
            description="Rewrite each FILE in place in the canonical layout (docs/formatting.md); "
            "'-' formats stdin to stdout. The configs a file compiles to never change.",
        )
        f.add_argument("files", metavar="FILE", nargs="+", help="the .mint files ('-' reads stdin, writes stdout)")
        f.add_argument("--check", action="store_true",
                       help="write nothing; list each FILE that would change and exit 1 if there is one")
        f.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)

    if only in (None, "diff"):
        d = sub.add_parser(
            "diff",
            help="compare the configs of two sweeps by config_id",
            description="Compare the configs of OLD and NEW by config_id: those added, removed and kept. Each is a "
                        ".mint file or an output of `mintc compile` (a JSON array or JSONL). "
                        "Exit 0 when they have the same configs, 1 when they differ.",
        )
        d.add_argument("old", metavar="OLD", help="the earlier sweep: a .mint file, or a .json/.jsonl output")
        d.add_argument("new", metavar="NEW", help="the later sweep: a .mint file, or a .json/.jsonl output")
        d.add_argument("--format", choices=["text", "json"], default="text",
                       help="text (the first 20 configs added and removed, and a summary) or json (all of them)")
        d.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)

    if only in (None, "convert"):
        v = sub.add_parser(
            "convert",
            help="write another tool's sweep (W&B, Hydra, Ray Tune, scikit-learn) as a .mint file",
            description="Convert FILE, a sweep of another tool, to a .mint file that compiles to the same configs "
                        "(docs/convert.md): a W&B sweep YAML, Hydra overrides (a text file, or --hydra) or a Hydra "
                        "sweeper's params: YAML, a Ray Tune param_space (JSON, or Python with tune.* calls), or a "
                        "scikit-learn param_grid (Python). The .mint text goes to stdout, or to -o.",
        )
        v.add_argument("file", metavar="FILE", nargs="?", help="the sweep to convert ('-' reads stdin)")
        v.add_argument("--from", dest="tool", choices=["wandb", "hydra", "tune", "sklearn"],
                       help="the tool FILE is from (by default: from its name and content)")
        v.add_argument("--hydra", metavar="OVERRIDE", nargs="+",
                       help="convert these Hydra multirun overrides instead of a file: --hydra lr=0.1,0.01 model=a,b")
        v.add_argument("--sample", metavar="N", type=_positive_int,
                       help="how many configs a random search draws (W&B's run_cap, Tune's num_samples, Optuna's "
                            "n_trials): `sample N` in the .mint file")
        v.add_argument("--seed", metavar="S", type=int, default=0, help="the seed of `sample N seed S` (default 0)")
        v.add_argument("-o", "--output", metavar="PATH", help="write the .mint file here instead of stdout (atomically)")
        v.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)

    if only in (None, "lsp"):
        s = sub.add_parser(
            "lsp",
            help="run the language server for editors (LSP over stdin/stdout)",
            description="Run the .mint language server: it speaks LSP over stdin/stdout until the editor stops it.",
        )
        s.add_argument("--stdio", action="store_true", help="accepted for editors that pass it; stdio is the only transport")
        s.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)
    return p


def _shard(text: str) -> tuple[int, int]:
    import argparse

    try:
        k_text, n_text = text.split("/")
        k, n = int(k_text), int(n_text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not K/N, e.g. 3/8") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"{text!r}: K must be from 1 to N")
    return k, n


def _range(text: str) -> tuple[int | None, int | None]:
    import argparse

    try:
        a, b = text.split(":")
        start = int(a) if a.strip() else None
        stop = int(b) if b.strip() else None
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not START:STOP, e.g. 0:1000") from None
    if (start is not None and start < 0) or (stop is not None and stop < 0):
        raise argparse.ArgumentTypeError(f"{text!r}: indices start at 0")
    return start, stop


def _positive_int(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _format_for(output: str | None, given: str | None) -> str:
    """The output format: --format, else the extension of -o, else json."""
    from .output.formats import EXTENSIONS

    if given:
        return given
    if output is None:
        return "json"
    ext = os.path.splitext(output)[1].lower()
    if ext not in EXTENSIONS:
        known = ", ".join(sorted(EXTENSIONS))
        raise UsageError(f"cannot tell the format of {output!r} from its extension (known: {known}); pass --format")
    return EXTENSIONS[ext]


# Names of open descriptors (`-o /dev/stdout`, and what `>(cmd)` gives):
# written through, never replaced, whatever the descriptor is.
_DESCRIPTOR_NAME = r"/dev/(?:stdout|stderr|fd/\d+)|/proc/(?:self|thread-self|\d+)/fd/\d+"


def _write_atomic(path: str, chunks: Iterable[str]) -> None:
    """Write `chunks` to `path`; errors name `path`, never a temporary file.

    A regular file (or a new one) is written to a temporary file beside it,
    then renamed into place: on any error, Ctrl-C, SIGTERM or SIGHUP the old
    file stays exactly as it was and the temporary file is removed. A
    symbolic link is followed: its target is replaced, the link stays. A
    pipe, a character device (`/dev/null`) or the name of a descriptor
    (`/dev/stdout`, `/dev/fd/N`) is written through, as a shell redirection
    does. A folder or a block device is refused.
    """
    import errno
    import re
    import tempfile

    from .loader import file_kind

    if re.fullmatch(_DESCRIPTOR_NAME, os.path.abspath(path)):
        _write_through(path, chunks)
        return
    target = os.path.realpath(path)
    try:
        old: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise _named(exc, path, target) from None
    if old is not None and not stat.S_ISREG(old.st_mode):
        if stat.S_ISFIFO(old.st_mode) or stat.S_ISCHR(old.st_mode):
            _write_through(path, chunks)
            return
        kind = file_kind(old.st_mode)
        raise OSError(errno.EINVAL, f"it is {kind}, not a file, a pipe or a character device", path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".mintc-", suffix=".tmp", dir=os.path.dirname(target))
    except OSError as exc:  # it names the temporary file it could not make
        raise _named(exc, path, str(exc.filename)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for chunk in chunks:
                fh.write(chunk)
        if old is not None:  # the replaced file's owner (where allowed) and mode
            mine = os.stat(tmp)
            if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (mine.st_uid, mine.st_gid):
                try:
                    os.chown(tmp, old.st_uid, old.st_gid)
                except OSError:
                    pass
            os.chmod(tmp, stat.S_IMODE(old.st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _named(exc, path, target, tmp) from None
        raise


def _write_through(path: str, chunks: Iterable[str]) -> None:
    """Write into an existing pipe or device (waiting for a pipe's reader)."""
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            for chunk in chunks:
                fh.write(chunk)
    except OSError as exc:
        raise _named(exc, path, os.path.realpath(path)) from None


def _named(exc: OSError, path: str, *ours: str) -> OSError:
    """`exc` naming `path` where it names nothing, the target behind `path`
    or a temporary file: the user knows the path they gave."""
    if exc.filename is None or exc.filename in ours:
        exc.filename, exc.filename2 = path, None
    return exc


def _unit(name: str, confine: bool = False, allow_empty: bool = False,
          overrides: Sequence[tuple[str, str]] = ()) -> Unit:
    """Compile FILE (or stdin for `-`) with the --set and --add overrides;
    never raises. With `confine`, `extends` reads only files in FILE's folder
    tree (the current folder's for stdin)."""
    from .compiler import compile_bytes, compile_file
    from .loader import Loader

    given = []
    if overrides:
        from .overrides import Override

        given = [Override(text, flag == "--add", flag) for flag, text in overrides]
    try:
        if name == "-":
            return compile_bytes(sys.stdin.buffer.read(), "<stdin>", Loader(confine=os.getcwd() if confine else None),
                                 allow_empty=allow_empty, overrides=given)
        folder = os.path.dirname(os.path.abspath(name))
        return compile_file(name, Loader(confine=folder if confine else None), allow_empty=allow_empty, overrides=given)
    finally:
        _started()


def _warnings(unit: Unit) -> list[Diagnostic]:
    """The warnings of a compiled file."""
    return [d for d in unit.diagnostics if d.severity == "warning"]


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _label(name: str) -> str:
    """FILE as printed (`<stdin>` for `-`; see `_printable`)."""
    return "<stdin>" if name == "-" else _printable(name)


def _printable(text: str) -> str:
    """`text` with the bytes of a file name that are not UTF-8 (which
    Python carries as surrogate escapes) shown as `\\xff`, so that it can
    be printed in any locale and kept in valid UTF-8 JSON."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def _printable_json(value: object) -> object:
    """A JSON value with every string made `_printable`."""
    if isinstance(value, str):
        return _printable(value)
    if isinstance(value, dict):
        return {_printable(str(k)): _printable_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable_json(v) for v in value]
    return value


def _report(error: MintError) -> None:
    """Print the diagnostics of `error` on stderr."""
    sys.stdout.flush()  # in one pipe (pre-commit, CI logs), what was said before comes first
    sys.stderr.write(_printable(error.render()) + "\n")


def _compile(args: argparse.Namespace) -> int:
    from .errors import MintError
    from .expand import count
    from .output.emit import emit
    from .sweep import Sweep

    if args.clean and not args.split:
        raise UsageError("--clean goes with --split: it deletes the files of an earlier split from DIR")
    if args.split:
        if args.output:
            raise UsageError("--split writes a folder of files; it does not go with -o")
        fmt = args.format or "yaml"
        if fmt not in ("yaml", "json"):
            raise UsageError("--split writes yaml (the default) or json files")
    else:
        fmt = _format_for(args.output, args.format)
    excluder = _excluder(args.exclude_ids)
    if excluder is None and args.exclude_ids:
        return 1
    unit = _unit(args.file, args.confine, args.allow_empty, args.overrides)
    if unit.diagnostics:
        _report(MintError(unit.diagnostics))  # errors, and warnings beside them
    if not unit.ok or (args.deny_warnings and _warnings(unit)):
        return 1
    docs = unit.templates()
    source = unit.source
    if fmt in _IN_MEMORY_FORMATS and not args.split:
        total = sum(count(doc) for doc in docs)
        if total > args.max_configs and args.shard is None and args.index_range is None:
            _too_many(source, "sweep", total, args.max_configs, fmt)
    sweep = whole = Sweep(docs)
    offset = 0
    if args.shard is not None:
        k, n = args.shard
        size = sweep.size
        offset = size * (k - 1) // n
        sweep = sweep.shard(k, n)
    elif args.index_range is not None:
        start, stop = args.index_range
        start = 0 if start is None else start
        sweep = sweep[start:stop]
        offset = sweep.start
    sliced = args.shard is not None or args.index_range is not None
    if fmt in _IN_MEMORY_FORMATS and not args.split and sliced and sweep.size > args.max_configs:
        _too_many(source, "slice", sweep.size, args.max_configs, fmt)
    # The whole of a `where` document streams through its filter: its size is
    # not counted first, and the bar runs to the count before filtering.
    progress = _progress(sweep.size if sliced else sweep.size_bound)
    try:
        if args.split:
            _write_split(args.split, fmt, sweep, offset, progress, whole, args.clean,
                         excluder.keeps if excluder else None)
            _excluded(excluder, args, sliced)
            return 0
        chunks = emit(fmt, excluder.filter(sweep) if excluder else sweep, source.path, __version__, progress=progress.update if progress else None)
        if args.output:
            _write_atomic(args.output, chunks)
        else:
            out = sys.stdout.buffer
            for chunk in chunks:
                out.write(chunk.encode("utf-8"))
            out.flush()
    finally:
        if progress is not None:
            progress.close()
    _excluded(excluder, args, sliced)
    return 0


def _excluder(done: str | None) -> Excluder | None:
    """The ids of `--exclude-ids DONE`; None without it, or when DONE is
    broken (reported)."""
    from .diff import Excluder, InputError, read_done

    if done is None:
        return None
    try:
        return Excluder(read_done(done))
    except InputError as exc:
        sys.stderr.write(_printable(f"{exc.path}: error: {exc.message}") + "\n")
        return None


def _excluded(excluder: Excluder | None, args: argparse.Namespace, sliced: bool) -> None:
    """What `--exclude-ids` skipped, on stderr."""
    if excluder is not None:
        where = "this slice" if sliced else "this sweep"
        sys.stderr.write(_printable(excluder.report(args.exclude_ids, where)))


def _diff(args: argparse.Namespace) -> int:
    """`mintc diff OLD NEW`: 0 when equal, 1 when they differ or one is broken."""
    from .diff import InputError, diff

    _started()
    sides = [_side(args.old), _side(args.new)]
    if sides[0] is None or sides[1] is None:
        return 1
    try:
        outcome = diff(sides[0], sides[1], args.format, sys.stdout.write)
    except InputError as exc:
        sys.stdout.flush()
        sys.stderr.write(_printable(f"{exc.path}: error: {exc.message}") + "\n")
        return 1
    return 0 if outcome.equal else 1


def _side(name: str) -> Side | None:
    """One input of `diff`: a previous output, read when iterated, or a
    .mint file, compiled now (None when broken: reported)."""
    from .diff import Side, is_output, read_output
    from .errors import MintError
    from .sweep import Sweep

    label = _label(name)
    if is_output(name):
        return Side(label, lambda: read_output(name))
    unit = _unit(name)
    if not unit.ok:
        _report(MintError([d for d in unit.diagnostics if d.severity == "error"]))
        return None
    sweep = Sweep(unit.templates())
    return Side(label, lambda: sweep)


def _too_many(source: Source, what: str, size: int, limit: int, fmt: str) -> None:
    """E050: json and py hold every config in memory, so they have a limit."""
    from .codes import Code
    from .errors import Collector

    errors = Collector()
    errors.error(
        Code.E050,
        f"this {what} has {size:,} configs, more than --max-configs allows ({limit:,}) for {fmt} output",
        source.start(),
        hint="write JSONL, which streams (`-o out.jsonl`), or raise the limit with `--max-configs N`",
    )
    errors.raise_if_any()


_PROGRESS_MIN = 200_000


if TYPE_CHECKING:
    class Progress(Protocol):
        """What the command line needs of a progress bar (tqdm's)."""

        def update(self, n: float | None = 1) -> bool | None: ...

        def close(self) -> None: ...


def _progress(total: int) -> Progress | None:
    """A progress bar on stderr for long work, only when stderr is a terminal."""
    if total < _PROGRESS_MIN or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, unit=" configs", unit_scale=True, file=sys.stderr, leave=False)


def _write_split(folder: str, fmt: str, sweep: Sweep, offset: int, progress: Progress | None,
                 whole: Sweep, clean: bool, keeps: Callable[[Config], bool] | None = None) -> None:
    """One file per config, `<index>-<config_id>.<ext>`, each written atomically.

    The index is the config's place in the whole sweep, zero-padded to the
    width of the whole sweep's last index (the same in every shard), so that
    sorting the names (as spearmint's YAML folder loader does) keeps order.
    The folder may already hold files of this sweep (an earlier run, other
    shards writing into it at the same time), nothing else: see
    `_prepare_split_folder`.
    """
    from .output.emit import files

    ext = "yaml" if fmt == "yaml" else "json"
    width = len(str(max(0, whole.size - 1)))
    _prepare_split_folder(folder, whole, width, ext, clean)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise _named(exc, folder) from None
    if keeps is None:
        documents: Iterable[tuple[str, str] | None] = files(fmt, sweep)
    else:  # (--exclude-ids: each config is tested)
        kept = (config if keeps(config) else None for config in sweep)
        documents = (None if c is None else next(files(fmt, [c])) for c in kept)
    temporary = os.path.join(folder, f".mintc-{os.getpid()}-{os.urandom(6).hex()}.tmp")
    for i, document in enumerate(documents):
        if document is None:
            continue
        text, cid = document
        _write_new_file(os.path.join(folder, _file_name(offset + i, width, cid, ext)), text, temporary)
        if progress is not None:
            progress.update(1)


def _write_new_file(path: str, text: str, temporary: str) -> None:
    """`_write_atomic` for a split file, in fewer system calls: a new file is
    written to `temporary` (mode 0o666 less the umask, as `_write_atomic`
    gives a new file) and renamed into place; an existing one (an earlier
    run's: its owner and mode are kept) goes through `_write_atomic`."""
    if os.path.lexists(path):
        _write_atomic(path, [text])
        return
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    except FileExistsError:  # (another mintc's, or one left by a killed run)
        _write_atomic(path, [text])
        return
    except OSError as exc:
        raise _named(exc, path, temporary) from None
    try:
        try:
            data = memoryview(text.encode("utf-8"))
            while data:
                data = data[os.write(fd, data) :]
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _named(exc, path, temporary) from None
        raise


_SPLIT_ID_BYTES = 64
# What a split file is named: `<index>-<id>.<ext>` (any sweep's).
_SPLIT_FILE = r"([0-9]+)-.*\.(yaml|json)"  # (with re.DOTALL)


def _split_name(index: int, width: int, config: Config, ext: str) -> str:
    """`<index>-<config_id>.<ext>`: the id with every character but letters,
    digits and `-_.` made `_`, cut to 64 bytes (between characters)."""
    return _file_name(index, width, str(config.get("config_id", "")), ext)


def _file_name(index: int, width: int, cid: str, ext: str) -> str:
    """`_split_name` of a config whose `config_id` is `cid`."""
    if len(cid) <= _SPLIT_ID_BYTES and cid.isascii() and cid.isalnum():  # (spearmint's ids: as they are)
        return f"{index:0{width}d}-{cid}.{ext}"
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in cid)
    safe = safe.encode("utf-8")[:_SPLIT_ID_BYTES].decode("utf-8", errors="ignore")
    return f"{index:0{width}d}-{safe}.{ext}"


def _prepare_split_folder(folder: str, whole: Sweep, width: int, ext: str, clean: bool) -> None:
    """Refuse a folder that holds anything but files of this sweep, so that
    a folder loader never reads configs of an earlier sweep. Files of this
    sweep (the names it gives its configs, in any shard) and temporary
    files of a mintc writing (`.mintc-*.tmp`) may be there. With `clean`,
    earlier split files (`<index>-<id>.yaml` or `.json`) are deleted; mintc
    never deletes anything else."""
    import re
    import unicodedata

    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _named(exc, folder) from None

    def ours(name: str, mode: int) -> bool:
        m = re.fullmatch(_SPLIT_FILE, name, re.DOTALL)
        if m is None or not stat.S_ISREG(mode) or m.group(2) != ext or len(m.group(1)) != width:
            return False
        index = int(m.group(1))
        if index >= whole.size:
            return False
        expected = _split_name(index, width, whole[index], ext)
        return unicodedata.normalize("NFC", name) == unicodedata.normalize("NFC", expected)

    stale: list[str] = []
    other: list[str] = []
    for name in names:
        if name.startswith(".mintc-") and name.endswith(".tmp"):
            continue
        try:
            mode = os.lstat(os.path.join(folder, name)).st_mode
        except FileNotFoundError:  # deleted meanwhile (another shard's --clean)
            continue
        if ours(name, mode):
            continue
        splits = re.fullmatch(_SPLIT_FILE, name, re.DOTALL) and (stat.S_ISREG(mode) or stat.S_ISLNK(mode))
        (stale if splits else other).append(name)
    if not stale and not other:
        return
    if not clean:
        found = len(stale) + len(other)
        first = min(stale + other)
        raise OutputError(folder, f"the folder holds {found:,} file{'s' if found != 1 else ''} this sweep does not "
                                  f"write (the first: {first}); remove them, or pass --clean to delete earlier "
                                  "split files")
    if other:
        shown = ", ".join(other[:5]) + (f" and {len(other) - 5:,} more" if len(other) > 5 else "")
        raise OutputError(folder, f"the folder holds {shown}, which mintc did not write; --clean deletes only "
                                  "split files (<index>-<id>.yaml or .json); move them away")
    for name in stale:
        try:
            os.unlink(os.path.join(folder, name))
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise _named(exc, os.path.join(folder, name)) from None


def _counts(unit: Unit) -> list[tuple[int, bool]]:
    """Each document's number of configs and whether it is exact (see `count_exact`)."""
    return [(c.configs, c.exact) for c in (unit.count(i) for i in range(len(unit.documents)))]


def _samples(unit: Unit) -> list[tuple[int, int] | None]:
    """For each document with `sample N`: (N, grid points), when its count is exact."""
    from .expand import sampler

    out: list[tuple[int, int] | None] = []
    for i, doc in enumerate(unit.documents):
        sample = sampler(doc.template)
        found = unit.count(i)
        out.append((sample.n, found.configs // sample.n) if sample is not None and found.exact else None)
    return out


def _sample_text(found: tuple[int, int]) -> str:
    """`64 samples × 3 grid points`."""
    return f"{_plural(found[0], 'sample')} × {_plural(found[1], 'grid point')}"


def _check(args: argparse.Namespace) -> int:
    import json

    from .errors import MintError, diagnostic_json

    diagnostics = []
    files = []
    failed = warned = 0
    for name in args.files:
        unit = _unit(name, args.confine, args.allow_empty, args.overrides)
        diagnostics.extend(unit.diagnostics)
        warnings = len(_warnings(unit))
        warned += warnings
        if args.format == "text" and unit.diagnostics:
            _report(MintError(unit.diagnostics))
        if not unit.ok:
            failed += 1
            files.append({"file": _label(name), "ok": False, "configs": None, "exact": None, "warnings": warnings})
            continue
        counts = _counts(unit)
        total, exact = sum(n for n, _ in counts), all(e for _, e in counts)
        files.append({"file": _label(name), "ok": True, "configs": total, "exact": exact, "warnings": warnings})
        if args.format == "text":
            shown = f"{total:,} config{'s' if total != 1 else ''}" if exact else f"at most {total:,} configs (before `where`)"
            sampled = [_sample_text(t) for t in _samples(unit) if t is not None]
            if sampled:
                shown += f" ({'; '.join(sampled)})"
            noted = f", {_plural(warnings, 'warning')}" if warnings else ""
            sys.stdout.write(f"{_label(name)}: ok, {shown}{noted}\n")
    errors = len(diagnostics) - warned
    if args.format == "json":
        payload = {"files": files, "diagnostics": [_printable_json(diagnostic_json(d)) for d in diagnostics]}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif errors:
        sys.stdout.flush()
        sys.stderr.write(f"{_plural(errors, 'error')} in {_plural(failed, 'file')}\n")
    return 1 if errors or (args.deny_warnings and warned) else 0


def _fmt(args: argparse.Namespace) -> int:
    """Rewrite files in place (atomically, only when they change)."""
    from .errors import Collector, MintError
    from .fmt import format_source
    from .loader import Loader, decode

    _started()
    failed = unformatted = False
    for name in args.files:
        label = _label(name)
        kind = None if name == "-" else _special_kind(name)
        if kind is not None:  # it would be read twice, and cannot be rewritten in place
            sys.stderr.write(f"{label}: error: cannot format in place: it is {kind}, not a regular file; "
                             "`mintc fmt - < FILE` formats it to stdout\n")
            failed = True
            continue
        try:
            errors = Collector()
            if name == "-":
                data = sys.stdin.buffer.read()
                source: Source | None = decode(data, label, errors)
            else:
                source = Loader().read(name, errors)  # located errors for unreadable or non-UTF-8 files
                with open(name, "rb") as fh:
                    data = fh.read()
            errors.raise_if_any()
            assert source is not None
            new = format_source(source.text, source.path)
        except MintError as exc:
            _report(exc)
            failed = True
            continue
        same = new.encode("utf-8") == data
        if args.check:
            if not same:
                sys.stdout.write(f"{label}: would reformat\n")
                unformatted = True
        elif name == "-":
            sys.stdout.buffer.write(new.encode("utf-8"))
            sys.stdout.flush()
        elif not same:
            _write_atomic(name, [new])
            sys.stderr.write(f"reformatted {label}\n")
    return 1 if failed or unformatted else 0


def _special_kind(name: str) -> str | None:
    """What FILE is when it is not a regular file (a pipe, a device...), after
    following symbolic links; None for a regular file or one that cannot be
    looked at (reading it reports why)."""
    from .loader import file_kind

    try:
        mode = os.stat(name).st_mode
    except (OSError, ValueError):
        return None
    return None if stat.S_ISREG(mode) else file_kind(mode)


def _compiled_files(args: argparse.Namespace) -> tuple[list[tuple[str, Unit]], bool]:
    """Each of FILE... compiled (`count`, `explain`), labelled for output;
    the errors of a broken file are reported (its warnings not), and the
    flag says whether any was."""
    from .errors import MintError

    units: list[tuple[str, Unit]] = []
    failed = False
    for name in args.files:
        unit = _unit(name, args.confine, args.allow_empty, args.overrides)
        if unit.ok:
            units.append((_label(name), unit))
        else:
            _report(MintError([d for d in unit.diagnostics if d.severity == "error"]))
            failed = True
    return units, failed


def _count_files(args: argparse.Namespace) -> int:
    import json

    units, failed = _compiled_files(args)
    counted = [(label, _counts(unit), _samples(unit)) for label, unit in units]
    grand = sum(n for _, per_doc, _ in counted for n, _ in per_doc)
    if args.format == "json":
        files = [
            {
                "file": name,
                "documents": [{"configs": n, "exact": e} |
                              ({"samples": sampled[0], "grid_points": sampled[1]} if sampled else {})
                              for (n, e), sampled in zip(per_doc, samples)],
                "total": sum(n for n, _ in per_doc),
                "exact": all(e for _, e in per_doc),
            }
            for name, per_doc, samples in counted
        ]
        sys.stdout.write(json.dumps({"files": files, "total": grand}, indent=2) + "\n")
    else:
        for name, per_doc, samples in counted:
            total = sum(n for n, _ in per_doc)
            parts = ", ".join(f"{n:,}" + ("" if e else " at most (before where)") + (f": {_sample_text(t)}" if t else "")
                              for (n, e), t in zip(per_doc, samples))
            detail = f" ({parts})" if len(per_doc) > 1 or not all(e for _, e in per_doc) else ""
            if len(per_doc) == 1 and samples[0]:
                detail = f" ({_sample_text(samples[0])})"
            sys.stdout.write(f"{name}: {_plural(total, 'config')}{detail}\n")
        if len(counted) > 1:
            sys.stdout.write(f"total: {_plural(grand, 'config')}\n")
    return 1 if failed else 0


def _convert(args: argparse.Namespace) -> int:
    """`mintc convert`: 0 with the .mint text written, 1 when FILE cannot be converted."""
    import shlex

    from .convert import Options, Tool, convert_text
    from .errors import MintError

    _started()
    if (args.file is None) == (args.hydra is None):
        raise UsageError("give one sweep to convert: a FILE, or Hydra overrides with --hydra")
    if args.seed < 0:
        raise UsageError("--seed takes a whole number >= 0")
    if args.hydra is not None:
        if args.tool not in (None, "hydra"):
            raise UsageError("--hydra converts Hydra overrides; it does not go with --from " + args.tool)
        tool: Tool | None = "hydra"
        name, text = "<command line>", shlex.join(args.hydra)
    else:
        name, tool = _label(args.file), args.tool
        try:
            data = sys.stdin.buffer.read() if args.file == "-" else _read_bytes(args.file)
        except OSError as exc:
            raise OutputError(name, f"cannot read: {exc.strerror or exc}") from None
        try:
            text = data.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            raise OutputError(name, "cannot read: the file is not valid UTF-8") from None
    try:
        converted = convert_text(text, name, tool, Options(args.sample, args.seed))
    except ModuleNotFoundError as exc:  # Hydra's overrides need hydra-core: the message says how to install it
        sys.stderr.write(f"mintc: error: {exc}\n")
        return 1
    if converted.diagnostics:
        _report(MintError(list(converted.diagnostics)))
    if converted.text is None:
        return 1
    if args.output:
        _write_atomic(args.output, [converted.text])
    else:
        sys.stdout.write(converted.text)
    return 0


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _explain(args: argparse.Namespace) -> int:
    """`mintc explain`: the structure of each file's sweep (see `explain.py`)."""
    import json

    from .explain import explain, text, to_json

    units, failed = _compiled_files(args)
    views = [explain(unit, label) for label, unit in units]
    if args.format == "json":
        sys.stdout.write(json.dumps(_printable_json(to_json(views)), indent=2, ensure_ascii=False, default=str) + "\n")
    else:
        sys.stdout.write(_printable(text(views, colour=sys.stdout.isatty() and not os.environ.get("NO_COLOR"))))
    return 1 if failed else 0


def _lsp() -> int:
    """Serve LSP on stdin/stdout (see docs/editor.md)."""
    try:
        from .lsp.server import main as serve
    except ImportError as exc:
        raise UsageError(f"the language server needs pygls and lsprotocol ({exc}); pip install -U spearmint-lang") from None
    _started()
    serve()
    return 0


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise _Stopped(signum)


class _SignalsUnwind:
    """While mintc works, SIGTERM (what schedulers send) and SIGHUP raise
    `_Stopped`, as Ctrl-C raises KeyboardInterrupt, so that a temporary file
    is removed and the old output kept. A signal ignored by the caller
    (`nohup`) stays ignored; the handlers are restored after."""

    def __init__(self) -> None:
        self.installed: list[int] = []

    def __enter__(self) -> None:
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():
            return
        wanted = [sig for sig in signal.Signals if sig.name in ("SIGTERM", "SIGHUP")]
        self.installed = [sig for sig in wanted if signal.getsignal(sig) == signal.SIG_DFL]
        for sig in self.installed:
            signal.signal(sig, _on_signal)

    def __exit__(self, *exc: object) -> None:
        import signal

        for sig in self.installed:
            signal.signal(sig, signal.SIG_DFL)


def allow_long_numbers() -> None:
    """Counts have any size (a product of large ranges can have thousands of
    digits): let them print. Number literals are capped at 4,000 digits
    before any conversion (E013), so the parser never converts a huge one."""
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)


# Options of compile, check and count that take a value (the next argument).
_VALUED = {"-o", "--output", "--format", "--shard", "--range", "--split", "--max-configs", "--set", "--add",
           "--exclude-ids"}


def _hydra_arguments(argv: list[str]) -> MintError | None:
    """E114 for an argument of compile, check or count that is a Hydra override
    (`lr=0.1,0.01`, `+x=1`) and not a file, located in the command line."""
    if not argv or argv[0] not in ("compile", "check", "count", "explain"):
        return None
    from .codes import Code
    from .errors import Collector, MintError
    from .source import Source

    errors = Collector()
    line = "mintc " + " ".join(argv)
    source = Source("<command line>", line)
    offset = len("mintc ")
    after_option = False
    for arg in argv:
        here, offset = offset, offset + len(arg) + 1
        valued, after_option = after_option, arg in _VALUED
        if valued or arg.startswith("-") or "=" not in arg or os.path.exists(arg):
            continue
        from .overrides import check_positional, hydra_hint  # (an argument with `=` that is no file)

        if not check_positional(arg):
            continue

        errors.error(Code.E114, f"`{arg}` is an override in Hydra's spelling; mintc takes overrides with --set and --add",
                     source.span(here, here + len(arg)), hint=hydra_hint(arg))
    return MintError(errors.ordered()) if len(errors) else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run mintc; returns the exit code."""
    import signal

    from .errors import MintError
    from .predicate import ComputeError

    allow_long_numbers()
    given = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(given[0] if given and given[0] in COMMANDS else None)
    hydra = _hydra_arguments(given)
    if hydra is not None:
        _report(hydra)
        return 2
    args = parser.parse_args(argv)
    debug = bool(args.debug)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "lsp":
            return _lsp()
        with _SignalsUnwind():
            if args.command == "check":
                return _check(args)
            if args.command == "fmt":
                return _fmt(args)
            if args.command == "count":
                return _count_files(args)
            if args.command == "diff":
                return _diff(args)
            if args.command == "explain":
                return _explain(args)
            if args.command == "convert":
                return _convert(args)
            return _compile(args)
    except MintError as exc:
        _report(exc)
        return 1
    except ComputeError as exc:  # a computed value that fails for one config (E100)
        from .compiler import compute_error

        _report(compute_error(exc))
        return 1
    except OutputError as exc:
        sys.stderr.write(_printable(f"{exc.path}: error: {exc.message}") + "\n")
        return 1
    except UsageError as exc:
        sys.stderr.write(f"mintc: error: {exc}\n")
        return 2
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as exc:
        name = exc.filename
        where = "mintc" if name is None else os.fsdecode(name) if isinstance(name, (str, bytes)) else str(name)
        sys.stderr.write(_printable(f"{where}: error: cannot write: {exc.strerror or exc}") + "\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("mintc: interrupted\n")
        return 130
    except _Stopped as exc:
        try:  # after SIGHUP the terminal may be gone
            sys.stderr.write(f"mintc: stopped by {signal.Signals(exc.signum).name}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        return 128 + exc.signum
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            raise
        sys.stderr.write(f"internal error in mintc {__version__}: {type(exc).__name__}: {exc} — please report\n")
        return 3


# Whether `entry_point` paused the cyclic garbage collector for the start-up.
_gc_paused = False


def _started() -> None:
    """The start-up is over: the command's modules are imported (and, for
    a compile, the parser built). The cyclic collector, paused by
    `entry_point`, resumes, and leaves alone what the start-up made
    (`gc.freeze`). Without the pause it runs full collections again and
    again while modules load, rescanning every class and table made so far
    (~7% of `mintc check` on a small file)."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()


def entry_point() -> None:
    """Console-script entry point. `mintc --version` is answered here, as
    argparse answers it, before anything is imported. The cyclic garbage
    collector is paused until the start-up is over (`_started`)."""
    global _gc_paused
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"mintc {__version__}\n")
        sys.exit(0)
    if gc.isenabled():
        gc.disable()
        _gc_paused = True
    sys.exit(main())
