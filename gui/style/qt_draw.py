"""Drawing primitives shared by the canvas and the recorder: fonts by pixel size, pens, fast line batches."""

from __future__ import annotations

import numpy as np
import shiboken6
from PySide6.QtCore import QLineF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen


def font(px: float, bold: bool = False) -> QFont:
    """A font `px` pixels high (at least 7, so text stays legible when a picture is scaled down)."""
    result = QFont()
    result.setPixelSize(max(7, round(px)))
    result.setBold(bold)
    return result


def pen(color: QColor, width: float, cap: Qt.PenCapStyle = Qt.PenCapStyle.SquareCap) -> QPen:
    result = QPen(color, width)
    result.setCapStyle(cap)
    return result


def draw_lines(painter: QPainter, lines: np.ndarray) -> None:
    """Draw rows of a C-contiguous float64 (n, 4) array without building a QLineF per row.

    QPainter's C++ drawLines takes a pointer to an array of QLineF, which has exactly this memory layout
    (four qreal = double), so the array is handed over as is.
    """
    if lines.dtype != np.float64 or not lines.flags.c_contiguous:  # Qt would read garbage otherwise
        lines = np.ascontiguousarray(lines, dtype=np.float64)
    n = len(lines)
    if n:
        painter.drawLines(shiboken6.wrapInstance(lines.ctypes.data, QLineF), n)
