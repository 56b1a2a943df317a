"""The command line's work: train, gradcheck, info, presets and lessons, writing plain text to the given streams.

`main.py` parses the arguments and calls these; they raise StudioError for anything a user can fix.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

import numpy as np
from backprop_studio.core.analysis import gradcheck
from backprop_studio.core.data.datasets.catalog import INFO as REAL_INFO
from backprop_studio.core.display.text import printable
from backprop_studio.core.errors import StudioError
from backprop_studio.core.lessons.catalog import list_lessons
from backprop_studio.core.limits import MAX_EPOCHS, LimitError, big
from backprop_studio.core.nn.network import parameter_count
from backprop_studio.core.project.atomic import check_writable
from backprop_studio.core.project.fileformat import load_project, save_project
from backprop_studio.core.project.presets_catalog import list_presets, load_preset
from backprop_studio.core.project.project import Project, capture_project, open_session
from backprop_studio.core.spec import REAL_DATASETS
from backprop_studio.core.training.session import TrainingSession


def load(file: str | None, preset: str | None) -> Project:
    """The project named on the command line: a file, or a preset."""
    if preset is not None and file is None:
        return load_preset(preset)
    if file is not None and preset is None:
        return load_project(file)
    raise StudioError("name a project file or --preset NAME (one of them)")


def train(
    project: Project,
    epochs: int | None,
    out: str | None,
    seed: int | None,
    stdout: TextIO,
    stderr: TextIO,
    memory_budget_mb: float | None = None,
    update_biases: bool | None = None,
) -> Project:
    """Train for `epochs` (default: the project's own), report progress on stderr and a summary on stdout.

    `memory_budget_mb` bounds what the session keeps for stepping back (checkpoints and history), in MB.

    `seed` replaces the training seed: it draws the initial weights when the file has none, and the
    shuffling order; weights stored in the file are kept. `update_biases` (False: hold the biases
    fixed) replaces the file's `training.update_biases` when given.
    """
    project, epochs = _checked_run(project, epochs, out, seed, memory_budget_mb, update_biases)
    session = open_session(project, None if memory_budget_mb is None else int(memory_budget_mb * 2**20))
    interactive = stderr.isatty()
    start = time.perf_counter()
    finished = session.run_epochs(epochs, progress=_progress_printer(session, stderr))
    elapsed = time.perf_counter() - start
    if interactive:
        stderr.write("\n")
    stdout.write("\n".join(_summary(session, finished, elapsed)) + "\n")
    result = capture_project(session, project)
    if session.divergence:
        raise StudioError(
            f"training diverged at {session.divergence}" + ("; nothing was written" if out else "")
        )
    if out is not None:
        save_project(result, out)
        stdout.write(f"wrote {printable(out)}\n")
    return result


def _checked_run(
    project: Project,
    epochs: int | None,
    out: str | None,
    seed: int | None,
    memory_budget_mb: float | None,
    update_biases: bool | None,
) -> tuple[Project, int]:
    """`train`'s arguments checked before any work: the project with `seed` and `update_biases` applied,
    and the number of epochs to run. Raises StudioError (LimitError past MAX_EPOCHS)."""
    if update_biases is not None:
        project = replace(project, training=replace(project.training, update_biases=update_biases))
    if seed is not None:
        project = replace(project, training=replace(project.training, seed=seed))
    if out is not None:
        check_writable(Path(out))  # before the run, not after it
    epochs = project.training.epochs if epochs is None else epochs
    if epochs < 1:
        raise StudioError(f"--epochs must be at least 1, not {epochs}")
    room = MAX_EPOCHS - project.epochs_completed
    if epochs > room:
        raise LimitError(
            f"--epochs must be at most {room:,} (at most {MAX_EPOCHS:,} epochs in all, the limit), "
            f"not {big(epochs)}"
        )
    if memory_budget_mb is not None and not 0 < memory_budget_mb < 2**40:
        raise StudioError(f"--memory-budget must be a positive number of MB, not {memory_budget_mb}")
    return project, epochs


def _progress_printer(session: TrainingSession, stderr: TextIO) -> Callable[[int, int], None]:
    """`run_epochs`'s progress callback: "epoch 3/10  train loss 0.123" on `stderr`, rewritten in place
    on a terminal (at most 10 times a second), one line every 2 seconds (and the last) otherwise."""
    interactive = stderr.isatty()
    last_report = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if done == total or now - last_report[0] > (0.1 if interactive else 2.0):
            last_report[0] = now
            loss = session.history().train_loss[-1]
            line = f"epoch {done}/{total}  train loss {loss:.6g}"
            stderr.write(f"\r{line}   " if interactive else line + "\n")
            stderr.flush()

    return progress


def _summary(session: TrainingSession, finished: int, elapsed: float) -> list[str]:
    """The lines `train` prints when it is done: epochs, last losses (and accuracies), speed."""
    history = session.history()
    n_train = session.dataset.x_train.shape[0]
    lines = [
        f"epochs          {finished} (total {session.epochs_completed})",
        f"train loss      {_fmt(history.train_loss[-1] if history.train_loss else math.nan)}",
        f"test loss       {_fmt(history.test_loss[-1] if history.test_loss else math.nan)}",
    ]
    if session.dataset.task == "classification":
        lines.append(
            f"train accuracy  {_pct(history.train_accuracy[-1] if history.train_accuracy else math.nan)}"
        )
        lines.append(
            f"test accuracy   {_pct(history.test_accuracy[-1] if history.test_accuracy else math.nan)}"
        )
    lines.append(f"wall time       {elapsed:.3f} s")
    lines.append(
        f"samples/second  {finished * n_train / elapsed:,.0f}" if elapsed > 0 else "samples/second  -"
    )
    return lines


def check_gradients(project: Project, stdout: TextIO, tolerance: float = gradcheck.DEFAULT_TOLERANCE) -> bool:
    """Finite-difference check of the first batch's gradients; prints the worst error per layer, then
    the entries at a ReLU-like kink (not comparable, so neither pass nor fail). True when every compared
    entry is within `tolerance`."""
    session = open_session(project)
    session.step_backward_pass()
    snap = session.snapshot()
    report = gradcheck.check_snapshot(snap, session.training.regularization, tolerance=tolerance)
    assert snap.x is not None  # check_snapshot refuses a batch without inputs
    stdout.write(
        f"gradient check on the first batch ({snap.x.shape[0]} samples), fourth-order central differences\n"
    )
    stdout.write(f"{'layer':<7}{'checked':>9}{'at a kink':>11}{'worst relative error':>23}\n")
    for layer in report.layers:
        worst = f"{layer.worst:.3e}" if layer.compared else "-"
        stdout.write(f"{layer.layer:<7}{layer.checked:>9}{layer.kinks:>11}{worst:>23}\n")
    verdict = "PASS" if report.passed else "FAIL"
    stdout.write(f"{verdict}: worst {report.worst:.3e} (tolerance {tolerance:.0e})\n")
    if not report.passed:
        for error, layer_number, name, index in report.worst_entries(5):
            stdout.write(f"  layer {layer_number} {name}{list(index)}: relative error {error:.3e}\n")
    _write_kinks(report, stdout)
    return report.passed


KINKS_LISTED = 10


def _write_kinks(report: gradcheck.GradCheckReport, stdout: TextIO) -> None:
    """The entries whose finite-difference window crosses z = 0 of a ReLU or leaky ReLU, apart."""
    entries = report.kink_entries()
    if not entries:
        return
    stdout.write(
        f"at a kink, not comparable: {len(entries)} "
        f"{'entry' if len(entries) == 1 else 'entries'} (moving the parameter by ±{2 * gradcheck.STEP:g} "
        "crosses z = 0 of a ReLU-like unit, where the loss has no derivative)\n"
    )
    for layer_number, name, index in entries[:KINKS_LISTED]:
        stdout.write(f"  layer {layer_number} {name}{list(index)}\n")
    if len(entries) > KINKS_LISTED:
        stdout.write(f"  … and {len(entries) - KINKS_LISTED} more\n")


def info(project: Project, stdout: TextIO) -> None:
    """A summary table: layers, units, activation, parameter counts, loss, optimizer, data."""
    net, tr, _data = project.network, project.training, project.data
    counts = parameter_count(net.sizes)
    # Name, description and paths come from the file: escaped, so the terminal prints rather than obeys them.
    title = project.name or (project.source or "project")
    stdout.write(f"{printable(title)}\n")
    if project.description:
        stdout.write(f"{printable(project.description, multiline=True)}\n")
    stdout.write(f"\n{'layer':<8}{'units':>6}  {'activation':<12}{'weights':>9}{'biases':>8}\n")
    stdout.write(f"{'input':<8}{net.inputs:>6}  {'-':<12}{'':>9}{'':>8}\n")
    for number, (layer, (nw, nb)) in enumerate(zip(net.layers, counts, strict=True), start=1):
        stdout.write(f"{number:<8}{layer.units:>6}  {layer.activation:<12}{nw:>9}{nb:>8}\n")
    total = sum(nw + nb for nw, nb in counts)
    stdout.write(f"{'total':<28}{total:>17} parameters\n\n")
    opt = tr.optimizer
    opt_text = f"{opt.name}, learning rate {opt.learning_rate:g}"
    if opt.name == "momentum":
        opt_text += f", momentum {opt.momentum:g}"
    elif opt.name == "adam":
        opt_text += f", betas ({opt.beta1:g}, {opt.beta2:g}), epsilon {opt.epsilon:g}"
    reg = (
        "none" if tr.regularization.kind == "none" else f"{tr.regularization.kind} {tr.regularization.rate:g}"
    )
    rows = [
        ("loss", tr.loss),
        ("optimizer", opt_text),
        ("batch size", f"{tr.batch_size}{', shuffled' if tr.shuffle else ''}"),
        ("biases", "updated" if tr.update_biases else "held fixed (not updated)"),
        ("regularization", reg),
        ("seed", str(tr.seed)),
        ("initialization", f"{net.init.weights}, biases {net.init.bias:g}"),
        ("data", _describe_data(project)),
        ("trained", f"{project.epochs_completed} epochs" + (" (weights saved)" if project.weights else "")),
    ]
    for key, value in rows:
        stdout.write(f"{key:<16}{value}\n")


def presets(stdout: TextIO) -> None:
    entries = list_presets()
    width = max(len(name) for name, _ in entries)
    for name, description in entries:
        stdout.write(f"{name:<{width}}  {printable(description)}\n")


def lessons(stdout: TextIO) -> None:
    """The built-in lessons, one per line: the name (for `record --lesson`), then the title."""
    entries = list_lessons()
    width = max(len(name) for name, _ in entries)
    for name, title in entries:
        stdout.write(f"{name:<{width}}  {printable(title)}\n")


def _describe_data(project: Project) -> str:
    d = project.data
    if d.kind == "inline":
        n_test = 0 if d.x_test is None else len(d.x_test)
        return f"inline, {len(d.x or ())} training and {n_test} test samples"
    if d.kind == "csv":
        target = f"one-hot of {d.one_hot}" if d.one_hot else ", ".join(d.targets)
        return printable(f"csv {d.path}, targets {target}, {d.train_fraction:.0%} for training")
    scaled = ", standardized" if d.standardize else ""
    if d.kind in REAL_DATASETS:
        return f"{d.kind} ({REAL_INFO[d.kind].summary()}), {d.train_fraction:.0%} for training{scaled}"
    text = f"{d.kind}, {d.samples} samples, noise {d.noise:.0%}, {d.train_fraction:.0%} for training"
    if d.kind == "spiral" and d.classes != 2:
        text += f", {d.classes} classes"
    return text + f", features {', '.join(d.features)}{scaled}"


def _fmt(value: float) -> str:
    return "-" if np.isnan(value) else f"{value:.6g}"


def _pct(value: float) -> str:
    return "-" if np.isnan(value) else f"{value:.1%}"
