"""Looping GIF recordings written frame by frame, with one palette for the clip and only the rectangle
that changed stored per frame."""

from __future__ import annotations

import contextlib
import os
import struct
from pathlib import Path

import numpy as np
from backprop_studio.gui.recording.frame_writer import FrameWriter, temp_file, to_pil
from PIL import GifImagePlugin, Image

GIF_COLORS = 256


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
        fd, self._temp = temp_file(path)
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
        image = to_pil(frame, layout)
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
