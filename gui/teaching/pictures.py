"""Pictures for slides: a view (the canvas, the Neuron zoom, the Matrix view) written as SVG or PDF with
its text kept as text (vector, selectable, searchable), or as PNG at a chosen scale.

The view paints itself through `QWidget.render` onto a `QSvgGenerator`, a `QPdfWriter` or a `QImage`,
so the picture is exactly what the view draws. The file is written under a temporary name beside the
target and renamed at the end: an error leaves nothing half-written.
"""

from __future__ import annotations

import os
import tempfile

from backprop_studio.core.errors import StudioError
from PySide6.QtCore import QMarginsF, QPoint, QRect, QSizeF
from PySide6.QtGui import QImage, QPageSize, QPainter, QPdfWriter, QRegion
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

FORMATS = ("svg", "pdf", "png")
VIEWS = {"canvas": "the canvas", "zoom": "the Neuron zoom", "matrix": "the Matrix view"}
MAX_SCALE = 8.0


def picture_format(path: str) -> str:
    """ "svg", "pdf" or "png" from the file name's extension; StudioError names the allowed ones."""
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    if extension not in FORMATS:
        raise StudioError(
            f"{path}: a picture is written as .svg, .pdf or .png, not {extension or 'no extension'!r}"
        )
    return extension


def check_target(path: str, scale: float = 1.0) -> str:
    """The format, after checking the folder exists and the scale is sensible; nothing is written."""
    kind = picture_format(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise StudioError(f"{path}: the folder {folder} does not exist")
    if not (0 < scale <= MAX_SCALE):
        raise StudioError(f"a PNG scale must be above 0 and at most {MAX_SCALE:g}, not {scale:g}")
    return kind


def _render(widget: QWidget, painter: QPainter) -> None:
    flags = QWidget.RenderFlag.DrawWindowBackground | QWidget.RenderFlag.DrawChildren
    widget.render(painter, QPoint(), QRegion(), flags)


def save_picture(widget: QWidget, path: str, scale: float = 2.0, title: str = "Backprop Studio") -> str:
    """Write what `widget` draws to `path` (.svg, .pdf or .png at `scale` × its size); returns the path."""
    kind = check_target(path, scale)
    width, height = max(widget.width(), 1), max(widget.height(), 1)
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".picture-", suffix=f".{kind}", dir=folder)
    os.close(handle)
    try:
        if kind == "svg":
            generator = QSvgGenerator()
            generator.setFileName(temporary)
            generator.setSize(widget.size())
            generator.setViewBox(QRect(0, 0, width, height))
            generator.setTitle(title)
            generator.setDescription(f"{title}, drawn by Backprop Studio")
            _paint_on(generator, widget)
        elif kind == "pdf":
            writer = QPdfWriter(temporary)
            writer.setTitle(title)
            writer.setCreator("Backprop Studio")
            writer.setResolution(96)  # one point of the page per 0.75 px: the view's own size
            writer.setPageSize(QPageSize(QSizeF(width * 0.75, height * 0.75), QPageSize.Unit.Point))
            writer.setPageMargins(QMarginsF(0, 0, 0, 0))
            _paint_on(writer, widget)
        else:
            image = QImage(
                round(width * scale), round(height * scale), QImage.Format.Format_ARGB32_Premultiplied
            )
            image.setDevicePixelRatio(scale)
            image.fill(widget.palette().window().color())
            _paint_on(image, widget)
            if not image.save(temporary, "PNG"):
                raise StudioError(f"{path}: the PNG could not be written")
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    return path


def _paint_on(device, widget: QWidget) -> None:
    painter = QPainter(device)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        _render(widget, painter)
    finally:
        painter.end()
