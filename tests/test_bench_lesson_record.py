"""benchmarks/bench_lesson_record.py runs and prints its figures (what they are is not asserted: it is timing)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.paths import REPO


def test_the_lesson_recording_benchmark_prints_frames_the_split_and_the_baseline_ratio() -> None:
    command = [sys.executable, str(REPO / "benchmarks" / "bench_lesson_record.py"), "--lesson", "mazur"]
    tiny = ["--size", "160x90", "--hold", "0.1", "--transition", "0", "--baseline"]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([*command, *tiny], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    # 13 scenes, each held 0.1 s at 30 fps (3 frames), painted once each: no easing with --transition 0.
    assert re.search(r"^frames: 39 \(13 painted", done.stdout, re.MULTILINE), done.stdout
    assert done.stdout.count("frames per second end to end: ") == 2  # the baseline and the current encoder
    for figure in ("ms per painted frame", "finishing the file); ffmpeg CPU ", "MB)", "current / baseline: "):
        assert figure in done.stdout, done.stdout
