"""Completeness kinds on the sample: the clean sample has nothing missing,
no placeholder, one year and one issuer; --strict turns skips into failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.compose import strict
from auditor.engine import run
from auditor.model import Audit, Document, RuleOutcome
from auditor.packs import load_pack_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"

PACK = """
pack: t
rules:
  - {id: t.empty, kind: empty-table-note, tables: {表8: 政府性基金, 表9: 国有资本经营}}
  - {id: t.placeholders, kind: no-placeholders}
  - {id: t.identity, kind: consistent-identity, headings: "(?P<year>\\\\d{4})年(?:度)?单位预算公开"}
  - id: t.sections
    kind: sections-present
    sections:
      单位概况: 单位概况
      收支总预算: 收支总预算
      “三公”经费: “三公”经费
"""


@pytest.fixture(scope="module")
def sample() -> Document:
    from auditor.extract import load_document

    return load_document(str(SAMPLE))


def test_clean_sample_is_complete(sample):
    rules = load_pack_text(PACK, "t.yaml").rules
    findings, outcomes = run(sample, rules)
    assert findings == []
    assert all(o.evaluated > 0 and o.skipped == 0 for o in outcomes), outcomes


def test_strict_turns_skips_into_errors():
    a = Audit(path="x.pdf", document=None, template=None, findings=(),
              outcomes=(RuleOutcome(rule="r.1", kind="equal", evaluated=1, passed=1),
                        RuleOutcome(rule="r.2", kind="equal", skipped=2,
                                    skip_reasons=("表9 has no row '合计' (×2)",))))
    s = strict(a)
    assert [(f.rule, f.kind, f.severity) for f in s.findings] == [("r.2", "skipped", "error")]
    assert "--strict" in s.findings[0].message and "表9 has no row" in s.findings[0].message
    assert strict(Audit(path="x", document=None, template=None, findings=(),
                        outcomes=(a.outcomes[0],))).findings == ()
