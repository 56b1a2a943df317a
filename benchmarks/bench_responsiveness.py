"""How long the window stops repainting while it imports a 1,000,000-row CSV, and how breakpoint lists
scale.

Run: python benchmarks/bench_responsiveness.py [--rows N]

A QTimer at 10 ms records the gaps between its ticks; the longest gap is the longest event-loop stall,
printed beside the 100 ms target. The import goes through the real code path: the settings panel's
`csv_import_requested` (what the CSV dialog's Import button emits) → the controller → a worker thread,
with the progress dialog, then the new session swapped in and the views reloaded. In the same run the old
path (the same rebuild, synchronously on the GUI thread) is measured for comparison.

Breakpoints: seconds to parse N breakpoints from a project's dicts, show them in the Breakpoints panel
and empty the list again, for 1,000, 10,000 and the limit (core/limits.py MAX_BREAKPOINTS).
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

import numpy as np
from backprop_studio.core.limits import MAX_BREAKPOINTS
from backprop_studio.core.project.presets_catalog import load_preset
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

TARGET_MS = 100.0
TICK_MS = 10


class StallMeter:
    """Longest gap between the ticks of a 10 ms timer while it runs."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.longest = 0.0
        self._last = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def start(self) -> None:
        self.longest, self._last = 0.0, time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.longest * 1000


def write_csv(path: Path, rows: int) -> None:
    k = np.arange(rows)
    table = np.column_stack([k % 97 / 97, k % 89 / 89, k % 2])
    np.savetxt(path, table, delimiter=",", fmt=("%.6f", "%.6f", "%d"), header="a,b,y", comments="")


def options(path: Path) -> dict:
    return {"path": str(path), "targets": ("y",), "one_hot": None, "train_fraction": 0.5}


def import_in_background(window, path: Path, meter: StallMeter) -> tuple[float, float]:
    """(seconds, longest stall ms) of an import through the window's real path."""
    from backprop_studio.gui.controller.projects import csv_data

    c = window.controller
    loop = QEventLoop()
    c.project_replaced.connect(loop.quit)
    c.edit_cancelled.connect(loop.quit)
    meter.start()
    start = time.perf_counter()
    QTimer.singleShot(0, lambda: window.panel.csv_import_requested.emit(options(path)))
    loop.exec()
    # What follows the swap (the views reloading the new data) is part of the import.
    QTimer.singleShot(200, loop.quit)
    loop.exec()
    seconds = time.perf_counter() - start - 0.2
    stall = meter.stop()
    assert c.project.data == csv_data(options(path)), "the import did not complete"
    return seconds, stall


def import_synchronously(window, path: Path, meter: StallMeter) -> tuple[float, float]:
    """The old path: the same rebuild and swap, run on the GUI thread."""
    from backprop_studio.core import spec_rules
    from backprop_studio.gui.controller.projects import csv_data, rebuild

    c = window.controller
    p = c.project
    data = csv_data(options(path))
    data = type(data)(**{**data.__dict__, "train_fraction": 0.6})  # a change, so the views reload again
    loop = QEventLoop()
    took: list[float] = []

    def run() -> None:
        start = time.perf_counter()
        project, session = rebuild(p, c.path, c.session_for_tests, p.network, p.training, data, True)
        c._project = project  # the swap the controller did before, in one go on this thread
        c._swap_session(session)
        c._edited()
        took.append(time.perf_counter() - start)
        QTimer.singleShot(200, loop.quit)

    spec_rules.forget_tables()  # as before: nothing read yet
    meter.start()
    QTimer.singleShot(0, run)
    loop.exec()
    return took[0], meter.stop()


def bench_import(rows: int) -> None:
    from backprop_studio.gui import main_window as mw
    from backprop_studio.gui.controller.controller import StudioController

    window = mw.MainWindow(StudioController(load_preset("circle")), theme_name="light")
    window.confirm_discard = lambda doing: True
    window.resize(1280, 800)
    window.show()
    settle = QEventLoop()
    QTimer.singleShot(1000, settle.quit)  # the first paint of the window is not part of the import
    settle.exec()
    meter = StallMeter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        write_csv(path, rows)
        size = path.stat().st_size / 2**20
        print(
            f"CSV import of {rows:,} rows ({size:.0f} MiB), longest event-loop stall (target {TARGET_MS:.0f} ms)"
        )
        seconds, stall = import_in_background(window, path, meter)
        verdict = "ok" if stall < TARGET_MS else "OVER"
        print(
            f"  worker + progress dialog (now):  {seconds:6.2f} s   longest stall {stall:8.1f} ms  {verdict}"
        )
        seconds, stall = import_synchronously(window, path, meter)
        print(f"  synchronous on the GUI thread:   {seconds:6.2f} s   longest stall {stall:8.1f} ms")
    window.close()


def bench_breakpoints() -> None:
    from backprop_studio.core.debugger.watch import watches_from_dicts
    from backprop_studio.gui.debugger.breakpoints_panel import BreakpointsPanel

    print(f"Breakpoints: parse, show in the panel, empty the list (limit {MAX_BREAKPOINTS:,})")
    panel = BreakpointsPanel()
    panel.show()
    for n in sorted({1_000, 10_000, MAX_BREAKPOINTS}):
        dicts = [{"id": f"w{i}", "kind": "nonfinite", "enabled": True} for i in range(n)]
        start = time.perf_counter()
        watches = watches_from_dicts(dicts)
        parsed = time.perf_counter()
        panel.set_watches(watches, (2, 3, 1), ("relu", "sigmoid"))
        QApplication.processEvents()
        shown = time.perf_counter()
        panel.set_watches((), (2, 3, 1), ("relu", "sigmoid"))
        emptied = time.perf_counter()
        label = f"{n:,}" + (" (the limit)" if n == MAX_BREAKPOINTS else "")
        print(
            f"  {label:>20}: parse {parsed - start:5.2f} s   show {shown - parsed:5.2f} s   "
            f"empty {emptied - shown:5.2f} s   total {emptied - start:5.2f} s"
        )
    panel.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    bench_import(args.rows)
    bench_breakpoints()


if __name__ == "__main__":
    main()
