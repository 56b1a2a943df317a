"""Nodes: circles colored by their value, color strips for columns too crowded for circles, heatmaps
of each neuron's output over the input plane, bias markers, the numbers written on or under each node
(node_labels.py draws those under or beside it), and (marks.py) the rings and frames that mark selected
and flagged neurons and layers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from backprop_studio.core.analysis.images import as_read
from backprop_studio.core.display.numbers import format_number
from backprop_studio.gui.canvas.heatmaps import heat_images_for, weight_image_side
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.marks import paint_marks
from backprop_studio.gui.canvas.node_labels import pill_label, side_label
from backprop_studio.gui.canvas.options import CanvasOptions, FrameStats
from backprop_studio.gui.canvas.pixel_grid import grid_colors, paint_grid
from backprop_studio.gui.style.colors import (
    Palette,
    diverging_lut,
    lut_indices,
    qcolor,
    readable_text_on,
)
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

# Radius (in units) from which a node's number is written inside it.
VALUE_INSIDE_MIN_RADIUS = 15.0
STRIP_WIDTH = 9.0  # units: the bar a crowded column is drawn as


@dataclass
class _Style:
    """What every node of a frame is drawn with."""

    lut: np.ndarray
    pal: Palette
    outline: QPen
    empty_pen: QPen
    value_font: QFont
    small_font: QFont
    small_fm: QFontMetricsF
    b_name: str  # how bias labels name the bias: b, or db in gradients mode


@dataclass
class _Column:
    """One column's colors and what goes on its nodes."""

    c: int
    vals: np.ndarray | None
    colors: np.ndarray | None  # ARGB per node, None when not computed yet
    bvals: np.ndarray | None
    bias_colors: np.ndarray | None
    heat_images: list[QImage] | None
    heat_side: float  # the side of the square a heatmap fills
    values_inside: bool
    values_below: bool
    show: bool  # numbers written for this column


def paint_nodes(
    painter: QPainter,
    lay: Layout,
    options: CanvasOptions,
    pal: Palette,
    stats: FrameStats,
    cols: list[np.ndarray | None],
    biases: list[np.ndarray | None],
    bias_vmax: float,
    neuron_maps: list[np.ndarray] | None,
    weight_images: list[QImage] | None = None,
) -> None:
    """Every column's nodes, their labels and marks; `cols` per column and `biases` per layer as shown.
    `weight_images` (image inputs): layer 1's incoming weights as images, drawn as its heatmaps."""
    u = lay.unit
    lut = diverging_lut(options.dark)
    small_font = font(10 * u)
    style = _Style(
        lut=lut,
        pal=pal,
        outline=QPen(qcolor(pal.node_outline), 1.2 * u),
        empty_pen=QPen(qcolor(pal.muted), 1.2 * u, Qt.PenStyle.DashLine),
        value_font=font(11 * u),
        small_font=small_font,
        small_fm=QFontMetricsF(small_font),
        b_name="db" if options.gradients else "b",
    )
    for c in range(len(lay.sizes)):
        vals = cols[c]
        if c == 0 and lay.grid is not None:
            shown = vals if options.gradients or vals is None else as_read(vals, options.image_unscale)
            pixels = grid_colors(shown, options.gradients, options.image_range, options.dark)
            selected = options.selected_neuron
            paint_grid(
                painter, lay.grid, pixels, pal, u, selected[1] if selected and selected[0] == 0 else None
            )
            continue
        colors = lut[lut_indices(vals, stats.node_vmax)] if vals is not None else None
        if lay.dense[c]:
            paint_strip(painter, lay, c, colors, pal)
            continue
        col = _column(
            lay, options, stats, style, c, vals, colors, biases, bias_vmax, neuron_maps, weight_images
        )
        for i in range(lay.sizes[c]):
            _paint_node(painter, lay, style, col, i)
            _paint_bias_marker(painter, lay, options, style, col, i)
            if col.show:
                _paint_node_values(painter, lay, options, style, stats, col, i)
        if col.show:
            stats.value_columns.append(c)
        paint_marks(painter, lay, c, options, pal)


def _column(
    lay: Layout,
    options: CanvasOptions,
    stats: FrameStats,
    style: _Style,
    c: int,
    vals: np.ndarray | None,
    colors: np.ndarray | None,
    biases: list[np.ndarray | None],
    bias_vmax: float,
    neuron_maps: list[np.ndarray] | None,
    weight_images: list[QImage] | None,
) -> _Column:
    r = lay.radius[c]
    bvals = biases[c - 1] if c >= 1 else None
    heat_images, heat_side = heat_images_for(lay, options, c, neuron_maps), 2 * r
    if c == 1 and weight_images is not None:
        heat_side = weight_image_side(lay, options)
        heat_images = weight_images if heat_side > 0 else None
    if c == 0:
        stats.input_maps_shown |= heat_images is not None
    else:
        stats.heatmaps_shown |= heat_images is not None
    show = stats.values_shown
    reach = max(r, heat_side / 2) if heat_images is not None else r  # a weight image is wider than its node
    return _Column(
        c=c,
        vals=vals,
        colors=colors,
        bvals=bvals,
        bias_colors=style.lut[lut_indices(bvals, bias_vmax)] if bvals is not None else None,
        heat_images=heat_images,
        heat_side=heat_side,
        values_inside=show and r >= VALUE_INSIDE_MIN_RADIUS * lay.unit and heat_images is None,
        # Otherwise under the node (value, then bias) if two lines fit between neighbors, else beside.
        values_below=show and lay.spacing[c] - 2 * reach >= 2 * style.small_fm.height() + 10 * lay.unit,
        show=show,
    )


def _paint_node(painter: QPainter, lay: Layout, style: _Style, col: _Column, i: int) -> None:
    """The node itself: its heatmap framed in its color, a hollow circle, or a filled one."""
    u, c = lay.unit, col.c
    x, y, r = float(lay.xs[c]), float(lay.ys[c][i]), lay.radius[c]
    if col.heat_images is not None:
        h = col.heat_side / 2
        target = QRectF(x - h, y - h, 2 * h, 2 * h)
        painter.drawImage(target, col.heat_images[i])
        ring = QPen(qcolor(style.pal.node_outline), 1.2 * u)
        if col.colors is not None:
            ring = QPen(QColor.fromRgba(int(col.colors[i])), min(3.5 * u, max(h / 4, 1.5)))
        painter.setPen(ring)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(target, 4 * u, 4 * u)
    elif col.colors is None:
        painter.setPen(style.empty_pen)
        painter.setBrush(qcolor(style.pal.node_empty))
        painter.drawEllipse(QPointF(x, y), r, r)
    else:
        painter.setPen(style.outline)
        painter.setBrush(QColor.fromRgba(int(col.colors[i])))
        painter.drawEllipse(QPointF(x, y), r, r)


def _paint_bias_marker(
    painter: QPainter, lay: Layout, options: CanvasOptions, style: _Style, col: _Column, i: int
) -> None:
    if not options.show_biases or col.bvals is None or col.bias_colors is None:
        return
    if col.heat_side > 2 * lay.radius[col.c]:
        return  # a weight image fills the node: a marker would read as one of its pixels (b is beside it)
    marker = lay.bias_marker_rect(col.c, i)
    if marker is not None:
        painter.setPen(QPen(qcolor(style.pal.node_outline), 1.0 * lay.unit))
        painter.setBrush(QColor.fromRgba(int(col.bias_colors[i])))
        painter.drawRect(marker)


def _paint_node_values(
    painter: QPainter,
    lay: Layout,
    options: CanvasOptions,
    style: _Style,
    stats: FrameStats,
    col: _Column,
    i: int,
) -> None:
    """The node's value inside it (or under it, or beside it) and its bias under that."""
    u, c, pal = lay.unit, col.c, style.pal
    x, y = float(lay.xs[c]), lay.ys[c][i]
    r = max(lay.radius[c], col.heat_side / 2) if col.heat_images is not None else lay.radius[c]
    v_text = format_number(float(col.vals[i])) if col.vals is not None else "–"
    if options.hidden_node == (c, i):
        v_text = "?"
    b_text = None
    if options.show_biases and col.bvals is not None:
        b_text = f"{style.b_name}={format_number(float(col.bvals[i]))}"
    below = QPointF(x, y + r + 3 * u)
    if col.values_inside:
        painter.setFont(style.value_font)
        text_rgb = readable_text_on(int(col.colors[i])) if col.colors is not None else pal.muted
        painter.setPen(qcolor(text_rgb))
        painter.drawText(QRectF(x - r, y - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, v_text)
    elif col.values_below:
        value_rect = pill_label(painter, lay, pal, style.small_font, style.small_fm, v_text, below, pal.text)
        below = QPointF(x, value_rect.bottom() + 1 * u)
    if col.values_inside or col.values_below:
        if b_text is not None:
            label = pill_label(painter, lay, pal, style.small_font, style.small_fm, b_text, below, pal.muted)
            stats.bias_label_rects.append((label, c, i))
    else:
        text = v_text if b_text is None else f"{v_text}  {b_text}"
        side_label(painter, lay, pal, style.small_font, style.small_fm, c, i, text, r)


def paint_strip(painter: QPainter, lay: Layout, c: int, colors: np.ndarray | None, pal: Palette) -> None:
    """A column too crowded for circles: one pixel row per neuron, scaled into a thin bar."""
    u = lay.unit
    top, bottom = lay.column_span(c)
    width = STRIP_WIDTH * u
    rect = QRectF(float(lay.xs[c]) - width / 2, top, width, bottom - top)
    if colors is None:
        painter.setPen(QPen(qcolor(pal.muted), 1.2 * u, Qt.PenStyle.DashLine))
        painter.setBrush(qcolor(pal.node_empty))
        painter.drawRect(rect)
        return
    column = np.ascontiguousarray(colors, dtype=np.uint32).reshape(-1, 1)
    image = QImage(column.data, 1, len(column), 4, QImage.Format.Format_ARGB32)
    painter.drawImage(rect, image)
    painter.setPen(QPen(qcolor(pal.node_outline), 1.0 * u))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
