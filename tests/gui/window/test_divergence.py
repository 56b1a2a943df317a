"""Divergence, driven as a person: a network with linear activations and a huge learning rate, Play or
Step through the real actions, and the dialog answered by clicking its buttons."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.training.session import initial_parameters
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.window.divergence import DivergenceDialog
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def diverging_project():
    project = load_preset("circle")
    layers = tuple(replace(layer, activation="linear") for layer in project.network.layers)
    network = replace(project.network, layers=layers)
    return replace(project, network=network, training=project.training.with_optimizer(learning_rate=10.0))


@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = mw.MainWindow(StudioController(diverging_project()), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def answer_with(button: str, seen: list) -> None:
    """When the divergence dialog is up, note its text and click `button` (an attribute of the dialog)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DivergenceDialog):
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog.text() + "\n" + dialog.informativeText())
        getattr(dialog, button).click()

    QTimer.singleShot(0, poll)


def play_until_diverged(window, qtbot, button: str) -> list:
    seen: list = []
    answer_with(button, seen)
    window.speed.setValue(len(mw.SPEEDS) - 1)
    window.actions["play"].trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    qtbot.waitUntil(lambda: not window.controller.playing, timeout=2000)
    return seen


def test_play_diverges_and_reset_in_the_dialog_restores_the_seeds_weights(window, qtbot):
    seen = play_until_diverged(window, qtbot, "reset_button")
    assert "contains" in seen[0] and "Reset" in seen[0]
    c = window.controller
    assert c.divergence is None and c.snapshot.step == 0
    # The same seed's weights, drawn independently of the window.
    project = diverging_project()
    weights, _ = initial_parameters(project.network, project.training.seed)
    for got, want in zip(c.snapshot.weights, weights, strict=True):
        np.testing.assert_array_equal(got, want)
    assert window.actions["step"].isEnabled() and window.actions["play"].isEnabled()


def test_back_to_the_start_of_this_epoch_lands_on_the_epoch_boundary(window, qtbot):
    play_until_diverged(window, qtbot, "close_button")
    c = window.controller
    diverged_at = c.snapshot.step
    per_epoch = c.view_state.steps_per_epoch
    seen: list = []
    answer_with("epoch_button", seen)
    # The dialog comes back on the next try: Step is disabled, so ask through a diverging Step batch
    # after seeking one phase back.
    window.actions["back"].trigger()
    window.actions["batch"].trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert c.divergence is None
    start = ((diverged_at - 1) // per_epoch) * per_epoch  # the epoch that contains the diverging phase
    assert c.snapshot.step == start
    assert window.actions["step"].isEnabled()


def test_while_diverged_step_and_play_are_disabled_with_a_reason_and_no_box_per_press(window, qtbot):
    play_until_diverged(window, qtbot, "close_button")
    c = window.controller
    step = c.snapshot.step
    for name in ("step", "play", "batch", "epoch", "forward"):
        action = window.actions[name]
        assert not action.isEnabled(), name
        assert "diverged" in action.toolTip(), name
    opened = []
    QTimer.singleShot(0, lambda: opened.append(QApplication.activeModalWidget()))
    qtbot.keyClick(window.canvas, Qt.Key.Key_Right)  # Step's shortcut
    window.actions["step"].trigger()
    qtbot.wait(50)
    assert opened == [None] and c.snapshot.step == step
    # Stepping back re-enables them, with their usual tooltip.
    window.actions["back"].trigger()
    assert window.actions["step"].isEnabled()
    assert "diverged" not in window.actions["step"].toolTip()


def test_a_learning_rate_change_on_the_diverged_step_says_it_was_not_applied(window, qtbot):
    play_until_diverged(window, qtbot, "close_button")
    texts: list = []

    def read_box() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or isinstance(box, DivergenceDialog):
            QTimer.singleShot(20, read_box)
            return
        texts.append(box.text())
        box.accept()

    QTimer.singleShot(0, read_box)
    field = window.panel.training_form.learning_rate
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "0.01")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(texts), timeout=5000)
    assert "not applied" in texts[0] and "diverged" in texts[0]
    assert window.controller.project.training.optimizer.learning_rate == 10.0
