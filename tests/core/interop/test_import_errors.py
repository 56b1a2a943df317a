"""Broken or unsupported weights files: one clear line naming what and where, exit 2, nothing written."""

from __future__ import annotations

import io
import json
import struct

import numpy as np
import pytest
from backprop_studio.core.interop import npz_format

from tests.core.interop.helpers import run_cli


def _npz(tmp_path, arrays, meta=None, name="w.npz"):
    path = tmp_path / name
    path.write_bytes(npz_format.encode(arrays, meta))
    return path


def _good():
    rng = np.random.default_rng(0)
    return {
        "0.weight": rng.normal(size=(3, 2)),
        "0.bias": np.zeros(3),
        "2.weight": rng.normal(size=(1, 3)),
        "2.bias": np.zeros(1),
    }


def _safetensors(tmp_path, header: bytes, body: bytes = b"", length: int | None = None):
    path = tmp_path / "w.safetensors"
    path.write_bytes(struct.pack("<Q", len(header) if length is None else length) + header + body)
    return path


def _refused(tmp_path, path, *options):
    out = tmp_path / "out.json"
    code, stdout, stderr = run_cli("import", str(path), "--out", str(out), *options)
    assert code == 2
    assert stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert not out.exists()
    return lines[0]


def test_truncated_npz(tmp_path):
    good = _npz(tmp_path, _good(), name="good.npz").read_bytes()
    path = tmp_path / "cut.npz"
    path.write_bytes(good[: len(good) // 2])
    assert "not a readable .npz file" in _refused(tmp_path, path, "--activations", "tanh,tanh")


def test_truncated_safetensors(tmp_path):
    header = json.dumps({"0.weight": {"dtype": "F64", "shape": [3, 2], "data_offsets": [0, 48]}}).encode()
    line = _refused(tmp_path, _safetensors(tmp_path, header, b"\0" * 20), "--activations", "tanh")
    assert "tensor '0.weight' ends at byte 48 but the data has 20 (truncated?)" in line


def test_safetensors_header_longer_than_the_file(tmp_path):
    line = _refused(tmp_path, _safetensors(tmp_path, b"{}", length=10**9))
    assert "the header says it is 1,000,000,000 bytes" in line


def test_safetensors_bad_header_json(tmp_path):
    line = _refused(tmp_path, _safetensors(tmp_path, b'{"0.weight": {"dtype": "F64",'))
    assert "the header is not valid JSON" in line


def test_safetensors_integer_tensor(tmp_path):
    header = json.dumps({"0.weight": {"dtype": "I64", "shape": [1, 1], "data_offsets": [0, 8]}}).encode()
    line = _refused(tmp_path, _safetensors(tmp_path, header, b"\0" * 8))
    assert "tensor '0.weight' has dtype 'I64'" in line


def test_bias_of_the_wrong_shape(tmp_path):
    arrays = _good() | {"0.bias": np.zeros(4)}
    line = _refused(tmp_path, _npz(tmp_path, arrays), "--activations", "tanh,tanh")
    assert "tensor 0.bias has shape (4,), expected (3,)" in line


def test_layers_that_do_not_chain(tmp_path):
    arrays = _good() | {"2.weight": np.ones((1, 5))}
    line = _refused(tmp_path, _npz(tmp_path, arrays), "--activations", "tanh,tanh")
    assert "tensor 2.weight has shape (1, 5) but the layer before gives 3 outputs" in line


def test_nan_weight(tmp_path):
    arrays = _good()
    arrays["2.weight"][0, 1] = np.nan
    line = _refused(tmp_path, _npz(tmp_path, arrays), "--activations", "tanh,tanh")
    assert "tensor 2.weight holds nan at [0, 1]" in line


def test_a_tensor_that_is_not_a_linear_layer(tmp_path):
    arrays = _good() | {"1.running_mean": np.zeros(3)}
    line = _refused(tmp_path, _npz(tmp_path, arrays), "--activations", "tanh,tanh")
    assert "tensor '1.running_mean': only Linear layers" in line


def test_object_arrays_are_not_unpickled(tmp_path):
    path = tmp_path / "w.npz"
    buffer = io.BytesIO()
    np.savez(buffer, **{"0.weight": np.array([{"a": 1}], dtype=object)})
    path.write_bytes(buffer.getvalue())
    assert "would need pickle" in _refused(tmp_path, path)


def test_no_activations_anywhere(tmp_path):
    line = _refused(tmp_path, _npz(tmp_path, _good()))
    assert "does not say the activations; give --activations with 2 names" in line


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("tanh", "--activations names 1 activations but the network has 2 layers"),
        ("tanh,swish", "--activations: unknown activation 'swish'"),
        ("softmax,tanh", "softmax is only allowed on the output layer"),
    ],
)
def test_bad_activations_option(tmp_path, option, message):
    assert message in _refused(tmp_path, _npz(tmp_path, _good()), "--activations", option)


def test_unknown_loss_and_data(tmp_path):
    path = _npz(tmp_path, _good())
    assert "--loss: unknown loss 'hinge'" in _refused(
        tmp_path, path, "--activations", "tanh,tanh", "--loss", "hinge"
    )
    assert "file not found" in _refused(
        tmp_path, path, "--activations", "tanh,tanh", "--data", "nowhere.json"
    )


def test_network_without_data_for_its_inputs(tmp_path):
    arrays = {"0.weight": np.ones((3, 5)), "0.bias": np.zeros(3)}
    line = _refused(tmp_path, _npz(tmp_path, arrays), "--activations", "tanh")
    assert "the network has 5 inputs; name its data with --data" in line


def test_data_that_does_not_fit(tmp_path):
    line = _refused(tmp_path, _npz(tmp_path, _good()), "--activations", "tanh,tanh", "--data", "spiral")
    assert "inputs" in line and "7 input features" in line


def test_unknown_suffix_and_missing_file(tmp_path):
    path = tmp_path / "model.pt"
    path.write_bytes(b"PK")
    assert "unknown kind of file '.pt'" in _refused(tmp_path, path)
    assert "cannot read the file" in _refused(tmp_path, tmp_path / "absent.npz")


def test_export_to_a_missing_folder(tmp_path):
    code, _, stderr = run_cli(
        "export", "--preset", "xor", "--to", "npz", "--out", str(tmp_path / "no" / "w.npz")
    )
    assert code == 2 and "does not exist" in stderr and len(stderr.splitlines()) == 1


class TestOnnx:
    @pytest.fixture(autouse=True)
    def _onnx(self):
        # Here, not in the class body: a skip there would skip the whole module's tests.
        self.onnx = pytest.importorskip(
            "onnx", reason="onnx is not installed (the extra `onnx`; CI installs it)"
        )

    def _graph(self, tmp_path, nodes, inits, n_in=2, n_out=1, inputs=("x",)):
        helper = self.onnx.helper
        double = self.onnx.TensorProto.DOUBLE
        graph = helper.make_graph(
            nodes,
            "g",
            [helper.make_tensor_value_info(name, double, [None, n_in]) for name in inputs],
            [helper.make_tensor_value_info(nodes[-1].output[0], double, [None, n_out])],
            [self.onnx.numpy_helper.from_array(np.asarray(v, dtype=np.float64), k) for k, v in inits.items()],
        )
        path = tmp_path / "g.onnx"
        path.write_bytes(helper.make_model(graph).SerializeToString())
        return path

    def test_garbage(self, tmp_path):
        path = tmp_path / "g.onnx"
        path.write_bytes(b"\xff\xfe not protobuf at all" * 3)
        assert "not a readable ONNX model" in _refused(tmp_path, path)

    def test_truncated(self, tmp_path):
        node = self.onnx.helper.make_node("Gemm", ["x", "W", "b"], ["y"], transB=1)
        good = self._graph(tmp_path, [node], {"W": np.ones((1, 2)), "b": np.zeros(1)}).read_bytes()
        path = tmp_path / "cut.onnx"
        path.write_bytes(good[: len(good) - 20])
        assert _refused(tmp_path, path).startswith(f"error: {path}: ")

    def test_convolution(self, tmp_path):
        conv = self.onnx.helper.make_node("Conv", ["x", "K"], ["c"], name="conv1")
        gemm = self.onnx.helper.make_node("Gemm", ["c", "W", "b"], ["y"], transB=1)
        path = self._graph(
            tmp_path, [conv, gemm], {"K": np.ones((1, 1, 1)), "W": np.ones((1, 2)), "b": np.zeros(1)}
        )
        assert "Conv at node 1 ('conv1'): only fully connected layers can be drawn" in _refused(
            tmp_path, path
        )

    def test_convolution_after_a_layer(self, tmp_path):
        gemm = self.onnx.helper.make_node("Gemm", ["x", "W", "b"], ["z"], transB=1)
        conv = self.onnx.helper.make_node("Conv", ["z", "K"], ["y"])
        path = self._graph(
            tmp_path, [gemm, conv], {"K": np.ones((1, 1, 1)), "W": np.ones((3, 2)), "b": np.zeros(3)}
        )
        assert "Conv at node 2: only fully connected layers can be drawn" in _refused(tmp_path, path)

    def test_other_slope(self, tmp_path):
        gemm = self.onnx.helper.make_node("Gemm", ["x", "W", "b"], ["z"], transB=1)
        leaky = self.onnx.helper.make_node("LeakyRelu", ["z"], ["y"], alpha=0.2)
        path = self._graph(tmp_path, [gemm, leaky], {"W": np.ones((1, 2)), "b": np.zeros(1)})
        assert "LeakyRelu at node 2: slope 0.2; the studio's leaky ReLU has slope 0.01" in _refused(
            tmp_path, path
        )

    def test_unknown_activation(self, tmp_path):
        gemm = self.onnx.helper.make_node("Gemm", ["x", "W", "b"], ["z"], transB=1)
        elu = self.onnx.helper.make_node("Elu", ["z"], ["y"])
        path = self._graph(tmp_path, [gemm, elu], {"W": np.ones((1, 2)), "b": np.zeros(1)})
        assert "Elu at node 2: this activation is not one the studio has" in _refused(tmp_path, path)

    def test_two_inputs(self, tmp_path):
        add = self.onnx.helper.make_node("Add", ["x", "x2"], ["y"])
        path = self._graph(tmp_path, [add], {}, inputs=("x", "x2"))
        assert "the graph has 2 inputs (x, x2)" in _refused(tmp_path, path)

    def test_weights_computed_not_stored(self, tmp_path):
        gemm = self.onnx.helper.make_node("Gemm", ["x", "x", "b"], ["y"], transB=1)
        path = self._graph(tmp_path, [gemm], {"b": np.zeros(1)})
        assert "its weight matrix 'x' is computed, not stored" in _refused(tmp_path, path)


def test_onnx_without_the_onnx_package_says_how_to_install_it(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "onnx", None)  # as if not installed: `import onnx` raises ImportError
    out = tmp_path / "net.onnx"
    code, _, stderr = run_cli("export", "--preset", "xor", "--to", "onnx", "--out", str(out))
    assert code == 2 and "pip install 'backprop-studio[onnx]'" in stderr and not out.exists()
    path = tmp_path / "given.onnx"
    path.write_bytes(b"\x08\x07")
    assert "pip install 'backprop-studio[onnx]'" in _refused(tmp_path, path)


def test_a_file_that_is_not_a_zip(tmp_path):
    path = tmp_path / "w.npz"
    path.write_bytes(b"0.weight,0.bias\n1,2\n")
    assert "not a .npz file (a zip of .npy arrays" in _refused(tmp_path, path)
