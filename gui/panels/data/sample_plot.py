"""The samples in the plane over the network's output map, or (off the plane) prediction against target.

Data in the (x1, x2) plane is drawn over the network's output map, so the decision boundary shows where
the colors change. Other data (inline or CSV, any number of inputs) shows each sample's prediction
against its target; with a single input, the prediction as a curve over that input with the targets as
points. Training samples are filled and test samples hollow; the current batch is ringed and the sample
the inspector follows (the focus) is marked with a larger, heavier ring. Clicking a training sample
emits its row.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.analysis.evaluation import OutputMap, plane_extent
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.gui.panels.data import sample_points as sp
from backprop_studio.gui.panels.data.fast_scatter import FastScatter
from backprop_studio.gui.panels.data.markers import SampleMarkers, rows_at
from backprop_studio.gui.panels.data.plane_map import PlaneMap
from backprop_studio.gui.panels.data.plot_theme import theme_plot
from backprop_studio.gui.style.colors import class_color, mix, palette, qcolor
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPainter

POINT_SIZE = 8


class SamplePlot(QObject):
    """The plot widget (`widget`) and everything drawn in it; the owner passes data and state in."""

    sample_clicked = Signal(int)  # row of dataset.x_train

    def __init__(self) -> None:
        super().__init__()
        self.dark = False
        self.dataset: Dataset | None = None
        self.map: OutputMap | None = None
        self.pred_train: np.ndarray | None = None
        self.pred_test: np.ndarray | None = None
        self.curve: tuple[np.ndarray, np.ndarray] | None = None
        self.train_drawn = (np.empty(0), np.empty(0), np.empty(0, dtype=np.intp))  # x, y, row
        self._colors = sp.ColorCache()
        self.widget = pg.PlotWidget()
        # Scale the coarse output grid smoothly instead of showing its cells as blocks.
        self.widget.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.plot = self.widget.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.vb = self.plot.getViewBox()
        # The aspect lock widens one axis to the box's shape; fit the plane again when the box changes
        # shape (a dock resized, the first layout), or it keeps the range of a long-gone wide, flat box.
        self.vb.sigResized.connect(self._refit_plane)
        self.plane_map = PlaneMap(self.plot)
        self.identity = pg.InfiniteLine(pos=(0, 0), angle=45, movable=False)
        self.identity.setZValue(-10)
        self.plot.addItem(self.identity, ignoreBounds=True)
        self.curves: list[pg.PlotDataItem] = []
        self.markers = SampleMarkers(self.plot)
        self.test_points = FastScatter(size=POINT_SIZE, symbol="o", hoverable=True, tip=self._tip_test)
        self.test_points.setZValue(1)
        self.test_points.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.train_points = FastScatter(size=POINT_SIZE, symbol="o", hoverable=True, tip=self._tip_train)
        self.train_points.setZValue(2)
        for item in (self.test_points, self.train_points):
            self.plot.addItem(item)
        self.train_points.sigClicked.connect(self._on_points_clicked)

    def set_dataset(self, dataset: Dataset | None) -> None:
        """Show `dataset`, forgetting the previous output map, predictions and curve."""
        self.dataset = dataset
        self.map = None
        self.pred_train = self.pred_test = None
        self.curve = None
        for curve in self.curves:
            self.plot.removeItem(curve)
        self.curves = []
        if dataset is not None and not dataset.is_planar and dataset.n_inputs == 1:
            # One prediction curve per output unit; made here because only the data knows how many.
            for _ in range(dataset.n_outputs):
                curve = pg.PlotDataItem()
                curve.setZValue(-5)
                self.plot.addItem(curve)
                self.curves.append(curve)

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        theme_plot(self.widget, dark)
        p = palette(dark)
        self.identity.setPen(pg.mkPen(qcolor(p.muted), width=1, style=Qt.PenStyle.DashLine))
        self.markers.set_dark(dark)

    def value_centre(self) -> float:
        return self.map.threshold if self.map is not None else 0.0

    def value_span(self) -> float:
        return self.map.half_range if self.map is not None else 1.0

    def colored_by_value(self) -> bool:
        ds = self.dataset
        return ds is not None and ds.labels_train is None and ds.is_planar

    def configure_axes(self) -> str:
        """Axis names, the y = x line and the aspect lock for the data; returns the panel's title."""
        ds = self.dataset
        planar = ds is not None and ds.is_planar
        one_input = ds is not None and not planar and ds.n_inputs == 1
        self.identity.setVisible(ds is not None and not planar and not one_input)
        # Equal scales keep circles round in the plane and the y = x line at 45°.
        self.vb.setAspectLocked(ds is not None and not one_input)
        if ds is None:
            self.plot.setLabel("bottom", None)
            self.plot.setLabel("left", None)
            return "<b>Data</b>"
        if planar:
            self.plot.setLabel("bottom", "x1")
            self.plot.setLabel("left", "x2")
            return "<b>Data</b> in the plane"
        if one_input:
            self.plot.setLabel("bottom", ds.feature_names[0] if ds.feature_names else "x")
            self.plot.setLabel("left", ", ".join(ds.target_names) if ds.target_names else "y")
            return "<b>Prediction</b> over the input"
        self.plot.setLabel("bottom", "target")
        self.plot.setLabel("left", "prediction")
        return "<b>Prediction</b> vs target"

    def wants_square(self) -> bool:
        """Equal scales in a wide, flat box would pad one axis far past the data: keep the box square."""
        ds = self.dataset
        return ds is not None and (ds.is_planar or ds.n_inputs != 1)

    def fit_view(self) -> None:
        ds = self.dataset
        if ds is None:
            return
        if ds.is_planar:
            xmin, xmax, ymin, ymax = plane_extent(ds)
            self.vb.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)
        else:
            self.vb.enableAutoRange()

    def _refit_plane(self, *_args: object) -> None:
        if self.dataset is not None and self.dataset.is_planar:
            self.fit_view()

    def draw_map(self) -> None:
        self.plane_map.draw(self.map, self.dataset, self.dark)

    def draw_points(self) -> None:
        ds = self.dataset
        if ds is None:
            self.train_drawn = (np.empty(0), np.empty(0), np.empty(0, dtype=np.intp))
            self.train_points.setData([])
            self.test_points.setData([])
            return
        p = palette(self.dark)
        by_value = self.colored_by_value()
        scale = self.dark, self.value_centre(), self.value_span()
        # Against a tint of their own class a background-colored outline separates points best; values
        # near the middle of a value scale are pale, so there a muted outline keeps them visible.
        outline = pg.mkPen(qcolor(p.muted if by_value else p.background), width=1)
        x, y, rows, colors = sp.positions(ds, "train", self.pred_train, *scale)
        self.train_drawn = (np.asarray(x, float), np.asarray(y, float), np.asarray(rows, np.intp))
        brushes = [self._colors.brush(c) for c in colors]
        self.train_points.setData(x=x, y=y, data=rows, brush=brushes, pen=outline)
        x, y, rows, colors = sp.positions(ds, "test", self.pred_test, *scale)
        if by_value:
            colors = [mix(c, p.text, 0.25) for c in colors]
        # Hollow: a ring in the class color around a background-colored center, readable on any tint.
        pens = [self._colors.pen(c) for c in colors]
        self.test_points.setData(x=x, y=y, data=rows, pen=pens, brush=self._colors.brush(p.background))

    def draw_curves(self) -> None:
        ds = self.dataset
        if not self.curves or ds is None:
            return
        if self.curve is not None:
            x, out = self.curve
        elif self.pred_train is not None and self.pred_test is not None:
            train, test = len(self.pred_train), len(self.pred_test)
            x = np.concatenate([ds.x_train[:train, 0], ds.x_test[:test, 0]])
            out = np.concatenate([self.pred_train, self.pred_test])
            order = np.argsort(x, kind="stable")
            x, out = x[order], out[order]
        else:
            for curve in self.curves:
                curve.setData([], [])
            return
        for u, curve in enumerate(self.curves):
            rgb = class_color(u, self.dark) if len(self.curves) > 1 else palette(self.dark).text
            curve.setPen(pg.mkPen(qcolor(rgb), width=2))
            curve.setData(x, out[:, u] if out.ndim == 2 and u < out.shape[1] else np.empty(0))

    def draw_batch(self, batch: np.ndarray | None) -> None:
        if self.dataset is None or batch is None:
            self.markers.show_batch(None, None)
        else:
            self.markers.show_batch(*rows_at(self.train_drawn, batch))

    def draw_focus(self, focus: int | None) -> None:
        if self.dataset is None or focus is None:
            self.markers.show_focus(None, None)
        else:
            self.markers.show_focus(*rows_at(self.train_drawn, np.array([focus])))

    def prediction_curves(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """1-input data: (x, outputs) of the prediction line drawn for each output unit."""
        curves = []
        for curve in self.curves:
            x, y = curve.getOriginalDataset()
            curves.append((np.empty(0), np.empty(0)) if x is None else (np.asarray(x), np.asarray(y)))
        return curves

    def _on_points_clicked(self, _item: pg.ScatterPlotItem, points: list, _event: object) -> None:
        if len(points):
            self.sample_clicked.emit(int(points[0].data()))

    def _tip_train(self, x: float, y: float, data: object) -> str:
        return sp.tip_text(self.dataset, "training", x, y, data)

    def _tip_test(self, x: float, y: float, data: object) -> str:
        return sp.tip_text(self.dataset, "test", x, y, data)
