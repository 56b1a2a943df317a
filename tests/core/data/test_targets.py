"""Class targets: each output activation trains towards values it can reach, and labels read back."""

import numpy as np
import pytest
from backprop_studio.core.data.targets import check_class_targets, encode_classes, labels_of
from backprop_studio.core.errors import ArchitectureError, DataError
from backprop_studio.core.spec import LayerSpec

LABELS = np.array([2, 0, 1])
NAMES = ("cat", "dog", "fish")


@pytest.mark.parametrize(("activation", "off"), [("sigmoid", 0.0), ("relu", 0.0), ("tanh", -1.0)])
def test_one_column_per_class_with_the_activations_low_end_for_not_this_class(activation, off):
    y, names = encode_classes(LABELS, 3, LayerSpec(3, activation), NAMES)
    expected = np.array([[off, off, 1.0], [1.0, off, off], [off, 1.0, off]])
    np.testing.assert_array_equal(y, expected)
    assert names == NAMES


def test_softmax_is_one_hot_and_needs_one_unit_per_class():
    y, _ = encode_classes(LABELS, 3, LayerSpec(3, "softmax"), NAMES)
    np.testing.assert_array_equal(y, [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    with pytest.raises(ArchitectureError, match="a softmax output needs one unit per class \\(3\\)"):
        encode_classes(LABELS, 3, LayerSpec(2, "softmax"), NAMES)


def test_one_unit_for_two_classes_holds_the_class_1_indicator():
    y, names = encode_classes(np.array([0, 1, 1]), 2, LayerSpec(1, "tanh"), ("no", "yes"))
    np.testing.assert_array_equal(y, [[-1.0], [1.0], [1.0]])
    assert names == ("yes",)


def test_labels_read_back_by_one_half_or_the_largest_column():
    classes, count = labels_of(np.array([[0.2], [0.7], [0.5]]))
    assert classes.tolist() == [0, 1, 0] and count == 2
    classes, count = labels_of(np.array([[0.1, 0.9, 0.0], [0.6, 0.3, 0.1]]))
    assert classes.tolist() == [1, 0] and count == 3


def test_cross_entropy_rows_must_sum_to_one():
    with pytest.raises(DataError, match=r"data\.y row 2: cross_entropy targets must sum to 1"):
        check_class_targets(np.array([[1.0, 0.0], [0.5, 0.4]]), "cross_entropy", "data.y")
