"""Inputs that form an image (`DataSpec.image_shape`, e.g. the 8×8 UCI digits): where each input sits in
the picture, a sample or a first-layer neuron's incoming weights as a (rows, cols) array, and the scales
their colors are read on.

Pixel i of a sample is at row i // cols, column i % cols (row-major, as NumPy's `reshape` reads it and as
the digits' 64 columns are stored). Views turn the scaled values into colors; nothing here knows Qt.
"""

from __future__ import annotations

import numpy as np


def image_shape_for(shape: tuple[int, int] | None, n_inputs: int) -> tuple[int, int] | None:
    """`shape` when its rows × cols pixels are exactly the network's `n_inputs`, else None (the network was
    changed since the data said it was an image: draw its inputs as a plain column)."""
    if shape is None or len(shape) != 2:
        return None
    rows, cols = int(shape[0]), int(shape[1])
    return (rows, cols) if rows >= 1 and cols >= 1 and rows * cols == n_inputs else None


def pixel_position(i: int, shape: tuple[int, int]) -> tuple[int, int]:
    """(row, col), 0-based, of input i (0-based) in an image of `shape` (rows, cols)."""
    rows, cols = shape
    if not 0 <= i < rows * cols:
        raise IndexError(f"input {i} is outside a {rows}×{cols} image")
    return i // cols, i % cols


def as_image(values: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """(rows·cols,) per-input values → (rows, cols), pixel i at [i // cols, i % cols]."""
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (shape[0] * shape[1],):
        raise ValueError(f"{values.shape[0]} values cannot form a {shape[0]}×{shape[1]} image")
    return values.reshape(shape)


def incoming_weights_image(weights: np.ndarray, j: int, shape: tuple[int, int]) -> np.ndarray:
    """Column j of a first layer's (n_in, n_out) weights, the weights into neuron j, as (rows, cols):
    entry [r, c] multiplies the pixel at row r, column c."""
    return as_image(np.asarray(weights)[:, j], shape)


def symmetric_scale(values: np.ndarray) -> float:
    """The end of a color scale symmetric around 0: the largest finite |value|, or 1.0 when that is 0
    (all zeros) or there is none, so a scale never divides by zero."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.abs(values[np.isfinite(values)])
    vmax = float(finite.max()) if finite.size else 0.0
    return vmax if vmax > 0 else 1.0


def signed_levels(values: np.ndarray, vmax: float) -> np.ndarray:
    """Values on the symmetric scale [−vmax, vmax] as [−1, 1] (clipped; NaN reads as 0, the middle)."""
    scaled = np.asarray(values, dtype=np.float64) / (vmax if vmax > 0 else 1.0)
    return np.clip(np.nan_to_num(scaled, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0)


def as_read(values: np.ndarray, unscale: tuple[tuple[float, ...], tuple[float, ...]] | None) -> np.ndarray:
    """Inputs (..., n_in) as the data held them before standardization: values · std + mean per input,
    with `unscale` = (mean, std); `values` unchanged when None. A standardized image is drawn as read
    (the digit's strokes), since per-pixel z-scores blow rare pixels up and wash the strokes out."""
    if unscale is None:
        return np.asarray(values, dtype=np.float64)
    mean, std = (np.asarray(a, dtype=np.float64) for a in unscale)
    return np.asarray(values, dtype=np.float64) * std + mean


def value_range(x: np.ndarray) -> tuple[float, float]:
    """(lowest, highest) finite value of a data set's inputs (n, n_in): the gray scale every sample of it
    is drawn on, so the same ink means the same value from one sample to the next. (0, 1) when empty."""
    x = np.asarray(x, dtype=np.float64)
    finite = x[np.isfinite(x)]
    if not finite.size:
        return 0.0, 1.0
    return float(finite.min()), float(finite.max())


def gray_levels(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Values on [low, high] as ink from 0 (low: paper) to 1 (high: full ink), clipped; NaN is paper.
    A flat range (high = low) draws everything at half ink rather than dividing by zero."""
    values = np.asarray(values, dtype=np.float64)
    if not high > low:
        return np.where(np.isfinite(values), 0.5, 0.0)
    levels = (values - low) / (high - low)
    return np.clip(np.nan_to_num(levels, nan=0.0, posinf=1.0, neginf=0.0), 0.0, 1.0)
