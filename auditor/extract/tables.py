"""A grouped table (``grouping.Pending``) → ``Table``: header rows read into column
paths, pages stitched (a continuation's repeated header rows dropped, its columns
mapped to the first page's by x position), rows keyed and every figure parsed.

Reading the grids is ``reading.py`` (which reader reads which page, with the
readers of ``readers.py``); attaching them to titles is ``grouping.py``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Callable

from ..model import Figure, Issue, Row, Table
from ..numbers import Parsed, normalise, parse_number
from . import headers as H
from .grid import Grid
from .grouping import Pending, _map_columns
from .pdf import PdfText


# ---------------------------------------------------------------------- building

def build_table(p: Pending, *, fallback_id: str, pdf: PdfText, next_tops: Callable[[int, float], float | None],
                issues: list[Issue], default_unit: str | None) -> Table | None:
    if not p.grids:
        if p.mark is None:
            return None
        return Table(id=p.mark.id, title=p.mark.title, pages=(p.mark.page,), columns=(), rows=(),
                     unit=p.unit or default_unit, empty=True)
    tid = p.mark.id if p.mark else fallback_id
    title = p.mark.title if p.mark else fallback_id
    unit = p.unit or default_unit
    first = p.grids[0]
    lay = H.analyse(first)
    if len(p.grids) > 1 and lay.nheader >= first.nrows and p.grids[1].page > first.page:
        # only the top header row fits at the foot of the page (收入 | 支出): the
        # table's header and rows are printed on the next page
        head_page = first.page
        p = replace(p, grids=p.grids[1:])
        first = p.grids[0]
        lay = H.analyse(first)
    else:
        head_page = None
    cols = lay.columns
    maps = [(lay.nheader, {c.index: c for c in cols})]
    maps += [(H.header_rows(g), _map_columns(g, cols)) for g in p.grids[1:]]
    split: set[tuple[int, str]] = set()  # figures joined over a page break: (page, text)
    if len(p.grids) > 1:
        _words_columns(p.grids, maps, lay)
        for k in range(1, len(p.grids)):
            split |= _join_split_row(p.grids[k - 1], p.grids[k], maps[k][0], maps[k][1], lay)
    num_cols = [c for c in cols if c.role == "num"]
    rows: list[Row] = []
    seen: dict[str, int] = {}
    carry: dict[int, list[str]] = {}
    pages: list[int] = [head_page] if head_page else []
    for g, (start, mapping) in zip(p.grids, maps):
        if g.page not in pages:
            pages.append(g.page)
        for r in range(start, g.nrows):
            rows.extend(_rows_of(g, r, mapping, lay, tid, unit, seen, carry, issues))
    rows = _join_wrapped(rows, issues, tid)
    rows = _on_page(rows, pdf, issues, tid, split)
    empty = all(f.blank for row in rows for f in row.cells.values())
    note = None
    if empty:
        last = p.grids[-1]
        note = _note_under(pdf, last, next_tops(last.page, last.bottom))
    return Table(
        id=tid, title=title, pages=tuple(pages), columns=tuple(c.path for c in num_cols), rows=tuple(rows),
        unit=unit, empty=empty, note=note, header=lay.header,
    )


def _words_columns(grids: list[Grid], maps: list[tuple[int, dict[int, H.Column]]], lay: H.HeaderLayout) -> None:
    """A column left blank on a table's first page (绩效目标 of the projects printed
    there) is what its cells hold on all the pages: words there make it a text."""
    for col in lay.columns:
        if col.role != "num" or H.kind_of([H.cell_kind(grids[0].cells[r][col.index].text)
                                           for r in range(lay.nheader, grids[0].nrows)]) != "blank":
            continue
        kinds = [H.cell_kind(g.cells[r][i].text) for g, (start, mapping) in zip(grids, maps)
                 for i, c in mapping.items() if c is col for r in range(start, g.nrows)]
        if H.kind_of(kinds) == "text":
            col.role = "text"


_CUT = re.compile(r"^-?\d[\d,]*(?:\.\d?|,)$")  # a figure cut short: "12,437.3", "12,437."


def _join_split_row(a: Grid, b: Grid, start: int, mapping: dict[int, H.Column],
                    lay: H.HeaderLayout) -> set[tuple[int, str]]:
    """A row broken by the page: its name and a figure's last digits ("12,437.3" |
    "6") printed at the head of the next page.  The two parts are one row, read
    on the first page; returns the figures joined, (page, text), each printed in
    two parts (its head ends the first page's text, its tail begins the next)."""
    if a.page == b.page or start >= b.nrows or len(lay.blocks) > 1 or not mapping:
        return set()
    last = a.nrows - 1
    joined = False
    for i, col in mapping.items():
        if col.role != "num" or col.index >= a.ncols:
            continue
        head, tail = H.norm(a.cells[last][col.index].text), H.norm(b.cells[start][i].text)
        if _CUT.match(head) and re.fullmatch(r"\d{1,2}", tail) and parse_number(head + tail) is not None:
            joined = True
    if not joined or any(c.role == "code" and H.norm(b.cells[start][i].text) for i, c in mapping.items()):
        return set()
    out = set()
    for i, col in mapping.items():
        if col.index >= a.ncols:
            continue
        tail = H.norm(b.cells[start][i].text)
        if tail:
            cell = a.cells[last][col.index]
            head = H.norm(cell.text)
            cell.text = head + tail
            if col.role == "num" and head:
                out.add((a.page, normalise(cell.text)))
        b.cells[start][i].text = ""
    return out


_GAP = re.compile(r"(?<=[\d,.])\s+(?=[\d,.])")


def _page_digits(pdf: PdfText, page: int) -> str:
    """The page's text layer with spaces inside numbers removed (cached on ``pdf``)."""
    cache = pdf.__dict__.setdefault("_digits", {})
    if page not in cache:
        cache[page] = _GAP.sub("", normalise(pdf.pages[page - 1].text)) if 0 < page <= len(pdf.pages) else ""
    return cache[page]


def _on_page(rows: list[Row], pdf: PdfText, issues: list[Issue], tid: str,
             split: set[tuple[int, str]] = frozenset()) -> list[Row]:  # type: ignore[assignment]
    """Every figure read from the grid must be printed on its page: the text layer
    (already read to classify the page) holds its digits.  One that is not (two
    cells merged by a missing grid line, a misplaced text run) is an extraction
    issue at that cell, dropped from the row, never an arithmetic error."""
    out = []
    for row in rows:
        bad = [c for c, f in row.cells.items() if not f.blank and f.text not in _page_digits(pdf, f.page)
               and (f.page, f.text) not in split]
        if not bad:
            out.append(row)
            continue
        for c in bad:
            f = row.cells[c]
            issues.append(Issue("figure-not-on-page",
                                f"{tid} row {row.key!r} column {c!r}: {f.text!r} is not in the text of page {f.page}",
                                page=f.page, table=tid))
        out.append(replace(row, cells={c: f for c, f in row.cells.items() if c not in bad},
                           unread=(*row.unread, *bad)))
    return out


# figure nor a name (the dashes and the slash parse_number reads as blank already)
_MARKER = re.compile(r"[*＊]{1,3}|[-—－/／]{1,2}|…+")


def _join(text: str) -> str:
    """A label as printed: line wraps joined, outer space trimmed."""
    return re.sub(r"\s*\n\s*", "", text or "").strip()


def _rows_of(g: Grid, r: int, mapping: dict[int, H.Column], lay: H.HeaderLayout, tid: str, unit: str | None,
             seen: dict[str, int], carry: dict[int, list[str]], issues: list[Issue]) -> list[Row]:
    out: list[Row] = []
    by_block: dict[int, list[tuple[int, H.Column]]] = {}
    for i, col in sorted(mapping.items()):
        by_block.setdefault(col.block, []).append((i, col))
    for block, cols in sorted(by_block.items()):
        code_parts: list[str] = []
        label = ""
        stray = ""
        texts: dict[str, str] = {}
        for i, c in cols:
            raw = g.cells[r][i].text
            if c.role == "code":
                t = H.norm(raw)
                two = H.TWO_CODES.fullmatch(raw or "")
                if two:  # 301/501: the first (部门经济分类) code keys the row
                    t = two[1]
                    texts[c.path] = _join(raw)
                so_far = "".join(code_parts)
                if re.fullmatch(r"\d+", t) and len(so_far) >= 3 and len(t) >= 3:
                    # a second code column: the full code again (208 | 20801) replaces
                    # the first, another classification (301 | 501) is not part of it
                    if t.startswith(so_far):
                        code_parts = [t]
                    else:
                        texts[c.path] = t
                elif re.fullmatch(r"\d+", t):
                    # 款/项 are two digits; a lost leading zero (“2” for 02) is put back
                    code_parts.append(t.zfill(2) if code_parts and len(t) == 1 else t)
                else:
                    code_parts.append("")
                    if t:
                        stray = stray or _join(raw)
            elif c.role == "label":
                label = "" if _MARKER.fullmatch(H.norm(raw)) else _join(raw)
                if not label and r >= lay.nheader:
                    # a label merged over several columns (当年支出小计 across the 支出 blocks)
                    # is this block's label too when its region ends inside the block
                    region = g.cells[r][i].region
                    left = [j for j in range(i) if g.cells[r][j].region == region]
                    if left:
                        label = _join(g.region_text.get(region, ""))
            elif c.role == "text":
                t = _join(raw)
                if t and not _MARKER.fullmatch(H.norm(t)):
                    texts[c.path] = t
        if not label and stray:
            label = stray
        if not label and texts and not any(code_parts):
            # a nested label (收入预算总表: 一般公共预算资金 over 小计 / 公共财政拨款…):
            # the group's name is printed once, the item's name keys the row
            label = next(iter(texts.values()))
        code = None
        if any(code_parts):
            parts = list(code_parts)
            last = carry.get(block, [])
            k = next(j for j, x in enumerate(parts) if x)
            # a sub-row printing only 款/项: carry the parent parts
            if k > 0 and len(last) == len(parts) and all(last[:k]):
                parts[:k] = last[:k]
            carry[block] = parts
            code = "".join(parts)
        else:
            m = H.CODE_IN_NAME.match(label)
            if m:
                code, label = m[1], _join(m[2])
        # numeric cells covered by a label merged across them carry no figure
        label_regions = {g.cells[r][i].region for i, c in cols if c.role == "label"}
        label_regions |= {g.cells[r][i].region for i in range(g.ncols) if i not in mapping
                          or mapping[i].role == "label"}
        num = [(i, c) for i, c in cols if c.role == "num"
               and not (g.cells[r][i].region in label_regions and not H.norm(g.cells[r][i].text)
                        and any(g.cells[r][j].region == g.cells[r][i].region and j != i
                                and H.norm(g.cells[r][j].text) for j in range(g.ncols)))]
        if not num and not code and any(c.role == "num" for _, c in cols) and label and \
                any(g.cells[r][j].region == g.cells[r][i].region and j != i
                    for i, c in cols if c.role == "label" for j in range(g.ncols)
                    if j not in dict(cols)):
            continue  # the label spans into the next block, which carries the row
        if not label and not code and not lay_has_label(cols):
            label = "合计" if r == lay.nheader and g.nrows - lay.nheader == 1 else ""
        if not label and not code and not texts and all(not H.norm(g.cells[r][i].text) for i, _ in num):
            continue
        key = code or H.norm(label)
        n = seen.get(key, 0) + 1
        seen[key] = n
        if n > 1:
            key = f"{key}#{n}"
        cells: dict[str, Figure] = {}
        unread: list[str] = []
        for i, c in num:
            cell = g.cells[r][i]
            printed = normalise(re.sub(r"\s*\n\s*", "", cell.text))
            parsed = parse_number(printed)
            if parsed is None and _MARKER.fullmatch(H.norm(printed)):
                parsed = Parsed(Decimal(0), 2, blank=True)  # ** / * : a marker, no figure printed
            if parsed is None:
                issues.append(Issue(
                    "cell-unreadable",
                    f"{tid} row {key!r} column {c.path!r}: cannot read {printed!r} as one number",
                    page=g.page, table=tid))
                unread.append(c.path)
                continue
            cells[c.path] = Figure(
                text=printed, value=parsed.value, decimals=parsed.decimals, page=g.page, table=tid,
                row=key, column=c.path, unit="%" if parsed.percent else unit, blank=parsed.blank,
                bbox=tuple(round(v, 2) for v in cell.bbox),  # type: ignore[arg-type]
            )
        out.append(Row(key=key, label=label, code=code, page=g.page, cells=cells, texts=texts,
                       block=lay.blocks[block] if block < len(lay.blocks) else None,
                       unread=tuple(unread)))
    return out


_ENUM_LABEL = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、]|[（(][一二三四五六七八九十\d]{1,3}[)）])")
_DISPLACED = re.compile(r"^、(.+?)([一二三四五六七八九十]{1,3})(.*)$")


def _join_wrapped(rows: list[Row], issues: list[Issue], tid: str) -> list[Row]:
    """Wrapped names split over two grid rows (十七、国土海洋气象等支 | 出): a row with
    only a short label and no figure, following an enumerated label of its block,
    is the end of that label.  A numeral displaced by the wrap (、单位预留机动三经费)
    is put back in front."""
    out: list[Row] = []
    last: dict[str | None, int] = {}
    for row in rows:
        label = row.label
        m = _DISPLACED.match(label)
        if m and not row.code:
            label = f"{m[2]}、{m[1]}{m[3]}"
            row = Row(key=H.norm(label), label=label, code=None, page=row.page,
                      cells={c: replace(f, row=H.norm(label)) for c, f in row.cells.items()},
                      texts=row.texts, block=row.block)
        prev = out[last[row.block]] if row.block in last else None
        wrapped_total = (prev is not None and not prev.code and H.norm(label) == "小计"
                         and H.norm(prev.label + label) in ("当年收入小计", "当年支出小计"))
        if prev is not None and not row.code and not prev.code and label and len(H.norm(label)) <= 4 \
                and all(f.blank for f in row.cells.values()) and not row.texts \
                and (wrapped_total or prev.page == row.page) and (wrapped_total or (
                    not _ENUM_LABEL.match(label) and H.norm(label) not in H.TOTALS
                    and not label.startswith("其中") and _ENUM_LABEL.match(prev.label))):
            joined = prev.label + label
            key = H.norm(joined)
            out[last[row.block]] = Row(key=key, label=joined, code=None, page=prev.page,
                                       cells={c: replace(f, row=key) for c, f in prev.cells.items()},
                                       texts=prev.texts, block=prev.block)
            continue
        last[row.block] = len(out)
        out.append(row)
    return out


def lay_has_label(cols: list[tuple[int, H.Column]]) -> bool:
    return any(c.role in ("label", "code", "text") for _, c in cols)


def _note_under(pdf: PdfText, g: Grid, stop: float | None) -> str | None:
    """The sentence printed under a table on its page (up to the next title or table)."""
    pt = pdf.pages[g.page - 1]
    if pt.rotation == 90 and pt.height:
        # text boxes in unrotated space: x grows down the displayed page
        below = pt.height - g.bottom - 1
        lines = sorted((ln for ln in pdf.lines(g.page) if ln.bbox[0] >= below), key=lambda ln: ln.bbox[0])
        stop_at = next((k for k, ln in enumerate(lines) if _is_mark_line(ln.text)), len(lines))
        lines = lines[:stop_at]
    else:
        lines = [ln for ln in pdf.lines(g.page) if ln.top <= g.bottom + 1 and (stop is None or ln.top > stop + 1)
                 and not pdf.is_folio(g.page, ln)]
    text = "".join(ln.text.strip() for ln in lines)
    text = text.strip()
    if not text:
        return None
    m = re.search(r"[^。]*?(?:空表|无|没有|未)[^。]*。", text)
    return (m[0] if m else text).strip() or None


def _is_mark_line(text: str) -> bool:
    from .pages import JS_NO, TABLE_NO, _is_title_line

    t = text.strip()
    return bool(JS_NO.match(t) or TABLE_NO.match(t) or _is_title_line(t))


__all__ = ["build_table"]
