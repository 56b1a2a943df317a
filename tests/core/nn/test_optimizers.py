"""Each optimizer's first three updates, against values worked out independently in the test."""

from __future__ import annotations

import math

import numpy as np
import pytest
from backprop_studio.core.nn import optimizers as optim
from backprop_studio.core.spec import OptimizerSpec

GRADS = [0.5, 0.25, -0.5]


def run(spec: OptimizerSpec, w0: float = 1.0) -> list[float]:
    w = np.array([w0])
    b = np.array([0.0])
    state = optim.initial_state(spec, [w], [b])
    out = []
    for g in GRADS:
        optim.begin_step(state)
        optim.step_parameter(spec, state, w, np.array([g]), 0, 0)
        out.append(float(w[0]))
    return out


def test_sgd_steps_against_the_gradient():
    # w = 1 − 0.1·0.5 = 0.95;  0.95 − 0.1·0.25 = 0.925;  0.925 + 0.1·0.5 = 0.975
    assert run(OptimizerSpec("sgd", 0.1)) == pytest.approx([0.95, 0.925, 0.975], rel=1e-15)


def test_momentum_uses_the_first_gradient_as_velocity_then_accumulates():
    # v1 = 0.5 → w 0.95;  v2 = 0.9·0.5 + 0.25 = 0.7 → w 0.88;  v3 = 0.9·0.7 − 0.5 = 0.13 → w 0.867
    assert run(OptimizerSpec("momentum", 0.1, momentum=0.9)) == pytest.approx([0.95, 0.88, 0.867], rel=1e-14)


def test_adam_matches_the_bias_corrected_textbook_rule():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    w, m, v, expected = 1.0, 0.0, 0.0, []
    for t, g in enumerate(GRADS, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        w -= lr * m_hat / (math.sqrt(v_hat) + eps)
        expected.append(w)
    assert run(OptimizerSpec("adam", lr)) == pytest.approx(expected, rel=1e-14)
    # The first Adam step moves every weight by about lr, whatever the gradient's size.
    assert run(OptimizerSpec("adam", lr), w0=0.0)[0] == pytest.approx(-0.1, rel=1e-7)
