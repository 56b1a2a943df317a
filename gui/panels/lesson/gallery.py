"""The lesson gallery: the built-in lessons with their titles and descriptions, beside the preset gallery."""

from __future__ import annotations

from backprop_studio.core.lessons.catalog import LESSONS, load_builtin
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)


class LessonGallery(QDialog):
    """Pick a built-in lesson; `chosen()` is its name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Lessons")
        self.setObjectName("lesson-gallery")
        self.list = QListWidget()
        for number, name in enumerate(LESSONS, start=1):
            lesson = load_builtin(name)
            item = QListWidgetItem(f"{number}. {lesson.title}\n    {lesson.description}")  # plain text
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(f"{len(lesson.steps)} steps · python main.py record --lesson {name}")
            self.list.addItem(item)
        self.list.setWordWrap(True)
        self.list.setSpacing(4)  # a gap between lessons: each entry is two lines
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(self.accept)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start lesson")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Walk through training step by step, with every number explained:"))
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)
        self.resize(720, 460)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    @classmethod
    def choose(cls, parent: QWidget | None) -> str | None:
        dialog = cls(parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
