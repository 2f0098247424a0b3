"""The sample PDFs in samples/ are what samples/generate.py makes, and say what their truth says."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pdfium = pytest.importorskip("pypdfium2")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from samples import generate as gen  # noqa: E402

SAMPLES = ROOT / "samples"
PDF = SAMPLES / f"{gen.SAMPLE_NAME}.pdf"
TRUTH = SAMPLES / f"{gen.SAMPLE_NAME}.truth.json"
NAMES = [m.name for m in gen.MUTATIONS]


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _page_texts(path: Path) -> list[str]:
    doc = pdfium.PdfDocument(str(path))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    gen.generate(out)
    return out


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads(TRUTH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def clean_pages() -> list[str]:
    return _page_texts(PDF)


def test_committed_files_are_what_the_generator_makes(regenerated):
    made = sorted(p.relative_to(regenerated) for p in regenerated.rglob("*") if p.is_file())
    assert Path(PDF.name) in made and Path("injected/leaf-changed.pdf") in made
    for rel in made:
        committed = SAMPLES / rel
        assert committed.is_file(), f"{rel} is generated but not committed"
        assert committed.read_bytes() == (regenerated / rel).read_bytes(), f"{rel} differs: rerun python -m samples.generate"
    committed_inj = {p.name for p in (SAMPLES / "injected").iterdir()}
    assert committed_inj == {p.name for p in (regenerated / "injected").iterdir()}


def test_truth_lists_all_tables(truth):
    tables = {t["id"]: t for t in truth["tables"]}
    assert list(tables) == [f"表{n}" for n in range(1, 13)]
    assert {i for i, t in tables.items() if t["empty"]} == {"表8", "表9", "表12"}
    for tid in ("表8", "表9", "表12"):
        assert tables[tid]["note"].endswith("为空表。")
        assert not any(f["table"] == tid for f in truth["figures"])
    assert all(t["unit"] == "万元" for t in tables.values())
    assert tables["表2"]["columns"][2] == "财政拨款（补助）/一般公共预算"
    assert tables["表12"]["columns"][2] == "财政拨款/基本支出/人员经费"
    assert [r["key"] for r in tables["表7"]["rows"]] == ["208", "20801", "2080109", "2080109#2", "总计"]
    # every figure sits in a known row and column of its table, on one of its pages
    for f in truth["figures"]:
        t = tables[f["table"]]
        assert f["column"] in t["columns"] and f["page"] in t["pages"]
        assert f["row"] in {r["key"] for r in t["rows"]}


def test_truth_figures_are_printed_in_their_cells(truth):
    doc = pdfium.PdfDocument(str(PDF))
    try:
        for f in truth["figures"]:
            x0, y0, x1, y1 = f["bbox"]
            got = doc[f["page"] - 1].get_textpage().get_text_bounded(x0 + 0.5, y0 + 0.5, x1 - 0.5, y1 - 0.5)
            assert _clean(got) == f["text"], f
    finally:
        doc.close()


def test_table2_figures_are_spaced(truth, clean_pages):
    (page,) = next(t["pages"] for t in truth["tables"] if t["id"] == "表2")
    assert "3, 245. 06" in clean_pages[page - 1]
    assert any(f["text"] == "3,245.06" for f in truth["figures"] if f["table"] == "表2")


def test_table6_runs_onto_a_second_page(truth, clean_pages):
    pages = next(t["pages"] for t in truth["tables"] if t["id"] == "表6")
    assert len(pages) == 2 and pages[1] == pages[0] + 1
    second = clean_pages[pages[1] - 1]
    assert "一般公共预算基本支出" in second and "人员经费" in second  # header repeated
    assert not second.lstrip().startswith("表")


def test_narrative_truth_matches_text_layer(truth, clean_pages):
    narrative = "".join(_clean(t) for i, t in enumerate(clean_pages, 1) if truth["page_kinds"][str(i)] == "text")
    found = [m["num"] + ("%" if m["unit"] == "%" else "") for m in gen.FIGURE_RE.finditer(narrative)]
    assert found == [n["text"] for n in truth["narrative"]]
    assert "63.32%" in found and "1,320.40" in found


@pytest.mark.parametrize("name", NAMES)
def test_injected_sample_differs_only_at_its_alteration(name, clean_pages):
    expect = json.loads((SAMPLES / "injected" / f"{name}.expect.json").read_text(encoding="utf-8"))
    (alt,) = expect["alterations"]
    pages = _page_texts(SAMPLES / "injected" / f"{name}.pdf")
    assert len(pages) == len(clean_pages)
    differing = [i + 1 for i, (a, b) in enumerate(zip(clean_pages, pages)) if a != b]
    assert differing == [alt["page"]]
    before, after = _clean(alt["before"]), _clean(alt["after"])
    old, new = _clean(clean_pages[alt["page"] - 1]), _clean(pages[alt["page"] - 1])
    assert after in new
    starts = [m.start() for m in re.finditer(re.escape(before), old)]
    assert any(old[:s] + after + old[s + len(before):] == new for s in starts)
