"""Benchmark: the whole audit against camelot's own extraction of the same pages.

Prints, for a PDF (default: the bundled sample):
- `audit --help` wall time (target < 0.3 s: heavy imports are lazy);
- the whole audit's wall time and peak memory, in a fresh process (target: < 1.3×
  camelot's time; < 300 MB);
- camelot's own time for the table pages alone, with the extractor's options
  (lattice, vector engine), in a fresh process, including its import.

Usage: python bench/audit_bench.py [PDF] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from auditor.extract.readers import CAMELOT_OPTIONS  # noqa: E402  (the extractor's own options)
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"

CAMELOT_ONLY = """
import json, sys, time
t = time.perf_counter()
import camelot
tables = camelot.read_pdf(sys.argv[1], pages=sys.argv[2], engine="vector", **json.loads(sys.argv[3]))
print(len(tables), time.perf_counter() - t)
"""


def run(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MB) of the child, stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if p.returncode not in (0, 1):
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return wall, max(peak, before) // 1024, p.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf", nargs="?", default=str(SAMPLE))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    audit = [sys.executable, "-m", "auditor"]

    helps = [run([*audit, "--help"])[0] for _ in range(args.repeat)]
    print(f"audit --help           {statistics.median(helps):6.3f} s   (target < 0.3 s)")

    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "doc.json"
        run([*audit, "extract", args.pdf, "-o", str(dump)])
        kinds = json.loads(dump.read_text(encoding="utf-8"))["page_kinds"]
    pages = ",".join(p for p, k in kinds.items() if k == "table")
    print(f"table pages            {pages}")

    camelot_times = []
    for _ in range(args.repeat):
        wall, _, out = run([sys.executable, "-c", CAMELOT_ONLY, args.pdf, pages,
                            json.dumps(CAMELOT_OPTIONS)])
        camelot_times.append(wall)
    cam = statistics.median(camelot_times)
    print(f"camelot alone          {cam:6.3f} s   (fresh process, import included)")

    audit_times, peaks = [], []
    for _ in range(args.repeat):
        # a fresh process each time so ru_maxrss is this run's peak
        code = (
            "import resource, subprocess, sys, time;"
            "t=time.perf_counter();"
            f"p=subprocess.run({[*audit, args.pdf, '--format', 'json']!r}, capture_output=True);"
            "w=time.perf_counter()-t;"
            "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss//1024)"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.split()
        audit_times.append(float(out[0]))
        peaks.append(int(out[1]))
    aud = statistics.median(audit_times)
    print(f"whole audit            {aud:6.3f} s   ratio {aud / cam:4.2f}× camelot (target < 1.3×)")
    print(f"peak memory            {max(peaks):6d} MB  (target < 300 MB)")
    print(f"cpus {os.cpu_count()}, repeat {args.repeat}, {Path(args.pdf).name}")


if __name__ == "__main__":
    main()
