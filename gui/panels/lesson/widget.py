"""The Lesson panel: the lesson's title, where it is ("step 3 of 14"), the narration with its live numbers,
Back / Next (PageUp / PageDown, the keys presentation clickers send, are window shortcuts), and Record
lesson… to make a clip of it. A step that asks shows its question and an answer field: Enter in the field
is the same as Next.

A view: it shows what it is given and emits intent; the window's lesson player moves the session.
Narration comes from files, so every text is shown as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

IDLE_TEXT = "No lesson is open. File → Lessons… starts a built-in one; File → Open… also opens lesson files."


def _plain_label(object_name: str, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class LessonPanel(QWidget):
    """`back_requested` / `next_requested`: the person wants the previous or the next step;
    `leave_requested`: close the lesson and keep exploring the network where it is."""

    back_requested = Signal()
    next_requested = Signal()
    leave_requested = Signal()
    record_requested = Signal()  # record the open lesson as a clip (the window asks where to)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _plain_label("lesson-heading")
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.counter = _plain_label("lesson-counter", wrap=False)
        self.narration = _plain_label("lesson-narration")
        larger = QFont(self.narration.font())
        larger.setPointSizeF(larger.pointSizeF() * 1.15)  # read from a few steps away
        self.narration.setFont(larger)
        self.narration.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.narration.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.note = _plain_label("lesson-note")
        self.answer_label = QLabel("Your answer:")
        self.answer = QLineEdit()
        self.answer.setObjectName("lesson-answer")
        self.answer.setPlaceholderText("a number, e.g. 0.42 — Enter checks it; Next alone reveals it")
        self.answer.setToolTip("Checked to three significant figures")
        self.answer.returnPressed.connect(self.next_requested)
        self.back_button = QPushButton("◀ Back")
        self.back_button.setToolTip("The previous step, exactly as it was (Page Up)")
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("The next step (Page Down)")
        self.next_button.setDefault(True)
        self.leave_button = QPushButton("Leave lesson")
        self.leave_button.setToolTip("Close the lesson; the network stays where it is, to explore")
        self.record_button = QPushButton("Record lesson…")
        self.record_button.setToolTip("Record this lesson as MP4, GIF or PNG frames while you go on here")
        self.record_button.clicked.connect(self.record_requested)
        self.back_button.clicked.connect(self.back_requested)
        self.next_button.clicked.connect(self.next_requested)
        self.leave_button.clicked.connect(self.leave_requested)
        self._lay_out()
        self.clear()

    def _lay_out(self) -> None:
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.counter, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.leave_button)
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.narration, 1)
        layout.addWidget(self.note)
        answer = QHBoxLayout()
        answer.addWidget(self.answer_label)
        answer.addWidget(self.answer, 1)
        layout.addLayout(answer)
        layout.addLayout(buttons)

    def show_step(self, title: str, counter: str, narration: str, can_back: bool, can_next: bool) -> None:
        """Show one step of a lesson."""
        self.title.setText(title)
        self.counter.setText(counter)
        self.narration.setText(narration)
        self.note.clear()
        self.note.setVisible(False)
        self._show_answer_field(False)
        self.back_button.setEnabled(can_back)
        self.next_button.setEnabled(can_next)
        self.leave_button.setEnabled(True)
        self.record_button.setEnabled(True)

    def show_question(self, title: str, counter: str, question: str, can_back: bool) -> None:
        """A step that asks: the question with the numbers it needs, and an empty answer field with focus."""
        self.show_step(title, counter, question, can_back, True)
        self.answer.clear()
        self._show_answer_field(True)
        self.answer.setFocus()

    def answer_text(self) -> str:
        """The typed answer while a question is open, else ""."""
        return self.answer.text() if self._asking else ""

    def _show_answer_field(self, shown: bool) -> None:
        self._asking = shown
        self.answer_label.setVisible(shown)
        self.answer.setVisible(shown)

    def show_note(self, text: str) -> None:
        """A line under the narration (a view this window does not have, a breakpoint that stopped early)."""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def clear(self) -> None:
        """No lesson: say how to start one."""
        self.title.setText("Lesson")
        self.counter.clear()
        self.narration.setText(IDLE_TEXT)
        self.show_note("")
        self._show_answer_field(False)
        for button in (self.back_button, self.next_button, self.leave_button, self.record_button):
            button.setEnabled(False)
