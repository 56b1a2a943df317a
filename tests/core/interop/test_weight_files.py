"""npz and safetensors exports load into PyTorch unchanged, are read by the real `safetensors` library, and
import back bit for bit; files written by the library import too."""

from __future__ import annotations

import json

import numpy as np
import pytest
from backprop_studio.core.interop import safetensors_format
from backprop_studio.core.interop.state_dict import METADATA_KEY
from backprop_studio.core.interop.weights_import import build_project, read_weights
from backprop_studio.core.nn.network import predict
from backprop_studio.core.project.fileformat import load_project
from backprop_studio.core.project.project import open_session

from tests.core.interop.helpers import run_cli, variant, write

PROJECT = variant("circle", activations=("relu", "leaky_relu", "tanh"))


def _trained(tmp_path):
    """A project trained 2 epochs (weights no initializer would give) and its file."""
    source = write(PROJECT, tmp_path / "p.json")
    trained = tmp_path / "trained.json"
    assert run_cli("train", str(source), "--epochs", "2", "--out", str(trained))[0] == 0
    return load_project(trained), trained


def _export(tmp_path, kind):
    project, path = _trained(tmp_path)
    out = tmp_path / f"w.{kind}"
    code, stdout, _ = run_cli("export", str(path), "--to", kind, "--out", str(out))
    assert code == 0 and f"wrote {out}" in stdout
    return project, out


def _bits(arrays):
    return [np.asarray(a, dtype=np.float64).tobytes() for a in arrays]


@pytest.mark.parametrize("kind", ["npz", "safetensors"])
def test_export_then_import_gives_identical_bits(tmp_path, kind):
    project, out = _export(tmp_path, kind)
    imported = tmp_path / "imported.json"
    code, stdout, _ = run_cli("import", str(out), "--out", str(imported))
    assert code == 0, stdout
    back = load_project(imported)
    assert _bits(back.weights) == _bits(project.weights)
    assert _bits(back.biases) == _bits(project.biases)
    assert back.network.activations == ("relu", "leaky_relu", "tanh")  # from the file's metadata
    assert back.training.loss == "mse"


def test_npz_layout_is_the_state_dict_of_the_sequential(tmp_path):
    project, out = _export(tmp_path, "npz")
    with np.load(out, allow_pickle=False) as archive:
        names = [n for n in archive.files if n != METADATA_KEY]
        assert names == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
        for k, w in enumerate(project.weights):
            assert np.array_equal(archive[f"{2 * k}.weight"], w.T)  # (out, in)
            assert archive[f"{2 * k}.weight"].dtype == np.float64
        meta = json.loads(str(archive[METADATA_KEY]))
    assert meta["layers"] == [
        {"units": 4, "activation": "relu"},
        {"units": 2, "activation": "leaky_relu"},
        {"units": 1, "activation": "tanh"},
    ]
    assert meta["modules"][:2] == ["nn.Linear(2, 4)", "nn.ReLU()"]


def test_safetensors_file_is_read_by_the_real_library(tmp_path):
    st = pytest.importorskip(
        "safetensors.numpy", reason="the safetensors library is not installed (CI has it)"
    )
    from safetensors import safe_open

    project, out = _export(tmp_path, "safetensors")
    tensors = st.load_file(str(out))
    assert sorted(tensors) == ["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"]
    for k, (w, b) in enumerate(zip(project.weights, project.biases, strict=True)):
        assert tensors[f"{2 * k}.weight"].tobytes() == np.ascontiguousarray(w.T).tobytes()
        assert tensors[f"{2 * k}.bias"].tobytes() == b.tobytes()
    with safe_open(str(out), "np") as handle:
        meta = json.loads(handle.metadata()["backprop_studio"])
    assert [layer["activation"] for layer in meta["layers"]] == ["relu", "leaky_relu", "tanh"]


def test_files_written_by_the_library_import(tmp_path):
    st = pytest.importorskip(
        "safetensors.numpy", reason="the safetensors library is not installed (CI has it)"
    )
    rng = np.random.default_rng(5)
    # float32, as most trained models are stored; indices with a gap (a Dropout at 1 or 4, say)
    tensors = {
        "0.weight": rng.normal(size=(3, 2)).astype(np.float32),
        "0.bias": rng.normal(size=3).astype(np.float32),
        "3.weight": rng.normal(size=(1, 3)).astype(np.float32),
        "3.bias": rng.normal(size=1).astype(np.float32),
    }
    path = tmp_path / "model.safetensors"
    st.save_file(tensors, str(path), metadata={"format": "pt"})
    imported = read_weights(str(path))
    assert imported.activations == (None, None)
    project = build_project(imported, str(path), "tanh,sigmoid")
    assert project.network.sizes == (2, 3, 1)
    assert project.training.loss == "bce"  # a sigmoid output trains with binary cross-entropy
    for k, name in enumerate(("0", "3")):
        assert np.array_equal(project.weights[k], tensors[f"{name}.weight"].astype(np.float64).T)


def test_our_reader_matches_the_library_on_every_float_dtype(tmp_path):
    st = pytest.importorskip(
        "safetensors.numpy", reason="the safetensors library is not installed (CI has it)"
    )
    rng = np.random.default_rng(6)
    arrays = {f"a{d}": rng.normal(size=(2, 3)).astype(d) for d in ("float16", "float32", "float64")}
    path = tmp_path / "a.safetensors"
    st.save_file(arrays, str(path))
    ours, _ = safetensors_format.decode(path.read_bytes(), str(path))
    for name, array in arrays.items():
        assert ours[name].dtype == array.dtype and np.array_equal(ours[name], array)


def test_state_dict_loads_into_torch_unchanged(tmp_path):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (CI has it)")
    st = pytest.importorskip(
        "safetensors.torch", reason="the safetensors library is not installed (CI has it)"
    )
    nn = torch.nn

    def sequential():
        return nn.Sequential(
            nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2), nn.LeakyReLU(0.01), nn.Linear(2, 1), nn.Tanh()
        ).double()

    project, safetensors_file = _export(tmp_path, "safetensors")
    _, npz_file = _export(tmp_path, "npz")
    from_safetensors, from_npz = sequential(), sequential()
    from_safetensors.load_state_dict(st.load_file(str(safetensors_file)))  # strict: names and shapes match
    with np.load(npz_file) as archive:
        from_npz.load_state_dict(
            {n: torch.from_numpy(archive[n]) for n in archive.files if n != METADATA_KEY}
        )
    x = open_session(project).dataset.x_train
    ours = predict(project.weights, project.biases, project.network.activations, x)
    for model in (from_safetensors, from_npz):
        with torch.no_grad():
            theirs = model(torch.from_numpy(x)).numpy()
        assert np.max(np.abs(theirs - ours)) <= 1e-12 * np.max(np.abs(ours))
