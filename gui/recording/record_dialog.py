"""The Record dialog: where a recording goes and what it shows, collected as `RecordOptions`.

The window asks `RecordDialog.get_options(parent, ...)`; None means the user cancelled. The returned
options have been checked (format from the file name, size, frames per second, a writable folder), so
`RecorderThread(options.path, options.frame_spec(), options.timing(), dataset)` can start at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from backprop_studio.core.errors import StudioError
from backprop_studio.gui.recording.encoders import check_output, format_for
from backprop_studio.gui.recording.frame import FrameSpec
from backprop_studio.gui.recording.recorder import Timing
from backprop_studio.gui.window.output_file import (
    CLIP_PLACEHOLDER,
    VIDEO_FORMATS,
    ErrorLine,
    OutputFile,
    chosen_size,
    size_choice,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

_FORMAT_NAMES = {
    "mp4": "MP4 video (H.264) — plays everywhere, small files",
    "gif": "GIF animation (loops) — for slides and web pages",
    "png": "numbered PNG frames in a folder — for editing",
}


def follow_format(output: OutputFile, record: QPushButton, fps: QDoubleSpinBox) -> None:
    """A clip's dialog after its file name changed: Record only for a name that names a format, and at
    most 50 frames per second for a GIF (what GIF players honor), 60 otherwise."""
    record.setEnabled(output.ok)
    if output.ok:
        fps.setMaximum(50.0 if format_for(output.path()) == "gif" else 60.0)


def describe_clip(path: str) -> str:
    """What a clip's file name will write, for every dialog that records (StudioError for a name that
    names no format)."""
    return _FORMAT_NAMES[format_for(path)]


@dataclass(frozen=True)
class RecordOptions:
    """Everything a recording needs besides the states themselves."""

    path: str = "recording.mp4"
    layout: str = "full"  # "canvas" | "full"
    width: int = 1280
    height: int = 720
    fps: float = 30.0
    hold: float = 0.75  # seconds each state stays on screen
    transition: float = 0.25  # seconds easing from one state to the next; 0 = none
    title: str = ""
    dark: bool = False
    mode: str = "auto"  # "auto" | "values" | "gradients"

    @property
    def format(self) -> str:
        """The format the path asks for, "mp4", "gif" or "png" (StudioError if it names none of them)."""
        return format_for(self.path)

    def frame_spec(self) -> FrameSpec:
        return FrameSpec(self.width, self.height, self.layout, self.title, self.dark, self.mode)

    def timing(self) -> Timing:
        return Timing(self.fps, self.hold, self.transition)

    def check(self) -> RecordOptions:
        """These options with the path made absolute; StudioError (nothing written) if they cannot work."""
        _, target, _, _ = check_output(self.path, self.fps, (self.width, self.height))
        self.frame_spec()
        self.timing()
        path = str(target) + (os.sep if self.format == "png" else "")
        return replace(self, path=path)


def even_size(width: int, height: int) -> tuple[int, int]:
    """A window size usable for every format (H.264 in yuv420p needs even sides)."""
    return max(64, width - width % 2), max(64, height - height % 2)


class RecordDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None = None,
        initial: RecordOptions | None = None,
        window_size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record training")
        initial = initial or RecordOptions()
        self._window_size = even_size(*window_size) if window_size else None

        path_row = self._build_output(initial)
        transition_row = self._build_timing(initial)
        self.error_label = ErrorLine()

        form = QFormLayout()
        form.addRow("Save to", path_row)
        form.addRow("", self.format_label)
        form.addRow("Show", self.layout_combo)
        form.addRow("Size", self.size_combo)
        form.addRow("Frame rate", self.fps_spin)
        form.addRow("Hold each state", self.hold_spin)
        form.addRow("Transitions", transition_row)
        form.addRow("Numbers", self.mode_combo)
        form.addRow("Title", self.title_edit)
        form.addRow("", self.dark_check)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.record_button = buttons.addButton("Record", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.error_label)
        box.addWidget(buttons)

        self.output.changed.connect(self._update_format)
        self.path_edit.textChanged.connect(lambda: self.error_label.say(""))
        self._update_format()
        self._options: RecordOptions | None = None

    def _build_output(self, initial: RecordOptions) -> OutputFile:
        """Where to save, the format that implies, what the frames show and their size."""
        self.output = OutputFile(initial.path, CLIP_PLACEHOLDER, VIDEO_FORMATS, describe_clip, "Record to")
        self.path_edit, self.format_label = self.output.edit, self.output.format_label

        self.layout_combo = QComboBox()
        self.layout_combo.addItem("Network, data and loss", "full")
        self.layout_combo.addItem("Network only", "canvas")
        self._select(self.layout_combo, initial.layout)

        sizes = [("720p", 1280, 720), ("1080p", 1920, 1080)]
        if self._window_size is not None:
            sizes.append(("Window size", *self._window_size))
        self.size_combo = size_choice(sizes, (initial.width, initial.height))
        return self.output

    def _build_timing(self, initial: RecordOptions) -> QHBoxLayout:
        """Frame rate, hold and transition times, numbers shown, title and theme."""
        self.fps_spin = QDoubleSpinBox()
        self.fps_spin.setRange(1.0, 60.0)
        self.fps_spin.setDecimals(0)
        self.fps_spin.setSuffix(" frames/s")
        self.fps_spin.setValue(initial.fps)

        self.hold_spin = QDoubleSpinBox()
        self.hold_spin.setRange(0.05, 30.0)
        self.hold_spin.setSingleStep(0.25)
        self.hold_spin.setSuffix(" s")
        self.hold_spin.setValue(initial.hold)
        self.hold_spin.setToolTip("How long each phase (or pass, batch, epoch) stays on screen")

        self.transitions_check = QCheckBox("Ease from one state to the next")
        self.transitions_check.setToolTip("Edge widths and colors change smoothly instead of jumping")
        self.transitions_check.setChecked(initial.transition > 0)
        self.transition_spin = QDoubleSpinBox()
        self.transition_spin.setRange(0.05, 5.0)
        self.transition_spin.setSingleStep(0.05)
        self.transition_spin.setSuffix(" s")
        self.transition_spin.setValue(initial.transition if initial.transition > 0 else 0.25)
        self.transition_spin.setEnabled(initial.transition > 0)
        self.transitions_check.toggled.connect(self.transition_spin.setEnabled)
        transition_row = QHBoxLayout()
        transition_row.addWidget(self.transitions_check)
        transition_row.addWidget(self.transition_spin)
        transition_row.addStretch(1)

        self.mode_combo = QComboBox()
        self.mode_combo.addItem("Automatic: gradients while going backward", "auto")
        self.mode_combo.addItem("Always values (a, w, b)", "values")
        self.mode_combo.addItem("Always gradients (∂L/∂z, ∂L/∂w, ∂L/∂b)", "gradients")
        self._select(self.mode_combo, initial.mode)

        self.title_edit = QLineEdit(initial.title)
        self.title_edit.setPlaceholderText("optional, shown across the top")
        self.dark_check = QCheckBox("Dark background")
        self.dark_check.setChecked(initial.dark)
        return transition_row

    @staticmethod
    def _select(combo: QComboBox, data: object) -> None:
        index = combo.findData(data)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _update_format(self) -> None:
        follow_format(self.output, self.record_button, self.fps_spin)

    def options(self) -> RecordOptions:
        """What the dialog shows now, unchecked."""
        width, height = chosen_size(self.size_combo)
        return RecordOptions(
            path=self.output.path(),
            layout=self.layout_combo.currentData(),
            width=int(width),
            height=int(height),
            fps=float(self.fps_spin.value()),
            hold=float(self.hold_spin.value()),
            transition=float(self.transition_spin.value()) if self.transitions_check.isChecked() else 0.0,
            title=self.title_edit.text().strip(),
            dark=self.dark_check.isChecked(),
            mode=self.mode_combo.currentData(),
        )

    def accept(self) -> None:
        try:
            self._options = self.options().check()
        except StudioError as exc:
            self.error_label.say(str(exc))
            return
        super().accept()

    @property
    def result_options(self) -> RecordOptions | None:
        """The checked options after Record was pressed, else None."""
        return self._options

    @classmethod
    def get_options(
        cls,
        parent: QWidget | None = None,
        initial: RecordOptions | None = None,
        window_size: tuple[int, int] | None = None,
    ) -> RecordOptions | None:
        """Show the dialog modally; the checked options, or None if cancelled. `window_size` (the canvas's
        size in pixels) adds a "Window size" choice; `initial` pre-fills every field (e.g. last time's)."""
        dialog = cls(parent, initial, window_size)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.result_options
