"""Which specs can train together, and the automatic fixes when one choice implies another.

`problem(network, training, data)` (checks.py) says in one sentence why a network, its training and its
data cannot train together (None when they can). It decides from the specs: the shapes a generator would
produce follow from its kind, features and classes (shape.py), so no sample is drawn; inline data is the
spec's own numbers, converted once: the worker that builds them hands the data set over (inline.py); a CSV file is read once per file, columns and modification time (tables.py), and
its target values are checked when the data set is built.

`coerce(specs, changed)` (fixes.py) makes the change a person meant when one choice settles another:
cross-entropy needs a softmax output with one unit per class, bce a sigmoid output, a softmax output
needs cross-entropy, regression data one linear output and mse. It returns the fixed specs and a note
for each fix, in words for the person who made the change.

This package's names below are its public entry point: the settings panel and the controller import
them from `backprop_studio.core.spec_rules`, whichever module holds them.

From the command line: `python -m backprop_studio.core.spec_rules project.json [--change loss=bce]`
(see `cli`).
"""

from backprop_studio.core.spec_rules.checks import problem
from backprop_studio.core.spec_rules.fixes import CHANGES, Specs, coerce
from backprop_studio.core.spec_rules.inline import forget_inline, remember_inline
from backprop_studio.core.spec_rules.shape import DataShape, data_shape, training_samples
from backprop_studio.core.spec_rules.tables import csv_table, forget_tables

__all__ = [
    "CHANGES",
    "DataShape",
    "Specs",
    "coerce",
    "csv_table",
    "data_shape",
    "forget_inline",
    "forget_tables",
    "problem",
    "remember_inline",
    "training_samples",
]
