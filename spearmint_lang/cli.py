"""`mintc`: the command line.

Exit codes: 0 success, 1 a mistake in the input, 2 a usage error,
3 an internal error (a bug in mintc; `--debug` shows the traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

from . import __version__
from .errors import Collector, MintError, diagnostic_json
from .source import Source, Span

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
        choices=["json", "jsonl", "py"],
        help="output format (default: from the extension of PATH, else json)",
    )
    c.add_argument(
        "--max-configs",
        type=_positive_int,
        default=DEFAULT_MAX_CONFIGS,
        metavar="N",
        help=f"refuse json/py output of more than N configs (default {DEFAULT_MAX_CONFIGS:,}); jsonl streams and has no limit",
    )
    c.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)

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
    return p


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
    from .emit import EXTENSIONS

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


def _read(name: str) -> Source:
    from .compiler import decode, read

    if name == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")
    return read(name)


def _compile(args: argparse.Namespace) -> int:
    from .compiler import compile_source
    from .emit import emit
    from .expand import count, iter_configs

    fmt = _format_for(args.output, args.format)
    source = _read(args.file)
    docs = compile_source(source)
    if fmt in _IN_MEMORY_FORMATS:
        total = sum(count(doc) for doc in docs)
        if total > args.max_configs:
            errors = Collector()
            errors.error(
                "E050",
                f"this sweep has {total:,} configs, more than --max-configs allows ({args.max_configs:,}) for {fmt} output",
                Span(source, 1, 1, 1, 1),
                hint="write JSONL, which streams (`-o out.jsonl`), or raise the limit with `--max-configs N`",
            )
            errors.raise_if_any()
    chunks = emit(fmt, iter_configs(docs), source.path, __version__)
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
    return 0


_EXACT_WHERE_LIMIT = 1_000_000


def _count(docs: list[dict[str, Any]]) -> tuple[int, bool]:
    """The number of configs, and whether it is exact: with `where` filters
    it is exact only after expanding, which we do up to a million configs."""
    from .expand import count, has_where, iter_config

    total = 0
    exact = True
    for doc in docs:
        n = count(doc)
        if has_where(doc):
            if n <= _EXACT_WHERE_LIMIT:
                n = sum(1 for _ in iter_config(doc))
            else:
                exact = False
        total += n
    return total, exact


def _check(args: argparse.Namespace) -> int:
    from .compiler import compile_source

    diagnostics = []
    files = []
    for name in args.files:
        try:
            docs = compile_source(_read(name))
        except MintError as exc:
            diagnostics.extend(exc.diagnostics)
            files.append({"file": "<stdin>" if name == "-" else name, "ok": False, "configs": None, "exact": None})
            if args.format == "text":
                sys.stderr.write(exc.render() + "\n")
            continue
        total, exact = _count(docs)
        files.append({"file": "<stdin>" if name == "-" else name, "ok": True, "configs": total, "exact": exact})
        if args.format == "text":
            shown = f"{total:,} config{'s' if total != 1 else ''}" if exact else f"at most {total:,} configs (before `where`)"
            sys.stdout.write(f"{'<stdin>' if name == '-' else name}: ok, {shown}\n")
    if args.format == "json":
        payload = {"files": files, "diagnostics": [diagnostic_json(d) for d in diagnostics]}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif diagnostics:
        bad = sum(1 for f in files if not f["ok"])
        sys.stderr.write(f"{len(diagnostics)} error{'s' if len(diagnostics) != 1 else ''} in {bad} file{'s' if bad != 1 else ''}\n")
    return 1 if diagnostics else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run mintc; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    debug = bool(args.debug)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "check":
            return _check(args)
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
