"""Grids → tables: each grid attached to the nearest title mark above it, a grid
without a title continuing the table before it (the next page of a long table,
its header repeated or not)."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import headers as H
from .grid import Grid, overlap
from .pages import PageLayout, TitleMark, clean


@dataclass
class Pending:
    mark: TitleMark | None
    grids: list[Grid] = field(default_factory=list)
    unit: str | None = None


def group(grids: dict[int, list[Grid]], layout: PageLayout) -> list[Pending]:
    """Attach grids to title marks in reading order; untitled grids continue the previous table.

    A table runs on over pages with its title printed again on each (Shenzhen's
    表3 支出总表, Guangzhou's 绩效目标表), with only its header repeated, or with
    no header at all: it is one table.  A title printed again is a continuation
    when it is the previous table's title on the page after its last grid and its
    grid prints the same header; a grid whose header differs from its table's
    begins another table (a 绩效目标表 after the 表12 pages), titled or not.
    """
    pend: list[Pending] = []
    for page in sorted(set(grids) | set(layout.marks)):
        marks = layout.marks.get(page, [])
        # a page whose content is rotated by 90° reads left to right (its titles print vertically)
        rotated = bool(marks) and all(m.vertical for m in marks)
        if not rotated:  # a cell's words ending in 表 (…数据报表) are not a title
            marks = [m for m in marks if m.numbered or not any(_inside(m, g) for g in grids.get(page, []))]
        items: list[tuple[float, int, object]] = []
        for m in marks:
            items.append((m.bbox[0] if rotated else -m.top, 0, m))
        for g in grids.get(page, []):
            turned = layout.turned.get(page) if rotated else None
            items.append((turned - g.top if turned else g.bbox[0] if rotated else -g.top, 1, g))
        items.sort(key=lambda it: (it[0], it[1]))
        held: TitleMark | None = None  # a title printed again, waiting for its grid
        for _, kind, obj in items:
            if kind == 0:
                mark = obj  # type: ignore[assignment]
                if held is not None:
                    pend.append(Pending(held, unit=_unit_for(layout, page, held.top)))
                    held = None
                if not rotated and pend and _repeats(pend[-1], mark):  # type: ignore[arg-type]
                    held = mark  # type: ignore[assignment]
                    continue
                pend.append(Pending(mark, unit=_unit_for(layout, page, mark.top)))  # type: ignore[union-attr]
            else:
                g: Grid = obj  # type: ignore[assignment]
                if held is not None:
                    m, held = held, None
                    if same_header(pend[-1].grids[0], g):
                        pend[-1].grids.append(g)
                    else:
                        pend.append(Pending(m, [g], unit=_unit_for(layout, page, m.top)))
                    continue
                if pend and (not pend[-1].grids or rotated or _continues(pend[-1], g)):
                    pend[-1].grids.append(g)
                else:
                    pend.append(Pending(None, [g], unit=_unit_for(layout, page, g.top + 60)))
        if held is not None:
            pend.append(Pending(held, unit=_unit_for(layout, page, held.top)))
    return pend


def _inside(m: TitleMark, g: Grid) -> bool:
    x0, y0, x1, y1 = m.bbox
    cy = (y0 + y1) / 2
    return g.bottom + 1 < cy < g.top - 1 and x0 >= g.bbox[0] - 1 and x1 <= g.bbox[2] + 1


def _repeats(p: Pending, mark: TitleMark) -> bool:
    """``mark`` prints again the title of ``p``, whose last grid is on the page before."""
    if p.mark is None or not p.grids or mark.id != p.mark.id or clean(mark.title) != clean(p.mark.title):
        return False
    return mark.page == p.grids[-1].page + 1


def _continues(p: Pending, g: Grid) -> bool:
    last = p.grids[-1]
    if g.page == last.page:
        return g.top < last.bottom + 1
    return _header_fits(p.grids[0], g)


def _header_texts(g: Grid) -> tuple[int, list[tuple[str, ...]]]:
    n = H.header_rows(g)
    return n, [H.column_parts(g, c, n) for c in range(g.ncols)]


def same_header(a: Grid, b: Grid) -> bool:
    """``b`` prints the header of ``a`` again (or none at all, with as many columns)."""
    na, pa = _header_texts(a)
    nb, pb = _header_texts(b)
    if nb == 0:
        return b.ncols == a.ncols or bool(_map_columns(b, H.analyse(a).columns))
    if pa == pb:
        return True
    wa = {"".join(p) for p in pa if p}
    wb = {"".join(p) for p in pb if p}
    if wa and wa == wb:
        return True
    # a ruling missed between two header cells (科目编码 | 科目名称 read as one)
    ta, tb = _header_words(a, na), _header_words(b, nb)
    return bool(ta) and ta == tb


def _header_words(g: Grid, n: int) -> str:
    """The header's words in reading order, each merged region once."""
    seen: set[int] = set()
    out = []
    for r in range(n):
        if H.not_a_level(g, r):
            continue
        for cell in g.cells[r]:
            if cell.region not in seen:
                seen.add(cell.region)
                out.append(H.norm(g.region_text.get(cell.region, "")))
    return "".join(out)


def _header_fits(first: Grid, g: Grid) -> bool:
    """An untitled grid heading a page continues the table before it unless it
    prints a header of its own that is not the table's (another form begins)."""
    if H.header_rows(g) == 0 or H.header_rows(first) >= first.nrows:  # no header / the first page's foot held only it
        return True
    return same_header(first, g)


def _unit_for(layout: PageLayout, page: int, top: float) -> str | None:
    """The unit printed nearest below a title (or above a grid) on its page."""
    units = layout.units.get(page, [])
    below = [(top - y, u) for y, u in units if y <= top + 2]
    if below:
        return min(below)[1]
    return units[0][1] if units else None


def _map_columns(g: Grid, cols: list[H.Column]) -> dict[int, H.Column]:
    if g.ncols == len(cols):
        ok = all(overlap(g.col_span(i), cols[i].x) > 0.5 for i in range(g.ncols))
        if ok:
            return {i: cols[i] for i in range(g.ncols)}
    out: dict[int, H.Column] = {}
    for i in range(g.ncols):
        span = g.col_span(i)
        best = max(cols, key=lambda c: overlap(span, c.x), default=None)
        if best is not None and overlap(span, best.x) > 0.3 and best not in out.values():
            out[i] = best
    if not out and g.ncols == len(cols):
        return {i: cols[i] for i in range(g.ncols)}
    return out
