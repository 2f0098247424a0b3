"""The document's rounding convention for rates (auditor/convention.py).

A check classifies each stated rate against the value computed for it
(``checks.base.printed_as``); the document-level step decides the
convention once every rule has run.  The rule cases of
``tests/rules/cases/convention.yaml`` show both directions on data; here:
the classification itself, properties, ``engine.audit`` and the reports.
"""

from __future__ import annotations

import io
import json
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import auditor
from auditor.checks.base import printed_as
from auditor.convention import apply as rates_convention
from auditor.engine import audit, run
from auditor.interval import Interval
from auditor.messages import finding_message
from auditor.model import Document, Figure
from auditor.packs import load_pack_text
from auditor.refs import figure_value
from auditor.report import json_report, rich_report

PACK = r"""
pack: t
rules:
  - id: t.share
    kind: share
    match: 甲(?P<part>{AMT})万元，占乙(?P<whole>{AMT})万元的(?P<pct>{PCT})%
    pct: $pct
    part: $part
    whole: $whole
"""
RULES = load_pack_text(PACK).rules
TABLE = {"id": "表1", "columns": ["预算数"], "rows": [["支出总计", "", "3,599.74"]]}


def rate(text: str):
    value = Decimal(text.rstrip("%"))
    decimals = len(text.rstrip("%").split(".")[1]) if "." in text else 0
    return figure_value(Figure(text=text, value=value, decimals=decimals, page=1, unit="%"))


def ratio(part: str, whole: str) -> Interval:
    p = Interval.rounded(Decimal(part), 2)
    w = Interval.rounded(Decimal(whole), 2)
    return p / w * Interval.exact(100)


# ------------------------------------------------------------------ classification


def test_how_a_rate_is_printed():
    computed = ratio("2279.34", "3599.74")  # 63.3196…%
    assert printed_as(rate("63.31%"), computed) == "truncated"
    assert printed_as(rate("63.32%"), computed) == "rounded"
    assert printed_as(rate("63.30%"), computed) == "neither"
    assert printed_as(rate("36.68%"), ratio("1320.40", "3599.74")) == "both"  # 36.6804…%: either gives it
    # 4.00 / 3.00 = 133.33…%, but 3.995 / 3.005 = 132.94…% and 4.005 / 2.995 = 133.72…%: both open
    assert printed_as(rate("133.3%"), ratio("4.00", "3.00")) == "both"
    computed = ratio("1000.00", "3600.00")  # 27.7777…%
    assert printed_as(rate("27.78%"), computed) == "rounded"
    assert printed_as(rate("27.77%"), computed) == "truncated"
    assert printed_as(rate("27.8%"), computed) == "rounded"
    assert printed_as(rate("27.7%"), computed) == "truncated"
    assert printed_as(rate("28%"), computed) == "rounded"
    assert printed_as(rate("27%"), computed) == "truncated"
    assert printed_as(rate("0.00%"), Interval.exact(0)) == "both"
    # an amount, a constant: nothing to tell
    amount = figure_value(Figure(text="63.31", value=Decimal("63.31"), decimals=2, page=1, unit="万元"))
    assert printed_as(amount, computed) is None


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
       st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
       st.integers(min_value=0, max_value=2))
def test_a_rate_rounded_from_the_true_ratio_is_never_truncation_only(part, whole, d):
    """The printed amounts stand for true ones: a rate rounded from the true ratio is
    consistent with rounding whatever those were, so it never reads as truncated."""
    true = part / whole * 100
    stated = true.quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)
    assert printed_as(rate(f"{stated}%"), ratio(str(part), str(whole))) in ("rounded", "both")


def _sentence(part: Decimal, whole: Decimal, rounding: str) -> tuple[str, Decimal]:
    stated = (part / whole * 100).quantize(Decimal("0.01"), rounding=rounding)
    return f"甲{part:,}万元，占乙{whole:,}万元的{stated}%。", stated


pairs = st.tuples(st.decimals(min_value=Decimal("1.00"), max_value=Decimal("9999.99"), places=2),
                  st.decimals(min_value=Decimal("10000.00"), max_value=Decimal("99999.99"), places=2))


@settings(max_examples=60, deadline=None)
@given(st.lists(pairs, min_size=1, max_size=5))
def test_a_document_that_rounds_is_unaffected(shares):
    text = "".join(_sentence(p, w, ROUND_HALF_UP)[0] for p, w in shares)
    found, outcomes = run(Document.from_dict({"narrative": text}), RULES)
    after, after_outcomes, convention = rates_convention(found, outcomes)
    assert [f.to_dict() for f in after] == [f.to_dict() for f in found] == []
    assert after_outcomes == outcomes
    assert convention is None or convention.rates == "rounded"


@settings(max_examples=60, deadline=None)
@given(st.lists(pairs, min_size=1, max_size=5))
def test_a_document_that_truncates_has_notes_not_errors(shares):
    text = "".join(_sentence(p, w, ROUND_DOWN)[0] for p, w in shares)
    found, outcomes = run(Document.from_dict({"narrative": text}), RULES)
    after, _, convention = rates_convention(found, outcomes)
    assert not [f for f in after if f.severity != "note"]
    truncated = [f for f in found if f.printed == "truncated"]
    assert (convention is not None and convention.rates == "truncated") == bool(truncated)
    if convention is not None and truncated:
        assert convention.noted == len(truncated)


def test_a_mixed_document_keeps_its_errors():
    text = ("甲2,279.34万元，占乙3,599.74万元的63.31%。"  # cut (63.3196…)
            "甲1,000.00万元，占乙3,600.00万元的27.78%。")  # rounded (27.7777…)
    found, outcomes = run(Document.from_dict({"narrative": text}), RULES)
    after, _, convention = rates_convention(found, outcomes)
    assert convention is not None and convention.rates == "mixed"
    assert convention.truncated == 1 and convention.rounded == 1 and convention.noted == 0
    (f,) = after
    assert f.severity == "error" and f.message.endswith("(the stated figure is truncated, not rounded)")


# ------------------------------------------------------------------ an audit and its reports

TRUNCATING = Document.from_dict({
    "path": "t.pdf", "tables": [TABLE],
    "narrative": "甲2,279.34万元，占乙3,599.74万元的63.31%。甲1,000.00万元，占乙3,600.00万元的27.77%。",
})


def test_an_audit_carries_the_convention_and_notes():
    a = audit(TRUNCATING, load_pack_text(PACK))
    assert a.convention is not None and a.convention.to_dict() == {
        "rates": "truncated", "rounded": 0, "truncated": 2, "noted": 2}
    assert [f.severity for f in a.findings] == ["note", "note"]
    assert a.checks()["failed"] == 0
    f = a.findings[0]
    assert f.message == ("text p.1: stated 63.31%, 2,279.34 / 3,599.74 × 100 is 63.32% "
                         "(cut at the printed decimals: the document truncates its rates)")
    assert finding_message(f, "zh").endswith("（截尾所得：本文档的比率按截尾列示，而非四舍五入）")


def test_the_json_report_has_the_convention_once():
    import jsonschema

    schema = json.loads((Path(auditor.__file__).parent / "schema" / "report.schema.json").read_text("utf-8"))
    out = io.StringIO()
    json_report.render([audit(TRUNCATING, load_pack_text(PACK))], out)
    d = json.loads(out.getvalue())
    jsonschema.Draft202012Validator(schema).validate(d)
    assert d["documents"][0]["convention"] == {"rates": "truncated", "rounded": 0, "truncated": 2, "noted": 2}
    assert d["summary"]["errors"] == 0 and d["summary"]["notes"] == 2


@pytest.mark.parametrize("lang, line", [
    ("en", "Rounding convention: the document truncates its rates (every one where truncating and "
           "rounding differ is cut at the printed decimals, none is rounded): a rate that is only "
           "truncated is a note, not an error (2 notes)"),
    ("zh", "舍入惯例：本文档的比率按截尾列示"),
])
def test_the_terminal_report_says_the_convention_once(lang, line):
    out = io.StringIO()
    rich_report.render([audit(TRUNCATING, load_pack_text(PACK))], out, color=False, width=400, lang=lang)
    assert out.getvalue().count(line) == 1


def test_a_rounding_document_reports_no_convention_line():
    doc = Document.from_dict({"path": "r.pdf", "tables": [TABLE],
                              "narrative": "甲1,000.00万元，占乙3,600.00万元的27.78%。"})
    a = audit(doc, load_pack_text(PACK))
    assert a.convention is not None and a.convention.rates == "rounded" and not a.findings
    out = io.StringIO()
    rich_report.render([a], out, color=False, width=400, lang="en")
    assert "convention" not in out.getvalue()
