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


def run(file: str | None = None, preset: str | None = None, lesson: str | None = None) -> int:
    """Open the window on a project file, a preset, or a lesson (`lesson`: a built-in lesson's name or a
    lesson file; a lesson file given as `file` is recognized too). Anything that cannot be opened is one
    line on stderr and exit code 2, before any window appears."""
    problem = display_problem()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    from backprop_studio.core.display.text import printable
    from backprop_studio.core.errors import StudioError
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Backprop Studio")
    app.setOrganizationName("BackpropStudio")
    try:
        window = open_window(file, preset, lesson)
    except StudioError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 2
    window.show()
    return app.exec()


def open_window(file: str | None, preset: str | None, lesson: str | None = None):
    """The main window on what the command line names (not shown yet); StudioError when it cannot be
    opened. A lesson opens its own project and shows its first step in the Lesson panel."""
    from backprop_studio.core.errors import StudioError
    from backprop_studio.core.lessons.reader import is_lesson_file
    from backprop_studio.core.project.fileformat import load_project
    from backprop_studio.core.project.presets_catalog import DEFAULT_PRESET, load_preset
    from backprop_studio.gui.controller.controller import StudioController
    from backprop_studio.gui.main_window import MainWindow

    if lesson is None and file is not None and is_lesson_file(file):
        lesson, file = file, None
    if lesson is not None:
        from backprop_studio.gui.recording.lesson_record import load  # a built-in name, else a file

        if file is not None or preset is not None:
            raise StudioError("--lesson brings its own project: give no project file or --preset with it")
        chosen = load(lesson)
        window = MainWindow(StudioController(chosen.project))
        if not window.lessons.start(chosen):
            window.deleteLater()
            raise StudioError(f"the lesson {chosen.title!r} could not open its project")
        return window
    project = load_project(file) if file else load_preset(preset or DEFAULT_PRESET)
    return MainWindow(StudioController(project))
