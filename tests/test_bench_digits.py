"""benchmarks/bench_digits.py runs and prints its figures (what they are is not asserted: it is timing)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.paths import REPO


def test_the_digits_benchmark_runs_and_reports_throughput_and_frame_rate() -> None:
    command = [sys.executable, str(REPO / "benchmarks" / "bench_digits.py"), "--epochs", "1", "--repeat", "1"]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([*command, "--frames", "2"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Backprop Studio (NumPy, float64)" in done.stdout
    assert "1,257 training samples" in done.stdout
    assert "frames/s" in done.stdout and "64-32-10" in done.stdout
