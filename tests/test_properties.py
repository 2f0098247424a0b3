"""Properties (hypothesis): number parsing, rounding intervals, sums judged on intervals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.engine import run_rule
from auditor.interval import Interval, Verdict, judge, quantize
from auditor.model import Document
from auditor.numbers import format_amount, parse_number
from auditor.packs import load_pack_text

FULLWIDTH = str.maketrans("0123456789,.-()", "０１２３４５６７８９，．－（）")

amounts = st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2,
                      allow_nan=False, allow_infinity=False)
decimals_ = st.integers(min_value=0, max_value=4)


@st.composite
def printed(draw):
    d = draw(decimals_)
    v = draw(st.decimals(min_value=0, max_value=Decimal("99999999"), places=d,
                         allow_nan=False, allow_infinity=False))
    return v, d


@given(printed())
def test_format_amount_round_trips(vd) -> None:
    v, d = vd
    text = format_amount(v, d)
    p = parse_number(text)
    assert p is not None and p.value == v and p.decimals == d and not p.blank


@given(printed(), st.data())
def test_spaced_and_full_width_forms_round_trip(vd, data) -> None:
    v, d = vd
    text = format_amount(v, d)
    # a text layer's spaces after separators and between digits: "3, 245. 06"
    spaced = "".join(c + (" " if c in ",." or data.draw(st.booleans()) else "") for c in text[:-1]) + text[-1]
    for form in (spaced, text.translate(FULLWIDTH), f"  {text} "):
        p = parse_number(form)
        assert p is not None and (p.value, p.decimals) == (v, d), form


@given(printed(), st.sampled_from(["-{}", "－{}", "({})", "（{}）"]))
def test_negative_forms(vd, pattern) -> None:
    v, d = vd
    p = parse_number(pattern.format(format_amount(v, d)))
    assert p is not None and p.value == -v and p.decimals == d


@given(printed())
def test_percentages(vd) -> None:
    v, d = vd
    p = parse_number(format_amount(v, d) + "%")
    assert p is not None and p.percent and p.value == v


# ------------------------------------------------------------------ intervals


@given(amounts, decimals_, amounts, decimals_)
def test_interval_sum_holds_every_combination(a, da, b, db) -> None:
    ia, ib = Interval.rounded(a, da), Interval.rounded(b, db)
    s = ia + ib
    for x in (ia.lo, ia.hi, a):
        for y in (ib.lo, ib.hi, b):
            assert s.lo <= x + y <= s.hi
    assert s.point == a + b
    d = ia - ib
    assert d.lo <= a - b <= d.hi


@given(amounts.filter(lambda x: x > 1), amounts.filter(lambda x: x > 1))
def test_interval_ratio_holds_the_point(a, b) -> None:
    q = Interval.rounded(a, 2) / Interval.rounded(b, 2)
    assert q.lo <= a / b <= q.hi
    assert q.lo <= q.hi


@given(amounts, decimals_)
def test_a_figure_judged_against_itself_passes(a, d) -> None:
    v = quantize(a, d)
    assert judge(Interval.rounded(v, d), d, Interval.exact(v)) is Verdict.PASS
    assert Interval.rounded(v, d).meets(Interval.rounded(v, d))


@given(amounts, amounts)
def test_meets_is_symmetric(a, b) -> None:
    ia, ib = Interval.rounded(a, 2), Interval.rounded(b, 0)
    assert ia.meets(ib) == ib.meets(ia)


# ------------------------------------------------------------------ sums through the engine

SUM = load_pack_text(
    "pack: p\nrules:\n  - {id: p.sum, kind: total-row}\n").rules[0]


def _doc(total: Decimal, parts: list[Decimal]) -> Document:
    rows = [[str(100 + i), f"类{i}", format_amount(p)] for i, p in enumerate(parts)]
    rows.append(["总计", "", format_amount(total)])
    return Document.from_dict({"tables": [{"id": "表5", "columns": ["合计"], "rows": rows}]})


true_values = st.decimals(min_value=0, max_value=Decimal("99999.9999"), places=4,
                          allow_nan=False, allow_infinity=False)


def _round(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@settings(max_examples=150, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=12))
def test_an_exactly_consistent_sum_passes(parts) -> None:
    findings, outcome = run_rule(_doc(sum(parts, Decimal(0)), parts), SUM)
    assert findings == [] and outcome.passed == 1 and outcome.failed == 0


@settings(max_examples=150, deadline=None)
@given(st.lists(true_values, min_size=1, max_size=12))
def test_rounded_figures_of_a_true_sum_never_fail(values) -> None:
    """Parts and total each rounded from true values: at most a note, never an error."""
    parts = [_round(v) for v in values]
    total = _round(sum(values, Decimal(0)))
    findings, outcome = run_rule(_doc(total, parts), SUM)
    assert outcome.failed == 0
    assert all(f.severity == "note" for f in findings)


@settings(max_examples=150, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=12), st.data())
def test_a_sum_changed_beyond_rounding_fails(parts, data) -> None:
    slack = Decimal("0.005") * (len(parts) + 1)
    change = data.draw(st.decimals(min_value=slack + Decimal("0.01"), max_value=Decimal("100000"),
                                   places=2, allow_nan=False, allow_infinity=False))
    sign = data.draw(st.sampled_from([1, -1]))
    total = sum(parts, Decimal(0)) + sign * change
    if total < 0:
        total = sum(parts, Decimal(0)) + change
    findings, outcome = run_rule(_doc(total, parts), SUM)
    assert outcome.failed == 1
    assert [f.severity for f in findings] == ["error"]
    assert findings[0].expected == sum(parts, Decimal(0))
