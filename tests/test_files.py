"""Files and signals: what `extends`, `-o`, `--split` and `mintc fmt` read
and write, and what a signal leaves behind (issue 10, part B).

- `extends` reads only regular `.mint` files, with the size limit, and never
  blocks (a FIFO, `/dev/stdin`, `/dev/zero`, a device); a path holding NUL
  is E074; a file that is not `.mint` is refused (E075) so that its lines
  are never echoed; `--confine` (and `Loader(confine=...)`) keeps `extends`
  inside the compiled file's folder tree. The language server reads bases
  through the same Loader.
- `-o` writes through a FIFO or a character device (and `/dev/fd/N`),
  refuses a block device, and writes a symlink's target instead of replacing
  the link (so does `mintc fmt`). SIGTERM and SIGHUP remove the temporary
  file as SIGINT does.
- `--split DIR` refuses a folder holding files this sweep does not write
  (`--clean` deletes earlier split files first); names are cut by bytes;
  shards share a folder and sort in order; errors name the target.
- File names that are not valid UTF-8 are printed, never an internal error.

Every test runs mintc with a timeout: a hang fails, it never blocks the suite.
What is about files, not the process (`extends` leaving the folder, most of
`--split`), runs `main` in-process (`mintc_in`, same timeout); what is about
the process (FIFOs, devices, stdin, signals, the stdout encoding) runs it real.
"""

from __future__ import annotations

import errno
import json
import os
import queue
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from collections.abc import Callable
from typing import IO

import pytest

import spearmint_lang
from spearmint_lang.cli import main
from spearmint_lang.compiler import compile_file
from spearmint_lang.loader import MAX_SOURCE_BYTES, Loader

PKG_PARENT = str(Path(spearmint_lang.__file__).resolve().parent.parent)
TIMEOUT = 30
OLD = b"old output\n"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(not IS_ROOT, reason="making device nodes needs root")


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = PKG_PARENT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


def _mintc(*args: str | bytes, cwd: Path, stdin: bytes = b"", timeout: float = TIMEOUT,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the real `mintc` (`python -m spearmint_lang`); a hang fails the test."""
    return subprocess.run([sys.executable, "-m", "spearmint_lang", *args], cwd=cwd, env=_env(**(env or {})),
                          input=stdin, capture_output=True, timeout=timeout)


class _Hang(BaseException):
    """An in-process run that outlived TIMEOUT (not an Exception: nothing in mintc can swallow it)."""


def _hang(signum: int, frame: object) -> None:
    raise _Hang(f"mintc ran longer than {TIMEOUT} s")


@pytest.fixture
def mintc_in(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., subprocess.CompletedProcess[bytes]]:
    """`_mintc` in-process, for what is about files rather than the process: the
    same `main` with the same arguments in the same folder, its exit code and
    what it printed, under the same timeout (an alarm)."""
    def call(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        old = signal.signal(signal.SIGALRM, _hang)
        signal.setitimer(signal.ITIMER_REAL, TIMEOUT)
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        out = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out.out.encode("utf-8", "surrogateescape"),
                                           out.err.encode("utf-8", "surrogateescape"))
    return call


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# ---------------------------------------------------------------------------
# 1. `extends` reads only regular .mint files
# ---------------------------------------------------------------------------


def test_extends_of_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.mint")
    _write(tmp_path / "sweep.mint", 'extends "pipe.mint"\nx: 1\n')
    for command in ("check", "compile", "count"):
        out = _mintc(command, "sweep.mint", cwd=tmp_path, timeout=20)
        assert out.returncode == 1, out.stderr
        err = out.stderr.decode()
        assert "sweep.mint:1:9: error[E074]: cannot read `pipe.mint`: it is a named pipe (FIFO), not a regular file" in err
        assert "internal error" not in err


def test_extends_of_dev_stdin_never_reads_stdin(tmp_path: Path) -> None:
    _write(tmp_path / "sweep.mint", 'extends "/dev/stdin"\nx: 1\n')
    os.symlink("/dev/stdin", tmp_path / "in.mint")
    _write(tmp_path / "linked.mint", 'extends "in.mint"\nx: 1\n')
    out = _mintc("compile", "sweep.mint", cwd=tmp_path, stdin=b"secret: 1\n", timeout=20)
    assert out.returncode == 1, out.stdout
    assert b"error[E075]: `/dev/stdin` is not a `.mint` file" in out.stderr
    assert b"secret" not in out.stdout + out.stderr
    out = _mintc("compile", "linked.mint", cwd=tmp_path, stdin=b"secret: 1\n", timeout=20)
    assert out.returncode == 1, out.stdout
    assert b"error[E075]: `in.mint` links to " in out.stderr
    assert b"secret" not in out.stdout + out.stderr


def test_extends_of_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    _write(tmp_path / "sweep.mint", 'extends "/dev/zero"\nx: 1\n')
    start = time.monotonic()
    out = _mintc("check", "sweep.mint", cwd=tmp_path, timeout=20)
    assert out.returncode == 1
    assert b"error[E075]: `/dev/zero` is not a `.mint` file" in out.stderr
    assert time.monotonic() - start < 10


@needs_root
def test_extends_of_a_device_named_mint_is_refused_without_reading(tmp_path: Path) -> None:
    os.mknod(tmp_path / "zero.mint", stat.S_IFCHR | 0o666, os.makedev(1, 5))  # /dev/zero
    _write(tmp_path / "sweep.mint", 'extends "zero.mint"\nx: 1\n')
    out = _mintc("check", "sweep.mint", cwd=tmp_path, timeout=20)
    assert out.returncode == 1
    assert b"error[E074]: cannot read `zero.mint`: it is a character device, not a regular file" in out.stderr


def test_extends_of_a_folder_is_e074(tmp_path: Path) -> None:
    (tmp_path / "base.mint").mkdir()
    _write(tmp_path / "sweep.mint", 'extends "base.mint"\nx: 1\n')
    out = _mintc("check", "sweep.mint", cwd=tmp_path)
    assert out.returncode == 1
    assert b"error[E074]: cannot read `base.mint`: it is a folder, not a regular file" in out.stderr


def test_extends_path_holding_nul_is_e074(tmp_path: Path) -> None:
    _write(tmp_path / "sweep.mint", 'extends "a\\u0000b.mint"\nx: 1\n')
    out = _mintc("check", "sweep.mint", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert b"sweep.mint:1:9: error[E074]: cannot read `a\\u0000b.mint`: the path holds a NUL character" in out.stderr
    assert b"internal error" not in out.stderr
    unit = compile_file(tmp_path / "sweep.mint")
    assert [d.code for d in unit.diagnostics] == ["E074"]


def test_extended_file_over_the_size_limit_is_refused_without_reading(tmp_path: Path) -> None:
    with open(tmp_path / "big.mint", "wb") as fh:
        fh.truncate(MAX_SOURCE_BYTES + 1)  # sparse: costs no disk
    _write(tmp_path / "sweep.mint", 'extends "big.mint"\nx: 1\n')
    start = time.monotonic()
    unit = compile_file(tmp_path / "sweep.mint")
    assert [d.code for d in unit.diagnostics] == ["E074"]
    assert "larger than 64 MiB" in unit.diagnostics[0].message
    assert time.monotonic() - start < 0.5


def test_extends_never_echoes_a_file_that_is_not_mint(tmp_path: Path) -> None:
    _write(tmp_path / "secret.txt", 'password hunter2 @@@\n')
    os.symlink("secret.txt", tmp_path / "secret.mint")
    _write(tmp_path / "a.mint", 'extends "secret.txt"\nx: 1\n')
    _write(tmp_path / "b.mint", 'extends "secret.mint"\nx: 1\n')
    out = _mintc("check", "--format", "json", "a.mint", "b.mint", cwd=tmp_path)
    assert out.returncode == 1
    assert b"hunter2" not in out.stdout + out.stderr
    diags = json.loads(out.stdout)["diagnostics"]
    assert [(d["file"], d["code"], d["line"], d["column"]) for d in diags] == [
        ("a.mint", "E075", 1, 9), ("b.mint", "E075", 1, 9)]
    assert diags[0]["message"] == "`secret.txt` is not a `.mint` file"
    assert diags[1]["message"] == f"`secret.mint` links to `{tmp_path.resolve() / 'secret.txt'}`, which is not a `.mint` file"


def test_extends_may_leave_the_folder_by_default(tmp_path: Path,
        mintc_in: Callable[..., subprocess.CompletedProcess[bytes]]) -> None:
    """Trusted files share bases across folders: `..` and absolute paths work."""
    shared = _write(tmp_path / "shared" / "base.mint", "model: \"m\"\n")
    _write(tmp_path / "proj" / "up.mint", 'extends "../shared/base.mint"\nx: 1\n')
    _write(tmp_path / "proj" / "abs.mint", f'extends "{shared}"\nx: 1\n')
    for name in ("up.mint", "abs.mint"):
        out = mintc_in("compile", name, cwd=tmp_path / "proj")
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)[0]["model"] == "m"


def _confined_project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    _write(tmp_path / "outside.mint", 'model: "outside"\n')
    _write(proj / "base.mint", 'model: "inside"\n')
    _write(proj / "sub" / "inner.mint", 'extends "../base.mint"\ny: 2\n')  # `..`, but inside the tree
    _write(proj / "ok.mint", 'extends "sub/inner.mint"\nx: 1\n')
    _write(proj / "up.mint", 'extends "../outside.mint"\nx: 1\n')
    _write(proj / "abs.mint", f'extends "{tmp_path / "outside.mint"}"\nx: 1\n')
    os.symlink(tmp_path / "outside.mint", proj / "link.mint")
    _write(proj / "via-link.mint", 'extends "link.mint"\nx: 1\n')
    return proj


@pytest.mark.parametrize("command", ["compile", "check", "count"])
def test_confine_keeps_extends_inside_the_folder_of_the_file(command: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    proj = _confined_project(tmp_path)
    out = _mintc(command, "--confine", "ok.mint", cwd=proj)  # the real command once
    assert out.returncode == 0, out.stderr
    root = proj.resolve()
    monkeypatch.chdir(proj)  # then in-process: the same `main`, 20 times faster
    for name, value in [("up.mint", "../outside.mint"), ("abs.mint", str(tmp_path / "outside.mint")),
                        ("via-link.mint", "link.mint")]:
        assert main([command, name]) == 0  # without --confine: allowed
        capsys.readouterr()
        assert main([command, "--confine", name]) == 1, name
        printed = capsys.readouterr()
        assert f"{name}:1:9: error[E075]: `{value}` is outside {root}, the folder `extends` is confined to" in printed.err
        assert "outside\"" not in printed.out
    # The folder is the compiled file's own, wherever mintc runs.
    monkeypatch.chdir(tmp_path)
    assert main([command, "--confine", str(proj / "up.mint")]) == 1
    assert "error[E075]" in capsys.readouterr().err


def test_confine_for_stdin_is_the_current_folder(tmp_path: Path) -> None:
    proj = _confined_project(tmp_path)
    out = _mintc("compile", "--confine", "-", cwd=proj, stdin=b'extends "../outside.mint"\nx: 1\n')
    assert out.returncode == 1 and b"<stdin>:1:9: error[E075]" in out.stderr
    out = _mintc("compile", "--confine", "-", cwd=proj, stdin=b'extends "base.mint"\nx: 1\n')
    assert out.returncode == 0, out.stderr


def test_loader_confine_in_python(tmp_path: Path) -> None:
    proj = _confined_project(tmp_path)
    assert compile_file(proj / "up.mint").ok
    unit = compile_file(proj / "up.mint", Loader(confine=proj))
    assert [d.code for d in unit.diagnostics] == ["E075"]
    assert compile_file(proj / "ok.mint", Loader(confine=proj)).ok


def test_a_top_level_pipe_is_still_read(tmp_path: Path) -> None:
    """`mintc compile <(gen)` is legitimate: the top-level file may be a pipe."""
    os.mkfifo(tmp_path / "top.mint")
    proc = subprocess.Popen([sys.executable, "-m", "spearmint_lang", "compile", "top.mint"], cwd=tmp_path,
                            env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        with open(tmp_path / "top.mint", "w", encoding="utf-8") as fh:
            fh.write("a: [1, 2]*\n")
        out, err = proc.communicate(timeout=TIMEOUT)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert [c["a"] for c in json.loads(out)] == [1, 2]


def _frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read_frames(stream: IO[bytes], into: queue.Queue[dict[str, object]]) -> None:
    while True:
        length = None
        while True:
            line = stream.readline()
            if not line:
                return
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        if length is None:
            return
        into.put(json.loads(stream.read(length)))


def test_language_server_never_reads_its_own_stdin_or_a_fifo(tmp_path: Path) -> None:
    """`extends "/dev/stdin"` in the editor once read the JSON-RPC pipe and killed the server."""
    pytest.importorskip("pygls")
    os.mkfifo(tmp_path / "pipe.mint")
    docs = {(tmp_path / "a.mint").as_uri(): 'extends "/dev/stdin"\nx: 1\n',
            (tmp_path / "b.mint").as_uri(): 'extends "pipe.mint"\nx: 1\n'}
    proc = subprocess.Popen([sys.executable, "-m", "spearmint_lang.lsp"], cwd=tmp_path, env=_env(),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None and proc.stdout is not None
    got: queue.Queue[dict[str, object]] = queue.Queue()
    threading.Thread(target=_read_frames, args=(proc.stdout, got), daemon=True).start()
    try:
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                 "params": {"processId": None, "rootUri": None, "capabilities": {}}}))
        proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        for uri, text in docs.items():
            proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                "textDocument": {"uri": uri, "languageId": "mint", "version": 1, "text": text}}}))
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None}))
        proc.stdin.flush()  # stdin stays open: the server must answer without reading to its end
        codes: dict[str, list[str]] = {}
        answered = False
        deadline = time.monotonic() + 20
        while not (answered and len(codes) == 2):
            try:
                message = got.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"the server stopped answering; diagnostics so far: {codes}")
            if message.get("id") == 2:
                answered = True
            if message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                assert isinstance(params, dict)
                codes[str(params["uri"])] = [str(d["code"]) for d in params["diagnostics"]]
        assert sorted(codes.values()) == [["E074"], ["E075"]]
        proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit", "params": None}))
        proc.stdin.close()
        proc.wait(timeout=TIMEOUT)
    finally:
        proc.kill()
        proc.wait()


# ---------------------------------------------------------------------------
# 2. `-o` through FIFOs, devices and symlinks; signals
# ---------------------------------------------------------------------------


def test_output_to_a_fifo_writes_through_it(tmp_path: Path) -> None:
    _write(tmp_path / "s.mint", "a: [1, 2, 3]*\n")
    os.mkfifo(tmp_path / "out.jsonl")
    reader = subprocess.Popen(["cat", "out.jsonl"], cwd=tmp_path, stdout=subprocess.PIPE)
    try:
        out = _mintc("compile", "s.mint", "-o", "out.jsonl", cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        data, _ = reader.communicate(timeout=10)
    finally:
        reader.kill()
        reader.wait()
    assert [json.loads(line)["a"] for line in data.splitlines()] == [1, 2, 3]
    assert stat.S_ISFIFO(os.lstat(tmp_path / "out.jsonl").st_mode)
    assert _listing(tmp_path) == ["out.jsonl", "s.mint"]


def test_output_to_a_descriptor_name_writes_through_it(tmp_path: Path) -> None:
    """`-o /dev/fd/1` (and `-o >(gzip > x)`) writes to the descriptor, never beside it."""
    _write(tmp_path / "s.mint", "a: [1, 2]*\n")
    out = _mintc("compile", "s.mint", "-o", "/dev/fd/1", "--format", "jsonl", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert [json.loads(line)["a"] for line in out.stdout.splitlines()] == [1, 2]


@needs_root
def test_output_to_a_character_device_writes_through_it(tmp_path: Path) -> None:
    """As root, `-o /dev/null` once replaced the device node with a regular file."""
    _write(tmp_path / "s.mint", "a: [1, 2]*\n")
    os.mknod(tmp_path / "null.json", stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    assert main(["compile", str(tmp_path / "s.mint"), "-o", str(tmp_path / "null.json")]) == 0
    assert stat.S_ISCHR(os.lstat(tmp_path / "null.json").st_mode)
    assert _listing(tmp_path) == ["null.json", "s.mint"]


@needs_root
def test_output_to_a_block_device_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "s.mint", "a: [1, 2]*\n")
    os.mknod(tmp_path / "disk.json", stat.S_IFBLK | 0o600, os.makedev(7, 250))
    assert main(["compile", str(tmp_path / "s.mint"), "-o", str(tmp_path / "disk.json")]) == 1
    assert f"{tmp_path / 'disk.json'}: error: cannot write: it is a block device" in capsys.readouterr().err
    assert stat.S_ISBLK(os.lstat(tmp_path / "disk.json").st_mode)
    assert _listing(tmp_path) == ["disk.json", "s.mint"]


def test_output_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    _write(tmp_path / "s.mint", "a: [1, 2]*\n")
    real = tmp_path / "results" / "out.json"
    real.parent.mkdir()
    real.write_bytes(OLD)
    os.chmod(real, 0o640)
    os.symlink("results/out.json", tmp_path / "hop.json")
    os.symlink("hop.json", tmp_path / "link.json")  # a chain of two links
    assert main(["compile", str(tmp_path / "s.mint"), "-o", str(tmp_path / "link.json")]) == 0
    assert os.readlink(tmp_path / "link.json") == "hop.json"
    assert os.readlink(tmp_path / "hop.json") == "results/out.json"
    assert [c["a"] for c in json.loads(real.read_text("utf-8"))] == [1, 2]
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640
    assert _listing(real.parent) == ["out.json"]
    assert _listing(tmp_path) == ["hop.json", "link.json", "results", "s.mint"]


def test_output_through_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    _write(tmp_path / "s.mint", "a: [1, 2]*\n")
    (tmp_path / "results").mkdir()
    os.symlink("results/new.json", tmp_path / "link.json")
    assert main(["compile", str(tmp_path / "s.mint"), "-o", str(tmp_path / "link.json")]) == 0
    assert os.path.islink(tmp_path / "link.json")
    assert [c["a"] for c in json.loads((tmp_path / "results" / "new.json").read_text("utf-8"))] == [1, 2]


def test_fmt_through_a_symlink_rewrites_its_target(tmp_path: Path) -> None:
    real = _write(tmp_path / "src" / "sweep.mint", "a:   [1,2]*\n")
    os.symlink("src/sweep.mint", tmp_path / "link.mint")
    assert main(["fmt", str(tmp_path / "link.mint")]) == 0
    assert os.readlink(tmp_path / "link.mint") == "src/sweep.mint"
    assert real.read_text("utf-8") == "a: [1, 2]*\n"
    assert _listing(real.parent) == ["sweep.mint"]


def test_fmt_of_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.mint")
    out = _mintc("fmt", "pipe.mint", cwd=tmp_path, timeout=20)
    assert out.returncode == 1
    assert b"pipe.mint: error: cannot format in place: it is a named pipe (FIFO), not a regular file; " in out.stderr
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe.mint").st_mode)


def _start_big_compile(tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """`mintc compile big.mint -o out.jsonl` on a sweep that takes seconds,
    returned once it is writing its temporary file."""
    _write(tmp_path / "big.mint", "x: 0..3000000\nname: \"a fairly long string value\"\n")
    out = tmp_path / "out.jsonl"
    out.write_bytes(OLD)
    proc = subprocess.Popen([sys.executable, "-m", "spearmint_lang", "compile", "big.mint", "-o", "out.jsonl"],
                            cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if [p for p in tmp_path.glob(".mintc-*.tmp") if p.stat().st_size > 0]:
            return proc, out
        if proc.poll() is not None:
            break
        time.sleep(0.005)
    proc.kill()
    _, err = proc.communicate()
    pytest.fail(f"no temporary file appeared (exit {proc.returncode}): {err.decode()[-2000:]}")


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_sigterm_and_sighup_remove_the_temporary_file(sig: int, code: int, tmp_path: Path) -> None:
    """Schedulers (Slurm, Kubernetes) stop jobs with SIGTERM; a closed terminal sends SIGHUP."""
    proc, out = _start_big_compile(tmp_path)
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == code, err.decode()[-2000:]
    assert b"Traceback" not in err
    assert f"mintc: stopped by {signal.Signals(sig).name}".encode() in err
    assert out.read_bytes() == OLD
    assert _listing(tmp_path) == ["big.mint", "out.jsonl"]


def test_signal_handlers_are_restored_after_main(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)
    _write(tmp_path / "s.mint", "a: 1\n")
    assert main(["compile", str(tmp_path / "s.mint"), "-o", str(tmp_path / "o.json")]) == 0
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)) == before


# ---------------------------------------------------------------------------
# 3. `--split DIR`
# ---------------------------------------------------------------------------


def test_split_refuses_a_folder_of_an_earlier_sweep(tmp_path: Path,
        mintc_in: Callable[..., subprocess.CompletedProcess[bytes]]) -> None:
    """A 4-config sweep split into the folder of a 60-config one once left 64 files."""
    _write(tmp_path / "big.mint", "a: 0..59\n")
    _write(tmp_path / "small.mint", "a: 0..3\n")
    assert mintc_in("compile", "big.mint", "--split", "cfg", cwd=tmp_path).returncode == 0
    before = _listing(tmp_path / "cfg")
    assert len(before) == 60
    out = mintc_in("compile", "small.mint", "--split", "cfg", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    err = out.stderr.decode()
    assert f"cfg: error: the folder holds 60 files this sweep does not write (the first: {before[0]}); " \
           "remove them, or pass --clean to delete earlier split files" in err
    assert _listing(tmp_path / "cfg") == before


def test_split_clean_deletes_the_files_of_an_earlier_split(tmp_path: Path,
        mintc_in: Callable[..., subprocess.CompletedProcess[bytes]]) -> None:
    _write(tmp_path / "big.mint", "a: 0..59\n")
    _write(tmp_path / "small.mint", "a: 0..3\n")
    assert mintc_in("compile", "big.mint", "--split", "cfg", "--format", "json", cwd=tmp_path).returncode == 0
    out = mintc_in("compile", "small.mint", "--split", "cfg", "--clean", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    whole = json.loads(mintc_in("compile", "small.mint", cwd=tmp_path).stdout)
    assert _listing(tmp_path / "cfg") == [f"{i}-{c['config_id']}.yaml" for i, c in enumerate(whole)]


def test_split_clean_never_deletes_what_mintc_could_not_have_written(tmp_path: Path,
        mintc_in: Callable[..., subprocess.CompletedProcess[bytes]]) -> None:
    _write(tmp_path / "big.mint", "a: 0..11\n")
    _write(tmp_path / "small.mint", "a: 0..3\n")
    assert mintc_in("compile", "big.mint", "--split", "cfg", cwd=tmp_path).returncode == 0
    _write(tmp_path / "cfg" / "notes.txt", "keep me\n")
    (tmp_path / "cfg" / "old").mkdir()
    before = _listing(tmp_path / "cfg")
    out = mintc_in("compile", "small.mint", "--split", "cfg", "--clean", cwd=tmp_path)
    assert out.returncode == 1
    assert b"cfg: error: the folder holds notes.txt, old, which mintc did not write; " \
           b"--clean deletes only split files (<index>-<id>.yaml or .json); move them away" in out.stderr
    assert _listing(tmp_path / "cfg") == before  # nothing deleted


def test_split_again_into_its_own_folder_is_fine(tmp_path: Path,
        mintc_in: Callable[..., subprocess.CompletedProcess[bytes]]) -> None:
    _write(tmp_path / "s.mint", "a: 0..11\n")
    for _ in range(2):
        out = mintc_in("compile", "s.mint", "--split", "cfg", cwd=tmp_path)
        assert out.returncode == 0, out.stderr
    assert len(_listing(tmp_path / "cfg")) == 12


def test_split_ignores_hidden_temporary_files_of_other_writers(tmp_path: Path,
        mintc_in: Callable[..., subprocess.CompletedProcess[bytes]]) -> None:
    _write(tmp_path / "s.mint", "a: 0..3\n")
    _write(tmp_path / "cfg" / ".mintc-abc123.tmp", "in flight\n")
    out = mintc_in("compile", "s.mint", "--split", "cfg", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert len(_listing(tmp_path / "cfg")) == 5


def test_split_shards_share_a_folder_and_sort_in_order(tmp_path: Path,
        mintc_in: Callable[..., subprocess.CompletedProcess[bytes]]) -> None:
    """Every shard pads the index to the whole sweep's width: `0-…` .. `10-…`
    would sort `0, 1, 10, 2`."""
    _write(tmp_path / "s.mint", "a: 0..10\n")
    for shard in ("2/2", "1/2"):
        out = mintc_in("compile", "s.mint", "--split", "cfg", "--shard", shard, cwd=tmp_path)
        assert out.returncode == 0, out.stderr
    whole = json.loads(mintc_in("compile", "s.mint", cwd=tmp_path).stdout)
    assert _listing(tmp_path / "cfg") == [f"{i:02d}-{c['config_id']}.yaml" for i, c in enumerate(whole)]


def test_split_cuts_names_by_bytes(tmp_path: Path,
        mintc_in: Callable[..., subprocess.CompletedProcess[bytes]]) -> None:
    _write(tmp_path / "s.mint", 'a: [1, 2]*\nconfig_id: "' + "\U0001d49c" * 100 + '"\n')
    out = mintc_in("compile", "s.mint", "--split", "cfg", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    names = [os.fsencode(n) for n in _listing(tmp_path / "cfg")]
    assert len(names) == 2
    for raw in names:
        assert raw.decode("utf-8")  # cut between characters, never inside one
        stem = raw[len(b"0-"):-len(b".yaml")]
        assert 60 < len(stem) <= 64, raw


def test_split_errors_name_the_target_not_the_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "s.mint", "a: [1, 2]*\n")

    def full(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), src, dst)

    monkeypatch.setattr(os, "replace", full)
    assert main(["compile", str(tmp_path / "s.mint"), "--split", str(tmp_path / "cfg")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{tmp_path / 'cfg'}{os.sep}0-"), err
    assert ".yaml: error: cannot write: No space left on device" in err
    assert ".mintc-" not in err
    assert not [n for n in os.listdir(tmp_path / "cfg") if n.startswith(".mintc-")]


def test_split_into_a_file_is_an_error_not_a_crash(tmp_path: Path,
        mintc_in: Callable[..., subprocess.CompletedProcess[bytes]]) -> None:
    _write(tmp_path / "s.mint", "a: [1, 2]*\n")
    _write(tmp_path / "cfg", "a file\n")
    out = mintc_in("compile", "s.mint", "--split", "cfg", cwd=tmp_path)
    assert out.returncode == 1
    assert b"internal error" not in out.stderr


def test_clean_needs_split(tmp_path: Path,
        mintc_in: Callable[..., subprocess.CompletedProcess[bytes]]) -> None:
    _write(tmp_path / "s.mint", "a: [1, 2]*\n")
    out = mintc_in("compile", "s.mint", "--clean", cwd=tmp_path)
    assert out.returncode == 2
    assert b"--clean goes with --split" in out.stderr


# ---------------------------------------------------------------------------
# 4. File names that are not valid UTF-8
# ---------------------------------------------------------------------------

# A UTF-8 locale whose stdout is strict (as on most desktops), not C.UTF-8's surrogateescape.
STRICT = {"PYTHONIOENCODING": "utf-8:strict"}


def test_file_names_that_are_not_utf8_are_printed(tmp_path: Path) -> None:
    good, bad = os.fsdecode(b"\xff.mint"), os.fsdecode(b"bad\xfe.mint")
    _write(tmp_path / good, "a: [1, 2]*\n")
    _write(tmp_path / bad, "a: [1, 2\n")

    out = _mintc("check", good, cwd=tmp_path, env=STRICT)
    assert (out.returncode, out.stdout) == (0, b"\\xff.mint: ok, 2 configs\n"), out.stderr
    out = _mintc("count", good, cwd=tmp_path, env=STRICT)
    assert (out.returncode, out.stdout) == (0, b"\\xff.mint: 2 configs\n"), out.stderr
    out = _mintc("count", "--format", "json", good, cwd=tmp_path, env=STRICT)
    assert out.returncode == 0 and json.loads(out.stdout.decode("utf-8"))["files"][0]["file"] == "\\xff.mint"

    out = _mintc("check", bad, cwd=tmp_path, env=STRICT)
    assert out.returncode == 1
    assert out.stderr.decode("utf-8").startswith("bad\\xfe.mint:1:4: error[E003]")
    out = _mintc("check", "--format", "json", good, bad, cwd=tmp_path, env=STRICT)
    assert out.returncode == 1
    payload = json.loads(out.stdout.decode("utf-8"))  # valid UTF-8, valid JSON
    assert [f["file"] for f in payload["files"]] == ["\\xff.mint", "bad\\xfe.mint"]
    assert payload["diagnostics"][0]["file"] == "bad\\xfe.mint"

    _write(tmp_path / good, "a:   [1,2]*\n")
    out = _mintc("fmt", "--check", good, cwd=tmp_path, env=STRICT)
    assert (out.returncode, out.stdout) == (1, b"\\xff.mint: would reformat\n")
    out = _mintc("fmt", good, cwd=tmp_path, env=STRICT)
    assert (out.returncode, out.stderr) == (0, b"reformatted \\xff.mint\n")

    missing = os.fsdecode(b"no\xff") + "/x.json"
    out = _mintc("compile", good, "-o", missing, cwd=tmp_path, env=STRICT)
    assert (out.returncode, out.stderr) == (1, b"no\\xff/x.json: error: cannot write: No such file or directory\n")
    out = _mintc("compile", os.fsdecode(b"gone\xff.mint"), cwd=tmp_path, env=STRICT)
    assert out.returncode == 1 and out.stderr.startswith(b"gone\\xff.mint:1:1: error[E000]")


def test_split_into_a_folder_whose_name_is_not_utf8(tmp_path: Path) -> None:
    _write(tmp_path / "s.mint", "a: [1, 2]*\n")
    folder = os.fsdecode(b"cfg\xff")
    assert _mintc("compile", "s.mint", "--split", folder, cwd=tmp_path, env=STRICT).returncode == 0
    _write(tmp_path / "t.mint", "a: [3]*\n")
    out = _mintc("compile", "t.mint", "--split", folder, cwd=tmp_path, env=STRICT)
    assert out.returncode == 1
    assert out.stderr.startswith(b"cfg\\xff: error: the folder holds 2 files")


@needs_root
def test_output_keeps_the_owner_of_the_file_it_replaces(tmp_path: Path) -> None:
    """Root writing `-o` over another user's file leaves it theirs."""
    _write(tmp_path / "s.mint", "a: [1, 2]*\n")
    out = tmp_path / "out.json"
    out.write_bytes(OLD)
    os.chown(out, 12345, 23456)
    assert main(["compile", str(tmp_path / "s.mint"), "-o", str(out)]) == 0
    info = os.stat(out)
    assert (info.st_uid, info.st_gid) == (12345, 23456)
    assert json.loads(out.read_text("utf-8"))[0]["a"] == 1
