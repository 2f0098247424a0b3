"""A disclosure in two files (narrative + tables) audited as one document."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.compose import merge, pair_parts, split_parts
from auditor.pipeline import audit as audit_spec
from auditor.model import Document
from auditor.packs import load_packs

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def test_merge_keeps_each_figure_file_and_page():
    narr = Document.from_dict({"path": "n.pdf", "narrative": "收支总预算100.00万元。", "year": 2018})
    tabs = Document.from_dict({"path": "t.pdf", "tables": [
        {"id": "表1", "pages": [3], "columns": ["金额"], "rows": [["收入总计", "", "100.00"]]}]})
    doc = merge([narr, tabs])
    assert doc.parts == ("n.pdf", "t.pdf") and doc.path == "n.pdf+t.pdf" and doc.year == 2018
    cell = doc.table("表1").row("收入总计").cells["金额"]
    assert (cell.source, cell.page) == ("t.pdf", 3)
    assert doc.narrative.figures[0].source == "n.pdf"
    assert doc.to_dict()["parts"] == ["n.pdf", "t.pdf"]


def test_split_and_pair():
    assert split_parts("a.pdf+b.pdf") == ["a.pdf", "b.pdf"]
    assert split_parts("a.pdf") is None
    files = ["d/x-narrative.pdf", "d/x-tables.pdf", "d/y-narrative.pdf", "d/z.pdf",
             "d/w-tables.pdf", "d/w-tables-2.pdf"]
    assert pair_parts(files) == [["d/x-narrative.pdf", "d/x-tables.pdf"], ["d/y-narrative.pdf"],
                                 ["d/z.pdf"], ["d/w-tables.pdf"], ["d/w-tables-2.pdf"]]


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    if not CORPUS.is_dir():
        pytest.skip("real corpus absent")
    return load_packs(ROOT / "rules")  # each template includes its narrative pack


@pytest.mark.parametrize("stem", ["js-cppcc-office-2017", "js-cppcc-office-2018", "js-cppcc-office-2019",
                                  "js-party-office-2017", "js-party-office-2018", "js-party-office-2019"])
def test_jiangsu_two_files_one_document(stem, packs):
    j = CORPUS / "jiangsu"
    a = audit_spec(f"{j / (stem + '-narrative.pdf')}+{j / (stem + '-tables.pdf')}", packs)
    assert a.error is None and a.template == "jiangsu-dept-budget"
    narrative = [o for o in a.outcomes if o.rule.startswith("js.n")]
    assert sum(o.evaluated for o in narrative) > 10
    # every narrative figure bound to a table names both files
    bound = [f for f in a.findings if f.rule.startswith("js.n") and f.kind == "equal"]
    for f in bound:
        assert {Path(c.figure.source).name.split("-")[-1] for c in f.cells} <= {"narrative.pdf", "tables.pdf"}


def test_cppcc_2018_findings(packs):
    j = CORPUS / "jiangsu"
    a = audit_spec(f"{j / 'js-cppcc-office-2018-narrative.pdf'}+{j / 'js-cppcc-office-2018-tables.pdf'}", packs)
    errors = sorted((f.rule, str(f.actual), str(f.expected)) for f in a.findings
                    if f.rule.startswith("js.n") and f.severity == "error")
    # 机关运行经费 下降 66.69%: 2,233.13 / (1,115.85 + 2,233.13) is 66.68% (see test_previous)
    assert errors == [("js.n11.running-change", "66.69", "66.68")]
    ok = {o.rule: o for o in a.outcomes}
    for rid in ("js.n1.total", "js.n3.total", "js.n5.item", "js.n6.basic", "js.n12.procurement"):
        assert ok[rid].evaluated >= 1 and ok[rid].failed == 0, rid
