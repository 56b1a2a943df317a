import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from backprop_studio.core.data.build import build_dataset
from backprop_studio.core.spec import (
    DataSpec,
    LayerSpec,
    NetworkSpec,
    OptimizerSpec,
    TrainingSpec,
    check_architecture,
)
from backprop_studio.gui.panels.settings.panel import ArchitecturePanel
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

NETWORK = NetworkSpec(2, (LayerSpec(4, "tanh"), LayerSpec(2, "tanh"), LayerSpec(1, "tanh")))
TRAINING = TrainingSpec(loss="mse", optimizer=OptimizerSpec("sgd", 0.03), batch_size=10)
DATA = DataSpec(kind="circle", samples=200, features=("x1", "x2"))
PAUSE_MS = 250  # longer than a slow typist's pause between keys
XOR_INLINE = DataSpec(
    kind="inline",
    x=((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)),
    y=((0.0,), (1.0,), (1.0,), (0.0,)),
)


class Emissions(list):
    """Every (network, training, data) the panel emitted, each checked the way the controller will use it."""

    def __init__(self) -> None:
        super().__init__()
        self.failures: list[str] = []

    def record(self, network: NetworkSpec, training: TrainingSpec, data: DataSpec) -> None:
        try:
            check_architecture(network, training)
            if data.kind != "csv":
                build_dataset(data, network, training.loss)
        except Exception as error:  # recorded, not raised: a slot's exception would be lost in Qt
            self.failures.append(f"{type(error).__name__}: {error}")
        self.append((network, training, data))

    @property
    def last(self) -> tuple[NetworkSpec, TrainingSpec, DataSpec]:
        return self[-1]


@pytest.fixture
def panel(qtbot):
    panel = ArchitecturePanel()
    qtbot.addWidget(panel)
    panel.set_specs(NETWORK, TRAINING, DATA)
    return panel


@pytest.fixture
def emitted(panel):
    emissions = Emissions()
    panel.specs_changed.connect(emissions.record)
    yield emissions
    assert emissions.failures == [], "the panel emitted specs that cannot train"


@pytest.fixture
def select(qtbot):
    """Open a combo box's list and click the item whose data is `value`, as a person does."""

    def pick(combo, value):
        combo.showPopup()
        view = combo.view()
        index = view.model().index(combo.findData(value), 0)
        view.scrollTo(index)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())

    return pick


def toggle(qtbot, box):
    """Tick or untick a check box from the keyboard (Space), as a person tabbing through the panel does."""
    qtbot.keyClick(box, Qt.Key.Key_Space)


def type_number(qtbot, spin, text):
    """Select the field's text, type `text` and press Enter."""
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Enter)


def test_clicking_add_layer_emits_specs_with_one_more_hidden_layer(panel, emitted, qtbot):
    qtbot.mouseClick(panel.add_layer_button, Qt.MouseButton.LeftButton)

    network = emitted.last[0]
    assert len(emitted) == 1
    assert len(network.layers) == len(NETWORK.layers) + 1
    assert network.layers[-1] == NETWORK.layers[-1]  # the output layer stays last


def test_removing_hidden_layers_works_down_to_none(panel, emitted, qtbot):
    qtbot.mouseClick(panel.network_form.hidden_rows[0].remove, Qt.MouseButton.LeftButton)
    assert emitted.last[0].sizes == (2, 2, 1)

    qtbot.mouseClick(panel.network_form.hidden_rows[0].remove, Qt.MouseButton.LeftButton)
    assert emitted.last[0].sizes == (2, 1)
    assert panel.network_form.hidden_rows == []
    assert panel.network_form.output_row.number.text() == "1"


def test_plus_and_minus_change_units_at_once(panel, emitted, qtbot):
    qtbot.mouseClick(panel.network_form.hidden_rows[0].plus, Qt.MouseButton.LeftButton)
    assert emitted.last[0].layers[0].units == 5

    qtbot.mouseClick(panel.network_form.hidden_rows[1].minus, Qt.MouseButton.LeftButton)
    assert emitted.last[0].layers[1].units == 1


def test_typed_units_are_applied_once_on_enter_and_never_while_typing(panel, emitted, qtbot):
    units = panel.network_form.hidden_rows[0].units
    units.lineEdit().selectAll()
    qtbot.keyClicks(units, "12")
    qtbot.wait(PAUSE_MS * 2)
    assert emitted == []  # nothing while typing, however long the pause

    qtbot.keyClick(units, Qt.Key.Key_Enter)
    assert len(emitted) == 1
    assert emitted.last[0].layers[0].units == 12
    qtbot.wait(PAUSE_MS * 2)
    assert len(emitted) == 1


def test_changing_a_hidden_activation_emits(panel, emitted, select):
    select(panel.network_form.hidden_rows[1].activation, "relu")

    assert emitted.last[0].activations == ("tanh", "relu", "tanh")


def test_hidden_layers_do_not_offer_softmax(panel):
    combo = panel.network_form.hidden_rows[0].activation
    assert combo.findData("softmax") == -1
    assert panel.network_form.output_row.activation.findData("softmax") >= 0


def test_set_specs_does_not_emit(panel, emitted, qtbot):
    other = NetworkSpec(2, (LayerSpec(8, "relu"), LayerSpec(1, "sigmoid")))
    panel.set_specs(other, TrainingSpec(loss="bce"), DATA)
    qtbot.wait(PAUSE_MS * 2)

    assert emitted == []
    assert panel.specs() == (other, TrainingSpec(loss="bce"), DATA)
    assert [row.units.value() for row in panel.network_form.hidden_rows] == [8]


def test_choosing_bce_with_a_tanh_output_switches_the_output_to_sigmoid(panel, emitted, select):
    select(panel.training_form.loss_combo, "bce")

    network, training, _ = emitted.last
    assert training.loss == "bce"
    assert network.layers[-1].activation == "sigmoid"
    assert panel.note_label.isVisibleTo(panel)


def test_choosing_cross_entropy_makes_a_softmax_output_with_one_unit_per_class(panel, emitted, select, qtbot):
    select(panel.data_form.kind_combo, "spiral")
    type_number(qtbot, panel.data_form.classes_spin, "3")
    select(panel.training_form.loss_combo, "cross_entropy")

    network, training, data = emitted.last
    assert training.loss == "cross_entropy"
    assert network.layers[-1] == LayerSpec(3, "softmax")
    assert data.classes == 3


def test_choosing_a_softmax_output_switches_the_loss_to_cross_entropy(panel, emitted, select):
    select(panel.network_form.output_row.activation, "softmax")

    network, training, _ = emitted.last
    assert training.loss == "cross_entropy"
    assert network.layers[-1] == LayerSpec(2, "softmax")  # circle data has 2 classes


def test_more_spiral_arms_grow_a_softmax_output_to_match(panel, emitted, qtbot, select):
    select(panel.data_form.kind_combo, "spiral")
    select(panel.network_form.output_row.activation, "softmax")
    type_number(qtbot, panel.data_form.classes_spin, "5")
    qtbot.waitUntil(lambda: emitted.last[2].classes == 5, timeout=PAUSE_MS * 8)

    assert emitted.last[0].layers[-1] == LayerSpec(5, "softmax")


def test_regression_data_switches_to_a_single_linear_output_and_mse(panel, emitted, select):
    select(panel.training_form.loss_combo, "cross_entropy")
    select(panel.data_form.kind_combo, "plane")

    network, training, data = emitted.last
    assert data.kind == "plane"
    assert training.loss == "mse"
    assert network.layers[-1] == LayerSpec(1, "linear")


def test_an_impossible_choice_is_explained_and_nothing_is_emitted(panel, emitted, select):
    select(panel.data_form.kind_combo, "plane")
    before = panel.specs()
    select(panel.training_form.loss_combo, "bce")  # plane is regression data: bce cannot fit it

    assert panel.error_label.isVisibleTo(panel)
    assert "mse" in panel.error_label.text()
    assert panel.specs() == before
    assert emitted.last[2].kind == "plane" and emitted.last[1].loss == "mse"

    select(panel.training_form.loss_combo, "mse")
    assert not panel.error_label.isVisibleTo(panel)


def test_every_emitted_spec_passes_check_architecture_through_a_run_of_edits(panel, emitted, qtbot, select):
    select(panel.network_form.output_row.activation, "relu")
    select(panel.training_form.loss_combo, "bce")
    select(panel.network_form.output_row.activation, "softmax")
    select(panel.training_form.loss_combo, "mse")
    select(panel.data_form.kind_combo, "spiral")
    type_number(qtbot, panel.data_form.classes_spin, "4")
    select(panel.training_form.loss_combo, "cross_entropy")
    select(panel.network_form.output_row.activation, "tanh")
    select(panel.data_form.kind_combo, "multi_gaussian")
    select(panel.network_form.output_row.activation, "sigmoid")
    select(panel.training_form.loss_combo, "bce")
    select(panel.data_form.kind_combo, "xor")
    for row in list(panel.network_form.hidden_rows):
        qtbot.mouseClick(row.remove, Qt.MouseButton.LeftButton)
    qtbot.wait(PAUSE_MS * 2)

    assert len(emitted) >= 5
    # The `emitted` fixture fails the test if any of them could not train.


def test_toggling_features_changes_inputs(panel, emitted, qtbot):
    toggle(qtbot, panel.network_form.feature_boxes["x1^2"])
    network, _, data = emitted.last
    assert network.inputs == 3
    assert data.features == ("x1", "x2", "x1^2")

    toggle(qtbot, panel.network_form.feature_boxes["x1"])
    network, _, data = emitted.last
    assert network.inputs == 2
    assert data.features == ("x2", "x1^2")


def test_unticking_every_feature_is_refused_with_a_message(panel, emitted, qtbot):
    toggle(qtbot, panel.network_form.feature_boxes["x1"])
    toggle(qtbot, panel.network_form.feature_boxes["x2"])

    assert len(emitted) == 1  # only the first untick, which left x2
    assert "at least one input feature" in panel.error_label.text()
    assert panel.specs()[0].inputs == 1


def test_optimizer_specific_fields_appear_and_disappear(panel, select):
    def shown(widget):
        return widget.isVisibleTo(panel)

    assert not shown(panel.training_form.momentum) and not shown(panel.training_form.beta1)

    select(panel.training_form.optimizer_combo, "momentum")
    assert shown(panel.training_form.momentum)
    assert not any(
        shown(box)
        for box in (panel.training_form.beta1, panel.training_form.beta2, panel.training_form.epsilon)
    )

    select(panel.training_form.optimizer_combo, "adam")
    assert not shown(panel.training_form.momentum)
    assert all(
        shown(box)
        for box in (panel.training_form.beta1, panel.training_form.beta2, panel.training_form.epsilon)
    )

    select(panel.training_form.optimizer_combo, "sgd")
    assert not any(
        shown(box)
        for box in (
            panel.training_form.momentum,
            panel.training_form.beta1,
            panel.training_form.beta2,
            panel.training_form.epsilon,
        )
    )


def test_initialization_fields_show_only_for_their_kind(panel, select):
    def shown(widget):
        return widget.isVisibleTo(panel)

    select(panel.network_form.init_combo, "normal")
    assert (
        shown(panel.network_form.std_box)
        and not shown(panel.network_form.low_box)
        and not shown(panel.network_form.value_box)
    )
    select(panel.network_form.init_combo, "uniform")
    assert (
        shown(panel.network_form.low_box)
        and shown(panel.network_form.high_box)
        and not shown(panel.network_form.std_box)
    )
    select(panel.network_form.init_combo, "constant")
    assert shown(panel.network_form.value_box) and not shown(panel.network_form.low_box)
    assert shown(panel.network_form.bias_box)


def test_learning_rate_arrows_step_through_common_rates_and_any_rate_can_be_typed(panel, emitted, qtbot):
    qtbot.keyClick(panel.training_form.learning_rate, Qt.Key.Key_Up)
    assert panel.training_form.learning_rate.value() == pytest.approx(0.1)
    qtbot.keyClick(panel.training_form.learning_rate, Qt.Key.Key_Down)
    qtbot.keyClick(panel.training_form.learning_rate, Qt.Key.Key_Down)
    assert panel.training_form.learning_rate.value() == pytest.approx(0.01)

    type_number(qtbot, panel.training_form.learning_rate, "2.5e-4")
    qtbot.waitUntil(lambda: bool(emitted) and emitted.last[1].optimizer.learning_rate == 2.5e-4, timeout=2000)


def test_values_the_widgets_cannot_show_exactly_survive_other_edits(panel, emitted, select):
    training = TrainingSpec(optimizer=OptimizerSpec("sgd", 1.23456789e-5), seed=2**40)
    data = DataSpec(kind="circle", train_fraction=0.333, noise=0.125)
    panel.set_specs(NETWORK, training, data)

    select(panel.network_form.hidden_rows[0].activation, "relu")

    _, emitted_training, emitted_data = emitted.last
    assert emitted_training.optimizer.learning_rate == 1.23456789e-5
    assert emitted_training.seed == 2**40
    assert emitted_data.train_fraction == 0.333
    assert emitted_data.noise == 0.125


def test_randomize_gives_a_new_seed(panel, emitted, qtbot, monkeypatch):
    monkeypatch.setattr("backprop_studio.core.spec.random.randrange", lambda _n: 4242)
    qtbot.mouseClick(panel.network_form.seed.button, Qt.MouseButton.LeftButton)

    assert emitted.last[1].seed == 4242


def test_inline_data_fixes_the_inputs_and_shows_them_read_only(panel, emitted, select):
    panel.set_specs(NetworkSpec(2, (LayerSpec(1, "sigmoid"),)), TrainingSpec(loss="bce"), XOR_INLINE)

    assert not panel.network_form.features_widget.isVisibleTo(panel)
    assert panel.network_form.fixed_inputs_label.isVisibleTo(panel)
    assert "2 inputs" in panel.network_form.fixed_inputs_label.text()
    assert panel.data_form.kind_combo.findData("inline") >= 0

    select(panel.data_form.kind_combo, "xor")
    assert emitted.last[2].kind == "xor" and emitted.last[0].inputs == 2
    panel.set_specs(*emitted.last)  # the controller echoing the change back keeps inline on offer
    select(panel.data_form.kind_combo, "inline")
    assert emitted.last[2] == XOR_INLINE


def test_structural_edits_are_locked_while_training_plays(panel):
    panel.set_enabled_while_playing(True)
    assert not panel.add_layer_button.isEnabled()
    assert not panel.training_form.loss_combo.isEnabled()
    assert not panel.data_form.kind_combo.isEnabled()
    assert (
        panel.training_form.learning_rate.isEnabled()
    )  # a running session takes a new rate from the next batch
    assert panel.lock_label.isVisibleTo(panel)

    panel.set_enabled_while_playing(False)
    assert panel.add_layer_button.isEnabled() and panel.training_form.loss_combo.isEnabled()
    assert not panel.lock_label.isVisibleTo(panel)


def test_accepting_the_csv_dialog_requests_an_import_and_changes_nothing_yet(panel, emitted, qtbot):
    qtbot.mouseClick(panel.data_form.csv_button, Qt.MouseButton.LeftButton)
    dialog = panel.csv_dialog
    qtbot.keyClicks(dialog.path_edit, "/tmp/points.csv")
    qtbot.keyClicks(dialog.targets_edit, "label")

    with qtbot.waitSignal(panel.csv_import_requested) as request:
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    assert request.args[0]["path"] == "/tmp/points.csv"
    assert request.args[0]["targets"] == ("label",)
    assert emitted == []


def test_choosing_csv_in_the_data_set_list_opens_the_dialog_and_keeps_the_current_data(
    panel, emitted, select, qtbot
):
    select(panel.data_form.kind_combo, "csv…")

    assert panel.csv_dialog is not None and panel.csv_dialog.isVisible()
    assert panel.data_form.kind_combo.currentData() == "circle"
    cancel = panel.csv_dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not panel.csv_dialog.isVisible()
    assert emitted == []


def test_scrolling_the_panel_over_a_field_does_not_change_it(panel, emitted):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    box = panel.training_form.learning_rate
    wheel = QWheelEvent(
        QPointF(5, 5),
        QPointF(box.mapToGlobal(QPoint(5, 5))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(box, wheel)

    assert box.value() == pytest.approx(0.03)


def test_a_section_folds_away_and_back(panel, qtbot):
    section = panel.training_form.section
    qtbot.mouseClick(section.toggle, Qt.MouseButton.LeftButton)
    assert not section.body.isVisibleTo(panel)
    qtbot.mouseClick(section.toggle, Qt.MouseButton.LeftButton)
    assert section.body.isVisibleTo(panel)


# ---- checks decided from the specs (core.spec_rules) ---------------------------------------------------


def test_edits_are_checked_without_drawing_samples(panel, select, qtbot, monkeypatch):
    from backprop_studio.core.data import build

    draws = []
    real = build.generate

    def counting(*args, **kwargs):
        draws.append(args[:2])  # (kind, samples)
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "generate", counting)
    emissions = []
    panel.specs_changed.connect(lambda *specs: emissions.append(specs))
    qtbot.mouseClick(panel.add_layer_button, Qt.MouseButton.LeftButton)
    select(panel.training_form.loss_combo, "bce")
    select(panel.data_form.kind_combo, "spiral")

    assert len(emissions) == 3
    assert draws == [], "the panel drew samples to check an edit"


def test_an_emptied_seed_is_explained_and_a_whole_one_applied(panel, emitted, qtbot):
    seed = panel.network_form.seed.edit
    seed.lineEdit().selectAll()
    qtbot.keyClick(seed, Qt.Key.Key_Backspace)
    qtbot.keyClick(seed, Qt.Key.Key_Enter)
    assert panel.error_label.isVisibleTo(panel)
    assert "Seed must be a whole number from 0 to 18446744073709551615" in panel.error_label.text()
    assert emitted == []

    qtbot.keyClicks(seed, "7")
    qtbot.keyClick(seed, Qt.Key.Key_Enter)
    assert emitted.last[1].seed == 7
    assert not panel.error_label.isVisibleTo(panel)


def test_a_seed_with_letters_stays_as_typed_and_is_refused(panel, emitted, qtbot):
    seed = panel.network_form.seed.edit
    type_number(qtbot, seed, "12ab3")
    assert seed.text_shown() == "12ab3"  # not silently turned into 123
    assert seed.property("invalid") is True
    assert emitted == []


def test_randomize_gives_a_new_data_seed(panel, emitted, qtbot, monkeypatch):
    monkeypatch.setattr("backprop_studio.core.spec.random.randrange", lambda _n: 77)
    qtbot.mouseClick(panel.data_form.seed.button, Qt.MouseButton.LeftButton)

    assert emitted.last[2].seed == 77
    assert emitted.last[1].seed == TRAINING.seed  # the training seed is a different field


def test_a_typed_learning_rate_with_a_stray_letter_is_refused_not_trimmed(panel, emitted, qtbot):
    box = panel.training_form.learning_rate
    type_number(qtbot, box, "1e-3x")
    assert emitted == []
    assert box.text_shown() == "1e-3x"
    assert "Learning rate must be a number from 1e-07 to 10" in panel.error_label.text()


def write_iris(folder) -> str:
    path = os.path.join(folder, "iris.csv")
    species = ("setosa", "versicolor", "virginica")
    with open(path, "w", encoding="utf-8") as file:
        file.write("length,width,species\n")
        for k in range(9):
            file.write(f"{k}.5,{k}.25,{species[k % 3]}\n")
    return path


def test_a_csv_file_is_read_once_and_its_classes_refuse_a_wrong_output(panel, qtbot, tmp_path, monkeypatch):
    from backprop_studio.core import spec_rules

    reads = []
    real = spec_rules.tables.read_csv
    monkeypatch.setattr(spec_rules.tables, "read_csv", lambda *args: reads.append(args) or real(*args))
    spec_rules.forget_tables()
    data = DataSpec(kind="csv", path=write_iris(tmp_path), one_hot="species", train_fraction=0.8)
    network = NetworkSpec(2, (LayerSpec(4, "tanh"), LayerSpec(3, "softmax")))
    panel.set_specs(network, TrainingSpec(loss="cross_entropy"), data)
    emissions = []
    panel.specs_changed.connect(lambda *specs: emissions.append(specs))

    qtbot.mouseClick(panel.network_form.hidden_rows[0].plus, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.add_layer_button, Qt.MouseButton.LeftButton)
    assert len(emissions) == 2 and not panel.error_label.isVisibleTo(panel)

    qtbot.mouseClick(panel.network_form.output_row.minus, Qt.MouseButton.LeftButton)  # 2 units, 3 classes
    assert len(emissions) == 2
    assert "3 classes" in panel.error_label.text()
    assert len(reads) == 1


def test_a_csv_files_name_and_columns_show_as_plain_text_in_the_panel(panel, tmp_path):
    folder = tmp_path / "<b>bold"  # a folder cannot hold the "/" of "</b>"
    folder.mkdir()
    path = folder / "data.csv"
    path.write_text(
        '<i>a</i>,b,<a href="http://x">y</a>\n' + "".join(f"{k},{k + 1},{k % 2}\n" for k in range(8))
    )
    data = DataSpec(kind="csv", path=str(path), targets=('<a href="http://x">y</a>',), train_fraction=0.5)
    panel.set_specs(
        NetworkSpec(2, (LayerSpec(3, "tanh"), LayerSpec(1, "sigmoid"))), TrainingSpec(loss="bce"), data
    )
    source = panel.data_form.source_label
    assert source.textFormat() == Qt.TextFormat.PlainText
    assert "<b>bold" in source.text() and '<a href="http://x">y</a>' in source.text()
    fixed = panel.network_form.fixed_inputs_label
    assert fixed.textFormat() == Qt.TextFormat.PlainText
