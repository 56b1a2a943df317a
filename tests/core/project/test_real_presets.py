"""The shipped-data presets train to the accuracy their descriptions promise (with their own seeds)."""

from __future__ import annotations

import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import open_session

# (preset, architecture, lowest test accuracy the description claims for any seed)
CLAIMS = [
    ("iris", (4, 8, 3), 0.91),
    ("wine", (13, 8, 3), 0.94),
    ("breast-cancer", (30, 16, 1), 0.98),
    ("digits", (64, 32, 10), 0.96),
]


@pytest.mark.parametrize(("name", "sizes", "floor"), CLAIMS)
def test_a_real_data_preset_reaches_its_stated_accuracy(name, sizes, floor):
    project = load_preset(name)
    assert project.network.sizes == sizes
    assert project.data.kind == name.replace("-", "_") and project.data.standardize
    session = open_session(project)
    session.run_epochs(project.training.epochs)
    history = session.history()
    assert history.test_accuracy[-1] >= floor
    assert f"{round(floor * 100)}" in project.description
