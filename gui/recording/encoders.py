"""Recording outputs chosen by the path: MP4 (H.264), looping GIF, or a numbered PNG sequence.

This module checks what a recording asks for (format, frame rate, size, a writable place) before
anything touches the disk, and opens the writer: `mp4_writer.Mp4Writer`, `gif_writer.GifWriter`,
`png_frames.PngSequenceWriter`, all `frame_writer.FrameWriter`s. Every writer streams: a frame goes to
disk (or to ffmpeg's pipe) as soon as it is written, so memory stays at a few frames however long the
clip, and a cancelled or failed recording leaves nothing under the chosen name.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from backprop_studio.core.errors import StudioError
from backprop_studio.gui.recording.frame_writer import FrameWriter
from backprop_studio.gui.recording.gif_writer import GIF_COLORS, GifWriter
from backprop_studio.gui.recording.mp4_writer import Mp4Writer
from backprop_studio.gui.recording.png_frames import FRAME_PATTERN, PngSequenceWriter, is_frame_name

__all__ = [
    "FRAME_PATTERN",
    "GIF_COLORS",
    "FrameWriter",
    "GifWriter",
    "Mp4Writer",
    "PngSequenceWriter",
    "check_fps",
    "check_output",
    "check_size",
    "format_for",
    "open_writer",
]

MIN_SIDE = 64
MAX_SIDE = 7680
MAX_FPS = 240.0
# GIF delays are whole hundredths of a second and browsers play anything under 2 as 10, so 50 fps is the
# fastest a GIF can honestly promise.
MAX_GIF_FPS = 50.0


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
            strangers = [p.name for p in folder.iterdir() if not is_frame_name(p.name)]
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
