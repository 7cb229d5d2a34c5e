"""YAML output loads back to exactly the configs (issue 10, section C).

Every config carries `config_id`, a hash of its JSON, so a YAML document
that a reader loads as anything but the config itself breaks the pairing
of config and id without a word. Each document is loaded back by PyYAML
(YAML 1.1) and by ruamel.yaml's safe loader (YAML 1.2), and must give the
config exactly: the same keys in the same order, the same values of the
same types (`1` stays an int, `1.0` a float, `"1e3"` a str, `-0.0` keeps
its sign).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError as RuamelYAMLError

from spearmint_lang.cli import main
from spearmint_lang.dynamic import Config, Json
from spearmint_lang.output.emit import emit
from spearmint_lang.output.formats import yaml_document
from tests.conftest import DEADLINE

# --- loading back -----------------------------------------------------------------------------


class Core12Loader(yaml.SafeLoader):
    """A third reader: PyYAML's parser with the tag resolution of the YAML 1.2
    core schema (spec 10.3.2), written from the spec rather than from either
    library, so that a plain scalar any 1.2 reader takes for a number, a bool
    or null is caught even where ruamel.yaml reads a string (`.5e3`)."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


for _tag, _pattern, _first in [
    ("null", r"(?:null|Null|NULL|~)?", ["~", "n", "N", ""]),
    ("bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", list("-+0123456789")),
    ("float", r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
     list("-+0123456789.")),
]:
    Core12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(f"(?:{_pattern})\\Z"), _first)


def load_pyyaml(text: str) -> list[Json]:
    return list(yaml.safe_load_all(text))


def load_ruamel(text: str) -> list[Json]:
    return list(YAML(typ="safe", pure=True).load_all(text))


def load_core12(text: str) -> list[Json]:
    return list(yaml.load_all(text, Loader=Core12Loader))


LOADERS = (load_pyyaml, load_ruamel, load_core12)


def same(a: Json, b: Json) -> bool:
    """`a == b`, with equal types all the way down, dict keys in the same
    order, and floats equal to the bit (so -0.0 is not 0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return (list(a) == list(b) and all(same(x, y) for x, y in zip(a, b))
                and all(same(a[k], b[k]) for k in a))
    return bool(a == b)


# Characters YAML 1.1 reads as line breaks besides \n and \r; YAML 1.2 reads
# them as ordinary characters. A raw one means different things to the two.
BREAKS_11 = "\x85\u2028\u2029"


def assert_loads_back(text: str, configs: list[Config]) -> None:
    assert not set(text) & set(BREAKS_11), text
    for loader in LOADERS:
        loaded = loader(text)
        assert same(loaded, list(configs)), (loader.__name__, text, loaded)


def loads_back(text: str, configs: list[Config]) -> bool:
    try:
        assert_loads_back(text, configs)
    except (AssertionError, yaml.YAMLError, RuamelYAMLError, ValueError):
        return False  # (a reader that refuses the text, as ruamel does duplicate keys, does not load it back)
    return True


def stream(configs: list[Config]) -> str:
    """What `mintc compile --format yaml` writes for these configs."""
    return "".join(emit("yaml", iter(configs), "x.mint", "0"))


def pyyaml_alone(config: Config) -> str:
    """What `yaml_document` wrote before issue 10: PyYAML's own choices."""
    return yaml.safe_dump(config, explicit_start=True, sort_keys=False, allow_unicode=True,
                          default_flow_style=False, width=10**9)


# --- the cases named in the issue ---------------------------------------------------------------

ISSUE = ["x\x85y", "1e3", "1e5", "0o17"]


@pytest.mark.parametrize("text", ISSUE)
def test_issue_case_as_value(text: str) -> None:
    config: Config = {"k": text}
    assert_loads_back(yaml_document(config), [config])
    assert_loads_back(stream([config, config]), [config, config])


@pytest.mark.parametrize("text", ISSUE)
def test_issue_case_as_key(text: str) -> None:
    config: Config = {text: 1, "k": [{text: text}]}
    assert_loads_back(yaml_document(config), [config])
    assert_loads_back(stream([config]), [config])


@pytest.mark.parametrize("char", list(BREAKS_11))
@pytest.mark.parametrize("where", ["x{}y", "{}", "x{}", "{}x", " {} ", "{}{}", "a\n{}b"])
def test_yaml_11_breaks_are_escaped(char: str, where: str) -> None:
    """U+0085, U+2028 and U+2029 never appear raw: written as `\\N`, `\\L`,
    `\\P` in a double-quoted scalar, every reader reads the character."""
    text = where.replace("{}", char)
    config: Config = {"k": text, text: text}
    assert_loads_back(yaml_document(config), [config])  # which checks that none is raw


@pytest.mark.parametrize("config_id", ["1234e56789012345", "0123456789012345", "0000000000000e00", "1234567890123456"])
def test_config_ids_that_look_like_numbers(config_id: str) -> None:
    """About one `config_id` (16 hex digits) in a thousand is digits around an
    `e` or digits with a leading 0: plain, a YAML 1.2 reader took it for a
    float (`1234e56789012345` is inf) or an int."""
    config: Config = {"model": "a", "config_id": config_id}
    assert_loads_back(yaml_document(config), [config])


def test_how_the_issue_cases_are_written() -> None:
    """Quoted like the strings PyYAML already quoted (`'yes'`); a YAML 1.1
    break is escaped. What loaded back already is written as before."""
    assert yaml_document({"k": "x\x85y", "1e3": "1e5", "0o17": ".5e3", "x\u2028": ["\u2029"]}) == (
        "---\n"
        'k: "x\\Ny"\n'
        "'1e3': '1e5'\n"
        "'0o17': '.5e3'\n"
        '? "x\\L"\n'  # a key with a (1.1) break is a complex key, as PyYAML writes "x\n"
        ': - "\\P"\n'
    )
    assert yaml_document({"model": "gpt-4", "lr": 0.001, "n": "yes", "e": "", "m": "a\nb"}) == (
        "---\nmodel: gpt-4\nlr: 0.001\nn: 'yes'\ne: ''\nm: 'a\n\n  b'\n"
    )


# --- strings and keys that a resolver could read as something else --------------------------------

TRICKY = [
    "", "1e3", "1e5", "1E3", "-1e3", "1e-3", "1e+3", ".5", "-.5", "+.5", ".5e3", "._", "-_", "+_", "0_",
    "1_000", "1__0", "0o17", "-0o17", "0o", "017", "08", "0x1F", "0X1F", "0b101", "0B101", "+1", "-1", "+0",
    "00", "1.", "1.0", "1.0e+300", "1:30", "1:30.5", "190:20:30", ".inf", "-.inf", ".Inf", ".nan", ".NaN",
    "inf", "nan", "Infinity", "null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "yes", "no", "on",
    "off", "y", "n", "Y", "N", "=", "<<", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5", "2001-12-14\t21:59:43.10", ":", "::", "- a", "-", "--", "---", "...", "#",
    "a #b", "a#b", "? x", "?", "a: b", "a:b", " lead", "trail ", "  ", "\t", "a\tb", "\r", "a\rb", "\r\n",
    "\n", "a\n", "\na", "a\n\nb", "a \nb", "a\n b", "\ufeff", "a\ufeff", "\x00", "\x07", "\x1b", "\x7f",
    "\x9f", "\xa0", "a\xa0", "\ud7ff", "\ue000", "\ufffd", "\ufffe", "\uffff", "\U0001f600", "\U0010ffff",
    "é", "'", '"', "\\", "'a'", '"a"', "&a", "*a", "!a", "!!str", "%a", "@a", "`a", "|", ">", "[a]", "{a}",
    "a, b", ",", "a" * 200, "é" * 130, "1" * 200, "\x85" + "a" * 130, "a\n" * 70,
]
FLOATS = [0.0, -0.0, 1.0, -1.0, 0.1, 1e16, 1e17, 1e22, 1e300, 1e-300, 1e+300, -1e300, 5e-324, -5e-324,
          2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, 1e-7, 123456789.125]
INTS = [0, 1, -1, 2**63 - 1, 2**63, 2**64, -(2**64) - 1, 10**40, -(10**100), 2**1000]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_string_as_value_and_key(text: str) -> None:
    config: Config = {"v": text, text: [text, {text: text}]}
    assert_loads_back(yaml_document(config), [config])


def test_every_tricky_key_in_one_config() -> None:
    config: Config = {text: i for i, text in enumerate(TRICKY)}
    assert_loads_back(stream([config, {"k": TRICKY}]), [config, {"k": TRICKY}])


def test_numbers_keep_their_types_and_values() -> None:
    config: Config = {"floats": list(FLOATS), "ints": list(INTS), "f": -0.0, "big": 2**200,
                      "t": True, "f2": False, "n": None, "e": [], "d": {}, "ee": [[], {}]}
    assert_loads_back(yaml_document(config), [config])


# --- properties ---------------------------------------------------------------------------------

# Characters that mean something to YAML somewhere, drawn often.
SPECIAL = " \t\r\n\x85\u2028\u2029\ufeff\xa0\x00\x1f:#-?,[]{}&*!|>'\"%@`~=<.+_0123456789eExobtnNul"
NUMBERISH = re.compile(r"[-+]?[0-9_.]{0,4}(?:[eE][-+]?[0-9]{1,3})?|[-+]?0[oxbOXB][0-9a-fA-F_]{1,4}")

strings = st.one_of(
    st.sampled_from(TRICKY),
    st.text(alphabet=SPECIAL, max_size=8),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=8),
    st.from_regex(NUMBERISH, fullmatch=True),
    st.floats(allow_nan=False).map(repr),
    st.integers().map(str),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**200), max_value=2**200),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(FLOATS),
    strings,
)
values: st.SearchStrategy[Json] = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(strings, inner, max_size=4)),
    max_leaves=12,
)
configs: st.SearchStrategy[Config] = st.dictionaries(strings, values, max_size=6)


def test_keys_that_yaml_12_reads_as_one_number_load_back() -> None:
    """`0E0` and `0o0` are both 0 to a YAML 1.2 reader: PyYAML's plain keys
    make ruamel refuse a duplicate key; ours are quoted (found by the property below)."""
    config = {"": {"0E0": None, "0o0": None}}
    assert_loads_back(yaml_document(config), [config])
    assert not loads_back(pyyaml_alone(config), [config])


@settings(max_examples=150, deadline=DEADLINE, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs)
def test_any_config_loads_back(config: Config) -> None:
    """Every config loads back exactly, and the output is PyYAML's own
    wherever that already loaded back exactly."""
    text = yaml_document(config)
    assert_loads_back(text, [config])
    before = pyyaml_alone(config)
    if text != before:
        assert not loads_back(before, [config])


@settings(max_examples=30, deadline=DEADLINE, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(configs, max_size=3))
def test_any_stream_loads_back(batch: list[Config]) -> None:
    text = stream(batch)
    assert text == "".join(yaml_document(c) for c in batch)
    assert all(doc.startswith("---") for doc in map(yaml_document, batch))
    assert_loads_back(text, batch)


@settings(max_examples=150, deadline=DEADLINE, database=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_finite_float_loads_back(x: float) -> None:
    assert math.isfinite(x)
    config: Config = {"x": x, "l": [x], "d": {"x": x}}
    assert_loads_back(yaml_document(config), [config])


@settings(max_examples=60, deadline=DEADLINE, database=None)
@given(st.integers(min_value=-(2**300), max_value=2**300))
def test_any_int_loads_back(n: int) -> None:
    config: Config = {"n": n, "s": str(n)}
    assert_loads_back(yaml_document(config), [config])


# --- --split ------------------------------------------------------------------------------------

SPLIT_SOURCE = r'''
"1e3": "1e5"
"0o17": ["0o17", "x\u0085y", "\u2028", "1e3"]*
"x\u0085y": {"-.5": ".5e3", "yes": "null", "": " lead", "trail ": "a: b"}
'''


def test_split_files_load_back(tmp_path: Path) -> None:
    source = tmp_path / "s.mint"
    source.write_text(SPLIT_SOURCE, encoding="utf-8")
    assert main(["compile", str(source), "-o", str(tmp_path / "all.jsonl")]) == 0

    lines = (tmp_path / "all.jsonl").read_bytes().decode("utf-8").split("\n")  # not splitlines: U+0085
    expected = [json.loads(line) for line in lines if line]
    assert [c["0o17"] for c in expected] == ["0o17", "x\x85y", "\u2028", "1e3"]
    assert main(["compile", str(source), "--split", str(tmp_path / "cfg")]) == 0
    files = sorted((tmp_path / "cfg").iterdir())
    assert [f.name.split("-", 1)[1] for f in files] == [f"{c['config_id']}.yaml" for c in expected]
    for path, config in zip(files, expected):
        text = path.read_bytes().decode("utf-8")  # bytes as written, no newline translation
        assert text.startswith("---")
        assert_loads_back(text, [config])
    assert main(["compile", str(source), "-o", str(tmp_path / "all.yaml")]) == 0
    assert_loads_back((tmp_path / "all.yaml").read_bytes().decode("utf-8"), expected)
