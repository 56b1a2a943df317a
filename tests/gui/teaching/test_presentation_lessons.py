"""Presentation mode during a lesson: the large text under the canvas is the lesson's step — its counter,
its narration with the numbers — not the per-phase narration; PageDown turns the step and the text with it."""

from __future__ import annotations

from backprop_studio.core.lessons.catalog import load_builtin
from backprop_studio.core.lessons.runner import LessonRunner
from PySide6.QtCore import Qt

from tests.gui.window import test_lessons as lessons
from tests.gui.window.test_lessons import _start_from_gallery

window = lessons.window  # circle preset at 1440×900, light; the lesson brings its own project


def test_presenting_a_lesson_shows_the_steps_narration_in_large_type(window, qtbot):
    _start_from_gallery(window, qtbot, 3)  # 4. Mazur
    title = load_builtin("mazur").title
    scenes = list(LessonRunner(load_builtin("mazur")).play())
    presentation = window.teaching.presentation
    caption, phase_text = presentation.lesson_caption, window.teaching.narration
    assert not caption.isVisible()  # outside presentation mode the Lesson panel carries the lesson
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(window.isFullScreen)
    assert caption.isVisible() and not phase_text.isVisible()
    assert caption.text() == f"step 1 of 13 · {title}\n{scenes[0].narration}"
    window.canvas.setFocus()
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: window.lessons.index == 3)
    text = caption.text()
    assert text.startswith(f"step 4 of 13 · {title}\n")
    assert text.endswith(scenes[3].narration)  # the lesson's narration, as the recording says it
    assert "out_o1 = 0.75136507" in text and "out_o2 = 0.772928465" in text  # Mazur's published numbers
    assert text != phase_text.text()  # not the per-phase narration
    assert caption.pixel_size() is not None and caption.pixel_size() >= 28
    assert f"font-size: {caption.pixel_size()}px" in caption.styleSheet()
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: window.lessons.index == 2)
    assert caption.text() == f"step 3 of 13 · {title}\n{scenes[2].narration}"
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not caption.isVisible() and phase_text.isVisible()


def test_a_view_a_step_asks_for_waits_until_presenting_ends(window, qtbot):
    """Mazur's steps raise the Neuron zoom and the Inspector: while presenting they stay hidden (the
    canvas and the caption have the screen) and are there once presentation mode ends."""
    _start_from_gallery(window, qtbot, 3)
    window.docks["inspector"].hide()
    window.docks["zoom"].hide()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(window.isFullScreen)
    window.canvas.setFocus()
    for index in range(1, 10):
        qtbot.keyClick(window, Qt.Key.Key_PageDown)
        qtbot.waitUntil(lambda index=index: window.lessons.index == index)
        assert not any(dock.isVisible() for dock in window.docks.values())
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    asked = {step.view for step in load_builtin("mazur").stages()[:10]} - {None}
    assert {"Neuron zoom", "Inspector"} <= asked
    assert window.docks["zoom"].isVisible() and window.docks["inspector"].isVisible()


def test_presenting_without_a_lesson_keeps_the_phase_narration(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(window.isFullScreen)
    presentation = window.teaching.presentation
    assert window.teaching.narration.isVisible() and not presentation.lesson_caption.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())


def test_leaving_the_lesson_while_presenting_gives_the_phase_narration_back(window, qtbot):
    _start_from_gallery(window, qtbot, 0)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(window.isFullScreen)
    assert window.teaching.presentation.lesson_caption.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    qtbot.mouseClick(window.lesson_panel.leave_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(window.isFullScreen)
    assert window.teaching.narration.isVisible()
    assert not window.teaching.presentation.lesson_caption.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
