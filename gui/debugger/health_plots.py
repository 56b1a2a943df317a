"""The time series of the Gradient health panel: per-layer curves on log axes, one color per layer.

`HealthSeries`: ‖dL/dW‖ of every layer over the recorded steps, and below it ‖ΔW‖/‖W‖ with the healthy
~1e-3 marked; one color per layer (`layer_color`). Curves are created once per network and then only
given new data (pyqtgraph's `setData`), so a long run costs no more per frame than a short one.
The histograms of one layer (W, a and ∂L/∂W at the current moment) are in health_histograms.py, which
shares `style_axes` from here.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.analysis.health_recorder import HealthRecorder
from backprop_studio.gui.style.colors import mix, palette
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

# Paul Tol's "bright" and "muted" qualitative sets, light and dark variants: color-blind safe, and
# distinct from the orange/blue the canvas uses for signs. Past ten layers curves repeat with dashes.
_LAYER_COLORS = {
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
MIN_PLOT_HEIGHT = 150  # px per log plot: room for its axis title and non-overlapping decade labels
SERIES = ("grad_norm", "update_ratio")


def layer_color(layer: int, dark: bool) -> tuple[int, int, int]:
    """The color of layer `layer` (1-based) in every health plot."""
    colors = _LAYER_COLORS[dark]
    return colors[(layer - 1) % len(colors)]


def layer_pen_style(layer: int) -> Qt.PenStyle:
    """Solid for the first ten layers, dashed once the colors repeat."""
    return Qt.PenStyle.SolidLine if layer <= len(_LAYER_COLORS[False]) else Qt.PenStyle.DashLine


def _positive(values: np.ndarray) -> np.ndarray:
    """Values a log axis can show: zero (an all-dead layer) and non-finite values become gaps."""
    out = np.asarray(values, dtype=np.float64).copy()
    out[~(np.isfinite(out) & (out > 0))] = np.nan
    return out


def style_axes(widget: pg.PlotWidget, dark: bool) -> None:
    """The health plots' background and axes in the palette's colors."""
    p = palette(dark)
    widget.setBackground(pg.mkColor(*p.background))
    plot = widget.getPlotItem()
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(pg.mkColor(*p.muted)))
        axis.setTextPen(pg.mkPen(pg.mkColor(*p.text)))


def _log_plot(label: str, tip: str) -> pg.PlotWidget:
    widget = pg.PlotWidget()
    widget.setToolTip(tip)
    plot = widget.getPlotItem()
    plot.setMenuEnabled(False)
    plot.setLogMode(x=False, y=True)
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.setLabel("left", label)
    plot.getAxis("left").setWidth(56)
    # Tall enough for the vertical axis title and three decade labels that do not touch; the dock
    # scrolls when it is shorter than the two plots.
    widget.setMinimumHeight(MIN_PLOT_HEIGHT)
    for name in ("left", "bottom"):
        # "(x0.001)" on a log axis of gradient norms would only confuse.
        plot.getAxis(name).enableAutoSIPrefix(False)
    plot.setDownsampling(auto=True, mode="peak")
    plot.setClipToView(True)
    plot.getViewBox().setMouseEnabled(x=True, y=False)
    plot.enableAutoRange(y=False)  # _fit_decades sets y
    return widget


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


class HealthSeries(QWidget):
    """‖dL/dW‖ (top) and ‖ΔW‖/‖W‖ (bottom) of every layer over the recorded steps, x axes linked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._n_layers = 0
        self._curves: dict[str, list[pg.PlotDataItem]] = {name: [] for name in SERIES}
        self._widgets = {
            "grad_norm": _log_plot(
                "‖dL/dW‖",
                "Gradient norm of each layer's weights, log scale. Curves decades apart, falling towards "
                "layer 1, mean vanishing gradients; curves climbing steeply mean exploding ones. "
                "A gap means the norm was 0 (every unit dead) or not finite.",
            ),
            "update_ratio": _log_plot(
                "‖ΔW‖/‖W‖",
                "How far each update moved the weights relative to their size, log scale. Around 1e-3 "
                "(dashed) is healthy; far above, the learning rate is too high; far below, too low.",
            ),
        }
        self._plots = {name: widget.getPlotItem() for name, widget in self._widgets.items()}
        self._plots["update_ratio"].setLabel("bottom", "step")
        self._plots["update_ratio"].setXLink(self._plots["grad_norm"])
        self._plots["grad_norm"].getAxis("bottom").setStyle(showValues=False)
        self._healthy = pg.InfiniteLine(pos=math.log10(HEALTHY_RATIO), angle=0, movable=False)
        self._plots["update_ratio"].addItem(self._healthy, ignoreBounds=True)
        self._markers = []
        for plot in self._plots.values():
            marker = pg.InfiniteLine(angle=90, movable=False)
            marker.setZValue(20)
            plot.addItem(marker, ignoreBounds=True)
            marker.hide()
            self._markers.append(marker)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for widget in self._widgets.values():
            layout.addWidget(widget, 1)

    def set_layers(self, n_layers: int) -> None:
        """One curve per layer in each plot (a new network)."""
        options = {"autoDownsampleFactor": 1.0, "dynamicRangeLimit": None, "connect": "finite"}
        for name, curves in self._curves.items():
            for curve in curves:
                self._plots[name].removeItem(curve)
            self._curves[name] = [self._plots[name].plot(**options) for _ in range(n_layers)]
        self._n_layers = n_layers
        self._restyle_layers()

    def show_recorder(self, recorder: HealthRecorder | None) -> None:
        """Give every curve the recorder's series and put the marker at its last step."""
        if recorder is None or recorder.n_layers != self._n_layers:
            for curves in self._curves.values():
                for curve in curves:
                    curve.setData([], [])
            return
        for name, curves in self._curves.items():
            low, high = math.inf, -math.inf
            for k in range(1, self._n_layers + 1):
                steps, values = recorder.series(k, name)
                shown = _positive(values)
                curves[k - 1].setData(steps.astype(np.float64), shown)
                if np.isfinite(shown).any():
                    low, high = min(low, float(np.nanmin(shown))), max(high, float(np.nanmax(shown)))
            if name == "update_ratio" and math.isfinite(low):
                low, high = min(low, HEALTHY_RATIO), max(high, HEALTHY_RATIO)
            _fit_decades(self._plots[name], low, high)
        step = recorder.last_step
        for marker in self._markers:
            marker.setVisible(step is not None)
            if step is not None:
                marker.setValue(step)

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        p = palette(dark)
        for widget in self._widgets.values():
            style_axes(widget, dark)
        self._healthy.setPen(pg.mkPen(pg.mkColor(*p.forward), width=1.2, style=Qt.PenStyle.DashLine))
        for marker in self._markers:
            marker.setPen(pg.mkPen(pg.mkColor(*mix(p.background, p.text, 0.55)), width=1))
        self._restyle_layers()

    def curve_data(self, quantity: str, layer: int) -> tuple[np.ndarray, np.ndarray]:
        """(steps, values) the plot of `quantity` ("grad_norm" or "update_ratio") shows for `layer` (1-based)."""
        curve = self._curves[quantity][layer - 1]
        # xData/yData are the values given, before the log axis transforms them.
        if curve.xData is None:
            return np.zeros(0), np.zeros(0)
        return np.asarray(curve.xData), np.asarray(curve.yData)

    def _restyle_layers(self) -> None:
        for k in range(1, self._n_layers + 1):
            pen = pg.mkPen(pg.mkColor(*layer_color(k, self._dark)), width=1.6, style=layer_pen_style(k))
            for curves in self._curves.values():
                curves[k - 1].setPen(pen)
