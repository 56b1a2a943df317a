"""Choosing what a dialog writes: the file name with Browse…, the line saying what that name will write
(or why it cannot), the frame-size choice, and the one-line error under the form.

One home for Export picture, Record and Record lesson: each passes its own formats and the function that
names the format a path asks for (raising StudioError for a name it cannot write), and reads back the path
as typed. Nothing here writes a file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from backprop_studio.core.errors import StudioError
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

FOLDER = "/"  # a format's suffix when it is written as a folder of numbered files


@dataclass(frozen=True)
class Format:
    """One choice of the Browse dialog: its filter text and the suffix a bare name gets (FOLDER: a folder)."""

    filter: str  # "GIF animation (*.gif)"
    suffix: str  # ".gif", or FOLDER


VIDEO_FORMATS = (
    Format("MP4 video (*.mp4)", ".mp4"),
    Format("GIF animation (*.gif)", ".gif"),
    Format("PNG frames (choose a folder name)", FOLDER),
)
CLIP_PLACEHOLDER = "clip.mp4, clip.gif or a folder/ for PNG frames"


class OutputFile(QWidget):
    """A path field and Browse…, with `format_label` under it saying what the name writes.

    `describe(path)` gives that line, or raises StudioError saying why the name cannot be written; then
    `ok` is False and `changed(False)` is emitted (a dialog disables its button on it).
    """

    changed = Signal(bool)  # whether the name is one this dialog can write

    def __init__(
        self,
        initial: str,
        placeholder: str,
        formats: Sequence[Format],
        describe: Callable[[str], str],
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._formats, self._describe, self._title = tuple(formats), describe, title
        self.edit = QLineEdit(initial)
        self.edit.setPlaceholderText(placeholder)
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self._browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.browse_button)
        self.format_label = QLabel()
        self.format_label.setTextFormat(Qt.TextFormat.PlainText)  # the reason may quote the name typed
        self.format_label.setWordWrap(True)
        self.ok = False
        self.edit.textChanged.connect(self._update)
        self._update()

    def path(self) -> str:
        return self.edit.text().strip()

    def _update(self) -> None:
        try:
            text, ok = self._describe(self.path()), True
        except StudioError as exc:
            text, ok = str(exc), False
        self.format_label.setText(text)
        self.ok = ok
        self.changed.emit(ok)

    def _browse(self) -> None:
        filters = ";;".join(f.filter for f in self._formats)
        path, chosen = QFileDialog.getSaveFileName(self, self._title, self.path(), filters)
        if path:
            self.edit.setText(with_suffix(path, next((f for f in self._formats if f.filter == chosen), None)))


def with_suffix(path: str, chosen: Format | None) -> str:
    """The name Browse… returned, made to name the chosen format: a folder for numbered frames, the
    format's suffix when the name has none."""
    if chosen is None:
        return path
    if chosen.suffix == FOLDER:
        return os.path.splitext(path)[0].rstrip("/\\") + os.sep
    if not os.path.splitext(path)[1]:
        return path + chosen.suffix
    return path


class ErrorLine(QLabel):
    """The one line a dialog says when it cannot go on (nothing was written); hidden while empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog-error")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.hide()

    def say(self, text: str) -> None:
        dark = self.palette().window().color().lightness() < 128
        self.setStyleSheet(f"color: rgb{palette(dark).warning};")
        self.setText(text)
        self.setVisible(bool(text))


def size_choice(sizes: Sequence[tuple[str, int, int]], current: tuple[int, int]) -> QComboBox:
    """A frame-size list ("1080p", 1920, 1080); `current` is chosen, added when it is not among them.
    Item data are "WxH" strings (Qt compares those reliably, unlike Python tuples)."""
    combo = QComboBox()
    for name, width, height in sizes:
        combo.addItem(f"{name} ({width} × {height})", f"{width}x{height}")
    key = f"{current[0]}x{current[1]}"
    if combo.findData(key) < 0:
        combo.addItem(f"{current[0]} × {current[1]}", key)
    combo.setCurrentIndex(combo.findData(key))
    return combo


def chosen_size(combo: QComboBox) -> tuple[int, int]:
    width, height = (int(v) for v in str(combo.currentData()).split("x"))
    return width, height
