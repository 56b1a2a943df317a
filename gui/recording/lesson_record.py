"""`python main.py record --lesson NAME|FILE --out lesson.mp4`: a lesson as a clip, one scene per step.

The lesson plays on a headless session (`core.lessons.runner.LessonRunner`, the same moves as the
window); each step's scene eases in from the previous one (edge widths and colors move) and is held long
enough to read its narration, which runs as the caption under the picture. Frames stream to the encoder:
memory stays flat, and an error or Ctrl-C leaves nothing half-written.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import TextIO

from backprop_studio.core.analysis.frame_data import frame_inputs
from backprop_studio.core.errors import StudioError
from backprop_studio.core.lessons.catalog import LESSONS, load_builtin
from backprop_studio.core.lessons.model import Lesson
from backprop_studio.core.lessons.reader import load_lesson
from backprop_studio.core.lessons.runner import LessonRunner, Scene
from backprop_studio.core.training import tween
from backprop_studio.gui.recording.record_command import _ensure_qt, _summary, parse_size

READING_WORDS_PER_S = 3.0  # a calm reading pace (180 words a minute) for the default hold
LEAST_HOLD_S = 2.5
TRANSITION_S = 0.5


def load(name_or_file: str) -> Lesson:
    """A built-in lesson by name, else a lesson file."""
    if name_or_file in LESSONS:
        return load_builtin(name_or_file)
    if not os.path.exists(name_or_file):
        raise StudioError(
            f"--lesson {name_or_file!r} is neither a built-in lesson ({', '.join(LESSONS)}) nor a file"
        )
    return load_lesson(name_or_file)


def hold_seconds(narration: str, fixed: float | None) -> float:
    """How long a scene stays: `fixed` when given, else time to read its narration."""
    if fixed is not None:
        return fixed
    return LEAST_HOLD_S + len(narration.split()) / READING_WORDS_PER_S


def record_lesson(args: argparse.Namespace, stderr: TextIO | None = None) -> int:
    """Validate, play the lesson and stream its frames; returns the exit code."""
    stderr = sys.stderr if stderr is None else stderr
    if args.file is not None or args.preset is not None:
        raise StudioError("--lesson brings its own project: give no project file or --preset with it")
    width, height = parse_size(args.size)
    hold, transition = getattr(args, "hold", None), getattr(args, "transition", None)
    if hold is not None and not hold > 0:
        raise StudioError(f"--hold must be a positive number of seconds, not {hold}")
    if transition is not None and not transition >= 0:
        raise StudioError(f"--transition cannot be {transition} s")
    from backprop_studio.gui.recording.encoders import check_output

    check_output(args.out, args.fps, (width, height))
    lesson = load(args.lesson)
    _app = _ensure_qt()
    from backprop_studio.gui.recording.lesson_frames import LessonFrameRenderer

    renderer = LessonFrameRenderer(
        width, height, args.layout or "full", args.title or lesson.title, args.dark
    )
    started = time.perf_counter()
    path, frames = _stream(
        lesson, renderer, args, hold, TRANSITION_S if transition is None else transition, stderr
    )
    print(_summary(path, frames, time.perf_counter() - started, args.fps))
    return 0


def _stream(lesson, renderer, args, hold, transition, stderr) -> tuple[str, int]:
    from backprop_studio.gui.recording.data_plane import MAX_POINTS
    from backprop_studio.gui.recording.encoders import open_writer
    from backprop_studio.gui.style.qimage import bgra_view
    from PySide6.QtGui import QImage

    runner = LessonRunner(lesson)
    dataset = runner.session.dataset
    with_data = (args.layout or "full") == "full"
    image = QImage(renderer.width, renderer.height, QImage.Format.Format_ARGB32_Premultiplied)
    writer = open_writer(args.out, args.fps, (renderer.width, renderer.height), renderer.key_colors())
    previous: Scene | None = None
    try:
        for scene in runner.play():

            def emit(snap, repeat: int, scene: Scene = scene) -> None:
                data = frame_inputs(snap, dataset, max_points=MAX_POINTS) if with_data else None
                renderer.render(snap, scene.stage.show, scene.counter, scene.narration, data, dataset, image)
                writer.write(bgra_view(image), repeat)

            steps = round(transition * args.fps) if previous is not None else 0
            if steps and previous is not None and tween.differs(previous.snapshot, scene.snapshot):
                for k in range(1, steps + 1):
                    t = k / (steps + 1)
                    emit(tween.interpolate(previous.snapshot, scene.snapshot, t * t * (3 - 2 * t)), 1)
            emit(scene.snapshot, max(1, round(hold_seconds(scene.narration, hold) * args.fps)))
            stderr.write(f"{scene.counter}: {writer.frames_written:,} frames\n")
            stderr.flush()
            previous = scene
        frames = writer.frames_written
        return writer.close(), frames
    except BaseException:
        writer.abort()
        raise
