"""The lesson gallery: the built-in lessons with their titles and descriptions, beside the preset gallery.
Start lesson opens the chosen one in the window; Record… makes a clip of it instead."""

from __future__ import annotations

from backprop_studio.core.lessons.catalog import LESSONS, load_builtin
from backprop_studio.gui.window.gallery import TAKE, Entry, Gallery
from PySide6.QtWidgets import QWidget

RECORD = "record"


class LessonGallery(Gallery):
    """Pick a built-in lesson; `chosen()` is its name, `how` TAKE (start it) or RECORD."""

    def __init__(self, parent: QWidget | None = None) -> None:
        entries = []
        for number, name in enumerate(LESSONS, start=1):
            lesson = load_builtin(name)
            tip = f"{len(lesson.steps)} steps · python main.py record --lesson {name}"
            entries.append(Entry(name, f"{number}. {lesson.title}", lesson.description, tip))
        intro = "Walk through training step by step, with every number explained:"
        super().__init__(parent, "Lessons", intro, entries, "Start lesson", (720, 460))
        self.setObjectName("lesson-gallery")
        self.record_button = self.add_choice(
            RECORD, "Record…", "Record the chosen lesson as MP4, GIF or PNG frames (the window stays free)"
        )

    @classmethod
    def choose(cls, parent: QWidget | None) -> tuple[str, str] | None:
        """(TAKE or RECORD, the lesson's name), or None when cancelled."""
        return cls(parent).ask()


__all__ = ["RECORD", "TAKE", "LessonGallery"]
