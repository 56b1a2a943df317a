"""The file format's shipped-data-set kinds and standardization fields: read, refused with a JSON path, written."""

from __future__ import annotations

import json

import pytest
from backprop_studio.core.errors import FormatError
from backprop_studio.core.project.fileformat import dumps_project, project_from_document


def document(inputs: int = 4, **data: object) -> dict:
    return {
        "format": "backprop-studio",
        "version": 1,
        "network": {"inputs": inputs, "layers": [{"units": 3, "activation": "softmax"}]},
        "training": {"loss": "cross_entropy"},
        "data": {"kind": "iris", **data},
    }


def test_a_shipped_set_reads_with_its_split_and_standardization():
    project = project_from_document(
        document(
            train_fraction=0.7,
            seed=9,
            standardize=True,
            feature_mean=[1, 2, 3, 4],
            feature_std=[1, 1, 2, 0.5],
        )
    )
    data = project.data
    assert (data.kind, data.train_fraction, data.seed, data.standardize) == ("iris", 0.7, 9, True)
    assert data.feature_mean == (1.0, 2.0, 3.0, 4.0) and data.feature_std == (1.0, 1.0, 2.0, 0.5)


def test_written_keys_for_a_shipped_set():
    text = dumps_project(project_from_document(document(train_fraction=0.8)))
    data = json.loads(text)["data"]
    assert data == {"kind": "iris", "train_fraction": 0.8, "seed": 0, "standardize": False}
    # A generator spells out standardize only when it is on.
    circle = document(2)
    circle["network"]["layers"] = [{"units": 1, "activation": "tanh"}]
    circle["training"] = {"loss": "mse"}
    circle["data"] = {"kind": "circle"}
    assert "standardize" not in json.loads(dumps_project(project_from_document(circle)))["data"]
    circle["data"]["standardize"] = True
    assert json.loads(dumps_project(project_from_document(circle)))["data"]["standardize"] is True


@pytest.mark.parametrize(
    ("doc", "where", "message"),
    [
        (document(3), "data.kind", "iris has 4 input features but the network has 3 inputs"),
        (document(standardize="yes"), "data.standardize", "expected true or false"),
        (document(feature_mean=[0, 0, 0], feature_std=[1, 1, 1]), "data.feature_mean", "expected shape (4,)"),
        (document(feature_mean=[0, 0, 0, 0]), "data.feature_std", "give both or neither"),
        (document(feature_mean=[0] * 4, feature_std=[1, 0, 1, 1]), "data.feature_std[1]", "above 0"),
        (document(feature_mean=[0, "a", 0, 0], feature_std=[1] * 4), "data.feature_mean[1]", "finite number"),
    ],
)
def test_bad_data_fields_are_named_by_their_json_path(doc, where, message):
    with pytest.raises(FormatError) as caught:
        project_from_document(doc, source="p.json")
    assert caught.value.path == where
    assert message in str(caught.value)
