"""data.image_shape in the file format: read, written only when set, a bit-exact round trip, and one
clear line naming the JSON path when it is wrong."""

from __future__ import annotations

import json

import pytest
from backprop_studio.core.errors import FormatError
from backprop_studio.core.project.fileformat import dumps_project, loads_project

from tests.image_projects import image_project


def _document(image_shape: object, inputs: int = 16) -> str:
    data: dict[str, object] = {"kind": "inline", "x": [[0.0] * inputs], "y": [[1.0]]}
    if image_shape is not None:
        data["image_shape"] = image_shape
    layers = [{"units": 1, "activation": "sigmoid"}]
    return json.dumps(
        {
            "format": "backprop-studio",
            "version": 1,
            "network": {"inputs": inputs, "layers": layers},
            "data": data,
        }
    )


def test_an_image_shape_is_read_as_rows_and_columns():
    assert loads_project(_document([4, 4])).data.image_shape == (4, 4)
    assert loads_project(_document([2, 8])).data.image_shape == (2, 8)
    assert loads_project(_document(None)).data.image_shape is None


def test_it_is_written_only_when_set_and_reads_back_the_same():
    project = image_project(n=4, samples=8)
    text = dumps_project(project)
    assert json.loads(text)["data"]["image_shape"] == [4, 4]
    again = loads_project(text)
    assert again.data == project.data
    assert dumps_project(again) == text
    plain = loads_project(_document(None))
    assert "image_shape" not in json.loads(dumps_project(plain))["data"]


@pytest.mark.parametrize(
    ("value", "where", "message"),
    [
        (
            [4, 5],
            "data.image_shape",
            "4 x 5 = 20 pixels, but the network has 16 inputs: rows x columns must equal network.inputs",
        ),
        ([16], "data.image_shape", "expected a list [rows, columns] of 2 integers, got 1 item"),
        ([2, 2, 4], "data.image_shape", "expected a list [rows, columns] of 2 integers, got 3 items"),
        ([0, 16], "data.image_shape[0]", "expected an integer >= 1, got 0"),
        ([4, 4.0], "data.image_shape[1]", "expected an integer >= 1, got 4.0"),
        ([4, True], "data.image_shape[1]", "expected an integer >= 1, got true"),
        ("4x4", "data.image_shape", 'expected a list [rows, columns], got "4x4"'),
    ],
)
def test_a_wrong_image_shape_is_refused_naming_where(value, where, message):
    with pytest.raises(FormatError) as caught:
        loads_project(_document(value), source="digits.json")
    assert caught.value.path == where
    assert str(caught.value) == f"digits.json, at {where}: {message}"
