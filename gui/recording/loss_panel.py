"""The loss panel of a video frame: the per-epoch train and test loss, each batch's loss in gray, and a
dotted line where training is now. Colors are the window's loss plot's (gui/style/colors.py).

Each point is drawn at its own epoch or batch number (`Series.at`): once the memory budget merged old
points, point i is no longer entry i, and counting them would squeeze the old stretch to the left."""

from __future__ import annotations

import math

import numpy as np
from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.display.position import epochs_done
from backprop_studio.core.training.series import Series
from backprop_studio.core.training.snapshot import History, Snapshot
from backprop_studio.gui.recording import chart
from backprop_studio.gui.recording import plot_kit as kit
from backprop_studio.gui.recording.plot_kit import LegendItem, Scale
from backprop_studio.gui.style.colors import TEST_COLOR, TRAIN_COLOR, Palette, mix, qcolor
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen

_BATCH_STRENGTH = 0.6  # the batch curve's gray: the muted text color this far from the background


def _note(train: np.ndarray, test: np.ndarray, batch: np.ndarray) -> str:
    """The heading's latest values: the last epoch's losses, else the last batch's."""
    if len(train) and math.isfinite(train[-1]):
        note = f"train {format_number(float(train[-1]))}"
        if len(test) and math.isfinite(test[-1]):
            note += f" · test {format_number(float(test[-1]))}"
        return note
    return f"last batch {format_number(float(batch[-1]))}" if len(batch) else ""


def epoch_x(series: Series) -> np.ndarray:
    """x of each point of a per-epoch series: the epoch it ends (1 for the first)."""
    return series.at + 1.0


def batch_x(series: Series, batches_per_epoch: int) -> np.ndarray:
    """x of each batch loss, in epochs: batch b (0-based) ends at (b + 1) / batches per epoch."""
    return (series.at + 1.0) / max(batches_per_epoch, 1)


class LossPanel:
    """Paints the loss panel of frames of one size and theme. A History's series are read-only views
    (no copies), so a frame costs the same at batch 100 and at batch 1,000,000 before decimation."""

    def __init__(self, unit: float, dark: bool) -> None:
        self.unit = unit
        self.dark = dark

    def paint(
        self, painter: QPainter, rect: QRectF, snapshot: Snapshot, history: History, pal: Palette
    ) -> None:
        u = self.unit
        train, test, batch = history.train_loss.values, history.test_loss.values, history.batch_loss.values
        inner = chart.panel(painter, rect, "Loss", _note(train, test, batch), pal, u)
        gray = mix(pal.background, pal.muted, _BATCH_STRENGTH)
        items: list[LegendItem] = [("line", TRAIN_COLOR[self.dark], "train")]
        if np.isfinite(test).any():
            items.append(("dash", TEST_COLOR[self.dark], "test"))
        items += [("line", gray, "each batch"), ("now", pal.text, f"now: epoch {snapshot.epoch + 1}")]
        area = chart.legend(painter, inner, items, pal, u)

        now = epochs_done(snapshot)
        x_batch = batch_x(history.batch_loss, snapshot.batches_per_epoch)
        x_train, x_test = epoch_x(history.train_loss), epoch_x(history.test_loss)
        xmax = max(
            now, float(x_train[-1]) if len(x_train) else 0.0, x_batch[-1] if len(x_batch) else 0.0, 1.0
        )
        visible = [a[np.isfinite(a)] for a in (train, test, batch) if len(a)]
        values = np.concatenate(visible) if visible else np.zeros(0)
        ymax = float(values.max()) * 1.08 if len(values) and values.max() > 0 else 1.0
        ymin = min(0.0, float(values.min())) if len(values) else 0.0
        scale = chart.axes(painter, area, (0.0, xmax), (ymin, ymax), pal, ("epoch", "loss"), u, max_x_ticks=6)
        plot = scale.plot
        painter.save()
        painter.setClipRect(plot.adjusted(-4 * u, -4 * u, 4 * u, 4 * u))
        self._paint_batches(painter, scale, x_batch, batch, gray)
        for xs, series, rgb, style in (
            (x_test, test, TEST_COLOR[self.dark], Qt.PenStyle.DashLine),
            (x_train, train, TRAIN_COLOR[self.dark], Qt.PenStyle.SolidLine),
        ):
            self._paint_epochs(painter, scale, xs, series, rgb, style)
        # Where training is now: a vertical line labelled with the epoch.
        painter.setPen(QPen(qcolor(pal.text, 150), 1.6 * u, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(scale.x(now), plot.top()), QPointF(scale.x(now), plot.bottom()))
        painter.restore()
        chart.frame_plot(painter, plot, pal, u)

    def _paint_batches(
        self, painter: QPainter, scale: Scale, xs: np.ndarray, batch: np.ndarray, gray
    ) -> None:
        if not len(batch):
            return
        u = self.unit
        painter.setPen(kit.round_pen(gray, 1.3 * u))
        kit.polyline(painter, scale, *kit.decimate(xs, batch, int(scale.plot.width())))
        if len(batch) <= 40:  # a few batches make no line yet: show each as a dot
            painter.setPen(kit.round_pen(gray, 5 * u))
            keep = np.isfinite(batch)
            kit.draw_points(painter, scale.points(np.stack([xs[keep], batch[keep]], 1)))

    def _paint_epochs(
        self, painter: QPainter, scale: Scale, xs: np.ndarray, series: np.ndarray, rgb, style: Qt.PenStyle
    ) -> None:
        if not len(series):
            return
        u = self.unit
        pen = kit.round_pen(rgb, 3.0 * u)
        pen.setStyle(style)
        painter.setPen(pen)
        kit.polyline(painter, scale, *kit.decimate(xs, series, int(scale.plot.width())))
        if len(series) <= 60:
            painter.setPen(kit.round_pen(rgb, 7 * u))
            keep = np.isfinite(series)
            kit.draw_points(painter, scale.points(np.stack([xs[keep], series[keep]], 1)))
