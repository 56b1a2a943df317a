"""What a person does with the debugging panels: pick a menu entry, answer a modal dialog, click a row."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QTableWidget


def menu_action(window: QMainWindow, menu: str, text: str) -> QAction:
    """The QAction the menu bar shows as `menu` → `text` (menu titles without their & mnemonic)."""
    for top in window.menuBar().actions():
        if top.text().replace("&", "") == menu and top.menu() is not None:
            for action in top.menu().actions():
                if action.text() == text:
                    return action
    raise AssertionError(f"no menu entry {menu} → {text}")


class ModalAnswer:
    """Answers the next modal dialog: `fill(dialog)` runs on it once it is shown (it should end with a
    click on OK or Cancel). `dialogs` lists what was found; a failure inside `fill` rejects the dialog,
    so the test cannot hang, and is raised again by `check()`."""

    def __init__(self, fill: Callable[[QDialog], None]) -> None:
        self.dialogs: list[QDialog] = []
        self._fill = fill
        self._error: BaseException | None = None
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._answer)
        self._timer.start(0)

    def _answer(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            return
        self.dialogs.append(dialog)
        try:
            self._fill(dialog)
        except BaseException as exc:
            self._error = exc
            dialog.reject()

    def check(self) -> QDialog:
        """The dialog that was answered; fails when none was shown or `fill` failed."""
        self._timer.stop()
        if self._error is not None:
            raise self._error
        assert self.dialogs, "no modal dialog was shown"
        return self.dialogs[0]


def click_row(qtbot, table: QTableWidget, row: int) -> None:
    """Click the middle of the first cell of `row` in `table`."""
    table.scrollToItem(table.item(row, 0))
    point = table.visualItemRect(table.item(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)


def show_panel(window: QMainWindow, title: str) -> None:
    """Bring a dock forward as a person does: View → its title when it is hidden, then its tab."""
    action = menu_action(window, "View", title)
    if not action.isChecked():
        action.trigger()
    for dock in window.docks.values():
        if dock.windowTitle().replace("&&", "&") == title:
            dock.raise_()
