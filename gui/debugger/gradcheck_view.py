"""The gradient check in the app: a button that asks the controller to run backprop_studio.core.analysis.gradcheck on the batch
being shown, the verdict at the core's tolerance, the worst relative error of each layer and the worst
entries with both gradients side by side. Clicking an entry asks the window to select that weight or
bias; gui/canvas/overlays.py turns a report into what the canvas needs to color every edge by agreement.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from backprop_studio.core.analysis.gradcheck import GradCheckReport
from backprop_studio.core.display.names import bias_label, weight_label
from backprop_studio.core.display.numbers import count, format_number
from backprop_studio.gui.canvas.overlays import overlay_colors, overlay_levels
from backprop_studio.gui.style.colors import mix, palette
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from backprop_studio.core.analysis.gradcheck import GradCheckRun

WORST_COUNT = 10
ENTRY_COLUMNS = ("Layer", "Parameter", "Analytic", "Numeric", "Rel. error")
LAYER_COLUMNS = ("Layer", "Checked", "Worst rel. error")
INTRO = (
    "Compares every ∂L/∂w and ∂L/∂b that backpropagation computed for the current batch with a "
    "finite-difference estimate of the same batch loss. Relative errors at or below the tolerance mean "
    "the two agree; the canvas colors each edge by its error."
)


def fit_rows(table: QTableWidget, rows: int) -> None:
    """Make `table` exactly tall enough for its header and `rows` rows: the dock scrolls, not the table."""
    frame = 2 * table.frameWidth()
    scroll_bar = table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(
        table.horizontalHeader().sizeHint().height()
        + rows * table.verticalHeader().defaultSectionSize()
        + frame
        + scroll_bar  # room for a sideways bar when the columns are wider than the dock
    )


def parameter_label(layer: int, name: str, index: tuple[int, ...]) -> str:
    """A checked parameter named as every view names it (1-based): "weight from neuron 3 of layer 1 to
    neuron 2 of layer 2", "bias of neuron 1 of layer 2"."""
    return weight_label(layer, index[0], index[1]) if name == "W" else bias_label(layer, index[0])


def verdict(report: GradCheckReport, worst: tuple[float, int, str, tuple[int, ...]] | None) -> str:
    """The verdict line (rich text): agreement with the worst error, or where the worst disagreement is
    (`worst` = the report's first `worst_entries`)."""
    error, tolerance = format_number(report.worst, 2), format_number(report.tolerance)
    if report.passed or worst is None:
        return f"<b>✓ Gradients agree.</b> Worst relative error {error} ≤ tolerance {tolerance}."
    _, layer, name, index = worst
    return (
        f"<b>✗ Gradients disagree.</b> Worst relative error {error} at the {parameter_label(layer, name, index)} "
        f"(tolerance {tolerance}): backpropagation computes this gradient wrongly."
    )


class GradcheckView(QWidget):
    """Run button, verdict, worst error per layer and the worst entries of the last gradient check."""

    run_requested = Signal()
    entry_selected = Signal(int, int, int)  # a weight: layer (1-based), i, j
    bias_selected = Signal(int, int)  # a bias: layer (1-based), j

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._report: GradCheckReport | None = None
        self._analytic_W: Sequence[np.ndarray] | None = None
        self._analytic_b: Sequence[np.ndarray] | None = None
        self._caption = ""
        self._step: int | None = None
        self._stale = False
        self._entries: list[tuple[float, int, str, tuple[int, ...]]] = []

        self.run_button = QPushButton("Run gradient check")
        self.run_button.clicked.connect(lambda: self.run_requested.emit())
        self.run_button.setToolTip(
            "Check the current batch's gradients against finite differences (needs the batch's backward "
            "pass to have reached layer 1)"
        )
        self.intro = QLabel(INTRO)
        self.intro.setWordWrap(True)
        self.verdict = QLabel("No check run yet.")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.caption = QLabel()
        self.caption.setWordWrap(True)

        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.layers = self._table(LAYER_COLUMNS)
        self.entries = self._table(ENTRY_COLUMNS)
        self.entries.setFont(mono)
        self.layers.setFont(mono)
        self.entries.setToolTip(
            "Click a row to select that weight or bias on the canvas and in the inspector"
        )
        self.entries.cellClicked.connect(self._on_clicked)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.run_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.intro)
        layout.addWidget(self.verdict)
        layout.addWidget(self.caption)
        layout.addWidget(self._titled("Worst relative error per layer", self.layers))
        layout.addWidget(self._titled(f"Worst {WORST_COUNT} entries", self.entries))
        layout.addStretch(1)
        self.set_dark(False)

    @staticmethod
    def _table(columns: Sequence[str]) -> QTableWidget:
        table = QTableWidget(0, len(columns))
        table.setHorizontalHeaderLabels(columns)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return table

    @staticmethod
    def _titled(title: str, table: QTableWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        label = QLabel(f"<b>{title}</b>")
        layout.addWidget(label)
        layout.addWidget(table, 1)
        return box

    # ----------------------------------------------------------------- public API

    @property
    def report(self) -> GradCheckReport | None:
        return self._report

    def set_run(self, run: GradCheckRun) -> None:
        """Show a controller `GradCheckRun` (the report, the analytic gradients, where it ran)."""
        if run.sampled:
            scope = f"a random sample of {run.checked:,} of {count(run.parameters, 'parameter')}"
        else:
            scope = f"all {count(run.parameters, 'parameter')}"
        caption = f"Checked {scope} at {run.where} (step {run.step:,})."
        self.set_report(run.report, run.analytic_W, run.analytic_b, caption, step=run.step)

    def set_report(
        self,
        report: GradCheckReport | None,
        analytic_W: Sequence[np.ndarray] | None = None,
        analytic_b: Sequence[np.ndarray] | None = None,
        caption: str = "",
        step: int | None = None,
    ) -> None:
        """Show `report` (None clears); the analytic gradients fill the "Analytic" column."""
        self._report = report
        self._analytic_W, self._analytic_b = analytic_W, analytic_b
        self._caption = caption
        self._step = step
        self._stale = False
        self._entries = report.worst_entries(WORST_COUNT) if report is not None else []
        self._render()

    def set_current_step(self, step: int) -> None:
        """Say so when the session has moved away from the step the report is about."""
        stale = self._report is not None and self._step is not None and step != self._step
        if stale != self._stale:
            self._stale = stale
            self._render_caption()

    def clear(self) -> None:
        self.set_report(None)

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        p = palette(dark)
        self.intro.setStyleSheet("color: rgb({},{},{});".format(*p.muted))
        self._render()

    def entry_rows(self) -> list[tuple[str, ...]]:
        """The worst-entries table as text, row by row (for tests and copying)."""
        return [
            tuple(self.entries.item(r, c).text() for c in range(self.entries.columnCount()))
            for r in range(self.entries.rowCount())
        ]

    def verdict_text(self) -> str:
        return self.verdict.text()

    # ----------------------------------------------------------------- rendering

    def _render(self) -> None:
        p = palette(self._dark)
        report = self._report
        if report is None:
            self.verdict.setStyleSheet("")
            self.verdict.setText("No check run yet.")
            self.layers.setRowCount(0)
            self.entries.setRowCount(0)
            self._render_caption()
            return
        hue = mix(p.forward, p.text, 0.15) if report.passed else p.warning
        text = verdict(report, self._entries[0] if self._entries else None)
        self.verdict.setStyleSheet(
            "QLabel {{ color: rgb({},{},{}); background: rgb({},{},{}); border-radius: 4px; padding: 6px; }}".format(
                *hue, *mix(p.background, hue, 0.12)
            )
        )
        self.verdict.setText(text)
        self._render_caption()
        self._fill_layers(report)
        self._fill_entries(report)

    def _render_caption(self) -> None:
        text = self._caption
        if self._stale:
            text += " Training has moved on since: run the check again for the batch shown now."
        self.caption.setText(text)
        self.caption.setVisible(bool(text))

    def _error_brush(self, error: float) -> QBrush:
        level = int(overlay_levels(np.array([error]))[0])
        p = palette(self._dark)
        rgb = p.muted if level < 0 else overlay_colors(p)[level]
        # Table text on the window background needs more contrast than an edge does.
        return QBrush(QColor(*mix(rgb, p.text, 0.25 if level < 3 else 0.0)))

    def _fill_layers(self, report: GradCheckReport) -> None:
        self.layers.setRowCount(len(report.layers))
        # Tall enough for every layer of a typical net, so the verdict per layer needs no scrolling.
        fit_rows(self.layers, min(len(report.layers), 6))
        for r, layer in enumerate(report.layers):
            total = layer.errors_W.size + layer.errors_b.size
            cells = (f"{layer.layer}", f"{layer.checked} of {total}", format_number(layer.worst, 2))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c > 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 2:
                    item.setForeground(self._error_brush(layer.worst))
                self.layers.setItem(r, c, item)

    def _fill_entries(self, report: GradCheckReport) -> None:
        self.entries.setRowCount(len(self._entries))
        fit_rows(self.entries, max(len(self._entries), 1))
        by_layer = {layer.layer: layer for layer in report.layers}
        for r, (error, layer, name, index) in enumerate(self._entries):
            numeric = float((by_layer[layer].numeric_W if name == "W" else by_layer[layer].numeric_b)[index])
            analytics = self._analytic_W if name == "W" else self._analytic_b
            analytic = float(analytics[layer - 1][index]) if analytics is not None else math.nan
            cells = (
                str(layer),
                parameter_label(layer, name, index),
                format_number(analytic, 6),
                format_number(numeric, 6),
                format_number(error, 2),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 4:
                    item.setForeground(self._error_brush(error))
                item.setData(Qt.ItemDataRole.UserRole, (layer, name, index))
                self.entries.setItem(r, c, item)

    def _on_clicked(self, row: int, _column: int) -> None:
        if not 0 <= row < len(self._entries):
            return
        _, layer, name, index = self._entries[row]
        if name == "W":
            self.entry_selected.emit(layer, index[0], index[1])
        else:
            self.bias_selected.emit(layer, index[0])
