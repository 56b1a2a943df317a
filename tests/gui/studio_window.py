"""A real main window on a given project, for tests that need one with their own project."""

from __future__ import annotations

from backprop_studio.core.project.project import Project
from backprop_studio.gui import main_window as mw
from backprop_studio.gui.controller.controller import StudioController


def studio_window(qtbot, project: Project) -> mw.MainWindow:
    """Shown at 1440×900 in the light theme; closing it never waits on the unsaved-changes prompt."""
    win = mw.MainWindow(StudioController(project), theme_name="light")
    win.confirm_discard = lambda doing: True
    qtbot.addWidget(win)
    win.resize(1440, 900)
    win.show()
    qtbot.waitExposed(win)
    return win
