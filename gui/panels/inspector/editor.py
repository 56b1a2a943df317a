"""The Inspector's weight/bias editor: a field, a Set button, an inline error; emits only real changes."""

from __future__ import annotations

from backprop_studio.core.display.numbers import parse_number
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

NOTE = (
    "Enter applies it: the current batch is recomputed from its start, and recorded steps after "
    "this one are dropped."
)
TIP = "Type a new value and press Enter (finite numbers only, e.g. 0.25, −1.5, 1e−3)."


class ParameterEditor(QWidget):
    """Edits one parameter; `committed` carries a finite value that differs from the shown one."""

    committed = Signal(float)

    def __init__(self, mono: QFont, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._current: float | None = None
        self._shown_text = ""  # what the field was last filled with, to tell an edit from a re-commit
        self._label = QLabel()
        self._field = QLineEdit()
        self._field.setFont(mono)
        self._field.setClearButtonEnabled(False)
        self._field.setToolTip(TIP)
        self._field.returnPressed.connect(self._commit)
        self._field.textEdited.connect(self.clear_error)
        self._set = QPushButton("Set")
        self._set.setAutoDefault(False)
        self._set.clicked.connect(self._commit)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._label)
        row.addWidget(self._field, 1)
        row.addWidget(self._set)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        self._error = QLabel()
        self._error.setWordWrap(True)
        self._error.hide()
        layout.addWidget(self._error)
        self._note = QLabel(NOTE)
        self._note.setWordWrap(True)
        layout.addWidget(self._note)
        self.set_dark(False)

    # ----------------------------------------------------------------- public API

    def field(self) -> QLineEdit:
        """The value field a person types into."""
        return self._field

    def set_button(self) -> QPushButton:
        return self._set

    def set_value(self, value: float | None, label: str) -> None:
        """Offer `value` for editing (hidden when None); never overwrites what a person is typing."""
        self._current = value
        if value is None:
            self.hide()
            return
        self.show()
        self._label.setText(label)
        if not (self._field.hasFocus() and self._field.isModified()):
            self._shown_text = f"{value:.6g}"
            self._field.setText(self._shown_text)
            self._field.setModified(False)

    def error_text(self) -> str:
        """The inline message of the last rejected entry ('' when the entry was accepted)."""
        return self._error.text() if not self._error.isHidden() else ""

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        p = palette(dark)
        self._note.setStyleSheet("color: rgb({},{},{}); font-size: 90%;".format(*p.muted))
        self._error.setStyleSheet("color: rgb({},{},{});".format(*p.warning))

    def clear_error(self, *_: object) -> None:
        self._error.clear()
        self._error.hide()
        self._field.setStyleSheet("")

    # ----------------------------------------------------------------- committing

    def _commit(self) -> None:
        if self._current is None:
            return
        text = self._field.text()
        value = parse_number(text)
        if value is None:
            shown = text.strip() or "an empty field"
            self._show_error(f"“{shown}” is not a finite number; nothing was changed.")
            return
        self.clear_error()
        self._field.setModified(False)
        # The field shows 6 digits, so committing it untouched must not round the parameter to them; and
        # re-entering the current value would still start a new branch and drop the recorded future.
        if text.strip() == self._shown_text or value == self._current:
            return
        self.committed.emit(value)

    def _show_error(self, message: str) -> None:
        self._error.setText(message)
        self._error.show()
        c = palette(self._dark).warning
        self._field.setStyleSheet(f"QLineEdit {{ border: 1px solid rgb({c[0]},{c[1]},{c[2]}); }}")
