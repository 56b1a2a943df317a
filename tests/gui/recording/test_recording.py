"""Recording: in-between snapshots, whole frames, MP4/GIF/PNG writers, the streaming job, the worker
thread and the `record` command. Frames are small so the whole file runs in a few seconds."""

from __future__ import annotations

import os
import tracemalloc
from dataclasses import replace
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from backprop_studio.core.errors import StudioError
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import open_session
from backprop_studio.core.training import tween
from backprop_studio.core.training.snapshot import Phase
from backprop_studio.gui.recording import encoders
from backprop_studio.gui.recording.encoders import open_writer
from backprop_studio.gui.recording.frame import FrameRenderer, FrameSpec, caption_for
from backprop_studio.gui.recording.record_dialog import RecordDialog, RecordOptions
from backprop_studio.gui.recording.recorder import RecordingCancelled, RecordingJob, Timing
from backprop_studio.gui.recording.recorder_thread import RecorderThread
from backprop_studio.gui.style.colors import LIGHT, mix
from backprop_studio.gui.style.qimage import qimage_to_rgb

import main
from tests.snapshot_factory import make_snapshot

W, H = 320, 180
FPS = 10
TIMING = Timing(FPS, hold=0.2, transition=0.1)  # 2 held frames per state, 1 transition frame


def session_states(preset: str = "two-node-sigmoid", phases: int = 6) -> tuple[list, object]:
    """The state before training and after each of the first `phases` phases, and the dataset."""
    session = open_session(load_preset(preset))
    states = [session.snapshot()]
    for _ in range(phases):
        session.step()
        states.append(session.snapshot())
    return states, session.dataset


def record(
    path: Path, states, dataset, spec: FrameSpec | None = None, timing: Timing = TIMING
) -> RecordingJob:
    job = RecordingJob(path, spec or FrameSpec(W, H, "full", "Test"), timing, dataset)
    for snapshot in states:
        job.add_state(snapshot)
    job.finish()
    return job


def held_frame(index: int, timing: Timing = TIMING) -> int:
    """Index of the first held frame of state `index` (transition frames come before it)."""
    return index * (timing.hold_frames + timing.transition_frames)


def diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ------------------------------------------------------------------------------------------ tween


def test_interpolation_endpoints_are_the_snapshots_and_the_midpoint_is_the_mean():
    a = make_snapshot((2, 3, 1), 1)
    b = make_snapshot((2, 3, 1), 2)
    assert tween.interpolate(a, b, 0.0) is a
    assert tween.interpolate(a, b, 1.0) is b
    mid = tween.interpolate(a, b, 0.5)
    for k in range(2):
        np.testing.assert_allclose(mid.weights[k], (a.weights[k] + b.weights[k]) / 2)
        np.testing.assert_allclose(mid.biases[k], (a.biases[k] + b.biases[k]) / 2)
        for name in ("z", "a", "dz", "dW", "db"):
            x, y = getattr(a.layers[k], name), getattr(b.layers[k], name)
            np.testing.assert_allclose(getattr(mid.layers[k], name), (x + y) / 2)
    assert mid.loss == pytest.approx((a.loss + b.loss) / 2)
    assert mid.x is b.x and mid.phase == b.phase and mid.step == b.step and mid.history is b.history
    assert not mid.weights[0].flags.writeable


def test_interpolation_takes_the_later_value_where_the_two_cannot_be_blended():
    a = make_snapshot((2, 3, 1), 1, Phase("forward", 1))
    b = make_snapshot((2, 3, 1), 2, Phase("backward", 1))
    mid = tween.interpolate(a, b, 0.3)
    assert a.layers[1].a is None and mid.layers[1].a is b.layers[1].a  # appeared: b's
    other = make_snapshot((2, 4, 1), 3)
    assert tween.interpolate(a, other, 0.5) is other  # another architecture: b
    assert tween.differs(a, b)  # the first layer's activations belong to different batches
    assert not tween.differs(b, b)


def test_a_phase_that_only_adds_numbers_needs_no_transition():
    states, _ = session_states(phases=3)
    assert not tween.differs(states[1], states[2])  # forward 2 only adds layer 2's numbers


# ------------------------------------------------------------------------------------------ frames


@pytest.mark.parametrize("layout", ["canvas", "full"])
@pytest.mark.parametrize("dark", [False, True])
def test_frames_have_the_exact_size_and_show_the_state(qapp, layout, dark):
    states, dataset = session_states("circle", phases=5)
    renderer = FrameRenderer(FrameSpec(W * 2, H * 2, layout, "Title", dark))
    pictures = [qimage_to_rgb(renderer.render(s, None, None, dataset)) for s in (states[0], states[-1])]
    assert pictures[0].shape == (H * 2, W * 2, 3)
    assert diff(*pictures) > 0.5


def test_captions_say_where_training_is_and_what_is_shown():
    states, _ = session_states(phases=6)
    assert caption_for(states[0]).startswith("Epoch 1 · batch 1/1 · ready, nothing run in this batch yet")
    backward = states[4]  # forward 1, forward 2, loss, backward 2
    assert backward.phase == Phase("backward", 2)
    assert caption_for(backward) == "Epoch 1 · batch 1/1 · backward through layer 2 · ∂L/∂z and ∂L/∂w shown"
    assert caption_for(backward, "values").endswith("activations a and weights w shown")
    assert "loss L = " in caption_for(states[3])


# ------------------------------------------------------------------------------------------ writers


def test_mp4_opens_with_the_expected_frames_which_change_where_the_network_did(qapp, tmp_path):
    states, dataset = session_states()
    job = record(tmp_path / "clip.mp4", states, dataset)
    frames = iio.imread(tmp_path / "clip.mp4", index=None)
    assert job.frames_written == TIMING.frames_for(len(states)) == len(frames)
    assert frames.shape[1:] == (H, W, 3)
    start, forward = frames[held_frame(0)], frames[held_frame(1)]
    assert diff(start, frames[held_frame(0) + 1]) < 1.0  # a held state stays put
    assert diff(start, forward) > 1.0  # forward through layer 1 filled in a node
    assert leftovers(tmp_path) == ["clip.mp4"]


def test_gif_opens_loops_and_keeps_time(qapp, tmp_path):
    states, dataset = session_states()
    record(tmp_path / "clip.gif", states, dataset)
    frames = iio.imread(tmp_path / "clip.gif", index=None)
    assert len(frames) == TIMING.frames_for(len(states))
    assert frames.shape[1:3] == (H, W)
    assert np.array_equal(frames[held_frame(2)], frames[held_frame(2) + 1])
    assert diff(frames[held_frame(0)], frames[held_frame(6)]) > 1.0  # after the update
    meta = iio.immeta(tmp_path / "clip.gif", index=0)
    assert meta.get("loop") == 0 and meta.get("duration") == 100
    # The renderer's own colors are in the GIF's palette, so flat areas keep their exact color.
    assert tuple(frames[0][0, 0]) == mix(LIGHT.background, LIGHT.text, 0.07)  # the title bar


def test_transitions_pass_through_in_between_pictures(qapp, tmp_path):
    states, dataset = session_states("circle", phases=8)  # a whole batch, ending with the update
    timing = Timing(FPS, hold=0.1, transition=0.3)
    record(tmp_path / "t.gif", [states[-2], states[-1]], dataset, FrameSpec(W, H, "canvas"), timing)
    frames = iio.imread(tmp_path / "t.gif", index=None)
    before, middle, after = frames[0], frames[2], frames[-1]
    assert diff(before, middle) > 0.05 and diff(middle, after) > 0.05


def test_png_sequence_is_complete_and_numbered(qapp, tmp_path):
    states, dataset = session_states(phases=3)
    job = record(f"{tmp_path}/frames/", states, dataset, FrameSpec(W, H, "canvas"))
    names = leftovers(tmp_path / "frames")
    assert names == [f"frame_{i:05d}.png" for i in range(1, job.frames_written + 1)]
    assert job.frames_written == TIMING.frames_for(len(states))
    assert iio.imread(tmp_path / "frames" / names[-1]).shape[:2] == (H, W)
    assert leftovers(tmp_path) == ["frames"]
    record(tmp_path / "frames", states[:2], dataset, FrameSpec(W, H, "canvas"))  # an existing folder
    assert len(leftovers(tmp_path / "frames")) == TIMING.frames_for(2)


@pytest.mark.parametrize(
    ("out", "fps", "size", "message"),
    [
        ("clip.avi", 30, (W, H), "'.avi'"),
        ("clip", 30, (W, H), "no file extension"),
        ("clip.mp4", 0, (W, H), "positive"),
        ("clip.gif", -5, (W, H), "positive"),
        ("clip.mp4", float("nan"), (W, H), "positive"),
        ("clip.gif", 60, (W, H), "too fast for GIF"),
        ("clip.mp4", 30, (321, 180), "even"),
        ("clip.mp4", 30, (32, 18), "too small"),
        ("missing/clip.mp4", 30, (W, H), "does not exist"),
        ("missing/frames/", 30, (W, H), "does not exist"),
    ],
)
def test_bad_arguments_say_what_is_wrong_and_write_nothing(tmp_path, out, fps, size, message):
    with pytest.raises(StudioError, match=message):
        open_writer(tmp_path / out if not out.endswith("/") else f"{tmp_path}/{out}", fps, size)
    assert leftovers(tmp_path) == []


def test_an_unwritable_folder_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    real_access = os.access
    # Root ignores permission bits, so the check is also exercised by making access() say no.
    monkeypatch.setattr(encoders.os, "access", lambda p, mode: Path(p) != locked and real_access(p, mode))
    try:
        for out in ("clip.mp4", "clip.gif", "frames/"):
            with pytest.raises(StudioError, match="not writable"):
                open_writer(f"{locked}/{out}", 30, (W, H))
        assert leftovers(locked) == []
    finally:
        locked.chmod(0o700)


def test_a_folder_with_other_files_is_not_used_for_frames(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StudioError, match="other files"):
        open_writer(tmp_path, 30, (W, H))
    assert leftovers(tmp_path) == ["notes.txt"]


@pytest.mark.parametrize("out", ["clip.mp4", "clip.gif", "frames/"])
def test_cancelling_midway_leaves_nothing_under_the_target_name(qapp, tmp_path, out):
    states, dataset = session_states()
    job = None

    def progress(frames: int) -> None:
        if frames >= 5:
            job.cancel()

    job = RecordingJob(f"{tmp_path}/{out}", FrameSpec(W, H, "canvas"), TIMING, dataset, progress)
    with pytest.raises(RecordingCancelled):
        for snapshot in states:
            job.add_state(snapshot)
        job.finish()
    assert leftovers(tmp_path) == []


def test_an_existing_file_survives_a_cancelled_recording(qapp, tmp_path):
    target = tmp_path / "clip.gif"
    target.write_bytes(b"previous clip")
    states, dataset = session_states(phases=1)
    with RecordingJob(target, FrameSpec(W, H, "canvas"), TIMING, dataset) as job:
        job.add_state(states[0])
        job.cancel()
        with pytest.raises(RecordingCancelled):
            job.add_state(states[1])
    assert target.read_bytes() == b"previous clip" and leftovers(tmp_path) == ["clip.gif"]


@pytest.mark.parametrize(("out", "frames"), [("m.mp4", 40), ("m.gif", 40), ("frames/", 12)])
def test_writing_1080p_frames_keeps_memory_flat(tmp_path, out, frames):
    width, height = 1920, 1080
    frame = np.full((height, width, 4), 235, dtype=np.uint8)
    frame_bytes = frame.nbytes
    writer = open_writer(f"{tmp_path}/{out}", 30, (width, height))
    tracemalloc.start()
    try:
        for i in range(frames):
            x = 40 * i
            frame[300:500, x : x + 40, :3] = (i * 7) % 256  # a bar that grows: every frame differs
            writer.write(frame)
        writer.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # A handful of frames in flight at most; keeping every frame would need `frames` of them.
    assert peak < 5 * frame_bytes, f"peak {peak / 2**20:.0f} MB for {frames} frames"
    assert writer.frames_written == frames


# ------------------------------------------------------------------------------------------ app thread


def test_recorder_thread_records_in_the_background(qtbot, tmp_path):
    states, dataset = session_states(phases=3)
    recorder = RecorderThread(tmp_path / "bg.gif", FrameSpec(W, H, "full"), TIMING, dataset, queue_size=2)
    progress = []
    recorder.progress.connect(progress.append)
    recorder.start()
    with qtbot.waitSignal(recorder.finished, timeout=10_000) as finished:
        for snapshot in states:
            assert recorder.add_state(snapshot)
        recorder.finish()
    assert recorder.wait(5_000)
    assert finished.args == [str(tmp_path / "bg.gif")]
    assert progress[-1] == TIMING.frames_for(len(states))
    assert len(iio.imread(tmp_path / "bg.gif", index=None)) == progress[-1]


def test_recorder_thread_cancel_removes_the_output(qtbot, tmp_path):
    states, dataset = session_states(phases=6)
    recorder = RecorderThread(tmp_path / "bg.mp4", FrameSpec(W, H, "full"), TIMING, dataset)
    recorder.start()
    with qtbot.waitSignal(recorder.cancelled, timeout=10_000):
        recorder.add_state(states[0])
        recorder.cancel()
    assert recorder.wait(5_000)
    assert not recorder.add_state(states[1])
    assert leftovers(tmp_path) == []


def test_recorder_thread_reports_a_failure(qtbot, tmp_path):
    states, dataset = session_states(phases=1)
    recorder = RecorderThread(tmp_path / "bad.gif", FrameSpec(W, H, "canvas"), TIMING, dataset)
    broken = replace(states[1], sizes=(1, 1))  # inconsistent with its weights: painting fails
    recorder.start()
    with qtbot.waitSignal(recorder.failed, timeout=10_000):
        recorder.add_state(broken)
        recorder.finish()
    assert recorder.wait(5_000)
    assert leftovers(tmp_path) == []


def test_record_dialog_collects_checked_options(qtbot, tmp_path):
    dialog = RecordDialog(
        None, RecordOptions(path=str(tmp_path / "a.gif"), title="Hi"), window_size=(1001, 700)
    )
    qtbot.addWidget(dialog)
    assert dialog.size_combo.count() == 3 and "1000 × 700" in dialog.size_combo.itemText(2)
    dialog.size_combo.setCurrentIndex(2)
    dialog.transitions_check.setChecked(False)
    options = dialog.options()
    assert (options.width, options.height, options.transition, options.title) == (1000, 700, 0.0, "Hi")
    assert options.frame_spec().width == 1000 and options.timing().transition_frames == 0
    dialog.path_edit.setText(str(tmp_path / "a.avi"))
    assert not dialog.record_button.isEnabled() and "'.avi'" in dialog.format_label.text()
    dialog.path_edit.setText(str(tmp_path / "missing" / "a.mp4"))
    dialog.accept()
    assert dialog.result_options is None and "does not exist" in dialog.error_label.text()
    dialog.path_edit.setText(str(tmp_path / "a.mp4"))
    dialog.accept()
    assert dialog.result_options == replace(options, path=str(tmp_path / "a.mp4"))
    assert leftovers(tmp_path) == []


# ------------------------------------------------------------------------------------------ command line


def test_record_command_writes_a_gif_with_progress(qapp, tmp_path, capsys):
    out = tmp_path / "c.gif"
    argv = ["record", "--preset", "two-node-sigmoid", "--out", str(out), "--epochs", "1"]
    code = main.main([*argv, "--size", "320x180", "--fps", "10"])
    stdout, stderr = capsys.readouterr()
    assert code == 0
    frames = iio.imread(out, index=None)
    # 7 states (before training and 6 phases), each held 0.75 s and eased into over 0.25 s at 10 fps.
    assert len(frames) == Timing(10, 0.75, 0.25).frames_for(7) and frames.shape[1:3] == (180, 320)
    assert f"wrote {out}: {len(frames)} frames" in stdout
    assert "100%" in stderr and stderr.count("%") >= 5


def test_record_command_canvas_layout_to_png_frames(qapp, tmp_path, capsys):
    out = f"{tmp_path}/frames/"
    source = [
        "record",
        "--preset",
        "seed-relu-1-2-2",
        "--out",
        out,
        "--epochs",
        "1",
        "--granularity",
        "batch",
    ]
    code = main.main([*source, "--size", "256x144", "--fps", "5", "--layout", "canvas", "--title", "Batches"])
    capsys.readouterr()
    assert code == 0
    assert len(leftovers(tmp_path / "frames")) == Timing(5, 0.4, 0.2).frames_for(5)  # 4 batches + start


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "clip.avi"], "'.avi'"),
        (["--out", "clip.mp4", "--fps", "0"], "positive"),
        (["--out", "clip.mp4", "--size", "wide"], "--size"),
        (["--out", "nowhere/clip.gif"], "does not exist"),
        (["--out", "clip.mp4", "--epochs", "0"], "--epochs"),
    ],
)
def test_record_command_errors_are_one_line_and_write_nothing(tmp_path, capsys, monkeypatch, extra, message):
    monkeypatch.chdir(tmp_path)
    code = main.main(["record", "--preset", "two-node-sigmoid", *extra])
    _, stderr = capsys.readouterr()
    assert code == 2
    assert stderr.startswith("error: ") and message in stderr and stderr.count("\n") == 1
    assert leftovers(tmp_path) == []
