"""Repaint the window's parts one per turn of the event loop after every view changed at once.

When a new project replaces the old one (a CSV import, File → Open) every view reloads in the same turn,
and the window then painted all of them in one go: the canvas, the data plot, the loss plot, the
inspector… ~100 ms on a quiet machine, during which nothing else (a click, a progress bar) was handled.
`StagedRepaint.hold(widgets)` is called before the views reload: it suspends painting of the given
widgets (their state is updated at once, as before; only the pixels wait) and gives it back one widget
per turn, in the order given, so each turn paints one part. The last part is shown a few turns later,
a few tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget


class StagedRepaint(QObject):
    """Suspended widgets and the timer that gives their painting back, one per turn."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._held: list[QWidget] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._release_one)

    def hold(self, widgets: Iterable[QWidget]) -> None:
        """Suspend painting of the visible `widgets` not held already; they are painted again in order,
        one per turn, starting with the next turn."""
        for widget in widgets:
            if widget.isVisible() and widget.updatesEnabled() and widget not in self._held:
                widget.setUpdatesEnabled(False)
                self._held.append(widget)
        if self._held and not self._timer.isActive():
            self._timer.start(0)

    @property
    def held(self) -> tuple[QWidget, ...]:
        return tuple(self._held)

    def release_all(self) -> None:
        """Paint everything held at the next paint (e.g. before the window grabs itself)."""
        while self._held:
            self._release_one()

    def _release_one(self) -> None:
        if not self._held:
            return
        widget = self._held.pop(0)
        if shiboken6.isValid(widget):
            widget.setUpdatesEnabled(True)  # repaints it whole
        if self._held:
            self._timer.start(0)
