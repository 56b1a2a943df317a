"""The chain rule of one selected neuron or edge, written out with the numbers the session computed.

Every number shown is read from `backprop_studio.core.analysis.chain_rule` or the `Snapshot`; this module only chooses how to write
them: which factors go in a formula, how many terms fit a line, how many digits to keep. The one sum a
student most wants to check (z = Σ a·w + b, dL/da = Σ w·dL/dz, dL/dw = Σ_b a·dL/dz) is written with its
factors and core's total, so "the numbers add up" is something they verify, not something we claim.

The widget also edits the selected weight or bias: it validates the text and emits `weight_edited` /
`bias_edited`; the controller applies the change to the session and calls `refresh` with the result.
"""

from __future__ import annotations

import dataclasses
import html
import math

from backprop_studio.core.analysis.chain_rule import NeuronTerms, edge_terms, neuron_terms
from backprop_studio.core.training.snapshot import Snapshot
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

MINUS = "\u2212"
SIGNIFICANT = 4
# Sums longer than this are cut to their first COLLAPSED_HEAD terms, "…" and the total, unless "show all".
MAX_TERMS = 8
COLLAPSED_HEAD = 6
HINT = "Click a neuron or an edge to see its chain rule"
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

LOCAL_GRADIENT_RULE = {
    "relu": "1 if z > 0, else 0",
    "leaky_relu": "1 if z > 0, else 0.01",
    "sigmoid": "σ′(z) = a·(1 − a)",
    "tanh": "tanh′(z) = 1 − a²",
    "linear": "always 1",
    "softmax": "diagonal aⱼ·(1 − aⱼ) of the Jacobian",
}


def format_number(value: float, exact: bool = False, digits: int = SIGNIFICANT) -> str:
    """Compact: `digits` significant digits; `exact`: the shortest text that reads back as the same float."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else f"{MINUS}∞"
    if value == 0:
        return "0"  # also for −0.0, whose sign would only puzzle a reader
    text = repr(float(value)) if exact else f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", MINUS)


def subscript(n: int) -> str:
    return str(n).translate(_SUBSCRIPTS)


def _wrapped(text: str) -> str:
    """A number that follows an operator: negative ones in parentheses, so '+ (−0.1)' is not misread."""
    return f"({text})" if text.startswith(MINUS) else text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _parse_value(text: str) -> float | None:
    """A finite float from what a person typed (accepts '−' and a decimal comma), else None."""
    cleaned = text.strip().replace(MINUS, "-").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def batch_view(snap: Snapshot) -> tuple[Snapshot | None, bool]:
    """The snapshot to read this batch's sums from, and whether the update phase has run.

    After the update the snapshot's weights are the new ones while z, a and the gradients still come
    from the old ones, so the sums are read with the parameters before the update put back (None when a
    snapshot does not carry them).
    """
    updated = any(state.delta_W is not None for state in snap.layers)
    if not updated:
        return snap, False
    if snap.weights_before_update is None or snap.biases_before_update is None:
        return None, True
    return dataclasses.replace(snap, weights=snap.batch_weights, biases=snap.batch_biases), True


@dataclasses.dataclass
class _Line:
    style: str  # "forward" / "backward" / "update" (headings), "math", "result", "aside" (muted math), "note"
    text: str


class _Writer:
    """Collects the lines of one explanation and packs long sums into the available width."""

    def __init__(self, columns: int, exact: bool, show_all: bool) -> None:
        self.columns = max(columns, 24)
        self.exact = exact
        self.show_all = show_all
        self.lines: list[_Line] = []
        self.exact_values: list[str] = []  # "name = exact value" for the tooltip

    def num(self, value: float) -> str:
        return format_number(value, self.exact)

    def product(self, x: float, y: float) -> str:
        return f"({self.num(x)}·{self.num(y)})"

    def heading(self, style: str, text: str) -> None:
        self.lines.append(_Line(style, text))

    def note(self, text: str) -> None:
        self.lines.append(_Line("note", text))

    def math(self, text: str, style: str = "math") -> None:
        self.lines.append(_Line(style, text))

    def remember(self, name: str, value: float) -> None:
        self.exact_values.append(f"{name} = {format_number(value, exact=True)}")

    def limited(self, terms: list[str]) -> list[str]:
        if self.show_all or len(terms) <= MAX_TERMS:
            return terms
        hidden = len(terms) - COLLAPSED_HEAD
        # No-break spaces: the marker must never be split across two lines by the label's wrapping.
        return [*terms[:COLLAPSED_HEAD], f"…{hidden}\u00a0more\u00a0terms…"]

    def chain(self, lhs: str, steps: list[str], style: str = "result") -> None:
        """lhs = s₁ = s₂ = … on one line when it fits, else one '= sₖ' per line under the first.

        The last step is the value core computed; its line gets `style`."""
        one_line = f"{lhs} = " + " = ".join(steps)
        if len(one_line) <= self.columns:
            self.math(one_line, style)
            return
        pad = " " * len(lhs)
        self.math(f"{lhs} = {steps[0]}")
        for step in steps[1:-1]:
            self.math(f"{pad} = {step}")
        self.math(f"{pad} = {steps[-1]}", style)

    def equation(self, lhs: str, symbolic: str, terms: list[str], result: str) -> None:
        """lhs = symbolic / = t₁ + t₂ + … (packed to the width) / = result, aligned on the '='."""
        pad = " " * len(lhs)
        self.math(f"{lhs} = {symbolic}")
        line = f"{pad} = "
        first = True
        for term in terms:
            piece = term if first else f" + {term}"
            if not first and len(line) + len(piece) > self.columns:
                self.math(line)
                line = f"{pad} + {term}"
            else:
                line += piece
            first = False
        self.math(line)
        self.math(f"{pad} = {result}", "result")


class Inspector(QWidget):
    """Shows the chain rule of the selected neuron or edge with real numbers, and edits its parameter."""

    weight_edited = Signal(int, int, int, float)  # layer (1-based), i, j, new value
    bias_edited = Signal(int, int, float)  # layer (1-based), j, new value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._snap: Snapshot | None = None
        self._selection: tuple | None = None
        self._dark = False
        self._lines: list[_Line] = []
        self._columns = 0
        self._current_value: float | None = None
        self._shown_text = ""  # what the editor was last filled with, to tell an edit from a re-commit

        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._mono.setStyleHint(QFont.StyleHint.Monospace)

        self._title = QLabel()
        title_font = self._title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.1)
        self._title.setFont(title_font)
        self._title.setWordWrap(True)
        self._subtitle = QLabel()
        self._subtitle.setWordWrap(True)

        # A text browser, not a label: prose wraps to the width while formula lines keep their layout
        # (white-space: pre) and scroll sideways when a full-precision term is wider than the panel.
        self._body = QTextBrowser()
        self._body.setOpenLinks(False)
        self._body.setFrameShape(QFrame.Shape.NoFrame)
        self._body.viewport().setAutoFillBackground(False)
        self._body.document().setDocumentMargin(2)
        self._body.viewport().installEventFilter(self)

        self._show_all = QCheckBox("Show every term at full precision")
        self._show_all.setToolTip(
            f"Numbers are rounded to {SIGNIFICANT} significant digits and sums longer than {MAX_TERMS} "
            "terms are shortened; tick this to see every term exactly as the computer stored it."
        )
        self._show_all.toggled.connect(self._render)

        self._edit_label = QLabel()
        self._edit = QLineEdit()
        self._edit.setFont(self._mono)
        self._edit.setClearButtonEnabled(False)
        self._edit.returnPressed.connect(self._commit)
        self._edit.textEdited.connect(self._clear_error)
        self._apply = QPushButton("Set")
        self._apply.setAutoDefault(False)
        self._apply.clicked.connect(self._commit)
        edit_row = QHBoxLayout()
        edit_row.setContentsMargins(0, 0, 0, 0)
        edit_row.addWidget(self._edit_label)
        edit_row.addWidget(self._edit, 1)
        edit_row.addWidget(self._apply)
        self._editor = QWidget()
        editor_layout = QVBoxLayout(self._editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.setSpacing(2)
        editor_layout.addLayout(edit_row)
        self._error = QLabel()
        self._error.setWordWrap(True)
        self._error.hide()
        editor_layout.addWidget(self._error)
        self._edit_note = QLabel(
            "Enter applies it: the current batch is recomputed from its start, and recorded steps after "
            "this one are dropped."
        )
        self._edit_note.setWordWrap(True)
        editor_layout.addWidget(self._edit_note)

        self._hint = QLabel(HINT)
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        layout.addWidget(self._hint, 1)
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)
        layout.addWidget(self._body, 1)
        layout.addWidget(self._show_all)
        layout.addWidget(self._editor)
        self._apply_colors()
        self.clear()

    # ----------------------------------------------------------------- public API

    def show_neuron(self, snapshot: Snapshot, layer: int, j: int, sample: int = 0) -> None:
        """Select neuron j (0-based) of `layer` (0 = the inputs, 1… = layers) for batch sample `sample`."""
        self._selection = ("neuron", layer, j, sample)
        self._snap = snapshot
        self._clear_error()
        self._render()

    def show_edge(self, snapshot: Snapshot, layer: int, i: int, j: int) -> None:
        """Select the weight from unit i of layer `layer` − 1 to unit j of `layer` (1-based)."""
        self._selection = ("edge", layer, i, j)
        self._snap = snapshot
        self._clear_error()
        self._render()

    def refresh(self, snapshot: Snapshot) -> None:
        """Re-render the current selection with a newer snapshot (after a step, an edit, a seek)."""
        self._snap = snapshot
        self._render()

    def clear(self) -> None:
        self._selection = None
        self._snap = None
        self._clear_error()
        self._render()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self._apply_colors()
        self._render()

    def selection(self) -> tuple | None:
        """("neuron", layer, j, sample), ("edge", layer, i, j) or None."""
        return self._selection

    def text(self) -> str:
        """The explanation as shown (title, subtitle, body), one line per line."""
        if self._selection is None:
            return HINT
        parts = [self._title.text(), self._subtitle.text(), *(line.text for line in self._lines)]
        return "\n".join(parts)

    def plain_text(self) -> str:
        """`text()` with ASCII minus signs, so numbers paste into Python and match in tests."""
        return self.text().replace(MINUS, "-")

    def error_text(self) -> str:
        """The inline message of the last rejected entry ('' when the entry was accepted)."""
        return self._error.text() if self._error.isVisibleTo(self) else ""

    # ----------------------------------------------------------------- rendering

    def _apply_colors(self) -> None:
        p = palette(self._dark)
        muted = "rgb({},{},{})".format(*p.muted)
        warning = "rgb({},{},{})".format(*p.warning)
        self._subtitle.setStyleSheet(f"color: {muted};")
        self._hint.setStyleSheet(f"color: {muted};")
        self._edit_note.setStyleSheet(f"color: {muted}; font-size: 90%;")
        self._error.setStyleSheet(f"color: {warning};")

    def _columns_available(self) -> int:
        # Reserve the scroll bar even when it is hidden: packing must not depend on whether it shows,
        # or a long explanation would re-pack itself as the bar appears and disappears.
        bar = self._body.verticalScrollBar().sizeHint().width()
        viewport = self._body.viewport().width()
        if self._body.verticalScrollBar().isVisible():
            viewport += self._body.verticalScrollBar().width()
        width = viewport - bar - 8
        advance = QFontMetricsF(self._mono).horizontalAdvance("0") or 7.0
        return max(int(width / advance), 24)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Sums are packed to the width, so re-pack when the scroll area's viewport changes width.
        if (
            watched is self._body.viewport()
            and event.type() == QEvent.Type.Resize
            and self._selection is not None
            and self._columns_available() != self._columns
        ):
            self._render()
        return super().eventFilter(watched, event)

    def _render(self) -> None:
        selected = self._selection is not None and self._snap is not None
        self._hint.setVisible(not selected)
        for widget in (self._title, self._subtitle, self._body, self._show_all):
            widget.setVisible(selected)
        if not selected:
            self._editor.hide()
            self._lines = []
            self._body.clear()
            return
        self._columns = self._columns_available()
        writer = _Writer(self._columns, exact=self._show_all.isChecked(), show_all=self._show_all.isChecked())
        kind, layer, a, b = self._selection
        snap = self._snap
        valid = self._valid(snap, kind, layer, a, b)
        if not valid:
            self._title.setText("Selection not in this network")
            self._subtitle.setText(HINT)
            writer.note("The network changed since this was selected.")
            self._set_editor(None, "")
        elif kind == "neuron" and layer == 0:
            self._input_neuron(writer, snap, a, b)
        elif kind == "neuron":
            self._neuron(writer, snap, layer, a, b)
        else:
            self._edge(writer, snap, layer, a, b)
        self._lines = writer.lines
        # Re-rendering after every step must not throw the reader back to the top of a long explanation.
        bars = (self._body.verticalScrollBar(), self._body.horizontalScrollBar())
        positions = [bar.value() for bar in bars]
        self._body.setHtml(self._html(writer.lines))
        for bar, position in zip(bars, positions):
            bar.setValue(position)
        tip = "Exact values:\n" + "\n".join(writer.exact_values) if writer.exact_values else ""
        self._body.setToolTip(tip)

    @staticmethod
    def _valid(snap: Snapshot, kind: str, layer: int, a: int, b: int) -> bool:
        sizes = snap.sizes
        if kind == "neuron":
            return 0 <= layer < len(sizes) and 0 <= a < sizes[layer] and b >= 0
        return 1 <= layer < len(sizes) and 0 <= a < sizes[layer - 1] and 0 <= b < sizes[layer]

    def _html(self, lines: list[_Line]) -> str:
        p = palette(self._dark)

        def rgb(c: tuple[int, int, int]) -> str:
            return "rgb({},{},{})".format(*c)

        heading = {"forward": p.forward, "backward": p.loss, "update": p.update}
        mono = html.escape(self._mono.family())
        size = f"{self._mono.pointSizeF():g}"
        out = []
        for line in lines:
            text = html.escape(line.text)
            if line.style in heading:
                out.append(
                    f'<div style="color:{rgb(heading[line.style])}; font-weight:600; '
                    f'margin-top:10px; margin-bottom:2px;">{text}</div>'
                )
            elif line.style in ("math", "result", "aside"):
                extra = {"result": "font-weight:600;", "aside": f"color:{rgb(p.muted)};"}.get(line.style, "")
                out.append(
                    f"<div style=\"font-family:'{mono}'; font-size:{size}pt; white-space:pre; {extra}\">"
                    f"{text}</div>"
                )
            else:
                # Word joiners around '/' keep "dL/dz" on one line when the note wraps.
                text = text.replace("/", "\u2060/\u2060")
                out.append(f'<div style="color:{rgb(p.muted)}; margin-top:2px;">{text}</div>')
        return "".join(out)

    @staticmethod
    def _batch_size(snap: Snapshot) -> int | None:
        return None if snap.x is None else int(snap.x.shape[0])

    def _sample_text(self, snap: Snapshot, sample: int) -> tuple[int, str]:
        size = self._batch_size(snap)
        if size is None:
            return sample, f"sample {sample} · no batch loaded yet"
        shown = min(sample, size - 1)
        return shown, f"sample {shown} of the {size} in this batch"

    @staticmethod
    def _after(snap: Snapshot) -> str:
        return "start of training" if snap.phase is None else f"after {snap.phase.label}"

    # ----------------------------------------------------------------- neuron of a layer

    def _neuron(self, w: _Writer, snap: Snapshot, layer: int, j: int, sample: int) -> None:
        last = layer == snap.n_layers
        act = snap.activations[layer - 1]
        sample, sample_text = self._sample_text(snap, sample)
        role = "output layer" if last else "hidden layer"
        self._title.setText(f"Neuron {j} of layer {layer}")
        self._subtitle.setText(f"{role} · {act} · {sample_text} · {self._after(snap)}")
        view, updated = batch_view(snap)
        current = neuron_terms(snap, layer, j, sample)
        terms = neuron_terms(view, layer, j, sample) if view is not None else None
        inputs = "xᵢ" if layer == 1 else "aᵢ"

        w.heading("forward", "Forward: weighted sum, then activation")
        fwd = current.forward
        if fwd is None:
            w.note(f"Not computed yet in this batch: it appears after forward through layer {layer}.")
        else:
            if updated and view is None:
                # Parameters before the update are not in this snapshot: show the result only.
                w.chain("z", [f"Σᵢ {inputs}·wᵢⱼ + b", w.num(fwd.z)])
            else:
                parts = w.limited([w.product(x, wt) for x, wt in zip(fwd.inputs, fwd.weights)])
                w.equation("z", f"Σᵢ {inputs}·wᵢⱼ + b", [*parts, _wrapped(w.num(fwd.bias))], w.num(fwd.z))
            if updated:
                w.note("(This batch's forward pass, done with w and b as they were before the update.)")
            w.chain("a", [f"{act}(z)", f"{act}({w.num(fwd.z)})", w.num(fwd.a)])
            w.remember("z", fwd.z)
            w.remember("a", fwd.a)

        bwd = current.backward
        fused = bwd is not None and bwd.fused and bwd.source == "loss"
        w.heading("backward", "Backward: dL/dz from the loss" if fused else "Backward: dL/dz = dL/da · f′(z)")
        if bwd is None:
            w.note(
                f"Not reached yet: dL/dz of this neuron appears after backward through layer {layer} "
                "(the backward pass starts at the loss and moves right to left)."
            )
        else:
            self._backward_lines(w, snap, terms, current, last)

        self._bias_update_lines(w, snap, layer, j)
        self._set_editor(float(snap.biases[layer - 1][j]), f"b of neuron {j} =")

    def _backward_lines(
        self, w: _Writer, snap: Snapshot, terms: NeuronTerms | None, current: NeuronTerms, last: bool
    ) -> None:
        bwd = current.backward
        fwd = current.forward
        act = snap.activations[current.layer - 1]
        layer = current.layer
        size = self._batch_size(snap) or 1
        y_hat = w.num(fwd.a) if fwd is not None else "ŷ"
        target = w.num(bwd.target) if bwd.target is not None else "y"
        w.remember("dL/dz", bwd.dz)

        if bwd.fused:
            pair = (
                "softmax + cross-entropy"
                if snap.loss_name == "cross_entropy"
                else "sigmoid + binary cross-entropy"
            )
            w.chain("dL/dz", ["(ŷ − y)/B", f"({y_hat} − {_wrapped(target)})/{size}", w.num(bwd.dz)])
            if snap.loss_name == "cross_entropy":
                w.note(
                    "ŷ is this output's softmax probability, y its target, B the batch size. Softmax "
                    "couples the outputs: dL/dzⱼ = Σₘ dL/daₘ · aₘ(δₘⱼ − aⱼ), and with cross-entropy "
                    "that whole sum collapses to (ŷⱼ − yⱼ)/B, so the loss gives dL/dz directly."
                )
            else:
                w.note(
                    f"ŷ is this output, y its target, B the batch size. For {pair}, f′(z) cancels "
                    "against dL/dŷ, so the loss gives dL/dz directly (and stays exact when ŷ is near 0 or 1)."
                )
            w.math(f"f′(z) = {w.num(bwd.local)}   (cancelled, not used)", "aside")
            w.remember("f′(z)", bwd.local)
            return

        if bwd.source == "loss":
            w.chain("dL/da", ["dL/dŷ = (ŷ − y)/B", f"({y_hat} − {_wrapped(target)})/{size}", w.num(bwd.da)])
            w.note(f"From the loss ({snap.loss_name}): ŷ = a is this output, y its target, B the batch size.")
        elif terms is not None and terms.backward is not None:
            tb = terms.backward
            parts = w.limited([w.product(wt, d) for wt, d in zip(tb.downstream_weights, tb.downstream_dz)])
            w.equation("dL/da", "Σₘ wⱼₘ·dL/dzₘ", parts, w.num(tb.da))
            w.note(
                f"m runs over the {_count(len(tb.downstream_dz), 'neuron')} of layer {layer + 1}: each "
                "passes back its dL/dz times the weight that connects it to this neuron."
            )
        else:
            w.chain("dL/da", ["Σₘ wⱼₘ·dL/dzₘ", w.num(bwd.da)])
        w.remember("dL/da", bwd.da)

        z_text = w.num(fwd.z) if fwd is not None else "z"
        w.chain("f′(z)", [f"{act}′({z_text})", w.num(bwd.local)], "math")
        w.note(f"{act}′: {LOCAL_GRADIENT_RULE[act]}.")
        w.remember("f′(z)", bwd.local)
        if act == "softmax":
            w.note("Softmax couples the units: dL/dzⱼ = aⱼ·(dL/daⱼ − Σₘ aₘ·dL/daₘ).")
            w.math(f"dL/dz = {w.num(bwd.dz)}", "result")
            return
        w.chain("dL/dz", ["dL/da · f′(z)", f"{w.num(bwd.da)} × {_wrapped(w.num(bwd.local))}", w.num(bwd.dz)])

    def _bias_update_lines(self, w: _Writer, snap: Snapshot, layer: int, j: int) -> None:
        state = snap.layers[layer - 1]
        if state.db is not None and state.dz is not None:
            parts = w.limited([_wrapped(w.num(v)) for v in state.dz[:, j].tolist()])
            w.equation("dL/db", "Σ_b dL/dz   (over the batch)", parts, w.num(float(state.db[j])))
            w.remember("dL/db", float(state.db[j]))
        w.heading("update", "Update: new b = b + Δb")
        if state.delta_b is None:
            w.note("Not applied yet: the weight update ends the batch, after backward through layer 1.")
            return
        step = float(state.delta_b[j])
        w.math(f"Δb = {w.num(step)}")
        w.note("The optimizer's step, computed from dL/db.")
        w.math(f"b is now {w.num(float(snap.biases[layer - 1][j]))}", "result")
        w.remember("Δb", step)

    # ----------------------------------------------------------------- input neuron

    def _input_neuron(self, w: _Writer, snap: Snapshot, i: int, sample: int) -> None:
        sample, sample_text = self._sample_text(snap, sample)
        self._title.setText(f"Input x{subscript(i)}")
        self._subtitle.setText(f"input layer · {sample_text} · {self._after(snap)}")
        self._set_editor(None, "")
        w.heading("forward", "Forward: the feature value")
        if snap.x is None:
            w.note("No batch loaded yet: the batch starts with forward through layer 1.")
        else:
            value = float(snap.x[sample, i])
            w.math(f"x{subscript(i)} = {w.num(value)}", "result")
            w.remember(f"x{subscript(i)}", value)
        w.heading("backward", "Backward: how the loss reacts to this input")
        view, _ = batch_view(snap)
        dz = snap.layers[0].dz
        if dz is None or snap.dx is None:
            w.note(
                "dL/dx appears after backward through layer 1. Inputs are not trained; dL/dx shows "
                "which way a change of this feature would move the loss."
            )
            return
        dx = float(snap.dx[sample, i])
        name = f"dL/dx{subscript(i)}"
        if view is None:
            w.chain(name, ["Σₘ wᵢₘ·dL/dzₘ", w.num(dx)])
        else:
            weights = view.weights[0][i, :].tolist()
            parts = w.limited([w.product(wt, d) for wt, d in zip(weights, dz[sample].tolist())])
            w.equation(name, "Σₘ wᵢₘ·dL/dzₘ", parts, w.num(dx))
        w.note(f"m runs over the {_count(snap.sizes[1], 'neuron')} of layer 1.")
        w.remember(name, dx)

    # ----------------------------------------------------------------- edge

    def _edge(self, w: _Writer, snap: Snapshot, layer: int, i: int, j: int) -> None:
        src = f"input x{subscript(i)}" if layer == 1 else f"neuron {i} of layer {layer - 1}"
        self._title.setText(f"Weight: {src} → neuron {j} of layer {layer}")
        self._subtitle.setText(f"W[{i}, {j}] of layer {layer} · {self._after(snap)}")
        e = edge_terms(snap, layer, i, j)
        a_name = "xᵢ" if layer == 1 else "aᵢ"
        # After an update on the fast path (whole epochs) the weight before it is not recorded, and
        # edge_terms then reports the updated weight as the one the batch used: say so instead.
        before_known = e.step is None or snap.weights_before_update is not None
        if before_known:
            w.math(f"w = {w.num(e.weight)}", "result")
            w.remember("w", e.weight)
            w.note(
                f"The value this batch used: in the forward pass every sample adds {a_name}·w to neuron {j}'s z."
            )
        else:
            w.math(f"w = {w.num(e.weight_after)}   (after this batch's update)", "result")
            w.note("The value before the update was not recorded (this batch ran as part of a fast run).")

        w.heading("backward", f"Backward: dL/dw = Σ_b {a_name}·dL/dzⱼ")
        if e.products is None:
            w.note(
                f"Not reached yet: dL/dw appears after backward through layer {layer}, once this "
                f"neuron's dL/dz is known for every sample of the batch."
            )
        else:
            self._edge_table(w, e.inputs, e.dz, e.products, e.regularization, e.gradient, a_name)

        w.heading("update", "Update: new w = w + Δw")
        if e.step is None:
            w.note("Not applied yet: the weight update ends the batch, after backward through layer 1.")
        else:
            w.math(f"Δw = {w.num(e.step)}")
            w.note("The optimizer's step, computed from dL/dw.")
            if before_known:
                old = f"{w.num(e.weight)} + {_wrapped(w.num(e.step))}"
                w.chain("new w", ["w + Δw", old, w.num(e.weight_after)])
            else:
                w.chain("new w", ["w + Δw", w.num(e.weight_after)])
            w.remember("Δw", e.step)
            w.remember("new w", e.weight_after)
        self._set_editor(float(snap.weights[layer - 1][i, j]), "w =")

    def _edge_table(
        self,
        w: _Writer,
        inputs: tuple[float, ...],
        dz: tuple[float, ...],
        products: tuple[float, ...],
        regularization: float | None,
        gradient: float | None,
        a_name: str,
    ) -> None:
        rows = list(range(len(products)))
        hidden = 0
        if not w.show_all and len(rows) > MAX_TERMS:
            hidden = len(rows) - COLLAPSED_HEAD
            rows = rows[:COLLAPSED_HEAD]
        cells = [(str(b), w.num(inputs[b]), w.num(dz[b]), w.num(products[b])) for b in rows]
        header = ("sample", a_name, "dL/dzⱼ", f"{a_name}·dL/dzⱼ")
        widths = [max(len(header[c]), *(len(row[c]) for row in cells)) for c in range(4)]
        widths[3] = max(widths[3], len(w.num(gradient)) if gradient is not None else 0)

        def row(values: tuple[str, ...]) -> str:
            return "  ".join(v.ljust(widths[c]) for c, v in enumerate(values)).rstrip()

        w.math(row(header))
        for cell in cells:
            w.math(row(cell))
        if hidden:
            w.math(row(("⋮", "", "", f"…{hidden} more samples")))
        lead = " " * (sum(widths[:3]) + 6)
        w.math(lead + "─" * widths[3])
        # Regularisation is reported as dL/dw minus the data sum, so float rounding leaves ~1e-17 behind
        # when there is none; only a share that is visible against the gradient is worth a line.
        reg = regularization if regularization is not None else 0.0
        scale = abs(gradient) if gradient is not None else 0.0
        if abs(reg) > 1e-12 + 1e-9 * scale:
            w.math(f"{'+ regularisation'.ljust(len(lead))}{w.num(reg)}")
            w.remember("regularisation share", reg)
        w.math(f"{'dL/dw ='.ljust(len(lead))}{w.num(gradient)}", "result")
        if gradient is not None:
            w.remember("dL/dw", gradient)
        if len(products) == 1:
            w.note("One sample in the batch, so the sum has one term.")
        else:
            w.note(f"One row per sample of the batch ({len(products)}); each dL/dz already carries the 1/B.")

    # ----------------------------------------------------------------- editing

    def _set_editor(self, value: float | None, label: str) -> None:
        self._current_value = value
        if value is None:
            self._editor.hide()
            return
        self._editor.show()
        self._edit_label.setText(label)
        tip = "Type a new value and press Enter (finite numbers only, e.g. 0.25, −1.5, 1e−3)."
        self._edit.setToolTip(tip)
        # Never overwrite what the person is typing just because the session stepped meanwhile.
        if not (self._edit.hasFocus() and self._edit.isModified()):
            self._shown_text = f"{value:.6g}"
            self._edit.setText(self._shown_text)
            self._edit.setModified(False)

    def _commit(self) -> None:
        if self._selection is None or self._current_value is None:
            return
        text = self._edit.text()
        value = _parse_value(text)
        if value is None:
            shown = text.strip() or "an empty field"
            self._show_error(f"“{shown}” is not a finite number; nothing was changed.")
            return
        self._clear_error()
        self._edit.setModified(False)
        # The field shows 6 digits, so committing it untouched must not round the weight to them; and
        # re-entering the current value would still start a new branch and drop the recorded future.
        if text.strip() == self._shown_text or value == self._current_value:
            return
        kind, layer, a, b = self._selection
        if kind == "edge":
            self.weight_edited.emit(layer, a, b, value)
        else:
            self.bias_edited.emit(layer, a, value)

    def _show_error(self, message: str) -> None:
        self._error.setText(message)
        self._error.show()
        c = palette(self._dark).warning
        self._edit.setStyleSheet(f"QLineEdit {{ border: 1px solid rgb({c[0]},{c[1]},{c[2]}); }}")

    def _clear_error(self, *_: object) -> None:
        self._error.clear()
        self._error.hide()
        self._edit.setStyleSheet("")
