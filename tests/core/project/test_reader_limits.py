"""Numbers in a project file that would overflow or that are out of range are refused on load, with the
JSON path of the value: counts are capped (core/limits.py), history values must be losses or accuracies."""

from __future__ import annotations

import json
import os

import pytest
from backprop_studio.core import limits
from backprop_studio.core.errors import FormatError
from backprop_studio.core.project.fileformat import load_project, loads_project

from tests.in_thread import error_within


def document(**training) -> dict:
    return {
        "format": "backprop-studio",
        "version": 1,
        "network": {
            "inputs": 2,
            "layers": [{"units": 3, "activation": "tanh"}, {"units": 1, "activation": "tanh"}],
        },
        "training": training,
        "data": {"kind": "circle"},
    }


def refused(doc: dict) -> FormatError:
    with pytest.raises(FormatError) as caught:
        loads_project(json.dumps(doc), source="p.json")
    return caught.value


def test_epochs_completed_of_ten_to_the_400_is_refused_with_its_path():
    # json.dumps writes the integer in full; Python reads it back as an int that overflows any float.
    error = refused(document(epochs_completed=10**400))
    assert error.path == "training.epochs_completed"
    assert f"at most {limits.MAX_EPOCHS:,}" in str(error)


@pytest.mark.parametrize(
    ("key", "value", "limit"),
    [
        ("epochs", limits.MAX_EPOCHS + 1, limits.MAX_EPOCHS),
        ("batch_size", 2**62, limits.MAX_BATCH_SIZE),
    ],
)
def test_counts_are_capped(key, value, limit):
    error = refused(document(**{key: value}))
    assert error.path == f"training.{key}" and f"{limit:,}" in str(error)


def test_the_optimizer_step_is_capped():
    doc = document()
    doc["network"]["weights"] = [[[0.1] * 3] * 2, [[0.1]] * 3]
    doc["network"]["biases"] = [[0.0] * 3, [0.0]]
    zeros = {"weights": [[[0.0] * 3] * 2, [[0.0]] * 3], "biases": [[0.0] * 3, [0.0]]}
    doc["training"] = {"optimizer": {"name": "momentum", "state": {"step": 10**30, "velocity": zeros}}}
    assert refused(doc).path == "training.optimizer.state.step"


@pytest.mark.parametrize("units", [10**9, 2**62, 10**29])
def test_a_huge_layer_is_refused_on_load_with_its_path(units):
    doc = document()
    doc["network"]["layers"][0]["units"] = units
    error = refused(doc)
    assert error.path == "network" and "parameters" in str(error)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("train_accuracy", 9.2e18),
        ("test_accuracy", -0.1),
        ("train_accuracy", 1.5),
        ("train_loss", -1.0),
        ("batch_loss", -0.5),
        ("test_loss", -3),
    ],
)
def test_history_values_out_of_range_are_refused(key, value):
    doc = document(epochs_completed=1)
    doc["history"] = {"train_loss": [0.5], key: [value]} if key != "train_loss" else {key: [value]}
    error = refused(doc)
    assert error.path == f"history.{key}[0]"


def test_history_values_in_range_and_null_load():
    doc = document(epochs_completed=2)
    doc["history"] = {
        "train_loss": [0.0, 12.5],
        "test_loss": [None, 3.0],
        "train_accuracy": [0.0, 1.0],
        "test_accuracy": [None, 0.5],
        "batch_loss": [0.25],
    }
    project = loads_project(json.dumps(doc))
    assert project.history.train_accuracy == (0.0, 1.0) and project.history.train_loss == (0.0, 12.5)


def test_a_huge_epochs_completed_in_a_file_is_refused_by_load_project(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(document(epochs_completed=10**400)))
    with pytest.raises(FormatError, match=r"training\.epochs_completed"):
        load_project(path)


# --- only regular files are opened as projects ------------------------------------------------------------


def load_in_thread(path, seconds=5.0) -> BaseException | None:
    """The error load_project raises (None if it loads), from a thread so a hang fails the test."""
    return error_within(lambda: load_project(path), seconds)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_the_project_path_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "p.json"
    os.mkfifo(fifo)
    error = load_in_thread(fifo)
    assert isinstance(error, FormatError) and "FIFO" in str(error) and "not a regular file" in str(error)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_the_project_path_is_refused(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    error = load_in_thread(device)
    assert isinstance(error, FormatError) and "device" in str(error)


def test_a_project_file_over_the_byte_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PROJECT_BYTES", 100)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(document()))
    error = load_in_thread(path)
    assert isinstance(error, FormatError) and "larger than 100 bytes" in str(error)


def _breakpoints(n: int) -> list[dict]:
    return [{"id": f"w{i}", "kind": "nonfinite", "enabled": True} for i in range(n)]


def test_more_breakpoints_than_the_limit_are_refused_with_the_path():
    doc = document()
    doc["breakpoints"] = _breakpoints(limits.MAX_BREAKPOINTS + 1)
    error = refused(doc)
    assert error.path == "breakpoints"
    assert f"at most {limits.MAX_BREAKPOINTS:,}" in str(error)


def test_exactly_the_limit_of_breakpoints_loads():
    doc = document()
    doc["breakpoints"] = _breakpoints(limits.MAX_BREAKPOINTS)
    project = loads_project(json.dumps(doc), source="p.json")
    assert len(project.breakpoints) == limits.MAX_BREAKPOINTS
