"""`mintc` works from an installed wheel in a fresh venv, not only from the
checkout: the grammar and the template must ship inside the wheel."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import attrs
import jinja2
import lark
import markupsafe
import pytest

from tests.conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Build from a copy so the checkout gets no build artefacts.
    src = out / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "node_modules", "__pycache__", ".*cache*", "*.vsix"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(src)],
        check=True, capture_output=True,
    )
    (whl,) = out.glob("spearmint_lang-*.whl")
    return whl


def test_wheel_ships_grammar_and_template(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "spearmint_lang/grammar/mint.lark" in names
    assert "spearmint_lang/output/templates/module.py.j2" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_mintc_from_wheel_in_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    # No pip of its own (ensurepip takes seconds): this environment's pip
    # installs the wheel into the venv (`pip --python`), as its own would.
    venv.EnvBuilder(with_pip=False).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--disable-pip-version-check",
                    "--no-deps", "--no-index", str(wheel)], check=True)
    # The run-time dependencies come from this test environment (no network
    # at test time); spearmint_lang itself only from the wheel.
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    dep_dirs = {str(Path(m.__file__).resolve().parent.parent) for m in (lark, attrs, jinja2, markupsafe)}
    assert str(Path(sysconfig.get_paths()["purelib"])) not in {purelib}
    (Path(purelib) / "_deps_for_test.pth").write_text("\n".join(sorted(dep_dirs)) + "\n")

    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(EXAMPLES / "grid-2d.mint", work / "grid.mint")
    clean_env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    where = subprocess.run(
        [str(py), "-c", "import spearmint_lang; print(spearmint_lang.__file__)"],
        cwd=work, check=True, capture_output=True, text=True, env=clean_env,
    ).stdout.strip()
    assert Path(where).resolve().is_relative_to(env_dir.resolve())
    out = subprocess.run(
        [str(bindir / "mintc"), "compile", "grid.mint"], cwd=work, capture_output=True, text=True, env=clean_env
    )
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == 6
    py_out = subprocess.run(
        [str(bindir / "mintc"), "compile", "grid.mint", "-o", "grid.py"], cwd=work, capture_output=True, text=True, env=clean_env
    )
    assert py_out.returncode == 0, py_out.stderr
    assert "configs: list[dict[str, Any]]" in (work / "grid.py").read_text()
    version = subprocess.run([str(bindir / "mintc"), "--version"], capture_output=True, text=True, env=clean_env)
    assert version.stdout.startswith("mintc ")
