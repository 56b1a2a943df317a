"""Pinned runs in the project file: saved with their label, settings and per-epoch losses, read back
bit for bit, and a broken `pinned_runs` section refused naming the JSON path of the problem."""

from __future__ import annotations

import copy
import json
import math
from dataclasses import replace

import numpy as np
import pytest
from backprop_studio.core.analysis.pinned_runs import MAX_PINNED, PinnedRun, added, pin, removed
from backprop_studio.core.errors import FormatError, StudioError
from backprop_studio.core.project.fileformat import (
    document_from_project,
    load_project,
    project_from_document,
    save_project,
)
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import capture_project, open_session


def _pinned_project(epochs: int = 3):
    project = load_preset("xor")
    session = open_session(project)
    session.run_epochs(epochs)
    trained = capture_project(session, project)
    run = pin(trained.history, trained.network, trained.training, trained.data, "run 1 · 3 epochs")
    return replace(trained, pinned_runs=(run,)), session


def test_pinning_copies_the_per_epoch_losses_of_the_history():
    project, session = _pinned_project()
    run = project.pinned_runs[0]
    history = session.history()
    assert run.epochs.tolist() == [1, 2, 3]
    assert run.train_loss.tolist() == list(history.train_loss)
    assert [v for v in run.test_loss.tolist()] == list(history.test_loss)
    assert dict(run.settings)["lr"] == project.training.optimizer.learning_rate
    session.run_epochs(2)  # the run goes on; the pinned copy does not
    assert len(run.train_loss) == 3


def test_pinned_runs_round_trip_bit_for_bit(tmp_path):
    project, _ = _pinned_project()
    no_test = PinnedRun(
        "mine", (("lr", 0.5), ("shuffle", False)), [1, 5, 9], [0.5, 0.25, 0.125], [math.nan] * 3
    )
    project = replace(project, pinned_runs=(*project.pinned_runs, no_test))
    path = tmp_path / "p.json"
    save_project(project, path)
    text = json.loads(path.read_text())["pinned_runs"]
    assert "epochs" not in text[0] and text[1]["epochs"] == [1, 5, 9]  # written only when not 1…n
    assert text[1]["test_loss"] == [None, None, None]
    back = load_project(path).pinned_runs
    for mine, theirs in zip(project.pinned_runs, back, strict=True):
        assert mine.label == theirs.label and mine.settings == theirs.settings
        for name in ("epochs", "train_loss", "test_loss"):
            np.testing.assert_array_equal(getattr(mine, name), getattr(theirs, name))


def test_a_file_without_pinned_runs_has_no_such_section():
    project, _ = _pinned_project()
    assert "pinned_runs" not in document_from_project(replace(project, pinned_runs=()))


def _broken(change) -> FormatError:
    project, _ = _pinned_project()
    document = copy.deepcopy(document_from_project(project))
    change(document["pinned_runs"])
    with pytest.raises(FormatError) as caught:
        project_from_document(document, source="model.json")
    return caught.value


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (lambda runs: runs[0].update(label=3), "pinned_runs[0].label", "expected a string"),
        (lambda runs: runs[0].update(color="red"), "pinned_runs[0].color", "unknown key"),
        (lambda runs: runs[0]["train_loss"].__setitem__(1, "x"), "pinned_runs[0].train_loss[1]", "number"),
        (lambda runs: runs[0]["train_loss"].__setitem__(1, -1.0), "pinned_runs[0].train_loss[1]", "0"),
        (lambda runs: runs[0]["test_loss"].pop(), "pinned_runs[0].test_loss", "same length"),
        (
            lambda runs: runs[0].update(train_loss=[], test_loss=[]),
            "pinned_runs[0].train_loss",
            "at least one",
        ),
        (lambda runs: runs[0]["settings"].update(lr=[1]), "pinned_runs[0].settings.lr", "a string, number"),
        (lambda runs: runs[0].update(epochs=[1, 1, 2]), "pinned_runs[0].epochs[1]", "above 1"),
        (lambda runs: runs[0].update(epochs=[1, 2]), "pinned_runs[0].epochs", "has 2 epoch numbers"),
        (
            lambda runs: runs.extend([runs[0]] * MAX_PINNED),
            "pinned_runs",
            f"at most {MAX_PINNED} pinned runs",
        ),
        (lambda runs: runs[0].pop("settings"), "pinned_runs[0].settings", "required"),
    ],
)
def test_a_broken_pinned_run_is_refused_naming_its_json_path(change, where, message):
    error = _broken(change)
    assert error.path == where
    assert message in str(error)


def test_a_sixth_run_is_refused_and_a_run_can_be_removed():
    project, _ = _pinned_project()
    run = project.pinned_runs[0]
    five = ()
    for _ in range(MAX_PINNED):
        five = added(five, run)
    with pytest.raises(StudioError, match="5 runs are pinned already"):
        added(five, run)
    assert len(removed(five, 2)) == MAX_PINNED - 1
    with pytest.raises(StudioError, match="no pinned run 9"):
        removed(five, 8)
