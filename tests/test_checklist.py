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


def _book(monkeypatch, names):
    book = codebook.CodeBook({code: tuple(codebook.Name(*n) if isinstance(n, tuple) else codebook.Name(n)
                                          for n in ns) for code, ns in names.items()})
    monkeypatch.setattr(codebook, "load", lambda: book)


def _code_findings(doc: dict) -> list[str]:
    found, outcomes = run(Document.from_dict(doc), load_pack_text(
        "pack: t\nrules:\n  - {id: t.c, kind: code-names}\n").rules)
    return [f.message for f in found] + [r for o in outcomes for r in o.skip_reasons]


def test_code_names_hold_for_any_code_book(monkeypatch):
    """The rule's logic is not tied to the shipped book: an economic code listed before the
    functional ones, a code with two names at once, a 项 renamed, a former name that is
    another subject's today, a former name that differs from today's by white space only,
    a 款's former name that a 类's former name begins."""
    _book(monkeypatch, {
        "30101": ["基本工资"],
        "21001": [("旧类名", None, 2018), ("新款名", 2019)],
        "201": ["一般公共服务支出"],
        "205": ["新名己", "新名庚"],
        "206": [("旧类名", None, 2018), ("新名甲", 2019), ("新名乙", 2019)],
        "207": [("旧名丙", None, 2016), ("旧名丁", 2017, 2018), ("新名丙", 2019)],
        "208": [("旧名丙", 2019, 2030)],
        "209": [("新名戊", None, 2017), ("旧名戊", 2018, 2018), ("新名 戊", 2019)],
        "2010101": [("旧项名", None, 2018), ("新项名", 2019)],
    })
    assert _code_findings({"year": 2026, "narrative": (
        "旧类名（款）。旧类名。旧名丙。旧名丁。新名戊。旧名戊。旧项名（项）。旧名丙（207）。一般公共服务支出（206）。")}) == [
        "p.1: “旧类名” is the name of subject 21001 until 2018; in 2026 it is “新款名”",
        "p.1: “旧类名” is the name of subject 206 until 2018; in 2026 it is “新名甲／新名乙”",
        "p.1: “旧名丁” is the name of subject 207 until 2018; in 2026 it is “新名丙”",
        "p.1: “旧名戊” is the name of subject 209 until 2018; in 2026 it is “新名 戊”",
        "p.1: “旧项名” is the name of subject 2010101 until 2018; in 2026 it is “新项名”",
        "p.1: code 206 and name “一般公共服务支出” disagree (the name is subject 201's; 206 is “新名甲／新名乙”)",
    ]
    assert _code_findings({"year": 2026, "tables": [{"id": "表5", "columns": ["合计"], "rows": [
        ["206", "旧类名", "1.00"], ["205", "一般公共服务支出", "1.00"]]}]}) == [
        "表5 205: code 205 and name “一般公共服务支出” disagree (the name is subject 201's; 205 is “新名己／新名庚”)",
        "表5 206: “旧类名” is the name of subject 206 until 2018; in 2026 it is “新名甲／新名乙”",
    ]
