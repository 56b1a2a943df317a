"""CSV import: rows per second and peak memory of the streaming reader beside the old read-it-all reader.

Run: python benchmarks/bench_csv.py [--rows 1000000] [--old PATH]
Writes a CSV of `--rows` rows (3 feature columns and 1 target, 6 decimals each) to a temporary folder and
reads it with each reader in a fresh subprocess: once timed, reporting the subprocess's peak resident
memory (ru_maxrss, beside a subprocess that only imports the reader), once under tracemalloc for the peak
of Python and NumPy allocations. The old reader is main's core/data/csv_import.py (`git show`), or the
file given with --old. Figures, not assertions: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
NEW = ROOT / "core" / "data" / "csv_import.py"

# Runs in the subprocess: load the reader from a file, read the CSV, print figures as JSON.
PROBE = """
import importlib.util, json, resource, sys, time, tracemalloc
module_path, csv_path, mode = sys.argv[1:4]
spec = importlib.util.spec_from_file_location("reader_under_test", module_path)
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module  # dataclasses look their module up
spec.loader.exec_module(module)
result = {}
if mode != "import":
    if mode == "tracemalloc":
        tracemalloc.start()
    start = time.perf_counter()
    table = module.read_csv(csv_path, ["y"], None)
    result["seconds"] = time.perf_counter() - start
    result["rows"] = int(table.x.shape[0])
    if mode == "tracemalloc":
        result["traced_peak"] = tracemalloc.get_traced_memory()[1]
result["maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(result))
"""


def write_csv(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("a,b,c,y\n")
        for start in range(0, rows, 100_000):
            block = rng.normal(size=(min(100_000, rows - start), 4))
            handle.write("".join(f"{a:.6f},{b:.6f},{c:.6f},{y:.6f}\n" for a, b, c, y in block))


def old_reader(folder: Path, given: str | None) -> Path | None:
    if given:
        return Path(given)
    try:
        text = subprocess.run(
            ["git", "-C", str(ROOT), "show", "main:core/data/csv_import.py"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = folder / "old_csv_import.py"
    path.write_text(text, encoding="utf-8")
    return path


def probe(module: Path, csv_path: Path, mode: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-c", PROBE, str(module), str(csv_path), mode],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 1e6:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--old", metavar="PATH", help="the old reader's source (default: git show main:…)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "bench.csv"
        write_csv(csv_path, args.rows)
        size = csv_path.stat().st_size
        print(f"{args.rows:,} rows × 4 columns, {mb(size)} of text; arrays returned: {mb(args.rows * 4 * 8)}")
        readers = [("new (streaming)", NEW)]
        old = old_reader(Path(folder), args.old)
        if old is None:
            print("(old reader not found: pass --old PATH)")
        else:
            readers.insert(0, ("old (read all)", old))
        print(
            f"{'reader':<17}{'rows/s':>11}{'peak RSS':>11}{'above import':>14}{'traced peak':>13}{'× file':>8}"
        )
        for name, module in readers:
            baseline = probe(module, csv_path, "import")["maxrss"]
            timed = probe(module, csv_path, "time")
            traced = probe(module, csv_path, "tracemalloc")["traced_peak"]
            print(
                f"{name:<17}{timed['rows'] / timed['seconds']:>11,.0f}{mb(timed['maxrss']):>11}"
                f"{mb(timed['maxrss'] - baseline):>14}{mb(traced):>13}{traced / size:>8.1f}"
            )


if __name__ == "__main__":
    main()
