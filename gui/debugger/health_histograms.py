"""The Gradient health panel's histograms: W, a and ∂L/∂W of the chosen layer at the current moment,
under a layer picker. The axes are styled as the time series' are (`health_plots.style_axes`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.analysis.health import HISTOGRAM_QUANTITIES, Histogram
from backprop_studio.core.display.names import layer_label
from backprop_studio.core.nn import activations as activation_registry
from backprop_studio.gui.debugger.health_plots import style_axes
from backprop_studio.gui.style.colors import mix, palette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

# Short, in the app's own notation: the three plots share a narrow dock and longer titles were clipped.
QUANTITY_TITLES = {
    "weights": "W",
    "activations": "a",
    "gradients": "∂L/∂W",
}


class HealthHistograms(QWidget):
    """A layer picker over histograms of that layer's W, a and ∂L/∂W at the current moment."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._histograms: tuple[dict[str, Histogram | None], ...] = ()
        self.layer_combo = QComboBox()
        self.layer_combo.setToolTip("Whose weights, activations and gradients the histograms show")
        self._widgets: dict[str, pg.PlotWidget] = {}
        self._curves: dict[str, pg.PlotDataItem] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        for quantity in HISTOGRAM_QUANTITIES:
            self._widgets[quantity], self._curves[quantity] = self._histogram_plot(quantity)
            row.addWidget(self._widgets[quantity], 1)
        picker = QHBoxLayout()
        picker.setContentsMargins(0, 0, 0, 0)
        picker.addWidget(QLabel("Layer"))
        picker.addWidget(self.layer_combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(2)
        layout.addLayout(picker)
        layout.addLayout(row, 1)
        self.layer_combo.currentIndexChanged.connect(lambda _: self._show())

    @staticmethod
    def _histogram_plot(quantity: str) -> tuple[pg.PlotWidget, pg.PlotDataItem]:
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
        return widget, plot.plot(stepMode="center", fillLevel=0)

    def set_layers(self, activations: Sequence[str]) -> None:
        """Offer the layers of a new network, keeping the chosen position where it still exists."""
        n_layers = len(activations)
        current = self.layer_combo.currentIndex()
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for k, activation in enumerate(activations, start=1):
            label = activation_registry.get(activation).label
            self.layer_combo.addItem(f"{layer_label(k - 1, n_layers)} · {label}", k)
        self.layer_combo.setCurrentIndex(min(max(current, 0), n_layers - 1) if n_layers else -1)
        self.layer_combo.blockSignals(False)

    def set_histograms(self, histograms: Sequence[dict[str, Histogram | None]]) -> None:
        self._histograms = tuple(histograms)
        self._show()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        p = palette(dark)
        for quantity, curve in self._curves.items():
            style_axes(self._widgets[quantity], dark)
            hue = {"weights": p.positive, "activations": p.forward, "gradients": p.backward}[quantity]
            curve.setPen(pg.mkPen(pg.mkColor(*hue), width=1))
            curve.setBrush(pg.mkBrush(*mix(p.background, hue, 0.45)))
        self._show()

    def histogram(self, quantity: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(bin edges, counts) shown for `quantity` of the chosen layer, None when nothing is shown."""
        x, y = self._curves[quantity].getData()
        return None if x is None or len(x) == 0 else (np.asarray(x), np.asarray(y))

    def _show(self) -> None:
        k = self.layer_combo.currentIndex()
        hists = self._histograms[k] if 0 <= k < len(self._histograms) else None
        p = palette(self._dark)
        color = "#{:02x}{:02x}{:02x}".format(*p.text)
        muted = "#{:02x}{:02x}{:02x}".format(*p.muted)
        for quantity, curve in self._curves.items():
            plot = self._widgets[quantity].getPlotItem()
            hist = hists.get(quantity) if hists is not None else None
            if hist is None or hist[0].sum() == 0:
                curve.setData([], [])
                plot.setTitle(f"{QUANTITY_TITLES[quantity]}: not computed yet", size="9pt", color=muted)
                continue
            counts, edges = hist
            curve.setData(edges, counts.astype(np.float64))
            plot.setTitle(QUANTITY_TITLES[quantity], size="9pt", color=color)
