"""Waivers: validation with file:line:col, matching by rule and location, stale waivers, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from auditor.waivers import WaiverError, WaiverSet, apply_all, for_documents, load, sidecar
from report_helpers import INJECTED, ROOT, sample_audit, samples_ready, synthetic_audit


def write(tmp_path, text, name="w.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize("text, line, col, words", [
    ("waivers:\n  - rule: t.share\n    txt: 62.32%\n    reason: r\n", 3, 5, "unknown key 'txt'"),
    ("waiver:\n  - rule: t.share\n", 1, 1, "unknown key 'waiver'"),
    ("waivers:\n  - rule: t.share\n    text: 62.32%\n", 2, 5, "missing required key 'reason'"),
    ("waivers:\n  - rule: t.share\n    reason: r\n", 2, 5, "needs a location"),
    ("waivers:\n  - rule: t.share\n    page: 18\n    reason: r\n", 3, 5, "never keyed by page"),
    ("waivers:\n  - rule: t.share\n    text: [1, 2]\n    reason: r\n", 3, 11, "must be a non-empty string"),
    ("waivers:\n  - rule: t.share\n    text: 62.32%\n    reason: ''\n", 4, 13, "must be a non-empty string"),
    ("waivers: {rule: x}\n", 1, 10, "must be a list"),
    ("waivers:\n  - rule: t.share\n   bad indent: [\n", 3, None, "YAML syntax error"),
])
def test_invalid_files_name_line_and_column(tmp_path, text, line, col, words):
    p = write(tmp_path, text)
    with pytest.raises(WaiverError) as e:
        load(str(p))
    assert e.value.line == line
    if col is not None:
        assert e.value.col == col
    assert words in e.value.message
    assert str(e.value).startswith(f"{p}:{line}:")


def test_messages_in_chinese(tmp_path):
    p = write(tmp_path, "waivers:\n  - rule: t.share\n    txt: 1\n    reason: r\n")
    with pytest.raises(WaiverError) as e:
        load(str(p), lang="zh")
    assert "未知的键 'txt'" in str(e.value)


def test_empty_file_waives_nothing(tmp_path):
    assert load(str(write(tmp_path, ""))).waivers == ()
    assert load(str(write(tmp_path, "waivers:\n", "b.yaml"))).waivers == ()


# ------------------------------------------------------------------ matching


def waive(tmp_path, text):
    a = synthetic_audit()
    ws = load(str(write(tmp_path, text)))
    applied = ws.apply([a])[a.path]
    return a, applied


def test_table_cell_by_table_row_column_suffix(tmp_path):
    a, ap = waive(tmp_path, """\
        waivers:
          - rule: t.hierarchy
            table: 表5
            row: "208"
            column: 合计
            reason: 更正公告已说明
        """)
    assert [a.findings[i].rule for i in ap.waived] == ["t.hierarchy"]
    assert ap.stale == ()
    w = ap.waiver(0)
    assert (w.reason, w.line, w.col) == ("更正公告已说明", 2, 5)


def test_unquoted_code_row_matches(tmp_path):
    _, ap = waive(tmp_path, "waivers:\n  - {rule: t.hierarchy, row: 208, reason: r}\n")
    assert list(ap.waived) == [0]


def test_wrong_column_does_not_match(tmp_path):
    _, ap = waive(tmp_path, "waivers:\n  - {rule: t.hierarchy, row: '208', column: 基本支出, reason: r}\n")
    assert ap.waived == {} and len(ap.stale) == 1


def test_narrative_by_text_or_sentence(tmp_path):
    a, ap = waive(tmp_path, """\
        waivers:
          - {rule: t.share, text: "62.32%", reason: by text}
        """)
    assert [a.findings[i].rule for i in ap.waived] == ["t.share"]
    _, ap = waive(tmp_path, """\
        waivers:
          - {rule: t.share, text: "62.32", reason: without the % sign}
        """)
    assert list(ap.waived) == [1]
    _, ap = waive(tmp_path, """\
        waivers:
          - {rule: t.share, sentence: "基本支出 2,279.34万元", reason: white space ignored}
        """)
    assert list(ap.waived) == [1]
    _, ap = waive(tmp_path, """\
        waivers:
          - {rule: t.share, sentence: 不在句中, reason: r}
        """)
    assert ap.waived == {} and [w.rule for w in ap.stale] == ["t.share"]


def test_rule_must_agree(tmp_path):
    _, ap = waive(tmp_path, "waivers:\n  - {rule: t.other, text: '62.32%', reason: r}\n")
    assert ap.waived == {} and len(ap.stale) == 1


def test_sidecar_discovery(tmp_path):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert for_documents([str(pdf)]) == []
    side = tmp_path / "a.pdf.waivers.yaml"
    assert sidecar(str(pdf)) == str(side)
    side.write_text("waivers:\n  - {rule: t.share, text: '62.32%', reason: r}\n", encoding="utf-8")
    sets = for_documents([str(pdf)])
    assert len(sets) == 1 and sets[0][1] == [str(pdf)]


def test_failed_document_makes_no_waiver_stale(tmp_path):
    from report_helpers import failed_audit

    a = failed_audit()
    ws = WaiverSet("w.yaml", load(str(write(tmp_path, "waivers:\n  - {rule: x, table: 表1, reason: r}\n"))).waivers)
    assert apply_all([a], [(ws, [a.path])]) == {}


def test_exit_code_ignores_waived_findings(tmp_path):
    from auditor.cli import exit_code

    a = synthetic_audit()
    everything = load(str(write(tmp_path, """\
        waivers:
          - {rule: t.hierarchy, table: 表5, row: "208", reason: r}
          - {rule: t.share, text: "62.32%", reason: r}
          - {rule: t.limit, row: "20801", reason: r}
        """)))
    applied = everything.apply([a])
    assert exit_code([a], "error") == 1
    assert exit_code([a], "error", applied) == 0
    assert exit_code([a], "note", applied) == 1  # the note is not waived


# ------------------------------------------------------------------ end to end on a sample

needs_samples = pytest.mark.skipif(not samples_ready(), reason="samples/ not generated")


def run_audit(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "auditor", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300, env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"})


@needs_samples
def test_waiving_the_only_error_of_a_sample(tmp_path):
    src = INJECTED / "growth-rate-wrong.pdf"
    a = sample_audit(src)
    errors = [f for f in a.findings if f.severity == "error"]
    assert len(errors) == 1
    err = errors[0]
    stated = next(c.figure for c in err.cells if c.role == "actual")
    pdf = tmp_path / src.name
    shutil.copy(src, pdf)

    before = run_audit(pdf, "--format", "json")
    assert before.returncode == 1, before.stderr

    # the sidecar next to the PDF: one waiver that matches, one that is stale
    sidecar_file = tmp_path / (src.name + ".waivers.yaml")
    sidecar_file.write_text(textwrap.dedent(f"""\
        waivers:
          - rule: {err.rule}
            text: "{stated.text}"
            reason: 更正公告已说明增长率
          - rule: xj.t1.balance
            table: 表1
            row: 收入总计
            reason: 早已更正
        """), encoding="utf-8")
    after = run_audit(pdf, "--format", "json")
    assert after.returncode == 0, after.stdout[-2000:] + after.stderr
    report = json.loads(after.stdout)
    doc = report["documents"][0]
    waived = [f for f in doc["findings"] if "waived" in f]
    assert [f["rule"] for f in waived] == [err.rule]
    assert waived[0]["waived"]["reason"] == "更正公告已说明增长率"
    assert report["summary"]["errors"] == 1 and report["summary"]["waived"] == 1
    stale = doc["waivers"]["stale"]
    assert [w["rule"] for w in stale] == ["xj.t1.balance"]
    assert f"{sidecar_file}:5" in after.stderr and "stale" in after.stderr

    # rich report shows it waived; --waivers FILE overrides the sidecar
    rich = run_audit(pdf, "--no-color")
    assert rich.returncode == 0 and "WAIVED" in rich.stdout and "Stale waivers" in rich.stdout
    other = write(tmp_path, "waivers:\n  - {rule: nothing.here, text: '1', reason: r}\n", "other.yaml")
    explicit = run_audit(pdf, "--waivers", other, "--format", "json")
    assert explicit.returncode == 1


@needs_samples
def test_invalid_waiver_file_exits_2(tmp_path):
    src = INJECTED / "growth-rate-wrong.pdf"
    bad = write(tmp_path, "waivers:\n  - rule: x\n    reasn: typo\n")
    p = run_audit(src, "--waivers", bad)
    assert p.returncode == 2
    assert f"{bad}:3:5:" in p.stderr and "unknown key 'reasn'" in p.stderr
