"""Train → Memory for stepping back…: the memory budget typed into the dialog applies to the live session
(history trimmed to it, position and parameters kept), is kept between launches, and applies to the
sessions that follow (issue 9)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from PySide6.QtCore import QSettings, Qt

MB = 2**20


@pytest.fixture
def settings_folder(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    return tmp_path


def open_window(qtbot, project=None):
    win = mw.MainWindow(StudioController(project or load_preset("circle")), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def type_budget(window, qtbot, text: str) -> None:
    """Train → Memory for stepping back…, select the number, type `text`, press Enter."""
    train = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Train")
    action = next(a for a in train.actions() if a.text() == "Memory for stepping back…")
    action.trigger()
    dialog = window.memory_dialog
    qtbot.waitExposed(dialog)
    field = dialog.field
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_typing_a_smaller_budget_trims_the_history_of_the_live_session(settings_folder, qtbot):
    p = load_preset("circle")
    win = open_window(qtbot, replace(p, training=replace(p.training, batch_size=1)))
    c = win.controller
    session = c.session_for_tests
    session.run_epochs(400)  # 40,000 batches: checkpoints and losses of a few MB
    assert session.history_bytes > 1 * MB and session.memory_budget == 256 * MB
    step, weights = session.step_count, [w.copy() for w in session.weights]
    losses = np.array(session.history().batch_loss.values)
    type_budget(win, qtbot, "1")
    assert c.session_for_tests is session  # the same run, not a new one
    assert session.memory_budget == 1 * MB and session.history_bytes <= 1 * MB
    assert session.step_count == step and session.earliest_step > 0
    for w, w0 in zip(session.weights, weights, strict=True):
        np.testing.assert_array_equal(w, w0)
    h = session.history().batch_loss
    assert h.compacted and h.entries == len(losses) == 40_000
    # The recent losses are exact; the envelope of the merged ones is kept.
    np.testing.assert_array_equal(h.values[-100:], losses[-100:])
    assert h.values.min() == losses.min() and h.values.max() == losses.max()
    assert c.view_state.earliest_step == session.earliest_step  # the timeline was told
    assert QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "BackpropStudio", "Backprop Studio"
    ).value("history/memory_budget_mb") in (1, "1")


def test_the_budget_is_kept_for_the_next_launch_and_the_next_session(settings_folder, qtbot):
    win = open_window(qtbot)
    type_budget(win, qtbot, "3")
    assert win.controller.session_for_tests.memory_budget == 3 * MB
    win.actions["reset"].trigger()  # a new session keeps the window's budget
    assert win.controller.session_for_tests.memory_budget == 3 * MB
    win.close()
    again = open_window(qtbot)
    assert again.controller.memory_budget == 3 * MB
    assert again.controller.session_for_tests.memory_budget == 3 * MB


def test_the_dialog_shows_the_budget_and_what_is_kept_and_cancel_changes_nothing(settings_folder, qtbot):
    win = open_window(qtbot)
    win.actions["memory"].trigger()
    dialog = win.memory_dialog
    qtbot.waitExposed(dialog)
    assert dialog.field.text() == "256 MB"
    qtbot.keyClicks(dialog.field, "9")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)
    assert win.controller.session_for_tests.memory_budget == 256 * MB
