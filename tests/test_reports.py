"""Reporters: the message catalogue, Markdown, SARIF (validated), JUnit (parsed), JSON, HTML, rich."""

from __future__ import annotations

import io
import json
from dataclasses import replace
import re
import xml.etree.ElementTree as ET

import pytest

from auditor.messages import LANGS, MESSAGES, default_lang, finding_message, placeholders, t
from auditor.report import FORMATS, get_reporter
from auditor.waivers import Waiver, WaiverSet
from report_helpers import CLEAN, DATA, INJECTED, failed_audit, packs, sample_audit, samples_ready, synthetic_audit

needs_samples = pytest.mark.skipif(not samples_ready(), reason="samples/ not generated")


def render(fmt, audits, **kw) -> str:
    buf = io.StringIO()
    get_reporter(fmt)(audits, buf, **kw)
    return buf.getvalue()


def waivers_for(audit, *waivers):
    return WaiverSet("w.yaml", tuple(waivers)).apply([audit])


WAIVE_SHARE = Waiver(rule="t.share", reason="更正公告已说明", text="62.32%", source="w.yaml", line=2, col=5)
STALE = Waiver(rule="t.gone", reason="old", table="表1", source="w.yaml", line=6, col=5)


# ------------------------------------------------------------------ messages


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_every_language(key):
    entry = MESSAGES[key]
    for lang in LANGS:
        assert entry.get(lang, "").strip(), f"message {key!r} lacks {lang}"
    assert set(entry) == set(LANGS), f"message {key!r} has unknown languages {set(entry) - set(LANGS)}"
    assert placeholders(entry["zh"]) == placeholders(entry["en"]), f"{key}: placeholders differ"


def test_a_missing_language_is_caught():
    # The check above is real: a catalogue entry with one language fails it.
    bad = {"zh": "只有中文"}
    assert not all(bad.get(lang, "").strip() for lang in LANGS)


def test_default_lang_from_locale():
    assert default_lang({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_lang({"LANG": "en_US.UTF-8"}) == "en"
    assert default_lang({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}) == "zh"
    assert default_lang({}) == "en"


def test_finding_message_hook():
    f = synthetic_audit().findings[0]
    assert finding_message(f, "zh") == f.message  # check kinds do not set a key yet

    class Keyed:
        message = "fallback"
        message_key = "finding.values"
        message_args = {"n": 3}

    MESSAGES["finding.values"] = {"zh": "{n} 个值", "en": "{n} values"}
    try:
        assert finding_message(Keyed(), "zh") == "3 个值"
        assert finding_message(Keyed(), "en") == "3 values"
    finally:
        del MESSAGES["finding.values"]
    assert t("summary.errors", "zh", n=2) == "2 个错误"


# ------------------------------------------------------------------ markdown


def _md_tables(text: str):
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(text)
    return html, re.findall(r"<table>.*?</table>", html, re.S)


def test_markdown_renders_findings_as_a_table():
    a = synthetic_audit()
    text = render("markdown", [a], lang="en")
    html, tables = _md_tables(text)
    assert len(tables) == 2  # errors + warnings; notes folded in <details>
    main = tables[0]
    assert main.count("<tr>") == 1 + 3  # header + 2 errors + 1 warning
    assert "<code>t.hierarchy</code>" in main and "<code>t.share</code>" in main
    assert "with a pipe" in main  # the | in the message did not split the row
    assert "&lt;b&gt;" in main  # nor did HTML in a message leak
    assert "表5 · 208 · 一般公共预算支出/合计 · p.3" in main
    assert "<details>" in text and "t.total" in tables[1]
    assert "**2 errors, 1 warning, 1 note (within rounding)**" in text


def test_markdown_waived_and_stale_and_chinese():
    a = synthetic_audit()
    text = render("markdown", [a], lang="zh", waivers=waivers_for(a, WAIVE_SHARE, STALE))
    assert "已豁免：更正公告已说明" in text
    assert "过期豁免" in text and "t.gone" in text
    assert "1 个错误" in text and "1 项已豁免" in text


def test_markdown_failed_document():
    text = render("markdown", [failed_audit()], lang="en")
    assert "no-text-layer" in text


# ------------------------------------------------------------------ SARIF


@pytest.fixture(scope="module")
def sarif_validator():
    import jsonschema

    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def _validate(validator, log):
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_sarif_validates_and_locates(sarif_validator):
    a = synthetic_audit()
    log = json.loads(render("sarif", [a, failed_audit()], lang="en", waivers=waivers_for(a, WAIVE_SHARE, STALE)))
    _validate(sarif_validator, log)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {"t.hierarchy", "t.share", "t.limit", "t.total", "t.absent"} <= rules
    assert [art["location"]["uri"] for art in run["artifacts"]] == ["reports/2026-unit-budget.pdf", "reports/scan.pdf"]
    results = run["results"]
    assert [r["level"] for r in results] == ["error", "error", "warning", "note"]
    h = results[0]
    loc = h["locations"][0]
    assert loc["physicalLocation"]["region"]["startLine"] == 3  # the page
    assert loc["physicalLocation"]["region"]["properties"]["page"] == 3
    logical = run["logicalLocations"][loc["logicalLocations"][0]["index"]]
    assert logical["fullyQualifiedName"] == "表5[208][一般公共预算支出/合计]"
    row = run["logicalLocations"][logical["parentIndex"]]
    table = run["logicalLocations"][row["parentIndex"]]
    assert (row["name"], table["name"]) == ("208", "表5")
    assert len(h["relatedLocations"]) == 2
    assert h["ruleId"] == run["tool"]["driver"]["rules"][h["ruleIndex"]]["id"]
    share = results[1]
    assert share["suppressions"][0]["justification"] == "更正公告已说明"
    assert "suppressions" not in h
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any(n["descriptor"]["id"] == "stale-waiver" for n in notes)
    assert any(n["level"] == "error" and "no-text-layer" in n["message"]["text"] for n in notes)
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_schema_rejects_a_broken_log(sarif_validator):
    log = json.loads(render("sarif", [synthetic_audit()]))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert list(sarif_validator.iter_errors(log))


@needs_samples
def test_sarif_of_an_injected_sample(sarif_validator):
    a = sample_audit(INJECTED / "total-changed.pdf")
    log = json.loads(render("sarif", [a], packs=packs()))
    _validate(sarif_validator, log)
    driver = log["runs"][0]["tool"]["driver"]
    assert len(driver["rules"]) == len(a.outcomes)
    assert all(r["shortDescription"]["text"] for r in driver["rules"])
    errors = [r for r in log["runs"][0]["results"] if r["level"] == "error"]
    assert len(errors) == a.count("error") > 0


# ------------------------------------------------------------------ JUnit


def test_junit_parses():
    from junitparser import Failure, JUnitXml, Skipped

    a = synthetic_audit()
    text = render("junit", [a, failed_audit()], lang="en", waivers=waivers_for(a, WAIVE_SHARE))
    xml = JUnitXml.fromstring(text.encode("utf-8"))
    suites = list(xml)
    assert len(suites) == 2
    s = suites[0]
    cases = {c.name: c for c in s}
    assert set(cases) == {"t.hierarchy", "t.share", "t.limit", "t.total", "t.absent"}
    assert [type(r) for r in cases["t.hierarchy"].result] == [Failure]
    assert cases["t.hierarchy"].result[0].type == "error"
    assert [r.type for r in cases["t.limit"].result] == ["warning"]
    assert cases["t.share"].result == []  # waived: not a failure
    assert "更正公告已说明" in cases["t.share"].system_out
    assert cases["t.total"].result == []  # a note is not a failure
    assert isinstance(cases["t.absent"].result[0], Skipped)
    assert (s.tests, s.failures, s.skipped, s.errors) == (5, 2, 1, 0)
    assert suites[1].errors == 1
    # The plain XML parser agrees.
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites" and root.get("failures") == "2" and root.get("errors") == "1"


@needs_samples
def test_junit_one_testcase_per_rule_of_a_sample():
    from junitparser import JUnitXml

    a = sample_audit(INJECTED / "leaf-changed.pdf")
    xml = JUnitXml.fromstring(render("junit", [a]).encode("utf-8"))
    s = next(iter(xml))
    assert s.tests == len(a.outcomes)
    assert s.failures == a.count("error") + a.count("warning")


# ------------------------------------------------------------------ JSON contract


@pytest.fixture(scope="module")
def report_validator():
    import jsonschema

    from pathlib import Path

    import auditor

    schema = json.loads((Path(auditor.__file__).parent / "schema" / "report.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def test_json_waived_findings_stay_visible(report_validator):
    a = synthetic_audit()
    plain = json.loads(render("json", [a]))
    report_validator.validate(plain)
    assert "waived" not in plain["summary"]  # without waivers the report is as before
    d = json.loads(render("json", [a], waivers=waivers_for(a, WAIVE_SHARE, STALE)))
    report_validator.validate(d)
    doc = d["documents"][0]
    waived = [f for f in doc["findings"] if "waived" in f]
    assert [f["rule"] for f in waived] == ["t.share"]
    assert waived[0]["waived"] == {"reason": "更正公告已说明", "source": "w.yaml:2"}
    # summary.errors keeps its meaning: every error finding listed, waived or not.
    assert d["summary"]["errors"] == plain["summary"]["errors"] == 2
    assert d["summary"]["waived"] == 1 and d["summary"]["stale_waivers"] == 1
    assert doc["waivers"]["applied"] == 1
    assert doc["waivers"]["stale"][0]["rule"] == "t.gone"


def test_json_schema_rejects_a_bad_waiver(report_validator):
    import jsonschema

    a = synthetic_audit()
    d = json.loads(render("json", [a], waivers=waivers_for(a, WAIVE_SHARE)))
    d["documents"][0]["findings"][1]["waived"] = {"why": "no reason key"}
    with pytest.raises(jsonschema.ValidationError):
        report_validator.validate(d)


# ------------------------------------------------------------------ rich, HTML (static)


def test_rich_in_both_languages():
    a = synthetic_audit()
    en = render("rich", [a], lang="en", color=False, width=120)
    zh = render("rich", [a], lang="zh", color=False, width=120, waivers=waivers_for(a, WAIVE_SHARE, STALE))
    assert "Summary" in en and "2 errors" in en and "Tables found" in en
    assert "汇总" in zh and "1 个错误" in zh and "识别出的表格" in zh and "已豁免：更正公告已说明" in zh
    assert "过期豁免" in zh


def test_rich_puts_errors_and_warnings_first_and_notes_in_a_line_each():
    a = synthetic_audit()
    en = render("rich", [a], lang="en", color=False, width=200)
    lines = en.splitlines()
    at = {k: next(i for i, x in enumerate(lines) if k in x)
          for k in ("ERROR t.hierarchy", "ERROR t.share", "WARN  t.limit", "Within rounding: 1 note",
                    "NOTE  t.total", "Summary")}
    assert at["ERROR t.hierarchy"] < at["WARN  t.limit"] < at["Within rounding: 1 note"] < at["NOTE  t.total"]
    assert at["ERROR t.share"] < at["Within rounding: 1 note"]
    # the note is its message and page, nothing more: the next line closes the section
    assert lines[at["NOTE  t.total"]].endswith("sum is 100.01 (within rounding)  p.3")
    assert lines[at["NOTE  t.total"] + 1].strip() == ""
    # the error keeps its figures: stated / computed and every cell
    assert "stated 100.00   computed 101.00   difference -1.00" in en
    assert "表5 · 20805 · 一般公共预算支出/合计 · p.3" in en
    clean = render("rich", [replace(a, findings=a.findings[3:])], lang="en", color=False, width=200)
    assert "No errors or warnings." in clean and "Within rounding: 1 note" in clean


def test_csv_names_the_waiver_of_a_waived_finding():
    import csv as csvlib

    from auditor.report.csv_report import render as render_csv

    a = synthetic_audit()
    buf = io.StringIO()
    render_csv([a], buf, waivers=waivers_for(a, WAIVE_SHARE))
    rows = list(csvlib.DictReader(io.StringIO(buf.getvalue())))
    assert [(r["rule"], r["severity"], r["waived"]) for r in rows] == [
        ("t.hierarchy", "error", ""), ("t.share", "error", "更正公告已说明"),
        ("t.limit", "warning", ""), ("t.total", "note", "")]
    assert rows[1]["page"] == "1" and rows[1]["actual"] == "62.32"


def test_rich_names_a_failed_documents_path_once():
    out = render("rich", [failed_audit()], lang="en", color=False, width=200)
    assert out.count("reports/scan.pdf") == 1
    assert "reports/scan.pdf  no-text-layer: no page has a text layer (scanned?)" in out


def test_a_narrative_without_tables_is_told_how_to_add_them():
    from auditor.extract.usable import unusable
    from auditor.model import Document

    prose = "。".join(f"第{i}项基本支出{i}.00万元" for i in range(1, 13))
    code, message = unusable(Document.from_dict({"path": "n.pdf", "pages": 9, "narrative": prose}))
    assert code == "no-tables"
    assert message.endswith("audit both as one: audit NARRATIVE.pdf --tables TABLES.pdf")
    code, message = unusable(Document.from_dict({"path": "x.pdf", "pages": 1, "narrative": "封面"}))
    assert code == "no-tables" and "--tables" not in message


def test_html_is_self_contained_without_a_pdf():
    a = synthetic_audit()
    page = render("html", [a, failed_audit()], lang="zh", waivers=waivers_for(a, WAIVE_SHARE, STALE))
    assert page.startswith("<!DOCTYPE html>")
    for url in re.findall(r'(?:src|href)="([^"]*)"', page):
        assert url.startswith(("data:", "#")), url
    assert "http://" not in page and "https://" not in page
    assert page.count('<article class="finding') == 4
    assert "覆盖情况" in page and "t.absent" in page and "表9 not found" in page
    assert "waived" in page and "过期豁免" in page
    assert "no-text-layer" in page
    assert '<meta name="viewport"' in page and "@media print" in page


@needs_samples
def test_html_crops_for_a_sample():
    a = sample_audit(INJECTED / "share-wrong.pdf")
    page = render("html", [a], lang="en")
    assert page.count('<article class="finding') == len(a.findings)
    assert page.count("data:image/png;base64,") >= len(a.findings)
    assert page.count('class="mark stated"') >= a.count("error")


def test_every_format_renders_a_failed_document():
    """Each format names the failed document, its error code and its message."""
    for fmt in FORMATS:
        out = render(fmt, [failed_audit()], lang="en")
        assert "reports/scan.pdf" in out and "no-text-layer" in out, fmt
        assert "no page has a text layer (scanned?)" in out, fmt
    doc = json.loads(render("json", [failed_audit()], lang="en"))["documents"][0]
    assert (doc["status"], doc["error"]["code"], doc["findings"]) == ("failed", "no-text-layer", [])
    sarif = json.loads(render("sarif", [failed_audit()], lang="en"))["runs"][0]
    assert sarif["invocations"][0]["executionSuccessful"] is False
    junit = render("junit", [failed_audit()], lang="en")
    assert 'errors="1"' in junit and 'type="no-text-layer"' in junit


# ------------------------------------------------------------------ the command line


def run_audit(*args):
    import subprocess
    import sys

    from report_helpers import ROOT

    return subprocess.run([sys.executable, "-m", "auditor", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"})


@needs_samples
def test_cli_formats_and_annotate(tmp_path, sarif_validator):
    pdf = INJECTED / "total-changed.pdf"
    before = pdf.read_bytes()
    html_out, annotated = tmp_path / "r.html", tmp_path / "a.pdf"
    p = run_audit(pdf, "--format", "html", "-o", html_out, "--annotate", annotated, "--lang", "zh")
    assert p.returncode == 1, p.stderr
    page = html_out.read_text(encoding="utf-8")
    assert "汇总" in page and page.count('<article class="finding') == len(sample_audit(pdf).findings)
    assert annotated.stat().st_size > 0 and pdf.read_bytes() == before
    p = run_audit(pdf, "--format", "sarif")
    _validate(sarif_validator, json.loads(p.stdout))
    p = run_audit(pdf, "--format", "markdown")
    assert p.returncode == 1 and _md_tables(p.stdout)[1]
    p = run_audit(pdf, "--format", "junit")
    assert ET.fromstring(p.stdout.encode()).get("failures") == str(sample_audit(pdf).count("error"))
    p = run_audit(pdf, "--annotate", pdf)
    assert p.returncode == 2 and pdf.read_bytes() == before


def test_cli_rules_and_explain():
    p = run_audit("rules", "--lang", "zh")
    assert p.returncode == 0 and "规则" in p.stdout
    for r in packs().rules:
        assert r.id in p.stdout
    p = run_audit("explain", "xj.t1.balance", "--lang", "en")
    assert p.returncode == 0, p.stderr
    assert "Check kind equal" in p.stdout  # the kind's docstring
    assert "value: 表1[支出总计]" in p.stdout  # the rule's YAML
    assert "Worked example" in p.stdout
    if CLEAN.is_file():
        assert "1 evaluated, 1 passed" in p.stdout
    p = run_audit("explain", "no.such.rule")
    assert p.returncode == 2 and "no rule" in p.stdout
