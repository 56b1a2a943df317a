"""The digits preset (64-32-10 softmax, Adam, batch 32, standardized): training throughput beside PyTorch,
and the canvas frame rate with its 64 inputs.

Run: python benchmarks/bench_digits.py [--epochs 10] [--repeat 3] [--frames 40]

Training: the studio's session (`run_epochs`, its fast path) against a plain float64 PyTorch loop doing the
same work on the same standardized samples: shuffled mini-batches of 32, forward, cross-entropy (sum/B),
backward, an Adam step with the preset's settings, and at each epoch's end the loss over the training and
the test set (the session records both). Samples per second = training samples × epochs / seconds.

Canvas: frames painted at 1280x720 by the window's renderer, each from a new snapshot of the real digits
session one batch further on (so no cached value helps), with the data set's input names; the first frame,
which also builds the layout, is left out, as in bench_canvas.py.

Figures, not assertions: the machine is shared and noisy; each side keeps its best of `--repeat` runs,
alternating so that both see the same load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backprop_studio.core.project.presets_catalog import load_preset
from backprop_studio.core.project.project import Project, open_session
from backprop_studio.core.training.session import TrainingSession

WIDTH, HEIGHT = 1280, 720


def studio_seconds(project: Project, epochs: int) -> float:
    session = open_session(project)
    start = time.perf_counter()
    session.run_epochs(epochs)
    return time.perf_counter() - start


def torch_seconds(torch, session: TrainingSession, epochs: int) -> float:
    """The same training as a float64 PyTorch loop, started from the session's initial weights."""
    dtype = torch.float64
    ds, spec = session.dataset, session.training
    w, b = session.weights, session.biases
    model = torch.nn.Sequential(
        torch.nn.Linear(w[0].shape[0], w[0].shape[1], dtype=dtype),
        torch.nn.Tanh(),
        torch.nn.Linear(w[1].shape[0], w[1].shape[1], dtype=dtype),
    )
    with torch.no_grad():
        for layer, weights, biases in ((model[0], w[0], b[0]), (model[2], w[1], b[1])):
            layer.weight.copy_(torch.tensor(weights.T))  # torch stores (out, in)
            layer.bias.copy_(torch.tensor(biases))
    o = spec.optimizer
    optimizer = torch.optim.Adam(
        model.parameters(), lr=o.learning_rate, betas=(o.beta1, o.beta2), eps=o.epsilon
    )
    x, y = torch.tensor(ds.x_train), torch.tensor(ds.y_train)
    x_test, y_test = torch.tensor(ds.x_test), torch.tensor(ds.y_test)
    generator = torch.Generator().manual_seed(0)

    def loss_of(logits, target):
        return -(target * torch.log_softmax(logits, dim=1)).sum() / logits.shape[0]

    n, batch = x.shape[0], spec.batch_size
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for i in range(0, n, batch):
            index = order[i : i + batch]
            optimizer.zero_grad()
            loss_of(model(x[index]), y[index]).backward()
            optimizer.step()
        with torch.no_grad():
            loss_of(model(x), y).item()
            loss_of(model(x_test), y_test).item()
    return time.perf_counter() - start


def training(project: Project, epochs: int, repeat: int, threads: int) -> None:
    try:
        import torch
    except ImportError:
        torch = None
        print(
            "PyTorch is not importable: the studio's figure only (pip install torch==2.13.0 for the ratio)."
        )
    else:
        # Batches of 32 × 64 are far too small for several threads to pay: on a loaded machine they
        # mostly wait for each other. One thread is PyTorch's best here; --torch-threads changes it.
        torch.set_num_threads(threads)
    reference = open_session(project)
    n_train = len(reference.dataset.x_train)
    work = n_train * epochs
    t_studio = t_torch = float("inf")
    for _ in range(repeat):
        t_studio = min(t_studio, studio_seconds(project, epochs))
        if torch is not None:
            t_torch = min(t_torch, torch_seconds(torch, open_session(project), epochs))
    print(
        f"Training the digits preset: {n_train:,} training samples, batch {project.training.batch_size}, "
        f"{epochs} epochs, best of {repeat}"
    )
    print(f"{'engine':<46}{'seconds':>10}{'samples/s':>14}")
    print(f"{'Backprop Studio (NumPy, float64)':<46}{t_studio:>10.3f}{work / t_studio:>14,.0f}")
    if torch is not None:
        label = f"PyTorch eager loop (CPU, float64, {threads} thread{'s' if threads > 1 else ''})"
        print(f"{label:<46}{t_torch:>10.3f}{work / t_torch:>14,.0f}")
        print(f"studio / PyTorch throughput: {t_torch / t_studio:.2f}x")


def canvas(project: Project, frames: int) -> None:
    from backprop_studio.gui.canvas.options import CanvasOptions
    from backprop_studio.gui.canvas.renderer import CanvasRenderer
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QGuiApplication, QImage, QPainter

    _app = QGuiApplication.instance() or QGuiApplication([])
    session = open_session(project)
    snapshots = []
    for _ in range(frames + 1):
        session.advance("batch")
        snapshots.append(session.snapshot())
    options = CanvasOptions(input_names=session.dataset.feature_names)
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
    rect = QRectF(0, 0, WIDTH, HEIGHT)
    renderer = CanvasRenderer()
    wall, cpu = [], []
    for i, snapshot in enumerate(snapshots):
        start, start_cpu = time.perf_counter(), time.process_time()
        painter = QPainter(image)
        renderer.paint(painter, rect, snapshot, options)
        painter.end()
        if i:
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    stats = renderer.last_stats
    mean = statistics.fmean(wall)
    p95 = sorted(wall)[max(0, int(len(wall) * 0.95) - 1)]
    print(
        f"\nCanvas, 64-32-10 ({stats.edges_total:,} edges, {stats.edges_drawn:,} drawn) at {WIDTH}x{HEIGHT}, "
        f"{frames} frames, a batch further each frame"
    )
    print(
        f"mean {mean:.1f} ms, p95 {p95:.1f} ms, cpu {statistics.fmean(cpu):.1f} ms per frame: "
        f"{1000 / mean:.0f} frames/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10, help="epochs per timed run (default 10)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side, the best kept (default 3)")
    parser.add_argument("--frames", type=int, default=40, help="canvas frames (default 40)")
    parser.add_argument("--torch-threads", type=int, default=1, help="PyTorch's intra-op threads (default 1)")
    args = parser.parse_args()
    project = load_preset("digits")
    training(project, args.epochs, args.repeat, args.torch_threads)
    canvas(project, args.frames)


if __name__ == "__main__":
    main()
