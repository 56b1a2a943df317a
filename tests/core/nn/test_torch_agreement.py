"""The engine agrees with PyTorch float64: a few updates on one small problem to 2 ULP (the measured bounds
over a wide sweep are in test_torch_ulps.py), and a whole short training run.

For the training run the oracle is independent of the engine: torch's autograd differentiates the loss
as README's "The maths" defines it (mean over the batch of ½ Σ (ŷ − y)² for mse, the summed cross-entropy over B, the
regularization term added to the loss), and torch.optim updates the parameters. Only the initial
weights, the data and the batch order (no shuffling) are shared.

Skipped, with the reason shown, where torch is not installed; CI installs a CPU torch and runs
`pytest -m torch`.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from backprop_studio.core.nn import optimizers as optim
from backprop_studio.core.project.project import Project, open_session
from backprop_studio.core.spec import (
    DataSpec,
    LayerSpec,
    NetworkSpec,
    OptimizerSpec,
    RegularizationSpec,
    TrainingSpec,
)

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed, so agreement with torch is not checked here (CI checks it)"
)

pytestmark = pytest.mark.torch

EPOCHS = 4
BATCH = 4
SAMPLES = 12  # three whole batches per epoch

# Weights after a few epochs differ from torch's only by summation order inside the matrix products
# and torch's fused multiply-add in the update (README: one unit in the last place per update).
RTOL = 1e-12

TORCH_ACTIVATION = {
    "tanh": lambda z: torch.tanh(z),
    "relu": lambda z: torch.relu(z),
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01),
    "sigmoid": lambda z: torch.sigmoid(z),
    "linear": lambda z: z,
    "softmax": lambda z: torch.softmax(z, dim=1),
}

NETWORKS = {
    # a regression net: two hidden activations, linear output, mean squared error, l2 on weights
    "mse": (("tanh", 4), ("relu", 3), ("linear", 1)),
    # a classifier: softmax output with cross-entropy, l1 on weights
    "cross_entropy": (("leaky_relu", 5), ("sigmoid", 4), ("softmax", 3)),
}
REGULARIZATION = {"mse": RegularizationSpec("l2", 0.01), "cross_entropy": RegularizationSpec("l1", 0.003)}


def test_updates_agree_with_torch_to_two_units_in_the_last_place():
    # torch's CPU `param.add_(step, alpha=-lr)` is a fused multiply-add (one rounding); NumPy has no
    # fma ufunc, so an update may differ from torch's by one unit in the last place, never more.
    rng = np.random.default_rng(3)
    w0 = rng.normal(size=(4, 3))
    grads = [rng.normal(size=(4, 3)) for _ in range(3)]
    for name, torch_opt in (
        ("sgd", lambda p: torch.optim.SGD([p], lr=0.05)),
        ("momentum", lambda p: torch.optim.SGD([p], lr=0.05, momentum=0.9)),
        ("adam", lambda p: torch.optim.Adam([p], lr=0.05)),
    ):
        p = torch.tensor(w0.copy(), dtype=torch.float64, requires_grad=True)
        opt = torch_opt(p)
        spec = OptimizerSpec(name, 0.05)
        w = w0.copy()
        state = optim.initial_state(spec, [w], [np.zeros(3)])
        for g in grads:
            p.grad = torch.tensor(g)
            opt.step()
            optim.begin_step(state)
            optim.step_parameter(spec, state, w, g, 0, 0)
            np.testing.assert_array_max_ulp(w, p.detach().numpy(), maxulp=2)


def _problem(loss: str) -> tuple[NetworkSpec, list[np.ndarray], list[np.ndarray], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    layers = NETWORKS[loss]
    network = NetworkSpec(2, tuple(LayerSpec(units, activation) for activation, units in layers))
    weights = [rng.normal(0, 0.8, size=(a, b)) for a, b in itertools.pairwise(network.sizes)]
    biases = [rng.normal(0, 0.3, size=b) for b in network.sizes[1:]]
    x = rng.uniform(-2, 2, size=(SAMPLES, 2))
    regression = np.sin(x[:, :1]) * x[:, 1:]
    y = regression if loss == "mse" else np.eye(3)[rng.integers(0, 3, size=SAMPLES)]
    return network, weights, biases, x, y


def _engine(loss: str, optimizer: OptimizerSpec) -> tuple[list[np.ndarray], list[np.ndarray]]:
    network, weights, biases, x, y = _problem(loss)
    training = TrainingSpec(
        loss=loss,
        optimizer=optimizer,
        batch_size=BATCH,
        shuffle=False,
        regularization=REGULARIZATION[loss],
    )
    data = DataSpec("inline", x=tuple(map(tuple, x)), y=tuple(map(tuple, y)))
    project = Project(network, training, data, weights=weights, biases=biases)
    session = open_session(project)
    assert session.run_epochs(EPOCHS) == EPOCHS
    return list(session.weights), list(session.biases)


def _torch(loss: str, optimizer: OptimizerSpec) -> tuple[list[np.ndarray], list[np.ndarray]]:
    network, weights, biases, x, y = _problem(loss)
    w = [torch.tensor(array, dtype=torch.float64, requires_grad=True) for array in weights]
    b = [torch.tensor(array, dtype=torch.float64, requires_grad=True) for array in biases]
    params = [*w, *b]
    lr = optimizer.learning_rate
    if optimizer.name == "sgd":
        opt = torch.optim.SGD(params, lr=lr)
    elif optimizer.name == "momentum":
        opt = torch.optim.SGD(params, lr=lr, momentum=optimizer.momentum)
    else:
        betas = (optimizer.beta1, optimizer.beta2)
        opt = torch.optim.Adam(params, lr=lr, betas=betas, eps=optimizer.epsilon)
    xs, ys = torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    activations = [layer.activation for layer in network.layers]
    for _epoch in range(EPOCHS):
        for start in range(0, SAMPLES, BATCH):
            value = _torch_loss(loss, activations, w, b, xs[start : start + BATCH], ys[start : start + BATCH])
            opt.zero_grad()
            value.backward()
            opt.step()
    return [t.detach().numpy() for t in w], [t.detach().numpy() for t in b]


def _torch_loss(loss: str, activations: list[str], w: list, b: list, xb, yb):
    """The batch loss as README defines it, regularization included, built from torch operations."""
    a = xb
    for activation, wk, bk in zip(activations, w, b, strict=True):
        z = a @ wk + bk
        a = TORCH_ACTIVATION[activation](z)
    if loss == "mse":
        value = 0.5 * ((a - yb) ** 2).sum() / len(xb)
    else:
        value = -(yb * torch.log_softmax(z, dim=1)).sum() / len(xb)
    reg = REGULARIZATION[loss]
    if reg.kind == "l2":
        value = value + reg.rate * 0.5 * sum((wk**2).sum() for wk in w)
    elif reg.kind == "l1":
        value = value + reg.rate * sum(wk.abs().sum() for wk in w)
    return value


@pytest.mark.parametrize("loss", sorted(NETWORKS))
@pytest.mark.parametrize(
    "optimizer",
    [OptimizerSpec("sgd", 0.1), OptimizerSpec("momentum", 0.05, momentum=0.9), OptimizerSpec("adam", 0.02)],
    ids=["sgd", "momentum", "adam"],
)
def test_a_short_training_run_ends_with_torchs_weights(loss: str, optimizer: OptimizerSpec) -> None:
    ours_w, ours_b = _engine(loss, optimizer)
    torch_w, torch_b = _torch(loss, optimizer)
    start_w = _problem(loss)[1]
    for k, (mine, theirs, start) in enumerate(zip(ours_w, torch_w, start_w, strict=True)):
        # Training moved the weights well beyond the tolerance, so agreement is not trivial.
        assert np.abs(theirs - start).max() > 1e-3, f"layer {k + 1} weights did not train"
        scale = np.abs(theirs).max()
        np.testing.assert_allclose(
            mine, theirs, rtol=RTOL, atol=RTOL * scale, err_msg=f"weights layer {k + 1}"
        )
    for k, (mine, theirs) in enumerate(zip(ours_b, torch_b, strict=True)):
        scale = max(np.abs(theirs).max(), 1.0)
        np.testing.assert_allclose(
            mine, theirs, rtol=RTOL, atol=RTOL * scale, err_msg=f"biases layer {k + 1}"
        )
