"""`record --lesson`: one scene per lesson step, held long enough to read, the narration under the picture."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.lessons.catalog import load_builtin
from backprop_studio.core.lessons.runner import LessonRunner
from backprop_studio.gui.recording.lesson_record import hold_seconds
from PySide6.QtGui import QImage

import main


def test_a_lesson_records_one_held_scene_per_step(capsys, tmp_path):
    out = tmp_path / "frames"
    size = ["--size", "320x180", "--fps", "2", "--hold", "1", "--transition", "0"]
    code = main.main(["record", "--lesson", "two-sigmoid-nodes", "--out", f"{out}/", *size])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    steps = len(load_builtin("two-sigmoid-nodes").steps)
    frames = sorted(out.glob("frame_*.png"))
    assert len(frames) == 2 * steps  # each scene held 1 s at 2 frames per second, no transitions
    assert f"step {steps} of {steps}" in captured.err
    assert f"{2 * steps} frames" in captured.out
    first, second = QImage(str(frames[1])), QImage(str(frames[2]))  # the end of scene 1, the start of 2
    assert (first.width(), first.height()) == (320, 180)
    # The narration strip differs from scene to scene (its text), the frame is not a still.
    strip = lambda img: np.array(  # noqa: E731
        [img.pixel(x, y) for y in range(140, 180, 2) for x in range(0, 320, 4)]
    )
    assert not np.array_equal(strip(first), strip(second))


def test_the_default_hold_gives_time_to_read_the_narration():
    scenes = list(LessonRunner(load_builtin("mazur")).play())
    long = max(scenes, key=lambda s: len(s.narration.split()))
    assert hold_seconds(long.narration, None) >= len(long.narration.split()) / 3.5
    assert hold_seconds("two words", 0.5) == 0.5


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lesson", "nope"], "neither a built-in lesson"),
        (["--lesson", "mazur", "--preset", "xor"], "brings its own project"),
        (["--lesson", "mazur", "--hold", "0"], "--hold must be a positive"),
    ],
)
def test_a_bad_lesson_recording_is_one_line_and_writes_nothing(capsys, tmp_path, argv, message):
    out = tmp_path / "clip.gif"
    code = main.main(["record", *argv, "--out", str(out), "--size", "320x180"])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []
