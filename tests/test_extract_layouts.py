"""Layouts real offices print (issue #11): 栏次 rows, tables continued over pages
(title repeated, header repeated, nothing repeated), another form after a table,
markers in cells, long text in form cells.  Small synthetic PDFs drawn with
reportlab; the corpus cases at the end skip when the corpus is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("reportlab")

from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from auditor.extract import load_document  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CITIES = ROOT.parent / "shared" / "corpus" / "cities"

try:
    import sys

    sys.path.insert(0, str(ROOT))
    from samples import generate as gen

    gen.register_font()
    FONT = gen.FONT
except SystemExit:  # pragma: no cover - the CJK font is missing
    FONT = None

needs_font = pytest.mark.skipif(FONT is None, reason="CJK font absent")
W, H = landscape(A4)


def title(c: Canvas, y: float, mark: str | None, name: str, unit: str = "万元") -> float:
    """表N / name / 单位 line, from ``y`` down; returns the y under them."""
    if mark:
        c.setFont(FONT, 11)
        c.drawString(40, y, mark)
        y -= 22
    c.setFont(FONT, 15)
    c.drawCentredString(W / 2, y, name)
    y -= 20
    c.setFont(FONT, 9)
    c.drawString(40, y, "部门名称：测试局")
    c.drawRightString(W - 40, y, f"单位：{unit}")
    return y - 8


def grid(c: Canvas, top: float, widths: list[float], rows: list[list[str]], h: float = 18,
         x0: float = 40, caption: bool = False) -> float:
    """A fully ruled grid, one cell per entry (text left in the first column, right
    in the others); returns its bottom.  ``caption``: the first row is one cell
    over the whole width (a unit line boxed with the table)."""
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    bottom = top - h * len(rows)
    c.setLineWidth(0.6)
    for i in range(len(rows) + 1):
        c.line(xs[0], top - i * h, xs[-1], top - i * h)
    for k, x in enumerate(xs):
        inner = 0 < k < len(xs) - 1
        c.line(x, top - (h if caption and inner else 0), x, bottom)
    c.setFont(FONT, 8)
    for r, row in enumerate(rows):
        y = top - (r + 1) * h + 6
        for k, text in enumerate(row):
            if not text:
                continue
            if k == 0 or not any(ch.isdigit() for ch in text):
                c.drawString(xs[k] + 3, y, text)
            else:
                c.drawRightString(xs[k + 1] - 3, y, text)
    return bottom


HEAD = ["科目名称", "合计", "基本支出", "项目支出"]
WIDTHS = [220, 110, 110, 110]


def _rows(codes: list[tuple[str, str, str, str]]) -> list[list[str]]:
    return [[f"{code} {name}" if code else name, a, b, str(f"{float(a.replace(',', '')) - float(b.replace(',', '')):,.2f}")]
            for code, name, a, b in codes]


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    """Six pages:

    1. 表1 with a 栏次 row (栏次 | 1 | 2 | 3) under its header;
    2. 表2 with Hangzhou's ``** | 1 | 2 | 3`` row and a ``**`` cell among the figures;
    3. 表3, its rows running on to …
    4. … 表3 printed again (title, unit line, header) with the rest of its rows;
    5. a page with no title: the same header and the last rows of 表3;
    6. a page with no title but another header (a 绩效目标 form): not 表3.
    """
    path = tmp_path_factory.mktemp("layouts") / "layouts.pdf"
    c = Canvas(str(path), pagesize=(W, H))

    y = title(c, H - 50, "表1", "一般公共预算支出表")
    grid(c, y, WIDTHS, [HEAD, ["栏次", "1", "2", "3"],
                        ["合计", "30.00", "10.00", "20.00"],
                        ["201 一般公共服务支出", "30.00", "10.00", "20.00"]])
    c.showPage()

    y = title(c, H - 50, "表2", "政府性基金预算支出表")
    grid(c, y, WIDTHS, [HEAD, ["**", "1", "2", "3"],
                        ["合计", "5.00", "**", "5.00"],
                        ["212 城乡社区支出", "5.00", "**", "5.00"]])
    c.showPage()

    rows3 = [("", "合计", "300.00", "100.00"), ("201", "一般公共服务支出", "120.00", "40.00"),
             ("20101", "人大事务", "120.00", "40.00"), ("2010101", "行政运行", "70.00", "40.00"),
             ("2010102", "一般行政管理事务", "50.00", "0.00")]
    rows3b = [("208", "社会保障和就业支出", "100.00", "40.00"), ("20805", "行政事业单位养老支出", "100.00", "40.00"),
              ("2080501", "行政单位离退休", "60.00", "40.00"), ("2080505", "机关事业单位基本养老保险缴费支出", "40.00", "0.00")]
    rows3c = [("210", "卫生健康支出", "80.00", "20.00"), ("21011", "行政事业单位医疗", "80.00", "20.00"),
              ("2101101", "行政单位医疗", "80.00", "20.00")]
    y = title(c, H - 50, "表3", "支出总表")
    grid(c, y, WIDTHS, [HEAD] + _rows(rows3))
    c.showPage()
    y = title(c, H - 50, "表3", "支出总表")
    grid(c, y, WIDTHS, [HEAD] + _rows(rows3b))
    c.showPage()
    grid(c, H - 60, WIDTHS, [HEAD] + _rows(rows3c))
    c.showPage()

    long = ("1.1－产出指标，11－数量指标，培训人次；实施周期指标值：≥300人次，年度指标值：≥300人次；"
            "2、2－效益指标，22－社会效益，满意度；年度指标值：≥90%")
    grid(c, H - 60, [200, 90, 90, 330],
         [["项目名称", "总计", "财政拨款", "绩效指标"],
          ["业务培训经费", "12.00", "12.00", long[:40]],
          ["系统运维经费", "8.00", "8.00", long[40:80]],
          ["信息化建设", "6.00", "6.00", "年度工作数据报表"]])
    c.showPage()
    c.save()
    return load_document(str(path))


def _table(doc, tid):
    return next(t for t in doc.tables if t.id == tid)


@needs_font
def test_a_lanci_row_belongs_to_the_header(doc):
    t = _table(doc, "表1")
    assert [r.key for r in t.rows] == ["合计", "201"]
    assert t.columns == ("合计", "基本支出", "项目支出")  # no "/1", "/2" in the paths
    assert all("1" not in "".join(h) for h in t.header)


@needs_font
def test_hangzhou_star_row_is_a_header_and_a_star_cell_is_a_marker(doc):
    t = _table(doc, "表2")
    assert [r.key for r in t.rows] == ["合计", "212"]
    f = t.rows[0].cells["基本支出"]
    assert f.blank and f.value == 0 and not t.rows[0].unread
    assert not [i for i in doc.issues if i.table == "表2"]


@needs_font
def test_a_table_continued_with_its_title_repeated_is_one_table(doc):
    ids = [t.id for t in doc.tables]
    assert "表3#2" not in ids
    t = _table(doc, "表3")
    assert t.pages == (3, 4, 5)
    assert [r.key for r in t.rows] == ["合计", "201", "20101", "2010101", "2010102", "208", "20805", "2080501",
                                       "2080505", "210", "21011", "2101101"]
    assert t.columns == ("合计", "基本支出", "项目支出")
    assert {r.page for r in t.rows if r.key.startswith("208")} == {4}


@needs_font
def test_a_page_beginning_another_form_does_not_continue_the_table(doc):
    t = _table(doc, "表3")
    assert 6 not in t.pages and not any("培训" in r.label for r in t.rows)
    form = next(t for t in doc.tables if 6 in t.pages)
    assert [r.label for r in form.rows] == ["业务培训经费", "系统运维经费", "信息化建设"]
    # a long text cell is a text, not an unreadable number; a cell's words ending in 表 no title
    assert not [i for i in doc.issues if i.code == "cell-unreadable"]
    assert len([t for t in doc.tables if 6 in t.pages]) == 1
    assert "绩效指标" not in form.columns


@pytest.fixture(scope="module")
def doc2(tmp_path_factory):
    """Four pages:

    1. 表4 whose grid boxes its unit line as a first row over the whole width;
    2. 续表 and the unit line over the same header and more rows of 表4;
    3. no title and no header: the last rows of 表4;
    4. two tables on one page, 表5 and 表6, each with its title.
    """
    path = tmp_path_factory.mktemp("layouts2") / "layouts2.pdf"
    c = Canvas(str(path), pagesize=(W, H))
    c.setFont(FONT, 11)
    c.drawString(40, H - 50, "表4")
    c.setFont(FONT, 15)
    c.drawCentredString(W / 2, H - 72, "项目支出表")
    grid(c, H - 90, WIDTHS, [["部门名称：测试局                单位：万元", "", "", ""], HEAD,
                             ["合计", "90.00", "30.00", "60.00"],
                             ["201 一般公共服务支出", "40.00", "10.00", "30.00"]], caption=True)
    c.showPage()
    c.setFont(FONT, 11)
    c.drawString(40, H - 50, "续表")
    c.setFont(FONT, 9)
    c.drawRightString(W - 40, H - 66, "单位：万元")
    grid(c, H - 80, WIDTHS, [HEAD, ["205 教育支出", "30.00", "10.00", "20.00"]])
    c.showPage()
    grid(c, H - 60, WIDTHS, [["206 科学技术支出", "20.00", "10.00", "10.00"]])
    c.showPage()
    y = title(c, H - 50, "表5", "政府性基金预算支出表")
    y = grid(c, y, WIDTHS, [HEAD, ["合计", "8.00", "0.00", "8.00"], ["212 城乡社区支出", "8.00", "0.00", "8.00"]])
    y = title(c, y - 40, "表6", "国有资本经营预算支出表")
    grid(c, y, WIDTHS, [HEAD, ["合计", "3.00", "1.00", "2.00"], ["223 国有资本经营预算支出", "3.00", "1.00", "2.00"]])
    c.showPage()
    c.save()
    return load_document(str(path))


@needs_font
def test_a_unit_line_boxed_in_the_grid_is_no_header_level(doc2):
    t = _table(doc2, "表4")
    assert t.columns == ("合计", "基本支出", "项目支出")
    assert t.unit == "万元"


@needs_font
def test_continued_under_xubiao_and_with_no_header_at_all(doc2):
    t = _table(doc2, "表4")
    assert t.pages == (1, 2, 3)
    assert [r.key for r in t.rows] == ["合计", "201", "205", "206"]
    assert t.rows[-1].cells["项目支出"].text == "10.00"


@needs_font
def test_two_tables_on_one_page(doc2):
    t5, t6 = _table(doc2, "表5"), _table(doc2, "表6")
    assert t5.pages == t6.pages == (4,)
    assert [r.key for r in t5.rows] == ["合计", "212"]
    assert [r.key for r in t6.rows] == ["合计", "223"]
    assert t6.rows[1].cells["基本支出"].text == "1.00"


@needs_font
def test_six_decimal_amounts_continue_over_an_untitled_page(tmp_path):
    # 万元 printed with six decimals, every amount under 1,000: the next page is still a table page
    path = tmp_path / "six.pdf"
    c = Canvas(str(path), pagesize=(W, H))
    y = title(c, H - 50, "表7", "一般公共预算支出表")
    grid(c, y, WIDTHS, [HEAD, ["合计", "0.750000", "0.250000", "0.500000"],
                        ["201 一般公共服务支出", "0.450000", "0.150000", "0.300000"]])
    c.showPage()
    grid(c, H - 60, WIDTHS, [HEAD, ["208 社会保障和就业支出", "0.300000", "0.100000", "0.200000"]])
    c.showPage()
    c.save()
    doc = load_document(str(path))
    t = _table(doc, "表7")
    assert t.pages == (1, 2)
    assert [r.key for r in t.rows] == ["合计", "201", "208"]
    f = t.rows[2].cells["合计"]
    assert (f.text, f.decimals, f.unit) == ("0.300000", 6, "万元")


@needs_font
def test_text_placed_off_the_page_is_not_narrative(tmp_path):
    path = tmp_path / "off.pdf"
    c = Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 12)
    c.drawString(50, 700, "一、部门支出预算总额为1,234.56万元。")
    c.drawString(50, -200, "支出预算总额为9,999.99万元。")  # below the page box: never printed
    c.drawString(50, 650, "二、其他说明。")
    c.showPage()
    c.save()
    text = load_document(str(path)).narrative.text
    assert "1,234.56" in text and "二、其他说明" in text
    assert "9,999.99" not in text


@needs_font
def test_a_words_column_blank_on_the_first_page_stays_words(tmp_path):
    # 表12 项目支出 with 绩效目标: blank for the projects of the first page, sentences after
    path = tmp_path / "goals.pdf"
    head = ["项目名称", "总计", "财政拨款", "绩效目标"]
    widths = [160, 90, 90, 360]
    c = Canvas(str(path), pagesize=(W, H))
    y = title(c, H - 50, "表12", "部门预算项目支出及其他支出预算表")
    grid(c, y, widths, [head, ["合计", "30.00", "30.00", ""], ["党建工作经费", "10.00", "10.00", ""]])
    c.showPage()
    grid(c, H - 60, widths, [head, ["口岸运营管理费", "20.00", "20.00", "保障口岸通关安全、顺畅，完成年度运营管理任务。"]])
    c.showPage()
    c.save()
    doc = load_document(str(path))
    t = _table(doc, "表12")
    assert t.pages == (1, 2) and t.columns == ("总计", "财政拨款")
    assert t.rows[-1].texts == {"绩效目标": "保障口岸通关安全、顺畅，完成年度运营管理任务。"}
    assert not [i for i in doc.issues if i.code == "cell-unreadable"]


@needs_font
def test_a_row_broken_by_the_page_is_one_row(tmp_path):
    # Hangzhou 公开02表: "杭州市机动 | 14,549.64 | 12,437.3" at a page's foot, "车驾驶员考试服务中心 | | 6"
    # heading the next: one row, its figure read whole (12,437.36), never as 6
    path = tmp_path / "split.pdf"
    c = Canvas(str(path), pagesize=(W, H))
    y = title(c, H - 50, "表2", "收入总表")
    head = ["单位名称", "总计", "一般公共预算", "事业收入"]
    grid(c, y, WIDTHS, [head, ["合计", "14,600.00", "50.36", "14,549.64"],
                        ["测试局", "50.36", "50.36", ""], ["测试局考试", "14,549.64", "2,112.28", "12,437.3"]])
    c.showPage()
    grid(c, H - 60, WIDTHS, [head, ["服务中心", "", "", "6"], ["其他单位", "0.00", "0.00", ""]])
    c.showPage()
    c.save()
    doc = load_document(str(path))
    t = _table(doc, "表2")
    assert [r.key for r in t.rows] == ["合计", "测试局", "测试局考试服务中心", "其他单位"]
    row = t.rows[2]
    assert row.cells["总计"].text == "14,549.64" and row.cells["事业收入"].text == "12,437.36"
    assert row.page == 1 and not row.unread
    assert not [i for i in doc.issues if i.table == "表2"]


def test_several_figures_in_one_cell_are_a_merged_cell():
    # Guangzhou 表9: a ruling lost between 小计 | 基本支出 | 项目支出 glues "0.00" three times;
    # such a page is read a second time (pdfplumber) like a figure merged with a label
    from auditor.extract.reading import merged_cells

    g = _grid([["科目名称", "小计其中：基本支出项目支出"], ["合计", "0.000.000.00"], ["201", "1,234.56"]])
    assert merged_cells(g) == [(1, 1)]
    assert merged_cells(_grid([["合计", "0.123456"], ["合计", "12.5"]])) == []


def test_a_code_in_brackets_before_the_name():
    from auditor.extract import headers as H

    assert H.CODE_IN_NAME.match("[2010301]行政运行").groups() == ("2010301", "行政运行")
    assert H.CODE_IN_NAME.match("　[201]一般公共服务支出").groups() == ("201", "一般公共服务支出")
    assert H.CODE_IN_NAME.match("2,010.00 一般") is None
    assert H.CODE_IN_NAME.match("2010301\n　　行政运行").groups() == ("2010301", "行政运行")
    # a number run into a project's name is part of the name: no code 12320
    assert H.CODE_IN_NAME.match("　　12320卫生热线服务项目") is None


def _grid(rows: list[list[str]], merged: tuple[tuple[tuple[int, int], ...], ...] = ()):
    """A grid of 10 pt squares, one region per cell but for the ``merged`` groups of
    (row, column) cells (a header spanning rows or columns)."""
    from auditor.extract.grid import GCell, Grid

    cells, regions = [], {}
    group = {rc: min(r * len(rows[0]) + c for r, c in g) for g in merged for rc in g}
    for r, row in enumerate(rows):
        out = []
        for c, text in enumerate(row):
            region = group.get((r, c), r * len(row) + c)
            if text:
                regions[region] = regions.get(region, "") + text
            y = 1000 - 10 * r
            out.append(GCell(text, (10.0 * c, y - 10.0, 10.0 * c + 10, float(y)), region))
        cells.append(out)
    return Grid(page=1, bbox=(0, 0, 10.0 * len(rows[0]), 1000), cells=cells, region_text=regions)


def test_a_blank_cell_printed_above_a_header_word_does_not_end_the_header():
    # Shenzhen 表5 项目支出总表: a blank cell over 总计, 2026年预算 over the sources; on its
    # last page only two data rows under three header rows
    from auditor.extract import headers as H

    g = _grid([["支出项目类别", "", "2026年预算", ""],
               ["", "总计", "财政拨款", "单位资金"],
               ["", "", "一般公共预算拨款", ""],
               ["区财政项目", "94.62", "0.00", "94.62"],
               ["社会保障项目", "287.53", "287.53", "0.00"]],
              merged=(((0, 0), (1, 0), (2, 0)), ((1, 1), (2, 1)), ((0, 2), (0, 3)), ((1, 3), (2, 3))))
    assert H.header_rows(g) == 3
    lay = H.analyse(g)
    assert [c.path for c in lay.columns if c.role == "num"] == ["总计", "2026年预算/财政拨款/一般公共预算拨款",
                                                              "2026年预算/单位资金"]


def test_index_rows():
    from auditor.extract import headers as H

    g = _grid([["项目", "合计", "基本支出", "项目支出"], ["栏次", "1", "2", "3"], ["**", "1", "2", "3"],
               ["", "1", "2", "3"], ["**", "**", "**", "**"], ["合计", "1", "2", "3"], ["人数", "3", "2", "1"]])
    assert [H.is_index_row(g, r) for r in range(g.nrows)] == [False, True, True, True, True, False, False]
    g = _grid([["功能分类科目名称", "项目支出"], ["**", "1"], ["合计", "1"]])
    assert [H.is_index_row(g, r) for r in range(g.nrows)] == [False, True, False]
    assert H.header_rows(g) == 2


def test_a_sentence_opening_with_a_number_is_words_not_a_figure_column():
    from auditor.extract import headers as H

    g = _grid([["项目名称", "总计", "绩效指标"],
               ["培训经费", "12.00", "1.1－产出指标，11－数量指标，培训人次"],
               ["运维经费", "8.00", "1.2－质量指标，故障响应率100%"],
               ["合计", "20.00", "0.000.000.00"]])
    roles = [c.role for c in H.analyse(g).columns]
    assert roles[:2] == ["label", "num"] and roles[2] == "text"


# ----------------------------------------------------------------------------- the cities corpus

def _city(name: str):
    p = CITIES / name
    if not p.exists():
        pytest.skip("cities corpus absent")
    return load_document(str(p))


@pytest.mark.slow
def test_shenzhen_tables_with_their_title_on_every_page():
    doc = _city("shenzhen-08cc7487b7.pdf")
    assert [t.id for t in doc.tables] == [f"表{n}" for n in range(1, 12)]
    t7 = _table(doc, "表7")
    assert t7.pages == (40, 41, 42)
    keys = {r.key for r in t7.rows}
    assert {"214", "21401", "2140101", "2140106"} <= keys


@pytest.mark.slow
def test_guangzhou_continuation_pages_the_vector_engine_misses():
    doc = _city("guangzhou-015554f21f.pdf")
    t = _table(doc, "表3")
    assert t.pages == (10, 11, 12)
    keys = [r.key for r in t.rows]
    assert keys[:2] == ["合计", "201"] and "2040701" in keys and keys[-1] == "2210203"


@pytest.mark.slow
def test_hangzhou_star_rows_are_header():
    doc = _city("hangzhou-e488d33151.pdf")
    for t in doc.tables:
        assert "**" not in [r.key for r in t.rows], t.id
