"""A history whose old points were merged (the memory budget) keeps its epoch and batch numbers through
Save and Open: a reopened project draws the same curve at the same batches (issue 9)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from backprop_studio.core.errors import FormatError
from backprop_studio.core.project.fileformat import load_project, save_project
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import capture_project, open_session
from backprop_studio.core.training.session import TrainingSession

from tests.engine_helpers import dataset, network, session, training

RNG = np.random.default_rng(11)
X = RNG.normal(size=(40, 2))
Y = np.tanh(X[:, :1] * X[:, 1:])
NET = network(2, (4, "tanh"), (1, "linear"))
KEYS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy", "batch_loss")


def _compacted_run(batch_size: int, epochs: int) -> TrainingSession:
    s = session(
        NET, training(batch_size=batch_size, shuffle=True), dataset(X, Y, X[:8], Y[:8]), memory_budget=40_000
    )
    s.run_epochs(epochs)
    return s


def _round_trip(s: TrainingSession, tmp_path) -> tuple[dict, object]:
    path = tmp_path / "run.json"
    save_project(capture_project(s, load_preset("circle")), path)
    return json.loads(path.read_text()), load_project(path)


@pytest.mark.parametrize(
    ("batch_size", "epochs", "merged"), [(2, 600, "batch_loss"), (40, 3000, "train_loss")]
)
def test_a_merged_series_is_saved_with_its_numbers_and_reopens_at_the_same_batches(
    tmp_path, batch_size, epochs, merged
):
    s = _compacted_run(batch_size, epochs)
    h = s.history()
    assert getattr(h, merged).compacted  # the budget merged old points: len < entries
    doc, loaded = _round_trip(s, tmp_path)
    # The file says which batch (1 for the first) each value belongs to, for the merged series only.
    numbers = doc["history"]["numbers"]
    assert numbers[merged][:3] == [int(a) + 1 for a in getattr(h, merged).at[:3]]
    assert all(getattr(h, key).compacted for key in numbers)
    for key in KEYS:
        mine, theirs = getattr(h, key), getattr(loaded.history, key)
        np.testing.assert_array_equal(theirs.at, mine.at, err_msg=key)
        np.testing.assert_array_equal(theirs.values, mine.values, err_msg=key)
    # Reopened and trained on, the batches keep counting from where the run was.
    again = open_session(loaded)
    assert again.history().batch_loss.entries == h.batch_loss.entries
    again.run_epochs(1)
    assert again.history().batch_loss.entries == h.batch_loss.entries + again.batches_per_epoch


def test_an_unmerged_history_is_written_without_numbers(tmp_path):
    s = session(NET, training(batch_size=8), dataset(X, Y, X[:8], Y[:8]))
    s.run_epochs(3)
    doc, loaded = _round_trip(s, tmp_path)
    assert "numbers" not in doc["history"]
    assert loaded.history.batch_loss.at.tolist() == list(range(15))


def _doc(history: dict) -> dict:
    doc = {
        "format": "backprop-studio",
        "version": 1,
        "network": {"inputs": 2, "layers": [{"units": 1, "activation": "linear"}]},
    }
    doc["history"] = history
    return doc


@pytest.mark.parametrize(
    ("numbers", "where", "says"),
    [
        ({"batch_loss": [1, 3]}, "history.numbers.batch_loss", "has 2 numbers but batch_loss has 3 values"),
        ({"batch_loss": [1, 4, 4]}, "history.numbers.batch_loss[2]", "expected a number above 4, got 4"),
        ({"batch_loss": [0, 4, 5]}, "history.numbers.batch_loss[0]", "an integer from 1"),
        ({"batch_loss": [1, 2.5, 5]}, "history.numbers.batch_loss[1]", "an integer from 1"),
        ({"weights": [1]}, "history.numbers.weights", "unknown key"),
    ],
)
def test_bad_numbers_are_refused_naming_the_json_path(tmp_path, numbers, where, says):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_doc({"batch_loss": [0.5, 0.25, 0.125], "numbers": numbers})))
    with pytest.raises(FormatError) as caught:
        load_project(path)
    assert where in str(caught.value) and says in str(caught.value)


def test_merged_epoch_series_must_end_at_the_same_epoch(tmp_path):
    history = {"train_loss": [0.5, 0.25], "test_loss": [0.5, 0.4, 0.3], "numbers": {"train_loss": [1, 3]}}
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(_doc(history)))
    assert load_project(path).history.test_loss.entries == 3  # spans epochs 1 to 3 like train_loss
    history["numbers"] = {"train_loss": [1, 4]}
    path.write_text(json.dumps(_doc(history)))
    with pytest.raises(FormatError, match="spans 3 epochs but train_loss spans 4"):
        load_project(path)
