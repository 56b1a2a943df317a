"""The explanation view a lesson step puts beside the canvas (`Stage.view`), painted for a recording.

The window docks a panel beside the canvas; a recording paints the same view into the frame's side column
(`FrameSpec.side_share`). Each view draws from the one home of what it says:

- "Neuron zoom": the panel's own painter (gui/canvas/zoom_painter.py) on the panel's model, enlarged so its
  numbers read on a projector;
- "Matrix": the dock's own layout and painter (gui/canvas/matrix_layout.py, matrix_painter.py) on core's
  `matrix_form`, in large type;
- "Inspector", "Breakpoints": lines from core (side_cards.py);
- "Gradient health": core's layer health as bars (side_health.py);
- "Data", "Loss": the recording's own data and loss panels, given the whole column.

A view changes only from one lesson step to the next, so it is painted once per scene (`SideViews.image`
caches it by the scene's key) and each frame only blits it. Widgets are not used: a lesson records on a
worker thread in the window, where widgets may not be created, and renderers do not import panels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.analysis.frame_data import frame_inputs
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.debugger.conditions import Hit
from backprop_studio.core.debugger.watch import Watch
from backprop_studio.core.spec import TrainingSpec
from backprop_studio.core.teaching.matrix_cells import highlighted
from backprop_studio.core.teaching.matrix_form import matrix_form
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.canvas.matrix_layout import plan
from backprop_studio.gui.canvas.matrix_painter import paint_plan
from backprop_studio.gui.canvas.zoom_model import build_model
from backprop_studio.gui.canvas.zoom_painter import GraphPainter
from backprop_studio.gui.recording import chart
from backprop_studio.gui.recording.data_panel import DataPanel
from backprop_studio.gui.recording.data_plane import MAX_POINTS
from backprop_studio.gui.recording.loss_panel import LossPanel
from backprop_studio.gui.recording.side_cards import breakpoint_lines, inspector_lines
from backprop_studio.gui.recording.side_health import paint_health
from backprop_studio.gui.recording.side_text import SMALLEST, TextLine, paint_lines
from backprop_studio.gui.style.colors import palette, qcolor
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF, QImage, QPainter

# The Neuron zoom is painted as a panel this wide (logical pixels) and scaled to the side column: its
# fonts grow with its width, so they keep the proportions the panel was designed with.
ZOOM_LOGICAL_WIDTH = 460.0
ZOOM_LOGICAL_HEIGHT = ZOOM_LOGICAL_WIDTH * 260 / 420  # the panel's design proportions (420 × 260)
ZOOM_ROWS = 5  # input rows of a wide neuron, "+ N more" included: fewer than the panel's 8, in larger type
MATRIX_TEXT = 18.0  # units: the Matrix view's largest type
MATRIX_ROWS = 4  # batch rows printed per matrix: the first ones, "…", the last (the dock prints 7)


@dataclass(frozen=True, eq=False)
class SideScene:
    """What one scene's side view needs: `key` identifies the scene (the view is painted once per key)."""

    key: object
    view: str
    snapshot: Snapshot
    selection: tuple | None  # ("neuron", layer, j) or ("edge", layer, i, j), 0-based units
    focus: Focus
    training: TrainingSpec | None = None
    watches: tuple[Watch, ...] = ()
    hit: Hit | None = None
    names: Sequence[str] = ()


def monospace(px: float) -> QFont:
    """The system's fixed-width font `px` pixels high (the Matrix dock's numbers are monospaced)."""
    result = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    result.setStyleHint(QFont.StyleHint.Monospace)
    result.setPixelSize(max(7, round(px)))
    return result


class SideViews:
    """Paints side views of one size and theme, each once per scene."""

    def __init__(self, unit: float, dark: bool) -> None:
        self.unit, self.dark = unit, dark
        self._data = DataPanel(unit, dark)
        self._loss = LossPanel(unit, dark)
        self._key: object = None
        self._image: QImage | None = None
        self.labels: list[str] = []  # every text the last painted view drew, for tests
        self.zoom_text_px = 0.0  # size of the last Neuron zoom's numbers in frame pixels

    def image(self, scene: SideScene, width: int, height: int, dataset: Dataset | None) -> QImage:
        """The view of `scene`, `width` × `height` pixels: painted at the first call for a scene, then reused."""
        size = (width, height)
        if self._image is not None and self._key == (scene.key, size):
            return self._image
        image = QImage(max(width, 1), max(height, 1), QImage.Format.Format_ARGB32_Premultiplied)
        pal = palette(self.dark)
        image.fill(qcolor(pal.background))
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            self.labels = []
            self._paint(painter, QRectF(0, 0, width, height), scene, dataset)
        finally:
            painter.end()
        self._key, self._image = (scene.key, size), image
        return image

    def _paint(self, painter: QPainter, rect: QRectF, scene: SideScene, dataset: Dataset | None) -> None:
        u, pal, snap = self.unit, palette(self.dark), scene.snapshot
        if scene.view == "Data":
            data = frame_inputs(snap, dataset, max_points=MAX_POINTS) if dataset is not None else None
            self._data.paint(painter, rect, snap, data, dataset, pal)
            return
        if scene.view == "Loss":
            self._loss.paint(painter, rect, snap, snap.history, pal)
            return
        inner = chart.panel(painter, rect, scene.view, "", pal, u).adjusted(6 * u, 4 * u, -6 * u, -6 * u)
        self.labels.append(scene.view)
        if scene.view == "Neuron zoom":
            self._zoom(painter, inner, scene)
        elif scene.view == "Matrix":
            self._matrix(painter, inner, scene)
        elif scene.view == "Gradient health":
            paint_health(painter, inner, snap, pal, u, self.labels)
        else:
            paint_lines(painter, inner, self._lines(scene), pal, u, self.labels)

    @staticmethod
    def _lines(scene: SideScene) -> list[TextLine]:
        if scene.view == "Breakpoints":
            return breakpoint_lines(scene.watches, scene.hit)
        return inspector_lines(scene.snapshot, scene.selection, scene.focus, scene.training, scene.names)

    def _matrix(self, painter: QPainter, rect: QRectF, scene: SideScene) -> None:
        """The Matrix dock's equations (its own layout and painter) in the largest type that fits, from
        MATRIX_TEXT down to SMALLEST units; a form taller than that is scaled down to fit whole."""
        form = matrix_form(scene.snapshot, scene.selection, scene.training)
        size = self.unit * MATRIX_TEXT
        while True:
            mono, bold = monospace(size), font(size, bold=True)
            laid = plan(form, rect.width(), QFontMetricsF(mono), QFontMetricsF(bold), MATRIX_ROWS)
            if laid.height <= rect.height() or size <= SMALLEST * self.unit:
                break
            size = max(SMALLEST * self.unit, size * 0.92)
        row = scene.focus.valid_row(0 if scene.snapshot.x is None else int(scene.snapshot.x.shape[0]))
        marks = {id(t): highlighted(t, scene.selection, row) for line in form.lines for t in line.terms}
        fit = min(1.0, rect.width() / max(laid.width, 1.0), rect.height() / max(laid.height, 1.0))
        painter.save()
        painter.translate(rect.topLeft())
        painter.scale(fit, fit)
        paint_plan(painter, laid, palette(self.dark), mono, bold, marks, self.labels, self.unit)
        painter.restore()

    def _zoom(self, painter: QPainter, rect: QRectF, scene: SideScene) -> None:
        """The Neuron zoom panel's picture of the selected neuron (or the neuron a selected edge feeds)."""
        selection = scene.selection
        model = None
        if selection is not None and int(selection[1]) >= 1:
            j = int(selection[2] if selection[0] == "neuron" else selection[3])
            model = build_model(scene.snapshot, int(selection[1]), j, scene.focus, scene.names)
        pal = palette(self.dark)
        if model is None:
            text = "Select a neuron of a layer to see its computational graph."
            paint_lines(painter, rect, [TextLine("note", text)], pal, self.unit, self.labels)
            return
        # GraphPainter sizes everything from its size (fonts ∝ size, up to a cap): it paints a graph
        # about the size of a docked panel, scaled up to fill the rectangle.
        scale = max(1.0, min(rect.width() / ZOOM_LOGICAL_WIDTH, rect.height() / ZOOM_LOGICAL_HEIGHT))
        painter.save()
        painter.translate(rect.topLeft())
        painter.scale(scale, scale)
        graph = GraphPainter(
            painter, pal, model, round(rect.width() / scale), round(rect.height() / scale), self.labels
        )
        graph.max_rows = ZOOM_ROWS
        graph.draw()
        painter.restore()
        self.zoom_text_px = graph.text_font.pixelSize() * scale  # the wires' numbers, in frame pixels
