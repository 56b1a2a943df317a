"""The recorder's worker thread and the MP4 pipe at their edges: whatever ends the worker, the window
hears it; an encoder that stops taking frames cannot hang the recording."""

from __future__ import annotations

import threading
import time

import imageio_ffmpeg
import pytest
from backprop_studio.core.errors import StudioError
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import open_session
from backprop_studio.gui.recording.encoders import Mp4Writer
from backprop_studio.gui.recording.frame import FrameSpec
from backprop_studio.gui.recording.recorder import RecorderThread, RecordingJob, Timing

W, H = 160, 96
TIMING = Timing(10, hold=0.2, transition=0.1)


def two_states():
    session = open_session(load_preset("two-node-sigmoid"))
    first = session.snapshot()
    session.step()
    return [first, session.snapshot()], session.dataset


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit])
def test_a_base_exception_in_the_worker_still_ends_with_failed(qtbot, tmp_path, stop):
    states, dataset = two_states()
    recorder = RecorderThread(tmp_path / "clip.gif", FrameSpec(W, H, "canvas"), TIMING, dataset)

    def interrupted(*_args):
        raise stop()

    recorder._job.add_state = interrupted  # the worker's next state raises past `except Exception`
    ends = []
    for signal in (recorder.finished, recorder.failed, recorder.cancelled):
        signal.connect(lambda *args, s=signal: ends.append(s))
    recorder.start()
    with qtbot.waitSignal(recorder.failed, timeout=10_000) as failed:
        assert recorder.add_state(states[0])
    assert recorder.wait(5_000)
    assert "stopped unexpectedly" in failed.args[0]
    qtbot.wait(50)  # let any other queued signal arrive
    assert len(ends) == 1  # exactly one terminal signal
    assert not recorder.try_add_state(states[1])  # the ended worker takes no more states
    assert list(tmp_path.iterdir()) == []


def test_a_state_offered_after_the_worker_failed_is_refused_and_never_queued(qtbot, tmp_path):
    states, dataset = two_states()
    recorder = RecorderThread(tmp_path / "clip.gif", FrameSpec(W, H, "canvas"), TIMING, dataset, queue_size=1)

    def broken(*_args):
        raise ValueError("painting failed")

    recorder._job.add_state = broken
    recorder.start()
    with qtbot.waitSignal(recorder.failed, timeout=10_000):
        recorder.add_state(states[0])
    assert recorder.wait(5_000)
    # A queue of one with room: a plain check-then-put would accept this state for a dead worker.
    assert not recorder.add_state(states[1], timeout=0.5)
    assert not recorder.try_add_state(states[1])


def test_an_encoder_that_stops_taking_frames_does_not_hang_finish(tmp_path, monkeypatch):
    release = threading.Event()

    def wedged_ffmpeg(*_args, **_kwargs):
        def frames():
            yield  # primed by the writer
            release.wait()  # the first frame is never taken: a pipe nobody reads
            yield

        return frames()

    monkeypatch.setattr(imageio_ffmpeg, "write_frames", wedged_ffmpeg)
    monkeypatch.setattr(Mp4Writer, "PUMP_TIMEOUT", 0.5)
    states, dataset = two_states()
    job = RecordingJob(tmp_path / "clip.mp4", FrameSpec(W, H, "canvas"), TIMING, dataset)
    started = time.perf_counter()
    try:
        job.add_state(states[0])
        with pytest.raises(StudioError, match="ffmpeg"):
            job.finish()
        assert time.perf_counter() - started < 10.0
        assert list(tmp_path.iterdir()) == []  # nothing left behind
    finally:
        release.set()  # let the stuck pipe thread end
