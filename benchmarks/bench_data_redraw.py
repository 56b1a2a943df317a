"""How long the data panel takes to show a data set of 1,000,000 rows (500,000 training and 500,000 test
samples) and the network's predictions for 5,000 of each, painted once: the work that falls on the
window's thread when a large CSV import ends.

Run: python benchmarks/bench_data_redraw.py [--repeats N]

Two data sets: regression with 2 inputs (prediction against target, one color), and 3 classes with 4
inputs (the projection tab in front: principal components of all rows, points in their class colors;
in the window the components come from a worker, here they are computed in the timed part).
Prints the median and the fastest of N redraws.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from backprop_studio.core.analysis.projection import principal_components
from backprop_studio.core.data.dataset import Dataset
from PySide6.QtWidgets import QApplication

ROWS = 500_000  # per split
SHOWN = 5_000  # predictions the window makes per split (core.analysis.frame_data.SHOWN_POINTS)


def regression(rng: np.random.Generator) -> Dataset:
    x = rng.random((ROWS, 2))
    y = (x[:, :1] > 0.5).astype(float)
    return Dataset(x, y, x.copy(), y.copy(), "regression", ("a", "b"), ("y",))


def three_classes(rng: np.random.Generator) -> Dataset:
    x = rng.random((ROWS, 4))
    labels = rng.integers(0, 3, ROWS)
    y = np.eye(3)[labels]
    return Dataset(
        x, y, x.copy(), y.copy(), "classification", ("a", "b", "c", "d"), ("p", "q", "r"),
        labels_train=labels, labels_test=labels.copy(), classes=3,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from backprop_studio.gui.panels.data import DataView

    rng = np.random.default_rng(0)
    view = DataView()
    view.resize(520, 560)
    view.show()
    app.processEvents()
    print(f"Data panel redraw: {2 * ROWS:,} rows, predictions for {SHOWN:,} per split, one paint")
    for name, make in (("regression, 2 inputs", regression), ("3 classes, 4 inputs", three_classes)):
        ds = make(rng)
        units = ds.y_train.shape[1]
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            view.set_dataset(ds)
            if view.projection_view.waiting():  # in the window a worker computes the components
                view.set_projection(ds, principal_components(ds.x_train))
            view.set_predictions(rng.random((SHOWN, units)), rng.random((SHOWN, units)))
            app.processEvents()  # the plot is drawn when the event loop turns (once per turn)
            view.grab()
            times.append(time.perf_counter() - start)
        print(f"  {name:>22}: median {1000 * np.median(times):6.0f} ms   fastest {1000 * min(times):6.0f} ms")


if __name__ == "__main__":
    main()
