"""Presentation mode (View → Presentation mode, F5): the canvas and the narration full screen, for a lecture.

Side panels, toolbars, the menu bar and the status bar are hidden; the canvas fills the screen, so its
labels grow with it (the canvas sizes its text by its area); the narration is set in large type (at
least 28 px, more on a taller screen). Only the keys a presentation clicker sends work: PageDown and →
step one phase, PageUp and ← step back, B blanks the screen (B again, or any click, brings it back),
Esc or F5 leaves, restoring panels, bars, shortcuts and the window state exactly as they were.

During a lesson the large text is the lesson's: its step counter and title, then the step's narration with
its numbers (or its question), in place of the per-phase narration; PageDown/PageUp turn the lesson's steps.
"""

from __future__ import annotations

from typing import Any

from backprop_studio.gui.panels.inspector.narration import NarrationLabel
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QBoxLayout, QToolBar, QWidget

# Actions whose shortcuts still work while presenting. During a lesson PageUp/PageDown stay the lesson's
# Back/Next (lesson_back/lesson_next own those keys); otherwise they are added to Step and Step back.
KEPT = ("step", "back", "presentation", "lesson_back", "lesson_next")
EXTRA_KEYS = {"step": "PgDown", "back": "PgUp"}  # what clickers send, added while presenting
NARRATION_PX_AT_1080 = 30  # ≥ 28 px at 1080p, readable from the back of a hall


def narration_pixels(screen_height: int) -> int:
    """The narration's size in pixels: NARRATION_PX_AT_1080 scaled to the screen, never below 28."""
    return max(28, round(NARRATION_PX_AT_1080 * screen_height / 1080))


class _Blank(QWidget):
    """A black sheet over the whole window; a click takes it away."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("presentation-blank")
        self.setAutoFillBackground(True)
        self.setStyleSheet("QWidget#presentation-blank { background: black; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.hide()

    def mousePressEvent(self, event) -> None:
        self.hide()


class Presentation(QObject):
    """Enters and leaves presentation mode for `window` (the MainWindow) through its checkable action."""

    def __init__(self, window: Any, narration: Any) -> None:
        super().__init__(window)
        self.window = window
        self.narration = narration
        self.blank = _Blank(window)
        self._saved_shortcuts: dict[str, list[QKeySequence]] = {}
        self._saved_visible: list[QWidget] = []
        self._saved_state = Qt.WindowState.WindowNoState
        self._keys: list[QShortcut] = []
        self._added: list[QAction] = []  # actions put on the window while presenting
        self.active = False
        self.lesson_caption = self._caption_beside(narration)
        self._lesson_text: str | None = None  # the open lesson's step on screen, else None
        window.installEventFilter(self)

    @staticmethod
    def _caption_beside(narration: QWidget) -> NarrationLabel:
        """The lesson's caption, in the narration's place under the canvas (shown only while presenting
        a lesson); styled as the narration is, so the large type is the same."""
        caption = NarrationLabel()
        caption.setAccessibleName("lesson caption")
        caption.hide()
        holder = narration.parentWidget()
        layout = holder.layout() if holder is not None else None
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(layout.indexOf(narration) + 1, caption)
        return caption

    def show_lesson(self, counter: str, title: str, text: str) -> None:
        """The lesson step now on screen; while presenting, it replaces the per-phase narration."""
        self._lesson_text = f"{counter} · {title}\n{text}"  # where it is first: it must never wrap away
        self.lesson_caption.show_text(self._lesson_text)
        self._place_caption()

    def hold_back(self, dock: QWidget) -> bool:
        """While presenting, a panel a lesson step asks for stays hidden and shows when presenting ends;
        True when it was held back (the caller must not show it)."""
        if not self.active:
            return False
        if dock not in self._saved_visible:
            self._saved_visible.append(dock)
        return True

    def end_lesson(self) -> None:
        self._lesson_text = None
        self._place_caption()

    def _place_caption(self) -> None:
        lesson = self.active and self._lesson_text is not None
        self.lesson_caption.setVisible(lesson)
        self.narration.setVisible(not lesson)

    def connect(self, action: QAction) -> None:
        action.toggled.connect(self.set_active)

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        self.active = on
        if on:
            self._enter()
        else:
            self._leave()

    def _enter(self) -> None:
        w = self.window
        self._saved_state = w.windowState()
        bars = [w.menuBar(), w.statusBar(), *w.findChildren(QToolBar)]
        self._saved_visible = [widget for widget in (*w.docks.values(), *bars) if widget.isVisible()]
        for widget in self._saved_visible:
            widget.hide()
        for name in KEPT:  # menus and toolbars are hidden: the window itself carries the kept actions
            if w.actions[name] not in QWidget.actions(w):  # (the window's `actions` is its dict)
                w.addAction(w.actions[name])
                self._added.append(w.actions[name])
        in_lesson = w.actions["lesson_next"].isEnabled() or w.actions["lesson_back"].isEnabled()
        for name, action in w.actions.items():
            self._saved_shortcuts[name] = list(action.shortcuts())
            if name not in KEPT:
                action.setShortcuts([])
            elif name in EXTRA_KEYS and not in_lesson:
                action.setShortcuts([*action.shortcuts(), QKeySequence(EXTRA_KEYS[name])])
        self._keys = [
            self._shortcut("B", self.toggle_blank),
            self._shortcut("Esc", lambda: w.actions["presentation"].setChecked(False)),
        ]
        w.showFullScreen()
        screen = w.screen()
        height = screen.geometry().height() if screen is not None else w.height()
        pixels = narration_pixels(height)
        self.narration.set_pixel_size(pixels)
        self.lesson_caption.set_pixel_size(pixels)
        self.lesson_caption.set_dark(bool(getattr(w, "_dark", False)))
        self._place_caption()
        w.canvas.setFocus()

    def _leave(self) -> None:
        w = self.window
        self.blank.hide()
        for key in self._keys:
            key.setEnabled(False)
            key.deleteLater()
        self._keys = []
        for name, keys in self._saved_shortcuts.items():
            w.actions[name].setShortcuts(keys)
        self._saved_shortcuts = {}
        for action in self._added:
            w.removeAction(action)
        self._added = []
        self.narration.set_pixel_size(None)
        self._place_caption()
        w.setWindowState(self._saved_state)
        for widget in self._saved_visible:
            widget.show()
        self._saved_visible = []

    def _shortcut(self, key: str, slot) -> QShortcut:
        shortcut = QShortcut(QKeySequence(key), self.window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(slot)
        return shortcut

    def toggle_blank(self) -> None:
        if self.blank.isVisible():
            self.blank.hide()
            return
        self.blank.setGeometry(self.window.rect())
        self.blank.show()
        self.blank.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize and self.blank.isVisible():
            self.blank.setGeometry(self.window.rect())
        return False
