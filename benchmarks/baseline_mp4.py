"""The MP4 encoder as it was before held pictures were sent once, for benchmarks' before/after figures.

Raw frames on ffmpeg's pipe (`-f rawvideo`, no timestamps), so a picture held for N frames is piped,
converted and encoded N times; x264 otherwise as now (preset veryfast, CRF 20, yuv420p), with its
default B-frames and ffmpeg's default (BT.601, untagged) color conversion, as before.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from backprop_studio.gui.recording import encoders
from backprop_studio.gui.recording.mp4_writer import Mp4Writer, ffmpeg_exe


class BaselineMp4Writer(Mp4Writer):
    """The MP4 encoder before this change: raw frames on ffmpeg's pipe, a hold sent frame by frame."""

    def ffmpeg_command(self, layout: str) -> list[str]:
        width, height = self.size
        return [
            *(ffmpeg_exe(), "-y", "-f", "rawvideo", "-vcodec", "rawvideo", "-s", f"{width}x{height}"),
            *("-pix_fmt", "bgra" if layout == "native32" else "rgb24", "-r", f"{self.fps:g}", "-an"),
            *("-i", "-", "-vcodec", "libx264", "-pix_fmt", "yuv420p", "-preset", self.PRESET),
            *("-crf", str(self.CRF), "-movflags", "+faststart", "-f", "mp4", "-v", "error", str(self._temp)),
        ]

    def _stream_header(self, layout: str) -> bytes:
        return b""  # raw video: pixels only

    def _send(self, pixels: np.ndarray, frame: int) -> None:
        self._process.stdin.write(pixels.reshape(-1))
        self._process.stdin.flush()

    def _write(self, frame: np.ndarray, layout: str, repeat: int) -> None:
        if self._process is None:
            self._start(layout)
        self._check_pipe()
        pixels = np.array(frame, order="C", copy=True)
        for k in range(repeat):  # the same picture again and again: a reference, not a copy
            self._put((pixels, self.frames_written + k))


@contextlib.contextmanager
def mp4_writer_class(writer_class: type[Mp4Writer]) -> Iterator[None]:
    """`open_writer` makes `writer_class` writers for .mp4 inside the block."""
    saved, encoders.Mp4Writer = encoders.Mp4Writer, writer_class
    try:
        yield
    finally:
        encoders.Mp4Writer = saved
