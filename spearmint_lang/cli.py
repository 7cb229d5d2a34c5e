"""`mintc`: the command line.

Exit codes: 0 success, 1 a mistake in the input, 2 a usage error,
3 an internal error (a bug in mintc; `--debug` shows the traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence

from . import __version__
from .errors import MintError


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
    c = sub.add_parser(
        "compile",
        help="expand a .mint file to its configs",
        description="Expand FILE to its configs: a JSON array on stdout, or a file with -o.",
    )
    c.add_argument("file", metavar="FILE", help="the .mint file ('-' reads stdin)")
    c.add_argument("-o", "--output", metavar="PATH", help="write here instead of stdout")
    c.add_argument(
        "--format",
        choices=["json", "jsonl", "py"],
        help="output format (default: from the extension of PATH, else json)",
    )
    c.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show Python tracebacks of internal errors")
    return p


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

    On any error (or Ctrl-C) the old file stays exactly as it was.
    """
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".mintc-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for chunk in chunks:
                fh.write(chunk)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _compile(args: argparse.Namespace) -> int:
    from .compiler import compile_source, decode, read
    from .emit import emit
    from .expand import iter_configs

    fmt = _format_for(args.output, args.format)
    if args.file == "-":
        source = decode(sys.stdin.buffer.read(), "<stdin>")
    else:
        source = read(args.file)
    docs = compile_source(source)
    chunks = emit(fmt, iter_configs(docs), source.path, __version__)
    if args.output:
        _write_atomic(args.output, chunks)
    else:
        out = sys.stdout.buffer
        for chunk in chunks:
            out.write(chunk.encode("utf-8"))
        out.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run mintc; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    debug = bool(args.debug)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
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
        name = exc.filename if exc.filename is not None else args.file
        sys.stderr.write(f"{name}: error: {exc.strerror or exc}\n")
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
