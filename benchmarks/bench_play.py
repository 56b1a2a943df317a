"""Canvas redraws per second while the window plays, and training speed meanwhile.

Run: python benchmarks/bench_play.py [--seconds 3]     (offscreen; no display needed)
The refresh timer bounds redraws at about 30 per second however fast training runs; this prints the
redraw rate the canvas really reached and how many phases/epochs trained in the same time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui.canvas.network_view import NetworkView
from backprop_studio.gui.controller.controller import MAX_SPEED, StudioController
from backprop_studio.gui.main_window import MainWindow
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication


def measure(preset: str, granularity: str, seconds: float) -> tuple[float, float, int]:
    controller = StudioController(load_preset(preset))
    win = MainWindow(controller, theme_name="light")
    win.confirm_discard = lambda doing: True
    win.resize(1600, 1000)
    win.show()
    QApplication.processEvents()
    paints = [0]
    original = NetworkView.set_snapshot

    # The offscreen platform delivers no paint events by itself, so every refresh paints synchronously
    # here: the figure includes the real cost of drawing each frame.
    def counting(self, snapshot):
        original(self, snapshot)
        paints[0] += 1
        self.repaint()

    NetworkView.set_snapshot = counting
    controller.set_granularity(granularity)
    controller.set_speed(MAX_SPEED)
    steps0 = controller.view_state.step
    controller.play()
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        QApplication.processEvents()
    controller.pause()
    elapsed = time.perf_counter() - start
    NetworkView.set_snapshot = original
    phases = controller.view_state.step - steps0
    epochs = controller.snapshot.epochs_completed
    win.close()
    return paints[0] / elapsed, phases / elapsed, epochs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication.instance() or QApplication([])
    print(
        f"{'preset':<16}{'granularity':<13}{'redraws/s':>10}{'phases/s':>12}{'epochs':>8}   (target ~30 redraws/s)"
    )
    for preset, granularity in (
        ("circle", "phase"),
        ("circle", "epoch"),
        ("spiral", "epoch"),
        ("spiral-3-class", "batch"),
    ):
        redraws, phases, epochs = measure(preset, granularity, args.seconds)
        print(f"{preset:<16}{granularity:<13}{redraws:>10.1f}{phases:>12,.0f}{epochs:>8}")
    del app


if __name__ == "__main__":
    main()
