"""What a project is made of, as plain immutable values: the network, its training and its data.

These specs are what the file format reads and writes and what the GUI edits; the arrays that
training produces (weights, optimizer state, history) live in `backprop_studio.core.nn.network` and `backprop_studio.core.training.session`.
Layer numbers in messages are 1-based (layer 1 is the first layer after the inputs); tuples are 0-based.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any

from backprop_studio.core.errors import ArchitectureError
from backprop_studio.core.limits import MAX_BATCH_SIZE, big, check_network_size
from backprop_studio.core.nn import activations

ACTIVATIONS = activations.NAMES  # one entry each in core/nn/activations.REGISTRY
LOSSES = ("mse", "bce", "cross_entropy")
OPTIMIZERS = ("sgd", "momentum", "adam")
REGULARIZATIONS = ("none", "l1", "l2")
WEIGHT_INITS = ("xavier_uniform", "he_normal", "normal", "uniform", "zeros", "constant")
GENERATORS = ("circle", "xor", "gaussian", "spiral", "plane", "multi_gaussian")
CLASSIFICATION_GENERATORS = ("circle", "xor", "gaussian", "spiral")
REAL_DATASETS = ("iris", "wine", "breast_cancer", "digits")  # shipped tables: core/data/datasets/
DATA_KINDS = (*GENERATORS, *REAL_DATASETS, "inline", "csv")
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
MAX_SEED = 2**64 - 1  # the widest seed both NumPy's SeedSequence and torch.manual_seed accept
NEW_SEED_RANGE = 100_000  # Randomize draws seeds below this: short enough to read out and type back


def new_seed(rng: random.Random | None = None) -> int:
    """A fresh seed for Randomize (window and command line alike), 0 ≤ seed < NEW_SEED_RANGE."""
    return rng.randrange(NEW_SEED_RANGE) if rng is not None else random.randrange(NEW_SEED_RANGE)


@dataclass(frozen=True)
class LayerSpec:
    units: int
    activation: str = "tanh"


@dataclass(frozen=True)
class InitSpec:
    """How weights and biases start. `std` is for `normal`, `low`/`high` for `uniform`, `value` for `constant`."""

    weights: str = "xavier_uniform"
    std: float = 0.1
    low: float = -0.5
    high: float = 0.5
    value: float = 0.0
    bias: float = 0.1


@dataclass(frozen=True)
class NetworkSpec:
    inputs: int
    layers: tuple[LayerSpec, ...]
    init: InitSpec = field(default_factory=InitSpec)

    @property
    def sizes(self) -> tuple[int, ...]:
        """(inputs, units of layer 1, …, units of layer L)."""
        return (self.inputs, *(layer.units for layer in self.layers))

    @property
    def activations(self) -> tuple[str, ...]:
        return tuple(layer.activation for layer in self.layers)

    @property
    def outputs(self) -> int:
        return self.layers[-1].units


@dataclass(frozen=True)
class OptimizerSpec:
    name: str = "sgd"
    learning_rate: float = 0.03
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8


@dataclass(frozen=True)
class RegularizationSpec:
    kind: str = "none"
    rate: float = 0.0


@dataclass(frozen=True)
class TrainingSpec:
    loss: str = "mse"
    optimizer: OptimizerSpec = field(default_factory=OptimizerSpec)
    batch_size: int = 10
    shuffle: bool = True
    seed: int = 0
    regularization: RegularizationSpec = field(default_factory=RegularizationSpec)
    epochs: int = 100  # how many epochs `train` runs by default
    # False holds every bias at its value: dL/db is still computed and shown, the update skips it
    # (Mazur's worked example keeps its biases fixed).
    update_biases: bool = True

    def with_optimizer(self, **changes: Any) -> TrainingSpec:
        """This spec with some OptimizerSpec fields changed (`learning_rate=0.1`)."""
        return replace(self, optimizer=replace(self.optimizer, **changes))


@dataclass(frozen=True)
class DataSpec:
    """Where the samples come from.

    Generators (`GENERATORS`) use samples/noise/train_fraction/seed/features (and `classes` for spiral).
    `inline` uses x/y (and optional x_test/y_test) exactly as given, as nested tuples of floats.
    `csv` reads `path` (relative paths are relative to the project file), taking `targets` as target
    columns, or one-hot encoding the class column `one_hot`; train_fraction and seed split it.
    The shipped tables (`REAL_DATASETS`: iris, wine, breast_cancer, digits) use train_fraction and seed
    (a split stratified by class).

    `standardize`: z-score each input feature with the mean and standard deviation of the training
    split, applied to train and test alike. `feature_mean` / `feature_std` are those statistics (the
    divisor is 1 for a feature that is constant in the training split) once computed, or as a file
    gives them; they follow from the rest of the spec, so they take no part in comparing specs.
    `image_shape` (rows, cols), for any kind, says the inputs are an image's pixels in row-major order
    (pixel i at row i // cols, column i % cols; rows * cols = network inputs); None: not an image.
    """

    kind: str = "circle"
    samples: int = 200
    noise: float = 0.0  # fraction, 0 … 0.5
    train_fraction: float = 0.5
    seed: int = 0
    features: tuple[str, ...] = ("x1", "x2")
    classes: int = 2
    x: tuple[tuple[float, ...], ...] | None = None
    y: tuple[tuple[float, ...], ...] | None = None
    x_test: tuple[tuple[float, ...], ...] | None = None
    y_test: tuple[tuple[float, ...], ...] | None = None
    path: str | None = None
    targets: tuple[str, ...] = ()
    one_hot: str | None = None
    standardize: bool = False
    feature_mean: tuple[float, ...] | None = field(default=None, compare=False)
    feature_std: tuple[float, ...] | None = field(default=None, compare=False)
    image_shape: tuple[int, int] | None = None


def check_architecture(network: NetworkSpec, training: TrainingSpec) -> None:
    """Refuse an impossible network or an incompatible loss/activation pair, naming the layer and why;
    and a network over the size limits (LimitError: core/limits.py) for one sample at a time (the data's
    size is checked where the data is known)."""
    if network.inputs < 1:
        raise ArchitectureError(f"the network needs at least 1 input, not {network.inputs}")
    if not network.layers:
        raise ArchitectureError("the network needs an output layer")
    last = len(network.layers)
    for number, layer in enumerate(network.layers, start=1):
        role = "output layer" if number == last else f"hidden layer {number}"
        if layer.units < 1:
            raise ArchitectureError(f"layer {number} ({role}) needs at least 1 unit, not {layer.units}")
        if layer.activation not in ACTIVATIONS:
            raise ArchitectureError(
                f"layer {number} ({role}): unknown activation {layer.activation!r}; "
                f"choose one of {', '.join(ACTIVATIONS)}"
            )
        if layer.activation == "softmax" and number != last:
            raise ArchitectureError(
                f"layer {number} ({role}): softmax is only allowed on the output layer (layer {last})"
            )
    check_network_size(network.sizes, rows=1)
    output = network.layers[-1]
    if output.activation == "softmax" and output.units < 2:
        raise ArchitectureError(
            f"layer {last} (output layer): softmax over 1 unit is always 1 and cannot learn; use 2 or more units"
        )
    if training.loss not in LOSSES:
        raise ArchitectureError(f"unknown loss {training.loss!r}; choose one of {', '.join(LOSSES)}")
    if training.loss == "bce" and output.activation != "sigmoid":
        raise ArchitectureError(
            f"layer {last} (output layer): loss bce needs a sigmoid output, not {output.activation}"
        )
    if training.loss == "cross_entropy" and output.activation != "softmax":
        raise ArchitectureError(
            f"layer {last} (output layer): loss cross_entropy needs a softmax output, not {output.activation}"
        )
    if training.loss == "mse" and output.activation == "softmax":
        raise ArchitectureError(
            f"layer {last} (output layer): softmax with mse learns poorly and is refused; "
            "use cross_entropy with softmax"
        )
    if not 1 <= training.batch_size <= MAX_BATCH_SIZE:
        raise ArchitectureError(
            f"batch size must be from 1 to {MAX_BATCH_SIZE:,} (the limit), not {big(training.batch_size)}"
        )
    if training.optimizer.name not in OPTIMIZERS:
        raise ArchitectureError(
            f"unknown optimizer {training.optimizer.name!r}; choose one of {', '.join(OPTIMIZERS)}"
        )
    if training.regularization.kind not in REGULARIZATIONS:
        raise ArchitectureError(
            f"unknown regularization {training.regularization.kind!r}; "
            f"choose one of {', '.join(REGULARIZATIONS)}"
        )
    if network.init.weights not in WEIGHT_INITS:
        raise ArchitectureError(
            f"unknown weight initialization {network.init.weights!r}; choose one of {', '.join(WEIGHT_INITS)}"
        )
