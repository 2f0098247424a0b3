"""The real disclosures of ../shared/corpus/real (skipped when absent).

Each PDF is audited once per session, in-process (``audit_path``): no crash,
the template named, every standard table recognised under its template id,
and the error findings exactly the confirmed ones of
``tests/corpus_expectations.yaml`` (a false alarm fails here).  Findings on
the tables only: the narrative packs (issue 4 part B) record theirs apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor.packs import load_packs
from auditor.runner import audit_path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
EXPECT = yaml.safe_load((ROOT / "tests" / "corpus_expectations.yaml").read_text(encoding="utf-8"))
FILES = sorted(EXPECT["files"])

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="real corpus absent")

_CACHE: dict[str, object] = {}


@pytest.fixture(scope="module")
def packs():
    return load_packs(ROOT / "rules")


def _audit(name: str, packs):
    if name not in _CACHE:
        _CACHE[name] = audit_path(str(CORPUS / name), packs)
    return _CACHE[name]


def test_every_pdf_is_listed():
    found = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.pdf"))
    assert found == FILES


@pytest.mark.parametrize("name", FILES)
def test_template_and_tables(name, packs):
    a = _audit(name, packs)
    exp = EXPECT["files"][name]
    if a.document is None:  # a narrative-only file may have nothing to audit
        assert exp["template"] is None and not exp["tables"], a.error
        return
    assert a.error is None or a.error[0] == "no-tables", a.error
    assert a.template == exp["template"]
    ids = {t.id for t in a.document.tables}
    assert set(exp["tables"]) <= ids, sorted(set(exp["tables"]) - ids)
    for tid in exp.get("missing", []):
        assert tid not in ids


@pytest.mark.parametrize("name", FILES)
def test_errors_are_the_confirmed_ones(name, packs):
    a = _audit(name, packs)
    def row_col(f):
        c = next((c for c in f.cells if c.role == "actual"), None)
        return (c.figure.row, c.figure.column) if c else (None, None)

    got = sorted((f.rule, f.table, *row_col(f), str(f.actual), str(f.expected))
                 for f in a.findings if f.severity == "error" and f.table is not None)
    want = sorted((e["rule"], e.get("table"), e.get("row"), e.get("column"), str(e["stated"]),
                   str(e["computed"])) for e in EXPECT["errors"] if e["file"] == name)
    assert got == want
