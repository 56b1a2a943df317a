"""How long the window stops repainting during one Step on a network of ~100,000 units (issue 9).

Run: python benchmarks/bench_large_step.py [--units 100000] [--unit phase] [--old PATH]

The window shows a 2-N-1 network on the circle preset; a QTimer at 10 ms records the gaps between its
ticks while the Step action is triggered, until the step is shown and its maps arrived (the longest gap
is the longest event-loop stall). `--old PATH`: the same measurement, in a subprocess, against the code
in PATH (e.g. `git archive main | tar -x -C /tmp/old`), printed before this checkout's figure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_responsiveness import TARGET_MS, StallMeter


def measure(units: int, unit: str) -> tuple[float, float, int]:
    """(seconds until the step and its maps are shown, longest stall ms, parameters)."""
    from backprop_studio.core.project.presets_catalog import load_preset
    from backprop_studio.gui import main_window as mw
    from backprop_studio.gui.controller.controller import StudioController
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    _messages_to_stderr()
    p = load_preset("circle")
    layers = (replace(p.network.layers[0], units=units), p.network.layers[-1])
    c = StudioController(replace(p, network=replace(p.network, layers=layers)))
    window = mw.MainWindow(c, theme_name="light")
    window.resize(1280, 800)
    window.show()

    def settle(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    settle(3000)  # the first paint and the first maps are not part of the step
    maps: list[float] = []
    c.maps_changed.connect(lambda *_: maps.append(time.perf_counter()))
    meter = StallMeter()
    meter.start()
    start = time.perf_counter()
    window.actions[{"phase": "step"}.get(unit, unit)].trigger()
    while c.session_for_tests.step_count == 0 or not maps:
        settle(10)
    seconds = max(maps[0], time.perf_counter()) - start
    settle(200)
    stall = meter.stop()
    parameters = sum(w.size + b.size for w, b in zip(c.snapshot.weights, c.snapshot.biases, strict=True))
    window.close()
    return seconds, stall, parameters


def _messages_to_stderr() -> None:
    """A message box would wait for a click that never comes: print its text instead."""
    from PySide6.QtWidgets import QMessageBox

    def shown(*args: object) -> QMessageBox.StandardButton:
        print("message:", args[2] if len(args) > 2 else args, file=sys.stderr)
        return QMessageBox.StandardButton.Ok

    QMessageBox.critical = QMessageBox.warning = QMessageBox.question = staticmethod(shown)  # type: ignore[method-assign]
    QMessageBox.exec = lambda box: shown(None, None, box.text())  # type: ignore[method-assign]


def run_old(path: Path, units: int, unit: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        os.symlink(path.resolve(), Path(folder) / "backprop_studio")
        env = {**os.environ, "PYTHONPATH": folder}
        code = (
            f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent)!r}); import bench_large_step as b; "
            f"s, stall, n = b.measure({units}, {unit!r}); print(f'{{s:.2f}} {{stall:.1f}}')"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
        )
        lines = done.stdout.split()
        if done.returncode or len(lines) < 2:
            return f"failed: {(done.stderr or done.stdout).strip().splitlines()[-3:]}"
        seconds, stall = float(lines[-2]), float(lines[-1])
        return f"{seconds:6.2f} s   longest stall {stall:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--unit", default="phase", choices=("phase", "forward", "batch", "epoch"))
    parser.add_argument("--old", type=Path, help="a checkout of the code before, measured first")
    args = parser.parse_args()
    print(
        f"One Step ({args.unit}) on a 2-{args.units:,}-1 network: longest event-loop stall (target {TARGET_MS:.0f} ms)"
    )
    if args.old is not None:
        print(f"  before ({args.old}):  {run_old(args.old, args.units, args.unit)}")
    seconds, stall, parameters = measure(args.units, args.unit)
    verdict = "ok" if stall < TARGET_MS else "OVER"
    print(f"  now ({parameters:,} parameters):  {seconds:6.2f} s   longest stall {stall:8.1f} ms  {verdict}")


if __name__ == "__main__":
    main()
