"""The strict JSON parser walks outer containers in Python and hands deeper values to the C parser (so a
worker parsing a big file lets the window's thread run): it must give what `json.loads` gives, refuse
NaN/Infinity and duplicate keys at any depth, and report invalid text at the same line and column."""

from __future__ import annotations

import json

import pytest
from backprop_studio.core.errors import FormatError
from backprop_studio.core.project.json_strict import parse_json
from hypothesis import given, settings
from hypothesis import strategies as st

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(documents, st.sampled_from([None, 1, 2]))
def test_any_document_parses_as_json_loads_does(document, indent):
    text = json.dumps(document, indent=indent)
    assert parse_json(text, "f.json") == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": [1, 2,, 3]}',
        '{"a": {"b": [[1, 2], [3 4]]}}',
        '{"a": {"b": {"c": {"d": [1, }}}}',
        '{"a" 1}',
        '{"a": 1,}',
        "[1, 2] x",
        "",
        '  {"data": {"x": [[0.5, 0.5],\n [0.5, 0.5\n]]',
    ],
)
def test_invalid_text_is_reported_where_json_loads_reports_it(text):
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(FormatError, match="invalid JSON at line") as found:
        parse_json(text, "f.json")
    error = expected.value
    assert f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}" in str(found.value)


@pytest.mark.parametrize("depth", [0, 1, 2, 3, 5])
def test_non_finite_numbers_and_duplicate_keys_are_refused_at_every_depth(depth):
    def nest(inner: str) -> str:
        for _ in range(depth):
            inner = f'{{"k": [{inner}]}}'
        return inner

    with pytest.raises(FormatError, match="NaN at line 1"):
        parse_json(nest("[1, NaN]"), "f.json")
    with pytest.raises(FormatError, match='duplicate key "a"'):
        parse_json(nest('{"a": 1, "a": 2}'), "f.json")
