"""`train --memory-budget MB` sets the bound on what the session keeps for stepping back (issue 9, 2)."""

from __future__ import annotations

import pytest
from backprop_studio.core.project import project as project_module
from backprop_studio.core.training.session import TrainingSession

import main


def test_the_budget_reaches_the_session_in_bytes(capsys, monkeypatch):
    made: list[TrainingSession] = []
    real = project_module.open_session

    def spy(project, memory_budget=None):
        session = real(project, memory_budget)
        made.append(session)
        return session

    monkeypatch.setattr("backprop_studio.core.commands.open_session", spy)
    code = main.main(["train", "--preset", "circle", "--epochs", "20", "--memory-budget", "0.25"])
    assert code == 0
    (session,) = made
    assert session.memory_budget == 2**18
    assert session.history_bytes <= 2**18


@pytest.mark.parametrize("value", ["0", "-3", "nan"])
def test_a_budget_that_is_not_a_positive_size_is_one_line_with_exit_status_2(capsys, value):
    code = main.main(["train", "--preset", "circle", "--epochs", "1", "--memory-budget", value])
    err = capsys.readouterr().err
    assert code == 2 and "--memory-budget" in err and len(err.strip().splitlines()) == 1
