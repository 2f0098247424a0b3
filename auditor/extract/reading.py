"""Which table reader reads which page: the grids of a document's table pages.

camelot (lattice, vector engine) reads every table page in one call; a page
where it finds nothing is read again (thin filled polygons as rules, then the
raster engine, then pdfplumber); a grid whose cells camelot merged is read a
second time with pdfplumber.  The readers themselves are ``readers.py``.
"""

from __future__ import annotations

import re
import time

from ..model import Issue
from ..numbers import normalise
from . import prefetch
from .grid import Grid, overlap as _overlap
from .pdf import PdfText
from .readers import POLYGONS, POLYGONS_IF_UNRULED, Camelot, Pdfplumber


def read_grids(path: str, pages: list[int], *, password: str | None, pdf: PdfText,
               timings: dict[str, float], issues: list[Issue],
               no_fallback: set[int] = frozenset()) -> dict[int, list[Grid]]:  # type: ignore[assignment]
    """Grids per page, top to bottom (``no_fallback``: pages where finding nothing is an answer)."""
    out: dict[int, list[Grid]] = {p: [] for p in pages}
    if not pages:
        return out
    t0 = time.perf_counter()
    # A page that draws no ruled line camelot reads, only thin filled polygons, is
    # read from its polygons in this first pass (the vector engine would find
    # nothing there and the page would be read again below); pages where finding
    # nothing is an answer are read as drawn.
    # A page that may continue a table and draws a grid's worth of lines would be
    # read again below if the vector engine found nothing: it is read so at once.
    # path objects each maybe-page draws (counted once, up to a grid's worth)
    drawn = {p: pdf.path_objects(p, _RULED) for p in pages if p in no_fallback}
    ruled = [p for p in pages if p not in no_fallback or drawn[p] >= _RULED]
    found = _lattice(path, ruled, password, issues, POLYGONS_IF_UNRULED, timings) if ruled else []
    rest = [p for p in pages if p not in ruled]
    found += _lattice(path, rest, password, issues, "vector", timings) if rest else []
    timings["camelot"] = time.perf_counter() - t0 - timings.get("camelot_import", 0.0)
    for g in found:
        out.setdefault(g.page, []).append(g)
    # a page that may continue a table is read again when it draws a grid's worth
    # of lines, when the vector engine missed the page before it too (it misses
    # some producers' rulings: Guangzhou 表3's next pages), or when it follows a
    # page with a grid and draws a few rows' worth (a table's last two rows alone
    # on the next page: Guangzhou 表7 [31008] [312], Zhuhai 表5)
    missing: list[int] = []
    for p in pages:
        if out.get(p):
            continue
        if (p not in no_fallback or (p - 1 in missing) or drawn[p] >= _RULED
                or (out.get(p - 1) and drawn[p] >= _RULED_TAIL)):
            missing.append(p)
    if missing:
        t0 = time.perf_counter()
        # rules drawn as thin filled polygons, not rectangles: read from the PDF, no rendering
        for g in _lattice(path, missing, password, issues, POLYGONS, timings):
            out.setdefault(g.page, []).append(g)
        missing = [p for p in missing if not out.get(p)]
        for g in _lattice(path, missing, password, issues, None, timings) if missing else ():
            out.setdefault(g.page, []).append(g)
        still = [p for p in missing if not out.get(p)]
        for p in still:
            for g in _pdfplumber(path, p, password, issues):
                out[p].append(g)
        timings["fallback"] = time.perf_counter() - t0
    # a grid line camelot missed merges a figure with its neighbour's label
    # ("9,066.79 一、一般公共服务支出"): read such a page a second time with
    # pdfplumber and keep its grid when it splits what camelot merged
    for p in list(out):
        bad = [g for g in out[p] if merged_cells(g)]
        if not bad:
            continue
        others = _pdfplumber(path, p, password, issues)
        for g in bad:
            alt = next((o for o in others if _overlap((o.bbox[0], o.bbox[2]), (g.bbox[0], g.bbox[2])) > 0.8
                        and _overlap((o.bbox[1], o.bbox[3]), (g.bbox[1], g.bbox[3])) > 0.8), None)
            if alt is not None and alt.ncols >= g.ncols and len(merged_cells(alt)) < len(merged_cells(g)):
                alt.bbox = g.bbox  # camelot's outline: pdfplumber's may take in the title lines
                out[p][out[p].index(g)] = alt
    for p in out:
        out[p].sort(key=lambda g: -g.top)
    return out


_RULED = 40  # path objects (lines, rectangles) a ruled table page draws at least
_RULED_TAIL = 12  # … and the tail of a table continued from the page before

_MERGED = re.compile(r"^-?\d[\d,]*\.\d+\s*[\u4e00-\u9fff一二三四五六七八九十]|[\u4e00-\u9fff）)]\s*-?\d{1,3}(?:,\d{3})*\.\d{1,2}$"
                     r"|^(?:-?\d[\d,]*\.\d{2}\s*){2,}$")  # or several figures in one cell: "0.00 0.00 0.00"


def merged_cells(g: Grid) -> list[tuple[int, int]]:
    """Cells holding a figure and a label, or several figures, together (a grid
    line missing between them)."""
    out = []
    for r, row in enumerate(g.cells):
        for c, cell in enumerate(row):
            t = re.sub(r"\s+", "", cell.text or "")
            if t and _MERGED.search(normalise(t)):
                out.append((r, c))
    return out


def _lattice(path: str, pages: list[int], password: str | None, issues: list[Issue],
             engine: str | None, timings: dict[str, float]) -> list[Grid]:
    """camelot lattice on ``pages``: in the prefetch helper when one was started
    (``prefetch.start``), else here, importing camelot on first use."""
    reader = Camelot(engine)
    got = prefetch.read(reader, path, pages, password)
    if got is not None:
        grids, more = got
        issues.extend(more)
        return grids
    t0 = time.perf_counter()
    import camelot  # noqa: F401  (lazy: ~1 s of imports, timed apart)

    timings.setdefault("camelot_import", time.perf_counter() - t0)
    return reader.read(path, pages, password, issues)


def _pdfplumber(path: str, page: int, password: str | None, issues: list[Issue]) -> list[Grid]:
    return Pdfplumber().read(path, [page], password, issues)
