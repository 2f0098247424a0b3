"""Coverage (auditor/coverage.py): the figures read, and those that took part in at
least one evaluated relation — as the stated figure or an operand, passed, within
rounding or failed; a skipped instance covers nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from auditor import coverage
from auditor.engine import audit
from auditor.model import Document
from auditor.packs import load_pack_text
from auditor.report.json_report import document_dict

ROOT = Path(__file__).resolve().parents[1]

DOC = {
    "tables": [
        {"id": "表1", "title": "收支总表", "columns": ["合计"],
         "rows": [["收入总计", "", "100.00"], ["支出总计", "", "100.00"], ["上年结转", "", "7.00"]]},
        {"id": "表2", "title": "一般公共预算支出表", "columns": ["合计", "基本支出", "项目支出"],
         "rows": [["208", "社会保障和就业支出", "60.00", "50.00", "10.00"],
                  ["210", "卫生健康支出", "40.00", "", "41.00"]]},
    ],
    "narrative": "收支总预算100.00万元，比上年增加5.00万元。基本支出50.00万元，占50.00%。"
                 "满意度≥90%，单价100万元以上的设备0台，力争规模达200亿元。项目验收合格率为100%，"
                 "收入增长率为5%。",
}

PACK = """
rules:
  - {id: c.balance, kind: equal, value: "表1[支出总计]", equals: "表1[收入总计]"}
  - {id: c.cols, kind: column-sum, tables: [表2]}
  - {id: c.total, kind: equal, match: "收支总预算(?P<t>{AMT})万元", value: $t, equals: "表1[收入总计]"}
  - {id: c.share, kind: share, match: "基本支出(?P<b>{AMT})万元，占(?P<p>{PCT})%", pct: $p, part: $b,
     whole: "表1[收入总计]"}
  - {id: c.absent, kind: equal, value: "表1[上年结转]", equals: "表9[合计]"}
"""


def _audit():
    return audit(Document.from_dict(DOC), load_pack_text(PACK, "p.yaml"))


def test_what_each_evaluated_relation_judged_is_covered():
    a = _audit()
    assert a.table_checked == {("表1", "收入总计", "合计"), ("表1", "支出总计", "合计"),
                               ("表2", "208", "合计"), ("表2", "208", "基本支出"), ("表2", "208", "项目支出"),
                               ("表2", "210", "合计"), ("表2", "210", "基本支出"), ("表2", "210", "项目支出")}
    c = coverage.of(a)
    # 8 printed table figures (表2 210 基本支出 is blank, judged as 0 but no figure); 表1 上年结转
    # is only in a skipped relation
    assert (c.table_figures, c.table_covered) == (8, 7)
    # 100.00, 5.00, 50.00, 50.00%, and 增长率为5% (a change's rate, not an indicator's): the 比上年
    # change has no rule; ≥90%, 100万元以上, 达200亿元 and 合格率为100% are targets and thresholds,
    # counted apart
    assert (c.narrative_figures, c.narrative_covered, c.narrative_targets) == (5, 3, 4)
    assert [f.text for f in coverage.uncovered(a)] == ["7.00", "5.00", "5%"]
    assert a.count("error") == 1  # 210: 40.00 against 0 + 41.00 — a failed relation covers too


def test_the_json_report_carries_the_coverage():
    d = document_dict(_audit())
    assert d["coverage"] == {"table": {"figures": 8, "covered": 7}, "narrative": {"figures": 5, "covered": 3, "targets": 4}}
    assert [t["role"] for t in d["tables"]] == ["income-expense-overview", "general-budget-expense"]


def test_extract_lists_the_uncovered_figures_of_the_sample():
    r = subprocess.run([sys.executable, "-m", "auditor", "extract", str(ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"),
                        "--uncovered"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["coverage"] == {"table": {"figures": 226, "covered": 226}, "narrative": {"figures": 153, "covered": 146, "targets": 0}}
    # the figures tests/test_narrative_coverage.py lists as not checkable, and only them
    assert [(f["page"], f["text"]) for f in out["uncovered"]] == [
        (23, "317.75"), (23, "75.80"), (23, "1,825.20"), (24, "74"), (24, "50"), (25, "979"), (25, "124.89")]
    assert all(f["table"] is None and f["sentence"] for f in out["uncovered"])
