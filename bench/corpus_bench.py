"""Benchmark: the whole audit of every PDF of a folder against camelot alone.

    python bench/corpus_bench.py FOLDER [--repeat N] [--timeout S] [--jsonl OUT]

For each PDF, in fresh processes one after the other (so both see the same
load on a shared machine):

- the whole audit (``audit FILE --format json``): wall and CPU seconds (its
  helper process included), status, error code, findings;
- camelot alone reading all its pages with the extractor's own options
  (lattice, vector engine, ``CAMELOT_OPTIONS``), import included: what
  ``bench/audit_bench.py`` times, over every page.

Prints files per status (``ok`` or the error code), error and warning
findings per audited document (mean, max), seconds per page (median, p95,
max), the ratio to camelot alone per file and its median and maximum (wall
time, and CPU time, steadier when other work shares the machine), the files
over 10 s or over 1.5× camelot.  With ``--repeat N`` each time is the
minimum of N runs (the least disturbed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from auditor.extract.readers import CAMELOT_OPTIONS  # noqa: E402  (the extractor's own options)

CAMELOT_ALL = """
import json, sys, warnings, logging
warnings.simplefilter("ignore"); logging.disable(logging.WARNING)
import camelot
tables = camelot.read_pdf(sys.argv[1], pages="all", engine="vector", **json.loads(sys.argv[2]))
print(len(tables))
"""

LIMIT_SECONDS = 10.0
LIMIT_RATIO = 1.5


def timed(cmd: list[str], timeout: float) -> tuple[float, float, subprocess.CompletedProcess | None]:
    """Wall seconds, CPU seconds (the process and its children), the result (None on timeout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    try:
        p: subprocess.CompletedProcess | None = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        p = None
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, p


def measure(pdf: Path, repeat: int, timeout: float) -> dict:
    audit = [sys.executable, "-m", "auditor", str(pdf), "--format", "json", "--fail-on", "never",
             "--timeout", f"{timeout:g}"]
    camelot = [sys.executable, "-c", CAMELOT_ALL, str(pdf), json.dumps(CAMELOT_OPTIONS)]
    row: dict = {"file": pdf.name}
    walls, cpus, cwalls, ccpus = [], [], [], []
    for _ in range(repeat):
        wall, cpu, p = timed(audit, timeout + 30)
        walls.append(wall)
        cpus.append(cpu)
        if p is None:
            row.update(status="failed", code="hung")
        else:
            try:
                doc = json.loads(p.stdout)["documents"][0]
            except (ValueError, KeyError, IndexError):
                row.update(status="failed", code=f"exit {p.returncode}")
            else:
                err = doc.get("error") or {}
                sev = [f.get("severity") for f in doc.get("findings") or ()]
                row.update(status=doc["status"], code=err.get("code"), pages=doc.get("pages") or 0,
                           errors=sev.count("error"), warnings=sev.count("warning"))
        cwall, ccpu, c = timed(camelot, timeout + 30)
        if c is not None and c.returncode == 0:
            cwalls.append(cwall)
            ccpus.append(ccpu)
    row.update(wall=min(walls), cpu=min(cpus))
    if cwalls:
        row.update(camelot_wall=min(cwalls), camelot_cpu=min(ccpus),
                   ratio=min(walls) / min(cwalls), cpu_ratio=min(cpus) / min(ccpus))
    if not row.get("pages"):  # failed before its pages were counted: ask pypdfium2
        try:
            import pypdfium2 as pdfium

            d = pdfium.PdfDocument(str(pdf))
            row["pages"] = len(d)
            d.close()
        except Exception:
            row["pages"] = 0
    return row


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return values[k]


def report(rows: list[dict]) -> None:
    print()
    statuses: dict[str, int] = {}
    for r in rows:
        key = "ok" if r["status"] == "ok" else f"failed: {r.get('code')}"
        statuses[key] = statuses.get(key, 0) + 1
    print(f"{len(rows)} files: " + ", ".join(f"{n} {k}" for k, n in sorted(statuses.items(), key=lambda x: -x[1])))
    ok = [r for r in rows if r["status"] == "ok"]
    if ok:
        errs = [r["errors"] for r in ok]
        warns = [r["warnings"] for r in ok]
        print(f"findings per audited document ({len(ok)}): errors mean {statistics.mean(errs):.1f} "
              f"max {max(errs)} (total {sum(errs)}); warnings mean {statistics.mean(warns):.1f} "
              f"max {max(warns)} (total {sum(warns)})")
    per_page = [r["wall"] / r["pages"] for r in rows if r.get("pages")]
    if per_page:
        print(f"seconds per page: median {statistics.median(per_page):.3f}, p95 {pct(per_page, 0.95):.3f}, "
              f"max {max(per_page):.3f}   (whole audit, fresh process, wall)")
    walls = [r["wall"] for r in rows]
    print(f"seconds per file: median {statistics.median(walls):.2f}, p95 {pct(walls, 0.95):.2f}, "
          f"max {max(walls):.2f} ({max(rows, key=lambda r: r['wall'])['file']})")
    ratios = [r["ratio"] for r in rows if "ratio" in r]
    cratios = [r["cpu_ratio"] for r in rows if "cpu_ratio" in r]
    if ratios:
        worst = max((r for r in rows if "ratio" in r), key=lambda r: r["ratio"])
        cworst = max((r for r in rows if "cpu_ratio" in r), key=lambda r: r["cpu_ratio"])
        print(f"ratio to camelot alone (all pages, import included), {len(ratios)} files: "
              f"wall median {statistics.median(ratios):.2f} max {max(ratios):.2f} ({worst['file']}); "
              f"cpu median {statistics.median(cratios):.2f} max {max(cratios):.2f} ({cworst['file']})")
    over = [r for r in rows if r["wall"] > LIMIT_SECONDS or r.get("ratio", 0) > LIMIT_RATIO]
    print(f"over {LIMIT_SECONDS:g} s or {LIMIT_RATIO}× camelot (wall): "
          + (", ".join(f"{r['file']} {r['wall']:.1f} s {r.get('ratio', float('nan')):.2f}×" for r in over)
             or "none"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=120.0, help="audit --timeout per file")
    ap.add_argument("--jsonl", type=Path, help="also write one JSON line per file here")
    ap.add_argument("--match", default="", help="only files whose name contains this")
    args = ap.parse_args()
    files = sorted(p for p in args.folder.rglob("*") if p.suffix.lower() == ".pdf" and args.match in p.name)
    if not files:
        sys.exit(f"no PDF under {args.folder}")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{len(files)} files, {cores} cores, load {os.getloadavg()[0]:.2f}, repeat {args.repeat}")
    print(f"{'file':32s} {'pages':>5s} {'status':24s} {'err':>4s} {'warn':>4s} {'audit s':>8s} "
          f"{'camelot s':>9s} {'ratio':>6s} {'cpu ratio':>9s}")
    rows = []
    out = args.jsonl.open("w", encoding="utf-8") if args.jsonl else None
    for pdf in files:
        r = measure(pdf, args.repeat, args.timeout)
        rows.append(r)
        status = "ok" if r["status"] == "ok" else f"failed: {r.get('code')}"
        print(f"{r['file'][:32]:32s} {r.get('pages', 0):5d} {status[:24]:24s} {r.get('errors', 0):4d} "
              f"{r.get('warnings', 0):4d} {r['wall']:8.2f} {r.get('camelot_wall', float('nan')):9.2f} "
              f"{r.get('ratio', float('nan')):6.2f} {r.get('cpu_ratio', float('nan')):9.2f}", flush=True)
        if out:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
            out.flush()
    if out:
        out.close()
    report(rows)
    print(f"load at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
