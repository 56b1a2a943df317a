"""Gradient health: why a network does not learn, at a glance.

Top: ‖dL/dW‖ of every layer over the steps recorded so far, on a log scale, so a gradient that shrinks
layer by layer towards the inputs (vanishing) or blows up (exploding) shows as curves fanning apart by
decades; below it the same for the update/weight ratio ‖ΔW‖/‖W‖, with the healthy ~1e-3 marked.
Bottom: histograms of one layer's weights, activations and gradients at the current moment, and a table
of dead ReLUs and saturated sigmoid/tanh units per layer.

Every number comes from backprop_studio.core.analysis.health through the controller's `health_changed`; items are created once
per network and then only given new data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.analysis.health import HISTOGRAM_QUANTITIES, HealthRecorder, Histogram, LayerHealth
from backprop_studio.gui.style.colors import mix, palette
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

# Paul Tol's "bright" and "muted" qualitative sets, light and dark variants: colour-blind safe, and
# distinct from the orange/blue the canvas uses for signs. Past ten layers curves repeat with dashes.
_LAYER_COLOURS = {
    False: (
        (0, 119, 187),
        (238, 51, 119),
        (0, 153, 136),
        (204, 119, 34),
        (51, 34, 136),
        (136, 34, 85),
        (17, 119, 51),
        (153, 153, 51),
        (170, 68, 153),
        (102, 102, 102),
    ),
    True: (
        (102, 204, 238),
        (238, 102, 119),
        (68, 187, 153),
        (238, 170, 68),
        (170, 153, 255),
        (221, 119, 170),
        (136, 204, 102),
        (221, 221, 119),
        (204, 136, 204),
        (187, 187, 187),
    ),
}
HEALTHY_RATIO = 1e-3  # ‖ΔW‖/‖W‖ of a well-tuned SGD step, a rule of thumb (Karpathy's "~1e-3")
MIN_DECADES = 3
# Short, in the app's own notation: the three plots share a narrow dock and longer titles were clipped.
QUANTITY_TITLES = {
    "weights": "W",
    "activations": "a",
    "gradients": "∂L/∂W",
}
TABLE_COLUMNS = ("Layer", "Dead ReLU", "Saturated", "‖dL/dW‖", "‖ΔW‖/‖W‖")


def layer_colour(layer: int, dark: bool) -> tuple[int, int, int]:
    """The colour of layer `layer` (1-based) in every health plot."""
    colours = _LAYER_COLOURS[dark]
    return colours[(layer - 1) % len(colours)]


def _positive(values: np.ndarray) -> np.ndarray:
    """Values a log axis can show: zero (an all-dead layer) and non-finite values become gaps."""
    out = np.asarray(values, dtype=np.float64).copy()
    out[~(np.isfinite(out) & (out > 0))] = np.nan
    return out


def _format(value: float | None) -> str:
    if value is None:
        return "—"
    if not math.isfinite(value):
        return "∞" if value > 0 else "NaN"
    return f"{value:.3g}".replace("-", "−")


def _count(count: int | None, units: int) -> str:
    if count is None:
        return "—"
    return f"{count} of {units}" if count else "0"


class HealthView(QWidget):
    """Gradient norms and update ratios over time, histograms now, dead and saturated units per layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._n_layers = 0
        self._activations: tuple[str, ...] = ()
        self._recorder: HealthRecorder | None = None
        self._health: tuple[LayerHealth, ...] = ()
        self._histograms: tuple[dict[str, Histogram | None], ...] = ()
        self._norm_curves: list[pg.PlotDataItem] = []
        self._ratio_curves: list[pg.PlotDataItem] = []

        self._title = QLabel("<b>Gradient health</b>")
        self._key = QLabel()
        self._key.setTextFormat(Qt.TextFormat.RichText)
        self._key.setWordWrap(True)
        self._key.setToolTip("One colour per layer, the same in both plots")
        self._readout = QLabel()
        self._readout.setWordWrap(True)
        self._readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self._norm_widget = pg.PlotWidget()
        self._ratio_widget = pg.PlotWidget()
        self._norm_plot = self._norm_widget.getPlotItem()
        self._ratio_plot = self._ratio_widget.getPlotItem()
        for plot, label in (
            (self._norm_plot, "‖dL/dW‖"),
            (self._ratio_plot, "‖ΔW‖/‖W‖"),
        ):
            plot.setMenuEnabled(False)
            plot.setLogMode(x=False, y=True)
            plot.showGrid(x=True, y=True, alpha=0.15)
            plot.setLabel("left", label)
            plot.getAxis("left").setWidth(56)
            for name in ("left", "bottom"):
                # "(x0.001)" on a log axis of gradient norms would only confuse.
                plot.getAxis(name).enableAutoSIPrefix(False)
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            plot.getViewBox().setMouseEnabled(x=True, y=False)
            plot.enableAutoRange(y=False)  # _fit_decades sets y
        self._ratio_plot.setLabel("bottom", "step")
        self._ratio_plot.setXLink(self._norm_plot)
        self._norm_plot.getAxis("bottom").setStyle(showValues=False)
        self._norm_widget.setToolTip(
            "Gradient norm of each layer's weights, log scale. Curves decades apart, falling towards "
            "layer 1, mean vanishing gradients; curves climbing steeply mean exploding ones. "
            "A gap means the norm was 0 (every unit dead) or not finite."
        )
        self._ratio_widget.setToolTip(
            "How far each update moved the weights relative to their size, log scale. "
            "Around 1e-3 (dashed) is healthy; far above, the learning rate is too high; far below, too low."
        )
        self._healthy = pg.InfiniteLine(pos=math.log10(HEALTHY_RATIO), angle=0, movable=False)
        self._ratio_plot.addItem(self._healthy, ignoreBounds=True)
        self._markers = []
        for plot in (self._norm_plot, self._ratio_plot):
            marker = pg.InfiniteLine(angle=90, movable=False)
            marker.setZValue(20)
            plot.addItem(marker, ignoreBounds=True)
            marker.hide()
            self._markers.append(marker)

        # Histograms of the chosen layer at the current moment.
        self._layer_combo = QComboBox()
        self._layer_combo.setToolTip("Whose weights, activations and gradients the histograms show")
        self._hist_widgets: dict[str, pg.PlotWidget] = {}
        self._hist_curves: dict[str, pg.PlotDataItem] = {}
        hist_row = QHBoxLayout()
        hist_row.setContentsMargins(0, 0, 0, 0)
        hist_row.setSpacing(2)
        for quantity in HISTOGRAM_QUANTITIES:
            widget = pg.PlotWidget()
            plot = widget.getPlotItem()
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.setTitle(QUANTITY_TITLES[quantity], size="9pt")
            plot.getAxis("left").setWidth(34)
            plot.getAxis("bottom").enableAutoSIPrefix(False)
            plot.getAxis("left").enableAutoSIPrefix(False)
            widget.setMinimumSize(120, 110)
            curve = plot.plot(stepMode="center", fillLevel=0)
            self._hist_widgets[quantity] = widget
            self._hist_curves[quantity] = curve
            hist_row.addWidget(widget, 1)
        histograms = QWidget()
        hist_layout = QVBoxLayout(histograms)
        hist_layout.setContentsMargins(4, 4, 4, 0)
        hist_layout.setSpacing(2)
        picker = QHBoxLayout()
        picker.setContentsMargins(0, 0, 0, 0)
        picker.addWidget(QLabel("Layer"))
        picker.addWidget(self._layer_combo, 1)
        hist_layout.addLayout(picker)
        hist_layout.addLayout(hist_row, 1)

        self._table = QTableWidget(0, len(TABLE_COLUMNS))
        self._table.setHorizontalHeaderLabels(TABLE_COLUMNS)
        self._table.verticalHeader().setVisible(False)
        self._table.verticalHeader().setDefaultSectionSize(self._table.fontMetrics().height() + 6)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self._table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._table.setToolTip(
            "Dead: ReLU units that output 0 for every sample of the batch (no gradient reaches them). "
            "Saturated: sigmoid units below 0.01 or above 0.99, tanh units beyond ±0.99, on every sample "
            "(their gradient is almost 0). Counted for the current batch."
        )

        self._tabs = QTabWidget()
        self._tabs.setDocumentMode(True)
        self._tabs.addTab(histograms, "Histograms")
        self._tabs.addTab(self._table, "Dead / saturated units")

        plots = QWidget()
        plots_layout = QVBoxLayout(plots)
        plots_layout.setContentsMargins(0, 0, 0, 0)
        plots_layout.setSpacing(0)
        plots_layout.addWidget(self._norm_widget, 1)
        plots_layout.addWidget(self._ratio_widget, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(plots)
        splitter.addWidget(self._tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        header_row = QHBoxLayout()
        header_row.setContentsMargins(6, 2, 6, 0)
        header_row.addWidget(self._title)
        header_row.addSpacing(8)
        header_row.addWidget(self._key, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header_row)
        layout.addWidget(splitter, 1)
        readout_row = QHBoxLayout()
        readout_row.setContentsMargins(6, 0, 6, 2)
        readout_row.addWidget(self._readout, 1)
        layout.addLayout(readout_row)

        self._layer_combo.currentIndexChanged.connect(lambda _: self._show_histograms())
        self.set_dark(False)

    # ----------------------------------------------------------------- public API

    def set_health(
        self,
        recorder: HealthRecorder,
        layer_health: Sequence[LayerHealth],
        histograms: Sequence[dict[str, Histogram | None]],
    ) -> None:
        """Show the recorded series, and the health and histograms of the current moment."""
        self._recorder = recorder
        self._health = tuple(layer_health)
        self._histograms = tuple(histograms)
        activations = tuple(h.activation for h in self._health)
        if len(self._health) != self._n_layers or activations != self._activations:
            self._build_layers(len(self._health), activations)
        self._show_series()
        self._show_table()
        self._show_histograms()
        self._show_readout()

    def clear(self) -> None:
        self._recorder = None
        self._health = ()
        self._histograms = ()
        self._build_layers(0, ())
        self._show_table()
        self._show_histograms()
        self._readout.clear()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        p = palette(dark)
        background = pg.mkColor(*p.background)
        foreground = pg.mkColor(*p.text)
        muted = pg.mkColor(*p.muted)
        widgets = [self._norm_widget, self._ratio_widget, *self._hist_widgets.values()]
        for widget in widgets:
            widget.setBackground(background)
            plot = widget.getPlotItem()
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setPen(pg.mkPen(muted))
                axis.setTextPen(pg.mkPen(foreground))
        self._healthy.setPen(pg.mkPen(pg.mkColor(*p.forward), width=1.2, style=Qt.PenStyle.DashLine))
        for marker in self._markers:
            marker.setPen(pg.mkPen(pg.mkColor(*mix(p.background, p.text, 0.55)), width=1))
        for quantity, curve in self._hist_curves.items():
            hue = {"weights": p.positive, "activations": p.forward, "gradients": p.backward}[quantity]
            curve.setPen(pg.mkPen(pg.mkColor(*hue), width=1))
            curve.setBrush(pg.mkBrush(*mix(p.background, hue, 0.45)))
        self._restyle_layers()
        self._show_table()
        self._show_histograms()

    @property
    def layer_count(self) -> int:
        return self._n_layers

    def curve_data(self, quantity: str, layer: int) -> tuple[np.ndarray, np.ndarray]:
        """(steps, values) a time plot shows for `layer` (1-based); `quantity` "grad_norm" or "update_ratio"."""
        curve = (self._norm_curves if quantity == "grad_norm" else self._ratio_curves)[layer - 1]
        # xData/yData are the values given, before the log axis transforms them.
        if curve.xData is None:
            return np.zeros(0), np.zeros(0)
        return np.asarray(curve.xData), np.asarray(curve.yData)

    def table_text(self) -> list[list[str]]:
        return [
            [self._table.item(r, c).text() for c in range(self._table.columnCount())]
            for r in range(self._table.rowCount())
        ]

    def select_layer(self, layer: int) -> None:
        """Show the histograms of `layer` (1-based)."""
        self._layer_combo.setCurrentIndex(layer - 1)

    def histogram_data(self, quantity: str) -> tuple[np.ndarray, np.ndarray] | None:
        x, y = self._hist_curves[quantity].getData()
        return None if x is None or len(x) == 0 else (np.asarray(x), np.asarray(y))

    # ----------------------------------------------------------------- building

    def _build_layers(self, n_layers: int, activations: tuple[str, ...]) -> None:
        for curve in self._norm_curves:
            self._norm_plot.removeItem(curve)
        for curve in self._ratio_curves:
            self._ratio_plot.removeItem(curve)
        self._norm_curves, self._ratio_curves = [], []
        options = {"autoDownsampleFactor": 1.0, "dynamicRangeLimit": None, "connect": "finite"}
        for _ in range(n_layers):
            self._norm_curves.append(self._norm_plot.plot(**options))
            self._ratio_curves.append(self._ratio_plot.plot(**options))
        self._n_layers = n_layers
        self._activations = activations
        current = self._layer_combo.currentIndex()
        self._layer_combo.blockSignals(True)
        self._layer_combo.clear()
        for k, activation in enumerate(activations, start=1):
            name = "output layer" if k == n_layers and k > 1 else f"layer {k}"
            self._layer_combo.addItem(f"{name} · {activation}", k)
        self._layer_combo.setCurrentIndex(min(max(current, 0), n_layers - 1) if n_layers else -1)
        self._layer_combo.blockSignals(False)
        self._restyle_layers()

    def _restyle_layers(self) -> None:
        keys = []
        for k in range(1, self._n_layers + 1):
            rgb = layer_colour(k, self._dark)
            style = Qt.PenStyle.SolidLine if k <= len(_LAYER_COLOURS[False]) else Qt.PenStyle.DashLine
            pen = pg.mkPen(pg.mkColor(*rgb), width=1.6, style=style)
            self._norm_curves[k - 1].setPen(pen)
            self._ratio_curves[k - 1].setPen(pen)
            name = "out" if k == self._n_layers and k > 1 else f"L{k}"
            keys.append(
                '<span style="color: #{:02x}{:02x}{:02x}; font-weight: 600">━ {}</span>'.format(*rgb, name)
            )
        self._key.setText("&nbsp; ".join(keys))

    # ----------------------------------------------------------------- showing

    def _show_series(self) -> None:
        recorder = self._recorder
        if recorder is None or recorder.n_layers != self._n_layers:
            for curve in (*self._norm_curves, *self._ratio_curves):
                curve.setData([], [])
            return
        for plot, quantity, curves in (
            (self._norm_plot, "grad_norm", self._norm_curves),
            (self._ratio_plot, "update_ratio", self._ratio_curves),
        ):
            low, high = math.inf, -math.inf
            for k in range(1, self._n_layers + 1):
                steps, values = recorder.series(k, quantity)
                shown = _positive(values)
                curves[k - 1].setData(steps.astype(np.float64), shown)
                if np.isfinite(shown).any():
                    low, high = min(low, float(np.nanmin(shown))), max(high, float(np.nanmax(shown)))
            if quantity == "update_ratio" and math.isfinite(low):
                low, high = min(low, HEALTHY_RATIO), max(high, HEALTHY_RATIO)
            self._fit_decades(plot, low, high)
        step = recorder.last_step
        for marker in self._markers:
            marker.setVisible(step is not None)
            if step is not None:
                marker.setValue(step)

    @staticmethod
    def _fit_decades(plot: pg.PlotItem, low: float, high: float) -> None:
        """Y from a whole decade below the data to one above, at least MIN_DECADES tall: the range stays
        put while values wander within a decade, and the axis never crowds in minor labels."""
        if not (math.isfinite(low) and math.isfinite(high)):
            return
        bottom, top = math.floor(math.log10(low)), math.ceil(math.log10(high))
        if top - bottom < MIN_DECADES:
            bottom = math.floor((bottom + top - MIN_DECADES) / 2)
            top = bottom + MIN_DECADES
        plot.setYRange(bottom, top, padding=0.02)

    def _show_histograms(self) -> None:
        k = self._layer_combo.currentIndex()
        hists = self._histograms[k] if 0 <= k < len(self._histograms) else None
        p = palette(self._dark)
        colour = "#{:02x}{:02x}{:02x}".format(*p.text)
        muted = "#{:02x}{:02x}{:02x}".format(*p.muted)
        for quantity, curve in self._hist_curves.items():
            plot = self._hist_widgets[quantity].getPlotItem()
            hist = hists.get(quantity) if hists is not None else None
            if hist is None or hist[0].sum() == 0:
                curve.setData([], [])
                plot.setTitle(f"{QUANTITY_TITLES[quantity]}: not computed yet", size="9pt", color=muted)
                continue
            counts, edges = hist
            curve.setData(edges, counts.astype(np.float64))
            plot.setTitle(QUANTITY_TITLES[quantity], size="9pt", color=colour)

    def _show_table(self) -> None:
        p = palette(self._dark)
        health = self._health
        self._table.setRowCount(len(health))
        warn = QBrush(QColor(*p.warning))
        for r, h in enumerate(health):
            name = "output" if h.layer == len(health) and len(health) > 1 else f"layer {h.layer}"
            cells = (
                f"{name} · {h.activation} · {h.units}",
                _count(h.dead_units, h.units),
                _count(h.saturated_units, h.units),
                _format(h.grad_norm),
                _format(h.update_ratio),
            )
            for c, text in enumerate(cells):
                item = self._table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    self._table.setItem(r, c, item)
                item.setText(text)
                if c > 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                flagged = (c == 1 and bool(h.dead_units)) or (c == 2 and bool(h.saturated_units))
                item.setForeground(warn if flagged else QBrush(self.palette().text().color()))

    def _show_readout(self) -> None:
        if not self._health:
            self._readout.clear()
            return
        known = [h for h in self._health if h.grad_norm is not None and h.grad_norm > 0]
        if len(known) < 2:
            self._readout.setText("Gradient norms appear as the backward pass reaches each layer.")
            return
        first, last = known[0], known[-1]
        last_name = "the output layer's" if last.layer == len(self._health) else f"layer {last.layer}'s"
        if not (math.isfinite(first.grad_norm) and math.isfinite(last.grad_norm)):
            self._readout.setText("A gradient is not finite: training diverged.")
            return
        ratio = first.grad_norm / last.grad_norm
        decades = math.log10(ratio) if ratio > 0 else 0.0
        if decades <= -2:
            text = (
                f"Layer {first.layer}'s gradient is {1 / ratio:.2g} times smaller than {last_name}: "
                "the early layers learn far more slowly (vanishing gradients)."
            )
        elif decades >= 2:
            text = (
                f"Layer {first.layer}'s gradient is {ratio:.2g} times larger than {last_name}: "
                "gradients grow towards the inputs (exploding gradients)."
            )
        else:
            text = (
                f"Gradient norms of layers {first.layer}–{last.layer} are within two decades of each other."
            )
        self._readout.setText(text)
