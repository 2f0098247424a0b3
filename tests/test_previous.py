"""--previous: last year's figures implied by the narrative's changes against
those last year's disclosure printed (prev: references), as data and on the
consecutive disclosures of the real corpus (skipped when it is absent)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from auditor.compose import merge, with_previous
from auditor.engine import audit, run
from auditor.extract import load_document
from auditor.model import Document
from auditor.packs import load_pack_text, load_packs

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
EXPECT = yaml.safe_load((Path(__file__).parent / "corpus_previous_expectations.yaml").read_text("utf-8"))

RULE = """
pack: t
rules:
  - id: t.change
    kind: change
    match: 基本支出(?P<cur>{AMT})万元，比上年(?P<dir>增加|减少)(?P<delta>{AMT})万元，(?P<rate>增长|下降)(?P<pct>{PCT})%
    current: $cur
    delta: $delta
    pct: $pct
    direction: $dir
    rate_word: $rate
    previous: prev:表3[总计][基本支出]
  - id: t.text
    kind: change
    match: (?P<name>公务接待费|会议费)(?P<cur>{AMT})万元，比上年(?P<dir>增加|减少)(?P<delta>{AMT})万元，(?P<rate>增长|下降)(?P<pct>{PCT})%
    current: $cur
    delta: $delta
    pct: $pct
    direction: $dir
    rate_word: $rate
    previous: prev:$cur
    previous_key: [name]
"""


def _doc(basic: str, text: str) -> Document:
    return Document.from_dict({"tables": [{"id": "表3", "columns": ["合计", "基本支出"],
                                           "rows": [["总计", "", basic, basic]]}],
                               "narrative": text})


def _rules():
    return load_pack_text(RULE, "t.yaml").rules


def test_previous_agrees_and_contradicts():
    rules = list(_rules())
    cur = _doc("110.00", "基本支出110.00万元，比上年增加10.00万元，增长10.00%。"
                         "公务接待费5.00万元，比上年减少1.00万元，下降16.67%。")
    good = _doc("100.00", "基本支出100.00万元，比上年增加5.00万元，增长5.26%。公务接待费6.00万元，比上年增加1.00万元，增长20.00%。")
    bad = _doc("90.00", "基本支出90.00万元，比上年增加5.00万元，增长5.88%。公务接待费7.00万元，比上年增加1.00万元，增长16.67%。")
    # without --previous the field is not evaluated
    findings, outcomes = run(cur, rules)
    assert not [f for f in findings if f.severity != "note"]
    assert {o.rule: o.evaluated for o in outcomes} == {"t.change": 1, "t.text": 1}
    findings, outcomes = run(with_previous(cur, good), rules)
    assert not [f for f in findings if f.severity != "note"]
    assert {o.rule: o.evaluated for o in outcomes} == {"t.change": 2, "t.text": 2}
    findings, _ = run(with_previous(cur, bad), rules)
    errors = [f for f in findings if f.severity == "error"]
    assert {(f.rule, f.actual, f.expected) for f in errors} == {
        ("t.change", Decimal("90.00"), Decimal("100.00")),
        ("t.text", Decimal("7.00"), Decimal("6.00")),
    }
    f = next(f for f in errors if f.rule == "t.change")
    assert "last year's figure implied by" in f.message
    assert {c.role for c in f.cells} == {"actual", "operand"}
    assert any(c.figure.source == "<data>" and c.figure.table == "表3" for c in f.cells)


ITEM_RULE = """
pack: t
rules:
  - id: t.item
    kind: change
    match: (?P<xiang>{NAME})（项）支出(?P<cur>{AMT})万元，与上年相比(?P<dir>增加|减少)(?P<delta>{AMT})万元
    missing: zero
    current: $cur
    delta: $delta
    direction: $dir
    previous: prev:表5[检察/{xiang}]
"""


def _t5(rows: list[list[str]], text: str = "") -> Document:
    return Document.from_dict({"tables": [{"id": "表5", "columns": ["合计"], "rows": rows}],
                               "narrative": text})


def test_a_line_absent_last_year_is_zero_only_when_the_sentence_implies_zero():
    rules = list(load_pack_text(ITEM_RULE, "t.yaml").rules)
    cur = _t5([["20404", "检察", "1,185.60"], ["2040410", "检察监督", "1,185.60"]],
              "检察监督（项）支出1185.6万元，与上年相比减少709.4万元。"
              "其他检察支出（项）支出469.5万元，与上年相比增加469.5万元。")
    # last year the 项 was printed under another name (recoded in the new classification)
    prev = _t5([["20404", "检察", "1,895.00"], ["2040499", "公诉、审判、侦查、执行等检察监督", "1,895.00"]])
    findings, outcomes = run(with_previous(cur, prev), rules)
    assert [f for f in findings if f.severity != "note"] == []
    [o] = outcomes
    # 其他检察支出 is new (implied 0 = its absent row): judged and passed; 检察监督 implies
    # 1,895.0 where last year has no row of that name: skipped, saying why
    assert (o.evaluated, o.passed, o.skipped) == (3, 3, 1)
    assert o.skip_reasons == ("last year's 表5 检察/检察监督 (no row), while the sentence implies 1,895.0 "
                              "(renamed or recoded?)",)
    # a row of that name last year is judged: 1,895.00 against 1,800.00 is an error
    prev = _t5([["20404", "检察", "1,800.00"], ["2040410", "检察监督", "1,800.00"]])
    findings, outcomes = run(with_previous(cur, prev), rules)
    assert [(f.rule, f.actual, f.expected) for f in findings if f.severity == "error"] == [
        ("t.item", Decimal("1800.00"), Decimal("1895.00"))]
    assert outcomes[0].skipped == 0


def test_a_reference_last_years_document_cannot_resolve_says_it_is_last_years():
    rules = list(_rules())
    cur = _doc("110.00", "基本支出110.00万元，比上年增加10.00万元，增长10.00%。")
    prev = Document.from_dict({"tables": [{"id": "表5", "columns": ["合计"], "rows": [["208", "x", "1.00"]]}]})
    _, outcomes = run(with_previous(cur, prev), rules)
    o = next(o for o in outcomes if o.rule == "t.change")
    assert o.skip_reasons == ("last year's document: table 表3 not in the document",)


def test_previous_cli_reference_without_document_is_not_a_skip():
    rules = list(_rules())
    cur = _doc("110.00", "基本支出110.00万元，比上年增加10.00万元，增长10.00%。")
    _, outcomes = run(cur, rules)
    assert next(o for o in outcomes if o.rule == "t.change").skipped == 0


@pytest.fixture(scope="module")
def corpus_packs(tmp_path_factory):
    """The bundled rules, each template pack including its narrative pack."""
    if not CORPUS.is_dir():
        pytest.skip("real corpus absent")
    return load_packs(ROOT / "rules")  # each template includes its narrative pack


_READ: dict[str, Document] = {}


def _read(spec: str) -> Document:
    """A corpus disclosure (``a.pdf`` or ``a.pdf+b.pdf``), each file read once per module."""
    docs = []
    for rel in spec.split("+"):
        if rel not in _READ:
            _READ[rel] = load_document(str(CORPUS / rel))
        docs.append(_READ[rel])
    return merge(docs)


def _severe(a) -> list[tuple[str, str | None, str | None]]:
    s = lambda v: None if v is None else str(v)  # noqa: E731
    return sorted(((f.rule, s(f.actual), s(f.expected)) for f in a.findings
                   if f.severity in ("error", "warning")), key=str)


@pytest.mark.parametrize("pair", EXPECT["pairs"], ids=[p["name"] for p in EXPECT["pairs"]])
def test_corpus_pairs(pair, corpus_packs):
    """Every error and warning of each run is one confirmed in the expectations."""
    if pair.get("xfail"):
        pytest.xfail(pair["xfail"].split(";")[0][:200])
    doc = _read(pair["current"])
    alone = audit(doc, corpus_packs)
    assert alone.error is None and alone.template is not None
    a = alone
    if pair.get("previous"):
        prev = _read(pair["previous"])
        prev = corpus_packs.align(prev, corpus_packs.select(prev)[0])
        a = audit(with_previous(doc, prev), corpus_packs)
    want = sorted(((f["rule"], f["actual"], f["expected"]) for f in pair["findings"]), key=str)
    assert _severe(a) == want
    for f in pair["findings"]:
        assert f.get("evidence"), f"{pair['name']}: {f['rule']} has no evidence"
    if pair.get("previous"):
        # the previous-year bindings were evaluated: more change instances than without --previous
        n = lambda x: sum(o.evaluated for o in x.outcomes if o.kind == "change")  # noqa: E731
        assert n(a) > n(alone)
        # every figure of last year named by a finding is in last year's files
        for f in a.findings:
            for c in f.cells:
                if c.figure.source and "last year" in f.message and c.role == "actual":
                    assert Path(c.figure.source).name in pair["previous"]


def test_corpus_covers_every_consecutive_pair():
    """Each issuer's consecutive years of the corpus is a pair of the expectations."""
    named = {(p["current"], p.get("previous")) for p in EXPECT["pairs"]}
    assert len([1 for _, prev in named if prev]) == 11
