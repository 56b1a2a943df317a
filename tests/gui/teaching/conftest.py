"""One window per test module for the teaching tests (building one takes seconds); `window` resets it."""

from __future__ import annotations

import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from PySide6.QtCore import QSettings


@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory):
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("settings"))
    )
    win = mw.MainWindow(StudioController(load_preset("circle")), theme_name="light")
    win.resize(1440, 900)
    win.show()
    yield win
    win.controller.pause()
    win.confirm_discard = lambda doing: True
    win.close()
    win.deleteLater()


@pytest.fixture
def window(shared_window, qtbot):
    win = shared_window
    win.confirm_discard = lambda doing: True
    for name in ("quiz", "presentation"):
        if win.actions[name].isChecked():
            win.actions[name].trigger()
    win.actions["batch_mean"].setChecked(False)
    assert win.controller.open_preset("circle")  # step 0, nothing selected
    qtbot.waitExposed(win)
    yield win
    win.controller.pause()
