"""Where everything goes: node centers, radii, edge endpoints for one set of layer sizes in one
rectangle, under the widget's zoom and pan; computed once per geometry and cached.

Edge endpoints are one (E, 4) float64 array, gap by gap, each gap in `weights[k].ravel()` order, so a
frame hands buckets of it straight to `QPainter.drawLines` and no Python code runs per edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from backprop_studio.gui.canvas.options import DENSE_RADIUS, METRICS, CanvasMetrics
from backprop_studio.gui.canvas.pixel_grid import PixelGrid, fit_grid, scaled
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTransform


@dataclass(eq=False)
class Layout:
    """Where everything goes for one set of layer sizes in one rectangle (all in painter coordinates)."""

    sizes: tuple[int, ...]
    rect: QRectF  # the visible area
    content: QRectF  # the area the network is spread over: `rect` zoomed and panned
    unit: float  # 1.0 at 1280x720; text and strokes scale with it
    xs: np.ndarray  # (columns,) x of each column
    ys: tuple[np.ndarray, ...]  # node center y per column
    spacing: tuple[float, ...]
    radius: tuple[float, ...]
    dense: tuple[bool, ...]  # drawn as a color strip
    edge_lines: np.ndarray  # (E, 4) float64 x1 y1 x2 y2, gap by gap, each gap in weights[k].ravel() order
    edge_start: tuple[int, ...]  # gap k (1-based) is edge_lines[edge_start[k-1]:edge_start[k]]
    max_edge_width: float
    header_top: float
    content_top: float
    content_bottom: float
    serial: int = 0  # distinguishes layouts for caches keyed on geometry
    metrics: CanvasMetrics = METRICS
    grid: PixelGrid | None = None  # the inputs drawn as an image's pixels (pixel_grid.py), else None

    @property
    def n_edges(self) -> int:
        return len(self.edge_lines)

    def gap_lines(self, k: int) -> np.ndarray:
        """The (n_in * n_out, 4) endpoints of the edges feeding layer k (1-based)."""
        return self.edge_lines[self.edge_start[k - 1] : self.edge_start[k]]

    def edge_index(self, layer: int, i: int, j: int) -> int:
        """Row of edge (layer, i, j) in `edge_lines`."""
        return self.edge_start[layer - 1] + i * self.sizes[layer] + j

    def has_edge(self, layer: int, i: int, j: int) -> bool:
        return 1 <= layer < len(self.sizes) and 0 <= i < self.sizes[layer - 1] and 0 <= j < self.sizes[layer]

    def node_center(self, layer: int, index: int) -> QPointF:
        if layer == 0 and self.grid is not None:
            return self.grid.cell_rect(index).center()
        return QPointF(float(self.xs[layer]), float(self.ys[layer][index]))

    def edge_midpoint(self, layer: int, i: int, j: int) -> QPointF:
        x1, y1, x2, y2 = self.edge_lines[self.edge_index(layer, i, j)]
        return QPointF((x1 + x2) / 2, (y1 + y2) / 2)

    def row_at(self, layer: int, y: float) -> int:
        """The node of column `layer` nearest height `y`."""
        ys = self.ys[layer]
        return int(np.clip(np.rint((y - ys[0]) / self.spacing[layer]), 0, len(ys) - 1))

    def column_span(self, layer: int) -> tuple[float, float]:
        """Top and bottom of the column's nodes."""
        ys, r = self.ys[layer], self.radius[layer]
        half = self.spacing[layer] / 2 if self.dense[layer] else r
        return float(ys[0]) - half, float(ys[-1]) + half

    def min_gap(self) -> float:
        """The smallest distance between neighboring columns (inf for a single column)."""
        return float(np.min(np.diff(self.xs))) if len(self.xs) > 1 else float("inf")

    def smallest_visible_radius(self) -> float:
        """The smallest node radius among the circle columns on screen (inf when there are none)."""
        left, right = self.rect.left(), self.rect.right()
        radii = [
            r
            for c, (x, r, dense) in enumerate(zip(self.xs, self.radius, self.dense, strict=True))
            if not dense and left - r <= x <= right + r and not (c == 0 and self.grid is not None)
        ]
        return min(radii, default=float("inf"))

    def bias_marker_rect(self, layer: int, index: int) -> QRectF | None:
        """The small square that stands for neuron `index`'s bias; None where there is no room for one."""
        r, m = self.radius[layer], self.metrics
        if layer == 0 or self.dense[layer] or r < m.bias_marker_min_radius * self.unit:
            return None
        side = max(m.bias_marker_side * self.unit, m.bias_marker_ratio * r)
        cx = float(self.xs[layer]) - m.bias_marker_offset * r
        cy = float(self.ys[layer][index]) + m.bias_marker_offset * r
        return QRectF(cx - side / 2, cy - side / 2, side, side)


def unit_for(rect: QRectF) -> float:
    """Scale of text and strokes for an output of this size: 1 at 1280x720, 1.5 at 1920x1080."""
    return float(min(max(min(rect.width() / 1280, rect.height() / 720), 0.85), 3.0))


def _bands(rect: QRectF, u: float, m: CanvasMetrics) -> tuple[float, float, float]:
    """Top of the headers, and top and bottom of the area the nodes are spread over."""
    header_top = rect.top() + m.header_top * u
    content_top = rect.top() + m.content_top * u
    content_bottom = rect.bottom() - m.legend_strip * u
    if content_bottom - content_top < m.min_content * u:  # tiny rect: squeeze margins rather than invert
        content_top, content_bottom = rect.top() + m.tiny_margin_px, rect.bottom() - m.tiny_margin_px
    return header_top, content_top, content_bottom


def _column_xs(n_cols: int, rect: QRectF, u: float, m: CanvasMetrics) -> np.ndarray:
    margin = min(m.side_margin * u, rect.width() * m.side_margin_fraction)
    if n_cols > 1:
        return np.linspace(rect.left() + margin, rect.right() - margin, n_cols)
    return np.array([rect.center().x()])


def _rows(
    sizes: Sequence[int], top: float, bottom: float, gap: float, u: float, m: CanvasMetrics
) -> tuple[list[np.ndarray], list[float], list[float]]:
    """Per column: node center ys, spacing and radius, centered vertically between `top` and `bottom`."""
    avail_h = bottom - top
    r_max = m.max_radius * u
    max_spacing = 2 * r_max + m.bias_label_room * u
    mid = (top + bottom) / 2
    ys, spacing, radius = [], [], []
    for n in sizes:
        sp = min(avail_h / max(n, 1), max_spacing)
        ys.append(mid + (np.arange(n) - (n - 1) / 2) * sp)
        spacing.append(sp)
        radius.append(min(r_max, m.radius_per_spacing * sp, m.radius_per_gap * gap))
    return ys, spacing, radius


def _edge_lines(
    sizes: Sequence[int], xs: np.ndarray, ys: Sequence[np.ndarray], first_xs: np.ndarray | None = None
) -> tuple[np.ndarray, list[int]]:
    """Edge endpoints of gap k: row i * n_out + j goes from node i of column k-1 to node j of column k.
    `first_xs` gives each input its own x (the cells of a pixel grid); None: the column's x."""
    chunks = []
    starts = [0]
    for k in range(1, len(sizes)):
        n_in, n_out = sizes[k - 1], sizes[k]
        lines = np.empty((n_in * n_out, 4))
        lines[:, 0] = np.repeat(first_xs, n_out) if k == 1 and first_xs is not None else xs[k - 1]
        lines[:, 1] = np.repeat(ys[k - 1], n_out)
        lines[:, 2] = xs[k]
        lines[:, 3] = np.tile(ys[k], n_in)
        chunks.append(lines)
        starts.append(starts[-1] + len(lines))
    edge_lines = np.ascontiguousarray(np.concatenate(chunks)) if chunks else np.zeros((0, 4))
    return edge_lines, starts


def _max_edge_width(
    sizes: Sequence[int], spacing: Sequence[float], u: float, s: float, m: CanvasMetrics
) -> float:
    """The strongest edge may be at most this wide: narrower where nodes are close together or where
    many edges share a gap, so bundles converging on a node do not merge into a blob."""
    widest = m.max_edge_width * u
    for k in range(1, len(sizes)):
        n_gap = sizes[k - 1] * sizes[k]
        widest = min(
            widest,
            m.edge_width_per_spacing * min(spacing[k - 1], spacing[k]),
            m.edge_width_bundle * u * s / np.sqrt(n_gap),
        )
    return max(widest, m.min_edge_width_px)


def compute_layout(
    sizes: tuple[int, ...],
    rect: QRectF,
    view: QTransform | None = None,
    serial: int = 0,
    m: CanvasMetrics = METRICS,
    grid_shape: tuple[int, int] | None = None,
) -> Layout:
    """Node centers, radii and edge endpoints for `sizes` (inputs first) filling `rect`.

    `view` (scale and translation) zooms and pans: positions, node sizes and the level of detail
    follow it, so a crowded column opens up into circles when zoomed in, while text keeps its size.
    `grid_shape` (rows, cols) lays the inputs out as an image's pixels instead of a column.
    """
    u = unit_for(rect)
    s, dx, dy = _scale_and_shift(view)
    header_top, content_top, content_bottom = _bands(rect, u, m)
    xs = _column_xs(len(sizes), rect, u, m)
    gap = float(xs[1] - xs[0]) if len(sizes) > 1 else rect.width()
    ys, spacing, radius = _rows(sizes, content_top, content_bottom, gap, u, m)
    grid = None
    if grid_shape is not None and sizes and grid_shape[0] * grid_shape[1] == sizes[0]:
        next_x = float(xs[1]) if len(sizes) > 1 else None
        grid = fit_grid(grid_shape, float(xs[0]), rect, next_x, content_top, content_bottom, u)
        xs[0] = grid.rect.center().x()  # the column's header and phase band follow the grid

    # Zoom: every length scales, text does not.
    xs = xs * s + dx
    ys = [y * s + dy for y in ys]
    spacing = [sp * s for sp in spacing]
    radius = [r * s for r in radius]
    header_top, content_top, content_bottom = (v * s + dy for v in (header_top, content_top, content_bottom))
    first_xs = None
    if grid is not None:
        grid = scaled(grid, s, dx, dy)
        first_xs, ys[0] = grid.centers()
        spacing[0], radius[0] = grid.cell, grid.cell / 2
    edge_lines, starts = _edge_lines(sizes, xs, ys, first_xs)
    return Layout(
        sizes=sizes,
        rect=QRectF(rect),
        content=QRectF(rect.left() * s + dx, rect.top() * s + dy, rect.width() * s, rect.height() * s),
        unit=u,
        xs=xs,
        ys=tuple(ys),
        spacing=tuple(spacing),
        radius=tuple(radius),
        dense=tuple(r < DENSE_RADIUS and not (c == 0 and grid is not None) for c, r in enumerate(radius)),
        edge_lines=edge_lines,
        edge_start=tuple(starts),
        max_edge_width=_max_edge_width(sizes, spacing, u, s, m),
        header_top=header_top,
        content_top=content_top,
        content_bottom=content_bottom,
        serial=serial,
        metrics=m,
        grid=grid,
    )


def _scale_and_shift(view: QTransform | None) -> tuple[float, float, float]:
    if view is None or view.isIdentity():
        return 1.0, 0.0, 0.0
    return view.m11(), view.dx(), view.dy()


class LayoutCache:
    """The last layout, recomputed only when the sizes, the rectangle or the view change."""

    def __init__(self) -> None:
        self._layout: Layout | None = None
        self._key: tuple | None = None

    @property
    def last(self) -> Layout | None:
        return self._layout

    def get(
        self,
        sizes: Sequence[int],
        rect: QRectF,
        view: QTransform | None = None,
        grid_shape: tuple[int, int] | None = None,
    ) -> Layout:
        sizes = tuple(int(n) for n in sizes)
        key = (sizes, rect.x(), rect.y(), rect.width(), rect.height(), *_scale_and_shift(view), grid_shape)
        if key != self._key or self._layout is None:
            serial = self._layout.serial + 1 if self._layout is not None else 1
            self._layout = compute_layout(sizes, rect, view, serial, grid_shape=grid_shape)
            self._key = key
        return self._layout
