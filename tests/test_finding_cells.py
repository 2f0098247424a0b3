"""What a sum finding carries besides its verdict: every operand cell (an absent cell
as the blank it reads as), the phrase naming its parts, and its skips.

Rule cases assert the stated cell and the message; these assert the operands a report
boxes and lists (``Finding.cells``), which the cases do not look at.
"""

from __future__ import annotations

from decimal import Decimal

from auditor.engine import run
from auditor.model import Document
from auditor.packs import load_pack_text


def _run(doc: dict, rules: str):
    packs = load_pack_text("pack: t\nrules:\n" + rules, "<t>")
    return run(Document.from_dict(doc), packs.rules)


def _row(key: str, page: int, unit: str, **cells: str) -> dict:
    return {"key": key, "code": key, "label": key, "page": page,
            "cells": {c: {"text": t, "value": t, "decimals": 2, "page": page, "table": "表5", "row": key,
                          "column": c, "unit": unit} for c, t in cells.items()}}


def test_an_absent_cell_is_an_operand_read_as_a_blank_zero_of_its_row_and_column() -> None:
    doc = {"tables": [{"id": "表5", "unit": "元", "pages": [7], "columns": ["合计", "基本支出"],
                       "rows": [_row("208", 7, "元", 合计="10.00", 基本支出="5.00"),
                                _row("20801", 7, "元", 合计="6.00", 基本支出="4.00"),
                                _row("20805", 8, "元", 合计="4.00")]}]}
    findings, outcomes = _run(doc, "  - {id: t.h, kind: hierarchy}\n")
    assert (outcomes[0].passed, outcomes[0].failed) == (1, 1)
    (f,) = findings
    assert f.message == "表5 208 基本支出: stated 5.00, sum of 20801 (1 blank) is 4.00"
    assert (f.expected, f.actual) == (Decimal("4.00"), Decimal("5.00"))
    operands = [c.figure for c in f.cells if c.role == "operand"]
    assert [(o.table, o.row, o.column, o.page, o.unit, o.text, o.value, o.decimals, o.blank) for o in operands] == [
        ("表5", "20801", "基本支出", 7, "元", "4.00", Decimal("4.00"), 2, False),
        ("表5", "20805", "基本支出", 8, "元", "", Decimal(0), 2, True),
    ]


def test_parts_named_without_the_stated_table_and_with_their_sign() -> None:
    doc = {"tables": [{"id": "表1", "columns": ["合计"],
                       "rows": [["收入总计", "", "10.00"], ["甲", "", "4.00"], ["乙", "", "1.00"]]},
                      {"id": "表2", "columns": ["合计"], "rows": [["丙", "", "2.00"]]}]}
    rules = ('  - {id: t.s, kind: sum, total: "表1[收入总计]", parts: ["表1[甲]", "-表1[乙]", "表2[丙]"]}\n'
             '  - {id: t.z, kind: sum, total: "表1[收入总计]", parts: ["表9[丁]"]}\n')
    findings, outcomes = _run(doc, rules)
    (f,) = findings
    assert f.message == "表1 收入总计 合计: stated 10.00, sum of 甲-乙+表2 丙 is 5.00"
    assert [c.figure.row for c in f.cells] == ["收入总计", "甲", "乙", "丙"]
    assert list(outcomes[1].skip_reasons) == ["table 表9 not in the document"]


def test_a_part_that_could_not_be_read_skips_naming_it() -> None:
    doc = {"tables": [{"id": "表5", "columns": ["合计"],
                       "rows": [{"key": "208", "code": "208", "label": "社保", "page": 3,
                                 "cells": {"合计": {"text": "10.00", "value": "10.00", "decimals": 2, "page": 3,
                                                    "table": "表5", "row": "208", "column": "合计"}}},
                                {"key": "20801", "code": "20801", "label": "人力", "page": 3, "cells": {},
                                 "unread": ["合计"]}]}]}
    findings, outcomes = _run(doc, "  - {id: t.h, kind: hierarchy}\n")
    assert findings == []
    assert list(outcomes[0].skip_reasons) == ["表5 208 合计: 20801 could not be read (p.3, a reading problem)"]
