"""The hooks of `.pre-commit-hooks.yaml`, run by pre-commit itself.

The hooks' repository is a throwaway git repository holding a copy of this
checkout (the files the package is built from, and the hooks file), so
uncommitted work is what gets tested. Each test makes a scratch repository
whose `.pre-commit-config.yaml` names it as docs/editor.md says, stages
`.mint` files and runs `pre-commit run`, as `git commit` does.

Nothing is downloaded. pre-commit builds the hooks' virtualenv once for the
module, in a PRE_COMMIT_HOME of its own, and pip-installs the copy into it
with no index: the build uses the hatchling of this environment, and the
run-time dependencies are found already installed, because PYTHONPATH is a
folder of links to the distributions that spearmint-lang and hatchling
require (and no others, so a dependency that pyproject.toml forgets fails
here as it would for users). Git runs without the user's configuration.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

# The files the wheel is built from (pyproject.toml's wheel target and its
# readme) and the hooks file.
BUILT_FROM = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "grammar", "spearmint_lang", "hydra_plugins")
DOC = ROOT / "docs" / "editor.md"
TIMEOUT = 300  # seconds for one pre-commit run (the first builds a virtualenv)


def requirement_closure(roots: list[str]) -> list[importlib.metadata.Distribution]:
    """The installed distributions `roots` need, themselves and everything they
    require (with the extras asked for), as pip would resolve them here."""
    found: dict[str, importlib.metadata.Distribution] = {}
    todo: list[tuple[str, frozenset[str]]] = [(root, frozenset()) for root in roots]
    done: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, extras = todo.pop()
        key = (canonicalize_name(name), extras)
        if key in done:
            continue
        done.add(key)
        dist = importlib.metadata.distribution(name)
        found[key[0]] = dist
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or any(req.marker.evaluate({"extra": extra}) for extra in extras | {""}):
                todo.append((req.name, frozenset(req.extras)))
    return list(found.values())


def link_distributions(dists: list[importlib.metadata.Distribution], folder: Path) -> None:
    """Fill `folder` with links to the top-level entries (packages, modules,
    .dist-info) of each distribution, so that a Python with `folder` on its
    path imports them and pip sees them installed."""
    folder.mkdir()
    for dist in dists:
        location = Path(str(dist.locate_file("")))
        for file in dist.files or []:
            top = file.parts[0]
            link = folder / top
            if top in ("..", "__pycache__") or top.endswith(".pth") or link.exists():
                continue
            link.symlink_to(location / top, target_is_directory=(location / top).is_dir())


def git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    """Run git in `cwd`; its standard output."""
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@attrs.frozen
class Hooks:
    """The hooks' repository at a commit, and the environment pre-commit runs in."""

    repo: Path
    rev: str
    env: dict[str, str]

    def scratch(self, folder: Path, args: dict[str, list[str]] | None = None) -> Path:
        """A new git repository in `folder` whose committed
        .pre-commit-config.yaml uses both hooks (with `args[hook id]` as its `args`)."""
        folder.mkdir()
        git(folder, "init", "-q", env=self.env)
        config = f"repos:\n  - repo: {self.repo}\n    rev: {self.rev}\n    hooks:\n"
        for hook in ("mint-check", "mint-fmt"):
            config += f"      - id: {hook}\n"
            if args and hook in args:
                config += f"        args: {json.dumps(args[hook])}\n"
        (folder / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
        git(folder, "add", ".pre-commit-config.yaml", env=self.env)
        git(folder, "commit", "-q", "-m", "pre-commit", env=self.env)
        return folder

    def run(self, repo: Path, *args: str) -> tuple[int, str]:
        """Run pre-commit in `repo` (`run` by default: the staged files, as a
        commit does); its exit code and output."""
        done = subprocess.run(
            [sys.executable, "-m", "pre_commit", *(args or ("run", "--color", "never"))],
            cwd=repo, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT,
        )
        return done.returncode, done.stdout


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Hooks:
    """The hooks' repository with pre-commit's environment for it installed."""
    base = tmp_path_factory.mktemp("precommit")
    deps = base / "deps"
    needed = [d for d in requirement_closure(["spearmint-lang", "hatchling"])
              if canonicalize_name(d.metadata["Name"]) != "spearmint-lang"]
    link_distributions(needed, deps)
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("GIT_", "PIP_", "VIRTUALENV_", "PRE_COMMIT", "PYTHON")) and k != "SKIP"}
    env = keep | {
        "PYTHONPATH": str(deps),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PRE_COMMIT_HOME": str(base / "cache"),
        # pip: no index, no configuration files, the build backend from PYTHONPATH
        # (pip reads PIP_NO_BUILD_ISOLATION=0 as --no-build-isolation: pypa/pip#5735).
        "PIP_NO_INDEX": "1",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_BUILD_ISOLATION": "0",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        # virtualenv: its seed wheels unpacked here, no update checks, pip alone.
        "VIRTUALENV_OVERRIDE_APP_DATA": str(base / "virtualenv"),
        "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
        "VIRTUALENV_NO_SETUPTOOLS": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.com",
    }
    repo = base / "hooks-repo"
    repo.mkdir()
    for name in BUILT_FROM:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, repo / name)
    git(repo, "init", "-q", env=env)
    git(repo, "add", "-A", env=env)
    git(repo, "commit", "-q", "-m", "the hooks", env=env)
    found = Hooks(repo, git(repo, "rev-parse", "HEAD", env=env).strip(), env)
    code, output = found.run(found.scratch(base / "install"), "install-hooks")
    assert code == 0, output
    return found


def test_the_docs_config_names_the_hooks() -> None:
    """docs/editor.md's .pre-commit-config.yaml uses each hook of the hooks file, in order."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [(h["id"], h["entry"], h["language"], h["files"]) for h in hooks] == [
        ("mint-check", "mintc check", "python", r"\.mint$"),
        ("mint-fmt", "mintc fmt", "python", r"\.mint$"),
    ]
    section = DOC.read_text(encoding="utf-8").split("\n## pre-commit\n")[1]
    config = yaml.safe_load(section.split("```yaml\n")[1].split("```")[0])
    assert [h["id"] for h in config["repos"][0]["hooks"]] == ["mint-check", "mint-fmt"]


def stage(repo: Path, files: dict[str, str], env: dict[str, str]) -> None:
    """Write `files` (path: text) in `repo` and stage them."""
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, "add", *files, env=env)


def test_clean_files_pass(hooks: Hooks, tmp_path: Path) -> None:
    repo = hooks.scratch(tmp_path / "repo")
    # Committed before: a base and a prompt library the staged file uses,
    # named relative to its own folder.
    stage(repo, {"lib/base.mint": 'lr: [0.1, 0.01]*\n', "sub/prompts.mint": 'let system = "Be brief."\n'}, hooks.env)
    git(repo, "commit", "-q", "-m", "bases", env=hooks.env)
    stage(repo, {
        "sub/exp.mint": 'extends "../lib/base.mint"\nimport "prompts.mint" as prompts\n\nsystem: prompts.system\n',
        "grid.mint": 'model: ["a", "b"]*\ntemperature: 0.0..1.0 step 0.5\n',
        # A warning alone does not fail (mintc check's default).
        "lr.mint": "lr: 1e-5..1e-1 step 10\n",
        "notes.txt": "not a sweep\n",
    }, hooks.env)
    code, output = hooks.run(repo)
    assert (code, output) == (0, (
        "mintc check..............................................................Passed\n"
        "mintc fmt................................................................Passed\n"
    ))



def test_an_error_fails_with_its_diagnostic(hooks: Hooks, tmp_path: Path) -> None:
    """The commit that docs/editor.md shows, with the output it shows."""
    repo = hooks.scratch(tmp_path / "repo")
    stage(repo, {"good.mint": 'model: ["a", "b"]*\n', "sweeps/bad.mint": "temperature: 0..1 step 0\n"}, hooks.env)
    code, output = hooks.run(repo)
    assert f'$ git commit -m "Sweep the temperature"\n{output}```' in DOC.read_text(encoding="utf-8")
    assert (code, output) == (1, (
        "mintc check..............................................................Failed\n"
        "- hook id: mint-check\n"
        "- exit code: 1\n"
        "\n"
        # mintc writes diagnostics on stderr, "ok" lines on stdout, in the
        # order of the files (stdout is flushed first); pre-commit shows both.
        "good.mint: ok, 2 configs\n"
        "sweeps/bad.mint:1:24: error[E030]: the step of a range cannot be 0\n"
        " 1 | temperature: 0..1 step 0\n"
        "   |                        ^\n"
        "  hint: use a positive step to count up or a negative one to count down\n"
        "1 error in 1 file\n"
        "\n"
        "mintc fmt................................................................Passed\n"
    ))


def test_fmt_rewrites_and_fails_then_passes(hooks: Hooks, tmp_path: Path) -> None:
    repo = hooks.scratch(tmp_path / "repo")
    stage(repo, {"sweep.mint": 'model:["a","b"]*,   seed: 1 # one\n'}, hooks.env)
    code, output = hooks.run(repo)
    assert (code, output) == (1, (
        "mintc check..............................................................Passed\n"
        "mintc fmt................................................................Failed\n"
        "- hook id: mint-fmt\n"
        "- files were modified by this hook\n"
        "\n"
        "reformatted sweep.mint\n"
        "\n"
    ))
    assert (repo / "sweep.mint").read_text(encoding="utf-8") == 'model: ["a", "b"]*\nseed: 1  # one\n'
    git(repo, "add", "sweep.mint", env=hooks.env)  # what the user does next
    assert hooks.run(repo) == (0, (
        "mintc check..............................................................Passed\n"
        "mintc fmt................................................................Passed\n"
    ))


def test_args_deny_warnings_and_fmt_check(hooks: Hooks, tmp_path: Path) -> None:
    repo = hooks.scratch(tmp_path / "repo", args={"mint-check": ["--deny-warnings"], "mint-fmt": ["--check"]})
    stage(repo, {"lr.mint": "lr:1e-5..1e-1 step 10\n"}, hooks.env)
    assert hooks.run(repo) == (1, (
        "mintc check..............................................................Failed\n"
        "- hook id: mint-check\n"
        "- exit code: 1\n"
        "\n"
        "lr.mint:1:20: warning[W001]: this range has one value, 1e-5: its step jumps past the end 1e-1\n"
        " 1 | lr:1e-5..1e-1 step 10\n"
        "   |                    ^^\n"
        "  hint: did you mean `step *10`? (a geometric range multiplies by its step)\n"
        "lr.mint: ok, 1 config, 1 warning\n"
        "\n"
        "mintc fmt................................................................Failed\n"
        "- hook id: mint-fmt\n"
        "- exit code: 1\n"
        "\n"
        "lr.mint: would reformat\n"
        "\n"
    ))
    assert (repo / "lr.mint").read_text(encoding="utf-8") == "lr:1e-5..1e-1 step 10\n"
