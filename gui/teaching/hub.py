"""Narration, the Matrix dock and Quiz mode, wired into the window.

The window creates one `TeachingViews`, places its narration label under the canvas and its docks beside
the Inspector, and calls `refresh` whenever the panels or the selection change. Views get their text from
`core.teaching`; intent goes back through the window's own selection methods and the controller
(`step`), as every other view's does.
"""

from __future__ import annotations

from typing import Any

from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.errors import StudioError
from backprop_studio.core.teaching.matrix_form import matrix_form
from backprop_studio.core.teaching.narration import narrate
from backprop_studio.core.teaching.quiz import (
    Quiz,
    Verdict,
    not_a_number,
    question_for,
    target_name,
    value_of,
)
from backprop_studio.core.teaching.worked import worked_text
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.panels.inspector.narration import NarrationLabel
from backprop_studio.gui.panels.matrix_view import MatrixView
from backprop_studio.gui.teaching.picture_dialog import PictureDialog
from backprop_studio.gui.teaching.presentation import Presentation
from backprop_studio.gui.teaching.quiz_panel import NO_SELECTION, QuizPanel
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QVBoxLayout, QWidget

BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea
SHOWN_ON_CANVAS = ("a", "dz", "da_out")  # quantities a node displays: hidden there as "?" while asked


class TeachingViews:
    """Owns the narration label, the Matrix view and the Quiz panel; `window` is the MainWindow."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.narration = NarrationLabel()
        self.matrix = MatrixView()
        self.quiz_panel = QuizPanel()
        self.quiz = Quiz()
        self.quiz_on = False
        self._asked_at: int | None = None  # the step at which the open question was posed
        self._grading = False

    # ------------------------------------------------------------------ assembly

    def central(self, canvas: QWidget) -> QWidget:
        """The canvas with the narration under it: the window's central widget."""
        holder = QWidget()
        holder.setObjectName("canvas-and-narration")
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(canvas, 1)
        layout.addWidget(self.narration)
        return holder

    def docks(self, add) -> dict[str, QDockWidget]:
        """The Matrix and Quiz docks, made with the window's `dock_layout.add_dock`."""
        docks = {
            "matrix": add(self.window, "Matrix", self.matrix, BOTTOM),
            "quiz": add(self.window, "Quiz", self.quiz_panel, BOTTOM),
        }
        # The matrix form is built only while its dock shows: bring it up to date when it appears.
        docks["matrix"].visibilityChanged.connect(lambda shown: shown and self.refresh())
        return docks

    def connect(self, actions: dict[str, QAction]) -> None:
        self.presentation = Presentation(self.window, self.narration)
        self.presentation.connect(actions["presentation"])
        actions["quiz"].toggled.connect(self.set_quiz)
        actions["export_picture"].triggered.connect(self.export_picture)
        self.matrix.cell_clicked.connect(self._on_cell)
        self.quiz_panel.answered.connect(self._on_answer)

    def set_dark(self, dark: bool) -> None:
        for view in (self.narration, self.window.inspector.narration, self.matrix, self.quiz_panel):
            view.set_dark(dark)

    # ------------------------------------------------------------------ rendering

    def refresh(self, snap: Snapshot | None = None) -> None:
        """Narration, matrix form and quiz question for `snap` (the controller's by default)."""
        w = self.window
        snap = snap or w.controller.snapshot
        state = w.controller.view_state
        selection, focus = w._selection, w._view_focus(snap)
        kind = snap.phase.kind if snap.phase is not None else ""
        text = narrate(snap, selection, focus, state.training, state.dataset.feature_names)
        self.narration.show_text(text, kind)
        w.inspector.narration.show_text(text, kind)
        if self.matrix.isVisible():
            row = w._sample_row(snap)
            self.matrix.show_form(matrix_form(snap, selection, state.training), selection, row)
        if self.quiz_on and not self._grading:
            self._refresh_quiz(snap)

    def _refresh_quiz(self, snap: Snapshot) -> None:
        w = self.window
        open_question = self.quiz.question
        if open_question is not None and self._asked_at is not None and snap.step != self._asked_at:
            if snap.step == self._asked_at + 1 and snap.phase == open_question.phase:
                value = value_of(open_question, snap)
                worked = worked_text(open_question.target, open_question.quantity, snap, open_question.focus)
                message = f"Skipped (not counted): {open_question.symbol} = {format_number(value)}."
                self.quiz_panel.show_verdict(Verdict("skipped", message, value, worked))
            self.quiz.pose(None)
        if w.controller.playing:
            self._pose(None, "Questions wait while training plays: pause to be asked again.")
            return
        state = w.controller.view_state
        question = question_for(snap, w._selection, w._view_focus(snap), state.training)
        if question is None:
            self._pose(None, self._why_none(snap))
            return
        self._pose(question)
        self._asked_at = snap.step

    def _pose(self, question, reason: str = NO_SELECTION) -> None:
        self.quiz.pose(question)
        self.quiz_panel.show_question(question, reason)
        hidden = None
        if question is not None and question.quantity in SHOWN_ON_CANVAS:
            hidden = (int(question.target[1]), int(question.target[2]))
        self.window.canvas.set_options(hidden_node=hidden)

    def _why_none(self, snap: Snapshot) -> str:
        w = self.window
        if w._selection is None:
            return NO_SELECTION
        if snap.next_phase is None:
            return "Training stopped: nothing more to predict."
        if w._view_focus(snap).is_mean:
            return "The batch mean is shown: pick one sample (turn Batch mean off) to be asked about it."
        who = target_name(w._selection) if w._selection[0] == "edge" or w._selection[1] > 0 else "an input"
        return f"{snap.next_phase.label.capitalize()} computes nothing to predict for {who}: press Step."

    # ------------------------------------------------------------------ intent

    def set_quiz(self, on: bool) -> None:
        self.quiz_on = on
        dock = self.window.docks["quiz"]
        if on:
            dock.show()
            dock.raise_()
            self.quiz_panel.show_score(self.quiz.score.text)
            self.quiz_panel.show_verdict(None)
            self._refresh_quiz(self.window.controller.snapshot)
        else:
            self.quiz.pose(None)
            self.quiz_panel.show_off()
            self.window.canvas.set_options(hidden_node=None)

    def _on_answer(self, text: str) -> None:
        """Not a number: say so and keep the question. Otherwise run the phase, then grade and reveal."""
        question = self.quiz.question
        if question is None:
            return
        refused = not_a_number(text)
        if refused is not None:
            self.quiz_panel.show_verdict(refused)
            return
        c = self.window.controller
        before = c.snapshot.step
        self._grading = True
        try:
            c.step("phase")
        finally:
            self._grading = False
        after = c.snapshot
        if after.step != before + 1 or after.phase != question.phase:
            self.quiz_panel.show_verdict(Verdict("not run", "The phase did not run, so nothing is revealed."))
            return
        verdict = self.quiz.grade(text, after)
        self.quiz_panel.show_verdict(verdict)
        self.quiz_panel.show_score(self.quiz.score.text)
        self.refresh(after)

    def export_picture(self) -> None:
        """File → Export picture: the dialog, then a line in the status bar naming the file written."""
        w = self.window

        def zoom() -> QWidget:
            if w.zoom.model() is None:
                raise StudioError("the Neuron zoom is empty: click a neuron of a layer first")
            return w.zoom

        views = {"canvas": lambda: w.canvas, "zoom": zoom, "matrix": self.matrix.sheet}
        dialog = PictureDialog(w, views)
        if dialog.exec() and dialog.written:
            w.statusBar().showMessage(f"Wrote {dialog.written}", 8000)

    def _on_cell(self, selection: tuple | None, row: int | None) -> None:
        """A matrix cell: focus its sample (a batch row) and select its neuron or edge on the canvas."""
        w = self.window
        snap = w.controller.snapshot
        if row is not None and snap.batch_indices is not None and row < len(snap.batch_indices):
            w._focus_sample(int(snap.batch_indices[row]))
        if selection is not None:
            w._select(selection)
