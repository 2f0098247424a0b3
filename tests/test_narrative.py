"""Narrative text: lines joined, white space removed, and where a sentence ends."""

from __future__ import annotations

from decimal import Decimal

import pytest

from auditor.narrative import _width, build_narrative, figure_from_span, row_line

# Page 24 of the reference disclosure as its text layer gives it (abridged).
PAGE = """\
(四) 预算绩效情况
当年预算安排项目共 2 个，其中：财政拨款项目涉及预算金额 1,320.40 万元；
非财政拨款项目涉及预算金额 0.00 万元。具体情况见下表：
项目总体目标
2026 年通过开展培训 2 次、培训人次 250 人、实地核查 1 次等工作，确保各项工作按时完成率达到 90%。
一级指标 二级指标 三级指标 指标值
质量指标 培训出勤率 ≥90% 历史标准 90% 3 按照完成比例赋分 工作资料
时效指标
培训按时完成率 ≥90% 历史标准 90% 3 按照完成比例赋分 工作资料
社保基金风控专项工
作经费 <=67.48 万元 历史标准 50 万元 4 按照完成比例赋分 原始凭证
"""


def sentences(text: str) -> list[tuple[str, str]]:
    """(the figure with the 5 characters before it, its sentence), in order."""
    n = build_narrative([(24, text)])
    return [(n.text[f.span[0] - 5:f.span[1]], f.sentence) for f in n.figures]


def test_a_table_row_is_its_own_sentence():
    rows = [s for s in sentences(PAGE) if "历史标准" in s[1]]
    assert rows == [
        ("训出勤率≥90", "质量指标培训出勤率≥90%历史标准90%3按照完成比例赋分工作资料"),
        ("%历史标准90", "质量指标培训出勤率≥90%历史标准90%3按照完成比例赋分工作资料"),
        # a cell alone on its line (时效指标) joins the row after it
        ("时完成率≥90", "时效指标培训按时完成率≥90%历史标准90%3按照完成比例赋分工作资料"),
        ("%历史标准90", "时效指标培训按时完成率≥90%历史标准90%3按照完成比例赋分工作资料"),
        # a first cell that wraps keeps its first line
        ("作经费<=67.48", "社保基金风控专项工作经费<=67.48万元历史标准50万元4按照完成比例赋分原始凭证"),
        ("元历史标准50", "社保基金风控专项工作经费<=67.48万元历史标准50万元4按照完成比例赋分原始凭证"),
    ]


def test_prose_sentences_are_untouched_by_row_breaks():
    prose = [s for s in sentences(PAGE) if "历史标准" not in s[1]]
    assert prose == [
        ("及预算金额1,320.40", "当年预算安排项目共2个，其中：财政拨款项目涉及预算金额1,320.40万元；"),
        ("及预算金额0.00", "非财政拨款项目涉及预算金额0.00万元。"),
        ("完成率达到90",
         "具体情况见下表：项目总体目标2026年通过开展培训2次、培训人次250人、实地核查1次等工作，确保各项工作按时完成率达到90%。"),
    ]


def test_row_line():
    assert row_line("质量指标 培训出勤率 ≥90% 历史标准 90% 3 按照完成比例赋分 工作资料")
    assert row_line("预算单位 新疆维吾尔自治区社会保险中心")
    # prose: spaces only around numbers, or punctuation
    assert not row_line("2026 年通过开展培训 2 次、培训人次 250 人")
    assert not row_line("一般公共预算 3,599.74 万元，占 100.00%")
    assert not row_line("项目支出绩效目标表")
    assert not row_line("单位价值单价 100 万元以上大型设备")


def test_a_numbered_paragraph_that_wraps_is_not_a_heading():
    # js-party-office-2017 p.8 and js-high-court-2017 p.22 as their text layers give them:
    # the first line of each item is full (in printed width) or has prose punctuation
    page = (
        "其中： \n（一）一般公共服务（类） \n"
        "1．党委办公厅（室）及相关机构事务（款）行政运行\n"
        "（项）支出 6106.99 万元，与上年相比增加 101.48 万元，\n增长 1.66%。主要原因是政策性调资。 \n"
        "2．住房改革支出（款）提租补贴（项）支出 1959.99 万元，与\n"
        "上年相比增加 865.57 万元，增长 79.05%。主要原因是调整了住房补\n贴标准增加的支出。\n"
        "省委办公厅 2017 年财政拨款预算支出 20702.25 万元，\n"
    )
    s = {f.text: f.sentence for f in build_narrative([(8, page)]).figures}
    assert s["101.48"] == s["1.66%"] == (
        "1.党委办公厅（室）及相关机构事务（款）行政运行（项）支出6106.99万元，与上年相比增加101.48万元，增长1.66%。")
    assert s["865.57"] == "2.住房改革支出（款）提租补贴（项）支出1959.99万元，与上年相比增加865.57万元，增长79.05%。"


def test_a_line_that_starts_with_a_decimal_is_not_a_numbered_heading():
    # js-procuratorate-2017 p.22: the rate wraps to the head of a line
    page = ("2017 年本部门一般公共预算机关运行经费预算支出\n"
            "6032.55 万元，比 2016 年增加 3401.59 万元，增长\n"
            "129.97 %。主要原因是两个年度报表设计的统计口径形成的\n")
    s = {f.text: f.sentence for f in build_narrative([(22, page)]).figures}
    assert s["129.97%"] == s["3401.59"] == (
        "2017年本部门一般公共预算机关运行经费预算支出6032.55万元，比2016年增加3401.59万元，增长129.97%。")


def test_a_subject_path_wrapped_after_its_level_marker_goes_on_with_its_amount():
    # a numbered 项 line that ends with its marker goes on with 支出… on the next line; a heading
    # that only happens to be followed by a line starting with 支出, or whose marker does not
    # end the line, ends there
    page = ("1．一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）\n"
            "支出 9370.12 万元，比上年增加 1.00 万元。\n"
            "（二）部门支出情况\n"
            "支出总计 100.00 万元。\n"
            "3．其他支出（款）等\n"
            "支出 50.00 万元。\n")
    s = {f.text: f.sentence for f in build_narrative([(5, page)]).figures}
    assert s["9370.12"] == s["1.00"] == (
        "1.一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）支出9370.12万元，比上年增加1.00万元。")
    assert s["100.00"] == "支出总计100.00万元。"
    assert s["50.00"] == "支出50.00万元。"


def test_running_heads_and_feet_are_not_prose():
    """A line at the top or bottom of three pages (and a third of them) is a running head
    or foot: left out, a list of shares going on over the page stays one sentence."""
    head = "无锡市交通运输局（本级）2026年度单位预算公开"
    pages = [
        (31, f"{head}\n一、收支预算总体情况说明\n收入预算合计984,760.87万元。\n第一部分"),
        (32, f"{head}\n其中：本年一般公共预算收入196,278.67万元，占19.93%；本年政府性基金预算收入\n"),
        (33, f"{head}\n143,999万元，占14.62%；本年其他收入611,843.2万元，占62.13%。\n"),
    ]
    n = build_narrative(pages)
    assert head not in n.text
    assert "本年政府性基金预算收入143,999万元，占14.62%" in n.text
    # a line printed on two pages only is prose, not a running line
    two = build_narrative(pages[:2])
    assert two.text.count(head) == 2
    # a heading on one page's top is kept; so is the body between the running lines
    assert n.text.startswith("一、收支预算总体情况说明")
    figs = {f.text: f.page for f in n.figures}
    assert figs["143,999"] == 33 and figs["19.93%"] == 32

# A full line of prose (78 half-width cells): the measure the lines of a page are compared with.
FULL = "本年度部门收入预算合计一千万元整，全部为一般公共预算财政拨款收入，比上年增加。"
FILLER = "关于本部门二〇二六年部门预算收入支出总体情况和主要职能机构设置情况的说明"


def pieces(page: str) -> list[str]:
    """The page's text cut where a heading or the paragraph after it begins."""
    n = build_narrative([(3, page)])
    cuts = [*n.breaks, len(n.text)]
    return [n.text[a:b] for a, b in zip(cuts, cuts[1:])]


def test_width_counts_chinese_and_full_width_forms_twice():
    assert _width("") == 0
    assert _width("ab12") == 4
    assert _width("中文a") == 5
    assert _width("（一）1.") == 8
    assert _width(FULL) == 78


def test_a_short_heading_ends_where_its_line_ends():
    assert pieces(f"（一）收入预算情况\n{FULL}\n") == ["（一）收入预算情况", FULL]
    # the last line of a page may be a heading: nothing follows it
    assert pieces(f"{FULL}\n（二）支出预算情况\n") == ["（二）支出预算情况"]
    assert build_narrative([(3, f"{FULL}\n（二）支出预算情况\n")]).breaks == (39,)


def test_a_heading_that_fills_its_line_goes_on_to_the_next():
    heading = "（一）" + FILLER[:36]  # 78 cells: as wide as the page's prose
    assert pieces(f"{heading}\n的说明\n{FULL}\n") == [f"{heading}的说明", FULL]
    # a full heading followed by a short line of prose (it ends with 。) is prose that wraps
    assert pieces(f"{heading}\n收入合计100.00万元。\n{FULL}\n") == [f"{heading}收入合计100.00万元。{FULL}"]


def test_a_short_heading_with_a_few_characters_wrapped_keeps_them():
    # up to 6 characters on the next line, without punctuation, end the heading
    assert pieces(f"（一）收入预算\n情况说明\n{FULL}\n") == ["（一）收入预算情况说明", FULL]
    assert pieces(f"（一）收入预算\n总体情况说明\n{FULL}\n") == ["（一）收入预算总体情况说明", FULL]
    # 7 are a paragraph of their own: the heading ends with its line
    assert pieces(f"（一）收入预算\n总体情况的说明\n{FULL}\n") == ["（一）收入预算", f"总体情况的说明{FULL}"]


def test_a_heading_is_short_when_4_cells_narrower_than_the_page():
    h74 = "（一）" + FILLER[:34]  # 74 cells: full - 4, a full line still
    h73 = "（一）" + FILLER[:33] + "1"  # 73 cells: short
    assert _width(h74) == 74 and _width(h73) == 73
    tail = "总体情况的说明"
    assert pieces(f"{h74}\n{tail}\n{FULL}\n") == [f"{h74}{tail}", FULL]
    assert pieces(f"{h73}\n{tail}\n{FULL}\n") == [h73, f"{tail}{FULL}"]


def test_a_numbered_subject_path_ending_with_its_level_goes_on_in_a_short_line():
    # the page's longest line is prose: the 项 line is short, yet 支出… goes on with it
    page = ("1．一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）\n"
            "支出 9370.12 万元，比上年增加 1.00 万元。\n"
            f"{FULL}\n")
    assert pieces(page) == [
        "1.一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）支出9370.12万元，比上年增加1.00万元。"
        + FULL]


def test_pages_are_joined_with_their_offsets():
    n = build_narrative([(5, "收入合计 1.5 亿元。\n"), (6, ""), (7, "其中 2,000 万元。\n"),
                         (8, "（三）支出\n另 300 元，占 12.5 %。\n")])
    assert n.text == "收入合计1.5亿元。其中2,000万元。（三）支出另300元，占12.5%。"
    assert n.page_starts == ((0, 5), (10, 6), (10, 7), (20, 8))
    assert n.breaks == (20, 25)
    assert [(f.text, f.value, f.decimals, f.unit, f.page, f.span, f.sentence) for f in n.figures] == [
        ("1.5", Decimal("1.5"), 1, "亿元", 5, (4, 7), "收入合计1.5亿元。"),
        ("2,000", Decimal("2000"), 0, "万元", 7, (12, 17), "其中2,000万元。"),
        ("300", Decimal("300"), 0, "元", 8, (26, 29), "另300元，占12.5%。"),
        ("12.5%", Decimal("12.5"), 1, "%", 8, (32, 36), "另300元，占12.5%。"),
    ]


def test_figure_from_span_reads_the_unit_after_the_number():
    n = build_narrative([(2, "合计1.5亿元，其中2,000万元，另300元，占12.5%，共3项。")])
    def unit(text: str) -> str | None:
        start = n.text.index(text)
        return figure_from_span(n, start, start + len(text)).unit
    assert [unit("1.5"), unit("2,000"), unit("300"), unit("12.5"), unit("3")] == ["亿元", "万元", "元", "%", None]
    f = figure_from_span(n, n.text.index("12.5"), n.text.index("12.5") + 4)
    assert (f.text, f.page, f.sentence) == ("12.5%", 2, n.text)
    # a unit given is taken as given
    assert figure_from_span(n, 2, 5, unit="万元").unit == "万元"
    # a dash is no figure in prose (a table's blank cell is zero; a sentence's is nothing)
    dash = build_narrative([(2, "支出—万元。")])
    with pytest.raises(ValueError, match="not a number: '—'"):
        figure_from_span(dash, 2, 3)


def test_running_feet_and_two_running_heads_are_left_out_where_they_are_printed():
    """Two running heads at a page's top, a running foot at its bottom: all left out; the
    raw line may be spaced (the cleaned one is compared); a line repeated in the middle of
    pages is prose, even where it also opens a page; a line on 3 of 10 pages is no
    running line (a third of them is needed)."""
    head1, head2, foot = "某市财政局 2026年度部门预算", "第三部分 情况说明", "内部资料 注意保存"
    body = "收入预算合计100.00万元。"
    pages = [(i, f"{head1}\n{head2}\n{body}\n说明{i}甲乙丙。\n{foot}") for i in range(1, 4)]
    n = build_narrative(pages)
    assert n.text == "".join(f"{body}说明{i}甲乙丙。" for i in range(1, 4))
    # a prose line printed in the middle of three pages and at the top of a fourth stays
    mid = "其中：基本支出60.00万元。"
    pages2 = [(i, f"甲{i}首。\n甲{i}次。\n{mid}\n乙{i}次。\n乙{i}末。") for i in range(1, 4)] + [(4, f"{mid}\n丁页。")]
    assert build_narrative(pages2).text.count(mid) == 4
    # ten pages, a line at the top of three: under a third, prose
    pages3 = [(i, ("页眉行。\n" if i <= 3 else "") + f"第{i}页正文。") for i in range(1, 11)]
    assert build_narrative(pages3).text.count("页眉行。") == 3
