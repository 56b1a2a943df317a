"""Starting the window: check that Qt can open one, then build the controller and the main window."""

from __future__ import annotations

import ctypes.util
import os
import sys

# Libraries Qt's xcb platform plugin loads; a bare Debian image lacked the first two.
XCB_LIBRARIES = {
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-image": "libxcb-image0",
}


def display_problem() -> str | None:
    """Why Qt could not open a window here, in words a person can act on, or None."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and platform not in ("xcb", "wayland"):
        return None  # offscreen, vnc, …: the user chose a platform deliberately
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return (
            "no display was found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open.\n"
            "Without a screen, use the command line: `python main.py train --preset circle`, "
            "`python main.py gradcheck --preset circle`, `python main.py info FILE`,\n"
            'or run the window on a virtual screen: xvfb-run -s "-screen 0 1600x1000x24" python main.py'
        )
    if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
        return None
    missing = [pkg for lib, pkg in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]
    if missing:
        return (
            f"Qt's xcb plugin needs system libraries that are missing: {', '.join(missing)}.\n"
            f"Install them with: sudo apt-get install {' '.join(missing)}"
        )
    return None


def run(file: str | None = None, preset: str | None = None) -> int:
    problem = display_problem()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    from backprop_studio.core.errors import StudioError
    from backprop_studio.core.project.fileformat import load_project
    from backprop_studio.core.project.presets_catalog import DEFAULT_PRESET, load_preset
    from backprop_studio.gui.controller.controller import StudioController
    from backprop_studio.gui.main_window import MainWindow
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Backprop Studio")
    app.setOrganizationName("BackpropStudio")
    try:
        project = load_project(file) if file else load_preset(preset or DEFAULT_PRESET)
        controller = StudioController(project)
    except StudioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    window = MainWindow(controller)
    window.show()
    return app.exec()
