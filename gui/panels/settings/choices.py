"""What the settings panel offers: the label of each choice, and the ladders its number arrows step along.

Activation labels come from their one home in core (`activations.REGISTRY`), as feature labels do
(`display.names.feature_label`); the rest are the panel's own wording.
"""

from __future__ import annotations

from backprop_studio.core.nn.activations import REGISTRY
from backprop_studio.core.spec import ACTIVATIONS, CLASSIFICATION_GENERATORS, GENERATORS

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
