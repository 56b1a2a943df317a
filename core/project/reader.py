"""Reading a project document: every value checked, the first problem named by its JSON path.

`read_project(doc, source)` turns a parsed JSON document into a Project or raises `Invalid` with the path
of the first problem (`network.layers[1].units`). This module reads the top level, the network (with
its weights and biases) and the training section (with the optimizer's state); reader_data.py reads
the data, history and breakpoints sections. Nothing is executed and nothing is trusted: the document
may come from any file.
"""

from __future__ import annotations

import itertools
from dataclasses import fields
from typing import Any

import numpy as np
from backprop_studio.core.errors import ArchitectureError
from backprop_studio.core.limits import MAX_BATCH_SIZE, MAX_EPOCHS, MAX_OPTIMIZER_STEPS, LimitError
from backprop_studio.core.nn.optimizers import BUFFERS, OptimizerState
from backprop_studio.core.project.project import Project
from backprop_studio.core.project.reader_data import read_breakpoints, read_data, read_history
from backprop_studio.core.project.reader_pinned import read_pinned_runs
from backprop_studio.core.project.schema import (
    FORMAT,
    NETWORK_KEYS,
    OPTIMIZER_KEYS,
    TOP_KEYS,
    TRAINING_KEYS,
    VERSION,
)
from backprop_studio.core.spec import (
    ACTIVATIONS,
    LOSSES,
    MAX_SEED,
    OPTIMIZERS,
    REGULARIZATIONS,
    WEIGHT_INITS,
    InitSpec,
    LayerSpec,
    NetworkSpec,
    OptimizerSpec,
    RegularizationSpec,
    TrainingSpec,
    check_architecture,
)
from backprop_studio.core.validators import (
    Invalid,
    JsonObject,
    Parser,
    boolean,
    capped_integer,
    choice,
    count,
    describe,
    integer,
    json_list,
    matrix,
    number,
    numbers,
    optional,
    string,
)

Arrays = list[np.ndarray]


def _parameter_arrays(network: NetworkSpec, kind: str) -> Parser:
    """One array per layer, shaped (n_in, n_out) for "weights" and (n_out,) for "biases"."""
    sizes = network.sizes
    pairs = list(itertools.pairwise(sizes))

    def parse(value: object, path: str) -> Arrays:
        items = json_list(value, path, f"a list of {kind} arrays, one per layer")
        if len(items) != len(pairs):
            raise Invalid(path, f"expected {len(pairs)} arrays (one per layer), found {len(items)}")
        arrays = []
        for k, ((n_in, n_out), item) in enumerate(zip(pairs, items, strict=True)):
            hint = f" (layer {k + 1} has {count(n_in, 'input')} and {count(n_out, 'unit')})"
            if kind == "weights":
                arrays.append(np.array(matrix(item, f"{path}[{k}]", n_in, n_out, hint), dtype=np.float64))
            else:
                arrays.append(np.array(numbers(item, f"{path}[{k}]", n_out, hint), dtype=np.float64))
        return arrays

    return parse


def read_project(doc: object, source: str | None) -> Project:
    """The Project a parsed document describes; raises Invalid at the first problem."""
    if not isinstance(doc, dict):
        raise Invalid("", f"expected a JSON object at the top level, got {describe(doc)}")
    _check_format(doc)
    top = JsonObject(doc, "", TOP_KEYS)
    name = top.read("name", string, "")
    description = top.read("description", string, "")
    network, weights, biases = top.read("network", _read_network)
    has_parameters = weights is not None
    training, state, epochs_completed = top.section(
        "training", lambda value, path: _read_training(value, path, network, has_parameters)
    )
    data = top.section("data", lambda value, path: read_data(value, path, network))
    history = top.section("history", read_history)
    breakpoints = top.read("breakpoints", read_breakpoints, ())
    pinned_runs = top.read("pinned_runs", read_pinned_runs, ())
    return Project(
        network=network,
        training=training,
        data=data,
        name=name,
        description=description,
        weights=weights,
        biases=biases,
        optimizer_state=state,
        history=history,
        epochs_completed=epochs_completed,
        breakpoints=breakpoints,
        source=source,
        pinned_runs=pinned_runs,
    )


def _check_format(doc: dict[Any, Any]) -> None:
    """`format` and `version` come first: a newer file should say so rather than trip over new keys."""
    if "format" not in doc:
        raise Invalid("format", f'required key is missing (a project file has "format": "{FORMAT}")')
    if not isinstance(doc["format"], str) or doc["format"] != FORMAT:
        raise Invalid("format", f'expected "{FORMAT}", got {describe(doc["format"])}')
    if "version" not in doc:
        raise Invalid("version", "required key is missing")
    version = doc["version"]
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise Invalid(
            "version",
            f"written by a newer Backprop Studio (version {describe(version)}); this one reads version {VERSION}",
        )
    if version != VERSION or isinstance(version, bool) or not isinstance(version, int):
        raise Invalid("version", f"expected {VERSION}, got {describe(version)}")


def _read_network(value: object, path: str) -> tuple[NetworkSpec, Arrays | None, Arrays | None]:
    section = JsonObject(value, path, NETWORK_KEYS)
    network = NetworkSpec(
        inputs=section.read("inputs", integer(1)),
        layers=section.read("layers", _read_layers),
        init=section.section("init", _read_init),
    )
    _check_network(network, path)
    has_weights, has_biases = (section.value.get(key) is not None for key in ("weights", "biases"))
    if has_weights != has_biases:
        missing = "biases" if has_weights else "weights"
        raise Invalid(section.at(missing), "required key is missing: weights and biases come together")
    weights = section.read("weights", optional(_parameter_arrays(network, "weights")), None)
    biases = section.read("biases", optional(_parameter_arrays(network, "biases")), None)
    return network, weights, biases


def _read_layers(value: object, path: str) -> tuple[LayerSpec, ...]:
    items = json_list(value, path, "a list of layers")
    if not items:
        raise Invalid(path, "expected at least 1 layer (the last one is the output layer), got an empty list")
    return tuple(_read_layer(item, f"{path}[{i}]") for i, item in enumerate(items))


def _read_layer(value: object, path: str) -> LayerSpec:
    layer = JsonObject(value, path, ("units", "activation"))
    return LayerSpec(
        units=layer.read("units", integer(1)), activation=layer.read("activation", choice(ACTIVATIONS))
    )


def _read_init(value: object, path: str) -> InitSpec:
    section = JsonObject(value, path, (f.name for f in fields(InitSpec)))
    default = InitSpec()
    low = section.read("low", number(), default.low)
    high = section.read("high", number(), default.high)
    if high < low:
        raise Invalid(section.at("high"), f"expected a number >= low ({low:g}), got {describe(high)}")
    return InitSpec(
        weights=section.read("weights", choice(WEIGHT_INITS), default.weights),
        std=section.read("std", number(0), default.std),
        low=low,
        high=high,
        value=section.read("value", number(), default.value),
        bias=section.read("bias", number(), default.bias),
    )


def _check_network(network: NetworkSpec, path: str) -> None:
    """The network's own rules (softmax placement and size), judged with a loss that suits any output."""
    suits = "cross_entropy" if network.layers[-1].activation == "softmax" else "mse"
    try:
        check_architecture(network, TrainingSpec(loss=suits))
    except (ArchitectureError, LimitError) as error:
        raise Invalid(path, str(error)) from None


def _check_loss(network: NetworkSpec, loss: str, path: str) -> None:
    # The network alone has passed already, so what check_architecture still refuses is the loss.
    try:
        check_architecture(network, TrainingSpec(loss=loss))
    except (ArchitectureError, LimitError) as error:
        raise Invalid(path, str(error)) from None


def _read_training(
    value: object, path: str, network: NetworkSpec, has_parameters: bool
) -> tuple[TrainingSpec, OptimizerState | None, int]:
    section = JsonObject(value, path, TRAINING_KEYS)
    default = TrainingSpec()
    loss = section.read("loss", choice(LOSSES), default.loss)
    _check_loss(network, loss, section.at("loss"))
    optimizer, state = section.section(
        "optimizer", lambda value, path: _read_optimizer(value, path, network, has_parameters)
    )
    training = TrainingSpec(
        loss=loss,
        optimizer=optimizer,
        batch_size=section.read("batch_size", capped_integer(1, MAX_BATCH_SIZE), default.batch_size),
        shuffle=section.read("shuffle", boolean, default.shuffle),
        update_biases=section.read("update_biases", boolean, default.update_biases),
        seed=section.read("seed", integer(0, MAX_SEED), default.seed),
        epochs=section.read("epochs", capped_integer(1, MAX_EPOCHS), default.epochs),
        regularization=section.section("regularization", _read_regularization),
    )
    epochs_completed = section.read("epochs_completed", capped_integer(0, MAX_EPOCHS), 0)
    return training, state, epochs_completed


def _read_optimizer(
    value: object, path: str, network: NetworkSpec, has_parameters: bool
) -> tuple[OptimizerSpec, OptimizerState | None]:
    section = JsonObject(value, path, OPTIMIZER_KEYS)
    default = OptimizerSpec()
    below_one = number(0, 1, below=True)
    spec = OptimizerSpec(
        name=section.read("name", choice(OPTIMIZERS), default.name),
        learning_rate=section.read("learning_rate", number(0, above=True), default.learning_rate),
        momentum=section.read("momentum", below_one, default.momentum),
        beta1=section.read("beta1", below_one, default.beta1),
        beta2=section.read("beta2", below_one, default.beta2),
        epsilon=section.read("epsilon", number(0, above=True), default.epsilon),
    )
    state = section.read(
        "state", optional(lambda value, path: _read_state(value, path, spec.name, network)), None
    )
    if state is not None and not has_parameters:
        raise Invalid(
            section.at("state"),
            "optimizer state belongs to trained parameters: give network.weights and network.biases too",
        )
    return spec, state


def _read_state(value: object, path: str, optimizer: str, network: NetworkSpec) -> OptimizerState:
    buffers = BUFFERS[optimizer]
    section = JsonObject(value, path, ("step", *buffers))
    step = section.read("step", capped_integer(0, MAX_OPTIMIZER_STEPS), 0)
    return OptimizerState(
        step, {name: section.read(name, lambda v, p: _read_buffer(v, p, network)) for name in buffers}
    )


def _read_buffer(value: object, path: str, network: NetworkSpec) -> tuple[Arrays, Arrays]:
    section = JsonObject(value, path, ("weights", "biases"))
    return (
        section.read("weights", _parameter_arrays(network, "weights")),
        section.read("biases", _parameter_arrays(network, "biases")),
    )


def _read_regularization(value: object, path: str) -> RegularizationSpec:
    section = JsonObject(value, path, ("kind", "rate"))
    default = RegularizationSpec()
    return RegularizationSpec(
        kind=section.read("kind", choice(REGULARIZATIONS), default.kind),
        rate=section.read("rate", number(0), default.rate),
    )
