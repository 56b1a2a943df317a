"""LossPlot: the loss curves follow the History, incrementally, with log scale, marker and hover readout."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import math
from dataclasses import replace

import numpy as np
import pytest
from backprop_studio.core.training.snapshot import History, Phase
from backprop_studio.gui.panels.loss_plot import LossPlot
from PySide6.QtCore import QPointF, Qt

from tests.snapshot_factory import make_snapshot


@pytest.fixture
def plot(qtbot):
    widget = LossPlot()
    widget.resize(500, 400)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def history(epochs: int, batches_per_epoch: int = 4, test: bool = True, accuracy: bool = False) -> History:
    train = tuple(1.0 / (e + 1) for e in range(epochs))
    test_loss = tuple(1.2 / (e + 1) for e in range(epochs)) if test else (math.nan,) * epochs
    acc = tuple(0.5 + 0.04 * e for e in range(epochs)) if accuracy else (math.nan,) * epochs
    batch = tuple(2.0 / (b + 2) for b in range(epochs * batches_per_epoch))
    return History(train, test_loss, acc, acc, batch)


def test_epoch_curves_hold_the_history_values_at_whole_epochs(plot):
    h = history(5)
    plot.set_history(h, 4)
    x, y = plot.curve_data("train")
    assert x.tolist() == [1, 2, 3, 4, 5]
    assert y.tolist() == list(h.train_loss)
    assert plot.curve_data("test")[1].tolist() == list(h.test_loss)


def test_each_batch_loss_is_plotted_where_its_batch_ends(plot):
    h = history(2, batches_per_epoch=4)
    plot.set_history(h, 4)
    x, y = plot.curve_data("batch")
    assert x.tolist() == [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    assert y.tolist() == list(h.batch_loss)


def test_a_growing_history_appends_to_the_curves(plot):
    plot.set_history(history(3), 4)
    longer = history(6)
    plot.set_history(longer, 4)
    assert plot.curve_data("train")[1].tolist() == list(longer.train_loss)
    assert plot.curve_data("batch")[1].tolist() == list(longer.batch_loss)
    assert plot.curve_data("batch")[0][-1] == 6.0


def test_stepping_back_shortens_the_curves(plot):
    plot.set_history(history(6), 4)
    shorter = history(2)
    plot.set_history(shorter, 4)
    assert plot.curve_data("train")[1].tolist() == list(shorter.train_loss)
    assert len(plot.curve_data("batch")[0]) == 8


def test_a_different_history_replaces_the_curves_entirely(plot):
    plot.set_history(history(4), 4)
    other = History((9.0, 8.0, 7.0, 6.0, 5.0), (9.5,) * 5, (), (), tuple(float(i) for i in range(20)))
    plot.set_history(other, 4)
    assert plot.curve_data("train")[1].tolist() == [9.0, 8.0, 7.0, 6.0, 5.0]
    assert plot.curve_data("batch")[1].tolist() == list(other.batch_loss)


def test_a_long_history_survives_many_buffer_doublings(plot):
    rng = np.random.default_rng(1)
    batch = tuple(rng.random(5000).tolist())
    for n in (10, 1000, 1025, 3000, 5000):
        plot.set_history(History(batch_loss=batch[:n]), 10)
    np.testing.assert_array_equal(plot.curve_data("batch")[1], np.array(batch))
    np.testing.assert_allclose(plot.curve_data("batch")[0], np.arange(1, 5001) / 10)


def test_log_toggle_puts_the_loss_axis_in_log_mode_with_log10_values(plot):
    plot.set_history(history(3), 4)
    assert not plot._loss_plot.getAxis("left").logMode
    plot.set_log_scale(True)
    assert plot._loss_plot.getAxis("left").logMode
    np.testing.assert_allclose(plot.curve_data("train")[1], np.log10(history(3).train_loss))
    plot.set_history(history(5), 4)  # appended points arrive already in log10
    np.testing.assert_allclose(plot.curve_data("train")[1], np.log10(history(5).train_loss))
    plot.set_log_scale(False)
    assert not plot._loss_plot.getAxis("left").logMode
    assert plot.curve_data("train")[1].tolist() == list(history(5).train_loss)


def test_the_log_checkbox_is_what_switches_the_scale(plot, qtbot):
    plot._log.click()
    assert plot.log_scale and plot._loss_plot.getAxis("left").logMode


def test_marker_moves_to_the_position_in_both_plots(plot):
    plot.set_task("classification")
    plot.set_history(history(5, accuracy=True), 4)
    plot.set_position(2.75)
    assert plot.position == 2.75
    assert all(m.value() == 2.75 and m.isVisible() for m in plot._live.markers)
    plot.set_position(4.0)
    assert all(m.value() == 4.0 for m in plot._live.markers)


def test_the_marker_of_a_snapshot_is_where_its_batch_loss_is_drawn(plot):
    # Epoch 2 (0-based 1) of 4 batches, after the update of batch 3: its batch loss is point 4 + 3.
    snapshot = replace(make_snapshot((2, 3, 1), 1, Phase("update")), epoch=1, batch=2, batches_per_epoch=4)
    plot.set_history(history(1, batches_per_epoch=4), 4)
    plot.show_position_of(snapshot)
    assert plot.position == pytest.approx(1 + 3 / 4)
    x, _ = plot.curve_data("batch")
    assert plot.position == pytest.approx(x[-1] + 3 / 4)  # three batches after the last recorded one


def test_accuracy_plot_shows_percent_for_classification_only(plot):
    plot.set_task("classification")
    plot.set_history(history(3, accuracy=True), 4)
    assert plot._acc_widget.isVisible()
    assert plot.curve_data("train_accuracy")[1].tolist() == pytest.approx([50.0, 54.0, 58.0])
    plot.set_task("regression")
    assert not plot._acc_widget.isVisible()


def test_hiding_per_batch_loss_empties_its_curve_and_showing_restores_it(plot):
    h = history(2)
    plot.set_history(h, 4)
    plot.set_batches_shown(False)
    assert len(plot.curve_data("batch")[0]) == 0
    plot.set_history(history(3), 4)  # stays hidden while new batches arrive
    assert len(plot.curve_data("batch")[0]) == 0
    plot.set_batches_shown(True)
    assert plot.curve_data("batch")[1].tolist() == list(history(3).batch_loss)


def test_an_empty_test_set_leaves_the_test_curve_and_its_key_out(plot):
    plot.set_history(history(3, test=False), 4)
    assert len(plot.curve_data("test")[0]) == 0
    assert "test" not in plot._key.text()
    plot.set_history(history(3), 4)
    assert "test" in plot._key.text()


def test_readout_shows_the_latest_values_when_not_hovering(plot):
    plot.set_task("classification")
    plot.set_history(history(4, accuracy=True), 4)
    text = plot.readout_text()
    assert "epoch&nbsp;4" in text
    assert "loss&nbsp;0.25" in text and "accuracy&nbsp;62.0%" in text
    assert "batch&nbsp;16" in text


def test_hovering_reads_the_nearest_epoch_and_batch(plot):
    plot.set_history(history(4), 4)
    plot.show_values_at(2.2)
    text = plot.readout_text()
    assert "epoch&nbsp;2" in text and "loss&nbsp;0.5" in text and "loss&nbsp;0.6" in text
    assert "batch&nbsp;9:" in text  # batch 9 ends at epoch 2.25, the nearest to 2.2


def test_mouse_moves_over_the_plot_update_the_readout(plot, qtbot):
    plot.set_history(history(6), 4)
    plot._loss_plot.getViewBox().setRange(xRange=(0, 6), yRange=(0, 1), padding=0)
    scene_pos = plot._loss_plot.getViewBox().mapViewToScene(QPointF(3.1, 0.5))
    plot._loss_widget.scene().sigMouseMoved.emit(scene_pos)
    assert "epoch&nbsp;3" in plot.readout_text()
    assert plot._live.hover_lines[0].isVisible()
    plot._loss_widget.scene().sigMouseMoved.emit(QPointF(-100, -100))
    assert "epoch&nbsp;6" in plot.readout_text()
    assert not plot._live.hover_lines[0].isVisible()


def test_clear_empties_every_curve_and_hides_the_marker(plot):
    plot.set_history(history(3), 4)
    plot.set_position(1.5)
    plot.clear()
    for name in ("train", "test", "batch", "train_accuracy", "test_accuracy"):
        assert len(plot.curve_data(name)[0]) == 0
    assert not any(m.isVisible() for m in plot._live.markers)
    assert "No training yet" in plot.readout_text()
    plot.set_history(history(2), 4)  # and it fills again from scratch
    assert plot.curve_data("train")[1].tolist() == list(history(2).train_loss)


def test_dark_palette_changes_the_background(plot):
    light = plot._loss_widget.backgroundBrush().color().lightness()
    plot.set_dark(True)
    assert plot._loss_widget.backgroundBrush().color().lightness() < light


def x_range(plot: LossPlot) -> tuple[float, float]:
    return tuple(plot._loss_plot.getViewBox().viewRange()[0])


def test_epoch_axis_follows_the_run_with_some_room_ahead(plot):
    plot.set_history(history(30), 4)
    left, right = x_range(plot)
    assert left == 0.0 and 30.0 < right <= 30.0 * 1.15 + 1e-9
    plot.set_history(history(31), 4)  # a small step keeps the axis still
    assert x_range(plot)[1] == right
    plot.set_history(history(60), 4)
    assert x_range(plot)[1] > 60.0


def test_zooming_stops_following_until_show_all_is_clicked(plot, qtbot):
    plot.set_history(history(20), 4)
    vb = plot._loss_plot.getViewBox()
    vb.setXRange(5, 10, padding=0)
    vb.sigRangeChangedManually.emit(vb.state["mouseEnabled"])  # what a wheel or drag reports
    assert plot._show_all.isVisible()
    plot.set_history(history(40), 4)
    assert x_range(plot) == pytest.approx((5.0, 10.0))
    qtbot.mouseClick(plot._show_all, Qt.MouseButton.LeftButton)
    assert not plot._show_all.isVisible()
    assert x_range(plot)[0] == 0.0 and x_range(plot)[1] > 40.0


def noisy(n: int) -> np.ndarray:
    rng = np.random.default_rng(1)
    return 0.1 + np.exp(-np.arange(n) / (n / 4)) * (1 + 0.5 * rng.standard_normal(n)) ** 2


def test_a_long_run_hands_pyqtgraph_a_bounded_envelope_that_keeps_every_extreme(plot):
    """Issue 9, 3: the cost of a refresh must not grow with the run, so the curve gets at most
    MAX_DRAWN points, yet the lowest and highest batch losses still show."""
    from backprop_studio.gui.panels.loss_series import MAX_DRAWN

    batch = noisy(300_000)
    plot.set_history(History(batch_loss=batch), 100)
    x, y = plot.drawn_data("batch")
    assert 0 < len(x) <= MAX_DRAWN
    assert y.min() == batch.min() and y.max() == batch.max()
    assert x[0] <= 0.01 and x[-1] >= 2990.0  # the whole run, from its first batch to its last
    # Growing by a few batches keeps the bound, and the full-resolution data is still there.
    plot.set_history(History(batch_loss=np.append(batch, [50.0, 0.001])), 100)
    x, y = plot.drawn_data("batch")
    assert len(x) <= MAX_DRAWN and y.max() == 50.0 and y.min() == 0.001
    assert len(plot.curve_data("batch")[1]) == 300_002


def test_zooming_in_draws_the_visible_batches_one_by_one(plot, qtbot):
    batch = noisy(200_000)
    plot.set_history(History(batch_loss=batch), 100)
    vb = plot._loss_plot.getViewBox()
    vb.setXRange(1000.0, 1005.0, padding=0)
    x, y = plot.drawn_data("batch")
    inside = (x >= 1000.0) & (x <= 1005.0)
    assert inside.sum() == 501  # batches 100,000 … 100,500 end in [1000, 1005]
    np.testing.assert_array_equal(y[inside], batch[99_999:100_500])


def test_merged_old_batches_are_drawn_at_their_own_batches():
    """A history over its memory budget keeps old batches' min and max at their own entries."""
    from backprop_studio.core.training.series import Series

    widget = LossPlot()
    at = np.array([1, 3, 4, 5, 6, 7])
    widget.set_history(History(batch_loss=Series([0.5, 0.9, 0.4, 0.3, 0.35, 0.2], at)), 4)
    x, y = widget.curve_data("batch")
    assert x.tolist() == [0.5, 1.0, 1.25, 1.5, 1.75, 2.0]
    assert y.tolist() == [0.5, 0.9, 0.4, 0.3, 0.35, 0.2]
    widget.show_values_at(1.0)
    assert "batch&nbsp;4:&nbsp;loss&nbsp;0.9" in widget.readout_text()


def test_in_a_first_launch_column_the_key_keeps_room_for_the_test_entry(qtbot):
    # In a column as narrow as the panel allowed at the first launch, "│ now" ran into "☑ batches": no
    # gap between them, and no room for the test entry the key gains after the first epoch.
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    holder = QWidget()
    widget = LossPlot()
    QVBoxLayout(holder).addWidget(widget)
    qtbot.addWidget(holder)
    widget.set_task("classification")
    holder.setFixedSize(400, 420)  # the data-and-loss column of the first launch, before any test loss
    holder.show()
    qtbot.waitExposed(holder)
    widget.set_history(history(2, test=True, accuracy=True), 4)
    qtbot.wait(20)
    key, batches = widget._key, widget._show_batches
    assert "test" in key.text()
    text = QTextDocument()  # the key's text as drawn: its width, however stale the label's size hint
    text.setDefaultFont(key.font())
    text.setDocumentMargin(0)
    text.setHtml(key.text())
    assert key.width() >= text.idealWidth(), "the key's text is wider than its label"
    assert batches.geometry().left() - key.geometry().right() >= 6, "the key runs into the checkbox"
