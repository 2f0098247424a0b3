"""The command line for two-file disclosures, last year's document and --strict:
exit codes, the JSON report valid against its schema, and each cell naming the
file it is printed in.  Each corpus file is read by one run only."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
J = CORPUS / "jiangsu"
SCHEMA = json.loads((ROOT / "auditor" / "schema" / "report.schema.json").read_text("utf-8"))

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="real corpus absent")


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> Path:
    """The bundled packs, each template including its narrative pack."""
    d = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(ROOT / "rules", d)  # a copy of the bundled packs, as a user's --rules folder
    return d


def _audit(rules: Path, *args: str, out: Path | None = None) -> tuple[int, dict | None, str]:
    cmd = [sys.executable, "-m", "auditor", *args, "--rules", str(rules), "--lang", "en"]
    if out is not None:
        cmd += ["--format", "json", "-o", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert "Traceback" not in r.stderr, r.stderr
    report = json.loads(out.read_text("utf-8")) if out is not None and out.exists() else None
    if report is not None:
        jsonschema.validate(report, SCHEMA)
    return r.returncode, report, r.stderr


def test_tables_option_one_document_cells_name_their_file(rules, tmp_path):
    n, t = J / "js-cppcc-office-2018-narrative.pdf", J / "js-cppcc-office-2018-tables.pdf"
    code, report, err = _audit(rules, str(n), "--tables", str(t), out=tmp_path / "r.json")
    assert code == 1, err  # 机关运行经费 下降 66.69% (66.68%)
    (doc,) = report["documents"]
    assert doc["path"] == f"{n}+{t}" and doc["template"] == "jiangsu-dept-budget"
    errors = [f for f in doc["findings"] if f["severity"] == "error"]
    assert [(f["rule"], f["actual"], f["expected"]) for f in errors] == [
        ("js.n11.running-change", "66.69", "66.68")]
    files = {c["file"] for f in doc["findings"] for c in f["cells"]}
    assert files <= {str(n), str(t)}
    assert errors[0]["cells"][0]["file"] == str(n) and errors[0]["cells"][0]["page"] == 15


def test_plus_form_with_previous(rules, tmp_path):
    cur = f"{J / 'js-party-office-2019-narrative.pdf'}+{J / 'js-party-office-2019-tables.pdf'}"
    prev = f"{J / 'js-party-office-2018-narrative.pdf'}+{J / 'js-party-office-2018-tables.pdf'}"
    code, report, err = _audit(rules, cur, "--previous", prev, out=tmp_path / "r.json")
    assert code == 1, err  # 住房保障 增长30% (29%), …
    (doc,) = report["documents"]
    assert doc["path"] == cur
    # the command line reports exactly the pair's confirmed findings (corpus_previous_expectations.yaml)
    import yaml

    pairs = yaml.safe_load((ROOT / "tests" / "corpus_previous_expectations.yaml").read_text("utf-8"))["pairs"]
    want = next(p for p in pairs if p["name"] == "party-office 2018 → 2019")["findings"]
    errors = {(f["rule"], f["actual"], f["expected"]) for f in doc["findings"]
              if f["severity"] in ("error", "warning")}
    assert errors == {(f["rule"], f["actual"], f["expected"]) for f in want}
    assert ("js.n1.class-change", "30", "29") in errors
    # the change rules were checked against last year: more instances are evaluated than
    # without --previous, and every one of them passes but the confirmed findings that
    # read last year's files
    code, alone, err = _audit(rules, cur, out=tmp_path / "alone.json")
    (base,) = alone["documents"]
    extra = doc["checks"]["evaluated"] - base["checks"]["evaluated"]
    assert extra > 0, (doc["checks"], base["checks"])
    last_year = set(prev.split("+"))
    from_last_year = [f for f in doc["findings"] if f["severity"] in ("error", "warning")
                      and any(c.get("file") in last_year for c in f["cells"])]
    assert doc["checks"]["failed"] - base["checks"]["failed"] == len(from_last_year)
    # nothing of the template is skipped; the national layer's sentences are, where the
    # template's own rule judges the sentence (or the document does not print it)
    assert doc["checks"]["skipped"] == base["checks"]["skipped"]
    assert doc["skipped"] and all(s["rule"].startswith("nb.") for s in doc["skipped"]), doc["skipped"]


def test_previous_cell_names_last_years_file_and_strict(rules, tmp_path):
    cur, prev = J / "js-procuratorate-2018-budget.pdf", J / "js-procuratorate-2017-budget.pdf"
    code, report, err = _audit(rules, str(cur), "--previous", str(prev), "--strict",
                               out=tmp_path / "s.json")
    assert code == 1, err
    (doc,) = report["documents"]
    basic = next(f for f in doc["findings"] if f["rule"] == "js.n1.basic-change")
    actual = next(c for c in basic["cells"] if c["role"] == "actual")
    # last year's 公开03表 基本支出 12,323.48, in last year's file; the sentence in this year's
    assert (actual["file"], actual["table"], actual["value"]) == (str(prev), "公开03表", "12323.48")
    # (a one-file document names its file once, as the document path)
    assert {c.get("file", doc["path"]) for c in basic["cells"] if c["role"] == "operand"} == {str(cur)}
    # --strict: every skipped rule is an error finding of kind skipped
    skipped = [f for f in doc["findings"] if f["kind"] == "skipped"]
    assert skipped and all(f["severity"] == "error" for f in skipped)


def test_bad_parts_exit_2(rules, tmp_path):
    n = J / "js-cppcc-office-2019-narrative.pdf"
    missing = tmp_path / "absent-tables.pdf"
    code, _, err = _audit(rules, str(n), "--tables", str(missing))
    assert code == 2 and "absent-tables.pdf" in err
    code, _, err = _audit(rules, f"{n}+{missing}")
    assert code == 2 and "absent-tables.pdf" in err
    code, _, err = _audit(rules, str(n), "--previous", str(missing))
    assert code == 2 and "absent-tables.pdf" in err
