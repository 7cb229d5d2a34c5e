"""The architecture holds (docs/architecture.md): the run-time modules never
import the front end (except `Sweep(path)`, which compiles a file), nothing
imports the command line or the language server, and no module imports
itself through others. Imports are read from the sources, function-level
ones included; those under `if TYPE_CHECKING:` (annotations only, never
run) are not imports at run time and are left out."""

from __future__ import annotations

import ast
import pickle
import subprocess
import sys
from pathlib import Path

from spearmint_lang import Sweep
from tests.conftest import ROOT

PACKAGE = ROOT / "spearmint_lang"

RUNTIME = {
    "spearmint_lang.dynamic", "spearmint_lang.ranges", "spearmint_lang.predicate", "spearmint_lang.expand",
    "spearmint_lang.filters", "spearmint_lang.factoring", "spearmint_lang.tabulate", "spearmint_lang.sampling",
    "spearmint_lang.compute", "spearmint_lang.gcpause",
    "spearmint_lang.sweep", "spearmint_lang.output", "spearmint_lang.output.formats",
    "spearmint_lang.output.plan", "spearmint_lang.output.emit", "spearmint_lang.output.yamltext",
}
FRONT_END = {
    "spearmint_lang.source", "spearmint_lang.codes", "spearmint_lang.errors", "spearmint_lang.grammar", "spearmint_lang.brackets",
    "spearmint_lang.syntax_errors", "spearmint_lang.parser", "spearmint_lang.nodes", "spearmint_lang.builder",
    "spearmint_lang.loader", "spearmint_lang.lower", "spearmint_lang.where", "spearmint_lang.schema",
    "spearmint_lang.compiler", "spearmint_lang.fmt", "spearmint_lang.documents", "spearmint_lang.overrides",
    "spearmint_lang.compose", "spearmint_lang.derive", "spearmint_lang.descent",
}
# The one allowed way back: `Sweep(path)` and `Sweep.from_text` compile their source.
ALLOWED = {("spearmint_lang.sweep", "spearmint_lang.compiler")}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _resolve(importer: str, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The package modules an import statement loads (submodules named in a
    `from . import x` included)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.startswith("spearmint_lang")]
    if node.level:
        package = importer if MODULES[importer].name == "__init__.py" else importer.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    if not base.startswith("spearmint_lang"):
        return []
    submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES]
    # `from . import nodes` loads the submodule; the package is already loading.
    return submodules if len(submodules) == len(node.names) else [base, *submodules]


def _type_only(tree: ast.Module) -> set[int]:
    """The ids of the imports under `if TYPE_CHECKING:`: for annotations
    only, they never run, so they make no cycle (nor any other edge)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        test = node.test if isinstance(node, ast.If) else None
        if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING" or (
                isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"):
            assert isinstance(node, ast.If)
            found.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return found


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        targets: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = _type_only(tree)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in typing_only:
                targets.update(t for t in _resolve(name, node) if t in MODULES and t != name)
        graph[name] = targets
    return graph


GRAPH = _imports()


def test_the_graph_is_read() -> None:
    assert "spearmint_lang.compiler" in GRAPH["spearmint_lang.cli"]
    assert "spearmint_lang.lsp.server" in GRAPH["spearmint_lang.cli"]
    assert RUNTIME | FRONT_END <= set(MODULES)


def test_runtime_never_imports_the_front_end() -> None:
    wrong = sorted((a, b) for a in RUNTIME for b in GRAPH[a] if b in FRONT_END and (a, b) not in ALLOWED)
    assert not wrong


def test_nothing_imports_the_command_line_or_the_language_server() -> None:
    for name, targets in GRAPH.items():
        if name != "spearmint_lang.__main__":
            assert "spearmint_lang.cli" not in targets, name
        if not name.startswith("spearmint_lang.lsp") and name != "spearmint_lang.cli":
            assert not any(t.startswith("spearmint_lang.lsp") for t in targets), name


def test_only_the_integrations_import_the_integrations() -> None:
    """Hydra, Ray and spearmint-framework are optional: no other module
    loads an adapter (each imports its engine at its top)."""
    for name, targets in GRAPH.items():
        if not name.startswith("spearmint_lang.integrations"):
            assert not any(t.startswith("spearmint_lang.integrations") for t in targets), name
    assert "spearmint_lang.integrations.sweeps" in GRAPH["spearmint_lang.integrations.ray_tune"]


def test_only_the_command_line_imports_convert() -> None:
    """`mintc convert` is a tool of the command line: nothing else loads it
    (nor, through it, Hydra's parser or numpy)."""
    for name, targets in GRAPH.items():
        if not name.startswith("spearmint_lang.convert") and name != "spearmint_lang.cli":
            assert not any(t.startswith("spearmint_lang.convert") for t in targets), name


def test_no_import_cycles() -> None:
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(GRAPH[name]):
            if state.get(target) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(target):] + [target]))
            if target not in state:
                visit(target, path + [target])
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])


def test_a_pickled_sweep_runs_without_the_front_end(tmp_path: Path) -> None:
    """A worker that unpickles a `Sweep` (with a `where`) never loads the
    parser, Lark or the language server."""
    path = tmp_path / "s.mint"
    path.write_text('model: ["a", "b"]*\nt: 0..3\nwhere model == "a" and t > 1\n', encoding="utf-8")
    blob = tmp_path / "sweep.pickle"
    blob.write_bytes(pickle.dumps(Sweep(path)))
    script = (
        "import pickle, sys; sweep = pickle.load(open(sys.argv[1], 'rb')); print(len(list(sweep)));"
        "loaded = sorted(m for m in sys.modules if m.startswith(('spearmint_lang', 'lark', 'pygls')));"
        "print(' '.join(loaded))"
    )
    out = subprocess.run([sys.executable, "-c", script, str(blob)], cwd=ROOT, capture_output=True, text=True, check=True)
    count, loaded = out.stdout.splitlines()
    assert count == "2"
    assert set(loaded.split()) <= RUNTIME | {"spearmint_lang", "spearmint_lang.errors", "spearmint_lang.source",
                                            "spearmint_lang.codes"}
