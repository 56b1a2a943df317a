"""What the settings panel offers: the label of each choice, the range of each number field, and the ladders
its number arrows step along.

Activation labels come from their one home in core (`activations.REGISTRY`), as feature labels do
(`display.names.feature_label`); the rest are the panel's own wording.
"""

from __future__ import annotations

from typing import NamedTuple

from backprop_studio.core.data.generators import MAX_CLASSES, MAX_SAMPLES
from backprop_studio.core.display.numbers import minus_signs
from backprop_studio.core.nn.activations import REGISTRY
from backprop_studio.core.spec import ACTIVATIONS, CLASSIFICATION_GENERATORS, GENERATORS, MAX_SEED

MAX_UNITS = 512
MAX_HIDDEN_LAYERS = 10  # more than the canvas can draw legibly at lecture size

HIDDEN_ACTIVATIONS = tuple(name for name in ACTIVATIONS if name != "softmax")
REGRESSION_GENERATORS = tuple(kind for kind in GENERATORS if kind not in CLASSIFICATION_GENERATORS)
NEW_CSV = "csv…"  # the data-kind entry that opens the import dialog rather than selecting a kind

ACTIVATION_LABELS = {name: REGISTRY[name].label for name in ACTIVATIONS}
LOSS_LABELS = {"mse": "Mean squared error", "bce": "Binary cross-entropy", "cross_entropy": "Cross-entropy"}
OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "SGD with momentum", "adam": "Adam"}
REGULARIZATION_LABELS = {"none": "None", "l1": "L1", "l2": "L2"}
INIT_LABELS = {
    "xavier_uniform": "Xavier uniform",
    "he_normal": "He normal",
    "normal": "Normal",
    "uniform": "Uniform",
    "zeros": "Zeros",
    "constant": "Constant",
}
GENERATOR_LABELS = {
    "circle": "Circle",
    "xor": "XOR",
    "gaussian": "Two Gaussians",
    "spiral": "Spiral",
    "plane": "Plane (regression)",
    "multi_gaussian": "Multi-Gaussian (regression)",
}
# Grouped as Playground shows them: the raw coordinates, their products, their sines.
FEATURE_GRID = (("x1", "x2"), ("x1^2", "x2^2", "x1*x2"), ("sin(x1)", "sin(x2)"))

LEARNING_RATES = (0.00001, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
MOMENTA = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999)
BETA2S = (0.9, 0.99, 0.999, 0.9999)
EPSILONS = (1e-10, 1e-8, 1e-7, 1e-6, 1e-4)


class FieldRange(NamedTuple):
    """What a number field accepts: `low` ≤ value ≤ `high`, a whole number if `whole`. `name` starts the
    message that refuses anything else ("Learning rate must be a number from 1e-07 to 10; …")."""

    name: str
    low: float
    high: float
    whole: bool = False

    def sentence(self, high: float | None = None, why: str = "") -> str:
        """ "Units must be a whole number from 1 to 512; nothing was changed." (`high` and `why` narrow it.)"""
        kind = "a whole number" if self.whole else "a number"
        top = self.high if high is None else high
        return (
            f"{self.name} must be {kind} from {_bound(self.low)} to {_bound(top)}{why}; nothing was changed."
        )


def _bound(value: float) -> str:
    # Whole bounds in full (a seed's 18446744073709551615), the rest as short as Python writes them (1e-07).
    text = str(int(value)) if (float(value).is_integer() and abs(value) >= 1) or value == 0 else f"{value:g}"
    return minus_signs(text) if value < 0 else text  # a true minus in front, the exponent's "e-07" kept


# The one table of what each number field accepts. Samples, classes and seeds are core's own limits (the
# file reader refuses the same); the optimizer, initialization and layer ranges are the panel's, wide
# enough for any lesson, since a project file may hold any finite value there and is shown as written.
RANGES = {
    "learning_rate": FieldRange("Learning rate", 1e-7, 10.0),
    "momentum": FieldRange("Momentum", 0.0, 0.999999),
    "beta1": FieldRange("β₁", 0.0, 0.999999),
    "beta2": FieldRange("β₂", 0.0, 0.999999),
    "epsilon": FieldRange("ε", 1e-15, 1.0),
    "regularization_rate": FieldRange("Regularization rate", 0.0, 10.0),
    "batch_size": FieldRange("Batch size", 1, MAX_SAMPLES, whole=True),
    "units": FieldRange("Units", 1, MAX_UNITS, whole=True),
    "std": FieldRange("Std. dev.", 0.0, 100.0),
    "low": FieldRange("Low", -100.0, 100.0),
    "high": FieldRange("High", -100.0, 100.0),
    "value": FieldRange("Value", -100.0, 100.0),
    "bias": FieldRange("Biases", -100.0, 100.0),
    "seed": FieldRange("Seed", 0, MAX_SEED, whole=True),
    "data_seed": FieldRange("Data seed", 0, MAX_SEED, whole=True),
    "samples": FieldRange("Samples", 2, MAX_SAMPLES, whole=True),
    "classes": FieldRange("Classes", 2, MAX_CLASSES, whole=True),
    "train_share": FieldRange("Training share", 1, 100, whole=True),  # percent
}
NOISE_PERCENT = (0, 50)  # the noise slider, as core's 0 ≤ noise ≤ 0.5
