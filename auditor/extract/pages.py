"""Page classification from the text layer: which pages carry which table title.

A table page prints a title mark: ``表 N`` (or ``表N``) alone on a line and
the table name on the next line ending in 表, or Jiangsu's ``公开01表``.
Documents without numbered tables (Shanghai district budgets) are recognised
by a title line ending in 表 on a page that also prints ``单位：元/万元``; their
tables get an id derived from the title (the title, year removed).  The
contents page lists table names but no ``表N`` line or unit line: it is text.
A page with no title that draws a grid right after a table page continues
that table.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..numbers import normalise
from ..text import squeeze as clean
from .pdf import Line, PdfText

TABLE_NO = re.compile(r"^表\s*(\d{1,2})(?:(?:\s+|\s*[:：]\s*)(\S.{0,40}表(?:[（(][^）)]{1,12}[）)])?))?$")
JS_NO = re.compile(r"^公开\s*(\d{1,2}|(?<=公开)\s*表\s*[一二三四五六七八九十]{1,3}(?=\s|$|[:：]))\s*(?:(?<=[一二三四五六七八九十])|表)(?:(?:\s+|\s*[:：]\s*)(\S.{0,40}表(?:[（(][^）)]{1,12}[）)])?))?$")
UNIT = re.compile(r"单位\s*[:：]\s*(亿元|万元|元)")
ISSUER = re.compile(r"(?:编制单位|部门名称|预算单位|单位名称|部门)\s*[:：]\s*(.+?)(?=\s{1,}\S*单位\s*[:：]|\s*单位\s*[:：]\s*(?:万元|元)|$)")
PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_QUICK = re.compile(r"(?m)^\s*表\s*\d{1,2}\b|公开\s*\d{1,2}\s*表|公开表[一二三四五六七八九十]|单位\s*[:：]\s*(?:亿元|万元|元)")
_AMOUNT = re.compile(r"\d,\d{3}\.\d|\d\.(?:\d\d|\d{6})(?!\d)|\d,\d{3}(?![\d.])")  # 元 tables print whole yuan
_ENUM = re.compile(r"^(?:\d+\s*[.．、]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）])")
_TITLE_END = re.compile(r"表(?:[（(][^）)]{1,12}[）)])?$")
_COVER = re.compile(r"\d{4}\s*年度?(?:部门|单位)?(?:决算|预算)(?:公开)?表$")  # a cover line, not a table
_YEAR = re.compile(r"^\d{4}\s*年度?")


@dataclass
class TitleMark:
    page: int
    id: str
    title: str
    top: float  # y of the mark's top (PDF points, origin bottom-left)
    line_index: int  # index of the title line in the page's lines
    numbered: bool
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    @property
    def vertical(self) -> bool:
        """Printed top-to-bottom: the page content is rotated by 90°."""
        x0, y0, x1, y1 = self.bbox
        return (y1 - y0) > 2 * (x1 - x0) and len(self.title) > 2


@dataclass
class PageLayout:
    kinds: dict[int, str]  # page → "table" / "text" / "blank"
    marks: dict[int, list[TitleMark]]  # page → title marks, top to bottom
    units: dict[int, list[tuple[float, str]]]  # page → (line top, unit)
    issuer: str | None
    # pages turned by /Rotate 90 → their displayed height: a grid's top (displayed
    # space) reads as the distance from the top, which is a vertical mark's x
    turned: dict[int, float] = field(default_factory=dict)


def slug_id(title: str) -> str:
    """An id for an unnumbered table: its title without white space and leading year."""
    t = clean(title)
    return _YEAR.sub("", t) or t


def _numbered_marks(page: int, lines: list[Line]) -> list[TitleMark]:
    marks = []
    for i, ln in enumerate(lines):
        t = ln.text.strip()
        m = TABLE_NO.match(t) or JS_NO.match(t)
        if not m and i + 1 < len(lines) and re.match(r"^(?:公开\s*\d{1,2}\s*表|表\s*\d{1,2})\s*[:：]", t):
            # the title wrapped: 公开 09 表：一般公共预算“三公”经费、会议费、培训费 / 支出预算表
            nxt = lines[i + 1].text.strip()
            if _TITLE_END.search(clean(nxt)) and len(clean(nxt)) <= 20:
                t = t + nxt
                m = TABLE_NO.match(t) or JS_NO.match(t)
        if not m:
            continue
        js = t.startswith("公开")
        num = int(m[1]) if m[1].isdigit() else _cn_number(re.sub(r"[\s表]", "", m[1]))
        tid = f"公开{num:02d}表" if js else f"表{num}"
        title = m[2] or ""
        if not title:
            title = _title_near(lines, i)
        if not title:
            for nxt in lines[i + 1 : i + 3]:
                s = nxt.text.strip()
                if s and not UNIT.search(s) and not ISSUER.match(s) and len(clean(s)) <= 40:
                    title = s
                    break
        if not title:
            if i >= len(lines) - 3:  # the mark ends the page: its title heads the next page
                marks.append(TitleMark(page, tid, "", ln.top, i, True, ln.bbox))
            continue
        marks.append(TitleMark(page, tid, clean(title), ln.top, i, True, ln.bbox))
    return marks


def _cn_number(t: str) -> int:
    """一 → 1, 十二 → 12 (table numbers printed in Chinese numerals: 公开表一)."""
    d = "一二三四五六七八九"
    if t == "十":
        return 10
    if t.startswith("十"):
        return 10 + d.index(t[1]) + 1
    if "十" in t:
        a, _, b = t.partition("十")
        return (d.index(a) + 1) * 10 + (d.index(b) + 1 if b else 0)
    return d.index(t) + 1


def _is_title_line(text: str) -> bool:
    t = clean(text)
    return (3 <= len(t) <= 40 and bool(_TITLE_END.search(t)) and "：" not in t and ":" not in t
            and not JS_NO.match(t) and not TABLE_NO.match(t) and not UNIT.search(t))


def _title_near(lines: list[Line], i: int) -> str:
    """The table name printed for the mark at line ``i``: the title line (ending in 表)
    nearest to it below, before the next mark (text order need not be print order)."""
    mark = lines[i]
    best: tuple[float, str] | None = None
    for j, ln in enumerate(lines):
        if j == i or not _is_title_line(ln.text):
            continue
        if ln.top > mark.top + 2:  # above the mark
            continue
        between = [x for x in lines if ln.top < x.top < mark.top and (JS_NO.match(x.text.strip())
                                                                      or TABLE_NO.match(x.text.strip()))]
        if between:
            continue
        d = mark.top - ln.top
        if d <= 120 and (best is None or d < best[0]):
            best = (d, ln.text.strip())
    if best:
        return best[1]
    # positions unusable (a rotated page): the page's only title line
    only = [ln.text.strip() for j, ln in enumerate(lines) if j != i and _is_title_line(ln.text)]
    marks = [ln for ln in lines if JS_NO.match(ln.text.strip()) or TABLE_NO.match(ln.text.strip())]
    return only[0] if len(only) == 1 and len(marks) == 1 else ""


def _dangling_titles(pdf: PdfText, marks: dict[int, list[TitleMark]]) -> None:
    """A mark printed at the foot of a page whose title heads the next page moves there."""
    for n in sorted(marks):
        keep = []
        for m in marks[n]:
            if m.title:
                keep.append(m)
                continue
            if n + 1 > pdf.page_count:
                continue
            nxt = pdf.lines(n + 1)
            for j, ln in enumerate(nxt[:3]):
                if _is_title_line(ln.text):
                    marks.setdefault(n + 1, []).append(
                        TitleMark(n + 1, m.id, clean(ln.text), ln.top, j, True, ln.bbox))
                    marks[n + 1].sort(key=lambda x: -x.top)
                    break
        marks[n] = keep
    for n in [k for k, v in marks.items() if not v]:
        del marks[n]


def _unnumbered_marks(page: int, lines: list[Line]) -> list[TitleMark]:
    if not any(UNIT.search(ln.text) for ln in lines):
        return []
    marks = []
    for i, ln in enumerate(lines):
        t = clean(ln.text)
        nxt = clean(lines[i + 1].text) if i + 1 < len(lines) else ""
        if not _TITLE_END.search(t) and 0 < len(nxt) <= 2 and _TITLE_END.search(t + nxt) \
                and lines[i + 1].top < ln.top:
            t += nxt  # a long title wrapped onto a second line (…支出预算 / 表)
        if not _TITLE_END.search(t) or len(t) > 50 or len(t) < 3:
            continue
        if "：" in t or ":" in t or PART.match(t) or _COVER.search(t):
            continue
        t = _ENUM.sub("", t)
        marks.append(TitleMark(page, slug_id(t), t, ln.top, i, False, ln.bbox))
    return marks


def _titles_at_foot(pdf: PdfText, candidates: list[int], marks: dict[int, list[TitleMark]]) -> None:
    """An unnumbered title printed alone at the foot of a page whose table (unit
    line first) starts the next page: the title marks the previous page."""
    for n in candidates:
        if n < 2:
            continue
        lines = pdf.lines(n)
        top = max(lines, key=lambda x: x.top) if lines else None
        unit = [ln for ln in lines if UNIT.search(ln.text)]
        if top is None or not unit or max(u.top for u in unit) < top.top - 40:
            continue  # the unit line does not open the page
        if any(m.top > max(u.top for u in unit) - 1 for m in marks.get(n, [])):
            continue  # titled on its own page
        prev = pdf.lines(n - 1)
        if not prev:
            continue
        foot = min(prev, key=lambda x: x.bottom)
        t = _ENUM.sub("", clean(foot.text))
        if not _is_title_line(foot.text) or PART.match(t) or _COVER.search(t) \
                or any(m.top <= foot.top + 1 for m in marks.get(n - 1, [])):
            continue
        marks.setdefault(n - 1, []).append(
            TitleMark(n - 1, slug_id(t), t, foot.top, prev.index(foot), False, foot.bbox))


def classify(pdf: PdfText) -> PageLayout:
    kinds: dict[int, str] = {}
    marks: dict[int, list[TitleMark]] = {}
    units: dict[int, list[tuple[float, str]]] = {}
    candidates = [p.number for p in pdf.pages if _QUICK.search(p.text)]
    numbered: dict[int, list[TitleMark]] = {}
    for n in candidates:
        ms = _numbered_marks(n, pdf.lines(n))
        if ms:
            numbered[n] = ms
    if numbered:
        _dangling_titles(pdf, numbered)
        marks = numbered
    else:
        for n in candidates:
            ms = _unnumbered_marks(n, pdf.lines(n))
            if ms:
                marks[n] = ms
        _titles_at_foot(pdf, candidates, marks)
    prev_table = False
    for p in pdf.pages:
        n = p.number
        if not clean(p.text):
            kinds[n] = "blank"
            prev_table = False
            continue
        if n in marks:
            kinds[n] = "table"
        elif prev_table and _looks_continued(pdf, n):
            kinds[n] = "maybe"  # decided once camelot has looked at it (``confirm_continued``)
        else:
            kinds[n] = "text"
        prev_table = kinds[n] in ("table", "maybe")
    issuer = None
    issuers: Counter[str] = Counter()
    for n, k in kinds.items():
        if k not in ("table", "maybe"):
            continue
        lines = pdf.lines(n)
        units[n] = [(ln.top, m[1]) for ln in lines for m in [UNIT.search(ln.text)] if m]
        for ln in lines:
            m = ISSUER.search(ln.text.strip())
            if m and clean(m[1]):
                issuers[clean(m[1])] += 1
    if issuers:
        issuer = issuers.most_common(1)[0][0]
    else:
        for p in pdf.pages[:3]:
            for raw in p.text.splitlines():
                m = ISSUER.search(raw.strip())
                if m and clean(m[1]):
                    issuer = clean(m[1])
                    break
            if issuer:
                break
    turned = {p.number: p.height for p in pdf.pages if p.rotation == 90 and p.number in marks}
    return PageLayout(kinds, marks, units, issuer, turned)


def _looks_continued(pdf: PdfText, n: int) -> bool:
    """A page without a title right after a table page: does it carry the table on?"""
    text = pdf.pages[n - 1].text
    first = next((s.strip() for s in text.splitlines() if s.strip()), "")
    if PART.match(first):
        return False
    return bool(_AMOUNT.search(normalise(text)))


# lines a continued table prints over its next page: 续表 (表3（续）), the unit and issuer lines
_CONTINUED = re.compile(r"^续表\s*\d{0,2}$|^(?:表\s*\d{1,2}|公开\s*\d{1,2}\s*表)?[（(]续[)）]$|^续[:：]?$"
                        r"|单位\s*[:：]\s*(?:亿元|万元|元)$|^(?:编制单位|部门名称|预算单位|单位名称)[:：]")


def confirm_continued(pdf: PdfText, layout: PageLayout, grids: dict) -> None:
    """A "maybe" page is a table page when a grid starts at the top of it (at most
    two text lines above the grid: running heads, page numbers); otherwise text."""
    for n, k in list(layout.kinds.items()):
        if k != "maybe":
            continue
        gs = grids.get(n) or []
        ok = False
        if gs:
            top = max(g.top for g in gs)
            above = [ln for ln in pdf.lines(n) if ln.bottom > top + 1 and not _CONTINUED.search(clean(ln.text))]
            ok = len(above) <= 2
        layout.kinds[n] = "table" if ok else "text"
        if not ok:
            grids.pop(n, None)
            layout.units.pop(n, None)


def doc_title(pdf: PdfText) -> tuple[str | None, int | None]:
    """The document title from the first page (lines before 目录), and its year."""
    title_parts: list[str] = []
    for p in pdf.pages[:2]:
        for raw in p.text.splitlines():
            s = clean(raw)
            if not s or s.isdigit():
                continue
            if s in ("目录",) or PART.match(s) or len(title_parts) >= 4 or "：" in s or ":" in s:
                break
            title_parts.append(s)
        if title_parts:
            break
    title = "".join(title_parts) or None
    year = None
    for t in [title or ""] + [p.text for p in pdf.pages[:3]]:
        m = re.search(r"(20\d\d)\s*年", t)
        if m:
            year = int(m[1])
            break
    return title, year
