"""The data panel's pages (DataView's part): which tabs are offered for the data (the plot always, the
projection for classification data with more than two inputs, the confusion matrix for classification),
which one is in front, and the title and legend that go with it. A tab picked by hand stays in front
across data sets wherever it still applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backprop_studio.core.data.dataset import Dataset
from backprop_studio.gui.panels.data import confusion_view, projection_view
from backprop_studio.gui.panels.data.legend import plot_legend
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabBar

if TYPE_CHECKING:
    from backprop_studio.gui.panels.data.header import Header
    from backprop_studio.gui.panels.data.projection_view import ProjectionView
    from backprop_studio.gui.panels.data.sample_plot import SamplePlot

PAGES = ("plot", "projection", "confusion")
_TITLES = {
    "projection": "<b>Data</b> on its principal components",
    "confusion": "<b>Classes</b>: true vs predicted",
}


class DataPages:
    """Mixed into DataView, whose header, tab bar, page stack, legend and views it uses."""

    tab_bar: QTabBar
    stack: QStackedWidget
    sample_plot: SamplePlot
    projection_view: ProjectionView
    _header: Header
    _legend: QLabel
    _dark: bool
    _plot_title: str

    def _build_tabs(self) -> None:
        """One tab per page in `tab_bar`, in the order of PAGES and of the page stack."""
        self._user_page: str | None = None  # the tab last picked by hand, kept across data sets
        self._switching = False  # tabs changed by the panel itself, not by hand
        for name, tip in (
            ("Plot", ""),
            ("Projection", "All inputs flattened onto the two directions in which the data varies most"),
            ("Confusion", "How many samples of each class the network assigns to each class"),
        ):
            self.tab_bar.setTabToolTip(self.tab_bar.addTab(name), tip)
        self.tab_bar.currentChanged.connect(self._on_tab_changed)

    def show_page(self, page: str) -> None:
        """Bring `page` ("plot", "projection", "confusion") to the front, as clicking its tab does."""
        self.tab_bar.setCurrentIndex(PAGES.index(page))

    def current_page(self) -> str:
        return PAGES[self.tab_bar.currentIndex()]

    def pages_shown(self) -> list[str]:
        """The pages whose tabs are offered for this data."""
        return [page for i, page in enumerate(PAGES) if self.tab_bar.isTabVisible(i)]

    def _update_legend(self) -> None:
        """The title and legend of the tab in front."""
        page = self.current_page()
        if page == "projection":
            legend = self.projection_view.legend()
        elif page == "confusion":
            legend = confusion_view.legend(self._dark)
        else:
            plot = self.sample_plot
            legend = plot_legend(plot.dataset, self._dark, plot.value_centre(), plot.value_span())
        self._legend.setText(legend)
        self._header.title.setText(_TITLES.get(page, self._plot_title))

    def _show_pages(self, dataset: Dataset | None) -> None:
        """Offer the tabs that apply to `dataset`; keep the tab picked by hand where it still applies, else
        put the projection first for data with more than two inputs."""
        classification = dataset is not None and dataset.labels_train is not None
        shown = {"plot": True, "projection": projection_view.applies_to(dataset), "confusion": classification}
        self._switching = True
        for i, page in enumerate(PAGES):
            self.tab_bar.setTabVisible(i, shown[page])
        several = sum(shown.values()) > 1
        # With several pages their tabs name what is shown; with one, the title does.
        self.tab_bar.setVisible(several)
        self._header.title.setVisible(not several)
        self.tab_bar.setTabText(0, _plot_tab_name(dataset))
        page = self._user_page if self._user_page and shown[self._user_page] else None
        self.show_page(page or ("projection" if shown["projection"] else "plot"))
        self._switching = False

    def _on_tab_changed(self, _index: int) -> None:
        self.stack.setCurrentIndex(self.tab_bar.currentIndex())
        if not self._switching:
            self._user_page = self.current_page()
        if self.current_page() == "projection":
            self.projection_view.draw_predictions()  # frames that came while it was hidden
        self._update_legend()


def _plot_tab_name(dataset: Dataset | None) -> str:
    if dataset is None or dataset.is_planar:
        return "Plane"
    return "Over the input" if dataset.n_inputs == 1 else "Predictions"
