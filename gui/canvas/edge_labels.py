"""Numbers written on the edges of a small net (its weights or gradients, or under the gradient-check
overlay each edge's relative error), and where on its edge each label goes.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.display.numbers import format_number, minus_signs
from backprop_studio.gui.canvas.edges import edge_look
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.overlays import overlay_levels
from backprop_studio.gui.style.colors import Palette, mix, qcolor
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen

# Where along its edge a label may sit, best first: the middle, then alternately towards either end.
LABEL_POSITIONS = np.array([0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8])


class EdgeLabels:
    """Paints edge labels; remembers their placement for the last layout, so labels stay put while the
    values change (no jitter in videos) and placement runs once per layout."""

    def __init__(self) -> None:
        self._cache: tuple[tuple, np.ndarray] | None = None

    def paint(
        self,
        painter: QPainter,
        lay: Layout,
        mats: list[np.ndarray | None],
        pal: Palette,
        overlay: np.ndarray | None = None,
    ) -> None:
        """Each edge's value from `mats` (per gap, (n_in, n_out)), or with `overlay` its relative error."""
        u = lay.unit
        label_font = font(10 * u)
        fm = QFontMetricsF(label_font)
        painter.setFont(label_font)
        h = fm.height() + 2 * u
        centers = self.centers(lay, fm.horizontalAdvance("−0.0000") + 8 * u, h)
        if overlay is not None:
            mats = [
                overlay[lay.edge_start[k - 1] : lay.edge_start[k]].reshape(lay.sizes[k - 1], lay.sizes[k])
                for k in range(1, len(lay.sizes))
            ]
        for k, mat in enumerate(mats, start=1):
            if mat is None:
                continue
            base = lay.edge_start[k - 1]
            for e, value in enumerate(mat.ravel().tolist()):
                if overlay is not None:
                    level = int(overlay_levels(np.array([value]))[0])
                    text = "–" if level < 0 else minus_signs(f"{value:.2g}")
                    _, hue, _ = edge_look(None, 0, 0, level, pal)
                else:
                    text = format_number(value)
                    hue = pal.edge_positive if value > 0 else pal.edge_negative
                w = fm.horizontalAdvance(text) + 8 * u
                cx, cy = centers[base + e]
                rect = QRectF(cx - w / 2, cy - h / 2, w, h)
                painter.setPen(QPen(qcolor(hue), 1.0 * u))
                painter.setBrush(qcolor(pal.label_background, 235))
                painter.drawRoundedRect(rect, h / 2, h / 2)
                painter.setPen(qcolor(mix(hue, pal.text, 0.4)))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def centers(self, lay: Layout, w: float, h: float) -> np.ndarray:
        """(E, 2) label centers for labels of size w x h, cached per layout."""
        key = (lay.serial, round(w, 1), round(h, 1))
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, place_labels(lay, w, h))
        return self._cache[1]


def _obstacles(lay: Layout, h: float) -> np.ndarray:
    """(n, 4) x0, y0, x1, y1 of what labels must not cover: nodes and the value and bias labels under them."""
    u = lay.unit
    boxes = []
    for c in range(len(lay.sizes)):
        x, r = float(lay.xs[c]), lay.radius[c] + 2 * u
        for y in lay.ys[c]:
            boxes.append((x - r, y - r, x + r, y + r))
            if c > 0:  # room for the value and bias lines under the node
                boxes.append((x - 32 * u, y + r, x + 32 * u, y + r + 2 * h + 4 * u))
    return np.array(boxes, dtype=float).reshape(-1, 4)


def _overlap(rects: np.ndarray, obstacles: np.ndarray) -> np.ndarray:
    """(T,) total area each of the (T, 4) candidate rects shares with the obstacles."""
    ox = np.clip(
        np.minimum(rects[:, None, 2], obstacles[None, :, 2])
        - np.maximum(rects[:, None, 0], obstacles[None, :, 0]),
        0,
        None,
    )
    oy = np.clip(
        np.minimum(rects[:, None, 3], obstacles[None, :, 3])
        - np.maximum(rects[:, None, 1], obstacles[None, :, 1]),
        0,
        None,
    )
    return (ox * oy).sum(axis=1)


def place_labels(lay: Layout, w: float, h: float) -> np.ndarray:
    """Where each edge's label goes: slid along its edge to a spot clear of nodes, other labels and
    other edges, so it is obvious which line a number belongs to.

    In a fully connected gap every edge crosses the middle, so the middle alone would be ambiguous.
    Greedy, edge by edge, over LABEL_POSITIONS; O(E · positions · obstacles), so small nets only.
    """
    lines = lay.edge_lines
    ts = LABEL_POSITIONS
    obstacles = _obstacles(lay, h)
    x1, y1, x2, y2 = lines[:, 0], lines[:, 1], lines[:, 2], lines[:, 3]
    dx, dy = x2 - x1, y2 - y1
    seg_len2 = np.maximum(dx * dx + dy * dy, 1e-9)
    centers = np.zeros((len(lines), 2))
    for e in range(len(lines)):
        cx = x1[e] + dx[e] * ts
        cy = y1[e] + dy[e] * ts
        rects = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
        # Other edges crossing the label: sample its left, center and right and measure their distance.
        px = np.concatenate([cx - w / 2, cx, cx + w / 2])[:, None]
        py = np.concatenate([cy, cy, cy])[:, None]
        t = np.clip(((px - x1) * dx + (py - y1) * dy) / seg_len2, 0, 1)
        near = np.hypot(x1 + t * dx - px, y1 + t * dy - py) < h * 0.6
        near[:, e] = False
        crossings = near.reshape(3, len(ts), -1).any(axis=0).sum(axis=1)
        cost = _overlap(rects, obstacles) + crossings * (0.25 * w * h) + np.abs(ts - 0.5) * h
        best = int(np.argmin(cost))
        centers[e] = cx[best], cy[best]
        obstacles = np.vstack([obstacles, rects[best]])
    return centers
