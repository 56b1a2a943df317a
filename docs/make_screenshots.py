"""Regenerate the README's screenshots: python docs/make_screenshots.py (no display needed).

Each picture is the real window, driven through the controller the way a person would, grabbed offscreen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backprop_studio.core.debugger.watch import Watch, watches_to_dicts  # noqa: E402
from backprop_studio.core.project.presets_catalog import load_preset  # noqa: E402
from backprop_studio.core.spec import InitSpec, LayerSpec, NetworkSpec  # noqa: E402
from backprop_studio.gui.controller.controller import MAX_SPEED, StudioController  # noqa: E402
from backprop_studio.gui.main_window import MainWindow  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

OUT = ROOT / "docs"


def window(project, theme: str = "light", size=(1600, 1000)) -> tuple[MainWindow, StudioController]:
    controller = StudioController(project)
    win = MainWindow(controller, theme_name=theme)
    win.confirm_discard = lambda doing: True
    win.resize(*size)
    win.show()
    QApplication.processEvents()
    return win, controller


def save(win: MainWindow, name: str) -> None:
    for _ in range(5):
        QApplication.processEvents()
    win.grab().save(str(OUT / name))
    print("wrote", OUT / name)


def mid_backward(theme: str, name: str) -> None:
    win, c = window(load_preset("circle"), theme)
    c.step("epoch")
    c.step("epoch")
    for _ in range(6):  # forward 1-3, loss, backward 3, backward 2
        c.step("phase")
    win._select(("neuron", 2, 0))
    win.docks["inspector"].raise_()
    save(win, name)
    win.close()


def deep_sigmoid_breakpoint() -> None:
    project = load_preset("circle")
    layers = (*tuple(LayerSpec(6, "sigmoid") for _ in range(6)), LayerSpec(1, "tanh"))
    network = NetworkSpec(2, layers, InitSpec(weights="normal", std=0.5))
    project = replace(project, network=network, weights=None, biases=None)
    watch = Watch("vanishing", layer=1, threshold=1e-4)
    project = replace(project, breakpoints=watches_to_dicts((watch,)))
    win, c = window(project)
    c.set_granularity("epoch")
    c.set_speed(MAX_SPEED)
    c.step("epoch")
    win.docks["breakpoints"].raise_()
    save(win, "debug-breakpoint.png")
    # The health curves need history: carry on for a while without the breakpoint.
    c.set_watches(())
    for _ in range(30):
        c.step("epoch")
    win.docks["health"].raise_()
    save(win, "debug-health.png")
    win.close()


def main() -> None:
    settings_dir = tempfile.mkdtemp()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    app = QApplication.instance() or QApplication([])
    mid_backward("light", "screenshot.png")
    mid_backward("dark", "screenshot-dark.png")
    deep_sigmoid_breakpoint()
    del app


if __name__ == "__main__":
    main()
