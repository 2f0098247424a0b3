"""Extraction timings, step by step, and camelot's own time on the same pages.

    python bench/extract_bench.py [PDF ...] [--repeat N]

Default PDF: samples/xinjiang-2026-unit-budget.pdf.  Prints, per document, the
median over N runs of: open + classify (pypdfium2 text layer), camelot import
(first run only), camelot (lattice, vector engine, table pages only), headers /
rows / figures, narrative; then camelot alone (``camelot.read_pdf`` on the same
pages with the same options) for comparison.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.extract import extract  # noqa: E402

STEPS = ("open_classify", "camelot_import", "camelot", "fallback", "tables", "narrative")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdf", nargs="*", type=Path, default=[ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    for pdf in args.pdf:
        runs: list[dict[str, float]] = []
        totals: list[float] = []
        doc = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            doc, tm = extract(str(pdf))
            totals.append(time.perf_counter() - t0)
            runs.append(tm)
        assert doc is not None
        table_pages = [n for n, k in sorted(doc.page_kinds.items()) if k == "table"]
        nfig = sum(1 for t in doc.tables for _ in t.figures())
        print(f"{pdf.name}: {doc.pages} pages, {len(table_pages)} table pages, {len(doc.tables)} tables, "
              f"{nfig} table figures, {len(doc.narrative.figures)} narrative figures")
        for step in STEPS:
            vals = [r[step] for r in runs if step in r]
            if not vals:
                continue
            if step == "camelot_import":
                print(f"  {step:15s} {1000 * max(vals):8.1f} ms (first run only; cached after)")
                continue
            print(f"  {step:15s} {1000 * statistics.median(vals):8.1f} ms")
        print(f"  {'total':15s} {1000 * statistics.median(totals[1:] or totals):8.1f} ms (median, import excluded)")
        per_page = statistics.median(r.get("camelot", 0) for r in runs) / max(1, len(table_pages))
        print(f"  camelot per table page: {1000 * per_page:.1f} ms")

        import camelot

        alone = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            camelot.read_pdf(str(pdf), pages=",".join(map(str, table_pages)), flavor="lattice", engine="vector",
                             split_text=True)
            alone.append(time.perf_counter() - t0)
        print(f"  camelot alone    {1000 * statistics.median(alone):8.1f} ms (read_pdf on the same pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
