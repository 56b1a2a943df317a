"""Breakpoints: the watch conditions that stop training (backprop_studio.core.debugger.watch), listed with on/off boxes, added and
edited through a small form, and the message of the last one that fired.

The panel never changes the controller: it emits the whole edited list (`watches_edited`), the controller
takes it (`set_watches`) and echoes it back through `watches_changed`, which the window hands to
`set_watches` here with the network's sizes and activations so watches that cannot fire are explained.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from backprop_studio.core.debugger.watch import KINDS, Hit, Watch, fit_problem
from backprop_studio.core.errors import FormatError
from backprop_studio.gui.style.colors import mix, palette
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

KIND_LABELS = {
    "nonfinite": "a NaN or inf appears",
    "vanishing": "a gradient vanishes: ‖dL/dW‖ < ε",
    "exploding": "a gradient explodes: ‖dL/dW‖ > M",
    "loss_rising": "the loss rises",
    "weight_crossing": "a weight crosses a value",
    "update_ratio": "an update is too large: ‖ΔW‖/‖W‖ > r",
    "dead_relu": "ReLU units die: dead share ≥ p",
}
KIND_HELP = {
    "nonfinite": "Stops at the exact phase that produced a NaN or an infinity, anywhere in the network.",
    "vanishing": "Checked after backward through the layer. A gradient this small hardly moves the "
    "weights, so the layer stops learning; deep stacks of sigmoid or tanh layers do this to their "
    "first layers.",
    "exploding": "Checked after backward through the layer. Gradients this large make the next update "
    "jump far; usually the learning rate is too high.",
    "loss_rising": "Per epoch: the training loss after an epoch is above the one after the epoch before "
    "(checked at the update that ends the epoch). Per batch: a batch's loss is above the previous "
    "batch's (noisy with shuffled mini-batches).",
    "weight_crossing": "Checked after every update: stops when W[i, j] moves from one side of the value "
    "to the other (or onto it). 0 catches a weight changing sign.",
    "update_ratio": "Checked after every update. Healthy training moves weights by about 1e-3 of their "
    "size per step; far above 1e-2 the learning rate is too large.",
    "dead_relu": "Checked after forward through the layer: a unit is dead when it outputs 0 for every "
    "sample of the batch, so no gradient reaches its weights again. p = 1 means every unit.",
}
THRESHOLD_NAMES = {
    "vanishing": "ε",
    "exploding": "M",
    "update_ratio": "r",
    "dead_relu": "p",
    "weight_crossing": "value",
}
THRESHOLD_LABELS = {
    "vanishing": "Threshold ε",
    "exploding": "Threshold M",
    "update_ratio": "Threshold r",
    "dead_relu": "Share p",
    "weight_crossing": "Value",
}
DEFAULT_THRESHOLDS = {
    "vanishing": 1e-6,
    "exploding": 1e3,
    "update_ratio": 0.1,
    "dead_relu": 0.5,
    "weight_crossing": 0.0,
}
LAYER_KINDS = ("vanishing", "exploding", "update_ratio", "dead_relu", "weight_crossing")


def _parse(text: str) -> float | None:
    try:
        value = float(text.strip().replace("−", "-").replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _layer_name(sizes: Sequence[int], activations: Sequence[str], layer: int) -> str:
    title = "output layer" if layer == len(activations) else f"layer {layer}"
    return f"{title} · {activations[layer - 1]} · {sizes[layer]} units"


class WatchDialog(QDialog):
    """The form behind "Add…" and "Edit…": builds one Watch and refuses it, saying why, when it is
    invalid or can never fire on this network."""

    def __init__(
        self,
        sizes: Sequence[int],
        activations: Sequence[str],
        watch: Watch | None = None,
        parent: QWidget | None = None,
        dark: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit breakpoint" if watch is not None else "Add breakpoint")
        self._dark = dark
        self._sizes = tuple(sizes)
        self._activations = tuple(activations)
        self._original = watch
        self._result: Watch | None = None

        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.layer = QComboBox()
        self.per = QComboBox()
        self.per.addItem("from one epoch to the next (training-set loss)", "epoch")
        self.per.addItem("from one batch to the next (batch loss)", "batch")
        self.row = QSpinBox()
        self.column = QSpinBox()
        self.threshold = QLineEdit()
        self.threshold.setClearButtonEnabled(False)
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)

        weight_row = QHBoxLayout()
        weight_row.setContentsMargins(0, 0, 0, 0)
        weight_row.addWidget(QLabel("W["))
        weight_row.addWidget(self.row)
        weight_row.addWidget(QLabel(","))
        weight_row.addWidget(self.column)
        weight_row.addWidget(QLabel("]"))
        self.weight_note = QLabel()
        weight_row.addWidget(self.weight_note)
        weight_row.addStretch(1)
        self._weight = QWidget()
        self._weight.setLayout(weight_row)

        self.form = QFormLayout()
        self.form.addRow("Stop when", self.kind)
        self.form.addRow("Layer", self.layer)
        self.form.addRow("Weight", self._weight)
        self.form.addRow("Compare", self.per)
        self.form.addRow("Threshold", self.threshold)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.help)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._apply_colors()

        if watch is not None:
            self.kind.setCurrentIndex(KINDS.index(watch.kind))
        self._on_kind(initial=watch)
        self.kind.currentIndexChanged.connect(lambda _: self._on_kind())
        self.layer.currentIndexChanged.connect(lambda _: self._on_layer())
        for signal in (
            self.per.currentIndexChanged,
            self.row.valueChanged,
            self.column.valueChanged,
            self.threshold.textChanged,
        ):
            signal.connect(lambda *_: self._validate())
        self._validate()
        self.setMinimumWidth(440)

    # ----------------------------------------------------------------- the form

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _on_kind(self, initial: Watch | None = None) -> None:
        kind = self.current_kind()
        self.layer.blockSignals(True)
        self.layer.clear()
        if kind != "weight_crossing":
            self.layer.addItem("any layer", None)
        for k in range(1, len(self._activations) + 1):
            self.layer.addItem(_layer_name(self._sizes, self._activations, k), k)
        if initial is not None and initial.layer is not None:
            index = self.layer.findData(initial.layer)
            if index >= 0:
                self.layer.setCurrentIndex(index)
        elif kind == "dead_relu" and "relu" in self._activations:
            self.layer.setCurrentIndex(self.layer.findData(self._activations.index("relu") + 1))
        self.layer.blockSignals(False)

        uses_layer = kind in LAYER_KINDS
        self.form.setRowVisible(self.layer, uses_layer)
        self.form.setRowVisible(self._weight, kind == "weight_crossing")
        self.form.setRowVisible(self.per, kind == "loss_rising")
        self.form.setRowVisible(self.threshold, kind in THRESHOLD_NAMES)
        label = self.form.labelForField(self.threshold)
        if isinstance(label, QLabel) and kind in THRESHOLD_LABELS:
            label.setText(THRESHOLD_LABELS[kind])
        if initial is not None and initial.threshold is not None:
            self.threshold.setText(f"{initial.threshold:g}")
        elif kind in DEFAULT_THRESHOLDS:
            self.threshold.setText(f"{DEFAULT_THRESHOLDS[kind]:g}")
        if initial is not None and kind == "loss_rising":
            self.per.setCurrentIndex(self.per.findData(initial.per))
        self.help.setText(KIND_HELP[kind])
        self._on_layer()
        if initial is not None and initial.index is not None:
            self.row.setValue(initial.index[0])
            self.column.setValue(initial.index[1])
        self._validate()

    def _on_layer(self) -> None:
        layer = self.layer.currentData()
        if layer is not None and 1 <= layer <= len(self._activations):
            self.row.setRange(0, self._sizes[layer - 1] - 1)
            self.column.setRange(0, self._sizes[layer] - 1)
            source = "input" if layer == 1 else f"unit of layer {layer - 1}"
            self.row.setToolTip(f"i: the {source} the weight leaves (0 to {self._sizes[layer - 1] - 1})")
            self.column.setToolTip(f"j: the unit of layer {layer} it feeds (0 to {self._sizes[layer] - 1})")
            self.weight_note.setText(f"  from {source} i to unit j, counting from 0")
        self._validate()

    def _build(self) -> tuple[Watch | None, str]:
        kind = self.current_kind()
        threshold = None
        if kind in THRESHOLD_NAMES:
            threshold = _parse(self.threshold.text())
            if threshold is None:
                return None, f"{THRESHOLD_NAMES[kind]} must be a number, such as 1e-6"
        fields: dict[str, object] = {"kind": kind, "threshold": threshold}
        if kind in LAYER_KINDS:
            fields["layer"] = self.layer.currentData()
        if kind == "weight_crossing":
            fields["index"] = (self.row.value(), self.column.value())
        if kind == "loss_rising":
            fields["per"] = self.per.currentData()
        if self._original is not None:
            fields["id"] = self._original.id
            fields["enabled"] = self._original.enabled
        try:
            watch = Watch(**fields)  # type: ignore[arg-type]
        except FormatError as exc:
            name = THRESHOLD_NAMES.get(kind, "threshold") if exc.path == "threshold" else exc.path
            return None, f"{name}: {str(exc).removeprefix(f'at {exc.path}: ')}"
        problem = fit_problem(watch, self._sizes, self._activations)
        if problem is not None:
            return None, f"This breakpoint could never fire on this network: {problem}."
        return watch, ""

    def _validate(self) -> None:
        watch, problem = self._build()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(watch is not None)

    def _apply_colors(self) -> None:
        p = palette(self._dark)
        self.help.setStyleSheet("color: rgb({},{},{});".format(*p.muted))
        self.weight_note.setStyleSheet("color: rgb({},{},{});".format(*p.muted))
        self.problem.setStyleSheet("color: rgb({},{},{});".format(*p.warning))

    def accept(self) -> None:
        watch, _ = self._build()
        if watch is None:
            return
        self._result = watch
        super().accept()

    def watch(self) -> Watch | None:
        """The breakpoint the form describes now (after OK: the one accepted), or None when invalid."""
        return self._result if self._result is not None else self._build()[0]


class BreakpointsPanel(QWidget):
    """The list of breakpoints with enable boxes, Add…, Edit…, Remove, and the last hit's message."""

    watches_edited = Signal(object)  # tuple[Watch, ...]: the whole list as the user left it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._watches: tuple[Watch, ...] = ()
        self._sizes: tuple[int, ...] = ()
        self._activations: tuple[str, ...] = ()
        self._hit: Hit | None = None
        self._last_hit: Hit | None = None
        self._dark = False
        self._filling = False

        self.list = QListWidget()
        self.list.setAlternatingRowColors(False)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setToolTip("Tick a breakpoint to arm it; double-click to edit it")
        self.add_button = QPushButton("Add…")
        self.add_button.setToolTip("Stop training when a condition holds")
        self.edit_button = QPushButton("Edit…")
        self.remove_button = QPushButton("Remove")
        self.empty = QLabel(
            "No breakpoints. Add one to stop training at the exact phase where something goes wrong: "
            "a vanishing or exploding gradient, a NaN, a rising loss, dead ReLUs…"
        )
        self.empty.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.message)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self._on_add)
        self.edit_button.clicked.connect(self._on_edit)
        self.remove_button.clicked.connect(self._on_remove)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.itemDoubleClicked.connect(lambda _: self._on_edit())
        self.list.currentRowChanged.connect(lambda _: self._refresh_buttons())
        self._apply_colors()
        self._fill()

    # ----------------------------------------------------------------- public API

    @property
    def watches(self) -> tuple[Watch, ...]:
        return self._watches

    def set_watches(self, watches: Sequence[Watch], sizes: Sequence[int], activations: Sequence[str]) -> None:
        """Show `watches` for a network of these sizes (inputs first) and activations."""
        self._watches = tuple(watches)
        self._sizes = tuple(sizes)
        self._activations = tuple(activations)
        self._fill()

    def show_hit(self, hit: Hit | None) -> None:
        """Mark the breakpoint that fired and state its message; None (training moved on) unmarks the
        row and keeps the message, dimmed, as the last stop."""
        if hit is self._hit:
            return
        self._hit = hit
        if hit is not None:
            self._last_hit = hit
        self._fill()
        self._show_message()

    def clear_hit(self) -> None:
        """Forget the last stop entirely (a new project)."""
        self._hit = self._last_hit = None
        self._fill()
        self._show_message()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self._apply_colors()
        self._fill()
        self._show_message()

    def problem_of(self, watch: Watch) -> str | None:
        """Why `watch` can never fire on the current network, or None."""
        if not self._activations:
            return None
        return fit_problem(watch, self._sizes, self._activations)

    def open_dialog(self, watch: Watch | None = None) -> WatchDialog:
        """The add/edit form for this network (not shown); exposed so tests and the window can drive it."""
        return WatchDialog(self._sizes, self._activations, watch, self, self._dark)

    # ----------------------------------------------------------------- list

    def _fill(self) -> None:
        p = palette(self._dark)
        current = self.list.currentRow()
        self._filling = True
        self.list.clear()
        hit_id = self._hit.watch.id if self._hit is not None else None
        for watch in self._watches:
            problem = self.problem_of(watch)
            text = watch.describe()
            if watch.id == hit_id:
                text += "  — stopped here"
            if problem is not None:
                text += f"\ncannot fire on this network: {problem}"
            item = QListWidgetItem(text)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(Qt.CheckState.Checked if watch.enabled else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, watch.id)
            tip = "Armed: training stops when this holds" if watch.enabled else "Off: tick to arm it"
            item.setToolTip(tip if problem is None else f"This breakpoint cannot fire here: {problem}")
            if problem is not None or not watch.enabled:
                item.setForeground(QBrush(QColor(*p.muted)))
            if watch.id == hit_id:
                item.setBackground(QBrush(QColor(*mix(p.background, p.warning, 0.22))))
                item.setForeground(QBrush(QColor(*p.text)))
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
            if watch.id == hit_id:
                self.list.scrollToItem(item)
        if 0 <= current < self.list.count():
            self.list.setCurrentRow(current)
        self._filling = False
        self.empty.setVisible(not self._watches)
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        selected = 0 <= self.list.currentRow() < len(self._watches)
        self.edit_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)
        self.add_button.setEnabled(bool(self._activations))

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        row = self.list.row(item)
        enabled = item.checkState() == Qt.CheckState.Checked
        if 0 <= row < len(self._watches) and self._watches[row].enabled != enabled:
            self.set_enabled(row, enabled)

    def set_enabled(self, row: int, enabled: bool) -> None:
        """Arm or disarm the breakpoint in `row` (what ticking its box does)."""
        watches = list(self._watches)
        watches[row] = dataclasses.replace(watches[row], enabled=enabled)
        self._edited(tuple(watches))

    def remove(self, row: int) -> None:
        self._edited(self._watches[:row] + self._watches[row + 1 :])

    def add(self, watch: Watch) -> None:
        self._edited((*self._watches, watch))

    def _edited(self, watches: tuple[Watch, ...]) -> None:
        # Shown at once, so the list does not flicker back while the controller echoes it.
        self._watches = watches
        self._fill()
        self.watches_edited.emit(watches)

    def _on_add(self) -> None:
        dialog = self.open_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.watch() is not None:
            self.add(dialog.watch())
            self.list.setCurrentRow(len(self._watches) - 1)

    def _on_edit(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._watches):
            return
        dialog = self.open_dialog(self._watches[row])
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.watch() is not None:
            watches = list(self._watches)
            watches[row] = dialog.watch()
            self._edited(tuple(watches))
            self.list.setCurrentRow(row)

    def _on_remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._watches):
            self.remove(row)

    # ----------------------------------------------------------------- message

    def message_text(self) -> str:
        """The hit message as plain text ('' when there is none)."""
        hit = self._hit or self._last_hit
        if hit is None:
            return ""
        lead = "Stopped" if self._hit is not None else "Last stop"
        return f"{lead} at step {hit.step:,}: {hit.message}"

    def _show_message(self) -> None:
        hit = self._hit or self._last_hit
        if hit is None:
            self.message.hide()
            return
        p = palette(self._dark)
        live = self._hit is not None
        accent = p.warning if live else p.muted
        background = mix(p.background, p.warning, 0.12) if live else p.background
        self.message.setStyleSheet(
            "QLabel {{ background: rgb({},{},{}); border: 1px solid rgb({},{},{}); border-radius: 4px;"
            " padding: 6px; color: rgb({},{},{}); }}".format(*background, *accent, *p.text)
        )
        head, _, body = self.message_text().partition(": ")
        self.message.setText(f"<b>{_escape(head)}</b><br>{_escape(body)}")
        self.message.show()

    def _apply_colors(self) -> None:
        p = palette(self._dark)
        self.empty.setStyleSheet("color: rgb({},{},{});".format(*p.muted))
        # Fusion outlines item check boxes in a shade of the Window colour, which on a dark palette is
        # as dark as the list itself: an unticked breakpoint would show no box at all. A lighter Window
        # for this list only gives the boxes an outline; the list's own background is Base.
        colours = self.palette()
        if self._dark:
            colours.setColor(QPalette.ColorRole.Window, QColor(*p.muted))
        self.list.setPalette(colours)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
