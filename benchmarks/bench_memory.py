"""Peak memory of long runs beside the memory budget (issue 9: the budget must bound what a run keeps).

Each case runs in its own subprocess, and the peak resident memory is that subprocess's
`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`, measured by a fresh wrapper per case:
  train      `python main.py train` full-batch (one batch of every sample an epoch) on a circle data set
             of 100,000 samples, all for training, written to a temporary project file, at 250 and 1,000
             epochs;
  play       a simulated Play at full speed, epoch granularity, on the circle preset: training slices of
             8 ms and a snapshot every 33 ms, as the window's controller does, for `--seconds`
             (60 by default; `--seconds 600` for ten minutes).
Run:
    .venv/bin/python benchmarks/bench_memory.py [--seconds 60] [--budget MB] [--skip-train]

Before and after in one run: PYTHONPATH pointing at a folder holding a `backprop_studio` link to another
checkout runs the cases against that code (main.py is taken from the same folder's link).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN_SAMPLES = 100_000
REFRESH_S = 0.033  # the controller's frame clock (REFRESH_MS)
SLICE_S = 0.008  # its training slice (SLICE_S)

_WRAPPER = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"peak_mb": peak_kb / 1024, "code": done.returncode, "out": done.stdout[-4000:],
                  "err": done.stderr[-2000:]}))
"""


def peak_rss(argv: list[str]) -> dict:
    """Run `argv` under a fresh wrapper; its children's peak RSS (MB), exit code and output."""
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *argv], capture_output=True, text=True, check=False, env=os.environ
    )
    if done.returncode:
        return {"peak_mb": float("nan"), "code": done.returncode, "out": "", "err": done.stderr[-2000:]}
    return json.loads(done.stdout)


def code_root() -> Path:
    """The checkout whose code runs: `backprop_studio` as Python finds it."""
    import backprop_studio

    return Path(next(iter(backprop_studio.__path__))).resolve()


def write_project(folder: str) -> str:
    """A circle project of TRAIN_SAMPLES training samples with the batch size = all of them."""
    from backprop_studio.core.project.fileformat import save_project
    from backprop_studio.core.project.presets_catalog import load_preset

    project = load_preset("circle")
    project = replace(
        project,
        # Every sample trains (files allow at most 100,000 generated samples): no test set.
        data=replace(project.data, samples=TRAIN_SAMPLES, train_fraction=1.0),
        training=replace(project.training, batch_size=TRAIN_SAMPLES),
        weights=None,
        biases=None,
    )
    path = os.path.join(folder, "full-batch-100k.json")
    save_project(project, path)
    return path


def play(seconds: float, budget_mb: float | None) -> None:
    """The simulated Play (run in the measured subprocess): prints what the budget counted."""
    from backprop_studio.core.project.presets_catalog import load_preset
    from backprop_studio.core.project.project import open_session

    session = open_session(load_preset("circle"), None if budget_mb is None else int(budget_mb * 2**20))
    start = time.perf_counter()
    next_frame = start
    snapshot = session.snapshot()
    frames = 0
    while time.perf_counter() - start < seconds:
        deadline = time.perf_counter() + SLICE_S
        per_epoch = session.boundary_steps("epoch")
        session.run_phases(
            per_epoch - session.step_count % per_epoch, should_stop=lambda d=deadline: time.perf_counter() > d
        )
        if time.perf_counter() >= next_frame:
            snapshot = session.snapshot()  # the window holds the latest one
            frames += 1
            next_frame += REFRESH_S
    counted = getattr(session, "history_bytes", 0)
    print(
        json.dumps(
            {
                "epochs": session.epochs_completed,
                "frames": frames,
                "counted_mb": counted / 2**20,
                "batches": len(snapshot.history.batch_loss),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the simulated Play")
    parser.add_argument("--budget", type=float, metavar="MB", help="memory budget (default: the session's)")
    parser.add_argument("--epochs", type=int, nargs="+", default=[250, 1000], help="train cases")
    parser.add_argument("--skip-train", action="store_true")
    parser.add_argument("--play-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.play_child:
        play(args.seconds, args.budget)
        return
    from backprop_studio.core.training import session as session_module

    default_mb = session_module.DEFAULT_MEMORY_BUDGET / 2**20
    budget = f"{args.budget:g} MB" if args.budget else f"{default_mb:g} MB (default)"
    root = code_root()
    print(f"code: {root}   budget: {budget}")
    baseline = peak_rss([sys.executable, "-c", "import numpy, backprop_studio.core.training.session"])
    print(f"  {'python + numpy + the session module':<58}{baseline['peak_mb']:8.0f} MB peak RSS")
    if not args.skip_train:
        with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
            project = write_project(tmp)
            for epochs in args.epochs:
                argv = [sys.executable, str(root / "main.py"), "train", project, "--epochs", str(epochs)]
                if args.budget:
                    argv += ["--memory-budget", str(args.budget)]
                t0 = time.perf_counter()
                result = peak_rss(argv)
                label = f"train full-batch, {TRAIN_SAMPLES:,} samples, {epochs:,} epochs"
                status = (
                    ""
                    if result["code"] == 0
                    else f"  [exit {result['code']}: {result['err'].strip()[-300:]}]"
                )
                print(
                    f"  {label:<58}{result['peak_mb']:8.0f} MB peak RSS   "
                    f"({time.perf_counter() - t0:.0f} s){status}"
                )
    argv = [sys.executable, str(Path(__file__).resolve()), "--play-child", "--seconds", str(args.seconds)]
    if args.budget:
        argv += ["--budget", str(args.budget)]
    result = peak_rss(argv)
    try:
        info = json.loads(result["out"].strip().splitlines()[-1])
    except (IndexError, ValueError):
        print(f"  play failed: {result['err'][-800:]}")
        return
    label = f"Play circle, epoch granularity, {args.seconds:g} s"
    print(
        f"  {label:<58}{result['peak_mb']:8.0f} MB peak RSS   {info['epochs']:,} epochs, "
        f"{info['batches']:,} batch losses, {info['counted_mb']:.1f} MB counted"
    )


if __name__ == "__main__":
    main()
