"""Table roles (auditor/roles.py, rules/vocabulary/roles.yaml): a table's national role
from its title whatever its number, year or issuer, from its header when the title
names none, and from the table it continues when it has neither."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.model import Document
from auditor.roles import assign, load_vocabulary, title_core, vocabulary

ROOT = Path(__file__).resolve().parents[1]

# (title as printed, role): the wordings and numberings of the corpora, and the near-titles
TITLES = [
    ("表1 收支总体情况表", "income-expense-overview"),
    ("表一 收支总表", "income-expense-overview"),
    ("公开01表 收支预算总表", "income-expense-overview"),
    ("预算01表 部门收支总体情况表", "income-expense-overview"),
    ("2026年市级部门收支预算总表", "income-expense-overview"),
    ("2026年预算单位财务收支预算总表", "income-expense-overview"),
    ("2017年度江苏省高级人民法院部门收支预算总表", "income-expense-overview"),
    ("部门公开表5 收入总表", "income"),
    ("（预算表4）2026年度收入预算总表", "income"),
    ("收入总体情况表", "income"),
    ("本年支出总体情况表", "expense"),
    ("2026年预算单位支出预算总表", "expense"),
    ("基本支出总表", "basic-expense"),
    ("部门预算基本支出预算表", "basic-expense"),
    ("项目支出总表", "project-expense"),
    ("部门预算项目支出及其他支出预算表", "project-expense"),
    ("2026年市级部门项目支出预算表", "project-expense"),
    # 财政拨款收支总表 is not 收支总表
    ("财政拨款收支总表", "appropriation-overview"),
    ("财政拨款收支总体情况表", "appropriation-overview"),
    ("表4 财政拨款收支预算总体情况表", "appropriation-overview"),
    ("财政拨款支出表（功能科目）", "appropriation-expense"),
    ("2026年预算单位财政拨款支出预算表", "appropriation-expense"),
    ("财政拨款基本支出表（经济科目）", "appropriation-basic-expense"),
    ("2026年预算单位财政拨款项目支出预算表", "appropriation-project-expense"),
    # 一般公共预算支出表 vs 基本支出表 vs “三公”经费支出表 vs 按经济分类
    ("一般公共预算支出表", "general-budget-expense"),
    ("一般公共预算支出表（按功能分类）", "general-budget-expense"),
    ("一般公共预算支出情况表（按功能分类科目）", "general-budget-expense"),
    ("2026年度一般公共预算拨款支出预算表", "general-budget-expense"),
    ("2026年预算单位一般公共预算支出功能分类预算表", "general-budget-expense"),
    ("一般公共预算支出表（按经济分类）", "general-budget-economic-expense"),
    ("2026年度一般公共预算支出经济分类情况表", "general-budget-economic-expense"),
    ("一般公共预算基本支出表", "general-budget-basic-expense"),
    ("一般公共预算基本支出情况表（按经济分类科目）", "general-budget-basic-expense"),
    ("2026年预算单位一般公共预算基本支出部门预算经济分类预算表", "general-budget-basic-expense"),
    ("2026年度一般公共预算基本支出经济分类情况表", "general-budget-basic-expense"),
    ("一般公共预算项目支出情况表（按经济分类科目）", "general-budget-project-expense"),
    ("一般公共预算“三公”经费支出表", "three-public"),
    ("财政拨款“三公”经费支出表", "three-public"),
    ("2026年单位“三公”经费和机关运行经费预算表", "three-public"),
    ("财政拨款安排的行政经费及“三公”经费预算表", "three-public"),
    ("“三公”经费、会议费、培训费支出预算表", "three-public"),
    ("一般公共预算机关运行经费支出预算表", "operating-costs"),
    ("政府性基金预算支出表", "gov-fund-expense"),
    ("财政拨款政府性基金支出预算表", "gov-fund-expense"),
    ("2026年预算单位政府性基金预算支出功能分类预算表", "gov-fund-expense"),
    ("国有资本经营预算支出情况表", "state-capital-expense"),
    ("2026年度国有资本经营预算拨款支出预算表", "state-capital-expense"),
    ("政府采购支出表", "procurement"),
    ("2017年政府采购预算表", "procurement"),
    ("政府购买服务预算表", "gov-purchase-services"),
    ("2026年市级部门项目支出绩效表", "performance-targets"),
    ("广州市生态环境局2026年项目支出绩效目标表（含转移支付项目）", "performance-targets"),
    ("财政拨款委托业务费支出情况表", "entrusted-services"),
    ("上年结转结余情况表", "carryover"),
    # 决算: the national nine, never a 预算 role
    ("收入支出决算总表", "final-income-expense-overview"),
    ("收入决算表", "final-income"),
    ("支出决算表", "final-expense"),
    ("财政拨款收入支出决算总表", "final-appropriation-overview"),
    ("一般公共预算财政拨款支出决算表", "final-general-budget-expense"),
    ("一般公共预算财政拨款基本支出决算表", "final-general-budget-basic-expense"),
    ("财政拨款“三公”经费支出决算表", "final-three-public"),
    ("政府性基金预算财政拨款收入支出决算表", "final-gov-fund"),
    ("国有资本经营预算财政拨款支出决算表", "final-state-capital"),
    # no role
    ("包头市建筑垃圾资源化利用厂现状统计表", None),
    ("单位预算01表", None),
    ("table-p8", None),
]


@pytest.mark.parametrize("title,role", TITLES)
def test_role_of_a_title(title, role):
    assert vocabulary().of_title(title) == role


def test_the_number_and_year_are_set_aside():
    assert title_core("公开05表 2026年度财政拨款支出预算表") == "财政拨款支出预算表"
    assert title_core("（预算表4）一般公共预算支出表") == "一般公共预算支出表"
    assert title_core("部门公开表12 政府采购预算表") == "政府采购预算表"
    assert title_core("单位预算01表") == ""


def test_every_role_is_named_by_one_of_the_titles_above():
    named = {r for _, r in TITLES if r}
    assert named == set(vocabulary().names)


def _doc(*tables) -> Document:
    return Document.from_dict({"tables": list(tables)})


def test_header_names_the_role_of_a_table_whose_title_does_not():
    doc = assign(_doc({"id": "单位预算09表", "title": "单位预算09表", "columns": ["合计", "因公出国（境）费", "公务接待费"],
                       "rows": [["合计", "", "3.00", "1.00", "2.00"]]}))
    assert doc.tables[0].role == "three-public"


def test_an_untitled_grid_right_after_a_table_continues_it():
    doc = assign(_doc(
        {"id": "公开02表", "title": "收入预算总表", "pages": [12], "columns": ["金额"], "rows": [["收入总计", "", "1.00"]]},
        {"id": "table-p13", "title": "table-p13", "pages": [13], "columns": ["金额"], "rows": [["小计", "", "1.00"]]},
        {"id": "table-p15", "title": "table-p15", "pages": [15], "columns": ["金额"], "rows": [["小计", "", "1.00"]]},
    ))
    assert [t.role for t in doc.tables] == ["income", "income", None]  # p15 is two pages on: no role


def test_assign_is_idempotent_and_keeps_the_document_when_nothing_changes():
    doc = assign(_doc({"id": "表1", "title": "收支总表", "columns": ["金额"], "rows": [["总计", "", "1.00"]]}))
    assert assign(doc) is doc


def test_a_vocabulary_error_names_the_field():
    with pytest.raises(ValueError, match="roles/x: 'titles' is a required property"):
        load_vocabulary("roles:\n  x: {label: X}\n")
    with pytest.raises(ValueError, match="roles/x/titles: bad regular expression"):
        load_vocabulary("roles:\n  x: {label: X, titles: ['(']}\n")


def test_the_report_schema_lists_every_role():
    schema = json.loads((ROOT / "auditor" / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    table = schema["$defs"]["document"]["properties"]["tables"]["items"]["properties"]
    assert table["role"]["enum"] == [*vocabulary().names, None]


def test_a_pack_naming_an_unknown_role_is_refused_where_it_is_written():
    from auditor.errors import PackError
    from auditor.packs import load_pack_text

    text = ("rules:\n"
            "  - {id: t.a, kind: equal, value: \"@incme[合计]\", equals: \"@income-expense-overview[收入总计]\"}\n"
            "  - {id: t.b, kind: column-sum, tables: [\"@three-publc\"]}\n")
    with pytest.raises(PackError) as e:
        load_pack_text(text, "p.yaml")
    errors = e.value.errors
    assert errors[0].startswith("p.yaml:2:") and "unknown table role 'incme' (did you mean 'income'?)" in errors[0]
    assert errors[1].startswith("p.yaml:3:") and "unknown table role 'three-publc'" in errors[1]
    assert len(errors) == 2
    assert load_pack_text(text.replace("@incme", "@income").replace("publc", "public"), "p.yaml").rules


def test_the_sample_tables_have_the_roles_read_on_their_pages():
    """The sample's twelve tables (tests/table_roles.yaml, samples) as the audit reports them."""
    import yaml

    from auditor.packs import load_packs
    from auditor.runner import audit_path

    want = yaml.safe_load((ROOT / "tests" / "table_roles.yaml").read_text(encoding="utf-8"))["samples"]
    a = audit_path(str(ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"), load_packs(ROOT / "rules"))
    assert [[t.id, t.role] for t in a.document.tables] == [[k, v] for k, v in want["xinjiang-2026-unit-budget.pdf"].items()]
