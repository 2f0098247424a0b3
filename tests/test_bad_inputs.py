"""Bad input never crashes, hangs or lies (issue 6).

Every case of ``tests/bad_inputs/cases.py`` goes through the real CLI
(``audit PATH --format json``): exit code 2, its error code in the JSON, a
one-line message, no traceback.  A folder batch over all of them and the
clean sample fails each bad file and audits the sample.  Bad rule packs end
with ``file:line:col`` and exit 2.  No code from input runs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bad_inputs.cases import PASSWORD, SAMPLE, Case, sample_damaged_page, write_cases

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="sample PDF absent")


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, stdin=subprocess.DEVNULL)


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr and 'File "' not in stderr, stderr


@pytest.fixture(scope="session")
def cases(tmp_path_factory) -> dict[str, Case]:
    folder = tmp_path_factory.mktemp("bad") / "inputs"
    return {c.name: c for c in write_cases(folder)}


CASE_NAMES = ["word-renamed.pdf", "html-saved-as.pdf", "empty.pdf", "truncated.pdf", "garbage-body.pdf",
              "encrypted.pdf", "encrypted-wrong-password", "scanned.pdf", "no-unicode-map.pdf",
              "text-only.pdf", "placeholder-template.pdf", "3000-pages.pdf", "bomb.pdf", "fifo.pdf",
              "broken-link.pdf", "missing.pdf"]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_cli_fails_cleanly(cases, name):
    case = cases[name]
    r = run(case.path, "--format", "json", *case.args, timeout=60)
    no_traceback(r.stderr)
    assert r.returncode == 2, (r.returncode, r.stderr)
    doc = json.loads(r.stdout)["documents"][0]
    assert doc["status"] == "failed"
    assert doc["error"]["code"] == case.code, doc["error"]
    assert case.phrase in doc["error"]["message"]
    assert "\n" not in doc["error"]["message"]
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and case.code in lines[0] and case.phrase in lines[0], r.stderr


def test_every_case_is_covered(cases):
    assert set(CASE_NAMES) | {"encrypted-with-password", "folder.pdf"} == set(cases)


def test_encrypted_opens_with_its_password(cases):
    case = cases["encrypted-with-password"]
    r = run(case.path, "--format", "json", "--password", PASSWORD)
    no_traceback(r.stderr)
    assert r.returncode in (0, 1), r.stderr
    doc = json.loads(r.stdout)["documents"][0]
    assert doc["status"] == "ok" and doc["template"] == "xinjiang-unit-budget"
    assert len(doc["tables"]) == 12 and doc["checks"]["evaluated"] > 100


def test_folder_without_pdfs(cases):
    """A folder (even one named x.pdf) with no PDF is a failed document of its own."""
    case = cases["folder.pdf"]
    r = run(case.path, "--format", "json")
    no_traceback(r.stderr)
    assert r.returncode == 2
    (doc,) = json.loads(r.stdout)["documents"]
    assert doc["status"] == "failed" and doc["error"]["code"] == "no-pdfs"
    assert "no PDF files" in doc["error"]["message"]
    # handed to the runner directly (the API, a batch task), it has the same code
    from auditor.packs import load_packs
    from auditor.runner import audit_path

    a = audit_path(str(case.path), load_packs(ROOT / "rules"))
    assert a.error is not None and a.error[0] == "no-pdfs"


def test_batch_fails_each_bad_file_and_audits_the_rest(cases, tmp_path):
    folder = next(iter(cases.values())).path.parent
    clean = folder / "clean.pdf"
    if not clean.exists():
        shutil.copy(SAMPLE, clean)
    try:
        r = run(folder, "--format", "json", "--jobs", "2", "--timeout", "60", timeout=300)
    finally:
        clean.unlink()
    no_traceback(r.stderr)
    assert r.returncode == 2, r.stderr
    docs = {Path(d["path"]).name: d for d in json.loads(r.stdout)["documents"]}
    expected = {c.path.name: c.code for c in cases.values() if c.batch}
    assert set(docs) == set(expected) | {"clean.pdf"}
    assert docs["clean.pdf"]["status"] == "ok" and docs["clean.pdf"]["error"] is None
    for name, code in expected.items():
        assert docs[name]["status"] == "failed", name
        assert docs[name]["error"]["code"] == code, (name, docs[name]["error"])


def test_every_error_code_is_in_the_readme():
    from auditor.errors import ERROR_CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Error codes"):]
    listed = re.findall(r"^\| `([a-z-]+)` \|", table, flags=re.M)
    assert sorted(listed) == sorted(ERROR_CODES)


# ----------------------------------------------------------------------------- partly readable


def test_damaged_page_is_reported_and_its_rules_skipped(tmp_path):
    from auditor.engine import audit
    from auditor.extract import load_document
    from auditor.packs import load_packs

    p = tmp_path / "damaged-page-9.pdf"
    sample_damaged_page(p, page=9)  # 表5
    doc = load_document(str(p))
    problems = [i for i in doc.issues if i.page == 9]
    assert problems and all(i.severity == "warning" for i in problems)
    a = audit(doc, load_packs(ROOT / "rules"))
    assert a.error is None
    reasons = [r for o in a.outcomes for r in o.skip_reasons if "表5" in r]
    assert reasons and all("unreadable (page 9)" in r for r in reasons), reasons[:3]
    skipped = {o.rule for o in a.outcomes if any("表5" in r for r in o.skip_reasons)}
    passed_t5 = [o for o in a.outcomes if o.rule in skipped and o.failed == 0 and o.skipped == 0]
    assert not passed_t5  # never reported as passing a rule it could not evaluate
    r = run(p, "--format", "json")
    no_traceback(r.stderr)
    assert r.returncode in (0, 1)
    assert json.loads(r.stdout)["documents"][0]["checks"]["skipped"] >= len(skipped)


def test_damaged_flate_stream_names_its_page(tmp_path):
    """A Flate content stream that breaks off: page-unreadable on that page."""
    import zlib

    from auditor.extract.pdf import check_streams
    from bad_inputs.cases import raw_pdf, text_stream

    good = zlib.compress(text_stream(["Page one"]))
    bad = bytearray(zlib.compress(text_stream([f"line {i} of page two" for i in range(200)])))
    bad[len(bad) // 2: len(bad) // 2 + 8] = b"\xff" * 8
    p = tmp_path / "broken-stream.pdf"
    p.write_bytes(raw_pdf([good, bytes(bad)], filters=["FlateDecode", "FlateDecode"]))
    assert check_streams(str(p)) == [2]


def test_a_stream_that_ends_past_a_zlib_output_limit_is_checked_quickly(tmp_path):
    """An image stream inflating to several MB, more objects after it (InDesign's
    SMask images): the input check used to feed zlib for ever once the stream
    had ended under an output limit (CPython keeps ``unconsumed_tail`` set).
    The real CLI on it, bounded by the test, not by ``--timeout``."""
    import zlib

    from bad_inputs.cases import raw_pdf, text_stream

    img = zlib.compress(bytes(9_000_000), 9)
    image = (f"<< /Type /XObject /Subtype /Image /Width 3000 /Height 3000 /ColorSpace /DeviceGray "
             f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(img)} >>\nstream\n").encode() \
        + img + b"\nendstream"
    text = text_stream(["Annual report 2026", "This document has text and no table at all."] * 5)
    p = tmp_path / "big-image.pdf"
    p.write_bytes(raw_pdf([text], extra=[image, b"<< /Producer (padding after the image) >>" * 200]))
    r = run(p, "--format", "json", timeout=60)
    no_traceback(r.stderr)
    assert r.returncode == 2
    assert json.loads(r.stdout)["documents"][0]["error"]["code"] == "no-tables"


# ----------------------------------------------------------------------------- rule packs

GOOD_RULE = """\
  - id: t.total
    kind: sum
    total: 表1[合计]
    parts: ["表1[a]", "表1[b]"]
"""
HEAD = "pack: {name}\ntemplate:\n  tables:\n    表1: {{title: 收支总表}}\nrules:\n"

PACKS = {
    "yaml-syntax": ({"p.yaml": HEAD.format(name="p") + GOOD_RULE + "  - id: [oops\n"},
                    "YAML syntax error"),
    "unknown-key": ({"p.yaml": HEAD.format(name="p") + GOOD_RULE.replace("parts:", "prts:")},
                    "unknown key 'prts'"),
    "wrong-type": ({"p.yaml": HEAD.format(name="p") + GOOD_RULE.replace('["表1[a]", "表1[b]"]', "{a: 1}")},
                   "must be"),
    "unknown-kind": ({"p.yaml": HEAD.format(name="p") + GOOD_RULE.replace("kind: sum", "kind: summ")},
                     "unknown kind 'summ'"),
    "unknown-table": ({"p.yaml": HEAD.format(name="p") + GOOD_RULE.replace("表1[b]", "表9[b]")},
                      "table '表9' is not in template 'p'"),
    "duplicate-id": ({"p.yaml": HEAD.format(name="p") + GOOD_RULE + GOOD_RULE}, "duplicate rule id 't.total'"),
    "circular-include": ({"a.yaml": "pack: a\ninclude: [b.yaml]\nrules: []\n",
                          "b.yaml": "pack: b\ninclude: [a.yaml]\nrules: []\n"}, "circular include"),
    "include-outside": ({"a.yaml": "pack: a\ninclude: [../secret.yaml]\nrules: []\n"},
                        "outside the pack's folder"),
    "python-tag": ({"a.yaml": "pack: a\nrules: !!python/object/apply:os.system [echo pwned]\n"},
                   "tag"),
}


@pytest.mark.parametrize("name", sorted(PACKS))
def test_bad_pack_is_file_line_col_and_exit_2(tmp_path, name):
    files, phrase = PACKS[name]
    rules = tmp_path / "rules"
    rules.mkdir()
    (tmp_path / "secret.yaml").write_text("pack: secret\nrules: []\n")
    for fname, text in files.items():
        (rules / fname).write_text(text, encoding="utf-8")
    r = run("--rules", rules, SAMPLE, "--format", "json")
    no_traceback(r.stderr)
    assert r.returncode == 2 and r.stdout == ""
    first = r.stderr.splitlines()[0]
    assert re.match(r"^audit: \S+\.yaml:\d+:\d+: ", first), first
    assert phrase in r.stderr, r.stderr
    assert "pwned" not in r.stdout + r.stderr


# ----------------------------------------------------------------------------- no code from input runs

FORBIDDEN = re.compile(r"(?<![\w.])(eval|exec)\s*\(|\bpickle\b|\bmarshal\b|yaml\.load\(|yaml\.unsafe_load|"
                       r"yaml\.Loader\b|shelve\b")


def test_no_eval_exec_or_pickle_in_the_package():
    hits = []
    for p in sorted((ROOT / "auditor").rglob("*.py")):
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if FORBIDDEN.search(code) and "never pickle" not in line.lower():
                hits.append(f"{p.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not hits, "\n".join(hits)


def test_pdf_libraries_are_opened_read_only():
    """Only the annotator writes a PDF, and only to a new file (never the audited one)."""
    writers = []
    for p in sorted((ROOT / "auditor").rglob("*.py")):
        text = p.read_text(encoding="utf-8")
        if re.search(r"\.save\(|\bPdfWriter\b", text):
            writers.append(p.relative_to(ROOT).as_posix())
    # annotate.py writes the annotated copy (a new file); render.py saves a PNG crop into memory
    allowed = {"auditor/report/pdf_annotations.py", "auditor/report/annotate.py", "auditor/report/render.py"}
    assert set(writers) <= allowed, writers


def test_a_single_document_over_its_timeout_fails_as_timeout():
    """--timeout holds for one document too, not only in a batch."""
    r = run(str(SAMPLE), "--format", "json", "--timeout", "0.3")
    no_traceback(r.stderr)
    assert r.returncode == 2
    (doc,) = json.loads(r.stdout)["documents"]
    assert doc["status"] == "failed"
    assert doc["error"] == {"code": "timeout", "message": "stopped after 0.3 s (--timeout)"}
    assert r.stderr.strip() == f"audit: {SAMPLE}: timeout: stopped after 0.3 s (--timeout)"
