"""Reading pictures of image inputs back in tests: a cell's color, and where a color sits on the app's
diverging weight scale, so a test can check that the picture orders its cells as the numbers do."""

from __future__ import annotations

import re

import numpy as np
from backprop_studio.gui.style.colors import argb_to_rgb, diverging_lut
from PySide6.QtGui import QColor, QImage


def rgb_at(image: QImage, x: float, y: float) -> tuple[int, int, int]:
    color = QColor(image.pixel(int(x), int(y)))
    return color.red(), color.green(), color.blue()


def scale_position(rgb: tuple[int, int, int], dark: bool = False) -> int:
    """The entry (0 = most negative … 255 = most positive) of the diverging scale nearest `rgb`."""
    table = argb_to_rgb(diverging_lut(dark)).astype(float)
    return int(np.argmin(((table - np.array(rgb, dtype=float)) ** 2).sum(axis=1)))


def cell_positions(
    image: QImage, shape: tuple[int, int], cell: float, left: float = 0, top: float = 0
) -> np.ndarray:
    """(rows, cols) scale positions read at each cell's center of a weight picture."""
    rows, cols = shape
    return np.array(
        [
            [
                scale_position(rgb_at(image, left + (c + 0.5) * cell, top + (r + 0.5) * cell))
                for c in range(cols)
            ]
            for r in range(rows)
        ]
    )


def assert_ordered_like(positions: np.ndarray, values: np.ndarray) -> None:
    """The picture orders its cells as the values: a larger value never reads lower on the scale, the
    largest |value| sits at an end of the scale, and the largest value is at its own cell."""
    order = np.argsort(values.ravel(), kind="stable")
    read = positions.ravel()[order]
    assert np.all(np.diff(read) >= 0), (values, positions)
    top = np.unravel_index(np.argmax(values), values.shape)
    assert positions[top] == positions.max()
    strongest = np.unravel_index(np.argmax(np.abs(values)), values.shape)
    assert positions[strongest] in (0, 255)


def tooltip_image(html: str) -> QImage:
    """The picture a rich-text tooltip shows (its first <img>)."""
    match = re.search(r'<img src="([^"]+)"', html)
    assert match is not None, html
    image = QImage(match.group(1))
    assert not image.isNull()
    return image
