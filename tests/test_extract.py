"""Extraction: the sample against its ground truth, the real corpus, bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.extract import load_document

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"
TRUTH = SAMPLE.with_suffix("").with_suffix(".truth.json")
CORPUS = ROOT.parent / "shared" / "corpus" / "real"

needs_sample = pytest.mark.skipif(not (SAMPLE.exists() and TRUTH.exists()), reason="sample not generated")


# ----------------------------------------------------------------------------- the sample

@pytest.fixture(scope="module")
def sample():
    return load_document(str(SAMPLE))


@pytest.fixture(scope="module")
def truth():
    return json.loads(TRUTH.read_text(encoding="utf-8"))


def _fmt(keys: set) -> str:
    return "\n".join("  page %s %s row %r column %r text %r value %s" % k for k in sorted(keys, key=str)[:30])


@needs_sample
def test_sample_tables_recognised(sample):
    ids = [t.id for t in sample.tables]
    assert ids == [f"表{n}" for n in range(1, 13)]
    for tid in ("表8", "表9", "表12"):
        t = sample.table(tid)
        assert t.empty, tid
        assert t.note and t.note.endswith("为空表。"), (tid, t.note)
    for t in sample.tables:
        if t.id not in ("表8", "表9", "表12"):
            assert not t.empty, t.id
    assert len(sample.table("表6").pages) == 2
    assert sample.title == "2026年新疆维吾尔自治区社会保险中心单位预算公开"
    assert sample.year == 2026
    assert sample.issuer == "新疆维吾尔自治区社会保险中心"
    assert sample.unit == "万元"
    assert not [i for i in sample.issues if i.severity == "error"]


@needs_sample
def test_sample_page_kinds(sample, truth):
    assert {str(k): v for k, v in sample.page_kinds.items()} == truth["page_kinds"]


@needs_sample
def test_sample_tables_match_truth(sample, truth):
    problems = []
    for tt in truth["tables"]:
        t = sample.table(tt["id"])
        if t is None:
            problems.append(f"{tt['id']}: not found")
            continue
        for field in ("title", "pages", "unit", "empty", "columns"):
            mine = getattr(t, field)
            mine = list(mine) if isinstance(mine, tuple) else mine
            if mine != tt[field]:
                problems.append(f"{t.id} {field}: {mine!r} != {tt[field]!r}")
        rows = [(r.key, r.label, r.code, r.page, r.block, dict(r.texts)) for r in t.rows]
        want = [(r["key"], r["label"], r["code"], r["page"], r["block"], r["texts"]) for r in tt["rows"]]
        if rows != want:
            extra = [r for r in rows if r not in want]
            missing = [r for r in want if r not in rows]
            problems.append(f"{t.id} rows: missing {missing[:5]} extra {extra[:5]}")
    assert not problems, "\n".join(problems)


@needs_sample
def test_sample_every_figure_matches_truth(sample, truth):
    mine = {(f.page, f.table, f.row, f.column, f.text, str(f.value))
            for t in sample.tables for f in t.figures() if not f.blank}
    want = {(f["page"], f["table"], f["row"], f["column"], f["text"], f["value"]) for f in truth["figures"]}
    assert want - mine == set() and mine - want == set(), (
        f"\nmissing ({len(want - mine)}):\n{_fmt(want - mine)}\nextra ({len(mine - want)}):\n{_fmt(mine - want)}")


@needs_sample
def test_sample_figure_bboxes(sample, truth):
    mine = {(f.table, f.row, f.column): f.bbox for t in sample.tables for f in t.figures() if not f.blank}
    for f in truth["figures"]:
        box = mine.get((f["table"], f["row"], f["column"]))
        assert box is not None
        assert max(abs(a - b) for a, b in zip(box, f["bbox"])) < 1.0, (f, box)


@needs_sample
def test_sample_blank_cells_are_zero_figures(sample):
    t5 = sample.table("表5")
    f = t5.row("2080101").cells["一般公共预算支出/项目支出"]
    assert f.blank and f.value == 0 and f.text == ""


@needs_sample
def test_sample_narrative_figures(sample, truth):
    mine = [(f.page, f.text) for f in sample.narrative.figures]
    want = [(f["page"], f["text"]) for f in truth["narrative"]]
    assert mine == want


# ----------------------------------------------------------------------------- real corpus

REAL = sorted(CORPUS.glob("*/*.pdf")) if CORPUS.exists() else []


@pytest.mark.skipif(not REAL, reason="real corpus absent")
@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_document_loads(path):
    doc = load_document(str(path))
    assert doc.pages > 0
    assert doc.page_kinds
    if "tables" in path.name or "budget" in path.name or "final" in path.name:
        assert doc.tables, "no table recognised"
        assert sum(1 for t in doc.tables for f in t.figures() if not f.blank) > 50


@pytest.mark.skipif(not REAL, reason="real corpus absent")
def test_shanghai_unit_budget_tables():
    doc = load_document(str(CORPUS / "shanghai" / "sh-putuo-commerce-2025-unit-budget.pdf"))
    ids = [t.id for t in doc.tables]
    # no 表N in the Shanghai template: ids are the titles without the year
    assert ids[:4] == ["预算单位财务收支预算总表", "预算单位收入预算总表", "预算单位支出预算总表",
                       "预算单位财政拨款收支预算总表"]
    assert len(ids) == 9
    assert doc.unit == "元"
    assert doc.issuer == "上海市普陀区商务委员会"
    income = doc.table("预算单位收入预算总表")
    assert income.pages == (10, 11)  # continued on a page with no title and no header
    assert income.row("2011301").cells["收入预算/合计"].text == "9,389,913.00"
    total = doc.table("预算单位财务收支预算总表")
    assert [r.block for r in total.rows[:2]] == ["本年收入", "本年支出"]
    assert doc.table("预算单位政府性基金预算支出功能分类预算表").empty


@pytest.mark.skipif(not REAL, reason="real corpus absent")
def test_jiangsu_numbered_tables():
    doc = load_document(str(CORPUS / "jiangsu" / "js-high-court-2019-budget.pdf"))
    assert [t.id for t in doc.tables] == [f"公开{n:02d}表" for n in range(1, 13)]
    assert doc.table("公开05表").row("2040501") is not None


# ----------------------------------------------------------------------------- bad inputs

def _tiny_pdf(path: Path, pages: int = 1) -> Path:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    pdf.save(str(path))
    pdf.close()
    return path


def _code(path, **kw) -> str:
    with pytest.raises(InputError) as e:
        load_document(str(path), **kw)
    assert "\n" not in str(e.value)
    return e.value.code


def test_missing_path(tmp_path):
    assert _code(tmp_path / "nope.pdf") == "not-found"


def test_directory(tmp_path):
    assert _code(tmp_path) == "no-pdfs"  # a folder without a PDF in it
    _tiny_pdf(tmp_path / "a.pdf")
    assert _code(tmp_path) == "unreadable"  # a folder, not a file


def test_empty_file(tmp_path):
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    assert _code(p) == "empty-file"


def test_not_a_pdf(tmp_path):
    p = tmp_path / "page.pdf"
    p.write_text("<!DOCTYPE html><html><body>预算公开</body></html>", encoding="utf-8")
    assert _code(p) == "not-pdf"
    z = tmp_path / "doc.pdf"
    z.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    assert _code(z) == "not-pdf"


def test_truncated_pdf(tmp_path):
    src = SAMPLE if SAMPLE.exists() else _tiny_pdf(tmp_path / "tiny.pdf", pages=3)
    data = src.read_bytes()
    p = tmp_path / "half.pdf"
    p.write_bytes(data[: len(data) // 2])
    assert _code(p) == "corrupt-pdf"


def test_garbage_after_header(tmp_path):
    p = tmp_path / "garbage.pdf"
    p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    assert _code(p) == "corrupt-pdf"


def test_no_text_layer(tmp_path):
    assert _code(_tiny_pdf(tmp_path / "blank.pdf", pages=2)) == "no-text-layer"


def test_too_many_pages(tmp_path):
    assert _code(_tiny_pdf(tmp_path / "three.pdf", pages=3), max_pages=2) == "too-many-pages"


def test_encrypted(tmp_path):
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    p = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(p), encrypt="secret")
    c.drawString(72, 720, "Budget 2026")
    c.showPage()
    c.save()
    assert _code(p) == "encrypted"
    assert _code(p, password="wrong") == "encrypted"
    doc = load_document(str(p), password="secret")
    assert doc.pages == 1 and doc.tables == ()


def test_a_figure_not_on_its_page_is_an_issue_not_a_number():
    """Every grid figure is looked up in its page's text layer (spaces inside
    numbers removed); one that is not there is dropped from its row with a
    ``figure-not-on-page`` issue at that cell, so no relation reads it."""
    from decimal import Decimal
    from types import SimpleNamespace

    from auditor.extract.tables import _on_page
    from auditor.model import Figure, Row

    pdf = SimpleNamespace(pages=[SimpleNamespace(text="合计 3, 245. 06 202.68\n")])
    cells = {"合计": Figure(text="3,245.06", value=Decimal("3245.06"), decimals=2, page=1),
             "基本支出": Figure(text="9,066.79", value=Decimal("9066.79"), decimals=2, page=1),
             "项目支出": Figure(text="", value=Decimal(0), decimals=2, page=1, blank=True)}
    issues = []
    rows = _on_page([Row(key="208", label="x", code="208", page=1, cells=cells)], pdf, issues, "表5")
    assert set(rows[0].cells) == {"合计", "项目支出"}
    assert [(i.code, i.table, i.page) for i in issues] == [("figure-not-on-page", "表5", 1)]
    assert "9,066.79" in issues[0].message


def _grid(rows: list[list[str]]):
    """A grid of unmerged cells, one region per cell, 10 pt squares."""
    from auditor.extract.grid import GCell, Grid

    cells, regions = [], {}
    for r, row in enumerate(rows):
        out = []
        for c, text in enumerate(row):
            region = r * len(row) + c
            regions[region] = text
            y = 1000 - 10 * r
            out.append(GCell(text, (10.0 * c, y - 10.0, 10.0 * c + 10, float(y)), region))
        cells.append(out)
    return Grid(page=1, bbox=(0, 0, 10.0 * len(rows[0]), 1000), cells=cells, region_text=regions)


def test_an_empty_column_at_the_frame_neither_hides_the_header_nor_makes_a_column():
    # js-npc-office-2018 公开12表: camelot reads a sliver column either side of the grid
    from auditor.extract import headers as H

    grid = _grid([["", "采购品目大类", "专项名称", "总计", ""],
                  ["", "合计", "", "2,064.25", ""],
                  ["", "一、货物A", "", "59.00", ""]])
    lay = H.analyse(grid)
    assert lay.nheader == 1
    assert [(c.parts, c.role) for c in lay.columns] == [
        ((), "none"), (("采购品目大类",), "label"), (("专项名称",), "text"), (("总计",), "num"), ((), "none")]


@needs_sample
def test_the_prose_under_a_tables_last_grid_is_narrative(sample):
    # 表8 (p.13) is an empty grid with its sentence printed under it
    n = sample.narrative
    at = n.text.index("2026年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。")
    assert n.page_at(at) == 13
    # nothing of the table itself (its title, header or 合计 row) comes with it
    p13 = n.text[dict((p, o) for o, p in n.page_starts)[13]:dict((p, o) for o, p in n.page_starts)[14]]
    assert "支出功能分类科目" not in p13 and "合计" not in p13


@pytest.mark.skipif(not REAL, reason="real corpus absent")
def test_part_three_begun_under_the_last_table_is_read():
    # js-high-court-2019 p.17: 公开12表 ends, 第三部分 一、收支预算总体情况说明 begins under it
    doc = load_document(str(CORPUS / "jiangsu" / "js-high-court-2019-budget.pdf"))
    n = doc.narrative
    at = n.text.index("江苏省高级人民法院2019年度收入、支出预算总计37188.34万元，与上年相比收、支预算总计各增加4016.19万元")
    assert n.page_at(at) == 17
    assert "分散自行组织" not in n.text  # the rows of 公开12表 above it are not


def _grid_rows(grid):
    """The rows extraction reads from one grid (its layout, every data row)."""
    from auditor.extract import headers as H
    from auditor.extract.tables import _map_columns, _rows_of

    lay = H.analyse(grid)
    mapping = _map_columns(grid, lay.columns)
    seen, carry, issues, rows = {}, {}, [], []
    for r in range(lay.nheader, grid.nrows):
        rows.extend(_rows_of(grid, r, mapping, lay, "表6", "万元", seen, carry, issues))
    return rows


def test_two_code_columns_key_the_row_by_the_first():
    # 部门经济分类 beside 政府经济分类: the row is 301, never 301501
    grid = _grid([["部门经济分类科目编码", "政府经济分类科目编码", "科目名称", "合计"],
                  ["301", "501", "工资福利支出", "100.00"],
                  ["30101", "50101", "基本工资", "100.00"],
                  ["30211/50201", "", "办公费", "5.00"],
                  ["30216 50203", "", "培训费", "3.00"]])
    assert [r.code for r in _grid_rows(grid)] == ["301", "30101", "30211", "30216"]


def test_a_composite_code_in_the_name_keys_the_row_by_the_first():
    grid = _grid([["科目名称", "合计"],
                  ["301/501 工资福利支出", "100.00"],
                  ["30101／50101 基本工资", "100.00"]])
    rows = _grid_rows(grid)
    assert [(r.code, r.label) for r in rows] == [("301", "工资福利支出"), ("30101", "基本工资")]
