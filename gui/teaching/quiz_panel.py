"""The Quiz dock: the question about the next phase, a field for the prediction, the verdict with the
worked computation, and the running score. It only shows and asks; `hub.TeachingViews` runs the phase
and grades through `core.teaching.quiz`.
"""

from __future__ import annotations

from backprop_studio.core.teaching.quiz import Question, Verdict
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

OFF_TEXT = "Quiz mode is off. Turn it on in Train → Quiz mode to predict each value before it appears."
NO_SELECTION = (
    "Select a neuron or an edge on the canvas: the quiz asks for its next value before the phase runs."
)
HOW = (
    "Type your prediction and press Enter: the phase runs and the value is revealed. Step skips the question."
)


def _label(wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class QuizPanel(QWidget):
    """Shows one question at a time; emits `answered(text)` when Enter or Check is pressed."""

    answered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._outcome = ""
        self.score = _label()
        bold = QFont(self.score.font())
        bold.setBold(True)
        self.score.setFont(bold)
        self.question = _label()
        self.question.setFont(bold)
        self.given = _label()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.given.setFont(mono)
        self.symbol = _label(wrap=False)
        self.symbol.setFont(mono)
        self.field = QLineEdit()
        self.field.setPlaceholderText("your prediction, e.g. 0.42")
        self.field.setObjectName("quiz-answer")
        self.check = QPushButton("Check")
        self.verdict = _label()
        self.verdict.setFont(bold)
        self.worked = _label()
        self.worked.setFont(mono)
        self.how = _label()
        row = QHBoxLayout()
        row.addWidget(self.symbol)
        row.addWidget(self.field, 1)
        row.addWidget(self.check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        # The last answer's verdict and computation first, then the next question.
        for widget in (self.score, self.verdict, self.worked, self.question, self.given):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self.how)
        layout.addStretch(1)
        self.field.returnPressed.connect(self._submit)
        self.check.clicked.connect(self._submit)
        self.show_off()

    def _submit(self) -> None:
        if self.field.isEnabled():
            self.answered.emit(self.field.text())

    def _asking(self, on: bool) -> None:
        for widget in (self.symbol, self.field, self.check, self.how, self.given):
            widget.setVisible(on)
        self.field.setEnabled(on)
        self.check.setEnabled(on)

    def show_off(self) -> None:
        self.question.setText(OFF_TEXT)
        self._asking(False)
        self.score.setText("")
        self.show_verdict(None)

    def show_score(self, text: str) -> None:
        self.score.setText(f"Score: {text}")

    def show_question(self, question: Question | None, reason: str = NO_SELECTION) -> None:
        """Ask `question` (the field keeps what was typed while the question stays the same), or say why
        there is none for the next phase."""
        if question is None:
            self.question.setText(reason)
            self._asking(False)
            return
        changed = self.question.text() != question.prompt
        self.question.setText(question.prompt)
        self.given.setText(question.given)
        self.symbol.setText(f"{question.symbol} =")
        self.how.setText(HOW)
        self._asking(True)
        if changed:
            self.field.clear()

    def show_verdict(self, verdict: Verdict | None) -> None:
        """The last answer's one line (right, wrong or not a number) and, once revealed, its computation."""
        self._outcome = "" if verdict is None else verdict.outcome
        self.verdict.setText("" if verdict is None else verdict.message)
        self.worked.setText("" if verdict is None else verdict.worked)
        self.worked.setVisible(bool(verdict is not None and verdict.worked))
        self._color()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self._color()

    def _color(self) -> None:
        pal = palette(self._dark)
        hue = {"right": pal.forward, "wrong": pal.loss, "not a number": pal.update}.get(
            self._outcome, pal.text
        )
        self.verdict.setStyleSheet(f"color: rgb{hue};")
        self.given.setStyleSheet(f"color: rgb{pal.muted};")
        self.how.setStyleSheet(f"color: rgb{pal.muted};")
