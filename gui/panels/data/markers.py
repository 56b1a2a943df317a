"""Rings around the current batch's samples and the heavier ring around the sample the inspector follows.

Shared by the plane and the projection: both draw these over their own sample positions. The markers
never take clicks, so a click always reaches the sample under them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from backprop_studio.gui.style.colors import palette, qcolor
from PySide6.QtCore import Qt

RING_SIZE = 15
FOCUS_SIZE = 22


class SampleMarkers:
    """Batch rings (under the points, z 0) and the focus marker (over them, z 3) in `plot`."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.batch_rings = pg.ScatterPlotItem(size=RING_SIZE, symbol="o", pxMode=True)
        self.batch_rings.setZValue(0)
        self.focus_marker = pg.ScatterPlotItem(size=FOCUS_SIZE, symbol="o", pxMode=True)
        self.focus_marker.setZValue(3)
        for item in (self.batch_rings, self.focus_marker):
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            plot.addItem(item)
        self._dark = False

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self.batch_rings.setPen(pg.mkPen(qcolor(palette(dark).selection), width=1.5))
        self.batch_rings.setBrush(pg.mkBrush(None))

    def show_batch(self, x: np.ndarray | None, y: np.ndarray | None) -> None:
        """Ring the points at (x, y); None clears the rings."""
        if x is None or y is None:
            self.batch_rings.setData([])
        else:
            self.batch_rings.setData(x=x, y=y)

    def show_focus(self, x: np.ndarray | None, y: np.ndarray | None) -> None:
        """Mark the points at (x, y) (one per output unit where a sample has several); None clears it."""
        if x is None or y is None:
            self.focus_marker.setData([])
            return
        pen = pg.mkPen(qcolor(palette(self._dark).selection), width=3)
        self.focus_marker.setData(x=x, y=y, pen=pen, brush=pg.mkBrush(None))

    def batch_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the rings around this batch's samples."""
        return _positions(self.batch_rings)

    def focus_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the focus marks, or none."""
        return _positions(self.focus_marker)


def _positions(item: pg.ScatterPlotItem) -> np.ndarray:
    x, y = item.getData()
    return np.column_stack([x, y]) if x is not None else np.empty((0, 2))


def rows_at(
    drawn: tuple[np.ndarray, np.ndarray, np.ndarray], rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where training rows `rows` are drawn, given the drawn (x, y, row) of every point (a row may be drawn
    several times, once per output unit)."""
    x, y, drawn_rows = drawn
    if len(rows) == 0 or len(drawn_rows) == 0:
        return np.empty(0), np.empty(0)
    hit = np.isin(drawn_rows, rows)
    return x[hit], y[hit]
