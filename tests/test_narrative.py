"""Narrative text: lines joined, white space removed, and where a sentence ends."""

from __future__ import annotations

from auditor.narrative import build_narrative, row_line

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
