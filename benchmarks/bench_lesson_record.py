"""Lesson recording speed: a built-in lesson recorded to MP4 at 1920×1080, end to end, split into paint
and encode time, optionally against the encoder as it was before (`--baseline`) in the same run.

Run: python benchmarks/bench_lesson_record.py [--lesson mazur] [--size 1920x1080] [--hold 1] [--fps 30]
                                              [--baseline] [--runs 3]

It runs the code path of `python main.py record --lesson NAME --out x.mp4 --size 1920x1080`
(`gui.recording.lesson_record.record_lesson`) unchanged, with two stopwatches slipped in: one around the
frame renderer's `render` (painting a scene into the image) and one around the encoder's `write` and
`close` (handing frames to the encoder, and finishing the file). ffmpeg encodes in its own process, fed
by a pipe thread, so "encode wait" is the time the recorder waits for it (the pipe full, the file
finishing), and "ffmpeg CPU" is what the encoder process used, mostly on the other core. What is left of
the wall-clock time is playing the lesson (training, narration) and easing between scenes.

A held scene is painted once and handed to the encoder with a repeat count, so "frames painted" is less
than "frames": the end-to-end rate counts every frame of the clip, as a viewer sees it. `--hold` sets how
long each scene stays (default 1 s here; the command's own default is the time to read the narration).
The issue's target is at least 30 frames per second end to end at 1080p.

`--baseline` also records with the MP4 encoder as it was before held pictures were sent once: raw frames
on the pipe (no timestamps), every frame of a hold piped, converted and encoded, x264 defaults otherwise
the same (veryfast, CRF 20). Runs alternate baseline, current, … (this shared machine's speed drifts),
and medians of `--runs` are printed, with the ratio.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backprop_studio.core.lessons.catalog import LESSONS
from backprop_studio.gui.recording import encoders, lesson_frames, lesson_record
from backprop_studio.gui.recording.mp4_writer import Mp4Writer
from baseline_mp4 import BaselineMp4Writer, mp4_writer_class


@dataclass
class Run:
    frames: int
    painted: int
    seconds: float
    paint_s: float
    wait_s: float  # handing frames over (the pipe full)
    finish_s: float  # ffmpeg finishing the file after the last frame
    ffmpeg_cpu_s: float
    megabytes: float

    @property
    def rest_s(self) -> float:
        """Playing the lesson and easing: what neither painting nor waiting for ffmpeg took."""
        return self.seconds - self.paint_s - self.wait_s - self.finish_s

    @property
    def fps(self) -> float:
        return self.frames / self.seconds


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


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_recording(args: argparse.Namespace, writer_class: type[Mp4Writer]) -> Run:
    """Record the lesson as the command does, with `writer_class` for the MP4."""
    render, encode, finish = Stopwatch(), Stopwatch(), Stopwatch()
    original_renderer, original_open = lesson_frames.LessonFrameRenderer, encoders.open_writer

    class TimedRenderer(original_renderer):
        def render(self, *a, **k):
            return render.wrap(super().render)(*a, **k)

    def timed_open(*a, **k):
        writer = original_open(*a, **k)
        writer.write = encode.wrap(writer.write)
        writer.close = finish.wrap(writer.close)
        return writer

    lesson_frames.LessonFrameRenderer, encoders.open_writer = TimedRenderer, timed_open
    cpu_before = children_cpu()
    try:
        started = time.perf_counter()
        stdout = io.StringIO()
        saved, sys.stdout = sys.stdout, stdout
        try:
            with mp4_writer_class(writer_class):
                lesson_record.record_lesson(args, stderr=io.StringIO())
        finally:
            sys.stdout = saved
        elapsed = time.perf_counter() - started
    finally:
        lesson_frames.LessonFrameRenderer, encoders.open_writer = original_renderer, original_open
    frames = int(stdout.getvalue().split(": ", 1)[1].split(" frames")[0].replace(",", ""))
    megabytes = os.path.getsize(args.out) / 2**20
    cpu = children_cpu() - cpu_before
    return Run(frames, render.calls, elapsed, render.seconds, encode.seconds, finish.seconds, cpu, megabytes)


def median_run(runs: list[Run]) -> tuple[Run, float]:
    """A run of the median figures, and the median of what each run left to lesson play and easing
    (medians do not add up, so that one is not taken from the others)."""
    fields = ("seconds", "paint_s", "wait_s", "finish_s", "ffmpeg_cpu_s", "megabytes")
    medians = {name: statistics.median(getattr(r, name) for r in runs) for name in fields}
    return Run(runs[0].frames, runs[0].painted, **medians), statistics.median(r.rest_s for r in runs)


def report(label: str, run: Run, rest: float, count: int) -> None:
    per_paint = 1000 * run.paint_s / max(run.painted, 1)
    waited = run.wait_s + run.finish_s
    of = f" (median of {count})" if count > 1 else ""
    print(f"{label}{of}:")
    print(f"  frames per second end to end: {run.fps:.1f}   ({run.seconds:.2f} s; {run.megabytes:.2f} MB)")
    print(f"  paint: {run.paint_s:.2f} s, {per_paint:.1f} ms per painted frame")
    print(
        f"  encode: waiting {waited:.2f} s ({100 * waited / run.seconds:.0f} % of the time: "
        f"{run.wait_s:.2f} s handing frames over, {run.finish_s:.2f} s finishing the file); "
        f"ffmpeg CPU {run.ffmpeg_cpu_s:.2f} s"
    )
    print(f"  lesson play and easing: {rest:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="mazur", choices=LESSONS)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--hold", type=float, default=1.0, help="seconds each scene stays (default 1)")
    parser.add_argument("--transition", type=float, default=None, help="seconds of easing between scenes")
    parser.add_argument("--baseline", action="store_true", help="also run the encoder as it was before")
    parser.add_argument("--runs", type=int, default=1, help="recordings of each kind; medians printed")
    options = parser.parse_args()
    kinds = {"baseline (every frame piped and encoded)": BaselineMp4Writer} if options.baseline else {}
    kinds["current (a held picture encoded once)"] = Mp4Writer
    results: dict[str, list[Run]] = {label: [] for label in kinds}
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
        for _ in range(max(1, options.runs)):
            for label, writer_class in kinds.items():
                results[label].append(timed_recording(args, writer_class))
    first = next(iter(results.values()))[0]
    print(f"lesson {options.lesson!r} to MP4 at {options.size}, {options.fps:g} fps, hold {options.hold:g} s")
    print(f"frames: {first.frames:,} ({first.painted:,} painted, the rest held scenes repeated)")
    print(f"clip length {first.frames / options.fps:.1f} s; load average {os.getloadavg()[0]:.1f}")
    medians = {label: median_run(runs) for label, runs in results.items()}
    for label, (run, rest) in medians.items():
        report(label, run, rest, len(results[label]))
    if options.baseline:
        (before, _), (after, _) = medians.values()
        print(
            f"current / baseline: {after.fps / before.fps:.2f}x the frames per second, "
            f"{after.ffmpeg_cpu_s / max(before.ffmpeg_cpu_s, 1e-9):.2f}x the ffmpeg CPU, "
            f"{after.megabytes / before.megabytes:.2f}x the file size"
        )


if __name__ == "__main__":
    main()
