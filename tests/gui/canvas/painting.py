"""Painting the canvas into an image for tests: the nets they use and where a node landed."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.training.snapshot import Phase
from backprop_studio.gui.canvas.renderer import CanvasRenderer
from PySide6.QtCore import QPoint, QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QToolTip

SMALL = (2, 4, 2, 1)  # the default Playground net: 9 neurons, 18 edges
BIG = (30, 40, 20, 5)  # 95 neurons, 2,100 edges
STATES = {
    "before any phase": None,
    "mid forward": Phase("forward", 2),
    "mid backward": Phase("backward", 2),
    "after update": Phase("update"),
}


def render(snapshot, options, width=800, height=480, maps=None) -> tuple[np.ndarray, CanvasRenderer]:
    """Paint into an image like the recorder does; returns (height, width, 3) RGB and the renderer."""
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    renderer = CanvasRenderer()
    painter = QPainter(image)
    renderer.paint(painter, QRectF(0, 0, width, height), snapshot, options, maps)
    painter.end()
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    pixels = np.frombuffer(rgb.constBits(), np.uint8).reshape(height, rgb.bytesPerLine())[:, : width * 3]
    return pixels.reshape(height, width, 3).copy(), renderer


def node_box(pixels: np.ndarray, renderer: CanvasRenderer, layer: int, index: int) -> np.ndarray:
    lay = renderer.last_layout
    center = lay.node_center(layer, index)
    r = max(lay.radius[layer], 3) + 1
    x, y = round(center.x()), round(center.y())
    return pixels[round(y - r) : round(y + r) + 1, round(x - r) : round(x + r) + 1]


def hover_text(qtbot, view, pos: QPoint) -> str:
    """Move the mouse like a person would (away first, so the hover changes) and read the tooltip shown."""
    QToolTip.hideText()
    qtbot.mouseMove(view, QPoint(3, 3))
    qtbot.mouseMove(view, pos)
    qtbot.waitUntil(QToolTip.isVisible, timeout=1000)
    return QToolTip.text()
