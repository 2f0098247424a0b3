"""The HTML report in a real browser (headless Debian chromium).

The page must load with no console message at all (it has no script; a
blocked network request or a CSP violation would show up there), and the
DOM the browser built must hold every finding.  On CI chromium is installed
by scripts/test.sh: there a missing browser fails instead of skipping.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import pytest

from auditor.report import get_reporter
from report_helpers import CLEAN, INJECTED, sample_audit, samples_ready, synthetic_audit

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
if BROWSER is None:
    if os.environ.get("CI"):
        raise RuntimeError("chromium is not installed (scripts/test.sh installs it)")
    pytest.skip("no chromium", allow_module_level=True)

CONSOLE = re.compile(r":CONSOLE[:(]")


def browse(path, tmp_path, *extra: str) -> tuple[str, list[str]]:
    """(the DOM after load, the console messages) of ``path`` in headless chromium."""
    profile = tmp_path / "profile"
    cmd = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *extra,
           "--dump-dom", path.resolve().as_uri()]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stderr[-2000:]
    return p.stdout, [line for line in p.stderr.splitlines() if CONSOLE.search(line)]


def write_html(audits, path, lang="zh"):
    buf = io.StringIO()
    get_reporter("html")(audits, buf, lang=lang)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_the_console_check_is_real(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><body><script>console.error('boom')</script></body></html>")
    _, console = browse(page, tmp_path)
    assert any("boom" in line for line in console)


def test_synthetic_report_loads_cleanly(tmp_path):
    a = synthetic_audit()
    dom, console = browse(write_html([a], tmp_path / "r.html"), tmp_path)
    assert console == []
    assert len(re.findall(r'<article class="finding', dom)) == len(a.findings)
    for f in a.findings:
        assert f.rule in dom


@pytest.mark.skipif(not samples_ready(), reason="samples/ not generated")
def test_clean_sample_shows_its_rounding_notes(tmp_path):
    a = sample_audit(CLEAN)
    notes = [f for f in a.findings if f.severity == "note"]
    assert notes and a.count("error") == 0
    dom, console = browse(write_html([a], tmp_path / "clean.html"), tmp_path)
    assert console == [], console
    articles = re.findall(r'<article class="finding sev-note" id="(f\d+)"', dom)
    assert len(articles) == len(notes) == len(a.findings)
    for f in notes:
        assert f.rule in dom
    # every note sits beside a crop of its page with its stated figure marked
    assert dom.count("data:image/png;base64,") >= len(notes)
    assert dom.count('class="mark stated"') >= len(notes)


@pytest.mark.skipif(not samples_ready(), reason="samples/ not generated")
def test_injected_sample_on_a_phone_and_in_print(tmp_path):
    a = sample_audit(INJECTED / "restatement-broken.pdf")
    page = write_html([a], tmp_path / "inj.html", lang="en")
    dom, console = browse(page, tmp_path, "--window-size=390,844")
    assert console == [], console
    assert len(re.findall(r'<article class="finding', dom)) == len(a.findings)
    assert len(re.findall(r'<article class="finding sev-error', dom)) == a.count("error") > 0
    # the narrow layout does not overflow sideways: take a screenshot at phone width
    shot = tmp_path / "phone.png"
    subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--user-data-dir={tmp_path / 'p2'}", "--window-size=390,2000",
                    f"--screenshot={shot}", page.resolve().as_uri()],
                   capture_output=True, timeout=180, check=True)
    from PIL import Image

    assert Image.open(shot).size == (390, 2000)
    pdf = tmp_path / "print.pdf"
    subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={tmp_path / 'p3'}", f"--print-to-pdf={pdf}", page.resolve().as_uri()],
                   capture_output=True, timeout=180, check=True)
    assert pdf.stat().st_size > 10_000
