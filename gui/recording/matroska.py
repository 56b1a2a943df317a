"""A stream of raw frames with timestamps, in the smallest Matroska ffmpeg reads from a pipe.

Raw video on a pipe (`-f rawvideo`) has no timestamps: every frame lasts one frame time, so a picture
held for 3 s had to be sent, converted and encoded 90 times. In Matroska each frame carries its own
timestamp, so a held picture is sent once and lasts until the next one. The codec is
`V_UNCOMPRESSED` with the pixel layout as a FourCC ("BGRA", "ARGB", "RGB\\x18"), which ffmpeg maps to
its raw pixel formats; the segment's size is "unknown" (allowed for live streams), and each frame is a
cluster of its own holding one SimpleBlock, so no size has to be known ahead and timestamps are not
limited to the ±32 s a block's offset within its cluster can hold.

EBML (the Matroska encoding): an element is its ID, its payload length as a variable-length integer
(the count of leading zero bits says how many bytes follow), then the payload.
"""

from __future__ import annotations

import struct

TIMESTAMP_SCALE_NS = 1_000_000  # timestamps in milliseconds (the Matroska default)
_UNKNOWN_SIZE = b"\x01\xff\xff\xff\xff\xff\xff\xff"
_TRACK = 1


def _length(value: int) -> bytes:
    """EBML variable-length integer for a payload length (all-ones is reserved for "unknown")."""
    for octets in range(1, 9):
        if value < (1 << (7 * octets)) - 1:
            return (value | (1 << (7 * octets))).to_bytes(octets, "big")
    raise ValueError(f"{value} bytes is too long for a Matroska element")


def _element(element_id: bytes, payload: bytes) -> bytes:
    return element_id + _length(len(payload)) + payload


def _uint(element_id: bytes, value: int) -> bytes:
    return _element(element_id, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def stream_header(width: int, height: int, fourcc: bytes) -> bytes:
    """The EBML header, the start of a live segment, and its one video track of raw `fourcc` pixels."""
    if len(fourcc) != 4:
        raise ValueError(f"a FourCC has 4 bytes, not {fourcc!r}")
    ebml = _element(
        b"\x1a\x45\xdf\xa3",
        _uint(b"\x42\x86", 1)  # EBMLVersion
        + _uint(b"\x42\xf7", 1)  # EBMLReadVersion
        + _uint(b"\x42\xf2", 4)  # EBMLMaxIDLength
        + _uint(b"\x42\xf3", 8)  # EBMLMaxSizeLength
        + _element(b"\x42\x82", b"matroska")  # DocType
        + _uint(b"\x42\x87", 4)  # DocTypeVersion
        + _uint(b"\x42\x85", 2),  # DocTypeReadVersion
    )
    name = b"Backprop Studio"
    info = _element(
        b"\x15\x49\xa9\x66",
        _uint(b"\x2a\xd7\xb1", TIMESTAMP_SCALE_NS)  # TimestampScale
        + _element(b"\x4d\x80", name)  # MuxingApp
        + _element(b"\x57\x41", name),  # WritingApp
    )
    video = _element(
        b"\xe0",
        _uint(b"\xb0", width)  # PixelWidth
        + _uint(b"\xba", height)  # PixelHeight
        + _element(b"\x2e\xb5\x24", fourcc),  # ColourSpace: the raw pixel layout
    )
    track = _element(
        b"\xae",  # TrackEntry
        _uint(b"\xd7", _TRACK)  # TrackNumber
        + _uint(b"\x73\xc5", _TRACK)  # TrackUID
        + _uint(b"\x83", 1)  # TrackType: video
        + _element(b"\x86", b"V_UNCOMPRESSED")  # CodecID
        + video,
    )
    tracks = _element(b"\x16\x54\xae\x6b", track)
    return ebml + b"\x18\x53\x80\x67" + _UNKNOWN_SIZE + info + tracks


def frame_header(milliseconds: int, frame_bytes: int) -> bytes:
    """What goes before a frame's `frame_bytes` pixels: a cluster at `milliseconds` holding one keyframe
    SimpleBlock (track 1, offset 0). The pixels follow unchanged, so they need not be copied."""
    if milliseconds < 0:
        raise ValueError(f"a frame cannot start at {milliseconds} ms")
    block_head = bytes([0x80 | _TRACK]) + struct.pack(">hB", 0, 0x80)  # track, offset 0, keyframe
    simple_block = b"\xa3" + _length(len(block_head) + frame_bytes) + block_head
    timestamp = _uint(b"\xe7", milliseconds)
    cluster_bytes = len(timestamp) + len(simple_block) + frame_bytes
    return b"\x1f\x43\xb6\x75" + _length(cluster_bytes) + timestamp + simple_block
