"""A number field that never guesses: typed text is applied on Enter or focus-out, or refused and left red.

Qt's spin boxes validate every keystroke: they swallow characters that would leave an out-of-range text
(`1e400` became `1e40`), clamp on focus-out (`100` became the maximum) and report each valid prefix as a
new value, so a slow typist had "1", then "14", then "140" applied. This field lets any text be typed,
applies it only when the person is done (Enter, Tab or a click elsewhere), and refuses what is not a
value in its `FieldRange`: the text stays as typed, the field turns red, `refused` carries the message
naming the allowed range, and the applied value stays. Escape puts the applied value back. The arrows
(keys, buttons, wheel once focused) are deliberate, so each step is applied at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from backprop_studio.core.display.numbers import MINUS, parse_number
from backprop_studio.gui.panels.settings.builders import error_colors
from backprop_studio.gui.panels.settings.choices import FieldRange
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen, QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QWidget

Number = int | float
_WHOLE = re.compile(r"[-+]?\d+")


class NumberField(QAbstractSpinBox):
    """A typed number in `bounds`; `committed` when a new value is applied, `problem_changed` when a text
    is refused (or a refused one is fixed or withdrawn).

    `value()` is the applied value; `setValue` shows a value as applied without emitting (filling a form
    from specs). `check`, if set, refuses more (a batch larger than the training set): it returns the
    message, or None. `ladder` lists the values the arrows jump between (…, 0.003, 0.01, 0.03, …).
    """

    committed = Signal()
    problem_changed = Signal()  # a text was refused, or a refused text went away (`problem()` says which)

    def __init__(
        self,
        bounds: FieldRange,
        ladder: tuple[float, ...] = (),
        step: float = 1.0,
        suffix: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bounds = bounds
        self.check: Callable[[Number], str | None] | None = None
        self._ladder = tuple(sorted(ladder))
        self._step = step
        self._suffix = suffix
        self._value: Number = bounds.low
        self._problem: str | None = None
        self._tooltip = ""
        self.setProperty("invalid", False)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.editingFinished.connect(self._apply_text)
        self._show()

    # ---- the applied value ---------------------------------------------------------------------------

    def value(self) -> Number:
        return self._value

    def setValue(self, value: Number) -> None:
        """Show `value` as the applied one, without emitting; a refused text is forgotten."""
        self._value = int(value) if self.bounds.whole else float(value)
        self._set_problem(None)
        self._show()

    def problem(self) -> str | None:
        """Why the text shown was refused; None while it shows the applied value."""
        return self._problem

    def text_shown(self) -> str:
        return self.lineEdit().text()

    def setToolTip(self, text: str) -> None:
        self._tooltip = text
        super().setToolTip(self._problem or text)

    # ---- typing ----------------------------------------------------------------------------------------

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        return QValidator.State.Acceptable, text, pos  # anything may be typed; judged on Enter

    def fixup(self, text: str) -> str:
        return text  # never "corrected" into another number

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and (
            self._problem or self.text_shown() != self._format(self._value)
        ):
            had_problem = self._problem is not None
            self._set_problem(None)  # Escape: back to the applied value
            self._show()
            if had_problem:
                self.problem_changed.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def _apply_text(self) -> None:
        text = self.text_shown()
        if text == self._format(self._value) and self._problem is None:
            return
        value, problem = self._read(text)
        if problem is not None:
            self._set_problem(problem)
            self.problem_changed.emit()
            return
        self._apply(value)

    def _read(self, text: str) -> tuple[Number, str | None]:
        """The number `text` means and None, or (applied value, why it is refused)."""
        cleaned = text.strip().removesuffix(self._suffix.strip()).strip().replace(MINUS, "-")
        number = None if "_" in cleaned else parse_number(cleaned)  # Python reads 1_0 as 10; a person doesn't
        if number is not None and self.bounds.whole:
            number = (
                int(cleaned) if _WHOLE.fullmatch(cleaned) else (int(number) if number.is_integer() else None)
            )
        if number is None or not self.bounds.low <= number <= self.bounds.high:
            return self._value, self.bounds.sentence()
        more = self.check(number) if self.check is not None else None
        return (self._value, more) if more is not None else (number, None)

    # ---- stepping --------------------------------------------------------------------------------------

    def stepBy(self, steps: int) -> None:
        value = self._value
        if self._ladder:
            tolerance = 1e-9 * max(abs(value), 1e-12)
            if steps > 0:
                above = [rung for rung in self._ladder if rung > value + tolerance]
                value = above[min(steps, len(above)) - 1] if above else value
            else:
                below = [rung for rung in self._ladder if rung < value - tolerance]
                value = below[-min(-steps, len(below))] if below else value
        else:
            value = value + steps * self._step
        value = min(max(value, self.bounds.low), self.bounds.high)
        if self.check is not None and self.check(value) is not None:
            return  # a step the check refuses (past the training set) is not taken
        self._apply(round(value) if self.bounds.whole else value)
        self.selectAll()

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.isReadOnly():
            return flags
        value = self._value
        up = value < self.bounds.high and (not self._ladder or any(rung > value for rung in self._ladder))
        down = value > self.bounds.low and (not self._ladder or any(rung < value for rung in self._ladder))
        if up:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if down:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags

    # ---- what is shown ---------------------------------------------------------------------------------

    def _apply(self, value: Number) -> None:
        changed = value != self._value
        self._value = value
        had_problem = self._problem is not None
        self._set_problem(None)
        self._show()
        if had_problem:
            self.problem_changed.emit()
        if changed:
            self.committed.emit()

    def _format(self, value: Number) -> str:
        text = str(value) if self.bounds.whole else f"{value:.6g}"
        return f"{text}{self._suffix}"

    def _show(self) -> None:
        self.lineEdit().setText(self._format(self._value))
        self.update()

    def _set_problem(self, problem: str | None) -> None:
        self._problem = problem
        self.setProperty("invalid", problem is not None)
        super().setToolTip(problem or self._tooltip)
        self._style()

    def restyle(self) -> None:
        """Color a refused field for the current theme (its owner calls this when the theme changes)."""
        self._style()

    def _style(self) -> None:
        # A palette and a painted border, not a style sheet: a styled spin box loses its native arrows,
        # and one without arrows (units, seeds) lays its text out 1 px wide.
        if self._problem is None:
            parent = self.parentWidget()
            self.setPalette(parent.palette() if parent is not None else QApplication.palette())
            self.setAttribute(Qt.WidgetAttribute.WA_SetPalette, False)  # follow the theme again
            self.update()
            return
        text, background, _border = error_colors(QApplication.palette())
        palette = QPalette(QApplication.palette())
        for role, color in ((QPalette.ColorRole.Base, background), (QPalette.ColorRole.Text, text)):
            palette.setColor(role, QColor(color))
        self.setPalette(palette)
        self.update()

    def border_color(self) -> str | None:
        """The red the refused field is outlined in ("#rrggbb"); None while it shows the applied value."""
        return error_colors(QApplication.palette())[2] if self._problem is not None else None

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        border = self.border_color()
        if border is not None:
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(border), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 3, 3)
            painter.end()
