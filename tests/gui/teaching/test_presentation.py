"""Presentation mode: full screen with large narration, only clicker keys, B blanks, Esc restores all."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar


def test_presentation_mode_shows_the_canvas_full_screen_and_answers_only_clicker_keys(window, qtbot):
    docks_before = {name for name, dock in window.docks.items() if dock.isVisible()}
    action = window.actions["presentation"]
    assert action.shortcut().toString() == "F5"
    view = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View")
    assert action in view.actions()
    action.trigger()
    qtbot.waitUntil(lambda: window.isFullScreen())
    assert not any(dock.isVisible() for dock in window.docks.values())
    assert not any(bar.isVisible() for bar in window.findChildren(QToolBar))
    assert not window.menuBar().isVisible()
    assert window.teaching.narration.isVisible() and window.canvas.isVisible()
    assert window.teaching.narration.pixel_size() >= 28
    assert (
        "font-size: " + str(window.teaching.narration.pixel_size()) + "px"
        in window.teaching.narration.styleSheet()
    )

    s = window.controller.session_for_tests
    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert s.step_count == 2
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    assert s.step_count == 1
    qtbot.keyClick(window, Qt.Key.Key_F)  # "Forward pass" outside presentation mode: nothing here
    assert s.step_count == 1

    qtbot.keyClick(window, Qt.Key.Key_B)
    blank = window.teaching.presentation.blank
    assert blank.isVisible() and blank.geometry() == window.rect()
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert not blank.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not action.isChecked()
    assert {name for name, dock in window.docks.items() if dock.isVisible()} == docks_before
    assert window.menuBar().isVisible() and window.teaching.narration.pixel_size() is None
    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F)  # the usual shortcuts are back
    assert s.snapshot().phase.kind == "loss"


@pytest.mark.parametrize(("height", "pixels"), [(720, 28), (1080, 30), (2160, 60)])
def test_narration_is_at_least_28_pixels_and_grows_with_the_screen(height, pixels):
    from backprop_studio.gui.teaching.presentation import narration_pixels

    assert narration_pixels(height) == pixels
