"""Header rows → column roles, paths and blocks (DOCUMENT.md, "Columns").

Header rows are the rows above the first data row (a row with a figure, a
subject code or a total label).  Each column's path is the distinct texts of
the merged header regions above it, top-down, white space removed, joined
with ``/``.  A column is a subject-code part (类/款/项, 科目代码), the row
label (科目名称, 项目, …), another text column (表7 项目名称) or a numeric
column.  A label column printed after a numeric column starts a new block
(表1 收入 | 支出).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import TOTAL_LABELS
from ..numbers import normalise, parse_number
from ..text import squeeze as norm
from .grid import Grid

LABEL_HEADERS = {
    "科目", "科目代码", "科目编码", "类", "款", "项", "科目名称", "项目", "项目名称",
    "“三公”经费支出内容", "\"三公\"经费支出内容", "功能科目名称", "功能科目编码",
    "功能分类科目编码", "功能分类科目名称", "经济分类科目编码", "经济分类科目名称",
    "部门经济分类科目名称", "部门经济分类科目编码", "单位名称", "单位代码", "预算单位",
    "项目单位", "科目名称及编码", "支出功能分类科目", "收入项目", "支出项目",
}
CODE_PARTS = {"类", "款", "项"}
TEXT_HEADERS = {"经济科目", "采购组织形式", "采购物品名称", "专项名称", "采购品目大类", "采购品目",
                "采购方式", "组织形式"}
_CODE_HEAD = re.compile(r"(代码|编码)$")
_LABEL_TAIL = re.compile(r"(名称|内容)$")
# a subject code printed before the name: "2010301 行政运行", Guangzhou's "[2010301]行政运行",
# two classifications' codes "301/501 工资福利支出"; a 3- or 5-digit number run into the name
# is part of it (12320卫生热线, 110报警服务)
CODE_IN_NAME = re.compile(r"^\s*(?:[\[【［](?=\d+[\]】］])|(?=\d{3}(?:\d\d)?(?:\s|\s*[/／]\s*\d))|(?=\d{7}))"
                          r"(\d{7}|\d{5}|\d{3})(?:[\]】］]|(?:\s*[/／]\s*\d{3,7})?(?![\d.,．]))\s*(\S.*)$", re.S)
# two codes in one cell: 部门经济分类 with 政府经济分类 (301/501, 30211 50201)
TWO_CODES = re.compile(r"\s*(\d{3,7})\s*(?:[/／、]|\s)\s*(\d{3,7})\s*")
TOTALS = set(TOTAL_LABELS) | {"小计", "本年收入合计", "本年支出合计", "收入合计", "支出合计"}


def is_figure(text: str) -> bool:
    t = norm(text)
    if not t:
        return False
    p = parse_number(t, blank_is_zero=False)
    return p is not None


_INDEX_LABELS = {"栏次", "行次", "栏号", "行号", "序号", "*", "**", "***", "＊", "＊＊"}
_INDEX_LETTERS = re.compile(r"^(?:[甲乙丙丁戊己庚辛]|[A-Z])$")
_STARS = re.compile(r"^[*＊]{1,3}$")


def is_index_row(grid: Grid, r: int) -> bool:
    """A 栏次 row: the column numbers printed under the header (``栏次 | 1 | 2 | 3``,
    Hangzhou's ``** | 1 | 2 …`` or a row of ``**``).  Labels of the columns, never
    figures: such a row belongs to the header.

    Its cells hold only a 栏次/行次/``**`` label, letters (甲 乙 / A B) and whole
    numbers counting up by one (after such a label: a lone 1 under a header row
    will do; without one: three or more, starting at 1), or only star markers
    (three or more).
    """
    texts = [norm(c.text) for c in grid.cells[r]]
    tokens = [t for t in texts if t]
    if len(tokens) < 2:
        return False
    if all(_STARS.match(t) for t in tokens):
        return len(tokens) >= 3
    labelled = tokens[0] in _INDEX_LABELS
    rest = tokens[1:] if labelled else tokens
    nums: list[int] = []
    for t in rest:
        if _INDEX_LETTERS.match(t) or _STARS.match(t):
            continue
        if not re.fullmatch(r"\d{1,3}", t):
            return False
        nums.append(int(t))
    if len(nums) < (1 if labelled else 3) or (len(nums) == 1 and (nums[0] != 1 or r == 0)):
        return False
    if any(b != a + 1 for a, b in zip(nums, nums[1:])):
        return False
    return labelled or nums[0] == 1


_CAPTION = re.compile(r"(?:金额)?单位\s*[:：]|(?:编制|预算)单位|部门名称|单位名称\s*[:：]|^表\s*\d{1,2}|^公开\s*\d{1,2}\s*表|表$")


def is_caption_row(grid: Grid, r: int) -> bool:
    """The table's title, its 单位/编制单位 line or 金额单位 line boxed inside the
    grid: a row whose every text is such a caption is no header level."""
    row = grid.cells[r]
    texts = {norm(grid.region_text.get(c.region, "")) for c in row}
    texts.discard("")
    if not texts:
        return False
    if r + 1 < grid.nrows and any(row[c].region == grid.cells[r + 1][c].region for c in range(grid.ncols)
                                  if norm(grid.region_text.get(row[c].region, ""))):
        return False  # a region running on into the next row is a header cell
    return all(_CAPTION.search(t) and not is_figure(t) for t in texts)


def not_a_level(grid: Grid, r: int) -> bool:
    """A row inside the header that is no level of the columns' paths (栏次, captions)."""
    return is_index_row(grid, r) or is_caption_row(grid, r)


def _has_figure(grid: Grid, r: int) -> bool:
    """Strong evidence of a data row: a figure, a code, or a code printed in the name."""
    texts = [norm(c.text) for c in grid.cells[r]]
    nonempty = [t for t in texts if t]
    if not nonempty:
        return False
    if CODE_IN_NAME.match(nonempty[0]):
        return True
    for t in nonempty:
        n = normalise(t)
        if is_figure(n) or re.match(r"^-?[\d,]+\.\d+", n):  # "9,066.79 一、…" merged: data too
            return True
    return False


def _first_text(grid: Grid, r: int) -> int | None:
    for c, cell in enumerate(grid.cells[r]):
        if norm(cell.text):
            return c
    return None


def _weak_data(grid: Grid, r: int) -> bool:
    """A row with no figure that is still data.

    Nothing printed at all; or, with no header text left of its first text, a
    label followed by standalone blank cells (表8 总计 under blank 类/款/项
    cells, 表10 因公出国（境）费用): a header row has text, or a merged header
    region, over every column.
    """
    row = grid.cells[r]
    c0 = _first_text(grid, r)
    # a row naming the label columns (项目名称 | 金额) is a header row, whatever its blanks
    if any(norm(c.text) in LABEL_HEADERS for c in row):
        return False
    if c0 is None:
        return not any(norm(grid.region_text.get(c.region, "")) for c in row)
    if any(norm(grid.region_text.get(c.region, "")) for c in row[:c0]):
        return False
    # a word over a column whose cells below hold figures is that column's header
    # (a blank cell printed above 总计 leaves the row's label "followed by a blank")
    for j in range(c0 + 1, grid.ncols):
        t = norm(row[j].text)
        if t and not is_figure(t) and not _STARS.match(t) and _figures_below(grid, r, j):
            return False
    unused = _unused_columns(grid)  # a sliver between the grid and its frame says nothing
    return any(not norm(grid.region_text.get(c.region, "")) for i, c in enumerate(row[c0 + 1 :], c0 + 1)
               if i not in unused)


def _figures_below(grid: Grid, r: int, c: int) -> bool:
    """Column ``c`` holds more figures than words in the data rows below row ``r``
    (rows with a figure: the header's other rows do not count)."""
    nums = words = 0
    for rr in range(r + 1, grid.nrows):
        t = normalise(norm(grid.cells[rr][c].text))
        if not t or not _has_figure(grid, rr):
            continue
        if is_figure(t) or re.match(r"^-?[\d,]+\.\d+", t):
            nums += 1
        else:
            words += 1
    return nums > words


def _unused_columns(grid: Grid) -> frozenset[int]:
    """Columns with no text in any row (camelot's sliver between a table's
    ruling and an outer frame line)."""
    return frozenset(c for c in range(grid.ncols)
                     if not any(norm(grid.region_text.get(grid.cells[r][c].region, ""))
                                for r in range(grid.nrows)))


def header_rows(grid: Grid, max_header: int = 8) -> int:
    """How many rows at the top of the grid are header rows (rows above the first data row).

    A 栏次 row (``is_index_row``) is part of the header, never the first data row;
    a caption row (``is_caption_row``) neither."""
    k = next((r for r in range(grid.nrows) if _has_figure(grid, r) and not is_index_row(grid, r)), grid.nrows)
    for r in range(min(k, max_header + 1)):
        if not_a_level(grid, r):
            continue
        if _weak_data(grid, r):
            return r
    return k if k <= max_header else 0


@dataclass
class Column:
    index: int
    parts: tuple[str, ...]
    role: str  # "code" | "label" | "text" | "num" | "none" (a column with nothing printed in it)
    block: int = 0
    x: tuple[float, float] = (0.0, 0.0)

    @property
    def path(self) -> str:
        return "/".join(self.parts)


@dataclass
class HeaderLayout:
    columns: list[Column]
    nheader: int
    blocks: list[str | None] = field(default_factory=list)
    header: tuple[tuple[str, ...], ...] = ()


def column_parts(grid: Grid, c: int, nheader: int) -> tuple[str, ...]:
    parts: list[str] = []
    seen: set[int] = set()
    for r in range(nheader):
        cell = grid.cells[r][c]
        if cell.region in seen or not_a_level(grid, r):
            continue
        seen.add(cell.region)
        t = norm(grid.region_text.get(cell.region, ""))
        if t and t not in parts:
            parts.append(t)
    return tuple(parts)


def _is_label_part(p: str) -> bool:
    return p in LABEL_HEADERS or bool(_LABEL_TAIL.search(p)) or bool(_CODE_HEAD.search(p))


# a figure run into the next cell's words ("9,066.79一、一般公共服务支出"), not an
# enumeration opening a sentence ("1.1－产出指标，11－数量指标…" in a 绩效指标 cell)
_MERGED_FIGURE = re.compile(r"^-?\d[\d,]*\.(?:\d{2}|\d{6})(?![\d.,，、\-－])")
_GLUED_FIGURES = re.compile(r"^(?:-?\d[\d,]*\.\d{2}){2,}$")  # "0.000.000.00": cells merged by a lost line


def cell_kind(text: str) -> str | None:
    """What one data cell holds: 'code', 'num', 'text', or None (blank, a ** marker)."""
    t = normalise(norm(text))
    if not t or _STARS.match(t):  # a ** marker says nothing of what the column holds
        return None
    if re.fullmatch(r"\d{2,7}", t) and not re.fullmatch(r"\d+\.\d+", t):
        return "code"
    if TWO_CODES.fullmatch(text or ""):
        return "code"  # 301/501, 30211 50201: two classifications' codes
    if is_figure(t) or _MERGED_FIGURE.match(t) or _GLUED_FIGURES.match(t):
        return "num"  # a merged figure cell: still a numeric column
    return "text"


def kind_of(kinds: list[str | None]) -> str:
    """The column's kind from its cells' kinds: 'code', 'num', 'text' or 'blank'."""
    codes, nums, texts = (kinds.count(k) for k in ("code", "num", "text"))
    if not (codes or nums or texts):
        return "blank"
    if texts > codes + nums:
        return "text"
    if codes and not nums:
        return "code"
    return "num"


def _data_kind(grid: Grid, c: int, nheader: int) -> str:
    """What the column's data cells hold: 'code', 'num', 'text' or 'blank'."""
    return kind_of([cell_kind(grid.cells[r][c].text) for r in range(nheader, grid.nrows)])


def analyse(grid: Grid) -> HeaderLayout:
    nheader = header_rows(grid)
    columns: list[Column] = []
    unused = _unused_columns(grid)
    for c in range(grid.ncols):
        parts = column_parts(grid, c, nheader)
        kind = _data_kind(grid, c, nheader)
        last = parts[-1] if parts else ""
        if c in unused:
            role = "none"  # no header and no data at all: carries nothing (a frame sliver)
        elif last in ("行次", "栏次", "行号", "栏号"):
            role = "none"  # the rows' numbers (1, 2, 3 …): labels, never figures to add up
        elif last in TEXT_HEADERS:
            role = "label"  # 经济科目, 采购组织形式: words, never amounts, whatever the cells hold
        elif last in CODE_PARTS and kind != "text":
            role = "code"  # 类/款/项 hold code parts, never amounts (a stray figure-like cell aside)
        elif last in CODE_PARTS or (parts and _CODE_HEAD.search(last) and kind in ("code", "blank")):
            role = "code" if kind in ("code", "blank") else "label"
        elif any(_is_label_part(p) for p in parts) and kind != "num":
            role = "label"
        elif kind == "text":
            role = "label"
        elif kind == "code" and not parts:
            role = "code"
        else:
            role = "num"
        columns.append(Column(c, parts, role, x=grid.col_span(c)))
    _assign_blocks(columns)
    _align_block_paths(columns)
    blocks = _block_names(columns)
    header = tuple(tuple(norm(grid.region_of(r, c)) for c in range(grid.ncols)) for r in range(nheader)
                   if not not_a_level(grid, r))
    return HeaderLayout(columns, nheader, blocks, header)


def _assign_blocks(columns: list[Column]) -> None:
    block = 0
    seen_num = False
    seen_label = False
    for k, col in enumerate(columns):
        if col.role in ("label", "code"):
            # a block's label has figures of its own after it; words in the last
            # columns (绩效目标, 绩效指标 of a form) are texts of the rows
            if seen_num and seen_label and any(c.role == "num" for c in columns[k + 1:]):
                block += 1
                seen_num = False
            seen_label = True
        elif col.role == "num":
            seen_num = True
        col.block = block
    # within a block, the first label column is the row label; later ones are texts
    first_label: dict[int, int] = {}
    for col in columns:
        if col.role == "label":
            if col.block in first_label:
                col.role = "text"
            else:
                first_label[col.block] = col.index


def _align_block_paths(columns: list[Column]) -> None:
    """A side-by-side block's figure columns sit under the same header groups as its
    label column: a header line missing between two groups (公开01表 功能分类 |
    支出用途) must not put 功能分类's 金额 under 支出用途 (a duplicate path)."""
    for b in {c.block for c in columns}:
        cols = [c for c in columns if c.block == b]
        label = next((c for c in cols if c.role == "label"), None)
        if label is None or len(label.parts) < 3:
            continue
        for c in cols:
            if c.role == "num" and len(c.parts) == len(label.parts) and c.parts[:-1] != label.parts[:-1]:
                c.parts = (*label.parts[:-1], c.parts[-1])


def _block_names(columns: list[Column]) -> list[str | None]:
    n = max((c.block for c in columns), default=0) + 1
    if n == 1:
        return [None]
    names: list[str | None] = []
    for b in range(n):
        cols = [c for c in columns if c.block == b]
        name = None
        for depth in (1, 2):
            heads = {c.parts[:depth] for c in cols if len(c.parts) > depth}
            if len(heads) == 1:
                name = "/".join(next(iter(heads)))
                if name not in names:
                    break
        names.append(name or f"块{b + 1}")
    return names
