"""Compare runs in the window: pin the current run with the loss plot's button or View → Pin this run,
or load another project's history with File → Compare with project…; its curves overlay the loss plot
with a legend naming the settings that differ; five at most; removable; saved with the project."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.project.fileformat import load_project, save_project
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import capture_project, open_session
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.gui.debugger.ui import menu_action
from tests.gui.studio_window import studio_window


@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = studio_window(qtbot, load_preset("circle"))
    yield win
    win.controller.pause()


def _train_epochs(window, n: int) -> None:
    for _ in range(n):
        window.actions["epoch"].trigger()


def _set_learning_rate(window, qtbot, text: str) -> None:
    box = window.panel.training_form.learning_rate
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Enter)
    qtbot.waitUntil(
        lambda: window.controller.session_for_tests.training.optimizer.learning_rate == float(text)
    )


def test_the_pin_button_overlays_the_run_as_it_was_and_training_goes_on(window, qtbot):
    _train_epochs(window, 3)
    history = window.controller.session_for_tests.history()
    train, test = np.array(history.train_loss), np.array(history.test_loss)
    qtbot.mouseClick(window.loss_plot.pin_button, Qt.MouseButton.LeftButton)

    _train_epochs(window, 4)  # train on: the pinned curves stay as they were
    overlay = window.loss_plot.pinned
    x, y = overlay.curve_data(0, "train")
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(y, train)
    np.testing.assert_array_equal(overlay.curve_data(0, "test")[1], test)
    assert len(window.loss_plot.curve_data("train")[0]) == 7  # the live run went on
    assert overlay.legend_texts() == ["run 1 · 3 epochs: same settings"]
    assert overlay.isVisible()

    # Hovering over epoch 2 reads the pinned run's values there too.
    window.loss_plot.show_values_at(2.0)
    assert (
        f"run&nbsp;1:&nbsp;train&nbsp;{train[1]:.4g},&nbsp;test&nbsp;{test[1]:.4g}"
        in window.loss_plot.readout_text()
    )

    _set_learning_rate(window, qtbot, "0.3")
    assert overlay.legend_texts() == ["run 1 · 3 epochs: lr 0.03 vs 0.3"]


def test_the_view_menu_action_pins_and_the_cross_removes(window, qtbot):
    _train_epochs(window, 2)
    action = menu_action(window, "View", "Pin this run")
    action.trigger()
    _train_epochs(window, 1)
    action.trigger()
    overlay = window.loss_plot.pinned
    assert overlay.legend_texts() == ["run 1 · 2 epochs: same settings", "run 2 · 3 epochs: same settings"]
    assert window.controller.dirty

    qtbot.mouseClick(overlay.remove_buttons[0], Qt.MouseButton.LeftButton)
    assert overlay.legend_texts() == ["run 2 · 3 epochs: same settings"]
    assert len(overlay.curve_data(0, "train")[0]) == 3


def test_a_sixth_run_is_refused_with_a_message(window, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    _train_epochs(window, 1)
    for _ in range(5):
        qtbot.mouseClick(window.loss_plot.pin_button, Qt.MouseButton.LeftButton)
    assert shown == []
    qtbot.mouseClick(window.loss_plot.pin_button, Qt.MouseButton.LeftButton)
    assert len(window.loss_plot.pinned.runs) == 5
    assert shown == [
        "Cannot pin the run: 5 runs are pinned already, the most the loss plot compares: remove one "
        "(its × in the loss plot's legend) before pinning another."
    ]


def test_pinning_before_any_epoch_says_why(window, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    qtbot.mouseClick(window.loss_plot.pin_button, Qt.MouseButton.LeftButton)
    assert shown == ["Cannot pin the run: there is no run to pin yet: train at least one epoch first."]
    assert window.loss_plot.pinned.runs == ()


def test_pinned_runs_are_saved_and_restored_on_open(window, qtbot, tmp_path):
    _train_epochs(window, 2)
    qtbot.mouseClick(window.loss_plot.pin_button, Qt.MouseButton.LeftButton)
    pinned = window.loss_plot.pinned.curve_data(0, "train")
    path = tmp_path / "pinned.json"
    assert window.controller.save(str(path))

    again = studio_window(qtbot, load_project(path))
    overlay = again.loss_plot.pinned
    assert overlay.legend_texts() == ["run 1 · 2 epochs: same settings"]
    for got, want in zip(overlay.curve_data(0, "train"), pinned, strict=True):
        np.testing.assert_array_equal(got, want)
    again.controller.pause()


def test_compare_with_project_overlays_that_files_history(window, qtbot, tmp_path, monkeypatch):
    other = load_preset("circle")
    other = other.__class__(
        **{**other.__dict__, "training": other.training.with_optimizer(learning_rate=0.3)}
    )
    session = open_session(other)
    session.run_epochs(4)
    trained = capture_project(session, other)
    path = tmp_path / "fast.json"
    save_project(trained, path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))

    menu_action(window, "File", "Compare with project…").trigger()  # read on a worker thread

    overlay = window.loss_plot.pinned
    qtbot.waitUntil(lambda: len(overlay.runs) == 1)
    label = f"{trained.name} · 4 epochs"
    assert overlay.legend_texts() == [f"{label}: lr 0.3 vs 0.03"]
    np.testing.assert_array_equal(overlay.curve_data(0, "train")[1], np.array(trained.history.train_loss))
    np.testing.assert_array_equal(overlay.curve_data(0, "train")[0], [1.0, 2.0, 3.0, 4.0])


def test_a_broken_file_to_compare_with_is_one_message_and_changes_nothing(
    window, qtbot, tmp_path, monkeypatch
):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    path = tmp_path / "broken.json"
    path.write_text('{"format": "backprop-studio", "version": 1, "network": 3}')
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    menu_action(window, "File", "Compare with project…").trigger()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown[0].startswith(f"Could not compare with {path}") and "network" in shown[0]
    assert window.loss_plot.pinned.runs == () and not window.controller.dirty


def test_training_on_never_redraws_the_pinned_curves(window, qtbot, monkeypatch):
    _train_epochs(window, 2)
    for _ in range(3):
        qtbot.mouseClick(window.loss_plot.pin_button, Qt.MouseButton.LeftButton)
    calls = []
    for pair in window.loss_plot.pinned._curves:
        for curve in pair:
            monkeypatch.setattr(curve, "setData", lambda *a, **k: calls.append(1))
    window.actions["play"].trigger()
    qtbot.waitUntil(lambda: window.controller.session_for_tests.epochs_completed >= 4, timeout=20000)
    window.actions["play"].trigger()
    _train_epochs(window, 2)
    assert calls == []


def test_a_project_without_history_cannot_be_compared_with(window, qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    path = tmp_path / "untrained.json"
    save_project(load_preset("xor"), path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    menu_action(window, "File", "Compare with project…").trigger()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown == [f"Cannot compare: {path} has no recorded history to compare with: train it first."]
    assert window.loss_plot.pinned.runs == ()
