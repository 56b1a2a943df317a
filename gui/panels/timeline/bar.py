"""The timeline's bar: a slider that jumps to where it is clicked, and the ruler of epoch marks under it.

Both speak slider units (`Timeline` maps them to steps). The ruler asks the slider where a value's
handle center is, so its marks sit exactly under the handle at every width and style.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QSlider, QStyle, QStyleOptionSlider, QWidget

_NICE = (1, 2, 5)


def nice_stride(minimum: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … that is at least `minimum`."""
    if minimum <= 1:
        return 1
    decade = 10 ** math.floor(math.log10(minimum))
    for factor in (*_NICE, 10):
        if factor * decade >= minimum:
            return int(factor * decade)
    return int(10 * decade)


class ScrubSlider(QSlider):
    """A horizontal slider that jumps to where it is clicked. Values are slider units; `Timeline` maps
    them to steps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _geometry(self) -> tuple[QRect, QRect]:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        style = self.style()
        control = QStyle.ComplexControl.CC_Slider
        groove = style.subControlRect(control, option, QStyle.SubControl.SC_SliderGroove, self)
        handle = style.subControlRect(control, option, QStyle.SubControl.SC_SliderHandle, self)
        return groove, handle

    def x_of(self, value: int) -> float:
        """Where the handle's center is when the slider holds `value`."""
        groove, handle = self._geometry()
        span = max(1, groove.width() - handle.width())
        offset = QStyle.sliderPositionFromValue(self.minimum(), self.maximum(), value, span)
        return groove.left() + handle.width() / 2 + offset

    def value_at(self, x: float) -> int:
        groove, handle = self._geometry()
        span = max(1, groove.width() - handle.width())
        return QStyle.sliderValueFromPosition(
            self.minimum(), self.maximum(), round(x - groove.left() - handle.width() / 2), span
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # A click on the groove jumps there and starts a drag, instead of paging towards the click.
        if event.button() == Qt.MouseButton.LeftButton:
            _, handle = self._geometry()
            if not handle.contains(event.position().toPoint()):
                self.setValue(self.value_at(event.position().x()))
        super().mousePressEvent(event)


class Ruler(QWidget):
    """Epoch boundaries under the slider, in the same grid column so x positions match the handle's."""

    def __init__(self, slider: ScrubSlider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._slider = slider
        self.ticks: list[tuple[int, str | None]] = []  # (slider value, label or None for a minor mark)
        self.caption = "epoch"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(200, self.fontMetrics().height() + 7)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        color = self.palette().placeholderText().color()
        painter.setPen(QPen(color, 1))
        fm = QFontMetricsF(self.font())
        last_right = -1e9
        for value, label in self.ticks:
            x = self._slider.x_of(value)
            painter.drawLine(QPointF(x, 0), QPointF(x, 5 if label is not None else 2.5))
            if label is None:
                continue
            w = fm.horizontalAdvance(label)
            left = min(max(x - w / 2, 0.0), self.width() - w)
            if left < last_right + 6:
                continue
            painter.drawText(QRectF(left, 6, w + 1, fm.height()), Qt.AlignmentFlag.AlignLeft, label)
            last_right = left + w
        painter.end()
