"""A small tanh–sigmoid session for the teaching tests, and reading numbers back out of sentences."""

from __future__ import annotations

import re

import numpy as np
from backprop_studio.core.display.numbers import parse_number

from tests.engine_helpers import dataset, network, session, training

NUMBER = r"([−\-]?[0-9][0-9.]*(?:e[−\-]?[0-9]+)?)"


def small_session(optimizer: str = "sgd", loss: str = "mse", layers=((3, "tanh"), (2, "sigmoid"))):
    """2 inputs → 3 tanh → 2 sigmoid, batches of 4, learning rate 0.1."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=(12, 2))
    y = (rng.random(size=(12, layers[-1][0])) > 0.5).astype(float)
    return session(network(2, *layers), training(loss=loss, optimizer=optimizer, lr=0.1), dataset(x, y))


def number_after(text: str, label: str) -> float:
    """The number written for `label` in `text`: after "label = " (the last "= …" of a chain such as
    "a = tanh(z) = 0.68", up to the next comma or semicolon), or right after a label like "w becomes"."""
    if not label.endswith("becomes"):
        label += " ="
    match = re.search(r"(?:^|[\s(])" + re.escape(label) + r" ([^,;]*)", text)
    assert match, f"no {label!r} in {text!r}"
    chunk = match.group(1).split("= ")[-1]
    found = re.match(NUMBER, chunk)
    assert found, f"no number for {label!r} in {chunk!r}"
    value = parse_number(found.group(1).rstrip("."))
    assert value is not None
    return value


def close(shown: float, value: float) -> bool:
    """A 3-significant-digit text of `value` reads back within half a unit of its last digit."""
    return abs(shown - value) <= 0.005 * abs(value) + 1e-12
