"""Which read documents can be audited at all (auditor/extract/usable.py)."""

from __future__ import annotations

from auditor.extract.usable import unusable
from auditor.model import Document


def _doc(*titles: str) -> Document:
    return Document.from_dict({"path": "x.pdf", "pages": 3, "tables": [
        {"id": f"表{i + 1}", "title": title, "columns": ["合计"], "rows": [["201", "一般公共服务支出", "12.00"]]}
        for i, title in enumerate(titles)]})


def test_tables_that_are_no_budget_tables_are_no_tables() -> None:
    code, message = unusable(_doc("包头市各旗县区建筑垃圾产生量汇总表（万吨/年）", "建筑垃圾资源化利用厂统计表"))
    assert code == "no-tables"
    assert "tables found (包头市各旗县区建筑垃圾产生量汇总表（万吨/年）; 建筑垃圾资源化利用厂统计表) " \
           "but none is a budget table" in message


def test_one_budget_table_is_enough() -> None:
    assert unusable(_doc("建筑垃圾统计表", "2026年部门收支总表")) is None
    assert unusable(_doc("一般公共预算“三公”经费支出表")) is None


def test_a_bare_table_number_names_nothing() -> None:
    assert unusable(_doc("表1", "公开02表")) is None


def _narrative_only(text: str) -> Document:
    figures = [{"text": f"{i}.00", "value": f"{i}.00", "decimals": 2, "page": 1, "span": [i, i + 1]}
               for i in range(1, 13)]
    return Document.from_dict({"path": "n.pdf", "pages": 9, "tables": [],
                               "narrative": {"text": text, "figures": figures}})


def test_a_budget_narrative_alone_is_told_to_add_its_tables() -> None:
    code, message = unusable(_narrative_only("2026年收支总预算3,599.74万元，其中基本支出2,279.34万元"))
    assert code == "no-tables" and message.endswith("audit NARRATIVE.pdf --tables TABLES.pdf")


def test_a_gazette_with_figures_gets_no_such_hint() -> None:
    code, message = unusable(_narrative_only("惠州市优抚对象医疗保障实施细则：补助标准每人每年1,200元"))
    assert code == "no-tables" and "--tables" not in message
