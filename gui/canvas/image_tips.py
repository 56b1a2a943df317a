"""Tooltips of image inputs: an input names its pixel (row and column), and a first-layer neuron shows its
incoming weights as the image, with the color scale, under its numbers.

A tooltip is rich text, which can show images only from files (Qt's rich text does not read data: URLs),
so each figure is written once as a small PNG into a folder of this process's own, named by its content,
and removed when the application quits.
"""

from __future__ import annotations

import atexit
import hashlib
import html
import shutil
import tempfile
from pathlib import Path

from backprop_studio.core.analysis.images import incoming_weights_image, pixel_position
from backprop_studio.core.display.names import neuron_label
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.style.pixel_images import cell_for, weight_figure
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QToolTip

TIP_IMAGE_SIDE = 128  # pixels: an 8×8 image at 16 pixels a cell

_folder: Path | None = None


def _tip_folder() -> Path:
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="backprop-studio-tips-"))
        atexit.register(shutil.rmtree, _folder, True)
    return _folder


def image_file(image: QImage) -> str:
    """The path of a PNG holding `image` (written once per distinct picture)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    raw = bytes(data.data())
    path = _tip_folder() / f"{hashlib.sha1(raw).hexdigest()}.png"
    if not path.exists():
        path.write_bytes(raw)
    return str(path)


def pixel_line(i: int, shape: tuple[int, int]) -> str:
    """ "pixel at row 3, column 2 of 8×8" for input i (0-based; rows and columns counted from 1)."""
    row, col = pixel_position(i, shape)
    return f"pixel at row {row + 1}, column {col + 1} of {shape[0]}×{shape[1]}"


def weights_tooltip(snapshot: Snapshot, j: int, shape: tuple[int, int], text: str, dark: bool) -> str:
    """Neuron j of layer 1's tooltip `text` (its numbers) followed by its incoming weights as an image."""
    values = incoming_weights_image(snapshot.weights[0], j, shape)
    color = QToolTip.palette().color(QPalette.ColorRole.ToolTipText)
    figure, _ = weight_figure(
        values, dark, cell_for(shape, TIP_IMAGE_SIDE), (color.red(), color.green(), color.blue())
    )
    caption = f"Weights into {neuron_label(0, j)}, laid out as the {shape[0]}×{shape[1]} image"
    return (
        f'<p style="white-space:pre">{html.escape(text)}</p>'
        f"<p>{html.escape(caption)}:<br>"
        f'<img src="{html.escape(image_file(figure))}" width="{figure.width()}" height="{figure.height()}"></p>'
    )
