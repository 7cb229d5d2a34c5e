"""`mintc`: the command line.

Exit codes: 0 success, 1 a mistake in the input, 2 a usage error,
3 an internal error (a bug in mintc; `--debug` shows the traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from . import __version__
from .codes import Code
from .errors import Collector, MintError, diagnostic_json
from .source import Source

if TYPE_CHECKING:
    from .compiler import Unit
    from .sweep import Sweep

DEFAULT_MAX_CONFIGS = 1_000_000
# Formats that hold every config in memory before writing.
_IN_MEMORY_FORMATS = {"json", "py"}


class UsageError(Exception):
    """A mistake in how mintc was called (exit 2)."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mintc",
        description="Compile .mint sweep files to the configurations they describe.",
    )
    p.add_argument("--version", action="version", version=f"mintc {__version__}")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks of internal errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    debug_help = "show Python tracebacks of internal errors"

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
                   help="write one file per config into DIR, named <index>-<config_id>.yaml (or .json with --format json)")
    c.add_argument(
        "--max-configs",
        type=_positive_int,
        default=DEFAULT_MAX_CONFIGS,
        metavar="N",
        help=f"refuse json/py output of more than N configs (default {DEFAULT_MAX_CONFIGS:,}); jsonl streams and has no limit",
    )
    c.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)

    n = sub.add_parser(
        "count",
        help="count configs per document and in total, without expanding",
        description="Count the configs of each FILE exactly, per document and in total, without expanding them.",
    )
    n.add_argument("files", metavar="FILE", nargs="+", help="the .mint files ('-' reads stdin)")
    n.add_argument("--format", choices=["text", "json"], default="text", help="text or json")
    n.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)

    k = sub.add_parser(
        "check",
        help="check .mint files without writing anything",
        description="Parse and validate each FILE. Exit 0 when all are clean, 1 on any error.",
    )
    k.add_argument("files", metavar="FILE", nargs="+", help="the .mint files ('-' reads stdin)")
    k.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text (for people, on stderr) or json (for editors and CI, on stdout)",
    )
    k.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)

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

    s = sub.add_parser(
        "lsp",
        help="run the language server for editors (LSP over stdin/stdout)",
        description="Run the .mint language server: it speaks LSP over stdin/stdout until the editor stops it.",
    )
    s.add_argument("--stdio", action="store_true", help="accepted for editors that pass it; stdio is the only transport")
    s.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)
    return p


def _shard(text: str) -> tuple[int, int]:
    try:
        k_text, n_text = text.split("/")
        k, n = int(k_text), int(n_text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not K/N, e.g. 3/8") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"{text!r}: K must be from 1 to N")
    return k, n


def _range(text: str) -> tuple[int | None, int | None]:
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


def _write_atomic(path: str, chunks: Iterable[str]) -> None:
    """Write to a temporary file beside `path`, then rename it into place.

    On any error (or Ctrl-C) the old file stays exactly as it was and the
    temporary file is removed.
    """
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".mintc-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for chunk in chunks:
                fh.write(chunk)
        if os.path.exists(path):
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _unit(name: str) -> Unit:
    """Compile FILE (or stdin for `-`); never raises."""
    from .compiler import compile_bytes, compile_file

    if name == "-":
        return compile_bytes(sys.stdin.buffer.read(), "<stdin>")
    return compile_file(name)


def _label(name: str) -> str:
    return "<stdin>" if name == "-" else name


def _compile(args: argparse.Namespace) -> int:
    from .expand import count
    from .output.emit import emit
    from .sweep import Sweep

    if args.split:
        if args.output:
            raise UsageError("--split writes a folder of files; it does not go with -o")
        fmt = args.format or "yaml"
        if fmt not in ("yaml", "json"):
            raise UsageError("--split writes yaml (the default) or json files")
    else:
        fmt = _format_for(args.output, args.format)
    unit = _unit(args.file)
    docs = unit.templates()
    source = unit.source
    if fmt in _IN_MEMORY_FORMATS and not args.split:
        total = sum(count(doc) for doc in docs)
        if total > args.max_configs and args.shard is None and args.index_range is None:
            _too_many(source, "sweep", total, args.max_configs, fmt)
    sweep = Sweep(docs)
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
        offset = min(start, Sweep(docs).size)
    if fmt in _IN_MEMORY_FORMATS and not args.split and sweep.size > args.max_configs:
        _too_many(source, "slice", sweep.size, args.max_configs, fmt)
    progress = _progress(sweep.size)
    try:
        if args.split:
            _write_split(args.split, fmt, sweep, offset, progress)
            return 0
        chunks = emit(fmt, sweep, source.path, __version__, progress=progress.update if progress else None)
        if args.output:
            try:
                _write_atomic(args.output, chunks)
            except OSError as exc:
                if exc.filename is None or os.path.basename(str(exc.filename)).startswith(".mintc-"):
                    exc.filename = args.output
                raise
        else:
            out = sys.stdout.buffer
            for chunk in chunks:
                out.write(chunk.encode("utf-8"))
            out.flush()
    finally:
        if progress is not None:
            progress.close()
    return 0


def _too_many(source: Source, what: str, size: int, limit: int, fmt: str) -> None:
    """E050: json and py hold every config in memory, so they have a limit."""
    errors = Collector()
    errors.error(
        Code.E050,
        f"this {what} has {size:,} configs, more than --max-configs allows ({limit:,}) for {fmt} output",
        source.start(),
        hint="write JSONL, which streams (`-o out.jsonl`), or raise the limit with `--max-configs N`",
    )
    errors.raise_if_any()


_PROGRESS_MIN = 200_000


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


def _write_split(folder: str, fmt: str, sweep: Sweep, offset: int, progress: Progress | None) -> None:
    """One file per config, `<index>-<config_id>.<ext>`, each written atomically.

    The index is the config's place in the whole sweep, zero-padded so that
    sorting the names (as spearmint's YAML folder loader does) keeps order.
    """
    from .output.formats import BY_NAME

    write = BY_NAME[fmt].file
    assert write is not None
    os.makedirs(folder, exist_ok=True)
    ext = "yaml" if fmt == "yaml" else "json"
    width = max(1, len(str(max(0, offset + sweep.size - 1))))
    for i, config in enumerate(sweep):
        cid = str(config.get("config_id", ""))
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in cid)[:64]
        name = os.path.join(folder, f"{offset + i:0{width}d}-{safe}.{ext}")
        _write_atomic(name, [write(config)])
        if progress is not None:
            progress.update(1)


def _counts(unit: Unit) -> list[tuple[int, bool]]:
    """Each document's number of configs and whether it is exact (see `count_exact`)."""
    return [(c.configs, c.exact) for c in (unit.count(i) for i in range(len(unit.documents)))]


def _check(args: argparse.Namespace) -> int:
    diagnostics = []
    files = []
    for name in args.files:
        unit = _unit(name)
        if not unit.ok:
            diagnostics.extend(unit.diagnostics)
            files.append({"file": _label(name), "ok": False, "configs": None, "exact": None})
            if args.format == "text":
                sys.stderr.write(MintError(unit.diagnostics).render() + "\n")
            continue
        counts = _counts(unit)
        total, exact = sum(n for n, _ in counts), all(e for _, e in counts)
        files.append({"file": _label(name), "ok": True, "configs": total, "exact": exact})
        if args.format == "text":
            shown = f"{total:,} config{'s' if total != 1 else ''}" if exact else f"at most {total:,} configs (before `where`)"
            sys.stdout.write(f"{_label(name)}: ok, {shown}\n")
    if args.format == "json":
        payload = {"files": files, "diagnostics": [diagnostic_json(d) for d in diagnostics]}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif diagnostics:
        bad = sum(1 for f in files if not f["ok"])
        sys.stderr.write(f"{len(diagnostics)} error{'s' if len(diagnostics) != 1 else ''} in {bad} file{'s' if bad != 1 else ''}\n")
    return 1 if diagnostics else 0


def _fmt(args: argparse.Namespace) -> int:
    """Rewrite files in place (atomically, only when they change)."""
    from .fmt import format_source
    from .loader import Loader, decode

    failed = unformatted = False
    for name in args.files:
        label = _label(name)
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
            sys.stderr.write(exc.render() + "\n")
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


def _count_files(args: argparse.Namespace) -> int:
    counted: list[tuple[str, list[tuple[int, bool]]]] = []
    failed = False
    for name in args.files:
        unit = _unit(name)
        if not unit.ok:
            sys.stderr.write(MintError(unit.diagnostics).render() + "\n")
            failed = True
            continue
        counted.append((_label(name), _counts(unit)))
    grand = sum(n for _, per_doc in counted for n, _ in per_doc)
    if args.format == "json":
        files = [
            {
                "file": name,
                "documents": [{"configs": n, "exact": e} for n, e in per_doc],
                "total": sum(n for n, _ in per_doc),
                "exact": all(e for _, e in per_doc),
            }
            for name, per_doc in counted
        ]
        sys.stdout.write(json.dumps({"files": files, "total": grand}, indent=2) + "\n")
    else:
        for name, per_doc in counted:
            total = sum(n for n, _ in per_doc)
            parts = ", ".join(f"{n:,}" + ("" if e else " at most (before where)") for n, e in per_doc)
            detail = f" ({parts})" if len(per_doc) > 1 or not all(e for _, e in per_doc) else ""
            sys.stdout.write(f"{name}: {total:,} configs{detail}\n")
        if len(counted) > 1:
            sys.stdout.write(f"total: {grand:,} configs\n")
    return 1 if failed else 0


def _lsp() -> int:
    """Serve LSP on stdin/stdout (see docs/editor.md)."""
    try:
        from .lsp.server import main as serve
    except ImportError as exc:
        raise UsageError(f"the language server needs pygls and lsprotocol ({exc}); pip install -U spearmint-lang") from None
    serve()
    return 0


def allow_long_numbers() -> None:
    """Counts have any size (a product of large ranges can have thousands of
    digits): let them print. Number literals are capped at 4,000 digits
    before any conversion (E013), so the parser never converts a huge one."""
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)


def main(argv: Sequence[str] | None = None) -> int:
    """Run mintc; returns the exit code."""
    allow_long_numbers()
    parser = _parser()
    args = parser.parse_args(argv)
    debug = bool(args.debug)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "fmt":
            return _fmt(args)
        if args.command == "count":
            return _count_files(args)
        if args.command == "lsp":
            return _lsp()
        return _compile(args)
    except MintError as exc:
        sys.stderr.write(exc.render() + "\n")
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
        sys.stderr.write(f"{exc.filename}: error: cannot write: {exc.strerror or exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("mintc: interrupted\n")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            raise
        sys.stderr.write(f"internal error in mintc {__version__}: {type(exc).__name__}: {exc} — please report\n")
        return 3


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())
