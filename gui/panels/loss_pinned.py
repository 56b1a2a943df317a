"""Pinned runs on the loss plot: each one's train (solid) and test (dashed) loss per epoch in its own
color, and a legend row per run naming it, the settings it differs in from the current run
(`core.analysis.run_diff`), and a × that asks to remove it.

Pinned runs never change, so their curves are handed their data once (when the runs, the log axis or
the theme change), never on a training refresh: what a refresh costs does not grow with them. pyqtgraph
clips them to the view and peak-downsamples them when they are long, as it does the live curves.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.analysis.pinned_runs import PinnedRun
from backprop_studio.core.analysis.run_diff import Scalar, legend
from backprop_studio.gui.style.colors import PINNED_COLORS, palette, qcolor
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QToolButton, QWidget

_PIN_OPTIONS = {"autoDownsample": True, "downsampleMethod": "peak", "clipToView": True}


def pinned_color(index: int, dark: bool) -> tuple[int, int, int]:
    """The color of the pinned run at 0-based `index` (its slot, kept while the runs before it stay)."""
    colors = PINNED_COLORS[dark]
    return colors[index % len(colors)]


class PinnedOverlay(QWidget):
    """The legend rows of the pinned runs (this widget) and their curves on `plot`."""

    remove_requested = Signal(int)  # 0-based index of the run whose × was clicked

    def __init__(self, plot: pg.PlotItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plot = plot
        self._runs: tuple[PinnedRun, ...] = ()
        self._current: Mapping[str, Scalar] = {}
        self._curves: list[tuple[pg.PlotDataItem, pg.PlotDataItem]] = []
        self._dark = False
        self._log = False
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(6, 0, 6, 2)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(0)
        self._grid.setColumnStretch(1, 1)
        self.labels: list[QLabel] = []
        self.remove_buttons: list[QToolButton] = []
        self.hide()

    # ----------------------------------------------------------------- public API

    @property
    def runs(self) -> tuple[PinnedRun, ...]:
        return self._runs

    def set_runs(self, runs: Sequence[PinnedRun], current: Mapping[str, Scalar]) -> None:
        """Show `runs`, their legend comparing each with the `current` run's settings."""
        runs = tuple(runs)
        if runs != self._runs:  # the same tuple again (a settings change) leaves the curves alone
            self._runs = runs
            self._rebuild_curves()
        self._current = dict(current)
        self._rebuild_legend()

    def set_current(self, current: Mapping[str, Scalar]) -> None:
        """The current run's settings changed: only the legend's differences are rewritten."""
        if dict(current) != self._current:
            self._current = dict(current)
            self._rebuild_legend()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self._style_curves()
        self._rebuild_legend()

    def set_log(self, on: bool) -> None:
        self._log = on
        self._draw()

    def last_epoch(self) -> float:
        """The highest epoch any pinned run reaches (0 without runs): the followed x range includes it."""
        return float(max((run.epochs[-1] for run in self._runs), default=0))

    def curve_data(self, index: int, which: str) -> tuple[np.ndarray, np.ndarray]:
        """The full-resolution (x, y) the curve of run `index` holds: "train" or "test"."""
        curve = self._curves[index][0 if which == "train" else 1]
        x, y = curve.getOriginalDataset()
        return (np.empty(0), np.empty(0)) if x is None else (np.asarray(x), np.asarray(y))

    def readout_groups(self, at: float) -> list[str]:
        """Rich-text readout groups, one per pinned run reaching epoch `at`: "run 1: train 0.12, test 0.15"."""
        groups = []
        for index, run in enumerate(self._runs):
            i = int(np.searchsorted(run.epochs, round(at), side="right")) - 1
            if i < 0 or round(at) > run.epochs[-1]:
                continue
            color = "#{:02x}{:02x}{:02x}".format(*pinned_color(index, self._dark))
            text = f"{run.label.split(' · ')[0]}: train {_number(run.train_loss[i])}"
            if np.isfinite(run.test_loss[i]):
                text += f", test {_number(run.test_loss[i])}"
            groups.append(f"<span style='color:{color}'>{html.escape(text).replace(' ', '&nbsp;')}</span>")
        return groups

    def legend_texts(self) -> list[str]:
        return [label.text() for label in self.labels]

    # ----------------------------------------------------------------- internals

    def _rebuild_curves(self) -> None:
        for pair in self._curves:
            for curve in pair:
                self._plot.removeItem(curve)
        self._curves = []
        for _ in self._runs:
            # Below the live curves (z −1): the run being trained stays on top.
            pair = (self._plot.plot(**_PIN_OPTIONS), self._plot.plot(**_PIN_OPTIONS))
            for curve in pair:
                curve.setZValue(-1)
            self._curves.append(pair)
        self._style_curves()
        self._draw()

    def _style_curves(self) -> None:
        for index, (train, test) in enumerate(self._curves):
            color = qcolor(pinned_color(index, self._dark))
            train.setPen(pg.mkPen(color, width=1.5))
            test.setPen(pg.mkPen(color, width=1.5, style=Qt.PenStyle.DashLine))

    def _draw(self) -> None:
        for run, (train, test) in zip(self._runs, self._curves, strict=True):
            x = run.epochs.astype(np.float64)
            for curve, values in ((train, run.train_loss), (test, run.test_loss)):
                y = _shown(values, self._log)
                if np.isfinite(y).any():
                    curve.setData(x, y, connect="finite")
                else:
                    curve.setData([], [])

    def _rebuild_legend(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()  # at once: deleteLater alone leaves it painted until the event loop runs
                widget.deleteLater()
        self.labels, self.remove_buttons = [], []
        muted = "#{:02x}{:02x}{:02x}".format(*palette(self._dark).muted)
        for index, run in enumerate(self._runs):
            color = "#{:02x}{:02x}{:02x}".format(*pinned_color(index, self._dark))
            swatch = QLabel(f"<span style='color:{color}'>━━</span>")
            label = QLabel()
            label.setTextFormat(Qt.TextFormat.PlainText)  # labels come from files: shown as text
            label.setText(f"{run.label}: {legend(run.summary, self._current)}")
            # A long legend is cut at the dock's edge (the tooltip has it all), never widening the column.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setStyleSheet(f"color: {color};")
            label.setToolTip(
                f"Pinned run “{run.label}”, drawn in this color (train solid, test dashed). "
                f"{run.label}: {legend(run.summary, self._current, limit=99)} (its settings vs the current run's)"
            )
            remove = QToolButton()
            remove.setText("×")
            remove.setAutoRaise(True)
            remove.setToolTip(f"Remove the pinned run “{run.label}” from the plot")
            remove.setStyleSheet(f"color: {muted};")
            remove.clicked.connect(lambda _=False, i=index: self.remove_requested.emit(i))
            self._grid.addWidget(swatch, index, 0)
            self._grid.addWidget(label, index, 1)
            self._grid.addWidget(remove, index, 2)
            self.labels.append(label)
            self.remove_buttons.append(remove)
        self.setVisible(bool(self._runs))


def _number(value: float) -> str:
    return f"{value:.4g}" if np.isfinite(value) else "—"


def _shown(values: np.ndarray, log: bool) -> np.ndarray:
    """Values as drawn: log10 on a log axis (a gap where not positive), NaN kept as a gap."""
    if not log:
        return values
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log10(values)
    out[~np.isfinite(out)] = np.nan
    return out
