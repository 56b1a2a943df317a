"""ONNX both ways, checked with the real libraries: onnxruntime runs the exported graph; graphs written by
PyTorch's exporter and skl2onnx, and the MatMul + Add pattern tf2onnx writes for Keras, import and predict
what their source predicts."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from backprop_studio.core.interop.weights_import import build_project, read_weights
from backprop_studio.core.nn.network import predict
from backprop_studio.core.project.fileformat import load_project
from backprop_studio.core.project.project import open_session

from tests.core.interop.helpers import run_cli, variant, write

onnx = pytest.importorskip("onnx", reason="onnx is not installed (the extra `onnx`; CI installs it)")
ort = pytest.importorskip("onnxruntime", reason="onnxruntime is not installed (the extra `onnx`; CI has it)")
pytestmark = pytest.mark.onnx

RTOL = 1e-12
PROJECTS = {
    "tanh-tanh-softmax": variant("spiral-3-class"),
    "relu-leaky-sigmoid": variant("circle", activations=("relu", "leaky_relu", "sigmoid"), loss="bce"),
    "tanh-linear": variant("regression-plane"),
}


def _run(path, x):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: x})


def _relative(theirs, ours):
    return float(np.max(np.abs(theirs - ours)) / np.max(np.abs(ours)))


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_onnxruntime_predicts_what_the_studio_predicts(tmp_path, name):
    source = write(PROJECTS[name], tmp_path / "p.json")
    trained = tmp_path / "t.json"
    assert run_cli("train", str(source), "--epochs", "3", "--out", str(trained))[0] == 0
    out = tmp_path / "net.onnx"
    assert run_cli("export", str(trained), "--to", "onnx", "--out", str(out))[0] == 0
    project = load_project(trained)
    dataset = open_session(project).dataset
    x = np.concatenate([dataset.x_train, dataset.x_test])
    (theirs,) = _run(out, x)
    assert theirs.dtype == np.float64
    ours = predict(project.weights, project.biases, project.network.activations, x)
    error = _relative(theirs, ours)
    print(f"{name}: onnxruntime vs studio max relative difference {error:.2e}")
    assert error <= RTOL
    imported = tmp_path / "back.json"
    assert run_cli("import", str(out), "--out", str(imported), "--data", str(trained))[0] == 0
    back = load_project(imported)
    assert back.network == project.network
    for a, b in zip([*back.weights, *back.biases], [*project.weights, *project.biases], strict=True):
        assert a.tobytes() == b.tobytes()


def test_a_pytorch_export_imports(tmp_path):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (CI has it)")
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 4), nn.LeakyReLU(0.01), nn.Linear(4, 3), nn.Softmax(dim=1)
    ).double()
    path = tmp_path / "torch.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.zeros(1, 2, dtype=torch.float64),), str(path), dynamo=False)
    imported = read_weights(str(path))
    assert imported.activations == ("relu", "leaky_relu", "softmax")
    linears = [m for m in model if isinstance(m, nn.Linear)]
    for w, layer in zip(imported.weights, linears, strict=True):
        assert w.tobytes() == np.ascontiguousarray(layer.weight.detach().numpy().T).tobytes()
    project = build_project(imported, str(path))
    assert project.training.loss == "cross_entropy" and project.data.kind == "spiral"
    x = np.random.default_rng(1).normal(size=(50, 2))
    with torch.no_grad():
        theirs = model(torch.from_numpy(x)).numpy()
    assert _relative(theirs, predict(project.weights, project.biases, project.network.activations, x)) <= RTOL


def _sklearn_onnx(estimator, x, path):
    skl2onnx = pytest.importorskip("skl2onnx", reason="skl2onnx is not installed (CI has it)")
    model = skl2onnx.to_onnx(estimator, x[:1])
    path.write_bytes(model.SerializeToString())


@pytest.mark.parametrize("kind", ["binary", "three-class", "regressor"])
def test_scikit_learn_perceptrons_import(tmp_path, kind):
    pytest.importorskip("sklearn", reason="scikit-learn is not installed (CI has it)")
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    rng = np.random.default_rng(2)
    x = rng.normal(size=(80, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # not converged: irrelevant, the weights are what they are
        if kind == "binary":
            est = MLPClassifier(hidden_layer_sizes=(5,), max_iter=30, random_state=0).fit(
                x, (x[:, 0] * x[:, 1] > 0).astype(int)
            )
            expected, acts = est.predict_proba(x)[:, 1:], ("relu", "sigmoid")
        elif kind == "three-class":
            y = np.digitize(x[:, 0], [-0.5, 0.5])
            est = MLPClassifier(
                hidden_layer_sizes=(6, 4), activation="tanh", max_iter=30, random_state=0
            ).fit(x, y)
            expected, acts = est.predict_proba(x), ("tanh", "tanh", "softmax")
        else:
            est = MLPRegressor(
                hidden_layer_sizes=(5,), activation="logistic", max_iter=30, random_state=0
            ).fit(x, x[:, 0])
            expected, acts = est.predict(x)[:, None], ("sigmoid", "linear")
    path = tmp_path / f"{kind}.onnx"
    _sklearn_onnx(est, x, path)
    imported = read_weights(str(path))
    assert imported.activations == acts
    for w, coef in zip(imported.weights, est.coefs_, strict=True):
        assert w.tobytes() == coef.tobytes()  # sklearn keeps (n_in, n_out), as the studio does
    out = tmp_path / "p.json"
    assert run_cli("import", str(path), "--out", str(out))[0] == 0
    project = load_project(out)
    ours = predict(project.weights, project.biases, project.network.activations, x)
    assert _relative(expected, ours) <= RTOL


def _keras_like_graph(weights, biases, acts):
    """The graph tf2onnx writes for a Keras Sequential of Dense layers: MatMul on the kernel, Add of the bias
    (BiasAdd), the activation, float32 tensors named as TensorFlow names them, Softmax over axis -1. Built
    here with onnx.helper: TensorFlow is too heavy to install for a test."""
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    nodes, inits, current = [], [], "dense_input"
    for k, (w, b, act) in enumerate(zip(weights, biases, acts, strict=True)):
        scope = f"sequential/dense_{k}" if k else "sequential/dense"
        inits += [
            numpy_helper.from_array(w.astype(np.float32), f"{scope}/MatMul/ReadVariableOp:0"),
            numpy_helper.from_array(b.astype(np.float32), f"{scope}/BiasAdd/ReadVariableOp:0"),
        ]
        nodes.append(
            helper.make_node(
                "MatMul", [current, inits[-2].name], [f"{scope}/MatMul:0"], name=f"{scope}/MatMul"
            )
        )
        nodes.append(
            helper.make_node(
                "Add", [f"{scope}/MatMul:0", inits[-1].name], [f"{scope}/BiasAdd:0"], name=f"{scope}/BiasAdd"
            )
        )
        current = f"{scope}/BiasAdd:0"
        if act:
            attrs = {"axis": -1} if act == "Softmax" else {}
            nodes.append(
                helper.make_node(act, [current], [f"{scope}/{act}:0"], name=f"{scope}/{act}", **attrs)
            )
            current = f"{scope}/{act}:0"
    nodes.append(helper.make_node("Identity", [current], ["dense_last"], name="Identity"))
    float32 = onnx.TensorProto.FLOAT
    graph = helper.make_graph(
        nodes,
        "tf2onnx",
        [helper.make_tensor_value_info("dense_input", float32, ["unk__6", weights[0].shape[0]])],
        [helper.make_tensor_value_info("dense_last", float32, ["unk__7", weights[-1].shape[1]])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="tf2onnx")
    model.ir_version = 7
    return model


def test_the_keras_pattern_imports(tmp_path):
    rng = np.random.default_rng(3)
    weights = [rng.normal(size=(2, 8)), rng.normal(size=(8, 3))]
    biases = [rng.normal(size=8), rng.normal(size=3)]
    path = tmp_path / "keras.onnx"
    path.write_bytes(_keras_like_graph(weights, biases, ("Relu", "Softmax")).SerializeToString())
    imported = read_weights(str(path))
    assert imported.activations == ("relu", "softmax")
    for ours, theirs in zip(imported.weights, weights, strict=True):
        assert np.array_equal(ours, theirs.astype(np.float32).astype(np.float64))  # float32 widens exactly
    x = rng.normal(size=(20, 2)).astype(np.float32)
    (theirs,) = _run(path, x)
    ours = predict(imported.weights, imported.biases, imported.activations, x.astype(np.float64))
    assert _relative(theirs, ours) <= 1e-6  # onnxruntime computes in float32 here


def test_keras_pattern_without_activation_is_linear(tmp_path):
    rng = np.random.default_rng(4)
    model = _keras_like_graph(
        [rng.normal(size=(2, 3)), rng.normal(size=(3, 1))], [np.zeros(3), np.zeros(1)], ("Tanh", None)
    )
    path = tmp_path / "k.onnx"
    path.write_bytes(model.SerializeToString())
    assert read_weights(str(path)).activations == ("tanh", "linear")


def test_torch_bytes_in_memory_round_trip(tmp_path):
    # The same export through a buffer: what File → Export writes is what the command line writes.
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (CI has it)")
    model = torch.nn.Sequential(torch.nn.Linear(2, 1), torch.nn.Sigmoid()).double()
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.zeros(1, 2, dtype=torch.float64),), buffer, dynamo=False)
    path = tmp_path / "m.onnx"
    path.write_bytes(buffer.getvalue())
    assert read_weights(str(path)).activations == ("sigmoid",)


def test_a_flatten_before_the_first_layer_is_passed_through(tmp_path):
    # An image model (8×8 digits, say) starts with nn.Flatten: row-major pixels, as the studio's inputs.
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (CI has it)")
    nn = torch.nn
    model = nn.Sequential(nn.Flatten(), nn.Linear(4, 2), nn.Tanh()).double()
    path = tmp_path / "flat.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.zeros(1, 2, 2, dtype=torch.float64),), str(path), dynamo=False)
    imported = read_weights(str(path))
    assert imported.sizes == (4, 2) and imported.activations == ("tanh",)
    images = np.random.default_rng(5).normal(size=(6, 2, 2))
    with torch.no_grad():
        theirs = model(torch.from_numpy(images)).numpy()
    ours = predict(imported.weights, imported.biases, imported.activations, images.reshape(6, 4))
    assert _relative(theirs, ours) <= RTOL
