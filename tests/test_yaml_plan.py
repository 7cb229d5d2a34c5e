"""YAML through the fast plan (issue 16): the document is dumped once with
markers, each swept value once per slot, and every config is a few joins.
The output must be byte for byte what PyYAML writes config by config
(`yaml_document`), for any keys and values, and load back to the configs.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from spearmint_lang import DynamicValue, Sweep
from spearmint_lang.cli import main
from spearmint_lang.dynamic import Json
from spearmint_lang.expand import count
from spearmint_lang.output.emit import emit
from spearmint_lang.output.formats import yaml_document
from spearmint_lang.output.plan import Plan
from spearmint_lang.output.yamltext import yaml_value
from tests.conftest import DEADLINE, fuzz_examples
from tests.test_yaml import TRICKY, same, scalars, strings, values

MAX_CONFIGS = 60  # the size budget of each drawn sweep

long_strings = st.one_of(
    st.text("ab \n'\"#:-é", min_size=60, max_size=200),
    st.text(st.characters(codec="utf-8"), min_size=80, max_size=160),
    st.sampled_from(["a" * 200, "é" * 130, "1" * 200, "a\n" * 70, "x " * 90, "\x85" + "a" * 130]),
)
swept: st.SearchStrategy[Json] = st.one_of(values, long_strings, st.sampled_from(TRICKY), scalars,
                                           st.sampled_from(["1e3", "0o17", "yes", "", "null", "-", "a: b"]))
keys = st.one_of(strings, st.sampled_from(["model", "a" * 130, "x\ny", "- k", "? q", "config_id"]))


@st.composite
def templates(draw: Any, depth: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in draw(st.lists(keys, min_size=1 if depth == 0 else 0, max_size=4, unique=True)):
        kind = draw(st.sampled_from(["static", "axis", "axis", "obj"] if depth < 2 else ["static", "axis"]))
        if kind == "static":
            out[key] = draw(values)
        elif kind == "axis":
            out[key] = DynamicValue(draw(st.lists(swept, min_size=1, max_size=4)))
        else:
            out[key] = draw(templates(depth + 1))
    return out


def by_config(sweep: Sweep) -> str:
    """The reference: each config dumped on its own."""
    return "".join(yaml_document(c) for c in sweep)


@settings(max_examples=fuzz_examples(90), deadline=DEADLINE, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(templates(), st.data())
def test_planned_yaml_is_pyyamls_byte_for_byte(template: dict[str, Any], data: st.DataObject) -> None:
    assume(count(template) <= MAX_CONFIGS)
    sweep = Sweep([template])
    plan = Plan(sweep._spaces[0], "yaml")
    event(f"planned: {plan.ok}")
    configs = list(sweep)
    expected = by_config(sweep)
    text = "".join(emit("yaml", sweep, "x.mint", "0"))
    assert text == expected
    a = data.draw(st.integers(0, len(configs)))
    b = data.draw(st.integers(a, len(configs)))
    assert "".join(emit("yaml", sweep[a:b], "x.mint", "0")) == "".join(map(yaml_document, configs[a:b]))
    loaded = list(yaml.safe_load_all(text))
    assert same(loaded, configs)


@settings(max_examples=fuzz_examples(45), deadline=DEADLINE, database=None)
@given(st.lists(swept, min_size=1, max_size=5), st.lists(swept, min_size=1, max_size=3),
       st.sampled_from(["k", "a" * 130, "0o17", "é"]))
def test_values_in_nested_slots(outer: list[Json], inner: list[Json], key: str) -> None:
    """A slot at depth 0, 1 and 2, each with values of any type: always planned."""
    template = {"top": DynamicValue(outer), key: {"mid": DynamicValue(inner), "deep": {key: DynamicValue(outer)}},
                "after": [1, {"x": "y"}]}
    sweep = Sweep([template])
    assert Plan(sweep._spaces[0], "yaml").ok
    assert "".join(emit("yaml", sweep, "x.mint", "0")) == by_config(sweep)


def test_the_plan_writes_every_value_type() -> None:
    source = ('model: ["gpt-4o", "a: b", "1e3", "yes", "x\\ny", "é"]*\nt: 0.0..0.3 step 0.1\n'
              'opt: [{name: "adam", lr: [0.1, 1e-05]}, [], {}, [[1, 2], {a: null}], null, true]*\n'
              'llm: { stop: ["\\n\\n", "###"], params: { max_tokens: [1000, 2000]* } }\n')
    sweep = Sweep.from_text(source)
    assert Plan(sweep._spaces[0], "yaml").ok
    text = "".join(emit("yaml", sweep, "x.mint", "0"))
    assert text == by_config(sweep)
    assert text.startswith("---\nmodel: gpt-4o\nt: 0.0\nopt:\n  name: adam\n  lr:\n  - 0.1\n  - 1.0e-05\n")
    assert "\nmodel: 'a: b'\n" in text and "\nmodel: '1e3'\n" in text and "\nmodel: 'x\n\n  y'\n" in text


@pytest.mark.parametrize("digest", ["1234e56789012345", "0123456789012345", "0000000000000e00",
                                    "1234567890123456", "0b01101001101010", "0b0101010101010e", "deadbeefdeadbeef"])
def test_config_ids_are_written_as_the_dumper_writes_them(digest: str) -> None:
    assert "---\nconfig_id:" + yaml_value(digest) + "\n" == yaml_document({"config_id": digest})


def test_random_config_ids_are_written_as_the_dumper_writes_them() -> None:
    rng = random.Random(16)
    alphabets = ["0123456789abcdef", "0123456789", "0123456789be", "01be"]
    for i in range(3000):
        digest = "".join(rng.choice(alphabets[i % 4]) for _ in range(16))
        assert "---\nconfig_id:" + yaml_value(digest) + "\n" == yaml_document({"config_id": digest}), digest


def test_split_files_are_the_documents(tmp_path: Path) -> None:
    source = tmp_path / "s.mint"
    source.write_text('m: ["a", "1e3", "x\\ny"]*\nn: 0..<4\nd: {k: [[1], {z: "é"}]*}\n', encoding="utf-8")
    assert main(["compile", str(source), "--split", str(tmp_path / "out")]) == 0
    files = sorted((tmp_path / "out").iterdir())
    configs = list(Sweep(source))
    assert [f.name for f in files] == [f"{i:02d}-{c['config_id']}.yaml" for i, c in enumerate(configs)]
    assert [f.read_bytes().decode("utf-8") for f in files] == [yaml_document(c) for c in configs]
    assert main(["compile", str(source), "--split", str(tmp_path / "part"), "--range", "5:9"]) == 0
    part = sorted((tmp_path / "part").iterdir())
    assert [f.name for f in part] == [f"{i:02d}-{configs[i]['config_id']}.yaml" for i in range(5, 9)]
    assert [f.read_text(encoding="utf-8") for f in part] == [yaml_document(c) for c in configs[5:9]]


def test_a_large_axis_of_numbers_is_planned_and_strings_are_not() -> None:
    numbers = Sweep.from_text("n: 0..<100000\nm: [\"a\", \"b\"]*\n")
    assert Plan(numbers._spaces[0], "yaml").ok
    part = numbers[99_990:100_010]
    assert "".join(emit("yaml", part, "x.mint", "0")) == "".join(map(yaml_document, part))
    many = [f"s{i}" for i in range(70_000)]
    assert not Plan(Sweep([{"s": DynamicValue(many), "t": 1}])._spaces[0], "yaml").ok


def test_split_files_written_again_and_as_json(tmp_path: Path) -> None:
    """A second run over the same folder replaces each file (keeping the
    mode a user gave it); JSON files are `json_file`'s; no temporary file stays."""
    import os
    import stat

    from spearmint_lang.output.formats import json_file

    source = tmp_path / "s.mint"
    source.write_text('m: ["a", "1e3"]*\nd: {k: [[1], {z: "é"}]*}\n', encoding="utf-8")
    configs = list(Sweep(source))
    umask = os.umask(0)
    os.umask(umask)
    for fmt, write in (("yaml", yaml_document), ("json", json_file)):
        folder = tmp_path / fmt
        assert main(["compile", str(source), "--split", str(folder), "--format", fmt]) == 0
        first = sorted(folder.iterdir())
        assert [stat.S_IMODE(f.stat().st_mode) for f in first] == [0o666 & ~umask] * 4
        first[0].chmod(0o600)
        assert main(["compile", str(source), "--split", str(folder), "--format", fmt]) == 0
        files = sorted(os.listdir(folder))
        assert files == [f"{i}-{c['config_id']}.{fmt}" for i, c in enumerate(configs)]
        assert [(folder / f).read_text(encoding="utf-8") for f in files] == [write(c) for c in configs]
        assert stat.S_IMODE(first[0].stat().st_mode) == 0o600
