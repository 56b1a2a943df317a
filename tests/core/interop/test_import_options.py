"""`import`'s options: --data from a project file (its CSV found from anywhere), --loss, and weights trained
by the exported PyTorch script coming back through its `--save` file."""

from __future__ import annotations

import numpy as np
from backprop_studio.core.interop import npz_format
from backprop_studio.core.project.fileformat import load_project
from backprop_studio.core.project.project import Project, open_session
from backprop_studio.core.spec import DataSpec, LayerSpec, NetworkSpec, TrainingSpec

from tests.core.interop.helpers import run_cli, variant, write


def _csv_project(folder):
    folder.mkdir()
    rows = ["a,b,c,label"] + [f"{k % 7 / 7},{k % 5 / 5},{k % 3 / 3},{k % 2}" for k in range(30)]
    (folder / "data.csv").write_text("\n".join(rows) + "\n")
    project = Project(
        NetworkSpec(3, (LayerSpec(4, "tanh"), LayerSpec(2, "softmax"))),
        TrainingSpec(loss="cross_entropy", batch_size=5),
        DataSpec(kind="csv", path="data.csv", one_hot="label"),
        source=str(folder / "p.json"),  # the CSV path is relative to this folder
    )
    return write(project, folder / "p.json")


def test_data_from_a_project_with_a_relative_csv(tmp_path, monkeypatch):
    source = _csv_project(tmp_path / "a")
    rng = np.random.default_rng(0)
    weights = tmp_path / "w.npz"
    state = {
        "0.weight": rng.normal(size=(4, 3)),
        "0.bias": np.zeros(4),
        "2.weight": rng.normal(size=(2, 4)),
        "2.bias": np.zeros(2),
    }
    weights.write_bytes(npz_format.encode(state))
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "b")  # neither the weights' nor the data's folder
    out = tmp_path / "b" / "out.json"
    code, _, stderr = run_cli(
        "import", str(weights), "--out", str(out), "--data", str(source), "--activations", "relu,softmax"
    )
    assert code == 0, stderr
    project = load_project(out)
    assert project.training.batch_size == 5 and project.training.loss == "cross_entropy"
    assert open_session(project).dataset.x_train.shape[1] == 3  # the CSV is found from the new file


def test_loss_option_wins(tmp_path):
    weights = tmp_path / "w.npz"
    weights.write_bytes(npz_format.encode({"0.weight": np.ones((1, 2)), "0.bias": np.zeros(1)}))
    out = tmp_path / "p.json"
    assert (
        run_cli("import", str(weights), "--out", str(out), "--activations", "sigmoid", "--loss", "mse")[0]
        == 0
    )
    assert load_project(out).training.loss == "mse"
    assert run_cli("import", str(weights), "--out", str(out), "--activations", "sigmoid")[0] == 0
    assert load_project(out).training.loss == "bce"


def test_weights_trained_by_the_script_come_back(tmp_path):
    import subprocess
    import sys

    import pytest

    pytest.importorskip(
        "torch", reason="PyTorch is not installed, so the script is not run here (CI runs it)"
    )
    source = write(variant("xor"), tmp_path / "p.json")
    script = tmp_path / "run.py"
    assert run_cli("export", str(source), "--to", "pytorch", "--out", str(script))[0] == 0
    final = tmp_path / "final.npz"
    subprocess.run(
        [sys.executable, str(script), "--epochs", "2", "--save", str(final)], check=True, capture_output=True
    )
    out = tmp_path / "back.json"
    code, _, stderr = run_cli(
        "import", str(final), "--out", str(out), "--activations", "tanh,tanh", "--data", str(source)
    )
    assert code == 0, stderr
    back = load_project(out)
    with np.load(final) as trained:
        for k, w in enumerate(back.weights):
            assert w.tobytes() == np.ascontiguousarray(trained[f"{2 * k}.weight"].T).tobytes()


def test_a_wrapped_sequential_drops_its_common_prefix(tmp_path):
    # `model.0.weight`, … : the state_dict of a module holding the Sequential as `self.model`.
    rng = np.random.default_rng(1)
    w = rng.normal(size=(3, 2))
    state = {
        "model.0.weight": w,
        "model.0.bias": np.zeros(3),
        "model.2.weight": np.ones((1, 3)),
        "model.2.bias": np.zeros(1),
    }
    path = tmp_path / "wrapped.npz"
    path.write_bytes(npz_format.encode(state))
    out = tmp_path / "p.json"
    assert run_cli("import", str(path), "--out", str(out), "--activations", "relu,linear")[0] == 0
    assert np.array_equal(load_project(out).weights[0], w.T)
