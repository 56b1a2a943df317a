"""The gradient check at ReLU kinks: an entry whose finite-difference window crosses z = 0 is reported as
"at a kink, not comparable", never as a failure; everything else is still compared.

The network is worked by hand: one input x = 1, a ReLU unit z₁ = w₁·x + b₁ with w₁ = 1, b₁ = −1 (so
z₁ = 0 exactly), a linear output ŷ = w₂·a₁ + b₂ with w₂ = 1, b₂ = 0, target y = 2, mse L = ½(ŷ − y)².
relu′(0) = 0 (PyTorch's choice), so backpropagation gives dL/dw₁ = dL/db₁ = 0; to the right of the
kink the slope is (ŷ − y)·w₂·x = −2, to the left 0, so a central difference sees their mean, −1:
relative error 1.0, which the check used to call a failure.
"""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.analysis import gradcheck
from backprop_studio.core.spec import RegularizationSpec

X = np.array([[1.0]])
Y = np.array([[2.0]])


def _check(w1: float, b1: float, act: str = "relu", analytic_W=None, analytic_b=None):
    weights = [np.array([[w1]]), np.array([[1.0]])]
    biases = [np.array([b1]), np.array([0.0])]
    z1 = w1 + b1
    slope = 1.0 if z1 > 0 else (0.01 if act == "leaky_relu" else 0.0)
    a1 = z1 * slope
    residual = a1 - 2.0  # ŷ − y with w₂ = 1, b₂ = 0
    # Hand-worked analytic gradients (relu′(0) = 0, leaky_relu′(0) = 0.01, as in PyTorch).
    dz1 = residual * 1.0 * slope
    analytic_W = analytic_W or [np.array([[dz1 * 1.0]]), np.array([[residual * a1]])]
    analytic_b = analytic_b or [np.array([dz1]), np.array([residual])]
    return gradcheck.check(
        weights, biases, [act, "linear"], "mse", RegularizationSpec(), X, Y, analytic_W, analytic_b
    )


@pytest.mark.parametrize("act", ["relu", "leaky_relu"])
def test_z_exactly_zero_is_a_kink_not_a_failure(act):
    report = _check(1.0, -1.0, act)
    assert report.kink_entries() == [(1, "W", (0, 0)), (1, "b", (0,))]
    assert report.kinks == 2
    assert report.passed
    # The kink entries are evaluated but not compared: NaN errors.
    assert np.isnan(report.layers[0].errors_W[0, 0]) and np.isnan(report.layers[0].errors_b[0])
    assert [layer.checked for layer in report.layers] == [2, 2]
    assert [layer.compared for layer in report.layers] == [0, 2]
    # The finite difference itself is the mean of the two one-sided slopes (to O(h), the curvature on
    # the right), as worked out by hand: nothing like the analytic value, so it cannot be compared.
    right = -2.0
    left = -2.0 * (0.01 if act == "leaky_relu" else 0.0)
    assert report.layers[0].numeric_W[0, 0] == pytest.approx((left + right) / 2, abs=1e-3)
    # The second layer's entries are compared, and agree.
    assert report.layers[1].worst < 1e-9


def test_a_window_that_crosses_zero_is_a_kink_and_one_that_does_not_is_compared():
    near = _check(1.0, -1.0 + 0.5 * gradcheck.STEP)  # z = h/2: θ − h already crosses
    assert near.kink_entries() == [(1, "W", (0, 0)), (1, "b", (0,))] and near.passed
    far = _check(1.0, -1.0 + 0.01)  # z = 0.01: the whole window is on the right of the kink
    assert far.kinks == 0 and far.passed
    assert far.layers[0].compared == 2


def test_a_wrong_gradient_away_from_the_kink_still_fails():
    # The second layer's bias gradient is off by 1 %: a real failure next to the kinks.
    report = _check(1.0, -1.0, analytic_b=[np.array([0.0]), np.array([-2.0 * 1.01])])
    assert not report.passed and report.kinks == 2
    error, layer, name, index = report.worst_entries(1)[0]
    assert (layer, name, index) == (2, "b", (0,))
    assert error == pytest.approx(0.01 / 1.01, rel=1e-6)
    # Kinks never appear among the worst entries.
    assert all(layer == 2 for _, layer, _, _ in report.worst_entries(10))
