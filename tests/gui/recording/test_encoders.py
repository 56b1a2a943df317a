"""The MP4 pipe at its edge: an encoder that stops taking frames cannot hang the recording."""

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
from backprop_studio.gui.recording.recorder import RecordingJob, Timing


def test_an_encoder_that_stops_taking_frames_does_not_hang_finish(qapp, tmp_path, monkeypatch):
    release = threading.Event()

    def wedged_ffmpeg(*_args, **_kwargs):
        def frames():
            yield  # primed by the writer
            release.wait()  # the first frame is never taken: a pipe nobody reads
            yield

        return frames()

    monkeypatch.setattr(imageio_ffmpeg, "write_frames", wedged_ffmpeg)
    monkeypatch.setattr(Mp4Writer, "PUMP_TIMEOUT", 0.5)
    session = open_session(load_preset("two-node-sigmoid"))
    job = RecordingJob(
        tmp_path / "clip.mp4", FrameSpec(160, 96, "canvas"), Timing(10, 0.2, 0.1), session.dataset
    )
    started = time.perf_counter()
    try:
        job.add_state(session.snapshot())
        with pytest.raises(StudioError, match="ffmpeg"):
            job.finish()
        assert time.perf_counter() - started < 10.0
        assert list(tmp_path.iterdir()) == []  # nothing left behind
    finally:
        release.set()  # let the stuck pipe thread end
