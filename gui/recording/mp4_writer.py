"""MP4 recordings: H.264 (yuv420p, BT.709) through ffmpeg, fed raw frames with timestamps.

ffmpeg is the one imageio-ffmpeg ships, run as a separate process, so encoding uses the other core while
Python paints. Frames reach its pipe from a helper thread through a queue of at most PIPE_DEPTH frames:
painting the next frame overlaps with encoding the last, and memory stays at a few frames.

A held picture is sent once. The pipe carries Matroska (`matroska.py`) in which every frame has its own
timestamp, so a picture shown for 3 s is converted and encoded once and stored as one sample lasting
3 s, instead of 90 identical frames each converted and encoded; the MP4 keeps the frame rate's time grid
(every timestamp is a whole frame time, and players show 30 fps), with variable frame durations. No
B-frames, so samples are stored in display order and each sample's duration is its time on screen.
(Above 210 frames per second every frame is stored, as ffmpeg's readers would otherwise guess the rate.)
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
from fractions import Fraction
from pathlib import Path

import numpy as np
from backprop_studio.core.display.text import printable
from backprop_studio.core.errors import StudioError
from backprop_studio.gui.recording import matroska
from backprop_studio.gui.recording.frame_writer import FrameWriter, temp_file

# av_guess_frame_rate: a stream said to run above 210 fps whose average is below 70 is taken at its average.
VARIABLE_RATE_LIMIT = 210.0
# The "[libx264 @ 0x55d…] " and "x264 [error]: " tags ffmpeg puts before its messages.
_TAGS = re.compile(r"^(?:\[[^\]]*\]\s*|x264 \[\w+\]:\s*)+")
# FourCC of the raw pixels for ffmpeg: a QImage 32-bit frame as it lies in memory, or RGB.
_FOURCC = {"native32": b"BGRA" if sys.byteorder == "little" else b"ARGB", "rgb": b"RGB\x18"}


def ffmpeg_exe() -> str:
    """The ffmpeg imageio-ffmpeg provides; StudioError when there is none."""
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as exc:
        raise StudioError(f"MP4 needs ffmpeg (pip install imageio-ffmpeg): {exc}") from None


class Mp4Writer(FrameWriter):
    """H.264 in MP4: yuv420p (plays everywhere), preset veryfast (as small as the default preset here and
    about three times faster), CRF 20 (text stays crisp), BT.709 colors, tagged so players convert back
    the way they were converted; each picture encoded once however long it is held."""

    format = "mp4"
    CRF = 20
    PRESET = "veryfast"
    PIPE_DEPTH = 2
    # Seconds to wait for the pipe thread to take a frame or to stop. A healthy ffmpeg takes a frame in
    # milliseconds; one that stopped reading would otherwise hang the recording (and the window) forever.
    PUMP_TIMEOUT = 30.0
    FINISH_TIMEOUT = 300.0  # for ffmpeg to finish the file (it moves the index to the front)

    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        super().__init__(path, fps, size)
        fd, self._temp = temp_file(path)
        os.close(fd)
        self._process: subprocess.Popen | None = None
        self._log = None  # ffmpeg's messages (stderr), read when it fails
        self._layout: str | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=self.PIPE_DEPTH)
        self._pump: threading.Thread | None = None
        self._error: BaseException | None = None
        self._last: tuple[np.ndarray, int] | None = None  # the last picture and its last frame, if held

    def ffmpeg_command(self, layout: str) -> list[str]:
        """ffmpeg reading the Matroska stream on stdin and writing the MP4 to the temporary file."""
        rate = Fraction(self.fps).limit_denominator(1001)
        return [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "matroska",
            "-i",
            "pipe:0",
            "-an",
            # BT.709, as players assume for HD, and said so in the stream (matrix, primaries, transfer).
            "-vf",
            "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,"
            "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv",
            "-c:v",
            "libx264",
            "-preset",
            self.PRESET,
            "-crf",
            str(self.CRF),
            "-bf",
            "0",
            *self._timing(rate),
            "-movflags",
            "+faststart",
            # The temporary name does not end in .mp4, so the container is named explicitly.
            "-f",
            "mp4",
            "-y",
            str(self._temp),
        ]

    def _timing(self, rate: Fraction) -> list[str]:
        """Keep the stream's timestamps (a held picture is one sample) on the grid of whole frame times.
        Above VARIABLE_RATE_LIMIT frames per second ffmpeg's readers take a clip with held pictures for
        its average rate (a guard against field-rate streams), so there every frame is sent and stored."""
        if self.fps > VARIABLE_RATE_LIMIT:
            return ["-fps_mode", "cfr", "-r", f"{rate.numerator}/{rate.denominator}"]
        return ["-fps_mode", "passthrough", "-enc_time_base", f"{rate.denominator}/{rate.numerator}"]

    def _start(self, layout: str) -> None:
        command = self.ffmpeg_command(layout)
        self._layout = layout
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by _finish or _discard)
        try:
            self._process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._log
            )
        except OSError as exc:
            raise StudioError(f"{self.path}: cannot start ffmpeg: {exc}") from exc
        try:
            self._process.stdin.write(self._stream_header(layout))
        except OSError as exc:  # it exited at once (a bad setting, no encoder): say why
            raise self._failure("ffmpeg did not start") from exc
        self._pump = threading.Thread(target=self._run_pump, name="mp4-pipe", daemon=True)
        self._pump.start()

    def _stream_header(self, layout: str) -> bytes:
        """What the pipe starts with: the Matroska header naming the pixel layout."""
        return matroska.stream_header(*self.size, _FOURCC[layout])

    def _run_pump(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None:
                continue  # keep taking frames so the renderer never blocks on a dead pipe
            pixels, frame = item
            try:
                self._send(pixels, frame)
            except BaseException as exc:
                self._error = exc

    def _send(self, pixels: np.ndarray, frame: int) -> None:
        """Write one picture shown from frame number `frame` (0-based) on; runs on the pipe thread."""
        stdin = self._process.stdin
        stdin.write(matroska.frame_header(round(frame * 1000 / self.fps), pixels.nbytes))
        stdin.write(pixels.reshape(-1))
        stdin.flush()

    def _write(self, frame: np.ndarray, layout: str, repeat: int) -> None:
        if self._process is None:
            self._start(layout)
        elif layout != self._layout:
            raise ValueError("every frame of a video must have the same layout (RGB or 32-bit)")
        self._check_pipe()
        # The caller paints the next picture into the same buffer, so the pipe gets its own copy.
        pixels = np.array(frame, order="C", copy=True)
        if self.fps > VARIABLE_RATE_LIMIT:  # every frame stored: the same picture again (not copied)
            for k in range(repeat):
                self._put((pixels, self.frames_written + k))
            return
        self._put((pixels, self.frames_written))
        # A held last picture is sent again at its last frame on close, so the clip lasts until its end.
        self._last = (pixels, self.frames_written + repeat - 1) if repeat > 1 else None

    def _put(self, item: tuple[np.ndarray, int] | None) -> None:
        try:
            self._queue.put(item, timeout=self.PUMP_TIMEOUT)
        except queue.Full:
            self._kill()  # unblocks the pipe thread, which then drains the queue
            raise StudioError(f"{self.path}: ffmpeg took no frame for {self.PUMP_TIMEOUT:g} s") from None

    def _ffmpeg_says(self) -> str:
        """ffmpeg's first error message, the cause (the lines after it are the fallout), as one printable
        line without its "[libx264 @ 0x…]" tags; "" when it said nothing."""
        if self._log is None:
            return ""
        with contextlib.suppress(OSError, ValueError):
            self._log.seek(0)
            lines = self._log.read().decode("utf-8", "replace").splitlines()
            said = [_TAGS.sub("", line).strip() for line in lines]
            said = [line for line in said if line]
            return printable(said[0]) if said else ""
        return ""

    def _failure(self, what: str) -> StudioError:
        """One line: what failed, and why in ffmpeg's words (or its exit status)."""
        process = self._process
        if process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5.0)  # a broken pipe means it is ending: let it finish its message
        reason = self._ffmpeg_says()
        if not reason and process is not None and process.returncode is not None:
            reason = f"it exited with status {process.returncode}"
        return StudioError(f"{self.path}: {what}" + (f": {reason}" if reason else ""))

    def _check_pipe(self) -> None:
        if self._error is not None:
            raise self._failure("ffmpeg stopped taking frames") from self._error

    def _finish(self) -> None:
        if self._last is not None:
            self._put(self._last)
            self._last = None
        self._put(None)
        pump, self._pump = self._pump, None
        pump.join(self.PUMP_TIMEOUT)
        if pump.is_alive():  # stuck in a pipe write: ffmpeg stopped reading
            self._kill()
            raise StudioError(f"{self.path}: ffmpeg took no frame for {self.PUMP_TIMEOUT:g} s")
        self._check_pipe()
        try:
            self._process.stdin.close()
        except OSError as exc:
            raise self._failure("ffmpeg stopped taking frames") from exc
        try:
            status = self._process.wait(self.FINISH_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._kill()
            raise StudioError(
                f"{self.path}: ffmpeg did not finish the file in {self.FINISH_TIMEOUT:g} s"
            ) from None
        if status != 0:
            raise self._failure("ffmpeg could not finish the video")
        if not self._temp.exists() or self._temp.stat().st_size == 0:
            raise self._failure("ffmpeg did not produce a video")
        self._close_log()
        os.replace(self._temp, self.path)

    def _kill(self) -> None:
        if self._process is not None:
            with contextlib.suppress(OSError):
                self._process.kill()

    def _close_log(self) -> None:
        log, self._log = self._log, None
        if log is not None:
            with contextlib.suppress(OSError):
                log.close()

    def _discard(self) -> None:
        self._kill()  # a write blocked on the pipe now fails, so the pipe thread drains and ends
        pump, self._pump = self._pump, None
        if pump is not None:
            with contextlib.suppress(queue.Full):
                self._queue.put(None, timeout=self.PUMP_TIMEOUT)
            pump.join(self.PUMP_TIMEOUT)
        if self._process is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(self.PUMP_TIMEOUT)
        self._close_log()
        self._temp.unlink(missing_ok=True)
