"""Recordings as a folder of numbered PNG frames (frame_00001.png, …)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
from backprop_studio.gui.recording.frame_writer import FrameWriter, temp_folder, to_pil

FRAME_PATTERN = "frame_{:05d}.png"


def is_frame_name(name: str) -> bool:
    """Whether `name` is one of the names this writer gives frames (frame_00001.png)."""
    return name.startswith("frame_") and name.endswith(".png") and name[6:-4].isdigit()


class PngSequenceWriter(FrameWriter):
    """frame_00001.png, frame_00002.png, … in a folder (`ffmpeg -i frame_%05d.png` reads them back).

    Frames go into a temporary folder beside the target, which becomes the target on close; re-recording
    into a folder of frames replaces them. Compression level 1: PNG is lossless at every level, and the
    fastest level is several times quicker than the default for a few percent more disk."""

    format = "png"
    COMPRESS_LEVEL = 1

    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        super().__init__(path, fps, size)
        self._temp = temp_folder(path)

    def _name(self, index: int) -> Path:
        return self._temp / FRAME_PATTERN.format(index)

    def _write(self, frame: np.ndarray, layout: str, repeat: int) -> None:
        first = self._name(self.frames_written + 1)
        to_pil(frame, layout).save(first, format="PNG", compress_level=self.COMPRESS_LEVEL)
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
            if is_frame_name(old.name):
                old.unlink()
        for new in sorted(self._temp.iterdir()):
            os.replace(new, target / new.name)
        self._temp.rmdir()

    def _discard(self) -> None:
        shutil.rmtree(self._temp, ignore_errors=True)
