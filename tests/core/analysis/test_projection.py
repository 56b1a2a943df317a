"""Principal components against hand-worked examples and an independent eigen-decomposition."""

import numpy as np
import pytest
from backprop_studio.core.analysis.projection import principal_components


def test_two_dimensional_example_worked_by_hand():
    # Mean 0; the spread along x1 is 1² + 1² = 2, along x2 0.5² + 0.5² = 0.5: PC1 is x1 with 2 / 2.5.
    x = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, -0.5], [0.0, 0.5]])
    p = principal_components(x)
    np.testing.assert_allclose(p.mean, [0.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(p.components, [[1.0, 0.0], [0.0, 1.0]], atol=1e-15)
    np.testing.assert_allclose(p.explained, [0.8, 0.2])
    np.testing.assert_allclose(p.transform(x), x, atol=1e-15)


def test_three_dimensional_example_worked_by_hand():
    # ±(1, 1, 0) spread 4 along (1, 1, 0)/√2; ±(0, 0, ½) spread ½ along x3; nothing along (1, −1, 0).
    # Shifted by (5, −2, 1) so the mean matters.
    shift = np.array([5.0, -2.0, 1.0])
    x = np.array([[1.0, 1.0, 0.0], [-1.0, -1.0, 0.0], [0.0, 0.0, 0.5], [0.0, 0.0, -0.5]]) + shift
    p = principal_components(x)
    r = 1 / np.sqrt(2)
    np.testing.assert_allclose(p.mean, shift)
    # PC1's two loadings tie in magnitude: the first is made positive.
    np.testing.assert_allclose(p.components, [[r, r, 0.0], [0.0, 0.0, 1.0]], atol=1e-15)
    np.testing.assert_allclose(p.explained, [4 / 4.5, 0.5 / 4.5])
    coords = p.transform(x)
    np.testing.assert_allclose(coords, [[np.sqrt(2), 0], [-np.sqrt(2), 0], [0, 0.5], [0, -0.5]], atol=1e-14)
    # New inputs are projected with the training mean, not their own.
    np.testing.assert_allclose(p.transform(shift[None, :] + [2.0, 2.0, 1.0]), [[2 * np.sqrt(2), 1.0]])


def by_eigh(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Independent: eigenvectors of the covariance matrix, largest first, largest loading positive."""
    values, vectors = np.linalg.eigh(np.cov(x, rowvar=False))
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order].T
    for v in vectors:
        v *= np.sign(v[np.argmax(np.abs(v))])
    return vectors, values / values.sum()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_components_and_shares_equal_the_covariance_eigenvectors(seed):
    rng = np.random.default_rng(seed)
    # 4 inputs with clearly different spreads, mixed by a random rotation.
    q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    x = (rng.normal(size=(300, 4)) * [3.0, 2.0, 1.0, 0.5]) @ q + rng.normal(size=4)
    vectors, shares = by_eigh(x)
    p = principal_components(x)
    np.testing.assert_allclose(p.components, vectors[:2], atol=1e-12)
    np.testing.assert_allclose(p.explained, shares[:2], rtol=1e-12)
    np.testing.assert_allclose(p.transform(x), (x - x.mean(axis=0)) @ vectors[:2].T, atol=1e-12)


def test_the_sign_convention_gives_the_same_directions_for_mirrored_data():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(50, 3)) * [2.0, 1.0, 0.3]
    a, b = principal_components(x), principal_components(-x)
    np.testing.assert_allclose(a.components, b.components, atol=1e-12)
    np.testing.assert_allclose(a.transform(x), -b.transform(-x), atol=1e-12)
    for component in a.components:
        assert component[np.argmax(np.abs(component))] > 0


def test_data_without_spread_or_with_fewer_samples_than_components():
    flat = principal_components(np.ones((5, 3)))
    np.testing.assert_array_equal(flat.explained, [0.0, 0.0])
    np.testing.assert_allclose(np.linalg.norm(flat.components, axis=1), [1.0, 1.0])
    one = principal_components(np.array([[1.0, 2.0, 3.0]]))
    assert one.components.shape == (2, 3)
    np.testing.assert_array_equal(one.transform(np.array([[1.0, 2.0, 3.0]])), [[0.0, 0.0]])
    assert principal_components(np.arange(6.0).reshape(3, 2)).explained.tolist() == pytest.approx([1.0, 0.0])
    with pytest.raises(ValueError, match="n, d ≥ 1"):
        principal_components(np.empty((0, 3)))


def test_arrays_are_read_only():
    p = principal_components(np.random.default_rng(0).normal(size=(10, 3)))
    for array in (p.mean, p.components, p.explained):
        with pytest.raises(ValueError):
            array[0] = 1.0
