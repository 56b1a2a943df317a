"""Breakpoints: the watch conditions that stop training (backprop_studio.core.debugger.watch), listed
with on/off boxes, added and edited through the form in `watch_dialog`, and the message of the last one
that fired.

The panel never changes the controller: it emits the whole edited list (`watches_edited`), the controller
takes it (`set_watches`) and echoes it back through `watches_changed`, which the window hands to
`set_watches` here with the network's sizes, activations and input features, so watches that cannot fire
are explained and the form names inputs by their feature.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Sequence

from backprop_studio.core.debugger.conditions import Hit
from backprop_studio.core.debugger.watch import Watch, fit_problem
from backprop_studio.core.limits import MAX_BREAKPOINTS
from backprop_studio.gui.debugger.watch_dialog import WatchDialog
from backprop_studio.gui.style.colors import mix, palette
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class BreakpointsPanel(QWidget):
    """The list of breakpoints with enable boxes, Add…, Edit…, Remove, and the last hit's message."""

    watches_edited = Signal(object)  # tuple[Watch, ...]: the whole list as the user left it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._watches: tuple[Watch, ...] = ()
        self._sizes: tuple[int, ...] = ()
        self._activations: tuple[str, ...] = ()
        self._features: tuple[str, ...] = ()
        self._hit: Hit | None = None
        self._last_hit: Hit | None = None
        self._dark = False
        self._filling = False
        self._build_widgets()
        self._build_layout()
        self.add_button.clicked.connect(self.add_breakpoint)
        self.edit_button.clicked.connect(self.edit_breakpoint)
        self.remove_button.clicked.connect(self._on_remove)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.itemDoubleClicked.connect(lambda _: self.edit_breakpoint())
        self.list.currentRowChanged.connect(lambda _: self._refresh_buttons())
        self._apply_colors()
        self._fill()

    def _build_widgets(self) -> None:
        self.list = QListWidget()
        self.list.setAlternatingRowColors(False)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setToolTip("Tick a breakpoint to arm it; double-click to edit it")
        self.add_button = QPushButton("Add…")
        self._add_tip = "Stop training when a condition holds"
        self.add_button.setToolTip(self._add_tip)
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

    def _build_layout(self) -> None:
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

    # ----------------------------------------------------------------- public API

    @property
    def watches(self) -> tuple[Watch, ...]:
        return self._watches

    def set_watches(
        self,
        watches: Sequence[Watch],
        sizes: Sequence[int],
        activations: Sequence[str],
        features: Sequence[str] = (),
    ) -> None:
        """Show `watches` for a network of these sizes (inputs first) and activations, whose inputs carry
        these features (their names in the form; x₁ … xₙ when empty)."""
        self._watches = tuple(watches)
        self._sizes = tuple(sizes)
        self._activations = tuple(activations)
        self._features = tuple(features)
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

    def add_breakpoint(self) -> None:
        """Open the form for a new breakpoint (modal) and add it when accepted: the Add… button and
        Debug → Add breakpoint…."""
        if not self._activations or len(self._watches) >= MAX_BREAKPOINTS:
            return
        watch = self._ask(None)
        if watch is not None:
            self._edited((*self._watches, watch))
            self.list.setCurrentRow(len(self._watches) - 1)

    def edit_breakpoint(self) -> None:
        """Open the form on the selected breakpoint (modal) and replace it when accepted: Edit…"""
        row = self.list.currentRow()
        if not 0 <= row < len(self._watches):
            return
        watch = self._ask(self._watches[row])
        if watch is not None:
            watches = list(self._watches)
            watches[row] = watch
            self._edited(tuple(watches))
            self.list.setCurrentRow(row)

    def _ask(self, watch: Watch | None) -> Watch | None:
        dialog = WatchDialog(self._sizes, self._activations, watch, self, self._dark, self._features)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        result = dialog.watch() if accepted else None
        dialog.deleteLater()
        return result

    # ----------------------------------------------------------------- list

    def _fill(self) -> None:
        p = palette(self._dark)
        current = self.list.currentRow()
        self._filling = True
        # Not QListWidget.clear(): it removes the items one by one and grows quadratically with the count.
        self.list.model().removeRows(0, self.list.count())
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
        full = len(self._watches) >= MAX_BREAKPOINTS
        self.add_button.setEnabled(bool(self._activations) and not full)
        self.add_button.setToolTip(
            f"At most {MAX_BREAKPOINTS:,} breakpoints (the limit): remove one to add another"
            if full
            else self._add_tip
        )

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        row = self.list.row(item)
        enabled = item.checkState() == Qt.CheckState.Checked
        if 0 <= row < len(self._watches) and self._watches[row].enabled != enabled:
            self._set_enabled(row, enabled)

    def _set_enabled(self, row: int, enabled: bool) -> None:
        watches = list(self._watches)
        watches[row] = dataclasses.replace(watches[row], enabled=enabled)
        self._edited(tuple(watches))

    def _edited(self, watches: tuple[Watch, ...]) -> None:
        # Shown at once, so the list does not flicker back while the controller echoes it.
        self._watches = watches
        self._fill()
        self.watches_edited.emit(watches)

    def _on_remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._watches):
            self._edited(self._watches[:row] + self._watches[row + 1 :])

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
        self.message.setText(f"<b>{html.escape(head)}</b><br>{html.escape(body)}")
        self.message.show()

    def _apply_colors(self) -> None:
        p = palette(self._dark)
        self.empty.setStyleSheet("color: rgb({},{},{});".format(*p.muted))
        # Fusion outlines item check boxes in a shade of the Window color, which on a dark palette is
        # as dark as the list itself: an unticked breakpoint would show no box at all. A lighter Window
        # for this list only gives the boxes an outline; the list's own background is Base.
        colors = self.palette()
        if self._dark:
            colors.setColor(QPalette.ColorRole.Window, QColor(*p.muted))
        self.list.setPalette(colors)
