"""One evaluation of a rule (``checks.context.Ctx``): what it binds and what it reads.

The placeholders a rule may use, the text a capture or a literal gives, the
sentence of a match, the tables a ``tables:`` field names (and the reason
when none is found), and the figures an instance read: the coverage the
engine reports.  Fast: documents built from data, no PDF.
"""

from __future__ import annotations

import re
from decimal import Decimal

from auditor.checks.context import PASS, Ctx, Result, builtin_env, skip
from auditor.model import Document
from auditor.packs.model import Rule
from auditor.refs import Value


def _doc(**extra) -> Document:
    return Document.from_dict({
        "issuer": "某市财政局", "year": 2026,
        "tables": [{"id": "表1", "columns": ["金额"], "rows": [["收入总计", "", "100.00"]], "role": "summary"},
                   {"id": "表2", "columns": ["金额"], "rows": [["合计", "", "60.00"]]},
                   {"id": "附表", "columns": ["金额"], "rows": [["合计", "", "1.00"]], "role": "summary-x"}],
        "narrative": "一、收入情况。收入预算100.00万元，比上年增加。",
        **extra,
    })


def _ctx(doc: Document | None = None, pattern: str | None = None, missing: str = "skip",
         **vars: str) -> Ctx:
    doc = doc or _doc()
    rule = Rule(id="t.r", kind="equal", params={}, missing=missing)
    m = re.search(pattern, doc.narrative.text) if pattern else None
    return Ctx(doc, rule, m, vars)


def test_skip_and_pass_results():
    assert skip("table 表9 not in the document") == Result("skip", reason="table 表9 not in the document")
    assert PASS == Result("pass")


def test_the_builtin_placeholders_are_the_documents_issuer_and_year():
    assert builtin_env(_doc()) == {"issuer": "某市财政局", "year": "2026"}
    assert builtin_env(Document.from_dict({})) == {}


def test_the_environment_of_an_instance():
    ctx = _ctx(pattern=r"(?P<name>收入)预算(?P<amount>[\d.]+)万元(?P<word>减少)?", kind="基本", year="2025")
    # a for-value over a built-in one, a capture over both; an optional group that matched
    # nothing reads as empty text, or as the for-value of that name
    assert ctx.env == {"issuer": "某市财政局", "year": "2025", "kind": "基本", "name": "收入",
                       "amount": "100.00", "word": ""}
    ctx = _ctx(pattern=r"(?P<name>收入)预算(?P<word>减少)?", word="增加")
    assert ctx.env["word"] == "增加"
    assert ctx.interp("{issuer}{year}年{name}{nope}") == "某市财政局2026年收入{nope}"


def test_a_text_reference_reads_a_capture_or_the_placeholders():
    ctx = _ctx(pattern=r"比上年(?P<dir>增加|减少)")
    assert ctx.text("$dir") == "增加"
    assert ctx.text("{year}年{issuer}") == "2026年某市财政局"
    assert ctx.text("{nope}") is None
    assert ctx.sentence == "收入预算100.00万元，比上年增加。"
    assert _ctx().sentence is None


def test_the_tables_a_rule_names():
    ctx = _ctx()
    assert [t.id for t in ctx.tables(None)] == ["表1", "表2", "附表"]
    assert [t.id for t in ctx.tables(["表*", "表1"])] == ["表1", "表2"]
    assert [t.id for t in ctx.tables(["@summary", "表1"])] == ["表1"]
    assert ctx.tables(["表9", "@budget"]) == "no table matches 表9, @budget"


def test_an_instance_records_the_figures_it_read():
    ctx = _ctx(pattern=r"收入预算(?P<amount>[\d.]+)万元")
    v = ctx.resolve("$amount")
    assert isinstance(v, Value) and v.point == Decimal("100.00")
    assert ctx.touched == {(11, 17)} and ctx.touched_cells == set()
    assert isinstance(ctx.resolve("表1[收入总计]"), Value)
    assert ctx.touched_cells == {("表1", "收入总计", "金额")}
    # a constant, an absent row and a reference that cannot be bound read no figure
    assert isinstance(ctx.resolve("100"), Value)
    assert ctx.resolve("表2[支出]") == "表2 has no row '支出'"
    absent = ctx.resolve("表2[支出]", missing="zero")
    assert isinstance(absent, Value) and absent.absent
    assert ctx.touched == {(11, 17)} and ctx.touched_cells == {("表1", "收入总计", "金额")}
    ctx.touch(None)
    assert ctx.touched == {(11, 17)}


def test_a_rule_reading_absent_rows_as_zero():
    ctx = _ctx(missing="zero")
    v = ctx.resolve("表2[支出]")
    assert isinstance(v, Value) and (v.absent, v.label) == (True, "支出(absent)")
    assert ctx.resolve_all({"a": "表1[收入总计]", "b": "表2[支出]"}) == {
        "a": ctx.resolve("表1[收入总计]"), "b": v}
    assert _ctx().resolve_all({"a": "表1[收入总计]", "b": "表2[支出]", "c": "表9[x]"}) == "表2 has no row '支出'"


def test_only_a_whole_cell_or_a_span_is_recorded():
    from auditor.model import Figure

    ctx = _ctx()
    ctx.touch(Figure(text="1", value=Decimal(1), decimals=0, page=1, table="表1", row="a"))
    ctx.touch(Figure(text="1", value=Decimal(1), decimals=0, page=1, row="a", column="金额"))
    ctx.touch(Figure(text="1", value=Decimal(1), decimals=0, page=1, table="表1", column="金额"))
    assert ctx.touched == set() and ctx.touched_cells == set()


def test_a_kinds_documentation_is_its_module_docstring():
    from auditor.checks import KINDS, doc

    assert doc("equal") == KINDS["equal"].__doc__.strip()
    assert doc("equal").startswith("equal:")
