"""Loss (and, for classification, accuracy) over training: per epoch for the train and test sets, per batch.

Training can run for millions of batches, and this plot is refreshed after every step, so a refresh
must cost the same however long the run: each curve's points live in a `Track` (`loss_series`) that
converts only what was added since the last refresh, and the curve is handed only the visible stretch,
as each block's min and max once there are more points than pixels (the envelope pyqtgraph's peak
downsampling would draw, without scanning every point). The curves are created once; a refresh calls
`setData` on them, and a zoom or pan redraws them at the new range.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.display.position import epochs_done
from backprop_studio.core.training.snapshot import History, Snapshot
from backprop_studio.gui.panels.loss_series import MAX_DRAWN_EPOCHS, Track
from backprop_studio.gui.style.colors import TEST_COLOR, TRAIN_COLOR, mix, palette, qcolor
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

# The batch curve is background noise next to the epoch curves: a faint grey, blended opaquely (an
# alpha pen would cost a blend per pixel of a line that can cover the whole plot).
_BATCH_STRENGTH = 0.5

_MAX_EPOCH_SYMBOLS = 40
# While following a run, the epoch axis reaches this far past the data, so it is rescaled (and its labels
# move) only after the run has grown by that much, not on every step.
_X_HEADROOM = 1.15

_CURVE_OPTIONS = {
    # Peak downsampling keeps each pixel column's minimum and maximum, so one column's worth of points
    # loses nothing visible; pyqtgraph's default of 5 per pixel only multiplies the drawing work.
    "autoDownsampleFactor": 1.0,
    # The range limit guards against huge values far outside the view; here y always fits what is
    # visible, and checking the limit scans every point on every refresh.
    "dynamicRangeLimit": None,
}


def _format(value: float) -> str:
    if not math.isfinite(value):
        return "—"
    return f"{value:.4g}"


class LossPlot(QWidget):
    """Train/test loss per epoch, optional per-batch loss and, for classification, accuracy below it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._task = "regression"
        self._position: float | None = None
        self._hovering = False

        self._train = Track(max_drawn=MAX_DRAWN_EPOCHS)
        self._test = Track(max_drawn=MAX_DRAWN_EPOCHS)
        # Accuracy is a fraction in core; percent reads better.
        self._train_acc = Track(scale=100.0, max_drawn=MAX_DRAWN_EPOCHS)
        self._test_acc = Track(scale=100.0, max_drawn=MAX_DRAWN_EPOCHS)
        self._batch = Track()

        header = self._build_header()
        self._build_plots()
        self._build_curves()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self._loss_widget, 1)
        layout.addWidget(self._acc_widget)
        readout_row = QHBoxLayout()
        readout_row.setContentsMargins(6, 2, 6, 2)
        readout_row.addWidget(self._readout, 1)
        layout.addLayout(readout_row)

        self._show_all.clicked.connect(lambda: self._set_follow(True))
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

    def _build_header(self) -> QHBoxLayout:
        """Title, key, the "Show all" button, the batches and log toggles, and the readout below the plots."""
        self._title = QLabel("<b>Loss</b>")
        # The key lives in the header, not inside the plot, so it never hides the start of a curve.
        self._key = QLabel()
        self._key.setTextFormat(Qt.TextFormat.RichText)
        self._show_batches = QCheckBox("batches")
        self._show_batches.setChecked(True)
        self._show_batches.setToolTip(
            "Also draw the loss of every batch as training saw it (noisier: one batch, weights mid-epoch)"
        )
        self._show_all = QPushButton("Show all")
        self._show_all.setToolTip("Zoom back out to the whole run and follow new epochs again")
        self._show_all.hide()
        self._log = QCheckBox("log")
        self._log.setToolTip("Logarithmic loss axis: shows progress when the loss is already small")
        self._readout = QLabel()
        self._readout.setTextFormat(Qt.TextFormat.RichText)
        self._readout.setWordWrap(True)
        self._readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # Room for two lines from the start, so hovering never makes the plots above jump.
        self._readout.setMinimumHeight(2 * self._readout.fontMetrics().lineSpacing() + 4)
        self._readout.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._readout.setToolTip("Values under the mouse; the latest values when the mouse is elsewhere")

        header = QHBoxLayout()
        header.setContentsMargins(6, 2, 6, 0)
        header.addWidget(self._title)
        header.addSpacing(8)
        header.addWidget(self._key)
        header.addStretch(1)
        header.addWidget(self._show_all)
        header.addWidget(self._show_batches)
        header.addWidget(self._log)
        return header

    def _build_plots(self) -> None:
        """The loss plot and the accuracy plot under it, sharing the epoch axis."""
        self._loss_widget = pg.PlotWidget()
        self._acc_widget = pg.PlotWidget()
        self._loss_plot = self._loss_widget.getPlotItem()
        self._acc_plot = self._acc_widget.getPlotItem()
        for plot in (self._loss_plot, self._acc_plot):
            plot.setMenuEnabled(False)
            plot.hideButtons()  # "Show all" in the header does what pyqtgraph's "A" would, and says so
            plot.showGrid(x=True, y=True, alpha=0.15)
            for name in ("left", "bottom"):
                # "loss (x0.001)" puzzles newcomers; plain decimals read directly.
                plot.getAxis(name).enableAutoSIPrefix(False)
                # Grid lines at major ticks only: the minor level multiplies the lines and cost most
                # of the repaint time.
                plot.getAxis(name).setStyle(maxTickLevel=1)
                # An axis draws its grid lines across the whole plot; replaying them every refresh cost
                # more than all the curves together, so keep the axis as a pixmap until its ticks change.
                plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            plot.getViewBox().setLimits(xMin=0)
            # Zoom along epochs only; y follows what is visible, so zooming into the tail shows its detail.
            plot.getViewBox().setMouseEnabled(x=True, y=False)
            plot.getViewBox().setAutoVisible(y=True)
        self._loss_plot.setLabel("left", "loss")
        self._acc_plot.setLabel("left", "accuracy %")
        self._acc_plot.setLabel("bottom", "epoch")
        self._acc_plot.setXLink(self._loss_plot)
        self._acc_plot.setYRange(0, 100, padding=0.04)
        self._acc_plot.getViewBox().setLimits(yMin=-5, yMax=105)
        self._acc_plot.getAxis("left").setWidth(56)
        self._loss_plot.getAxis("left").setWidth(56)  # equal widths keep the two x axes aligned
        self._acc_widget.setFixedHeight(110)

    def _build_curves(self) -> None:
        """The curves, the "now" markers and the hover lines, in drawing order."""
        # Creation order is drawing order: the noisy batch curve goes underneath the epoch curves.
        self._batch_curve = self._loss_plot.plot(**_CURVE_OPTIONS)
        self._train_curve = self._loss_plot.plot(**_CURVE_OPTIONS)
        self._test_curve = self._loss_plot.plot(**_CURVE_OPTIONS)
        self._train_acc_curve = self._acc_plot.plot(**_CURVE_OPTIONS)
        self._test_acc_curve = self._acc_plot.plot(**_CURVE_OPTIONS)
        self._epoch_symbols = False
        self._has_test = True
        # While following, the epoch axis is ours: it grows in steps ahead of the data instead of
        # rescaling (and relabelling) on every step. Zooming or panning stops following.
        self._follow = True
        self._x_end = 0.0
        self._loss_plot.getViewBox().enableAutoRange(x=False)

        self._markers = []
        self._hover_lines = []
        for plot in (self._loss_plot, self._acc_plot):
            marker = pg.InfiniteLine(angle=90, movable=False)
            marker.setZValue(20)
            plot.addItem(marker, ignoreBounds=True)
            marker.hide()
            self._markers.append(marker)
            hover = pg.InfiniteLine(angle=90, movable=False)
            hover.setZValue(19)
            plot.addItem(hover, ignoreBounds=True)
            hover.hide()
            self._hover_lines.append(hover)

    # ----------------------------------------------------------------- public API

    def set_history(self, history: History, batches_per_epoch: int) -> None:
        """Show `history`; only what was appended (or dropped by a step back) since the last call is converted."""
        bpe = max(1, int(batches_per_epoch))
        epochs_changed = False
        for track, source in (
            (self._train, history.train_loss),
            (self._test, history.test_loss),
            (self._train_acc, history.train_accuracy),
            (self._test_acc, history.test_accuracy),
        ):
            before = track.n
            keep = track.sync(source, 1.0, 0.0)  # epoch e (0-based) at e + 1
            epochs_changed |= keep != before or track.n != before
        before = self._batch.n
        keep = self._batch.sync(history.batch_loss, 1.0 / bpe, 0.0)  # where each batch ends
        batches_changed = keep != before or self._batch.n != before
        # Follow first: a new x range redraws every curve at it (`_on_x_range`), once.
        if (batches_changed or epochs_changed) and not self._follow_data():
            if batches_changed:
                self._draw_batches()
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
        for marker in self._markers:
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

    def set_dark(self, dark: bool) -> None:
        self._dark = bool(dark)
        p = palette(self._dark)
        background, text, muted = qcolor(p.background), qcolor(p.text), qcolor(p.muted)
        for widget, plot in ((self._loss_widget, self._loss_plot), (self._acc_widget, self._acc_plot)):
            widget.setBackground(background)
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setPen(pg.mkPen(muted))
                axis.setTextPen(pg.mkPen(text))
        train, test = TRAIN_COLOR[self._dark], TEST_COLOR[self._dark]
        train_pen = pg.mkPen(qcolor(train), width=2)
        test_pen = pg.mkPen(qcolor(test), width=2, style=Qt.PenStyle.DashLine)
        # Test symbols are hollow, echoing the data view's hollow test points.
        for curve, pen, rgb, fill in (
            (self._train_curve, train_pen, train, qcolor(train)),
            (self._test_curve, test_pen, test, background),
            (self._train_acc_curve, train_pen, train, qcolor(train)),
            (self._test_acc_curve, test_pen, test, background),
        ):
            curve.setPen(pen)
            curve.setSymbolPen(pg.mkPen(qcolor(rgb), width=1.5))
            curve.setSymbolBrush(pg.mkBrush(fill))
        self._batch_curve.setPen(pg.mkPen(qcolor(mix(p.background, p.muted, _BATCH_STRENGTH)), width=1))
        for marker in self._markers:
            marker.setPen(pg.mkPen(qcolor(p.update), width=2))
        for line in self._hover_lines:
            line.setPen(pg.mkPen(qcolor(p.muted), width=1, style=Qt.PenStyle.DotLine))
        self._update_key()
        self._update_readout()

    def clear(self) -> None:
        for track in self._tracks():
            track.clear()
        self._position = None
        for marker in self._markers:
            marker.hide()
        for curve in self._curves():
            curve.setData([], [])
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
        curve, track = self._curve_and_track(name)
        x, _ = curve.getOriginalDataset()
        if x is None or len(x) == 0:
            return np.empty(0), np.empty(0)
        return track.positions().copy(), track.values(self._log_applies(curve)).copy()

    def drawn_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The (x, y) handed to pyqtgraph for the visible range: at most `MAX_DRAWN` points."""
        x, y = self._curve_and_track(name)[0].getOriginalDataset()
        return (np.empty(0), np.empty(0)) if x is None else (np.asarray(x), np.asarray(y))

    def _curve_and_track(self, name: str) -> tuple[pg.PlotDataItem, Track]:
        return {
            "train": (self._train_curve, self._train),
            "test": (self._test_curve, self._test),
            "batch": (self._batch_curve, self._batch),
            "train_accuracy": (self._train_acc_curve, self._train_acc),
            "test_accuracy": (self._test_acc_curve, self._test_acc),
        }[name]

    def readout_text(self) -> str:
        return self._readout.text()

    def show_values_at(self, epoch_float: float) -> None:
        """Fill the readout as if the mouse were over `epoch_float` (what hovering calls)."""
        self._hovering = True
        for line in self._hover_lines:
            line.setValue(epoch_float)
            line.show()
        self._update_readout(epoch_float)

    # ----------------------------------------------------------------- internals

    def _curves(self) -> tuple[pg.PlotDataItem, ...]:
        return (
            self._batch_curve,
            self._train_curve,
            self._test_curve,
            self._train_acc_curve,
            self._test_acc_curve,
        )

    def _tracks(self) -> tuple[Track, ...]:
        return (self._batch, self._train, self._test, self._train_acc, self._test_acc)

    def _draw(self, curve: pg.PlotDataItem, track: Track) -> None:
        """Hand `curve` the visible stretch of `track` (downsampled to its envelope when long)."""
        x0, x1 = self._loss_plot.getViewBox().viewRange()[0]
        curve.setData(*track.drawn(x0, x1, self._log_applies(curve)))

    def _log_applies(self, curve: pg.PlotDataItem) -> bool:
        return self._log.isChecked() and curve in self._loss_curves()

    def _draw_batches(self) -> None:
        if self._show_batches.isChecked():
            self._draw(self._batch_curve, self._batch)
        else:
            self._batch_curve.setData([], [])

    def _on_x_range(self, *_args: object) -> None:
        """A zoom, a pan or following the run moved the epoch axis: draw what is visible now."""
        self._draw_batches()
        self._update_epoch_curves()

    def _update_epoch_curves(self) -> None:
        # Mark each epoch while there are few, so even a single epoch shows; many markers would only
        # thicken the line and cost a symbol each.
        symbols = self._train.n <= _MAX_EPOCH_SYMBOLS
        if symbols != self._epoch_symbols:
            self._epoch_symbols = symbols
            for curve in (self._train_curve, self._test_curve, self._train_acc_curve, self._test_acc_curve):
                curve.setSymbol("o" if symbols else None)
                curve.setSymbolSize(5)
        # All-NaN series (no test set; accuracy of a regression) are left empty: pyqtgraph cannot bound them.
        for curve, track in (
            (self._train_curve, self._train),
            (self._test_curve, self._test),
            (self._train_acc_curve, self._train_acc),
            (self._test_acc_curve, self._test_acc),
        ):
            if track.any_finite:
                self._draw(curve, track)
            else:
                curve.setData([], [])
        if self._test.any_finite != self._has_test:
            self._has_test = self._test.any_finite
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
        end = max(1.0, self._train.last_x, self._batch.last_x, self._position or 0.0)
        if end > self._x_end or end < 0.5 * self._x_end:
            self._x_end = end * _X_HEADROOM
            old = self._loss_plot.getViewBox().viewRange()[0]
            self._loss_plot.getViewBox().setXRange(0.0, self._x_end, padding=0.0)
            if old != self._loss_plot.getViewBox().viewRange()[0]:
                return True
        return False

    def _update_key(self) -> None:
        p = palette(self._dark)
        parts = [f"<span style='color:{_hex(TRAIN_COLOR[self._dark])}'>━━</span> train"]
        if self._has_test:
            parts.append(f"<span style='color:{_hex(TEST_COLOR[self._dark])}'>╍╍</span> test")
        if self._show_batches.isChecked():
            batch = mix(p.background, p.muted, _BATCH_STRENGTH)
            parts.append(f"<span style='color:{_hex(batch)}'>──</span> per batch")
        parts.append(f"<span style='color:{_hex(p.update)}'><b>│</b></span> now")
        self._key.setText(" &nbsp; ".join(parts))

    def _on_show_batches(self, on: bool) -> None:
        self._draw_batches()
        self._update_key()
        if not self._hovering:
            self._update_readout()

    def _loss_curves(self) -> tuple[pg.PlotDataItem, ...]:
        return (self._batch_curve, self._train_curve, self._test_curve)

    def _on_log(self, on: bool) -> None:
        # The axis goes to log mode for its 10ⁿ tick labels; the curves get log10 values we keep
        # ourselves, so their own log mapping stays off.
        self._loss_plot.setLogMode(x=False, y=on)
        for curve in self._loss_curves():
            curve.setLogMode(False, False)
        self._loss_plot.setLabel("left", "loss (log scale)" if on else "loss")
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
        for line in self._hover_lines:
            line.hide()
        self._update_readout()

    def _update_readout(self, at: float | None = None) -> None:
        """Values at epoch position `at`, or the latest values when None."""
        p = palette(self._dark)
        train_c, test_c, muted = _hex(TRAIN_COLOR[self._dark]), _hex(TEST_COLOR[self._dark]), _hex(p.muted)
        n_epochs = self._train.entries
        if n_epochs == 0 and self._batch.n == 0:
            self._readout.setText(
                f"<span style='color:{muted}'>No training yet: step or run to see the loss.</span>"
            )
            return
        if at is None:
            epoch = n_epochs
            point = self._batch.n - 1
        else:
            epoch = min(max(round(at), 1), n_epochs) if n_epochs else 0
            point = self._batch.nearest(at) if self._batch.n else -1
        classification = self._task == "classification"
        parts = []
        if epoch:
            i = epoch - 1
            parts.append(_group(None, f"after epoch {epoch}", bold=True))
            train = f"train: loss {_format(self._train.value_at(i))}"
            if classification and i < self._train_acc.entries:
                train += f", accuracy {_percent(self._train_acc.value_at(i))}"
            parts.append(_group(train_c, train))
            if i < self._test.entries and math.isfinite(self._test.value_at(i)):
                test = f"test: loss {_format(self._test.value_at(i))}"
                if classification and i < self._test_acc.entries:
                    test += f", accuracy {_percent(self._test_acc.value_at(i))}"
                parts.append(_group(test_c, test))
        if point >= 0 and self._show_batches.isChecked():
            batch = int(self._batch.at[point]) + 1
            parts.append(_group(muted, f"batch {batch:,}: loss {_format(self._batch.y_at(point))}"))
        self._readout.setText(" · ".join(parts))


def _group(color: str | None, text: str, bold: bool = False) -> str:
    """Rich text that wraps only between groups, never inside one ("batch 300: loss 0.38")."""
    body = text.replace(" ", "&nbsp;")
    if bold:
        body = f"<b>{body}</b>"
    return body if color is None else f"<span style='color:{color}'>{body}</span>"


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _percent(percent: float) -> str:
    return "—" if not math.isfinite(percent) else f"{percent:.1f}%"
