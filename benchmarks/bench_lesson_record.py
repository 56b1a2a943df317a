"""Lesson recording speed: a built-in lesson recorded to MP4 at 1920×1080, end to end, split into render
and encode time.

Run: python benchmarks/bench_lesson_record.py [--lesson mazur] [--size 1920x1080] [--hold 1] [--fps 30]

It runs the code path of `python main.py record --lesson NAME --out x.mp4 --size 1920x1080`
(`gui.recording.lesson_record.record_lesson`) unchanged, with two stopwatches slipped in: one around the
frame renderer's `render` (painting a scene into the image) and one around the encoder's `write` and
`close` (handing frames to the encoder and finishing the file). ffmpeg encodes in its own process, fed
by a pipe thread, so "encode" is the time the recorder waits for it (the pipe full, the file finishing),
not ffmpeg's CPU time. What is left of the wall-clock time is playing the lesson (training, narration)
and easing between scenes.

A held scene is painted once and handed to the encoder with a repeat count, so "frames painted" is less
than "frames": the end-to-end rate counts every frame of the clip, as a viewer sees it. `--hold` sets how
long each scene stays (default 1 s here; the command's own default is the time to read the narration).
The issue's target is at least 30 frames per second end to end at 1080p.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backprop_studio.core.lessons.catalog import LESSONS
from backprop_studio.gui.recording import encoders, lesson_frames, lesson_record


class Stopwatch:
    """Seconds spent inside wrapped calls, and how many calls."""

    def __init__(self) -> None:
        self.seconds, self.calls = 0.0, 0

    def wrap(self, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls += 1

        return timed


def timed_recording(args: argparse.Namespace) -> tuple[int, float, Stopwatch, Stopwatch]:
    """Record the lesson as the command does; (frames, wall seconds, render watch, encode watch)."""
    render, encode = Stopwatch(), Stopwatch()
    original_renderer, original_open = lesson_frames.LessonFrameRenderer, encoders.open_writer

    class TimedRenderer(original_renderer):
        def render(self, *a, **k):
            return render.wrap(super().render)(*a, **k)

    def timed_open(*a, **k):
        writer = original_open(*a, **k)
        writer.write = encode.wrap(writer.write)
        writer.close = encode.wrap(writer.close)
        return writer

    lesson_frames.LessonFrameRenderer, encoders.open_writer = TimedRenderer, timed_open
    try:
        started = time.perf_counter()
        stdout = io.StringIO()
        saved, sys.stdout = sys.stdout, stdout
        try:
            lesson_record.record_lesson(args, stderr=io.StringIO())
        finally:
            sys.stdout = saved
        elapsed = time.perf_counter() - started
    finally:
        lesson_frames.LessonFrameRenderer, encoders.open_writer = original_renderer, original_open
    frames = int(stdout.getvalue().split(": ", 1)[1].split(" frames")[0].replace(",", ""))
    return frames, elapsed, render, encode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="mazur", choices=LESSONS)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--hold", type=float, default=1.0, help="seconds each scene stays (default 1)")
    parser.add_argument("--transition", type=float, default=None, help="seconds of easing between scenes")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        args = argparse.Namespace(
            lesson=options.lesson,
            out=os.path.join(folder, "lesson.mp4"),
            size=options.size,
            fps=options.fps,
            hold=options.hold,
            transition=options.transition,
            layout="full",
            title="",
            dark=False,
            file=None,
            preset=None,
        )
        frames, elapsed, render, encode = timed_recording(args)
        size_mb = os.path.getsize(args.out) / 2**20
    rest = elapsed - render.seconds - encode.seconds
    per_paint = 1000 * render.seconds / max(render.calls, 1)
    print(f"lesson {options.lesson!r} to MP4 at {options.size}, {options.fps:g} fps, hold {options.hold:g} s")
    print(f"frames: {frames:,} ({render.calls:,} painted, the rest held scenes repeated); {size_mb:.1f} MB")
    print(f"seconds: {elapsed:.2f} end to end; clip length {frames / options.fps:.1f} s")
    print(f"frames per second end to end: {frames / elapsed:.1f}")
    print(f"  render: {render.seconds:.2f} s ({per_paint:.1f} ms per painted frame)")
    print(f"  encode: {encode.seconds:.2f} s (waiting for ffmpeg: frames handed over, the file finished)")
    print(f"  lesson play and easing: {rest:.2f} s")


if __name__ == "__main__":
    main()
