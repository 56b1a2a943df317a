"""A recording killed mid-write leaves `.clip.mp4.part-XXXXXXXX` beside the target; the next recording into
that folder removes such leftovers (ours only, and only stale ones)."""

from __future__ import annotations

import os
import time

import pytest
from backprop_studio.gui.recording.encoders import open_writer


def leftover(folder, name, age):
    path = folder / name
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


@pytest.mark.parametrize("target", ["clip.gif", "clip.mp4"])
def test_a_killed_recordings_part_files_are_removed_by_the_next_recording(tmp_path, target):
    stale = [
        leftover(tmp_path, ".clip.mp4.part-0a1b2c3d", 3600),
        leftover(tmp_path, ".old.gif.part-ffff0000", 60),
    ]
    fresh = leftover(tmp_path, ".clip.mp4.part-12345678", 0.5)  # a recording still running
    users = [
        leftover(tmp_path, "clip.mp4.part-0a1b2c3d", 3600),  # not hidden
        leftover(tmp_path, ".clip.mp4.part-0A1B2C3D", 3600),  # token_hex is lower case
        leftover(tmp_path, ".clip.mp4.part-0a1b2c3d.keep", 3600),
        leftover(tmp_path, ".notes.txt.part-0a1b2c3d", 3600),
    ]
    writer = open_writer(tmp_path / target, 10, (64, 64))
    writer.abort()
    assert not any(path.exists() for path in stale)
    assert fresh.exists() and all(path.exists() for path in users)
