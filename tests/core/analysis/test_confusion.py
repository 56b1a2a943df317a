"""Predicted classes and confusion counts against hand-computed examples."""

from types import SimpleNamespace

import numpy as np
import pytest
from backprop_studio.core.analysis.confusion import (
    ConfusionFrame,
    class_names,
    confusion_frame,
    confusion_matrix,
    predicted_classes,
)
from backprop_studio.core.data.dataset import Dataset


def test_counts_worked_by_hand():
    true = np.array([0, 0, 1, 1, 2, 2, 2])
    pred = np.array([0, 1, 1, 1, 2, 0, 2])
    # rows: true class, columns: predicted class
    expected = [[1, 1, 0], [0, 2, 0], [1, 0, 2]]
    counts = confusion_matrix(true, pred, 3)
    assert counts.tolist() == expected
    assert counts.dtype == np.int64
    assert ConfusionFrame.accuracy(counts) == pytest.approx(5 / 7)
    assert np.isnan(ConfusionFrame.accuracy(np.zeros((2, 2), dtype=np.int64)))
    assert confusion_matrix(np.array([], dtype=int), np.array([], dtype=int), 2).tolist() == [[0, 0], [0, 0]]


def test_counts_refuse_classes_out_of_range():
    with pytest.raises(ValueError, match="0 … 1"):
        confusion_matrix(np.array([0, 2]), np.array([0, 1]), 2)


def test_predicted_class_per_output_layer():
    # one sigmoid unit: class 1 above 0.5 (0.5 itself is not above)
    assert predicted_classes("sigmoid", np.array([[0.2], [0.5], [0.51]])).tolist() == [0, 0, 1]
    # one tanh unit: the threshold is 0
    assert predicted_classes("tanh", np.array([[-0.1], [0.1]])).tolist() == [0, 1]
    # softmax: the most probable class
    probs = np.array([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3], [0.1, 0.1, 0.8]])
    assert predicted_classes("softmax", probs).tolist() == [1, 0, 2]


def labelled(x_train, labels_train, x_test, labels_test, names=("setosa", "versicolor", "virginica")):
    k = len(names)
    return Dataset(
        x_train,
        np.eye(k)[labels_train],
        x_test,
        np.eye(k)[labels_test],
        "classification",
        ("a", "b", "c"),
        names,
        labels_train=labels_train,
        labels_test=labels_test,
        classes=k,
    )


def test_frame_of_a_softmax_network_counted_by_hand():
    # softmax(x @ I + b): the predicted class is the largest input after the bias (−1, 0, 0).
    net = SimpleNamespace(
        weights=(np.eye(3),), biases=(np.array([-1.0, 0.0, 0.0]),), activations=("softmax",)
    )
    x_train = np.array([[3.0, 1.0, 0.0], [1.5, 1.0, 0.0], [0.0, 2.0, 1.0], [0.0, 0.0, 1.0]])
    # predicted: 0 (2 > 1), 1 (0.5 < 1), 1, 2
    x_test = np.array([[0.0, 0.0, 5.0], [0.0, 5.0, 0.0]])  # predicted 2, 1
    ds = labelled(x_train, np.array([0, 0, 1, 2]), x_test, np.array([2, 2]))
    frame = confusion_frame(net, ds)
    assert frame.names == ("setosa", "versicolor", "virginica")
    assert frame.pred_train.tolist() == [0, 1, 1, 2]
    assert frame.train.tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
    assert frame.test.tolist() == [[0, 0, 0], [0, 0, 0], [0, 1, 1]]
    assert (frame.total_train, frame.total_test) == (4, 2)
    # Only the first rows are counted when asked to count fewer.
    small = confusion_frame(net, ds, max_rows=2)
    assert small.train.sum() == 2 and small.total_train == 4


def test_regression_has_no_frame_and_names_follow_the_data():
    net = SimpleNamespace(weights=(np.eye(3),), biases=(np.zeros(3),), activations=("linear",))
    x = np.zeros((2, 3))
    assert confusion_frame(net, Dataset(x, x, x, x, "regression")) is None
    one_unit = Dataset(
        x,
        np.zeros((2, 1)),
        x,
        np.zeros((2, 1)),
        "classification",
        target_names=("spam",),
        labels_train=np.zeros(2, int),
        labels_test=np.zeros(2, int),
        classes=2,
    )
    assert class_names(one_unit) == ("not spam", "spam")
    planar = Dataset(
        x[:, :2],
        np.zeros((2, 1)),
        x[:, :2],
        np.zeros((2, 1)),
        "classification",
        target_names=("class 1",),
        points_train=x[:, :2],
        points_test=x[:, :2],
        labels_train=np.zeros(2, int),
        labels_test=np.zeros(2, int),
        classes=2,
    )
    assert class_names(planar) == ("class 0", "class 1")
