"""Edges, the performance core of the canvas: a 784-64-10 net has 50,000 edges that change every frame.

Edge endpoints are computed once per layout as one NumPy array (layout.py); each frame only sorts edges
into (band, width, sign) buckets with NumPy and hands each bucket to `QPainter.drawLines` as a pointer
into that array (qt_draw.draw_lines), so no Python code runs per edge. Also here: gaps whose values are
not computed yet, the gradient-check overlay, and the flagged and selected edges drawn on top.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.options import (
    ANTIALIAS_MAX_EDGES,
    EDGES_PER_PIXEL,
    FAINT_DROP_MIN_EDGES,
    FAINT_FRACTION,
    MIN_GAP_BUDGET,
    SIGN_SLICE,
    UNDERLAY_MIN_COVER,
    WIDTH_LEVELS,
    CanvasOptions,
    FrameStats,
    hairline_width,
)
from backprop_studio.gui.canvas.overlays import OVERLAY_WIDTHS, overlay_colors, overlay_levels
from backprop_studio.gui.canvas.values import edge_values
from backprop_studio.gui.style.colors import RGB, Palette, mix, qcolor
from backprop_studio.gui.style.qt_draw import draw_lines, pen
from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QPainter, QPolygonF

FLAT = Qt.PenCapStyle.FlatCap


def paint_edges(
    painter: QPainter,
    lay: Layout,
    mats: list[np.ndarray | None],
    pal: Palette,
    stats: FrameStats,
    band_gaps: frozenset[int] = frozenset(),
    band_background: RGB = (0, 0, 0),
) -> None:
    """Every edge by its value (`mats[k-1]` is gap k's (n_in, n_out) W or ∂L/∂W): width by magnitude,
    color by sign, blended towards the phase band's color inside `band_gaps`."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, stats.antialiased)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    known_mats = {k: m for k, m in enumerate(mats, start=1) if m is not None}
    known = list(known_mats)
    hairline = hairline_width(lay.unit, stats.antialiased)
    for k in (k for k, m in enumerate(mats, start=1) if m is None):
        _paint_missing_gap(painter, lay, k, pal, hairline)
    if not known:
        stats.edge_vmax = 1.0
        return
    vals = np.concatenate([m.ravel() for m in known_mats.values()])
    # All gaps known (the usual case): the layout's array as is, no copy.
    lines = lay.edge_lines if len(known) == len(mats) else np.concatenate([lay.gap_lines(k) for k in known])
    key = _bucket_keys(lay, vals, [m.size for m in known_mats.values()], known, band_gaps, stats)
    order = np.argsort(key, kind="stable")
    counts = np.bincount(key, minlength=256)[: 4 * WIDTH_LEVELS]
    stats.edges_drawn = int(counts.sum())
    stats.edges_with_values = len(vals)
    starts = np.concatenate(([0], np.cumsum(counts)))
    _paint_underlays(painter, lay, known_mats, hairline, pal, band_gaps, band_background)
    _draw_buckets(
        painter, lines[order], starts, hairline, max(lay.max_edge_width, hairline), pal, band_background
    )


def _paint_missing_gap(painter: QPainter, lay: Layout, k: int, pal: Palette, hairline: float) -> None:
    """A gap whose gradient is not computed yet: thin neutral lines, or one flat shape when dense."""
    seg = lay.gap_lines(k)
    if len(seg) <= ANTIALIAS_MAX_EDGES:
        painter.setPen(pen(qcolor(pal.edge_missing), hairline, FLAT))
        draw_lines(painter, seg)
        return
    a_top, a_bot = lay.column_span(k - 1)
    b_top, b_bot = lay.column_span(k)
    x0, x1 = float(lay.xs[k - 1]), float(lay.xs[k])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(qcolor(mix(pal.background, pal.edge_missing, 0.5)))
    painter.drawPolygon(
        QPolygonF([QPointF(x0, a_top), QPointF(x1, b_top), QPointF(x1, b_bot), QPointF(x0, a_bot)])
    )
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _paint_underlays(
    painter: QPainter,
    lay: Layout,
    known_mats: dict[int, np.ndarray],
    hairline: float,
    pal: Palette,
    band_gaps: frozenset[int],
    band_background: RGB,
) -> None:
    """Under each dense gap, its outline filled with the bundle's mean tone (see UNDERLAY_MIN_COVER):
    at a gap's middle, edges only pass through the heights (y_i + y_j) / 2, and without this the
    background shows between them as rows of white dots."""
    painter.setPen(Qt.PenStyle.NoPen)
    for k, mat in known_mats.items():
        a_top, a_bot = lay.column_span(k - 1)
        b_top, b_bot = lay.column_span(k)
        height = max(a_bot - a_top, b_bot - b_top, 1.0)
        if mat.size * hairline < UNDERLAY_MIN_COVER * height:
            continue
        finite = mat[np.isfinite(mat)]
        share_positive = float(np.mean(finite > 0)) if finite.size else 0.5
        hue = mix(pal.edge_negative, pal.edge_positive, share_positive)
        ground = band_background if k in band_gaps else pal.background
        painter.setBrush(qcolor(mix(ground, hue, 0.5)))
        x0, x1 = float(lay.xs[k - 1]), float(lay.xs[k])
        painter.drawPolygon(
            QPolygonF([QPointF(x0, a_top), QPointF(x1, b_top), QPointF(x1, b_bot), QPointF(x0, a_bot)])
        )
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _bucket_keys(
    lay: Layout,
    vals: np.ndarray,
    gap_sizes: list[int],
    known: list[int],
    band_gaps: frozenset[int],
    stats: FrameStats,
) -> np.ndarray:
    """Per edge, its bucket: band * 2 * WIDTH_LEVELS + width level * 2 + (positive); 255 = not drawn.
    Sets `stats.edge_vmax`, the magnitude of the widest level."""
    mag = np.abs(vals)
    finite = np.isfinite(mag)
    all_finite = bool(finite.all())
    vmax = float(mag.max() if all_finite else (mag[finite].max() if finite.any() else 0.0))
    stats.edge_vmax = vmax if vmax > 0 else 1.0
    level = np.minimum((mag * (WIDTH_LEVELS / stats.edge_vmax)).astype(np.int64), WIDTH_LEVELS - 1)
    key = (level * 2 + (vals > 0)).astype(np.uint8)
    in_band = [k in band_gaps for k in known]
    if any(in_band):
        # Edges over the phase band are blended towards the band's color rather than the background,
        # so the band can sit underneath while weak edges still look like weak edges there.
        key += np.repeat(np.array(in_band, dtype=np.uint8) * 2 * WIDTH_LEVELS, gap_sizes)
    skip = None if all_finite else ~finite
    if len(vals) > FAINT_DROP_MIN_EDGES:
        skip = _faint_edges(lay, mag, known, stats.edge_vmax)
    if skip is not None:
        key[skip] = 255
    return key


def _faint_edges(lay: Layout, mag: np.ndarray, known: list[int], vmax: float) -> np.ndarray:
    """In a big net: edges too faint to see, and in each gap all but its `gap_budget` strongest."""
    skip = ~(mag >= FAINT_FRACTION * vmax)  # also drops NaN
    offset = 0
    for k in known:
        n = lay.edge_start[k] - lay.edge_start[k - 1]
        budget = gap_budget(lay, k)
        part = slice(offset, offset + n)
        kept = n - int(np.count_nonzero(skip[part]))
        if kept > budget:
            # Keep the `budget` strongest edges of this gap; the cut is one O(n) partition.
            threshold = np.partition(mag[part], n - budget)[n - budget]
            skip[part] |= mag[part] < threshold
        offset += n
    return skip


def _draw_buckets(
    painter: QPainter,
    sorted_lines: np.ndarray,
    starts: np.ndarray,
    w_min: float,
    w_max: float,
    pal: Palette,
    band_background: RGB,
) -> None:
    """One pen per bucket; the two signs of a level drawn in alternating slices."""
    for group, ground in enumerate((pal.background, band_background)):
        for lvl in range(WIDTH_LEVELS):
            t = (lvl + 0.5) / WIDTH_LEVELS
            width = w_min + (w_max - w_min) * t
            pens = [
                pen(qcolor(mix(ground, hue, 0.3 + 0.7 * t)), width, FLAT)
                for hue in (pal.edge_negative, pal.edge_positive)
            ]
            b = group * 2 * WIDTH_LEVELS + 2 * lvl
            neg = sorted_lines[starts[b] : starts[b + 1]]
            pos = sorted_lines[starts[b + 1] : starts[b + 2]]
            # Where edges overlap, the last one drawn is what shows; drawing the two signs of a level
            # in alternating slices (alternating which goes first) keeps a dense bundle an honest mix.
            slices = max(1, -(-max(len(neg), len(pos)) // SIGN_SLICE))
            for s in range(slices):
                pair = ((pens[0], neg), (pens[1], pos)) if s % 2 else ((pens[1], pos), (pens[0], neg))
                for p, part in pair:
                    lo, hi = len(part) * s // slices, len(part) * (s + 1) // slices
                    if hi > lo:
                        painter.setPen(p)
                        draw_lines(painter, part[lo:hi])


def gap_budget(lay: Layout, k: int) -> int:
    """How many edges gap k may draw: past a few lines per pixel of column height a bundle is a solid
    block whatever is drawn, so more edges only cost time and hide the structure."""
    top, bottom = lay.rect.top(), lay.rect.bottom()

    def visible_height(c: int) -> float:  # only what is on screen counts when zoomed in
        a, b = lay.column_span(c)
        return max(0.0, min(b, bottom) - max(a, top))

    height = max(visible_height(k), visible_height(k - 1))
    return max(MIN_GAP_BUDGET, int(EDGES_PER_PIXEL * height))


def paint_overlay_edges(
    painter: QPainter, lay: Layout, errors: np.ndarray, pal: Palette, stats: FrameStats
) -> None:
    """Edges colored by gradient-check agreement, one drawLines per band, the worst band on top."""
    u = lay.unit
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, stats.antialiased)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    levels = overlay_levels(errors)
    unchecked = levels < 0
    n_unchecked = int(np.count_nonzero(unchecked))
    # Unchecked edges of a sampled big net would bury the checked ones: they are left out there.
    if n_unchecked and n_unchecked <= FAINT_DROP_MIN_EDGES:
        painter.setPen(pen(qcolor(pal.edge_missing), hairline_width(u, stats.antialiased), FLAT))
        draw_lines(painter, lay.edge_lines[unchecked])
    for level, rgb in enumerate(overlay_colors(pal)):
        chosen = levels == level
        if chosen.any():
            painter.setPen(pen(qcolor(rgb), OVERLAY_WIDTHS[level] * u, FLAT))
            draw_lines(painter, lay.edge_lines[chosen])
    stats.overlay_shown = True
    stats.overlay_unchecked = n_unchecked
    stats.edges_with_values = len(errors) - n_unchecked
    stats.edges_drawn = stats.edges_with_values
    stats.edge_vmax = 1.0


def edge_look(
    mat: np.ndarray | None, i: int, j: int, overlay_level: int | None, pal: Palette
) -> tuple[float, RGB, float | None]:
    """An edge's value (0 when not computed), its color, and its overlay width in units (None: by value).

    The one "edge → value → color" rule shared by the marked edges and the edge labels."""
    value = float(mat[i, j]) if mat is not None else 0.0
    if overlay_level is not None:
        hue = pal.edge_missing if overlay_level < 0 else overlay_colors(pal)[overlay_level]
        return value, hue, OVERLAY_WIDTHS[max(overlay_level, 0)]
    hue = pal.edge_missing if mat is None else (pal.edge_positive if value > 0 else pal.edge_negative)
    return value, hue, None


def paint_marked_edges(
    painter: QPainter,
    lay: Layout,
    snapshot: Snapshot,
    options: CanvasOptions,
    pal: Palette,
    stats: FrameStats,
    overlay: np.ndarray | None = None,
) -> None:
    """Flagged and selected edges: a halo (red for the debugger, black/white for the selection) with
    the edge redrawn on top in its own color, so the highlight never hides the sign (or, under the
    gradient-check overlay, the edge's agreement band)."""
    u = lay.unit
    marked = [(e, pal.warning) for e in sorted(options.highlight_edges)]
    if options.selected_edge is not None:
        marked.append((options.selected_edge, pal.selection))
    mats = edge_values(snapshot, options)
    for (layer, i, j), rgb in marked:
        if not lay.has_edge(layer, i, j):
            continue
        index = lay.edge_index(layer, i, j)
        line = QLineF(*lay.edge_lines[index])
        mat = mats[layer - 1]
        level = None if overlay is None else int(overlay_levels(overlay[index : index + 1])[0])
        value, hue, overlay_width = edge_look(mat, i, j, level, pal)
        own = 2.0 * u
        if overlay_width is not None:
            own = overlay_width * u
        elif mat is not None and np.isfinite(value):
            own = max(own, lay.max_edge_width * min(abs(value) / stats.edge_vmax, 1.0))
        painter.setPen(pen(qcolor(rgb), own + 5 * u, Qt.PenCapStyle.RoundCap))
        painter.drawLine(line)
        painter.setPen(pen(qcolor(hue), own, Qt.PenCapStyle.RoundCap))
        painter.drawLine(line)
