"""Loss (and, for classification, accuracy) over training: per epoch for the train and test sets, per batch.

Training can run for millions of batches, and this plot is refreshed after every step, so a refresh
must cost the same however long the run: each curve's points live in a `Track` (`loss_series`) that
converts only what was added since the last refresh, and the curve is handed only the visible stretch,
as each block's min and max once there are more points than pixels (the envelope pyqtgraph's peak
downsampling would draw, without scanning every point). The curves are created once; a refresh calls
`setData` on them, and a zoom or pan redraws them at the new range.

Pinned runs (`loss_pinned`) are drawn under the live curves in their own colors, with a legend row each;
"Pin run" asks to pin the current run. The plots are built in `loss_axes`, the key and readout worded
in `loss_text`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.analysis.pinned_runs import PinnedRun
from backprop_studio.core.analysis.run_diff import Scalar
from backprop_studio.core.display.position import epochs_done
from backprop_studio.core.training.snapshot import History, Snapshot
from backprop_studio.gui.panels.loss_axes import build_plots, style_plot
from backprop_studio.gui.panels.loss_curves import LiveCurves
from backprop_studio.gui.panels.loss_header import build_header
from backprop_studio.gui.panels.loss_pinned import PinnedOverlay
from backprop_studio.gui.panels.loss_text import KEY_TEXT_FULL, key_html, readout_html
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

# While following a run, the epoch axis reaches this far past the data, so it is rescaled (and its labels
# move) only after the run has grown by that much, not on every step.
_X_HEADROOM = 1.15


class LossPlot(QWidget):
    """Train/test loss per epoch, optional per-batch loss and, for classification, accuracy below it;
    pinned runs overlaid on the loss."""

    pin_requested = Signal()  # "Pin run" was clicked: pin the current run
    remove_pinned_requested = Signal(int)  # a pinned run's × was clicked (0-based index)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._task = "regression"
        self._position: float | None = None
        self._hovering = False

        header = build_header(self)
        self._loss_widget, self._acc_widget = build_plots()
        self._loss_plot = self._loss_widget.getPlotItem()
        self._acc_plot = self._acc_widget.getPlotItem()
        self._live = LiveCurves(self._loss_plot, self._acc_plot)
        # While following, the epoch axis is ours: it grows in steps ahead of the data instead of
        # rescaling (and relabelling) on every step. Zooming or panning stops following.
        self._follow = True
        self._x_end = 0.0
        self._loss_plot.getViewBox().enableAutoRange(x=False)
        self.pinned = PinnedOverlay(self._loss_plot)
        self.pinned.remove_requested.connect(self.remove_pinned_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.pinned)
        layout.addWidget(self._loss_widget, 1)
        layout.addWidget(self._acc_widget)
        readout_row = QHBoxLayout()
        readout_row.setContentsMargins(6, 2, 6, 2)
        readout_row.addWidget(self._readout, 1)
        # Under the plots, beside the readout: the header row is already as wide as the column allows.
        readout_row.addWidget(self.pin_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(readout_row)

        self._show_all.clicked.connect(lambda: self._set_follow(True))
        self.pin_button.clicked.connect(lambda: self.pin_requested.emit())
        for plot in (self._loss_plot, self._acc_plot):
            plot.getViewBox().sigRangeChangedManually.connect(lambda _mask: self._set_follow(False))
        self._loss_plot.getViewBox().sigXRangeChanged.connect(self._on_x_range)
        self._show_batches.toggled.connect(self._on_show_batches)
        self._log.toggled.connect(self._on_log)
        for widget in (self._loss_widget, self._acc_widget):
            widget.scene().sigMouseMoved.connect(lambda pos, w=widget: self._on_mouse_moved(w, pos))

        self.set_task("regression")
        self.set_dark(False)
        self._update_readout()

    # ----------------------------------------------------------------- public API

    def set_history(self, history: History, batches_per_epoch: int) -> None:
        """Show `history`; only what was appended (or dropped by a step back) since the last call is converted."""
        batches_changed, epochs_changed = self._live.sync(history, batches_per_epoch)
        # Follow first: a new x range redraws every curve at it (`_on_x_range`), once.
        if (batches_changed or epochs_changed) and not self._follow_data():
            if batches_changed:
                self._live.draw_batches()
            if epochs_changed:
                self._update_epoch_curves()
        if not self._hovering:
            self._update_readout()

    def show_position_of(self, snapshot: Snapshot) -> None:
        """Move the "now" marker to where `snapshot` is (`epochs_done`, as recordings place it)."""
        self.set_position(epochs_done(snapshot))

    def set_position(self, epoch_float: float) -> None:
        """Move the "now" marker to `epoch_float` (epochs completed, fractions within an epoch)."""
        self._position = float(epoch_float)
        for marker in self._live.markers:
            marker.setValue(self._position)
            marker.show()
        self._follow_data()

    def set_task(self, task: str) -> None:
        """ "classification" shows the accuracy plot below the loss; "regression" hides it."""
        self._task = task
        classification = task == "classification"
        self._acc_widget.setVisible(classification)
        # Only the bottom plot names the shared x axis.
        self._loss_plot.setLabel("bottom", None if classification else "epoch")
        if not self._hovering:
            self._update_readout()

    def set_pinned(self, runs: Sequence[PinnedRun], current: Mapping[str, Scalar]) -> None:
        """Overlay the pinned `runs` (drawn once, here), their legend comparing them with `current`."""
        self.pinned.set_runs(runs, current)
        self._x_end = 0.0  # follow the longest of the runs shown
        self._follow_data()

    def set_current_settings(self, current: Mapping[str, Scalar]) -> None:
        """The current run's settings (`run_diff.settings_summary`): the pinned legend compares with them."""
        self.pinned.set_current(current)

    def set_dark(self, dark: bool) -> None:
        self._dark = bool(dark)
        for widget in (self._loss_widget, self._acc_widget):
            style_plot(widget, palette(self._dark))
        self.pinned.set_dark(self._dark)
        self._live.style(self._dark)
        self._update_key()
        self._update_readout()

    def clear(self) -> None:
        self._live.clear()
        self._position = None
        self._x_end = 0.0
        self._follow_data()
        self._update_readout()

    # ----------------------------------------------------------------- state readable by tests and tools

    @property
    def log_scale(self) -> bool:
        return self._log.isChecked()

    def set_log_scale(self, on: bool) -> None:
        self._log.setChecked(on)

    def set_batches_shown(self, on: bool) -> None:
        self._show_batches.setChecked(on)

    @property
    def position(self) -> float | None:
        return self._position

    def curve_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The (x, y) a curve shows, at full resolution: "train", "test", "batch", "train_accuracy" or
        "test_accuracy" (empty when the curve is hidden or has no finite value)."""
        return self._live.full_data(name)

    def drawn_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The (x, y) handed to pyqtgraph for the visible range: at most `MAX_DRAWN` points."""
        x, y = self._live.curves[name].getOriginalDataset()
        return (np.empty(0), np.empty(0)) if x is None else (np.asarray(x), np.asarray(y))

    def readout_text(self) -> str:
        return self._readout.text()

    def show_values_at(self, epoch_float: float) -> None:
        """Fill the readout as if the mouse were over `epoch_float` (what hovering calls)."""
        self._hovering = True
        for line in self._live.hover_lines:
            line.setValue(epoch_float)
            line.show()
        self._update_readout(epoch_float)

    # ----------------------------------------------------------------- internals

    def _on_x_range(self, *_args: object) -> None:
        """A zoom, a pan or following the run moved the epoch axis: draw what is visible now."""
        self._live.draw_batches()
        self._update_epoch_curves()

    def _update_epoch_curves(self) -> None:
        if self._live.draw_epochs():
            self._update_key()

    def _set_follow(self, on: bool) -> None:
        self._follow = on
        self._show_all.setVisible(not on)
        if on:
            self._x_end = 0.0
            self._follow_data()

    def _follow_data(self) -> bool:
        """While following, keep everything recorded (and the marker) in view, rescaling only now and
        then. Returns whether the range changed (every curve was then redrawn at it)."""
        if not self._follow:
            return False
        end = max(
            1.0,
            self._live.tracks["train"].last_x,
            self._live.tracks["batch"].last_x,
            self._position or 0.0,
            self.pinned.last_epoch(),
        )
        if end > self._x_end or end < 0.5 * self._x_end:
            self._x_end = end * _X_HEADROOM
            old = self._loss_plot.getViewBox().viewRange()[0]
            self._loss_plot.getViewBox().setXRange(0.0, self._x_end, padding=0.0)
            if old != self._loss_plot.getViewBox().viewRange()[0]:
                return True
        return False

    def _update_key(self) -> None:
        self._key.setText(key_html(self._dark, self._live.has_test, self._show_batches.isChecked()))
        # Room for the fullest key from the start: the "test" entry appears after the first epoch, and a
        # label squeezed below its text runs into the checkboxes beside it.
        self._key.setMinimumWidth(self._key.fontMetrics().horizontalAdvance(KEY_TEXT_FULL) + 4)

    def _on_show_batches(self, on: bool) -> None:
        self._live.batches_shown = on
        self._live.draw_batches()
        self._update_key()
        if not self._hovering:
            self._update_readout()

    def _on_log(self, on: bool) -> None:
        # The axis goes to log mode for its 10ⁿ tick labels; the curves get log10 values we keep
        # ourselves, so their own log mapping stays off.
        self._loss_plot.setLogMode(x=False, y=on)
        self._live.log = on
        for name in ("batch", "train", "test"):
            self._live.curves[name].setLogMode(False, False)
        self._loss_plot.setLabel("left", "loss (log scale)" if on else "loss")
        self.pinned.set_log(on)
        self._update_epoch_curves()
        self._on_show_batches(self._show_batches.isChecked())

    def _on_mouse_moved(self, widget: pg.PlotWidget, scene_pos: QPointF) -> None:
        vb = widget.getPlotItem().getViewBox()
        if vb.sceneBoundingRect().contains(scene_pos):
            self.show_values_at(vb.mapSceneToView(scene_pos).x())
        else:
            self._end_hover()

    def leaveEvent(self, event) -> None:
        self._end_hover()
        super().leaveEvent(event)

    def _end_hover(self) -> None:
        if not self._hovering:
            return
        self._hovering = False
        for line in self._live.hover_lines:
            line.hide()
        self._update_readout()

    def _update_readout(self, at: float | None = None) -> None:
        """Values at epoch position `at`, or the latest values when None."""
        tracks = self._live.tracks
        classification = self._task == "classification"
        batches = self._show_batches.isChecked()
        text = readout_html(tracks, classification, batches, self._dark, at)
        if at is not None:  # hovering: the pinned runs' values too (never on a training refresh)
            text = " · ".join([text, *self.pinned.readout_groups(at)])
        self._readout.setText(text)
