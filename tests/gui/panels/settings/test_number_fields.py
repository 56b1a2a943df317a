"""Every number field of the settings panel, typed into as a person does: select all, type, Enter (or Tab).

A bad entry (not a number, out of range, 1e400, a negative where none is allowed) stays as typed, turns
red, names the allowed range and changes nothing; a good one is applied exactly once. The expected
messages are written out here, not taken from the code's table.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import NamedTuple

import pytest
from backprop_studio.core.spec import (
    DataSpec,
    LayerSpec,
    NetworkSpec,
    OptimizerSpec,
    RegularizationSpec,
    TrainingSpec,
)
from backprop_studio.gui.panels.settings.panel import ArchitecturePanel
from PySide6.QtCore import Qt

# Adam, L2, spiral data and a softmax output: every number field of the panel has a row on show.
NETWORK = NetworkSpec(2, (LayerSpec(4, "tanh"), LayerSpec(2, "softmax")))
TRAINING = TrainingSpec(
    loss="cross_entropy",
    optimizer=OptimizerSpec("adam", 0.03),
    batch_size=10,
    regularization=RegularizationSpec("l2", 0.001),
)
DATA = DataSpec(kind="spiral", samples=200, features=("x1", "x2"), train_fraction=0.5)  # 100 training samples
MAX_SEED_TEXT = "18446744073709551615"


class Field(NamedTuple):
    name: str
    widget: object  # panel → the field
    good: str  # a valid entry
    applied: object  # (network, training, data) → the value the good entry must reach
    expected: float  # what `applied` must give for `good`
    too_big: str  # out of range
    message: str  # the refusal, as a person reads it
    negative_ok: bool = False  # a negative is in range (then "-0.25" is applied)


FIELDS = [
    Field(
        "learning rate",
        lambda p: p.training_form.learning_rate,
        "0.5",
        lambda n, t, d: t.optimizer.learning_rate,
        0.5,
        "100",
        "Learning rate must be a number from 1e-07 to 10; nothing was changed.",
    ),
    Field(
        "momentum",  # hidden while Adam is chosen, typed all the same
        lambda p: p.training_form.momentum,
        "0.5",
        lambda n, t, d: t.optimizer.momentum,
        0.5,
        "1.5",
        "Momentum must be a number from 0 to 0.999999; nothing was changed.",
    ),
    Field(
        "beta1",
        lambda p: p.training_form.beta1,
        "0.8",
        lambda n, t, d: t.optimizer.beta1,
        0.8,
        "1",
        "β₁ must be a number from 0 to 0.999999; nothing was changed.",
    ),
    Field(
        "beta2",
        lambda p: p.training_form.beta2,
        "0.95",
        lambda n, t, d: t.optimizer.beta2,
        0.95,
        "2",
        "β₂ must be a number from 0 to 0.999999; nothing was changed.",
    ),
    Field(
        "epsilon",
        lambda p: p.training_form.epsilon,
        "1e-6",
        lambda n, t, d: t.optimizer.epsilon,
        1e-6,
        "2",
        "ε must be a number from 1e-15 to 1; nothing was changed.",
    ),
    Field(
        "regularization rate",
        lambda p: p.training_form.regularization_rate,
        "0.02",
        lambda n, t, d: t.regularization.rate,
        0.02,
        "11",
        "Regularization rate must be a number from 0 to 10; nothing was changed.",
    ),
    Field(
        "batch size",
        lambda p: p.training_form.batch_spin,
        "20",
        lambda n, t, d: t.batch_size,
        20,
        "100001",
        "Batch size must be a whole number from 1 to 100000; nothing was changed.",
    ),
    Field(
        "hidden units",
        lambda p: p.network_form.hidden_rows[0].units,
        "7",
        lambda n, t, d: n.layers[0].units,
        7,
        "513",
        "Units must be a whole number from 1 to 512; nothing was changed.",
    ),
    Field(
        "std",
        lambda p: p.network_form.std_box,
        "0.3",
        lambda n, t, d: n.init.std,
        0.3,
        "101",
        "Std. dev. must be a number from 0 to 100; nothing was changed.",
    ),
    Field(
        "low",
        lambda p: p.network_form.low_box,
        "-0.75",
        lambda n, t, d: n.init.low,
        -0.75,
        "101",
        "Low must be a number from −100 to 100; nothing was changed.",
        negative_ok=True,
    ),
    Field(
        "high",
        lambda p: p.network_form.high_box,
        "0.75",
        lambda n, t, d: n.init.high,
        0.75,
        "101",
        "High must be a number from −100 to 100; nothing was changed.",
        negative_ok=True,
    ),
    Field(
        "constant value",
        lambda p: p.network_form.value_box,
        "0.2",
        lambda n, t, d: n.init.value,
        0.2,
        "-101",
        "Value must be a number from −100 to 100; nothing was changed.",
        negative_ok=True,
    ),
    Field(
        "bias",
        lambda p: p.network_form.bias_box,
        "0.05",
        lambda n, t, d: n.init.bias,
        0.05,
        "1000",
        "Biases must be a number from −100 to 100; nothing was changed.",
        negative_ok=True,
    ),
    Field(
        "seed",
        lambda p: p.network_form.seed.edit,
        "123",
        lambda n, t, d: t.seed,
        123,
        "18446744073709551616",  # 2⁶⁴: one past the widest seed
        f"Seed must be a whole number from 0 to {MAX_SEED_TEXT}; nothing was changed.",
    ),
    Field(
        "data seed",
        lambda p: p.data_form.seed.edit,
        "5",
        lambda n, t, d: d.seed,
        5,
        "1e30",
        f"Data seed must be a whole number from 0 to {MAX_SEED_TEXT}; nothing was changed.",
    ),
    Field(
        "samples",
        lambda p: p.data_form.samples_spin,
        "300",
        lambda n, t, d: d.samples,
        300,
        "100001",
        "Samples must be a whole number from 2 to 100000; nothing was changed.",
    ),
    Field(
        "classes",
        lambda p: p.data_form.classes_spin,
        "3",
        lambda n, t, d: d.classes,
        3,
        "9",
        "Classes must be a whole number from 2 to 8; nothing was changed.",
    ),
    Field(
        "training share",
        lambda p: p.data_form.train_spin,
        "60",
        lambda n, t, d: d.train_fraction,
        0.6,
        "101",
        "Training share must be a whole number from 1 to 100; nothing was changed.",
    ),
]
IDS = [field.name for field in FIELDS]


@pytest.fixture
def panel(qtbot):
    panel = ArchitecturePanel()
    qtbot.addWidget(panel)
    panel.set_specs(NETWORK, TRAINING, DATA)
    return panel


@pytest.fixture
def emitted(panel):
    specs = []
    panel.specs_changed.connect(lambda *args: specs.append(args))
    return specs


def type_into(qtbot, field, text, key=Qt.Key.Key_Enter):
    """Select all (Ctrl+A), type `text`, press Enter."""
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, key)


@pytest.mark.parametrize("field", FIELDS, ids=IDS)
def test_a_good_value_is_applied_once_on_enter(panel, emitted, qtbot, field):
    widget = field.widget(panel)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, field.good)
    assert emitted == []  # typed, not yet applied

    qtbot.keyClick(widget, Qt.Key.Key_Enter)
    qtbot.keyClick(widget, Qt.Key.Key_Enter)  # a second Enter applies nothing new

    assert len(emitted) == 1
    assert field.applied(*emitted[0]) == pytest.approx(field.expected)
    assert widget.property("invalid") is False
    assert not panel.error_label.isVisibleTo(panel)


BAD = {
    "not a number": lambda field: "abc",
    "out of range": lambda field: field.too_big,
    "1e400": lambda field: "1e400",
    "negative": lambda field: "-1000" if field.negative_ok else "-5",
}


@pytest.mark.parametrize("kind", list(BAD))
@pytest.mark.parametrize("field", FIELDS, ids=IDS)
def test_a_bad_entry_stays_red_with_the_range_and_changes_nothing(panel, emitted, qtbot, field, kind):
    widget = field.widget(panel)
    before = panel.specs()
    text = BAD[kind](field)

    type_into(qtbot, widget, text)

    assert emitted == []
    assert panel.specs() == before
    assert widget.text_shown() == text  # left as typed, not turned into another number
    assert widget.property("invalid") is True
    assert panel.error_label.isVisibleTo(panel)
    assert field.message in panel.error_label.text()
    assert widget.toolTip() == field.message

    qtbot.keyClick(widget, Qt.Key.Key_Escape)  # back to the applied value
    assert widget.property("invalid") is False
    assert widget.value() == pytest.approx(
        field.applied(*before) * (100 if field.name == "training share" else 1)
    )
    assert not panel.error_label.isVisibleTo(panel)
    assert emitted == []


@pytest.mark.parametrize("field", [f for f in FIELDS if f.negative_ok], ids=lambda f: f.name)
def test_a_negative_in_range_is_applied(panel, emitted, qtbot, field):
    type_into(qtbot, field.widget(panel), "-0.25")
    assert len(emitted) == 1
    assert field.applied(*emitted[0]) == -0.25


def test_a_refused_entry_is_fixed_by_typing_a_good_one(panel, emitted, qtbot):
    box = panel.training_form.learning_rate
    type_into(qtbot, box, "1e400")
    assert emitted == []
    type_into(qtbot, box, "0.1")
    assert len(emitted) == 1 and emitted[0][1].optimizer.learning_rate == 0.1
    assert box.property("invalid") is False and not panel.error_label.isVisibleTo(panel)


def test_a_batch_larger_than_the_training_set_is_explained(panel, emitted, qtbot):
    batch = panel.training_form.batch_spin
    type_into(qtbot, batch, "1400")  # 200 samples, half for training

    assert emitted == []
    assert batch.text_shown() == "1400"
    assert (
        "Batch size must be a whole number from 1 to 100, the training samples (there are 100);"
        " nothing was changed." in panel.error_label.text()
    )
    type_into(qtbot, batch, "100")
    assert emitted[-1][1].batch_size == 100


def test_fewer_samples_than_the_batch_say_each_batch_holds_them_all(panel, emitted, qtbot):
    type_into(qtbot, panel.training_form.batch_spin, "50")
    type_into(qtbot, panel.data_form.samples_spin, "40")  # 20 training samples

    assert emitted[-1][2].samples == 40
    assert "more than the 20 training samples" in panel.note_label.text()


def test_a_slow_typist_gets_one_value_applied_once(panel, emitted, qtbot):
    units = panel.network_form.hidden_rows[0].units
    qtbot.keyClick(units, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    for key in "140":
        qtbot.keyClicks(units, key)
        qtbot.wait(400)  # longer than any debounce a panel might use
    assert emitted == []

    qtbot.keyClick(units, Qt.Key.Key_Enter)
    assert [specs[0].layers[0].units for specs in emitted] == [140]


def test_tab_applies_what_was_typed(panel, emitted, qtbot):
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    box = panel.training_form.learning_rate
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    type_into(qtbot, box, "0.004", key=Qt.Key.Key_Tab)

    assert not box.hasFocus()
    assert [specs[1].optimizer.learning_rate for specs in emitted] == [0.004]


def test_arrow_keys_apply_each_step_at_once(panel, emitted, qtbot):
    box = panel.training_form.learning_rate
    qtbot.keyClick(box, Qt.Key.Key_Up)
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert [specs[1].optimizer.learning_rate for specs in emitted] == [0.1, 0.3]

    units = panel.network_form.hidden_rows[0].units
    qtbot.keyClick(units, Qt.Key.Key_Down)
    assert emitted[-1][0].layers[0].units == 3


def test_the_noise_slider_applies_a_key_step_once(panel, emitted, qtbot):
    qtbot.keyClick(panel.data_form.noise_slider, Qt.Key.Key_Right)
    assert len(emitted) == 1 and emitted[0][2].noise == pytest.approx(0.01)
    assert panel.data_form.noise_value.text() == "1 %"


def test_refused_text_is_red_in_both_themes(panel, qtbot):
    from backprop_studio.gui.style.theme import apply_theme
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    def colors(box):
        palette = box.palette()
        return (
            box.border_color(),
            palette.color(QPalette.ColorRole.Text).name(),
            palette.color(QPalette.ColorRole.Base).name(),
        )

    box = panel.training_form.learning_rate
    app = QApplication.instance()
    apply_theme(app, "light")
    type_into(qtbot, box, "abc")
    assert colors(box) == ("#d93025", "#a1221a", "#fdecea")  # dark red text on pale red
    try:
        apply_theme(app, "dark")
        qtbot.waitUntil(lambda: colors(box) == ("#e5534b", "#ffb4ab", "#3d2323"))  # pale red on dark red
    finally:
        apply_theme(app, "light")
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.border_color() is None
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    qtbot.waitUntil(lambda: box.palette().color(QPalette.ColorRole.Base) == base)  # the theme's again
