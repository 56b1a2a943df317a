"""The Gradient health side view of a lesson recording: ‖dL/dW‖ of every layer at this moment, as bars on
a log scale (a gradient that vanishes towards the inputs shows as bars shrinking by decades), with each
layer's dead or saturated units and one sentence on how much the gradient shrinks from the output back
to layer 1.

The window's Gradient health panel plots the same norms over time; a video scene is one moment, so it
shows that moment's column of them. Every number comes from `core.analysis.health.layer_health`.
"""

from __future__ import annotations

import math

from backprop_studio.core.analysis.health import LayerHealth, layer_health
from backprop_studio.core.display.names import layer_label
from backprop_studio.core.display.numbers import count, format_number
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.recording.side_text import SMALLEST, TextLine, paint_lines
from backprop_studio.gui.style.colors import Palette, mix, qcolor
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _row_label(h: LayerHealth, n_layers: int) -> str:
    label = f"{layer_label(h.layer - 1, n_layers).capitalize()} · {h.activation}"
    if h.dead_units:
        label += f" · {count(h.dead_units, 'dead unit')}"
    if h.saturated_units:
        label += f" · {h.saturated_units} of {h.units} saturated"
    return label


def shrink_sentence(health: tuple[LayerHealth, ...]) -> str:
    """How ‖dL/dW‖ changes from the last layer back to layer 1, from the numbers."""
    norms = [h.grad_norm for h in health]
    if any(v is None for v in norms):
        return "The bars fill in once the backward pass has reached every layer."
    first, last = norms[0], norms[-1]
    if len(norms) < 2 or not first or not last or not (math.isfinite(first) and math.isfinite(last)):
        return "Bars a decade apart differ tenfold."
    ratio = last / first
    word = "shrinks" if ratio >= 1 else "grows"
    factor = max(ratio, 1 / ratio)
    times = f"{factor:,.0f}" if factor >= 10 else format_number(factor)
    return f"From layer {len(norms)} back to layer 1 the gradient {word} {times}-fold."


def paint_health(
    painter: QPainter, rect: QRectF, snap: Snapshot, pal: Palette, u: float, drawn: list[str]
) -> None:
    """The bars and the sentence in `rect`; every text drawn is appended to `drawn`."""
    health = layer_health(snap)
    known = [h.grad_norm for h in health if h.grad_norm is not None and h.grad_norm > 0]
    known = [v for v in known if math.isfinite(v)]
    sentence_h = 3.2 * QFontMetricsF(font(SMALLEST * u)).height()
    bars = QRectF(rect.left(), rect.top(), rect.width(), rect.height() - sentence_h)
    axis_h = QFontMetricsF(font(SMALLEST * u)).height() * 1.3
    rows = QRectF(bars.left(), bars.top(), bars.width(), bars.height() - axis_h)
    lo = math.floor(math.log10(min(known))) if known else -3
    hi = math.ceil(math.log10(max(known))) if known else 0
    hi = max(hi, lo + 1)
    row_h = rows.height() / max(len(health), 1)
    label_font, value_font = font(SMALLEST * u), font(SMALLEST * u, bold=True)
    value_w = QFontMetricsF(value_font).horizontalAdvance("0.000000") + 8 * u

    def x_of(value: float) -> float:
        return rows.left() + (math.log10(value) - lo) / (hi - lo) * (rows.width() - value_w)

    for k, h in enumerate(reversed(health)):  # the output layer on top, as the network reads right to left
        top = rows.top() + k * row_h
        label_rect = QRectF(rows.left(), top, rows.width(), row_h * 0.45)
        painter.setFont(label_font)
        painter.setPen(qcolor(pal.text))
        text = _row_label(h, snap.n_layers)
        painter.drawText(label_rect, _LEFT, text)
        drawn.append(text)
        bar = QRectF(rows.left(), label_rect.bottom(), 0, row_h * 0.4)
        value = h.grad_norm
        shown = "not computed yet" if value is None else format_number(value)
        if value is not None and value > 0 and math.isfinite(value):
            bar.setRight(max(x_of(value), rows.left() + 2 * u))
            painter.fillRect(bar, qcolor(mix(pal.background, pal.backward, 0.75)))
        painter.setFont(value_font if value is not None else label_font)
        painter.setPen(qcolor(pal.text if value is not None else pal.muted))
        painter.drawText(
            QRectF(bar.right() + 8 * u, bar.top(), value_w + rows.width(), bar.height()), _LEFT, shown
        )
        drawn.append(shown)
    _decades(painter, rows, lo, hi, x_of, axis_h, pal, u, drawn)
    sentence = QRectF(rect.left(), bars.bottom() + 4 * u, rect.width(), sentence_h - 4 * u)
    paint_lines(painter, sentence, [TextLine("note", shrink_sentence(health))], pal, u, drawn)


def _decades(
    painter, rows: QRectF, lo: int, hi: int, x_of, axis_h: float, pal: Palette, u: float, drawn
) -> None:
    """Tick lines at every power of ten, labeled 1e−6 … under the bars."""
    painter.setFont(font(SMALLEST * u))
    step = max(1, math.ceil((hi - lo) / 6))
    for e in range(lo, hi + 1, step):
        x = x_of(10.0**e)
        painter.setPen(QPen(qcolor(mix(pal.background, pal.text, 0.16)), max(1.0, u), Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x, rows.top()), QPointF(x, rows.bottom()))
        text = format_number(10.0**e)
        painter.setPen(qcolor(pal.muted))
        painter.drawText(
            QRectF(x - 60 * u, rows.bottom(), 120 * u, axis_h), Qt.AlignmentFlag.AlignCenter, text
        )
        drawn.append(text)
