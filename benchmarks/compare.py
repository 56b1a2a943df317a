"""Run one benchmark on an earlier commit and on this tree, alternately, in one run: before and after.

Run: python benchmarks/compare.py bench_training.py [--base e56a456] [--rounds 2] [-- ARGS for the bench]

The base commit is checked out into a temporary git worktree (removed afterwards) and its own copy of the
benchmark runs against its own code, with this virtualenv's packages. Runs alternate base, current, base,
current… because this shared machine's speed drifts by up to 2x within minutes; compare the best of each.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BASE = "e56a456"  # the tree the outside reviews measured, before the restructure


def run(tree: Path, bench: str, args: list[str]) -> str:
    # A folder named backprop_studio that is the tree, first on the path: the package (the repository
    # root) imports from this tree, not from wherever the virtualenv's editable install points.
    names = tree.parent / f"{tree.name}-package"
    names.mkdir(exist_ok=True)
    link = names / "backprop_studio"
    if not link.exists():
        link.symlink_to(tree, target_is_directory=True)
    env = dict(os.environ, PYTHONPATH=f"{names}{os.pathsep}{tree}", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, str(tree / "benchmarks" / bench), *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + (f"\n[exit {done.returncode}] {done.stderr[-2000:]}" if done.returncode else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", help="a script in benchmarks/, e.g. bench_canvas.py")
    parser.add_argument("--base", default=DEFAULT_BASE, help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=2)
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    opts = parser.parse_args(argv[:split])
    args = argv[split + 1 :]  # for the benchmark itself
    with tempfile.TemporaryDirectory(prefix="bench-base-") as tmp:
        base = Path(tmp) / "base"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base), opts.base], check=True
        )
        try:
            for round_ in range(1, opts.rounds + 1):
                for label, tree in (("before", base), ("after", ROOT)):
                    print(
                        f"===== {opts.bench} · {label} ({opts.base if tree is base else 'this tree'}) · round {round_}"
                    )
                    print(run(tree, opts.bench, args).rstrip(), flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
