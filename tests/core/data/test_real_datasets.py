"""The shipped tables (iris, wine, breast_cancer, digits): contents, catalog, split and targets."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.data.build import build_dataset
from backprop_studio.core.data.datasets.catalog import INFO
from backprop_studio.core.data.datasets.loader import load_table
from backprop_studio.core.errors import ArchitectureError, DataError
from backprop_studio.core.spec import REAL_DATASETS, DataSpec, LayerSpec, NetworkSpec

# Class sizes as the UCI repository documents them.
CLASS_SIZES = {
    "iris": [50, 50, 50],
    "wine": [59, 71, 48],
    "breast_cancer": [357, 212],  # benign, malignant
    "digits": [178, 182, 177, 183, 181, 182, 181, 179, 174, 180],
}


@pytest.mark.parametrize("name", REAL_DATASETS)
def test_each_table_matches_its_catalog_entry(name):
    table, entry = load_table(name), INFO[name]
    assert table.x.shape == (entry.rows, entry.inputs)
    assert table.x.dtype == np.float64 and table.labels.dtype == np.int64
    assert np.all(np.isfinite(table.x))
    assert len(table.feature_names) == entry.inputs == len(set(table.feature_names))
    assert table.class_names == entry.classes
    assert np.bincount(table.labels).tolist() == CLASS_SIZES[name]


def test_known_rows_read_as_published():
    iris = load_table("iris")
    assert iris.x[0].tolist() == [5.1, 3.5, 1.4, 0.2] and iris.labels[0] == 0
    assert iris.x[-1].tolist() == [5.9, 3.0, 5.1, 1.8] and iris.labels[-1] == 2
    # Fisher's means, as every description of the set gives them (cm).
    assert np.round(iris.x.mean(axis=0), 2).tolist() == [5.84, 3.06, 3.76, 1.2]
    assert iris.feature_names[2] == "petal length (cm)"
    wine = load_table("wine")
    assert wine.x[0, [0, 12]].tolist() == [14.23, 1065.0] and wine.labels[0] == 0
    cancer = load_table("breast_cancer")
    assert cancer.x[0, :3].tolist() == [17.99, 10.38, 122.8]
    assert cancer.class_names[cancer.labels[0]] == "malignant"
    assert cancer.feature_names[0] == "mean radius" and cancer.feature_names[-1] == "worst fractal dimension"
    digits = load_table("digits")
    assert digits.x.min() == 0 and digits.x.max() == 16 and np.all(digits.x == np.round(digits.x))
    assert digits.labels[:3].tolist() == [0, 1, 2]
    assert digits.feature_names[:2] == ("pixel 1,1", "pixel 1,2") and digits.feature_names[-1] == "pixel 8,8"


def test_tables_are_read_once_and_cannot_be_changed():
    first, again = load_table("wine"), load_table("wine")
    assert first is again
    with pytest.raises(ValueError):
        first.x[0, 0] = 0.0


def test_an_unknown_table_is_refused():
    with pytest.raises(DataError, match="unknown data set 'mnist'"):
        load_table("mnist")


def network(inputs, units, activation):
    return NetworkSpec(inputs, (LayerSpec(8, "tanh"), LayerSpec(units, activation)))


def test_iris_splits_stratified_with_one_hot_targets():
    dataset = build_dataset(
        DataSpec(kind="iris", train_fraction=0.7, seed=3), network(4, 3, "softmax"), "cross_entropy"
    )
    assert len(dataset.x_train) == 105 and len(dataset.x_test) == 45
    assert np.bincount(dataset.labels_train).tolist() == [35, 35, 35]
    assert np.bincount(dataset.labels_test).tolist() == [15, 15, 15]
    assert np.array_equal(dataset.y_train, np.eye(3)[dataset.labels_train])
    assert dataset.feature_names == load_table("iris").feature_names
    assert dataset.target_names == ("setosa", "versicolor", "virginica")
    assert dataset.task == "classification" and dataset.classes == 3 and not dataset.is_planar
    # Every sample is used once: the rows of both parts are the table's rows, in some order.
    rows = np.concatenate([dataset.x_train, dataset.x_test])
    table = load_table("iris").x
    assert sorted(map(tuple, rows)) == sorted(map(tuple, table))
    again = build_dataset(
        DataSpec(kind="iris", train_fraction=0.7, seed=3), network(4, 3, "softmax"), "cross_entropy"
    )
    assert np.array_equal(again.x_train, dataset.x_train)


def test_stratified_counts_follow_the_largest_remainders():
    # wine: 178 · 0.5 = 89 training samples; shares 29.5, 35.5, 24 → 29, 35, 24 plus 1 to the first tie.
    dataset = build_dataset(DataSpec(kind="wine", seed=0), network(13, 3, "softmax"), "cross_entropy")
    assert len(dataset.x_train) == 89
    assert np.bincount(dataset.labels_train).tolist() == [30, 35, 24]


def test_breast_cancer_with_one_sigmoid_unit_predicts_malignant():
    dataset = build_dataset(DataSpec(kind="breast_cancer"), network(30, 1, "sigmoid"), "bce")
    assert dataset.target_names == ("malignant",)
    assert np.array_equal(dataset.y_train[:, 0], (dataset.labels_train == 1).astype(float))


def test_a_network_that_does_not_fit_is_refused():
    with pytest.raises(ArchitectureError, match="digits has 64 input features but the network has 2"):
        build_dataset(DataSpec(kind="digits"), network(2, 10, "softmax"), "cross_entropy")
    with pytest.raises(ArchitectureError, match="10 classes"):
        build_dataset(DataSpec(kind="digits"), network(64, 3, "softmax"), "cross_entropy")


def test_views_name_the_inputs_by_the_tables_columns():
    from backprop_studio.core.display.names import input_label, weight_label

    dataset = build_dataset(DataSpec(kind="iris"), network(4, 3, "softmax"), "cross_entropy")
    assert input_label(2, dataset.feature_names) == "petal length (cm)"
    assert (
        weight_label(1, 3, 0, dataset.feature_names) == "weight from petal width (cm) to neuron 1 of layer 1"
    )
