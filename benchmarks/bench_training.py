"""Training throughput of the session's fast path, beside PyTorch (CPU, eager, same dtype) on the same work.

Run: python benchmarks/bench_training.py [--repeat 3]     (both sides in float64, the session's dtype)
Same work for both: shuffled mini-batches, forward, loss (½·sum/B MSE or cross-entropy sum/B), backward,
SGD step, and at each epoch's end the loss over the whole training set (the session records it).
Also reports the cost of one single-phase `step()` (the stepping machinery) for nets up to 500 edges.
Figures, not assertions: the machine is shared and noisy; the best of `--repeat` runs is printed.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backprop_studio.core.data.dataset import Dataset
from backprop_studio.core.spec import LayerSpec, NetworkSpec, OptimizerSpec, TrainingSpec
from backprop_studio.core.training.session import TrainingSession

CASES = [
    # name, sizes, hidden activation, output activation, loss, samples, batch, epochs
    ("2-8-8-1 tanh, 500 samples, batch 10", (2, 8, 8, 1), "tanh", "tanh", "mse", 500, 10, 20),
    (
        "six hidden layers of 8 (2-8x6-1), batch 10",
        (2, 8, 8, 8, 8, 8, 8, 1),
        "tanh",
        "tanh",
        "mse",
        500,
        10,
        10,
    ),
    (
        "784-128-64-10 softmax, 10,000 samples, batch 64",
        (784, 128, 64, 10),
        "relu",
        "softmax",
        "cross_entropy",
        10_000,
        64,
        2,
    ),
]


def make_data(sizes, loss, samples, rng):
    x = rng.normal(size=(samples, sizes[0]))
    if loss == "cross_entropy":
        y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], samples)]
    else:
        y = np.tanh(x[:, :1] * x[:, 1:2])
    return x, y


def run_numpy(sizes, hidden, output, loss, x, y, batch, epochs):
    layers = (*tuple(LayerSpec(u, hidden) for u in sizes[1:-1]), LayerSpec(sizes[-1], output))
    net = NetworkSpec(sizes[0], layers)
    train = TrainingSpec(loss=loss, optimizer=OptimizerSpec("sgd", 0.01), batch_size=batch, shuffle=True)
    ds = Dataset(x, y, x[:0], y[:0], "regression")
    session = TrainingSession(net, train, ds)
    start = time.perf_counter()
    session.run_epochs(epochs)
    return time.perf_counter() - start


def run_torch(torch, sizes, hidden, output, loss, x, y, batch, epochs, dtype):
    gen = torch.Generator().manual_seed(0)
    layers = []
    for n_in, n_out in itertools.pairwise(sizes):
        layers.append(torch.nn.Linear(n_in, n_out, dtype=dtype))
        layers.append(torch.nn.Tanh() if hidden == "tanh" else torch.nn.ReLU())
    layers.pop()
    if output == "tanh":
        layers.append(torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    xt = torch.tensor(x, dtype=dtype)
    yt = torch.tensor(y, dtype=dtype)
    n = xt.shape[0]

    def loss_of(out, target):
        if loss == "cross_entropy":
            return -(target * torch.log_softmax(out, dim=1)).sum() / out.shape[0]
        return 0.5 * ((out - target) ** 2).sum() / out.shape[0]

    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(n, generator=gen)
        for i in range(0, n, batch):
            idx = order[i : i + batch]
            opt.zero_grad()
            loss_of(model(xt[idx]), yt[idx]).backward()
            opt.step()
        with torch.no_grad():
            loss_of(model(xt), yt).item()
    return time.perf_counter() - start


def single_phase_cost(repeat: int) -> list[tuple[str, int, float]]:
    out = []
    rng = np.random.default_rng(1)
    for sizes in ((2, 4, 2, 1), (2, 8, 8, 1), (10, 16, 16, 2), (20, 16, 10, 1)):
        edges = sum(a * b for a, b in itertools.pairwise(sizes))
        x, y = rng.normal(size=(200, sizes[0])), rng.normal(size=(200, sizes[-1]))
        net = NetworkSpec(sizes[0], tuple(LayerSpec(u, "tanh") for u in sizes[1:]))
        session = TrainingSession(net, TrainingSpec(batch_size=10), Dataset(x, y, x[:0], y[:0], "regression"))
        best = float("inf")
        for _ in range(repeat):
            n = 4000
            start = time.perf_counter()
            for _ in range(n):
                session.step()
            best = min(best, (time.perf_counter() - start) / n)
        out.append(("-".join(map(str, sizes)), edges, best))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        torch = None
        print("PyTorch is not importable: printing NumPy figures only (pip install torch for the ratio).")
    rng = np.random.default_rng(0)
    print(f"{'case':<50}{'numpy samples/s':>17}{'torch samples/s':>17}{'ratio':>8}   target")
    for name, sizes, hidden, output, loss, samples, batch, epochs in CASES:
        x, y = make_data(sizes, loss, samples, rng)
        work = samples * epochs
        # NumPy and torch runs alternate, and each side keeps its best: this shared machine's speed
        # drifts, and timing one side after the other would let the drift decide the ratio.
        t_np = t_pt = float("inf")
        for _ in range(args.repeat):
            t_np = min(t_np, run_numpy(sizes, hidden, output, loss, x, y, batch, epochs))
            if torch is not None:
                t_pt = min(
                    t_pt, run_torch(torch, sizes, hidden, output, loss, x, y, batch, epochs, torch.float64)
                )
        line = f"{name:<50}{work / t_np:>17,.0f}"
        target = ">= 1.0x" if sizes[0] == 784 else ">= 5x"
        if torch is not None:
            line += f"{work / t_pt:>17,.0f}{t_pt / t_np:>7.1f}x   {target}"
        print(line)
    print(
        f"\n{'one single-phase step()':<30}{'edges':>7}{'µs per phase':>15}   target < 100 µs up to 500 edges"
    )
    for sizes, edges, seconds in single_phase_cost(args.repeat):
        print(f"{sizes:<30}{edges:>7}{seconds * 1e6:>15.1f}")


if __name__ == "__main__":
    main()
