"""`python main.py record`: train a project and record it as MP4, GIF or PNG frames, with no display.

The pictures are the app's own (the same FrameRenderer and CanvasRenderer paint them), drawn offscreen:
Qt is told to use its offscreen platform unless the caller chose one. One state is recorded per
granularity unit (a phase, a pass, a batch or an epoch), after a first state before training starts.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from backprop_studio.core.errors import StudioError

if TYPE_CHECKING:  # Qt is loaded only once the arguments are known to be good
    from backprop_studio.gui.recording.recorder import Timing

GRANULARITIES = ("phase", "pass", "batch", "epoch")
SIZE_NAMES = {"720p": (1280, 720), "1080p": (1920, 1080), "480p": (854, 480), "360p": (640, 360)}

# Seconds each state stays on screen and eases in, per granularity: a phase is worth reading, while an
# epoch-by-epoch clip is about the trend.
HOLD = {"phase": 0.75, "pass": 0.75, "batch": 0.4, "epoch": 0.2}
TRANSITION = {"phase": 0.25, "pass": 0.25, "batch": 0.2, "epoch": 0.12}


def parse_size(text: str) -> tuple[int, int]:
    """(width, height) from "1280x720" (or 1280×720, 720p, 1080p)."""
    value = str(text).strip().lower()
    if value in SIZE_NAMES:
        return SIZE_NAMES[value]
    match = re.fullmatch(r"(\d+)\s*[x×]\s*(\d+)", value)
    if not match:
        raise StudioError(f"--size must be WIDTHxHEIGHT such as 1280x720 (or 720p, 1080p), not {text!r}")
    return int(match.group(1)), int(match.group(2))


def _ensure_qt() -> object:
    """A Qt application for offscreen painting, creating one (on the offscreen platform) if needed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    # A widgets application rather than a GUI-only one, so code that later needs widgets in this process
    # (the app, a test suite) still finds the kind of application it expects.
    return QApplication.instance() or QApplication(["backprop-studio-record"])


def record(args: argparse.Namespace, stderr: TextIO | None = None) -> int:
    """Run the `record` command: validate, train step by step, stream the frames; returns the exit code."""
    stderr = sys.stderr if stderr is None else stderr
    granularity, (width, height) = _checked_arguments(args)

    from backprop_studio.core.commands import load
    from backprop_studio.core.project.project import open_session

    project = load(args.file, args.preset)
    session = open_session(project)
    _app = _ensure_qt()
    from backprop_studio.gui.recording.frame import FrameSpec
    from backprop_studio.gui.recording.recorder import RecordingJob

    spec = FrameSpec(
        width,
        height,
        args.layout or "full",
        args.title or "",
        bool(getattr(args, "dark", False)),
        getattr(args, "mode", None) or "auto",
        image_shape=project.data.image_shape,
    )
    timing = _timing(args, granularity)
    units = args.epochs * session.schedule.units_per_epoch(granularity)
    total = timing.frames_for(units + 1)
    stderr.write(
        f"recording {units + 1:,} states ({args.epochs} epoch{'s' if args.epochs != 1 else ''} by {granularity}) "
        f"as {total:,} frames, {total / timing.fps:.1f} s at {timing.fps:g} fps, {width}x{height}\n"
    )
    stderr.flush()
    started = time.perf_counter()
    with RecordingJob(
        args.out, spec, timing, session.dataset, _progress_printer(total, started, stderr)
    ) as job:
        job.add_state(session.snapshot())
        for _ in range(units):
            if session.divergence is not None:
                break
            session.advance(granularity)  # one state per unit: where it ends is core's schedule
            job.add_state(session.snapshot())
        path = job.finish()
        frames = job.frames_written
    if session.divergence is not None:
        stderr.write(f"training diverged ({session.divergence}); the clip ends there\n")
    print(_summary(path, frames, time.perf_counter() - started, timing.fps))
    return 0


def _checked_arguments(args: argparse.Namespace) -> tuple[str, tuple[int, int]]:
    """Everything checkable, before training starts and before Qt is even loaded: (granularity, size)."""
    granularity = args.granularity or "phase"
    if granularity not in GRANULARITIES:
        raise StudioError(f"--granularity must be one of {', '.join(GRANULARITIES)}, not {granularity!r}")
    if args.epochs is None or args.epochs < 1:
        raise StudioError(f"--epochs must be at least 1, not {args.epochs}")
    size = parse_size(args.size)
    from backprop_studio.gui.recording.encoders import check_output

    check_output(args.out, args.fps, size)
    return granularity, size


def _timing(args: argparse.Namespace, granularity: str) -> Timing:
    from backprop_studio.gui.recording.recorder import Timing

    hold = getattr(args, "hold", None)
    transition = getattr(args, "transition", None)
    return Timing(
        args.fps,
        HOLD[granularity] if hold is None else hold,
        TRANSITION[granularity] if transition is None else transition,
    )


def _progress_printer(total: int, started: float, stderr: TextIO) -> Callable[[int], None]:
    """A progress callback that writes about one line per 10 % to stderr."""
    reported = [0]

    def progress(frames: int) -> None:
        percent = min(100, frames * 100 // max(total, 1))
        if percent >= reported[0] + 10 or (frames >= total and reported[0] < 100):
            reported[0] = percent - percent % 10
            rate = frames / max(time.perf_counter() - started, 1e-9)
            stderr.write(f"{percent:3d}%  {frames:,}/{total:,} frames  ({rate:,.0f} frames/s)\n")
            stderr.flush()

    return progress


def _summary(path: str, frames: int, elapsed: float, fps: float) -> str:
    """ "wrote clip.mp4: 153 frames, 12.8 s (744 frames/s)", the path relative where that is shorter."""
    rate = frames / elapsed if elapsed > 0 else math.inf
    shown = os.path.relpath(path)
    if shown.startswith(".."):
        shown = path
    if os.path.isdir(path):
        shown = os.path.join(shown, "")
    return f"wrote {shown}: {frames:,} frames, {frames / fps:.1f} s ({rate:,.0f} frames/s)"
