"""Where Qt cannot open a window, `python main.py` says why and what to do, instead of Qt's bare abort."""

from __future__ import annotations

import subprocess
import sys

from backprop_studio.gui import app

from tests.paths import REPO as ROOT


def test_no_display_points_to_the_command_line_and_xvfb(monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    problem = app.display_problem()
    assert "no display" in problem
    assert "python main.py train --preset circle" in problem and "xvfb-run" in problem


def test_missing_xcb_libraries_are_named_with_the_install_command(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(
        app.ctypes.util, "find_library", lambda name: None if name in ("xcb-icccm", "xcb-keysyms") else name
    )
    problem = app.display_problem()
    assert "libxcb-icccm4" in problem and "libxcb-keysyms1" in problem
    assert "apt-get install libxcb-icccm4 libxcb-keysyms1" in problem


def test_a_chosen_platform_is_left_alone(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert app.display_problem() is None


def test_main_without_a_display_exits_2_with_one_message():
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py")], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: no display") and "Traceback" not in proc.stderr
