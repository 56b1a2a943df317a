"""How many refreshes per second LossPlot manages with a million per-batch losses already plotted.

Each refresh appends a few batches (and, at epoch boundaries, an epoch), hands LossPlot a new History
as the session would, moves the "now" marker and paints the 640×400 widget. Run:

    .venv/bin/python benchmarks/bench_loss_plot.py [--points 1000000] [--updates 300] [--log]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np
from backprop_studio.core.training.snapshot import History
from backprop_studio.gui.panels.loss_plot import LossPlot
from PySide6.QtWidgets import QApplication

TARGET = 60.0


def fake_losses(n: int, rng: np.random.Generator) -> list[float]:
    """A decaying, noisy loss curve like real training produces."""
    t = np.arange(n)
    return list(0.05 + 0.6 * np.exp(-t / (n / 5)) * (1 + 0.3 * rng.standard_normal(n)) ** 2)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--points", type=int, default=1_000_000, help="per-batch losses before timing")
    parser.add_argument("--updates", type=int, default=300, help="timed refreshes")
    parser.add_argument("--per-update", type=int, default=3, help="batches appended per refresh")
    parser.add_argument("--batches-per-epoch", type=int, default=100)
    parser.add_argument("--log", action="store_true", help="log-scale loss axis")
    parser.add_argument("--classification", action="store_true", help="show the accuracy plot too")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    rng = np.random.default_rng(0)
    bpe = args.batches_per_epoch
    total = args.points + args.updates * args.per_update
    batch = fake_losses(total, rng)
    epoch_means = [float(np.mean(batch[i : i + bpe])) for i in range(0, total - bpe + 1, bpe)]

    def history(n_batches: int) -> History:
        epochs = n_batches // bpe
        train = tuple(epoch_means[:epochs])
        test = tuple(v * 1.1 for v in train)
        acc = tuple(min(1.0, 0.5 + 0.5 * i / max(epochs, 1)) for i in range(epochs))
        return History(train, test, acc, acc, tuple(batch[:n_batches]))

    widget = LossPlot()
    widget.resize(640, 400)
    widget.set_task("classification" if args.classification else "regression")
    widget.set_log_scale(args.log)
    widget.show()

    start = time.perf_counter()
    widget.set_history(history(args.points), bpe)
    widget.set_position(args.points / bpe)
    widget.repaint()
    app.processEvents()
    first = time.perf_counter() - start

    n = args.points
    times = np.empty(args.updates)
    data_times = np.empty(args.updates)
    for i in range(args.updates):
        n += args.per_update
        hist = history(n)  # the session builds the History; that cost is not the widget's
        # Nor is the garbage collector's first pass over the History's fresh million-element tuples,
        # which would otherwise land in whichever call next allocates (≈ 4 ms, inside the timing).
        gc.collect(0)
        t0 = time.perf_counter()
        widget.set_history(hist, bpe)
        widget.set_position(n / bpe)
        t1 = time.perf_counter()
        widget.repaint()
        app.processEvents()
        times[i] = time.perf_counter() - t0
        data_times[i] = t1 - t0

    rate = 1.0 / times.mean()
    verdict = "meets" if rate >= TARGET else "MISSES"
    print(f"LossPlot, 640×400, {args.points:,} per-batch points, +{args.per_update} per refresh")
    print(f"  first fill (convert {args.points:,} points + paint): {first * 1000:.0f} ms")
    print(
        f"  refresh: mean {times.mean() * 1000:.2f} ms, median {np.median(times) * 1000:.2f} ms, "
        f"95th percentile {np.percentile(times, 95) * 1000:.2f} ms"
    )
    print(f"  of which set_history + set_position: mean {data_times.mean() * 1000:.2f} ms")
    print(f"  {rate:.0f} refreshes per second — {verdict} the target of {TARGET:.0f}/s")


if __name__ == "__main__":
    main()
