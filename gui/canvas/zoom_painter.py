"""Paints one neuron's computational graph from a `ZoomModel`: inputs × weights → Σ (+ b) → f → onwards.

Forward values above the wires (green), gradients dL/d(·) below them (red). Everything is sized from the
widget's size: the font shrinks until every number fits its wire, and rows that do not fit the height
end in "+ N more inputs".

It paints with a QPainter only, no widget, so the Neuron zoom panel (gui/panels/neuron_zoom) and a lesson
recording's side view (gui/recording/side_views.py, possibly on a worker thread) draw the same picture.
"""

from __future__ import annotations

import math

from backprop_studio.gui.canvas.zoom_layout import X_F, X_IN, X_MUL, X_STUB, X_SUM, fit, node_sizes
from backprop_studio.gui.canvas.zoom_model import MAX_ROWS, ZoomModel, ZoomRow
from backprop_studio.gui.style.colors import Palette, qcolor
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

LEGEND = "top: forward value · bottom: gradient dL/d(·)"


class GraphPainter:
    """One paint of the graph: sizes everything from the widget size, then draws it."""

    def __init__(
        self, painter: QPainter, colors: Palette, model: ZoomModel, width: int, height: int, labels: list[str]
    ) -> None:
        self.qp = painter
        self.p = colors
        self.m = model
        self.width, self.height = width, height
        self.labels = labels  # every text drawn, in drawing order (what tests and screen readers see)
        self.max_rows = MAX_ROWS  # input rows at most, "+ N more" included (fewer: larger type)
        self.scale = min(width / 420, height / 260)
        self.base = min(max(11.5 * self.scale, 9.0), 18.0)
        self.margin = max(6.0, 8 * self.scale)
        self.forward = qcolor(colors.forward)
        self.gradient = qcolor(colors.loss)
        self.text_color = qcolor(colors.text)
        self.muted = qcolor(colors.muted)
        self.wire = qcolor(colors.muted)
        self.fill = qcolor(colors.node_empty)
        self.outline = qcolor(colors.node_outline)

    # ----------------------------------------------------------------- layout

    def draw(self) -> None:
        m, width, height = self.margin, self.width, self.height
        top = self._header(m, width - 2 * m)
        foot_font = self._fitting_font(self.m.footnote, self.base * 0.85, width - 2 * m, bold=False)
        foot_h = QFontMetricsF(foot_font).height()
        self.qp.setFont(foot_font)
        footnote = QFontMetricsF(foot_font).elidedText(
            self.m.footnote, Qt.TextElideMode.ElideRight, width - 2 * m
        )
        self._text(QRectF(m, height - m - foot_h, width - 2 * m, foot_h), footnote, self.muted, _LEFT)
        graph = QRectF(m, top, width - 2 * m, height - m - foot_h - top - 2)
        self._graph(graph)

    def _header(self, x: float, width: float) -> float:
        """Title and legend; returns the y where the graph may start."""
        title_font = self._fitting_font(self.m.title, self.base * 1.15, width, bold=True)
        metrics = QFontMetricsF(title_font)
        title = metrics.elidedText(self.m.title, Qt.TextElideMode.ElideRight, width)
        self.qp.setFont(title_font)
        y = self.margin
        self._text(QRectF(x, y, width, metrics.height()), title, self.text_color, _LEFT)
        y += metrics.height() + 1

        legend_font = font(self.base * 0.9)
        metrics = QFontMetricsF(legend_font)
        self.qp.setFont(legend_font)
        # The legend is written in the two colors it explains, but reported as one label.
        pieces = (
            ("top: forward value", self.forward),
            (" · ", self.muted),
            ("bottom: gradient dL/d(·)", self.gradient),
        )
        cursor = x
        for text, color in pieces:
            self.qp.setPen(color)
            self.qp.drawText(QRectF(cursor, y, width, metrics.height()), int(_LEFT), text)
            cursor += metrics.horizontalAdvance(text)
        self.labels.append(LEGEND)
        return y + metrics.height() + 2

    def _headings(self, area: QRectF, height: float) -> None:
        """Column headings name what each column of nodes does; the last one says where a goes next."""
        self._text(QRectF(area.left(), area.top(), 120, height), "inputs", self.muted, _LEFT)
        for frac, text in ((X_MUL, "× weight wᵢ"), (X_SUM, "Σ + bias"), (X_F, f"f = {self.m.activation}")):
            rect = QRectF(area.left() + frac * area.width() - 70, area.top(), 140, height)
            self._text(rect, text, self.muted, Qt.AlignmentFlag.AlignCenter)
        rect = QRectF(area.right() - 120, area.top(), 120, height)
        self._text(rect, f"→ {self.m.destination}", self.muted, _RIGHT)

    def _input_row(
        self, area: QRectF, row: ZoomRow, y: float, sizes: dict[str, float], sum_c: QPointF
    ) -> None:
        """One input: its node, the wire to its × node, and the stub into Σ, each with its two numbers."""
        lh = self.fm.height()

        def col(f: float) -> float:
            return area.left() + f * area.width()

        in_rect = QRectF(col(X_IN) - sizes["name_w"] / 2, y - lh * 0.6, sizes["name_w"], lh * 1.2)
        in_rect.moveLeft(max(in_rect.left(), area.left()))
        self._node(in_rect, row.name, rounded=True)
        mul_h = lh * (2.2 if row.grad_w else 1.3)
        mul_rect = QRectF(col(X_MUL) - sizes["mul_w"] / 2, y - mul_h / 2, sizes["mul_w"], mul_h)
        self._wire(QPointF(in_rect.right(), y), QPointF(mul_rect.left(), y), arrow=True)
        self._wire_labels(in_rect.right(), mul_rect.left(), y, row.a, row.grad_a)
        self._mul_node(mul_rect, row)
        stub_end = QPointF(col(X_STUB), y)
        self._wire(QPointF(mul_rect.right(), y), stub_end)
        self._wire(stub_end, self._towards(sum_c, stub_end, sizes["sum_r"]), arrow=True)
        self._wire_labels(mul_rect.right(), stub_end.x(), y, row.aw, row.grad_aw)

    @staticmethod
    def _fitting_font(text: str, px: float, width: float, bold: bool) -> QFont:
        """The largest font from `px` down to 8 px in which `text` fits `width` (elided below that)."""
        result = font(px, bold)
        while QFontMetricsF(result).horizontalAdvance(text) > width and px > 8:
            px -= 0.5
            result = font(px, bold)
        return result

    def _graph(self, area: QRectF) -> None:
        model = self.m
        header_font = font(self.base * 0.85)
        header_h = QFontMetricsF(header_font).height()
        body = QRectF(area.left(), area.top() + header_h + 4, area.width(), area.height() - header_h - 4)
        px, rows, more = fit(model, body, self.base, self.max_rows)
        self.text_font = font(px)
        self.bold = font(px * 1.05, bold=True)
        self.fm = QFontMetricsF(self.text_font)
        lh = self.fm.height()
        n_rows = len(rows) + (1 if more else 0)
        row_h = body.height() / max(n_rows, 1)
        ys = [body.top() + row_h * (r + 0.5) for r in range(n_rows)]
        yc = body.top() + body.height() / 2

        def col(f: float) -> float:
            return area.left() + f * area.width()

        self.qp.setFont(header_font)
        self._headings(area, header_h)

        self.qp.setFont(self.text_font)
        sizes = node_sizes(model, px, rows)
        sum_r = sizes["sum_r"]
        sum_c = QPointF(col(X_SUM), yc)
        for row, y in zip(rows, ys):
            self._input_row(area, row, y, sizes, sum_c)
        if more:
            y = ys[-1]
            rect = QRectF(area.left(), y - lh * 0.6, col(X_STUB) - area.left(), lh * 1.2)
            label = f"+ {more} more input{'s' if more > 1 else ''}"
            self._text(rect, label, self.muted, Qt.AlignmentFlag.AlignCenter)
            start = QPointF(col(X_STUB), y)
            self._wire(start, self._towards(sum_c, start, sum_r), arrow=True, dashed=True)

        self._circle(sum_c, sum_r, "Σ")
        self._bias(sum_c, sum_r, lh)

        f_w = sizes["f_w"]
        f_rect = QRectF(col(X_F) - f_w / 2, yc - lh * 0.75, f_w, lh * 1.5)
        self._wire(QPointF(sum_c.x() + sum_r, yc), QPointF(f_rect.left(), yc), arrow=True)
        self._wire_labels(sum_c.x() + sum_r, f_rect.left(), yc, model.z, model.dz, name="z")
        self._node(f_rect, model.symbol, rounded=True, bold=True)
        if model.local is not None:
            # Below the wires' gradient labels, so a long f′ never collides with them.
            local = QRectF(f_rect.center().x() - 80, yc + lh * 1.25, 160, lh)
            self._text(local, f"f′(z) = {model.local}", self.muted, _TOP_CENTER)
        end = area.right() - 2
        self._wire(QPointF(f_rect.right(), yc), QPointF(end, yc), arrow=True)
        self._wire_labels(f_rect.right(), end, yc, model.a, model.da, name="a")

    # ----------------------------------------------------------------- primitives

    def _node(
        self, rect: QRectF, text: str, rounded: bool = False, bold: bool = False, dashed: bool = False
    ) -> None:
        pen = QPen(self.outline, 1.2)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        self.qp.setPen(pen)
        self.qp.setBrush(self.fill)
        radius = rect.height() / 2 if rounded else 3
        self.qp.drawRoundedRect(rect, radius, radius)
        self.qp.setFont(self.bold if bold else self.text_font)
        self._text(rect, text, self.text_color, Qt.AlignmentFlag.AlignCenter)
        self.qp.setFont(self.text_font)

    def _mul_node(self, rect: QRectF, row: ZoomRow) -> None:
        self.qp.setPen(QPen(self.outline, 1.2))
        self.qp.setBrush(self.fill)
        self.qp.drawRoundedRect(rect, 3, 3)
        if not row.grad_w:
            self._text(rect, f"× {row.w}", self.text_color, Qt.AlignmentFlag.AlignCenter)
            return
        # The weight is the node's forward input and dL/dw its gradient: top and bottom, like the wires.
        lh = self.fm.height()
        top = QRectF(rect.left(), rect.top() + 1, rect.width(), lh)
        self._text(top, f"× {row.w}", self.text_color, Qt.AlignmentFlag.AlignCenter)
        bottom = QRectF(rect.left(), rect.bottom() - lh - 1, rect.width(), lh)
        self._text(bottom, row.grad_w, self.gradient, Qt.AlignmentFlag.AlignCenter)

    def _circle(self, center: QPointF, radius: float, text: str) -> None:
        self.qp.setPen(QPen(self.outline, 1.2))
        self.qp.setBrush(self.fill)
        self.qp.drawEllipse(center, radius, radius)
        self.qp.setFont(self.bold)
        rect = QRectF(center.x() - radius, center.y() - radius, 2 * radius, 2 * radius)
        self._text(rect, text, self.text_color, Qt.AlignmentFlag.AlignCenter)
        self.qp.setFont(self.text_font)

    def _bias(self, sum_c: QPointF, sum_r: float, lh: float) -> None:
        """The bias enters Σ from below-right, where no input wire runs."""
        text = "b" if self.m.bias is None else f"b {self.m.bias}"
        width = self.fm.horizontalAdvance(text) + lh * 0.8
        rect = QRectF(sum_c.x() + sum_r * 0.2, sum_c.y() + sum_r + lh * 1.6, width, lh * 1.2)
        self._wire(
            QPointF(rect.left() + lh * 0.5, rect.top()), self._towards(sum_c, rect.topLeft(), sum_r), True
        )
        self._node(rect, text, rounded=True)
        if self.m.bias_gradient is not None:
            below = QRectF(rect.left(), rect.bottom() + 1, 200, lh)
            self._text(below, self.m.bias_gradient, self.gradient, _LEFT)

    def _towards(self, center: QPointF, start: QPointF, radius: float) -> QPointF:
        """The point on the circle (center, radius) facing `start`, so arrows stop at the rim."""
        dx, dy = start.x() - center.x(), start.y() - center.y()
        length = math.hypot(dx, dy) or 1.0
        return QPointF(center.x() + dx / length * radius, center.y() + dy / length * radius)

    def _wire(self, a: QPointF, b: QPointF, arrow: bool = False, dashed: bool = False) -> None:
        pen = QPen(self.wire, max(1.0, 1.2 * self.scale))
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        self.qp.setPen(pen)
        self.qp.drawLine(a, b)
        if not arrow:
            return
        size = max(4.0, 5.5 * self.scale)
        angle = math.atan2(b.y() - a.y(), b.x() - a.x())
        head = QPolygonF(
            [
                b,
                QPointF(b.x() - size * math.cos(angle - 0.4), b.y() - size * math.sin(angle - 0.4)),
                QPointF(b.x() - size * math.cos(angle + 0.4), b.y() - size * math.sin(angle + 0.4)),
            ]
        )
        path = QPainterPath()
        path.addPolygon(head)
        self.qp.fillPath(path, self.wire)

    def _wire_labels(
        self, x0: float, x1: float, y: float, top: str | None, bottom: str | None, name: str = ""
    ) -> None:
        lh = self.fm.height()
        width = max(x1 - x0, 10)
        self.qp.setFont(self.text_font)
        if top is not None:
            text = f"{name} {top}" if name and self._fits(f"{name} {top}", width) else top
            self._text(QRectF(x0, y - lh - 1, width, lh), text, self.forward, _BOTTOM_CENTER)
        if bottom is not None:
            self._text(QRectF(x0, y + 1, width, lh), bottom, self.gradient, _TOP_CENTER)

    def _text(self, rect: QRectF, text: str, color: QColor, flags: Qt.AlignmentFlag) -> None:
        self.qp.setPen(color)
        self.qp.drawText(rect, int(flags), text)
        self.labels.append(text)

    def _fits(self, text: str, width: float) -> bool:
        return self.fm.horizontalAdvance(text) <= width - 4


_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_TOP_CENTER = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
_BOTTOM_CENTER = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom
