"""spearmint-framework's experiments reading `.mint` paths, against the real
package (spearmint_lang/integrations/spearmint.py; docs/integrations.md).

What a user notices: the configs spearmint runs — their values, their
`config_id`s, how many and in which order — are exactly what
`spearmint_lang.load(path)` (and `mintc compile`) gives, whichever route
(`use_mint`, `MintSpearmint`, `mint_configs`) and strategy; YAML paths still
work beside `.mint` ones; a broken `.mint` file reaches the user as mintc's
diagnostic; and every id mintc prints is the id spearmint's own `Config`
computes for the same values.

`import spearmint` imports mlflow (about 2-3 s): every test that needs
spearmint lives in this one module. spearmint traces each branch with mlflow
at run time, so mlflow is pointed at a file store in a temporary folder
(its default would create a sqlite `mlflow.db` in the working folder) and its
telemetry is off before it is imported: nothing touches the network.
"""

import io
import json
import os
import re
import runpy
import shutil
import sys
import traceback
import warnings
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spearmint_lang
from spearmint_lang import DynamicValue, MintError
from spearmint_lang.cli import main as mintc
from tests.conftest import DEADLINE, ROOT
from tests.mint_printer import print_mint

if TYPE_CHECKING:  # imported by `spearmint_imported` below, when the tests run
    from spearmint import Spearmint
    from spearmint.config import Config
    from spearmint.config import dynamic_value as spearmint_dynamic
    from spearmint.strategies import MultiBranchStrategy, RoundRobinStrategy
    from spearmint.utils.handlers import yaml_handler

    from spearmint_lang.integrations.spearmint import MintSpearmint, mint_configs, mint_handler, use_mint


@pytest.fixture(scope="module", autouse=True)
def spearmint_imported() -> None:
    """spearmint (and mlflow, seconds to import) is imported when this
    module's tests run, not when pytest collects the module: under xdist
    every worker collects every module, and one runs these. Telemetry is
    off before mlflow is imported."""
    global Spearmint, Config, spearmint_dynamic, MultiBranchStrategy, RoundRobinStrategy, yaml_handler
    global MintSpearmint, mint_configs, mint_handler, use_mint
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # (read when mlflow is imported)
    from spearmint import Spearmint
    from spearmint.config import Config
    from spearmint.config import dynamic_value as spearmint_dynamic
    from spearmint.strategies import MultiBranchStrategy, RoundRobinStrategy
    from spearmint.utils.handlers import yaml_handler

    from spearmint_lang.integrations.spearmint import MintSpearmint, mint_configs, mint_handler, use_mint

SWEEP = """\
model: ["gpt-4o", "gpt-4o-mini"]*
temperature: 0.0..1.0 step 0.5
prompt: { system: "Réponds en français 🙂", stop: ["\\n\\n", "ß"] }
---
model: "o1"
temperature: 1.0
prompt: { system: "Think.", stop: [] }
"""
YAML = "model: local\ntemperature: 0.2\n"


@pytest.fixture(scope="module", autouse=True)
def mlflow_in_tmp(spearmint_imported: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """mlflow writes its traces to a file store in a temporary folder."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_URI", tmp_path_factory.mktemp("mlruns").as_uri())
        yield


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A folder with `sweep.mint` (7 configs) and `base.yaml` (one config)."""
    (tmp_path / "sweep.mint").write_text(SWEEP, encoding="utf-8")
    (tmp_path / "base.yaml").write_text(YAML, encoding="utf-8")
    return tmp_path


def ran(branches: Any) -> list[dict[str, Any]]:
    """The configs a MultiBranchStrategy run gave its branches, in order,
    each checked to have run under its own id."""
    out = []
    for branch in branches.branches:
        assert branch.status == "success", branch.exception_info
        assert branch.output["config_id"] == branch.config_id
        out.append(branch.output)
    return out


def strict(configs: list[dict[str, Any]]) -> str:
    """Configs as JSON text: equal only with the same keys in the same order,
    the same values of the same types (0.0 is not 0, -0.0 is not 0.0)."""
    return json.dumps(configs, ensure_ascii=False)


def yaml_config(path: Path) -> dict[str, Any]:
    """The one config spearmint's own handler reads from a YAML file."""
    return Config(yaml_handler(path)[0]).root


# --------------------------------------------------------------------------
# Experiments: what spearmint runs
# --------------------------------------------------------------------------


def test_experiment_runs_every_config_of_a_mint_path_and_yaml_beside_it(files: Path) -> None:
    sp = use_mint(Spearmint(strategy=MultiBranchStrategy))

    @sp.experiment(configs=[str(files / "sweep.mint"), files / "base.yaml", files / "sweep.mint"])
    def run(config: Config) -> dict[str, Any]:
        return config.root

    sweep = spearmint_lang.load(files / "sweep.mint")
    assert len(sweep) == 7
    assert strict(ran(run())) == strict(sweep + [yaml_config(files / "base.yaml")] + sweep)


def test_default_strategy_runs_the_first_config(files: Path) -> None:
    sp = use_mint(Spearmint())

    @sp.experiment(configs=[files / "sweep.mint"])
    async def run(config: Config) -> dict[str, Any]:
        return config.root

    import asyncio

    assert strict([asyncio.run(run())]) == strict(spearmint_lang.load(files / "sweep.mint")[:1])


def test_constructor_takes_mint_and_yaml_paths(files: Path) -> None:
    sweep = spearmint_lang.load(files / "sweep.mint")
    sp = MintSpearmint(strategy=RoundRobinStrategy, configs=[files / "sweep.mint", str(files / "base.yaml")])
    assert strict([c.root for c in sp.configs]) == strict(sweep + [yaml_config(files / "base.yaml")])

    @sp.experiment()
    def run(config: Config) -> dict[str, Any]:
        return config.root

    assert strict([run() for _ in range(8)]) == strict(sp.configs and [c.root for c in sp.configs])

    # Its experiments read .mint paths too.
    (files / "other.mint").write_text('model: ["a", "b"]*\n', encoding="utf-8")

    @sp.experiment(configs=[files / "other.mint"], strategy=MultiBranchStrategy)
    def other(config: Config) -> dict[str, Any]:
        return config.root

    assert strict(ran(other())) == strict(spearmint_lang.load(files / "other.mint"))


def test_spearmints_own_constructor_cannot_read_paths(files: Path) -> None:
    """Why MintSpearmint exists: spearmint 0.2.1's constructor parses its
    configs before it sets its handler. (If a release fixes this, this test
    says so: keep MintSpearmint, and simplify the docs.)"""
    with pytest.raises(AttributeError, match="_config_handler"):
        Spearmint(configs=[str(files / "base.yaml")])


def test_mint_configs_uses_public_api_only(files: Path) -> None:
    plain = Spearmint(strategy=MultiBranchStrategy, configs=mint_configs([files / "sweep.mint"]))
    assert plain._config_handler is yaml_handler  # (nothing installed)
    sweep = spearmint_lang.load(files / "sweep.mint")
    assert strict([c.root for c in plain.configs]) == strict(sweep)

    overrides = ['model=["m1", "m2", "m3"]*', "+seed=7"]
    chosen = mint_configs([files / "sweep.mint", {"model": "inline"}], overrides=overrides)

    @plain.experiment(configs=chosen)
    def run(config: Config) -> dict[str, Any]:
        return config.root

    expected = spearmint_lang.load(files / "sweep.mint", overrides) + [Config({"model": "inline"}).root]
    assert len(expected) == 3 * 3 + 3 + 1  # (an override applies to every document)
    assert strict(ran(run())) == strict(expected)


def test_mint_routes_never_go_through_spearmints_dict_expansion(files: Path) -> None:
    """spearmint 0.2.1 expands a plain dict with `generate_configurations`,
    whose `_find_dynamic_values` keeps the keys of nested dicts in a mutable
    default argument, shifting every later DynamicValue of the process. The
    `.mint` routes hand spearmint `Config` objects, which it copies as they are."""
    before = list(spearmint_dynamic._find_dynamic_values.__defaults__[0])  # type: ignore[index]
    sp = MintSpearmint(strategy=MultiBranchStrategy, configs=[files / "sweep.mint"])

    @sp.experiment(configs=mint_configs([files / "sweep.mint"]))
    def run(config: Config) -> dict[str, Any]:
        return config.root

    assert len(ran(run())) == 7
    assert spearmint_dynamic._find_dynamic_values.__defaults__[0] == before  # type: ignore[index]


# --------------------------------------------------------------------------
# The handler
# --------------------------------------------------------------------------


def test_handler_is_installed_over_spearmints_hook() -> None:
    """use_mint relies on spearmint's private `_config_handler`: if a release
    renames it, this fails (and use_mint raises TypeError, tested below)."""
    sp = Spearmint()
    assert sp._config_handler is yaml_handler
    assert use_mint(sp) is sp and sp._config_handler is mint_handler
    assert use_mint(sp)._config_handler is mint_handler  # (twice is once)


def test_use_mint_keeps_a_custom_handler_for_other_paths(files: Path) -> None:
    sp = Spearmint()
    sp._config_handler = lambda path: [{"read": str(path)}]
    use_mint(sp)
    assert [c.root for c in sp._parse_configs([files / "x.json"])] == [Config({"read": str(files / "x.json")}).root]
    assert len(sp._parse_configs([files / "sweep.mint"])) == 7


def test_use_mint_refuses_a_release_without_the_hook() -> None:
    class Other:
        pass

    with pytest.raises(TypeError, match=r"configs=mint_configs\(\[\"sweep.mint\"\]\)"):
        use_mint(Other())  # type: ignore[arg-type]


def test_a_broken_mint_file_gives_mintcs_diagnostic(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = files / "bad.mint"
    bad.write_text('model: ["a", "b"]*\ntemperature: 0..1 step 0\n', encoding="utf-8")
    assert mintc(["check", str(bad)]) == 1
    printed = capsys.readouterr().err
    sp = use_mint(Spearmint())
    with pytest.raises(MintError) as caught:
        sp.experiment(configs=[bad])
    err = caught.value
    assert str(err) == f"{bad}:2:24: error[E030]: the step of a range cannot be 0"
    # The traceback stops in the handler: none of the compiler's frames.
    frames = traceback.extract_tb(err.__traceback__)
    assert frames[-1].name == "load_configs"
    assert not any("spearmint_lang/compiler" in f.filename.replace(os.sep, "/") for f in frames)
    if sys.version_info >= (3, 11):  # (a note completes it to what mintc prints)
        shown = "".join(traceback.format_exception(err))
        assert shown.endswith(f"MintError: {err.render()}\n") and shown.count(str(err)) == 1
        assert printed == f"{err.render()}\n1 error in 1 file\n" and "^" in printed and "hint:" in printed


def test_a_missing_mint_file_is_one_line(files: Path) -> None:
    with pytest.raises(MintError) as caught:
        mint_configs([files / "nope.mint"])
    assert str(caught.value) == f"{files / 'nope.mint'}:1:1: error[E000]: cannot read file: No such file or directory"
    with pytest.raises(FileNotFoundError, match="Configuration path does not exist"):
        mint_handler(files / "nope.yaml")  # (spearmint's own message)
    with pytest.raises(TypeError, match=re.escape(f"configs=[{str(files / 'sweep.mint')!r}]")):
        mint_configs(str(files / "sweep.mint"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=re.escape("`configs` must be a list, write configs=[\"sweep.mint\"]")):
        use_mint(Spearmint()).experiment(configs="sweep.mint")  # type: ignore[arg-type]  # (spearmint iterates it)


def test_a_split_folder_is_read_by_spearmint_in_sweep_order(files: Path) -> None:
    """`mintc compile --split DIR` writes one YAML file per config, named so
    that spearmint's folder reader gives them in sweep order with their ids."""
    folder = files / "split"
    assert mintc(["compile", str(files / "sweep.mint"), "--split", str(folder)]) == 0
    sweep = spearmint_lang.load(files / "sweep.mint")
    assert strict(mint_handler(folder)) == strict(sweep)
    assert strict([c.root for c in Spearmint()._parse_configs([folder])]) == strict(sweep)


def test_mint_files_in_a_folder_are_not_read(files: Path) -> None:
    only_mint = files / "sweeps"
    only_mint.mkdir()
    shutil.copy(files / "sweep.mint", only_mint / "a.mint")
    with pytest.raises(ValueError, match=re.escape(f"configs=[{str(only_mint / 'a.mint')!r}]")):
        mint_handler(only_mint)
    shutil.copy(files / "base.yaml", only_mint / "base.yaml")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert mint_handler(only_mint) == [{"model": "local", "temperature": 0.2}]
    assert [str(w.message) for w in caught] == [
        f"{only_mint}: its 1 .mint file(s) are not read (a folder gives only its YAML files as configs); "
        f"name each sweep to run in `configs`, e.g. configs=[{str(only_mint / 'a.mint')!r}]"]


# --------------------------------------------------------------------------
# Ids: mintc's are spearmint's
# --------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8"), max_size=8)
KEYS = st.one_of(st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,6}", fullmatch=True), TEXT).filter(lambda k: k != "config_id")
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), TEXT,
    st.sampled_from([0.0, -0.0, 0.1, 1e16, 1e-7, 5e-324, 1.7976931348623157e308, 10**30, "é", "中🙂", "\u2028"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
                      max_leaves=6)
SWEPT = st.lists(VALUES, min_size=1, max_size=3).map(DynamicValue)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A document: nested dicts of JSON values, some values swept (<= 27 configs)."""
    nested = st.dictionaries(KEYS, st.one_of(VALUES, SWEPT), min_size=1, max_size=3)
    doc = draw(st.dictionaries(KEYS, st.one_of(VALUES, nested), min_size=1, max_size=4))
    for key in draw(st.lists(st.sampled_from(sorted(doc)), max_size=2, unique=True)):
        doc[key] = draw(SWEPT)
    return doc


@settings(max_examples=100, deadline=DEADLINE, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                     HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_mintc_ids_are_spearmints_ids(doc: dict[str, Any], tmp_path: Path) -> None:
    """For every config `mintc compile` prints, spearmint's own `Config` of
    its values (without the id) computes the id mintc printed; the handler
    gives spearmint those same configs."""
    path = tmp_path / "gen.mint"
    path.write_text(print_mint([doc]), encoding="utf-8")
    out = tmp_path / "gen.jsonl"
    assert mintc(["compile", str(path), "--format", "jsonl", "-o", str(out)]) == 0
    printed = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    assert printed
    for config in printed:
        values = {k: v for k, v in config.items() if k != "config_id"}
        assert Config(values)["config_id"] == config["config_id"]
    assert strict([Config(c).root for c in mint_handler(path)]) == strict(printed)


# --------------------------------------------------------------------------
# The example and the docs
# --------------------------------------------------------------------------


def test_example_runs_every_config(monkeypatch: pytest.MonkeyPatch) -> None:
    example = ROOT / "examples" / "spearmint"
    monkeypatch.chdir(example)
    shown = io.StringIO()
    with redirect_stdout(shown):
        runpy.run_path(str(example / "run.py"), run_name="__main__")
    lines = [line for line in shown.getvalue().splitlines() if not line.startswith("Starting branch")]
    assert lines == [f"{c['config_id']} success {c['model']} at temperature {c['temperature']}: What is 2 + 2?"
                     for c in spearmint_lang.load(example / "sweep.mint")]
    assert len(lines) == 5


def section_blocks() -> list[tuple[str, str]]:
    """The (language, text) code blocks of the spearmint section of docs/integrations.md."""
    text = (ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
    section = text.split("<!-- section: spearmint -->")[1].split("<!-- section: ")[0]
    return re.findall(r"```(\w+)\n(.*?)```", section, re.S)


def test_docs_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The section's `.mint` block is sweep.mint and its YAML block base.yaml;
    its Python blocks run in order in one namespace, in that folder, each
    printing exactly the `text` block that follows it."""
    monkeypatch.chdir(tmp_path)
    blocks = section_blocks()
    [mint] = [text for lang, text in blocks if lang == "mint"]
    [yaml] = [text for lang, text in blocks if lang == "yaml"]
    (tmp_path / "sweep.mint").write_text(mint, encoding="utf-8")
    (tmp_path / "base.yaml").write_text(yaml, encoding="utf-8")
    namespace: dict[str, Any] = {"__name__": "docs"}
    ran_blocks = 0
    for (lang, code), (next_lang, shown) in zip(blocks, blocks[1:] + [("", "")]):
        if lang != "python":
            continue
        printed = io.StringIO()
        with redirect_stdout(printed):
            exec(compile(code, "docs/integrations.md", "exec"), namespace)
        lines = [line for line in printed.getvalue().splitlines() if not line.startswith("Starting branch")]
        assert next_lang == "text" and lines == shown.splitlines()
        ran_blocks += 1
    assert ran_blocks == 3
    first = spearmint_lang.load(tmp_path / "sweep.mint")
    assert [line.split()[0] for line in blocks[2][1].splitlines()] == [c["config_id"] for c in first]
