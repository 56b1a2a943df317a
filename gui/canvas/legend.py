"""The legend in the bottom corners: the node color scale (right) and the key to edges and markers
(left), kept below the nodes on a small canvas by dropping the least needed parts first.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.options import CanvasOptions, FrameStats
from backprop_studio.gui.canvas.overlays import OVERLAY_LABELS, OVERLAY_WIDTHS, overlay_colors
from backprop_studio.gui.canvas.values import sample_phrase
from backprop_studio.gui.style.colors import Palette, diverging_lut, qcolor
from backprop_studio.gui.style.qt_draw import font, pen
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QLinearGradient, QPainter, QPen

FLAT = Qt.PenCapStyle.FlatCap
# In units: margin to the canvas edge, color bar size, edge icon width, gap between items.
LEGEND_PAD = 14.0
LEGEND_BAR = (200.0, 10.0)
LEGEND_ICON = 24.0
LEGEND_GAP = 18.0


def paint_legend(
    painter: QPainter,
    rect: QRectF,
    u: float,
    lay: Layout,
    snapshot: Snapshot,
    options: CanvasOptions,
    pal: Palette,
    stats: FrameStats,
) -> None:
    """The node color scale bottom right, the key to edges and markers bottom left, both kept in the
    strip below the nodes: on a small canvas the scale loses its title and the key its least needed
    entries (the thickness note first) rather than covering a node."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    legend_font = font(11.5 * u)
    fm = QFontMetricsF(legend_font)
    painter.setFont(legend_font)
    scale_left = rect.right() - LEGEND_PAD * u - LEGEND_BAR[0] * u - 60 * u  # with its title's overhang
    titled = (
        _color_scale_top(rect, u, fm, titled=True) >= _lowest_node_drawing(lay, stats, scale_left) + 2 * u
    )
    bar = _paint_color_scale(painter, rect, u, fm, snapshot, options, pal, stats, titled)
    floor = _lowest_node_drawing(lay, stats, rect.left(), bar.left()) + 2 * u
    items = _key_items(lay, options, stats)
    placed = _place_key(items, rect, u, fm, bar.left() - 24 * u)
    while items and min(y for *_, y, _ in placed) - fm.height() / 2 - 4 * u < floor:
        drop = next((k for k, (kind, _) in enumerate(items) if kind == "note"), len(items) - 1)
        items = items[:drop] + items[drop + 1 :]
        placed = _place_key(items, rect, u, fm, bar.left() - 24 * u)
    if not titled:
        _paint_title_beside(painter, bar, rect, u, fm, _key_rects(placed, fm), snapshot, options, pal, stats)
    if not placed:
        return
    extent = QRectF()
    for _, _, x, y, width in placed:
        extent = extent.united(QRectF(x, y - fm.height() / 2, width, fm.height()))
    legend_panel(painter, extent.adjusted(-6 * u, -4 * u, 6 * u, 4 * u), pal)
    for kind, text, x, y, width in placed:
        _paint_key_icon(painter, kind, x, y, u, pal)
        tx = x if kind == "note" else x + LEGEND_ICON * u + 6 * u
        painter.setPen(qcolor(pal.muted if kind == "note" else pal.text))
        painter.drawText(
            QRectF(tx, y - fm.height() / 2, width + 2, fm.height()), Qt.AlignmentFlag.AlignVCenter, text
        )


def _lowest_node_drawing(lay: Layout, stats: FrameStats, left: float, right: float = np.inf) -> float:
    """The bottom of the lowest node, bias marker or label of the columns near [left, right]; -inf when
    zoomed or panned, where the network slides under the legend anyway (its backing keeps it readable)."""
    if lay.content != lay.rect:
        return float("-inf")
    reach = 80 * lay.unit  # a column's labels hang this far to its sides
    near = [c for c in range(len(lay.sizes)) if left - reach <= lay.xs[c] <= right + reach]
    bottoms = [lay.column_span(c)[1] + (0.0 if lay.dense[c] else 0.4 * lay.radius[c]) for c in near]
    bottoms += [r.bottom() for r, c, _ in stats.bias_label_rects if c in near]
    return max(bottoms, default=float("-inf"))


def _color_scale_top(rect: QRectF, u: float, fm: QFontMetricsF, titled: bool) -> float:
    """Top of the color scale's backing panel."""
    bar_top = rect.bottom() - LEGEND_PAD * u - fm.height() - 4 * u - LEGEND_BAR[1] * u
    return bar_top - (fm.height() + 3 * u if titled else 0) - 4 * u


def _paint_color_scale(
    painter: QPainter,
    rect: QRectF,
    u: float,
    fm: QFontMetricsF,
    snapshot: Snapshot,
    options: CanvasOptions,
    pal: Palette,
    stats: FrameStats,
    titled: bool = True,
) -> QRectF:
    """The node color bar with its title (if `titled`) and −vmax, 0, +vmax under it; returns the bar."""
    pad = LEGEND_PAD * u
    bar_w, bar_h = LEGEND_BAR[0] * u, LEGEND_BAR[1] * u
    bar = QRectF(rect.right() - pad - bar_w, rect.bottom() - pad - fm.height() - 4 * u - bar_h, bar_w, bar_h)
    title = _scale_title(snapshot, options)
    title_w = fm.horizontalAdvance(title)
    title_rect = QRectF(bar.right() - title_w, bar.top() - fm.height() - 3 * u, title_w, fm.height())
    panel = title_rect.united(bar) if titled else QRectF(bar)
    # A backing panel keeps the legend readable when zooming or panning slides edges under it.
    legend_panel(painter, panel.adjusted(-6 * u, -4 * u, 6 * u, fm.height() + 6 * u), pal)
    if titled:
        painter.setPen(qcolor(pal.muted))
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignRight, title)
    gradient = QLinearGradient(bar.topLeft(), bar.topRight())
    lut = diverging_lut(options.dark)
    for t in np.linspace(0, 1, 9):
        gradient.setColorAt(float(t), QColor.fromRgba(int(lut[round(t * 255)])))
    painter.setPen(QPen(qcolor(pal.node_outline), 0.8 * u))
    painter.setBrush(QBrush(gradient))
    painter.drawRect(bar)
    painter.setPen(qcolor(pal.text))
    y, h, vmax = bar.bottom() + 2 * u, fm.height(), stats.node_vmax
    center = Qt.AlignmentFlag.AlignCenter
    painter.drawText(QRectF(bar.left() - 40 * u, y, 80 * u, h), center, format_number(-vmax))
    painter.drawText(QRectF(bar.center().x() - 40 * u, y, 80 * u, h), center, "0")
    painter.drawText(
        QRectF(bar.right() - 80 * u, y, 80 * u, h), Qt.AlignmentFlag.AlignRight, "+" + format_number(vmax)
    )
    return bar


def _scale_title(snapshot: Snapshot, options: CanvasOptions) -> str:
    quantity = "∂L/∂z" if options.gradients else "activation a"
    return f"node color = {quantity} ({sample_phrase(snapshot, options)})"


def _key_rects(placed: list[tuple[str, str, float, float, float]], fm: QFontMetricsF) -> list[QRectF]:
    return [QRectF(x, y - fm.height() / 2, width, fm.height()) for _, _, x, y, width in placed]


def _paint_title_beside(
    painter: QPainter,
    bar: QRectF,
    rect: QRectF,
    u: float,
    fm: QFontMetricsF,
    taken: list[QRectF],
    snapshot: Snapshot,
    options: CanvasOptions,
    pal: Palette,
    stats: FrameStats,
) -> None:
    """When the nodes leave no room above the color bar (a tall output column), its title goes on the
    bar's line, left of it, if that is clear of the key; a bar without its title says nothing."""
    title = _scale_title(snapshot, options)
    width = fm.horizontalAdvance(title) + 2
    box = QRectF(bar.left() - 10 * u - width, bar.center().y() - fm.height() / 2, width, fm.height())
    room = box.adjusted(-6 * u, -2 * u, 0, 2 * u)
    if box.left() < rect.left() + LEGEND_PAD * u or any(room.intersects(r) for r in taken):
        return
    legend_panel(painter, box.adjusted(-6 * u, -3 * u, 4 * u, 3 * u), pal)
    painter.setPen(qcolor(pal.muted))
    painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, title)
    stats.scale_title_beside = True


def _key_items(lay: Layout, options: CanvasOptions, stats: FrameStats) -> list[tuple[str, str]]:
    """(kind, text) of each key entry: edge signs or overlay bands, biases, not-computed nodes."""
    name = "∂L/∂w" if options.gradients else "weight"
    note = f"thickness ∝ |{'∂L/∂w' if options.gradients else 'w'}|"
    if stats.edges_drawn < stats.edges_with_values:
        note += f" ({stats.edges_drawn:,} strongest of {stats.edges_with_values:,} edges drawn)"
    items = [("positive", f"{name} > 0"), ("negative", f"{name} < 0"), ("note", note)]
    if stats.overlay_shown:
        items = [("note", "edge color = gradient check, relative error:")]
        items += [(f"overlay{level}", text) for level, text in enumerate(OVERLAY_LABELS)]
        if stats.overlay_unchecked:
            items.append(("unchecked", f"not checked ({stats.overlay_unchecked:,})"))
    if options.show_biases and not all(lay.dense[1:]):
        items.append(("bias", "∂L/∂b" if options.gradients else "bias b"))
    if stats.has_missing:
        items.append(("missing", "not computed yet in this batch"))
    return items


def _place_key(
    items: list[tuple[str, str]], rect: QRectF, u: float, fm: QFontMetricsF, limit: float
) -> list[tuple[str, str, float, float, float]]:
    """(kind, text, x, y, width) of each item, left to right from the bottom left, wrapping upwards
    before `limit` (the color scale) if the canvas is narrow."""
    pad, icon_w = LEGEND_PAD * u, LEGEND_ICON * u
    x, y = rect.left() + pad, rect.bottom() - pad - fm.height() / 2
    placed = []
    for kind, text in items:
        width = (0 if kind == "note" else icon_w + 6 * u) + fm.horizontalAdvance(text)
        if x + width > limit and x > rect.left() + pad:
            x, y = rect.left() + pad, y - fm.height() - 6 * u
        placed.append((kind, text, x, y, width))
        x += width + LEGEND_GAP * u
    return placed


def _paint_key_icon(painter: QPainter, kind: str, x: float, y: float, u: float, pal: Palette) -> None:
    icon_w = LEGEND_ICON * u
    line_pens = {
        "positive": (pal.edge_positive, 3.0),
        "negative": (pal.edge_negative, 3.0),
        "unchecked": (pal.edge_missing, 1.2),
    }
    if kind.startswith("overlay"):
        level = int(kind[len("overlay") :])
        line_pens[kind] = (overlay_colors(pal)[level], OVERLAY_WIDTHS[level])
    if kind in line_pens:
        rgb, width = line_pens[kind]
        painter.setPen(pen(qcolor(rgb), width * u, FLAT))
        painter.drawLine(QPointF(x, y), QPointF(x + icon_w, y))
    elif kind == "bias":
        side = 8 * u
        painter.setPen(QPen(qcolor(pal.node_outline), 1.0 * u))
        painter.setBrush(qcolor(pal.positive))
        painter.drawRect(QRectF(x + icon_w / 2 - side / 2, y - side / 2, side, side))
    elif kind == "missing":
        painter.setPen(QPen(qcolor(pal.muted), 1.2 * u, Qt.PenStyle.DashLine))
        painter.setBrush(qcolor(pal.node_empty))
        painter.drawEllipse(QPointF(x + icon_w / 2, y), 7 * u, 7 * u)


def legend_panel(painter: QPainter, rect: QRectF, pal: Palette) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(qcolor(pal.background, 225))
    painter.drawRoundedRect(rect, 6, 6)
