"""Everything around the network: the band that highlights the last completed phase, the column
headers, and the legend (color scale and key to edges and markers) in the bottom corners.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.options import CanvasOptions, FrameStats, PhaseBand
from backprop_studio.gui.canvas.overlays import OVERLAY_LABELS, OVERLAY_WIDTHS, overlay_colors
from backprop_studio.gui.canvas.values import sample_phrase
from backprop_studio.gui.style.colors import RGB, Palette, diverging_lut, mix, qcolor, readable_text_on
from backprop_studio.gui.style.qt_draw import font, pen
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QLinearGradient, QPainter, QPen

FLAT = Qt.PenCapStyle.FlatCap
# The phase band, in units: above the nodes (room for its label), below them, around a column's nodes,
# and the loss band's smallest half-width (room for "loss = …").
BAND_ABOVE = 34.0
BAND_BELOW = 10.0
BAND_REACH = 12.0
LOSS_BAND_HALF_WIDTH = 58.0
# The legend, in units: margin to the canvas edge, color bar size, edge icon width, gap between items.
LEGEND_PAD = 14.0
LEGEND_BAR = (200.0, 10.0)
LEGEND_ICON = 24.0
LEGEND_GAP = 18.0

# ------------------------------------------------------------------------------------------ phase band


def phase_band(lay: Layout, snapshot: Snapshot) -> PhaseBand | None:
    """Where to highlight the last completed phase, and which gaps of edges it covers."""
    phase = snapshot.phase
    if phase is None:
        return None
    u = lay.unit
    top = lay.content_top - BAND_ABOVE * u
    bottom = lay.content_bottom + BAND_BELOW * u

    def reach(c: int) -> float:
        return max(lay.radius[c], 4 * u) + BAND_REACH * u

    last = len(lay.sizes) - 1
    if phase.kind in ("forward", "backward") and phase.layer is not None and 1 <= phase.layer <= last:
        k = phase.layer
        left = float(lay.xs[k - 1]) + reach(k - 1) - 4 * u
        right = float(lay.xs[k]) + reach(k)
        arrow = "→ forward" if phase.kind == "forward" else "← backward"
        rect = QRectF(left, top, right - left, bottom - top)
        return PhaseBand(rect, f"{arrow} · layer {k}", phase.kind, frozenset({k}))
    if phase.kind == "loss":
        x = float(lay.xs[last])
        half = max(reach(last), LOSS_BAND_HALF_WIDTH * u)
        label = "loss" if snapshot.loss is None else f"loss = {format_number(snapshot.loss)}"
        return PhaseBand(QRectF(x - half, top, 2 * half, bottom - top), label, "loss", frozenset())
    if phase.kind == "update":
        left = float(lay.xs[0]) + reach(0) - 4 * u
        right = float(lay.xs[last]) + reach(last)
        rect = QRectF(left, top, right - left, bottom - top)
        return PhaseBand(rect, "update: every w and b changes", "update", frozenset(range(1, last + 1)))
    return None


def band_background(pal: Palette, band: PhaseBand) -> RGB:
    hue: RGB = getattr(pal, band.kind)
    return mix(pal.background, hue, 0.18 if pal.background[0] < 128 else 0.12)


def paint_phase_band(painter: QPainter, lay: Layout, pal: Palette, band: PhaseBand) -> None:
    u = lay.unit
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(qcolor(mix(pal.background, getattr(pal, band.kind), 0.5)), 1.2 * u))
    painter.setBrush(qcolor(band_background(pal, band)))
    painter.drawRoundedRect(band.rect, 10 * u, 10 * u)


def paint_phase_label(painter: QPainter, lay: Layout, pal: Palette, band: PhaseBand) -> None:
    """The phase's name in a pill at the top of its band, kept inside the canvas."""
    u = lay.unit
    hue: RGB = getattr(pal, band.kind)
    label_font = font(15 * u, bold=True)
    painter.setFont(label_font)
    fm = QFontMetricsF(label_font)
    width = fm.horizontalAdvance(band.label) + 20 * u
    rect = band.rect
    label_rect = QRectF(rect.center().x() - width / 2, rect.top() + 5 * u, width, fm.height() + 4 * u)
    bounds = lay.rect
    if label_rect.right() > bounds.right() - 4 * u:
        label_rect.moveRight(bounds.right() - 4 * u)
    if label_rect.left() < bounds.left() + 4 * u:
        label_rect.moveLeft(bounds.left() + 4 * u)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(qcolor(hue))
    painter.drawRoundedRect(label_rect, label_rect.height() / 2, label_rect.height() / 2)
    painter.setPen(qcolor(readable_text_on(0xFF000000 | (hue[0] << 16) | (hue[1] << 8) | hue[2])))
    painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, band.label)


# --------------------------------------------------------------------------------------------- headers


def layer_title(sizes: Sequence[int], activations: Sequence[str], layer: int) -> str:
    """Column header: "Input", "Layer 2 · tanh", "Output · sigmoid" (columns count layers from 1)."""
    if layer == 0:
        return "Input"
    act = activations[layer - 1] if layer - 1 < len(activations) else ""
    name = "Output" if layer == len(sizes) - 1 else f"Layer {layer}"
    return f"{name} · {act}" if act else name


def count_text(n: int, layer: int) -> str:
    noun = "input" if layer == 0 else "neuron"
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def paint_headers(
    painter: QPainter,
    lay: Layout,
    snapshot: Snapshot,
    options: CanvasOptions,
    pal: Palette,
    stats: FrameStats | None = None,
) -> None:
    """Per column a title (warning-colored when the debugger flags the layer) and a count line, pinned
    to the top of the canvas while zooming and panning (on a backing panel when edges slide under)."""
    u = lay.unit
    top = lay.rect.top() + lay.metrics.header_top * u  # pinned: where it is before any zoom or pan
    title_font = font(14 * u, bold=True)
    count_font = font(11.5 * u)
    tfm, cfm = QFontMetricsF(title_font), QFontMetricsF(count_font)
    gap = float(lay.xs[1] - lay.xs[0]) if len(lay.sizes) > 1 else lay.rect.width()
    notes = options.column_notes or ()
    zoomed = abs(lay.header_top - top) > 0.5 or lay.content.width() != lay.rect.width()
    for c, n in enumerate(lay.sizes):
        x = float(lay.xs[c])
        # Each header may use its share of the width between neighboring columns, no more.
        width = min(gap * 0.96, 2 * (x - lay.content.left()) - 4 * u, 2 * (lay.content.right() - x) - 4 * u)
        width = max(width, 40 * u)
        title = layer_title(lay.sizes, snapshot.activations, c)
        flagged = c in options.highlight_layers
        if flagged:
            title = "⚠ " + title
        painter.setFont(title_font)
        painter.setPen(qcolor(pal.warning if flagged else pal.text))
        if tfm.horizontalAdvance(title) > width:
            # Deep nets: "L2 · sigmoid" keeps the activation readable where "Layer 2 · si…" would not.
            title = title.replace("Layer ", "L").replace("Output", "Out")
        text = tfm.elidedText(title, Qt.TextElideMode.ElideRight, width)
        title_rect = QRectF(x - width / 2, top, width, tfm.height())
        if not lay.rect.intersects(title_rect):
            continue  # panned out of sight sideways
        if zoomed:
            text_w = max(tfm.horizontalAdvance(text), cfm.horizontalAdvance(count_text(n, c)))
            backing = QRectF(x - text_w / 2, top, text_w, tfm.height() + cfm.height() + 1 * u)
            legend_panel(painter, backing.adjusted(-6 * u, -2 * u, 6 * u, 2 * u), pal)
            painter.setFont(title_font)
            painter.setPen(qcolor(pal.warning if flagged else pal.text))
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignCenter, text)
        if stats is not None:
            stats.header_rects.append((text, title_rect))
        painter.setFont(count_font)
        line = QRectF(x - width / 2, top + tfm.height() + 1 * u, width, cfm.height())
        _paint_count_line(painter, cfm, x, line, count_text(n, c), notes[c] if c < len(notes) else "", pal)


def _paint_count_line(
    painter: QPainter, cfm: QFontMetricsF, x: float, line: QRectF, count: str, note: str, pal: Palette
) -> None:
    """ "64 neurons · 2 dead" centered on `x`, the note in the warning color; the note alone if both do
    not fit."""
    width = line.width()
    center = Qt.AlignmentFlag.AlignCenter
    if not note:
        painter.setPen(qcolor(pal.muted))
        painter.drawText(line, center, cfm.elidedText(count, Qt.TextElideMode.ElideRight, width))
        return
    head = f"{count} · "
    full_w = cfm.horizontalAdvance(head + note)
    if full_w > width:  # the warning matters more than the count, which the canvas shows anyway
        painter.setPen(qcolor(pal.warning))
        painter.drawText(line, center, cfm.elidedText(note, Qt.TextElideMode.ElideRight, width))
        return
    left = x - full_w / 2
    head_w = cfm.horizontalAdvance(head)
    align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    painter.setPen(qcolor(pal.muted))
    painter.drawText(QRectF(left, line.top(), head_w + 2, line.height()), align, head)
    painter.setPen(qcolor(pal.warning))
    painter.drawText(QRectF(left + head_w, line.top(), full_w - head_w + 2, line.height()), align, note)


# ---------------------------------------------------------------------------------------------- legend


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
    quantity = "∂L/∂z" if options.gradients else "activation a"
    title = f"node color = {quantity} ({sample_phrase(snapshot, options)})"
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
