"""The data panel of a video frame for data in the (x1, x2) plane: the network's output map tinted
behind the samples, the decision boundary as a contour, training samples filled and test samples
hollow, this batch's ringed. The map arrives precomputed (`FrameData.output_map`); nothing here runs
the network. The samples never move, so they are painted once onto a transparent layer and reused."""

from __future__ import annotations

import math

import numpy as np
from backprop_studio.core.analysis.contour import contour_segments
from backprop_studio.core.analysis.evaluation import OutputMap, plane_extent
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.recording import chart
from backprop_studio.gui.recording import plot_kit as kit
from backprop_studio.gui.recording.plot_kit import LegendItem, Scale
from backprop_studio.gui.style.colors import (
    RGB,
    Palette,
    argb_to_rgb,
    class_color,
    diverging_lut,
    lut_indices,
    map_tint,
)
from backprop_studio.gui.style.qimage import rgb_to_qimage
from backprop_studio.gui.style.qt_draw import draw_lines
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter

MAX_POINTS = 2_000  # samples drawn in the data panel; more only makes a solid blob and costs time


class PlanePanel:
    """Paints the plane variant of the data panel; keeps the samples layer between frames."""

    def __init__(self, unit: float, dark: bool) -> None:
        self.unit = unit
        self.dark = dark
        self._points_key: tuple | None = None
        self._points: dict[str, np.ndarray] = {}
        self._samples_layer: tuple[tuple, QImage] | None = None

    def _plane_legend(self, dataset: Dataset, pal: Palette) -> list[LegendItem]:
        items: list[LegendItem] = []
        if dataset.labels_train is not None:
            items += [
                ("dot", class_color(k, self.dark), f"class {k}") for k in range(max(dataset.classes, 2))
            ]
        if len(dataset.x_test):
            items.append(("ring", pal.text, "test"))
        items.append(("batch", pal.selection, "this batch"))
        if dataset.task == "classification":
            items.append(("line", pal.text, "boundary"))
        return items

    def paint(
        self,
        painter: QPainter,
        inner: QRectF,
        snapshot: Snapshot,
        om: OutputMap | None,
        dataset: Dataset,
        pal: Palette,
    ) -> None:
        u = self.unit
        items = self._plane_legend(dataset, pal)
        area = chart.legend(painter, inner, items, pal, u, beside=inner.width() > 1.4 * inner.height())
        xmin, xmax, ymin, ymax = om.extent if om is not None else plane_extent(dataset)
        scale = chart.axes(painter, area, (xmin, xmax), (ymin, ymax), pal, ("x₁", "x₂"), u, keep_aspect=True)
        plot = scale.plot
        painter.save()
        painter.setClipRect(plot)
        if om is not None:
            self._paint_map(painter, plot, om, dataset)
            self._paint_boundary(painter, plot, om, dataset, pal)
        self._paint_samples(painter, self._plane_points(dataset, scale), dataset, snapshot, pal, plot)
        painter.restore()
        chart.frame_plot(painter, plot, pal, u)

    def _plane_points(self, dataset: Dataset, scale: Scale) -> dict[str, np.ndarray]:
        key = (id(dataset), scale.key())
        if key != self._points_key:
            test = dataset.points_test
            self._points = {
                "train": scale.points(dataset.points_train[:MAX_POINTS]),
                "test": scale.points(test[:MAX_POINTS]) if test is not None else np.zeros((0, 2)),
            }
            self._points_key = key
        return self._points

    def _sample_colors(self, dataset: Dataset, split: str, n: int) -> list[tuple[RGB, np.ndarray]]:
        """Groups of (color, row indices) for the first n samples of a split."""
        labels = dataset.labels_train if split == "train" else dataset.labels_test
        if labels is not None:
            labels = np.asarray(labels[:n])
            return [(class_color(int(k), self.dark), np.flatnonzero(labels == k)) for k in np.unique(labels)]
        y = (dataset.y_train if split == "train" else dataset.y_test)[:n, 0]
        center = 0.5 if dataset.task == "classification" else 0.0
        idx = lut_indices(y - center, 1.0) // 32  # eight shades are plenty for dots
        lut = diverging_lut(self.dark)
        groups = []
        for level in np.unique(idx):
            rgb = argb_to_rgb(lut[min(int(level) * 32 + 16, 255)])
            groups.append((tuple(int(c) for c in rgb), np.flatnonzero(idx == level)))
        return groups

    def _paint_samples(
        self,
        painter: QPainter,
        pts: dict[str, np.ndarray],
        dataset: Dataset,
        snapshot: Snapshot,
        pal: Palette,
        plot: QRectF,
    ) -> None:
        """The samples (from a cached layer: they never move) and rings around this batch's."""
        u = self.unit
        n_all = len(pts["train"]) + len(pts["test"])
        d = (9.0 if n_all <= 400 else 6.5 if n_all <= 1500 else 4.5) * u
        key = (self._points_key, self.dark, d)
        if self._samples_layer is None or self._samples_layer[0] != key:
            self._samples_layer = (key, self._samples_image(pts, dataset, pal, plot, d))
        # The layer starts on a whole pixel, so its dots land exactly where the rings below are drawn.
        painter.drawImage(QPointF(math.floor(plot.left()), math.floor(plot.top())), self._samples_layer[1])
        batch = snapshot.batch_indices
        if batch is not None and len(batch) and len(pts["train"]):
            rows = np.asarray(batch)
            kit.batch_rings(painter, pts["train"][rows[rows < len(pts["train"])]], d, pal, u)

    def _samples_image(
        self, pts: dict[str, np.ndarray], dataset: Dataset, pal: Palette, plot: QRectF, d: float
    ) -> QImage:
        """Training samples filled, test samples hollow, on a transparent layer the size of the plot."""
        u = self.unit
        left, top = math.floor(plot.left()), math.floor(plot.top())
        image = QImage(
            max(1, math.ceil(plot.right()) - left),
            max(1, math.ceil(plot.bottom()) - top),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.fill(0)
        layer = QPainter(image)
        layer.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        layer.translate(-left, -top)
        for split in ("test", "train"):
            p = pts[split]
            if not len(p):
                continue
            groups = self._sample_colors(dataset, split, len(p))
            if split == "train":
                layer.setPen(kit.round_pen(pal.background, d + 2.4 * u))
                kit.draw_points(layer, p)
                for rgb, rows in groups:
                    layer.setPen(kit.round_pen(rgb, d))
                    kit.draw_points(layer, p[rows])
            else:
                for rgb, rows in groups:
                    layer.setPen(kit.round_pen(rgb, d + 1.5 * u))
                    kit.draw_points(layer, p[rows])
                layer.setPen(kit.round_pen(pal.background, d - 2.5 * u))
                kit.draw_points(layer, p)
        layer.end()
        return image

    def _paint_map(self, painter: QPainter, plot: QRectF, om: OutputMap, dataset: Dataset) -> None:
        # Row 0 of the map is at ymin, which is the bottom of the plot: flip it for the image.
        image = rgb_to_qimage(map_tint(om, self.dark, dataset.classes)[::-1])
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(plot, image)
        painter.restore()

    def _paint_boundary(
        self, painter: QPainter, plot: QRectF, om: OutputMap, dataset: Dataset, pal: Palette
    ) -> None:
        if dataset.task != "classification":
            return
        res = om.resolution
        if om.classes is None:
            segments = [contour_segments(om.values, om.threshold)]
        elif om.margins is not None and len(present := np.unique(om.classes)) > 1:
            # Each region's outline is the zero contour of its unit's lead over the rest.
            segments = [contour_segments(om.margins[k], 0.0) for k in present]
        else:
            return
        lines = np.concatenate(segments)
        if not len(lines):
            return
        # Grid point (col, row) is the center of its cell; rows rise with x2, so they run up the plot.
        sx, sy = plot.width() / res, plot.height() / res
        out = np.empty_like(lines)
        out[:, 0::2] = plot.left() + (lines[:, 0::2] + 0.5) * sx
        out[:, 1::2] = plot.bottom() - (lines[:, 1::2] + 0.5) * sy
        painter.setPen(kit.round_pen(pal.text, 2.0 * self.unit, 190))
        draw_lines(painter, out)
