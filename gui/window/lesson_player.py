"""Plays a lesson in the window: opens its project, applies each step through the controller's intents
(Step, seek, breakpoints) and the window's selection and view options, and feeds the Lesson panel.

Next runs the step's units with the controller's `step` — the same path as the toolbar, breakpoints
included — and waits for a long epoch that finishes in slices. Back seeks to the session step recorded
after the previous lesson step, which restores it bit for bit (the session replays from a checkpoint).
Leaving a lesson only closes it: the network stays where it is.

A step that asks (`"ask": true`) first shows its question (core.lessons.asking); Next or Enter in the
answer field runs the step, grades the answer with `Quiz.grade` (a line: right or wrong; an answer that
is not a number is said and the question stays open) and reveals the value with its worked computation
above the narration. Next with no answer reveals without scoring: the text is then the headless runner's.

A step asks each time Next reaches it, also after Back; the score keeps one answer per step, the latest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backprop_studio.core.debugger.watch import watches_from_dicts
from backprop_studio.core.errors import StudioError
from backprop_studio.core.lessons.asking import answer_line, lesson_question, question_text, reveal
from backprop_studio.core.lessons.catalog import load_builtin
from backprop_studio.core.lessons.model import Lesson, Stage
from backprop_studio.core.lessons.reader import is_lesson_file, load_lesson
from backprop_studio.core.lessons.runner import narration, watches_at
from backprop_studio.core.teaching.quiz import Question, Quiz, Score, not_a_number
from backprop_studio.gui.panels.lesson.gallery import RECORD, LessonGallery
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget

if TYPE_CHECKING:
    from backprop_studio.gui.main_window import MainWindow

# The explanation views a lesson names, by the title of the dock that holds each (objectName "dock-<title>").
VIEW_DOCKS = {
    "Inspector": "Inspector",
    "Neuron zoom": "Neuron zoom",
    "Matrix": "Matrix",
    "Data": "Data",
    "Loss": "Loss",
    "Gradient health": "Gradient health",
    "Breakpoints": "Breakpoints",
}

PANEL_HEIGHT = 190  # px of the Lesson dock when a lesson starts: title, four lines of narration, buttons
ASKED_HEIGHT = 300  # px at least while a question and its revealed computation sit above the narration

__all__ = ["VIEW_DOCKS", "LessonPlayer", "is_lesson_file"]


class LessonPlayer(QObject):
    """`step_shown` is emitted each time a lesson step is on screen (after Next, Back or a start)."""

    step_shown = Signal(int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window, self.controller, self.panel = window, window.controller, window.lesson_panel
        self.lesson: Lesson | None = None
        self.index = -1
        self.after: list[int] = []  # the session's step after each lesson step shown so far
        self._pending: list[str] = []  # units the current step still has to run
        self._running = False
        self._stopped = False  # a breakpoint or a divergence ended the step's advance early
        self._note = ""
        self._question: Question | None = None  # the open question of the step being asked
        self._answer = ""  # what the student answered to it ("" when they just pressed Next)
        self._revealed: dict[int, str] = {}  # the question and revealed answer of each asked step
        self.quiz = Quiz()  # the running score of the lesson's questions
        self._right: dict[int, bool] = {}  # per asked step: whether its latest answer was right
        self.panel.next_requested.connect(self.next)
        self.panel.back_requested.connect(self.back)
        self.panel.leave_requested.connect(self.leave)
        actions = window.actions
        actions["lessons"].triggered.connect(self.choose)
        actions["lesson_next"].triggered.connect(self.next)
        actions["lesson_back"].triggered.connect(self.back)
        self.controller.playing_changed.connect(self._on_playing)
        self.controller.breakpoint_hit.connect(self._on_hit)
        self.controller.project_replaced.connect(self._on_project_replaced)
        self._opening = False
        self._refresh_actions()

    # ------------------------------------------------------------------ starting and leaving

    def choose(self) -> None:
        """File → Lessons…: the gallery, then the chosen lesson, started here or recorded (Record…)."""
        picked = LessonGallery.choose(self.window)
        if picked is None:
            return
        how, name = picked
        if how == RECORD:
            self.window.lesson_recording.ask(name)
        elif self.window.confirm_discard("starting a lesson"):
            self.start(load_builtin(name))

    def open_file(self, path: str) -> bool:
        """A lesson file from File → Open; a bad one is reported in one line and changes nothing."""
        try:
            lesson = load_lesson(path)
        except StudioError as error:
            self.controller.message.emit("error", str(error))
            return False
        return self.start(lesson)

    def start(self, lesson: Lesson) -> bool:
        """Open the lesson's project and show its first step."""
        self._opening = True
        try:
            if lesson.preset is not None:
                ok = self.controller.open_preset(lesson.preset)
            else:
                ok = self.controller.open_project(lesson.project)
        finally:
            self._opening = False
        if not ok:
            return False
        self.lesson, self.index, self.after = lesson, -1, []
        self._question, self._revealed, self.quiz, self._right = None, {}, Quiz(), {}
        dock = self.window.docks["lesson"]
        if not dock.isVisible():
            dock.show()
            # A caption strip under the canvas: the network keeps most of the height.
            self.window.resizeDocks([dock], [PANEL_HEIGHT], Qt.Orientation.Vertical)
        dock.raise_()
        self.next()
        return True

    def leave(self) -> None:
        """Close the lesson; the network, its position and the views stay as they are."""
        self.lesson, self.index, self.after, self._pending = None, -1, [], []
        self._question, self._revealed = None, {}
        self.panel.clear()
        self.window.teaching.presentation.end_lesson()
        self._refresh_actions()

    def _on_project_replaced(self) -> None:
        if not self._opening and self.lesson is not None:
            self.leave()  # another project was opened: the lesson's steps no longer apply

    # ------------------------------------------------------------------ moving

    @property
    def busy(self) -> bool:
        return self._running

    def next(self) -> None:
        lesson = self.lesson
        if lesson is None or self._running:
            return
        if self._question is not None:
            self._answered()
            return
        if self.index + 1 >= len(lesson.steps):
            return
        self.index += 1
        del self.after[self.index :]
        self._revealed.pop(self.index, None)
        question = lesson_question(lesson, self.index, self.controller.snapshot)
        if question is not None:
            self._ask(question)
            return
        self._advance()

    def _ask(self, question: Question) -> None:
        """Show the question before the step runs; the selection it is about is selected."""
        assert self.lesson is not None
        self._question, self._answer = question, ""
        stage = self.lesson.stages()[self.index]
        if stage.selection is not None:
            self.window._select(stage.selection.as_view_tuple())
        counter = f"step {self.index + 1} of {len(self.lesson.steps)}"
        self.panel.show_question(self.lesson.title, counter, question_text(question), self.index > 0)
        self.window.teaching.presentation.show_lesson(counter, self.lesson.title, question_text(question))
        self._make_room()
        self._refresh_actions()

    def _answered(self) -> None:
        """Enter or Next on an open question: an answer that is not a number is said and the question
        stays open; otherwise the step runs and its answer is graded when it is shown."""
        text = self.panel.answer_text().strip()
        problem = not_a_number(text) if text else None
        if problem is not None:
            self.panel.show_note(problem.message)
            return
        self._answer = text
        self._advance()

    def _advance(self) -> None:
        assert self.lesson is not None
        step, stage = self.lesson.steps[self.index], self.lesson.stages()[self.index]
        self._apply_breakpoints(stage)
        self._stopped, self._note = False, ""
        self._pending = [] if step.advance is None else [step.advance.unit] * step.advance.count
        self._running = True
        self._run_pending()

    def back(self) -> None:
        if self.lesson is None or self._running or self.index <= 0:
            return
        self._question = None
        self.index -= 1
        self.controller.seek(self.after[self.index])
        self._note = ""
        self._show(self.lesson.stages()[self.index])

    def _run_pending(self) -> None:
        while self._pending and not self._stopped:
            self.controller.step(self._pending.pop(0))
            if self.controller.divergence is not None:
                self._stopped = True
            if self.controller.playing:
                return  # a long epoch finishes in slices: `_on_playing` goes on when it is done
        self._pending = []
        self._running = False
        assert self.lesson is not None
        self.after.append(self.controller.snapshot.step)
        if self._question is not None:
            self._grade(self._question)
        self._show(self.lesson.stages()[self.index])

    def _grade(self, question: Question) -> None:
        """Reveal the asked value with its computation; grade the answer when one was given. The score
        counts each asked step once, by its latest answer."""
        self._question, after = None, self.controller.snapshot
        asked = question_text(question)
        if not self._answer:
            self._revealed[self.index] = f"{asked}\n{reveal(question, after)}"
            if self.index in self._right:
                self._note = f"Your earlier answer to this question still counts ({self.quiz.score.text})."
            return
        verdict = Quiz(question=question).grade(self._answer, after)  # scored below, once per step
        assert verdict.value is not None
        self._right[self.index] = verdict.outcome == "right"
        self.quiz.score = Score(sum(self._right.values()), len(self._right))
        self._note = f"{verdict.message} ({self.quiz.score.text})"
        self._revealed[self.index] = f"{asked}\n{answer_line(question, verdict.value)}\n{verdict.worked}"

    def _on_playing(self, playing: bool) -> None:
        if not playing and self._running:
            self._run_pending()

    def _on_hit(self, hit) -> None:
        if self._running:
            self._stopped = True
            self._note = f"Stopped at a breakpoint: {hit.message}"

    # ------------------------------------------------------------------ showing

    def _apply_breakpoints(self, stage: Stage) -> None:
        assert self.lesson is not None
        if stage.breakpoints is not None:
            watches = watches_at(watches_from_dicts(self.lesson.project.breakpoints), stage)
            if watches != self.controller.watches:
                self.controller.set_watches(watches)

    def _show(self, stage: Stage) -> None:
        lesson = self.lesson
        assert lesson is not None
        win = self.window
        self._apply_breakpoints(stage)
        win.actions["gradients"].setChecked(stage.show == "gradients")
        if stage.selection is None:
            win._clear_selection()
        else:
            win._select(stage.selection.as_view_tuple())
        note = self._note
        if stage.view is not None:
            dock = win.findChild(QDockWidget, f"dock-{VIEW_DOCKS[stage.view]}")
            if dock is None:
                note = note or f"This window has no {stage.view} view; the narration carries its numbers."
            elif not self.window.teaching.presentation.hold_back(dock):
                dock.show()
                dock.raise_()
        text = narration(lesson, self.index, self.controller.snapshot)
        if self.index in self._revealed:
            text = f"{self._revealed[self.index]}\n\n{text}"
            self._make_room()
        counter = f"step {self.index + 1} of {len(lesson.steps)}"
        self.panel.show_step(lesson.title, counter, text, self.index > 0, self.index + 1 < len(lesson.steps))
        self.window.teaching.presentation.show_lesson(counter, lesson.title, text)
        self.panel.show_note(note)
        self._refresh_actions()
        self.step_shown.emit(self.index)

    def _make_room(self) -> None:
        """Grow the Lesson dock for a question, its answer field and its revealed computation."""
        dock = self.window.docks["lesson"]
        if dock.isVisible() and not dock.isFloating() and dock.height() < ASKED_HEIGHT:
            self.window.resizeDocks([dock], [ASKED_HEIGHT], Qt.Orientation.Vertical)

    def _refresh_actions(self) -> None:
        lesson = self.lesson
        actions = self.window.actions
        actions["lesson_back"].setEnabled(lesson is not None and self.index > 0)
        actions["lesson_next"].setEnabled(lesson is not None and self.index + 1 < len(lesson.steps))
