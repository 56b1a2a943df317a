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
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from backprop_studio.core.analysis.frame_data import frame_inputs
from backprop_studio.core.errors import Cancelled, StudioError
from backprop_studio.core.lessons.catalog import LESSONS, load_builtin
from backprop_studio.core.lessons.model import Lesson
from backprop_studio.core.lessons.placeholders import FIRST_SAMPLE
from backprop_studio.core.lessons.reader import load_lesson
from backprop_studio.core.lessons.runner import LessonRunner, Scene, watches_at
from backprop_studio.core.training import tween
from backprop_studio.gui.recording.record_command import _ensure_qt, _summary, parse_size

if TYPE_CHECKING:
    from backprop_studio.gui.recording.side_views import SideScene

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


@dataclass(frozen=True)
class LessonClip:
    """How a lesson becomes a clip: output, frame size and rate, look and timing (None: the defaults)."""

    out: str
    width: int = 1920
    height: int = 1080
    fps: int = 30
    layout: str = "full"
    title: str | None = None  # None: the lesson's title
    dark: bool = False
    hold: float | None = None  # seconds each scene stays; None: time to read its narration
    transition: float = TRANSITION_S


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
    clip = LessonClip(
        args.out,
        width,
        height,
        args.fps,
        args.layout or "full",
        args.title,
        args.dark,
        hold,
        TRANSITION_S if transition is None else transition,
    )
    lesson = load(args.lesson)
    _app = _ensure_qt()
    started = time.perf_counter()

    def said(counter: str, frames: int) -> None:
        stderr.write(f"{counter}: {frames:,} frames\n")
        stderr.flush()

    path, frames = stream_lesson(lesson, clip, on_scene=said)
    print(_summary(path, frames, time.perf_counter() - started, args.fps))
    return 0


def side_scene(runner: LessonRunner, scene: Scene) -> SideScene:
    """What the scene's explanation view shows: its view, selection and numbers, as the window's panels
    would after this step (the first sample of the batch, as the narration's placeholders use)."""
    from backprop_studio.gui.recording.side_views import SideScene

    stage = scene.stage
    return SideScene(
        key=scene.index,
        view=stage.view,
        snapshot=scene.snapshot,
        selection=None if stage.selection is None else stage.selection.as_view_tuple(),
        focus=FIRST_SAMPLE,
        training=runner.lesson.project.training,
        watches=watches_at(runner.file_watches, stage),
        hit=scene.hit,
        names=runner.session.dataset.feature_names,
    )


def stream_lesson(
    lesson: Lesson,
    clip: LessonClip,
    on_scene: Callable[[str, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[str, int]:
    """Play `lesson` headless and stream its frames to `clip.out`; returns (path written, frames).

    `on_scene(counter, frames_written)` after each scene ("step 3 of 14"); `should_stop()` is asked
    between frames, and True ends the clip with `Cancelled` and nothing written. Safe on a worker thread
    (it paints QImages only), which is how the window records a lesson.
    """
    from backprop_studio.gui.recording.data_plane import MAX_POINTS
    from backprop_studio.gui.recording.encoders import check_output, open_writer
    from backprop_studio.gui.recording.lesson_frames import LessonFrameRenderer
    from backprop_studio.gui.style.qimage import bgra_view
    from PySide6.QtGui import QImage

    check_output(clip.out, clip.fps, (clip.width, clip.height))
    renderer = LessonFrameRenderer(
        clip.width,
        clip.height,
        clip.layout,
        clip.title or lesson.title,
        clip.dark,
        lesson.project.data.image_shape,
    )
    runner = LessonRunner(lesson)
    dataset = runner.session.dataset
    fps = clip.fps
    image = QImage(renderer.width, renderer.height, QImage.Format.Format_ARGB32_Premultiplied)
    writer = open_writer(clip.out, fps, (renderer.width, renderer.height), renderer.key_colors())
    previous: Scene | None = None
    try:
        for scene in runner.play():
            side = side_scene(runner, scene)

            def emit(snap, repeat: int, scene: Scene = scene, side: SideScene = side) -> None:
                if should_stop is not None and should_stop():
                    raise Cancelled()
                wanted = renderer.wants_data(side)
                data = frame_inputs(snap, dataset, max_points=MAX_POINTS) if wanted else None
                show, counter, narration = scene.stage.show, scene.counter, scene.narration
                renderer.render(snap, show, counter, narration, data, dataset, image, side=side)
                writer.write(bgra_view(image), repeat)

            steps = round(clip.transition * fps) if previous is not None else 0
            if steps and previous is not None and tween.differs(previous.snapshot, scene.snapshot):
                for k in range(1, steps + 1):
                    t = k / (steps + 1)
                    emit(tween.interpolate(previous.snapshot, scene.snapshot, t * t * (3 - 2 * t)), 1)
            emit(scene.snapshot, max(1, round(hold_seconds(scene.narration, clip.hold) * fps)))
            if on_scene is not None:
                on_scene(scene.counter, writer.frames_written)
            previous = scene
        frames = writer.frames_written
        return writer.close(), frames
    except BaseException:
        writer.abort()
        raise
