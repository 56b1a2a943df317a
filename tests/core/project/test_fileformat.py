"""The project file format: exact round trips, one precise error per broken document, atomic saves."""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import math
import os
import re
import stat
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from backprop_studio.core.errors import FormatError, StudioError
from backprop_studio.core.nn.optimizers import OptimizerState
from backprop_studio.core.project import atomic
from backprop_studio.core.project.fileformat import (
    document_from_project,
    dumps_project,
    load_project,
    loads_project,
    project_from_document,
    save_project,
)
from backprop_studio.core.project.project import Project
from backprop_studio.core.spec import (
    DataSpec,
    InitSpec,
    LayerSpec,
    NetworkSpec,
    OptimizerSpec,
    RegularizationSpec,
    TrainingSpec,
)
from backprop_studio.core.training.snapshot import History
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.paths import REPO

# Floats whose text form is easy to get wrong: a round trip must reproduce every bit.
AWKWARD = [0.1, 1 / 3, -0.0, 5e-324, 1.7976931348623157e308, 2.220446049250313e-16, -123456.789]


def _params(rng: np.random.Generator, sizes: tuple[int, ...]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    weights = [rng.normal(size=(a, b)) for a, b in itertools.pairwise(sizes)]
    biases = [rng.normal(size=b) for b in sizes[1:]]
    weights[0].flat[: len(AWKWARD)] = AWKWARD[: weights[0].size]
    return weights, biases


def trained_project() -> Project:
    """A project using every part of the format: parameters, Adam state, history, inline data, breakpoints."""
    network = NetworkSpec(
        3,
        (LayerSpec(4, "leaky_relu"), LayerSpec(2, "tanh"), LayerSpec(3, "softmax")),
        InitSpec("uniform", std=0.2, low=-0.3, high=0.7, value=0.5, bias=-0.25),
    )
    rng = np.random.default_rng(7)
    weights, biases = _params(rng, network.sizes)
    m = _params(rng, network.sizes)
    v = tuple([np.abs(a) for a in arrays] for arrays in _params(rng, network.sizes))
    training = TrainingSpec(
        loss="cross_entropy",
        optimizer=OptimizerSpec(
            "adam", learning_rate=1 / 3, momentum=0.5, beta1=0.8, beta2=0.99, epsilon=1e-7
        ),
        batch_size=3,
        shuffle=False,
        seed=12345678901234,
        regularization=RegularizationSpec("l2", 0.001),
        epochs=7,
    )
    data = DataSpec(
        kind="inline",
        x=((0.1, 0.2, -0.0), (1 / 3, 2.5, 5e-324), (1.0, -1.0, 0.0)),
        y=((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
        x_test=((0.5, 0.5, 0.5),),
        y_test=((0.0, 1.0, 0.0),),
    )
    return Project(
        network=network,
        training=training,
        data=data,
        name="Réseau ✓",
        description='quotes " and \\ backslashes\nand a newline',
        weights=weights,
        biases=biases,
        optimizer_state=OptimizerState(42, {"m": m, "v": v}),
        history=History(
            train_loss=(1.0986, 0.7, 1 / 3),
            test_loss=(1.2, 0.8, 0.1),
            train_accuracy=(0.3, 0.6, 1.0),
            test_accuracy=(0.0, 1.0, 1.0),
            # Losses are never negative (a file with one is refused); -0.0 stays, to keep its sign bit.
            batch_loss=tuple(value if value >= 0 else -value for value in AWKWARD),
        ),
        epochs_completed=3,
        breakpoints=(
            {"when": "loss_above", "value": 2.5, "layers": [1, 2], "extra": {"on": True, "x": None}},
        ),
        source=None,
    )


def circle_project() -> Project:
    return Project(NetworkSpec(2, (LayerSpec(3, "tanh"), LayerSpec(1, "tanh"))), name="circle")


def _bits(array: np.ndarray) -> bytes:
    return np.ascontiguousarray(array, dtype=np.float64).tobytes()


def _same_floats(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and all(
        (math.isnan(x) and math.isnan(y)) or np.float64(x).tobytes() == np.float64(y).tobytes()
        for x, y in zip(a, b, strict=True)
    )


def assert_same_project(a: Project, b: Project) -> None:
    """Field by field, with arrays and floats compared bit for bit."""
    assert (a.network, a.training, a.data) == (b.network, b.training, b.data)
    for key in ("feature_mean", "feature_std"):  # statistics take no part in comparing specs
        first, second = getattr(a.data, key), getattr(b.data, key)
        assert (first is None) == (second is None)
        assert first is None or _same_floats(first, second), key
    assert (a.name, a.description, a.epochs_completed, a.breakpoints) == (
        b.name,
        b.description,
        b.epochs_completed,
        b.breakpoints,
    )
    for first, second in ((a.weights, b.weights), (a.biases, b.biases)):
        assert (first is None) == (second is None)
        if first is not None:
            assert [_bits(x) for x in first] == [_bits(x) for x in second]
    assert (a.optimizer_state is None) == (b.optimizer_state is None)
    if a.optimizer_state is not None:
        assert a.optimizer_state.step == b.optimizer_state.step
        assert a.optimizer_state.buffers.keys() == b.optimizer_state.buffers.keys()
        for name, (weights, biases) in a.optimizer_state.buffers.items():
            other_weights, other_biases = b.optimizer_state.buffers[name]
            assert [_bits(x) for x in (*weights, *biases)] == [
                _bits(x) for x in (*other_weights, *other_biases)
            ]
    for f in fields(History):
        assert _same_floats(getattr(a.history, f.name), getattr(b.history, f.name)), f.name


# ------------------------------------------------------------------------------------------ round trip


def test_a_document_round_trip_reproduces_every_field_bit_for_bit() -> None:
    project = trained_project()
    assert_same_project(project_from_document(document_from_project(project)), project)


def test_a_text_round_trip_reproduces_every_field_bit_for_bit() -> None:
    project = trained_project()
    assert_same_project(loads_project(dumps_project(project)), project)


def test_a_file_round_trip_reproduces_the_project_and_remembers_the_file(tmp_path: Path) -> None:
    project = trained_project()
    path = tmp_path / "model.json"
    save_project(project, path)
    loaded = load_project(path)
    assert_same_project(loaded, project)
    assert loaded.source == str(path)


def test_loaded_arrays_are_float64_and_writable() -> None:
    loaded = loads_project(dumps_project(trained_project()))
    for array in (*loaded.weights, *loaded.biases):
        assert array.dtype == np.float64
        array += 1.0  # the engine may train the loaded arrays in place


def test_a_project_without_parameters_state_or_history_round_trips() -> None:
    project = circle_project()
    document = document_from_project(project)
    assert "weights" not in document["network"]
    assert "state" not in document["training"]["optimizer"]
    assert_same_project(project_from_document(document), project)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_every_optimizer_state_round_trips(optimizer: str) -> None:
    project = circle_project()
    rng = np.random.default_rng(0)
    project.weights, project.biases = _params(rng, project.network.sizes)
    buffers = {"sgd": (), "momentum": ("velocity",), "adam": ("m", "v")}[optimizer]
    project.optimizer_state = OptimizerState(
        3, {name: _params(rng, project.network.sizes) for name in buffers}
    )
    project.training = project.training.with_optimizer(name=optimizer)
    assert_same_project(loads_project(dumps_project(project)), project)


def test_unmeasured_history_values_nan_are_written_as_null_and_read_back_as_nan() -> None:
    project = circle_project()
    project.history = History(train_loss=(0.5, 0.4), test_loss=(math.nan, math.nan))
    text = dumps_project(project)
    assert '"test_loss": [null, null]' in text
    assert_same_project(loads_project(text), project)


def test_an_infinite_loss_of_a_diverged_run_is_saved_as_null() -> None:
    project = circle_project()
    project.history = History(train_loss=(0.5, math.inf), test_loss=(0.6, -math.inf))
    loaded = loads_project(dumps_project(project))
    assert loaded.history.train_loss[0] == 0.5 and math.isnan(loaded.history.train_loss[1])


def test_numpy_scalars_and_tuples_from_the_engine_are_written_as_plain_json() -> None:
    project = circle_project()
    project.weights, project.biases = _params(np.random.default_rng(0), project.network.sizes)
    project.optimizer_state = OptimizerState(np.int64(4), {})
    project.epochs_completed = np.int64(2)
    project.history = History(
        train_loss=(np.float32(0.5), np.float64(0.25)), test_loss=(np.float32("nan"), np.float64(0.5))
    )
    project.breakpoints = ({"layers": (1, 2), "value": np.float64(1.5)},)
    loaded = loads_project(dumps_project(project))
    assert (loaded.optimizer_state.step, loaded.epochs_completed) == (4, 2)
    assert loaded.history.train_loss == (0.5, 0.25) and math.isnan(loaded.history.test_loss[0])
    assert loaded.breakpoints == ({"layers": [1, 2], "value": 1.5},)


def test_data_values_a_kind_does_not_use_survive_a_round_trip() -> None:
    # The GUI may switch the kind and keep the old values; saving must not lose them.
    project = circle_project()
    project.data = DataSpec(kind="circle", samples=300, path="old.csv", one_hot="label", x=((1.0, 2.0),))
    assert_same_project(loads_project(dumps_project(project)), project)


def test_csv_data_round_trips_with_targets_or_with_one_hot() -> None:
    for data in (
        DataSpec(kind="csv", path="data/iris.csv", one_hot="species", train_fraction=0.8, seed=3),
        DataSpec(kind="csv", path="/abs/points.csv", targets=("y1", "y2")),
    ):
        project = Project(NetworkSpec(2, (LayerSpec(2, "linear"),)), data=data)
        assert_same_project(loads_project(dumps_project(project)), project)


def test_a_name_with_a_lone_surrogate_still_saves_and_loads(tmp_path: Path) -> None:
    project = circle_project()
    project.name = "broken \ud800 text"
    save_project(project, tmp_path / "p.json")
    assert load_project(tmp_path / "p.json").name == project.name


def test_a_minimal_hand_written_file_takes_every_default() -> None:
    text = json.dumps(
        {
            "format": "backprop-studio",
            "version": 1,
            "network": {
                "inputs": 2,
                "layers": [{"units": 4, "activation": "tanh"}, {"units": 1, "activation": "tanh"}],
            },
        }
    )
    project = loads_project(text)
    assert project.network == NetworkSpec(2, (LayerSpec(4, "tanh"), LayerSpec(1, "tanh")))
    assert project.training == TrainingSpec()
    assert project.data == DataSpec()
    assert (project.weights, project.biases, project.optimizer_state) == (None, None, None)
    assert (project.name, project.description, project.epochs_completed, project.breakpoints) == (
        "",
        "",
        0,
        (),
    )


def test_integers_are_accepted_where_floats_are_wanted() -> None:
    document = document_from_project(circle_project())
    document["training"]["optimizer"]["learning_rate"] = 1
    document["network"]["init"]["low"] = -1
    project = project_from_document(document)
    assert project.training.optimizer.learning_rate == 1.0
    assert isinstance(project.training.optimizer.learning_rate, float)
    assert project.network.init.low == -1.0


def test_null_is_accepted_for_values_that_may_be_absent() -> None:
    document = document_from_project(circle_project())
    document["data"].update({"x_test": None, "y_test": None, "path": None, "one_hot": None})
    document["training"]["optimizer"]["state"] = None
    document["network"].update({"weights": None, "biases": None})
    assert project_from_document(document).data == circle_project().data


# ---------------------------------------------------------------------------------------------- layout


def test_the_file_is_indented_with_every_row_of_numbers_on_one_line() -> None:
    text = dumps_project(trained_project())
    assert text.startswith('{\n  "format": "backprop-studio",\n  "version": 1,\n')
    assert text.endswith("}\n")
    assert '\n      {"units": 4, "activation": "leaky_relu"},\n' in text
    row = trained_project().weights[1][0]
    assert "[" + ", ".join(repr(float(x)) for x in row) + "]" in text
    assert "NaN" not in text and "Infinity" not in text


def test_the_file_is_plain_json() -> None:
    document = json.loads(dumps_project(trained_project()))
    assert document["format"] == "backprop-studio"
    assert document["version"] == 1


# ---------------------------------------------------------------------------------- broken documents


def base_document() -> dict[str, Any]:
    """Valid: 2 → 3 tanh → 1 tanh with parameters, Adam state and circle data."""
    project = circle_project()
    rng = np.random.default_rng(1)
    project.weights, project.biases = _params(rng, project.network.sizes)
    project.optimizer_state = OptimizerState(
        2, {"m": _params(rng, project.network.sizes), "v": _params(rng, project.network.sizes)}
    )
    project.training = project.training.with_optimizer(name="adam")
    project.history = History((0.5,), (0.6,))
    return document_from_project(project)


def inline_document() -> dict[str, Any]:
    document = base_document()
    document["data"] = {"kind": "inline", "x": [[0.0, 1.0], [1.0, 0.0]], "y": [[1.0], [-1.0]]}
    return document


def csv_document() -> dict[str, Any]:
    document = base_document()
    document["data"] = {"kind": "csv", "path": "points.csv", "targets": ["label"]}
    return document


DELETE = object()
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [key if key else int(index) for key, index in _STEP.findall(path)]


def changed(document: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    """A copy of `document` with the value at the JSON `path` replaced, or removed for DELETE."""
    document = copy.deepcopy(document)
    *parents, last = _steps(path)
    target: Any = document
    for step in parents:
        target = target[step]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return document


BASE, INLINE, CSV = base_document(), inline_document(), csv_document()
ACTIVATION_CHOICES = "expected one of linear, relu, leaky_relu, sigmoid, tanh, softmax"

# (document, JSON path changed, new value, path reported, words the message contains)
BROKEN: list[tuple[dict[str, Any], str, object, str, str]] = [
    # top level
    (
        BASE,
        "format",
        DELETE,
        "format",
        'required key is missing (a project file has "format": "backprop-studio")',
    ),
    (BASE, "format", "other-app", "format", 'expected "backprop-studio", got "other-app"'),
    (BASE, "version", DELETE, "version", "required key is missing"),
    (
        BASE,
        "version",
        2,
        "version",
        "written by a newer Backprop Studio (version 2); this one reads version 1",
    ),
    (BASE, "version", 0, "version", "expected 1, got 0"),
    (BASE, "version", "1", "version", 'expected 1, got "1"'),
    (BASE, "version", True, "version", "expected 1, got true"),
    (BASE, "version", 1.0, "version", "expected 1, got 1.0"),
    (
        BASE,
        "netwrok",
        {},
        "netwrok",
        'unknown key "netwrok" (did you mean "network"?); expected one of format',
    ),
    (BASE, "name", 3, "name", "expected a string, got 3"),
    (BASE, "description", None, "description", "expected a string, got null"),
    (BASE, "network", DELETE, "network", "required key is missing"),
    # network
    (BASE, "network", [], "network", "expected an object, got a list"),
    (BASE, "network.inputs", 0, "network.inputs", "expected an integer >= 1, got 0"),
    (BASE, "network.inputs", True, "network.inputs", "expected an integer >= 1, got true"),
    (BASE, "network.inputs", 2.0, "network.inputs", "expected an integer >= 1, got 2.0"),
    (BASE, "network.inputs", DELETE, "network.inputs", "required key is missing"),
    (BASE, "network.outputs", 1, "network.outputs", 'unknown key "outputs"'),
    (
        BASE,
        "network.layers",
        [],
        "network.layers",
        "expected at least 1 layer (the last one is the output layer)",
    ),
    (BASE, "network.layers", {"units": 1}, "network.layers", "expected a list of layers, got an object"),
    (
        BASE,
        "network.layers[1].units",
        "four",
        "network.layers[1].units",
        'expected an integer >= 1, got "four"',
    ),
    (BASE, "network.layers[0].units", 0, "network.layers[0].units", "expected an integer >= 1, got 0"),
    (BASE, "network.layers[0].activation", "rleu", "network.layers[0].activation", ACTIVATION_CHOICES),
    (BASE, "network.layers[0].activation", DELETE, "network.layers[0].activation", "required key is missing"),
    (BASE, "network.layers[0].size", 3, "network.layers[0].size", 'unknown key "size"'),
    (BASE, "network.layers[0]", [3, "tanh"], "network.layers[0]", "expected an object, got a list"),
    (
        BASE,
        "network.layers[0].activation",
        "softmax",
        "network",
        "layer 1 (hidden layer 1): softmax is only allowed on the output layer (layer 2)",
    ),
    (
        BASE,
        "network.init.weights",
        "glorot",
        "network.init.weights",
        "expected one of xavier_uniform, he_normal",
    ),
    (BASE, "network.init.std", -1, "network.init.std", "expected a number >= 0, got -1"),
    (BASE, "network.init.high", -0.75, "network.init.high", "expected a number >= low (-0.5), got -0.75"),
    (BASE, "network.init.bias", "0.1", "network.init.bias", 'expected a finite number, got "0.1"'),
    (BASE, "network.init.gain", 1, "network.init.gain", 'unknown key "gain"'),
    (
        BASE,
        "network.biases",
        DELETE,
        "network.biases",
        "required key is missing: weights and biases come together",
    ),
    (
        BASE,
        "network.weights",
        DELETE,
        "network.weights",
        "required key is missing: weights and biases come together",
    ),
    (
        BASE,
        "network.weights",
        [[[1.0, 2.0, 3.0]] * 2],
        "network.weights",
        "expected 2 arrays (one per layer), found 1",
    ),
    (
        BASE,
        "network.weights[0]",
        [[0.0, 0.0]] * 3,
        "network.weights[0]",
        "expected shape (2, 3) (layer 1 has 2 inputs and 3 units), found shape (3, 2)",
    ),
    (
        BASE,
        "network.weights[1]",
        [[0.0], [0.0, 1.0], [0.0]],
        "network.weights[1]",
        "expected shape (3, 1) (layer 2 has 3 inputs and 1 unit), found rows of different lengths (row 0 has 1 number, row 1 has 2)",
    ),
    (
        BASE,
        "network.weights[1]",
        [],
        "network.weights[1]",
        "expected shape (3, 1) (layer 2 has 3 inputs and 1 unit), found an empty list",
    ),
    (
        BASE,
        "network.weights[1][2]",
        0.5,
        "network.weights[1][2]",
        "expected a row (a list of numbers), got 0.5",
    ),
    (BASE, "network.weights[0][1][2]", "a", "network.weights[0][1][2]", 'expected a finite number, got "a"'),
    (
        BASE,
        "network.weights[0][1][2]",
        False,
        "network.weights[0][1][2]",
        "expected a finite number, got false",
    ),
    (
        BASE,
        "network.weights[0][1][2]",
        math.inf,
        "network.weights[0][1][2]",
        "expected a finite number, got inf",
    ),
    (
        BASE,
        "network.weights[0][0][0]",
        10**400,
        "network.weights[0][0][0]",
        "expected a finite number, got a very large integer",
    ),
    (
        BASE,
        "network.biases[1]",
        [0.0, 0.0],
        "network.biases[1]",
        "expected shape (1,) (layer 2 has 3 inputs and 1 unit), found shape (2,)",
    ),
    (BASE, "network.biases[0][2]", None, "network.biases[0][2]", "expected a finite number, got null"),
    # training
    (BASE, "training", "fast", "training", 'expected an object, got "fast"'),
    (BASE, "training.loss", "mae", "training.loss", 'expected one of mse, bce, cross_entropy, got "mae"'),
    (
        BASE,
        "training.loss",
        "bce",
        "training.loss",
        "layer 2 (output layer): loss bce needs a sigmoid output, not tanh",
    ),
    (BASE, "training.lr", 0.1, "training.lr", 'unknown key "lr"'),
    (
        BASE,
        "training.optimizer.name",
        "rmsprop",
        "training.optimizer.name",
        "expected one of sgd, momentum, adam",
    ),
    (
        BASE,
        "training.optimizer.learning_rate",
        0,
        "training.optimizer.learning_rate",
        "expected a number > 0, got 0",
    ),
    (
        BASE,
        "training.optimizer.learning_rate",
        -0.1,
        "training.optimizer.learning_rate",
        "expected a number > 0, got -0.1",
    ),
    (
        BASE,
        "training.optimizer.learning_rate",
        math.nan,
        "training.optimizer.learning_rate",
        "expected a number > 0, got nan",
    ),
    (
        BASE,
        "training.optimizer.momentum",
        1,
        "training.optimizer.momentum",
        "expected a number >= 0 and < 1, got 1",
    ),
    (
        BASE,
        "training.optimizer.beta1",
        1.0,
        "training.optimizer.beta1",
        "expected a number >= 0 and < 1, got 1.0",
    ),
    (
        BASE,
        "training.optimizer.beta2",
        -0.1,
        "training.optimizer.beta2",
        "expected a number >= 0 and < 1, got -0.1",
    ),
    (BASE, "training.optimizer.epsilon", 0.0, "training.optimizer.epsilon", "expected a number > 0, got 0.0"),
    (
        BASE,
        "training.optimizer.learnig_rate",
        0.1,
        "training.optimizer.learnig_rate",
        'unknown key "learnig_rate" (did you mean "learning_rate"?)',
    ),
    (
        BASE,
        "training.optimizer.state.step",
        -1,
        "training.optimizer.state.step",
        "expected an integer >= 0, got -1",
    ),
    (BASE, "training.optimizer.state.m", DELETE, "training.optimizer.state.m", "required key is missing"),
    (
        BASE,
        "training.optimizer.state.velocity",
        {},
        "training.optimizer.state.velocity",
        'unknown key "velocity"',
    ),
    (
        BASE,
        "training.optimizer.state.m.biases",
        DELETE,
        "training.optimizer.state.m.biases",
        "required key is missing",
    ),
    (
        BASE,
        "training.optimizer.state.v.weights[0]",
        [[0.0]],
        "training.optimizer.state.v.weights[0]",
        "expected shape (2, 3) (layer 1 has 2 inputs and 3 units), found shape (1, 1)",
    ),
    (BASE, "training.optimizer.name", "momentum", "training.optimizer.state.m", 'unknown key "m"'),
    (BASE, "training.batch_size", 0, "training.batch_size", "expected an integer >= 1, got 0"),
    (BASE, "training.batch_size", "10", "training.batch_size", 'expected an integer >= 1, got "10"'),
    (BASE, "training.shuffle", "yes", "training.shuffle", 'expected true or false, got "yes"'),
    (BASE, "training.shuffle", 1, "training.shuffle", "expected true or false, got 1"),
    (BASE, "training.update_biases", "no", "training.update_biases", 'expected true or false, got "no"'),
    (
        BASE,
        "training.seed",
        -1,
        "training.seed",
        "expected an integer from 0 to 18446744073709551615, got -1",
    ),
    (BASE, "training.epochs", 0, "training.epochs", "expected an integer >= 1, got 0"),
    (BASE, "training.epochs_completed", -1, "training.epochs_completed", "expected an integer >= 0, got -1"),
    (
        BASE,
        "training.regularization.kind",
        "l3",
        "training.regularization.kind",
        "expected one of none, l1, l2",
    ),
    (
        BASE,
        "training.regularization.rate",
        -0.01,
        "training.regularization.rate",
        "expected a number >= 0, got -0.01",
    ),
    # data from a generator
    (
        BASE,
        "data.kind",
        "moons",
        "data.kind",
        "expected one of circle, xor, gaussian, spiral, plane, multi_gaussian, iris, wine, breast_cancer, digits, inline, csv",
    ),
    (BASE, "data.samples", 1, "data.samples", "expected an integer from 2 to 100000, got 1"),
    (BASE, "data.samples", 100001, "data.samples", "expected an integer from 2 to 100000, got 100001"),
    (BASE, "data.sample", 10, "data.sample", 'unknown key "sample" (did you mean "samples"?)'),
    (BASE, "data.noise", 0.6, "data.noise", "expected a number from 0 to 0.5, got 0.6"),
    (BASE, "data.train_fraction", 0, "data.train_fraction", "expected a number > 0 and <= 1, got 0"),
    (BASE, "data.train_fraction", 1.5, "data.train_fraction", "expected a number > 0 and <= 1, got 1.5"),
    (BASE, "data.seed", 0.5, "data.seed", "expected an integer from 0 to"),
    (BASE, "data.features", [], "data.features", "expected at least 1 name, got an empty list"),
    (BASE, "data.features", "x1", "data.features", 'expected a list of strings, got "x1"'),
    (
        BASE,
        "data.features",
        ["x1", "x3"],
        "data.features[1]",
        "expected one of x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)",
    ),
    (BASE, "data.features", ["x1", "x1"], "data.features[1]", '"x1" is listed twice'),
    (BASE, "data.features", ["x1"], "data.features", "expected 2 features (one per network input), got 1"),
    (BASE, "data.classes", 1, "data.classes", "expected an integer from 2 to 8, got 1"),
    (
        changed(BASE, "data", {"kind": "spiral", "samples": 3, "classes": 4}),
        "data.noise",
        0,
        "data.samples",
        "a spiral with 4 classes needs at least 4 samples",
    ),
    # inline data
    (INLINE, "data.x", DELETE, "data.x", "required key is missing"),
    (INLINE, "data.y", None, "data.y", "expected a list of rows, got null"),
    (INLINE, "data.x", [], "data.x", "expected at least 1 sample, got an empty list"),
    (
        INLINE,
        "data.x",
        [[0.0, 1.0, 2.0]] * 2,
        "data.x",
        "expected shape (*, 2) (a column per network input), found shape (2, 3)",
    ),
    (
        INLINE,
        "data.y",
        [[1.0]],
        "data.y",
        "expected shape (2, 1) (a row per row of x, a column per output unit), found shape (1, 1)",
    ),
    (INLINE, "data.x[1][0]", "?", "data.x[1][0]", 'expected a finite number, got "?"'),
    (
        INLINE,
        "data.x_test",
        [[0.0, 0.0]],
        "data.y_test",
        "x_test and y_test come together: give both or neither",
    ),
    (INLINE, "data.y_test", [[0.0]], "data.x_test", "x_test and y_test come together: give both or neither"),
    # csv data
    (CSV, "data.path", DELETE, "data.path", "required key is missing"),
    (CSV, "data.path", "", "data.path", 'expected a non-empty string, got ""'),
    (CSV, "data.path", None, "data.path", "expected a file name, got null"),
    (CSV, "data.targets", [], "data.targets", "a csv data set needs target columns: give targets or one_hot"),
    (CSV, "data.one_hot", "label", "data.one_hot", "give either targets or one_hot, not both"),
    (CSV, "data.targets", ["y", ""], "data.targets[1]", 'expected a non-empty string, got ""'),
    # history
    (BASE, "history.train_loss", "x", "history.train_loss", 'expected a list of numbers, got "x"'),
    (BASE, "history.train_loss", [1, "a"], "history.train_loss[1]", 'expected a finite number, got "a"'),
    (BASE, "history.test_los", [], "history.test_los", 'unknown key "test_los" (did you mean "test_loss"?)'),
    # breakpoints
    (BASE, "breakpoints", {}, "breakpoints", "expected a list of objects, got an object"),
    (BASE, "breakpoints", [1], "breakpoints[0]", "expected an object, got 1"),
    (BASE, "breakpoints", [{"a": [1, math.nan]}], "breakpoints[0].a[1]", "expected a finite number, got nan"),
    (BASE, "breakpoints", [{"a": (1, 2)}], "breakpoints[0].a", "expected a JSON value, got a Python tuple"),
    (BASE, "breakpoints", [{"a": {1: 2}}], "breakpoints[0].a", "object keys must be strings, got 1"),
]


@pytest.mark.parametrize(
    ("document", "path", "value", "where", "message"),
    BROKEN,
    # Stable ids (the same in every process, as pytest-xdist requires): the DELETE sentinel by name.
    ids=[f"{case[1]}={'<deleted>' if case[2] is DELETE else repr(case[2]):.30}" for case in BROKEN],
)
def test_a_broken_document_is_refused_naming_the_json_path_of_the_problem(
    document: dict[str, Any], path: str, value: object, where: str, message: str
) -> None:
    broken = changed(document, path, value)
    with pytest.raises(FormatError) as caught:
        project_from_document(broken, source="model.json")
    assert caught.value.path == where
    assert caught.value.file == "model.json"
    assert str(caught.value).startswith(f"model.json, at {where}: ")
    assert message in str(caught.value)


def test_every_broken_case_starts_from_a_valid_document() -> None:
    for document in (BASE, INLINE, CSV):
        project_from_document(document)


def test_a_softmax_over_one_unit_is_refused_at_network() -> None:
    document = changed(BASE, "network.layers[1].activation", "softmax")
    document["training"]["loss"] = "cross_entropy"
    with pytest.raises(FormatError, match="softmax over 1 unit is always 1") as caught:
        project_from_document(document)
    assert caught.value.path == "network"


def test_a_softmax_output_with_the_default_loss_is_refused_at_training_loss() -> None:
    document = changed(BASE, "network.layers[1]", {"units": 2, "activation": "softmax"})
    del (
        document["network"]["weights"],
        document["network"]["biases"],
        document["training"]["optimizer"]["state"],
    )
    del document["training"]["loss"]
    with pytest.raises(FormatError, match="use cross_entropy with softmax") as caught:
        project_from_document(document)
    assert caught.value.path == "training.loss"


def test_optimizer_state_without_parameters_is_refused() -> None:
    document = changed(BASE, "network.weights", DELETE)
    del document["network"]["biases"]
    with pytest.raises(FormatError, match="optimizer state belongs to trained parameters") as caught:
        project_from_document(document)
    assert caught.value.path == "training.optimizer.state"


def test_a_top_level_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(FormatError, match="expected a JSON object at the top level, got a list") as caught:
        loads_project("[1, 2]")
    assert caught.value.path == ""


def test_unknown_keys_are_refused_before_anything_else_in_their_object() -> None:
    document = changed(BASE, "network.layers[0]", {"unit": 3, "activation": "tanh"})
    with pytest.raises(FormatError, match='unknown key "unit" \\(did you mean "units"\\?\\)'):
        project_from_document(document)


# ------------------------------------------------------------------------------------- text and files


def test_invalid_json_names_line_and_column() -> None:
    text = '{\n  "format": "backprop-studio",\n  "version": 1,\n}'
    with pytest.raises(FormatError, match=r"invalid JSON at line 4, column 1: ") as caught:
        loads_project(text, source="broken.json")
    assert caught.value.file == "broken.json"


def test_empty_text_is_invalid_json() -> None:
    with pytest.raises(FormatError, match="invalid JSON at line 1, column 1"):
        loads_project("")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_are_refused_with_their_position(literal: str) -> None:
    text = '{"format": "backprop-studio",\n "name": "NaN Infinity",\n "version": ' + literal + "}"
    with pytest.raises(
        FormatError, match=f"{literal} at line 3, column 13 is not allowed: every number must be finite"
    ):
        loads_project(text)


def test_the_words_nan_and_infinity_inside_strings_are_fine() -> None:
    document = document_from_project(circle_project())
    document["description"] = 'NaN and Infinity and \\"NaN\\"'
    assert loads_project(json.dumps(document)).description == document["description"]


def test_a_key_given_twice_is_refused() -> None:
    with pytest.raises(FormatError, match='duplicate key "version"'):
        loads_project('{"format": "backprop-studio", "version": 1, "version": 1}')


def test_deeply_nested_json_is_a_format_error() -> None:
    with pytest.raises(FormatError):
        loads_project("[" * 100_000 + "]" * 100_000)


def test_a_missing_file_is_a_format_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(FormatError, match="file not found") as caught:
        load_project(path)
    assert caught.value.file == str(path)


def test_a_folder_is_not_a_project_file(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"not a project file|cannot read"):
        load_project(tmp_path)


def test_a_file_that_is_not_utf8_is_refused_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{\n"name": "Réseau"}'.encode("latin-1"))
    with pytest.raises(FormatError, match=r"not UTF-8 text \(invalid byte at line 2\)"):
        load_project(path)


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + dumps_project(circle_project()).encode())
    assert load_project(path).name == "circle"


def test_load_reports_the_file_with_the_json_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(changed(BASE, "network.layers[1].units", "four")))
    with pytest.raises(FormatError) as caught:
        load_project(path)
    assert str(caught.value) == f'{path}, at network.layers[1].units: expected an integer >= 1, got "four"'


# ------------------------------------------------------------------------------------------- saving


def _folder_listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_saving_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("old")
    save_project(circle_project(), path)
    assert load_project(path).name == "circle"
    assert _folder_listing(tmp_path) == ["p.json"]


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_save_leaves_the_old_file_intact_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "p.json"
    save_project(trained_project(), path)
    before = path.read_bytes()

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, failing, fail)
    with pytest.raises(StudioError, match="cannot save \\(No space left on device\\)"):
        save_project(circle_project(), path)
    assert path.read_bytes() == before
    assert _folder_listing(tmp_path) == ["p.json"]


def test_an_interrupted_save_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.json"
    path.write_text("old")

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        save_project(circle_project(), path)
    assert path.read_text() == "old"
    assert _folder_listing(tmp_path) == ["p.json"]


def test_a_project_that_could_not_be_read_back_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("old")
    project = circle_project()
    project.weights, project.biases = _params(np.random.default_rng(0), project.network.sizes)
    project.weights[1][2, 0] = math.nan
    with pytest.raises(FormatError, match="expected a finite number, got nan") as caught:
        save_project(project, path)
    assert caught.value.path == "network.weights[1][2][0]"
    assert path.read_text() == "old"
    assert _folder_listing(tmp_path) == ["p.json"]


def test_saving_into_a_missing_folder_is_a_studio_error(tmp_path: Path) -> None:
    with pytest.raises(StudioError, match="cannot save"):
        save_project(circle_project(), tmp_path / "missing" / "p.json")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_saving_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("old")
    path.chmod(0o640)
    save_project(circle_project(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


# --------------------------------------------------------------------------------------- robustness

KNOWN_KEYS = sorted(
    {
        "format",
        "version",
        "network",
        "training",
        "data",
        "history",
        "breakpoints",
        "inputs",
        "layers",
        "units",
    }
    | {"activation", "weights", "biases", "optimizer", "state", "kind", "x", "y", "loss", "name", "step", "m"}
)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10)
    | st.sampled_from(["backprop-studio", "tanh", "softmax", "inline", "adam", "spiral", "x1"])
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=40,
)


def _leaf_paths(value: Any, prefix: str = "") -> list[str]:
    paths = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            paths += _leaf_paths(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            paths += _leaf_paths(item, f"{prefix}[{i}]")
    return paths


RICH = document_from_project(trained_project())
RICH_PATHS = _leaf_paths(RICH)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_value_is_a_project_or_a_format_error(value: object) -> None:
    with contextlib.suppress(FormatError):
        project_from_document(value)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_value_under_a_valid_header_is_a_project_or_a_format_error(value: object) -> None:
    document = {"format": "backprop-studio", "version": 1}
    if isinstance(value, dict):
        document.update(value)
    with contextlib.suppress(FormatError):
        project_from_document(document)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(RICH_PATHS), json_values | st.just(DELETE))
def test_a_valid_document_with_any_one_value_replaced_is_a_format_error_or_saves_stably(
    path: str, value: object
) -> None:
    try:
        project = project_from_document(changed(RICH, path, value))
    except FormatError:
        return
    text = dumps_project(project)
    assert dumps_project(loads_project(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.text() | st.text(alphabet='{}[]",:0123456789.eE+- \ntruefalsnNaIiy'))
def test_any_text_is_a_project_or_a_format_error(text: str) -> None:
    with contextlib.suppress(FormatError):
        loads_project(text)


def test_the_example_in_the_format_documentation_loads() -> None:
    doc = (REPO / "docs" / "FILE_FORMAT.md").read_text(encoding="utf-8")
    example = doc.split("```json\n", 1)[1].split("```", 1)[0]
    project = loads_project(example)
    assert project.network.sizes == (1, 1, 1)
    assert project.training.optimizer.learning_rate == 1.0


def test_saving_elsewhere_keeps_a_relative_csv_path_pointing_at_the_same_file(tmp_path):
    from dataclasses import replace

    from backprop_studio.core.data.build import build_dataset
    from backprop_studio.core.project.presets_catalog import load_preset

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "d.csv").write_text("x1,x2,label\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n")
    src = tmp_path / "a" / "p.json"
    project = load_preset("xor")
    project = replace(
        project,
        data=replace(
            project.data, kind="csv", path="d.csv", one_hot=None, targets=("label",), train_fraction=1.0
        ),
        source=str(src),  # as if opened from a/p.json, with "d.csv" beside it
    )
    save_project(project, src)
    moved = tmp_path / "b" / "out.json"
    save_project(load_project(src), moved)
    reopened = load_project(moved)
    assert reopened.data.path == "../a/d.csv"
    assert build_dataset(reopened.data, reopened.network, "mse", str(tmp_path / "b")).x_train.shape == (4, 2)


def test_history_series_of_different_lengths_are_refused_with_their_path():
    doc = json.loads(dumps_project(load_preset_project()))
    doc["history"] = {"train_loss": [0.5, 0.4, 0.3], "test_loss": [0.6]}
    with pytest.raises(FormatError) as err:
        project_from_document(doc)
    assert err.value.path == "history.test_loss" and "3" in str(err.value)


def test_a_history_with_only_train_loss_loads_and_training_continues_in_step():
    from backprop_studio.core.project.project import open_session

    doc = json.loads(dumps_project(load_preset_project()))
    doc["history"] = {"train_loss": [0.5, 0.4]}
    doc["training"]["epochs_completed"] = 2
    project = project_from_document(doc)
    assert project.history.test_loss == ()
    session = open_session(project)
    session.run_epochs(1)
    history = session.history()
    assert len(history.train_loss) == len(history.test_loss) == len(history.train_accuracy) == 3
    assert math.isnan(history.test_loss[0]) and not math.isnan(history.test_loss[2])


def load_preset_project():
    from backprop_studio.core.project.presets_catalog import load_preset

    return load_preset("xor")
