"""The MP4 writer: what the file holds (ffmpeg reads it back: samples, timestamps, duration, pixels),
held pictures stored once, and its edges (an encoder that fails or stops reading, an abort)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import tracemalloc

import imageio.v3 as iio
import numpy as np
import pytest
from backprop_studio.core.errors import StudioError
from backprop_studio.gui.recording.encoders import open_writer
from backprop_studio.gui.recording.mp4_writer import Mp4Writer, ffmpeg_exe

W, H = 96, 64
FPS = 10


def picture(level: int) -> np.ndarray:
    """A flat BGRA frame with a bar whose place depends on `level`, so pictures differ."""
    frame = np.full((H, W, 4), 255, dtype=np.uint8)
    frame[..., :3] = 240
    frame[16:48, 8 * level : 8 * level + 16, :3] = (40, 60, 200)  # B, G, R: a red bar
    return frame


def samples(path) -> list[tuple[int, int]]:
    """(timestamp, duration) of every sample in the file, in frame times, as ffmpeg decodes them."""
    done = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-fps_mode", "passthrough", "-f", "framecrc", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [line.split(",") for line in done.stdout.splitlines() if line and not line.startswith("#")]
    assert f"#tb 0: 1/{FPS}" in done.stdout
    return [(int(row[2]), int(row[3])) for row in rows]


def stream_info(path) -> str:
    done = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    return done.stderr


def test_a_held_picture_is_one_sample_lasting_its_frames_and_decodes_to_every_frame(tmp_path):
    writer = open_writer(tmp_path / "clip.mp4", FPS, (W, H))
    plan = [(0, 10), (1, 1), (2, 1), (3, 5)]  # (picture, frames shown)
    for level, repeat in plan:
        writer.write(picture(level), repeat)
    writer.close()
    # One sample per picture, at the frame it starts, plus the last picture again at its last frame so
    # the clip lasts until the end of the hold.
    assert samples(tmp_path / "clip.mp4") == [(0, 10), (10, 1), (11, 1), (12, 4), (16, 1)]
    assert "Duration: 00:00:01.70" in stream_info(tmp_path / "clip.mp4")
    frames = iio.imread(tmp_path / "clip.mp4", index=None)  # a reader at the clip's 10 fps
    assert len(frames) == writer.frames_written == 17
    starts = np.cumsum([0] + [repeat for _, repeat in plan])
    for (level, _), first, end in zip(plan, starts[:-1], starts[1:], strict=True):
        expected = picture(level)[..., 2::-1].astype(int)
        assert np.abs(frames[first].astype(int) - expected).mean() < 2.0
        for k in range(first + 1, end):
            assert np.array_equal(frames[k], frames[first])  # a repeated frame decodes to the same pixels


def test_above_210_fps_every_frame_is_stored_so_readers_keep_the_rate(tmp_path):
    with open_writer(tmp_path / "fast.mp4", 240, (W, H)) as writer:
        for level, repeat in [(0, 7), (1, 1), (2, 20)]:
            writer.write(picture(level), repeat)
    info = stream_info(tmp_path / "fast.mp4")
    assert "240 fps" in info and "Duration: 00:00:00.12" in info, info
    assert len(iio.imread(tmp_path / "fast.mp4", index=None)) == 28


def test_the_video_is_h264_yuv420p_tagged_bt709_and_colors_come_back(tmp_path):
    colors = [(230, 60, 40), (40, 160, 70), (50, 90, 220), (250, 250, 250)]  # R, G, B
    frame = np.zeros((H, W, 3), dtype=np.uint8)
    for k, color in enumerate(colors):
        frame[:, k * W // 4 : (k + 1) * W // 4] = color
    with open_writer(tmp_path / "rgb.mp4", FPS, (W, H)) as writer:
        writer.write(frame, 3)  # RGB frames are taken too
    info = stream_info(tmp_path / "rgb.mp4")
    assert re.search(r"Video: h264 \(High\).*yuv420p\(tv, bt709, progressive\)", info), info
    decoded = iio.imread(tmp_path / "rgb.mp4", index=0)
    for k, color in enumerate(colors):
        middle = decoded[H // 2, k * W // 4 + W // 8].astype(int)
        assert np.abs(middle - color).max() <= 4, (color, middle)


def test_memory_stays_flat_with_long_holds(tmp_path):
    width, height = 1920, 1080
    frame = np.full((height, width, 4), 235, dtype=np.uint8)
    writer = open_writer(tmp_path / "m.mp4", 30, (width, height))
    tracemalloc.start()
    try:
        for i in range(24):
            frame[300:500, 40 * i : 40 * i + 40, :3] = (i * 7) % 256
            writer.write(frame, 1 if i % 3 else 45)
        writer.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * frame.nbytes, f"peak {peak / 2**20:.0f} MB"
    assert writer.frames_written == 8 * 45 + 16


def fake_ffmpeg(monkeypatch, script: str) -> None:
    """Run a small Python program instead of ffmpeg (it gets the same stdin pipe)."""
    monkeypatch.setattr(Mp4Writer, "ffmpeg_command", lambda self, layout: [sys.executable, "-c", script])


def test_an_encoder_that_fails_says_why_in_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    fake_ffmpeg(
        monkeypatch,
        "import sys; sys.stderr.write('[out#0/mp4 @ 0x55] Error muxing a packet: No space left on device\\nConversion failed!\\n'); sys.exit(1)",
    )
    with pytest.raises(StudioError) as failure, open_writer(tmp_path / "clip.mp4", FPS, (W, H)) as writer:
        for level in range(200):  # the pipe breaks once the process is gone
            writer.write(picture(level % 8))
    message = str(failure.value)
    assert "\n" not in message and message.endswith(
        "ffmpeg stopped taking frames: Error muxing a packet: No space left on device"
    ), message
    assert "clip.mp4" in message and "ffmpeg" in message
    assert list(tmp_path.iterdir()) == []


def test_an_encoder_that_exits_at_once_says_why(tmp_path, monkeypatch):
    fake_ffmpeg(monkeypatch, "import sys; sys.stderr.write('Unknown encoder libx264\\n'); sys.exit(8)")
    # More than a pipe holds, so writing the stream's start waits for the process, which has gone.
    monkeypatch.setattr(Mp4Writer, "_stream_header", lambda self, layout: bytes(1 << 20))
    with pytest.raises(StudioError) as failure, open_writer(tmp_path / "clip.mp4", FPS, (W, H)) as writer:
        writer.write(picture(0))
    assert str(failure.value) == f"{tmp_path / 'clip.mp4'}: ffmpeg did not start: Unknown encoder libx264"
    assert list(tmp_path.iterdir()) == []


def test_a_bad_encoder_setting_is_reported_from_ffmpegs_own_words(tmp_path, monkeypatch):
    monkeypatch.setattr(Mp4Writer, "PRESET", "warp-speed")
    with (
        pytest.raises(StudioError, match="ffmpeg") as failure,
        open_writer(tmp_path / "clip.mp4", FPS, (W, H)) as writer,
    ):
        for level in range(200):
            writer.write(picture(level % 8))
    assert str(failure.value).endswith("invalid preset 'warp-speed'")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("finish", [True, False])
def test_an_encoder_that_stops_reading_cannot_hang_the_recording(tmp_path, monkeypatch, finish):
    fake_ffmpeg(monkeypatch, "import time; time.sleep(120)")  # never reads its stdin
    monkeypatch.setattr(Mp4Writer, "PUMP_TIMEOUT", 0.5)
    big = np.zeros((1080, 1920, 4), dtype=np.uint8)  # one frame is more than a pipe buffers
    writer = open_writer(tmp_path / "clip.mp4", FPS, (1920, 1080))
    started = time.perf_counter()
    with pytest.raises(StudioError, match=r"ffmpeg took no frame for 0\.5 s"):
        writer.write(big)
        if finish:
            writer.close()
        else:
            for _ in range(5):
                writer.write(big)
    writer.abort()
    assert time.perf_counter() - started < 10.0
    assert writer._process.poll() is not None  # the stuck encoder was stopped, not left running
    assert list(tmp_path.iterdir()) == []


def test_aborting_midway_stops_ffmpeg_and_removes_the_file(tmp_path):
    writer = open_writer(tmp_path / "clip.mp4", FPS, (W, H))
    for level in range(5):
        writer.write(picture(level), 3)
    writer.abort()
    assert writer._process.poll() is not None
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(StudioError, match="already finished"):
        writer.write(picture(0))
