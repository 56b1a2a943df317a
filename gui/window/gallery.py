"""A gallery to pick one of several ready-made things: each entry a title line with a description under
it, a button to take the chosen one, and Cancel. The preset gallery (New from preset…) and the lesson
gallery (File → Lessons…) are two uses of it; entries are plain text (descriptions come from files)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

TAKE = "take"  # what the gallery's main button (or a double click) does with the chosen entry


@dataclass(frozen=True)
class Entry:
    key: str  # what `chosen()` returns
    title: str
    description: str
    tip: str = ""


class Gallery(QDialog):
    """Pick one entry; `chosen()` is its key and `how` the button that took it (TAKE, or the kind of a
    button added with `add_choice`)."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        intro: str,
        entries: Sequence[Entry],
        take_text: str = "OK",
        size: tuple[int, int] = (640, 420),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.how = TAKE
        self.list = QListWidget()
        for entry in entries:
            item = QListWidgetItem(f"{entry.title}\n    {entry.description}")
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            if entry.tip:
                item.setToolTip(entry.tip)
            self.list.addItem(item)
        # Descriptions wrap to the list's width; the selected entry's whole text also shows under the list.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSpacing(4)  # a gap between entries: each is two lines
        self.details = QLabel()
        self.details.setObjectName("gallery-details")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setMinimumHeight(3 * self.details.fontMetrics().lineSpacing())
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._details = {entry.key: f"{entry.title}: {entry.description}" for entry in entries}
        self.list.currentItemChanged.connect(self._show_details)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(self.accept)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(take_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro_label)
        layout.addWidget(self.list)
        layout.addWidget(self.details)
        layout.addWidget(self.buttons)
        self.resize(*size)

    def _show_details(self, item: QListWidgetItem | None) -> None:
        key = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        self.details.setText(self._details.get(key, ""))

    def add_choice(self, kind: str, text: str, tip: str) -> QPushButton:
        """Another way to take the chosen entry (e.g. record a lesson instead of starting it)."""
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setToolTip(tip)
        button.clicked.connect(lambda: self._take(kind))
        return button

    def _take(self, kind: str) -> None:
        self.how = kind
        self.accept()

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def ask(self) -> tuple[str, str] | None:
        """Show it modally: (how, chosen key), or None when cancelled."""
        if self.exec() != QDialog.DialogCode.Accepted:
            return None
        key = self.chosen()
        return None if key is None else (self.how, key)
