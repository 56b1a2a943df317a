"""The Record lesson dialog: which lesson, where the clip goes, its size, frame rate, look and timing.

What it returns is what `python main.py record --lesson` takes: a lesson and a checked `LessonClip`
(format from the file name, size, frames per second, a writable folder), so recording can start at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from backprop_studio.core.errors import StudioError
from backprop_studio.core.lessons.catalog import LESSONS, load_builtin
from backprop_studio.core.lessons.model import Lesson
from backprop_studio.gui.recording.encoders import check_output, format_for
from backprop_studio.gui.recording.lesson_record import TRANSITION_S, LessonClip
from backprop_studio.gui.recording.record_dialog import describe_clip, follow_format
from backprop_studio.gui.window import output_file
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

OPEN = "(open)"  # the lesson list's key for the lesson open in the window
SIZES = (("1080p", 1920, 1080), ("720p", 1280, 720))
AUTOMATIC_HOLD = "Each step stays as long as its narration takes to read"


@dataclass(frozen=True)
class LessonChoice:
    """The dialog's answer: the lesson to record and how (the clip's output path made absolute)."""

    lesson: Lesson
    clip: LessonClip


class LessonRecordDialog(QDialog):
    """`open_lesson`: the lesson open in the window (listed first), if any; `chosen`: the key selected at
    first (a built-in lesson's name, or OPEN); `initial`: last time's clip, to start from."""

    def __init__(
        self,
        parent: QWidget | None = None,
        open_lesson: Lesson | None = None,
        chosen: str | None = None,
        initial: LessonClip | None = None,
        dark: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record lesson")
        self.setObjectName("record-lesson")
        self.setMinimumWidth(560)  # room for a path
        self._open = open_lesson
        self._result: LessonChoice | None = None
        initial = initial or LessonClip(os.path.join(os.getcwd(), "lesson.mp4"), dark=dark)
        self._build_fields(initial)
        self.lesson_combo.setCurrentIndex(max(0, self.lesson_combo.findData(chosen or OPEN)))
        self._suggested = ""
        self._suggest_name()
        self.lesson_combo.currentIndexChanged.connect(self._suggest_name)
        self.error_label = output_file.ErrorLine()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.record_button = buttons.addButton("Record", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Lesson", self.lesson_combo)
        form.addRow("Save to", self.output)
        form.addRow("", self.output.format_label)
        form.addRow("Size", self.size_combo)
        form.addRow("Frame rate", self.fps_spin)
        form.addRow("Each step", self._hold_row())
        form.addRow("Transitions", self.transition_spin)
        form.addRow("Theme", self.theme_combo)
        form.addRow("Title", self.title_edit)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.error_label)
        box.addWidget(buttons)
        self.output.changed.connect(self._update_format)
        self.output.edit.textChanged.connect(lambda: self.error_label.say(""))
        self._update_format()

    def _build_fields(self, initial: LessonClip) -> None:
        self.lesson_combo = QComboBox()
        if self._open is not None:
            self.lesson_combo.addItem(f"The open lesson: {self._open.title}", OPEN)
        for number, name in enumerate(LESSONS, start=1):
            self.lesson_combo.addItem(f"{number}. {load_builtin(name).title}", name)
        self.output = output_file.OutputFile(
            initial.out,
            output_file.CLIP_PLACEHOLDER,
            output_file.VIDEO_FORMATS,
            describe_clip,
            "Record lesson to",
        )
        self.size_combo = output_file.size_choice(SIZES, (initial.width, initial.height))
        self.fps_spin = QDoubleSpinBox()
        self.fps_spin.setRange(1.0, 60.0)
        self.fps_spin.setDecimals(0)
        self.fps_spin.setSuffix(" frames/s")
        self.fps_spin.setValue(initial.fps)
        self.fixed_hold = QCheckBox("Fixed time:")
        self.fixed_hold.setToolTip(AUTOMATIC_HOLD + " unless a fixed time is set")
        self.hold_spin = QDoubleSpinBox()
        self.hold_spin.setRange(0.1, 60.0)
        self.hold_spin.setSingleStep(0.5)
        self.hold_spin.setSuffix(" s")
        self.hold_spin.setValue(initial.hold or 4.0)
        self.fixed_hold.setChecked(initial.hold is not None)
        self.hold_spin.setEnabled(initial.hold is not None)
        self.fixed_hold.toggled.connect(self.hold_spin.setEnabled)
        self.transition_spin = QDoubleSpinBox()
        self.transition_spin.setRange(0.0, 5.0)
        self.transition_spin.setSingleStep(0.25)
        self.transition_spin.setSuffix(" s easing from step to step")
        self.transition_spin.setSpecialValueText("none: cut from step to step")
        self.transition_spin.setValue(initial.transition)
        self.theme_combo = QComboBox()
        self.theme_combo.addItem("Light", False)
        self.theme_combo.addItem("Dark", True)
        self.theme_combo.setCurrentIndex(1 if initial.dark else 0)
        self.title_edit = QLineEdit(initial.title or "")
        self.title_edit.setPlaceholderText("the lesson's title")

    def _hold_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        automatic = QLabel("reading time of its narration, or")
        row.addWidget(automatic)
        row.addWidget(self.fixed_hold)
        row.addWidget(self.hold_spin)
        row.addStretch(1)
        return row

    def _suggest_name(self) -> None:
        """Name the clip after the lesson chosen (mazur.mp4) until the person types a name of their own."""
        path = self.output.path()
        folder, name = os.path.split(path.rstrip("/\\"))
        stem, extension = os.path.splitext(name)
        if stem not in ("lesson", self._suggested):
            return
        key = self.lesson_combo.currentData()
        self._suggested = "lesson" if key == OPEN else str(key)
        tail = os.sep if path.endswith(("/", "\\")) else extension
        self.output.edit.setText(os.path.join(folder, self._suggested + tail))

    def _update_format(self) -> None:
        follow_format(self.output, self.record_button, self.fps_spin)

    def lesson(self) -> Lesson:
        key = self.lesson_combo.currentData()
        if key == OPEN and self._open is not None:
            return self._open
        return load_builtin(str(key))

    def clip(self) -> LessonClip:
        """What the dialog shows now, unchecked."""
        width, height = output_file.chosen_size(self.size_combo)
        return LessonClip(
            self.output.path(),
            width,
            height,
            round(self.fps_spin.value()),
            title=self.title_edit.text().strip() or None,
            dark=bool(self.theme_combo.currentData()),
            hold=self.hold_spin.value() if self.fixed_hold.isChecked() else None,
            transition=self.transition_spin.value(),
        )

    def accept(self) -> None:
        clip = self.clip()
        try:
            _, target, _, _ = check_output(clip.out, clip.fps, (clip.width, clip.height))
            lesson = self.lesson()
        except StudioError as exc:
            self.error_label.say(str(exc))
            return
        out = str(target) + (os.sep if format_for(clip.out) == "png" else "")
        self._result = LessonChoice(lesson, replace(clip, out=out))
        super().accept()

    @property
    def result_choice(self) -> LessonChoice | None:
        """The lesson and checked clip after Record was pressed, else None."""
        return self._result


__all__ = ["OPEN", "TRANSITION_S", "LessonChoice", "LessonRecordDialog"]
