"""The Matroska frame stream's encoding, checked against EBML lengths worked by hand (ffmpeg reading
whole streams back is in test_mp4_writer.py)."""

from __future__ import annotations

import pytest
from backprop_studio.gui.recording import matroska


@pytest.mark.parametrize(
    ("length", "encoded"),
    [
        (0, b"\x80"),
        (1, b"\x81"),
        (126, b"\xfe"),
        (127, b"\x40\x7f"),  # 0xff in one byte would mean "unknown size"
        (16382, b"\x7f\xfe"),
        (1920 * 1080 * 4 + 4, b"\x10\x7e\x90\x04"),  # a 1080p BGRA frame and its block head
    ],
)
def test_lengths_are_ebml_variable_length_integers(length, encoded):
    assert matroska._length(length) == encoded


def test_a_frame_header_is_a_cluster_with_its_time_and_one_keyframe_block():
    head = matroska.frame_header(1000, 12)
    # Cluster, 10 + 12 bytes: Timestamp (E7, 2 bytes: 1000 ms), SimpleBlock (A3, 4 + 12 bytes:
    # track 1, offset 0, keyframe), then the 12 pixel bytes that follow the header.
    assert head == b"\x1f\x43\xb6\x75" + b"\x96" + b"\xe7\x82\x03\xe8" + b"\xa3\x90" + b"\x81\x00\x00\x80"


def test_the_stream_names_raw_video_and_its_pixel_layout():
    header = matroska.stream_header(1920, 1080, b"BGRA")
    assert header.startswith(b"\x1a\x45\xdf\xa3")
    assert b"\x86\x8eV_UNCOMPRESSED" in header
    assert b"\xb0\x82\x07\x80" in header and b"\xba\x82\x04\x38" in header  # 1920 and 1080
    assert b"\x2e\xb5\x24\x84BGRA" in header
    with pytest.raises(ValueError, match="FourCC"):
        matroska.stream_header(64, 64, b"RGB")
