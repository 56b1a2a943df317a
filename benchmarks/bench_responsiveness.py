"""How long the window stops repainting while it imports a 1,000,000-row CSV, opens a project with 10⁶
inline rows, or runs one Step on a 100,000-unit network; and how breakpoint lists scale.

Run: python benchmarks/bench_responsiveness.py [--runs 3] [--old main] [--explain] [--only import,open]

A QTimer at 10 ms records the gaps between its ticks; the longest gap is the longest event-loop stall,
printed beside the 100 ms target, for each run (a fresh process each) and as the median of the runs.
Each measurement goes through the window's real path: the settings panel's `csv_import_requested` (what
the CSV dialog's Import button emits), File → Open's `open_path`, the Step action; each until the new
state is shown and its maps arrived, plus 300 ms of what follows.
`--old REF` (a git ref, e.g. `main`, or a folder holding a checkout): the same runs against that code, in
the same invocation, printed first ("before"). `--explain`: one more run of this checkout with a probe
(benchmarks/stall_probe.py) that names what filled the five longest stalls (events and sampled stacks);
its own figure is slower and not the one to report.
Scenarios: `import` (a,b → y: 2 inputs, regression), `classes` (4 inputs, one-hot class of 3: the
Projection tab in front), `open` (a project file with 10⁶ inline rows), `step` (2-100,000-1 network).

Breakpoints: seconds to parse N breakpoints from a project's dicts, show them in the Breakpoints panel
and empty the list again, for 1,000, 10,000 and the limit (core/limits.py MAX_BREAKPOINTS).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
# "before" runs get the other checkout through PYTHONPATH (BENCH_CODE), not this one
sys.path.insert(0, str(Path(__file__).resolve().parents[0 if "BENCH_CODE" in os.environ else 1]))

import numpy as np
from stall_probe import Explainer, ProbeApp, StallMeter

__all__ = ["TARGET_MS", "StallMeter"]

HERE = Path(__file__).resolve().parent
TARGET_MS = 100.0
SETTLE_AFTER_S = 0.3
SCENARIOS = {
    "import": "import a 1,000,000-row CSV (2 inputs)",
    "classes": "import a 1,000,000-row CSV (4 inputs, 3 classes)",
    "open": "open a project with 1,000,000 inline rows",
    "step": "one Step on a 2-100,000-1 network",
}


# ---------------------------------------------------------------------------------------- input files


def write_files(folder: Path, rows: int) -> None:
    k = np.arange(rows)
    a, b = k % 97 / 97, k % 89 / 89
    np.savetxt(folder / "big.csv", np.column_stack([a, b, k % 2]), delimiter=",",
               fmt=("%.6f", "%.6f", "%d"), header="a,b,y", comments="")  # fmt: skip
    table = np.column_stack([a, b, k % 83 / 83, k % 79 / 79, (k * 7 // 5) % 3])
    np.savetxt(folder / "classes.csv", table, delimiter=",", fmt=("%.6f",) * 4 + ("%d",),
               header="a,b,c,d,label", comments="")  # fmt: skip
    project = json.loads((HERE.parent / "core/project/presets/circle.json").read_text())
    x = np.column_stack([a, b]).round(6)
    project["data"] = {"kind": "inline", "x": x.tolist(), "y": (k % 2)[:, None].astype(float).tolist()}
    (folder / "inline.json").write_text(json.dumps(project))


def csv_options(folder: Path, scenario: str) -> dict:
    if scenario == "classes":
        return {"path": str(folder / "classes.csv"), "targets": (), "one_hot": "label", "train_fraction": 0.5}
    return {"path": str(folder / "big.csv"), "targets": ("y",), "one_hot": None, "train_fraction": 0.5}


# ---------------------------------------------------------------------------------------- one measurement


def measure(scenario: str, folder: Path, explain: bool = False) -> tuple[float, float, str]:
    """(seconds until the new state and its maps are shown, longest stall ms, explanation)."""
    from dataclasses import replace

    from backprop_studio.core.project.presets_catalog import load_preset
    from backprop_studio.gui import main_window as mw
    from backprop_studio.gui.controller.controller import StudioController
    from PySide6.QtCore import QEventLoop, QTimer

    p = load_preset("iris" if scenario == "classes" else "circle")  # iris: 4 inputs, 3 classes
    if scenario == "step":
        p = replace(p, network=replace(p.network, layers=(replace(p.network.layers[0], units=100_000),
                    p.network.layers[-1])))  # fmt: skip
    c = StudioController(p)
    window = mw.MainWindow(c, theme_name="light")
    window.confirm_discard = lambda doing: True
    window.resize(1280, 800)
    window.show()

    def settle(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    settle(3.0 if scenario == "step" else 1.0)  # the first paint and maps are not part of the measurement
    done: list[float] = []
    c.maps_changed.connect(lambda *_: done.append(time.perf_counter()))
    session = c.session_for_tests
    meter, explainer = StallMeter(), Explainer()
    if explain:
        explainer.start()
    meter.start()
    start = time.perf_counter()
    if scenario in ("import", "classes"):
        QTimer.singleShot(0, lambda: window.panel.csv_import_requested.emit(csv_options(folder, scenario)))
    elif scenario == "open":
        QTimer.singleShot(0, lambda: window.open_path(str(folder / "inline.json")))
    else:
        QTimer.singleShot(0, window.actions["step"].trigger)
    while c.session_for_tests is session or not done or c.job is not None:
        settle(0.01)
    seconds = max(done[-1], time.perf_counter()) - start
    settle(SETTLE_AFTER_S)
    stall = meter.stop()
    explainer.stop()
    text = explainer.report(meter.gaps) if explain else ""
    window.close()
    return seconds, stall, text


# ---------------------------------------------------------------------------------------- runs


def run_once(
    scenario: str, folder: Path, code: Path | None, explain: bool = False
) -> tuple[float, float, str] | str:
    """One measurement in a fresh process, against `code` (a checkout) or this one: (seconds, stall ms,
    explanation), or why it failed."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    links = None
    if code is not None:
        links = tempfile.TemporaryDirectory()
        os.symlink(code.resolve(), Path(links.name) / "backprop_studio")
        env.update(PYTHONPATH=links.name, BENCH_CODE=str(code))
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--measure", scenario, "--folder", str(folder)]
            + (["--explain"] if explain else []),
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
    finally:
        if links is not None:
            links.cleanup()
    result = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not result:
        return f"failed: {(done.stderr or done.stdout).strip().splitlines()[-3:]}"
    _, seconds, stall = result[-1].split()
    return float(seconds), float(stall), done.stdout.split(result[-1], 1)[1].strip("\n")


def series(label: str, scenario: str, folder: Path, code: Path | None, runs: int) -> None:
    stalls, each = [], []
    for _ in range(runs):
        got = run_once(scenario, folder, code)
        if isinstance(got, str):
            each.append(got)
            continue
        stalls.append(got[1])
        each.append(f"{got[1]:.0f} ms ({got[0]:.1f} s)")
    if not stalls:
        print(f"  {label:<8} {'; '.join(each)}")
        return
    median = statistics.median(stalls)
    verdict = "ok" if median < TARGET_MS else "OVER"
    print(f"  {label:<8} median {median:6.0f} ms  {verdict:<4}  runs: {', '.join(each)}")


def export(ref: str, into: Path) -> Path:
    """A checkout of `ref` (a folder as given, or a git ref exported with `git archive`)."""
    if Path(ref).is_dir():
        return Path(ref)
    root = HERE.parent
    archive = subprocess.run(["git", "-C", str(root), "archive", ref], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def bench_breakpoints() -> None:
    from backprop_studio.core.debugger.watch import watches_from_dicts
    from backprop_studio.core.limits import MAX_BREAKPOINTS
    from backprop_studio.gui.debugger.breakpoints_panel import BreakpointsPanel
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
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
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--old", help="a git ref (e.g. main) or a checkout folder, measured first")
    parser.add_argument("--only", default=",".join(SCENARIOS), help="scenarios, comma-separated")
    parser.add_argument("--explain", action="store_true", help="name what filled the longest stalls")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # one run, in this process
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        from PySide6.QtWidgets import QApplication

        app = ProbeApp([]) if args.explain else QApplication([])
        seconds, stall, text = measure(args.measure, args.folder, args.explain)
        print(f"RESULT {seconds:.3f} {stall:.1f}")
        print(text)
        app.processEvents()
        return
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        write_files(folder, args.rows)
        old = None
        if args.old:
            (folder / "old").mkdir()
            old = export(args.old, folder / "old")
        print(f"Longest event-loop stall (target {TARGET_MS:.0f} ms), {args.runs} runs each, fresh processes")
        for scenario in args.only.split(","):
            print(f"{SCENARIOS[scenario]}:")
            if old is not None:
                series("before", scenario, folder, old, args.runs)
            series("now", scenario, folder, None, args.runs)
            if args.explain:
                got = run_once(scenario, folder, None, explain=True)
                if isinstance(got, str):
                    print(f"  explained run {got}")
                else:
                    print(f"  explained run (slowed by the probe): {got[1]:.0f} ms\n{got[2]}")
    if "--only" not in sys.argv:
        bench_breakpoints()


if __name__ == "__main__":
    main()
