"""A real main window for the debugging panels' tests, with settings kept out of the user's own."""

from __future__ import annotations

import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController
from PySide6.QtCore import QSettings


@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    controller = StudioController(load_preset("circle"))
    win = mw.MainWindow(controller, theme_name="light")
    # pytest-qt closes the window after each test: that must not wait on the unsaved-changes prompt.
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.resize(1440, 900)
    win.show()
    qtbot.waitExposed(win)
    yield win
    controller.pause()
