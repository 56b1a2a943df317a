"""Matt Mazur's "A Step by Step Backpropagation Example", reproduced to the digits he prints.

His network: inputs i1 = 0.05, i2 = 0.10; hidden h1, h2 and outputs o1, o2, all sigmoid; targets 0.01,
0.99; w1 (i1→h1) = 0.15, w2 (i2→h1) = 0.20, w3 (i1→h2) = 0.25, w4 (i2→h2) = 0.30, w5 (h1→o1) = 0.40,
w6 (h2→o1) = 0.45, w7 (h1→o2) = 0.50, w8 (h2→o2) = 0.55; biases b1 = 0.35 (hidden), b2 = 0.60 (output),
not updated; learning rate 0.5; E = Σ ½(target − out)². The app's W[k][i, j] is the weight from unit i
of the layer below to unit j, so w1 = W1[0, 0], w2 = W1[1, 0], w3 = W1[0, 1], w4 = W1[1, 1], and
w5 = W2[0, 0], w6 = W2[1, 0], w7 = W2[0, 1], w8 = W2[1, 1]. With one sample the app's mse,
(1/B) Σ ½(ŷ − y)², is exactly his E_total.
"""

from __future__ import annotations

import pytest
from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import open_session

# (name, where the app keeps it, the text he prints)
PUBLISHED_AFTER_ONE_STEP = [
    ("out_o1", lambda s: s.layers[1].a[0, 0], "0.75136507"),
    ("out_o2", lambda s: s.layers[1].a[0, 1], "0.772928465"),
    ("E_total", lambda s: s.data_loss, "0.298371109"),
    ("dE/dw5", lambda s: s.layers[1].dW[0, 0], "0.082167041"),
    ("w5+", lambda s: s.weights[1][0, 0], "0.35891648"),
    ("w6+", lambda s: s.weights[1][1, 0], "0.408666186"),
    ("w7+", lambda s: s.weights[1][0, 1], "0.511301270"),
    ("w8+", lambda s: s.weights[1][1, 1], "0.561370121"),
    ("w1+", lambda s: s.weights[0][0, 0], "0.149780716"),
    ("w2+", lambda s: s.weights[0][1, 0], "0.19956143"),
    ("w3+", lambda s: s.weights[0][0, 1], "0.24975114"),
    ("w4+", lambda s: s.weights[0][1, 1], "0.29950229"),
]


def _after_first_step():
    session = open_session(load_preset("mazur-2-2-2"))
    session.advance("batch")
    return session.snapshot()


@pytest.mark.parametrize(
    ("name", "read", "printed"), PUBLISHED_AFTER_ONE_STEP, ids=[r[0] for r in PUBLISHED_AFTER_ONE_STEP]
)
def test_the_first_step_gives_mazurs_published_number_to_the_digits_he_prints(name, read, printed) -> None:
    decimals = len(printed.split(".")[1])
    assert f"{float(read(_after_first_step())):.{decimals}f}" == printed


def test_the_preset_holds_his_weights_in_the_apps_orientation_and_keeps_the_biases() -> None:
    project = load_preset("mazur-2-2-2")
    w1, w2, w3, w4, w5, w6, w7, w8 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55
    assert [w.tolist() for w in project.weights] == [[[w1, w3], [w2, w4]], [[w5, w7], [w6, w8]]]
    assert project.training.update_biases is False
    assert project.training.optimizer.learning_rate == 0.5
    snap = _after_first_step()
    assert snap.biases[0].tolist() == [0.35, 0.35] and snap.biases[1].tolist() == [0.60, 0.60]
    assert snap.layers[0].db is not None and snap.layers[0].db[0] != 0  # computed, just not applied


def test_the_hidden_outputs_match_his_forward_pass() -> None:
    snap = _after_first_step()
    # He prints out_h1 = 0.593269992 and out_h2 = 0.596884378.
    assert f"{snap.layers[0].a[0, 0]:.9f}" == "0.593269992"
    assert f"{snap.layers[0].a[0, 1]:.9f}" == "0.596884378"
