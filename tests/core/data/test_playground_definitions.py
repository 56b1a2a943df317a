"""The 2-D data sets against TensorFlow Playground's own definitions (its dataset.ts and playground.ts),
written out here as Playground's loops: which spiral arm is positive, how odd counts and the split work."""

from __future__ import annotations

import math

import numpy as np
import pytest
from backprop_studio.core.data.build import build_dataset
from backprop_studio.core.data.generators import generate
from backprop_studio.core.spec import DataSpec, LayerSpec, NetworkSpec


def playground_spiral_arm(num_samples: int, delta_t: float) -> np.ndarray:
    """genSpiral without noise: n = numSamples / 2 (a float when odd), points i = 0, 1, … while i < n."""
    n = num_samples / 2
    points, i = [], 0
    while i < n:
        r = i / n * 5
        t = 1.75 * i / n * 2 * math.pi + delta_t
        points.append((r * math.sin(t), r * math.cos(t)))
        i += 1
    return np.array(points)


def test_the_spiral_arm_starting_at_angle_zero_is_the_positive_class():
    points, labels = generate("spiral", 200, 0.0, np.random.default_rng(0))
    positive, negative = playground_spiral_arm(200, 0.0), playground_spiral_arm(200, math.pi)
    np.testing.assert_allclose(points[labels == 1], positive, rtol=0, atol=1e-12)
    np.testing.assert_allclose(points[labels == 0], negative, rtol=0, atol=1e-12)
    # Drawn in Playground's order: its positive examples first.
    assert labels[:100].tolist() == [1] * 100


def test_an_odd_spiral_keeps_both_arms_on_playgrounds_curve():
    """Playground's 7 samples are 4 per arm on r = i/3.5·5; here exactly 7: 4 on the positive arm, 3 on
    the negative, every one where Playground puts it (before, each arm was spaced by its own size)."""
    points, labels = generate("spiral", 7, 0.0, np.random.default_rng(0))
    assert len(points) == 7
    np.testing.assert_allclose(points[labels == 1], playground_spiral_arm(7, 0.0), rtol=0, atol=1e-12)
    np.testing.assert_allclose(points[labels == 0], playground_spiral_arm(7, math.pi)[:3], rtol=0, atol=1e-12)


@pytest.mark.parametrize("kind", ["circle", "xor", "gaussian", "spiral", "plane", "multi_gaussian"])
@pytest.mark.parametrize("samples", [3, 7, 101])
def test_odd_sample_counts_give_exactly_that_many_samples(kind, samples):
    points, values = generate(kind, samples, 0.1, np.random.default_rng(1))
    assert points.shape == (samples, 2) and values.shape == (samples,)
    if kind in ("gaussian", "spiral"):  # (circle and xor labels follow the jittered point)
        assert (
            int(np.sum(values == 1)) == samples // 2 + 1
        )  # the positive class, drawn first, takes the odd one


@pytest.mark.parametrize(
    ("samples", "percent", "train"),
    [(7, 50, 3), (5, 50, 2), (101, 10, 10), (100, 29, 29), (30, 70, 21), (9, 90, 8), (3, 50, 1)],
)
def test_the_train_split_floors_like_playground(samples, percent, train):
    """playground.ts: splitIndex = Math.floor(data.length * percTrainData / 100)."""
    assert math.floor(samples * percent / 100) == train  # Playground's own integer arithmetic
    network = NetworkSpec(2, (LayerSpec(1, "tanh"),))
    data = DataSpec(kind="circle", samples=samples, train_fraction=percent / 100)
    dataset = build_dataset(data, network, "mse")
    assert len(dataset.x_train) == train
    assert len(dataset.x_test) == samples - train
