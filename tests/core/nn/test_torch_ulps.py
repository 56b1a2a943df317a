"""How closely one optimizer update agrees with torch.optim, in units in the last place (ULP), per update.

Every update starts both sides from the same state: torch's parameter and its buffers (momentum_buffer,
exp_avg, exp_avg_sq) are copied into our OptimizerState before each step, so errors never accumulate
and each update is measured on its own. The unit is `numpy.spacing` of the larger of |θ| before and
after the update: the rounding the update's result can carry (the after side alone would make a
parameter that lands near 0 by cancellation look arbitrarily wrong).

The sweep is fixed (seeded): matrices of 1…8 × 1…8 parameters of size 10⁻¹…10⁰, learning rates
10⁻³…10⁻¹, gradients of size 10⁻³…10⁰, 200 problems of 50 updates each per optimizer. The bounds are
what this sweep measures with torch 2.13.0 on CPU (README, "The maths"):
- sgd and momentum: 1 ULP — torch fuses θ − lr·g into one rounding, NumPy rounds the product first.
- adam: more, because torch computes the moments in another order (m by `lerp`, which for β1 < 0.5 is
  g − (g − m)·β1; v by `addcmul`; the step as (−lr/bc₁·m)/denom): where the new m nearly cancels
  (much smaller than the old m and g), one rounding of m becomes many ULP of the step.

Skipped, visibly, where torch is missing; CI installs it and runs `pytest -m torch tests/core/nn`.
"""

from __future__ import annotations

import numpy as np
import pytest
from backprop_studio.core.nn import optimizers as optim
from backprop_studio.core.spec import OptimizerSpec

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed, so agreement with torch is not checked here (CI checks it)"
)

pytestmark = pytest.mark.torch

PROBLEMS = 200
UPDATES = 50
# Buffers of ours ← torch's state entry of the same meaning.
BUFFER_NAMES = (("velocity", "momentum_buffer"), ("m", "exp_avg"), ("v", "exp_avg_sq"))

# name: (our spec's fields, torch's optimizer, the ULP bound per update the README states)
CASES = {
    "sgd": ({"name": "sgd"}, lambda p, lr: torch.optim.SGD([p], lr=lr), 1.0),
    "momentum": (
        {"name": "momentum", "momentum": 0.9},
        lambda p, lr: torch.optim.SGD([p], lr=lr, momentum=0.9),
        1.0,
    ),
    "adam": ({"name": "adam"}, lambda p, lr: torch.optim.Adam([p], lr=lr), 6.0),
    "adam β1=0.3": (
        {"name": "adam", "beta1": 0.3},
        lambda p, lr: torch.optim.Adam([p], lr=lr, betas=(0.3, 0.999)),
        101.0,
    ),
    "adam β1=0.6": (
        {"name": "adam", "beta1": 0.6},
        lambda p, lr: torch.optim.Adam([p], lr=lr, betas=(0.6, 0.999)),
        35.0,
    ),
}


def ulps_per_update(fields: dict, make_torch, seed: int = 0) -> np.ndarray:
    """Each parameter's disagreement after each update of the sweep, in ULP (flat, float64)."""
    rng = np.random.default_rng(seed)
    found = []
    for _ in range(PROBLEMS):
        shape = (int(rng.integers(1, 9)), int(rng.integers(1, 9)))
        lr = float(10 ** rng.uniform(-3, -1))
        w0 = rng.normal(size=shape) * 10 ** rng.uniform(-1, 0)
        p = torch.tensor(w0.copy(), dtype=torch.float64)
        opt = make_torch(p, lr)
        spec = OptimizerSpec(learning_rate=lr, **fields)
        state = optim.initial_state(spec, [w0.copy()], [np.zeros(1)])
        scale = 10 ** rng.uniform(-3, 0)
        for _ in range(UPDATES):
            g = rng.normal(size=shape) * scale
            before = p.numpy().copy()
            ours = before.copy()
            theirs_state = opt.state.get(p, {})
            for mine, theirs in BUFFER_NAMES:
                if mine in state.buffers and theirs in theirs_state:
                    state.buffers[mine][0][0][...] = theirs_state[theirs].numpy()
            p.grad = torch.tensor(g)
            opt.step()
            optim.begin_step(state)
            optim.step_parameter(spec, state, ours, g, 0, 0)
            after = p.numpy()
            unit = np.spacing(np.maximum(np.abs(before), np.abs(after)))
            found.append((np.abs(ours - after) / unit).ravel())
    return np.concatenate(found)


def test_the_sweep_covers_every_optimizer_the_engine_has():
    assert {fields["name"] for fields, _, _ in CASES.values()} == set(optim.BUFFERS)


@pytest.mark.parametrize("case", list(CASES))
def test_one_update_agrees_with_torch_within_the_stated_ulps(case):
    fields, make_torch, bound = CASES[case]
    ulps = ulps_per_update(fields, make_torch)
    assert ulps.size > 50_000
    assert ulps.max() <= bound, f"{case}: {ulps.max()} ULP (stated: {bound})"
    # Not vacuous: the sweep does reach rounding differences (the fused multiply-add alone gives some).
    assert ulps.max() >= 1.0


if __name__ == "__main__":  # the README's figures: python -m tests.core.nn.test_torch_ulps
    for name, (fields, make_torch, _) in CASES.items():
        u = ulps_per_update(fields, make_torch)
        print(
            f"{name:<12} max {u.max():6.1f} ULP, ≤ 1 ULP in {np.mean(u <= 1):.4%} of {u.size:,} parameter updates"
        )
