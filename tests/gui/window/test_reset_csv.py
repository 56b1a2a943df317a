"""Reset and Randomize on CSV data do not read the file again (issue 9: no file read on the GUI thread):
the run watched again uses the data set already in memory, so it is instant, and it still works when the
file was removed meanwhile."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core import spec_rules
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from tests.gui.window.test_background_jobs import import_through_the_dialog, write_small_csv


@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = mw.MainWindow(StudioController(load_preset("circle")), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _imported(window, qtbot, tmp_path, monkeypatch):
    """A CSV imported through the dialog, three epochs trained, then the file removed: reading it
    again (or building the data set from it) would now fail with an error dialog."""
    c = window.controller
    path = write_small_csv(tmp_path)
    with qtbot.waitSignal(c.project_replaced, timeout=20000):
        import_through_the_dialog(window, qtbot, path)
    first = [w.copy() for w in c.session_for_tests.weights]
    for _ in range(3):
        window.actions["epoch"].trigger()
    assert c.session_for_tests.step_count > 0
    path.unlink()
    spec_rules.forget_tables()  # nothing kept from the import: a read would really go to the disk
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    messages: list[tuple[str, str]] = []
    c.message.connect(lambda kind, text: messages.append((kind, text)))
    return c, first, messages


def test_reset_on_csv_data_keeps_the_rows_and_reads_nothing(window, qtbot, tmp_path, monkeypatch):
    c, first, messages = _imported(window, qtbot, tmp_path, monkeypatch)
    rows = c.view_state.dataset.x_train
    window.actions["reset"].trigger()
    assert c.job is None and not messages  # done at once, no worker, no error
    s = c.session_for_tests
    assert s.step_count == 0 and s.latest_step == 0
    for w, w0 in zip(s.weights, first, strict=True):
        np.testing.assert_array_equal(w, w0)  # the same seed's weights, as right after the import
    assert c.view_state.dataset.x_train is rows


def test_randomize_on_csv_data_draws_new_weights_on_the_same_rows(window, qtbot, tmp_path, monkeypatch):
    c, first, messages = _imported(window, qtbot, tmp_path, monkeypatch)
    rows = c.view_state.dataset.x_train
    window.actions["randomize"].trigger()
    assert c.job is None and not messages
    s = c.session_for_tests
    assert s.step_count == 0 and not np.array_equal(s.weights[0], first[0])
    assert c.view_state.dataset.x_train is rows
