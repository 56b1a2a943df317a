"""A standalone PyTorch script that rebuilds a project's network and trains it as the studio does.

`script_text` writes the code, `script_arrays` what it reads from the .npz beside it: the data the session
trains on (x_train (n, n_in), y_train (n, n_out), x_test, y_test, after features and preprocessing), the
current weights under the model's state_dict names (`model.0.weight` (n_out, n_in), …) and the optimizer
state (`optimizer.step`, `optimizer.<buffer>.<parameter name>`). The script matches the studio's
semantics: batches are rows order[i·B:(i+1)·B] of one permutation per epoch drawn from the same NumPy
generator state, the loss is a mean over the batch, the penalty's gradient is added to dL/dW before the
optimizer step, and each epoch's reported losses are on the whole sets, without the penalty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from backprop_studio.core.interop.state_dict import TORCH_MODULES, to_state_dict
from backprop_studio.core.nn.optimizers import OptimizerState
from backprop_studio.core.spec import NetworkSpec, TrainingSpec

# The batch loss, written as the studio defines it (core/nn/losses.py); z is the output layer's
# pre-activation (batch, n_out), a = f(z), y the targets.
_LOSSES = {
    "mse": (
        '"""Mean squared error (1/B) Σ ½ (a − y)², B the batch\'s rows."""',
        "0.5 * ((a - y) ** 2).sum() / len(y)",
    ),
    "bce": (
        '"""Binary cross-entropy of a = σ(z), from z (stable), summed over outputs and averaged over the batch."""',
        'F.binary_cross_entropy_with_logits(z, y, reduction="sum") / len(y)',
    ),
    "cross_entropy": (
        '"""Cross-entropy −(1/B) Σ y log softmax(z), from z via log-softmax; y are one-hot rows."""',
        'F.cross_entropy(z, y, reduction="sum") / len(y)',
    ),
}
_PENALTY_GRADIENT = {"l1": "torch.sign(layer.weight.detach())", "l2": "layer.weight.detach()"}
_BUFFERS = {"momentum": {"velocity": "momentum_buffer"}, "adam": {"m": "exp_avg", "v": "exp_avg_sq"}}


def script_arrays(
    dataset_arrays: Sequence[np.ndarray],
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    state: OptimizerState,
) -> dict[str, np.ndarray]:
    """What the script's .npz holds: x_train, y_train, x_test, y_test (float64), `model.*`, `optimizer.*`."""
    out = dict(
        zip(
            ("x_train", "y_train", "x_test", "y_test"),
            (np.ascontiguousarray(a) for a in dataset_arrays),
            strict=True,
        )
    )
    out.update({f"model.{name}": array for name, array in to_state_dict(weights, biases).items()})
    out["optimizer.step"] = np.array(state.step, dtype=np.int64)
    for buffer, (ws, bs) in state.buffers.items():
        for name, array in to_state_dict(ws, bs).items():
            out[f"optimizer.{buffer}.{name}"] = array
    return out


def script_text(
    project_name: str,
    network: NetworkSpec,
    training: TrainingSpec,
    data_file: str,
    shuffle_state: Mapping[str, Any],
    epochs_done: int,
) -> str:
    """The script's source. `shuffle_state` is the NumPy generator's `bit_generator.state` when training starts."""
    settings = _settings(project_name, training, data_file, shuffle_state, epochs_done)
    parts = [_HEADER, settings, _model(network), _loss(training)]
    parts += [_regularization(training), _optimizer(training), _MAIN]
    return "\n".join(parts)


def _settings(
    name: str, training: TrainingSpec, data_file: str, shuffle_state: Mapping[str, Any], epochs_done: int
) -> str:
    state_text = "{\n" + "".join(f"    {key!r}: {value!r},\n" for key, value in shuffle_state.items()) + "}"
    return f"""PROJECT = {name!r}
DATA = Path(__file__).with_name({data_file!r})
EPOCHS_DONE = {epochs_done}  # epochs the studio had trained when this was exported
BATCH_SIZE = {training.batch_size}
SHUFFLE = {training.shuffle}
# Each epoch's sample order is permutation(n_train) drawn from this NumPy generator (PCG64), in the state
# the studio's shuffling generator has when training starts (from the training seed {training.seed}).
SHUFFLE_STATE = {state_text}
"""


def _model(network: NetworkSpec) -> str:
    lines = []
    last = len(network.layers)
    for number, (n_in, layer) in enumerate(zip(network.sizes, network.layers, strict=False), start=1):
        role = "output layer" if number == last else f"layer {number}"
        lines.append(f"        nn.Linear({n_in}, {layer.units}),  # {role}: z = a @ weightᵀ + bias")
        lines.append(f"        {TORCH_MODULES[layer.activation]},")
    body = "\n".join(lines)
    return f'''
def build_model() -> nn.Sequential:
    """Linear modules with their activations between: state_dict names 0.weight, 0.bias, 2.weight, …"""
    return nn.Sequential(
{body}
    )
'''


def _loss(training: TrainingSpec) -> str:
    doc, expression = _LOSSES[training.loss]
    return f"""
def loss_fn(z: torch.Tensor, a: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    {doc}
    return {expression}
"""


def _regularization(training: TrainingSpec) -> str:
    reg = training.regularization
    if reg.kind == "none" or reg.rate == 0.0:
        return '''
def add_penalty_gradient(model: nn.Sequential) -> None:
    """No regularization."""
'''
    penalty = "rate · Σ |w|" if reg.kind == "l1" else "rate · ½ Σ w²"
    return f'''
PENALTY_RATE = {reg.rate!r}


def add_penalty_gradient(model: nn.Sequential) -> None:
    """{reg.kind.upper()} regularization {penalty} over the weights (never the biases): the studio adds its
    gradient to dL/dW before the optimizer step, as here."""
    for layer in model:
        if isinstance(layer, nn.Linear):
            layer.weight.grad += PENALTY_RATE * {_PENALTY_GRADIENT[reg.kind]}
'''


def _optimizer(training: TrainingSpec) -> str:
    opt = training.optimizer
    if opt.name == "sgd":
        make = f"torch.optim.SGD(model.parameters(), lr={opt.learning_rate!r})"
    elif opt.name == "momentum":
        make = f"torch.optim.SGD(model.parameters(), lr={opt.learning_rate!r}, momentum={opt.momentum!r})"
    else:
        make = (
            f"torch.optim.Adam(model.parameters(), lr={opt.learning_rate!r}, "
            f"betas=({opt.beta1!r}, {opt.beta2!r}), eps={opt.epsilon!r}, foreach=False)"
        )
    restore = _restore_state(opt.name)
    return f'''
def make_optimizer(model: nn.Sequential, saved: dict[str, torch.Tensor]) -> torch.optim.Optimizer:
    """The studio's optimizer ({opt.name}) with the state its run has reached."""
    optimizer = {make}
{restore}    return optimizer
'''


def _restore_state(name: str) -> str:
    if name == "sgd":
        return "    # plain SGD keeps no state\n"
    entries = [
        f'"{theirs}": saved[f"optimizer.{ours}.{{name}}"].clone(),' for ours, theirs in _BUFFERS[name].items()
    ]
    if name == "adam":
        entries.insert(0, '"step": saved["optimizer.step"].double(),')
    lines = "".join(f"                {entry}\n" for entry in entries)
    return f"""    if int(saved["optimizer.step"]) > 0:  # a fresh run starts with empty state, as torch's does
        for name, parameter in model.named_parameters():
            optimizer.state[parameter] = {{
{lines}            }}
"""


_HEADER = '''#!/usr/bin/env python3
"""A Backprop Studio network rebuilt as torch.nn.Sequential and trained exactly as the studio trains it.

    python run.py --epochs 10 [--save final.npz]

The .npz beside it (DATA below) holds the data the studio trains on (x_train, y_train, x_test, y_test),
the current weights under the model's state_dict names (model.0.weight, …) and the optimizer's state
(optimizer.*), all float64. When the studio standardized the inputs, the x arrays are already
standardized and the .npz also holds feature_mean and feature_std (from the training split): give the
trained model new raw inputs as (x - feature_mean) / feature_std. Each epoch prints `epoch <n> train_loss <value> test_loss <value>`: the loss on
the whole training and test sets after the epoch's last update, without the penalty, as the studio records it.
"""

import argparse
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

torch.set_default_dtype(torch.float64)
'''

_MAIN = '''
def evaluate(model: nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> float:
    """The loss on a whole set (NaN for an empty one)."""
    if len(x) == 0:
        return float("nan")
    with torch.no_grad():
        z = model[:-1](x)
        return float(loss_fn(z, model[-1](z), y))


def main() -> None:
    parser = argparse.ArgumentParser(description=f"{PROJECT}: train it in PyTorch as the studio does")
    parser.add_argument("--epochs", type=int, default=1, help="epochs to train")
    parser.add_argument("--save", metavar="FILE.npz", help="write the final state_dict as .npz")
    args = parser.parse_args()
    with np.load(DATA) as archive:
        saved = {name: torch.from_numpy(archive[name]) for name in archive.files}
    model = build_model()
    model.load_state_dict({name[len("model.") :]: t for name, t in saved.items() if name.startswith("model.")})
    optimizer = make_optimizer(model, saved)
    x_train, y_train, x_test, y_test = (saved[name] for name in ("x_train", "y_train", "x_test", "y_test"))
    n = len(x_train)
    shuffle = np.random.Generator(np.random.PCG64())
    shuffle.bit_generator.state = SHUFFLE_STATE
    for epoch in range(EPOCHS_DONE + 1, EPOCHS_DONE + args.epochs + 1):
        order = shuffle.permutation(n) if SHUFFLE else np.arange(n)
        for start in range(0, n, BATCH_SIZE):
            rows = torch.from_numpy(order[start : start + BATCH_SIZE])
            x, y = x_train[rows], y_train[rows]
            optimizer.zero_grad()
            z = model[:-1](x)  # the output layer's pre-activation: bce and cross-entropy start from it
            loss_fn(z, model[-1](z), y).backward()
            add_penalty_gradient(model)
            optimizer.step()
        train_loss, test_loss = evaluate(model, x_train, y_train), evaluate(model, x_test, y_test)
        print(f"epoch {epoch} train_loss {train_loss!r} test_loss {test_loss!r}", flush=True)
    if args.save:
        np.savez(args.save, **{name: t.detach().numpy() for name, t in model.state_dict().items()})


if __name__ == "__main__":
    main()
'''
