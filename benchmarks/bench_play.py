"""Canvas redraws per second while the window plays, and training speed meanwhile, early and late in a run.

Run: python benchmarks/bench_play.py [--seconds 3] [--history-epochs 134000]   (offscreen; no display needed)
The refresh timer bounds redraws at about 30 per second however fast training runs; this prints the
redraw rate the canvas really reached and how many phases/epochs trained in the same time, for a fresh
run and for one that continues after `--history-epochs` epochs of recorded history (issue 9: Play must not
slow down as the run grows; 0 skips that case).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.append(str(Path(__file__).resolve().parents[1]))

import numpy as np
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import Project
from backprop_studio.core.training.snapshot import History
from backprop_studio.gui.canvas.network_view import NetworkView
from backprop_studio.gui.controller.controller import MAX_SPEED, StudioController
from backprop_studio.gui.main_window import MainWindow
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication


def long_history(project: Project, epochs: int) -> Project:
    """`project` continuing after `epochs` epochs of recorded (made-up, decaying) loss history."""
    data = project.data
    n_train = max(1, round(data.samples * data.train_fraction))
    bpe = -(-n_train // project.training.batch_size)
    rng = np.random.default_rng(0)
    batch = 0.05 + 0.6 * np.exp(-np.arange(epochs * bpe) / (epochs * bpe / 5)) * rng.uniform(
        0.7, 1.3, epochs * bpe
    )
    train = batch.reshape(epochs, bpe).mean(axis=1)
    acc = np.minimum(1.0, 0.5 + 0.5 * np.arange(epochs) / epochs)
    history = History(tuple(train), tuple(train * 1.1), tuple(acc), tuple(acc), tuple(batch))
    return replace(project, history=history, epochs_completed=epochs)


def measure(
    preset: str, granularity: str, seconds: float, history_epochs: int = 0
) -> tuple[float, float, int]:
    project = load_preset(preset)
    if history_epochs:
        project = long_history(project, history_epochs)
    controller = StudioController(project)
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
    epochs = controller.snapshot.epochs_completed - history_epochs
    win.close()
    return paints[0] / elapsed, phases / elapsed, epochs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--history-epochs", type=int, default=134_000, help="the long run's recorded epochs")
    args = parser.parse_args()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication.instance() or QApplication([])
    print(
        f"{'preset':<16}{'granularity':<13}{'after epoch':>12}{'redraws/s':>10}{'phases/s':>12}{'epochs':>8}"
        "   (target ~30 redraws/s)"
    )
    starts = (0, args.history_epochs) if args.history_epochs else (0,)
    for preset, granularity in (
        ("circle", "phase"),
        ("circle", "epoch"),
        ("spiral", "epoch"),
        ("spiral-3-class", "batch"),
    ):
        for start in starts:
            redraws, phases, epochs = measure(preset, granularity, args.seconds, start)
            print(f"{preset:<16}{granularity:<13}{start:>12,}{redraws:>10.1f}{phases:>12,.0f}{epochs:>8}")
    del app


if __name__ == "__main__":
    main()
