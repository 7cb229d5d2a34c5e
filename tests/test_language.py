"""One test per rule of the language contract (design sections 1-4)."""

from __future__ import annotations

import hashlib
import json

import pytest

from spearmint_lang import MintError, loads
from tests.conftest import strip_ids


def values(text: str) -> list[dict]:
    return strip_ids(loads(text))


def error(text: str) -> MintError:
    with pytest.raises(MintError) as info:
        loads(text, path="t.mint")
    return info.value


# --- 1. Files and documents ----------------------------------------------------

def test_static_document_gives_one_config() -> None:
    assert values('model: "gpt-4"\ntemperature: 0.7\n') == [{"model": "gpt-4", "temperature": 0.7}]


def test_bom_is_allowed() -> None:
    assert values('\ufeffa: 1\n') == [{"a": 1}]


def test_crlf_line_endings() -> None:
    assert values('a: 1\r\nb: [1, 2]*\r\n---\r\nc: 3\r\n') == [{"a": 1, "b": 1}, {"a": 1, "b": 2}, {"c": 3}]


def test_comments_run_to_end_of_line() -> None:
    text = '# header\na: 1 # trailing\n# between\nb: "# not a comment"\n'
    assert values(text) == [{"a": 1, "b": "# not a comment"}]


def test_documents_expand_in_order_and_concatenate() -> None:
    text = 'a: [1, 2]*\n---\nb: "x"\n---\nc: [3, 4]*\n'
    assert values(text) == [{"a": 1}, {"a": 2}, {"b": "x"}, {"c": 3}, {"c": 4}]


def test_document_separator_must_be_alone_on_its_line() -> None:
    err = error("a: 1 ---\nb: 2\n")
    assert (err.line, err.column) == (1, 6)


def test_separator_with_trailing_spaces() -> None:
    assert values("a: 1\n---   \nb: 2\n") == [{"a": 1}, {"b": 2}]


def test_empty_documents_are_skipped() -> None:
    assert values("---\na: 1\n---\n# only a comment\n---\n") == [{"a": 1}]
    assert loads("") == []
    assert loads("# nothing\n") == []


def test_entries_separated_by_commas() -> None:
    assert values("a: 1, b: 2, c: 3") == [{"a": 1, "b": 2, "c": 3}]


def test_trailing_commas_in_objects_and_lists() -> None:
    assert values("a: {x: 1, y: 2,}, b: [1, 2,],\n") == [{"a": {"x": 1, "y": 2}, "b": [1, 2]}]


def test_blank_lines_anywhere() -> None:
    text = "\n\na: {\n\n  x: 1\n\n}\n\nb: [\n\n 1,\n\n 2\n\n]\n\n"
    assert values(text) == [{"a": {"x": 1}, "b": [1, 2]}]


def test_newlines_separate_list_items() -> None:
    assert values("a: [\n  1\n  2\n]") == [{"a": [1, 2]}]


def test_identifier_keys() -> None:
    assert values("_a: 1\nb-c_2: 2\nA9: 3") == [{"_a": 1, "b-c_2": 2, "A9": 3}]


def test_quoted_keys() -> None:
    assert values('"max-tokens": 5\n"with space": 1\n"é\\n": 2') == [{"max-tokens": 5, "with space": 1, "é\n": 2}]


def test_keyword_words_are_valid_keys() -> None:
    assert values("step: 1\ntrue: 2\nnull: 3") == [{"step": 1, "true": 2, "null": 3}]


def test_duplicate_key_names_both_places() -> None:
    err = error("a: 1\nb: 2\na: 3\n")
    assert err.code == "E020"
    assert (err.line, err.column) == (3, 1)
    diag = err.diagnostics[0]
    assert [(r.span.line, r.span.column) for r in diag.related] == [(1, 1)]
    assert "t.mint:1:1: note: `a` is first defined here" in err.render()


def test_duplicate_quoted_and_bare_key() -> None:
    err = error('a: {x: 1, "x": 2}')
    assert (err.code, err.line, err.column) == ("E020", 1, 11)


def test_same_key_in_different_objects_is_fine() -> None:
    assert values("a: {x: 1}\nb: {x: 2}") == [{"a": {"x": 1}, "b": {"x": 2}}]


# --- 2. Values --------------------------------------------------------------------

def test_string_escapes() -> None:
    text = r'a: "q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00"'
    assert values(text) == [{"a": 'q" b\\ s/ \b\f\n\r\t é 😀'}]


def test_long_string_is_verbatim_and_spans_lines() -> None:
    text = 'p: """Say "hi".\n  Keep \\n as typed."""\n'
    assert values(text) == [{"p": 'Say "hi".\n  Keep \\n as typed.'}]


def test_long_string_with_crlf_gives_lf() -> None:
    assert values('p: """a\r\nb"""\r\n') == [{"p": "a\nb"}]


def test_integers_and_floats() -> None:
    out = values("a: 42\nb: -7\nc: 3.14\nd: 1e-5\ne: -3.5e-3\nf: 2E3\ng: 0\nh: -0.0")
    assert out == [{"a": 42, "b": -7, "c": 3.14, "d": 1e-5, "e": -3.5e-3, "f": 2000.0, "g": 0, "h": -0.0}]
    types = {k: type(v) for k, v in out[0].items()}
    assert types == {"a": int, "b": int, "c": float, "d": float, "e": float, "f": float, "g": int, "h": float}


def test_arbitrary_size_int() -> None:
    assert values("a: 123456789012345678901234567890") == [{"a": 123456789012345678901234567890}]


def test_constants() -> None:
    assert values("a: true\nb: false\nc: null") == [{"a": True, "b": False, "c": None}]


def test_nested_lists_and_objects() -> None:
    text = 'a: [1, "two", [3.0]]\nb: { model: "a", params: { top_p: 1.0 } }'
    assert values(text) == [{"a": [1, "two", [3.0]], "b": {"model": "a", "params": {"top_p": 1.0}}}]


def test_bad_escape_is_located() -> None:
    err = error('a: "ok \\q"')
    assert (err.code, err.line, err.column) == ("E010", 1, 8)


def test_leading_zero_is_malformed() -> None:
    assert error("a: 007").code == "E012"


def test_float_overflow_is_an_error() -> None:
    assert error("a: 1e400").code == "E013"


# --- 3. Sweeps ---------------------------------------------------------------------

def test_list_sweep() -> None:
    assert values('model: ["gpt-4", "gpt-4o-mini"]*') == [{"model": "gpt-4"}, {"model": "gpt-4o-mini"}]


def test_list_without_star_is_static() -> None:
    assert values('model: ["gpt-4", "gpt-4o-mini"]') == [{"model": ["gpt-4", "gpt-4o-mini"]}]


def test_sweep_of_lists_and_objects() -> None:
    assert values("a: [[1, 2], {x: 1}, null]*") == [{"a": [1, 2]}, {"a": {"x": 1}}, {"a": None}]


@pytest.mark.parametrize(
    ("rng", "expected"),
    [
        ("0..3", [0, 1, 2, 3]),
        ("0..100 step 25", [0, 25, 50, 75, 100]),
        ("0..10 step 3", [0, 3, 6, 9]),
        ("10..0 step -5", [10, 5, 0]),
        ("-5..-1", [-5, -4, -3, -2, -1]),
        ("5..5", [5]),
        ("0..1 step 0.25", [0.0, 0.25, 0.5, 0.75, 1.0]),
        ("1e-5..3e-5 step 1e-5", [1e-05, 2e-05, 3e-05]),
        ("0.0..1.0 step 0.5", [0.0, 0.5, 1.0]),
        ("1.0..0.0 step -0.25", [1.0, 0.75, 0.5, 0.25, 0.0]),
        ("0..1 step 0.3", [0.0, 0.3, 0.6, 0.9]),
    ],
)
def test_range_values(rng: str, expected: list) -> None:
    out = [c["x"] for c in values(f"x: {rng}")]
    assert out == expected
    assert [type(v) for v in out] == [type(v) for v in expected]


def test_int_range_values_are_ints() -> None:
    out = [c["x"] for c in values("x: 0..4 step 2")]
    assert all(type(v) is int for v in out)


def test_float_anywhere_makes_every_value_float() -> None:
    out = [c["x"] for c in values("x: 0..4 step 2.0")]
    assert out == [0.0, 2.0, 4.0] and all(type(v) is float for v in out)


def test_decimal_range_is_exact() -> None:
    out = [c["t"] for c in values("t: 0.0..2.0 step 0.1")]
    assert len(out) == 21
    assert out[3] == 0.3 and repr(out[3]) == "0.3"
    assert out == [float(f"{i / 10:.1f}") for i in range(21)]


def test_sweeps_at_any_depth() -> None:
    text = "a: {b: {c: [1, 2]*}}\nd: [3, 4]*"
    assert values(text) == [
        {"a": {"b": {"c": 1}}, "d": 3},
        {"a": {"b": {"c": 1}}, "d": 4},
        {"a": {"b": {"c": 2}}, "d": 3},
        {"a": {"b": {"c": 2}}, "d": 4},
    ]


@pytest.mark.parametrize(
    ("text", "code", "col"),
    [
        ("x: []*", "E022", 4),
        ("x: 0..10 step 0", "E030", 15),
        ("x: 0..10 step -1", "E031", 15),
        ("x: 10..0", "E031", 4),
        ("x: 0.0..1.0", "E032", 4),
        ("x: 0..1.5", "E032", 4),
        ("x: 5*", "E021", 5),
        ('x: "a"*', "E021", 7),
        ("x: [[1, [2, 3]*]]*", "E023", 9),
    ],
)
def test_empty_or_endless_sweeps_are_errors(text: str, code: str, col: int) -> None:
    err = error(text)
    assert (err.code, err.line, err.column) == (code, 1, col)


# --- 4. Expansion and identity -----------------------------------------------------

def test_product_order_last_sweep_fastest() -> None:
    out = values("a: [1, 2]*\nb: [\"x\", \"y\"]*\nc: [true, false]*")
    assert [(c["a"], c["b"], c["c"]) for c in out] == [
        (1, "x", True), (1, "x", False), (1, "y", True), (1, "y", False),
        (2, "x", True), (2, "x", False), (2, "y", True), (2, "y", False),
    ]


def test_depth_first_source_order_of_sweeps() -> None:
    # `b` is nested but comes first in source order, so it varies slowest.
    out = values("o: {b: [1, 2]*}\na: [3, 4]*")
    assert [(c["o"]["b"], c["a"]) for c in out] == [(1, 3), (1, 4), (2, 3), (2, 4)]


def test_keys_keep_source_order() -> None:
    out = loads("z: 1\na: [1, 2]*\nm: {y: 1, b: 2}")
    assert [list(c) for c in out] == [["z", "a", "m", "config_id"]] * 2
    assert list(out[0]["m"]) == ["y", "b"]


def test_config_id_is_spearmints() -> None:
    out = loads('model: "gpt-4"\ntemperature: [0.0, 0.5]*')
    for c in out:
        body = {k: v for k, v in c.items() if k != "config_id"}
        digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]
        assert c["config_id"] == digest
        assert list(c)[-1] == "config_id"
    # Independently: printf %s '{"model": "gpt-4", "temperature": 0.0}' | sha256sum
    assert out[0]["config_id"] == "56c962046c9556da"


def test_config_id_covers_non_ascii_exactly() -> None:
    out = loads('p: "héllo 😀"')
    digest = hashlib.sha256(json.dumps({"p": "héllo 😀"}, sort_keys=True).encode()).hexdigest()[:16]
    assert out[0]["config_id"] == digest


def test_explicit_config_id_is_kept() -> None:
    out = loads('config_id: "baseline"\nmodel: "gpt-4"')
    assert out == [{"config_id": "baseline", "model": "gpt-4"}]


def test_swept_config_id_is_kept() -> None:
    out = loads('config_id: ["a", "b"]*\nx: 1')
    assert out == [{"config_id": "a", "x": 1}, {"config_id": "b", "x": 1}]


def test_nested_config_id_does_not_count() -> None:
    out = loads('meta: {config_id: "inner"}')
    assert list(out[0]) == ["meta", "config_id"]
    assert out[0]["config_id"] != "inner"
