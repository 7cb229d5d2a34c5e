"""Grammar-aware fuzzing of the whole compiler (issue 10, part F).

Programs come from `tests.mint_gen.SourceGen` in full mode -- every construct
of docs/language.md sections 1-5, `extends` bases written into a folder of
their own; for a third of them also valid uses of issue 13's syntax
(computed values, interpolation, dotted keys, sweeps in lists, block
strings, digit separators, several `extends`, `import`, `delete`), for
another third its syntax that need not compile -- as they are, and after token and line mutations (deleted,
duplicated or swapped tokens and lines; keywords, punctuation, odd literals
and whole construct lines inserted), in the program or in one of its bases.
Each goes through the real entry points: `compile_text`, `compile_file`,
`loads`, `Sweep` (from a path; from text for files with errors), `emit`,
`format_source` and, for a sample, `mintc` (`cli.main`). The properties:

a. no internal error: `compile_text`/`compile_file` never raise; anything
   else raises only a `MintError` whose diagnostics are located (file, line
   and column >= 1, inside the source) and render; `main()` never returns 3;
b. no case runs longer than CASE_SECONDS (an alarm per case);
c. for files that compile: the exact count (`Unit.count`, `mintc count`)
   equals `len(loads(text))`;
d. `Sweep[i]` is the i-th config (negative i too), slices are list slices,
   `shard(k, n)` for several n concatenate to the whole, a pickled sweep
   gives the same configs;
e. json, jsonl, yaml and py outputs, once loaded, equal the configs (of the
   whole sweep and of a slice);
f. `format_source` is idempotent and its output compiles to the same configs
   (or the same error codes).

The generator is checked too (`test_generator_stats`): the programs it draws
compile, a sample holds every production of the grammar and every lexical
form, and the programs that compile hold every valid use of issue 13's
syntax (`_ISSUE13`).

The seven bugs this fuzzer found (float schema bounds, required keys set by a
base's zip or variants, at the top or in an object, an uneven zip inside
variants, sweeps past sys.maxsize, a word of the language as a value through
the formatter, a used Sweep that did not pickle) are fixed; their shapes are
drawn like any other.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import pickle
import random
import re
import signal
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from lark import Token, Tree

from spearmint_lang import MintError, Sweep, loads
from spearmint_lang.cli import main
from spearmint_lang.compiler import Unit, compile_file, compile_text
from spearmint_lang.errors import Diagnostic
from spearmint_lang.fmt import format_source
from spearmint_lang.grammar import lark
from spearmint_lang.output.emit import emit
from tests.conftest import DEADLINE, fuzz_examples
from tests.mint_gen import MAIN, SourceGen

CASE_SECONDS = 5  # one case (every property of one program) longer than this is a hang
# Configs: beyond, the properties that expand everything are skipped. (Reading
# every `sweep[i]` of a `where` document is quadratic -- each tests the
# combinations from the last remembered position on -- about 0.5 s for 300.)
EXPAND_LIMIT = 300
FORMATS = ("json", "jsonl", "yaml", "py")
SHARDS = (1, 2, 3, 7)  # (and one more shard than configs)

FUZZ_SETTINGS: dict[str, Any] = dict(
    deadline=DEADLINE, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)



def _tokens(tree: Tree[Token]) -> str:
    """A subtree's source again (its tokens; the tree keeps every one)."""
    return " ".join(str(t) for t in tree.scan_values(lambda v: isinstance(v, Token)))


# --------------------------------------------------------------------------
# Time limit
# --------------------------------------------------------------------------


class _Hang(BaseException):
    """Raised by the alarm (not an Exception: nothing under test swallows it)."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Hang()


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail (rather than hang) when the block runs longer than `seconds`."""
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Hang:
        raise AssertionError(f"(b) one case ran longer than {seconds} s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    """Equal as data, types included (1, 1.0 and True differ; so do 0.0 and -0.0)."""
    return json.dumps(a) == json.dumps(b)


def check_located(diagnostics: list[Diagnostic]) -> None:
    """(a) Every diagnostic names a file and a place inside its source."""
    for diag in diagnostics:
        assert re.fullmatch(r"[EW]\d{3}", diag.code), diag.code
        assert diag.message, diag
        for span in [diag.span, *(rel.span for rel in diag.related)]:
            lines = span.source.text.count("\n") + 1
            where = f"{diag.code} at {span.file}:{span.line}:{span.column} (source has {lines} lines)"
            assert span.file, where
            assert 1 <= span.line <= lines + 1 and span.column >= 1, where
            assert (span.end_line, span.end_column) >= (span.line, span.column), where
        assert isinstance(diag.render(), str)


def check_error(exc: MintError) -> None:
    """(a) A MintError: errors only, located, and it renders."""
    assert exc.diagnostics, "a MintError without diagnostics"
    first = exc.diagnostics[0].span
    assert (exc.file, exc.line, exc.column) == (first.file, first.line, first.column)
    assert all(d.severity == "error" for d in exc.diagnostics)
    check_located(exc.diagnostics)
    assert exc.render() and str(exc)


def raises_mint_error(call: Any, *args: Any) -> set[str]:
    """(a) `call(*args)` raises a MintError (nothing else): its codes."""
    try:
        call(*args)
    except MintError as exc:
        check_error(exc)
        return {d.code for d in exc.diagnostics}
    raise AssertionError(f"{getattr(call, '__name__', call)} compiled a file with errors")


def errors(unit: Unit) -> set[str]:
    """The codes of a unit's errors (not its warnings)."""
    return {d.code for d in unit.diagnostics if d.severity == "error"}


def counts(unit: Unit) -> list[tuple[int, bool]]:
    """Each document's count and whether it is exact (what `mintc count` prints)."""
    return [(c.configs, c.exact) for c in (unit.count(i) for i in range(len(unit.documents)))]


def load_output(fmt: str, text: str) -> Any:
    """What a reader of format `fmt` gets from `text`."""
    if fmt == "json":
        return json.loads(text)
    if fmt == "jsonl":
        assert text == "" or text.endswith("\n")
        return [json.loads(line) for line in text.split("\n")[:-1]]
    if fmt == "yaml":
        return list(yaml.safe_load_all(text))
    namespace: dict[str, Any] = {}
    exec(compile(text, "configs.py", "exec"), namespace)  # noqa: S102 - our own emitter's output
    return namespace["configs"]


def slices(n: int) -> list[tuple[int | None, int | None]]:
    return [(0, n), (1, n - 1), (-3, None), (None, 2), (n // 3, 2 * n // 3), (5, 2), (-n - 5, n + 5), (n, None)]


def check_sweep(sweep: Sweep, configs: list[dict[str, Any]]) -> None:
    """(d) random access, slices, shards and pickling agree with the list."""
    n = len(configs)
    assert len(sweep) == n
    # (Past 100 configs, about 20 of them: `Sweep[i]` of a `where` document
    # scans from the last remembered position, and computed values make
    # each config dearer.)
    for i in range(n) if n <= 100 else sorted({*range(0, n, n // 16), n - 2, n - 1}):
        assert same(sweep[i], configs[i]), f"Sweep[{i}]"
        assert same(sweep[i - n], configs[i - n]), f"Sweep[{i - n}]"
    for bad in (n, -n - 1):
        with pytest.raises(IndexError):
            sweep[bad]
    for a, b in slices(n):
        part = sweep[a:b]
        assert same(list(part), configs[a:b]), f"Sweep[{a}:{b}]"
        assert len(part) == len(configs[a:b])
        assert same(list(part[1:]), configs[a:b][1:]), f"Sweep[{a}:{b}][1:]"
    for parts in (*SHARDS, n + 1) if n <= 60 else SHARDS:
        shards = [sweep.shard(k, parts) for k in range(1, parts + 1)]
        assert same([c for s in shards for c in s], configs), f"{parts} shards"
        sizes = [len(s) for s in shards]
        assert max(sizes) - min(sizes) <= 1, sizes
    assert same(list(sweep), configs)
    assert same(list(pickle.loads(pickle.dumps(sweep))), configs), "a pickled sweep, after use"


def check_outputs(sweep: Sweep, configs: list[dict[str, Any]]) -> None:
    """(e) every format, loaded, gives the configs (the whole and a slice)."""
    n = len(configs)
    for fmt in FORMATS:
        out = "".join(emit(fmt, sweep, "x.mint", "0"))
        assert same(load_output(fmt, out), configs), f"{fmt} output"
        if fmt != "yaml":  # (the slow reader: once is enough)
            a, b = n // 3, n - n // 4
            out = "".join(emit(fmt, sweep[a:b], "x.mint", "0"))
            assert same(load_output(fmt, out), configs[a:b]), f"{fmt} output of [{a}:{b}]"


def outcome_of(unit: Unit) -> str:
    """What a compiled text gives: its configs (or counts when too many to
    expand) or its error codes."""
    if not unit.ok:
        return "errors " + " ".join(sorted(errors(unit)))
    per_doc = counts(unit)
    if not all(exact for _, exact in per_doc) or sum(n for n, _ in per_doc) > EXPAND_LIMIT:
        return "counts " + json.dumps(per_doc)
    return json.dumps(list(Sweep(unit.templates())))


def check_format(text: str, path: str, unit: Unit) -> None:
    """(f) the formatter keeps what a text compiles to, and is idempotent."""
    try:
        out = format_source(text, path)
    except MintError as exc:
        check_error(exc)
        assert not unit.ok, "format_source refused a file that compiles"
        return
    again = format_source(out, path)
    assert again == out, "(f) format_source is not idempotent"
    assert outcome_of(compile_text(out, path)) == outcome_of(unit), "(f) the formatted text compiles differently"


def check_program(text: str, folder: Path) -> bool:
    """Properties (a) to (f) of one program saved as folder/main.mint; returns
    whether it compiles."""
    path = folder / MAIN
    path.write_bytes(text.encode("utf-8"))
    name = str(path)
    unit = compile_text(text, name)
    check_located(unit.diagnostics)
    from_file = compile_file(path)
    check_located(from_file.diagnostics)
    assert errors(from_file) == errors(unit), "compile_file and compile_text disagree"
    if not unit.ok:
        codes = errors(unit)
        assert raises_mint_error(loads, text, name) == codes
        assert raises_mint_error(Sweep, path) == codes
        assert raises_mint_error(Sweep.from_text, text, name) == codes
        check_format(text, name, unit)
        return False
    per_doc = counts(unit)
    total = sum(n for n, _ in per_doc)
    sweep = Sweep(path)
    fresh = pickle.loads(pickle.dumps(sweep))  # (d) before any use
    if not all(exact for _, exact in per_doc) or total > EXPAND_LIMIT:
        # Too many to expand: what can be checked without (and without
        # scanning a `where` again: up to a million combinations, seconds).
        assert sweep.size_bound >= total
        if not any(unit.count(i).before_where is not None for i in range(len(per_doc))):
            assert sweep.size == total
            head = list(itertools.islice(iter(sweep), 20))
            assert same(head, [sweep[i] for i in range(len(head))])
            for i in {0, total // 3, total // 2, total - 1}:
                assert same(sweep[i], next(iter(sweep[i:i + 1]))), f"Sweep[{i}]"
                assert same(sweep[i], sweep[i - total]), f"Sweep[{i - total}]"
            for parts in SHARDS:
                assert sum(sweep.shard(k, parts).size for k in range(1, parts + 1)) == total
            tail = sweep[total - 2:]
            out = "".join(emit("jsonl", tail, "x.mint", "0"))
            assert same(load_output("jsonl", out), [sweep[i] for i in range(max(0, total - 2), total)])
        check_format(text, name, unit)
        return True
    configs = loads(text, name)
    assert len(configs) == total, f"(c) count {total} != {len(configs)} configs"
    assert sweep.counts() == [n for n, _ in per_doc]
    assert same(list(fresh), configs), "a pickled sweep"
    check_sweep(sweep, configs)
    check_outputs(sweep, configs)
    check_format(text, name, unit)
    return True


# --------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------


def run_mintc(*args: str) -> tuple[int, str, str]:
    """`main(args)` in this process: exit code, stdout, stderr. (a) never 3:
    an internal error is re-run with --debug to show its traceback."""
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    stderr = io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(list(args))
    if code == 3:
        try:
            with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())), contextlib.redirect_stderr(io.StringIO()):
                main(["--debug", *args])
        except Exception:  # noqa: BLE001 - shown in the failure
            raise AssertionError(f"(a) internal error in `mintc {' '.join(args)}`:\n{traceback.format_exc()}") from None
        raise AssertionError(f"(a) `mintc {' '.join(args)}` exited 3: {stderr.getvalue()}")
    stdout.flush()
    out = stdout.buffer.getvalue().decode("utf-8")
    assert "internal error" not in stderr.getvalue()
    return code, out, stderr.getvalue()


def check_cli(text: str, folder: Path, compiled: bool, rng: random.Random) -> None:
    """(a), (c), (e) through `mintc`: check, count, compile (a random format,
    whole or a shard or a range), fmt --check."""
    path = str(folder / MAIN)
    code, _, err = run_mintc("check", path)
    assert code == (0 if compiled else 1), err
    if not compiled:
        assert re.search(r":\d+:\d+: error\[E\d{3}\]", err), err
    code, out, err = run_mintc("count", "--format", "json", path)
    assert code == (0 if compiled else 1), err
    if not compiled:
        return
    report = json.loads(out)["files"][0]
    unit = compile_text(text, path)
    assert [(d["configs"], d["exact"]) for d in report["documents"]] == counts(unit)
    if not report["exact"] or report["total"] > EXPAND_LIMIT:
        return
    configs = loads(text, path)
    assert report["total"] == len(configs), "(c) mintc count"
    fmt = rng.choice(FORMATS)
    target = str(folder / f"out.{fmt}")
    n = len(configs)
    k, parts = rng.randint(1, 3), 3
    a, b = rng.randint(0, n), rng.randint(0, n + 2)
    for extra, expected in [([], configs), (["--shard", f"{k}/{parts}"], configs[n * (k - 1) // parts: n * k // parts]),
                            (["--range", f"{a}:{b}"], configs[a:b])]:
        code, _, err = run_mintc("compile", path, "-o", target, "--format", fmt, *extra)
        assert code == 0, err
        got = load_output(fmt, Path(target).read_text(encoding="utf-8"))
        assert same(got, expected), f"mintc compile --format {fmt} {' '.join(extra)}"
    code, _, err = run_mintc("fmt", "--check", path)
    assert code == (0 if format_source(text, path) == text else 1), err


# --------------------------------------------------------------------------
# Mutations
# --------------------------------------------------------------------------

_TOKEN = re.compile(r'"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*|\r?\n|[ \t\f]+'
                    r"|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|[A-Za-z_][A-Za-z0-9_-]*|\.\.<?|[=!<>]=|---|.", re.S)
PIECES = [
    # words of the language
    "let", "zip", "variants", "where", "extends", "schema", "step", "count", "and", "or", "not", "in", "true",
    "false", "null", "config_id", "int", "float", "string", "any", "object", "list", "bool",
    # punctuation
    "[", "]", "]*", "{", "}", "(", ")", "*", ":", ",", ",,", "=", "|", "?", ".", "..", "..<", "-", '"', '"""', "#",
    "---", "\n", "\n---\n", "==", "!=", "<", ">=", "\t", "\r\n", "\ufeff", "é",
    # odd values
    "0", "-1", "2.5", "1e400", "1e-400", "007", "42", "0.1", "k1", "n0", '"\\ud800"', '"\\q"', "[]*", "{}",
    "0..<0", "0..10 step 0", "1..2 step *1", "0..1 count 0", "0..99999999999999999999", "[1, [2, 3]*]",
    # paths for `extends`
    '"b1.mint"', '"main.mint"', '"../main.mint"', '"lib/b1.mint"', '"missing.mint"', '"/etc/passwd"', '"."',
]
LINES = [
    "---", "let n9 = 1", "let n0 = [1, 2]", "where k1 == 1", "where k2 in [1, null]", 'extends "b1.mint"',
    'extends "main.mint"', 'extends "../main.mint"', "schema { k1: int }", "schema { }", "zip { z: [1, 2] }",
    "variants [{ v: 1 }, { v: [2, 3]* }]", "k1: 5", "config_id: [1, 2]*", "k99: [1, 2]*", "k1: { k2: 0..3 }",
    "# a comment", "", "}", "]", "k3: n0*",
]
# (Small, or far too large: a `where` over a million combinations takes seconds by design.)
NUMBERS = ["0", "1", "-1", "2", "3", "10", "-0.0", "0.5", "1e-5", "2.5E+3", "20", "-7", "1e308", "0.1",
           "12345678901234567890"]
TOKEN_OPS = ["delete", "duplicate", "swap", "insert", "replace", "renumber"]
LINE_OPS = ["delete line", "duplicate line", "swap lines", "insert line"]
Mutation = tuple[str, int, int, str, int]
MUTATIONS = st.tuples(
    st.sampled_from(TOKEN_OPS + LINE_OPS),
    st.integers(0, 10**6), st.integers(0, 10**6),
    st.sampled_from(PIECES + LINES),
    st.integers(0, 4),  # 4: edit a base file instead of the program (when there is one)
)


def mutate(text: str, mutation: Mutation) -> str:
    """One token or line edit of `text`."""
    op, i, j, piece, _ = mutation
    if op in LINE_OPS:
        lines = text.split("\n")
        i, j = i % len(lines), j % len(lines)
        if op == "delete line":
            del lines[i]
        elif op == "duplicate line":
            lines.insert(i, lines[i])
        elif op == "swap lines":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines.insert(i, piece if piece in LINES else "k7: " + piece)
        return "\n".join(lines)
    tokens = _TOKEN.findall(text)
    assert "".join(tokens) == text
    if op == "renumber":  # another number in place of one (the text stays well formed more often)
        numbers = [k for k, t in enumerate(tokens) if re.fullmatch(r"-?[0-9][0-9.eE+-]*", t)]
        if numbers:
            tokens[numbers[i % len(numbers)]] = NUMBERS[j % len(NUMBERS)]
        return "".join(tokens)
    solid = [k for k, t in enumerate(tokens) if not t.isspace()] or [0]
    if not tokens:
        return piece
    at, other = solid[i % len(solid)], solid[j % len(solid)]
    if op == "delete":
        tokens[at] = ""
    elif op == "duplicate":
        tokens[at] = tokens[at] + (" " if j % 2 else "") + tokens[at]
    elif op == "swap":
        tokens[at], tokens[other] = tokens[other], tokens[at]
    elif op == "insert":
        tokens.insert(at + j % 2, (" " if j % 3 else "") + piece + (" " if j % 5 else ""))
    else:
        tokens[at] = piece
    return "".join(tokens)


# --------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------

_CASES = itertools.count()


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def generate(seed: int, root: Path) -> tuple[SourceGen, str, Path]:
    folder = root / f"case{next(_CASES)}"
    folder.mkdir()
    # One in three also holds the syntax of issue 13 (expressions, `${a.b}`,
    # dotted keys, `import`, `delete`, `100_000`): formatted like the rest;
    # one in three holds valid uses of it, which compile (`issue13`).
    gen = SourceGen(random.Random(seed), full=True, folder=folder, novel=seed % 3 == 0, issue13=seed % 3 == 1)
    text = gen.file()
    return gen, text, folder


def show(gen: SourceGen, text: str, folder: Path) -> None:
    """Print the case when it fails: the program and its bases."""
    for base in gen.bases:
        note(f"--- {base.relative_to(folder)} ---\n{base.read_bytes().decode('utf-8', errors='replace')}")
    note(f"--- {MAIN} ---\n{text}")


@settings(max_examples=fuzz_examples(50), **FUZZ_SETTINGS)
@given(seed=st.integers(0, 2**32 - 1))
def test_generated_programs(seed: int, fuzz_root: Path) -> None:
    """Programs of every construct, as drawn: properties (a)-(f)."""
    gen, text, folder = generate(seed, fuzz_root)
    show(gen, text, folder)
    with time_limit(CASE_SECONDS):
        check_program(text, folder)


@settings(max_examples=fuzz_examples(85), **FUZZ_SETTINGS)
@given(seed=st.integers(0, 2**32 - 1), mutations=st.lists(MUTATIONS, min_size=1, max_size=4))
def test_mutated_programs(seed: int, mutations: list[Mutation], fuzz_root: Path) -> None:
    """The same programs after 1-4 mutations (of the program, or of a base
    file it extends): properties (a)-(f)."""
    gen, text, folder = generate(seed, fuzz_root)
    bases = sorted(gen.bases)
    for mutation in mutations:
        if mutation[4] == 4 and bases:
            base = bases[mutation[2] % len(bases)]
            base.write_bytes(mutate(base.read_bytes().decode("utf-8"), mutation).encode("utf-8"))
        else:
            text = mutate(text, mutation)
    show(gen, text, folder)
    with time_limit(CASE_SECONDS):
        check_program(text, folder)


@settings(max_examples=25, **FUZZ_SETTINGS)
@given(seed=st.integers(0, 2**32 - 1), mutations=st.lists(MUTATIONS, max_size=2))
def test_command_line(seed: int, mutations: list[Mutation], fuzz_root: Path) -> None:
    """A sample through `mintc` itself (`cli.main`): exit codes, counts and
    every output format."""
    gen, text, folder = generate(seed, fuzz_root)
    for mutation in mutations:
        text = mutate(text, mutation)
    show(gen, text, folder)
    with time_limit(CASE_SECONDS):
        compiled = check_program(text, folder)
        check_cli(text, folder, compiled, random.Random(seed))


# --------------------------------------------------------------------------
# The generator itself
# --------------------------------------------------------------------------


# Rules that only read mistakes, to report them well (`sample 64 7`: E092).
_ERROR_ONLY = {"bare_seed"}


def _expected_productions() -> set[str]:
    """Every tree node and token kind the grammar can produce."""
    names: set[str] = set()
    for rule in lark().rules:
        name = rule.alias or str(rule.origin.name)
        if name.startswith("_") or (rule.options.expand1 and not rule.alias and len(rule.expansion) <= 1):
            continue
        if name in _ERROR_ONLY:
            continue
        names.add("rule " + name)
    names |= {"token " + t.name for t in lark().terminals if not t.name.startswith("__")}
    names |= {"key " + str(s.name) for r in lark().rules if r.origin.name == "key" for s in r.expansion}
    names |= {f"range {form} {dots}" for form in ("plain", "step", "step *", "count") for dots in ("..", "..<")}
    names |= {f"range bound {pos} {kind}" for pos in (0, 1, 2) for kind in ("int", "float", "ref")}
    names |= {f"schema bound {kind}" for kind in ("int", "float", "ref")}
    names |= {f"compare {op}" for op in ("==", "!=", "<", "<=", ">", ">=")}
    return names | set(_LEXICAL) | {"dotted key"}


# Forms the grammar does not tell apart: (the tokens to look in, a pattern).
_LEXICAL: dict[str, tuple[str, str]] = {
    "escape \\\"": ("STRING", r'\\"'), "escape \\\\": ("STRING", r"\\\\"), "escape \\/": ("STRING", r"\\/"),
    "escape \\b": ("STRING", r"\\b"), "escape \\f": ("STRING", r"\\f"), "escape \\n": ("STRING", r"\\n"),
    "escape \\r": ("STRING", r"\\r"), "escape \\t": ("STRING", r"\\t"),
    "escape \\u lower": ("STRING", r"\\u[0-9a-f]{4}"), "escape \\u upper": ("STRING", r"\\u[0-9A-F]*[A-F][0-9A-F]*"),
    "surrogate pair": ("STRING", r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"),
    "raw non-ASCII in a string": ("STRING", r"[^\x00-\x7f]"), "long string over lines": ("LONG_STRING", r"\n"),
    "exponent e-": ("FLOAT", r"e-"), "exponent E+": ("FLOAT", r"E\+"), "exponent without sign": ("FLOAT", r"[eE]\d"),
    "negative float": ("FLOAT", r"^-"), "-0.0": ("FLOAT", r"^-0\.0$"), "negative int": ("INT", r"^-"),
    "huge int": ("INT", r"\d{21}"), "full-line comment": ("_NL", r"\n[ \t]*#"), "trailing comment": ("_NL", r"^#"),
    "blank line": ("_NL", r"\n[ \t]*\n"), "--- and blanks": ("DOCSEP", r"---[ \t]+$"),
    "CRLF": ("text", r"\r\n"), "BOM": ("text", "^\ufeff"), "leading ---": ("text", r"^\ufeff?---"),
    "trailing ---": ("text", r"\n---\r?\n$"), "config_id": ("key", r"^config_id$"), "quoted key": ("key", r'^"'),
    "nested where path": ("path", r"\."), "negative step": ("step", r"^-"), "float step": ("step", r"\."),
    "step *float": ("step *", r"[.eE]"), "count by name": ("count", r"^[A-Za-z_]"),
    "extends a subfolder": ("extends", r"lib"), "extends ..": ("extends", r'^"\.\./'),
    "extends an absolute path": ("extends", r'^"/'), "extends ./": ("extends", r'^"\./'),
    "extends with escapes": ("extends", r"\\"),
    "int with _": ("INT", r"\d_\d"), "float with _": ("FLOAT", r"\d_\d"),
}


def _features(tree: Tree[Token], text: str) -> set[str]:
    """The productions and forms one parse tree holds (see `_expected_productions`)."""
    found = {"rule " + str(sub.data) for sub in tree.iter_subtrees()}
    places: dict[str, list[str]] = {"text": [text]}
    for tok in tree.scan_values(lambda v: isinstance(v, Token)):
        found.add("token " + tok.type)
        places.setdefault(tok.type, []).append(str(tok))
    for sub in tree.iter_subtrees():
        kids = sub.children
        if sub.data == "key":
            found.add("key " + kids[0].type if isinstance(kids[0], Token) else "key")
            places.setdefault("key", []).append(_tokens(sub))
        elif sub.data == "range":
            words = [k.type for k in kids if isinstance(k, Token)]
            dots = next(str(k) for k in kids if isinstance(k, Token) and k.type == "DOTDOT")
            form = ("step *" if "STAR" in words else "step" if "STEP" in words
                    else "count" if "COUNT" in words else "plain")
            found.add(f"range {form} {dots}")
            bounds = [k for k in kids if isinstance(k, Tree)]
            found |= {f"range bound {pos} {b.data}" for pos, b in enumerate(bounds)}
            if form != "plain":
                places.setdefault(form, []).append(_tokens(bounds[-1]))
        elif sub.data == "type_name" and len(kids) > 1:
            found |= {f"schema bound {b.data}" for b in kids if isinstance(b, Tree)}
        elif sub.data == "compare":
            found |= {f"compare {k}" for k in kids if isinstance(k, Token) and k.type == "COMPOP"}
        elif sub.data == "where":
            places.setdefault("path", []).extend("".join(str(k) for k in d.children)
                                                 for d in sub.iter_subtrees() if d.data == "dotted")
        elif sub.data == "entry" and sum(isinstance(k, Tree) and k.data == "key" for k in kids) > 1:
            found.add("dotted key")
        elif sub.data == "extends" and isinstance(kids[-1], Tree):
            places.setdefault("extends", []).append(_tokens(kids[-1]))
    for name, (where, pattern) in _LEXICAL.items():
        if any(re.search(pattern, value) for value in places.get(where, [])):
            found.add(name)
    return found


# Valid uses of the syntax of issue 13 (`SourceGen(..., issue13=True)`): each
# must stand in some program that compiles, so that the properties run over it.
_ISSUE13 = {"dotted key", "dotted key merged with an object", "sweep in a list", "range in a list", "int with _",
            "block string", "config path", "operator +", "operator -", "operator *", "operator //", "operator %",
            "operator /", "if then else", "min", "max", "str", "len", "interpolation", "computed dotted key",
            "let read per config", "where with arithmetic", "where with ${path}", "where with a bare path",
            "computed value in an extended base", "several extends", "import", "delete"}


def _issue13_features(tree: Tree[Token], text: str) -> set[str]:
    """The constructs of `_ISSUE13` that one parse tree holds."""
    found: set[str] = set()
    tops: dict[str, int] = {}  # first key of a top-level entry -> how many entries start with it
    for sub in tree.iter_subtrees():
        kids = sub.children
        if sub.data == "document":
            if sum(isinstance(k, Tree) and k.data == "extends" for k in kids) > 1:
                found.add("several extends")
            for entry in (k for k in kids if isinstance(k, Tree) and k.data == "entry"):
                first = _tokens(entry.children[0])
                tops[first] = tops.get(first, 0) + 1
                dotted = sum(isinstance(k, Tree) and k.data == "key" for k in entry.children) > 1
                value = entry.children[-1]
                if dotted and isinstance(value, Tree) and value.data in ("binary", "if_else", "config_path",
                                                                          "distribution", "compare", "negative"):
                    found.add("computed dotted key")
        elif sub.data == "entry" and sum(isinstance(k, Tree) and k.data == "key" for k in kids) > 1:
            found.add("dotted key")
        elif sub.data == "list":
            found |= {{"sweep": "sweep in a list", "range": "range in a list"}[k.data] for k in kids
                      if isinstance(k, Tree) and k.data in ("sweep", "range")}
        elif sub.data == "binary":
            found.add("operator " + str(kids[1]))
        elif sub.data in ("import", "delete"):
            found.add(str(sub.data))
        elif sub.data == "if_else":
            found.add("if then else")
        elif sub.data == "config_path":
            found.add("config path")
        elif sub.data == "distribution":
            found.add(_tokens(kids[0]))
        elif sub.data == "where":
            inner = {d.data for d in sub.iter_subtrees()}
            if "binary" in inner:
                found.add("where with arithmetic")
                found |= {"where with ${path}"} if "config_path" in inner else set()
                found |= {"where with a bare path"} if "ref" in inner else set()
        elif sub.data == "let" and any(isinstance(t, Token) and "${" in t.replace("$${", "") for t in
                                       sub.scan_values(lambda v: isinstance(v, Token))):
            found.add("let read per config")
    for tok in tree.scan_values(lambda v: isinstance(v, Token)):
        if tok.type == "INT" and "_" in tok:
            found.add("int with _")
        elif tok.type == "LONG_STRING" and re.match(r'"""[ \t]*\r?\n', tok):
            found.add("block string")
        if tok.type in ("STRING", "LONG_STRING") and "${" in tok.replace("$${", ""):
            found.add("interpolation")
    if "dotted key" in found and any(n > 1 for n in tops.values()):
        found.add("dotted key merged with an object")
    return found & _ISSUE13


def test_generator_stats(tmp_path: Path) -> None:
    """The generator's programs compile (all but E068 when 20 draws keep
    nothing), so the properties test configs and
    not only errors; and these 80, with 80 more holding the syntax of issue
    13 (which must parse), hold every production of the grammar, every
    lexical form and every construct of the language. Half of the 80 draw
    valid uses of issue 13's syntax (`issue13=True`): each of `_ISSUE13`
    stands in a program that compiles (or one of its files)."""
    seen: set[str] = set()
    for seed in range(80):
        folder = tmp_path / f"novel{seed}"
        folder.mkdir()
        gen = SourceGen(random.Random(seed), full=True, folder=folder, novel=True)
        text = gen.file()
        unit = gen.unit  # compile_text(text, gen.path), done by the generator (no file changed since)
        assert unit is not None
        assert unit.parses and unit.tree is not None, text
        seen |= _features(unit.tree, text)
    compiled = 0
    compiled13: set[str] = set()
    failures: list[str] = []
    total = 80
    nested = {"zip in an object": 0, "zip in an alternative": 0, "variants in an alternative": 0,
              "variants in an object": 0, "extends chain": 0, "where on a key some configs lack": 0}
    for seed in range(total):
        folder = tmp_path / f"s{seed}"
        folder.mkdir()
        gen = SourceGen(random.Random(seed), full=True, folder=folder, issue13=seed % 2 == 1)
        text = gen.file()
        unit = gen.unit  # compile_text(text, gen.path), done by the generator (no file changed since)
        assert unit is not None
        assert unit.tree is not None, text
        seen |= _features(unit.tree, text)
        # Each base compiled once, its unit used by the three looks below.
        base_units = {base: compile_text(base_text, str(base)) for base, base_text in gen.bases.items()}
        if unit.ok:
            compiled13 |= _issue13_features(unit.tree, text)
            for base, base_text in gen.bases.items():
                base_tree = base_units[base].tree
                assert base_tree is not None
                in_base = _issue13_features(base_tree, base_text)
                compiled13 |= in_base
                if {"config path", "interpolation"} & in_base:
                    compiled13.add("computed value in an extended base")
        for base, base_text in gen.bases.items():
            base_unit = base_units[base]
            assert base_unit.tree is not None, base_text
            seen |= _features(base_unit.tree, base_text)
            if re.search(r'extends[ \t]', base_text):
                nested["extends chain"] += 1
        for tree in [unit.tree] + [base_units[b].tree for b in gen.bases]:
            assert tree is not None
            for sub in tree.iter_subtrees():
                items = [k for k in sub.children if isinstance(k, Tree)]
                if sub.data == "object" and any(k.data == "zip" for k in items):
                    nested["zip in an object"] += 1
                if sub.data == "object" and any(k.data == "variants" for k in items):
                    nested["variants in an object"] += 1
                if sub.data == "variants":
                    inner = {t.data for alt in sub.iter_subtrees() if alt is not sub for t in alt.children
                             if isinstance(t, Tree) and alt.data == "object"}
                    nested["zip in an alternative"] += "zip" in inner
                    nested["variants in an alternative"] += "variants" in inner
        if any(d.code == "W002" for d in unit.diagnostics):
            nested["where on a key some configs lack"] += 1
        if unit.ok:
            compiled += 1
        elif errors(unit) != {"E068"}:
            failures.append(f"seed {seed}: {sorted(errors(unit))}")
    missing = sorted(_expected_productions() - seen)
    assert not missing, f"never generated: {missing}"
    assert not failures, f"valid programs that do not compile: {failures}"
    assert compiled >= 0.8 * total, compiled
    assert all(nested.values()), nested
    assert not _ISSUE13 - compiled13, f"never in a program that compiles: {sorted(_ISSUE13 - compiled13)}"


# --------------------------------------------------------------------------
# The bugs this fuzzer found, each as a plain regression test
# --------------------------------------------------------------------------


def test_float_values_meet_float_schema_bounds_written_alike() -> None:
    assert loads("schema { x: float in 0..0.1 }\nx: 0.1\n")[0]["x"] == 0.1
    assert len(loads("schema { x: float in 1e-3..1e-1 }\nx: 1e-3..1e-1 step *10\n")) == 3
    with pytest.raises(MintError) as info:
        loads("schema { x: float in 0..0.1 }\nx: 0.10000000000000002\n")
    assert info.value.code == "E083"


@pytest.mark.parametrize("block", ["zip { a: [1, 2] }", "variants [ { a: 1 }, { a: 2 } ]"])
def test_a_required_key_set_by_a_base_block_is_present(block: str, tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text("schema { a: int }\n" + block + "\n", encoding="utf-8")
    (tmp_path / "child.mint").write_text('extends "base.mint"\n', encoding="utf-8")
    child = tmp_path / "child.mint"
    assert compile_file(child).ok
    assert [c["a"] for c in loads(child.read_text(encoding="utf-8"), str(child))] == [1, 2]


def test_a_required_nested_key_set_by_every_alternative_of_a_base_is_present(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text("schema { o?: { a: int } }\no: { variants [ { a: 1 }, { a: 2 } ] }\n",
                                        encoding="utf-8")
    (tmp_path / "child.mint").write_text('extends "base.mint"\no: {}\n', encoding="utf-8")
    child = tmp_path / "child.mint"
    assert [c["o"] for c in loads(child.read_text(encoding="utf-8"), str(child))] == [{"a": 1}, {"a": 2}]
    # Set by one alternative only, it is still missing.
    (tmp_path / "base.mint").write_text("schema { o?: { a: int } }\no: { variants [ { a: 1 }, { } ] }\n",
                                        encoding="utf-8")
    assert errors(compile_file(child)) == {"E084"}


def test_a_broken_base_does_not_make_the_where_of_its_child_report_unknown_keys(tmp_path: Path) -> None:
    (tmp_path / "base.mint").write_text("a: [1, 2\n", encoding="utf-8")
    (tmp_path / "child.mint").write_text('extends "base.mint"\nwhere a == 1\n', encoding="utf-8")
    assert errors(compile_file(tmp_path / "child.mint")) == {"E003"}


def test_an_uneven_zip_in_variants_is_a_located_error() -> None:
    unit = compile_text("variants [{ zip { a: [1, 2], b: [1] } }]\n")
    assert errors(unit) == {"E063"}


def test_a_sweep_past_sys_maxsize_iterates() -> None:
    sweep = Sweep.from_text("a: 0..100000000000000000000\n")
    assert next(iter(sweep))["a"] == 0 and next(iter(sweep[5:]))["a"] == 5
    assert next(iter(sweep[5:10**19 + 7]))["a"] == 5


def test_a_word_of_the_language_as_a_value_is_formatted_to_text_that_parses() -> None:
    out = format_source("a: [where,\n\n1]\n")
    assert format_source(out) == out
    assert outcome_of(compile_text(out)) == outcome_of(compile_text("a: [where,\n\n1]\n"))


def test_a_schema_two_extends_away_reads_its_bounds_in_its_own_file(tmp_path: Path) -> None:
    # (The middle file's `let n0` was read for the schema's bound `n0`.)
    (tmp_path / "b2.mint").write_text("let n0 = 1e30\nschema { k: float in 0..<n0 }\nk: 1.0\n", encoding="utf-8")
    (tmp_path / "b1.mint").write_text('extends "b2.mint"\nlet n0 = -1e30\n', encoding="utf-8")
    (tmp_path / "main.mint").write_text('extends "b1.mint"\nk: 12.5\n', encoding="utf-8")
    main = tmp_path / "main.mint"
    assert [c["k"] for c in loads(main.read_text(encoding="utf-8"), str(main))] == [12.5]
    (tmp_path / "main.mint").write_text('extends "b1.mint"\nk: -0.5\n', encoding="utf-8")
    assert errors(compile_file(main)) == {"E083"}


def test_a_used_sweep_with_where_pickles() -> None:
    sweep = Sweep.from_text("a: [1, 2]*\nwhere a > 1\n")
    assert len(sweep) == 1
    assert list(pickle.loads(pickle.dumps(sweep))) == list(sweep)
