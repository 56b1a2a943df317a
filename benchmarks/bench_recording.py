"""Recording speed: frames rendered and encoded per second, end to end, for MP4 and GIF.

Run: python benchmarks/bench_recording.py [--frames N] [--layout full|canvas]

The network is the `circle` preset widened to 2-18-18-8-1 (512 edges), trained phase by phase, with the
full layout (canvas, decision map, loss curve). Two figures per case:

- every frame new: each frame is a different state, rendered and encoded (the worst case, as in a
  transition, and what the targets are about);
- typical clip: the recorder's own timing at phase granularity (each state held 0.75 s and eased into
  over 0.25 s), where a held picture is rendered once.

Targets: MP4 at 720p faster than real time at 30 fps; GIF at 640x360 at least 15 frames per second.

`--baseline` adds a row per MP4 case with the encoder as it was before held pictures were sent once
(`baseline_mp4.py`), measured in the same run right after the current one, and the ratio.
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
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import itertools

from backprop_studio.core.analysis.frame_data import frame_inputs
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import open_session
from backprop_studio.core.spec import LayerSpec
from backprop_studio.gui.recording.data_plane import MAX_POINTS
from backprop_studio.gui.recording.encoders import open_writer
from backprop_studio.gui.recording.frame import FrameRenderer, FrameSpec
from backprop_studio.gui.recording.recorder import RecordingJob, Timing
from backprop_studio.gui.style.qimage import bgra_view
from baseline_mp4 import BaselineMp4Writer, mp4_writer_class
from PySide6.QtGui import QGuiApplication, QImage

SIZES = (2, 18, 18, 8, 1)
# (label, file suffix, width, height, target frames per second)
CASES = (
    ("MP4 1280x720", ".mp4", 1280, 720, 30.0),
    ("MP4 1920x1080", ".mp4", 1920, 1080, None),
    ("GIF 640x360", ".gif", 640, 360, 15.0),
    ("GIF 1280x720", ".gif", 1280, 720, None),
)


def session_for_bench():
    project = load_preset("circle")
    network = replace(
        project.network, layers=(*tuple(LayerSpec(n, "tanh") for n in SIZES[1:-1]), LayerSpec(1, "tanh"))
    )
    project = replace(project, network=network, weights=None, biases=None)
    session = open_session(project)
    session.run_epochs(3)  # some history for the loss curve
    return session


def states(session, count: int) -> list:
    out = []
    for _ in range(count):
        session.step()
        out.append(session.snapshot())
    return out


def every_frame_new(
    snapshots, dataset, suffix: str, width: int, height: int, layout: str
) -> tuple[float, float]:
    """(render-only fps, render+encode fps) with a new state every frame."""
    spec = FrameSpec(width, height, layout, "Benchmark", False, "auto")
    maps = [frame_inputs(s, dataset, max_points=MAX_POINTS) for s in snapshots]
    renderer = FrameRenderer(spec)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    renderer.render(snapshots[0], maps[0], None, dataset, target=image)  # layout and caches
    start = time.perf_counter()
    for snap, om in zip(snapshots, maps, strict=True):
        renderer.render(snap, om, None, dataset, target=image)
    render_fps = len(snapshots) / (time.perf_counter() - start)

    with tempfile.TemporaryDirectory() as folder:
        writer = open_writer(Path(folder) / f"clip{suffix}", 30, (width, height), renderer.key_colors())
        start = time.perf_counter()
        for snap, om in zip(snapshots, maps, strict=True):
            writer.write(bgra_view(renderer.render(snap, om, None, dataset, target=image)))
        writer.close()
        total_fps = len(snapshots) / (time.perf_counter() - start)
    return render_fps, total_fps


def typical_clip(snapshots, dataset, suffix: str, width: int, height: int, layout: str) -> tuple[float, int]:
    """(frames per second, frames) for the recorder's phase timing, frame data computed by the job."""
    spec = FrameSpec(width, height, layout, "Benchmark", False, "auto")
    with tempfile.TemporaryDirectory() as folder:
        job = RecordingJob(Path(folder) / f"clip{suffix}", spec, Timing(30, 0.75, 0.25), dataset)
        start = time.perf_counter()
        for snap in snapshots:
            job.add_state(snap)
        job.finish()
        elapsed = time.perf_counter() - start
        return job.frames_written / elapsed, job.frames_written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=90, help="distinct states per case (default 90)")
    parser.add_argument("--layout", choices=("full", "canvas"), default="full")
    parser.add_argument("--baseline", action="store_true", help="also time MP4 with the encoder before")
    args = parser.parse_args()
    _app = QGuiApplication.instance() or QGuiApplication([])

    session = session_for_bench()
    edges = sum(a * b for a, b in itertools.pairwise(SIZES))
    snapshots = states(session, args.frames)
    clip_states = snapshots[: max(8, args.frames // 10)]
    print(
        f"Recording speed, {'-'.join(map(str, SIZES))} network ({edges} edges), {args.layout} layout, "
        f"{args.frames} distinct states per case"
    )
    header = f"{'case':<16}{'render fps':>12}{'render+encode':>15}{'typical clip':>14}{'target':>9}  ok"
    print(header)
    print("-" * len(header))
    for label, suffix, width, height, target in CASES:
        render_fps, total_fps = every_frame_new(
            snapshots, session.dataset, suffix, width, height, args.layout
        )
        clip_fps, _ = typical_clip(clip_states, session.dataset, suffix, width, height, args.layout)
        ok = "" if target is None else ("yes" if total_fps >= target else "NO")
        goal = "" if target is None else f">= {target:g}"
        print(f"{label:<16}{render_fps:>12.0f}{total_fps:>15.0f}{clip_fps:>14.0f}{goal:>9}  {ok}")
        if args.baseline and suffix == ".mp4":
            with mp4_writer_class(BaselineMp4Writer):
                _, old_total = every_frame_new(snapshots, session.dataset, suffix, width, height, args.layout)
                old_clip, _ = typical_clip(clip_states, session.dataset, suffix, width, height, args.layout)
            ratios = f"now {total_fps / old_total:.2f}x, {clip_fps / old_clip:.2f}x"
            print(f"{'  baseline':<16}{'':>12}{old_total:>15.0f}{old_clip:>14.0f}  {ratios}")
    print("fps = frames per second, wall time; 'render+encode' renders a new state every frame.")


if __name__ == "__main__":
    main()
