"""The window's file commands: new from preset, open, save, save as, recent files, and the unsaved-changes
question. A mixin of MainWindow, so that `window.confirm_discard` stays one overridable method."""

from __future__ import annotations

import os

from backprop_studio.gui.controller.controller import StudioController
from backprop_studio.gui.jobs.runner import Job
from backprop_studio.gui.window import settings
from backprop_studio.gui.window.dialogs import PresetGallery
from backprop_studio.gui.window.lesson_player import LessonPlayer, is_lesson_file
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

FILE_FILTER = "Backprop Studio projects and lessons (*.json);;All files (*)"


class FileCommands:
    """Needs `controller` and `recent_menu` on the window it is mixed into."""

    controller: StudioController
    recent_menu: QMenu
    lessons: LessonPlayer

    def confirm_discard(self, doing: str) -> bool:
        """Ask before losing unsaved changes; True when it is fine to go on."""
        if not self.controller.dirty:
            return True
        answer = QMessageBox.question(  # no file text in it: the default rich-text guess is harmless
            self._parent(),
            "Unsaved changes",
            f"The current project has unsaved changes. Save them before {doing}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_from_preset(self) -> None:
        name = PresetGallery.choose(self._parent())
        if name and self.confirm_discard("starting a new project"):
            self.controller.open_preset(name)

    def open_dialog(self) -> None:
        if not self.confirm_discard("opening another project"):
            return
        path, _ = QFileDialog.getOpenFileName(
            self._parent(), "Open project or lesson", self._folder(), FILE_FILTER
        )
        if path and is_lesson_file(path):
            self.lessons.open_file(path)
        elif path:
            self.open_path(path)

    def open_path(self, path: str) -> Job:
        """Open `path` on a worker thread, with a progress dialog and Cancel (the window shows it for
        every job); the current project stays until the file is read. Returns the job."""
        return self.controller.open_file_in_background(path)

    def remember_opened(self, path: str) -> None:
        """A file opened: it heads the recent files."""
        settings.add_recent(os.path.abspath(path))
        self.refresh_recent()

    def save(self) -> bool:
        if self.controller.path is None:
            return self.save_as()
        return self.controller.save()

    def save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self._parent(), "Save project", self._folder(), FILE_FILTER)
        if not path:
            return False
        if not path.endswith(".json"):
            path += ".json"
        if self.controller.save(path):
            settings.add_recent(os.path.abspath(path))
            self.refresh_recent()
            return True
        return False

    def refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = settings.get("recent_files")
        for path in recent:
            act = self.recent_menu.addAction(path)
            act.triggered.connect(
                lambda _=False, p=path: self.confirm_discard("opening another project") and self.open_path(p)
            )
        self.recent_menu.setEnabled(bool(recent))

    def _folder(self) -> str:
        path = self.controller.path
        return os.path.dirname(path) if path else os.getcwd()

    def _parent(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self
