"""The Lesson panel shows narration from files as typed (plain text) and emits what its buttons ask for."""

from __future__ import annotations

from backprop_studio.gui.panels.lesson.widget import IDLE_TEXT, LessonPanel
from PySide6.QtCore import Qt


def test_markup_in_a_narration_is_shown_as_typed_and_the_buttons_emit(qtbot):
    panel = LessonPanel()
    qtbot.addWidget(panel)
    assert panel.narration.text() == IDLE_TEXT and not panel.next_button.isEnabled()
    panel.show_step("<b>T</b>", "step 2 of 3", "<i>z</i> = 0.5 & <a href='x'>link</a>", True, True)
    assert panel.narration.textFormat() == Qt.TextFormat.PlainText
    assert panel.title.textFormat() == Qt.TextFormat.PlainText
    assert panel.narration.text() == "<i>z</i> = 0.5 & <a href='x'>link</a>"
    panel.show()
    seen = []
    panel.back_requested.connect(lambda: seen.append("back"))
    panel.next_requested.connect(lambda: seen.append("next"))
    panel.leave_requested.connect(lambda: seen.append("leave"))
    for button in (panel.back_button, panel.next_button, panel.leave_button):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert seen == ["back", "next", "leave"]
    panel.show_step("T", "step 3 of 3", "last", True, False)
    assert not panel.next_button.isEnabled() and panel.back_button.isEnabled()
