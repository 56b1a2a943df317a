"""The labels written on the canvas beside its nodes: a short text on a rounded background (a pill),
hanging under a node or beside one too small to hold its number (right of it; left in the last column).
"""

from __future__ import annotations

from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.style.colors import RGB, Palette, qcolor
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter


def pill_label(
    painter: QPainter,
    lay: Layout,
    pal: Palette,
    label_font: QFont,
    fm: QFontMetricsF,
    text: str,
    top_center: QPointF,
    text_rgb: RGB,
) -> QRectF:
    """A short text on a rounded background, hanging from `top_center`; returns where it went."""
    u = lay.unit
    w = fm.horizontalAdvance(text) + 8 * u
    h = fm.height() + 2 * u
    rect = QRectF(top_center.x() - w / 2, top_center.y(), w, h)
    _pill(painter, rect, h, label_font, pal, text_rgb, text)
    return rect


def side_label(
    painter: QPainter,
    lay: Layout,
    pal: Palette,
    label_font: QFont,
    fm: QFontMetricsF,
    c: int,
    i: int,
    text: str,
    r: float | None = None,
) -> None:
    """A number beside a node too small to hold it: right of the node (of radius `r`, default the
    column's), left of it for the last column."""
    u = lay.unit
    x, y = float(lay.xs[c]), float(lay.ys[c][i])
    r = lay.radius[c] if r is None else r
    w = fm.horizontalAdvance(text) + 8 * u
    h = min(fm.height() + 2 * u, lay.spacing[c])
    left = x + r + 3 * u
    if c == len(lay.sizes) - 1 or left + w > lay.content.right():
        left = x - r - 3 * u - w
    _pill(painter, QRectF(left, y - h / 2, w, h), h, label_font, pal, pal.text, text)


def _pill(
    painter: QPainter, rect: QRectF, h: float, label_font: QFont, pal: Palette, text_rgb: RGB, text: str
) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(qcolor(pal.label_background, 225))
    painter.drawRoundedRect(rect, h / 2, h / 2)
    painter.setFont(label_font)
    painter.setPen(qcolor(text_rgb))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
