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


def test_a_rate_truncated_instead_of_rounded_says_so():
    doc = Document.from_dict({"narrative": "基本支出2,279.34万元，占63.31%。支出预算3,599.74万元。"})
    pack = load_pack_text("""
pack: t
rules:
  - id: t.s
    kind: share
    match: 基本支出(?P<part>{AMT})万元，占(?P<pct>{PCT})%。支出预算(?P<whole>{AMT})万元
    pct: $pct
    part: $part
    whole: $whole
""")
    (f,), _ = run(doc, pack.rules)
    assert f.severity == "error"  # 63.3196… rounds to 63.32
    assert f.message == ("text p.1: stated 63.31%, 2,279.34 / 3,599.74 × 100 is 63.32% "
                         "(the stated figure is truncated, not rounded)")
    assert finding_message(f, "zh").endswith("（列示数是截尾而非四舍五入的结果）")


def test_every_finding_of_every_rule_case_reads_in_both_languages():
    """No check kind writes a message outside the catalogue."""
    import test_rule_cases as cases

    from auditor.messages import MESSAGES

    seen = 0
    for param in cases._cases():
        case = param.values[0]
        rules, template = cases.rules(case)
        found, _ = run(cases.document(case), rules, template)
        for f in found:
            seen += 1
            assert f.message_key in MESSAGES, (case["name"], f.message)
            assert finding_message(f, "en") == f.message
            zh = finding_message(f, "zh")
            assert zh and zh != f.message, (case["name"], f.message)
    assert seen > 50
