"""The single-document options in a batch: --strict, waivers (sidecars and
--waivers FILE), --lang, and the result cache with each of them.

The bookkeeping (which waiver is stale over the batch, exit codes, a waiver
file that turns bad mid-run) is tested with a fake per-document task run in
the real worker processes; the end-to-end tests run the real CLI on the
bundled samples (share-wrong.pdf has two narrative errors: 62.32% for 63.32%
and the shares summing to 99.00).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from auditor.batch import BatchError, BatchOptions, audit_batch, discover, prepare_waivers
from auditor.model import Audit, CellRef, Figure, Finding, RuleOutcome
from batch_helpers import Collect, empty_rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"
SHARE_WRONG = ROOT / "samples" / "injected" / "share-wrong.pdf"
SCHEMA = json.loads((ROOT / "auditor" / "schema" / "report.schema.json").read_text(encoding="utf-8"))
FAKE = f"{__name__}:fake_task"
PDF_BYTES = b"%PDF-1.4\n% fake\n%%EOF\n"

needs_samples = pytest.mark.skipif(not SAMPLE.exists() or not SHARE_WRONG.exists(),
                                   reason="samples not generated")

# share-wrong.pdf: both errors waived, and one waiver that matches nothing (line 7)
SHARE_WRONG_WAIVERS = """\
    waivers:
      - rule: xj.n3.basic-share
        text: "62.32%"
        reason: 更正公告已说明
      - {rule: xj.n3.shares-split, sentence: "基本支出2,279.34万元，占62.32%", reason: 同一处笔误}
      - rule: xj.t5.hierarchy
        table: 表5
        row: "2080109"
        reason: 去年的豁免
    """


# ------------------------------------------------------------------ a fake task


def fake_task(path: str, ctx) -> Audit:
    """Runs in a worker: an error at 表5 总计 合计 when the name has "err"; a rule
    that was skipped when it has "skip"."""
    name = os.path.basename(path)
    ctx.extractions += 1
    findings = ()
    if "err" in name:
        fig = Figure(text="10.00", value=Decimal("10.00"), decimals=2, page=3, table="表5",
                     row="总计", column="合计", unit="万元")
        args = {"where": "表5 总计 合计", "stated": "10.00", "how": "a+b", "expected": "9.99", "hint": ""}
        findings = (Finding(rule="t.sum", kind="sum", severity="error",
                            message="表5 总计 合计: stated 10.00, a+b is 9.99",
                            expected=Decimal("9.99"), actual=Decimal("10.00"),
                            cells=(CellRef("actual", fig),),
                            message_key="finding.relation", message_args=args),)
    outcomes = (RuleOutcome(rule="t.sum", kind="sum", evaluated=1, passed=0 if findings else 1,
                            failed=1 if findings else 0),)
    if "skip" in name:
        outcomes += (RuleOutcome(rule="t.gone", kind="equal", skipped=1,
                                 skip_reasons=("表9 has no row '总计'",)),)
    return Audit(path=path, document=None, template="fake", findings=findings, outcomes=outcomes)


@pytest.fixture(scope="module")
def fake_rules(tmp_path_factory):
    return empty_rules(tmp_path_factory.mktemp("rules"))


def make(folder: Path, names: list[str]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        (folder / n).write_bytes(PDF_BYTES)
    return list(discover([folder]).files)


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run_fake(files, rules, sinks=(), **kw):
    options = BatchOptions(rules=rules, task=FAKE, **{"jobs": 2, **kw})
    collect = Collect(ordered=True)
    stats = audit_batch(list(files), options, [collect, *sinks])
    return stats, {Path(r.row.path).name: r for r in collect.results}


# ------------------------------------------------------------------ --strict


def test_strict_reaches_the_workers(tmp_path, fake_rules):
    files = make(tmp_path, ["a-skip.pdf", "b.pdf"])
    stats, res = run_fake(files, fake_rules)
    assert stats.exit_code("error") == 0
    assert res["a-skip.pdf"].document["findings"] == []
    assert res["a-skip.pdf"].document["skipped"] == [
        {"rule": "t.gone", "count": 1, "reasons": ["表9 has no row '总计'"]}]

    stats, res = run_fake(files, fake_rules, strict=True)
    assert stats.exit_code("error") == 1
    (f,) = res["a-skip.pdf"].document["findings"]
    assert (f["rule"], f["kind"], f["severity"]) == ("t.gone", "skipped", "error")
    assert f["message"] == ("--strict: rule t.gone was skipped 1 time(s) and counts as a failure: "
                            "表9 has no row '总计'")
    assert res["b.pdf"].document["findings"] == [] and not res["b.pdf"].row.fails("error")


# ------------------------------------------------------------------ waivers: the bookkeeping


WAIVE_T_SUM = "waivers:\n  - {rule: t.sum, table: 表5, row: 总计, reason: 已更正}\n"


def test_sidecar_waives_its_own_document_only(tmp_path, fake_rules):
    files = make(tmp_path, ["err1.pdf", "err2.pdf"])
    side = write(tmp_path / "err1.pdf.waivers.yaml", WAIVE_T_SUM)
    stats, res = run_fake(files, fake_rules)
    one, two = res["err1.pdf"], res["err2.pdf"]
    assert (one.row.errors, one.row.waived, one.row.fails("error")) == (0, 1, False)
    assert (two.row.errors, two.row.waived, two.row.fails("error")) == (1, 0, True)
    assert one.document["findings"][0]["waived"] == {"reason": "已更正", "source": f"{side}:2"}
    assert one.document["waivers"] == {"applied": 1, "stale": []}
    assert "waived" not in two.document["findings"][0] and "waivers" not in two.document
    assert stats.waivers and stats.waived == 1 and stats.stale_waivers == []
    assert stats.exit_code("error") == 1
    write(tmp_path / "err2.pdf.waivers.yaml", WAIVE_T_SUM)
    stats, _ = run_fake(files, fake_rules)
    assert stats.exit_code("error") == 0 and stats.waived == 2


def test_one_waiver_file_for_the_batch_is_stale_only_where_it_matched_nowhere(tmp_path, fake_rules):
    from auditor.report.sinks import get_sink

    files = make(tmp_path / "pdfs", ["err1.pdf", "err2.pdf", "ok.pdf"])
    # a sidecar is not read when --waivers names the file for every document
    write(tmp_path / "pdfs" / "ok.pdf.waivers.yaml", "waivers:\n  - {rule: other, text: '1', reason: r}\n")
    w = write(tmp_path / "all.yaml", WAIVE_T_SUM + "  - {rule: t.none, table: 表1, reason: 不再需要}\n")
    out = io.StringIO()
    stats, res = run_fake(files, fake_rules, [get_sink("json", out)], waivers=w)
    assert stats.exit_code("error") == 0 and stats.exit_code("note") == 0
    assert [res[n].row.waived for n in ("err1.pdf", "err2.pdf", "ok.pdf")] == [1, 1, 0]
    # t.sum matched in err1 and err2: stale in ok.pdf alone, not over the batch
    assert [(s["rule"], s["source"], s["line"], s["col"]) for s in stats.stale_waivers] == [
        ("t.none", str(w), 3, 5)]
    assert [s["rule"] for s in res["ok.pdf"].document["waivers"]["stale"]] == ["t.sum", "t.none"]
    report = json.loads(out.getvalue())
    jsonschema.validate(report, SCHEMA)
    assert report["summary"] == {"documents": 3, "failed": 0, "errors": 2, "warnings": 0, "notes": 0,
                                 "waived": 2, "stale_waivers": 1}


def test_without_waivers_the_json_summary_is_unchanged(tmp_path, fake_rules):
    from auditor.report.sinks import get_sink

    out = io.StringIO()
    stats, _ = run_fake(make(tmp_path, ["err.pdf"]), fake_rules, [get_sink("json", out)])
    assert not stats.waivers
    assert json.loads(out.getvalue())["summary"] == {"documents": 1, "failed": 0, "errors": 1,
                                                     "warnings": 0, "notes": 0}


def test_bad_waiver_files_stop_the_batch_before_it_starts(tmp_path, fake_rules):
    files = make(tmp_path, ["a.pdf", "b.pdf"])
    bad = write(tmp_path / "b.pdf.waivers.yaml", "waivers:\n  - rule: x\n    reasn: typo\n")
    options = BatchOptions(rules=fake_rules, task=FAKE)
    with pytest.raises(BatchError) as e:
        audit_batch(files, options, [])
    assert str(e.value) == (f"{bad}:3:5: unknown key 'reasn' (allowed: rule, reason, table, row, "
                            "column, text, sentence)")
    explicit = write(tmp_path / "w.yaml", "waivers:\n  - {rule: x, page: 3, reason: r}\n")
    with pytest.raises(BatchError, match=rf"^{re.escape(str(explicit))}:2:15: waivers are never keyed by page"):
        prepare_waivers(files, BatchOptions(rules=fake_rules, waivers=explicit))
    with pytest.raises(BatchError, match=r"^.*missing\.yaml:0:0: "):
        prepare_waivers(files, BatchOptions(rules=fake_rules, waivers=tmp_path / "missing.yaml"))


def test_a_sidecar_broken_after_the_start_fails_its_document(tmp_path, fake_rules):
    files = make(tmp_path, ["err.pdf", "ok.pdf"])
    side = write(tmp_path / "err.pdf.waivers.yaml", WAIVE_T_SUM)
    options = BatchOptions(rules=fake_rules, task=FAKE, jobs=1)
    plan = prepare_waivers(files, options)  # valid when the batch began ...
    side.write_text("waivers:\n  - rule: t.sum\n    reasn: typo\n", encoding="utf-8")  # ... edited since
    sink = Collect()
    stats = audit_batch(files, options, [sink], waivers=plan)
    res = {Path(r.row.path).name: r for r in sink.results}
    assert res["err.pdf"].document["error"]["code"] == "bad-waivers"
    assert res["err.pdf"].document["error"]["message"].startswith(f"{side}:3:5: unknown key 'reasn'")
    assert res["ok.pdf"].row.status == "ok" and stats.exit_code("error") == 2


def test_a_two_file_disclosure_reads_the_narrative_files_sidecar(tmp_path):
    from auditor.waivers import sidecar

    n, t = make(tmp_path, ["x-narrative.pdf", "x-tables.pdf"])[0].split("+")
    assert sidecar(f"{n}+{t}") == f"{n}.waivers.yaml"
    assert sidecar(n) == f"{n}.waivers.yaml"


def test_sidecars_are_not_counted_as_other_files(tmp_path):
    make(tmp_path, ["a.pdf"])
    (tmp_path / "a.pdf.waivers.yaml").write_text("waivers:\n")
    (tmp_path / "gone.pdf.waivers.yaml").write_text("waivers:\n")  # its PDF is not there
    assert discover([tmp_path]).ignored == 1


def test_waivers_on_a_report_entry_mark_it_as_on_an_audit(tmp_path):
    """The worker applies waivers to the documents[] entry (a cached result is one):
    the same marks, byte for byte, as json_report.document_dict(audit, waivers)."""
    from auditor.report.json_report import document_dict, mark_waivers
    from auditor.waivers import apply_to_document, load
    from report_helpers import synthetic_audit

    a = synthetic_audit()
    ws = load(str(write(tmp_path / "w.yaml", """\
        waivers:
          - {rule: t.hierarchy, table: 表5, row: "208", column: 合计, reason: a}
          - {rule: t.share, sentence: "基本支出 2,279.34万元", reason: b}
          - {rule: t.limit, text: "99.99", reason: stale}
        """)))
    expected = document_dict(a, ws.apply([a]))
    entry = json.loads(json.dumps(document_dict(a)))
    applied = apply_to_document(ws, entry)
    assert json.dumps(mark_waivers(entry, applied), ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
    assert sorted(applied.waived) == [0, 1] and [w.reason for w in applied.stale] == ["stale"]


def test_messages_travel_in_the_report_language(tmp_path, fake_rules):
    files = make(tmp_path, ["err.pdf"])
    _, res = run_fake(files, fake_rules, lang="zh")
    r = res["err.pdf"]
    assert r.messages == ["表5 总计 合计：列示 10.00，a+b为 9.99"]
    assert r.document["findings"][0]["message"] == "表5 总计 合计: stated 10.00, a+b is 9.99"  # the contract
    _, res = run_fake(files, fake_rules, lang="en")
    assert res["err.pdf"].messages == ["表5 总计 合计: stated 10.00, a+b is 9.99"]


def test_dask_reports_sidecars_under_the_path_given(tmp_path, fake_rules, monkeypatch):
    distributed = pytest.importorskip("distributed")
    make(tmp_path / "pdfs", ["err.pdf", "ok.pdf"])
    write(tmp_path / "pdfs" / "err.pdf.waivers.yaml",
          WAIVE_T_SUM + "  - {rule: t.none, table: 表1, reason: r}\n")
    monkeypatch.chdir(tmp_path)
    files = list(discover(["pdfs"]).files)  # relative: the workers are sent absolute paths
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        stats, res = run_fake(files, fake_rules, scheduler=cluster.scheduler_address, lang="zh")
    err = res["err.pdf"]
    assert err.document["path"] == os.path.join("pdfs", "err.pdf")
    side = os.path.join("pdfs", "err.pdf.waivers.yaml")
    assert err.document["findings"][0]["waived"]["source"] == f"{side}:2"
    assert [w["source"] for w in err.document["waivers"]["stale"]] == [f"{side}:3"]
    assert [(w["source"], w["line"]) for w in stats.stale_waivers] == [(side, 3)]
    assert err.messages == ["表5 总计 合计：列示 10.00，a+b为 9.99"]
    assert stats.exit_code("error") == 0


# ------------------------------------------------------------------ the CLI on the samples


def audit_cli(*args, timeout=180):
    env = {**os.environ, "COLUMNS": "250"}  # rich output: one line per finding
    return subprocess.run([sys.executable, "-m", "auditor", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def strict_rules(tmp_path_factory):
    """A template whose second rule names a row the sample does not print: it skips."""
    folder = tmp_path_factory.mktemp("strict-rules")
    (folder / "t.yaml").write_text(textwrap.dedent("""\
        pack: strict-test
        description: one rule that holds, one that must skip
        template:
          signals: [预算公开]
          tables:
            表1: {title: 收支总体情况表}
        rules:
          - id: t.balance
            kind: equal
            description: 表1 支出总计 = 收入总计
            value: 表1[支出总计]
            equals: 表1[收入总计]
          - id: t.absent
            kind: equal
            description: a row the sample does not print
            value: 表1[不存在的行]
            equals: 表1[收入总计]
        """), encoding="utf-8")
    return folder


@needs_samples
def test_cli_batch_strict_and_its_cache(tmp_path, strict_rules):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "a.pdf")
    cache = tmp_path / "cache"
    common = [folder, "--rules", strict_rules, "-j", "1", "--cache-dir", cache, "--format", "json"]

    plain = audit_cli(*common)
    assert plain.returncode == 0, plain.stderr
    (doc,) = json.loads(plain.stdout)["documents"]
    assert doc["findings"] == [] and [s["rule"] for s in doc["skipped"]] == ["t.absent"]

    strict = audit_cli(*common, "--strict")  # the same PDF, checked again: not the cached plain result
    assert strict.returncode == 1, strict.stderr
    (doc,) = json.loads(strict.stdout)["documents"]
    assert [(f["rule"], f["kind"], f["severity"]) for f in doc["findings"]] == [
        ("t.absent", "skipped", "error")]
    assert "0 extracted, 1 from the cache" in strict.stderr

    again = audit_cli(*common)  # and the plain result is still the plain one
    assert again.returncode == 0 and json.loads(again.stdout)["documents"][0]["findings"] == []

    zh = audit_cli(folder, "--rules", strict_rules, "-j", "1", "--cache-dir", cache, "--strict",
                   "--lang", "zh", "--no-color")
    assert zh.returncode == 1
    assert "--strict：规则 t.absent 被跳过 1 次，按失败计：表1 has no row '不存在的行'" in zh.stdout


@pytest.fixture(scope="module")
def unit(tmp_path_factory):
    """A folder with share-wrong.pdf, and a cache shared by the tests below."""
    base = tmp_path_factory.mktemp("unit")
    folder = base / "单位"
    folder.mkdir()
    shutil.copy(SHARE_WRONG, folder / "share-wrong.pdf")
    return folder, base / "cache"


@needs_samples
def test_cli_sidecar_waivers_in_a_batch_and_the_cache(unit):
    folder, cache = unit
    pdf = folder / "share-wrong.pdf"
    side = folder / "share-wrong.pdf.waivers.yaml"
    common = [folder, "-j", "1", "--cache-dir", cache, "--format", "json"]

    before = audit_cli(*common)
    assert before.returncode == 1, before.stderr
    (doc,) = json.loads(before.stdout)["documents"]
    assert sorted(f["rule"] for f in doc["findings"] if f["severity"] == "error") == [
        "xj.n3.basic-share", "xj.n3.shares-split"]

    write(side, SHARE_WRONG_WAIVERS)
    after = audit_cli(*common)
    assert after.returncode == 0, after.stderr
    report = json.loads(after.stdout)
    jsonschema.validate(report, SCHEMA)
    (doc,) = report["documents"]
    waived = {f["rule"]: f["waived"] for f in doc["findings"] if "waived" in f}
    assert waived == {"xj.n3.basic-share": {"reason": "更正公告已说明", "source": f"{side}:2"},
                      "xj.n3.shares-split": {"reason": "同一处笔误", "source": f"{side}:5"}}
    assert doc["waivers"] == {"applied": 2, "stale": [
        {"rule": "xj.t5.hierarchy", "table": "表5", "row": "2080109", "reason": "去年的豁免",
         "source": f"{side}:6"}]}
    assert report["summary"] == {"documents": 1, "failed": 0, "errors": 2, "warnings": 0,
                                 "notes": doc_notes(doc), "waived": 2, "stale_waivers": 1}
    # the waivers changed, the PDF did not: served from the cache, the new waivers applied
    assert "0 extracted, 1 from the cache" in after.stderr
    assert (f"audit: {side}:6:5: stale waiver: rule xj.t5.hierarchy 表5 · 2080109 matches no finding"
            in after.stderr.splitlines())

    # the same document entry as a single-document run with the same sidecar
    single = audit_cli(pdf, "--format", "json")
    assert single.returncode == 0
    assert json.loads(single.stdout)["documents"] == [doc]

    # one waiver less: its finding fails the batch again (still from the cache)
    write(side, SHARE_WRONG_WAIVERS.replace("      - {rule: xj.n3.shares-split", "      - {rule: xj.other"))
    edited = audit_cli(*common)
    assert edited.returncode == 1
    (doc,) = json.loads(edited.stdout)["documents"]
    assert [f["rule"] for f in doc["findings"] if "waived" in f] == ["xj.n3.basic-share"]
    assert "0 extracted, 1 from the cache" in edited.stderr
    side.unlink()


def doc_notes(doc):
    return sum(1 for f in doc["findings"] if f["severity"] == "note")


@needs_samples
def test_cli_bad_sidecar_is_one_line_and_exit_2(unit, tmp_path):
    folder, _ = unit
    side = folder / "share-wrong.pdf.waivers.yaml"
    write(side, "waivers:\n  - rule: xj.n3.basic-share\n    page: 18\n    reason: r\n")
    try:
        out = tmp_path / "report.json"
        p = audit_cli(folder, "--format", "json", "-o", out)
    finally:
        side.unlink()
    assert p.returncode == 2
    assert p.stderr.splitlines() == [
        f"audit: {side}:3:5: waivers are never keyed by page (pages move): use table/row/column, "
        "text or sentence"]
    assert p.stdout == "" and not out.exists()  # no worker started, no report begun


@needs_samples
def test_cli_batch_summary_in_chinese_and_english(unit):
    folder, cache = unit
    w = folder.parent / "all.yaml"
    write(w, "waivers:\n  - {rule: xj.n3.shares-split, text: '36.68%', reason: 已知}\n")
    en = audit_cli(folder, "-j", "1", "--cache-dir", cache, "--lang", "en", "--no-color",
                   "--waivers", w)
    assert en.returncode == 1, en.stderr
    assert f"Batch summary: {folder}" in en.stdout
    assert "ERROR xj.n3.basic-share  text p.18: stated 62.32%, 2,279.34 / 3,599.74 × 100 is 63.32%" in en.stdout
    assert "1 document, 0 could not be audited, 1 with findings at or above error, 1 finding waived" in en.stdout

    zh = audit_cli(folder, "-j", "1", "--cache-dir", cache, "--lang", "zh", "--no-color",
                   "--waivers", w)
    assert zh.returncode == 1, zh.stderr
    # from the cache, which keeps the messages in both languages
    assert "0 extracted, 1 from the cache" in zh.stderr
    text = zh.stdout
    assert f"批量审核汇总：{folder}" in text
    header = next(line for line in text.splitlines() if line.startswith("文件"))
    assert header.split() == ["文件", "模板", "表格", "错误", "警告", "提示", "已豁免", "秒", "状态"]
    row = next(line for line in text.splitlines() if line.startswith("share-wrong.pdf"))
    assert row.split()[3:7] == ["1", "0", "15", "1"] and row.split()[-1] == "有问题"
    assert "共 1 份文件，0 份无法审核，1 份有错误及以上级别的问题，1 项已豁免，0 条过期豁免" in text
    # --details: the findings' messages in Chinese, the waived one marked
    assert "错误    xj.n3.basic-share  说明 第18页：列示 62.32%，2,279.34 / 3,599.74 × 100为 63.32%" in text
    assert "豁免 错误    xj.n3.shares-split  说明 第18页：列示 100.00，62.32%+36.68% 之和为 99.00" in text
    assert f"已豁免：已知  ({w}:2)" in text
    assert "陈述值 62.32   计算值 63.32   差额 -1.00" in text
    assert "Batch summary" not in text and "stated" not in text
