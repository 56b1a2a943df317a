"""One neuron drawn as a computational graph: inputs × weights → Σ (+ b) → z → f → a → onwards.

It is the classic "forward pass above the wires, backward pass below" picture of a single node, with
the session's numbers: each wire carries its forward value on top (green) and, once the backward pass
has reached the neuron, the gradient of the loss with respect to that value underneath (red). Every
number is read from `backprop_studio.core.analysis.chain_rule` or the `Snapshot`; a value core does not provide is left blank.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from backprop_studio.core.analysis.chain_rule import edge_terms, neuron_terms
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.panels.inspector.widget import batch_view, format_number, subscript
from backprop_studio.gui.style.colors import Palette, palette, qcolor
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

MAX_ROWS = 8  # input rows drawn at most; a wider neuron (or a short widget) ends with a "+ N more" row
DIGITS = 3
LEGEND = "top: forward value · bottom: gradient dL/d(·)"
EMPTY = "Select a neuron to see its computational graph"

# Column centres as fractions of the drawing width: inputs, × nodes, end of the × → Σ stubs, Σ, f.
X_IN, X_MUL, X_STUB, X_SUM, X_F = 0.04, 0.28, 0.46, 0.57, 0.77
# Inside the f node a short symbol keeps the node small; the column heading names the function in full.
SYMBOLS = {"sigmoid": "σ", "leaky_relu": "lrelu", "linear": "id", "softmax": "soft-max"}


@dataclass(frozen=True)
class _Row:
    name: str  # a₀ / x₀
    a: str | None  # forward value of the input
    w: str  # weight
    aw: str | None  # a·w
    grad_a: str | None  # this input's share of dL/da of the previous layer, w·dL/dz
    grad_w: str | None  # dL/dw for this sample, a·dL/dz
    grad_aw: str | None  # dL/d(a·w) = dL/dz


@dataclass(frozen=True)
class _Model:
    title: str
    rows: tuple[_Row, ...]  # the first inputs, at most MAX_ROWS
    n_inputs: int
    bias: str | None
    z: str | None
    a: str | None
    dz: str | None
    da: str | None
    local: str | None
    activation: str
    destination: str
    footnote: str


def _fmt(value: float) -> str:
    # Three digits keep every wire's number short enough for a readable font at 420 px; the inspector
    # next to this view has the precise values.
    return format_number(value, digits=DIGITS)


def _symbol(activation: str) -> str:
    return SYMBOLS.get(activation, activation)


def _num(value: float | None) -> str | None:
    return None if value is None else _fmt(value)


class NeuronZoom(QWidget):
    """Paints the computational graph of one neuron for one sample of the batch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._snap: Snapshot | None = None
        self._selection: tuple[int, int, int] | None = None
        self._dark = False
        self._labels: list[str] = []
        # Below this the numbers would need a font too small to read.
        self.setMinimumSize(380, 230)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # ----------------------------------------------------------------- public API

    def show(  # type: ignore[override]
        self, snapshot: Snapshot | None = None, layer: int = 1, j: int = 0, sample: int = 0
    ) -> None:
        """Show neuron j (0-based) of `layer` (1-based) for batch sample `sample`.

        Called without a snapshot it is QWidget.show(), so layouts and callers that show widgets still work.
        """
        if snapshot is None:
            super().show()
            return
        self._snap = snapshot
        self._selection = (layer, j, sample)
        self.update()

    def refresh(self, snapshot: Snapshot) -> None:
        self._snap = snapshot
        self.update()

    def clear(self) -> None:
        self._snap = None
        self._selection = None
        self.update()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self.update()

    def labels(self) -> list[str]:
        """Every text drawn by the last paint, in drawing order."""
        return list(self._labels)

    # ----------------------------------------------------------------- model

    def _model(self) -> _Model | None:
        if self._snap is None or self._selection is None:
            return None
        snap = self._snap
        layer, j, sample = self._selection
        if not (1 <= layer <= snap.n_layers and 0 <= j < snap.sizes[layer]):
            return None
        if snap.x is not None:
            sample = min(sample, snap.x.shape[0] - 1)
        view, updated = batch_view(snap)
        terms = neuron_terms(view if view is not None else snap, layer, j, sample)
        fwd, bwd = terms.forward, terms.backward
        phase = "start" if snap.phase is None else snap.phase.label
        title = f"Neuron {j} of layer {layer} · sample {sample} · {phase}"

        n_in = snap.sizes[layer - 1]
        shown = min(n_in, MAX_ROWS)
        prefix = "x" if layer == 1 else "a"
        # After an update run on the fast path the weights this batch used are not recorded: show "w".
        weights = (view if view is not None else snap).weights[layer - 1][:, j]
        rows = []
        for i in range(shown):
            grad_w = grad_a = None
            if bwd is not None:
                products = edge_terms(snap, layer, i, j).products
                grad_w = _num(products[sample]) if products is not None else None
                if layer >= 2 and view is not None:
                    upstream = neuron_terms(view, layer - 1, i, sample).backward
                    grad_a = _num(upstream.products[j]) if upstream is not None else None
            rows.append(
                _Row(
                    f"{prefix}{subscript(i)}",
                    _num(fwd.inputs[i]) if fwd is not None else None,
                    "w" if view is None else _fmt(float(weights[i])),
                    _num(fwd.products[i]) if fwd is not None and view is not None else None,
                    grad_a,
                    grad_w,
                    _num(bwd.dz) if bwd is not None else None,
                )
            )
        last = layer == snap.n_layers
        fused = bwd is not None and bwd.fused and last
        if updated:
            footnote = "Update done: these are this batch's numbers, with the weights before the update."
        elif fwd is None:
            footnote = f"Step forward through layer {layer} to fill in the forward values."
        elif bwd is None:
            footnote = f"Gradients appear after backward through layer {layer}."
        elif fused:
            loss = "cross-entropy" if snap.loss_name == "cross_entropy" else "binary cross-entropy"
            footnote = f"{snap.activations[layer - 1]} + {loss}: dL/dz = (ŷ − y)/B straight from the loss"
        else:
            name = "x" if layer == 1 else "a"
            footnote = f"dL/dz = dL/da · f′(z)   dL/dwᵢ = {name}ᵢ · dL/dz"
            if layer >= 2:
                footnote += "   back to aᵢ: wᵢ · dL/dz"
        return _Model(
            title=title,
            rows=tuple(rows),
            n_inputs=n_in,
            bias=None if updated else _fmt(float(snap.biases[layer - 1][j])),
            z=_num(fwd.z) if fwd is not None else None,
            a=_num(fwd.a) if fwd is not None else None,
            dz=_num(bwd.dz) if bwd is not None else None,
            da=_num(bwd.da) if bwd is not None else None,
            local=_num(bwd.local) if bwd is not None else None,
            activation=snap.activations[layer - 1],
            destination="loss" if last else f"layer {layer + 1}",
            footnote=footnote,
        )

    # ----------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        p = palette(self._dark)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), qcolor(p.background))
        self._labels = []
        model = self._model()
        if model is None:
            painter.setFont(self._font(11))
            self._text(painter, QRectF(self.rect()), EMPTY, qcolor(p.muted), Qt.AlignmentFlag.AlignCenter)
        else:
            _Painter(self, painter, p, model).draw()
        painter.end()

    def _font(self, px: float, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(round(px), 6))
        font.setBold(bold)
        return font

    def _text(
        self, painter: QPainter, rect: QRectF, text: str, color: QColor, flags: Qt.AlignmentFlag
    ) -> None:
        painter.setPen(color)
        painter.drawText(rect, int(flags), text)
        self._labels.append(text)


class _Painter:
    """One paint of the graph: sizes everything from the widget size, then draws it."""

    def __init__(self, widget: NeuronZoom, painter: QPainter, colors: Palette, model: _Model) -> None:
        self.w = widget
        self.qp = painter
        self.p = colors
        self.m = model
        width, height = widget.width(), widget.height()
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
        m, width, height = self.margin, self.w.width(), self.w.height()
        top = self._header(m, width - 2 * m)
        foot_font = self.w._font(self.base * 0.85)
        foot_h = QFontMetricsF(foot_font).height()
        self.qp.setFont(foot_font)
        self.w._text(
            self.qp,
            QRectF(m, height - m - foot_h, width - 2 * m, foot_h),
            self.m.footnote,
            self.muted,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        )
        graph = QRectF(m, top, width - 2 * m, height - m - foot_h - top - 2)
        self._graph(graph)

    def _header(self, x: float, width: float) -> float:
        """Title and legend; returns the y where the graph may start."""
        px = self.base * 1.15
        font = self.w._font(px, bold=True)
        metrics = QFontMetricsF(font)
        while metrics.horizontalAdvance(self.m.title) > width and px > 8:
            px -= 0.5
            font = self.w._font(px, bold=True)
            metrics = QFontMetricsF(font)
        title = metrics.elidedText(self.m.title, Qt.TextElideMode.ElideRight, width)
        self.qp.setFont(font)
        y = self.margin
        self.w._text(self.qp, QRectF(x, y, width, metrics.height()), title, self.text_color, _LEFT)
        y += metrics.height() + 1

        font = self.w._font(self.base * 0.9)
        metrics = QFontMetricsF(font)
        self.qp.setFont(font)
        # The legend is written in the two colours it explains, but reported as one label.
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
        self.w._labels.append(LEGEND)
        return y + metrics.height() + 2

    def _graph(self, area: QRectF) -> None:
        model = self.m
        header_font = self.w._font(self.base * 0.85)
        header_h = QFontMetricsF(header_font).height()
        body = QRectF(area.left(), area.top() + header_h + 4, area.width(), area.height() - header_h - 4)
        px, rows, more = self._fit(body)
        self.font = self.w._font(px)
        self.bold = self.w._font(px * 1.05, bold=True)
        self.fm = QFontMetricsF(self.font)
        lh = self.fm.height()
        n_rows = len(rows) + (1 if more else 0)
        row_h = body.height() / max(n_rows, 1)
        ys = [body.top() + row_h * (r + 0.5) for r in range(n_rows)]
        yc = body.top() + body.height() / 2

        def col(f: float) -> float:
            return area.left() + f * area.width()

        # Column headings name what each column of nodes does; the last one says where a goes next.
        self.qp.setFont(header_font)
        self.w._text(self.qp, QRectF(area.left(), area.top(), 120, header_h), "inputs", self.muted, _LEFT)
        for frac, text in ((X_MUL, "× weight wᵢ"), (X_SUM, "Σ + bias"), (X_F, f"f = {model.activation}")):
            rect = QRectF(col(frac) - 70, area.top(), 140, header_h)
            self.w._text(self.qp, rect, text, self.muted, Qt.AlignmentFlag.AlignCenter)
        rect = QRectF(area.right() - 120, area.top(), 120, header_h)
        self.w._text(self.qp, rect, f"→ {model.destination}", self.muted, _RIGHT)

        self.qp.setFont(self.font)
        sizes = self._sizes(px, rows)
        sum_r = sizes["sum_r"]
        sum_c = QPointF(col(X_SUM), yc)
        for r, row in enumerate(rows):
            y = ys[r]
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
            self._wire(stub_end, self._towards(sum_c, stub_end, sum_r), arrow=True)
            self._wire_labels(mul_rect.right(), stub_end.x(), y, row.aw, row.grad_aw)
        if more:
            y = ys[-1]
            rect = QRectF(area.left(), y - lh * 0.6, col(X_STUB) - area.left(), lh * 1.2)
            label = f"+ {more} more input{'s' if more > 1 else ''}"
            self.w._text(self.qp, rect, label, self.muted, Qt.AlignmentFlag.AlignCenter)
            start = QPointF(col(X_STUB), y)
            self._wire(start, self._towards(sum_c, start, sum_r), arrow=True, dashed=True)

        self._circle(sum_c, sum_r, "Σ")
        self._bias(sum_c, sum_r, lh)

        f_w = sizes["f_w"]
        f_rect = QRectF(col(X_F) - f_w / 2, yc - lh * 0.75, f_w, lh * 1.5)
        self._wire(QPointF(sum_c.x() + sum_r, yc), QPointF(f_rect.left(), yc), arrow=True)
        self._wire_labels(sum_c.x() + sum_r, f_rect.left(), yc, model.z, model.dz, name="z")
        self._node(f_rect, _symbol(model.activation), rounded=True, bold=True)
        if model.local is not None:
            # Below the wires' gradient labels, so a long f′ never collides with them.
            local = QRectF(f_rect.center().x() - 80, yc + lh * 1.25, 160, lh)
            self.w._text(self.qp, local, f"f′(z) = {model.local}", self.muted, _TOP_CENTER)
        end = area.right() - 2
        self._wire(QPointF(f_rect.right(), yc), QPointF(end, yc), arrow=True)
        self._wire_labels(f_rect.right(), end, yc, model.a, model.da, name="a")

    def _sizes(self, px: float, rows: tuple[_Row, ...]) -> dict[str, float]:
        """Node sizes at font size `px`: they set how much of each wire is left for its numbers."""
        metrics = QFontMetricsF(self.w._font(px))
        bold = QFontMetricsF(self.w._font(px * 1.05, bold=True))
        lh = metrics.height()
        mul_w = max(
            [metrics.horizontalAdvance(f"× {r.w}") for r in rows]
            + [metrics.horizontalAdvance(r.grad_w) for r in rows if r.grad_w]
        )
        return {
            "name_w": max(metrics.horizontalAdvance(r.name) for r in rows) + lh * 0.8,
            "mul_w": mul_w + lh * 0.7,
            "f_w": bold.horizontalAdvance(_symbol(self.m.activation)) + lh,
            "sum_r": lh * 1.05,
        }

    def _fit(self, body: QRectF) -> tuple[float, tuple[_Row, ...], int]:
        """The largest font (≤ base) whose numbers fit on their wires, and the input rows that fit the height.

        A row stacks a number above its wire and one below, around a two-line × node, so it needs about
        2.6 line heights; a neuron with more inputs than that shows the first ones and "+ N more".
        """
        model = self.m
        width = body.width()
        # Prefer every input (up to MAX_ROWS) over a big font, but not below a comfortably readable size.
        wanted = min(model.n_inputs, MAX_ROWS)
        line_ratio = QFontMetricsF(self.w._font(20)).height() / 20
        # (− 0.5: fonts snap to whole pixels, and rounding up would lose the last row again.)
        px = min(self.base, max(body.height() / (2.6 * wanted * line_ratio) - 0.5, 9.5))
        while True:
            metrics = QFontMetricsF(self.w._font(px))
            lh = metrics.height()
            capacity = max(int(body.height() // (2.6 * lh)), 2)
            if model.n_inputs <= capacity:
                rows, more = model.rows[: model.n_inputs], 0
            else:
                shown = min(capacity - 1, len(model.rows))
                rows, more = model.rows[:shown], model.n_inputs - shown
            sizes = self._sizes(px, rows)
            wires = (
                ((X_MUL - X_IN) * width - sizes["name_w"] / 2 - sizes["mul_w"] / 2, [r.a for r in rows]),
                ((X_MUL - X_IN) * width - sizes["name_w"] / 2 - sizes["mul_w"] / 2, [r.grad_a for r in rows]),
                (
                    (X_STUB - X_MUL) * width - sizes["mul_w"] / 2,
                    [r.aw for r in rows] + [r.grad_aw for r in rows],
                ),
                ((X_F - X_SUM) * width - sizes["sum_r"] - sizes["f_w"] / 2, [model.z, model.dz]),
                ((1 - X_F) * width - sizes["f_w"] / 2, [model.a, model.da]),
            )
            fits = all(
                metrics.horizontalAdvance(text) + 6 <= room for room, texts in wires for text in texts if text
            )
            if fits or px <= 7:
                return px, rows, more
            px -= 0.5

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
        self.qp.setFont(self.bold if bold else self.font)
        self.w._text(self.qp, rect, text, self.text_color, Qt.AlignmentFlag.AlignCenter)
        self.qp.setFont(self.font)

    def _mul_node(self, rect: QRectF, row: _Row) -> None:
        self.qp.setPen(QPen(self.outline, 1.2))
        self.qp.setBrush(self.fill)
        self.qp.drawRoundedRect(rect, 3, 3)
        if not row.grad_w:
            self.w._text(self.qp, rect, f"× {row.w}", self.text_color, Qt.AlignmentFlag.AlignCenter)
            return
        # The weight is the node's forward input and dL/dw its gradient: top and bottom, like the wires.
        lh = self.fm.height()
        top = QRectF(rect.left(), rect.top() + 1, rect.width(), lh)
        self.w._text(self.qp, top, f"× {row.w}", self.text_color, Qt.AlignmentFlag.AlignCenter)
        bottom = QRectF(rect.left(), rect.bottom() - lh - 1, rect.width(), lh)
        self.w._text(self.qp, bottom, row.grad_w, self.gradient, Qt.AlignmentFlag.AlignCenter)

    def _circle(self, centre: QPointF, radius: float, text: str) -> None:
        self.qp.setPen(QPen(self.outline, 1.2))
        self.qp.setBrush(self.fill)
        self.qp.drawEllipse(centre, radius, radius)
        self.qp.setFont(self.bold)
        rect = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        self.w._text(self.qp, rect, text, self.text_color, Qt.AlignmentFlag.AlignCenter)
        self.qp.setFont(self.font)

    def _bias(self, sum_c: QPointF, sum_r: float, lh: float) -> None:
        """The bias enters Σ from below-right, where no input wire runs."""
        text = "b" if self.m.bias is None else f"b {self.m.bias}"
        width = self.fm.horizontalAdvance(text) + lh * 0.8
        rect = QRectF(sum_c.x() + sum_r * 0.2, sum_c.y() + sum_r + lh * 1.6, width, lh * 1.2)
        self._wire(
            QPointF(rect.left() + lh * 0.5, rect.top()), self._towards(sum_c, rect.topLeft(), sum_r), True
        )
        self._node(rect, text, rounded=True)
        if self.m.dz is not None:
            below = QRectF(rect.left(), rect.bottom() + 1, 200, lh)
            self.w._text(self.qp, below, self.m.dz, self.gradient, _LEFT)

    def _towards(self, centre: QPointF, start: QPointF, radius: float) -> QPointF:
        """The point on the circle (centre, radius) facing `start`, so arrows stop at the rim."""
        dx, dy = start.x() - centre.x(), start.y() - centre.y()
        length = math.hypot(dx, dy) or 1.0
        return QPointF(centre.x() + dx / length * radius, centre.y() + dy / length * radius)

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
        self.qp.setFont(self.font)
        if top is not None:
            text = f"{name} {top}" if name and self._fits(f"{name} {top}", width) else top
            self.w._text(self.qp, QRectF(x0, y - lh - 1, width, lh), text, self.forward, _BOTTOM_CENTER)
        if bottom is not None:
            self.w._text(self.qp, QRectF(x0, y + 1, width, lh), bottom, self.gradient, _TOP_CENTER)

    def _fits(self, text: str, width: float) -> bool:
        return self.fm.horizontalAdvance(text) <= width - 4


_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_TOP_CENTER = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
_BOTTOM_CENTER = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom
