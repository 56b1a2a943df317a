"""The Data section offers the shipped data sets and standardization, as a person clicks them."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace

from backprop_studio.core.spec import DataSpec, LayerSpec, NetworkSpec, TrainingSpec
from PySide6.QtCore import QPoint, Qt

from tests.gui.panels.settings import test_panel as base
from tests.gui.panels.settings.test_panel import DATA, NETWORK, TRAINING, type_number

# The settings panel's own fixtures: a fresh panel, what it emits, a combo pick as a person clicks it.
panel, emitted, select = base.panel, base.emitted, base.select


def test_every_shipped_data_set_is_offered_with_its_size(panel):
    combo = panel.data_form.kind_combo
    for name, text in (
        ("iris", "150 × 4"),
        ("wine", "178 × 13"),
        ("breast_cancer", "569 × 30"),
        ("digits", "1,797 × 64"),
    ):
        index = combo.findData(name)
        assert index >= 0 and text in combo.itemText(index)
        assert "CC BY 4.0" in combo.itemData(index, Qt.ItemDataRole.ToolTipRole)


def test_choosing_iris_fixes_four_inputs_and_three_outputs(panel, emitted, select):
    select(panel.data_form.kind_combo, "iris")

    network, _, data = emitted.last
    assert data.kind == "iris" and network.inputs == 4
    assert network.layers[-1].units == 3
    form = panel.data_form
    assert not form.samples_spin.isVisibleTo(panel) and not form.noise_row.isVisibleTo(panel)
    assert form.train_spin.isVisibleTo(panel) and form.seed.isVisibleTo(panel)
    assert "150 samples, 4 features, 3 classes" in form.source_label.text()
    assert "4 inputs" in panel.network_form.fixed_inputs_label.text()
    assert not panel.network_form.features_widget.isVisibleTo(panel)


def test_digits_with_cross_entropy_get_ten_softmax_units(panel, emitted, select):
    select(panel.data_form.kind_combo, "digits")
    select(panel.training_form.loss_combo, "cross_entropy")

    network, _, data = emitted.last
    assert (data.kind, network.inputs, network.layers[-1]) == ("digits", 64, LayerSpec(10, "softmax"))


def test_ticking_standardize_emits_standardized_data(panel, emitted, qtbot):
    box = panel.data_form.standardize_box
    assert not box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))  # on its tick box

    assert emitted.last[2].standardize is True
    assert emitted.last[2].kind == "circle"


def test_a_projects_statistics_stay_until_its_data_changes(panel, emitted, qtbot, select):
    stats = {"feature_mean": (0.5, -0.25), "feature_std": (2.0, 3.0)}
    data = replace(DATA, standardize=True, **stats)
    panel.set_specs(NETWORK, TRAINING, data)
    select(panel.training_form.loss_combo, "bce")  # not a data change: the statistics are kept
    assert emitted.last[2].feature_mean == stats["feature_mean"]
    assert emitted.last[2].feature_std == stats["feature_std"]

    type_number(qtbot, panel.data_form.seed.edit, "5")  # another split: they are computed afresh
    assert emitted.last[2].seed == 5
    assert emitted.last[2].feature_mean is None and emitted.last[2].feature_std is None


def test_a_shipped_set_is_shown_as_set(panel):
    data = DataSpec(kind="wine", train_fraction=0.7, seed=3, standardize=True)
    network = NetworkSpec(13, (LayerSpec(8, "tanh"), LayerSpec(3, "softmax")))
    panel.set_specs(network, TrainingSpec(loss="cross_entropy"), data)

    form = panel.data_form
    assert form.kind_combo.currentData() == "wine"
    assert form.standardize_box.isChecked()
    assert form.train_spin.value() == 70 and form.seed.seed() == 3
    assert panel.error_label.isHidden()
