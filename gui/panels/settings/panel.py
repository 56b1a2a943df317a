"""The "Network & training" panel: edits the network, its training and its data; emits only specs that can run.

The three forms (network_form, training_form, data_form) hold the editing state; the panel collects
their specs, asks `core.spec_rules.problem` whether they can train together and only then emits
`specs_changed`, so the controller never receives an impossible combination. When a check fails, the
message stays visible above the sections and the last valid specs stand. Where one choice implies
another (cross-entropy needs a softmax output, bce a sigmoid one), `core.spec_rules.coerce` makes the
matching change, the forms show it and a note says so. Typed values are applied on Enter or focus-out
(never per keystroke: see number_field.py); a refused one stays red and its message stands above the
sections with the rest. Picks, clicks and arrow steps are applied at once.
"""

from __future__ import annotations

from backprop_studio.core.spec import GENERATORS, DataSpec, LayerSpec, NetworkSpec, TrainingSpec
from backprop_studio.core.spec_rules import Specs, coerce, problem, training_samples
from backprop_studio.gui.panels.settings.builders import align_form_labels, blend, error_colors
from backprop_studio.gui.panels.settings.choices import RANGES
from backprop_studio.gui.panels.settings.data_form import DataForm
from backprop_studio.gui.panels.settings.network_form import NetworkForm
from backprop_studio.gui.panels.settings.number_field import Number, NumberField
from backprop_studio.gui.panels.settings.training_form import TrainingForm
from backprop_studio.gui.panels.settings.widgets import WheelGuard
from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

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
        self._spec_problem: str | None = None  # why the forms' specs cannot train, shown with field problems
        self.csv_dialog = None

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
            form.problem_changed.connect(lambda: self._show_messages(self._spec_problem, None))
        self.training_form.batch_spin.check = self._batch_problem
        self.network_form.output_activation_changed.connect(lambda: self._fix("output_activation"))
        self.training_form.loss_changed.connect(lambda: self._fix("loss"))
        self.data_form.kind_changed.connect(lambda: self._fix("data"))
        self.data_form.classes_changed.connect(lambda: self._fix("data"))
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

    def number_fields(self) -> tuple[NumberField, ...]:
        """Every typed field of the three forms (the layer rows' too), each applied on Enter or focus-out."""
        forms = (self.network_form, self.training_form, self.data_form)
        return tuple(field for form in forms for field in form.number_fields())

    def _collect(self) -> Specs:
        """The specs the forms show (a refused text counts as the value it left in place)."""
        last = self._last_valid
        seed = self.network_form.seed.seed()
        data = self.data_form.collect(self.network_form.features(), self.data_form.seed.seed())
        fixed = self.data_form.fixed_inputs(last.network.inputs if last else 1)
        inputs = len(data.features) if fixed is None else fixed
        network = NetworkSpec(inputs, self.network_form.layers(), self.network_form.init())
        return Specs(network, self.training_form.collect(self._base_training, seed), data)

    def _batch_problem(self, size: Number) -> str | None:
        """Why a typed batch size is refused beyond its range: more samples than the training set holds."""
        available = training_samples(self._collect().data)
        if available is None or size <= available:
            return None
        why = f", the training samples (there are {available:,})"
        return RANGES["batch_size"].sentence(high=max(available, 1), why=why)

    def _fix(self, changed: str) -> None:
        """Apply `spec_rules.coerce`'s fixes for what was just `changed` to the forms, then commit."""
        if self._loading:
            return
        fixed, notes = coerce(self._collect(), changed)
        self.network_form.set_output(fixed.network.layers[-1])
        self.training_form.set_loss(fixed.training.loss)
        self._notes.extend(notes)
        self._commit()

    def _commit(self) -> None:
        if self._loading:
            return
        self._refresh()
        notes, self._notes = self._notes, []
        specs = self._collect()
        found = problem(*specs)
        available = training_samples(specs.data)
        if found is None and available is not None and specs.training.batch_size > available:
            notes.append(
                f"The batch size {specs.training.batch_size:,} is more than the {available:,} training"
                f" samples, so each batch holds all {available:,}."
            )
        self._show_messages(found, notes)
        if found is not None or specs == self._last_valid:
            return
        self._last_valid = specs
        self._last_emitted_data = specs.data
        self.specs_changed.emit(*specs)

    # ---- what is shown -------------------------------------------------------------------------------

    def _show_messages(self, found: str | None, notes: list[str] | None) -> None:
        """Show the refused fields' messages and `found` (why the specs cannot train) in red, and `notes`
        (None: keep the notes shown)."""
        self._spec_problem = found
        # A refused field's message says itself that nothing was changed.
        messages = [_escape(field.problem() or "") for field in self.number_fields() if field.problem()]
        if found is not None:
            messages.append(f"<b>Not applied:</b> {_escape(found)}")
        if not messages:
            self.error_label.hide()
        else:
            self.error_label.setText("<br>".join(messages))
            self.error_label.setToolTip("The network keeps its last valid settings until this is fixed")
            self.error_label.show()
        if notes is not None:
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
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        red_text, red_background, red_border = error_colors(palette)
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
        for field in self.number_fields():
            field.restyle()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
