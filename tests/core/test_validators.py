"""The JSON validation toolkit: each parser accepts what it promises and names the first problem by path."""

import math

import pytest
from backprop_studio.core.validators import (
    REQUIRED,
    Invalid,
    JsonObject,
    choice,
    describe,
    finite,
    integer,
    join,
    matrix,
    names,
    number,
    numbers,
    optional,
    range_text,
)


def problem(parse, value, path="a.b"):
    with pytest.raises(Invalid) as caught:
        parse(value, path)
    return caught.value.path, caught.value.message


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "null"),
        (True, "true"),
        (3, "3"),
        (2**70, "a very large integer"),
        (0.5, "0.5"),
        ("é", '"é"'),
        ("x" * 50, '"' + "x" * 35 + '…"'),
        ([1], "a list"),
        ({}, "an object"),
        ((1,), "a Python tuple"),
    ],
)
def test_values_are_described_as_json_spells_them(value, shown):
    assert describe(value) == shown


def test_paths_join_with_dots_except_at_the_top():
    assert join("", "network") == "network"
    assert join("network", "layers") == "network.layers"


def test_an_unknown_key_is_named_with_the_closest_allowed_one():
    with pytest.raises(Invalid) as caught:
        JsonObject({"unitz": 3}, "network.layers[0]", ("units", "activation"))
    assert caught.value.path == "network.layers[0].unitz"
    assert (
        caught.value.message
        == 'unknown key "unitz" (did you mean "units"?); expected one of units, activation'
    )


def test_a_missing_required_key_and_a_default():
    section = JsonObject({"a": 1}, "top", ("a", "b"))
    assert section.read("b", integer(0), 7) == 7
    with pytest.raises(Invalid, match="required key is missing") as caught:
        section.read("b", integer(0), REQUIRED)
    assert caught.value.path == "top.b"
    assert section.section("b", lambda value, path: (value, path)) == ({}, "top.b")


def test_integers_refuse_booleans_floats_and_out_of_range_values():
    parse = integer(1, 3)
    assert parse(2, "p") == 2
    for bad in (True, 2.0, 0, 4):
        assert problem(parse, bad)[1] == f"expected an integer from 1 to 3, got {describe(bad)}"


@pytest.mark.parametrize(
    ("minimum", "maximum", "above", "below", "text"),
    [
        (0, 1, False, False, "a number from 0 to 1"),
        (0, 1, False, True, "a number >= 0 and < 1"),
        (0, None, True, False, "a number > 0"),
        (None, None, False, False, "a finite number"),
    ],
)
def test_number_ranges_read_as_words(minimum, maximum, above, below, text):
    assert range_text(minimum, maximum, above, below) == text
    parse = number(minimum, maximum, above=above, below=below)
    assert problem(parse, math.inf)[1] == f"expected {text}, got inf"


def test_exclusive_bounds_exclude_the_bound_itself():
    assert number(0, 1)(0, "p") == 0.0
    assert problem(number(0, above=True), 0)[1] == "expected a number > 0, got 0"
    assert problem(number(0, 1, below=True), 1.0)[1] == "expected a number >= 0 and < 1, got 1.0"


def test_finite_accepts_ints_and_refuses_an_int_too_large_for_a_double():
    assert finite(3, "p") == 3.0 and isinstance(finite(3, "p"), float)
    assert problem(finite, 10**400)[1] == "expected a finite number, got a very large integer"


def test_names_are_distinct_and_from_the_choices():
    parse = names(("x1", "x2"), at_least_one=True)
    assert parse(["x2", "x1"], "f") == ("x2", "x1")
    assert problem(parse, ["x1", "x1"], "f") == ("f[1]", '"x1" is listed twice')
    assert problem(parse, ["x3"], "f") == ("f[0]", 'expected one of x1, x2, got "x3"')
    assert problem(parse, [], "f") == ("f", "expected at least 1 name, got an empty list")


def test_optional_reads_null_as_none():
    assert optional(choice(("a",)))(None, "p") is None
    assert optional(choice(("a",)))("a", "p") == "a"


def test_arrays_name_their_expected_shape():
    assert problem(lambda v, p: numbers(v, p, 2), [1.0], "b") == (
        "b",
        "expected shape (2,), found shape (1,)",
    )
    assert problem(lambda v, p: matrix(v, p, None, 2), [[1, 2], [3]], "w") == (
        "w",
        "expected shape (*, 2), found rows of different lengths (row 0 has 2 numbers, row 1 has 1)",
    )
    assert problem(lambda v, p: matrix(v, p, 2, 2), [[1, 2]], "w") == (
        "w",
        "expected shape (2, 2), found shape (1, 2)",
    )
    assert problem(lambda v, p: matrix(v, p), [[1, "2"]], "w") == (
        "w[0][1]",
        'expected a finite number, got "2"',
    )
