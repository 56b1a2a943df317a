"""Principal components of the training inputs: a flat picture of data with more than two inputs.

The inputs (n, d) are centered on the training mean and split by a singular value decomposition,
x − mean = U S Vᵀ; the rows of Vᵀ are the principal directions, ordered by the variance S² they carry.
For tall data (n > 4d) they come from the eigenvectors of the (d, d) scatter matrix (x − mean)ᵀ(x − mean)
= V S² Vᵀ instead: the same directions for a tenth of the work.
Projecting onto the first two, (n, d) @ (d, 2), gives the plane that shows the most of the data's spread.
A direction is only defined up to its sign, so each is turned to make its largest-magnitude loading
positive: the same data always gives the same picture, not a mirror image from one run to the next.

The decomposition reads every training row: O(n d²) for n rows of d inputs, a few hundred milliseconds
for a million rows. The window computes it at once only for data of at most `QUICK_VALUES` numbers
(`is_quick`), on a worker thread otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from backprop_studio.core.data.dataset import Dataset

QUICK_VALUES = 200_000  # rows × inputs whose components take a few milliseconds


def applies_to(dataset: Dataset | None) -> bool:
    """A projection is drawn for classification data with more than two inputs (not in the plane)."""
    return (
        dataset is not None
        and not dataset.is_planar
        and dataset.n_inputs > 2
        and dataset.labels_train is not None
    )


def is_quick(dataset: Dataset) -> bool:
    """Whether the training inputs' components are cheap enough to compute while the window waits."""
    return dataset.x_train.size <= QUICK_VALUES


@dataclass(frozen=True, eq=False)
class Projection:
    """mean (d,): the training mean; components (k, d): unit principal directions, PC1 first;
    explained (k,): the share of the total variance along each (0 for data without spread).
    Arrays are read-only."""

    mean: np.ndarray
    components: np.ndarray
    explained: np.ndarray

    def transform(self, x: np.ndarray) -> np.ndarray:
        """(n, d) inputs → (n, k) coordinates along the components: (x − mean) @ componentsᵀ."""
        x = np.asarray(x, dtype=np.float64)
        if x.shape[0] == 0:
            return np.empty((0, self.components.shape[0]))
        return (x - self.mean) @ self.components.T


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(array, dtype=np.float64)
    array.setflags(write=False)
    return array


def principal_components(x: np.ndarray, count: int = 2) -> Projection:
    """The first `count` principal components of x (n, d), n ≥ 1; at most d of them.

    Directions beyond the data's rank (fewer samples than inputs, or inputs that repeat one another)
    carry no variance; they are still unit vectors orthogonal to the rest, with explained share 0.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] < 1:
        raise ValueError(f"principal components need an (n, d) array with n, d ≥ 1, not shape {x.shape}")
    k = min(count, x.shape[1])
    mean = x.mean(axis=0)
    centered = x - mean
    if x.shape[0] > 4 * x.shape[1]:
        # Many more rows than inputs: the same directions from the (d, d) scatter matrix, xᵀx = V S² Vᵀ,
        # a tenth of the work of the (n, d) decomposition (its U alone is n × d).
        squares, vectors = np.linalg.eigh(centered.T @ centered)
        order = np.argsort(squares)[::-1]
        s = np.sqrt(np.clip(squares[order], 0.0, None))
        vt = vectors[:, order].T
    else:
        # With fewer samples than components the reduced Vᵀ is too short: ask for the full square one.
        _, s, vt = np.linalg.svd(centered, full_matrices=x.shape[0] < k)
    components = vt[:k].copy()
    # Sign convention: the entry of largest magnitude (the first, on a tie) is positive.
    lead = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(k), lead])
    components *= np.where(signs == 0, 1.0, signs)[:, None]
    variance = np.zeros(k)
    variance[: min(k, len(s))] = s[:k] ** 2
    total = float(np.sum(s**2))
    explained = variance / total if total > 0 else np.zeros(k)
    return Projection(_frozen(mean), _frozen(components), _frozen(explained))
