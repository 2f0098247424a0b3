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
LAST_YEAR_COST = ("上年完成值 of a cost indicator: last year's spending, checkable only against "
                  "last year's final accounts")
NOT_CHECKABLE = {
    (23, "317.75", "平方米，价值"): ASSET,
    (23, "75.80", "办公家具价值"): ASSET,
    (23, "1,825.20", "其他资产价值"): ASSET,
    (24, "74", "74.6万元历史标准"): LAST_YEAR_COST,
    (24, "50", "67.48万元历史标准"): LAST_YEAR_COST,
    (25, "979", "886万元计划标准"): LAST_YEAR_COST,
    (25, "124.89", "113万元计划标准"): LAST_YEAR_COST,
}
# What the figures that were once on this list are checked by now:
#   the asset size classes 50/100 (twice each): the purchase sentence against the
#     holdings sentence, and both against the template's classes (xj.n13.*size-classes);
#   rate targets and rate 上年完成值 (出勤率, 按时/按期完成率, 合格率, 故障率, 满意度):
#     a rate of a count is at most 100% (xj.perf.rate-*);
#   审计按期完成率 ≥90%: the 总体目标's 各项工作按时完成率 90% (xsic.perf.goal-audit-on-time).


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
    assert checked == 146
    assert checked / len(figures) >= 0.95


def _restated(document, old: str, new: str):
    """``document`` with one passage of its text changed (tables untouched)."""
    from dataclasses import replace

    from auditor.narrative import build_narrative

    n = document.narrative
    assert n.text.count(old) == 1, old
    at, shift = n.text.index(old), len(new) - len(old)
    text = n.text.replace(old, new)

    def moved(o: int) -> int:
        return o if o <= at else o + shift

    starts = [(moved(o), p) for o, p in n.page_starts]
    pages = [(p, text[o: (starts[i + 1][0] if i + 1 < len(starts) else len(text))])
             for i, (o, p) in enumerate(starts)]
    rebuilt = build_narrative(pages)
    breaks = tuple(moved(b) for b in n.breaks)  # the original sentences, shifted
    rebuilt = replace(rebuilt, breaks=breaks, figures=tuple(
        replace(f, sentence=replace(rebuilt, breaks=breaks).sentence_at(f.span[0])) for f in rebuilt.figures))
    return replace(document, narrative=rebuilt)


@pytest.mark.parametrize("old, new, rule, severity, page, expected, actual, message", [
    # a rate's 上年完成值 above 100%
    ("验收合格率=100%历史标准100%", "验收合格率=100%历史标准110%",
     "xj.perf.rate-last-year", "error", 25, "100", "110",
     "text p.25: stated 110%, above the limit; the limit is 100%"),
    # a rate target above 100%
    ("培训出勤率≥90%", "培训出勤率≥190%", "xj.perf.rate-target", "error", 24, "100", "190",
     "text p.24: stated 190%, above the limit; the limit is 100%"),
    # the planned purchases counted in another size class than the holdings
    ("安排购置单价50万元以上", "安排购置单价60万元以上", "xj.n13.size-classes", "error", 24, "50.00", "60.00",
     "text p.24: stated 60, text p.24 is 50"),
    # 审计按期完成率 below the 总体目标's 各项工作按时完成率
    ("审计按期完成率≥90%", "审计按期完成率≥80%", "xsic.perf.goal-audit-on-time", "error", 24, "90.00", "80.00",
     "text p.24: stated 80%, text p.24 is 90%"),
])
def test_a_changed_figure_is_an_error_at_it(audited, old, new, rule, severity, page, expected, actual, message):
    from decimal import Decimal

    from auditor.engine import audit

    result = audit(_restated(audited.document, old, new), load_packs(ROOT / "rules"))
    found = [f for f in result.findings if f.severity != "note"]
    assert [(f.rule, f.severity) for f in found] == [(rule, severity)]
    f = found[0]
    assert (f.page, f.expected, f.actual) == (page, Decimal(expected), Decimal(actual))
    assert f.cells[0].role == "actual" and f.cells[0].figure.value == Decimal(actual)
    assert f.message == message
    assert new in f.context  # the row or sentence the figure stands in


def test_size_classes_other_than_the_templates_are_a_warning(audited):
    from decimal import Decimal

    from auditor.engine import audit

    doc = _restated(audited.document, "单位价值单价50万元以上大型设备4台", "单位价值单价30万元以上大型设备4台")
    doc = _restated(doc, "安排购置单价50万元以上", "安排购置单价30万元以上")
    result = audit(doc, load_packs(ROOT / "rules"))
    found = [(f.rule, f.severity, f.expected, f.actual) for f in result.findings if f.severity != "note"]
    assert found == [("xj.n13.template-size-classes", "warning", Decimal("50"), Decimal("30.00"))]
    [f] = [f for f in result.findings if f.severity == "warning"]
    assert f.message == "text p.24: stated 30, the value the rule declares is 50"
    assert f.context == "单位价值单价30万元以上大型设备4台，单位价值单价100万元以上大型设备1台。"
