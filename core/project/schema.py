"""The keys a project file may hold, section by section (docs/FILE_FORMAT.md), shared by reader and writer."""

from __future__ import annotations

from dataclasses import fields

from backprop_studio.core.spec import REAL_DATASETS, DataSpec
from backprop_studio.core.training.snapshot import History

FORMAT = "backprop-studio"
VERSION = 1

TOP_KEYS = (
    "format",
    "version",
    "name",
    "description",
    "network",
    "training",
    "data",
    "history",
    "breakpoints",
    "pinned_runs",
)
NETWORK_KEYS = ("inputs", "layers", "init", "weights", "biases")
TRAINING_KEYS = (
    "loss",
    "optimizer",
    "batch_size",
    "shuffle",
    "update_biases",
    "seed",
    "epochs",
    "epochs_completed",
    "regularization",
)
OPTIMIZER_KEYS = ("name", "learning_rate", "momentum", "beta1", "beta2", "epsilon", "state")
DATA_KEYS = tuple(f.name for f in fields(DataSpec))
HISTORY_KEYS = tuple(f.name for f in fields(History))
# `history.numbers`: the epoch or batch numbers of a series whose old points were merged (the budget).
HISTORY_FILE_KEYS = (*HISTORY_KEYS, "numbers")
GENERATOR_KEYS = ("samples", "noise", "train_fraction", "seed", "features")
# The data keys a file always spells out for each kind; any other key is written only when it differs
# from its default, so a save/load round trip is exact even for values the kind does not use.
DATA_KEYS_SHOWN = {
    "inline": ("x", "y", "x_test", "y_test"),
    "csv": ("path", "train_fraction", "seed"),
    "spiral": (*GENERATOR_KEYS, "classes"),
    **{name: ("train_fraction", "seed", "standardize") for name in REAL_DATASETS},
}
