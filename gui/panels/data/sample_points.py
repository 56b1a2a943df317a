"""Where and in which color the plane / prediction view draws each sample, and the text of its tooltip.

In the plane a sample sits at its (x1, x2) point; with one input at (input, target); with more inputs at
(target, prediction), once per output unit. Points are colored by class, else in the plane by target value
on the output map's scale, else (off the plane) by output unit.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.analysis.frame_data import SHOWN_POINTS
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.gui.style.colors import RGB, class_color, diverging_lut, lut_indices, palette, qcolor
from PySide6.QtGui import QBrush, QPen

MAX_DRAWN_POINTS = SHOWN_POINTS
"""Points drawn per split: a million would take pyqtgraph seconds to draw, with nothing more to see."""

Drawn = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # x, y, train/test row, color (objects)


class ColorCache:
    """Points share a handful of colors; reusing their brushes and pens keeps large sets quick to redraw."""

    def __init__(self, pen_width: float = 2) -> None:
        self._brushes: dict[RGB, QBrush] = {}
        self._pens: dict[RGB, QPen] = {}
        self._pen_width = pen_width

    def brush(self, rgb: RGB) -> QBrush:
        brush = self._brushes.get(rgb)
        if brush is None:
            brush = self._brushes[rgb] = pg.mkBrush(qcolor(rgb))
        return brush

    def pen(self, rgb: RGB) -> QPen:
        pen = self._pens.get(rgb)
        if pen is None:
            pen = self._pens[rgb] = pg.mkPen(qcolor(rgb), width=self._pen_width)
        return pen


def color_column(table: list[RGB], index: np.ndarray) -> np.ndarray:
    """An object array holding `table[i]` for each i of `index`: points share a handful of colors, so
    one NumPy gather replaces a Python list of a million tuples."""
    colors = np.empty(len(table), dtype=object)
    for k, rgb in enumerate(table):
        colors[k] = rgb
    return colors[np.asarray(index, dtype=np.intp)]


def value_colors(values: np.ndarray, center: float, span: float, dark: bool) -> np.ndarray:
    """Colors of `values` on the diverging scale centered on `center`, `span` to either end."""
    return color_column(*_value_index(values, center, span, dark))


def _value_index(values: np.ndarray, center: float, span: float, dark: bool) -> tuple[list[RGB], np.ndarray]:
    lut = diverging_lut(dark)
    table = [(int(c >> 16) & 0xFF, int(c >> 8) & 0xFF, int(c) & 0xFF) for c in lut]
    return table, lut_indices(values - center, span)


def _color_index(
    ds: Dataset, split: str, dark: bool, center: float, span: float
) -> tuple[list[RGB], np.ndarray]:
    """(table of colors, index into it for each sample of `split`): its class, else in the plane its
    target value, else one color (a target already has an axis of its own there)."""
    labels = ds.labels_train if split == "train" else ds.labels_test
    if labels is not None:
        # Class indices run from 0: they index the table of class colors directly (no sort).
        count = int(labels.max()) + 1 if len(labels) else 0
        return [class_color(k, dark) for k in range(count)], labels
    y = ds.y_train if split == "train" else ds.y_test
    if not ds.is_planar:
        return [palette(dark).positive], np.zeros(len(y), dtype=np.intp)
    return _value_index(y[:, 0], center, span, dark)


def sample_colors(ds: Dataset, split: str, dark: bool, center: float, span: float) -> np.ndarray:
    """Color of each sample of `split` ("train"/"test"), see `_color_index`."""
    return color_column(*_color_index(ds, split, dark, center, span))


def positions(
    ds: Dataset, split: str, pred: np.ndarray | None, dark: bool, center: float, span: float
) -> Drawn:
    """x, y, train/test row and color of each drawn point, for the data's view: at most MAX_DRAWN_POINTS
    (`thinned`); `pred` the network's outputs for `split` (used with more than one input off the plane).
    Colors are looked up for the kept points only: for a million rows that was most of the time."""
    x, y, rows, index, table = _positions(ds, split, pred, dark, center, span)
    x, y, rows, index = thinned(x, y, rows, index)
    return x, y, rows, color_column(table, index)


def _positions(
    ds: Dataset, split: str, pred: np.ndarray | None, dark: bool, center: float, span: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[RGB]]:
    """Every point: x, y, row, color index, and the color table the index points into."""
    n = len(ds.x_train if split == "train" else ds.x_test)
    rows = np.arange(n)
    if ds.is_planar:
        pts = ds.points_train if split == "train" else ds.points_test
        table, index = _color_index(ds, split, dark, center, span)
        return pts[:, 0], pts[:, 1], rows, index, table
    y = ds.y_train if split == "train" else ds.y_test
    units = y.shape[1]
    if ds.n_inputs == 1:
        table, index = _unit_colors(ds, split, dark, center, span, n)
        xs = np.tile(ds.x_train[:, 0] if split == "train" else ds.x_test[:, 0], units)
        return xs, y.T.ravel(), np.tile(rows, units), index, table
    # The predictions may cover only the first rows (the window predicts SHOWN_POINTS of each split).
    if pred is None or pred.ndim != 2 or pred.shape[1] != units or len(pred) > n:
        return (
            np.empty(0),
            np.empty(0),
            np.empty(0, dtype=int),
            np.empty(0, dtype=np.intp),
            [],
        )
    m = len(pred)
    table, index = _unit_colors(ds, split, dark, center, span, m)
    return y[:m].T.ravel(), pred.T.ravel(), np.tile(rows[:m], units), index, table


def _unit_colors(
    ds: Dataset, split: str, dark: bool, center: float, span: float, count: int
) -> tuple[list[RGB], np.ndarray]:
    """Colors of the first `count` samples, once per output unit (unit after unit): by unit when several
    share the plot, else by sample (`_color_index`)."""
    units = ds.y_train.shape[1]
    if units > 1:
        return [class_color(u, dark) for u in range(units)], np.repeat(np.arange(units), count)
    table, index = _color_index(ds, split, dark, center, span)
    return table, index[:count]


def thinned(x: np.ndarray, y: np.ndarray, rows: np.ndarray, colors: np.ndarray) -> Drawn:
    """At most MAX_DRAWN_POINTS of the points, evenly spread over them (the same ones every frame, so
    the plot does not flicker); clicking a drawn point still names its real row. `colors` may be empty
    (points whose colors the caller sets otherwise)."""
    n = len(x)
    if n <= MAX_DRAWN_POINTS:
        return x, y, rows, colors
    keep = np.linspace(0, n - 1, MAX_DRAWN_POINTS).astype(np.intp)
    kept_colors = np.asarray(colors)[keep] if len(colors) else colors
    return np.asarray(x)[keep], np.asarray(y)[keep], np.asarray(rows)[keep], kept_colors


def tip_text(ds: Dataset | None, split: str, x: float, y: float, data: object) -> str:
    """The tooltip of the `split` ("training"/"test") sample drawn at (x, y) with row `data`."""
    if ds is None:
        return ""
    i = int(data)
    lines = [f"{split} sample {i}"]
    labels = ds.labels_train if split == "training" else ds.labels_test
    if ds.is_planar:
        lines.append(f"x1 = {x:.3g}, x2 = {y:.3g}")
        if labels is not None:
            lines.append(f"class {int(labels[i])}")
        else:
            targets = ds.y_train if split == "training" else ds.y_test
            lines.append(f"target {targets[i, 0]:.3g}")
    elif ds.n_inputs == 1:
        lines.append(f"{ds.feature_names[0] if ds.feature_names else 'x'} = {x:.3g}, target {y:.3g}")
    else:
        lines.append(f"target {x:.3g}, prediction {y:.3g}")
    return "\n".join(lines)
