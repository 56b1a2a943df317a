"""The loss plot's header row (key, "Show all", the batches and log toggles; the dock's title names the
plot), the "Pin run" button and the readout label under the plots: created here and set on the plot,
which lays them out and connects them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backprop_studio.core.analysis.pinned_runs import MAX_PINNED
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy

if TYPE_CHECKING:
    from backprop_studio.gui.panels.loss_plot import LossPlot


def build_header(plot: LossPlot) -> QHBoxLayout:
    """Create `plot`'s header widgets and its readout (as its attributes); returns the header row."""
    # The key lives in the header, not inside the plot, so it never hides the start of a curve.
    plot._key = QLabel()
    plot._key.setTextFormat(Qt.TextFormat.RichText)
    plot._show_batches = QCheckBox("batches")
    plot._show_batches.setChecked(True)
    plot._show_batches.setToolTip(
        "Also draw the loss of every batch as training saw it (noisier: one batch, weights mid-epoch)"
    )
    plot._show_all = QPushButton("Show all")
    plot._show_all.setToolTip("Zoom back out to the whole run and follow new epochs again")
    plot._show_all.hide()
    plot.pin_button = QPushButton("Pin run")
    plot.pin_button.setToolTip(
        "Keep this run's train and test loss on the plot, to compare the next runs with "
        f"(up to {MAX_PINNED}; saved with the project)"
    )
    plot._log = QCheckBox("log")
    plot._log.setToolTip("Logarithmic loss axis: shows progress when the loss is already small")
    plot._readout = QLabel()
    plot._readout.setTextFormat(Qt.TextFormat.RichText)
    plot._readout.setWordWrap(True)
    plot._readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    # Room for two lines from the start, so hovering never makes the plots above jump.
    plot._readout.setMinimumHeight(2 * plot._readout.fontMetrics().lineSpacing() + 4)
    plot._readout.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    plot._readout.setToolTip("Values under the mouse; the latest values when the mouse is elsewhere")

    header = QHBoxLayout()
    header.setContentsMargins(6, 2, 6, 0)
    header.setSpacing(8)  # set here: a nested layout takes its parent's 0, and "now" touched "☑ batches"
    header.addWidget(plot._key)
    header.addStretch(1)
    header.addWidget(plot._show_all)
    header.addWidget(plot._show_batches)
    header.addWidget(plot._log)
    return header
