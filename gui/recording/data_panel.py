"""The data panel of a video frame: the samples and what the network makes of them, in three variants.

- Data in the (x1, x2) plane: the output map tinted behind the samples, with the decision boundary.
- One input: targets over the input, with the network's prediction as a dense curve.
- Any other data: prediction against target, exact on the dashed diagonal.

The network's outputs arrive precomputed as a `FrameData` (core/analysis/frame_data.py, the same as
the window's data panel gets): this module only paints, it never runs the network.
"""

from __future__ import annotations

import math

import numpy as np
from backprop_studio.core.analysis.contour import contour_segments
from backprop_studio.core.analysis.evaluation import OutputMap, plane_extent
from backprop_studio.core.analysis.frame_data import FrameData
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.training.snapshot import Snapshot
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
    qcolor,
)
from backprop_studio.gui.style.qimage import rgb_to_qimage
from backprop_studio.gui.style.qt_draw import draw_lines, font
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPainterPath, QPen

MAX_POINTS = 2_000  # samples drawn in the data panel; more only makes a solid blob and costs time


def _input_name(dataset: Dataset) -> str:
    return dataset.feature_names[0] if dataset.feature_names else "input"


def _unit_names(dataset: Dataset) -> tuple[str, ...]:
    return dataset.target_names or tuple(f"y{k + 1}" for k in range(dataset.n_outputs))


def _stacked(xs: list[np.ndarray], ys: list[np.ndarray], scale: Scale) -> np.ndarray:
    """Pixel positions of (xs[k], ys[k]) for every output unit k, unit after unit."""
    return np.concatenate([scale.points(np.stack([x, y], 1)) for x, y in zip(xs, ys, strict=True)])


class DataPanel:
    """Paints the data panel of frames of one size and theme; keeps the samples layer between frames."""

    def __init__(self, unit: float, dark: bool) -> None:
        self.unit = unit
        self.dark = dark
        self._points_key: tuple | None = None
        self._points: dict[str, np.ndarray] = {}
        self._samples_layer: tuple[tuple, QImage] | None = None

    def paint(
        self,
        painter: QPainter,
        rect: QRectF,
        snapshot: Snapshot,
        data: FrameData | None,
        dataset: Dataset | None,
        pal: Palette,
    ) -> None:
        """The panel in `rect`; without `data` the samples are drawn without the network's outputs."""
        data = data or FrameData()
        if dataset is None:
            inner = kit.panel(painter, rect, "Data", "", pal, self.unit)
            painter.setFont(font(14 * self.unit))
            painter.setPen(qcolor(pal.muted))
            painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, "no data")
        elif dataset.is_planar:
            inner = kit.panel(painter, rect, "Data and the network's output", "", pal, self.unit)
            self._paint_plane(painter, inner, snapshot, data.output_map, dataset, pal)
        elif dataset.n_inputs == 1:
            inner = kit.panel(painter, rect, "Targets and the network's output", "", pal, self.unit)
            self._paint_curve(painter, inner, snapshot, data, dataset, pal)
        else:
            inner = kit.panel(
                painter, rect, "Prediction vs target", "exact on the dashed line", pal, self.unit
            )
            self._paint_scatter(painter, inner, snapshot, data, dataset, pal)

    # ------------------------------------------------------------------------------------- the plane

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

    def _paint_plane(
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
        area = kit.legend(painter, inner, items, pal, u, beside=inner.width() > 1.4 * inner.height())
        xmin, xmax, ymin, ymax = om.extent if om is not None else plane_extent(dataset)
        scale = kit.axes(painter, area, (xmin, xmax), (ymin, ymax), pal, ("x₁", "x₂"), u, keep_aspect=True)
        plot = scale.plot
        painter.save()
        painter.setClipRect(plot)
        if om is not None:
            self._paint_map(painter, plot, om, dataset)
            self._paint_boundary(painter, plot, om, dataset, pal)
        self._paint_samples(painter, self._plane_points(dataset, scale), dataset, snapshot, pal, plot)
        painter.restore()
        kit.frame_plot(painter, plot, pal, u)

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
            self._batch_rings(painter, pts["train"][rows[rows < len(pts["train"])]], d, pal)

    def _batch_rings(self, painter: QPainter, centers: np.ndarray, d: float, pal: Palette) -> None:
        """A selection-colored ring on a background-colored halo around each of `centers` (n, 2)."""
        u = self.unit
        r = d * 0.95 + 2.5 * u
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for pen in (QPen(qcolor(pal.background), 4.5 * u), QPen(qcolor(pal.selection), 2.2 * u)):
            painter.setPen(pen)
            for x, y in centers:
                if math.isfinite(x) and math.isfinite(y):
                    painter.drawEllipse(QPointF(x, y), r, r)

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

    # ------------------------------------------------------------------------------------- off the plane

    def _unit_color(self, k: int, units: int, single: RGB) -> RGB:
        return class_color(k, self.dark) if units > 1 else single

    def _curve_legend(self, dataset: Dataset, pal: Palette) -> list[LegendItem]:
        units = dataset.n_outputs
        names = _unit_names(dataset)
        items: list[LegendItem] = [
            (
                "line",
                self._unit_color(k, units, pal.text),
                f"prediction {names[k]}" if units > 1 else "prediction",
            )
            for k in range(units)
        ]
        items.append(("dot", pal.positive, "train"))
        if len(dataset.x_test):
            items.append(("ring", pal.positive, "test"))
        items.append(("batch", pal.selection, "this batch"))
        return items

    def _paint_curve(
        self,
        painter: QPainter,
        inner: QRectF,
        snapshot: Snapshot,
        data: FrameData,
        dataset: Dataset,
        pal: Palette,
    ) -> None:
        u, units = self.unit, dataset.n_outputs
        area = kit.legend(painter, inner, self._curve_legend(dataset, pal), pal, u)
        y_train, y_test = dataset.y_train[:MAX_POINTS], dataset.y_test[:MAX_POINTS]
        x, out = data.curve_x, data.curve_y
        ys = [y_train, y_test]
        if x is not None and out is not None:
            ys.append(out[np.isfinite(out).all(axis=1)])
            lo, hi = float(x[0]), float(x[-1])
        else:
            lo, hi = kit.finite_range(np.concatenate([dataset.x_train[:, 0], dataset.x_test[:, 0]]))
        ylo, yhi = kit.finite_range(np.concatenate([y.ravel() for y in ys]))
        scale = kit.axes(painter, area, (lo, hi), (ylo, yhi), pal, (_input_name(dataset), "output"), u)
        painter.save()
        painter.setClipRect(scale.plot)
        if x is not None and out is not None:
            for k in range(units):
                self._curve_path(
                    painter,
                    scale.points(np.stack([x, out[:, k]], axis=1)),
                    self._unit_color(k, units, pal.text),
                )
        x_train, x_test = dataset.x_train[:MAX_POINTS, 0], dataset.x_test[:MAX_POINTS, 0]
        pts = {
            "train": _stacked([x_train] * units, list(y_train.T), scale),
            "test": _stacked([x_test] * units, list(y_test.T), scale),
        }
        self._paint_unit_samples(painter, pts, snapshot, pal, units)
        painter.restore()
        kit.frame_plot(painter, scale.plot, pal, u)

    def _curve_path(self, painter: QPainter, pts: np.ndarray, rgb: RGB) -> None:
        path = QPainterPath()
        for n, (px, py) in enumerate(pts[np.isfinite(pts).all(axis=1)]):
            if n == 0:
                path.moveTo(px, py)
            else:
                path.lineTo(px, py)
        painter.setPen(kit.round_pen(rgb, 3.0 * self.unit))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def _scatter_legend(self, dataset: Dataset, pal: Palette) -> list[LegendItem]:
        units = dataset.n_outputs
        if units > 1:
            items: list[LegendItem] = [
                ("dot", class_color(k, self.dark), name) for k, name in enumerate(_unit_names(dataset))
            ]
        else:
            items = [("dot", pal.positive, "train")]
        if len(dataset.x_test):
            items.append(("ring", pal.positive if units == 1 else pal.text, "test"))
        items.append(("batch", pal.selection, "this batch"))
        return items

    def _paint_scatter(
        self,
        painter: QPainter,
        inner: QRectF,
        snapshot: Snapshot,
        data: FrameData,
        dataset: Dataset,
        pal: Palette,
    ) -> None:
        u, units = self.unit, dataset.n_outputs
        items = self._scatter_legend(dataset, pal)
        area = kit.legend(painter, inner, items, pal, u, beside=inner.width() > 1.4 * inner.height())
        y_train, y_test = dataset.y_train[:MAX_POINTS], dataset.y_test[:MAX_POINTS]
        pred_train = data.pred_train[:MAX_POINTS] if data.pred_train is not None else None
        pred_test = data.pred_test[:MAX_POINTS] if data.pred_test is not None else None
        shown = [a for a in (y_train, y_test, pred_train, pred_test) if a is not None]
        lo, hi = kit.finite_range(np.concatenate([a.ravel() for a in shown]))
        scale = kit.axes(
            painter, area, (lo, hi), (lo, hi), pal, ("target", "prediction"), u, keep_aspect=True
        )
        painter.save()
        painter.setClipRect(scale.plot)
        painter.setPen(QPen(qcolor(pal.muted), 1.5 * u, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(scale.x(lo), scale.y(lo)), QPointF(scale.x(hi), scale.y(hi)))
        if pred_train is not None and pred_test is not None:
            pts = {
                "train": _stacked(list(y_train.T), list(pred_train.T), scale),
                "test": _stacked(list(y_test.T), list(pred_test.T), scale),
            }
            self._paint_unit_samples(painter, pts, snapshot, pal, units)
        painter.restore()
        kit.frame_plot(painter, scale.plot, pal, u)

    def _paint_unit_samples(
        self, painter: QPainter, pts: dict[str, np.ndarray], snapshot: Snapshot, pal: Palette, units: int
    ) -> None:
        """Samples drawn once per output unit (points stacked unit by unit), colored by unit."""
        u, d = self.unit, 9.0 * self.unit
        for split in ("test", "train"):
            p = pts[split]
            per_unit = len(p) // max(units, 1)
            finite = np.isfinite(p).all(axis=1)
            for k in range(units):
                rgb = self._unit_color(k, units, pal.positive)
                part = p[k * per_unit : (k + 1) * per_unit][finite[k * per_unit : (k + 1) * per_unit]]
                outer, inner = (pal.background, rgb) if split == "train" else (rgb, pal.background)
                widths = (d + 2.4 * u, d) if split == "train" else (d + 1.5 * u, d - 2.5 * u)
                for rgb_, width in ((outer, widths[0]), (inner, widths[1])):
                    painter.setPen(kit.round_pen(rgb_, width))
                    kit.draw_points(painter, part)
        batch = snapshot.batch_indices
        train = pts["train"]
        per_unit = len(train) // max(units, 1)
        if batch is not None and len(batch) and per_unit:
            rows = np.asarray(batch)
            rows = rows[rows < per_unit]
            self._batch_rings(
                painter, train[np.concatenate([rows + k * per_unit for k in range(units)])], d, pal
            )
