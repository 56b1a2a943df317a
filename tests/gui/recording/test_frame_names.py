"""Recordings and exported pictures name the inputs and the classes as the window's canvas does:
Iris's four measurements beside the input nodes, setosa/versicolor/virginica beside the outputs."""

from __future__ import annotations

from backprop_studio.core.commands import load
from backprop_studio.core.project.project import open_session
from backprop_studio.gui.recording.frame import FrameRenderer, FrameSpec

import main

IRIS_CLASSES = ["setosa", "versicolor", "virginica"]


def test_a_recorded_iris_frame_names_its_inputs_and_classes(qapp):
    session = open_session(load(None, "iris"))
    session.run_phases(2)
    renderer = FrameRenderer(FrameSpec(1920, 1080, "full"))
    renderer.render(session.snapshot(), None, None, session.dataset)
    stats = renderer._canvas.last_stats
    assert [text for text, _ in stats.output_labels] == IRIS_CLASSES
    inputs = [" ".join(text.split()) for text, _ in stats.input_labels]
    assert inputs == list(session.dataset.feature_names) and "sepal length (cm)" in inputs


def test_an_exported_canvas_picture_names_the_classes_as_text(qapp, tmp_path, capsys):
    out = tmp_path / "iris.svg"
    assert main.main(["picture", "--preset", "iris", "--size", "1280x720", "--out", str(out)]) == 0
    svg = out.read_text()
    for name in IRIS_CLASSES:
        assert f">{name}<" in svg
