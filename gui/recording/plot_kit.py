"""A small plotting kit for video frames: round ticks, the data-to-pixel `Scale`, pens and point
batches, and the helpers that keep long series fast (bucket decimation, a cache that converts only what
a history appended). Panels, axes and legends built on it are in chart.py.

Everything paints with QPainter in pixel units scaled by `u`, the frame's text unit (1 per 720 pixels
of height), so a 1080p frame is as sharp as a 720p one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shiboken6
from backprop_studio.core.display.numbers import minus_signs
from backprop_studio.gui.style.colors import RGB, Palette, qcolor
from backprop_studio.gui.style.qt_draw import draw_lines
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen

# (icon kind, color, text) of one legend entry; kinds: dot, ring, batch, line, dash, now.
LegendItem = tuple[str, RGB, str]


def nice_ticks(lo: float, hi: float, max_ticks: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10^k) covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo] if math.isfinite(lo) else []
    raw = (hi - lo) / max(max_ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude * next((m for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), 10)
    first = math.ceil(lo / step - 1e-9) * step
    count = math.floor((hi - first) / step + 1e-9) + 1
    return [first + i * step for i in range(max(count, 0))]


def tick_text(value: float, step: float) -> str:
    """A tick label with as many decimals as the step needs (ticks 0.25 apart read 0.25, 0.50, …)."""
    if abs(value) < step * 1e-6:
        return "0"
    if abs(value) >= 1e5:
        return minus_signs(f"{value:.3g}")
    decimals = 0
    while decimals < 6 and abs(round(step, decimals) - step) > step * 1e-6:
        decimals += 1
    return minus_signs(f"{value:.{decimals}f}")


@dataclass(frozen=True)
class Scale:
    """Data coordinates → pixels for one plot rectangle (y up)."""

    plot: QRectF
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    def key(self) -> tuple:
        p = self.plot
        return (p.x(), p.y(), p.width(), p.height(), self.xlim, self.ylim)

    def x(self, v: float) -> float:
        x0, x1 = self.xlim
        return self.plot.left() + (v - x0) / (x1 - x0 or 1.0) * self.plot.width()

    def y(self, v: float) -> float:
        y0, y1 = self.ylim
        return self.plot.bottom() - (v - y0) / (y1 - y0 or 1.0) * self.plot.height()

    def points(self, xy: np.ndarray) -> np.ndarray:
        """(n, 2) data points → (n, 2) pixel positions."""
        xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        out = np.empty_like(xy)
        with np.errstate(all="ignore"):
            out[:, 0] = self.plot.left() + (xy[:, 0] - x0) / (x1 - x0 or 1.0) * self.plot.width()
            out[:, 1] = self.plot.bottom() - (xy[:, 1] - y0) / (y1 - y0 or 1.0) * self.plot.height()
        return out


def finite_range(values: np.ndarray) -> tuple[float, float]:
    """(low, high) of the finite values with an 8 % margin; (−1, 1) when there are none."""
    values = values[np.isfinite(values)]
    if not len(values):
        return (-1.0, 1.0)
    lo, hi = float(values.min()), float(values.max())
    margin = (hi - lo) * 0.08 if hi > lo else 0.5
    return (lo - margin, hi + margin)


def decimate(xs: np.ndarray, ys: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ~2 points per pixel column: bucket means, so a million-batch history draws as fast as a short one."""
    n = len(xs)
    limit = max(2 * width, 2)
    if n <= limit:
        return xs, ys
    size = -(-n // limit)
    whole = (n // size) * size
    xb = xs[:whole].reshape(-1, size).mean(axis=1)
    with np.errstate(all="ignore"):
        yb = ys[:whole].reshape(-1, size).mean(axis=1)
    if whole < n:
        xb = np.append(xb, xs[whole:].mean())
        yb = np.append(yb, ys[whole:].mean())
    return xb, yb


class TailCache:
    """A float array following an append-only tuple (History), converting only what was appended, so a
    long recording does not re-convert a million batch losses every frame."""

    def __init__(self) -> None:
        self._array = np.empty(0)

    def get(self, values: Sequence[float]) -> np.ndarray:
        n, old = len(values), len(self._array)
        if old and n >= old and (values[old - 1] == self._array[-1] or values[old - 1] != values[old - 1]):
            if n > old:
                self._array = np.concatenate([self._array, np.asarray(values[old:], dtype=np.float64)])
        else:
            self._array = np.asarray(values, dtype=np.float64)
        return self._array


# ------------------------------------------------------------------------------------- drawing


def round_pen(rgb: RGB, width: float, alpha: int = 255) -> QPen:
    pen = QPen(qcolor(rgb, alpha), width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def draw_points(painter: QPainter, points: np.ndarray) -> None:
    """Each row of (n, 2) as a dot the size of the pen (with a round cap a dot is a disc)."""
    points = np.ascontiguousarray(points, dtype=np.float64)
    if len(points):
        painter.drawPoints(shiboken6.wrapInstance(points.ctypes.data, QPointF), len(points))


def batch_rings(painter: QPainter, centers: np.ndarray, d: float, pal: Palette, u: float) -> None:
    """A selection-colored ring on a background-colored halo around each of `centers` (n, 2), for dots
    `d` pixels across: the samples of the current batch."""
    r = d * 0.95 + 2.5 * u
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for pen in (QPen(qcolor(pal.background), 4.5 * u), QPen(qcolor(pal.selection), 2.2 * u)):
        painter.setPen(pen)
        for x, y in centers:
            if math.isfinite(x) and math.isfinite(y):
                painter.drawEllipse(QPointF(x, y), r, r)


def polyline(painter: QPainter, scale: Scale, xs: np.ndarray, ys: np.ndarray) -> None:
    """The finite points of (xs, ys) joined in order, as one batch of segments."""
    pts = scale.points(np.stack([xs, ys], axis=1))
    pts = pts[np.isfinite(pts).all(axis=1)]
    if len(pts) >= 2:
        draw_lines(painter, np.concatenate([pts[:-1], pts[1:]], axis=1))
