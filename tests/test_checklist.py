"""The checklist's findings (issue 14): where they point and how they read in zh and en."""

from __future__ import annotations

from auditor import codebook
from auditor.engine import run
from auditor.messages import finding_message
from auditor.model import Document
from auditor.packs import load_pack_text

DOC = Document.from_dict({
    "year": 2026,
    "title": "2026年某某区财政局单位预算",
    "narrative": "一、收支预算总体情况\n2026年收支总预算100.00万元，比2026年预算增加10.00万元，主要原因是。\n",
})
PACK = """
pack: t
rules:
  - {id: t.y, kind: year-labels, severity: warning}
  - {id: t.s, kind: sentence-slots, severity: warning}
"""


def test_a_text_finding_points_at_the_characters_with_page_and_sentence():
    found, _ = run(DOC, load_pack_text(PACK).rules)
    by_rule = {f.rule: f for f in found}
    f = by_rule["t.y"]
    (cell,) = f.cells
    assert (cell.role, cell.figure.page, cell.figure.text, cell.figure.table) == ("actual", 1, "2026年", None)
    start, end = cell.figure.span
    assert DOC.narrative.text[start:end] == "2026年" and DOC.narrative.text[end:end + 2] == "预算"
    assert f.context.endswith("2026年收支总预算100.00万元，比2026年预算增加10.00万元，主要原因是。")
    assert f.message == ("the year of a comparison does not fit a 2026 预算: “比2026年预算” (the base is 2025)")
    assert finding_message(f, "zh") == "比较基期年度有误：2026年预算写作“比2026年预算”（应为 2025 年）"
    g = by_rule["t.s"]
    assert g.cells[0].figure.text == "原因是"
    assert finding_message(g, "zh") == "原因或用途未填写：“原因是”后没有内容"


def test_the_code_book_renames_and_names():
    book = codebook.load()
    assert book.current("210", 2018) == ["医疗卫生与计划生育支出"]
    assert book.current("210", 2019) == ["卫生健康支出"]
    assert [n.name for n in book.former("210", 2026)] == ["医疗卫生与计划生育支出"]
    assert book.current("20805", 2020) == []  # between the corpora's two names: not judged
    assert book.codes_named("住房公积金", 2026) == ["2210201", "30113"]
    assert codebook.same_name("一般行政管理事务", "一般行政管理事务")
    assert codebook.same_name("其他社会保障和就", "其他社会保障和就业支出")  # cut short by its cell
    assert codebook.same_name("一般行政事务管理", "一般行政管理事务")  # order
    assert not codebook.same_name("行政单位医疗", "事业单位医疗")
    assert codebook.same_name("维修(护)费", "维修（护）费")
    assert codebook.near_codes("2210210", ["2210201", "2210202", "2210203"]) == ["2210201"]
