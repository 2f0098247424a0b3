"""Rule families (issue 14): every rule has one; --select / --ignore and the config
file of the working folder choose them, for one document and for a batch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.families import FAMILIES, Selection, SelectionError, apply, read_config, selection
from auditor.packs import load_pack_text, load_packs

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"


def packs():
    return load_packs(ROOT / "rules")


def run_audit(*args, cwd=ROOT):
    env = {"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "auditor", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300, env=env)


def test_every_rule_has_a_known_family_and_every_family_has_rules():
    ps = packs()
    fams = {r.family for r in ps.rules}
    assert fams == set(FAMILIES), fams
    assert ps.rule("xj.t1.balance").family == "arithmetic"  # a relation kind
    assert ps.rule("xj.sections").family == "completeness"  # its kind's FAMILY
    assert ps.rule("checklist.code-names").family == "codes"  # its pack's family:
    assert ps.rule("checklist.placeholders").family == "sentences"


def test_a_rule_may_name_its_family_and_an_unknown_one_is_an_error():
    ps = load_pack_text("pack: a\nfamily: pages\nrules:\n"
                        "  - {id: a.x, kind: punctuation}\n"
                        "  - {id: a.y, kind: punctuation, family: consistency}\n")
    assert [(r.id, r.family) for r in ps.rules] == [("a.x", "pages"), ("a.y", "consistency")]
    with pytest.raises(Exception) as e:
        load_pack_text("pack: a\nrules:\n  - {id: a.x, kind: punctuation, family: spelling}\n")
    assert "<string>:3:42: 'family' must be one of arithmetic, completeness, codes" in str(e.value)


def test_select_then_ignore():
    ps = packs()
    only = apply(ps, Selection(select=("codes", "typography")))
    assert sorted(r.id for r in only.rules) == ["checklist.code-names", "checklist.punctuation"]
    rest = apply(ps, Selection(select=None, ignore=("arithmetic",)))
    assert rest.rules and all(r.family != "arithmetic" for r in rest.rules)
    assert set(rest.templates) == set(ps.templates)  # templates are still recognised
    assert apply(ps, Selection()) is ps


def test_config_file_and_command_line(tmp_path):
    assert read_config(tmp_path) == Selection()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert read_config(tmp_path) == Selection()  # no [tool.budget-audit]: nothing chosen
    (tmp_path / "pyproject.toml").write_text('[tool.budget-audit]\nignore = ["typography"]\n')
    assert read_config(tmp_path).ignore == ("typography",)
    (tmp_path / "budget-audit.toml").write_text('select = ["codes", "pages"]\n')
    sel = read_config(tmp_path)  # budget-audit.toml wins over pyproject.toml
    assert (sel.select, sel.ignore, Path(sel.source).name) == (("codes", "pages"), (), "budget-audit.toml")
    sel = selection(["arithmetic,codes"], None, tmp_path)  # the command line replaces select
    assert (sel.select, sel.ignore) == (("arithmetic", "codes"), ())
    (tmp_path / "budget-audit.toml").write_text('select = ["code"]\n')
    with pytest.raises(SelectionError, match=r"budget-audit.toml: unknown rule family 'code' "
                                             r"\(did you mean 'codes'\?\)"):
        read_config(tmp_path)
    (tmp_path / "budget-audit.toml").write_text('[tool.budget-audit]\nselct = ["codes"]\n')
    with pytest.raises(SelectionError, match="unknown key 'selct'"):
        read_config(tmp_path)


def test_cli_rules_lists_the_families_and_marks_the_ignored_ones(tmp_path):
    p = run_audit("rules", "--lang", "en", "--ignore", "typography", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    lines = {ln.split()[0]: ln for ln in p.stdout.splitlines() if ln.split() and ln.split()[0] in FAMILIES}
    assert set(lines) == set(FAMILIES)
    assert "off" in lines["typography"] and "off" not in lines["codes"]
    assert "checklist.punctuation" not in p.stdout and "checklist.code-names" in p.stdout
    p = run_audit("rules", "--select", "spelling", cwd=tmp_path)
    assert p.returncode == 2 and "--select: unknown rule family 'spelling'" in p.stderr


def _junit_rules(path: Path) -> set[str]:
    import re

    return set(re.findall(r'<testcase [^>]*name="([^"]+)"', path.read_text(encoding="utf-8")))


@pytest.mark.skipif(not SAMPLE.is_file(), reason="sample absent")
def test_cli_selection_applies_to_the_audit_and_reads_the_working_folder(tmp_path):
    out = tmp_path / "r.xml"  # JUnit: one test case per rule applied
    p = run_audit(SAMPLE, "--select", "codes,pages", "--format", "junit", "-o", out, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert _junit_rules(out) == {"checklist.code-names", "checklist.pages"}
    (tmp_path / "budget-audit.toml").write_text('ignore = ["arithmetic", "typography"]\n')
    p = run_audit(SAMPLE, "--format", "junit", "-o", out, cwd=tmp_path)
    rules = _junit_rules(out)
    assert "xj.t1.balance" not in rules and "checklist.punctuation" not in rules
    assert {"xj.sections", "checklist.code-names", "checklist.year-labels"} <= rules
    p = run_audit(SAMPLE, "--ignore", "pages", "--format", "junit", "-o", out, cwd=tmp_path)
    rules = _junit_rules(out)
    assert "xj.t1.balance" in rules and "checklist.pages" not in rules  # --ignore replaced the file's


@pytest.mark.skipif(not SAMPLE.is_file(), reason="sample absent")
def test_a_batch_applies_the_selection_in_its_workers(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(SAMPLE.read_bytes())
    one = tmp_path / "one.json"
    p = run_audit(SAMPLE, "--select", "consistency", "--format", "json", "-o", one, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    alone = json.loads(one.read_text())["documents"][0]["checks"]
    out = tmp_path / "r.jsonl"
    p = run_audit(folder, "-j", "1", "--select", "consistency", "--format", "jsonl", "-o", out, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    (doc,) = [json.loads(ln) for ln in out.read_text().splitlines() if ln.strip()]
    assert doc["checks"] == alone
    p = run_audit(folder, "-j", "1", "--format", "jsonl", "-o", out, cwd=tmp_path)
    (full,) = [json.loads(ln) for ln in out.read_text().splitlines() if ln.strip()]
    assert full["checks"]["evaluated"] > 10 * alone["evaluated"] > 0


def test_a_contents_pages_leaders_are_no_glyph_codes():
    from auditor.extract.pdf import garbled

    toc = "目 录\n一、部门主要职能 " + "…" * 60 + " 3\n二、部门机构设置 " + "…" * 60 + " 4\n"
    assert garbled([toc]) == 0
    assert garbled(["ÀÁÂÃÄÅ…"]) == 7  # a font's glyph codes read as WinAnsi still count
