"""Frame writers for recordings: MP4 (H.264), looping GIF, or a numbered PNG sequence, chosen by the path.

Every writer streams: a frame goes to disk (or to ffmpeg's pipe) as soon as it is written, so memory
stays at a few frames however long the clip. Output goes to a temporary name next to the target
(`.clip.mp4.part-XXXX`, or a `.frames.part-XXXX` folder) and is renamed on `close()`; `abort()` deletes
it, so a cancelled or failed recording never leaves a half-written file under the chosen name. All
arguments are checked before anything touches the disk.

A frame is a uint8 array (height, width, 3) of RGB, or (height, width, 4) of 32-bit pixels exactly as
QImage holds Format_RGB32 / ARGB32(_Premultiplied) in memory (B, G, R, A on little-endian machines), so
a rendered QImage can be handed over without conversion.
"""

from __future__ import annotations

import contextlib
import math
import os
import queue
import re
import secrets
import shutil
import struct
import sys
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from backprop_studio.core.errors import StudioError
from backprop_studio.core.project.atomic import remove_stale
from PIL import GifImagePlugin, Image

MIN_SIDE = 64
MAX_SIDE = 7680
MAX_FPS = 240.0
# GIF delays are whole hundredths of a second and browsers play anything under 2 as 10, so 50 fps is the
# fastest a GIF can honestly promise.
MAX_GIF_FPS = 50.0
GIF_COLORS = 256
FRAME_PATTERN = "frame_{:05d}.png"

# Pixel layout of a QImage 32-bit frame in memory, for ffmpeg and Pillow.
_NATIVE_32 = "bgra" if sys.byteorder == "little" else "argb"
_PIL_RAW_32 = "BGRX" if sys.byteorder == "little" else "XRGB"


def format_for(path: str | os.PathLike[str]) -> str:
    """The format an output path asks for: "mp4", "gif" or "png" (a folder of frames); else StudioError."""
    text = os.fspath(path)
    if not text.strip():
        raise StudioError("no output path given: name a .mp4 or .gif file, or a folder/ for PNG frames")
    if text.endswith(("/", os.sep)) or os.path.isdir(text):
        return "png"
    suffix = Path(text).suffix.lower()
    if suffix == ".mp4":
        return "mp4"
    if suffix == ".gif":
        return "gif"
    if suffix:
        raise StudioError(
            f"{text}: cannot record to {suffix!r} files; use .mp4, .gif, or a folder path ending in / "
            "for numbered PNG frames"
        )
    raise StudioError(
        f"{text}: no file extension; use clip.mp4 or clip.gif, or {text}/ (with the slash) for PNG frames"
    )


def check_fps(fps: float, fmt: str = "mp4") -> float:
    try:
        value = float(fps)
    except (TypeError, ValueError):
        raise StudioError(f"frames per second must be a number, not {fps!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise StudioError(f"frames per second must be a positive number, not {fps}")
    limit = MAX_GIF_FPS if fmt == "gif" else MAX_FPS
    if value > limit:
        why = " (GIF delays are whole hundredths of a second)" if fmt == "gif" else ""
        raise StudioError(
            f"{value:g} frames per second is too fast for {fmt.upper()}; at most {limit:g}{why}"
        )
    return value


def check_size(size: Sequence[int], fmt: str = "mp4") -> tuple[int, int]:
    try:
        width, height = (int(v) for v in size)
    except (TypeError, ValueError):
        raise StudioError(f"a frame size is two whole numbers, width and height, not {size!r}") from None
    if min(width, height) < MIN_SIDE:
        raise StudioError(
            f"a frame of {width}x{height} is too small; each side needs at least {MIN_SIDE} pixels"
        )
    if max(width, height) > MAX_SIDE:
        raise StudioError(
            f"a frame of {width}x{height} is too large; each side may be at most {MAX_SIDE} pixels"
        )
    if fmt == "mp4" and (width % 2 or height % 2):
        raise StudioError(
            f"MP4 video (H.264, yuv420p) needs an even width and height; {width}x{height} is not "
            f"(try {width + width % 2}x{height + height % 2})"
        )
    return width, height


def _check_folder(folder: Path, what: str) -> None:
    if not folder.is_dir():
        raise StudioError(f"{folder}: the folder to write {what} into does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StudioError(f"{folder}: cannot write {what} here (the folder is not writable)")


def check_output(
    path: str | os.PathLike[str], fps: float, size: Sequence[int]
) -> tuple[str, Path, float, tuple[int, int]]:
    """Everything `open_writer` checks, without writing anything: (format, absolute target, fps,
    (width, height)), or StudioError saying what is wrong. For dialogs that validate before starting."""
    fmt = format_for(path)
    rate = check_fps(fps, fmt)
    width, height = check_size(size, fmt)
    target = Path(os.fspath(path)).expanduser()
    if fmt == "png":
        folder = target.resolve() if target.exists() else target.parent.resolve() / target.name
        _check_folder(folder.parent, "the frames folder")
        if folder.exists():
            _check_folder(folder, "PNG frames")
            strangers = [p.name for p in folder.iterdir() if not _is_frame_name(p.name)]
            if strangers:
                raise StudioError(
                    f"{folder}: the folder holds other files ({', '.join(sorted(strangers)[:3])}"
                    f"{', …' if len(strangers) > 3 else ''}); record frames into an empty or new folder"
                )
        return fmt, folder, rate, (width, height)
    target = target.parent.resolve() / target.name
    if target.is_dir():
        raise StudioError(f"{target}: is a folder; name a file, or end the path with / for PNG frames")
    _check_folder(target.parent, target.name)
    if target.exists() and not os.access(target, os.W_OK):
        raise StudioError(f"{target}: the file exists and cannot be overwritten")
    return fmt, target, rate, (width, height)


def open_writer(
    path: str | os.PathLike[str],
    fps: float,
    size: Sequence[int],
    palette_hint: np.ndarray | None = None,
) -> FrameWriter:
    """A writer for `path`: `.mp4` → H.264 video, `.gif` → looping GIF, a folder (ending in `/` or an
    existing directory) → frame_00001.png, frame_00002.png, ….

    `size` is (width, height). `palette_hint` (n, 3) uint8 lists colors a GIF must reproduce exactly (the
    renderer's palette); the rest of its 256 colors come from the first frame. Raises StudioError, with
    nothing written, for an unknown extension, a bad fps or size, or a folder that cannot be written.
    """
    fmt, target, rate, frame_size = check_output(path, fps, size)
    if fmt == "png":
        return PngSequenceWriter(target, rate, frame_size)
    if fmt == "gif":
        return GifWriter(target, rate, frame_size, palette_hint)
    return Mp4Writer(target, rate, frame_size)


def _is_frame_name(name: str) -> bool:
    return name.startswith("frame_") and name.endswith(".png") and name[6:-4].isdigit()


def _frame_layout(frame: np.ndarray, size: tuple[int, int]) -> str:
    """The pixel layout of a frame of the right size, "rgb" or "native32"; ValueError otherwise."""
    width, height = size
    if frame.dtype != np.uint8 or frame.ndim != 3 or frame.shape[:2] != (height, width):
        raise ValueError(
            f"a frame must be uint8 (height, width, 3 or 4) = ({height}, {width}, …), "
            f"not {frame.dtype} {frame.shape}"
        )
    if frame.shape[2] == 3:
        return "rgb"
    if frame.shape[2] == 4:
        return "native32"
    raise ValueError(f"a frame has 3 (RGB) or 4 (QImage 32-bit) channels, not {frame.shape[2]}")


def _to_pil(frame: np.ndarray, layout: str) -> Image.Image:
    height, width = frame.shape[:2]
    frame = np.ascontiguousarray(frame)
    if layout == "rgb":
        return Image.frombuffer("RGB", (width, height), frame, "raw", "RGB", 0, 1)
    return Image.frombuffer("RGB", (width, height), frame, "raw", _PIL_RAW_32, 0, 1)


class FrameWriter(ABC):
    """Writes frames to a temporary name; `close()` renames it to `path`, `abort()` removes it.

    Usable as a context manager: leaving the block normally closes, leaving it by an exception aborts.
    """

    format: str = ""

    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        self.path = path
        self.fps = fps
        self.size = size
        self.frames_written = 0
        self._done = False

    def write(self, frame: np.ndarray, repeat: int = 1) -> None:
        """Append `frame` `repeat` times (a held picture is handed over once)."""
        if self._done:
            raise StudioError(f"{self.path}: the recording is already finished")
        if repeat < 1:
            return
        layout = _frame_layout(frame, self.size)
        try:
            self._write(frame, layout, repeat)
        except StudioError:
            raise
        except (OSError, ValueError) as exc:
            raise StudioError(f"{self.path}: writing frame {self.frames_written + 1} failed: {exc}") from exc
        self.frames_written += repeat

    def close(self) -> str:
        """Finish the file and move it to its name; returns the path written. Aborts (and re-raises) if
        finishing fails."""
        if self._done:
            return str(self.path)
        if self.frames_written == 0:
            self.abort()
            raise StudioError(f"{self.path}: no frames were recorded, so nothing was written")
        try:
            self._finish()
        except BaseException as exc:
            self.abort()
            if isinstance(exc, OSError):
                raise StudioError(f"{self.path}: finishing the recording failed: {exc}") from exc
            raise
        self._done = True
        return str(self.path)

    def abort(self) -> None:
        """Stop and delete everything written so far; the target name is left untouched."""
        if self._done:
            return
        self._done = True
        with contextlib.suppress(Exception):
            self._discard()

    def __enter__(self) -> FrameWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()

    @abstractmethod
    def _write(self, frame: np.ndarray, layout: str, repeat: int) -> None: ...

    @abstractmethod
    def _finish(self) -> None: ...

    @abstractmethod
    def _discard(self) -> None: ...


# What `_temp_name` gives a clip: hidden, the clip's name, ".part-" and 8 hex digits (secrets.token_hex(4)).
_STALE_PART = re.compile(r"\..+\.(?:mp4|gif)\.part-[0-9a-f]{8}")


def _temp_name(target: Path) -> Path:
    return target.parent / f".{target.name}.part-{secrets.token_hex(4)}"


def _temp_file(target: Path) -> tuple[int, Path]:
    """A new file beside `target`, created with the usual permissions (tempfile's are owner-only, and the
    temporary file becomes the clip). Leftovers of recordings killed mid-write (`.x.mp4.part-XXXXXXXX`,
    not written for a while) are removed first."""
    remove_stale(target.parent, _STALE_PART)
    for _ in range(100):
        name = _temp_name(target)
        try:
            return os.open(
                name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
            ), name
        except FileExistsError:
            continue
    raise StudioError(f"{target.parent}: cannot create a temporary file there")


def _temp_folder(target: Path) -> Path:
    for _ in range(100):
        name = _temp_name(target)
        try:
            name.mkdir(0o777)
            return name
        except FileExistsError:
            continue
    raise StudioError(f"{target.parent}: cannot create a temporary folder there")


class Mp4Writer(FrameWriter):
    """H.264 in MP4 through imageio-ffmpeg's ffmpeg: yuv420p (plays everywhere), preset veryfast (as small
    as the default preset here and about three times faster), CRF 20 (text stays crisp).

    ffmpeg is a separate process, and frames reach its pipe from a helper thread holding at most
    PIPE_DEPTH frames, so painting the next frame overlaps with encoding the last one instead of
    waiting for the pipe."""

    format = "mp4"
    CRF = 20
    PRESET = "veryfast"
    PIPE_DEPTH = 2
    # Seconds to wait for the pipe thread to take a frame or to stop. A healthy ffmpeg takes a frame in
    # milliseconds; one that stopped reading would otherwise hang the recording (and the window) forever.
    PUMP_TIMEOUT = 30.0

    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        super().__init__(path, fps, size)
        fd, self._temp = _temp_file(path)
        os.close(fd)
        self._gen = None
        self._layout: str | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=self.PIPE_DEPTH)
        self._pump: threading.Thread | None = None
        self._error: BaseException | None = None
        self._stopping = False
        self._wedged = False  # the pipe thread stopped taking frames: never wait for it again

    def _start(self, layout: str) -> None:
        import imageio_ffmpeg

        self._layout = layout
        self._gen = imageio_ffmpeg.write_frames(
            str(self._temp),
            self.size,
            pix_fmt_in="rgb24" if layout == "rgb" else _NATIVE_32,
            pix_fmt_out="yuv420p",
            fps=self.fps,
            codec="libx264",
            quality=None,
            macro_block_size=2,  # sizes are checked even, so ffmpeg never rescales
            ffmpeg_log_level="error",
            # The temporary name does not end in .mp4, so the container is named explicitly.
            output_params=[
                "-preset",
                self.PRESET,
                "-crf",
                str(self.CRF),
                "-movflags",
                "+faststart",
                "-f",
                "mp4",
            ],
        )
        self._gen.send(None)
        self._pump = threading.Thread(target=self._run_pump, name="mp4-pipe", daemon=True)
        self._pump.start()

    def _run_pump(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None or self._stopping:
                continue  # keep taking frames so the renderer never blocks on a dead pipe
            data, repeat = item
            try:
                for _ in range(repeat):
                    self._gen.send(data)
            except BaseException as exc:
                self._error = exc

    def _check_pipe(self) -> None:
        if self._error is not None:
            raise StudioError(f"{self.path}: ffmpeg stopped taking frames: {self._error}")

    def _write(self, frame: np.ndarray, layout: str, repeat: int) -> None:
        if self._gen is None:
            self._start(layout)
        elif layout != self._layout:
            raise ValueError("every frame of a video must have the same layout (RGB or 32-bit)")
        self._check_pipe()
        # The caller paints the next picture into the same buffer, so the pipe gets its own copy.
        try:
            self._queue.put((np.array(frame, order="C", copy=True), repeat), timeout=self.PUMP_TIMEOUT)
        except queue.Full:
            self._wedged = True
            raise StudioError(f"{self.path}: ffmpeg took no frame for {self.PUMP_TIMEOUT:g} s") from None

    def _stop_pump(self) -> None:
        """Tell the pipe thread to stop and wait for it, at most PUMP_TIMEOUT seconds (StudioError then)."""
        pump, self._pump = self._pump, None
        if pump is None or self._wedged:
            return
        try:
            self._queue.put(None, timeout=self.PUMP_TIMEOUT)
        except queue.Full:  # it took nothing for that long: it is stuck, no use waiting again
            pass
        else:
            pump.join(self.PUMP_TIMEOUT)
        if pump.is_alive():
            # The thread is a daemon stuck in a pipe write: it cannot be stopped, only left behind.
            self._wedged = True
            raise StudioError(f"{self.path}: ffmpeg stopped taking frames for {self.PUMP_TIMEOUT:g} s")

    def _finish(self) -> None:
        self._stop_pump()
        self._check_pipe()
        self._gen.close()  # waits for ffmpeg to finish the file
        self._gen = None
        if not self._temp.exists() or self._temp.stat().st_size == 0:
            raise StudioError(f"{self.path}: ffmpeg did not produce a video (see its message above)")
        os.replace(self._temp, self.path)

    def _discard(self) -> None:
        self._stopping = True
        with contextlib.suppress(Exception):
            self._stop_pump()
        if (
            self._gen is not None and not self._wedged
        ):  # closing waits for ffmpeg, which a wedged pipe never ends
            gen, self._gen = self._gen, None
            with contextlib.suppress(Exception):
                gen.close()
        self._temp.unlink(missing_ok=True)


class GifWriter(FrameWriter):
    """A looping GIF written frame by frame: one 256-color palette for the whole clip, and each frame
    stores only the rectangle that changed since the previous one.

    Memory: the previous frame's palette indices (width × height bytes) and the current frame; nothing
    grows with the length of the clip. The palette is the `palette_hint` colors (the renderer's own, so
    backgrounds, text and scale colors are exact) plus the most common other colors of the first frame;
    mapping each frame onto a fixed palette without dithering is fast and keeps flat areas flat, and the
    same color maps to the same index in every frame, so unchanged pixels really are unchanged. A
    picture held for several frames costs a 1×1 frame each, keeping the frame count and timing exact.
    """

    format = "gif"

    def __init__(
        self, path: Path, fps: float, size: tuple[int, int], palette_hint: np.ndarray | None = None
    ) -> None:
        super().__init__(path, fps, size)
        fd, self._temp = _temp_file(path)
        self._file = os.fdopen(fd, "wb")
        self._hint = None if palette_hint is None else np.asarray(palette_hint, dtype=np.uint8).reshape(-1, 3)
        self._palette_image: Image.Image | None = None
        self._previous: np.ndarray | None = None
        self._elapsed_cs = 0

    def _build_palette(self, first: Image.Image) -> None:
        hint = np.zeros((0, 3), dtype=np.uint8) if self._hint is None else np.unique(self._hint, axis=0)
        if len(hint) > GIF_COLORS // 2:  # leave at least half the table to the picture itself
            hint = hint[np.linspace(0, len(hint) - 1, GIF_COLORS // 2).astype(int)]
        rest = GIF_COLORS - len(hint)
        quantised = first.quantize(rest, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        found = np.array(quantised.getpalette()[: 3 * rest], dtype=np.uint8).reshape(-1, 3)
        colors = np.concatenate([hint, found])
        table = np.zeros((GIF_COLORS, 3), dtype=np.uint8)
        table[: len(colors)] = colors[:GIF_COLORS]
        self._palette_image = Image.new("P", (1, 1))
        self._palette_image.putpalette(table.ravel().tolist())
        width, height = self.size
        header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, 0, 0) + table.tobytes()
        loop = b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", 0) + b"\x00"  # loop forever
        self._file.write(header + loop)

    def _delay(self, index: int) -> int:
        """Hundredths of a second for frame `index` (0-based), spread so the clip keeps `fps` on average."""
        end = round((index + 1) * 100 / self.fps)
        delay = max(end - self._elapsed_cs, 2)
        self._elapsed_cs += delay
        return delay

    def _write(self, frame: np.ndarray, layout: str, repeat: int) -> None:
        image = _to_pil(frame, layout)
        if self._palette_image is None:
            self._build_palette(image)
        indexed = image.quantize(palette=self._palette_image, dither=Image.Dither.NONE)
        indices = np.asarray(indexed)
        width, height = self.size
        box = (0, 0, width, height)
        if self._previous is not None:
            changed = indices != self._previous
            rows = np.flatnonzero(changed.any(axis=1))
            if len(rows):
                cols = np.flatnonzero(changed[rows[0] : rows[-1] + 1].any(axis=0))
                box = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
            else:
                box = (0, 0, 1, 1)  # nothing changed: a frame must still cover one pixel
        self._previous = indices
        for k in range(repeat):
            self._frame(indexed, box if k == 0 else (0, 0, 1, 1), self.frames_written + k)

    def _frame(self, indexed: Image.Image, box: tuple[int, int, int, int], index: int) -> None:
        part = indexed if box == (0, 0, *self.size) else indexed.crop(box)
        # Disposal 1 keeps the previous picture, so a frame only needs to carry the rectangle that changed.
        chunks = GifImagePlugin.getdata(part, offset=box[:2], duration=self._delay(index) * 10, disposal=1)
        for chunk in chunks:
            self._file.write(chunk)

    def _finish(self) -> None:
        self._file.write(b";")
        self._file.close()
        os.replace(self._temp, self.path)

    def _discard(self) -> None:
        with contextlib.suppress(Exception):
            self._file.close()
        self._temp.unlink(missing_ok=True)


class PngSequenceWriter(FrameWriter):
    """frame_00001.png, frame_00002.png, … in a folder (`ffmpeg -i frame_%05d.png` reads them back).

    Frames go into a temporary folder beside the target, which becomes the target on close; re-recording
    into a folder of frames replaces them. Compression level 1: PNG is lossless at every level, and the
    fastest level is several times quicker than the default for a few percent more disk."""

    format = "png"
    COMPRESS_LEVEL = 1

    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        super().__init__(path, fps, size)
        self._temp = _temp_folder(path)

    def _name(self, index: int) -> Path:
        return self._temp / FRAME_PATTERN.format(index)

    def _write(self, frame: np.ndarray, layout: str, repeat: int) -> None:
        first = self._name(self.frames_written + 1)
        _to_pil(frame, layout).save(first, format="PNG", compress_level=self.COMPRESS_LEVEL)
        for k in range(2, repeat + 1):
            copy = self._name(self.frames_written + k)
            try:
                os.link(first, copy)  # a held picture: the same file under the next numbers
            except OSError:
                shutil.copyfile(first, copy)

    def _finish(self) -> None:
        target = self.path
        if not target.exists():
            os.rename(self._temp, target)
            return
        for old in target.iterdir():
            if _is_frame_name(old.name):
                old.unlink()
        for new in sorted(self._temp.iterdir()):
            os.replace(new, target / new.name)
        self._temp.rmdir()

    def _discard(self) -> None:
        shutil.rmtree(self._temp, ignore_errors=True)
