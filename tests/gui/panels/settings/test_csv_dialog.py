import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from backprop_studio.gui.panels.settings.csv_dialog import CsvImportDialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox


def type_number(qtbot, spin, text):
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Enter)


def test_csv_dialog_returns_its_options(qtbot):
    dialog = CsvImportDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.path_edit, "data/iris.csv")
    qtbot.keyClick(dialog.one_hot_radio, Qt.Key.Key_Space)  # as when tabbing to it
    qtbot.keyClicks(dialog.one_hot_edit, "species")
    type_number(qtbot, dialog.train_spin, "80")

    assert dialog.options() == {
        "path": "data/iris.csv",
        "targets": (),
        "one_hot": "species",
        "train_fraction": 0.8,
    }

    qtbot.keyClick(dialog.targets_radio, Qt.Key.Key_Space)
    qtbot.keyClicks(dialog.targets_edit, " y1, y2 ,")
    assert dialog.options()["targets"] == ("y1", "y2")
    assert dialog.options()["one_hot"] is None


def test_csv_dialog_import_button_waits_for_a_file_and_a_column(qtbot):
    dialog = CsvImportDialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)

    assert ok.text() == "Import"
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.path_edit, "data.csv")
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.targets_edit, "y")
    assert ok.isEnabled()


def test_a_refused_training_share_stays_red_and_holds_back_import(qtbot):
    dialog = CsvImportDialog(path="data.csv", targets=("y",), train_fraction=0.8)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    accepted = []
    dialog.accepted.connect(lambda: accepted.append(True))

    type_number(qtbot, dialog.train_spin, "150")

    assert accepted == []  # Enter did not import with a guessed share
    assert dialog.train_spin.text_shown() == "150"
    assert dialog.train_spin.property("invalid") is True
    assert "Training share must be a whole number from 1 to 100" in dialog.problem_label.text()
    assert not ok.isEnabled()
    assert dialog.options()["train_fraction"] == 0.8

    qtbot.keyClick(dialog.train_spin, Qt.Key.Key_Escape)
    assert dialog.train_spin.text_shown() == "80 %"
    assert ok.isEnabled() and not dialog.problem_label.isVisibleTo(dialog)


def test_a_header_with_markup_shows_literally_in_the_dialog(qtbot, tmp_path):
    link = '<a href="http://x">click</a>'
    path = tmp_path / "hostile.csv"
    path.write_text(f"{link},y\n1,2\n")
    dialog = CsvImportDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.path_edit, str(path))
    label = dialog.columns_label
    assert label.text() == f"{link}, y"
    assert label.textFormat() == Qt.TextFormat.PlainText  # shown as typed: no link to click
    assert not label.openExternalLinks()


def test_a_first_line_without_commas_is_not_shown_as_a_header(qtbot, tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("hunter2\n")
    dialog = CsvImportDialog(path=str(path))
    qtbot.addWidget(dialog)
    assert "hunter2" not in dialog.columns_label.text()
