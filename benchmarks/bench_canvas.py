"""Frame time of the network canvas at 1280x720, from a tiny net to MNIST size.

Run: python benchmarks/bench_canvas.py [--frames N]

Every frame paints a different snapshot (fresh weights, activations and gradients), so nothing the
renderer might cache about values can help; the layout (node positions) is reused, as in the app.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backprop_studio.gui.canvas.renderer import CanvasOptions, CanvasRenderer
from PySide6.QtCore import QRectF
from PySide6.QtGui import QGuiApplication, QImage, QPainter

from tests.snapshot_factory import make_snapshot

# (label, layer sizes, target frames per second)
CASES = (
    ("~50 edges", (4, 6, 4, 1), 60),
    ("~500 edges", (8, 24, 12, 4), 60),
    ("~5,000 edges", (64, 48, 32, 10), 30),
    ("~50,000 edges", (784, 64, 10), 10),
    ("109k edges (784-128-64-10)", (784, 128, 64, 10), None),
)
WIDTH, HEIGHT = 1280, 720


def bench(sizes: tuple[int, ...], frames: int, options: CanvasOptions) -> tuple[list[float], CanvasRenderer]:
    snapshots = [make_snapshot(sizes, seed) for seed in range(frames + 1)]
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
    rect = QRectF(0, 0, WIDTH, HEIGHT)
    renderer = CanvasRenderer()
    times = []
    for i, snapshot in enumerate(snapshots):
        start = time.perf_counter()
        painter = QPainter(image)
        renderer.paint(painter, rect, snapshot, options)
        painter.end()
        if i:  # the first frame also builds the layout, which the app does once per resize
            times.append((time.perf_counter() - start) * 1000)
    return times, renderer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=40, help="frames per case (default 40)")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--gradients", action="store_true", help="draw dL/dW instead of weights")
    args = parser.parse_args()
    _app = QGuiApplication.instance() or QGuiApplication([])
    options = CanvasOptions(dark=args.dark, mode="gradients" if args.gradients else "values")

    print(f"Canvas frame time at {WIDTH}x{HEIGHT}, {args.frames} frames per case, new snapshot every frame")
    header = (
        f"{'case':<28}{'edges':>8}{'drawn':>8}{'AA':>4}{'mean ms':>9}{'p95 ms':>8}{'fps':>7}{'target':>8}  ok"
    )
    print(header)
    print("-" * len(header))
    failed = False
    for label, sizes, target in CASES:
        times, renderer = bench(sizes, args.frames, options)
        stats = renderer.last_stats
        mean = statistics.fmean(times)
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        fps = 1000 / mean
        ok = "" if target is None else ("yes" if fps >= target else "NO")
        failed |= ok == "NO"
        print(
            f"{label:<28}{stats.edges_total:>8,}{stats.edges_drawn:>8,}{'on' if stats.antialiased else 'off':>4}"
            f"{mean:>9.1f}{p95:>8.1f}{fps:>7.0f}{'' if target is None else f'>= {target}':>8}  {ok}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
