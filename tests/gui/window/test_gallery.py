"""The one gallery widget, in its two uses: New from preset… and File → Lessons…. Arrow keys move through
the entries, the whole description of the chosen one shows under the list (however long), Enter takes it."""

from __future__ import annotations

from backprop_studio.core.lessons.catalog import LESSONS, load_builtin
from backprop_studio.core.project.presets_catalog import list_presets
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from tests.gui.window import test_lessons as lessons

window = lessons.window  # circle preset at 1440×900, light


def test_new_from_preset_shows_the_chosen_presets_whole_description_and_enter_opens_it(window, qtbot):
    presets = list_presets()
    row = next(i for i, (name, _) in enumerate(presets) if name == "iris")
    seen: list[str] = []

    def browse() -> None:
        gallery = QApplication.activeModalWidget()
        gallery.list.setFocus()
        for _ in range(row):
            qtbot.keyClick(gallery.list, Qt.Key.Key_Down)
        seen.append(gallery.details.text())
        qtbot.keyClick(gallery.list, Qt.Key.Key_Return)

    QTimer.singleShot(0, browse)
    window.actions["new"].trigger()
    assert seen == [f"iris: {presets[row][1]}"]
    qtbot.waitUntil(lambda: window.controller.view_state.dataset.feature_names[0] != "x₁", timeout=20_000)


def test_the_lesson_gallery_lists_every_lesson_with_its_step_count(window, qtbot):
    seen: list = []

    def look() -> None:
        gallery = QApplication.activeModalWidget()
        items = [gallery.list.item(i) for i in range(gallery.list.count())]
        seen.append([(item.text().splitlines()[0], item.toolTip()) for item in items])
        seen.append(gallery.details.text())
        gallery.reject()

    QTimer.singleShot(0, look)
    window.actions["lessons"].trigger()
    expected = []
    for number, name in enumerate(LESSONS, start=1):
        lesson = load_builtin(name)
        expected.append(
            (
                f"{number}. {lesson.title}",
                f"{len(lesson.steps)} steps · python main.py record --lesson {name}",
            )
        )
    first = load_builtin(LESSONS[0])
    assert seen == [expected, f"1. {first.title}: {first.description}"]
    assert window.lessons.lesson is None
