"""Printed numbers and rounding intervals: the cases the properties do not draw.

Blank cells and dashes (zero, exact, flagged blank — or nothing at all where the
narrative is read), and a computed value exactly half-way between two printed
figures (rounded up, as publishers round: 0.125 → 0.13, never to even).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from auditor.interval import Interval, Verdict, judge, quantize
from auditor.numbers import Parsed, format_amount, normalise, parse_number

BLANK = Parsed(Decimal(0), 2, percent=False, blank=True)


@pytest.mark.parametrize("text", [None, "", "  ", "-", "--", "—", "——", "－", "/"])
def test_a_blank_cell_or_a_dash_is_an_exact_zero_flagged_blank(text) -> None:
    got = parse_number(text)
    assert got == BLANK
    assert got.value.is_zero() and str(got.value) == "0"


@pytest.mark.parametrize("text", [None, "", "-", "—", "－", "/"])
def test_in_the_narrative_a_blank_or_a_dash_is_no_number(text) -> None:
    assert parse_number(text, blank_is_zero=False) is None


def test_a_printed_zero_is_a_figure_not_a_blank() -> None:
    assert parse_number("0") == Parsed(Decimal(0), 0)
    assert parse_number("0", blank_is_zero=False) == Parsed(Decimal(0), 0)
    assert parse_number("0.00") == Parsed(Decimal("0.00"), 2)


def test_an_integer_keeps_no_decimals() -> None:
    p = parse_number("3,599")
    assert p == Parsed(Decimal(3599), 0) and p.value.as_tuple().exponent == 0


@pytest.mark.parametrize("value, decimals, rounded", [
    ("0.125", 2, "0.13"), ("0.135", 2, "0.14"), ("12.5", 0, "13"), ("-0.125", 2, "-0.13"),
    ("2.5", 0, "3"), ("63.3196", 2, "63.32"),
])
def test_quantize_rounds_half_up(value, decimals, rounded) -> None:
    got = quantize(Decimal(value), decimals)
    assert got == Decimal(rounded) and str(got) == rounded


def test_a_computed_value_exactly_half_way_passes_the_figure_rounded_up() -> None:
    # 1 / 8 × 100 = 12.5 exactly: printed 13 (half up) it is the figure; 12 is a note
    computed = Interval.exact(Decimal("12.5"))
    assert judge(Interval.rounded(Decimal(13), 0), 0, computed) is Verdict.PASS
    assert judge(Interval.rounded(Decimal(12), 0), 0, computed) is Verdict.NOTE
    assert judge(Interval.rounded(Decimal(14), 0), 0, computed) is Verdict.FAIL


@pytest.mark.parametrize("text, parsed", [
    ("3, 245. 06", Parsed(Decimal("3245.06"), 2)),
    ("３，５９９．７４", Parsed(Decimal("3599.74"), 2)),
    ("-12.00", Parsed(Decimal("-12.00"), 2)),
    ("－12.00", Parsed(Decimal("-12.00"), 2)),
    ("(12.00)", Parsed(Decimal("-12.00"), 2)),
    ("+5", Parsed(Decimal(5), 0)),
    ("63.32%", Parsed(Decimal("63.32"), 2, percent=True)),
    ("(12.00", None),
    ("12.00)", None),
    ("12.00元", None),
])
def test_the_printed_forms_of_a_figure(text, parsed) -> None:
    assert parse_number(text) == parsed


def test_spaces_inside_a_number_are_removed_and_others_kept() -> None:
    assert normalise(" 3, 245. 06 ") == "3,245.06"
    assert normalise("１２ 万元") == "12 万元"


def test_an_amount_in_a_message_has_2_decimals_and_separators() -> None:
    assert format_amount(Decimal("3599.7")) == "3,599.70"
    assert format_amount(Decimal("1234567.891"), 1) == "1,234,567.9"
    assert format_amount(Decimal("-12"), 0) == "-12"
