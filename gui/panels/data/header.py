"""The data panel's header: its title or page tabs, the sample the inspector follows and the Batch mean button."""

from __future__ import annotations

from backprop_studio.core.display.names import sample_label
from backprop_studio.gui.panels.data.legend import hex_color
from backprop_studio.gui.style.colors import palette
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QTabBar


class _WholeLabel(QLabel):
    """A label that draws its text whole or not at all: in a narrow header "◎ sam" would read as a bug
    (the toolbar's "Showing: …" says the same in full)."""

    def paintEvent(self, event) -> None:
        if self.width() >= self.sizeHint().width():
            super().paintEvent(event)


class Header(QHBoxLayout):
    """Title or page tabs on the left, "◎ sample #n" and the Batch mean button on the right."""

    def __init__(self) -> None:
        super().__init__()
        self.title = QLabel("<b>Data</b>")
        self.tab_bar = QTabBar()
        self.tab_bar.setDocumentMode(True)
        self.tab_bar.setDrawBase(False)
        self.tab_bar.setExpanding(False)
        self.focus_label = _WholeLabel()
        self.focus_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.focus_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.focus_label.setToolTip("The sample the inspector shows; click a training point to follow it")
        self.mean_button = QPushButton("Batch mean")
        self.mean_button.setToolTip(
            "Follow the mean over the current batch in the inspector instead of one sample"
        )
        self.setContentsMargins(6, 2, 6, 0)
        self.addWidget(self.title)
        self.addWidget(self.tab_bar)
        self.addWidget(self.focus_label, 1)
        self.addWidget(self.mean_button)

    def show_focus(self, has_data: bool, focus: int | None, dark: bool) -> None:
        muted = hex_color(palette(dark).muted)
        if not has_data:
            self.focus_label.setText("")
            self.mean_button.setEnabled(False)
            return
        self.mean_button.setEnabled(True)
        # Short on purpose: the header is narrow, and the window's toolbar says in full what is shown.
        text = "" if focus is None else f"◎ <b>{sample_label(focus)}</b>"
        self.focus_label.setText(f"<span style='color:{muted}'>{text}</span>")
