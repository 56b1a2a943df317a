"""The Inspector's pictures for image inputs (data.image_shape): the focused sample drawn as the image it
is, with its label and the network's answer, and, when a first-layer neuron or one of its weights is
selected, that neuron's incoming weights as the same image on the weight colors with their scale: the
strokes it looks for. A selected input (or the input of a selected weight) is ringed on both pictures.

A widget of its own beside the chain rule; the Inspector places it and hands it what it renders. It is
hidden unless the inputs form an image. Its captions' words are in images_text.py.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.analysis.images import as_image, as_read, incoming_weights_image, pixel_position
from backprop_studio.core.display.names import neuron_label
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.panels.inspector.images_text import answer_text, chosen, pixel_note, sample_caption
from backprop_studio.gui.style.colors import palette, qcolor
from backprop_studio.gui.style.pixel_images import cell_for, cells_image, gray_argb, weight_figure
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

IMAGE_SIDE = 96  # pixels: an 8×8 image at 12 pixels a cell
MIN_CELL = 4  # pixels: smaller than this the Inspector scrolls instead
WEIGHTS_SHARE = 0.6  # of a short Inspector's height, when the weights and the sample share it
COLUMN_WIDTH = 205  # pixels: the images, the weights' color bar and its labels
WEIGHTS_TIP = (
    "Each cell is the weight from one pixel to this neuron, placed where the pixel is. Ink on a blue "
    "(positive) cell raises the neuron's z, ink on an orange (negative) one lowers it; the bar gives "
    "the scale, symmetric around 0 at the largest |w|."
)


class ImageInputs(QScrollArea):
    """The focused sample as an image, and a first-layer neuron's incoming weights as one (scrolls when
    the Inspector is short)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shape: tuple[int, int] | None = None
        self._range = (0.0, 1.0)
        self._unscale: tuple[tuple[float, ...], tuple[float, ...]] | None = None
        self._labels: np.ndarray | None = None
        self._class_names: tuple[str, ...] = ()
        self._dark = False
        self._sample_image = QImage()
        self._weights_image = QImage()
        self._weights_scale: float | None = None
        self._shown: tuple | None = None  # the last show_state arguments, to redraw at a new size
        self._cells = (0, 0)  # (sample, weights) screen pixels per image pixel, 0 when not drawn

        self._sample_title = self._text_label()
        self._sample = QLabel()
        self._answer = self._text_label()
        self._weights_title = self._text_label()
        self._weights = QLabel()
        self._weights.setToolTip(WEIGHTS_TIP)
        self._boxes = (
            _box(self._sample_title, self._sample, self._answer),
            _box(self._weights_title, self._weights),
        )
        inner = QWidget()
        self._grid = QGridLayout(inner)
        self._grid.setContentsMargins(0, 0, 6, 0)
        self._grid.setSpacing(8)
        self._wide = True
        self.setWidget(inner)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setAutoFillBackground(False)
        inner.setAutoFillBackground(False)
        self.set_wide(True)
        self.setVisible(False)

    def set_wide(self, wide: bool) -> None:
        """Wide: a column of pictures beside the chain rule (sample over weights); narrow: a row of them
        above it (sample beside weights), so a narrow Inspector keeps the chain rule its full width."""
        self._wide = wide
        for box in self._boxes:
            self._grid.removeWidget(box)
        self._grid.addWidget(self._boxes[0], 0, 0)
        self._grid.addWidget(self._boxes[1], 1 if wide else 0, 0 if wide else 1)
        self._grid.setRowStretch(2, 1)
        big = 16_777_215  # QWIDGETSIZE_MAX
        if wide:
            self.setMinimumHeight(0)
            self.setMaximumHeight(big)
            self.setFixedWidth(COLUMN_WIDTH + self.verticalScrollBar().sizeHint().width())
        else:
            self.setMinimumWidth(0)
            self.setMaximumWidth(big)
        for label in (self._sample_title, self._answer, self._weights_title):
            label.setMaximumWidth(COLUMN_WIDTH if wide else big)
        if self._shown is not None:
            self.show_state(*self._shown)

    def is_wide(self) -> bool:
        return self._wide

    @staticmethod
    def _text_label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setMaximumWidth(COLUMN_WIDTH)
        return label

    # ----------------------------------------------------------------- what to draw

    def set_data(
        self,
        shape: tuple[int, int] | None,
        value_range: tuple[float, float],
        labels: np.ndarray | None,
        class_names: tuple[str, ...],
        unscale: tuple[tuple[float, ...], tuple[float, ...]] | None = None,
    ) -> None:
        """The image shape (None: not an image, the widget hides), the gray scale's (low, high), each
        training sample's class index (None for regression) and the classes' names."""
        self._shape, self._range, self._unscale = shape, value_range, unscale  # unscale: see as_read
        self._labels, self._class_names = labels, tuple(class_names)
        self.setVisible(shape is not None)

    def set_dark(self, dark: bool) -> None:
        self._dark = dark

    def sample_image(self) -> QImage:
        """The sample as shown (cells enlarged, the selected pixel ringed); null before a batch."""
        return self._sample_image

    def weights_image(self) -> QImage:
        """The weights figure as shown (cells, then the color bar); null when no first-layer neuron is chosen."""
        return self._weights_image

    def weights_scale(self) -> float | None:
        """The end of the weights' symmetric color scale (their largest |w|), None when none are shown."""
        return self._weights_scale

    def captions(self) -> tuple[str, str, str]:
        """The texts shown: over the sample, under it (the network's answer) and over the weights."""
        return self._sample_title.text(), self._answer.text(), self._weights_title.text()

    def sample_cell(self) -> int:
        """Screen pixels per image pixel of the sample as drawn."""
        return self._cells[0]

    def weights_cell(self) -> int:
        """Screen pixels per image pixel of the weights as drawn."""
        return self._cells[1]

    def _fit_cells(self, weights_shown: bool) -> tuple[int, int]:
        """(sample, weights) cell sizes: up to IMAGE_SIDE across; in a short Inspector the weights (what
        a click on a layer-1 neuron asked for) get WEIGHTS_SHARE of the height the captions leave and the
        sample the rest, so both fit without scrolling."""
        if self._shape is None:
            return 0, 0
        rows, cols = self._shape
        full = cell_for(self._shape, IMAGE_SIDE)
        captions = (self._sample_title, self._answer, self._weights_title)
        spacing = self._grid.spacing()
        text = sum(label.heightForWidth(COLUMN_WIDTH) + spacing for label in captions if label.text())
        room = self.viewport().height() - text - 2 * spacing
        if not self._wide:  # side by side: each picture has half the width, the height is its own
            half = (self.width() - 24) // 2
            return max(MIN_CELL, min(full, half // cols)), max(MIN_CELL, min(full, (half - 64) // cols))
        if not weights_shown:
            return max(MIN_CELL, min(full, COLUMN_WIDTH // cols, room // rows)), 0
        weights = max(MIN_CELL, min(full, (COLUMN_WIDTH - 64) // cols, int(WEIGHTS_SHARE * room / rows)))
        return max(MIN_CELL, min(full, (room - weights * rows) // rows)), weights

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._shown is not None and self._fit_cells(self._cells[1] > 0) != self._cells:
            self.show_state(*self._shown)

    # ----------------------------------------------------------------- rendering

    def show_state(
        self, snap: Snapshot | None, selection: tuple | None, focus: Focus, names: Sequence[str] = ()
    ) -> None:
        """Render for `snap` at `focus`; `selection` is the Inspector's ("neuron", layer, j, 0) or
        ("edge", layer, i, j); `names` the inputs' feature names (x₁ … when empty)."""
        if self._shape is None or snap is None or snap.sizes[0] != self._shape[0] * self._shape[1]:
            self.setVisible(False)
            return
        self.setVisible(True)
        self._shown = (snap, selection, focus, names)
        pixel, neuron = chosen(selection)
        if neuron is not None and not (len(snap.sizes) > 1 and 0 <= neuron < snap.sizes[1]):
            neuron = None
        row = None if snap.x is None else focus.valid_row(snap.x.shape[0])
        self._write_captions(snap, row, pixel, neuron, names)
        self._cells = self._fit_cells(neuron is not None)
        self._draw_sample(snap, row, pixel)
        self._draw_weights(snap, neuron, pixel)
        if not self._wide:  # a row above the chain rule: exactly as tall as its pictures and captions
            inner = self.widget()
            inner.adjustSize()
            self.setFixedHeight(max(self._grid.totalHeightForWidth(self.width()), inner.sizeHint().height()))

    def _write_captions(
        self, snap: Snapshot, row: int | None, pixel: int | None, neuron: int | None, names: Sequence[str]
    ) -> None:
        assert self._shape is not None
        if snap.x is None:
            self._sample_title.setText("The focused sample appears here once Step (→) draws the first batch.")
            self._answer.clear()
        else:
            self._sample_title.setText(
                sample_caption(snap, row, self._labels, self._class_names)
                + pixel_note(pixel, self._shape, names)
            )
            self._answer.setText(answer_text(snap, row, self._labels, self._class_names))
        if neuron is None:
            self._weights_title.setText("Click a neuron of layer 1 to see its incoming weights here.")
        else:
            self._weights_title.setText(f"Weights into {neuron_label(0, neuron)}")

    def _draw_sample(self, snap: Snapshot, row: int | None, pixel: int | None) -> None:
        assert self._shape is not None
        if snap.x is None:
            self._sample_image = QImage()
            self._sample.clear()
            return
        values = as_read(snap.x.mean(axis=0) if row is None else snap.x[row], self._unscale)
        argb = gray_argb(as_image(values, self._shape), *self._range, self._dark)
        self._sample_image = self._ring(cells_image(argb, self._cells[0]), pixel, self._cells[0])
        self._sample.setPixmap(QPixmap.fromImage(self._sample_image))

    def _draw_weights(self, snap: Snapshot, neuron: int | None, pixel: int | None) -> None:
        assert self._shape is not None
        if neuron is None:
            self._weights_image, self._weights_scale = QImage(), None
            self._weights.clear()
            return
        values = incoming_weights_image(snap.weights[0], neuron, self._shape)
        figure, vmax = weight_figure(values, self._dark, self._cells[1])
        self._weights_image, self._weights_scale = self._ring(figure, pixel, self._cells[1]), vmax
        self._weights.setPixmap(QPixmap.fromImage(self._weights_image))

    def _ring(self, image: QImage, pixel: int | None, cell: int) -> QImage:
        """`image` (cells of `cell` pixels) with the cell of input `pixel` outlined (a halo, then the
        selection color)."""
        if pixel is None or self._shape is None or image.isNull():
            return image
        row, col = pixel_position(pixel, self._shape)
        pal = palette(self._dark)
        painter = QPainter(image)
        rect = QRectF(col * cell + 1.5, row * cell + 1.5, cell - 3, cell - 3)
        painter.setPen(QPen(qcolor(pal.background), 3))
        painter.drawRect(rect)
        painter.setPen(QPen(qcolor(pal.selection), 1.5))
        painter.drawRect(rect)
        painter.end()
        return image


def _box(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(3)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return box
