"""The samples and what the network makes of them.

Data in the (x1, x2) plane is drawn over the network's output map, so the decision boundary shows where
the colors change. Other data (inline or CSV, any number of inputs) shows each sample's prediction
against its target; with a single input, the prediction as a curve over that input with the targets as
points. Training samples are filled and test samples hollow; the current batch is ringed and the sample
the inspector follows (the focus) is marked with a larger, heavier ring. Clicking a training sample
focuses it.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.analysis.evaluation import OutputMap, plane_extent
from backprop_studio.core.analysis.frame_data import SHOWN_POINTS, FrameData
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.display.names import sample_label
from backprop_studio.gui.panels.square_holder import SquareHolder
from backprop_studio.gui.style.colors import (
    RGB,
    class_color,
    diverging_lut,
    lut_indices,
    map_tint,
    mix,
    palette,
    qcolor,
)
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

_MAX_ISOCURVES = 8  # one boundary per class; spirals go up to 8 arms

_POINT_SIZE = 8
_RING_SIZE = 15
_FOCUS_SIZE = 22


def _hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _number(value: float) -> str:
    return f"{value:g}".replace("-", "−")


class DataView(QWidget):
    """Training and test samples with the network's output; click a training sample to focus it."""

    sample_clicked = Signal(int)  # row of dataset.x_train
    focus_mean_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._dataset: Dataset | None = None
        self._map: OutputMap | None = None
        self._pred_train: np.ndarray | None = None
        self._pred_test: np.ndarray | None = None
        self._curve: tuple[np.ndarray, np.ndarray] | None = None
        self._batch: np.ndarray | None = None
        self._focus: int | None = None
        self._train_drawn = (np.empty(0), np.empty(0), np.empty(0, dtype=np.intp))  # x, y, row
        self._brushes: dict[RGB, QBrush] = {}
        self._pens: dict[RGB, QPen] = {}

        header = self._build_header()
        self._build_plot()
        self._build_points()
        self._legend = QLabel()
        self._legend.setWordWrap(True)
        self._legend.setTextFormat(Qt.TextFormat.RichText)
        self._legend.setContentsMargins(6, 2, 6, 4)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        self._holder = SquareHolder(self._widget)
        layout.addWidget(self._holder, 1)
        layout.addWidget(self._legend)

        self.set_dark(False)
        self._refresh_all()

    def _build_header(self) -> QHBoxLayout:
        """The title, the followed sample and the Batch mean button."""
        self._title = QLabel("<b>Data</b>")
        self._focus_label = QLabel()
        self._focus_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._focus_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._focus_label.setToolTip("The sample the inspector shows; click a training point to follow it")
        self._mean_button = QPushButton("Batch mean")
        self._mean_button.setToolTip(
            "Follow the mean over the current batch in the inspector instead of one sample"
        )
        self._mean_button.clicked.connect(self.focus_mean_requested.emit)
        header = QHBoxLayout()
        header.setContentsMargins(6, 2, 6, 0)
        header.addWidget(self._title)
        header.addWidget(self._focus_label, 1)
        header.addWidget(self._mean_button)
        return header

    def _build_plot(self) -> None:
        """The plot with the output map image, its boundary isocurves, the y = x line and the curves list."""
        self._widget = pg.PlotWidget()
        # Scale the coarse output grid smoothly instead of showing its cells as blocks.
        self._widget.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self._plot = self._widget.getPlotItem()
        self._plot.setMenuEnabled(False)
        self._vb = self._plot.getViewBox()
        # The aspect lock widens one axis to the box's shape; fit the plane again when the box changes
        # shape (a dock resized, the first layout), or it keeps the range of a long-gone wide, flat box.
        self._vb.sigResized.connect(self._refit_plane)

        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setZValue(-20)
        self._plot.addItem(self._image)
        self._isocurves = []
        for _ in range(_MAX_ISOCURVES):
            iso = pg.IsocurveItem(level=0.5, axisOrder="row-major")
            iso.setParentItem(self._image)
            # Isocurves run through cell centres; the image's cell k spans [k, k + 1].
            iso.setPos(0.5, 0.5)
            iso.hide()
            self._isocurves.append(iso)

        self._identity = pg.InfiniteLine(pos=(0, 0), angle=45, movable=False)
        self._identity.setZValue(-10)
        self._plot.addItem(self._identity, ignoreBounds=True)
        self._curves: list[pg.PlotDataItem] = []

    def _build_points(self) -> None:
        """Scatter items for batch rings, test and training samples and the focus marker, bottom to top."""
        # Rings sit under the points and never take clicks, so a click always reaches the sample.
        self._batch_rings = pg.ScatterPlotItem(size=_RING_SIZE, symbol="o", pxMode=True)
        self._batch_rings.setZValue(0)
        self._batch_rings.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._test_points = pg.ScatterPlotItem(
            size=_POINT_SIZE, symbol="o", hoverable=True, tip=self._tip_test
        )
        self._test_points.setZValue(1)
        self._test_points.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._train_points = pg.ScatterPlotItem(
            size=_POINT_SIZE, symbol="o", hoverable=True, tip=self._tip_train
        )
        self._train_points.setZValue(2)
        self._focus_marker = pg.ScatterPlotItem(size=_FOCUS_SIZE, symbol="o", pxMode=True)
        self._focus_marker.setZValue(3)
        self._focus_marker.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        for item in (self._batch_rings, self._test_points, self._train_points, self._focus_marker):
            self._plot.addItem(item)
        self._train_points.sigClicked.connect(self._on_points_clicked)

    # ----------------------------------------------------------------- public API

    def set_dataset(self, dataset: Dataset | None) -> None:
        """Show `dataset`; clears the output map, predictions, batch and focus of the previous one."""
        self._dataset = dataset
        self._map = None
        self._pred_train = self._pred_test = None
        self._curve = None
        self._batch = None
        self._focus = None
        for curve in self._curves:
            self._plot.removeItem(curve)
        self._curves = []
        if dataset is not None and not dataset.is_planar and dataset.n_inputs == 1:
            # One prediction curve per output unit; made here because only the data knows how many.
            for _ in range(dataset.n_outputs):
                curve = pg.PlotDataItem()
                curve.setZValue(-5)
                self._plot.addItem(curve)
                self._curves.append(curve)
        self._refresh_all()
        self._fit_view()

    def set_output_map(self, output: OutputMap | None) -> None:
        """The network's output over the plane (planar data only); None hides it."""
        scale_before = self._value_centre(), self._value_span()
        self._map = output
        self._draw_map()
        if self._colored_by_value() and (self._value_centre(), self._value_span()) != scale_before:
            # Points colored by value share the map's scale, whose centre depends on the output activation.
            self._draw_points()
            self._update_legend()

    def set_predictions(self, pred_train: np.ndarray, pred_test: np.ndarray) -> None:
        """Network outputs (n_train, n_out) and (n_test, n_out) for the non-planar view, without a dense
        curve (1-input data then joins the predictions at the samples); `set_frame_data` gives both."""
        self._show_predictions(pred_train, pred_test, None)

    def set_frame_data(self, data: FrameData) -> None:
        """The network's outputs for the state shown (`core.analysis.frame_data.frame_inputs`, the same the
        recordings paint): the output map over the plane, or the predictions at the samples and, for one
        input, the dense prediction curve."""
        if self.is_planar_mode:
            self.set_output_map(data.output_map)
            return
        curve = None
        if data.curve_x is not None and data.curve_y is not None:
            curve = (np.asarray(data.curve_x, dtype=float), np.asarray(data.curve_y, dtype=float))
        self._show_predictions(data.pred_train, data.pred_test, curve)

    def _show_predictions(
        self,
        pred_train: np.ndarray | None,
        pred_test: np.ndarray | None,
        curve: tuple[np.ndarray, np.ndarray] | None,
    ) -> None:
        both = pred_train is not None and pred_test is not None
        self._pred_train = np.asarray(pred_train, dtype=float) if both else None
        self._pred_test = np.asarray(pred_test, dtype=float) if both else None
        self._curve = curve
        if self._dataset is not None and not self._dataset.is_planar:
            self._draw_points()
            self._draw_curves()
            self._draw_batch()
            self._draw_focus()

    def set_batch(self, indices: np.ndarray | None) -> None:
        """Rows of the training set in the current batch (ringed), or None."""
        self._batch = None if indices is None else np.asarray(indices, dtype=np.intp)
        self._draw_batch()

    def set_focus(self, train_index: int | None) -> None:
        """The training sample the inspector follows, or None for the batch mean."""
        self._focus = None if train_index is None else int(train_index)
        self._draw_focus()

    def set_dark(self, dark: bool) -> None:
        self._dark = bool(dark)
        p = palette(self._dark)
        self._widget.setBackground(qcolor(p.background))
        for name in ("left", "bottom"):
            axis = self._plot.getAxis(name)
            axis.setPen(pg.mkPen(qcolor(p.muted)))
            axis.setTextPen(pg.mkPen(qcolor(p.text)))
        self._identity.setPen(pg.mkPen(qcolor(p.muted), width=1, style=Qt.PenStyle.DashLine))
        self._batch_rings.setPen(pg.mkPen(qcolor(p.selection), width=1.5))
        self._batch_rings.setBrush(pg.mkBrush(None))
        self._refresh_all()

    # ----------------------------------------------------------------- state readable by tests and tools

    @property
    def is_planar_mode(self) -> bool:
        return self._dataset is not None and self._dataset.is_planar

    def train_point_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the drawn training points (all output units in turn)."""
        x, y = self._train_points.getData()
        return np.column_stack([x, y]) if x is not None else np.empty((0, 2))

    def test_point_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the drawn test points (all output units in turn)."""
        x, y = self._test_points.getData()
        return np.column_stack([x, y]) if x is not None else np.empty((0, 2))

    def prediction_curves(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """1-input data: (x, outputs) of the prediction line drawn for each output unit."""
        curves = []
        for curve in self._curves:
            x, y = curve.getOriginalDataset()
            curves.append((np.empty(0), np.empty(0)) if x is None else (np.asarray(x), np.asarray(y)))
        return curves

    def batch_ring_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the rings around this batch's samples."""
        x, y = self._batch_rings.getData()
        return np.column_stack([x, y]) if x is not None else np.empty((0, 2))

    def focus_positions(self) -> np.ndarray:
        """(n, 2) data coordinates of the focus marks (one per output unit off the plane), or none."""
        x, y = self._focus_marker.getData()
        return np.column_stack([x, y]) if x is not None else np.empty((0, 2))

    def focus_text(self) -> str:
        return self._focus_label.text()

    def axis_labels(self) -> tuple[str, str]:
        """The (bottom, left) axis names."""
        return self._plot.getAxis("bottom").labelText, self._plot.getAxis("left").labelText

    def identity_line_shown(self) -> bool:
        """Whether the dashed "prediction = target" line is shown."""
        return self._identity.isVisible()

    def train_point_colors(self) -> list[tuple[int, int, int]]:
        """The fill color of each drawn training point."""
        return [tuple(b.color().getRgb()[:3]) for b in self._train_points.data["brush"]]

    def boundaries_shown(self) -> list[float]:
        """The level of each decision boundary drawn over the map."""
        return [iso.level for iso in self._isocurves if iso.isVisible()]

    def map_image(self) -> np.ndarray | None:
        """The RGB image (res, res, 3) drawn for the output map, or None when hidden."""
        return self._image.image if self._image.isVisible() else None

    def view_box(self) -> pg.ViewBox:
        return self._vb

    def plot_widget(self) -> pg.PlotWidget:
        return self._widget

    def legend_text(self) -> str:
        return self._legend.text()

    # ----------------------------------------------------------------- drawing

    def _refresh_all(self) -> None:
        self._configure_axes()
        self._draw_map()
        self._draw_points()
        self._draw_curves()
        self._draw_batch()
        self._draw_focus()
        self._update_legend()

    def _configure_axes(self) -> None:
        ds = self._dataset
        planar = ds is not None and ds.is_planar
        one_input = ds is not None and not planar and ds.n_inputs == 1
        self._identity.setVisible(ds is not None and not planar and not one_input)
        # Equal scales keep circles round in the plane and the y = x line at 45°.
        self._vb.setAspectLocked(ds is not None and not one_input)
        # Equal scales in a wide, flat box would pad one axis far past the data: keep the box square.
        self._holder.set_square(ds is not None and not one_input)
        if ds is None:
            self._plot.setLabel("bottom", None)
            self._plot.setLabel("left", None)
            self._title.setText("<b>Data</b>")
        elif planar:
            self._plot.setLabel("bottom", "x1")
            self._plot.setLabel("left", "x2")
            self._title.setText("<b>Data</b> in the plane")
        elif one_input:
            self._plot.setLabel("bottom", ds.feature_names[0] if ds.feature_names else "x")
            self._plot.setLabel("left", ", ".join(ds.target_names) if ds.target_names else "y")
            self._title.setText("<b>Prediction</b> over the input")
        else:
            self._plot.setLabel("bottom", "target")
            self._plot.setLabel("left", "prediction")
            self._title.setText("<b>Prediction</b> vs target")

    def _fit_view(self) -> None:
        ds = self._dataset
        if ds is None:
            return
        if ds.is_planar:
            xmin, xmax, ymin, ymax = plane_extent(ds)
            self._vb.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)
        else:
            self._vb.enableAutoRange()

    def _refit_plane(self, *_args: object) -> None:
        if self._dataset is not None and self._dataset.is_planar:
            self._fit_view()

    def _draw_map(self) -> None:
        om, ds = self._map, self._dataset
        if om is None or ds is None or not ds.is_planar:
            self._image.hide()
            for iso in self._isocurves:
                iso.hide()
            return
        p = palette(self._dark)
        n_classes = ds.classes or 0
        self._image.setImage(map_tint(om, self._dark, n_classes), autoLevels=False, levels=(0, 255))
        xmin, xmax, ymin, ymax = om.extent
        self._image.setRect(QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
        self._image.show()
        pen = pg.mkPen(qcolor(p.text, 170), width=1.5)
        used = 0
        if om.classes is None:
            if ds.task == "classification":
                self._isocurves[0].setData(om.values, om.threshold)
                self._isocurves[0].setPen(pen)
                used = 1
        elif om.margins is not None:
            present = np.unique(om.classes)
            # Each region's outline is the zero contour of its unit's lead over the rest; neighbouring
            # regions share an edge, so it is drawn twice at exactly the same place.
            if len(present) > 1:
                for k in present[:_MAX_ISOCURVES]:
                    self._isocurves[used].setData(om.margins[k], 0.0)
                    self._isocurves[used].setPen(pen)
                    used += 1
        for i, iso in enumerate(self._isocurves):
            iso.setVisible(i < used)

    def _point_colors(self, values_or_labels: np.ndarray, by_class: bool) -> list[RGB]:
        if by_class:
            return [class_color(int(k), self._dark) for k in values_or_labels]
        argb = diverging_lut(self._dark)[
            lut_indices(values_or_labels - self._value_centre(), self._value_span())
        ]
        return [(int(c >> 16) & 0xFF, int(c >> 8) & 0xFF, int(c) & 0xFF) for c in argb]

    def _value_centre(self) -> float:
        return self._map.threshold if self._map is not None else 0.0

    def _value_span(self) -> float:
        return self._map.half_range if self._map is not None else 1.0

    def _sample_colors(self, split: str) -> list[RGB]:
        """Colour of each sample of `split` ("train"/"test"): its class, else in the plane its target value,
        else one color (a target already has an axis of its own there)."""
        ds = self._dataset
        labels = ds.labels_train if split == "train" else ds.labels_test
        if labels is not None:
            return self._point_colors(labels, by_class=True)
        y = ds.y_train if split == "train" else ds.y_test
        if not ds.is_planar:
            return [palette(self._dark).positive] * len(y)
        return self._point_colors(y[:, 0], by_class=False)

    def _positions(self, split: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[RGB]]:
        """x, y, train/test row of each drawn point, and its color, for the current mode."""
        ds = self._dataset
        n = len(ds.x_train if split == "train" else ds.x_test)
        rows = np.arange(n)
        if ds.is_planar:
            pts = ds.points_train if split == "train" else ds.points_test
            return pts[:, 0], pts[:, 1], rows, self._sample_colors(split)
        y = ds.y_train if split == "train" else ds.y_test
        units = y.shape[1]
        if units > 1:
            # Several output units share the plot: color by unit, one point per sample and unit.
            colors = [class_color(u, self._dark) for u in range(units) for _ in range(n)]
        else:
            colors = self._sample_colors(split)
        if ds.n_inputs == 1:
            xs = np.tile(ds.x_train[:, 0] if split == "train" else ds.x_test[:, 0], units)
            return xs, y.T.ravel(), np.tile(rows, units), colors
        pred = self._pred_train if split == "train" else self._pred_test
        # The predictions may cover only the first rows (the window predicts SHOWN_POINTS of each split).
        if pred is None or pred.ndim != 2 or pred.shape[1] != units or len(pred) > n:
            return np.empty(0), np.empty(0), np.empty(0, dtype=int), []
        m = len(pred)
        colors = [c for u in range(units) for c in colors[u * n : u * n + m]] if units > 1 else colors[:m]
        return y[:m].T.ravel(), pred.T.ravel(), np.tile(rows[:m], units), colors

    def _draw_points(self) -> None:
        if self._dataset is None:
            self._train_drawn = (np.empty(0), np.empty(0), np.empty(0, dtype=np.intp))
            self._train_points.setData([])
            self._test_points.setData([])
            return
        p = palette(self._dark)
        by_value = self._colored_by_value()
        # Against a tint of their own class a background-colored outline separates points best; values
        # near the middle of a value scale are pale, so there a muted outline keeps them visible.
        outline = pg.mkPen(qcolor(p.muted if by_value else p.background), width=1)
        x, y, rows, colors = _thinned(*self._positions("train"))
        self._train_drawn = (np.asarray(x, float), np.asarray(y, float), np.asarray(rows, np.intp))
        brushes = [self._brush(c) for c in colors]
        self._train_points.setData(x=x, y=y, data=rows, brush=brushes, pen=outline)
        x, y, rows, colors = _thinned(*self._positions("test"))
        if by_value:
            colors = [mix(c, p.text, 0.25) for c in colors]
        # Hollow: a ring in the class color around a background-colored centre, readable on any tint.
        pens = [self._pen(c) for c in colors]
        self._test_points.setData(x=x, y=y, data=rows, pen=pens, brush=self._brush(p.background))

    def _colored_by_value(self) -> bool:
        ds = self._dataset
        return ds is not None and ds.labels_train is None and ds.is_planar

    def _brush(self, rgb: RGB) -> QBrush:
        # Points share a handful of colors; reusing their brushes keeps large data sets quick to redraw.
        brush = self._brushes.get(rgb)
        if brush is None:
            brush = self._brushes[rgb] = pg.mkBrush(qcolor(rgb))
        return brush

    def _pen(self, rgb: RGB) -> QPen:
        pen = self._pens.get(rgb)
        if pen is None:
            pen = self._pens[rgb] = pg.mkPen(qcolor(rgb), width=2)
        return pen

    def _draw_curves(self) -> None:
        ds = self._dataset
        if not self._curves or ds is None:
            return
        if self._curve is not None:
            x, out = self._curve
        elif self._pred_train is not None and self._pred_test is not None:
            train, test = len(self._pred_train), len(self._pred_test)
            x = np.concatenate([ds.x_train[:train, 0], ds.x_test[:test, 0]])
            out = np.concatenate([self._pred_train, self._pred_test])
            order = np.argsort(x, kind="stable")
            x, out = x[order], out[order]
        else:
            for curve in self._curves:
                curve.setData([], [])
            return
        for u, curve in enumerate(self._curves):
            rgb = class_color(u, self._dark) if len(self._curves) > 1 else palette(self._dark).text
            curve.setPen(pg.mkPen(qcolor(rgb), width=2))
            curve.setData(x, out[:, u] if out.ndim == 2 and u < out.shape[1] else np.empty(0))

    def _sample_positions(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where training rows `rows` are drawn (every unit's point in the non-planar view)."""
        x, y, drawn_rows = self._train_drawn
        if len(rows) == 0 or len(drawn_rows) == 0:
            return np.empty(0), np.empty(0)
        hit = np.isin(drawn_rows, rows)
        return x[hit], y[hit]

    def _draw_batch(self) -> None:
        if self._dataset is None or self._batch is None:
            self._batch_rings.setData([])
            return
        x, y = self._sample_positions(self._batch)
        self._batch_rings.setData(x=x, y=y)

    def _draw_focus(self) -> None:
        p = palette(self._dark)
        if self._dataset is None or self._focus is None:
            self._focus_marker.setData([])
        else:
            x, y = self._sample_positions(np.array([self._focus]))
            self._focus_marker.setData(
                x=x, y=y, pen=pg.mkPen(qcolor(p.selection), width=3), brush=pg.mkBrush(None)
            )
        self._update_focus_label()

    def _update_focus_label(self) -> None:
        muted = _hex(palette(self._dark).muted)
        if self._dataset is None:
            self._focus_label.setText("")
            self._mean_button.setEnabled(False)
            return
        self._mean_button.setEnabled(True)
        # Short on purpose: the header is narrow, and the window's toolbar says in full what is shown.
        text = "" if self._focus is None else f"◎ <b>{sample_label(self._focus)}</b>"
        self._focus_label.setText(f"<span style='color:{muted}'>{text}</span>")

    def _update_legend(self) -> None:
        ds = self._dataset
        p = palette(self._dark)
        muted, text = _hex(p.muted), _hex(p.text)

        def dot(rgb: RGB, glyph: str = "●") -> str:
            return f"<span style='color:{_hex(rgb)}'>{glyph}</span>"

        if ds is None:
            self._legend.setText(f"<span style='color:{muted}'>No data.</span>")
            return
        parts = []
        if ds.labels_train is not None and (ds.is_planar or ds.n_outputs == 1):
            parts += [f"{dot(class_color(k, self._dark))} class {k}" for k in range(max(ds.classes, 2))]
        elif not ds.is_planar and ds.n_outputs > 1:
            names = ds.target_names or tuple(f"y{u + 1}" for u in range(ds.n_outputs))
            # Target names come from a CSV header: escaped, so markup in them shows as typed.
            parts += [
                f"{dot(class_color(u, self._dark))} {html.escape(name)}" for u, name in enumerate(names)
            ]
        elif ds.is_planar:
            centre, span = self._value_centre(), self._value_span()
            parts.append(
                f"{dot(p.negative)} {_number(centre - span)} … {dot(p.muted, '○')} {_number(centre)} … "
                f"{dot(p.positive)} {_number(centre + span)} (target value)"
            )
        parts.append(f"{dot(p.text)} train &nbsp;{dot(p.text, '○')} test")
        parts.append(f"{dot(p.selection, '◯')} in batch")
        parts.append(f"{dot(p.selection, '◎')} inspected (click a point)")
        if ds.is_planar:
            if ds.labels_train is not None and ds.n_outputs > 1:
                parts.append("background: predicted class (paler = less sure)")
            elif ds.labels_train is not None:
                parts.append("background: network output, line: decision boundary")
            else:
                parts.append("background: network output")
        elif ds.n_inputs == 1:
            parts.append("line: prediction")
        else:
            parts.append("dashed: prediction = target")
        sep = f" <span style='color:{muted}'>·</span> "
        self._legend.setText(f"<span style='color:{text}'>{sep.join(parts)}</span>")

    # ----------------------------------------------------------------- interaction

    def _on_points_clicked(self, _item: pg.ScatterPlotItem, points: list, _event: object) -> None:
        if len(points):
            self.sample_clicked.emit(int(points[0].data()))

    def _tip_train(self, x: float, y: float, data: object) -> str:
        return self._tip("training", x, y, data)

    def _tip_test(self, x: float, y: float, data: object) -> str:
        return self._tip("test", x, y, data)

    def _tip(self, split: str, x: float, y: float, data: object) -> str:
        ds = self._dataset
        if ds is None:
            return ""
        i = int(data)
        lines = [f"{split} sample {i}"]
        labels = ds.labels_train if split == "training" else ds.labels_test
        if ds.is_planar:
            lines.append(f"x1 = {x:.3g}, x2 = {y:.3g}")
            if labels is not None:
                lines.append(f"class {int(labels[i])}")
            else:
                targets = ds.y_train if split == "training" else ds.y_test
                lines.append(f"target {targets[i, 0]:.3g}")
        elif ds.n_inputs == 1:
            lines.append(f"{ds.feature_names[0] if ds.feature_names else 'x'} = {x:.3g}, target {y:.3g}")
        else:
            lines.append(f"target {x:.3g}, prediction {y:.3g}")
        return "\n".join(lines)


MAX_DRAWN_POINTS = SHOWN_POINTS
"""Points drawn per split: a million would take pyqtgraph seconds to draw, with nothing more to see."""


def _thinned(
    x: np.ndarray, y: np.ndarray, rows: np.ndarray, colors: list[RGB]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[RGB]]:
    """At most MAX_DRAWN_POINTS of the points, evenly spread over them (the same ones every frame, so
    the plot does not flicker); clicking a drawn point still names its real row."""
    n = len(x)
    if n <= MAX_DRAWN_POINTS:
        return x, y, rows, colors
    keep = np.linspace(0, n - 1, MAX_DRAWN_POINTS).astype(np.intp)
    return np.asarray(x)[keep], np.asarray(y)[keep], np.asarray(rows)[keep], [colors[k] for k in keep]
