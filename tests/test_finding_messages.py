"""Finding messages are written as catalogue keys, so reports print them in zh or en."""

from __future__ import annotations

from auditor.engine import run
from auditor.messages import finding_message
from auditor.model import Document
from auditor.packs import load_pack_text

DOC = Document.from_dict({
    "tables": [{"id": "表5", "columns": ["合计"], "rows": [
        ["208", "社会保障和就业支出", "100.00"],
        ["20801", "人力资源", "60.00"],
        ["20805", "养老", "41.00"],
        ["210", "卫生健康支出", ""],
        ["总计", "", "100.00"],
    ]}],
    "narrative": "收支总预算100.01万元。",
})
PACK = """
pack: t
rules:
  - {id: t.h, kind: hierarchy}
  - {id: t.n, kind: equal, match: "收支总预算(?P<a>{AMT})万元", value: $a, equals: "表5[总计]"}
"""


def findings():
    found, _ = run(DOC, load_pack_text(PACK).rules)
    return {f.rule: f for f in found}


def test_an_error_in_both_languages():
    f = findings()["t.h"]
    assert f.message == "表5 208 合计: stated 100.00, sum of 20801+20805 is 101.00"
    assert finding_message(f, "en") == f.message
    assert finding_message(f, "zh") == "表5 208 合计：列示 100.00，20801+20805 之和为 101.00"


def test_a_narrative_note_in_both_languages():
    f = findings()["t.n"]
    assert f.severity == "note"
    assert f.message == "text p.1: stated 100.01, 表5 总计 合计 is 100.00 (within rounding)"
    assert finding_message(f, "zh") == "说明 第1页：列示 100.01，表5 总计 合计为 100.00（在舍入误差范围内）"
