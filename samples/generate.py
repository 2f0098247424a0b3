"""Sample disclosure PDFs with ground truth, clean and with injected errors.

    python -m samples.generate [--out DIR]

writes (into ``samples/`` by default):

- ``xinjiang-2026-unit-budget.pdf``: the reference disclosure (``content.py``)
  printed as such documents are: cover, 目录, text parts, the 12 tables each
  on its own page(s) under ``表 N`` with ruled grids and merged multi-level
  headers, the narrative with its two ruled 项目支出绩效目标表, 名词解释,
  signature;
- ``xinjiang-2026-unit-budget.truth.json``: every table (id, title, pages,
  unit, empty, note, column paths, rows) and every printed table figure (page,
  table, row key, column path, text, value, cell bbox), plus every amount and
  percentage of the narrative pages, using the keys of ``docs/DOCUMENT.md``;
- ``injected/<name>.pdf`` + ``<name>.expect.json``: the same document with one
  figure or phrase altered (``MUTATIONS``), laid out identically.

Output is deterministic (reportlab ``invariant=1``): regenerating gives the
same bytes.  Nothing here imports ``auditor``; the narrative figure pattern
mirrors ``auditor/narrative.py``'s ``_FIGURE``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from . import content as C

HERE = Path(__file__).resolve().parent
SAMPLE_NAME = "xinjiang-2026-unit-budget"
FONT = "WQYZenHei"
FONT_PATHS = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",)

# Narrative figures: the pattern of auditor/narrative.py (_FIGURE), applied to
# each paragraph or table cell with all white space removed.
_NUMBER = r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|(?<![\d.,])\d+(?:\.\d+)?(?![\d,])"
FIGURE_RE = re.compile(rf"(?P<num>{_NUMBER})(?P<unit>亿元|万元|元(?!/)|%)")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
AMOUNT_RE = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d{2}$")


def clean(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(_FULLWIDTH))


# ----------------------------------------------------------------------------- font

def find_font() -> str:
    candidates = list(FONT_PATHS)
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", "WenQuanYi Zen Hei"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        if found and "wqy-zenhei" in found.lower():
            candidates.append(found)
    except (OSError, subprocess.SubprocessError):
        pass
    for path in candidates:
        if Path(path).is_file():
            return path
    raise SystemExit("samples.generate: font WenQuanYi Zen Hei not found "
                     "(install the Debian/Ubuntu package fonts-wqy-zenhei: apt-get install fonts-wqy-zenhei)")


_registered = False


def register_font() -> None:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(TTFont(FONT, find_font(), subfontIndex=0))
        _registered = True


def width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


# ----------------------------------------------------------------------------- wrapping

_TOKEN = re.compile(r"[A-Za-z0-9.,%<>=≥≤/+\-]+|\s|.", re.S)
_NO_LINE_START = set("，。、；：？！）》」』”’,.;:%)")
_NO_LINE_END = set("（《「『“‘(")


def wrap(text: str, avail: float, size: float, first_avail: float | None = None,
         hang: bool = False) -> list[str]:
    """Break text into lines no wider than ``avail`` (Chinese breaks anywhere).

    Runs of ASCII digits/letters (``3,599.74``, ``<=67.48``) stay whole; a
    closing punctuation mark never starts a line (with ``hang`` it may overhang).
    """
    lines: list[str] = []
    cur, cur_w = "", 0.0
    limit = avail if first_avail is None else first_avail

    def push() -> None:
        nonlocal cur, cur_w, limit
        lines.append(cur.rstrip())
        cur, cur_w, limit = "", 0.0, avail

    for tok in _TOKEN.findall(text):
        if tok == "\n":
            push()
            continue
        w = width(tok, size)
        if cur and cur_w + w > limit + 0.01:
            if tok in _NO_LINE_START and hang:
                cur, cur_w = cur + tok, cur_w + w
                continue
            carry = ""
            if tok in _NO_LINE_START and len(cur) > 1 and not cur[-1].isspace():
                carry, cur = cur[-1], cur[:-1]
            elif cur[-1] in _NO_LINE_END:
                carry, cur = cur[-1], cur[:-1]
            push()
            cur, cur_w = carry, width(carry, size)
        if not cur and tok.isspace():
            continue
        if w > limit and len(tok) > 1:  # a run too long for any line: split it
            for ch in tok:
                cw = width(ch, size)
                if cur and cur_w + cw > limit + 0.01:
                    push()
                cur, cur_w = cur + ch, cur_w + cw
            continue
        cur, cur_w = cur + tok, cur_w + w
    if cur.strip() or not lines:
        lines.append(cur.rstrip())
    return lines


# ----------------------------------------------------------------------------- grids

@dataclass
class Cell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    align: str = "center"  # left | center | right
    spaced: bool = False  # extra character spacing after "," and "." (表2)
    tag: dict | None = None  # what the cell is, for the ground truth
    lines: list[str] = field(default_factory=list)


PAD_X = 3.0
SPACING = 2.2  # extra character spacing after separators in 表2 figures


class Grid:
    """Cells on a grid of columns and rows; merged cells span several."""

    def __init__(self, widths: list[float], cells: list[Cell], nrows: int, min_h: list[float],
                 size: float, narrative: bool = False):
        self.widths, self.cells, self.nrows, self.size = widths, cells, nrows, size
        self.lead = size * 1.28
        self.narrative = narrative
        self.heights = list(min_h)
        for c in sorted(cells, key=lambda c: c.rowspan):
            w = sum(widths[c.col:c.col + c.colspan]) - 2 * PAD_X
            c.lines = wrap(c.text, w, size) if c.text else []
            need = len(c.lines) * self.lead + 6
            have = sum(self.heights[c.row:c.row + c.rowspan])
            if need > have:
                self.heights[c.row + c.rowspan - 1] += need - have

    @property
    def height(self) -> float:
        return sum(self.heights)

    def draw(self, c: Canvas, x0: float, top: float, edges: set) -> dict[int, tuple]:
        """Draw texts; add the cell borders to ``edges``; return cell index → bbox."""
        xs = [x0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        ys = [top]
        for h in self.heights:
            ys.append(ys[-1] - h)
        boxes = {}
        for i, cell in enumerate(self.cells):
            x1, x2 = xs[cell.col], xs[cell.col + cell.colspan]
            y1, y2 = ys[cell.row], ys[cell.row + cell.rowspan]  # y1 top, y2 bottom
            box = (round(x1, 2), round(y2, 2), round(x2, 2), round(y1, 2))
            boxes[i] = box
            edges.update({(box[0], box[1], box[2], box[1]), (box[0], box[3], box[2], box[3]),
                          (box[0], box[1], box[0], box[3]), (box[2], box[1], box[2], box[3])})
            n = len(cell.lines)
            block_top = (y1 + y2) / 2 + n * self.lead / 2
            for k, line in enumerate(cell.lines):
                base = block_top - k * self.lead - (self.lead + self.size * 0.7) / 2
                draw_text(c, line, x1 + PAD_X, x2 - PAD_X, base, self.size, cell.align, cell.spaced)
        return boxes


def stroke_edges(c: Canvas, edges: set) -> None:
    c.setLineWidth(0.6)
    c.setStrokeColorRGB(0, 0, 0)
    path = c.beginPath()
    for x1, y1, x2, y2 in sorted(edges):
        path.moveTo(x1, y1)
        path.lineTo(x2, y2)
    c.drawPath(path, stroke=1, fill=0)
    edges.clear()


def spaced_width(text: str, size: float) -> float:
    return width(text, size) + SPACING * sum(ch in ",." for ch in text)


def draw_text(c: Canvas, text: str, left: float, right: float, base: float, size: float,
              align: str = "left", spaced: bool = False, bold: bool = False) -> None:
    w = spaced_width(text, size) if spaced else width(text, size)
    x = {"left": left, "right": right - w, "center": (left + right - w) / 2}[align]
    t = c.beginText(x, base)
    t.setFont(FONT, size)
    if bold:  # a Hei font has no bold face: fill and stroke the glyphs
        c.setLineWidth(size * 0.035)
        t.setTextRenderMode(2)
    if spaced:
        for ch in text:
            t.setCharSpace(SPACING if ch in ",." else 0)
            t.textOut(ch)
        t.setCharSpace(0)
    else:
        t.textOut(text)
    if bold:
        t.setTextRenderMode(0)
    c.drawText(t)


# ----------------------------------------------------------------------------- mutations

@dataclass(frozen=True)
class CellEdit:
    """Print ``text`` in a table cell (table id, row key, column path)."""

    table: str
    row: str
    column: str
    text: str


@dataclass(frozen=True)
class TextEdit:
    """Replace ``old`` by ``new`` in the narrative.

    The target is the ``occurrence``-th (1-based, print order) place where
    ``context`` (a longer phrase containing ``old``; defaults to ``old``) is
    printed; ``old`` is replaced inside it.
    """

    old: str
    new: str
    context: str | None = None
    occurrence: int = 1


@dataclass(frozen=True)
class Mutation:
    name: str
    description: str
    edits: tuple[CellEdit | TextEdit, ...]


MUTATIONS = [
    Mutation("leaf-changed", "表3 2080150 事业运行 合计 370.57 printed as 375.07: the row no longer "
             "equals 基本支出 + 项目支出, 20801 no longer sums its children, and 表5 disagrees",
             (CellEdit("表3", "2080150", "支出预算/合计", "375.07"),)),
    Mutation("total-changed", "表6 总计 合计 2,279.34 printed as 2,297.34",
             (CellEdit("表6", "总计", "一般公共预算基本支出/合计", "2,297.34"),)),
    Mutation("digit-transposed", "表2 2080505 财政拨款（补助）/一般公共预算 202.68 printed as 206.28",
             (CellEdit("表2", "2080505", "财政拨款（补助）/一般公共预算", "206.28"),)),
    Mutation("restatement-broken", "表10 公务用车运行维护费 合计 6.93 printed as 6.39 (表6 30231 says 6.93)",
             (CellEdit("表10", "公务用车运行维护费", "合计", "6.39"),)),
    Mutation("share-wrong", "三、 基本支出 share 63.32% printed as 62.32%",
             (TextEdit("占 63.32%", "占 62.32%"),)),
    Mutation("yoy-pct-wrong", "三、 基本支出 growth 7.13% printed as 7.31% (first occurrence)",
             (TextEdit("增长 7.13%", "增长 7.31%", context="增加 151.63 万元，增长 7.13%", occurrence=1),)),
    Mutation("class-share-wrong", "五(二) 卫生健康支出 share 5.63% printed as 6.53%",
             (TextEdit("占 5.63%", "占 6.53%"),)),
    Mutation("growth-rate-wrong", "五(三) 5 行政单位离退休 growth 7.42% printed as 8.42%",
             (TextEdit("增长 7.42%", "增长 8.42%"),)),
    Mutation("delta-changed", "五(三) 4 事业运行 change +12.75 万元 printed as +21.75 万元",
             (TextEdit("增加 12.75 万元", "增加 21.75 万元"),)),
    Mutation("direction-flipped", "五(三) 7 机关事业单位基本养老保险缴费支出 增加 2.49 万元 printed as "
             "减少 2.49 万元 while the rate still says 增长 1.24%",
             (TextEdit("比上年预算增加 2.49 万元", "比上年预算减少 2.49 万元"),)),
    Mutation("enumeration-part-changed", "七(一) 资金分配情况 社保业务档案维护项目 68 万元 printed as 86 万元: "
             "the parts no longer add to 999.00",
             (TextEdit("社保业务档案维护项目 68 万元", "社保业务档案维护项目 86 万元"),)),
    Mutation("narrative-amount-mismatch", "四、 卫生健康支出 202.68 万元 printed as 220.68 万元 (表4/表5 say 202.68)",
             (TextEdit("卫生健康支出 202.68 万元", "卫生健康支出 220.68 万元",
                       context="卫生健康支出 202.68 万元，主要用于"),)),
]


# ----------------------------------------------------------------------------- document builder

PORTRAIT = A4
LANDSCAPE = landscape(A4)
BODY_SIZE = 12
BODY_LEAD = 22
N_MARGIN = 72  # narrative page margins


class Builder:
    def __init__(self, path: Path, edits: Iterable[CellEdit | TextEdit] = ()):
        register_font()
        self.c = Canvas(str(path), pagesize=PORTRAIT, invariant=1, pageCompression=1)
        self.c.setTitle("2026年新疆维吾尔自治区社会保险中心单位预算公开")
        self.c.setAuthor(C.ISSUER)
        self.c.setSubject("budget-audit sample (reproduction of the published disclosure)")
        self.c.setCreator("budget-audit samples/generate.py")
        self.page = 0
        self.size = PORTRAIT
        self.kinds: dict[int, str] = {}
        self.y = 0.0
        self.edges: set = set()
        self.tables: list[dict] = []
        self.figures: list[dict] = []
        self.narrative: list[dict] = []
        self.cell_edits = {(e.table, e.row, e.column): e for e in edits if isinstance(e, CellEdit)}
        self.text_edits = [e for e in edits if isinstance(e, TextEdit)]
        self._seen = {id(e): 0 for e in self.text_edits}
        self.alterations: list[dict] = []

    # -- pages
    def new_page(self, kind: str, land: bool = False) -> None:
        if self.page:
            self.c.showPage()
        self.page += 1
        self.size = LANDSCAPE if land else PORTRAIT
        self.c.setPageSize(self.size)
        self.kinds[self.page] = kind
        self.y = self.size[1] - N_MARGIN

    def finish(self) -> None:
        self.c.showPage()
        self.c.save()
        missing = [k for k in self.cell_edits if not any(a.get("_key") == k for a in self.alterations)]
        missing += [e for e in self.text_edits if not any(a.get("_edit") is e for a in self.alterations)]
        if missing:
            raise ValueError(f"edits that found no target: {missing}")

    # -- narrative text
    def edit_text(self, text: str) -> tuple[str, list[tuple[TextEdit, int]]]:
        """Apply narrative edits to one printed unit; return the text and (edit, offset) hits."""
        hits = []
        for e in self.text_edits:
            ctx = e.context or e.old
            if e.old not in ctx:
                raise ValueError(f"context {ctx!r} does not contain {e.old!r}")
            start = 0
            while (i := text.find(ctx, start)) >= 0:
                self._seen[id(e)] += 1
                if self._seen[id(e)] == e.occurrence:
                    j = i + ctx.index(e.old)
                    text = text[:j] + e.new + text[j + len(e.old):]
                    hits.append((e, j))
                start = i + len(ctx)
        return text, hits

    def record_unit(self, text: str, line_pages: list[tuple[str, int]], hits) -> None:
        """Record the narrative figures of one printed unit (paragraph or cell)."""
        starts = []  # cleaned offset where each line starts, and its page
        off = 0
        for line, page in line_pages:
            starts.append((off, page))
            off += len(clean(line))

        def page_at(o: int) -> int:
            p = starts[0][1]
            for s, pg in starts:
                if s <= o:
                    p = pg
            return p

        ctext = clean(text)
        found = []
        for m in FIGURE_RE.finditer(ctext):
            num, unit = m["num"], m["unit"]
            frac = num.split(".")[1] if "." in num else ""
            entry = {"page": page_at(m.start("num")), "text": num + ("%" if unit == "%" else ""),
                     "value": str(Decimal(num.replace(",", ""))), "unit": unit, "decimals": len(frac)}
            found.append((m.start("num"), m.end(), entry))
            self.narrative.append(entry)
        for e, j in hits:
            cs = len(clean(text[:j]))
            ce = cs + len(clean(e.new))
            touched = [f for s, end, f in found if s < ce and end > cs]
            if not touched:
                raise ValueError(f"edit {e} touches no figure")
            # the figure whose printed number the edit changed; else (a word changed) the first
            fig = next((f for f in touched if f["text"] not in clean(e.old)), touched[0])
            self.alterations.append({"page": fig["page"], "table": None, "row": None, "column": None,
                                     "before": e.old, "after": e.new, "value": fig["value"],
                                     "text": fig["text"], "unit": fig["unit"], "_edit": e})

    def paragraph(self, text: str, size: float = BODY_SIZE, lead: float = BODY_LEAD, indent: float | None = None,
                  align: str = "left", bold: bool = False, before: float = 0, after: float = 4,
                  left: float | None = None, right: float | None = None, keep_next: float = 0,
                  narrative: bool = True) -> None:
        text, hits = self.edit_text(text) if narrative else (text, [])
        left = N_MARGIN if left is None else left
        right = self.size[0] - N_MARGIN if right is None else right
        indent = 2 * size if indent is None else indent
        lines = wrap(text, right - left, size, first_avail=right - left - indent, hang=True)
        self.y -= before
        if self.y - lead * min(len(lines), 2) - keep_next < N_MARGIN - 4:
            self.new_page("text")
        placed = []
        for k, line in enumerate(lines):
            if self.y - lead < N_MARGIN - 4:
                self.new_page("text")
            base = self.y - lead + (lead - size) / 2 + size * 0.12
            x_left = left + (indent if k == 0 and align == "left" else 0)
            draw_text(self.c, line, x_left, right, base, size, align, bold=bold)
            placed.append((line, self.page))
            self.y -= lead
        self.y -= after
        if narrative:
            self.record_unit(text, placed, hits)

    # -- budget tables
    def budget_table(self, spec: dict) -> None:
        number, size = spec["number"], spec["font"]
        tid = f"表{number}"
        land = bool(spec.get("landscape"))
        margin = 40 if land else 45
        leaves, depth = _leaves(spec["header"])
        avail = (LANDSCAPE if land else PORTRAIT)[0] - 2 * margin
        code_w = 1.9 * size + 2 * PAD_X + 4  # 类/款/项 columns: just wide enough for "208"
        n_code = sum(leaf.kind == "code" for leaf, _ in leaves)
        total_w = sum(leaf.w for leaf, _ in leaves if leaf.kind != "code")
        widths = [code_w if leaf.kind == "code" else (avail - n_code * code_w) * leaf.w / total_w
                  for leaf, _ in leaves]
        header = _header_grid(spec["header"], depth, widths, size, spec["header_h"])
        paths = [_path(p) for _, p in leaves]
        num_cols = [paths[i] for i, (leaf, _) in enumerate(leaves) if leaf.kind == "num"]
        blocks = ([(n.text, set(range(a, b))) for n, a, b in _top_spans(spec["header"])]
                  if spec.get("blocks") else [(None, set(range(len(leaves))))])

        # rows: keys first (edits address cells by key), then grids
        table = {"id": tid, "title": spec["title"], "pages": [], "unit": "万元",
                 "empty": bool(spec.get("empty")), "note": spec.get("note"), "columns": num_cols,
                 "header": _header_rows(spec["header"], depth, len(leaves)), "rows": []}
        seen: dict[str, int] = {}
        body: list[tuple[Grid, list[dict]]] = []  # a grid per printed row, with its logical rows
        for values in spec["rows"]:
            values = list(values)
            logical = []
            for block, cols in blocks:
                codes = [values[i] for i in sorted(cols) if leaves[i][0].kind == "code"]
                labels = [values[i] for i in sorted(cols) if leaves[i][0].kind == "label" and values[i]]
                texts = {paths[i]: values[i] for i in sorted(cols) if leaves[i][0].kind == "text" and values[i]}
                label = labels[0] if labels else ""
                code = "".join(codes) or None
                m = re.match(r"^(\d{3})\s*(\S.*)$", label)
                if not code and m:
                    code, label = m[1], m[2]
                key = code or clean(label)
                figs = [i for i in sorted(cols) if leaves[i][0].kind == "num" and values[i]]
                if not key and not figs:
                    continue
                seen[key] = seen.get(key, 0) + 1
                if seen[key] > 1:
                    key = f"{key}#{seen[key]}"
                for i in sorted(cols):
                    edit = self.cell_edits.get((tid, key, paths[i]))
                    if edit:
                        self.alterations.append({"table": tid, "row": key, "column": paths[i],
                                                 "before": values[i], "after": edit.text,
                                                 "value": str(Decimal(edit.text.replace(",", ""))),
                                                 "_key": (tid, key, paths[i])})
                        values[i] = edit.text
                logical.append({"key": key, "label": label, "code": code, "block": block,
                                "texts": texts, "cols": sorted(cols)})
            cells = []
            for i, (leaf, _) in enumerate(leaves):
                v = values[i]
                if leaf.kind == "num" and v and not AMOUNT_RE.match(v):
                    raise ValueError(f"{tid}: not an amount as printed: {v!r}")
                align = {"num": "right", "code": "center"}.get(leaf.kind, "left")
                if leaf.kind == "label" and clean(v) in ("总计", "收入总计", "支出总计", "合计"):
                    align = "center"
                tag = None
                if leaf.kind == "num" and v:
                    row = next(r for r in logical if i in r["cols"])
                    tag = {"table": tid, "row": row["key"], "column": paths[i], "text": v}
                cells.append(Cell(v, 0, i, align=align, spaced=bool(spec.get("spaced")) and leaf.kind == "num",
                                  tag=tag))
            body.append((Grid(widths, cells, 1, [spec["row_h"]], size), logical))

        # pages
        def start_page(first: bool) -> None:
            self.new_page("table", land)
            w, h = self.size
            top = h - 40
            if first:
                draw_text(self.c, f"表 {number}", margin, w - margin, top - 12, 11)
                draw_text(self.c, spec["title"], margin, w - margin, top - 40, 16, "center", bold=True)
                draw_text(self.c, f"编制单位：{C.ISSUER}", margin, w - margin, top - 64, 10)
                draw_text(self.c, "单位：万元", margin, w - margin, top - 64, 10, "right")
                self.y = top - 72
            else:
                self.y = top - 10
            table["pages"].append(self.page)
            header.draw(self.c, margin, self.y, self.edges)
            self.y -= header.height

        bottom = 36
        start_page(True)
        prev_key = None
        for grid, logical in body:
            if self.y - grid.height < bottom or (prev_key and prev_key == spec.get("break_after")):
                stroke_edges(self.c, self.edges)
                start_page(False)
            boxes = grid.draw(self.c, margin, self.y, self.edges)
            self.y -= grid.height
            for r in logical:
                table["rows"].append({"key": r["key"], "label": r["label"], "code": r["code"],
                                      "page": self.page, "block": r["block"], "texts": r["texts"]})
            for i, cell in enumerate(grid.cells):
                if cell.tag:
                    fig = {"page": self.page, **cell.tag, "text": cell.text,
                           "value": str(Decimal(cell.text.replace(",", ""))), "bbox": list(boxes[i])}
                    self.figures.append(fig)
                    for a in self.alterations:
                        if a.get("_key") == (tid, fig["row"], fig["column"]):
                            a["page"] = self.page
            prev_key = logical[0]["key"] if logical else None
        stroke_edges(self.c, self.edges)
        if spec.get("note"):
            self.y -= 14
            self.paragraph(spec["note"], size=11, lead=20, left=margin, right=self.size[0] - margin,
                           narrative=False)
        self.tables.append(table)

    # -- performance target tables (narrative pages)
    def performance_table(self, perf: dict) -> None:
        size = 8
        left = 58
        widths_w = [1.0, 1.05, 2.0, 1.45, 1.1, 1.05, 0.85, 1.65, 1.0]
        avail = PORTRAIT[0] - 2 * left
        widths = [avail * w / sum(widths_w) for w in widths_w]
        cells: list[Cell] = []

        def add(text, r, c, cs=1, rs=1, align="center"):
            cells.append(Cell(text, r, c, rowspan=rs, colspan=cs, align=align))

        f0, f1, f2 = perf["funds"]
        add("预算单位", 0, 0, 2)
        add(C.ISSUER, 0, 2, 7, align="left")
        add("项目名称", 1, 0, 2)
        add(perf["project"], 1, 2, 5, align="left")
        add("项目负责人", 1, 7)
        add(perf["leader"], 1, 8)
        add("项目资金(万元)", 2, 0, 2)
        for k, t in enumerate(("年度预算总额", f0, "其中：财政拨款", f1, "其他资金")):
            add(t, 2, 2 + k)
        add(f2, 2, 7, 2)
        add("项目总体目标", 3, 0, 2)
        add(perf["goal"], 3, 2, 7, align="left")
        for k, t in enumerate(C.PERF_HEADER):
            add(t, 4, k)
        rows = perf["indicators"]
        for r, ind in enumerate(rows):
            for k, t in enumerate(ind):
                if k < 2 and not t:
                    continue  # continues the merged cell above
                rs = 1
                if k < 2:
                    while r + rs < len(rows) and not rows[r + rs][k] and (k == 1 or not rows[r + rs][0]) \
                            and not (k == 1 and rows[r + rs][0]):
                        rs += 1
                add(t, 5 + r, k, rs=rs, align="left" if k == 2 else "center")
        nrows = 5 + len(rows)
        # texts are edited before layout (same-length edits never reflow)
        hits_by_cell = {}
        for i, cell in enumerate(cells):
            cell.text, hits = self.edit_text(cell.text)
            hits_by_cell[i] = hits
        grid = Grid(widths, cells, nrows, [18] * 3 + [20, 24] + [17] * len(rows), size, narrative=True)
        need = 40 + grid.height
        if self.y - need < N_MARGIN - 20:
            self.new_page("text")
        w = self.size[0]
        draw_text(self.c, "项目支出绩效目标表", left, w - left, self.y - 16, 14, "center", bold=True)
        draw_text(self.c, "(2026 年)", left, w - left, self.y - 34, 10.5, "center")
        self.y -= 42
        if self.y - grid.height < 30:
            raise ValueError("performance table does not fit a page")
        grid.draw(self.c, left, self.y, self.edges)
        stroke_edges(self.c, self.edges)
        self.y -= grid.height + 14
        for i, cell in enumerate(cells):  # print order: row by row
            self.record_unit(cell.text, [(ln, self.page) for ln in cell.lines] or [("", self.page)],
                             hits_by_cell[i])


def _leaves(nodes, path=()) -> tuple[list, int]:
    out: list = []
    depth = 0
    for n in nodes:
        p = path + (n.text,)
        if n.sub:
            sub, d = _leaves(n.sub, p)
            out += sub
            depth = max(depth, d + 1)
        else:
            out.append((n, p))
            depth = max(depth, 1)
    return out, depth


def _path(p: tuple[str, ...]) -> str:
    parts: list[str] = []
    for t in p:
        t = clean(t)
        if t not in parts:
            parts.append(t)
    return "/".join(parts)


def _top_spans(nodes):
    col = 0
    for n in nodes:
        k = len(_leaves([n])[0])
        yield n, col, col + k
        col += k


def _header_cells(nodes, depth, level=0, col=0) -> list[Cell]:
    cells = []
    for n in nodes:
        k = len(_leaves([n])[0])
        if n.sub:
            cells.append(Cell(n.text, level, col, colspan=k))
            cells += _header_cells(n.sub, depth, level + 1, col)
        else:
            cells.append(Cell(n.text, level, col, rowspan=depth - level))
        col += k
    return cells


def _header_grid(nodes, depth, widths, size, h) -> Grid:
    return Grid(widths, _header_cells(nodes, depth), depth, [h] * depth, size)


def _header_rows(nodes, depth, ncols) -> list[list[str]]:
    rows = [[""] * ncols for _ in range(depth)]
    for c in _header_cells(nodes, depth):
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                rows[r][k] = c.text
    return rows


# ----------------------------------------------------------------------------- the document

def build(path: Path, edits: Iterable[CellEdit | TextEdit] = ()) -> Builder:
    b = Builder(path, edits)
    c = b.c
    w, h = PORTRAIT

    # cover
    b.new_page("text")
    draw_text(c, C.COVER[0], 0, w, h * 0.62, 24, "center", bold=True)
    draw_text(c, C.COVER[1], 0, w, h * 0.62 - 56, 30, "center", bold=True)
    # 目录
    b.new_page("text")
    draw_text(c, "目 录", 0, w, h - 90, 20, "center", bold=True)
    b.y = h - 120
    for level, text in C.TOC:
        if level == 0:
            b.paragraph(text, size=12.5, lead=21, indent=0, bold=True, before=6, after=0, left=80, narrative=False)
        else:
            b.paragraph(text, size=10.5, lead=19, indent=0, after=0, left=100, right=w - 60, narrative=False)

    def blocks(items):
        for kind, text in items:
            if kind == "part":
                b.paragraph(text, size=16, lead=30, indent=0, align="center", bold=True, before=10, after=10,
                            keep_next=2 * BODY_LEAD)
            elif kind == "h2":
                b.paragraph(text, bold=True, before=4, keep_next=2 * BODY_LEAD)
            elif kind == "h3":
                b.paragraph(text, keep_next=2 * BODY_LEAD)
            else:
                b.paragraph(text)

    # 第一部分 + heading of 第二部分
    b.new_page("text")
    blocks(C.PART1)
    # 第二部分: the tables
    for spec in C.TABLES:
        b.budget_table(spec)
    # 第三部分
    b.new_page("text")
    blocks(C.PART3)
    for perf in C.PERFORMANCE:
        b.performance_table(perf)
    blocks(C.PART3_END)
    # 第四部分
    b.new_page("text")
    blocks(C.PART4)
    b.y -= 30
    for line in C.SIGNATURE:
        b.paragraph(line, indent=0, align="right", right=w - N_MARGIN - 24, after=0)
    b.finish()
    return b


def truth(b: Builder) -> dict[str, Any]:
    return {
        "document": f"{SAMPLE_NAME}.pdf",
        "pages": b.page,
        "title": "2026年新疆维吾尔自治区社会保险中心单位预算公开",
        "issuer": C.ISSUER,
        "year": C.YEAR,
        "unit": "万元",
        "page_kinds": {str(k): v for k, v in sorted(b.kinds.items())},
        "tables": b.tables,
        "figures": b.figures,
        "narrative": b.narrative,
    }


def _layout(b: Builder) -> tuple:
    return (b.page, tuple(b.kinds.items()),
            tuple((f["page"], f["table"], f["row"], f["column"], tuple(f["bbox"])) for f in b.figures),
            tuple((n["page"], n["unit"]) for n in b.narrative),
            tuple((t["id"], tuple(t["pages"])) for t in b.tables))


def _dump(obj: Any, path: Path) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def generate(out: Path = HERE) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    pdf = out / f"{SAMPLE_NAME}.pdf"
    clean_b = build(pdf)
    _dump(truth(clean_b), out / f"{SAMPLE_NAME}.truth.json")
    written += [pdf, out / f"{SAMPLE_NAME}.truth.json"]
    inj = out / "injected"
    if inj.exists():
        shutil.rmtree(inj)
    inj.mkdir()
    for m in MUTATIONS:
        p = inj / f"{m.name}.pdf"
        mb = build(p, m.edits)
        if _layout(mb) != _layout(clean_b):
            raise ValueError(f"mutation {m.name} changed the page layout")
        alterations = [{k: a[k] for k in ("page", "table", "row", "column", "before", "after", "value")}
                       | ({"text": a["text"], "unit": a["unit"]} if a["table"] is None else {})
                       for a in mb.alterations]
        _dump({"description": m.description, "document": p.name, "clean": f"../{SAMPLE_NAME}.pdf",
               "alterations": alterations}, inj / f"{m.name}.expect.json")
        written += [p, inj / f"{m.name}.expect.json"]
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.generate", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output directory (default: samples/)")
    args = ap.parse_args(argv)
    for p in generate(args.out):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
