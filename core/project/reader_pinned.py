"""Reading a project document's `pinned_runs` section (docs/FILE_FORMAT.md): up to five runs to compare
with, each its label, settings summary and per-epoch train and test loss, every value checked and the
first problem named by its JSON path (`pinned_runs[1].train_loss[3]`)."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.analysis.pinned_runs import MAX_LABEL, MAX_PINNED, PinnedRun
from backprop_studio.core.analysis.run_diff import Scalar
from backprop_studio.core.limits import MAX_EPOCHS
from backprop_studio.core.project.reader_data import read_history
from backprop_studio.core.validators import Invalid, JsonObject, describe, is_number, join, json_list, string

PINNED_KEYS = ("label", "settings", "epochs", "train_loss", "test_loss")
MAX_SETTINGS = 200  # keys in one settings summary (a 100-layer network has about 120)


def read_pinned_runs(value: object, path: str) -> tuple[PinnedRun, ...]:
    items = json_list(value, path, "a list of pinned runs")
    if len(items) > MAX_PINNED:
        raise Invalid(path, f"at most {MAX_PINNED} pinned runs, found {len(items)}")
    return tuple(_read_run(item, f"{path}[{i}]") for i, item in enumerate(items))


def _read_run(value: object, path: str) -> PinnedRun:
    run = JsonObject(value, path, PINNED_KEYS)
    label = run.read("label", string)
    if len(label) > MAX_LABEL:
        raise Invalid(run.at("label"), f"at most {MAX_LABEL} characters, found {len(label)}")
    settings = run.read("settings", _settings)
    # The losses are checked as a history's are: non-negative numbers or null, one per epoch each.
    history = read_history({"train_loss": run.read("train_loss", json_list), **_test(run)}, path)
    n = len(history.train_loss)
    if n == 0:
        raise Invalid(run.at("train_loss"), "a pinned run needs at least one epoch")
    if n > MAX_EPOCHS:
        raise Invalid(run.at("train_loss"), f"at most {MAX_EPOCHS:,} epochs, found {n:,}")
    epochs = run.read("epochs", lambda v, p: _epochs(v, p, n), list(range(1, n + 1)))
    test = history.test_loss.values if len(history.test_loss) else np.full(n, np.nan)
    return PinnedRun(label, settings, epochs, history.train_loss.values, test)


def _test(run: JsonObject) -> dict[str, object]:
    return {"test_loss": run.value["test_loss"]} if "test_loss" in run.value else {}


def _settings(value: object, path: str) -> tuple[tuple[str, Scalar], ...]:
    """An object of short setting names to strings, numbers or booleans, in the file's order."""
    section = JsonObject(value, path, tuple(str(key) for key in value) if isinstance(value, dict) else ())
    if len(section.value) > MAX_SETTINGS:
        raise Invalid(path, f"at most {MAX_SETTINGS} settings, found {len(section.value)}")
    for key, item in section.value.items():
        if not (isinstance(item, (str, bool)) or is_number(item)):
            raise Invalid(join(path, key), f"expected a string, number or true/false, got {describe(item)}")
    return tuple(section.value.items())


def _epochs(value: object, path: str, n: int) -> list[int]:
    """1-based epoch numbers, increasing, one per loss value."""
    items = json_list(value, path, "a list of epoch numbers")
    if len(items) != n:
        raise Invalid(path, f"has {len(items)} epoch numbers but train_loss has {n} values")
    previous = 0
    for i, item in enumerate(items):
        if not (isinstance(item, int) and not isinstance(item, bool)) or not previous < item <= MAX_EPOCHS:
            raise Invalid(
                f"{path}[{i}]", f"expected an epoch number above {previous:,}, got {describe(item)}"
            )
        previous = item
    return items
