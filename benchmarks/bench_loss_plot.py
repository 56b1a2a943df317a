"""The loss plot's cost per frame early in a run and late in it, in the same run (issue 9: within 1.2×).

A frame is what Play does after each slice of training, minus the training itself: the session's history
recorder records a few batches (and an epoch at epoch boundaries), hands out its History, and LossPlot
takes it, moves the "now" marker and paints its 640×400 widget. The recorder starts from a History of
each length (`--epochs`, `--batches-per-epoch` batches each), so the figures at epoch 100 and at epoch
100,000 come from the same code in one run. Run:

    .venv/bin/python benchmarks/bench_loss_plot.py [--epochs 100 100000] [--updates 200] [--log]

Before and after in one run: PYTHONPATH pointing at another checkout (a folder holding a
`backprop_studio` link to it) runs this same script against that code.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np
from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.training.history import HistoryRecorder
from backprop_studio.core.training.snapshot import History
from backprop_studio.gui.panels.loss_plot import LossPlot
from PySide6.QtWidgets import QApplication

RATIO_TARGET = 1.2
RNG = np.random.default_rng(0)
X = RNG.normal(size=(8, 2))
DATA = Dataset(X, (X[:, :1] > 0).astype(float), X[:4], (X[:4, :1] > 0).astype(float), "classification")
WEIGHTS, BIASES = [RNG.normal(size=(2, 1))], [np.zeros(1)]


def fake_losses(n: int) -> np.ndarray:
    """A decaying, noisy loss curve like real training produces."""
    t = np.arange(n)
    return 0.05 + 0.6 * np.exp(-t / max(n / 5, 1)) * (1 + 0.3 * RNG.standard_normal(n)) ** 2


def start_history(epochs: int, bpe: int) -> History:
    batch = fake_losses(epochs * bpe)
    train = batch.reshape(epochs, bpe).mean(axis=1) if epochs else np.empty(0)
    acc = np.minimum(1.0, 0.5 + 0.5 * np.arange(epochs) / max(epochs, 1))
    return History(tuple(train), tuple(train * 1.1), tuple(acc), tuple(acc), tuple(batch))


class Run:
    """A recorder that starts `epochs` epochs in and the LossPlot showing it."""

    def __init__(self, epochs: int, args: argparse.Namespace, app: QApplication) -> None:
        self.bpe, self.args, self.app = args.batches_per_epoch, args, app
        self.recorder = HistoryRecorder(start_history(epochs, self.bpe))
        self.widget = LossPlot()
        self.widget.resize(640, 400)
        self.widget.set_task("classification" if args.classification else "regression")
        self.widget.set_log_scale(args.log)
        self.widget.show()
        t0 = time.perf_counter()
        self.widget.set_history(self.recorder.history(), self.bpe)
        self.widget.repaint()
        app.processEvents()
        self.first = time.perf_counter() - t0
        self.batches = epochs * self.bpe
        self.times: list[float] = []
        self.data_times: list[float] = []

    def frame(self) -> None:
        for _ in range(self.args.per_update):
            self.recorder.record_batch(float(RNG.random()))
            self.batches += 1
            if self.batches % self.bpe == 0:
                self.recorder.end_epoch(WEIGHTS, BIASES, ("sigmoid",), DATA, "bce")
        gc.collect(0)  # a collection pass over the run's objects would land in whichever frame allocates
        t0 = time.perf_counter()
        self.widget.set_history(self.recorder.history(), self.bpe)
        self.widget.set_position(self.batches / self.bpe)
        t1 = time.perf_counter()
        self.widget.repaint()
        self.app.processEvents()
        self.times.append(time.perf_counter() - t0)
        self.data_times.append(t1 - t0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--epochs", type=int, nargs="+", default=[100, 100_000], help="run lengths to compare"
    )
    parser.add_argument("--batches-per-epoch", type=int, default=10)
    parser.add_argument("--updates", type=int, default=200, help="timed frames per run length")
    parser.add_argument("--per-update", type=int, default=3, help="batches recorded per frame")
    parser.add_argument("--log", action="store_true", help="log-scale loss axis")
    parser.add_argument("--classification", action="store_true", help="show the accuracy plot too")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    print(f"LossPlot 640×400, {args.batches_per_epoch} batches an epoch, +{args.per_update} batches a frame")
    runs = [Run(epochs, args, app) for epochs in args.epochs]
    # Frames alternate between the run lengths: this shared machine's speed drifts within seconds.
    for _ in range(args.updates):
        for run in runs:
            run.frame()
    medians = []
    for epochs, run in zip(args.epochs, runs, strict=True):
        times, data_times = np.array(run.times), np.array(run.data_times)
        medians.append(float(np.median(times)))
        print(
            f"  epoch {epochs:>9,}: frame median {np.median(times) * 1000:6.2f} ms, mean "
            f"{times.mean() * 1000:6.2f} ms, 95th pct {np.percentile(times, 95) * 1000:6.2f} ms; "
            f"history + set_history + marker {np.median(data_times) * 1000:5.2f} ms; "
            f"first fill {run.first * 1000:.0f} ms"
        )
    ratio = medians[-1] / medians[0]
    verdict = "meets" if ratio <= RATIO_TARGET else "MISSES"
    print(f"  longest / shortest run, median frame: {ratio:.2f}× — {verdict} the target of {RATIO_TARGET}×")


if __name__ == "__main__":
    main()
