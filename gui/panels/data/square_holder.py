"""A holder that keeps its one child square: an aspect-locked plot then fills its box (the data map)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget


class SquareHolder(QWidget):
    """Holds the plot at the largest square that fits (top, centered across) when `square` is on, else
    at its whole size: an aspect-locked plot then fills its box instead of padding one axis."""

    def __init__(self, child: QWidget) -> None:
        super().__init__()
        self._child = child
        self._square = False
        child.setParent(self)

    def set_square(self, square: bool) -> None:
        self._square = square
        self._place()

    def minimumSizeHint(self) -> QSize:
        return self._child.minimumSizeHint()

    def sizeHint(self) -> QSize:
        return self._child.sizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        width, height = self.width(), self.height()
        if not self._square:
            self._child.setGeometry(0, 0, width, height)
            return
        side = min(width, height)
        self._child.setGeometry((width - side) // 2, 0, side, side)
