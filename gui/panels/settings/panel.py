"""The "Network & training" panel: edits the network, its training and its data; emits only specs that can run.

The three forms (network_form, training_form, data_form) hold the editing state; the panel collects
their specs, asks `core.spec_rules.problem` whether they can train together and only then emits
`specs_changed`, so the controller never receives an impossible combination. When a check fails, the
message stays visible above the sections and the last valid specs stand. Where one choice implies
another (cross-entropy needs a softmax output, bce a sigmoid one), `core.spec_rules.coerce` makes the
matching change, the forms show it and a note says so. Typed values are applied after a short pause
(`DEBOUNCE_MS`); picks and clicks at once.
"""

from __future__ import annotations

from backprop_studio.core.spec import GENERATORS, DataSpec, LayerSpec, NetworkSpec, TrainingSpec
from backprop_studio.core.spec_rules import Specs, coerce, problem
from backprop_studio.gui.panels.settings.builders import align_form_labels, blend
from backprop_studio.gui.panels.settings.data_form import DataForm
from backprop_studio.gui.panels.settings.network_form import NetworkForm
from backprop_studio.gui.panels.settings.training_form import TrainingForm
from backprop_studio.gui.panels.settings.widgets import FieldProblem, SeedField, WheelGuard
from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

DEBOUNCE_MS = 250
DEFAULT_NETWORK = NetworkSpec(2, (LayerSpec(4, "tanh"), LayerSpec(2, "tanh"), LayerSpec(1, "tanh")))


class ArchitecturePanel(QWidget):
    """Edit a NetworkSpec, TrainingSpec and DataSpec; emit them only when together they can train."""

    specs_changed = Signal(object, object, object)  # NetworkSpec, TrainingSpec, DataSpec
    csv_import_requested = Signal(dict)  # path, targets, one_hot, train_fraction (see CsvImportDialog)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._notes: list[str] = []
        self._base_training = TrainingSpec()
        self._last_emitted_data: DataSpec | None = None
        self._last_valid: Specs | None = None
        self.csv_dialog = None

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._commit)
        guard = WheelGuard(self)
        self.network_form = NetworkForm(guard, self)
        self.training_form = TrainingForm(guard, self)
        self.data_form = DataForm(guard, self)
        self._connect_forms()
        self._build()
        self.set_specs(DEFAULT_NETWORK, TrainingSpec(), DataSpec())

    # ---- public API --------------------------------------------------------------------------------

    def set_specs(self, network: NetworkSpec, training: TrainingSpec, data: DataSpec) -> None:
        """Show these specs without emitting `specs_changed`; they become the last valid specs.

        The inline or CSV data set behind the "Data set" choices is remembered while the controller
        echoes back what the panel emitted, and forgotten when different data arrives (a new project).
        """
        self._timer.stop()
        self.data_form.remember(data, network.inputs, keep_sources=data == self._last_emitted_data)
        self._base_training = training
        self._loading = True
        try:
            self.network_form.fill(network, training.seed)
            self.training_form.fill(training)
            if data.kind in GENERATORS:
                self.network_form.fill_features(data.features)
            self.data_form.fill(data)
        finally:
            self._loading = False
        self._last_valid = Specs(network, training, data)
        self._notes.clear()
        self._show_messages(problem(network, training, data), [])
        self._refresh()

    def specs(self) -> tuple[NetworkSpec, TrainingSpec, DataSpec]:
        """The last valid specs: those given to `set_specs` or last emitted."""
        assert self._last_valid is not None
        return self._last_valid

    def set_enabled_while_playing(self, playing: bool) -> None:
        """Lock what shapes the whole run while training plays (`playing=True`): the network, the data,
        the loss, batch size and shuffling. The optimizer, its rates and regularization stay editable,
        since a running session can take them from the next batch on (`Session.set_training`).
        """
        if self._timer.isActive():
            self._commit()
        # The bodies, not the sections: folding a section stays possible while training plays.
        locked = (
            self.network_form.section.body,
            self.data_form.section.body,
            self.training_form.loss_combo,
            self.training_form.batch_spin,
            self.training_form.shuffle_box,
        )
        for widget in locked:
            widget.setEnabled(not playing)
        self.lock_label.setVisible(playing)

    def open_csv_dialog(self) -> None:
        """Ask for a CSV file and its columns; `csv_import_requested` carries the answer if accepted."""
        from backprop_studio.gui.panels.settings.csv_dialog import CsvImportDialog

        source = self.data_form.csv_source or DataSpec(kind="csv")
        if self.csv_dialog is not None:
            self.csv_dialog.deleteLater()
        dialog = CsvImportDialog(
            self,
            path=source.path or "",
            targets=source.targets,
            one_hot=source.one_hot,
            train_fraction=self.data_form.train_fraction(),
        )
        dialog.accepted.connect(lambda: self.csv_import_requested.emit(dialog.options()))
        self.csv_dialog = dialog
        dialog.open()

    @property
    def add_layer_button(self) -> QPushButton:
        """The Network section's "Add hidden layer" button (the window's tests click it)."""
        return self.network_form.add_layer_button

    def sizeHint(self) -> QSize:
        return QSize(340, 760)

    # ---- building ----------------------------------------------------------------------------------

    def _connect_forms(self) -> None:
        for form in (self.network_form, self.training_form, self.data_form):
            form.edited.connect(self._commit)
            form.typing.connect(self._schedule)
        self.network_form.output_activation_changed.connect(lambda: self._fix("output_activation"))
        self.training_form.loss_changed.connect(lambda: self._fix("loss"))
        self.data_form.kind_changed.connect(lambda: self._fix("data"))
        self.data_form.classes_changed.connect(lambda: self._fix("data", at_once=False))
        self.data_form.csv_requested.connect(self.open_csv_dialog)

    def _build(self) -> None:
        self.setMinimumWidth(300)
        self.error_label = self._message_label("architectureError")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label = self._message_label("architectureNote")
        self.lock_label = self._message_label("architectureLock")
        self.lock_label.setText("Training is playing. Pause it to change the network, data, loss or batch.")

        content = QWidget()
        sections = QVBoxLayout(content)
        sections.setContentsMargins(8, 8, 8, 8)
        sections.setSpacing(10)
        for form in (self.network_form, self.training_form, self.data_form):
            sections.addWidget(form.section)
        sections.addStretch(1)
        align_form_labels(self.network_form.init_form, self.training_form.form, self.data_form.form)

        self.scroll = QScrollArea()
        self.scroll.setWidget(content)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        # Messages sit above the scroll area so they are seen wherever the panel is scrolled to.
        messages = QVBoxLayout()
        messages.setContentsMargins(8, 6, 8, 0)
        messages.setSpacing(4)
        for label in (self.error_label, self.note_label, self.lock_label):
            messages.addWidget(label)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addLayout(messages)
        outer.addWidget(self.scroll, 1)
        self._style_messages()

    @staticmethod
    def _message_label(name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setObjectName(name)
        label.hide()
        return label

    # ---- collecting, checking and emitting -------------------------------------------------------------

    def _collect(self, lenient: bool = False) -> Specs:
        """The specs the forms show. FieldProblem for a half-typed seed, unless `lenient` (then the last
        valid seeds stand in: good enough to work out an automatic fix)."""
        last = self._last_valid
        seed = _seed(self.network_form.seed, last.training.seed if lenient and last else None)
        data_seed = _seed(self.data_form.seed, last.data.seed if lenient and last else None)
        data = self.data_form.collect(self.network_form.features(), data_seed)
        fixed = self.data_form.fixed_inputs(last.network.inputs if last else 1)
        inputs = len(data.features) if fixed is None else fixed
        network = NetworkSpec(inputs, self.network_form.layers(), self.network_form.init())
        return Specs(network, self.training_form.collect(self._base_training, seed), data)

    def _fix(self, changed: str, at_once: bool = True) -> None:
        """Apply `spec_rules.coerce`'s fixes for what was just `changed` to the forms, then commit."""
        if self._loading:
            return
        fixed, notes = coerce(self._collect(lenient=True), changed)
        self.network_form.set_output(fixed.network.layers[-1])
        self.training_form.set_loss(fixed.training.loss)
        self._notes.extend(notes)
        if at_once:
            self._commit()
        else:
            self._schedule()

    def _schedule(self) -> None:
        if self._loading:
            return
        self._refresh()
        self._timer.start()

    def _commit(self) -> None:
        self._timer.stop()
        if self._loading:
            return
        self._refresh()
        notes, self._notes = self._notes, []
        try:
            specs = self._collect()
        except FieldProblem as error:
            self._show_messages(str(error), notes)
            return
        found = problem(*specs)
        self._show_messages(found, notes)
        if found is not None or specs == self._last_valid:
            return
        self._last_valid = specs
        self._last_emitted_data = specs.data
        self.specs_changed.emit(*specs)

    # ---- what is shown -------------------------------------------------------------------------------

    def _show_messages(self, found: str | None, notes: list[str]) -> None:
        if found is None:
            self.error_label.hide()
        else:
            self.error_label.setText(f"<b>Not applied:</b> {_escape(found)}")
            self.error_label.setToolTip("The network keeps its last valid settings until this is fixed")
            self.error_label.show()
        self.note_label.setText(" ".join(notes))
        self.note_label.setVisible(bool(notes))

    def _refresh(self) -> None:
        """Show the fields that matter for the current choices, hide the rest."""
        self.training_form.refresh()
        self.data_form.refresh()
        last_inputs = self._last_valid.network.inputs if self._last_valid else 1
        fixed = self.data_form.fixed_inputs(last_inputs)
        if fixed is None:
            self.network_form.refresh(len(self.network_form.features()), None)
        else:
            self.network_form.refresh(fixed, self.data_form.source_name())

    def changeEvent(self, event: QEvent) -> None:
        built = hasattr(self, "error_label")  # palette events can arrive while __init__ still runs
        if built and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._style_messages()
        super().changeEvent(event)

    def _style_messages(self) -> None:
        # Fixed hues tuned per palette: a red that passes contrast on white is unreadable on near-black.
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        dark = window.lightnessF() < 0.5
        red_text, red_background, red_border = (
            ("#ffb4ab", "#3d2323", "#e5534b") if dark else ("#a1221a", "#fdecea", "#d93025")
        )
        self.error_label.setStyleSheet(
            f"QLabel {{ color: {red_text}; background: {red_background};"
            f" border-left: 3px solid {red_border}; padding: 5px 6px; }}"
        )
        info_background = blend(text, window, 0.07)
        info_border = palette.color(QPalette.ColorRole.Highlight).name()
        for label in (self.note_label, self.lock_label):
            label.setStyleSheet(
                f"QLabel {{ color: {text.name()}; background: {info_background};"
                f" border-left: 3px solid {info_border}; padding: 5px 6px; }}"
            )
        muted = blend(text, window, 0.7)
        disabled = blend(text, window, 0.4)
        # Secondary text, colored here so it follows a later palette switch.
        for label in (*self.network_form.muted_labels, *self.data_form.muted_labels):
            label.setStyleSheet(f"QLabel {{ color: {muted}; }} QLabel:disabled {{ color: {disabled}; }}")


def _seed(field: SeedField, fallback: int | None) -> int:
    """The seed typed in `field`; `fallback` while it holds no whole number (FieldProblem if None)."""
    try:
        return field.seed()
    except FieldProblem:
        if fallback is None:
            raise
        return fallback


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
