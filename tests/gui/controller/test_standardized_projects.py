"""A standardized project through the controller: saving writes its statistics, and a setting that is not
about the data (the learning rate) keeps the session, although the saved data now carries them."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.gui.controller.controller import StudioController


@pytest.fixture
def controller(qtbot):
    c = StudioController(load_preset("iris"))
    yield c
    c.pause()


def test_saving_writes_the_statistics_and_a_learning_rate_change_keeps_the_session(controller, tmp_path):
    session = controller.session_for_tests
    assert controller.save(str(tmp_path / "iris.json"))
    data = json.loads((tmp_path / "iris.json").read_text(encoding="utf-8"))["data"]
    assert data["feature_mean"] == session.dataset.feature_mean.tolist()
    assert data["feature_std"] == session.dataset.feature_std.tolist()

    project = controller.project
    # What the settings panel sends: the same data, without the statistics it never showed.
    unsaved_data = replace(project.data, feature_mean=None, feature_std=None)
    training = project.training.with_optimizer(learning_rate=0.05)
    assert controller.apply_specs(project.network, training, unsaved_data)
    assert controller.session_for_tests.dataset is session.dataset  # not rebuilt

    assert controller.apply_specs(project.network, training, replace(unsaved_data, seed=4))
    assert controller.session_for_tests.dataset is not session.dataset  # another split: rebuilt
