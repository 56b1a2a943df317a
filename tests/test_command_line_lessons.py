"""`python main.py lessons` lists the built-in lessons, one per line, the name first (as `presets` does)."""

from __future__ import annotations

from backprop_studio.core.lessons.catalog import LESSONS, load_builtin

import main


def test_lessons_lists_every_builtin_lesson_name_first_with_its_title(capsys):
    assert main.main(["lessons"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(LESSONS)
    for line, name in zip(lines, LESSONS, strict=True):
        assert line.endswith(load_builtin(name).title)
