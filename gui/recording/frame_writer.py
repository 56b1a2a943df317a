"""What every recording writer shares: the `FrameWriter` contract (write, close, abort), checking a
frame's layout, and temporary names beside the target.

A frame is a uint8 array (height, width, 3) of RGB, or (height, width, 4) of 32-bit pixels exactly as
QImage holds Format_RGB32 / ARGB32(_Premultiplied) in memory (B, G, R, A on little-endian machines), so
a rendered QImage can be handed over without conversion. Output goes to a temporary name next to the
target (`.clip.mp4.part-XXXXXXXX`, or a folder) and is renamed on `close()`; `abort()` deletes it, so a
cancelled or failed recording never leaves a half-written file under the chosen name.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sys
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np
from backprop_studio.core.errors import StudioError
from backprop_studio.core.project.atomic import remove_stale
from PIL import Image

# Pixel layout of a QImage 32-bit frame in memory, for Pillow.
_PIL_RAW_32 = "BGRX" if sys.byteorder == "little" else "XRGB"


def frame_layout(frame: np.ndarray, size: tuple[int, int]) -> str:
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


def to_pil(frame: np.ndarray, layout: str) -> Image.Image:
    """An RGB Pillow image sharing (or, for a strided view, copying) the frame's pixels."""
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
        layout = frame_layout(frame, self.size)
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


def temp_file(target: Path) -> tuple[int, Path]:
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


def temp_folder(target: Path) -> Path:
    """A new folder beside `target`, for frames that become the target folder on close."""
    for _ in range(100):
        name = _temp_name(target)
        try:
            name.mkdir(0o777)
            return name
        except FileExistsError:
            continue
    raise StudioError(f"{target.parent}: cannot create a temporary folder there")
