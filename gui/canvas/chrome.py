"""Everything around the network but the legend (legend.py): the band that highlights the last
completed phase, and the column headers pinned at the top.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.legend import legend_panel
from backprop_studio.gui.canvas.options import CanvasOptions, FrameStats, PhaseBand
from backprop_studio.gui.style.colors import RGB, Palette, mix, qcolor, readable_text_on
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen

FLAT = Qt.PenCapStyle.FlatCap
# The phase band, in units: above the nodes (room for its label), below them, around a column's nodes,
# and the loss band's smallest half-width (room for "loss = …").
BAND_ABOVE = 34.0
BAND_BELOW = 10.0
BAND_REACH = 12.0
LOSS_BAND_HALF_WIDTH = 58.0

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
        if c == 0 and lay.grid is not None:  # the band starts right of the pixel grid
            return lay.grid.rect.right() - float(lay.xs[0]) + BAND_REACH * u
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
        counted = count_text(n, c)
        if c == 0 and lay.grid is not None:
            counted = f"{n} pixels · {lay.grid.rows}×{lay.grid.cols} image"
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
            text_w = max(tfm.horizontalAdvance(text), cfm.horizontalAdvance(counted))
            backing = QRectF(x - text_w / 2, top, text_w, tfm.height() + cfm.height() + 1 * u)
            legend_panel(painter, backing.adjusted(-6 * u, -2 * u, 6 * u, 2 * u), pal)
            painter.setFont(title_font)
            painter.setPen(qcolor(pal.warning if flagged else pal.text))
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignCenter, text)
        if stats is not None:
            stats.header_rects.append((text, title_rect))
        painter.setFont(count_font)
        line = QRectF(x - width / 2, top + tfm.height() + 1 * u, width, cfm.height())
        _paint_count_line(painter, cfm, x, line, counted, notes[c] if c < len(notes) else "", pal)


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
