"""The safetensors format, written and read without the `safetensors` library (it is that simple).

A file is: 8 bytes, the header's length n as an unsigned little-endian integer; n bytes of JSON header
(UTF-8, padded with spaces to a multiple of 8); then the tensors' raw little-endian bytes, row-major. The
header maps each tensor's name to {"dtype": "F64", "shape": [out, in], "data_offsets": [begin, end]}
(offsets into the bytes after the header) and may hold "__metadata__", a map of strings to strings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
from backprop_studio.core.errors import FormatError
from backprop_studio.core.interop.state_dict import METADATA_KEY, WeightsError
from backprop_studio.core.project.json_strict import parse_json

# The dtypes a float network can arrive in; BF16 is the top half of a float32 and is widened by hand.
_DTYPES: dict[str, np.dtype] = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "BF16": np.dtype("<u2"),
}
_CODES = {np.dtype("float64"): "F64", np.dtype("float32"): "F32", np.dtype("float16"): "F16"}


def encode(tensors: Mapping[str, np.ndarray], metadata: Mapping[str, str]) -> bytes:
    """The file's bytes for float tensors (kept in their dtype) and string metadata, tensors in the given order."""
    header: dict[str, object] = {METADATA_KEY: dict(metadata)}
    chunks, offset = [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {
            "dtype": _CODES[array.dtype],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned, as the library writes it
    return len(text).to_bytes(8, "little") + text + b"".join(chunks)


def decode(raw: bytes, source: str) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The tensors (float arrays, BF16 widened to float32) and the metadata of a safetensors file."""
    if len(raw) < 8:
        raise WeightsError(source, f"only {len(raw)} bytes: too short for a safetensors file (truncated?)")
    n = int.from_bytes(raw[:8], "little")
    if n > len(raw) - 8:
        raise WeightsError(
            source,
            f"the header says it is {n:,} bytes but the file has {len(raw) - 8:,} after the length (truncated?)",
        )
    try:
        header = parse_json(raw[8 : 8 + n].decode("utf-8"), None)
    except (UnicodeDecodeError, FormatError) as error:
        raise WeightsError(source, f"the header is not valid JSON ({error})") from None
    if not isinstance(header, dict):
        raise WeightsError(source, "the header is not a JSON object")
    body = raw[8 + n :]
    meta = header.pop(METADATA_KEY, {})
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise WeightsError(source, f"the header's {METADATA_KEY} is not a map of strings")
    tensors = {name: _tensor(name, entry, body, source) for name, entry in header.items()}
    return tensors, meta


def _tensor(name: str, entry: object, body: bytes, source: str) -> np.ndarray:
    """One tensor from its header entry, checking dtype, shape and that its bytes are in the file."""
    if not isinstance(entry, dict):
        raise WeightsError(source, f"tensor {name!r}: its header entry is not an object")
    code, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
    if not isinstance(code, str) or code not in _DTYPES:
        raise WeightsError(
            source, f"tensor {name!r} has dtype {code!r}; floating-point (F64, F32, F16, BF16) expected"
        )
    if not isinstance(shape, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape
    ):
        raise WeightsError(source, f"tensor {name!r}: shape {shape!r} is not a list of sizes")
    if (
        not isinstance(offsets, list)
        or len(offsets) != 2
        or not all(isinstance(o, int) and not isinstance(o, bool) for o in offsets)
    ):
        raise WeightsError(source, f"tensor {name!r}: data_offsets {offsets!r} is not [begin, end]")
    begin, end = offsets
    dtype = _DTYPES[code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if not 0 <= begin <= end or end - begin != expected:
        raise WeightsError(
            source, f"tensor {name!r}: data_offsets {offsets} do not hold {expected} bytes of shape {shape}"
        )
    if end > len(body):
        raise WeightsError(
            source, f"tensor {name!r} ends at byte {end:,} but the data has {len(body):,} (truncated?)"
        )
    array = np.frombuffer(body, dtype=dtype, count=expected // dtype.itemsize, offset=begin)
    if code == "BF16":
        array = (array.astype(np.uint32) << 16).view(np.float32)
    return array.reshape(shape).copy()
