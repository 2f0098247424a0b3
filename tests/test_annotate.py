"""``--annotate``: every altered figure of every injected-error sample is boxed in the copy.

The boxes are read back (pdfplumber, a reader independent of the pdfium
that wrote them) and compared with where the figure is printed: the cell
rectangle of the ground truth for table figures, the characters of the
altered text (found by pdfplumber's own search) for narrative figures.  The
pages are then rendered by poppler and the box must be visible in red.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess

import pytest

from report_helpers import CLEAN, INJECTED, TRUTH, sample_audit, samples_ready

pytestmark = pytest.mark.skipif(not samples_ready(), reason="samples/ not generated")
pdfplumber = pytest.importorskip("pdfplumber")

EXPECTS = sorted(INJECTED.glob("*.expect.json")) if INJECTED.is_dir() else []
RED = (214 / 255, 39 / 255, 40 / 255)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def truth():
    data = json.loads(TRUTH.read_text(encoding="utf-8"))
    return {(f["table"], f["row"], f["column"]): f for f in data["figures"] if f.get("table")}


def annotate(pdf, out):
    from auditor.report.pdf_annotations import write

    a = sample_audit(pdf)
    assert a.error is None, a.error
    before = sha(pdf)
    n = write(a, str(out), lang="zh")
    assert sha(pdf) == before, "the audited PDF was modified"
    return a, n


def annots(path, page):
    with pdfplumber.open(str(path)) as pdf:
        p = pdf.pages[page - 1]
        return p.height, [
            {"x0": a["x0"], "top": a["top"], "x1": a["x1"], "bottom": a["bottom"],
             "color": tuple(a["data"].get("C") or ()), "contents": a.get("contents") or ""}
            for a in p.annots if str(a["data"].get("Subtype")) in ("/'Square'", "/Square", "Square")
            or "Square" in str(a["data"].get("Subtype"))
        ]


def text_box(path, page, after: str, text: str):
    """Top-left-origin box of ``text`` inside the printed ``after`` (white space ignored)."""
    pattern = r"\s*".join(re.escape(ch) for ch in re.sub(r"\s+", "", after))
    with pdfplumber.open(str(path)) as pdf:
        hits = pdf.pages[page - 1].search(pattern, regex=True, return_chars=True)
    assert len(hits) == 1, f"{after!r} found {len(hits)} times on page {page}"
    chars = [c for c in hits[0]["chars"] if not c["text"].isspace()]
    joined = "".join(c["text"] for c in chars)
    start = joined.find(text)
    assert start >= 0, (joined, text)
    mine = chars[start : start + len(text)]
    return (min(c["x0"] for c in mine), min(c["top"] for c in mine),
            max(c["x1"] for c in mine), max(c["bottom"] for c in mine))


def red_edge_fraction(png_path, box, scale) -> float:
    """Share of the pixels along the box's top and bottom edges that are red."""
    from PIL import Image

    img = Image.open(png_path).convert("RGB")
    x0, top, x1, bottom = (v * scale for v in box)
    red = total = 0
    for y in (top, bottom):
        for dy in (-1, 0, 1):
            yy = int(round(y)) + dy
            for x in range(int(x0 + 3), int(x1 - 3)):
                r, g, b = img.getpixel((x, yy))
                total += 1
                red += r > 150 and g < 120 and b < 120
    return red / max(total // 3, 1)


@pytest.mark.parametrize("expect", EXPECTS, ids=[p.name.split(".")[0] for p in EXPECTS])
def test_each_altered_figure_is_boxed(expect, truth, tmp_path):
    spec = json.loads(expect.read_text(encoding="utf-8"))
    pdf = INJECTED / spec["document"]
    out = tmp_path / "annotated.pdf"
    a, n = annotate(pdf, out)
    assert n > 0
    for alt in spec["alterations"]:
        page = alt["page"]
        height, boxes = annots(out, page)
        if alt.get("table"):
            f = truth[(alt["table"], alt["row"], alt["column"])]
            x0, y0, x1, y1 = f["bbox"]  # PDF points, origin bottom-left
            want = (x0, height - y1, x1, height - y0)
            tol = 3.0
            hit = [b for b in boxes if all(abs(u - v) <= tol for u, v in
                                           zip((b["x0"], b["top"], b["x1"], b["bottom"]), want))]
        else:
            want = text_box(out, page, alt["after"], alt.get("text") or alt["value"])
            cx, cy = (want[0] + want[2]) / 2, (want[1] + want[3]) / 2
            hit = [b for b in boxes if b["x0"] <= want[0] + 1 and b["x1"] >= want[2] - 1
                   and b["top"] <= cy <= b["bottom"] and b["x0"] <= cx <= b["x1"]
                   and (b["x1"] - b["x0"]) - (want[2] - want[0]) <= 12
                   and (b["bottom"] - b["top"]) <= 2.5 * (want[3] - want[1]) + 4]
        assert hit, f"no box over {alt} on page {page}: {[(round(b['x0']), round(b['top'])) for b in boxes]}"
        box = hit[0]
        assert all(abs(c - r) < 0.02 for c, r in zip(box["color"], RED)), box["color"]
        rules = {f.rule for f in a.findings if f.severity == "error"}
        assert any(r in box["contents"] for r in rules), box["contents"]
        assert "陈述值" in box["contents"] or "规则" in box["contents"]

        if shutil.which("pdftoppm"):
            scale = 2.0
            prefix = tmp_path / f"p{page}"
            subprocess.run(["pdftoppm", "-png", "-r", "144", "-f", str(page), "-l", str(page),
                            str(out), str(prefix)], check=True)
            png = next(tmp_path.glob(f"p{page}*.png"))
            frac = red_edge_fraction(png, (box["x0"], box["top"], box["x1"], box["bottom"]), scale)
            assert frac > 0.6, f"box not drawn in red on the rendered page ({frac:.0%})"


def test_notes_of_the_clean_sample_are_blue(tmp_path):
    out = tmp_path / "clean.annotated.pdf"
    a, n = annotate(CLEAN, out)
    assert a.count("error") == 0 and a.count("note") > 0
    colours = set()
    with pdfplumber.open(str(out)) as pdf:
        for p in pdf.pages:
            colours |= {tuple(round(c, 2) for c in an["data"]["C"]) for an in p.annots}
    assert colours == {(round(31 / 255, 2), round(119 / 255, 2), round(220 / 255, 2))}


def test_the_original_is_never_overwritten(tmp_path):
    from auditor.report.annotate import write_annotated

    copy = tmp_path / "x.pdf"
    copy.write_bytes(CLEAN.read_bytes())
    with pytest.raises(ValueError):
        write_annotated(str(copy), str(copy), [])


def test_comments_carry_rule_message_and_values(tmp_path):
    from auditor.report.annotate import read_annotations

    out = tmp_path / "a.pdf"
    a, _ = annotate(INJECTED / "total-changed.pdf", out)
    found = read_annotations(str(out))
    assert found and all(x["contents"] for x in found)
    err = next(f for f in a.findings if f.severity == "error" and f.table == "表6")
    stated = next(c.figure for c in err.cells if c.role == "actual")
    over = [x for x in found if x["page"] == stated.page and err.rule in x["contents"]
            and x["rect"][0] <= stated.bbox[0] and x["rect"][2] >= stated.bbox[2]]
    assert over
    text = over[0]["contents"]
    assert err.rule in text and "2297.34" in text and "陈述值" in text and "计算值" in text
