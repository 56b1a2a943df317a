"""Pictures for slides: SVG and PDF keep the labels as text, PNG has the asked scale; the command line
and File → Export picture write them, and bad names are refused with nothing written."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from backprop_studio.core.display.numbers import format_number
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import open_session
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

import main
from tests.gui.test_main_window import click_toolbar


def svg_texts(path) -> list[str]:
    """Every <text> run of an SVG file (the generator splits a line where its wrapping did)."""
    root = ET.parse(path).getroot()
    return ["".join(node.itertext()) for node in root.iter() if node.tag.endswith("text")]


def expected_z2():
    s = open_session(load_preset("circle"))
    s.run_phases(2)
    snap = s.snapshot()
    return snap.layers[0].a @ s.weights[1] + s.biases[1]


def test_the_command_line_writes_the_matrix_view_as_svg_with_its_numbers_as_text(qapp, tmp_path, capsys):
    out = tmp_path / "matrix.svg"
    assert (
        main.main(["picture", "--preset", "circle", "--step", "2", "--view", "matrix", "--out", str(out)])
        == 0
    )
    assert "wrote" in capsys.readouterr().out
    texts = " ".join(svg_texts(out))
    z = expected_z2()
    assert "Forward through layer 2" in texts and "Z₂" in texts
    assert format_number(z[0, 0]) in texts and format_number(z[9, 1]) in texts


def test_pdf_pictures_carry_the_labels_as_text(qapp, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "zoom.pdf"
    argv = [
        "picture",
        "--preset",
        "circle",
        "--step",
        "2",
        "--view",
        "zoom",
        "--neuron",
        "2:1",
        "--out",
        str(out),
    ]
    assert main.main(argv) == 0
    text = pypdf.PdfReader(out).pages[0].extract_text()
    assert "Neuron" in text and "layer" in text and "tanh" in text
    assert format_number(expected_z2()[0, 0]).replace("−", "") in text.replace("−", "")


def test_png_pictures_are_drawn_at_the_chosen_scale(qapp, tmp_path):
    out = tmp_path / "canvas.png"
    argv = ["picture", "--preset", "xor", "--size", "400x300", "--scale", "2", "--out", str(out)]
    assert main.main(argv) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (800, 600)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--out", "x.gif"], "not 'gif'"),
        (["--out", "missing/x.svg"], "does not exist"),
        (["--out", "x.svg", "--neuron", "9:1"], "the network has layers 1 to 3"),
        (["--out", "x.png", "--scale", "0"], "scale"),
    ],
)
def test_bad_arguments_are_one_line_and_nothing_is_written(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main.main(["picture", "--preset", "circle", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_file_export_picture_writes_the_canvas_as_svg(window, qtbot, tmp_path):
    click_toolbar(window, "Step", qtbot)
    out = tmp_path / "canvas.svg"

    def fill_in():
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "export-picture"
        dialog.view.setCurrentIndex(dialog.view.findData("canvas"))
        qtbot.keyClicks(dialog.path, str(out))
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_in)
    file_menu = window.menuBar().actions()[0].menu()
    action = window.actions["export_picture"]
    assert action in file_menu.actions()
    action.trigger()
    texts = svg_texts(out)
    assert "Layer 1 · tanh" in " ".join(texts) and "x₁" in texts
    a = window.controller.snapshot.layers[0].a[0]
    assert format_number(a[0]) in texts
    assert str(out) in window.statusBar().currentMessage()


def test_export_of_an_empty_neuron_zoom_says_so_in_the_dialog(window, qtbot, tmp_path):
    out = tmp_path / "zoom.svg"
    seen = []

    def fill_in():
        dialog = QApplication.activeModalWidget()
        dialog.view.setCurrentIndex(dialog.view.findData("zoom"))
        qtbot.keyClicks(dialog.path, str(out))
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        seen.append(dialog.error.text())
        dialog.reject()

    QTimer.singleShot(0, fill_in)
    window.actions["export_picture"].trigger()
    assert seen == ["the Neuron zoom is empty: click a neuron of a layer first"]
    assert not out.exists() and np.size(list(tmp_path.iterdir())) == 0
