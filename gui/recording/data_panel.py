"""The data panel of a video frame: the samples and what the network makes of them, in three variants.

- Data in the (x1, x2) plane: the output map tinted behind the samples, with the decision boundary
  (data_plane.py).
- One input: targets over the input, with the network's prediction as a dense curve.
- Any other data: prediction against target, exact on the dashed diagonal.

The network's outputs arrive precomputed as a `FrameData` (core/analysis/frame_data.py, the same as
the window's data panel gets): this module only paints, it never runs the network.
"""

from __future__ import annotations

import numpy as np
from backprop_studio.core.analysis.frame_data import FrameData
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.recording import chart
from backprop_studio.gui.recording import plot_kit as kit
from backprop_studio.gui.recording.data_plane import MAX_POINTS, PlanePanel
from backprop_studio.gui.recording.plot_kit import LegendItem, Scale
from backprop_studio.gui.style.colors import (
    RGB,
    Palette,
    class_color,
    qcolor,
)
from backprop_studio.gui.style.qt_draw import font
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen


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
        self._plane = PlanePanel(unit, dark)

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
            inner = chart.panel(painter, rect, "Data", "", pal, self.unit)
            painter.setFont(font(14 * self.unit))
            painter.setPen(qcolor(pal.muted))
            painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, "no data")
        elif dataset.is_planar:
            inner = chart.panel(painter, rect, "Data and the network's output", "", pal, self.unit)
            self._plane.paint(painter, inner, snapshot, data.output_map, dataset, pal)
        elif dataset.n_inputs == 1:
            inner = chart.panel(painter, rect, "Targets and the network's output", "", pal, self.unit)
            self._paint_curve(painter, inner, snapshot, data, dataset, pal)
        else:
            inner = chart.panel(
                painter, rect, "Prediction vs target", "exact on the dashed line", pal, self.unit
            )
            self._paint_scatter(painter, inner, snapshot, data, dataset, pal)

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
        area = chart.legend(painter, inner, self._curve_legend(dataset, pal), pal, u)
        y_train, y_test = dataset.y_train[:MAX_POINTS], dataset.y_test[:MAX_POINTS]
        x, out = data.curve_x, data.curve_y
        ys = [y_train, y_test]
        if x is not None and out is not None:
            ys.append(out[np.isfinite(out).all(axis=1)])
            lo, hi = float(x[0]), float(x[-1])
        else:
            lo, hi = kit.finite_range(np.concatenate([dataset.x_train[:, 0], dataset.x_test[:, 0]]))
        ylo, yhi = kit.finite_range(np.concatenate([y.ravel() for y in ys]))
        scale = chart.axes(painter, area, (lo, hi), (ylo, yhi), pal, (_input_name(dataset), "output"), u)
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
        chart.frame_plot(painter, scale.plot, pal, u)

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
        area = chart.legend(painter, inner, items, pal, u, beside=inner.width() > 1.4 * inner.height())
        y_train, y_test = dataset.y_train[:MAX_POINTS], dataset.y_test[:MAX_POINTS]
        pred_train = data.pred_train[:MAX_POINTS] if data.pred_train is not None else None
        pred_test = data.pred_test[:MAX_POINTS] if data.pred_test is not None else None
        shown = [a for a in (y_train, y_test, pred_train, pred_test) if a is not None]
        lo, hi = kit.finite_range(np.concatenate([a.ravel() for a in shown]))
        scale = chart.axes(
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
        chart.frame_plot(painter, scale.plot, pal, u)

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
            kit.batch_rings(
                painter, train[np.concatenate([rows + k * per_unit for k in range(units)])], d, pal, u
            )
