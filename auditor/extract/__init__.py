"""PDF → ``Document``: the only part of the auditor that reads PDFs.

``load_document(path)`` opens the file once (pypdfium2), classifies pages from
the text layer, runs camelot only on table pages, and builds tables (ids,
column paths, row keys, figures) and the narrative as ``docs/DOCUMENT.md``
describes.  A file that cannot be read raises ``InputError`` with a stable
code; nothing else escapes.
"""

from __future__ import annotations

import time
from collections import Counter

from ..errors import InputError
from ..model import Document, Issue, Table

__all__ = ["load_document", "extract"]


def warm_up() -> None:
    """Import the PDF libraries now (a batch worker, before its first document's clock)."""
    from . import pdf  # noqa: F401  (pypdfium2)

    try:
        import camelot  # noqa: F401
    except ImportError:  # pragma: no cover - camelot is a dependency
        pass


def load_document(path: str, *, password: str | None = None, max_pages: int = 2000) -> Document:
    """Read one PDF into a ``Document`` (raises ``InputError`` for an unusable file)."""
    doc, _ = extract(path, password=password, max_pages=max_pages)
    return doc


def extract(path: str, *, password: str | None = None, max_pages: int = 2000) -> tuple[Document, dict[str, float]]:
    """``load_document`` plus the seconds spent in each step (for ``bench/``)."""
    path = str(path)
    timings: dict[str, float] = {}
    try:
        return _extract(path, password, max_pages, timings), timings
    except InputError:
        raise
    except MemoryError:
        raise InputError("unreadable", f"{path}: out of memory while reading the PDF") from None
    except Exception as e:  # a library failure on a bad file: one line, never a traceback
        raise InputError("corrupt-pdf", f"{path}: cannot read the PDF ({type(e).__name__}: {e})"[:400]) from None


def _extract(path: str, password: str | None, max_pages: int, timings: dict[str, float]) -> Document:
    from ..narrative import build_narrative
    from .pages import classify, confirm_continued, doc_title
    from .pdf import PdfText
    from .grouping import group
    from .reading import read_grids
    from .tables import build_table

    t0 = time.perf_counter()
    pdf = PdfText(path, password=password, max_pages=max_pages)
    try:
        layout = classify(pdf)
        title, year = doc_title(pdf)
        timings["open_classify"] = time.perf_counter() - t0

        issues: list[Issue] = list(pdf.issues)
        table_pages = [n for n, k in sorted(layout.kinds.items()) if k in ("table", "maybe")]
        maybe = {n for n, k in layout.kinds.items() if k == "maybe"}
        grids = read_grids(path, table_pages, password=password, pdf=pdf, timings=timings, issues=issues,
                           no_fallback=maybe)
        confirm_continued(pdf, layout, grids)

        t0 = time.perf_counter()
        pend = group(grids, layout)
        units = Counter(p.unit for p in pend if p.unit)
        default_unit = units.most_common(1)[0][0] if units else None
        tops: dict[int, list[float]] = {}
        for p in pend:
            if p.mark:
                tops.setdefault(p.mark.page, []).append(p.mark.top)
            for g in p.grids:
                tops.setdefault(g.page, []).append(g.top)

        def next_top(page: int, below: float) -> float | None:
            cand = [t for t in tops.get(page, []) if t < below - 1]
            return max(cand) if cand else None

        tables: list[Table] = []
        ids: Counter[str] = Counter()
        for i, p in enumerate(pend):
            if not p.grids and p.mark and any(q.grids and q.mark and (q.mark.title == p.mark.title or (
                    q.mark.id == p.mark.id and q.mark.page == p.mark.page)) for q in pend[i + 1 : i + 3]):
                # a title left at a page's foot, printed again over its table next; or a
                # heading naming the table over its title (一、收支预算总表 / 2026年度收支预算总表)
                continue
            page = p.mark.page if p.mark else p.grids[0].page
            t = build_table(p, fallback_id=f"table-p{page}", pdf=pdf, next_tops=next_top,
                            issues=issues, default_unit=default_unit)
            if t is None:
                continue
            ids[t.id] += 1
            if ids[t.id] > 1:  # the same title twice (dept + unit sets): keep ids unique
                t = Table(**{**t.__dict__, "id": f"{t.id}#{ids[t.id]}"})
            if not p.grids:
                issues.append(Issue("table-not-found", f"{t.id}: title printed but no ruled table read",
                                    page=page, table=t.id))
            tables.append(t)
        timings["tables"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        text_pages = []
        for pg in pdf.pages:
            kind = layout.kinds.get(pg.number)
            if kind == "text":
                text_pages.append((pg.number, pdf.body_text(pg.number)))
            elif kind in ("table", "maybe") and grids.get(pg.number):
                # prose under the page's last table is narrative too
                below = pdf.text_below(pg.number, min(g.bottom for g in grids[pg.number]))
                if below.strip():
                    text_pages.append((pg.number, below))
        narrative = build_narrative(text_pages)
        timings["narrative"] = time.perf_counter() - t0

        tunits = Counter(t.unit for t in tables if t.unit)
        return Document(
            path=path,
            pages=pdf.page_count,
            tables=tuple(tables),
            narrative=narrative,
            unit=tunits.most_common(1)[0][0] if tunits else None,
            title=title,
            issuer=layout.issuer,
            year=year,
            issues=tuple(issues),
            page_kinds=dict(layout.kinds),
        )
    finally:
        pdf.close()
