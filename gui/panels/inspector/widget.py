"""The chain rule of one selected neuron or edge, written out with the numbers the session computed.

Every number shown is read from `backprop_studio.core.analysis.chain_rule` or the `Snapshot`; the
narratives (neuron_text, input_text, edge_text) only choose how to write them, `formula.Page` how to
lay them out and `page_view.PageView` how to show them where the reader is. The one sum a student most
wants to check (z = Σ a·w + b, dL/da = Σ w·dL/dz, dL/dw = Σ_b a·dL/dz) is written with its factors and
core's total, so "the numbers add up" is something they verify, not something we claim. A `Focus` says whether the per-sample numbers are one sample's or
the batch means.

The widget also edits the selected weight or bias (`editor.ParameterEditor`) and emits `weight_edited` /
`bias_edited`; the controller applies the change to the session and calls `refresh` with the result.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_studio.core.analysis.focus import Focus
from backprop_studio.core.display.numbers import MINUS
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.panels.inspector.edge_text import write_edge
from backprop_studio.gui.panels.inspector.editor import ParameterEditor
from backprop_studio.gui.panels.inspector.formula import MAX_TERMS, SIGNIFICANT, Page, to_html
from backprop_studio.gui.panels.inspector.images import ImageInputs
from backprop_studio.gui.panels.inspector.images_layout import ImagesBeside
from backprop_studio.gui.panels.inspector.input_text import write_input
from backprop_studio.gui.panels.inspector.narration import NarrationLabel
from backprop_studio.gui.panels.inspector.neuron_text import write_neuron
from backprop_studio.gui.panels.inspector.page_view import PageView
from backprop_studio.gui.panels.inspector.phrases import HINT
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

__all__ = ["HINT", "Inspector"]

FIRST_SAMPLE = Focus(0)


class Inspector(QWidget):
    """Shows the chain rule of the selected neuron or edge with real numbers, and edits its parameter."""

    weight_edited = Signal(int, int, int, float)  # layer (1-based), i, j (0-based), new value
    bias_edited = Signal(int, int, float)  # layer (1-based), j (0-based), new value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._snap: Snapshot | None = None
        self._selection: tuple[str, int, int, int] | None = None
        self._focus = FIRST_SAMPLE
        self._names: tuple[str, ...] = ()
        self._dark = False
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._mono.setStyleHint(QFont.StyleHint.Monospace)
        self._build_widgets()
        self._build_layout()
        self._apply_colors()
        self.clear()

    def _build_widgets(self) -> None:
        """Title and subtitle, the page, the full-precision box, the editor, the pictures and the hint."""
        self._title = QLabel()
        title_font = self._title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.1)
        self._title.setFont(title_font)
        self._title.setWordWrap(True)
        self._subtitle = QLabel()
        self._subtitle.setWordWrap(True)

        self._body = PageView(self._mono)
        self._body.repack_needed.connect(self._repack)

        self._show_all = QCheckBox("Show every term at full precision")
        self._show_all.setToolTip(
            f"Numbers are rounded to {SIGNIFICANT} significant digits and sums longer than {MAX_TERMS} "
            "terms are shortened; tick this to see every term exactly as the computer stored it."
        )
        self._show_all.toggled.connect(self._render)

        self._editor = ParameterEditor(self._mono)
        self._editor.committed.connect(self._commit)

        self.images = ImageInputs()  # the sample and layer-1 weights as images, when the inputs are one

        self._hint = QLabel(HINT)
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint.setWordWrap(True)
        self.narration = NarrationLabel()  # what the last phase did, in words (set by the window)

    def _build_layout(self) -> None:
        """The narration, then the hint or the explanation (pictures beside it), then the editor."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        layout.addWidget(self.narration)
        layout.addWidget(self._hint, 1)
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)
        layout.addLayout(ImagesBeside(self.images, self._body), 1)
        layout.addWidget(self._show_all)
        layout.addWidget(self._editor)

    # ----------------------------------------------------------------- public API

    def show_neuron(self, snapshot: Snapshot, layer: int, j: int, focus: Focus = FIRST_SAMPLE) -> None:
        """Select neuron j (0-based) of `layer` (0 = the inputs, 1… = layers) at `focus`.

        `focus` is a batch row or the batch mean (`BATCH_MEAN`)."""
        self._selection = ("neuron", layer, j, 0)
        self._select(snapshot, focus)

    def show_edge(self, snapshot: Snapshot, layer: int, i: int, j: int, focus: Focus = FIRST_SAMPLE) -> None:
        """Select the weight from unit i of layer `layer` − 1 to unit j of `layer` (1-based layer)."""
        self._selection = ("edge", layer, i, j)
        self._select(snapshot, focus)

    def refresh(self, snapshot: Snapshot, focus: Focus | None = None) -> None:
        """Re-render the current selection with a newer snapshot (after a step, an edit, a seek).

        `focus`, when given, replaces the sample (or mean) shown; otherwise the last one is kept."""
        self._snap = snapshot
        if focus is not None:
            self._focus = focus
        self._render()

    def set_input_names(self, names: Sequence[str]) -> None:
        """The data's feature names (e.g. "x1", "x1^2", "sin(x1)"); empty → inputs read x₁ … xₙ."""
        self._names = tuple(names)
        self._render()

    def clear(self) -> None:
        self._selection = None
        self._snap = None
        self._editor.clear_error()
        self._render()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self.images.set_dark(dark)
        self._apply_colors()
        self._render()

    def selection(self) -> tuple | None:
        """("neuron", layer, j), ("edge", layer, i, j) or None, as the canvas selects (layer 0 = the inputs)."""
        if self._selection is None:
            return None
        return self._selection[:3] if self._selection[0] == "neuron" else self._selection

    def focus(self) -> Focus:
        return self._focus

    def text(self) -> str:
        """The explanation as shown (title, subtitle, body), one line per line."""
        if self._selection is None:
            return HINT
        parts = [self._title.text(), self._subtitle.text(), *(line.text for line in self._body.lines)]
        return "\n".join(parts)

    def plain_text(self) -> str:
        """`text()` with ASCII minus signs, so numbers paste into Python and match in tests."""
        return self.text().replace(MINUS, "-")

    def error_text(self) -> str:
        """The inline message of the last rejected entry ('' when the entry was accepted)."""
        return self._editor.error_text()

    def value_field(self) -> QLineEdit:
        """The field where a person types a new weight or bias."""
        return self._editor.field()

    def set_button(self) -> QPushButton:
        return self._editor.set_button()

    def show_all_box(self) -> QCheckBox:
        """ "Show every term at full precision"."""
        return self._show_all

    # ----------------------------------------------------------------- rendering

    def _select(self, snapshot: Snapshot, focus: Focus) -> None:
        self._snap = snapshot
        self._focus = focus
        self._editor.clear_error()
        self._render()

    def _apply_colors(self) -> None:
        muted = "rgb({},{},{})".format(*palette(self._dark).muted)
        self._subtitle.setStyleSheet(f"color: {muted};")
        self._hint.setStyleSheet(f"color: {muted};")
        self._editor.set_dark(self._dark)

    def _repack(self) -> None:
        if self._selection is not None:
            self._render()

    def _render(self) -> None:
        self.images.show_state(self._snap, self._selection, self._focus, self._names)
        selected = self._selection is not None and self._snap is not None
        self._hint.setVisible(not selected)
        for widget in (self._title, self._subtitle, self._body, self._show_all):
            widget.setVisible(selected)
        if self._selection is None or self._snap is None:
            self._editor.hide()
            self._body.clear_page()
            return
        exact = self._show_all.isChecked()
        page = Page(self._body.fit_columns(), exact=exact, show_all=exact)
        self._write(page, self._snap, self._selection)
        self._title.setText(page.title)
        self._subtitle.setText(page.subtitle)
        self._editor.set_value(page.edit_value, page.edit_label)
        html = to_html(page.lines, palette(self._dark), self._mono.family(), self._mono.pointSizeF())
        section = self.current_section()
        if self._body.show_page(page.lines, html, (self._selection, section), section):
            return  # scrolled to a new section (the tooltip stays as it was)
        tip = "Exact values:\n" + "\n".join(page.exact_values) if page.exact_values else ""
        self._body.setToolTip(tip)

    def current_section(self) -> str | None:
        """The section ("forward", "backward" or "update") the snapshot's last phase belongs to."""
        phase = self._snap.phase if self._snap is not None else None
        if phase is None:
            return None
        return {"loss": "forward"}.get(phase.kind, phase.kind)

    def section_heading(self, section: str | None) -> str | None:
        """The heading text of `section` on the page shown, or None when the page has no such section."""
        return self._body.section_heading(section)

    def section_visible(self, section: str | None) -> bool:
        """Whether the heading of `section` and the line under it are inside the visible part of the body."""
        return self._body.section_visible(section)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._body.scroll_pending()

    def _write(self, page: Page, snap: Snapshot, selection: tuple[str, int, int, int]) -> None:
        kind, layer, a, b = selection
        if not self._valid(snap, kind, layer, a, b):
            page.title = "Selection not in this network"
            page.subtitle = HINT
            page.note("The network changed since this was selected.")
        elif kind == "neuron" and layer == 0:
            write_input(page, snap, a, self._focus, self._names)
        elif kind == "neuron":
            write_neuron(page, snap, layer, a, self._focus, self._names)
        else:
            write_edge(page, snap, layer, a, b, self._focus, self._names)

    @staticmethod
    def _valid(snap: Snapshot, kind: str, layer: int, a: int, b: int) -> bool:
        sizes = snap.sizes
        if kind == "neuron":
            return 0 <= layer < len(sizes) and 0 <= a < sizes[layer]
        return 1 <= layer < len(sizes) and 0 <= a < sizes[layer - 1] and 0 <= b < sizes[layer]

    def _commit(self, value: float) -> None:
        if self._selection is None:
            return
        kind, layer, a, b = self._selection
        if kind == "edge":
            self.weight_edited.emit(layer, a, b, value)
        else:
            self.bias_edited.emit(layer, a, value)
