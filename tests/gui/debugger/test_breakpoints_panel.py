"""The Breakpoints panel and its form, driven as a person does: the Debug menu, the Add…, Edit… and
Remove buttons, the form's fields and its OK button, the boxes that arm a breakpoint."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.debugger.watch import Watch
from backprop_studio.core.project.project import Project
from backprop_studio.core.spec import DataSpec, InitSpec, LayerSpec, NetworkSpec, OptimizerSpec, TrainingSpec
from backprop_studio.gui.controller.controller import MAX_SPEED, StudioController
from backprop_studio.gui.debugger.breakpoints_panel import BreakpointsPanel
from backprop_studio.gui.debugger.watch_dialog import WatchDialog
from backprop_studio.gui.debugger.watch_text import DEFAULT_THRESHOLDS
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.gui.debugger.ui import ModalAnswer, menu_action

X = np.random.default_rng(11).normal(size=(16, 2))
DEAD_RELU = NetworkSpec(
    2, (LayerSpec(3, "tanh"), LayerSpec(4, "relu"), LayerSpec(1, "linear")), InitSpec(bias=-10.0)
)


def dead_relu_controller() -> StudioController:
    training = TrainingSpec("mse", OptimizerSpec("sgd", 0.1), batch_size=8, shuffle=False, seed=0)
    y = X @ np.array([[1.0], [-2.0]])
    data = DataSpec(kind="inline", x=tuple(map(tuple, X)), y=tuple(map(tuple, y)))
    c = StudioController(Project(DEAD_RELU, training, data))
    c.set_speed(MAX_SPEED)
    return c


def choose(combo, data) -> None:
    """Pick the entry of `combo` that stands for `data`, as a person picks it from the list."""
    index = combo.findData(data)
    assert index >= 0, f"{data!r} is not offered"
    combo.setCurrentIndex(index)


def type_into(qtbot, field, text: str) -> None:
    field.selectAll()
    qtbot.keyClicks(field, text)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wired_panel(qtbot, c: StudioController) -> BreakpointsPanel:
    """A shown panel connected to `c` the way the window connects it."""
    panel = BreakpointsPanel()
    qtbot.addWidget(panel)
    net, features = c.view_state.network, c.view_state.dataset.feature_names
    panel.watches_edited.connect(c.set_watches)
    c.watches_changed.connect(lambda ws: panel.set_watches(ws, net.sizes, net.activations, features))
    panel.set_watches(c.watches, net.sizes, net.activations, features)
    panel.resize(500, 300)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


# ------------------------------------------------------------------------------------ Debug → Add breakpoint…


def test_debug_add_breakpoint_opens_the_form_and_the_breakpoint_joins_the_list(window, qtbot):
    def fill(dialog: WatchDialog) -> None:
        choose(dialog.kind, "vanishing")
        choose(dialog.layer, 1)
        type_into(qtbot, dialog.threshold, "1e-7")
        click(qtbot, dialog.ok_button)

    answer = ModalAnswer(fill)
    menu_action(window, "Debug", "Add breakpoint…").trigger()
    dialog = answer.check()
    assert isinstance(dialog, WatchDialog) and dialog.windowTitle() == "Add breakpoint"
    panel = window.breakpoints
    assert panel.list.count() == 1
    assert panel.list.item(0).text() == "vanishing gradient in layer 1: ‖dL/dW‖ < 1e-07"
    [watch] = window.controller.watches
    assert (watch.kind, watch.layer, watch.threshold, watch.enabled) == ("vanishing", 1, 1e-7, True)
    assert window.docks["breakpoints"].isVisible()


def test_cancel_in_the_form_adds_nothing(window, qtbot):
    answer = ModalAnswer(
        lambda dialog: click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Cancel))
    )
    menu_action(window, "Debug", "Add breakpoint…").trigger()
    answer.check()
    assert window.breakpoints.list.count() == 0 and window.controller.watches == ()


# ------------------------------------------------------------------------------------ the panel's buttons


def test_the_panel_edits_the_list_and_the_controller_follows(qtbot):
    c = dead_relu_controller()
    c.set_watches([Watch("vanishing", layer=1, threshold=1e-6)])
    panel = wired_panel(qtbot, c)
    assert panel.list.count() == 1

    def add_dead_relu(dialog: WatchDialog) -> None:
        choose(dialog.kind, "dead_relu")
        assert dialog.threshold.text() == "0.5" == str(DEFAULT_THRESHOLDS["dead_relu"])
        choose(dialog.layer, 1)  # a tanh layer: its units cannot die
        assert not dialog.ok_button.isEnabled() and "uses tanh, not relu" in dialog.problem.text()
        choose(dialog.layer, 2)
        assert dialog.ok_button.isEnabled()
        click(qtbot, dialog.ok_button)

    answer = ModalAnswer(add_dead_relu)
    click(qtbot, panel.add_button)
    answer.check()
    assert [w.kind for w in c.watches] == ["vanishing", "dead_relu"]

    # Disarm the first: select its row and press Space, which ticks its box off.
    panel.list.setCurrentRow(0)
    qtbot.keyClick(panel.list, Qt.Key.Key_Space)
    assert not c.watches[0].enabled and c.watches[1].enabled

    click(qtbot, panel.remove_button)  # the selected row, the disarmed vanishing one
    assert [w.kind for w in c.watches] == ["dead_relu"]

    old = c.watches[0]
    answer = ModalAnswer(lambda d: (type_into(qtbot, d.threshold, "0.75"), click(qtbot, d.ok_button)))
    panel.list.setCurrentRow(0)
    click(qtbot, panel.edit_button)
    assert answer.check().windowTitle() == "Edit breakpoint"
    assert c.watches[0].threshold == 0.75 and c.watches[0].id == old.id and c.watches[0].layer == 2

    c.set_granularity("epoch")
    with qtbot.waitSignal(c.breakpoint_hit, timeout=5000) as blocker:
        c.play()
    panel.show_hit(blocker.args[0])
    assert "stopped here" in panel.list.item(0).text()
    assert panel.message_text().startswith("Stopped at step 2: dead ReLUs")


def test_every_visible_button_of_the_breakpoints_panel_is_connected(qtbot):
    c = dead_relu_controller()
    c.set_watches([Watch("nonfinite"), Watch("loss_rising", per="epoch")])
    panel = wired_panel(qtbot, c)
    panel.list.setCurrentRow(0)
    buttons = {b.text(): b for b in panel.findChildren(QPushButton) if b.isVisible()}
    assert set(buttons) == {"Add…", "Edit…", "Remove"}

    answer = ModalAnswer(lambda d: (choose(d.kind, "exploding"), click(qtbot, d.ok_button)))
    click(qtbot, buttons["Add…"])
    assert answer.check().windowTitle() == "Add breakpoint"
    assert [w.kind for w in c.watches] == ["nonfinite", "loss_rising", "exploding"]

    panel.list.setCurrentRow(1)
    answer = ModalAnswer(lambda d: (choose(d.per, "batch"), click(qtbot, d.ok_button)))
    click(qtbot, buttons["Edit…"])
    assert answer.check().windowTitle() == "Edit breakpoint"
    assert c.watches[1].per == "batch"

    panel.list.setCurrentRow(0)
    click(qtbot, buttons["Remove"])
    assert [w.kind for w in c.watches] == ["loss_rising", "exploding"]


# ------------------------------------------------------------------------------------ the form names things


def test_the_weight_form_names_both_ends_from_1_and_inputs_by_feature(qtbot):
    sizes, activations = (2, 3, 1), ("tanh", "linear")
    dialog = WatchDialog(sizes, activations, features=("x1", "x1^2"))
    qtbot.addWidget(dialog)
    dialog.show()
    choose(dialog.kind, "weight_crossing")
    assert [dialog.layer.itemText(k) for k in range(dialog.layer.count())] == [
        "layer 1 · tanh · 3 units",
        "output layer 2 · linear · 1 unit",
    ]
    choose(dialog.layer, 1)
    qtbot.keyClick(dialog.row, Qt.Key.Key_Up)  # W[1, 0]: the second input, x₁², to neuron 1
    assert dialog.weight_note.text().strip() == "from x₁² to neuron 1 of layer 1"
    choose(dialog.layer, 2)
    qtbot.keyClick(dialog.row, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.row, Qt.Key.Key_Up)  # W[2, 0] of layer 2: from the third neuron of layer 1
    assert dialog.weight_note.text().strip() == "from neuron 3 of layer 1 to neuron 1 of layer 2"
    type_into(qtbot, dialog.threshold, "-0.5")
    watch = dialog.watch()
    assert (watch.kind, watch.layer, watch.index, watch.threshold) == ("weight_crossing", 2, (2, 0), -0.5)


def test_the_form_grows_when_its_kind_shows_more_rows(qtbot):
    dialog = WatchDialog((2, 3, 1), ("tanh", "linear"), features=("x1", "x2"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    small = dialog.size()
    for kind in ("vanishing", "weight_crossing", "loss_rising"):
        choose(dialog.kind, kind)
        # Every row this kind shows gets at least its size hint: no squashed combo box, no cut note.
        hint = dialog.sizeHint()
        assert dialog.width() >= hint.width() and dialog.height() >= hint.height(), kind
        for field in (dialog.kind, dialog.layer, dialog.threshold):
            if field.isVisible():
                assert field.height() >= field.minimumSizeHint().height(), kind
    choose(dialog.kind, "weight_crossing")
    assert dialog.height() > small.height(), "the weight rows made the form taller"


def test_add_is_refused_at_the_breakpoint_limit_and_removing_one_allows_it_again(qtbot):
    from backprop_studio.core.limits import MAX_BREAKPOINTS

    c = dead_relu_controller()
    c.set_watches(tuple(Watch("nonfinite", id=f"w{i}") for i in range(MAX_BREAKPOINTS)))
    panel = wired_panel(qtbot, c)
    assert panel.list.count() == MAX_BREAKPOINTS
    assert not panel.add_button.isEnabled()
    assert f"{MAX_BREAKPOINTS:,}" in panel.add_button.toolTip()
    click(qtbot, panel.add_button)  # disabled: no form opens, nothing is added
    assert len(c.watches) == MAX_BREAKPOINTS

    panel.list.setCurrentRow(0)
    click(qtbot, panel.remove_button)
    assert len(c.watches) == MAX_BREAKPOINTS - 1 and panel.list.count() == MAX_BREAKPOINTS - 1
    assert panel.add_button.isEnabled()
