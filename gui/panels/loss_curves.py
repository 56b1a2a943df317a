"""The loss plot's live curves: train and test loss and accuracy per epoch, the loss per batch, the "now"
markers and the hover lines, with the `Track` each curve draws from (`loss_series`).

`sync` converts only what a History added since the last call; `draw_*` hand a curve only the visible
stretch of its track (at most `MAX_DRAWN` points). Colors follow the theme (`style`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from backprop_studio.core.training.snapshot import History
from backprop_studio.gui.panels.loss_axes import CURVE_OPTIONS
from backprop_studio.gui.panels.loss_series import MAX_DRAWN_EPOCHS, Track
from backprop_studio.gui.panels.loss_text import BATCH_STRENGTH
from backprop_studio.gui.style.colors import TEST_COLOR, TRAIN_COLOR, mix, palette, qcolor
from PySide6.QtCore import Qt

_MAX_EPOCH_SYMBOLS = 40
NAMES = ("train", "test", "batch", "train_accuracy", "test_accuracy")


class LiveCurves:
    """The current run's curves on the loss plot `loss` and the accuracy plot `acc`."""

    def __init__(self, loss: pg.PlotItem, acc: pg.PlotItem) -> None:
        self._loss_plot = loss
        self.log = False
        self.batches_shown = True
        self.tracks = {
            "train": Track(max_drawn=MAX_DRAWN_EPOCHS),
            "test": Track(max_drawn=MAX_DRAWN_EPOCHS),
            "batch": Track(),
            # Accuracy is a fraction in core; percent reads better.
            "train_accuracy": Track(scale=100.0, max_drawn=MAX_DRAWN_EPOCHS),
            "test_accuracy": Track(scale=100.0, max_drawn=MAX_DRAWN_EPOCHS),
        }
        # Creation order is drawing order: the noisy batch curve goes underneath the epoch curves.
        self.curves = {name: loss.plot(**CURVE_OPTIONS) for name in ("batch", "train", "test")}
        self.curves.update({name: acc.plot(**CURVE_OPTIONS) for name in ("train_accuracy", "test_accuracy")})
        self._epoch_symbols = False
        self.has_test = True
        self.markers, self.hover_lines = [], []
        for plot in (loss, acc):
            marker = pg.InfiniteLine(angle=90, movable=False)
            marker.setZValue(20)
            plot.addItem(marker, ignoreBounds=True)
            marker.hide()
            self.markers.append(marker)
            hover = pg.InfiniteLine(angle=90, movable=False)
            hover.setZValue(19)
            plot.addItem(hover, ignoreBounds=True)
            hover.hide()
            self.hover_lines.append(hover)

    def sync(self, history: History, batches_per_epoch: int) -> tuple[bool, bool]:
        """Follow `history`; returns whether (the batches, the epochs) changed."""
        bpe = max(1, int(batches_per_epoch))
        epochs_changed = False
        for name in ("train", "test", "train_accuracy", "test_accuracy"):
            track = self.tracks[name]
            before = track.n
            keep = track.sync(getattr(history, name if "accuracy" in name else f"{name}_loss"), 1.0, 0.0)
            epochs_changed |= keep != before or track.n != before  # epoch e (0-based) at e + 1
        batch = self.tracks["batch"]
        before = batch.n
        keep = batch.sync(history.batch_loss, 1.0 / bpe, 0.0)  # where each batch ends
        return keep != before or batch.n != before, epochs_changed

    def style(self, dark: bool) -> None:
        p = palette(dark)
        background = qcolor(p.background)
        train, test = TRAIN_COLOR[dark], TEST_COLOR[dark]
        train_pen = pg.mkPen(qcolor(train), width=2)
        test_pen = pg.mkPen(qcolor(test), width=2, style=Qt.PenStyle.DashLine)
        # Test symbols are hollow, echoing the data view's hollow test points.
        for name, pen, rgb, fill in (
            ("train", train_pen, train, qcolor(train)),
            ("test", test_pen, test, background),
            ("train_accuracy", train_pen, train, qcolor(train)),
            ("test_accuracy", test_pen, test, background),
        ):
            self.curves[name].setPen(pen)
            self.curves[name].setSymbolPen(pg.mkPen(qcolor(rgb), width=1.5))
            self.curves[name].setSymbolBrush(pg.mkBrush(fill))
        self.curves["batch"].setPen(pg.mkPen(qcolor(mix(p.background, p.muted, BATCH_STRENGTH)), width=1))
        for marker in self.markers:
            marker.setPen(pg.mkPen(qcolor(p.update), width=2))
        for line in self.hover_lines:
            line.setPen(pg.mkPen(qcolor(p.muted), width=1, style=Qt.PenStyle.DotLine))

    def clear(self) -> None:
        for track in self.tracks.values():
            track.clear()
        for marker in self.markers:
            marker.hide()
        for curve in self.curves.values():
            curve.setData([], [])

    def log_applies(self, name: str) -> bool:
        return self.log and name in ("batch", "train", "test")

    def full_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of curve `name` at full resolution (empty when hidden or without a finite value)."""
        x, _ = self.curves[name].getOriginalDataset()
        if x is None or len(x) == 0:
            return np.empty(0), np.empty(0)
        track = self.tracks[name]
        return track.positions().copy(), track.values(self.log_applies(name)).copy()

    def _draw(self, name: str) -> None:
        """Hand curve `name` the visible stretch of its track (downsampled to its envelope when long)."""
        x0, x1 = self._loss_plot.getViewBox().viewRange()[0]
        self.curves[name].setData(*self.tracks[name].drawn(x0, x1, self.log_applies(name)))

    def draw_batches(self) -> None:
        if self.batches_shown:
            self._draw("batch")
        else:
            self.curves["batch"].setData([], [])

    def draw_epochs(self) -> bool:
        """Draw the per-epoch curves; returns whether having a test curve changed (the key then changes)."""
        # Mark each epoch while there are few, so even a single epoch shows; many markers would only
        # thicken the line and cost a symbol each.
        symbols = self.tracks["train"].n <= _MAX_EPOCH_SYMBOLS
        epoch_names = ("train", "test", "train_accuracy", "test_accuracy")
        if symbols != self._epoch_symbols:
            self._epoch_symbols = symbols
            for name in epoch_names:
                self.curves[name].setSymbol("o" if symbols else None)
                self.curves[name].setSymbolSize(5)
        # All-NaN series (no test set; accuracy of a regression) are left empty: pyqtgraph cannot bound them.
        for name in epoch_names:
            if self.tracks[name].any_finite:
                self._draw(name)
            else:
                self.curves[name].setData([], [])
        has_test = self.tracks["test"].any_finite
        changed, self.has_test = has_test != self.has_test, has_test
        return changed
