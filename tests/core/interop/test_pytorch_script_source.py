"""The exported script's source, without torch: valid Python whatever the project is called, the network
and settings written as literals, and the .npz beside it holding exactly what the session trains on."""

from __future__ import annotations

import ast
from dataclasses import replace

import numpy as np
from backprop_studio.core.project.project import open_session

from tests.core.interop.helpers import run_cli, variant, write


def _constants(tree: ast.Module) -> dict[str, object]:
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id.isupper()
        and not isinstance(node.value, ast.Call)
    }


def test_a_hostile_project_name_stays_a_string(tmp_path):
    name = '"""\nimport os; os.system("echo owned")  # \\ \'\'\' \x00'
    project = replace(variant("xor"), name=name)
    script = tmp_path / "run.py"
    assert (
        run_cli("export", str(write(project, tmp_path / "p.json")), "--to", "pytorch", "--out", str(script))[
            0
        ]
        == 0
    )
    tree = ast.parse(script.read_text())
    assert _constants(tree)["PROJECT"] == name
    assert not any(isinstance(node, ast.Import) and node.names[0].name == "os" for node in tree.body)


def test_settings_are_written_as_the_studio_has_them(tmp_path):
    project = variant("circle", batch_size=7, shuffle=False)
    script = tmp_path / "run.py"
    run_cli("export", str(write(project, tmp_path / "p.json")), "--to", "pytorch", "--out", str(script))
    text = script.read_text()
    constants = _constants(ast.parse(text))
    assert constants["BATCH_SIZE"] == 7 and constants["SHUFFLE"] is False and constants["EPOCHS_DONE"] == 0
    assert "nn.Linear(2, 4)" in text and "nn.Linear(4, 2)" in text and "nn.Linear(2, 1)" in text
    assert text.count("nn.Tanh()") == 3


def test_the_data_file_holds_what_the_session_trains_on(tmp_path):
    project = variant("spiral-3-class")
    script = tmp_path / "run.py"
    run_cli("export", str(write(project, tmp_path / "p.json")), "--to", "pytorch", "--out", str(script))
    session = open_session(project)
    with np.load(tmp_path / "run.npz", allow_pickle=False) as saved:
        for name in ("x_train", "y_train", "x_test", "y_test"):
            assert np.array_equal(saved[name], getattr(session.dataset, name))
        for k, (w, b) in enumerate(zip(session.weights, session.biases, strict=True)):
            assert np.array_equal(saved[f"model.{2 * k}.weight"], w.T)
            assert np.array_equal(saved[f"model.{2 * k}.bias"], b)
        assert int(saved["optimizer.step"]) == 0


def test_the_script_name_must_not_be_its_data_file(tmp_path):
    code, _, stderr = run_cli(
        "export", "--preset", "xor", "--to", "pytorch", "--out", str(tmp_path / "run.npz")
    )
    assert code == 2 and "must not end in .npz" in stderr
    assert not (tmp_path / "run.npz").exists()


def test_a_standardized_project_exports_its_statistics_for_new_raw_inputs(tmp_path):
    """The x arrays are what the network sees (z-scores); feature_mean/feature_std turn them back into
    rows of the shipped Iris table, and are the training split's own mean and population deviation."""
    import csv
    import gzip

    from backprop_studio.core.project.presets_catalog import load_preset

    from tests.paths import REPO

    script = tmp_path / "run.py"
    assert run_cli("export", "--preset", "iris", "--to", "pytorch", "--out", str(script))[0] == 0
    assert "feature_mean" in script.read_text()
    assert load_preset("iris").data.standardize
    with gzip.open(REPO / "core" / "data" / "datasets" / "iris.csv.gz", "rt") as f:
        table = {tuple(float(v) for v in row[:4]) for row in list(csv.reader(f))[1:]}
    with np.load(tmp_path / "run.npz", allow_pickle=False) as saved:
        mean, std, x_train = saved["feature_mean"], saved["feature_std"], saved["x_train"]
        raw = np.round(x_train * std + mean, 10)
        assert all(tuple(float(v) for v in row) in table for row in raw)
        assert np.allclose(raw.mean(axis=0), mean) and np.allclose(raw.std(axis=0), std)
