"""The gradient check in the app: a button that asks the controller to run
backprop_studio.core.analysis.gradcheck on the batch being shown, the verdict at the core's tolerance,
the worst relative error of each layer, the worst entries with both gradients side by side, and the
entries at a ReLU kink (not comparable) apart (their rows: gradcheck_rows.py). Clicking an entry asks
the window to select that weight or bias; gui/canvas/overlays.py turns a report into what the canvas
needs to color every edge by agreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from backprop_studio.core.analysis.gradcheck import GradCheckReport
from backprop_studio.core.display.numbers import count
from backprop_studio.gui.debugger.gradcheck_rows import Entry, Kink, fill_entries, fill_kinks, fill_layers
from backprop_studio.gui.debugger.gradcheck_tables import make_table, titled
from backprop_studio.gui.debugger.gradcheck_text import verdict
from backprop_studio.gui.style.colors import mix, palette
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from backprop_studio.core.analysis.gradcheck import GradCheckRun

WORST_COUNT = 10
ENTRY_COLUMNS = ("Layer", "Parameter", "Analytic", "Numeric", "Rel. error")
LAYER_COLUMNS = ("Layer", "Checked", "At a kink", "Worst rel. error")
KINK_COLUMNS = ("Layer", "Parameter", "Analytic", "Numeric")
KINK_NOTE = (
    "Moving these parameters by the finite difference's step makes some z of a ReLU or leaky ReLU cross "
    "0, where the loss has a corner and no derivative: backpropagation uses f′(0) as PyTorch does, the "
    "finite difference averages both sides, so the two cannot be compared. Not a failure."
)
KINKS_LISTED = 20
INTRO = (
    "Compares every ∂L/∂w and ∂L/∂b that backpropagation computed for the current batch with a "
    "finite-difference estimate of the same batch loss. Relative errors at or below the tolerance mean "
    "the two agree; the canvas colors each edge by its error."
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
        self._entries: list[Entry] = []

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

        self.layers = make_table(LAYER_COLUMNS)
        self.entries = make_table(ENTRY_COLUMNS)
        self.kinks = make_table(KINK_COLUMNS)
        self.kinks.setToolTip("Click a row to select that weight or bias on the canvas and in the inspector")
        self.kinks.cellClicked.connect(self._on_kink_clicked)
        self._kink_entries: list[Kink] = []
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
        layout.addWidget(titled("Worst relative error per layer", self.layers))
        layout.addWidget(titled(f"Worst {WORST_COUNT} entries", self.entries))
        self.kinks_box = titled("At a kink, not comparable", self.kinks, KINK_NOTE)
        self.kinks_box.hide()
        layout.addWidget(self.kinks_box)
        layout.addStretch(1)
        self.set_dark(False)

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
        self._kink_entries = report.kink_entries()[:KINKS_LISTED] if report is not None else []
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

    def kink_rows(self) -> list[tuple[str, ...]]:
        """The at-a-kink table as text, row by row (empty when it is hidden)."""
        if self.kinks_box.isHidden():
            return []
        return [
            tuple(self.kinks.item(r, c).text() for c in range(self.kinks.columnCount()))
            for r in range(self.kinks.rowCount())
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
            self.kinks.setRowCount(0)
            self.kinks_box.hide()
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
        analytic = (self._analytic_W, self._analytic_b)
        fill_layers(self.layers, report, self._dark)
        fill_entries(self.entries, self._entries, report, analytic, self._dark)
        self.kinks_box.setVisible(bool(self._kink_entries))
        fill_kinks(self.kinks, self._kink_entries, report, analytic)

    def _render_caption(self) -> None:
        text = self._caption
        if self._stale:
            text += " Training has moved on since: run the check again for the batch shown now."
        self.caption.setText(text)
        self.caption.setVisible(bool(text))

    def _on_kink_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._kink_entries):
            self._select(*self._kink_entries[row])

    def _on_clicked(self, row: int, _column: int) -> None:
        if not 0 <= row < len(self._entries):
            return
        _, layer, name, index = self._entries[row]
        self._select(layer, name, index)

    def _select(self, layer: int, name: str, index: tuple[int, ...]) -> None:
        if name == "W":
            self.entry_selected.emit(layer, index[0], index[1])
        else:
            self.bias_selected.emit(layer, index[0])
