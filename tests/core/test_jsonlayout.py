"""The readable-and-fast JSON layout used by the project file and the JSON exports."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck import jsonlayout
from factcheck.jsonlayout import compact, dumps_outline

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(_json, st.integers(min_value=0, max_value=4))
def test_any_value_reads_back_equal(value: object, levels: int) -> None:
    assert json.loads(dumps_outline(value, levels=levels)) == value


def test_outer_levels_indented_deeper_values_one_line_each() -> None:
    project = {
        "name": "Wahl “2026”",
        "annotations": [{"id": 1, "tags": ["a", "b"]}, {"id": 2, "tags": []}],
        "links": [],
        "settings": {"match": {"threshold": 60}},
    }
    text = dumps_outline(project, levels=2)
    assert text.splitlines() == [
        "{",
        ' "name": "Wahl “2026”",',
        ' "annotations": [',
        '  {"id":1,"tags":["a","b"]},',
        '  {"id":2,"tags":[]}',
        " ],",
        ' "links": [],',
        ' "settings": {',
        '  "match": {"threshold":60}',
        " }",
        "}",
    ]
    assert text.endswith("}\n")


def test_levels_zero_is_one_line() -> None:
    assert dumps_outline({"a": [1, {"b": 2}]}, levels=0) == '{"a":[1,{"b":2}]}\n'


def test_text_is_escaped_as_json_requires() -> None:
    value = {"note": 'say "hi"\n\t</script>\x00'}
    text = dumps_outline(value, levels=1)
    assert "\n\t" not in text and '\\"hi\\"' in text and "\\u0000" in text
    assert json.loads(text) == value


def test_non_string_keys_are_refused_not_written_wrongly() -> None:
    with pytest.raises(TypeError, match="keys must be strings"):
        dumps_outline({1: "x"}, levels=1)


_json_without_floats = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(_json_without_floats)
def test_both_encoders_write_the_same_text(value: object) -> None:
    if jsonlayout.orjson is None:
        pytest.skip("orjson is not installed here")
    assert compact(value) == jsonlayout._stdlib_compact(value)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False)))
def test_both_encoders_write_the_same_numbers(value: list[float]) -> None:
    # Exponents may be spelt differently (1e-7, 1e-07); the values are the same.
    assert json.loads(compact(value)) == json.loads(jsonlayout._stdlib_compact(value)) == value


@pytest.mark.parametrize("value", ["lone \ud800 surrogate", {"n": 2**70}])
def test_what_orjson_refuses_json_still_writes(value: object) -> None:
    assert json.loads(compact(value)) == value


def test_works_without_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonlayout, "orjson", None)
    value = {"note": "“quoted”\n", "n": [1, 2.5, None, True]}
    assert (
        dumps_outline(value, levels=1) == '{\n "note": "“quoted”\\n",\n "n": [1,2.5,null,true]\n}\n'
    )
