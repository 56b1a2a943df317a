"""Screenshots of every panel, at two screen sizes and in both themes: python docs/make_screenshots.py [FOLDER]

Writes FOLDER/<screen>-<theme>-<NN>-<view>.png (default FOLDER: docs/screenshots/, which git ignores)
for screens 1280x800 and 1920x1080, themes light and dark: the whole window and the canvas mid-backward
with a neuron selected, the Inspector, Neuron zoom, Data, Loss and Network & training panels,
the record dialog, Gradient check after a run, Breakpoints with a hit and Gradient health after some
epochs. It also rewrites the README's pictures (docs/screenshot.png, docs/screenshot-dark.png,
docs/debug-breakpoint.png, docs/debug-health.png) from the 1920x1080 set; --no-readme skips that.

No display is needed: each screen size runs in its own offscreen Qt process whose one screen has that
size, so the window opens at the size and layout a first launch on that screen gets, with empty settings.
The window is driven through its actions and the canvas's signals, as clicks would drive it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCREENS = ((1280, 800), (1920, 1080))
THEMES = ("light", "dark")
# README picture → the screenshot it is copied from (1920x1080 set).
README = {
    "screenshot.png": "1920x1080-light-01-window.png",
    "screenshot-dark.png": "1920x1080-dark-01-window.png",
    "debug-breakpoint.png": "1920x1080-light-11-window-breakpoint.png",
    "debug-health.png": "1920x1080-light-13-window-health.png",
}


def _screen_config(width: int, height: int, folder: str) -> str:
    path = os.path.join(folder, f"screen-{width}x{height}.json")
    screen = {"name": "s", "x": 0, "y": 0, "width": width, "height": height}
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"screens": [{**screen, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}, f)
    return path


def main(argv: list[str] | None = None) -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("folder", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    args.add_argument("--no-readme", action="store_true", help="do not rewrite the README's pictures")
    args.add_argument("--screen", help=argparse.SUPPRESS)  # the child process for one screen size
    opts = args.parse_args(argv)
    out = Path(opts.folder).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if opts.screen:
        _shoot_screen(out, opts.screen)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for width, height in SCREENS:
            env = dict(
                os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={_screen_config(width, height, tmp)}"
            )
            env["XDG_CONFIG_HOME"] = os.path.join(tmp, f"config-{width}x{height}")
            cmd = [sys.executable, __file__, str(out), "--screen", f"{width}x{height}"]
            subprocess.run(cmd, env=env, check=True)
    if not opts.no_readme:
        for target, source in README.items():
            shutil.copyfile(out / source, ROOT / "docs" / target)
            print("wrote", ROOT / "docs" / target)


# ------------------------------------------------------------------------------------ one screen size


def _shoot_screen(out: Path, screen: str) -> None:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    _refuse_modal_boxes()
    for theme in THEMES:
        shots = _Shots(out, f"{screen}-{theme}")
        _mid_backward(shots, theme)
        _debugging(shots, theme)
    del app


def _refuse_modal_boxes() -> None:
    """A message box the tour did not expect would wait forever offscreen: close it and say so."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def close_modal() -> None:
        box = QApplication.activeModalWidget()
        if box is not None:
            print("closed an unexpected dialog:", box.windowTitle(), file=sys.stderr)
            box.close()

    timer = QTimer(QApplication.instance())
    timer.timeout.connect(close_modal)
    timer.start(500)


class _Shots:
    """Saves grabs as <prefix>-<NN>-<name>.png, numbered in the order a tour of the app meets them."""

    def __init__(self, out: Path, prefix: str) -> None:
        self.out, self.prefix = out, prefix

    def save(self, widget, number: int, name: str) -> None:
        from PySide6.QtTest import QTest

        # Let queued layout work (dock resizes, tab bars, deferred scrolls) settle before the picture.
        QTest.qWait(300)
        path = self.out / f"{self.prefix}-{number:02d}-{name}.png"
        widget.grab().save(str(path))
        print("wrote", path)


def _window(project, theme: str):
    from backprop_studio.gui.controller.controller import StudioController
    from backprop_studio.gui.main_window import MainWindow
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    # Empty settings for every window: each picture shows a first launch, not the layout the last one left.
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    controller = StudioController(project)
    win = MainWindow(controller, theme_name=theme)
    win.confirm_discard = lambda doing: True
    win.show()
    QApplication.processEvents()
    return win


def _press(win, action: str, times: int = 1) -> None:
    for _ in range(times):
        win.actions[action].trigger()


def _dock(shots: _Shots, win, name: str, number: int, view: str) -> None:
    win.docks[name].show()
    win.docks[name].raise_()
    shots.save(win.docks[name], number, view)


def _mid_backward(shots: _Shots, theme: str) -> None:
    """The circle preset two epochs in, stopped at backward through layer 2, neuron 1 of layer 2 selected."""
    from backprop_studio.core.project.presets_catalog import load_preset
    from backprop_studio.gui.recording.record_dialog import RecordDialog

    win = _window(load_preset("circle"), theme)
    _press(win, "epoch", 2)
    _press(win, "step", 6)  # forward 1-3, loss, backward 3, backward 2
    win.canvas.neuron_clicked.emit(2, 0)
    win.docks["inspector"].raise_()
    shots.save(win, 1, "window")
    shots.save(win.canvas, 2, "canvas")
    _dock(shots, win, "inspector", 3, "inspector")
    _dock(shots, win, "zoom", 4, "neuron-zoom")
    _dock(shots, win, "data", 5, "data-output")
    _dock(shots, win, "loss", 6, "loss")
    _dock(shots, win, "settings", 7, "network-training")
    dialog = RecordDialog(win, None, (win.canvas.width(), win.canvas.height()))
    dialog.show()
    shots.save(dialog, 8, "record-dialog")
    dialog.reject()
    _press(win, "step")  # backward through layer 1: the batch's gradients are complete and can be checked
    win.menus.gradient_check.trigger()
    shots.save(win, 9, "window-gradcheck")
    _dock(shots, win, "gradcheck", 10, "gradient-check")
    win.close()


def _debugging(shots: _Shots, theme: str) -> None:
    """A deep sigmoid network whose vanishing-gradient breakpoint hits, then its gradient health."""
    from backprop_studio.core.debugger.watch import Watch, watches_to_dicts
    from backprop_studio.core.project.presets_catalog import load_preset
    from backprop_studio.core.spec import InitSpec, LayerSpec, NetworkSpec

    project = load_preset("circle")
    layers = (*tuple(LayerSpec(6, "sigmoid") for _ in range(6)), LayerSpec(1, "tanh"))
    network = NetworkSpec(2, layers, InitSpec(weights="normal", std=0.5))
    watch = Watch("vanishing", layer=1, threshold=1e-4)
    project = replace(
        project, network=network, weights=None, biases=None, breakpoints=watches_to_dicts((watch,))
    )
    win = _window(project, theme)
    _press(win, "epoch")
    shots.save(win, 11, "window-breakpoint")
    _dock(shots, win, "breakpoints", 12, "breakpoints-hit")
    # The health curves need history: carry on for a while without the breakpoint.
    win.controller.set_watches(())
    _press(win, "epoch", 30)
    win.menus.show_health.trigger()
    shots.save(win, 13, "window-health")
    _dock(shots, win, "health", 14, "gradient-health")
    win.close()


if __name__ == "__main__":
    main()
