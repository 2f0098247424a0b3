"""End to end: the reference disclosure and its injected-error variants, through the CLI.

The clean sample must give 0 errors and a note for exactly the relations that
DOMAIN.md lists as holding only within rounding, wherever their figures are
printed.  Each injected-error sample must give an error at each altered figure,
and no error that does not involve an altered figure.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from auditor.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"
INJECTED = sorted((ROOT / "samples" / "injected").glob("*.pdf"))
SCHEMA = json.loads((ROOT / "auditor" / "schema" / "report.schema.json").read_text(encoding="utf-8"))

# The stated figure of every rounding-level relation of the reference document
# (DOMAIN.md, "Rounding"): (table, row, column) for table cells, or
# (None, page-independent narrative text, None) for narrative figures.
EXPECTED_NOTES = {
    # 208 + 210 + 221 = 3,599.75 against the printed total 3,599.74
    ("表1", "支出总计", "支出/预算数"),
    ("表2", "总计", "总计"),
    ("表2", "总计", "财政拨款（补助）/财政拨款（补助）小计"),
    ("表2", "总计", "财政拨款（补助）/一般公共预算"),
    ("表3", "总计", "支出预算/合计"),
    ("表4", "支出总计", "财政拨款支出/合计"),
    ("表4", "支出总计", "财政拨款支出/一般公共预算"),
    ("表5", "总计", "一般公共预算支出/合计"),
    # 基本支出 by class: 1,924.66 + 202.68 + 152.01 = 2,279.35 against 2,279.34
    ("表3", "总计", "支出预算/基本支出"),
    ("表5", "总计", "一般公共预算支出/基本支出"),
    # 表6 302: nine items add to 130.45 against 130.46
    ("表6", "302", "一般公共预算基本支出/合计"),
    ("表6", "302", "一般公共预算基本支出/公用经费"),
    # the narrative of 四 (the classes) and the twelve amounts of 五(三), against 3,599.74
    ("xj.n4.classes-sum", "3,599.74"),
    ("xj.n5.items-sum", "3,599.74"),
    # the twelve changes of 五(三) add to 9.05 against the stated 9.03
    ("xj.n5.items-change-rollup", "9.03"),
}


def run_json(pdf: Path, *extra: str) -> tuple[int, dict]:
    result = CliRunner().invoke(app, ["check", str(pdf), "--format", "json", *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    return result.exit_code, report


def actual_cell(finding: dict) -> dict:
    cells = [c for c in finding["cells"] if c["role"] == "actual"]
    assert len(cells) == 1, finding
    return cells[0]


def note_key(finding: dict) -> tuple:
    cell = actual_cell(finding)
    if cell["table"] is None:
        return (finding["rule"], cell["text"])
    return (cell["table"], cell["row"], cell["column"])


@pytest.fixture(scope="module")
def clean() -> tuple[int, dict]:
    return run_json(SAMPLE)


def test_clean_sample_all_tables_recognised(clean):
    code, report = clean
    doc = report["documents"][0]
    assert doc["status"] == "ok" and doc["error"] is None
    assert doc["template"] == "xinjiang-unit-budget"
    assert doc["unit"] == "万元"
    ids = [t["id"] for t in doc["tables"]]
    assert ids == [f"表{i}" for i in range(1, 13)]
    empty = {t["id"] for t in doc["tables"] if t["empty"]}
    assert empty == {"表8", "表9", "表12"}
    assert next(t for t in doc["tables"] if t["id"] == "表6")["pages"] == [10, 11]


def test_clean_sample_has_no_errors_and_exactly_the_rounding_notes(clean):
    code, report = clean
    doc = report["documents"][0]
    severities = {f["severity"] for f in doc["findings"]}
    assert severities <= {"note"}, [f["message"] for f in doc["findings"] if f["severity"] != "note"]
    assert code == 0
    notes = [note_key(f) for f in doc["findings"]]
    assert len(notes) == len(set(notes)), notes
    assert set(notes) == EXPECTED_NOTES
    for f in doc["findings"]:
        diff = abs(Decimal(f["difference"]))
        assert Decimal("0") < diff <= Decimal("0.02"), f


def test_clean_sample_counts_and_nothing_skipped(clean):
    _, report = clean
    checks = report["documents"][0]["checks"]
    assert checks["evaluated"] > 300
    assert checks["skipped"] == 0
    assert checks["failed"] == 0
    assert checks["passed"] == checks["evaluated"]
    assert report["summary"] == {"documents": 1, "failed": 0, "errors": 0, "warnings": 0,
                                 "notes": len(EXPECTED_NOTES)}


@pytest.mark.parametrize("pdf", INJECTED, ids=[p.stem for p in INJECTED])
def test_injected_error_is_reported_at_the_altered_figure(pdf):
    expect = json.loads(pdf.with_suffix(".expect.json").read_text(encoding="utf-8"))
    code, report = run_json(pdf)
    assert code == 1
    doc = report["documents"][0]
    errors = [f for f in doc["findings"] if f["severity"] == "error"]
    assert errors

    def is_altered(cell: dict, alt: dict) -> bool:
        if cell["page"] != alt["page"] or Decimal(cell["value"]) != Decimal(alt["value"]):
            return False
        if alt["table"] is None:
            return cell["table"] is None
        return (cell["table"], cell["row"], cell["column"]) == (alt["table"], alt["row"], alt["column"])

    for alt in expect["alterations"]:
        hits = [f for f in errors if any(is_altered(c, alt) for c in f["cells"])]
        assert hits, f"{pdf.stem}: no error involves the altered figure {alt}"
    for f in errors:
        assert any(is_altered(c, alt) for c in f["cells"] for alt in expect["alterations"]), (
            f"{pdf.stem}: error not involving an altered figure: {f['rule']}: {f['message']}")
