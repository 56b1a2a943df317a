"""Frame time of the network canvas at 1280x720, from a tiny net to MNIST size.

Run: python benchmarks/bench_canvas.py [--frames N] [--baseline TREE]

Every frame paints a different snapshot (fresh weights, activations and gradients), so nothing the
renderer might cache about values can help; the layout (node positions) is reused, as in the app.

`--baseline TREE` also times another checkout of the repository (e.g. made with
`git archive main | tar -x -C TREE` or `git worktree add --detach TREE main`) on the same snapshots,
case by case and alternating with this tree, so both figures come from the same machine state.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QRectF
from PySide6.QtGui import QGuiApplication, QImage, QPainter

from tests.snapshot_factory import make_snapshot

IMAGE = {"image_shape": (8, 8), "heatmaps": True}  # the digits: inputs as the 8×8 grid, weight images
# (label, layer sizes, target frames per second[, canvas options]); options a tree does not know are left
# out, so `--baseline` times an older tree on the same network drawn its own way (a column of 64 inputs).
CASES = (
    ("~50 edges", (4, 6, 4, 1), 60),
    ("~500 edges", (8, 24, 12, 4), 60),
    ("~5,000 edges", (64, 48, 32, 10), 30),
    ("~50,000 edges", (784, 64, 10), 10),
    ("109k edges (784-128-64-10)", (784, 128, 64, 10), None),
    ("digits 64-32-10, 64 inputs as a column", (64, 32, 10), 30),
    ("digits 64-32-10, 8x8 grid + weight images", (64, 32, 10), 30, IMAGE),
)
WIDTH, HEIGHT = 1280, 720


def _canvas():
    try:
        from backprop_studio.gui.canvas.options import CanvasOptions
    except ImportError:  # a tree from before the canvas package was split
        from backprop_studio.gui.canvas.renderer import CanvasOptions
    from backprop_studio.gui.canvas.renderer import CanvasRenderer

    return CanvasOptions, CanvasRenderer


def bench(sizes: tuple[int, ...], frames: int, options: object) -> tuple[list[float], list[float], object]:
    """Wall and CPU milliseconds per frame (the first frame, which also builds the layout, left out) and
    the renderer. CPU time (this process only) is the steadier figure on a machine shared with other work."""
    _, CanvasRenderer = _canvas()
    snapshots = [make_snapshot(sizes, seed) for seed in range(frames + 1)]
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
    rect = QRectF(0, 0, WIDTH, HEIGHT)
    renderer = CanvasRenderer()
    times, cpu = [], []
    for i, snapshot in enumerate(snapshots):
        start, start_cpu = time.perf_counter(), time.process_time()
        painter = QPainter(image)
        renderer.paint(painter, rect, snapshot, options)
        painter.end()
        if i:  # the first frame also builds the layout, which the app does once per resize
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    return times, cpu, renderer


def run_case(index: int, frames: int, dark: bool, gradients: bool) -> dict:
    """One case in this process: the figures as a dict (what `--case` prints as JSON)."""
    CanvasOptions, _ = _canvas()
    case = CASES[index]
    known = {f.name for f in dataclasses.fields(CanvasOptions)}
    extra = {key: value for key, value in (case[3] if len(case) > 3 else {}).items() if key in known}
    options = CanvasOptions(dark=dark, mode="gradients" if gradients else "values", **extra)
    times, cpu, renderer = bench(case[1], frames, options)
    stats = renderer.last_stats
    return {
        "edges": stats.edges_total,
        "drawn": stats.edges_drawn,
        "aa": stats.antialiased,
        "mean": statistics.fmean(times),
        "p95": sorted(times)[max(0, int(len(times) * 0.95) - 1)],
        "cpu": statistics.fmean(cpu),
        "source": sys.modules[type(renderer).__module__].__file__,
    }


def run_case_in(tree: Path | None, index: int, args: argparse.Namespace) -> dict:
    """One case in a fresh process importing backprop_studio from `tree` (None: this tree)."""
    command = [sys.executable, __file__, "--case", str(index), "--frames", str(args.frames)]
    command += ["--dark"] * args.dark + ["--gradients"] * args.gradients
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as shim:
        if tree is not None:  # a directory whose backprop_studio is the baseline tree shadows the install
            os.symlink(tree.resolve(), Path(shim) / "backprop_studio")
            env["PYTHONPATH"] = shim + os.pathsep + env.get("PYTHONPATH", "")
        out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _row(label: str, r: dict, target: int | None) -> tuple[str, bool]:
    fps = 1000 / r["mean"]
    ok = "" if target is None else ("yes" if fps >= target else "NO")
    text = (
        f"{label:<40}{r['edges']:>8,}{r['drawn']:>8,}{'on' if r['aa'] else 'off':>4}"
        f"{r['mean']:>9.1f}{r['p95']:>8.1f}{r['cpu']:>8.1f}{fps:>7.0f}{'' if target is None else f'>= {target}':>8}  {ok}"
    )
    return text, ok == "NO"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=40, help="frames per case (default 40)")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--gradients", action="store_true", help="draw dL/dW instead of weights")
    parser.add_argument("--baseline", type=Path, help="another checkout to time case by case, alternating")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="with --baseline: alternate N times, keep each side's fastest run",
    )
    parser.add_argument("--case", type=int, help=argparse.SUPPRESS)  # internal: one case, JSON out
    args = parser.parse_args()
    _app = QGuiApplication.instance() or QGuiApplication([])
    if args.case is not None:
        print(json.dumps(run_case(args.case, args.frames, args.dark, args.gradients)))
        return

    print(f"Canvas frame time at {WIDTH}x{HEIGHT}, {args.frames} frames per case, new snapshot every frame")
    header = f"{'case':<40}{'edges':>8}{'drawn':>8}{'AA':>4}{'mean ms':>9}{'p95 ms':>8}{'cpu ms':>8}{'fps':>7}{'target':>8}  ok"
    print(header)
    print("-" * len(header))
    failed = False
    for index, (label, _sizes, target, *_) in enumerate(CASES):
        if args.baseline is None:
            text, bad = _row(label, run_case(index, args.frames, args.dark, args.gradients), target)
            print(text, flush=True)
            failed |= bad
            continue
        runs: dict[str, list[dict]] = {"base": [], "this": []}
        for _ in range(max(1, args.rounds)):  # alternating, so both sides see the same load
            runs["base"].append(run_case_in(args.baseline, index, args))
            runs["this"].append(run_case_in(None, index, args))
        base, this = (min(runs[side], key=lambda r: r["cpu"]) for side in ("base", "this"))
        if index == 0:
            print(f"baseline renderer: {base['source']}\nthis tree's renderer: {this['source']}")
        print(_row(f"{label} [baseline]", base, target)[0])
        text, bad = _row(f"{label} [this tree]", this, target)
        print(text, flush=True)
        failed |= bad
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
