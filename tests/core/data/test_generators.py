"""generate: TensorFlow Playground's six data sets, reproducible from a seeded Generator."""

import math

import numpy as np
import pytest
from backprop_studio.core.data.generators import generate
from backprop_studio.core.errors import DataError
from backprop_studio.core.spec import CLASSIFICATION_GENERATORS, GENERATORS

REGRESSION = ("plane", "multi_gaussian")


def draw(kind, samples=200, noise=0.0, seed=0, classes=2):
    return generate(kind, samples, noise, np.random.default_rng(seed), classes)


@pytest.mark.parametrize("kind", GENERATORS)
def test_same_seed_same_data_other_seed_other_data(kind):
    points, labels = draw(kind, noise=0.2, seed=7)
    again_points, again_labels = draw(kind, noise=0.2, seed=7)
    other_points, _ = draw(kind, noise=0.2, seed=8)
    assert np.array_equal(points, again_points)
    assert np.array_equal(labels, again_labels)
    assert not np.array_equal(points, other_points)


@pytest.mark.parametrize("kind", GENERATORS)
def test_uses_only_the_given_generator(kind):
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    draw(kind, noise=0.3)
    assert np.random.random() == before


@pytest.mark.parametrize("kind", GENERATORS)
@pytest.mark.parametrize("samples", [2, 3, 201])
def test_shapes_and_types(kind, samples):
    points, labels = draw(kind, samples=samples, noise=0.1)
    assert points.shape == (samples, 2)
    assert points.dtype == np.float64
    assert labels.shape == (samples,)
    if kind in CLASSIFICATION_GENERATORS:
        assert labels.dtype == np.int64
        assert set(labels.tolist()) <= {0, 1}
    else:
        assert labels.dtype == np.float64


@pytest.mark.parametrize("kind", GENERATORS)
def test_points_lie_roughly_in_the_playground_square(kind):
    points, _ = draw(kind, samples=1000, noise=0.5)
    # Gaussians have unbounded tails; all others are bounded by construction.
    limit = 6.0 if kind != "gaussian" else 12.0
    assert np.all(np.abs(points) <= limit)


@pytest.mark.parametrize("kind", ["circle", "gaussian", "spiral"])
def test_classes_are_balanced_exactly_without_noise(kind):
    _, labels = draw(kind, samples=201)
    assert sorted(np.bincount(labels).tolist()) == [100, 101]


def test_xor_classes_are_roughly_balanced():
    _, labels = draw("xor", samples=2000)
    assert 800 < labels.sum() < 1200


def test_circle_without_noise_is_separated_by_radius():
    points, labels = draw("circle", samples=500)
    radius = np.hypot(points[:, 0], points[:, 1])
    assert np.all(radius[labels == 1] < 2.5)
    assert np.all((radius[labels == 0] >= 3.5) & (radius[labels == 0] <= 5.0))


def test_circle_noise_flips_some_labels():
    points, labels = draw("circle", samples=500, noise=0.5)
    inside = np.hypot(points[:, 0], points[:, 1]) < 2.5
    assert np.any(inside != (labels == 1))


def test_xor_without_noise_is_labelled_by_quadrant():
    points, labels = draw("xor", samples=500)
    assert np.array_equal(labels == 1, points[:, 0] * points[:, 1] >= 0)
    # Playground pads every point 0.3 away from both axes.
    assert np.all(np.abs(points) >= 0.3)
    assert np.all(np.abs(points) <= 5.3)


def test_gaussian_clusters_sit_at_plus_and_minus_two():
    points, labels = draw("gaussian", samples=4000)
    assert points[labels == 1].mean(axis=0) == pytest.approx([2, 2], abs=0.1)
    assert points[labels == 0].mean(axis=0) == pytest.approx([-2, -2], abs=0.1)
    # Playground: variance 0.5 at noise 0, 4 at noise 0.5.
    assert points[labels == 1].std() == pytest.approx(math.sqrt(0.5), rel=0.05)
    noisy, noisy_labels = draw("gaussian", samples=4000, noise=0.5)
    assert noisy[noisy_labels == 1].std() == pytest.approx(2.0, rel=0.05)


@pytest.mark.parametrize("classes", [2, 3, 5, 8])
def test_spiral_arms_follow_their_curve_without_noise(classes):
    points, labels = draw("spiral", samples=40 * classes, classes=classes)
    assert np.bincount(labels).tolist() == [40] * classes
    r = np.hypot(points[:, 0], points[:, 1])
    assert np.all(r < 5)
    # Playground's arm: (r·sin t, r·cos t) with t = 1.75 turns · r/5, each arm rotated by 1/classes of a
    # turn; class 1's arm starts at angle 0 (Playground's positive arm), class k's (k − 1)/classes turns on.
    arm = (labels - 1) % classes
    t = 1.75 * 2 * math.pi * r / 5 + 2 * math.pi * arm / classes
    assert np.allclose(points[:, 0], r * np.sin(t))
    assert np.allclose(points[:, 1], r * np.cos(t))


def test_spiral_noise_jitters_by_at_most_noise():
    clean, _ = draw("spiral", samples=300, seed=3)
    noisy, _ = draw("spiral", samples=300, seed=3, noise=0.4)
    shift = np.abs(noisy - clean)
    assert np.all(shift <= 0.4)
    assert shift.max() > 0.3


def test_plane_without_noise_is_the_scaled_sum():
    points, values = draw("plane", samples=500)
    assert np.allclose(values, (points[:, 0] + points[:, 1]) / 10)
    assert np.all(np.abs(values) <= 1.2)


def playground_multi_gaussian(x: float, y: float) -> float:
    """Playground's regressGaussian label, written out as its loop."""
    label = 0.0
    for cx, cy, sign in [
        (-4, 2.5, 1),
        (0, 2.5, -1),
        (4, 2.5, 1),
        (-4, -2.5, -1),
        (0, -2.5, 1),
        (4, -2.5, -1),
    ]:
        height = sign * min(1.0, max(0.0, 1 - math.dist((x, y), (cx, cy)) / 2))
        if abs(height) > abs(label):
            label = height
    return label


def test_multi_gaussian_without_noise_matches_playground():
    points, values = draw("multi_gaussian", samples=500)
    want = [playground_multi_gaussian(x, y) for x, y in points]
    assert values.tolist() == pytest.approx(want)
    assert np.all(np.abs(values) <= 1)
    assert values.min() < -0.5 < 0.5 < values.max()


@pytest.mark.parametrize("kind", REGRESSION)
def test_regression_noise_changes_values_not_points(kind):
    clean_points, clean = draw(kind, seed=4)
    noisy_points, noisy = draw(kind, seed=4, noise=0.3)
    assert np.array_equal(clean_points, noisy_points)
    assert not np.allclose(clean, noisy)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("moons", 100, 0.0), "unknown data generator 'moons'; choose one of circle, xor"),
        (("circle", 1, 0.0), "samples must be a whole number from 2 to 100,000, not 1"),
        (("circle", 100_001, 0.0), "not 100001"),
        (("circle", 10.5, 0.0), "not 10.5"),
        (("circle", 100, -0.1), "noise must be a fraction between 0 and 0.5, not -0.1"),
        (("circle", 100, 0.6), "not 0.6"),
        (("circle", 100, float("nan")), "not nan"),
        (("spiral", 100, 0.0, 1), "a spiral needs 2 to 8 classes"),
        (("spiral", 100, 0.0, 9), "not 9"),
        (("spiral", 4, 0.0, 5), "a spiral with 5 arms needs at least 5 samples, not 4"),
    ],
)
def test_bad_arguments_are_refused(args, message):
    kind, samples, noise, *classes = args
    with pytest.raises(DataError) as error:
        generate(kind, samples, noise, np.random.default_rng(0), *classes)
    assert message in str(error.value)


def test_classes_only_matter_for_the_spiral():
    _, labels = draw("circle", classes=9)
    assert set(labels.tolist()) == {0, 1}
