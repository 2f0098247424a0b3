"""Benchmark: batch throughput with 1 and 2 workers, and the ratio.

Builds a folder of N documents from the samples (the reference disclosure and
the injected-error variants, copied round-robin), each with a few distinct
bytes appended after %%EOF so that no two files are the same, and runs the
real CLI on it without a cache, once with ``--jobs 1`` and once with
``--jobs 2``.  Prints documents per minute for each and the ratio (target
≥ 1.7 on 2 cores).  Wall time includes the workers' start-up.  The CPU time
used and the load average before each run are printed too: on a shared
machine, other work on the second core shows there, not as a slow batch.

Usage: python bench/batch_bench.py [--docs 200] [--jobs 1 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [ROOT / "samples" / "xinjiang-2026-unit-budget.pdf",
           *sorted((ROOT / "samples" / "injected").glob("*.pdf"))]


def build(folder: Path, n: int) -> None:
    sources = [p.read_bytes() for p in SAMPLES if p.exists()]
    if not sources:
        sys.exit("no samples: run python -m samples.generate first")
    for i in range(n):
        sub = folder / f"batch{i // 50:02d}"
        sub.mkdir(exist_ok=True)
        # bytes after %%EOF are ignored by readers but change the content hash
        (sub / f"doc{i:04d}.pdf").write_bytes(sources[i % len(sources)] + f"\n% copy {i}\n".encode())


def run(folder: Path, jobs: int) -> tuple[float, int, float]:
    """Wall seconds, documents done, CPU seconds of the CLI and its workers."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cmd = [sys.executable, "-m", "auditor", str(folder), "--format", "jsonl", "-o", os.devnull,
           "--jobs", str(jobs), "--fail-on", "never"]
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    if p.returncode not in (0, 1, 2) or "Traceback" in p.stderr:
        sys.exit(f"batch failed ({p.returncode}):\n{p.stderr[-2000:]}")
    done = sum(1 for line in p.stderr.splitlines() if line.startswith("audit: ["))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, done, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    tmp = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    try:
        build(tmp, args.docs)
        print(f"{args.docs} documents from {len(SAMPLES)} samples, {cores} cores, no cache")
        rates = {}
        for jobs in args.jobs:
            load = os.getloadavg()[0]
            wall, done, cpu = run(tmp, jobs)
            rates[jobs] = 60.0 * done / wall
            print(f"--jobs {jobs}: {done} documents in {wall:7.1f} s = {rates[jobs]:7.1f} documents per minute"
                  f"   (cpu {cpu:.1f} s = {cpu / wall:.2f} cores busy; load before {load:.2f})")
        if 1 in rates and 2 in rates:
            print(f"ratio 2 / 1 workers: {rates[2] / rates[1]:.2f}   (target ≥ 1.7 on 2 cores)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
