"""QImage ↔ NumPy without copies where possible: frames go to encoders as arrays, maps come in as images."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def bgra_view(image: QImage) -> np.ndarray:
    """(height, width, 4) view of a 32-bit QImage's pixels in memory order (B, G, R, A on little-endian)."""
    w, h = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return raw[:, : 4 * w].reshape(h, w, 4)


def qimage_to_rgb(image: QImage) -> np.ndarray:
    """(height, width, 3) uint8 RGB copy of an opaque ARGB32/RGB32 image."""
    return bgra_view(image)[..., 2::-1].copy()


def rgb_to_qimage(rgb: np.ndarray) -> QImage:
    """An opaque ARGB32 QImage (owning its pixels) of a (height, width, 3) uint8 array, row 0 at the top."""
    h, w = rgb.shape[:2]
    channels = np.asarray(rgb, dtype=np.uint32)
    argb = np.ascontiguousarray(
        0xFF000000 | (channels[..., 0] << 16) | (channels[..., 1] << 8) | channels[..., 2]
    )
    # QImage would only borrow the array's memory, which dies with it: copy() gives the image its own.
    return QImage(argb.data, w, h, 4 * w, QImage.Format.Format_ARGB32).copy()
