"""A ruled table as a grid of cells with merged regions, whatever read it.

camelot's lattice gives the full grid (every row and column separator spans
the table) and, per cell, which of its four edges carry a ruling line.  Two
neighbouring cells with no line between them belong to one merged region
(a header spanning columns or rows).  The region's text is what a header
means for every column it covers: this is camelot's ``copy_text`` done for
the header rows only, so a data cell is never filled with its neighbour's
figure when a real document misses a grid line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import BBox


@dataclass
class GCell:
    text: str  # the cell's own text, as read (line wraps kept)
    bbox: BBox  # x0, y0, x1, y1 in PDF points, origin bottom-left
    region: int = -1


@dataclass
class Grid:
    page: int
    bbox: BBox
    cells: list[list[GCell]]
    region_text: dict[int, str] = field(default_factory=dict)
    source: str = "camelot"

    @property
    def nrows(self) -> int:
        return len(self.cells)

    @property
    def ncols(self) -> int:
        return len(self.cells[0]) if self.cells else 0

    @property
    def top(self) -> float:
        return self.bbox[3]

    @property
    def bottom(self) -> float:
        return self.bbox[1]

    def col_span(self, c: int) -> tuple[float, float]:
        xs = [row[c].bbox for row in self.cells if c < len(row)]
        return (min(b[0] for b in xs), max(b[2] for b in xs))

    def region_of(self, r: int, c: int) -> str:
        return self.region_text.get(self.cells[r][c].region, "")


class _UF:
    def __init__(self, n: int):
        self.p = list(range(n))

    def find(self, a: int) -> int:
        while self.p[a] != a:
            self.p[a] = self.p[self.p[a]]
            a = self.p[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def _finish(grid: Grid, merge_right: list[list[bool]], merge_down: list[list[bool]]) -> Grid:
    nr, nc = grid.nrows, grid.ncols
    uf = _UF(nr * nc)
    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and merge_right[r][c]:
                uf.union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and merge_down[r][c]:
                uf.union(r * nc + c, (r + 1) * nc + c)
    texts: dict[int, list[str]] = {}
    for r in range(nr):
        for c in range(nc):
            reg = uf.find(r * nc + c)
            cell = grid.cells[r][c]
            cell.region = reg
            if cell.text.strip():
                texts.setdefault(reg, []).append(cell.text.strip())
    grid.region_text = {k: "".join(v) for k, v in texts.items()}
    return grid


def from_camelot(table: Any) -> Grid:
    """A camelot ``Table`` (lattice) → ``Grid``."""
    rows = []
    for crow in table.cells:
        rows.append([GCell(c.text or "", (float(c.x1), float(c.y1), float(c.x2), float(c.y2))) for c in crow])
    x0, y0, x1, y1 = (float(v) for v in table._bbox)
    grid = Grid(int(table.page), (x0, y0, x1, y1), rows)
    nr, nc = grid.nrows, grid.ncols
    right = [[False] * nc for _ in range(nr)]
    down = [[False] * nc for _ in range(nr)]
    for r in range(nr):
        for c in range(nc):
            a = table.cells[r][c]
            if c + 1 < nc:
                b = table.cells[r][c + 1]
                right[r][c] = not (a.right or b.left)
            if r + 1 < nr:
                b = table.cells[r + 1][c]
                down[r][c] = not (a.bottom or b.top)
    return _finish(grid, right, down)


def from_pdfplumber(table: Any, page_no: int, page_height: float) -> Grid | None:
    """A pdfplumber ``Table`` → ``Grid`` (fallback reader; merged cells are ``None``)."""
    texts = table.extract()
    prow = table.rows
    if not prow or not texts:
        return None
    # column x positions from every cell bbox seen
    xs = sorted({round(b[0], 1) for r in prow for b in r.cells if b} | {round(b[2], 1) for r in prow for b in r.cells if b})
    nc = max(len(r.cells) for r in prow)
    rows: list[list[GCell]] = []
    right = []
    down = []
    for ri, r in enumerate(prow):
        row: list[GCell] = []
        rt = texts[ri] if ri < len(texts) else []
        top = page_height - r.bbox[1]
        bot = page_height - r.bbox[3]
        last = None
        for ci in range(nc):
            b = r.cells[ci] if ci < len(r.cells) else None
            t = (rt[ci] if ci < len(rt) else None) or ""
            if b is not None:
                last = (b[0], page_height - b[3], b[2], page_height - b[1])
                row.append(GCell(t, last))
            else:
                above = rows[-1][ci].bbox if rows else None
                guess = (above[0], bot, above[2], top) if above and above[2] > 0 else (0.0, bot, 0.0, top)
                row.append(GCell("", last or guess))
        rows.append(row)
        right.append([ci + 1 < nc and (r.cells[ci + 1] if ci + 1 < len(r.cells) else None) is None
                      for ci in range(nc)])
        down.append([False] * nc)
    for ri in range(1, len(prow)):
        for ci in range(nc):
            b = prow[ri].cells[ci] if ci < len(prow[ri].cells) else None
            if b is None and not (ci > 0 and right[ri][ci - 1]):
                down[ri - 1][ci] = True
    # the title and unit line boxed with the table: a first row of one cell over all columns
    while len(rows) > 2 and all(not c.text.strip() for c in rows[0][1:]) and all(right[0][:-1]) \
            and ("单位" in rows[0][0].text or "表" in rows[0][0].text):
        rows, right, down, prow = rows[1:], right[1:], down[1:], prow[1:]
    x0 = min(c.bbox[0] for r in rows for c in r)
    x1 = max(c.bbox[2] for r in rows for c in r)
    top = max(c.bbox[3] for c in rows[0])
    bottom = min(c.bbox[1] for c in rows[-1])
    grid = Grid(page_no, (x0, bottom, x1, top), rows, source="pdfplumber")
    del xs
    return _finish(grid, right, down)


def overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """How much of the shorter of two spans the other covers (0 to 1)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    width = min(a[1] - a[0], b[1] - b[0])
    return inter / width if width > 0 else 0.0
