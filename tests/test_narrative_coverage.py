"""Every amount and percentage of the sample's 第三部分 (performance tables included)
is either judged by a declared rule or listed here as not checkable, with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.packs import load_packs
from auditor.runner import audit_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"

# (page, figure as printed, the text just before it) → why no rule can check it.
ASSET = "an asset value: the disclosure states no total or table it restates"
THRESHOLD = "a size class of the asset definition (单价50/100万元以上), not a budget figure"
TARGET = "an indicator target with no counterpart elsewhere in the document"
LAST_YEAR = "上年完成值: last year's outcome, checkable only against last year's final accounts"
NOT_CHECKABLE = {
    (23, "317.75", "平方米，价值"): ASSET,
    (23, "75.80", "办公家具价值"): ASSET,
    (23, "1,825.20", "其他资产价值"): ASSET,
    (24, "50", "单位价值单价"): THRESHOLD,
    (24, "100", "单位价值单价"): THRESHOLD,
    (24, "50", "安排购置单价"): THRESHOLD,
    (24, "100", "单位单价"): THRESHOLD,
    (24, "90%", "培训出勤率≥"): TARGET,
    (24, "90%", "培训出勤率≥90%历史标准"): LAST_YEAR,
    (24, "90%", "培训按时完成率≥90%历史标准"): LAST_YEAR,
    (24, "90%", "审计按期完成率≥"): TARGET,
    (24, "90%", "审计按期完成率≥90%历史标准"): LAST_YEAR,
    (24, "74", "74.6万元历史标准"): LAST_YEAR,
    (24, "50", "67.48万元历史标准"): LAST_YEAR,
    (24, "90%", "参加培训人员满意度>="): TARGET,
    (25, "100%", "验收合格率="): TARGET,
    (25, "100%", "验收合格率=100%历史标准"): LAST_YEAR,
    (25, "2%", "系统故障率<=2%历史标准"): LAST_YEAR,
    (25, "979", "886万元计划标准"): LAST_YEAR,
    (25, "124.89", "113万元计划标准"): LAST_YEAR,
}


@pytest.fixture(scope="module")
def audited():
    return audit_path(str(SAMPLE), load_packs(ROOT / "rules"))


def part_three(audited):
    n = audited.document.narrative
    heading = "第三部分2026年单位预算情况说明"
    start = n.text.find(heading, n.text.find(heading) + 1)  # the part itself, not the 目录 line
    end = n.text.find("第四部分名词解释", start)
    assert 0 < start < end
    return n, [f for f in n.figures if start <= f.span[0] < end]


def listed(narrative, figure) -> str | None:
    before = narrative.text[: figure.span[0]]
    for (page, text, prefix), reason in NOT_CHECKABLE.items():
        if page == figure.page and text == figure.text and before.endswith(prefix):
            return reason
    return None


def test_every_figure_is_checked_or_listed_with_a_reason(audited):
    narrative, figures = part_three(audited)
    assert len(figures) == 153
    unaccounted = [
        (f.page, f.text, narrative.text[max(0, f.span[0] - 20): f.span[1]])
        for f in figures
        if f.span not in audited.narrative_checked and listed(narrative, f) is None
    ]
    assert unaccounted == []


def test_the_not_checkable_list_is_exact(audited):
    """A listed figure that a rule now checks must leave the list."""
    narrative, figures = part_three(audited)
    listed_figures = [f for f in figures if listed(narrative, f)]
    assert len(listed_figures) == len(NOT_CHECKABLE)
    assert all(f.span not in audited.narrative_checked for f in listed_figures)


def test_coverage(audited):
    narrative, figures = part_three(audited)
    checked = sum(1 for f in figures if f.span in audited.narrative_checked)
    assert checked == len(figures) - len(NOT_CHECKABLE)
    # every figure that has a counterpart in the document is checked
    assert checked / len(figures) >= 0.86
