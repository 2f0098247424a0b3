"""Judging a relation (``checks.judging``): the sum phrase of a message, the cells a
finding names, a failure's result, table sums with blank, unread and mixed-unit parts,
and the sentence a finding on table figures carries.  Fast: figures built by hand.
"""

from __future__ import annotations

import re
from decimal import Decimal

from auditor.checks.context import Ctx, Result
from auditor.checks.judging import cells, failure, relation, row_sums, signed, sum_phrase, sum_relation
from auditor.interval import Interval
from auditor.messages import Msg
from auditor.model import Document, Figure, Row, Table
from auditor.packs.model import Rule
from auditor.refs import Value, figure_value

RULE = Rule(id="t.r", kind="hierarchy", params={})


def fig(row: str, text: str, *, table: str = "表1", column: str = "金额", unit: str = "万元",
        page: int = 2) -> Figure:
    blank = text in ("", "-")
    value = Decimal(0) if blank else Decimal(text.replace(",", ""))
    return Figure(text=text, value=value, decimals=2, page=page, table=table, row=row, column=column,
                  unit=unit, blank=blank)


def val(row: str, text: str, **kw) -> Value:
    return figure_value(fig(row, text, **kw))


def _ctx(narrative: str = "一、总计情况说明。", pattern: str | None = "总计情况") -> Ctx:
    doc = Document.from_dict({"narrative": narrative})
    m = re.search(pattern, doc.narrative.text) if pattern else None
    return Ctx(doc, RULE, m)


def test_the_sum_phrase_lists_up_to_12_parts():
    twelve = [val(str(200 + i), "1.00") for i in range(12)]
    assert str(sum_phrase(twelve)) == "sum of " + "+".join(str(200 + i) for i in range(12))
    assert str(sum_phrase([*twelve, val("299", "1.00")])) == "sum of 13 parts"
    assert str(sum_phrase([val("1", "1.00")] * 3, limit=2)) == "sum of 3 parts"
    assert str(sum_phrase([])) == "sum of nothing"


def test_the_sum_phrase_counts_blank_parts_apart():
    parts = [val("208", "1.00"), val("210", ""), val("211", "-"), val("212", "2.00")]
    assert str(sum_phrase(parts)) == "sum of 208+212 (2 blank)"
    assert str(sum_phrase([*parts] * 7)) == "sum of 14 parts (14 blank)"
    # all blank: each is named, none counted apart
    assert str(sum_phrase([val("208", ""), val("210", "")])) == "sum of 208+210"


def test_the_sum_phrase_drops_the_stated_table_from_labels():
    a = Value(Interval.exact(1), 2, fig("208", "1.00"), "表1 208", "表1 208 金额")
    b = Value(Interval.exact(-2), 2, fig("210", "2.00"), "-表1 210", "表1 210 金额")
    c = Value(Interval.exact(3), 2, fig("9", "3.00", table="表2"), "表2 9", "表2 9 金额")
    assert str(sum_phrase([a, b, c], "表1")) == "sum of 208-210+表2 9"
    assert str(sum_phrase([a, b, c])) == "sum of 表1 208-表1 210+表2 9"


def test_a_figure_is_named_once_among_a_findings_cells():
    s, o = val("合计", "3.00"), val("208", "1.00")
    assert [(c.role, c.figure.row) for c in cells(s, [o, s, o])] == [("actual", "合计"), ("operand", "208")]
    assert [(c.role, c.figure.row) for c in cells(None, [o, o])] == [("operand", "208")]


def test_a_failure_names_its_cells_and_its_sentence():
    s, o = val("合计", "3.00"), val("208", "1.00")
    msg = Msg("finding.section_missing", {"name": "x", "pattern": "y"})
    r = failure(RULE, msg, stated=s, operands=[o], ctx=_ctx(), expected=Decimal(1), actual=Decimal(3))
    assert r.status == "fail" and r.at == ("表1", "金额") and r.figures == (s.figure, o.figure)
    f = r.finding
    assert (f.rule, f.kind, f.severity, f.expected, f.actual) == ("t.r", "hierarchy", "error", Decimal(1), Decimal(3))
    assert f.context == "一、总计情况说明。" and f.message == "narrative section “x” not found (pattern y)"
    # without a stated figure: the match's sentence, or none; a note severity notes
    r = failure(RULE, msg, ctx=_ctx(), severity="note")
    assert (r.status, r.at, r.figures, r.finding.context, r.finding.severity) == (
        "note", None, (), "一、总计情况说明。", "note")
    assert failure(RULE, msg).finding.context is None
    assert failure(RULE, msg, ctx=_ctx(pattern=None)).finding.context is None


def test_a_relation_on_table_figures_without_a_match_has_no_sentence():
    r = relation(RULE, val("合计", "3.00"), Interval.exact(4), "x", [val("208", "4.00")])
    assert r.status == "fail" and r.finding.context is None
    r = relation(RULE, val("合计", "3.00"), Interval.exact(4), "x", [val("208", "4.00")], _ctx())
    assert r.finding.context == "一、总计情况说明。"


def test_a_table_sum_with_a_part_not_read():
    total = fig("合计", "3.00")
    assert sum_relation(RULE, total, [fig("208", "1.00"), None], _ctx()) == Result(
        "skip", reason="表1 合计 金额: part 2 could not be read (p.2, a reading problem)")
    assert sum_relation(RULE, total, [None], _ctx(), ["208"]).reason == (
        "表1 合计 金额: 208 could not be read (p.2, a reading problem)")


def test_a_table_sum_with_blank_figures():
    # blank total and blank parts: nothing to judge
    assert sum_relation(RULE, fig("合计", ""), [fig("208", ""), fig("210", "-")], _ctx()) is None
    # a blank total over parts that are not: 0 against their sum
    r = sum_relation(RULE, fig("合计", ""), [fig("208", "1.00"), fig("210", "")], _ctx())
    assert r.status == "fail" and r.finding.message == "表1 合计 金额: stated 0.00, sum of 208 (1 blank) is 1.00"
    # a total over parts all blank names them all
    r = sum_relation(RULE, fig("合计", "2.00"), [fig("208", ""), fig("210", "")], _ctx(), ["208", "210"])
    assert r.finding.message == "表1 合计 金额: stated 2.00, sum of 208+210 is 0.00"
    assert r.finding.context == "一、总计情况说明。"


def test_a_table_sum_of_parts_in_another_unit_is_judged_in_the_totals():
    total = fig("合计", "1.50")
    parts = [fig("208", "10,000.00", unit="元"), fig("210", "5,000.00", unit="元")]
    assert sum_relation(RULE, total, parts, _ctx()).status == "pass"
    r = sum_relation(RULE, fig("合计", "2.00"), parts, _ctx())
    assert r.finding.message == "表1 合计 金额: stated 2.00, sum of 208+210 is 1.50"


def _table(*rows: tuple[str, str | None]) -> Table:
    out = []
    for key, text in rows:
        cells = {} if text is None else {"金额": fig(key, text)}
        out.append(Row(key=key, label=key, code=None, page=2, cells=cells))
    return Table(id="表1", title="表1", pages=(2,), columns=("金额",), rows=tuple(out))


def test_row_sums_carry_the_sentence_and_read_an_absent_cell_as_blank():
    t = _table(("合计", "3.00"), ("208", "1.00"), ("210", None), ("2101", "1.00"), ("2102", "1.00"))
    total, a, b, b1, b2 = t.rows
    # fails with 208 + 210 (absent: blank), holds with the second reading of the parts
    rs = list(row_sums(RULE, _ctx(), t, total, [a, b], other=[a, b1, b2]))
    assert [r.status for r in rs] == ["pass"]
    rs = list(row_sums(RULE, _ctx(), t, total, [a, b]))
    assert [r.finding.message for r in rs] == ["表1 合计 金额: stated 3.00, sum of 208 (1 blank) is 1.00"]
    assert rs[0].finding.context == "一、总计情况说明。"
    # holds against the items under the parts: a note, with its sentence
    rs = list(row_sums(RULE, _ctx(), t, total, [a, b], other=[a, b], items=[a, b1, b2, b]))
    assert [(r.status, r.finding.context) for r in rs] == [("note", "一、总计情况说明。")]
    assert rs[0].finding.message == "表1 合计 金额: stated 3.00, sum of 208+2101+2102 (1 blank) is 3.00 (within rounding)"
    # a second reading that fails too keeps the first finding (its sentence too)
    rs = list(row_sums(RULE, _ctx(), t, total, [a, b], other=[b, b]))
    assert [(r.status, r.finding.context) for r in rs] == [("fail", "一、总计情况说明。")]
    assert rs[0].finding.message == "表1 合计 金额: stated 3.00, sum of 208 (1 blank) is 1.00"


def test_signed_needs_words_to_negate():
    v = val("208", "1.00")
    ctx = _ctx("支出减少1.00万元。", r"支出(?P<dir>减少)")
    assert signed(v, None, ctx) is v
    assert signed(v, {"dir": "增加"}, ctx) is v
    assert signed(v, {"dir": "减少"}, ctx).point == Decimal("-1.00")
    assert signed(v, {"dir": "减少"}, _ctx(pattern=None)) is v


def rate(text: str) -> Value:
    return val("208", text, column="占比", unit="%")


def _printed(stated: str, computed: str) -> str | None:
    from auditor.checks.judging import printed_as

    return printed_as(rate(stated), Interval.exact(Decimal(computed)))


def test_how_a_positive_rate_is_printed():
    assert _printed("5.00", "5.00") == "both"
    assert _printed("5.00", "5.004") == "both"
    assert _printed("5.00", "5.006") == "truncated"  # 5.006 cut at 2 decimals
    assert _printed("5.00", "4.996") == "rounded"
    assert _printed("5.00", "5.01") == "neither"  # cut or rounded, 5.01 stays 5.01


def test_how_a_negative_rate_is_printed():
    assert _printed("-5.00", "-5.00") == "both"
    assert _printed("-5.00", "-5.004") == "both"
    assert _printed("-5.00", "-5.006") == "truncated"
    assert _printed("-5.00", "-4.996") == "rounded"
    assert _printed("-5.00", "-4.99") == "neither"
    assert _printed("-5.00", "-5.01") == "neither"


def test_how_a_zero_rate_is_printed():
    assert _printed("0.00", "0.004") == "both"
    assert _printed("0.00", "-0.004") == "both"
    assert _printed("0.00", "0.006") == "truncated"
    assert _printed("0.00", "-0.006") == "truncated"
    assert _printed("0.00", "0.01") == "neither"
    assert _printed("0.00", "-0.01") == "neither"
    assert _printed("0.00", "0.02") == "neither"


def test_only_a_printed_rate_tells_how_it_is_printed():
    from auditor.checks.judging import printed_as

    five = Interval.exact(Decimal("5.006"))
    assert printed_as(val("208", "5.00"), five) is None  # an amount
    assert printed_as(Value(Interval.exact(5), 0, None, "5", "5", "%", constant=True), five) is None
    # a rate not printed (an absent cell read as 0)
    assert printed_as(Value(Interval.exact(0), 2, None, "x(absent)", "x", "%", absent=True), five) is None


def test_a_constant_is_judged_at_its_operands_precision_and_place():
    from auditor.interval import Verdict

    hundred = Value(Interval.exact(100), 0, None, "100", "100", "%", constant=True)
    other = Value(Interval.exact(1), 0, None, "1", "1", constant=True)
    r = relation(RULE, hundred, Interval.exact(Decimal("99.5")), "the share", [other, rate("99.50")])
    assert r.status == "fail" and r.printed is None
    assert r.finding.message == "表1 208 占比: stated 100.00%, the share is 99.50%"
    r = relation(RULE, hundred, Interval.exact(Decimal("98")), "the share", [other])
    assert r.finding.message == "100: stated 100%, the share is 98%"  # no figure: its own place
    # a relation judged by a verdict of its own tells nothing of how a rate is printed
    r = relation(RULE, rate("5.00"), Interval.exact(Decimal("5.006")), "x", [], verdict=Verdict.FAIL)
    assert r.status == "fail" and r.printed is None
    assert relation(RULE, rate("5.00"), Interval.exact(Decimal("5.006")), "x", []).printed == "truncated"


def test_a_relation_records_every_figure_it_judged():
    s, o = val("合计", "3.00"), val("208", "3.00")
    assert relation(RULE, s, Interval.exact(3), "x", [o]).figures == (s.figure, o.figure)
    assert relation(RULE, s, Interval.exact(4), "x", [o]).figures == (s.figure, o.figure)


def test_a_table_id_starting_with_x_is_dropped_from_labels_too():
    a = Value(Interval.exact(1), 2, fig("208", "1.00", table="X1"), "X1 208", "X1 208 金额")
    b = Value(Interval.exact(-2), 2, fig("210", "2.00", table="X1"), "-X1 210", "X1 210 金额")
    assert str(sum_phrase([a, b], "X1")) == "sum of 208-210"


def test_a_failure_on_a_narrative_figure_carries_the_figures_sentence():
    doc = Document.from_dict({"narrative": "一、总计情况。合计100.00万元。"})
    m = re.search("总计情况", doc.narrative.text)
    v = figure_value(doc.narrative.figures[0])
    r = failure(RULE, Msg("finding.section_missing", {"name": "x", "pattern": "y"}), stated=v,
                ctx=Ctx(doc, RULE, m))
    assert r.finding.context == "合计100.00万元。"


def test_a_second_reading_that_holds_within_rounding_is_a_note_with_the_sentence():
    t = _table(("合计", "3.00"), ("208", "1.00"), ("210", None), ("2101", "1.00"), ("2102", "1.01"))
    total, a, b, b1, b2 = t.rows
    rs = list(row_sums(RULE, _ctx(), t, total, [a, b], other=[a, b1, b2]))
    assert [(r.status, r.finding.context) for r in rs] == [("note", "一、总计情况说明。")]


def test_only_a_table_figure_with_its_column_is_a_table_cell():
    from auditor.checks.judging import table_cell

    assert table_cell(val("208", "1.00")) == ("表1", "金额")
    partial = Figure(text="1", value=Decimal(1), decimals=0, page=1, table="表1", row="208")
    assert table_cell(figure_value(partial)) is None
    assert table_cell(None) is None
