"""The exported PyTorch script trains as `main.py train` does: same history to 1e-12, same weights to 1e-10.

The oracle is the real PyTorch: the script runs in its own process (autograd and torch.optim do the maths),
and is compared with what `main.py train … --epochs N --out` records. Covered: SGD, momentum, Adam, L1 and
L2, mse / bce / cross_entropy, mini-batches and full batch, shuffling on and off, and a project resumed
with optimizer state (momentum buffers, Adam moments and step) and a partial last batch.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from backprop_studio.core.spec import OptimizerSpec, RegularizationSpec

from tests.core.interop.helpers import project_json, run_cli, variant, weights_of, write

pytest.importorskip(
    "torch", reason="PyTorch is not installed, so the exported script is not run here (CI runs it)"
)
pytestmark = pytest.mark.torch

EPOCHS = 6
HISTORY_RTOL = 1e-12
WEIGHTS_RTOL = 1e-10
MEASURED: dict[str, tuple[float, float]] = {}

CASES = {
    "sgd-mse-shuffled": variant("xor"),
    "momentum-l2-unshuffled": variant(
        "circle", OptimizerSpec("momentum", 0.05, momentum=0.8), RegularizationSpec("l2", 0.01), shuffle=False
    ),
    "adam-l1-cross-entropy": variant(
        "spiral-3-class", OptimizerSpec("adam", 0.01, beta1=0.6), RegularizationSpec("l1", 0.001)
    ),
    "bce-full-batch-relu": variant(
        "circle",
        OptimizerSpec("momentum", 0.1),
        batch_size=100,
        activations=("relu", "leaky_relu", "sigmoid"),
        loss="bce",
    ),
    "adam-partial-batch-regression": variant("regression-plane", OptimizerSpec("adam", 0.02), batch_size=7),
}


def _run_script(script: Path, epochs: int, save: Path) -> list[tuple[int, float, float]]:
    result = subprocess.run(
        [sys.executable, str(script), "--epochs", str(epochs), "--save", str(save)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = []
    for line in result.stdout.splitlines():
        word, n, train_word, train, test_word, test = line.split()
        assert (word, train_word, test_word) == ("epoch", "train_loss", "test_loss")
        rows.append((int(n), float(train), float(test)))
    return rows


def _compare(project_file: Path, tmp_path: Path, name: str) -> None:
    script = tmp_path / f"{name}.py"
    assert run_cli("export", str(project_file), "--to", "pytorch", "--out", str(script))[0] == 0
    assert script.with_suffix(".npz").is_file()
    trained = tmp_path / f"{name}-trained.json"
    assert run_cli("train", str(project_file), "--epochs", str(EPOCHS), "--out", str(trained))[0] == 0
    document = project_json(trained)
    done = document["training"]["epochs_completed"] - EPOCHS
    rows = _run_script(script, EPOCHS, tmp_path / f"{name}-final.npz")
    assert [n for n, _, _ in rows] == list(range(done + 1, done + EPOCHS + 1))
    studio = np.array(
        [document["history"]["train_loss"][-EPOCHS:], document["history"]["test_loss"][-EPOCHS:]]
    ).T
    torch_history = np.array([[train, test] for _, train, test in rows])
    history_error = np.max(np.abs(torch_history - studio) / np.abs(studio))
    assert history_error <= HISTORY_RTOL, name
    final = np.load(tmp_path / f"{name}-final.npz")
    weights, biases = weights_of(document)
    worst = 0.0
    for k, (w, b) in enumerate(zip(weights, biases, strict=True)):
        for ours, theirs in ((w.T, final[f"{2 * k}.weight"]), (b, final[f"{2 * k}.bias"])):
            assert theirs.shape == ours.shape
            worst = max(worst, float(np.max(np.abs(theirs - ours) / np.maximum(np.abs(ours), 1e-300))))
    assert worst <= WEIGHTS_RTOL, name
    MEASURED[name] = (history_error, worst)
    print(f"{name}: history max relative difference {history_error:.2e}, weights {worst:.2e}")


@pytest.mark.parametrize("name", sorted(CASES))
def test_script_trains_like_the_studio(tmp_path, name):
    _compare(write(CASES[name], tmp_path / f"{name}.json"), tmp_path, name)


@pytest.mark.parametrize(
    "optimizer", [OptimizerSpec("momentum", 0.05), OptimizerSpec("adam", 0.01)], ids=["momentum", "adam"]
)
def test_a_resumed_project_continues_with_its_optimizer_state(tmp_path, optimizer):
    # Three epochs first: the file then holds weights, momentum buffers or Adam's moments and step, and
    # the history; the script must continue from all of them (and number its epochs 4, 5, …).
    start = write(
        variant("circle", optimizer, RegularizationSpec("l2", 0.003), batch_size=7), tmp_path / "start.json"
    )
    resumed = tmp_path / "resumed.json"
    assert run_cli("train", str(start), "--epochs", "3", "--out", str(resumed))[0] == 0
    state = project_json(resumed)["training"]["optimizer"]["state"]
    assert state["step"] > 0
    _compare(resumed, tmp_path, f"resumed-{optimizer.name}")


def test_script_without_a_test_set_prints_nan(tmp_path):
    # two-node-sigmoid has inline data and no test samples: the script says nan, as the history does.
    project = variant("two-node-sigmoid")
    project = replace(project, training=replace(project.training, epochs=2))
    script = tmp_path / "run.py"
    run_cli("export", str(write(project, tmp_path / "p.json")), "--to", "pytorch", "--out", str(script))
    rows = _run_script(script, 2, tmp_path / "final.npz")
    assert len(rows) == 2 and all(np.isnan(test) for _, _, test in rows)
