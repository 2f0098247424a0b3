"""The checklist's findings (issue 14): where they point and how they read in zh and en."""

from __future__ import annotations

import pytest

from auditor import codebook
from auditor.engine import run
from auditor.errors import PackError
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


def test_a_text_finding_is_the_words_as_printed_with_no_amount():
    doc = Document.from_dict({"year": 2026, "narrative": "（三）住房公积金208.8万元，2026年预算安排201.50万元。"})
    (f,), _ = run(doc, load_pack_text("pack: t\nrules:\n  - {id: t.a, kind: amount-twice}\n").rules)
    assert f.to_dict()["kind"] == "amount-twice"
    assert [c.to_dict() for c in f.cells] == [
        {"role": "actual", "table": None, "row": None, "column": None, "page": 1, "text": "201.50", "value": "0"},
        {"role": "operand", "table": None, "row": None, "column": None, "page": 1, "text": "208.8", "value": "0"}]
    stated, first = (c.figure for c in f.cells)
    assert (stated.unit, stated.decimals, first.unit, first.decimals) == ("text", 0, "text", 0)
    assert doc.narrative.text[slice(*stated.span)] == "201.50"
    assert doc.narrative.text[slice(*first.span)] == "208.8"
    assert f.message_key == "finding.amount_twice"
    assert f.message_args == {"item": "住房公积金", "first": "208.8", "second": "201.50"}


def _load_error(rule: str) -> str:
    with pytest.raises(PackError) as info:
        load_pack_text(f"pack: t\nrules:\n  - {rule}\n", "<p>")
    return str(info.value)


def test_a_kind_s_regular_expressions_are_checked_where_they_are_written():
    assert _load_error("{id: t.s, kind: sentence-slots, patterns: {ok: 原因, x: 'a('}}") == (
        "<p>:3:59: bad regular expression: missing ), unterminated subpattern at position 1")
    assert _load_error("{id: t.i, kind: consistent-identity, headings: 'a('}") == (
        "<p>:3:52: bad regular expression: missing ), unterminated subpattern at position 1")


def test_a_comparison_word_is_a_capture_or_a_comparison_word():
    assert _load_error("{id: t.c, kind: comparison, actual: '1', budget: '2', word: 翻倍}") == (
        "<p>:3:65: '翻倍' is neither a capture ($name) nor a comparison word")
    load_pack_text("pack: t\nrules:\n  - {id: t.c, kind: comparison, actual: '1', budget: '2', word: 大于}\n")


def test_a_code_row_finding_points_at_the_row_s_first_figure():
    doc = Document.from_dict({"year": 2026, "tables": [
        {"id": "表5", "columns": ["合计", "基本支出"], "rows": [["210", "医疗卫生与计划生育支出", "10.00", "4.00"]]}]})
    (f,), _ = run(doc, load_pack_text("pack: t\nrules:\n  - {id: t.c, kind: code-names}\n").rules)
    assert f.to_dict()["kind"] == "code-names"
    assert [c.to_dict() for c in f.cells] == [
        {"role": "actual", "table": "表5", "row": "210", "column": "合计", "page": 1, "text": "10.00",
         "value": "10.00"}]
    assert f.message_key == "finding.code.renamed"
