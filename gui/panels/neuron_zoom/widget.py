"""One neuron drawn as a computational graph: inputs × weights → Σ (+ b) → z → f → a → onwards.

It is the classic "forward pass above the wires, backward pass below" picture of a single node, with
the session's numbers: each wire carries its forward value on top (green) and, once the backward pass
has reached the neuron, the gradient of the loss with respect to that value underneath (red). The
numbers are one sample's or the batch means (a `Focus`); `model` builds them from core, `painter` draws.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.zoom_model import ZoomModel, build_model
from backprop_studio.gui.canvas.zoom_painter import GraphPainter
from backprop_studio.gui.style.colors import palette, qcolor
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

EMPTY = "Select a neuron to see its computational graph"
FIRST_SAMPLE = Focus(0)


class NeuronZoom(QWidget):
    """Paints the computational graph of one neuron for one sample of the batch or the batch mean."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._snap: Snapshot | None = None
        self._selection: tuple[int, int] | None = None
        self._focus = FIRST_SAMPLE
        self._names: tuple[str, ...] = ()
        self._dark = False
        self._labels: list[str] = []
        # Below this the numbers would need a font too small to read.
        self.setMinimumSize(380, 230)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # ----------------------------------------------------------------- public API

    def show_neuron(self, snapshot: Snapshot, layer: int, j: int, focus: Focus = FIRST_SAMPLE) -> None:
        """Show neuron j (0-based) of `layer` (1-based) at `focus` (a batch row or `BATCH_MEAN`)."""
        self._snap = snapshot
        self._selection = (layer, j)
        self._focus = focus
        self.update()

    def refresh(self, snapshot: Snapshot, focus: Focus | None = None) -> None:
        """A newer snapshot; `focus`, when given, replaces the sample (or mean) shown."""
        self._snap = snapshot
        if focus is not None:
            self._focus = focus
        self.update()

    def set_input_names(self, names: Sequence[str]) -> None:
        """The data's feature names (e.g. "x1", "x1^2", "sin(x1)"); empty → inputs read x₁ … xₙ."""
        self._names = tuple(names)
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

    def model(self) -> ZoomModel | None:
        """What the next paint draws (None when nothing is selected or it is not in the network)."""
        if self._snap is None or self._selection is None:
            return None
        layer, j = self._selection
        return build_model(self._snap, layer, j, self._focus, self._names)

    # ----------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        p = palette(self._dark)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), qcolor(p.background))
        self._labels = []
        model = self.model()
        if model is None:
            painter.setFont(font(11))
            painter.setPen(qcolor(p.muted))
            painter.drawText(QRectF(self.rect()), int(Qt.AlignmentFlag.AlignCenter), EMPTY)
            self._labels.append(EMPTY)
        else:
            GraphPainter(painter, p, model, self.width(), self.height(), self._labels).draw()
        painter.end()
