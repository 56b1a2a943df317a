"""NumPy's .npz (a zip of .npy arrays), read without pickle: the state_dict's tensors and a JSON metadata entry.

Writing keeps float64 arrays as they are; the metadata is one more entry, `__metadata__`, a 0-d string
array holding JSON. Reading refuses object arrays (they would need pickle) and reports a damaged zip in one line.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from typing import Any

import numpy as np
from backprop_studio.core.errors import FormatError
from backprop_studio.core.interop.state_dict import METADATA_KEY, WeightsError
from backprop_studio.core.project.json_strict import parse_json


def encode(arrays: Mapping[str, np.ndarray], metadata: Mapping[str, Any] | None = None) -> bytes:
    """The .npz file's bytes: every array under its name, and the metadata as JSON under `__metadata__`."""
    entries = dict(arrays)
    if metadata is not None:
        entries[METADATA_KEY] = np.array(json.dumps(metadata, ensure_ascii=False))
    buffer = io.BytesIO()
    np.savez(buffer, **entries)  # type: ignore[arg-type]
    return buffer.getvalue()


def decode(raw: bytes, source: str) -> tuple[dict[str, np.ndarray], object]:
    """The arrays (without the metadata entry) and the parsed metadata (None when there is none)."""
    if not raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # np.load would guess a pickle
        raise WeightsError(source, "not a .npz file (a zip of .npy arrays, as numpy.savez writes)")
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except ValueError as error:
        if "pickle" in str(error):
            raise WeightsError(
                source, "holds object arrays, which are not read (they would need pickle)"
            ) from None
        raise WeightsError(source, f"not a readable .npz file ({error})") from None
    except (zipfile.BadZipFile, EOFError, OSError, KeyError) as error:
        raise WeightsError(source, f"not a readable .npz file ({error or 'truncated?'})") from None
    meta_array = arrays.pop(METADATA_KEY, None)
    if meta_array is None:
        return arrays, None
    if meta_array.dtype.kind != "U" or meta_array.ndim != 0:
        raise WeightsError(source, f"the {METADATA_KEY} entry is not a JSON string")
    try:
        return arrays, parse_json(str(meta_array), None)
    except FormatError as error:
        raise WeightsError(source, f"the {METADATA_KEY} entry is not valid JSON ({error})") from None
