"""Gradient health: why a network does not learn, at a glance.

Top (`health_plots.HealthSeries`): ‖dL/dW‖ of every layer over the steps recorded so far, on a log scale,
so a gradient that shrinks layer by layer towards the inputs (vanishing) or blows up (exploding) shows as
curves fanning apart by decades; below it the same for the update/weight ratio ‖ΔW‖/‖W‖, with the healthy
~1e-3 marked. Bottom: histograms of one layer's weights, activations and gradients at the current moment
(`health_histograms.HealthHistograms`), and a table of dead ReLUs and saturated sigmoid/tanh units per layer.
A sentence under it says what the gradient norms mean.

Every number comes from backprop_studio.core.analysis.health through the controller's `health_changed`;
items are created once per network and then only given new data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from backprop_studio.core.analysis.health import Histogram, LayerHealth
from backprop_studio.core.analysis.health_recorder import HealthRecorder
from backprop_studio.core.display.names import layer_label
from backprop_studio.core.display.numbers import count, format_number
from backprop_studio.core.nn import activations as activation_registry
from backprop_studio.gui.debugger.health_histograms import HealthHistograms
from backprop_studio.gui.debugger.health_plots import HealthSeries, layer_color
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
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

TABLE_COLUMNS = ("Layer", "Dead ReLU", "Saturated", "‖dL/dW‖", "‖ΔW‖/‖W‖")
TABLE_TIP = (
    "Dead: ReLU units that output 0 for every sample of the batch (no gradient reaches them). "
    "Saturated: sigmoid units below 0.01 or above 0.99, tanh units beyond ±0.99, on every sample "
    "(their gradient is almost 0). Counted for the current batch."
)


def _number(value: float | None) -> str:
    return "—" if value is None else format_number(value)


def _units(n: int | None) -> str:
    """A count of units, "—" where the idea does not apply (not a ReLU, not computed yet)."""
    return "—" if n is None else count(n, "unit")


def table_row(h: LayerHealth, n_layers: int) -> tuple[str, ...]:
    """One row of the dead / saturated table: "layer 1 · ReLU · 4 units", "2 units", "—", norms."""
    label = activation_registry.get(h.activation).label
    name = f"{layer_label(h.layer - 1, n_layers)} · {label} · {count(h.units, 'unit')}"
    return (
        name,
        _units(h.dead_units),
        _units(h.saturated_units),
        _number(h.grad_norm),
        _number(h.update_ratio),
    )


def readout(health: Sequence[LayerHealth]) -> str:
    """One sentence comparing the first and last layers' gradient norms: vanishing, exploding or fine."""
    if not health:
        return ""
    known = [h for h in health if h.grad_norm is not None and h.grad_norm > 0]
    if len(known) < 2:
        return "Gradient norms appear as the backward pass reaches each layer."
    first, last = known[0], known[-1]
    assert first.grad_norm is not None and last.grad_norm is not None
    if not (math.isfinite(first.grad_norm) and math.isfinite(last.grad_norm)):
        return "A gradient is not finite: training diverged."
    first_name = layer_label(first.layer - 1).capitalize()
    last_name = "the output layer's" if last.layer == len(health) else f"{layer_label(last.layer - 1)}'s"
    ratio = first.grad_norm / last.grad_norm
    decades = math.log10(ratio) if ratio > 0 else 0.0
    if decades <= -2:
        return (
            f"{first_name}'s gradient is {format_number(1 / ratio, 2)} times smaller than {last_name}: "
            "the early layers learn far more slowly (vanishing gradients)."
        )
    if decades >= 2:
        return (
            f"{first_name}'s gradient is {format_number(ratio, 2)} times larger than {last_name}: "
            "gradients grow towards the inputs (exploding gradients)."
        )
    return f"Gradient norms of layers {first.layer}–{last.layer} are within two decades of each other."


class HealthView(QWidget):
    """Gradient norms and update ratios over time, histograms now, dead and saturated units per layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._n_layers = 0
        self._activations: tuple[str, ...] = ()
        self._health: tuple[LayerHealth, ...] = ()
        self.series = HealthSeries()
        self.histograms = HealthHistograms()
        self._title = QLabel("<b>Gradient health</b>")
        self._key = QLabel()
        self._key.setTextFormat(Qt.TextFormat.RichText)
        self._key.setWordWrap(True)
        self._key.setToolTip("One color per layer, the same in both plots")
        self._readout = QLabel()
        self._readout.setWordWrap(True)
        self._readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._table = self._build_table()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.histograms, "Histograms")
        self.tabs.addTab(self._table, "Dead / saturated units")
        self._build_layout()
        self.set_dark(False)

    def _build_table(self) -> QTableWidget:
        table = QTableWidget(0, len(TABLE_COLUMNS))
        table.setHorizontalHeaderLabels(TABLE_COLUMNS)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.setToolTip(TABLE_TIP)
        return table

    def _build_layout(self) -> None:
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.series)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        header_row = QHBoxLayout()
        header_row.setContentsMargins(6, 2, 6, 0)
        header_row.addWidget(self._title)
        header_row.addSpacing(8)
        header_row.addWidget(self._key, 1)
        readout_row = QHBoxLayout()
        readout_row.setContentsMargins(6, 0, 6, 2)
        readout_row.addWidget(self._readout, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header_row)
        layout.addWidget(splitter, 1)
        layout.addLayout(readout_row)

    # ----------------------------------------------------------------- public API

    def set_health(
        self,
        recorder: HealthRecorder,
        layer_health: Sequence[LayerHealth],
        histograms: Sequence[dict[str, Histogram | None]],
    ) -> None:
        """Show the recorded series, and the health and histograms of the current moment."""
        self._health = tuple(layer_health)
        activations = tuple(h.activation for h in self._health)
        if len(self._health) != self._n_layers or activations != self._activations:
            self._build_layers(activations)
        self.series.show_recorder(recorder)
        self._show_table()
        self.histograms.set_histograms(histograms)
        self._readout.setText(readout(self._health))

    def clear(self) -> None:
        self._health = ()
        self._build_layers(())
        self._show_table()
        self.histograms.set_histograms(())
        self._readout.clear()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self.series.set_dark(dark)
        self.histograms.set_dark(dark)
        self._show_key()
        self._show_table()

    @property
    def layer_count(self) -> int:
        return self._n_layers

    def curve_data(self, quantity: str, layer: int) -> tuple[np.ndarray, np.ndarray]:
        """(steps, values) a time plot shows for `layer` (1-based); `quantity` "grad_norm" or "update_ratio"."""
        return self.series.curve_data(quantity, layer)

    def table_text(self) -> list[list[str]]:
        return [
            [self._table.item(r, c).text() for c in range(self._table.columnCount())]
            for r in range(self._table.rowCount())
        ]

    def readout_text(self) -> str:
        return self._readout.text()

    # ----------------------------------------------------------------- showing

    def _build_layers(self, activations: tuple[str, ...]) -> None:
        self._n_layers = len(activations)
        self._activations = activations
        self.series.set_layers(self._n_layers)
        self.histograms.set_layers(activations)
        self._show_key()

    def _show_key(self) -> None:
        keys = []
        for k in range(1, self._n_layers + 1):
            name = "out" if k == self._n_layers and k > 1 else f"L{k}"
            keys.append(
                '<span style="color: #{:02x}{:02x}{:02x}; font-weight: 600">━ {}</span>'.format(
                    *layer_color(k, self._dark), name
                )
            )
        self._key.setText("&nbsp; ".join(keys))

    def _show_table(self) -> None:
        p = palette(self._dark)
        health = self._health
        self._table.setRowCount(len(health))
        warn = QBrush(QColor(*p.warning))
        for r, h in enumerate(health):
            for c, text in enumerate(table_row(h, len(health))):
                item = self._table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    self._table.setItem(r, c, item)
                item.setText(text)
                if c > 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                flagged = (c == 1 and bool(h.dead_units)) or (c == 2 and bool(h.saturated_units))
                item.setForeground(warn if flagged else QBrush(self.palette().text().color()))
