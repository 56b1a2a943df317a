"""The bundled presets: each is a valid project file that loads, round-trips and trains."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from backprop_studio.core.errors import StudioError
from backprop_studio.core.project.fileformat import (
    document_from_project,
    dumps_project,
    load_project,
    loads_project,
    project_from_document,
)
from backprop_studio.core.project.presets_catalog import (
    DEFAULT_PRESET,
    PRESETS,
    list_presets,
    load_preset,
    preset_path,
)
from backprop_studio.core.project.project import open_session
from backprop_studio.core.spec import FEATURES, LayerSpec, check_architecture

from tests.core.project.test_fileformat import assert_same_project


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_as_a_valid_unsaved_project(name: str) -> None:
    project = load_preset(name)
    check_architecture(project.network, project.training)
    assert project.source is None  # Save must ask where to write, never overwrite the bundled file
    assert project.name
    assert (project.epochs_completed, project.optimizer_state, project.history.train_loss) == (0, None, ())


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_round_trips_exactly(name: str) -> None:
    project = load_preset(name)
    assert_same_project(project_from_document(document_from_project(project)), project)
    assert_same_project(loads_project(dumps_project(project)), project)


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_file_is_the_same_project_when_opened_as_a_file(name: str) -> None:
    project = load_project(preset_path(name))
    assert_same_project(project, load_preset(name))
    assert project.source == str(preset_path(name))


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_builds_its_data_and_trains_an_epoch(name: str) -> None:
    session = open_session(load_preset(name))
    assert session.run_epochs(1) == 1
    assert np.isfinite(session.history().train_loss[-1])


def test_list_presets_lists_every_preset_in_order_with_its_one_line_description() -> None:
    listed = list_presets()
    assert [name for name, _ in listed] == list(PRESETS)
    for name, description in listed:
        assert description == load_preset(name).description
        assert description and "\n" not in description


def test_every_preset_file_in_the_folder_is_listed() -> None:
    folder = preset_path(DEFAULT_PRESET).parent
    assert sorted(path.stem for path in folder.glob("*.json")) == sorted(PRESETS)
    assert (folder / "__init__.py").exists()


def test_the_default_preset_is_circle() -> None:
    assert DEFAULT_PRESET == "circle"
    assert DEFAULT_PRESET in PRESETS


def test_an_unknown_preset_is_refused_listing_the_names() -> None:
    with pytest.raises(StudioError, match="unknown preset 'moons'; choose one of circle, xor, spiral"):
        load_preset("moons")
    with pytest.raises(StudioError, match="unknown preset"):
        preset_path("../fileformat")


def test_preset_files_are_plain_json_of_the_current_format() -> None:
    for name in PRESETS:
        document = json.loads(Path(preset_path(name)).read_text(encoding="utf-8"))
        assert (document["format"], document["version"]) == ("backprop-studio", 1)


def test_the_default_circle_preset_learns_within_a_hundred_epochs() -> None:
    # The first thing a new user sees must visibly learn: Playground's circle with plain SGD.
    project = load_preset("circle")
    assert project.data.kind == "circle"
    assert (project.data.samples, project.data.noise, project.data.train_fraction) == (200, 0.0, 0.5)
    assert project.network.sizes == (2, 4, 2, 1)
    assert project.network.activations == ("tanh", "tanh", "tanh")
    optimizer = project.training.optimizer
    assert (optimizer.name, optimizer.learning_rate, project.training.batch_size) == ("sgd", 0.03, 10)
    session = open_session(project)
    session.run_epochs(100)
    history = session.history()
    assert history.test_loss[-1] < 0.1 < history.test_loss[0]
    assert history.test_accuracy[-1] >= 0.95


def test_the_seed_relu_preset_holds_the_articles_network_with_weights_chosen_to_illustrate_it() -> None:
    project = load_preset("seed-relu-1-2-2")
    assert "forward and backward propagation" in project.description
    assert "chosen to illustrate" in project.description
    assert project.network.inputs == 1
    assert project.network.layers == (LayerSpec(2, "relu"), LayerSpec(2, "relu"))
    assert project.network.init.bias == 0.1
    assert [w.tolist() for w in project.weights] == [[[0.5, 0.8]], [[0.4, -0.2], [0.7, 0.3]]]
    assert [b.tolist() for b in project.biases] == [[0.1, 0.1], [0.1, 0.1]]
    assert project.data.kind == "inline"
    assert project.data.x == ((0.5,), (1.0,), (1.5,), (2.0,))
    assert project.data.y == ((0.5, 1.0), (1.0, 2.0), (1.5, 3.0), (2.0, 4.0))
    training = project.training
    assert (training.loss, training.optimizer.name, training.optimizer.learning_rate) == ("mse", "sgd", 0.05)
    assert (training.batch_size, training.shuffle) == (1, False)


def test_the_two_node_sigmoid_preset_is_a_full_batch_chain_of_two_sigmoids() -> None:
    project = load_preset("two-node-sigmoid")
    assert project.network.sizes == (1, 1, 1)
    assert project.network.activations == ("sigmoid", "sigmoid")
    assert [w.tolist() for w in project.weights] == [[[0.3]], [[-0.4]]]
    assert [b.tolist() for b in project.biases] == [[0.1], [0.1]]
    assert (project.data.x, project.data.y) == (((0.0,), (1.0,)), ((0.2,), (0.8,)))
    training = project.training
    assert (training.loss, training.optimizer.name, training.optimizer.learning_rate) == ("mse", "sgd", 1.0)
    assert (training.batch_size, training.shuffle) == (2, False)


# name → (data kind, features, sizes, activations, loss, optimizer, learning rate, batch size)
PLAYGROUND_LIKE = {
    "xor": ("xor", ("x1", "x2"), (2, 4, 1), ("tanh", "tanh"), "mse", "sgd", 0.03, 10),
    "spiral": ("spiral", FEATURES, (7, 8, 8, 1), ("tanh",) * 3, "mse", "adam", 0.01, 10),
    "regression-plane": ("plane", ("x1", "x2"), (2, 3, 1), ("tanh", "linear"), "mse", "sgd", 0.01, 10),
    "spiral-3-class": (
        "spiral",
        ("x1", "x2", "sin(x1)", "sin(x2)"),
        (4, 12, 12, 3),
        ("tanh", "tanh", "softmax"),
        "cross_entropy",
        "adam",
        0.01,
        16,
    ),
}


@pytest.mark.parametrize("name", sorted(PLAYGROUND_LIKE))
def test_the_generated_data_presets_have_their_documented_setup(name: str) -> None:
    kind, features, sizes, activations, loss, optimizer, rate, batch = PLAYGROUND_LIKE[name]
    project = load_preset(name)
    assert (project.data.kind, project.data.features, project.data.noise) == (kind, features, 0.0)
    assert (project.network.sizes, project.network.activations) == (sizes, activations)
    training = project.training
    assert (training.loss, training.optimizer.name, training.optimizer.learning_rate) == (
        loss,
        optimizer,
        rate,
    )
    assert training.batch_size == batch
    assert project.weights is None  # the engine draws them from the training seed
    if name == "spiral-3-class":
        assert project.data.classes == 3
