"""One window per test module for the teaching tests (building one takes seconds); `window` resets it."""

from __future__ import annotations

import pytest

from tests.gui import test_main_window

shared_window = test_main_window.shared_window  # the module-scoped window the main window tests use


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
