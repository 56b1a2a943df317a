"""A paragraph in a box: word-wrapped, in the largest size that fits (a recording's narration line)."""

from __future__ import annotations

from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter


def paint_wrapped(
    painter: QPainter,
    rect: QRectF,
    text: str,
    color: QColor,
    unit: float,
    largest: float = 22,
    smallest: float = 13,
) -> None:
    """`text` word-wrapped in `rect`, in the largest size from `largest` down to `smallest` units that fits."""
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
    size = largest
    while size > smallest:
        if QFontMetricsF(font(size * unit)).boundingRect(rect, flags, text).height() <= rect.height():
            break
        size -= 1.0
    painter.setFont(font(size * unit))
    painter.setPen(color)
    painter.drawText(rect, flags, text)
