"""`python main.py gui --lesson NAME` and `python main.py gui LESSON.json` open the window on the lesson's
first step; a lesson file that cannot be read is one line on stderr, exit 2, and no window."""

from __future__ import annotations

import json

import pytest
from backprop_studio.core.lessons.catalog import load_builtin
from backprop_studio.gui.main_window import MainWindow
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

import main


@pytest.fixture(autouse=True)
def _own_settings(tmp_path, monkeypatch):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")


def _windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def _run_and_look(qtbot, argv: list[str]) -> tuple[int, dict]:
    """Run `main.main(argv)`; once the window is up, read its Lesson panel and close it."""
    seen: dict = {}

    def look() -> None:
        (window,) = _windows()
        panel = window.lesson_panel
        seen.update(
            title=panel.title.text(),
            counter=panel.counter.text(),
            narration=panel.narration.text(),
            lesson_dock=window.docks["lesson"].isVisible(),
            network=window.controller.view_state.network.sizes,
        )
        window.confirm_discard = lambda doing: True
        window.close()
        QApplication.instance().exit(0)

    QTimer.singleShot(0, look)
    return main.main(argv), seen


def test_the_parser_takes_a_lesson_by_name_or_as_the_file():
    args = main.build_parser().parse_args(["gui", "--lesson", "mazur"])
    assert (args.command, args.lesson, args.file) == ("gui", "mazur", None)
    args = main.build_parser().parse_args(["gui", "my-lesson.json"])
    assert (args.lesson, args.file) == (None, "my-lesson.json")


def test_gui_lesson_by_name_opens_the_window_at_step_1(qtbot):
    code, seen = _run_and_look(qtbot, ["gui", "--lesson", "chain-rule-one-node"])
    lesson = load_builtin("chain-rule-one-node")
    assert code == 0
    assert seen["title"] == lesson.title
    assert seen["counter"] == f"step 1 of {len(lesson.steps)}"
    assert seen["lesson_dock"] and seen["narration"]
    assert seen["network"] == (2, 1, 1)  # the lesson's own network (x, y → one node → output), not a preset's


def test_a_lesson_file_given_where_a_project_goes_is_opened_as_a_lesson(qtbot, tmp_path):
    doc = {
        "format": "backprop-studio-lesson",
        "version": 1,
        "title": "My two steps",
        "project": "mazur-2-2-2",
        "steps": [
            {"text": "The edge starts at w = {w}.", "select": {"layer": 2, "from": 1, "unit": 1}},
            {"text": "h1: z = {z:9}.", "advance": "phase", "select": {"layer": 1, "unit": 1}},
        ],
    }
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, seen = _run_and_look(qtbot, ["gui", str(path)])
    assert code == 0
    assert (seen["title"], seen["counter"]) == ("My two steps", "step 1 of 2")
    assert seen["narration"] == "The edge starts at w = 0.4."  # Mazur's w5, in the app's number format


def test_a_bad_lesson_file_is_one_line_on_stderr_exit_2_and_no_window(qtbot, tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text(
        '{"format": "backprop-studio-lesson", "version": 1, "title": "x", "project": "mazur-2-2-2",'
        ' "steps": [{"text": "{nonsense}"}]}',
        encoding="utf-8",
    )
    for argv in (["gui", str(path)], ["gui", "--lesson", str(path)]):
        assert main.main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: ") and "broken.json" in err
        assert "steps[0]" in err
        assert _windows() == []


def test_an_unknown_lesson_name_is_one_line_exit_2(qtbot, capsys):
    assert main.main(["gui", "--lesson", "no-such-lesson"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-lesson" in err and "chain-rule-one-node" in err
    assert _windows() == []
