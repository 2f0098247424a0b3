"""The reference template's completeness rules on the sample, and on copies of its
Document with one thing broken (no PDF regeneration needed: the Document is data)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from auditor.engine import audit
from auditor.extract import load_document
from auditor.model import Document
from auditor.packs import load_packs

ROOT = Path(__file__).resolve().parent.parent
# placeholders: the checklist pack's rule, applied to every document since issue 14
RULES = ("xj.empty-notes", "xj.sections", "checklist.placeholders", "xj.identity")


@pytest.fixture(scope="module")
def packs():
    return load_packs(ROOT / "rules")


@pytest.fixture(scope="module")
def sample() -> dict:
    return load_document(str(ROOT / "samples" / "xinjiang-2026-unit-budget.pdf")).to_dict()


def run(data: dict, packs, narrative: str | None = None):
    data = copy.deepcopy(data)
    if narrative is not None:
        data["narrative"] = narrative  # rebuilt from text, as extraction would
    result = audit(Document.from_dict(data), packs)
    return [f for f in result.findings if f.rule in RULES], {
        o.rule: o for o in result.outcomes if o.rule in RULES}


def test_the_clean_sample_is_complete(sample, packs):
    findings, outcomes = run(sample, packs)
    assert findings == []
    assert set(outcomes) == set(RULES)
    assert all(o.evaluated >= 1 and o.skipped == 0 for o in outcomes.values()), outcomes
    # every heading of 第三部分 (and its 目录 line) was compared
    assert outcomes["xj.identity"].evaluated >= 13


def test_a_heading_with_another_year(sample, packs):
    text = sample["narrative"]["text"]
    heading = "社会保险中心2026年收入预算情况说明"
    assert text.count(heading) == 2  # 目录 and 第三部分
    broken = text.replace(heading, "社会保险中心2025年收入预算情况说明")
    findings, _ = run(sample, packs, broken)
    assert [f.rule for f in findings] == ["xj.identity", "xj.identity"]
    assert all("2025" in f.message and "2026" in f.message for f in findings)


def test_a_missing_section(sample, packs):
    text = sample["narrative"]["text"]
    broken = text.replace("十一、关于", "关于")
    findings, _ = run(sample, packs, broken)
    assert [f.rule for f in findings] == ["xj.sections"]
    assert "十一、委托业务费" in findings[0].message


def test_an_empty_table_note_naming_another_fund(sample, packs):
    data = copy.deepcopy(sample)
    t8 = next(t for t in data["tables"] if t["id"] == "表8")
    t8["note"] = t8["note"].replace("政府性基金", "国有资本经营")
    findings, _ = run(data, packs)
    assert [f.rule for f in findings] == ["xj.empty-notes"]
    assert "表8" in findings[0].message


def test_a_leftover_placeholder(sample, packs):
    text = sample["narrative"]["text"]
    broken = text.replace("本单位无其他需说明事项", "XX单位无其他需说明事项")
    findings, _ = run(sample, packs, broken)
    assert [f.rule for f in findings] == ["checklist.placeholders"]
    assert "XX单位" in findings[0].message
