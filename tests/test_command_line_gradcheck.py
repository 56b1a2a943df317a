"""`gradcheck` on the command line at a ReLU kink: z = 0 exactly is reported apart, "at a kink, not
comparable", and the command exits 0; a wrong gradient still fails with exit 1.

The project is the hand-worked network of tests/core/analysis/test_gradcheck_kinks.py: x = 1, a ReLU
unit with w₁ = 1, b₁ = −1 (z₁ = 0), a linear output w₂ = 1, b₂ = 0, target 2. Before kinks were known,
this printed FAIL with relative error 1.0 for w₁ and b₁ and exited 1.
"""

from __future__ import annotations

import json

import numpy as np
from backprop_studio.core.training import phases

import main

KINK_PROJECT = {
    "format": "backprop-studio",
    "version": 1,
    "name": "ReLU at its kink",
    "network": {
        "inputs": 1,
        "layers": [{"units": 1, "activation": "relu"}, {"units": 1, "activation": "linear"}],
        "weights": [[[1.0]], [[1.0]]],
        "biases": [[-1.0], [0.0]],
    },
    "training": {
        "loss": "mse",
        "optimizer": {"name": "sgd", "learning_rate": 0.1},
        "batch_size": 1,
        "shuffle": False,
    },
    "data": {"kind": "inline", "x": [[1.0]], "y": [[2.0]]},
}


def _gradcheck(capsys, tmp_path) -> tuple[int, str]:
    path = tmp_path / "kink.json"
    path.write_text(json.dumps(KINK_PROJECT))
    code = main.main(["gradcheck", str(path)])
    return code, capsys.readouterr().out


def test_relu_at_exactly_zero_is_a_kink_and_passes(capsys, tmp_path):
    code, out = _gradcheck(capsys, tmp_path)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[1].split() == ["layer", "checked", "at", "a", "kink", "worst", "relative", "error"]
    assert lines[2].split() == ["1", "2", "2", "-"]  # layer 1: both entries at the kink, none compared
    assert lines[3].split()[:3] == ["2", "2", "0"]
    assert "PASS" in out and "FAIL" not in out
    kinks = out[out.index("at a kink, not comparable: 2 entries") :].splitlines()
    assert kinks[1:] == ["  layer 1 W[0, 0]", "  layer 1 b[0]"]


def test_a_wrong_gradient_next_to_the_kink_still_fails(capsys, tmp_path, monkeypatch):
    real = phases.backward

    def wrong_backward(s, k, *args, **kwargs):
        result = real(s, k, *args, **kwargs)
        if k == 1:
            s.db[k] = s.db[k] * 1.01  # output bias: −2 becomes −2.02
        return result

    monkeypatch.setattr(phases, "backward", wrong_backward)
    code, out = _gradcheck(capsys, tmp_path)
    assert code == 1, out
    assert "FAIL" in out
    assert "  layer 2 b[0]: relative error 9.901e-03" in out  # 0.02 / 2.02
    assert "at a kink, not comparable: 2 entries" in out
    assert np.isclose(0.02 / 2.02, 9.901e-03, rtol=1e-4)
