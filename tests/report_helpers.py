"""Shared by the report tests: a synthetic audit, and audits of the bundled samples."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path

from auditor.model import Audit, CellRef, Document, Figure, Finding, RuleOutcome

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CLEAN = SAMPLES / "xinjiang-2026-unit-budget.pdf"
TRUTH = SAMPLES / "xinjiang-2026-unit-budget.truth.json"
INJECTED = SAMPLES / "injected"
DATA = Path(__file__).resolve().parent / "data"


def fig(text, table=None, row=None, column=None, page=3, bbox=None, span=None, sentence=None, unit="万元"):
    value = Decimal(text.replace(",", "").rstrip("%") or "0")
    decimals = len(text.rstrip("%").split(".")[1]) if "." in text else 0
    return Figure(text=text, value=value, decimals=decimals, page=page, table=table, row=row,
                  column=column, unit="%" if text.endswith("%") else unit, bbox=bbox, span=span,
                  sentence=sentence)


SENTENCE = "支出预算3,599.74万元，其中：基本支出2,279.34万元，占62.32%，比上年增加151.63万元。"


def synthetic_audit(path: str = "reports/2026-unit-budget.pdf") -> Audit:
    """An audit with one of each: a table error, a narrative error, a warning, a note."""
    doc = Document.from_dict({
        "path": path,
        "pages": 4,
        "title": "2026年某单位预算公开",
        "issuer": "某单位",
        "tables": [{"id": "表5", "title": "一般公共预算支出情况表", "pages": [3],
                    "columns": ["一般公共预算支出/合计", "一般公共预算支出/基本支出"],
                    "rows": [["208", "社会保障和就业支出", "100.00", "60.00"],
                             ["20801", "人力资源", "60.00", "60.00"],
                             ["20805", "养老", "41.00", "0.00"]]}],
        "narrative": SENTENCE,
    })
    t208 = fig("100.00", "表5", "208", "一般公共预算支出/合计", 3, (300.0, 600.0, 360.0, 618.0))
    t801 = fig("60.00", "表5", "20801", "一般公共预算支出/合计", 3, (300.0, 582.0, 360.0, 600.0))
    t805 = fig("41.00", "表5", "20805", "一般公共预算支出/合计", 3, (300.0, 564.0, 360.0, 582.0))
    pct = fig("62.32%", page=1, span=(35, 40), sentence=SENTENCE)
    part = fig("2,279.34", page=1, span=(20, 28), sentence=SENTENCE)
    whole = fig("3,599.74", page=1, span=(4, 12), sentence=SENTENCE)
    findings = (
        Finding(rule="t.hierarchy", kind="hierarchy", severity="error",
                message="表5 208 合计: stated 100.00, sum of 20801+20805 is 101.00",
                expected=Decimal("101.00"), actual=Decimal("100.00"),
                cells=(CellRef("actual", t208), CellRef("operand", t801), CellRef("operand", t805))),
        Finding(rule="t.share", kind="share", severity="error",
                message="text p.1: stated 62.32%, 2,279.34 / 3,599.74 × 100 is 63.32% | with a pipe",
                expected=Decimal("63.32"), actual=Decimal("62.32"),
                cells=(CellRef("actual", pct), CellRef("operand", part), CellRef("operand", whole)),
                context=SENTENCE),
        Finding(rule="t.limit", kind="at-most", severity="warning",
                message="表5 20801 基本支出 above its limit <b>", expected=Decimal("59.00"),
                actual=Decimal("60.00"), cells=(CellRef("actual", t801),)),
        Finding(rule="t.total", kind="total-row", severity="note",
                message="表5 208: stated 100.00, sum is 100.01 (within rounding)",
                expected=Decimal("100.01"), actual=Decimal("100.00"), cells=(CellRef("actual", t208),)),
    )
    outcomes = (
        RuleOutcome("t.hierarchy", "hierarchy", evaluated=3, passed=2, failed=1),
        RuleOutcome("t.share", "share", evaluated=1, failed=1),
        RuleOutcome("t.limit", "at-most", evaluated=1, failed=1),
        RuleOutcome("t.total", "total-row", evaluated=2, passed=2, noted=1),
        RuleOutcome("t.absent", "equal", skipped=1, skip_reasons=("表9 not found",)),
    )
    return Audit(path=path, document=doc, template="test-template", findings=findings,
                 outcomes=outcomes, seconds=0.5)


def failed_audit(path: str = "reports/scan.pdf") -> Audit:
    return Audit(path=path, document=None, template=None, findings=(), outcomes=(),
                 error=("no-text-layer", f"{path}: no page has a text layer (scanned?)"))


@functools.lru_cache(maxsize=None)
def packs():
    from auditor.packs import load_packs

    return load_packs(ROOT / "rules")


@functools.lru_cache(maxsize=None)
def sample_audit(path: str) -> Audit:
    from auditor.runner import audit_path

    return audit_path(str(path), packs())


def samples_ready() -> bool:
    return CLEAN.is_file() and INJECTED.is_dir()
