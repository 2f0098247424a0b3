"""Folder batches pair the two files of one disclosure: X-narrative.pdf with
X-tables.pdf, and a narrative with its tables file under the names offices
publish them (issuer, year, …公开表)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.batch import discover

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def _touch(d: Path, *names: str) -> None:
    for n in names:
        (d / n).write_bytes(b"%PDF-1.4\n")


def test_discover_pairs_unambiguous_parts(tmp_path):
    _touch(tmp_path, "a-narrative.pdf", "a-tables.pdf", "b-narrative.pdf", "c.pdf",
           "d-tables.pdf", "d-tables-2.pdf")
    sub = tmp_path / "sub"
    sub.mkdir()
    _touch(sub, "a-tables.pdf")  # same stem, other folder: not a part of ./a
    files = discover([tmp_path]).files
    p = lambda *n: os.path.join(str(tmp_path), *n)  # noqa: E731
    assert files == (f"{p('a-narrative.pdf')}+{p('a-tables.pdf')}", p("b-narrative.pdf"), p("c.pdf"),
                     p("d-tables-2.pdf"), p("d-tables.pdf"), p("sub", "a-tables.pdf"))


def test_discover_never_pairs_two_narratives(tmp_path):
    _touch(tmp_path, "a-narrative.pdf", "a-Narrative.pdf", "a-tables.pdf")
    assert all("+" not in f for f in discover([tmp_path]).files)


def test_discover_pairs_files_as_published(tmp_path):
    """The Jiangsu corpus's files under the names their issuers published them."""
    zx, sw, rd = tmp_path / "江苏省政协办公厅", tmp_path / "江苏省委办公厅", tmp_path / "江苏省人大办公厅"
    for d in (zx, sw, rd):
        d.mkdir()
    _touch(zx, "江苏省政协办公厅2017年度部门预算.pdf", "2017年度部门预算公开表.pdf",
           "江苏省政协办公厅2018年度部门预算.pdf", "江苏省政协办公厅2018度部门预算公开表.pdf",
           "江苏省政协办公厅2019年度部门预算.pdf", "江苏省政协办公厅2019年预算公开表.pdf")
    _touch(sw, "江苏省委办公厅2017年部门预算.pdf", "江苏省委办公厅2017年预算公开表格.pdf",
           "江苏省委办公厅2019年度部门预算公开文件.pdf", "江苏省委办公厅2019年度部门预算公开表格.pdf")
    # two issuers (人大常委会 and its 办公厅): not one disclosure
    _touch(rd, "江苏省人大常委会2019年度部门预算公开.pdf", "江苏省人大常委会办公厅2019年部门预算公开表.pdf")
    groups = sorted(sorted(Path(p).name for p in f.split("+")) for f in discover([tmp_path]).files)
    assert groups == [
        ["2017年度部门预算公开表.pdf", "江苏省政协办公厅2017年度部门预算.pdf"],
        ["江苏省人大常委会2019年度部门预算公开.pdf"],
        ["江苏省人大常委会办公厅2019年部门预算公开表.pdf"],
        ["江苏省委办公厅2017年部门预算.pdf", "江苏省委办公厅2017年预算公开表格.pdf"],
        ["江苏省委办公厅2019年度部门预算公开文件.pdf", "江苏省委办公厅2019年度部门预算公开表格.pdf"],
        ["江苏省政协办公厅2018年度部门预算.pdf", "江苏省政协办公厅2018度部门预算公开表.pdf"],
        ["江苏省政协办公厅2019年度部门预算.pdf", "江苏省政协办公厅2019年预算公开表.pdf"],
    ]
    # the narrative first, whatever the order of the names
    pair = next(f for f in discover([zx]).files if "2019" in f)
    assert pair.split("+")[0].endswith("江苏省政协办公厅2019年度部门预算.pdf")


def test_published_names_pair_only_when_unambiguous(tmp_path):
    # a city's folder of many departments: two narratives of one year, one tables file
    _touch(tmp_path, "2026年广州市气象局部门预算.pdf", "2026年广州市商务局部门预算.pdf", "2026年部门预算公开表.pdf",
           "guangzhou-015554f21f.pdf")
    assert all("+" not in f for f in discover([tmp_path]).files)


def test_explicit_files_are_not_paired(tmp_path):
    _touch(tmp_path, "a-narrative.pdf", "a-tables.pdf")
    files = discover([tmp_path / "a-narrative.pdf", tmp_path / "a-tables.pdf"]).files
    assert len(files) == 2 and all("+" not in f for f in files)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="real corpus absent")
def test_folder_batch_audits_the_pair_as_one_document(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for part in ("narrative", "tables"):
        shutil.copy(CORPUS / "jiangsu" / f"js-cppcc-office-2019-{part}.pdf", d / f"js-cppcc-office-2019-{part}.pdf")
    out = tmp_path / "r.json"
    r = subprocess.run([sys.executable, "-m", "auditor", str(d), "--format", "json", "-o", str(out),
                        "--lang", "en"], capture_output=True, text=True, timeout=600)
    assert r.returncode in (0, 1), r.stderr
    (doc,) = json.loads(out.read_text("utf-8"))["documents"]
    assert doc["path"] == f"{d / 'js-cppcc-office-2019-narrative.pdf'}+{d / 'js-cppcc-office-2019-tables.pdf'}"
    assert doc["error"] is None and doc["template"] == "jiangsu-dept-budget"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="real corpus absent")
def test_folder_batch_pairs_the_files_as_published(tmp_path):
    d = tmp_path / "江苏省委办公厅"
    d.mkdir()
    shutil.copy(CORPUS / "jiangsu" / "js-party-office-2019-narrative.pdf", d / "江苏省委办公厅2019年度部门预算公开文件.pdf")
    shutil.copy(CORPUS / "jiangsu" / "js-party-office-2019-tables.pdf", d / "江苏省委办公厅2019年度部门预算公开表格.pdf")
    out = tmp_path / "r.json"
    r = subprocess.run([sys.executable, "-m", "auditor", str(d), "--format", "json", "-o", str(out),
                        "--lang", "en"], capture_output=True, text=True, timeout=600)
    assert r.returncode in (0, 1), r.stderr
    (doc,) = json.loads(out.read_text("utf-8"))["documents"]
    assert doc["path"] == f"{d / '江苏省委办公厅2019年度部门预算公开文件.pdf'}+{d / '江苏省委办公厅2019年度部门预算公开表格.pdf'}"
    assert doc["error"] is None and doc["template"] == "jiangsu-dept-budget"
    assert len(doc["tables"]) == 12
    # the narrative's sentences are checked against the tables: a 说明 finding cites its file
    narrative = [c for f in doc["findings"] for c in f["cells"] if c["table"] is None]
    assert narrative and {c["file"] for c in narrative} == {str(d / "江苏省委办公厅2019年度部门预算公开文件.pdf")}


def test_the_summary_shows_each_file_of_a_pair_under_the_folder(tmp_path):
    from rich.console import Console

    from auditor.batch import BatchStats, DocResult, SummaryRow
    from auditor.report.batch_report import summary_table

    d = tmp_path / "in"
    pair = f"{d / 'x-narrative.pdf'}+{d / 'x-tables.pdf'}"
    stats = BatchStats(total=2, workers=1)
    for i, path in enumerate([pair, str(d / "y.pdf")]):
        doc = {"path": path, "status": "ok", "error": None, "template": "t", "tables": [], "findings": []}
        stats.add(DocResult(index=i, document=doc, row=SummaryRow.of(i, doc, 0.5)))
    console = Console(width=200, record=True, color_system=None)
    console.print(summary_table(stats, "error"))
    text = console.export_text()
    assert f"Batch summary: {d}" in text
    assert "x-narrative.pdf+x-tables.pdf" in text and "y.pdf" in text
    assert str(d / "x-tables.pdf") not in text
