"""Robustness: hostile and mangled input, adversarial strings, atomic writes,
determinism and machine-readable diagnostics.

What each part protects (a user-visible promise of mint-language.md):

1. Fuzzing: whatever bytes a `.mint` file holds, the compiler answers with
   configs or a `MintError` whose every location lies inside its source and
   which renders; never a Python exception, never a hang.
2. Emitter round trip: any string (keys and values, nested anywhere) comes
   back byte for byte from the JSON, JSONL and Python outputs, and importing
   the Python module never runs anything taken from the data.
3. Atomic writes: `-o PATH` either replaces PATH completely or leaves it
   byte-identical (input error, Ctrl-C, SIGKILL), keeps its permission bits
   and leaves no temporary file behind (except after SIGKILL).
4. Determinism: byte-identical output across hash seeds.
5. `mintc check --format json`: every diagnostic carries its full location.

The bugs this file found are pinned by regression tests at the end of the
file; the fuzzer no longer steers clear of any input.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import json
import math
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, note, reject, settings
from hypothesis import strategies as st

from tests.conftest import DEADLINE, fuzz_examples
from tests.inproc import run_main

import spearmint_lang
from spearmint_lang import MintError, loads
from spearmint_lang.cli import main
from spearmint_lang.compiler import compile_source, decode
from spearmint_lang.output.emit import emit
from spearmint_lang.errors import diagnostic_json
from spearmint_lang.source import Source, normalise

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# Subprocesses must run the very package this process imported.
PKG_PARENT = str(Path(spearmint_lang.__file__).resolve().parent.parent)
EXAMPLE_FILES = sorted(EXAMPLES.rglob("*.mint"))
EXAMPLE_BYTES = [p.read_bytes() for p in EXAMPLE_FILES]
EXPANSION_LIMIT = 10_000
# (`spearmint_lang.expand` the attribute is the function; this is the module.)
expand_mod = importlib.import_module("spearmint_lang.expand")
# A single fuzz case that runs longer than this is a hang: the test fails.
CASE_SECONDS = 20


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = PKG_PARENT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("PYTHONHASHSEED", None)
    env.update(extra)
    return env


def _mintc(*args: str, cwd: Path, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "spearmint_lang", *args],
        cwd=cwd, env=_env(**env), capture_output=True, timeout=timeout,
    )


# ---------------------------------------------------------------------------
# Shared checks
# ---------------------------------------------------------------------------


def check_mint_error(exc: MintError) -> None:
    """Every location of `exc` lies in its source, and it renders."""
    assert exc.diagnostics, "a MintError without diagnostics"
    first = exc.diagnostics[0].span
    assert (exc.file, exc.line, exc.column) == (first.file, first.line, first.column)
    for diag in exc.diagnostics:
        assert re.fullmatch(r"E\d{3}", diag.code), diag.code
        assert diag.message
        for span in [diag.span, *(rel.span for rel in diag.related)]:
            lines = span.source.text.count("\n") + 1
            where = f"{diag.code} at {span.file}:{span.line}:{span.column} (source has {lines} lines)"
            assert 1 <= span.line <= lines + 1, where
            assert span.column >= 1, where
            assert span.end_line >= 1 and span.end_column >= 1, where
    rendered = exc.render()
    assert isinstance(rendered, str) and rendered
    str(exc)
    json.dumps([diagnostic_json(d) for d in exc.diagnostics])


def _largest_range(obj: Any) -> int:
    """The size of the largest lazy range anywhere in lowered docs, found
    without iterating it (`count` walks every value of a range)."""
    size = getattr(obj, "size", None)
    if isinstance(size, int) and not isinstance(obj, (list, dict, str)):
        return size
    if isinstance(obj, dict):
        return max((_largest_range(v) for v in obj.values()), default=0)
    if isinstance(obj, (list, tuple)):
        return max((_largest_range(v) for v in obj), default=0)
    inner = [getattr(obj, name, None) for name in ("values", "columns", "alternatives")]
    return max((_largest_range(v) for v in inner if v is not None), default=0)


def expand_guarded(docs: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """All configs, or None when the sweep is too big to expand in a test."""
    if _largest_range(docs) > EXPANSION_LIMIT:
        return None
    if sum(expand_mod.count(d) for d in docs) > EXPANSION_LIMIT:
        return None
    configs = list(expand_mod.iter_configs(docs))
    for config in configs:
        assert isinstance(config, dict) and "config_id" in config
        assert all(isinstance(k, str) for k in config), config
    return configs


class _Hang(BaseException):
    """Raised by the alarm when one case runs too long (not an Exception, so
    that no `except Exception` in the code under test can swallow it)."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Hang(f"one case ran longer than {CASE_SECONDS} s")


class time_limit:
    """Fail (rather than hang) when the block runs longer than `seconds`."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        self.old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.old)


class KnownBug(Exception):
    """An input that crashes exactly as one of the xfail tests below shows."""


# (exception type, text in its message, innermost spearmint_lang function)
_KNOWN_CRASHES: list[tuple[type[Exception], str, set[str]]] = []  # all fixed


def compile_source_checked(source: Source) -> list[dict[str, Any]]:
    """`compile_source`, with the known crashes turned into `KnownBug`."""
    try:
        return compile_source(source)
    except MintError:
        raise
    except Exception as exc:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if "spearmint_lang" in f.filename]
        where = frames[-1].name if frames else ""
        for kind, text, functions in _KNOWN_CRASHES:
            if isinstance(exc, kind) and text in str(exc) and where in functions:
                raise KnownBug(f"{type(exc).__name__} in {where}") from exc
        raise


def compile_bytes(data: bytes, path: str) -> list[dict[str, Any]] | None:
    """decode + compile_source + guarded expansion; MintError is checked
    and reported as None. Any other exception propagates (a bug)."""
    try:
        docs = compile_source_checked(decode(data, path))
    except MintError as exc:
        check_mint_error(exc)
        return None
    return expand_guarded(docs)


# ---------------------------------------------------------------------------
# 1. Fuzzing mutations of every example
# ---------------------------------------------------------------------------

# Inputs that would hang on the known bugs pinned at the end of this file.
# The fuzzer skips exactly these, so that it keeps looking for *new* bugs.
_KNOWN_HAZARDS: list[re.Pattern[bytes]] = []  # all fixed


_WHOLE_LINE_COMMENT = re.compile(rb"(?m)^[ \t]*#.*$")


def _hazard(data: bytes) -> bool:
    # Whole-line comments cannot hold a number (tuning.mint's comment
    # mentions 0.30000000000000004); anything else is checked as it stands.
    code = _WHOLE_LINE_COMMENT.sub(b"", data)
    return any(p.search(code) for p in _KNOWN_HAZARDS)


FRAGMENTS = [
    b"[", b"]", b"]*", b"{", b"}", b"..", b"..<", b" step ", b" step *", b" count ", b'"', b'"""', b"---\n",
    b"\n", b":", b",", b"0", b"1", b"-", b"e", b".", b"\\", b"\\u", b"\\ud800", b"\\ud83d\\ude00", b"\r\n",
    b"\r", b"\x00", b"\xff", b"\xef\xbb\xbf", b"#", b"*", b"a", b"true", b"null", b" ", b"\t", b"\x0c",
    b"99999", b"step", b"let ", b" = ", b"zip ", b"variants ", b"where ", b"extends ", b"schema ",
    b" and ", b" or ", b"not ", b" in ", b"==", b"<", b"|", b"?", b"int", b"float", b"string",
    b'"base.mint"', b'"extends/base.mint"', b"\xe2\x80\xa8", b"\xc2\x85", b"\xf0\x9f\x98\x80",
]
CHUNKS = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.lists(st.sampled_from(FRAGMENTS), min_size=2, max_size=5).map(b"".join),
    st.binary(min_size=1, max_size=12),
    st.text(max_size=8).map(lambda s: s.encode("utf-8", "surrogatepass")),
)
OPS = ["insert", "delete", "duplicate", "replace", "splice"]


@st.composite
def mutated_example(draw: st.DrawFn) -> bytes:
    """An example with 1-6 random edits: insertions of text, tokens or raw
    bytes, deleted, duplicated or overwritten spans, and splices of two
    examples (a mixture when several edits are drawn)."""
    buf = EXAMPLE_BYTES[draw(st.integers(0, len(EXAMPLE_BYTES) - 1), label="example")]
    for op in draw(st.lists(st.sampled_from(OPS), min_size=1, max_size=6), label="ops"):
        n = len(buf)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 80)))
        if op == "insert":
            buf = buf[:i] + draw(CHUNKS) + buf[i:]
        elif op == "delete":
            buf = buf[:i] + buf[j:]
        elif op == "duplicate":
            buf = buf[:j] + buf[i:j] * draw(st.integers(1, 3)) + buf[j:]
        elif op == "replace":
            buf = buf[:i] + draw(st.one_of(st.binary(max_size=16), CHUNKS)) + buf[j:]
        else:
            other = EXAMPLE_BYTES[draw(st.integers(0, len(EXAMPLE_BYTES) - 1))]
            k = draw(st.integers(0, len(other)))
            buf = buf[:i] + other[k:] if draw(st.booleans()) else other[:k] + buf[i:]
    return buf


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the examples, so that mutated `extends` paths resolve to
    harmless files of our own."""
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(EXAMPLES, folder / "examples")
    return folder / "examples"


FUZZ_STATS = {"cases": 0}
FUZZ_SETTINGS = settings(
    max_examples=fuzz_examples(1000),
    deadline=DEADLINE,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _fuzz_one(data: bytes, folder: Path) -> None:
    path = str(folder / "extends" / "fuzz.mint")
    with time_limit(CASE_SECONDS):
        text = data.decode("utf-8", errors="replace")
        # Valid UTF-8: `decode` gives the very Source the text route below
        # compiles, so that one compile serves both routes (compile_bytes
        # repeated it). Otherwise the bytes route (E004) is compiled on its own.
        same = _is_utf8(data)
        if same:
            decoded = decode(data, path)
            assert (decoded.path, decoded.text) == (path, normalise(text))
        configs = None if same else compile_bytes(data, path)
        # The same input as text, through the public API.
        try:
            docs = compile_source_checked(Source(path, normalise(text)))
        except MintError as exc:
            check_mint_error(exc)
            with pytest.raises(MintError):
                loads(text, path)
            return
        small = expand_guarded(docs)
        if small is None:
            return
        via_loads = loads(text, path)
        assert json.dumps(via_loads) == json.dumps(small)
        if configs is not None:
            assert json.dumps(configs) == json.dumps(small)
        # What the emitters make of it must read back the same.
        if len(small) <= 500:
            out = "".join(emit("json", small, path, "0"))
            assert json.dumps(json.loads(out)) == json.dumps(small)
            out = "".join(emit("jsonl", small, path, "0"))
            assert [json.loads(line) for line in out.split("\n")[:-1]] == json.loads(json.dumps(small))


@FUZZ_SETTINGS
@given(data=mutated_example())
def test_fuzz_mutated_examples(data: bytes, fuzz_dir: Path) -> None:
    """Mutated examples (1,000 in CI): configs or a located MintError, nothing else."""
    assume(not _hazard(data))
    note(repr(data))
    try:
        _fuzz_one(data, fuzz_dir)
    except KnownBug:
        reject()
    FUZZ_STATS["cases"] += 1


@settings(max_examples=300, deadline=DEADLINE, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(
    index=st.integers(0, len(EXAMPLE_BYTES) - 1),
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.text(st.characters(codec="utf-8"), max_size=6)),
                   min_size=1, max_size=4),
)
def test_fuzz_text_insertions(index: int, edits: list[tuple[int, str]], fuzz_dir: Path) -> None:
    """Arbitrary Unicode (no lone surrogates) inserted as text into an
    example, fed to `loads`: configs or a located MintError."""
    text = EXAMPLE_BYTES[index].decode("utf-8")
    for pos, chunk in edits:
        pos %= len(text) + 1
        text = text[:pos] + chunk + text[pos:]
    data = text.encode("utf-8")
    assume(not _hazard(data))
    try:
        _fuzz_one(data, fuzz_dir)
    except KnownBug:
        reject()
    FUZZ_STATS["cases"] += 1


def _hostile() -> Iterator[tuple[str, bytes]]:
    rng = random.Random(20240611)
    yield "100k-open-brackets", b"[" * 100_000
    yield "100k-open-brackets-as-value", b"a: " + b"[" * 100_000
    yield "100k-open-objects", b"{a:" * 100_000
    yield "100k-open-objects-as-value", b"a: " + b"{a:" * 100_000
    yield "1MB-string-line", b'a: "' + b"x" * 1_000_000 + b'"'
    yield "1MB-junk-line", b"a: " + b"@" * 1_000_000
    yield "1MB-digits", b"a: " + b"7" * 1_000_000
    yield "1MB-comment", b"# " + b"c" * 1_000_000 + b"\na: 1"
    yield "1MB-names", b"a: " + b"b " * 500_000
    for seed in range(3):
        yield f"binary-junk-{seed}", random.Random(seed).randbytes(65_536)
    yield "printable-junk", bytes(rng.choice(b"[]{}:,.*\"'#-0123456789 \nabcxyz") for _ in range(65_536))
    yield "nul", b"\x00"
    yield "nul-in-string", b'a: "x\x00y"'
    yield "lone-long-quote", b'"""'
    yield "long-quote-as-value", b'a: """'
    yield "bom-only", b"\xef\xbb\xbf"
    yield "bom-twice", b"\xef\xbb\xbf\xef\xbb\xbfa: 1"
    yield "separators-only", b"---\n" * 1000
    yield "separators-no-newline", b"---"
    yield "crlf-only", b"\r\n" * 1000
    yield "cr-only", b"\r" * 1000
    yield "tabs-everywhere", b"\tmodel:\t[\t\"a\",\t\"b\"\t]*\t\n\ttemperature:\t0..2\tstep\t1\t\n\t\n"
    yield "10k-escapes", b'a: "' + b"\\n" * 10_000 + b'"'
    yield "10k-unicode-escapes", b'a: "' + b"\\u00e9" * 10_000 + b'"'
    yield "5k-surrogate-pairs", b'a: "' + b"\\ud83d\\ude00" * 5_000 + b'"'
    yield "100-deep-lists", b"a: " + b"[" * 100 + b"]" * 100
    yield "101-deep-lists", b"a: " + b"[" * 101 + b"]" * 101
    yield "3k-keys", b"".join(b"k%d: %d\n" % (i, i) for i in range(3_000))
    yield "many-syntax-errors", b"a: @\n" * 5_000
    yield "many-documents", b"a: 1\n---\n" * 2_000
    yield "huge-float", b"a: 1e308\nb: 1e309\nc: -1e400\nd: 1e-400"
    yield "4000-digit-int", b"a: " + b"9" * 4000
    yield "4001-digit-int", b"a: " + b"9" * 4001
    for p in EXAMPLE_FILES:
        yield f"tabs:{p.relative_to(EXAMPLES)}", p.read_bytes().replace(b" ", b"\t")
        yield f"crlf:{p.relative_to(EXAMPLES)}", p.read_bytes().replace(b"\n", b"\r\n")
        yield f"bom:{p.relative_to(EXAMPLES)}", b"\xef\xbb\xbf" + p.read_bytes()
        yield f"no-newlines:{p.relative_to(EXAMPLES)}", p.read_bytes().replace(b"\n", b" ")


HOSTILE = dict(_hostile())


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_inputs(name: str, fuzz_dir: Path) -> None:
    """Hand-picked hostile files: configs or a located MintError, quickly."""
    data = HOSTILE[name]
    _fuzz_one(data, fuzz_dir)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bom-only", []), ("separators-only", []), ("separators-no-newline", []), ("crlf-only", []),
        ("1MB-comment", [{"a": 1}]),
    ],
)
def test_hostile_inputs_that_are_valid(name: str, expected: list[dict[str, Any]]) -> None:
    got = loads(HOSTILE[name].decode("utf-8"))
    assert [{k: v for k, v in c.items() if k != "config_id"} for c in got] == expected


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("100k-open-brackets", "E017"), ("100k-open-objects-as-value", "E017"), ("nul", "E005"),
        ("nul-in-string", "E005"), ("lone-long-quote", "E003"), ("binary-junk-0", "E004"),
        ("1MB-digits", "E013"), ("101-deep-lists", "E017"), ("4001-digit-int", "E013"),
    ],
)
def test_hostile_inputs_give_the_right_error(name: str, code: str) -> None:
    with pytest.raises(MintError) as info:
        compile_source(decode(HOSTILE[name], "h.mint"))
    assert info.value.code == code
    check_mint_error(info.value)


def test_hostile_strings_decode_exactly() -> None:
    assert loads(HOSTILE["10k-escapes"].decode())[0]["a"] == "\n" * 10_000
    assert loads(HOSTILE["10k-unicode-escapes"].decode())[0]["a"] == "\u00e9" * 10_000
    assert loads(HOSTILE["5k-surrogate-pairs"].decode())[0]["a"] == "\U0001F600" * 5_000
    assert loads(HOSTILE["1MB-string-line"].decode())[0]["a"] == "x" * 1_000_000
    tabbed = loads(HOSTILE["tabs-everywhere"].decode())
    assert tabbed == loads('model: ["a", "b"]*\ntemperature: 0..2 step 1\n')


def test_examples_with_other_line_endings_compile_the_same() -> None:
    for p in EXAMPLE_FILES:
        if "extends" in p.parts or "compose" in p.parts:  # (they read files beside them)
            continue
        plain = loads(p.read_text("utf-8"))
        assert loads(p.read_text("utf-8").replace("\n", "\r\n")) == plain, p
        assert compile_bytes(b"\xef\xbb\xbf" + p.read_bytes(), str(p)) == plain, p


def test_deepest_allowed_nesting_survives_every_emitter(tmp_path: Path) -> None:
    """100 nested lists (the limit) still make a JSON and a Python file that
    read back (Python's parser has its own nesting limit)."""
    configs = loads(HOSTILE["100-deep-lists"].decode())
    for fmt in ("json", "jsonl"):
        out = "".join(emit(fmt, configs, "deep.mint", "0"))
        got = json.loads(out) if fmt == "json" else [json.loads(out)]
        assert got == configs
    assert import_module_text("".join(emit("py", configs, "deep.mint", "0")), tmp_path).configs == configs


# ---------------------------------------------------------------------------
# 2. Emitter round trip of adversarial strings
# ---------------------------------------------------------------------------

PAYLOADS = [
    '"""', "'''", "\\", "\\\\", "{{ x }}", "{% for x in y %}", "{% endfor %}", "{#", "#}", "${HOME}",
    "$(rm -rf /)", "`id`", "__import__('os').system('x')", "\u2028", "\u2029", "\u0085", "\r", "\r\n",
    "\x00", "\x0c", "\x1b[31m", "\x7f", "\ufeff", "\U0001F600", "\U0001F468\u200d\U0001F469\u200d\U0001F467",
    "\u200f", "\u202e", "\u200e", "# comment", "\nimport os\n", "'", '"', "'\"", "\\'", '\\"', "\\n",
    "\\x00", "\\u2028", "''' + __import__('os').getcwd() + '''", '""" + str(1) + """', "\t", " ",
    "", "---", "config_id", "\ud7ff", "\ue000", "\uffff", "\U0010FFFF", "\x00config\x00", "Ω≈ç√∫",
    "é", "e\u0301", "\u0000\u0001\u001f", "a" * 300,
]
SAFE_CHARS = st.characters(codec="utf-8")  # every code point except lone surrogates
STRINGS = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(SAFE_CHARS, max_size=12),
    st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(SAFE_CHARS, max_size=4)), max_size=4).map("".join),
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**40), 10**40),
    st.floats(allow_nan=False, allow_infinity=False), STRINGS,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(STRINGS, inner, max_size=4)),
    max_leaves=16,
)
CONFIGS = st.lists(st.dictionaries(STRINGS, VALUES, max_size=6), min_size=1, max_size=3)


def assert_same(got: Any, want: Any, path: str = "$") -> None:
    """Equal and of the same types all the way down: `True` is not `1`,
    `-0.0` is not `0.0`, and strings are equal as UTF-8 bytes."""
    assert type(got) is type(want), f"{path}: {type(got).__name__} != {type(want).__name__}"
    if isinstance(want, dict):
        assert list(got) == list(want), f"{path}: keys differ"
        for key in want:
            assert_same(got[key], want[key], f"{path}[{key!r}]")
    elif isinstance(want, list):
        assert len(got) == len(want), f"{path}: lengths differ"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same(g, w, f"{path}[{i}]")
    elif isinstance(want, float):
        assert got == want and math.copysign(1.0, got) == math.copysign(1.0, want), f"{path}: {got!r} != {want!r}"
    elif isinstance(want, str):
        assert got.encode("utf-8") == want.encode("utf-8"), f"{path}: {got!r} != {want!r}"
    else:
        assert got == want, f"{path}: {got!r} != {want!r}"


_MODULES = itertools.count()


def import_module_text(text: str, folder: Path) -> Any:
    """Write `text` to a fresh file and import it (a new name every time,
    so that no cached bytecode of an earlier module can be picked up)."""
    name = f"mint_out_{os.getpid()}_{next(_MODULES)}"
    path = folder / f"{name}.py"
    path.write_text(text, encoding="utf-8", newline="")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def module_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("modules")


@settings(max_examples=150, deadline=DEADLINE, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs=CONFIGS, source_name=STRINGS)
def test_python_module_round_trips_any_strings(configs: list[dict[str, Any]], source_name: str,
                                               module_dir: Path) -> None:
    module = import_module_text("".join(emit("py", configs, source_name, "0")), module_dir)
    assert_same(module.configs, configs)
    assert module.__all__ == ["configs"]


@settings(max_examples=150, deadline=DEADLINE, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs=CONFIGS)
def test_json_and_jsonl_round_trip_any_strings(configs: list[dict[str, Any]]) -> None:
    assert_same(json.loads("".join(emit("json", configs, "x.mint", "0"))), configs)
    out = "".join(emit("jsonl", configs, "x.mint", "0"))
    assert out.endswith("\n") and out.count("\n") == len(configs), "one config per line"
    assert_same([json.loads(line) for line in out.split("\n")[:-1]], configs)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_round_trips_through_every_emitter(payload: str, module_dir: Path) -> None:
    config = {payload: payload, "list": [payload, [payload]], "nested": {payload: {payload: [payload]}}}
    module = import_module_text("".join(emit("py", [config], payload, "0")), module_dir)
    assert_same(module.configs, [config])
    assert_same(json.loads("".join(emit("json", [config], payload, "0"))), [config])
    assert_same(json.loads("".join(emit("jsonl", [config], payload, "0"))), config)


def test_importing_the_module_runs_nothing(tmp_path: Path) -> None:
    """In a clean interpreter (-S -I: no site, no user paths): payloads that
    would create a sentinel file if any of them ran as code."""
    sentinel = tmp_path / "PWNED"
    run = f"__import__('pathlib').Path({str(sentinel)!r}).touch()"
    payloads = [
        run, f"'); {run}; ('", f'"); {run}; ("', f"'''); {run}; ('''", f'"""); {run}; ("""',
        f"\n{run}\n", f"\r{run}\r", f"\u2028{run}", f"\\'); {run} #", f"{{{{ {run} }}}}",
        f"{{% set x = {run} %}}", f"\x00'); {run} #",
    ]
    configs = [{p: p, "all": payloads, "nested": {p: [p, {p: p}]}} for p in payloads]
    for i, name in enumerate(payloads[:3]):  # hostile source names too
        out = tmp_path / f"m{i}.py"
        out.write_text("".join(emit("py", configs, name, "0")), encoding="utf-8", newline="")
        script = (
            "import importlib.util, json, sys\n"
            "spec = importlib.util.spec_from_file_location('m', sys.argv[1])\n"
            "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
            "sys.stdout.write(json.dumps(m.configs))\n"
        )
        done = subprocess.run([sys.executable, "-S", "-I", "-c", script, str(out)],
                              cwd=tmp_path, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr.decode()
        assert_same(json.loads(done.stdout), configs)
        assert not sentinel.exists(), f"importing {out.name} ran code from the data"


def _long_string_ok(payload: str) -> bool:
    """What a `\"\"\"...\"\"\"` string can hold verbatim (not a line break
    first, which makes it a dedented block string)."""
    return '"""' not in payload and not payload.endswith('"') and "\x00" not in payload \
        and not payload.lstrip(" \t").startswith(("\n", "\r\n"))


def _literal(text: str) -> str:
    """A string value's text with `${` written `$${`, so nothing is interpolated."""
    return text.replace("${", "$${")


def _mint_source(payloads: list[str]) -> tuple[str, dict[str, Any]]:
    """A .mint document holding every payload as escaped strings (ASCII and
    raw), long strings, quoted keys, inside lists and objects, and swept."""
    lines: list[str] = []
    want: dict[str, Any] = {}
    for i, p in enumerate(payloads):
        key = json.dumps(p)  # (a key is never interpolated)
        esc, raw = _literal(json.dumps(p)), _literal(json.dumps(p, ensure_ascii=False))
        lines.append(f"e{i}: {esc}")
        want[f"e{i}"] = p
        lines.append(f"r{i}: {raw}")
        want[f"r{i}"] = p
        if _long_string_ok(p):
            lines.append(f'l{i}: """{_literal(p)}"""')
            want[f"l{i}"] = p.replace("\r\n", "\n")  # CRLF line endings are read as LF
        lines.append(f"n{i}: {{ {key}: [{raw}, {{ x: {esc} }}] }}")
        want[f"n{i}"] = {p: [p, {"x": p}]}
    # Every payload as a key (inside one object: no clash with the names above).
    keys = sorted(set(payloads))
    lines.append("keys: {" + ", ".join(f"{json.dumps(p)}: {_literal(json.dumps(p, ensure_ascii=False))}" for p in keys) + "}")
    want["keys"] = {p: p for p in keys}
    lines.append(f"swept: [{', '.join(_literal(json.dumps(p)) for p in payloads[:5])}]*")
    return "\n".join(lines) + "\n", want


def _without_id(configs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in c.items() if k != "config_id"} for c in configs]


def test_payloads_in_a_mint_file_come_back_equal(tmp_path: Path) -> None:
    text, want = _mint_source(PAYLOADS)
    mint = tmp_path / "payloads.mint"
    mint.write_bytes(text.encode("utf-8"))
    first = [p for p in PAYLOADS[:5]]
    expected = [{**{k: v for k, v in want.items() if k != "swept"}, "swept": p} for p in first]
    assert_same(_without_id(loads(text)), expected)
    for fmt in ("py", "json", "jsonl"):
        out = tmp_path / f"out.{fmt}"
        assert main(["compile", str(mint), "-o", str(out)]) == 0
        if fmt == "py":
            got = import_module_text(out.read_text("utf-8"), tmp_path).configs
        elif fmt == "json":
            got = json.loads(out.read_bytes())
        else:
            got = [json.loads(line) for line in out.read_text("utf-8").split("\n")[:-1]]
        assert_same(_without_id(got), expected)
        assert [c["config_id"] for c in got] == [c["config_id"] for c in loads(text)]


@settings(max_examples=100, deadline=DEADLINE, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(payloads=st.lists(STRINGS, min_size=1, max_size=6))
def test_any_strings_in_a_mint_file_come_back_equal(payloads: list[str], module_dir: Path) -> None:
    text, want = _mint_source(payloads)
    expected = [{**{k: v for k, v in want.items() if k != "swept"}, "swept": p} for p in payloads[:5]]
    configs = loads(text)
    assert_same(_without_id(configs), expected)
    sweep_mod = pytest.importorskip("spearmint_lang.sweep")
    out = "".join(emit("py", sweep_mod.Sweep(compile_source(Source("x.mint", normalise(text)))), "x.mint", "0"))
    assert_same(import_module_text(out, module_dir).configs, configs)


# (source, line, first and last column of the string that holds the escape)
LONE_SURROGATES = [
    ('a: "\\ud800"', 1, 4, 11), ('a: "x\\udc00y"', 1, 4, 13), ('a: "\\ud83d"', 1, 4, 11),
    ('a: "\\ude00\\ud83d"', 1, 4, 17), ('b: 1\n"\\udfff": 2', 2, 1, 8), ('c: ["ok", "\\uD800"]', 1, 11, 18),
    ('d: { e: "\\ud800" }', 1, 9, 16),
]


@pytest.mark.parametrize(("text", "line", "first", "last"), LONE_SURROGATES)
def test_lone_surrogate_escape_is_a_located_error(text: str, line: int, first: int, last: int,
                                                  tmp_path: Path) -> None:
    with pytest.raises(MintError) as info:
        loads(text, "s.mint")
    assert (info.value.code, info.value.line) == ("E011", line)
    assert first <= info.value.column <= last, info.value.column
    check_mint_error(info.value)
    mint = tmp_path / "s.mint"
    mint.write_text(text, encoding="utf-8")
    out = tmp_path / "out.py"
    assert main(["compile", str(mint), "-o", str(out)]) == 1
    assert not out.exists()


def test_lone_surrogate_through_mintc(tmp_path: Path) -> None:
    (tmp_path / "s.mint").write_text('model: "gpt-4"\nname: "\\ud800"\n', encoding="utf-8")
    done = _mintc("compile", "s.mint", "-o", "out.py", cwd=tmp_path)
    assert done.returncode == 1
    assert re.search(r"s\.mint:2:(7|8|9|10|11|12|13|14): error\[E011\]", done.stderr.decode()), done.stderr.decode()
    assert b"Traceback" not in done.stderr
    assert sorted(os.listdir(tmp_path)) == ["s.mint"]


# ---------------------------------------------------------------------------
# 3. Atomic writes
# ---------------------------------------------------------------------------

OLD = b'["the previous output", "\xc3\xa9"]\n'


def _listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


@pytest.mark.parametrize("fmt", ["json", "jsonl", "py"])
@pytest.mark.parametrize(
    "source",
    ['model: ["a", "b"*\n', "x: 0..10 step 0\n", 'a: 1\na: 2\n', "\x00", 'model: "a"\n---\nb: @\n'],
)
def test_input_error_leaves_the_output_untouched(source: str, fmt: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.mint").write_text(source, encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    out.write_bytes(OLD)
    assert main(["compile", str(tmp_path / "bad.mint"), "-o", str(out)]) == 1
    assert out.read_bytes() == OLD
    assert _listing(tmp_path) == ["bad.mint", f"out.{fmt}"]
    assert "error[" in capsys.readouterr().err


def test_too_many_configs_leaves_the_output_untouched(tmp_path: Path) -> None:
    (tmp_path / "big.mint").write_text("x: 0..99\n", encoding="utf-8")
    out = tmp_path / "out.json"
    out.write_bytes(OLD)
    assert main(["compile", str(tmp_path / "big.mint"), "-o", str(out), "--max-configs", "10"]) == 1
    assert out.read_bytes() == OLD
    assert _listing(tmp_path) == ["big.mint", "out.json"]


def test_missing_output_folder_is_an_error_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ok.mint").write_text("a: 1\n", encoding="utf-8")
    assert main(["compile", str(tmp_path / "ok.mint"), "-o", str(tmp_path / "no" / "out.json")]) == 1
    assert "internal error" not in capsys.readouterr().err
    assert _listing(tmp_path) == ["ok.mint"]


@pytest.mark.parametrize(("raised", "code"), [(RuntimeError("boom"), 3), (KeyboardInterrupt(), 130)])
def test_failure_while_writing_leaves_the_output_untouched(raised: BaseException, code: int, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception (or Ctrl-C) after some output was written: the old file
    stays, the temporary file goes."""
    import spearmint_lang.output.emit as emit_mod

    real = emit_mod.emit

    def failing(*args: Any, **kwargs: Any) -> Iterator[str]:
        chunks = real(*args, **kwargs)
        yield next(chunks)
        yield "x" * 100_000
        raise raised

    monkeypatch.setattr(emit_mod, "emit", failing)
    (tmp_path / "ok.mint").write_text("x: 0..100\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_bytes(OLD)
    assert main(["compile", str(tmp_path / "ok.mint"), "-o", str(out)]) == code
    assert out.read_bytes() == OLD
    assert _listing(tmp_path) == ["ok.mint", "out.jsonl"]


def _start_big_compile(tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """`mintc compile big.mint -o out.jsonl` on a sweep that takes seconds,
    returned once it is writing its temporary file."""
    (tmp_path / "big.mint").write_text("x: 0..3000000\nname: \"a fairly long string value\"\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_bytes(OLD)
    proc = subprocess.Popen(
        [sys.executable, "-m", "spearmint_lang", "compile", "big.mint", "-o", "out.jsonl"],
        cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        # Wait until writing has begun (size > 0): then we are past
        # mkstemp and inside the try block that cleans up.
        temps = [p for p in tmp_path.glob(".mintc-*.tmp") if p.stat().st_size > 0]
        if temps:
            return proc, out
        if proc.poll() is not None:
            break
        time.sleep(0.005)
    proc.kill()
    out_, err = proc.communicate()
    pytest.fail(f"no temporary file appeared (exit {proc.returncode}): {err.decode()[-2000:]}")


def test_ctrl_c_keeps_the_old_output_and_removes_the_temporary_file(tmp_path: Path) -> None:
    proc, out = _start_big_compile(tmp_path)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err.decode()[-2000:]
    assert b"Traceback" not in err
    assert out.read_bytes() == OLD
    assert not list(tmp_path.glob(".mintc-*.tmp"))
    assert _listing(tmp_path) == ["big.mint", "out.jsonl"]


def test_sigkill_mid_write_keeps_the_old_output(tmp_path: Path) -> None:
    proc, out = _start_big_compile(tmp_path)
    proc.kill()
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert out.read_bytes() == OLD  # a temporary file may remain: unavoidable


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755, 0o444])
@pytest.mark.parametrize("fmt", ["json", "jsonl", "py"])
def test_success_replaces_the_file_and_keeps_its_mode(mode: int, fmt: str, tmp_path: Path) -> None:
    src = EXAMPLES / "grid-2d.mint"
    out = tmp_path / f"out.{fmt}"
    out.write_bytes(OLD)
    os.chmod(out, mode)
    assert main(["compile", str(src), "-o", str(out)]) == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == mode
    text = out.read_text("utf-8")
    if fmt == "json":
        assert json.loads(text) == loads(src.read_text("utf-8"))
    elif fmt == "jsonl":
        assert [json.loads(x) for x in text.splitlines()] == loads(src.read_text("utf-8"))
    assert _listing(tmp_path) == [f"out.{fmt}"]


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        assert main(["compile", str(EXAMPLES / "lists.mint"), "-o", str(tmp_path / "out.json")]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "out.json").st_mode) == 0o640
    assert _listing(tmp_path) == ["out.json"]


# ---------------------------------------------------------------------------
# 4. Determinism across hash seeds
# ---------------------------------------------------------------------------

_DETERMINISM_SCRIPT = """
import os, sys
from spearmint_lang.cli import main
out = sys.argv[1]
for i, src in enumerate(sys.argv[2:]):
    for fmt in ("json", "jsonl", "py"):
        rc = main(["compile", src, "--format", fmt, "-o", os.path.join(out, f"{i}.{fmt}")])
        assert rc == 0, (src, fmt, rc)
"""


def test_output_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    """Every example in every format, and the real CLI on stdout, under
    PYTHONHASHSEED=0, 1 and random."""
    sources = [str(p) for p in EXAMPLE_FILES]
    seeds = ["0", "1", "random"]
    procs = []
    for seed in seeds:
        folder = tmp_path / f"seed-{seed}"
        folder.mkdir()
        procs.append(subprocess.Popen(
            [sys.executable, "-c", _DETERMINISM_SCRIPT, str(folder), *sources],
            cwd=ROOT, env=_env(PYTHONHASHSEED=seed), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        ))
        for fmt in ("json", "jsonl", "py"):
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "spearmint_lang", "compile", "examples/constraints.mint", "--format", fmt],
                cwd=ROOT, env=_env(PYTHONHASHSEED=seed), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            ))
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()[-2000:]
        results.append(out)
    per_seed = len(results) // len(seeds)
    for k in range(per_seed):
        assert len({results[s * per_seed + k] for s in range(len(seeds))}) == 1, f"stdout run {k} differs"
    first = tmp_path / "seed-0"
    names = _listing(first)
    assert len(names) == 3 * len(sources)
    for seed in seeds[1:]:
        assert _listing(tmp_path / f"seed-{seed}") == names
        for name in names:
            assert (tmp_path / f"seed-{seed}" / name).read_bytes() == (first / name).read_bytes(), (seed, name)


# ---------------------------------------------------------------------------
# 5. mintc check --format json
# ---------------------------------------------------------------------------

MANY_ERRORS = 'a: 1\na: 2\nb: "\\q"\nc: 0..10 step 0\nd: 05\ne: [1,,2]\nf: nope\n'
DIAG_FIELDS = {"file", "line", "column", "end_line", "end_column", "code", "severity", "message", "hint"}


def _check_diagnostic(d: dict[str, Any], file: str, source: str) -> None:
    assert DIAG_FIELDS <= set(d), sorted(DIAG_FIELDS - set(d))
    assert d["file"] == file
    lines = source.count("\n") + 1
    for key in ("line", "column", "end_line", "end_column"):
        assert isinstance(d[key], int) and not isinstance(d[key], bool) and d[key] >= 1, (key, d)
    assert d["line"] <= lines + 1 and d["end_line"] <= lines + 1
    assert (d["end_line"], d["end_column"]) >= (d["line"], d["column"])
    assert re.fullmatch(r"E\d{3}", d["code"])
    assert d["severity"] == "error"
    assert isinstance(d["message"], str) and d["message"]
    assert d["hint"] is None or (isinstance(d["hint"], str) and d["hint"])


def test_check_json_reports_every_error_with_its_location(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.mint").write_text(MANY_ERRORS, encoding="utf-8")
    done = run_main(capsys, monkeypatch, "check", "--format", "json", "bad.mint", cwd=tmp_path)  # in-process
    assert done.returncode == 1
    payload = json.loads(done.stdout)
    diags = payload["diagnostics"]
    assert len(diags) >= 6
    for d in diags:
        _check_diagnostic(d, "bad.mint", MANY_ERRORS)
    assert {"E020", "E010", "E030", "E012", "E014", "E040"} <= {d["code"] for d in diags}
    assert [(d["line"], d["column"]) for d in diags] == sorted((d["line"], d["column"]) for d in diags)
    assert payload["files"][0]["file"] == "bad.mint" and payload["files"][0]["ok"] is False


def test_check_json_on_clean_files_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    done = run_main(capsys, monkeypatch, "check", "--format", "json", "examples/grid-2d.mint", "examples/mixed.mint",
                    cwd=ROOT)  # in-process
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["diagnostics"] == []
    assert [(f["file"], f["ok"], f["configs"]) for f in payload["files"]] == [
        ("examples/grid-2d.mint", True, 6), ("examples/mixed.mint", True, 7),
    ]


def test_check_json_mixes_clean_and_broken_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.mint").write_text(MANY_ERRORS, encoding="utf-8")
    (tmp_path / "syntax.mint").write_text('a: [1, 2\nb: "x\n', encoding="utf-8")
    (tmp_path / "ok.mint").write_text("a: [1, 2]*\n", encoding="utf-8")
    files = [str(tmp_path / n) for n in ("ok.mint", "bad.mint", "syntax.mint")]
    assert main(["check", "--format", "json", *files]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert [f["ok"] for f in payload["files"]] == [True, False, False]
    by_file: dict[str, int] = {}
    for d in payload["diagnostics"]:
        _check_diagnostic(d, d["file"], (tmp_path / Path(d["file"]).name).read_text("utf-8"))
        by_file[d["file"]] = by_file.get(d["file"], 0) + 1
    assert set(by_file) == set(files[1:])


# ---------------------------------------------------------------------------
# Huge sweeps from tiny files: answered at once, never by hanging
# ---------------------------------------------------------------------------

HANG_SECONDS = 6
HANGS = {
    # Fixed while this file was written (count() used to walk every value of a range).
    "huge-range-count": ("count", "x: 0..99999999999999999999\n"),
    # (10**20 floats between 0 and 1 would repeat values: E034; whole spacing keeps ints.)
    "huge-count-check": ("check", "x: 0..199999999999999999996 count 99999999999999999999\n"),
    "huge-range-where": ("check", "x: 0..99999999999999999999\nwhere x > 1\n"),
    # Fixed while this file was written (100,000 exact steps of ever longer fractions).
    "geometric": ("check", "x: 1..2 step *1.000001\n"),
    # Still a bug: Fraction("1e99999999") builds a 100-million-digit integer,
    # although the literal was already reported as too large (E013).
    "huge-exponent": ("check", "x: 0.0..1e99999999 step 1.0\n"),
}


@pytest.fixture(scope="module")
def hang_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[subprocess.Popen[bytes], float]]]:
    """Start every possibly-hanging mintc run at once, so that waiting for
    them costs HANG_SECONDS once rather than per case."""
    folder = tmp_path_factory.mktemp("hangs")
    runs = {}
    for name, (command, text) in HANGS.items():
        (folder / f"{name}.mint").write_text(text, encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "spearmint_lang", command, f"{name}.mint"], cwd=folder,
                                env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        runs[name] = (proc, time.monotonic())
    yield runs
    for proc, _ in runs.values():
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def _finishes(runs: dict[str, tuple[subprocess.Popen[bytes], float]], name: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of a run that must end within HANG_SECONDS."""
    proc, started = runs[name]
    try:
        out, err = proc.communicate(timeout=max(0.1, started + HANG_SECONDS - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"`mintc {HANGS[name][0]}` on {HANGS[name][1]!r} still runs after {HANG_SECONDS} s")
    assert "internal error" not in err.decode(), err.decode()
    assert proc.returncode in (0, 1), err.decode()
    return proc.returncode, out.decode(), err.decode()


def test_huge_range_is_counted_without_expanding(hang_runs: Any) -> None:
    rc, out, _ = _finishes(hang_runs, "huge-range-count")
    assert rc == 0 and "100,000,000,000,000,000,000 configs" in out


def test_huge_count_is_checked_without_expanding(hang_runs: Any) -> None:
    rc, out, _ = _finishes(hang_runs, "huge-count-check")
    assert rc == 0 and "99,999,999,999,999,999,999 configs" in out


def test_huge_range_under_where_is_checked_without_expanding(hang_runs: Any) -> None:
    # mintc compile could not write it (10**20 combinations to filter): E069, at once.
    rc, _, err = _finishes(hang_runs, "huge-range-where")
    assert rc == 1 and "error[E069]" in err, err


def test_geometric_range_with_a_factor_near_one_is_refused_at_once(hang_runs: Any) -> None:
    rc, _, err = _finishes(hang_runs, "geometric")
    assert rc == 1 and "error[E033]" in err


def test_huge_exponent_in_a_range_is_refused_at_once(hang_runs: Any) -> None:
    rc, _, err = _finishes(hang_runs, "huge-exponent")
    assert rc == 1 and "error[E013]" in err


@pytest.mark.parametrize(
    "text",
    ["x: 0..99999999999999999999\nwhere x > 1\n", "x: 0..99999999999999999999\nschema { x: int in 0..5 }\n",
     "x: 0..1 count 99999999999999999999\n"],
    ids=["where", "schema", "count"],
)
def test_huge_ranges_compile_without_crashing(text: str) -> None:
    try:
        docs = compile_source(decode(text.encode(), "h.mint"))
    except MintError as exc:
        check_mint_error(exc)
    else:
        assert sum(expand_mod.count(d) for d in docs) >= 10**19


# ---------------------------------------------------------------------------
# Regression tests for the bugs found here (each failed before its fix)
# ---------------------------------------------------------------------------


def test_huge_range_in_zip_is_a_located_error() -> None:
    try:
        compile_source(decode(b"zip {\n  a: 0..99999999999999999999\n  b: [1]\n}\n", "h.mint"))
    except MintError as exc:
        check_mint_error(exc)


def test_huge_range_in_zip_is_not_an_internal_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "z.mint").write_text("zip {\n  a: 0..99999999999999999999\n  b: [1]\n}\n", encoding="utf-8")
    done = run_main(capsys, monkeypatch, "check", "z.mint", cwd=tmp_path)  # in-process
    assert done.returncode in (0, 1), done.stderr


@pytest.mark.parametrize(
    "text",
    ["x: 0.." + "1" * 5000, "x: 0..1 count " + "1" * 5000, "x: 0.0.." + "1" * 5000 + ".0 step 1.0",
     "let n = " + "1" * 5000 + "\nx: 0..n", "schema { x: int in 0.." + "1" * 5000 + " }\nx: 1"],
    ids=["end", "count", "float", "let", "schema"],
)
def test_long_number_in_a_range_is_a_located_error(text: str) -> None:
    with pytest.raises(MintError) as info:
        compile_source(decode(text.encode(), "h.mint"))
    check_mint_error(info.value)


def test_rendered_errors_stay_small() -> None:
    text = "a: [" + "," * 2000 + "]\n"
    with pytest.raises(MintError) as info:
        compile_source(decode(text.encode(), "c.mint"))
    check_mint_error(info.value)
    assert len(info.value.render()) <= 100 * len(text) + 100_000


def test_invalid_utf8_column_after_bom() -> None:
    """Fixed while this file was written: the BOM is not a column."""
    with pytest.raises(MintError) as info:
        decode(b'\xef\xbb\xbfa: "\xff"', "b.mint")
    assert (info.value.line, info.value.column) == (1, 5)  # same as without the BOM


@pytest.mark.parametrize("text", ['a: "\ud800"', '"\udfff": 1', 'a: """\ud800"""'], ids=["string", "key", "long"])
def test_loads_refuses_raw_lone_surrogates(text: str) -> None:
    with pytest.raises(MintError) as info:
        loads(text)
    assert info.value.code == "E011"


def test_zz_fuzz_case_count() -> None:
    """The fuzz properties above ran at least their budget of cases (when run)."""
    if FUZZ_STATS["cases"] == 0:
        pytest.skip("the fuzz tests were not run in this session")
    assert FUZZ_STATS["cases"] >= fuzz_examples(1000), FUZZ_STATS
