"""The network canvas widget: paints the current snapshot with `CanvasRenderer`, zooms, pans, and reports
clicks as signals. It never changes the session; whoever owns the session listens to the signals.

Layer numbers in signals: 0 = the inputs column, k = layer k. An edge (layer, i, j) feeds layer `layer`
from node i of column layer-1 to node j of column layer.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.image_tips import pixel_line, weights_tooltip
from backprop_studio.gui.canvas.layout import Layout
from backprop_studio.gui.canvas.options import CanvasOptions
from backprop_studio.gui.canvas.renderer import CanvasRenderer
from backprop_studio.gui.canvas.tooltips import describe_bias, describe_edge, describe_neuron
from backprop_studio.gui.style.colors import palette, qcolor
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import QToolTip, QWidget

MIN_ZOOM = 0.5
MAX_ZOOM = 60.0
DRAG_THRESHOLD = 4  # pixels the mouse may move during a click before it counts as a drag


class NetworkView(QWidget):
    neuron_clicked = Signal(int, int)  # layer, index
    edge_clicked = Signal(int, int, int)  # layer, i, j
    bias_clicked = Signal(int, int)  # layer, index

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._renderer = CanvasRenderer()
        self._snapshot: Snapshot | None = None
        self._options = CanvasOptions(empty_hint=True)  # the window shows "Press Step (→) …" at step 0
        self._maps: list[np.ndarray] | None = None
        self._view = QTransform()
        self._press: QPointF | None = None
        self._press_view = QTransform()
        self._dragging = False
        self._hover: tuple | None = None
        self.setMouseTracking(True)
        self.setMinimumSize(320, 220)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # the renderer fills every pixel
        self.setCursor(Qt.CursorShape.OpenHandCursor)

    # ----------------------------------------------------------------------------------------- state

    @property
    def renderer(self) -> CanvasRenderer:
        return self._renderer

    @property
    def snapshot(self) -> Snapshot | None:
        return self._snapshot

    def set_snapshot(self, snapshot: Snapshot | None) -> None:
        self._snapshot = snapshot
        self._hover = None
        self.update()

    @property
    def options(self) -> CanvasOptions:
        return self._options

    @options.setter
    def options(self, options: CanvasOptions) -> None:
        self._options = options
        self.update()

    def set_options(self, **changes: Any) -> None:
        """Change some display options, e.g. `set_options(mode="gradients", focus=3)`."""
        self._options = replace(self._options, **changes)
        self.update()

    def set_neuron_maps(self, maps: list[np.ndarray] | None) -> None:
        """Per layer k, a (units, res, res) array of layer k+1's outputs over the input plane."""
        self._maps = maps
        self.update()

    @property
    def hovered(self) -> tuple | None:
        """What the mouse is over: ("neuron" | "bias", layer, index), ("edge", layer, i, j) or None."""
        return self._hover

    @property
    def view_transform(self) -> QTransform:
        return QTransform(self._view)

    def reset_view(self) -> None:
        self._view = QTransform()
        self.update()

    def zoom_by(self, factor: float, around: QPointF | None = None) -> None:
        """Zoom by `factor` keeping the point `around` (widget coordinates; default the center) fixed."""
        current = self._view.m11()
        factor = min(max(current * factor, MIN_ZOOM), MAX_ZOOM) / current
        p = around if around is not None else QPointF(self.width() / 2, self.height() / 2)
        self._view = (
            self._view
            * QTransform.fromTranslate(-p.x(), -p.y())
            * QTransform.fromScale(factor, factor)
            * QTransform.fromTranslate(p.x(), p.y())
        )
        self.update()

    # ---------------------------------------------------------------------------------------- paint

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect())
        if self._snapshot is None:
            pal = palette(self._options.dark)
            painter.fillRect(rect, qcolor(pal.background))
            painter.setPen(qcolor(pal.muted))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "No network to show yet")
        else:
            options = self._options
            if self._hover is not None and self._hover[0] == "neuron":
                options = replace(options, hovered_neuron=(self._hover[1], self._hover[2]))
            self._renderer.paint(painter, rect, self._snapshot, options, self._maps, self._view)
        painter.end()

    # ---------------------------------------------------------------------------------------- mouse

    def _hit(self, pos: QPointF) -> tuple | None:
        """What is under `pos`: ("bias", layer, index), ("neuron", layer, index) or ("edge", layer, i, j)."""
        if self._snapshot is None:
            return None
        self._layout_now()  # hit-test the geometry of the current size and view, even before a paint
        return self._renderer.item_at(pos)

    def _describe(self, hit: tuple) -> str:
        snap = self._snapshot
        assert snap is not None
        kind, *where = hit
        if kind == "bias":
            return describe_bias(snap, *where)
        if kind == "neuron":
            text = describe_neuron(snap, self._options, *where)
            shape = self._options.image_for(snap.sizes[0])
            layer, index = where
            if shape is not None and layer == 0:
                title, _, rest = text.partition("\n")
                return f"{title}, {pixel_line(index, shape)}\n{rest}"
            if shape is not None and layer == 1:
                return weights_tooltip(snap, index, shape, text, self._options.dark)
            return text
        return describe_edge(snap, self._options, *where)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._press_view = QTransform(self._view)
            self._dragging = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            delta = pos - self._press
            if self._dragging or abs(delta.x()) + abs(delta.y()) > DRAG_THRESHOLD:
                if not self._dragging:
                    QToolTip.hideText()
                    self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self._dragging = True
                self._view = self._press_view * QTransform.fromTranslate(delta.x(), delta.y())
                self.update()
            return
        hit = self._hit(pos)
        if hit != self._hover:
            if "neuron" in (hit or ("",))[:1] + (self._hover or ("",))[:1]:
                self.update()  # the hovered neuron's fan-in and fan-out are drawn on top
            self._hover = hit
            self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.OpenHandCursor)
            if hit is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPosition().toPoint(), self._describe(hit), self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return super().mouseReleaseEvent(event)
        was_drag = self._dragging
        self._press = None
        self._dragging = False
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        if was_drag:
            return None
        hit = self._hit(event.position())
        if hit is None:
            return None
        kind, *where = hit
        if kind == "bias":
            self.bias_clicked.emit(*where)
        elif kind == "neuron":
            self.neuron_clicked.emit(*where)
        else:
            self.edge_clicked.emit(*where)
        return None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.reset_view()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120 or event.pixelDelta().y() / 50
        if steps:
            self.zoom_by(1.2**steps, event.position())
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self.update()
        self._hover = None
        QToolTip.hideText()

    # ------------------------------------------------------------------------------------- geometry

    def node_position(self, layer: int, index: int) -> QPoint:
        """Where neuron (layer, index) is on screen now (for tests and for pointing things at it)."""
        layout = self._layout_now()
        return layout.node_center(layer, index).toPoint()

    def edge_position(self, layer: int, i: int, j: int) -> QPoint:
        return self._layout_now().edge_midpoint(layer, i, j).toPoint()

    def _layout_now(self) -> Layout:
        assert self._snapshot is not None
        sizes = self._snapshot.sizes
        grid = self._options.grid_for(sizes[0])
        return self._renderer.layout(sizes, QRectF(self.rect()), self._view, grid)

    def sizeHint(self) -> QSize:
        return QSize(960, 600)
