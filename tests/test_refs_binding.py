"""How a reference binds to a value: a cell, a capture, a constant, an absent row.

The ``Value`` a relation judges carries its interval, its precision, the figure
it reads and the two names messages print (``label`` short, ``where`` long);
each is asserted whole here, with the reasons a reference cannot be bound.
Fast: documents built from data, no PDF.
"""

from __future__ import annotations

import re
from decimal import Decimal

from auditor.interval import Interval
from auditor.model import Document, Figure
from auditor.refs import Value, absent_value, figure_value, resolve, resolve_capture


def _doc(**extra) -> Document:
    return Document.from_dict({
        "tables": [{"id": "表5", "columns": ["合计"], "rows": [["208", "社会保障和就业支出", "3,245.06"],
                                                                ["总计", "", "3,599.74"]]}],
        "narrative": "100.00万元用于培训，其余—万元。",
        **extra,
    })


def test_a_table_figure_is_named_by_its_row_and_its_cell():
    f = Figure(text="3,245.06", value=Decimal("3245.06"), decimals=2, page=4, table="表5", row="208",
               column="合计", unit="万元")
    assert figure_value(f) == Value(Interval.rounded(Decimal("3245.06"), 2), 2, f, "208", "表5 208 合计", "万元")
    assert figure_value(f, "表5 208").label == "表5 208"
    # a row without a key is named by its table
    g = Figure(text="1", value=Decimal(1), decimals=0, page=4, table="表5")
    assert (figure_value(g).label, figure_value(g).where) == ("表5", "表5")


def test_a_figure_of_a_document_of_several_files_says_which_file():
    f = Figure(text="3,245.06", value=Decimal("3245.06"), decimals=2, page=4, table="表5", row="208",
               column="合计", unit="万元", source="budgets/2026/part2.pdf")
    assert figure_value(f).where == "part2.pdf: 表5 208 合计"
    g = Figure(text="12.5%", value=Decimal("12.5"), decimals=1, page=7, unit="%", span=(0, 4), source="part1.pdf")
    assert (figure_value(g).label, figure_value(g).where) == ("12.5%", "part1.pdf: text p.7")


def test_an_absent_row_is_an_exact_zero_in_the_table_unit():
    assert absent_value("2080109", "表5 2080109 (no row)", "万元") == Value(
        Interval.exact(0), 2, None, "2080109(absent)", "表5 2080109 (no row)", "万元", absent=True)


def test_a_negated_value_keeps_everything_but_its_sign_and_label():
    v = absent_value("208", "表5 208 (no row)", "万元").negated()
    assert v == Value(Interval.exact(0), 2, None, "-208(absent)", "表5 208 (no row)", "万元", absent=True)
    c = resolve("1.5", _doc()).negated()  # type: ignore[union-attr]
    assert c == Value(Interval.exact(Decimal("-1.5")), 1, None, "-1.5", "1.5", constant=True)
    cell = resolve("-表5[208][合计]", _doc())
    assert isinstance(cell, Value)
    assert (cell.label, cell.where, cell.unit, cell.point) == ("-表5 208", "表5 208 合计", "万元", Decimal("-3245.06"))


def test_a_constant_is_exact_with_its_printed_decimals():
    assert resolve(" 100.50 ", _doc()) == Value(Interval.exact(Decimal("100.50")), 2, None, "100.50", "100.50",
                                                constant=True)


def test_the_reasons_a_reference_is_not_bound():
    doc = _doc()
    assert resolve("表5[{name}][合计]", doc, env={}) == "{name} has no value"
    assert resolve("表5[208", doc) == "bad reference '表5[208': unbalanced brackets"
    assert resolve(" prev:表5[总计] ", doc) == "prev:表5[总计]: no previous year's document (audit X --previous Y)"
    last = _doc(previous={"tables": [], "narrative": "100.00万元。"})
    assert resolve("prev:$amount", last) == "prev:$amount: a capture of last year's text is bound by the rule's kind"
    assert resolve("prev:表5[总计]", last) == "last year's document: table 表5 not in the document"


def test_a_capture_binds_the_figure_it_covers():
    doc = _doc()
    m = re.search(r"(?P<amount>[\d.]+)万元", doc.narrative.text)
    assert m is not None and m.start("amount") == 0  # a capture at the very start is a capture
    v = resolve("$amount", doc, match=m)
    assert isinstance(v, Value) and v.figure is doc.narrative.figures[0]
    assert (v.label, v.where, v.point, v.decimals, v.unit) == ("100.00", "text p.1", Decimal("100.00"), 2, "万元")
    # a dash captured is no figure in prose (a table's dash is zero)
    dash = re.search(r"其余(?P<amount>—)万元", doc.narrative.text)
    assert resolve_capture(doc, dash, "amount") == "$amount is not a number: '—'"
    missing = re.search(r"(?P<x>无)?(?P<amount>[\d.]+)万元", doc.narrative.text)
    assert resolve_capture(doc, missing, "x") == "$x captured nothing"
    assert resolve_capture(doc, missing, "y") == "$y: no such group in the match pattern"
    assert resolve_capture(doc, None, "x") == "$x: the rule has no match pattern"


def test_a_capture_on_a_recorded_figure_keeps_what_extraction_knew_of_it():
    # a document of two files: the recorded figure says which file prints it
    doc = Document.from_dict({"narrative": {
        "text": "支出合计100.00万元。", "page_starts": [[0, 3]],
        "figures": [{"text": "100.00", "value": "100.00", "decimals": 2, "page": 3, "unit": "万元",
                     "span": [4, 10], "sentence": "支出合计100.00万元。", "source": "b/part2.pdf"}]}})
    m = re.search(r"合计(?P<amount>[\d.]+)万元", doc.narrative.text)
    v = resolve("$amount", doc, match=m)
    assert isinstance(v, Value) and v.where == "part2.pdf: text p.3"
    # a capture that is not exactly a recorded figure is read from the text
    part = re.search(r"合计(?P<amount>100)\.", doc.narrative.text)
    w = resolve("$amount", doc, match=part)
    assert isinstance(w, Value) and (w.where, w.point, w.figure.span) == ("text p.3", Decimal(100), (4, 7))
